"""Writes of periodic reports: templates made, changed and removed by their owners, and "generate now". Each records
its event (and so an audit entry); a refusal is a ``PermissionDenied``, bad input a ``ValidationError`` by field
with nothing saved."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.reports import periods, sections
from krai.reports.files import delete_after_commit
from krai.reports.models import Edition, Template

FIELDS = ("title", "description", "sections", "block", "municipality", "frequency", "weekday", "day", "at",
          "publication", "is_active")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            errors["title"] = _("A report needs a title.")
        elif len(values["title"]) > 200:
            errors["title"] = _("At most 200 characters.")
    if "sections" in values:
        chosen = list(dict.fromkeys(values["sections"] or []))
        known = {kind.key for kind in sections.kinds()}
        if not chosen:
            errors["sections"] = _("Choose at least one section.")
        elif unknown := [key for key in chosen if key not in known]:
            errors["sections"] = _("Unknown sections: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
        values["sections"] = chosen
    if "frequency" in values and values["frequency"] not in Template.Frequency.values:
        errors["frequency"] = _("Choose weekly, monthly or quarterly.")
    if "publication" in values and values["publication"] not in Template.Publication.values:
        errors["publication"] = _("Choose where the report is published.")
    if "weekday" in values and not (isinstance(values["weekday"], int) and 0 <= values["weekday"] <= 6):
        errors["weekday"] = _("A day of the week from 0 (Monday) to 6 (Sunday).")
    if "day" in values and not (isinstance(values["day"], int) and 1 <= values["day"] <= 28):
        errors["day"] = _("A day from 1 to 28 (every month has it).")
    if "at" in values and not isinstance(values["at"], time):
        errors["at"] = _("A time of day.")
    if errors:
        raise ValidationError(errors)
    return values


def _recipients(people: Any) -> list:
    chosen = list(people or [])
    if any(not (person.is_active and person.is_staff) for person in chosen):
        raise ValidationError({"recipients": _("Recipients are active members of staff.")})
    return chosen


def template_create(*, actor: Any, recipients: Any = (), **values: Any) -> Template:
    """A new template owned by ``actor`` (a member of staff)."""
    if not actor.has_perm("reports.use"):
        raise PermissionDenied(_("Reports are kept by members of staff."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = _clean({"sections": [], "title": "", **values})
    people = _recipients(recipients)
    with transaction.atomic():
        template = Template.objects.create(owner=actor, **values)
        template.recipients.set(people)
        record_event(kind="reports.template_created", actor=actor, subject=template, payload={
            "title": template.title, "sections": template.sections, "frequency": template.frequency,
            "publication": template.publication, "recipients": [p.pk for p in people]})
    return template


def template_update(*, actor: Any, template: Template, recipients: Any = None, **values: Any) -> Template:
    """Change what is given; nothing written when nothing changes."""
    if not actor.has_perm("reports.change_template", template):
        raise PermissionDenied(_("Only the template's owner changes it."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = _clean(values)
    changed = {name: value for name, value in values.items() if getattr(template, name) != value}
    people = _recipients(recipients) if recipients is not None else None
    if people is not None and {p.pk for p in people} == set(template.recipients.values_list("pk", flat=True)):
        people = None
    if not changed and people is None:
        return template
    with transaction.atomic():
        for name, value in changed.items():
            setattr(template, name, value)
        template.save()
        if people is not None:
            template.recipients.set(people)
        payload = {name: (value.pk if hasattr(value, "pk") else str(value) if isinstance(value, time) else value)
                   for name, value in changed.items()}
        if people is not None:
            payload["recipients"] = [p.pk for p in people]
        record_event(kind="reports.template_updated", actor=actor, subject=template, payload=payload)
    return template


def template_delete(*, actor: Any, template: Template) -> None:
    """Remove a template with its editions and their files."""
    if not actor.has_perm("reports.change_template", template):
        raise PermissionDenied(_("Only the template's owner removes it."))
    names = [f.name for edition in template.editions.all() for f in (edition.pdf, edition.xlsx) if f]
    with transaction.atomic():
        record_event(kind="reports.template_deleted", actor=actor, subject=template,
                     payload={"title": template.title, "editions": template.editions.count()})
        template.delete()
        delete_after_commit(names)


def edition_generate_now(*, actor: Any, template: Template) -> Edition:
    """The edition of the last complete period, (re)generated now: made when missing, queued again when it is
    ready or failed (its files are replaced); one being generated is left to its worker."""
    if not actor.has_perm("reports.change_template", template):
        raise PermissionDenied(_("Only the template's owner generates it."))
    start, end = periods.latest_period(template.frequency)
    now = timezone.now()
    with transaction.atomic():
        edition, made = Edition.objects.select_for_update().get_or_create(
            template=template, period_start=start, period_end=end, defaults={"next_attempt_at": now})
        if not made and edition.status in (Edition.Status.DONE, Edition.Status.FAILED):
            edition.status, edition.attempts, edition.next_attempt_at = Edition.Status.PENDING, 0, now
            edition.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_event(kind="reports.edition_requested", actor=actor, subject=edition,
                     payload={"template": template.pk, "period": [str(start), str(end)]})
        if edition.status == Edition.Status.PENDING:
            edition_id = edition.pk
            transaction.on_commit(lambda: _enqueue(edition_id), robust=True)
    return edition


def _enqueue(edition_id: int) -> None:
    from krai.reports.tasks import reports_generate  # late: the tasks import the jobs, which import this app

    reports_generate(edition_id)
