"""Reading initiatives: the ones a reader may see, one of them (404 for a missing or a hidden one alike), the
current version of its draft."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from krai.lawmaking import policy
from krai.lawmaking.models import Initiative, Version
from krai.org.scopes import scope_for


def visible(viewer: Any) -> QuerySet[Initiative]:
    """Initiatives ``viewer`` may see: the published ones, his own concepts, and — for those who manage — the
    unpublished ones of bodies in their reach (coordinators: all)."""
    rows = Initiative.objects.select_related("municipality", "responsible_body")
    if policy.is_coordinator(viewer):
        return rows
    condition = Q(published_at__isnull=False)
    if policy.is_active_user(viewer):
        condition |= Q(initiator_id=viewer.pk)
        paths = scope_for(viewer).org_paths if viewer.is_staff else ()
        for path in paths:
            condition |= Q(responsible_body__path__startswith=path)
    return rows.filter(condition)


def initiative_for(viewer: Any, pk: Any) -> Initiative:
    """One initiative ``viewer`` may see, or ``Http404`` — the same for a missing and a hidden one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    initiative = visible(viewer).filter(pk=pk).first()
    if initiative is None or not policy.may_see(viewer, initiative):
        raise Http404
    return initiative


def current_version(initiative: Initiative) -> Version | None:
    """The latest version of the draft (``None`` before the draft elaboration starts)."""
    return initiative.versions.order_by("-number").first()
