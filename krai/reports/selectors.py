"""Reads of periodic reports. A template and its editions are seen by its owner and recipients; a published
edition by anyone (the portal). Anything else answers 404, exactly like a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from krai.org.models import User
from krai.reports.models import Edition, Template


def templates_visible_to(user: Any) -> QuerySet[Template]:
    """The templates ``user`` owns or receives (none for anyone outside the staff)."""
    if not user.has_perm("reports.use"):
        return Template.objects.none()
    return (Template.objects.filter(Q(owner=user) | Q(recipients=user)).distinct()
            .select_related("owner", "block", "municipality").order_by("title", "pk"))


def template_get(*, user: Any, pk: Any) -> Template:
    found = templates_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def editions_of(template: Template) -> QuerySet[Edition]:
    return template.editions.order_by("-period_start", "-pk")


def published_editions() -> QuerySet[Edition]:
    """The editions shown to residents (``Edition.is_published`` as a filter), the latest first."""
    return (Edition.objects.filter(status=Edition.Status.DONE, public=True,
                                   template__publication=Template.Publication.PORTAL)
            .select_related("template").order_by("-period_end", "template__title", "-pk"))


def edition_get(*, user: Any, pk: Any) -> Edition:
    """An edition ``user`` may read (a published one: anyone)."""
    found = Edition.objects.select_related("template").filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None or not user.has_perm("reports.view_edition", found):
        raise Http404
    return found


def published_edition_get(pk: Any) -> Edition:
    found = published_editions().filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


def recipients_choosable() -> QuerySet[User]:
    """Who may receive a report: the active members of staff."""
    return User.objects.filter(is_active=True, is_staff=True).order_by("surname", "given_name", "pk")
