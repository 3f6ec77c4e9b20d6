"""Media sources: adding and editing them, and polling them — one now, or every due one by the periodic job.

A poll is a conditional GET (the ``ETag`` and ``Last-Modified`` the server last sent): a 304 reads nothing.
A failure (timeout, HTTP error, too large, not a feed) never stops the job: the source keeps the reason in
``last_error`` and is next polled after ``interval × 2^failures`` minutes (at most ``KRAI_PRESS_MAX_BACKOFF_MINUTES``);
a success resets it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.monitoring.media import feeds, fetch
from krai.monitoring.media.ingest import Fresh, Run, fresh_entries, store
from krai.monitoring.media.models import Level, Source
from krai.monitoring.media.stories import StoryIndex

log = logging.getLogger(__name__)

FIELDS = ("name", "url", "kind", "level", "active", "interval_minutes", "fetch_pages")
MIN_INTERVAL, MAX_INTERVAL = 5, 7 * 24 * 60  # minutes: not more often than every 5 minutes, at least weekly


def _check(actor) -> None:
    if actor is None or not actor.has_perm("media.manage_sources"):
        raise PermissionDenied(_("You may not manage media sources."))


def _max_backoff_minutes() -> int:
    return int(getattr(settings, "KRAI_PRESS_MAX_BACKOFF_MINUTES", 24 * 60))


def _clean(source: Source) -> None:
    if source.interval_minutes < MIN_INTERVAL:
        raise ValidationError({"interval_minutes": _("Poll at most every %(n)d minutes.") % {"n": MIN_INTERVAL}})
    if source.interval_minutes > MAX_INTERVAL:
        raise ValidationError({"interval_minutes": _("Poll at least once a week.")})
    if source.level not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    source.full_clean()


@transaction.atomic
def source_create(*, actor, name: str, url: str, **fields) -> Source:
    _check(actor)
    source = Source(name=(name or "").strip()[:200], url=(url or "").strip(),
                    **{k: v for k, v in fields.items() if k in FIELDS and v is not None})
    _clean(source)
    source.save()
    record_event(kind="media.source_created", actor=actor, subject=source,
                 payload={"name": source.name, "url": source.url, "level": source.level})
    return source


@transaction.atomic
def source_update(*, actor, source: Source, **fields) -> Source:
    _check(actor)
    changed = {}
    for key, value in fields.items():
        if key in FIELDS and value is not None and getattr(source, key) != value:
            setattr(source, key, value)
            changed[key] = str(value)
    if "url" in changed:  # another address: its validators and its failures are not this one's
        source.etag = source.last_modified = ""
        source.failures, source.next_poll_at = 0, None
    _clean(source)
    source.save()
    record_event(kind="media.source_updated", actor=actor, subject=source, payload={"changed": changed})
    return source


def _backoff(source: Source) -> dt.timedelta:
    return dt.timedelta(minutes=min(source.interval_minutes * 2 ** min(source.failures, 20), _max_backoff_minutes()))


def _fresh(source: Source, answer: fetch.Fetched, run: Run) -> list[Fresh]:
    """The answer's entries not seen yet, their pages read (no transaction is open). Raises ``FetchError``."""
    if source.kind == Source.Kind.PAGE:
        title, text = feeds.page_article(source.url, answer.body)
        if not text:
            raise fetch.FetchError("no article text on the page")
        entries = [feeds.Entry(url=source.url, guid="", title=(title or source.name)[:500], summary="", content=text,
                               published_at=run.now)]
        return fresh_entries(source, entries, page=True)
    _title, entries = feeds.parse(answer.body, now=run.now)
    return fresh_entries(source, entries)


def _poll(source: Source, run: Run, *, actor=None) -> dict:
    """Poll one source; whatever goes wrong is kept on the source, never raised. The network is read before the
    transaction that stores what it brought opens (a slow page holds no lock)."""
    try:
        answer = fetch.get(source.url, etag=source.etag, last_modified=source.last_modified)
        status = "not_modified" if answer.status == 304 else "ok"
        fresh = [] if answer.status == 304 else _fresh(source, answer, run)
        with transaction.atomic():
            new = len(store(source, fresh, run))
            _finish(source, run, actor=actor, status=status, new=new, answer=answer)
        return {"source": source.pk, "status": status, "new": new, "error": ""}
    except fetch.FetchError as exc:
        error = str(exc)
    except Exception as exc:  # one bad feed must not stop the others: kept on the source, logged for the operator
        log.exception("media: polling source %s failed", source.pk)
        error = f"{type(exc).__name__}: {exc}"
        run.index = StoryIndex.recent(now=run.now)  # it may hold articles the rollback took back
    source.refresh_from_db()
    with transaction.atomic():
        _finish(source, run, actor=actor, status="error", new=0, answer=None, error=error)
    return {"source": source.pk, "status": "error", "new": 0, "error": error}


def _finish(source: Source, run: Run, *, actor, status: str, new: int, answer: fetch.Fetched | None,
            error: str = "") -> None:
    source.last_polled_at, source.last_status = run.now, status
    if error:
        source.failures += 1
        source.last_error = error[:1000]
        source.next_poll_at = run.now + _backoff(source)
    else:
        source.failures, source.last_error, source.last_success_at = 0, "", run.now
        source.next_poll_at = run.now + dt.timedelta(minutes=source.interval_minutes)
        if answer is not None and answer.status == 200:
            source.etag, source.last_modified = answer.etag[:500], answer.last_modified[:100]
    source.save(update_fields=["last_polled_at", "last_status", "failures", "last_error", "last_success_at",
                               "next_poll_at", "etag", "last_modified"])
    record_event(kind="media.source_polled", actor=actor, subject=source,
                 payload={"status": status, "new": new, "error": source.last_error, "failures": source.failures})


def source_poll(*, actor, source: Source, run: Run | None = None) -> dict:
    """Poll ``source`` now (a person's "poll now"); ``{"status", "new", "error"}``."""
    _check(actor)
    return _poll(source, run or Run.start(), actor=actor)


def poll_due_sources(*, now: dt.datetime | None = None) -> list[dict]:
    """The periodic job: poll every active source whose time has come, each on its own."""
    now = now or timezone.now()
    due = list(Source.objects.filter(active=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
               .order_by("next_poll_at", "id"))
    # claim each before polling it, so a run that overlaps this one (a long poll, a second worker) skips it
    claimed = [source for source in due if Source.objects.filter(pk=source.pk, next_poll_at=source.next_poll_at)
               .update(next_poll_at=now + dt.timedelta(minutes=source.interval_minutes))]
    if not claimed:
        return []
    run = Run.start(now=now)
    return [_poll(source, run) for source in claimed]
