"""Every write a service makes is audited: a pytest plugin that watches each public service call's SQL.

The plugin finds every public service function itself (``discover()``: the functions defined in each
``services`` module or package of ``krai``), wraps it, and puts the wrapper wherever a ``krai`` module holds
the function by name. At the outermost service call of a thread it watches the SQL written on every
connection: when the call returns normally having inserted, updated or deleted rows of a domain table, it
must have written an ``Event`` too (``record_event``), else the test that made the call fails, naming the
function and the tables. Bookkeeping tables (the outbox and the trail themselves, sessions, lock-out
counters, inbox items, the search index, pre-counted tables) do not count as a change of state.

Functions listed in ``EXEMPT`` (with the reason) are not wrapped: pure reads, helpers that only compute,
and functions whose only writes are bookkeeping. Their nested service calls are then the outermost ones.
Registered from the root ``conftest.py``, so it runs in every test of the suite; the cost is one
``execute_wrapper`` per outermost service call and a regular expression per statement.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import inspect
import pkgutil
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

#: name → why it needs no event. Checked by ``test_audit_complete``: a name here must be a service function.
EXEMPT: dict[str, str] = {
    # the planner (krai.planner): reads and checks its services share, changing nothing
    "krai.planner.services.feed.feed_calendar": "builds the feed's calendar, a read",
    "krai.planner.services.feed.feed_entries": "the entries a feed holds, a read",
    "krai.planner.services.feed.feed_find": "finds the feed of an address, a read",
    "krai.planner.services.feed.feed_get_for_user": "a person's own feed, a read",
    "krai.planner.services.feed.feed_touch": "when a calendar last read a feed, bookkeeping",
    "krai.planner.services.feed.feeds_of": "a person's feeds, a read",
    "krai.planner.services.feed.token_hash": "the digest of an address's secret, a computation",
    "krai.planner.services.feed.window": "the feed's period, a computation",
    "krai.planner.services.ics_import.ics_plan": "the import's preview, changing nothing",
    "krai.planner.services.ics_import.read_calendar": "reads an uploaded file, changing nothing",
    "krai.planner.services.ics_import.read_events": "reads an uploaded file's events, changing nothing",
    "krai.planner.services.reminders.clean_reminders": "checks reminders given, changing nothing",
    "krai.planner.services.reminders.next_remind_at": "when a reminder is next due, a computation",
    "krai.planner.services.reminders.occurrence_anchors": "an entry's occurrences, a computation",
    "krai.planner.services.reminders.reminders_reschedule": "bookkeeping inside the entries' services",
    "krai.planner.services.reminders.occurrence_over": "whether an occurrence is over, a computation",
    # the community (krai.social)
    "krai.social.services.conversations.conversation_read": "the reader's read mark, bookkeeping like "
                                                            "notifications.mark_read (an entry per reading would "
                                                            "be a diary of who read what)",
    # pure reads and computations
    "krai.construction.services.history.snapshot": "reads an object's fields as shown; writes nothing",
    "krai.construction.services.history.record_change": "writes the change log inside the audited service that "
                                                       "changed the object (its event carries the changes)",
    "krai.lawmaking.services.stages.lock": "reads the initiative's row under a lock for the caller's change",
    "krai.lawmaking.services.stages.require_stage": "a check that raises; writes nothing",
    "krai.lawmaking.services.stages.clean_reason": "cleans a note or a reason; writes nothing",
    "krai.lawmaking.services.stages.payload": "builds an event's payload; writes nothing",
    "krai.accounts.services.registration.confirmation_token_make": "computes a signed token",
    "krai.accounts.services.registration.confirmation_url": "computes a URL",
    "krai.accounts.services.tokens.parse_token": "computes",
    "krai.accounts.services.tokens.token_find": "reads",
    "krai.accounts.services.two_factor.totp_pending": "reads",
    "krai.accounts.services.two_factor.has_two_factor": "reads",
    "krai.core.comments.services.max_length": "reads a setting",
    "krai.core.comments.services.max_depth": "reads a setting",
    "krai.core.comments.services.clean_body": "validates",
    "krai.core.audit.services.client_ip": "reads the request",
    "krai.opendata.services.planned_update": "computes a date",
    "krai.opendata.services.quality_scope_covers": "computes",
    "krai.orders.services.control.quiet": "a context manager that silences notifications",
    "krai.orders.services.control.resolve_deadline": "computes a date",
    "krai.orders.services.control.payload": "builds an event payload",
    "krai.orders.services.orders.quarter_report_date": "computes a date",
    "krai.orders.services.orders.default_deadline": "computes a date",
    "krai.orders.services.orders.period_dates": "computes dates",
    "krai.orders.services.orders.last_day_of_month": "computes a date",
    "krai.participation.services.polls.clean_answers": "validates",
    "krai.participation.services.priorities.votes_per_period": "reads a setting",
    "krai.participation.services.priorities.regional_weighting": "reads a setting",
    "krai.participation.services.priorities.snapshot_checksum": "computes",
    "krai.participation.services.priorities.regional_checksum": "computes",
    "krai.participation.services.ratings.prior_weight": "reads a setting",
    "krai.problems.services.reports.check_photos": "validates",
    "krai.problems.services.reports.clean_report": "validates",
    "krai.problems.services.routing.route_for": "reads",
    "krai.problems.services.routing.due_date_for": "computes a date",
    # the machinery of events and audit itself
    "krai.core.events.services.record_event": "writes the event itself",
    "krai.core.audit.services.record_from_event": "writes the audit trail from an event",
    "krai.core.audit.services.record_auth": "writes the audit trail directly (log-in, log-out, failures)",
    # bookkeeping: derived copies and deliveries, each caused by a change audited where it happened
    "krai.core.notifications.services.notify": "an inbox delivery of a change already audited",
    "krai.integration.services.exchange.record_exchange": "the exchange log (integration.ExchangeMessage): a record "
                                                          "of messages, whose changes are audited where they happen",
    "krai.core.notifications.services.mark_read": "the reader's inbox bookkeeping",
    "krai.core.notifications.services.mark_all_read": "the reader's inbox bookkeeping",
    "krai.core.notifications.services.clean_subscription": "checks a browser's subscription, changing nothing",
    "krai.core.search.services.index_object": "the search index, a derived copy",
    "krai.core.search.services.remove_object": "the search index, a derived copy",
    "krai.core.search.services.rebuild_fulltext": "the search index, a derived copy",
    "krai.accounts.services.tokens.token_touch": "the token's last-use time, bookkeeping",
    "krai.accounts.services.two_factor.second_factor_verify": "a log-in step: writes the devices' throttling and "
                                                              "replay counters (a used backup code is an event)",
    "krai.opendata.services.refresh_derived": "the search text and quality score, derived from the dataset",
    "krai.opendata.services.remind_late_updates": "notifications, and the date the reminder went out",
    "krai.opendata.services.sweep_datastore": "drops tables no version names any more (left by deletions)",
    "krai.opendata.services.live_refresh_all": "calls live_refresh per dataset, each call checked on its own",
    "krai.core.files.services.sweep_orphan_files": "deletes stored files no attachment row names; no rows",
    "krai.orders.services.reminders.remind_and_escalate": "reminders sent (bookkeeping) and notifications; an "
                                                          "overdue assignment gets its control.overdue event",
    "krai.participation.services.polls.poll_verify": "recomputes a closed poll's checksum and compares",
    "krai.participation.services.polls.poll_close_due": "calls poll_close per poll, each call checked on its own",
    "krai.participation.services.priorities.rank_build_due": "calls rank_build, checked on its own",
    "krai.participation.services.ratings.service_ranks_build_due": "calls service_ranks_build, checked on its own",
    "krai.accounts.services.registration.confirmation_send": "sends an e-mail and records its event; no rows",
    # erasers run inside an account's erasure (krai.core.privacy), whose accounts.account_anonymised event
    # records it; an event per area naming the person would keep what the erasure removes
    "krai.core.comments.services.comments_erase_person": "an eraser inside the account's erasure",
    "krai.orders.services.erasure.control_erase_person": "an eraser inside the account's erasure",
    "krai.participation.services.erasure.participation_erase_person": "an eraser inside the account's erasure",
    "krai.problems.services.erasure.problems_erase_person": "an eraser inside the account's erasure",
    "krai.problems.services.sync.on_control_event": "a reaction to a control.* event already audited; "
                                                   "its history rows carry that event's id",
}

#: tables whose writes are bookkeeping, not a change of state (by model label; ``app.*`` for a whole app)
BOOKKEEPING_MODELS = (
    "events.*", "audit.*", "sessions.*", "axes.*", "admin.LogEntry", "contenttypes.*", "auth.Permission",
    "notifications.Notification", "search.*", "orders.TopLoad", "orders.Reminder", "problems.MapCell",
    "integration.ExchangeMessage",  # the exchange log: a record of messages, each change they made audited itself
)

_WRITE = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
_current: contextvars.ContextVar[_Trace | None] = contextvars.ContextVar("krai_audit_trace", default=None)
_lock = threading.Lock()
violations: list[str] = []


def _service_module(name: str) -> bool:
    parts = name.split(".")
    if "tests" in parts or "migrations" in parts or parts[-1].startswith("_"):
        return False
    return parts[-1] == "services" or (len(parts) > 1 and parts[-2] == "services")


def import_all() -> None:
    """Import every module of ``krai`` (and the URL conf), so every import by name can be patched."""
    import krai
    import krai.urls

    for info in pkgutil.walk_packages(krai.__path__, "krai."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts or info.name in ("krai.wsgi", "krai.gunicorn_conf"):
            continue
        importlib.import_module(info.name)


def discover() -> dict[str, Callable[..., Any]]:
    """Every public service function: ``module.name`` → function, defined in a services module or package."""
    import_all()
    found: dict[str, Callable[..., Any]] = {}
    for name in sorted(sys.modules):
        if not name.startswith("krai.") or not _service_module(name):
            continue
        for attr, value in vars(sys.modules[name]).items():
            original = getattr(value, "__krai_audit_original__", value)
            if attr.startswith("_") or not inspect.isfunction(original) or original.__module__ != name:
                continue
            found[f"{name}.{attr}"] = original
    return found


def bookkeeping_tables() -> frozenset[str]:
    from django.apps import apps

    tables = set()
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if any(label == pattern or (pattern.endswith(".*") and model._meta.app_label == pattern[:-2])
               for pattern in BOOKKEEPING_MODELS):
            tables.add(model._meta.db_table)
    return frozenset(tables)


class _Trace:
    """The tables one outermost service call wrote, and whether it wrote an event."""

    def __init__(self, ignored: frozenset[str], event_table: str) -> None:
        self.ignored, self.event_table = ignored, event_table
        self.tables: set[str] = set()
        self.event = False

    def __call__(self, execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict) -> Any:
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql) if isinstance(sql, str) else None
        # an UPDATE or DELETE that matched no row changed nothing (an INSERT … RETURNING counts its rows only
        # once they are fetched, so its count says nothing here)
        if match and (sql.lstrip()[:1] in "iI" or getattr(context.get("cursor"), "rowcount", -1) != 0):
            table = match.group(1).lower()
            if table == self.event_table:
                self.event = True
            elif table not in self.ignored:
                self.tables.add(table)
        return result


def traced_call(func: Callable[..., Any], args: tuple, kwargs: dict, *, ignored: frozenset[str],
                event_table: str) -> tuple[Any, _Trace | None]:
    """Call ``func``; when it is the outermost service call, return its trace too."""
    if _current.get() is not None:
        return func(*args, **kwargs), None
    from django.db import connections

    trace = _Trace(ignored, event_table)
    token = _current.set(trace)
    try:
        with contextlib.ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(trace))
            result = func(*args, **kwargs)
    finally:
        _current.reset(token)
    return result, trace


def _wrapper(name: str, func: Callable[..., Any], ignored: frozenset[str], event_table: str) -> Callable[..., Any]:
    @functools.wraps(func)
    def audited(*args: Any, **kwargs: Any) -> Any:
        result, trace = traced_call(func, args, kwargs, ignored=ignored, event_table=event_table)
        if trace is not None and trace.tables and not trace.event:
            with _lock:
                violations.append(f"{name} wrote {', '.join(sorted(trace.tables))} without recording an event")
        return result

    audited.__krai_audit_original__ = func  # type: ignore[attr-defined]
    return audited


def install() -> list[tuple[Any, str, Any]]:
    """Wrap every public service function not exempt; return what was replaced, to undo it."""
    from krai.core.events.models import Event

    ignored, event_table = bookkeeping_tables(), Event._meta.db_table
    wrappers = {id(func): _wrapper(name, func, ignored, event_table)
                for name, func in discover().items() if name not in EXEMPT}
    replaced = []
    for module in list(sys.modules.values()):
        # the tests' own modules too: they were imported (collected) before this runs
        if not getattr(module, "__name__", "").startswith(("krai", "tests.")):
            continue
        for attr, value in list(vars(module).items()):
            wrapper = wrappers.get(id(value)) if inspect.isfunction(value) else None
            if wrapper is not None:
                replaced.append((module, attr, value))
                setattr(module, attr, wrapper)
    return replaced


@pytest.fixture(scope="session", autouse=True)
def _audited_services() -> Iterator[None]:
    replaced = install()
    yield
    for module, attr, value in replaced:
        setattr(module, attr, value)


def pytest_runtest_setup(item: pytest.Item) -> None:
    with _lock:
        violations.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    with _lock:
        found, violations[:] = list(violations), []
    if found:
        pytest.fail("A change of state without a domain event (so no audit entry):\n  "
                    + "\n  ".join(dict.fromkeys(found)), pytrace=False)
    return result
