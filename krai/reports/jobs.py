"""The editions' life, run by the jobs (``krai.reports.tasks``): made due by the schedule, generated, retried,
reported, and picked up after a dead worker.

* ``schedule_due`` makes the row of every edition whose moment has come (pending) *before* anything is generated,
  so that a run that fails or never ends is a row that says so — never a silent gap. The unique constraint (one
  edition per template and period) makes a second scheduler, or "generate now", meet the same row.
* ``generate`` claims a pending edition (one worker wins the claim), reads every section as the template's owner
  would see it, writes the PDF and the XLSX to the default storage and marks the edition ready; the recipients are
  told. A failure is kept on the edition (its error) and retried ``KRAI_REPORTS_ATTEMPTS`` times in all, after
  ``KRAI_REPORTS_RETRY_SECONDS`` doubled each time; the last failure marks it failed and tells the owner.
* ``sweep`` enqueues the pending editions whose time has come (retries, and rows whose job was lost) and takes back
  the editions left running by a worker that died (running longer than ``KRAI_REPORTS_STALE_MINUTES``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.reports import periods, render, sections
from krai.reports.files import delete_after_commit
from krai.reports.models import Edition, Template

log = logging.getLogger(__name__)
ERROR_MAX = 2000


def attempts_allowed() -> int:
    return max(1, int(settings.KRAI_REPORTS_ATTEMPTS))


def retry_delay(attempt: int) -> timedelta:
    """The back-off after the ``attempt``-th failure: the base delay doubled each time."""
    return timedelta(seconds=int(settings.KRAI_REPORTS_RETRY_SECONDS) * 2 ** (attempt - 1))


def stale_after() -> timedelta:
    return timedelta(minutes=int(settings.KRAI_REPORTS_STALE_MINUTES))


def edition_for(template: Template, period: tuple, *, now: datetime | None = None) -> tuple[Edition, bool]:
    """The edition of ``template`` for ``period`` (start, end), made pending when missing; (edition, made)."""
    start, end = period
    try:
        with transaction.atomic():
            return Edition.objects.get_or_create(template=template, period_start=start, period_end=end,
                                                 defaults={"next_attempt_at": now or timezone.now()})
    except IntegrityError:  # another scheduler made it between the read and the write
        return Edition.objects.get(template=template, period_start=start, period_end=end), False


def schedule_due(*, now: datetime | None = None) -> list[int]:
    """Make the editions whose moments have come (every active template); answer the new ones' ids."""
    now = now or timezone.now()
    made = []
    for template in Template.objects.filter(is_active=True).order_by("pk"):
        kept = set(template.editions.values_list("period_start", "period_end"))
        for period in periods.due_periods(template, now):
            if period in kept:
                continue
            edition, created = edition_for(template, period, now=now)
            if created:
                made.append(edition.pk)
    return made


def _fail(edition: Edition, message: str, now: datetime, *, wait: bool = True) -> None:
    """Keep the error; retry while attempts are left (after the back-off when ``wait``), else mark the edition
    failed and tell the owner."""
    message = message[:ERROR_MAX]
    # only the run that failed is changed: a worker that finished it meanwhile wins
    this_run = Edition.objects.filter(pk=edition.pk, status=Edition.Status.RUNNING, started_at=edition.started_at)
    with transaction.atomic():
        if edition.attempts < attempts_allowed():
            this_run.update(status=Edition.Status.PENDING, error=message,
                            next_attempt_at=now + retry_delay(edition.attempts) if wait else now)
            return
        if not this_run.update(status=Edition.Status.FAILED, error=message):
            return
        template = edition.template
        event = record_event(kind="reports.edition_failed", subject=edition, payload={
            "template": template.pk, "period": [str(edition.period_start), str(edition.period_end)],
            "attempts": edition.attempts, "error": message[:300]})
        notify(users=[template.owner], kind="reports.failed", event=event,
               title=_("The report “%(title)s” for %(period)s failed") % {"title": template.title,
                                                                         "period": period_label(edition)},
               body=message[:500], url=reverse("reports:template", args=[template.pk]))


def period_label(edition: Edition) -> str:
    return f"{edition.period_start:%d.%m.%Y}–{edition.period_end:%d.%m.%Y}"


def build_parts(edition: Edition) -> list[sections.Part]:
    """Every section of the edition's template, read as its owner sees it."""
    template = edition.template
    ctx = sections.Context(owner=template.owner, period_start=edition.period_start, period_end=edition.period_end,
                           block=template.block, municipality=template.municipality, public=template.is_published)
    parts = []
    for key in template.sections:
        kind = sections.kind_get(key)
        if kind is None:
            raise ValueError(_("The section “%(key)s” is not known to this installation.") % {"key": key})
        parts.append(kind.build(ctx))
    return parts


def generate(edition_id: int, *, now: datetime | None = None, tell: bool = True) -> Edition | None:
    """Generate a pending edition (None: another worker has it, or it is not pending); ``tell=False`` (the demo's
    seeded editions) records no event and tells nobody."""
    now = now or timezone.now()
    claimed = Edition.objects.filter(pk=edition_id, status=Edition.Status.PENDING).update(
        status=Edition.Status.RUNNING, started_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    edition = Edition.objects.select_related("template__owner", "template__block", "template__municipality").get(
        pk=edition_id)
    template = edition.template
    try:
        with translation.override(settings.LANGUAGE_CODE):
            parts = build_parts(edition)
            made = timezone.now()
            label = period_label(edition)
            pdf = render.pdf(title=template.title, period=label, made=made, parts=parts)
            xlsx = render.xlsx(title=template.title, period=label, made=made, parts=parts)
    except Exception as exc:  # any section's failure is the edition's: kept, retried, reported
        log.exception("report edition %s failed (attempt %s)", edition.pk, edition.attempts)
        _fail(edition, f"{type(exc).__name__}: {exc}", now)
        return Edition.objects.get(pk=edition.pk)
    stem = f"{template.pk}-{edition.period_start:%Y%m%d}-{edition.period_end:%Y%m%d}"
    old = [f.name for f in (edition.pdf, edition.xlsx) if f]
    edition.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    edition.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    with transaction.atomic():
        edition.status, edition.generated_at, edition.error = Edition.Status.DONE, made, ""
        edition.public = template.is_published
        edition.save(update_fields=["status", "generated_at", "error", "public", "pdf", "xlsx"])
        if tell:
            _tell_made(edition, label)
    delete_after_commit([name for name in old if name not in (edition.pdf.name, edition.xlsx.name)])
    return edition


def _tell_made(edition: Edition, label: str) -> None:
    template = edition.template
    event = record_event(kind="reports.edition_made", subject=edition, payload={
        "template": template.pk, "period": [str(edition.period_start), str(edition.period_end)],
        "public": edition.public})
    people = {template.owner, *template.recipients.filter(is_active=True)}
    notify(users=people, kind="reports.edition", event=event,
           title=_("The report “%(title)s” for %(period)s is ready") % {"title": template.title, "period": label},
           url=reverse("reports:template", args=[template.pk]))


def sweep(*, now: datetime | None = None) -> list[int]:
    """Take back the editions a dead worker left running; answer the pending editions whose time has come."""
    now = now or timezone.now()
    stale = Edition.objects.select_related("template__owner").filter(status=Edition.Status.RUNNING,
                                                                     started_at__lt=now - stale_after())
    for edition in stale:
        # the run died with its worker, not of the report: taken again at once
        _fail(edition, _("The worker stopped while generating (attempt %(n)s).") % {"n": edition.attempts}, now,
              wait=False)
    return list(Edition.objects.filter(status=Edition.Status.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk").values_list("pk", flat=True))
