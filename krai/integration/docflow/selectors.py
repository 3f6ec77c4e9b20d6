"""Reads of the document-flow exchange, shared by its pages, API, importer and services.

Who sees what: the section is the Department of Control's and the administrators' (``integration.view_exchange``);
a registered system's service account sees its own packages. Orders are always read through
``krai.orders.selectors.orders_visible_to``, so an export or a package's page never shows an order the reader
may not see. Missing and forbidden are the same 404.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from krai.integration.docflow.medo import OrganisationRef, PersonRef
from krai.integration.docflow.models import DocflowAnswer, DocflowChannel, DocflowItem, DocflowPackage
from krai.integration.models import ExternalSystem, SystemKind
from krai.orders.selectors import orders_visible_to
from krai.org.models import Organisation, Position, User


def system_of(user: Any) -> ExternalSystem | None:
    """The registered system whose service account ``user`` is, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return ExternalSystem.objects.filter(account_id=user.pk).first()


def reads_section(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("integration.view_exchange"))


def packages_for(user: Any, *, status: str = "", system: ExternalSystem | None = None) -> QuerySet[DocflowPackage]:
    """The packages ``user`` may see (every one for the section's readers, its own for a system), newest first."""
    qs = DocflowPackage.objects.select_related("system", "received_by")
    if not reads_section(user):
        own = system_of(user)
        qs = qs.filter(system=own) if own is not None else qs.none()
    if status:
        qs = qs.filter(status=status)
    if system is not None:
        qs = qs.filter(system=system)
    return qs


def package_get(user: Any, pk: Any) -> DocflowPackage:
    found = packages_for(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404(_("No such package."))
    return found


def package_items(user: Any, package: DocflowPackage) -> list[tuple[DocflowItem, bool]]:
    """The package's items with whether ``user`` may see the order each became."""
    items = list(package.items.select_related("order", "order__lead_organisation", "order__assignment"))
    visible = set(orders_visible_to(user).filter(pk__in=[i.order_id for i in items]).values_list("pk", flat=True))
    return [(item, item.order_id in visible) for item in items]


def package_orders(package: DocflowPackage) -> list[Any]:
    """The orders an accepted package's items became, in item order (for the importer's answer)."""
    return [item.order for item in package.items.select_related("order", "order__lead_organisation")]


def package_answers(package: DocflowPackage) -> QuerySet[DocflowAnswer]:
    return DocflowAnswer.objects.filter(item__package=package).select_related("item").order_by("created_at", "id")


def first_accepted(system: ExternalSystem, uid: str) -> DocflowPackage | None:
    if not uid:
        return None
    return DocflowPackage.objects.filter(system=system, uid=uid, status="accepted").first()


def docflow_systems() -> QuerySet[ExternalSystem]:
    """The systems that exchange documents: of the document-flow kind, or with a channel set."""
    return (ExternalSystem.objects.filter(Q(kind=SystemKind.DOCFLOW) | Q(docflow_channel__isnull=False))
            .select_related("docflow_channel", "docflow_channel__issuer", "docflow_channel__controller_organisation")
            .distinct().order_by("name"))


def channel_of(system: ExternalSystem) -> DocflowChannel | None:
    return DocflowChannel.objects.select_related("issuer", "controller_organisation").filter(system=system).first()


def system_by_code(code: str) -> ExternalSystem | None:
    return ExternalSystem.objects.filter(code=code).first() if code else None


# --- matching the executors a package names ------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join((text or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


def match_organisation(ref: OrganisationRef) -> Organisation | None:
    """The organisation a package means: by its code, then its INN (the top one if units share it), then its
    exact name (spaces and case aside); only active organisations."""
    active = Organisation.objects.filter(is_active=True)
    if ref.code:
        found = active.filter(code=ref.code).first()
        if found is not None:
            return found
    if ref.inn:
        found = active.filter(inn=ref.inn).order_by("depth", "id").first()
        if found is not None:
            return found
    if ref.name:
        wanted = _fold(ref.name)
        for pk, name, short_name in active.order_by("depth", "id").values_list("pk", "name", "short_name").iterator():
            if wanted in (_fold(name), _fold(short_name)):
                return active.get(pk=pk)
    return None


def _initials(text: str) -> str:
    return re.sub(r"[\s.]", "", text or "").casefold()


def match_person(organisation: Organisation, ref: PersonRef | None) -> User | None:
    """A holder of a position of ``organisation`` by surname and initials (both given ones), else None."""
    if ref is None or not ref.surname:
        return None
    wanted_surname, wanted_initials = _fold(ref.surname), _initials(ref.initials)
    holders = (Position.objects.filter(organisation=organisation, holder__isnull=False, holder__is_active=True)
               .select_related("holder").order_by("sort_order", "id"))
    for position in holders:
        person = position.holder
        initials = _initials("".join(p[:1] for p in (person.given_name, person.patronymic) if p))
        if _fold(person.surname) == wanted_surname and (not wanted_initials or initials.startswith(wanted_initials)):
            return person
    return None


# --- the export of orders that came through the exchange -------------------------------------------------------


def exchanged_items(user: Any, *, system: ExternalSystem | None = None) -> QuerySet[DocflowItem]:
    """Items whose orders ``user`` may see (a system: its own packages'), with the order and its control."""
    qs = DocflowItem.objects.filter(order__in=orders_visible_to(user), package__status="accepted")
    own = None if reads_section(user) else system_of(user)
    if own is not None:
        qs = qs.filter(package__system=own)
    if system is not None:
        qs = qs.filter(package__system=system)
    return (qs.select_related("order", "order__lead_organisation", "order__assignment", "package", "package__system")
            .order_by("-package__received_at", "package_id", "position"))
