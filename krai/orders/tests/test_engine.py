"""The control engine: the public interface other areas use, its events, and refusals that change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.events.models import Event
from krai.core.workcalendar.selectors import add_working_days, is_working_day, previous_working_day
from krai.orders import selectors, services
from krai.orders.models import Assignment, Extension, Report, Status, Transition
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db

PAYLOAD_KEYS = {"assignment_id", "kind", "subject_type", "subject_id", "status", "deadline"}


def snapshot():
    return (list(Assignment.objects.order_by("id").values()), Transition.objects.count(), Report.objects.count(),
            Extension.objects.count(), Event.objects.count())


def open_problem(gov, **kw):
    # any model instance can be a subject; a Block stands in for another area's row
    kw.setdefault("working_days", 5)
    return services.control_open(actor=None, kind="problem", subject=gov.social, title="Яма на дороге",
                                 executor_organisation=gov.health, **kw)


def test_open_by_system_with_working_days(gov):
    a = open_problem(gov)
    assert a.status == Status.ISSUED and a.parent_id is None and a.root_id == a.pk
    assert a.deadline == add_working_days(TODAY, 5) == a.original_deadline
    assert a.block_id == gov.social.pk and a.body_id == gov.health.pk
    assert selectors.control_for_subject(gov.social) == a
    event = Event.objects.get(kind="control.opened")
    assert set(event.payload) >= PAYLOAD_KEYS
    assert event.payload["kind"] == "problem" and event.payload["subject_type"] == "org.block"
    assert event.payload["subject_id"] == str(gov.social.pk) and event.payload["deadline"] == a.deadline.isoformat()
    assert a.transitions.get().action == "opened"


def test_deadline_on_day_off_moves_back(gov):
    day = TODAY + timedelta(days=30)
    while is_working_day(day):
        day += timedelta(days=1)
    a = open_problem(gov, working_days=None, deadline=day)
    assert a.deadline == previous_working_day(day) < day


@pytest.mark.parametrize("kw", [{"working_days": None}, {"deadline": TODAY + timedelta(days=9)},
                                {"working_days": -1}, {"working_days": None, "deadline": TODAY - timedelta(days=9)}])
def test_open_refuses_bad_deadlines(gov, kw):
    before = snapshot()
    with pytest.raises(ValidationError):
        open_problem(gov, **kw)
    assert snapshot() == before


def test_open_twice_refused_and_actor_needs_right(gov):
    open_problem(gov)
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        open_problem(gov)
    assert info.value.code == "already_open"
    with pytest.raises(PermissionDenied):
        services.control_open(actor=gov.finance_head, kind="problem", subject=gov.economy, title="x",
                              executor_organisation=gov.health, working_days=3)
    assert snapshot() == before


def test_chain_two_levels_report_up_and_accept(gov):
    order = issued_order(gov)
    root = order.assignment
    child = services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                      deadline=root.deadline - timedelta(days=1))
    grandchild = services.control_delegate(actor=gov.unit_head, assignment=child, executor_organisation=gov.subunit,
                                           executor_user=gov.executor, deadline=child.deadline)
    root.refresh_from_db()
    assert root.status == Status.IN_PROGRESS and grandchild.root_id == root.pk and grandchild.depth == 2
    assert [a.pk for a in selectors.tree(root)] == [root.pk, child.pk, grandchild.pk]
    # the executor two levels down reports; the unit head (who gave it) accepts
    services.control_report(actor=gov.executor, assignment=grandchild, text="Сделано")
    with pytest.raises(PermissionDenied):
        services.control_accept(actor=gov.executor, assignment=grandchild)
    services.control_accept(actor=gov.unit_head, assignment=grandchild)
    services.control_report(actor=gov.unit_head, assignment=child, text="Сделано")
    services.control_accept(actor=gov.head, assignment=child)
    services.control_report(actor=gov.head, assignment=root, text="Исполнено")
    done = services.control_accept(actor=gov.governor, assignment=root)
    assert done.status == Status.DONE and done.completed_on == TODAY and not done.is_late
    kinds = list(Event.objects.filter(kind__startswith="control.").values_list("kind", flat=True))
    assert kinds.count("control.delegated") == 2 and kinds.count("control.accepted") == 3


def test_sub_deadline_after_parent_refused(gov):
    root = issued_order(gov).assignment
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                  deadline=root.deadline + timedelta(days=7))
    assert "deadline" in info.value.message_dict
    assert snapshot() == before


def test_delegate_only_under_and_only_by_executor(gov):
    root = issued_order(gov).assignment
    before = snapshot()
    with pytest.raises(ValidationError):
        services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.finance,
                                  deadline=root.deadline)
    for stranger in (gov.finance_head, gov.executor, gov.outsider):
        with pytest.raises(PermissionDenied):
            services.control_delegate(actor=stranger, assignment=root, executor_organisation=gov.unit,
                                      deadline=root.deadline)
    assert snapshot() == before


def test_report_on_cancelled_refused(gov):
    root = issued_order(gov).assignment
    child = services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                      deadline=root.deadline)
    services.control_cancel(actor=gov.governor, assignment=root, reason="Утратило актуальность")
    child.refresh_from_db()
    assert child.status == Status.CANCELLED
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.control_report(actor=gov.head, assignment=root, text="Сделано")
    assert info.value.code == "cancelled"
    assert snapshot() == before


def test_accept_only_by_issuer_or_controller(gov):
    root = issued_order(gov).assignment
    services.control_report(actor=gov.head, assignment=root, text="Сделано")
    before = snapshot()
    for wrong in (gov.head, gov.executor, gov.finance_head, gov.vice_economy, gov.outsider):
        with pytest.raises(PermissionDenied):
            services.control_accept(actor=wrong, assignment=root)
    assert snapshot() == before
    services.control_accept(actor=gov.controller, assignment=root)


def test_accept_without_report_and_blank_return_refused(gov):
    root = issued_order(gov).assignment
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.control_accept(actor=gov.governor, assignment=root)
    assert info.value.code == "not_reported"
    services.control_report(actor=gov.head, assignment=root, text="Сделано")
    middle = snapshot()
    with pytest.raises(ValidationError):
        services.control_return(actor=gov.governor, assignment=root, reason="  ")
    assert snapshot() == middle
    assert before != middle


def test_return_then_report_again(gov):
    root = issued_order(gov).assignment
    services.control_report(actor=gov.head, assignment=root, text="Сделано")
    back = services.control_return(actor=gov.governor, assignment=root, reason="Нет документов")
    assert back.status == Status.IN_PROGRESS
    assert root.reports.get().decision == Report.Decision.RETURNED
    services.control_report(actor=gov.head, assignment=root, text="Теперь с документами")
    assert Event.objects.filter(kind="control.returned").count() == 1


def test_extension_request_grant_keeps_original(gov):
    root = issued_order(gov).assignment
    original = root.deadline
    ext = services.control_extension_request(actor=gov.head, assignment=root, deadline=original + timedelta(days=14),
                                             reason="Подрядчик")
    with pytest.raises(PermissionDenied):
        services.control_extension_decide(actor=gov.head, extension=ext, grant=True)
    services.control_extension_decide(actor=gov.governor, extension=ext, grant=True)
    root.refresh_from_db()
    assert root.deadline == previous_working_day(original + timedelta(days=14)) and root.original_deadline == original
    event = Event.objects.get(kind="control.extended")
    assert event.payload["deadline"] == root.deadline.isoformat()


def test_extension_refused_changes_no_deadline(gov):
    root = issued_order(gov).assignment
    ext = services.control_extension_request(actor=gov.head, assignment=root,
                                             deadline=root.deadline + timedelta(days=9), reason="Нужно время")
    with pytest.raises(ValidationError):
        services.control_extension_decide(actor=gov.governor, extension=ext, grant=False, answer="")
    services.control_extension_decide(actor=gov.governor, extension=ext, grant=False, answer="Нет оснований")
    root.refresh_from_db()
    assert root.deadline == root.original_deadline
    with pytest.raises(ValidationError):
        services.control_extension_decide(actor=gov.governor, extension=ext, grant=True)


def test_reassign_by_vice_governor_of_block_only(gov):
    root = issued_order(gov).assignment
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.control_reassign(actor=gov.vice_economy, assignment=root, executor_organisation=gov.finance,
                                  reason="Перераспределение")
    assert snapshot() == before
    moved = services.control_reassign(actor=gov.vice, assignment=root, executor_organisation=gov.finance,
                                      reason="Перераспределение")
    assert moved.block_id == gov.economy.pk and moved.body_id == gov.finance.pk
    assert Event.objects.get(kind="control.reassigned").payload["assignment_id"] == root.pk


def test_overdue_and_late_are_derived(gov):
    past = TODAY - timedelta(days=60)
    root = issued_order(gov, issued_on=past, working_days=5).assignment
    assert root.is_overdue() and Assignment.objects.overdue().filter(pk=root.pk).exists()
    assert root.delay_days == (TODAY - root.deadline).days > 0
    services.control_report(actor=gov.head, assignment=root, text="Поздно, но сделано")
    services.control_accept(actor=gov.governor, assignment=root)
    root.refresh_from_db()
    assert root.is_late and not root.is_overdue() and Assignment.objects.late().filter(pk=root.pk).exists()
    assert root.delay_days == (root.completed_on - root.deadline).days


def test_state_as_of_past_date(gov):
    root = issued_order(gov).assignment
    services.control_report(actor=gov.head, assignment=root, text="Сделано")
    Transition.objects.filter(assignment=root, action="reported").update(at=Transition.objects.get(
        assignment=root, action="reported").at + timedelta(days=3))
    assert selectors.state_as_of(root, TODAY).status == Status.ISSUED
    assert selectors.state_as_of(root, TODAY + timedelta(days=3)).status == Status.REPORTED
    assert selectors.state_as_of(root, TODAY - timedelta(days=1)) is None


def test_history_is_append_only(gov):
    root = issued_order(gov).assignment
    row = root.transitions.first()
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_reminders_and_escalation_idempotent(gov):
    past = TODAY - timedelta(days=60)
    root = issued_order(gov, issued_on=past, working_days=3).assignment
    soon = issued_order(gov, working_days=1).assignment
    day = TODAY if is_working_day(TODAY) else previous_working_day(TODAY)
    first = services.remind_and_escalate(today=day)
    second = services.remind_and_escalate(today=day)
    assert first.overdue == 1 and first.head == 1 and first.vice_governor == 1 and first.before >= 1
    assert second.overdue == second.head == second.vice_governor == second.before == 0
    assert Event.objects.filter(kind="control.overdue").count() == 1
    assert Event.objects.get(kind="control.overdue").payload["assignment_id"] == root.pk
    assert soon.reminders.filter(kind="before").exists()
