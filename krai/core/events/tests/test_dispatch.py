from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from krai.core.events import dispatch, registry, tasks
from krai.core.events.models import Event, EventDelivery
from krai.core.events.services import record_event
from krai.org.tests.factories import OrganisationFactory, UserFactory


def record(kind="test.thing", **payload):
    with transaction.atomic():
        return record_event(kind=kind, payload=payload)


def effects(of=None):
    rows = Event.objects.filter(kind="fx.effect")
    return [row.payload["of"] for row in rows] if of is None else rows.filter(payload__of=of).count()


def effect_handler(calls):
    """A handler whose effect is a database row, so that a rollback takes it away."""

    def handle(event):
        calls.append(event.pk)
        record_event(kind="fx.effect", payload={"of": event.pk})

    return handle


# --- the outbox -------------------------------------------------------------------------------------

class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_an_event_exists_if_and_only_if_its_change_commits(subscribe):
    calls = []
    subscribe("test.a", ["test.*"], effect_handler(calls))
    with pytest.raises(Boom), transaction.atomic():
        organisation = OrganisationFactory(code="rolled-back")
        record_event(kind="test.thing", subject=organisation)
        raise Boom
    assert not Event.objects.exists() and calls == []

    with transaction.atomic():
        organisation = OrganisationFactory(code="kept")
        event = record_event(kind="test.thing", subject=organisation, payload={"code": "kept"})
    # After the real commit the Huey job (immediate in tests) has delivered it.
    event.refresh_from_db()
    assert event.subject_id == str(organisation.pk) and event.dispatched_at is not None
    assert calls == [event.pk] and effects() == [event.pk]
    assert EventDelivery.objects.get(event=event, subscriber="test.a").status == EventDelivery.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        record_event(kind="test.thing")
    assert not Event.objects.exists()


def test_an_event_reaches_every_matching_subscriber_once(db, subscribe, django_capture_on_commit_callbacks):
    a, b, other = [], [], []
    subscribe("test.a", ["test.*"], effect_handler(a))
    subscribe("test.b", ["test.thing", "x.y"], b.append)
    subscribe("test.other", ["other.*"], other.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = record_event(kind="test.thing", actor=UserFactory())
        second = record_event(kind="test.thing")
    assert len(callbacks) == 1  # one job for the whole transaction
    assert a == [first.pk, second.pk] and [e.pk for e in b] == [first.pk, second.pk] and other == []
    assert set(EventDelivery.objects.values_list("subscriber", "status")) == {
        ("test.a", "done"), ("test.b", "done")}
    assert EventDelivery.objects.count() == 4

    # Delivered means delivered: running again, or fanning the same event out again, calls nobody.
    assert dispatch.deliver_pending().attempted == 0
    Event.objects.filter(kind="test.thing").update(dispatched_at=None)
    result = dispatch.deliver_pending()
    assert result.fanned_out == 2 and result.attempted == 0
    assert len(a) == 2 and len(b) == 2 and EventDelivery.objects.count() == 4


def test_a_handler_failing_once_is_retried_and_delivered_once(db, subscribe):
    calls = []

    def flaky(event):
        effect_handler(calls)(event)
        if len(calls) == 1:
            raise Boom("the mail server is away")

    subscribe("test.flaky", ["test.thing"], flaky)
    event = record("test.thing")
    start = timezone.now()
    result = dispatch.deliver_pending(now=start)
    assert (result.delivered, result.retrying) == (0, 1)
    delivery = EventDelivery.objects.get(event=event)
    assert delivery.status == "pending" and delivery.attempts == 1 and "the mail server is away" in delivery.last_error
    assert delivery.next_attempt_at == start + dispatch.backoff(1)
    assert effects() == []  # the failed try's write went with it

    assert dispatch.deliver_pending(now=start + timedelta(seconds=5)).attempted == 0  # not due yet
    result = dispatch.deliver_pending(now=start + dispatch.backoff(1))
    assert result.delivered == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("done", 2, "")
    assert calls == [event.pk, event.pk] and effects(of=event.pk) == 1


def test_a_handler_that_keeps_failing_stops_at_the_limit_and_can_be_retried(db, subscribe, settings):
    settings.KRAI_EVENTS_MAX_ATTEMPTS = 3
    calls = []

    def broken(event):
        calls.append(event.pk)
        raise Boom("broken")

    subscribe("test.broken", ["test.*"], broken)
    event = record()
    now = timezone.now()
    for _ in range(6):
        dispatch.deliver_pending(now=now)
        now += timedelta(days=1)
    delivery = EventDelivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts, len(calls)) == ("failed", 3, 3)
    assert dispatch.backlog() == {"undispatched_events": 0, "pending_deliveries": 0, "failed_deliveries": 1}

    assert dispatch.retry_failed(subscriber="test.other") == 0
    assert dispatch.retry_failed(subscriber="test.broken") == 1
    dispatch.deliver_pending()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(calls)) == ("pending", 1, 4)


def test_a_subscriber_may_allow_fewer_attempts(db, subscribe):
    subscribe("test.once", ["test.*"], lambda event: 1 / 0, max_attempts=1)
    record()
    assert dispatch.deliver_pending().failed == 1
    assert EventDelivery.objects.get().status == "failed"


def test_events_recorded_by_a_handler_are_delivered_by_the_same_run_without_recursion(
        db, subscribe, django_capture_on_commit_callbacks):
    echoes, nested = [], []

    def echo(event):
        nested.append(dispatch.deliver_pending())  # a re-entrant call does nothing
        record_event(kind="test.echo", payload={"of": event.pk})

    subscribe("test.echo", ["test.thing"], echo)
    subscribe("test.listener", ["test.echo"], echoes.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        source = record_event(kind="test.thing")
    assert [e.payload["of"] for e in echoes] == [source.pk]
    assert [n.attempted for n in nested] == [0]
    assert not Event.objects.filter(dispatched_at__isnull=True).exists()


def test_a_delivery_to_a_subscriber_that_is_gone_fails_with_a_clear_error(db, settings):
    settings.KRAI_EVENTS_MAX_ATTEMPTS = 1
    event = record()
    Event.objects.filter(pk=event.pk).update(dispatched_at=timezone.now())
    EventDelivery.objects.create(event=event, subscriber="test.removed")
    assert dispatch.deliver_pending().failed == 1
    assert "test.removed" in EventDelivery.objects.get().last_error


def test_a_delivery_taken_over_by_another_worker_is_left_alone(db, subscribe):
    calls = []
    subscribe("test.a", ["test.*"], calls.append)
    record()
    dispatch._fan_out(timezone.now())
    [(delivery_id, attempt)] = dispatch._claim(timezone.now(), 10)
    # Our lease ran out and another worker claimed it again: our stale claim must not run the handler.
    EventDelivery.objects.filter(pk=delivery_id).update(attempts=attempt + 1)
    assert dispatch._deliver(delivery_id, attempt, timezone.now()) == "skipped"
    assert calls == []


def test_a_claim_left_by_a_dead_worker_is_retried_within_seconds_not_before_its_lease(db, subscribe):
    calls = []
    subscribe("test.a", ["test.*"], calls.append)
    record()
    now = timezone.now()
    dispatch._fan_out(now)
    [(delivery_id, _attempt)] = dispatch._claim(now, 10)  # a worker claims it, then dies before its handler
    assert dispatch.deliver_pending(now=now + timedelta(seconds=1)).attempted == 0  # the lease still holds
    assert calls == []
    assert dispatch.deliver_pending(now=now + timedelta(seconds=15)).delivered == 1  # seconds, not minutes
    assert len(calls) == 1 and EventDelivery.objects.get(pk=delivery_id).attempts == 2


# --- the registry ------------------------------------------------------------------------------------

def test_kinds_are_glob_patterns():
    entry = registry.Subscriber(name="x", kinds=("org.*", "accounts.user_registered"), handler=print)
    assert entry.matches("org.block_created") and entry.matches("accounts.user_registered")
    assert not entry.matches("accounts.user_deleted") and not entry.matches("orgs.x")


def test_two_different_handlers_cannot_share_a_name(subscribe):
    subscribe("test.name", ["*"], print)
    with pytest.raises(ImproperlyConfigured):
        registry.register("test.name", kinds=["*"], handler=repr)
    with pytest.raises(ImproperlyConfigured):
        registry.register("test.none", kinds=[], handler=repr)


def test_subscribers_modules_of_installed_apps_are_discovered():
    assert registry.get("audit.trail") is not None  # krai/core/audit/subscribers.py


# --- jobs and the command ------------------------------------------------------------------------------

def test_the_periodic_sweep_delivers_what_no_job_delivered(db, subscribe):
    calls = []
    subscribe("test.a", ["test.*"], calls.append)
    event = record()  # inside the test's transaction: no commit, so no job ran
    assert calls == []
    assert tasks.sweep_events.call_local() is None
    assert [e.pk for e in calls] == [event.pk]


def test_the_command_delivers_retries_and_reports(db, subscribe, capsys):
    calls = []
    subscribe("test.a", ["test.*"], calls.append)
    record()
    call_command("dispatch_events", "--stats")
    assert "undispatched_events: 1" in capsys.readouterr().out
    call_command("dispatch_events")
    assert "1 deliveries done" in capsys.readouterr().out and len(calls) == 1
    EventDelivery.objects.update(status="failed")
    call_command("dispatch_events", "--retry-failed")
    assert "1 failed deliveries put back" in capsys.readouterr().out and len(calls) == 2
