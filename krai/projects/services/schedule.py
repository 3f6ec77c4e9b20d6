"""Moving dates: one move re-plans everything that follows it, across the programme, in one pass.

``reschedule`` checks the moves, loads the programme's graph once (``planner.load``), walks it in memory
(``planner.propose``), and — when the result breaks nothing, or the person confirmed the warnings — writes the
changed dates, moves the deadlines of the controlled items' assignments, and records one event with every
change. Unconfirmed warnings raise ``NeedsConfirmation`` carrying the proposal, and nothing is written.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.bulksql import update_rows
from krai.core.events.services import record_event
from krai.core.workcalendar.selectors import working_days_between
from krai.projects import binding, planner, scheduling
from krai.projects.models import Project, WorkItem
from krai.projects.validation import check, dates, inside_parent


class NeedsConfirmation(Exception):
    """The move breaks a control point, a parent's dates or a fixed item; ``plan`` says how."""

    def __init__(self, plan: planner.Plan) -> None:
        super().__init__("the move needs confirmation")
        self.plan = plan


def _cycle_error(error: scheduling.CycleError, loaded: planner.Loaded) -> ValidationError:
    names = ", ".join(planner._label(loaded, pk) for pk in error.items[:5])
    return ValidationError(_("The dependencies make a loop: %(items)s.") % {"items": names}, code="cycle")


def _check_moves(project: Project, moves: dict[WorkItem, tuple[date, date]]) -> frozenset[int]:
    """Refuse moves that put a child outside its parent; answer the parents moved whole (they carry their parts:
    the start moved and the duration in working days kept)."""
    moved_ids = {item.pk for item in moves}
    carry = set()
    for item, (start, finish) in moves.items():
        if item.project_id != project.pk:
            raise ValidationError(_("The item belongs to another project."), code="invalid")
        if item.kind == WorkItem.Kind.CONTROL_POINT:
            start = finish
        dates(start, finish)
        if item.parent_id not in moved_ids:
            inside_parent(item.parent, start, finish)
        whole = start != item.planned_start and working_days_between(start, finish) == working_days_between(
            item.planned_start, item.planned_finish)
        if whole:
            carry.add(item.pk)
        else:
            outside = (WorkItem.objects.filter(parent=item).exclude(pk__in=moved_ids)
                       .exclude(planned_start__gte=start, planned_finish__lte=finish).first())
            if outside is not None:
                raise ValidationError({"planned_start": _(
                    "«%(child)s» (%(s)s – %(f)s) would lie outside the new dates; move it first.") % {
                    "child": f"{outside.wbs} {outside.title}", "s": outside.planned_start.strftime("%d.%m.%Y"),
                    "f": outside.planned_finish.strftime("%d.%m.%Y")}}, code="child_outside")
    return frozenset(carry)


def _write(plan: planner.Plan, *, today: date | None = None) -> int:
    """Store ``plan.dates`` and move the open assignments of the controlled items among them, in a fixed number
    of statements whatever the number of items (``krai.core.bulksql``); answers how many assignments moved."""
    if not plan.dates:
        return 0
    moment = timezone.now()
    update_rows(WorkItem, ("id",), ("planned_start", "planned_finish", "updated_at"),
                [(pk, start, finish, moment) for pk, (start, finish) in plan.dates.items()])
    return binding.reschedule_many({pk: finish for pk, (_start, finish) in plan.dates.items()})


@transaction.atomic
def reschedule(*, actor, project: Project, moves: dict[WorkItem, tuple[date, date]], confirm: bool = False,
               today: date | None = None) -> planner.Plan:
    """Move items to new planned dates and shift what follows; see the module's text."""
    check(actor, "projects.edit_project", project, _("You may not change this project's plan."))
    if not moves:
        return planner.Plan()
    # one re-plan at a time per programme: two overlapping walks would each miss the other's shifts
    Project.objects.select_for_update().filter(programme_id=project.programme_id).values_list("pk", flat=True).first()
    fresh = {WorkItem.objects.select_related("parent").get(pk=item.pk): span for item, span in moves.items()}
    carry = _check_moves(project, fresh)
    moves_by_id = {item.pk: ((finish if item.kind == WorkItem.Kind.CONTROL_POINT else start), finish)
                   for item, (start, finish) in fresh.items()}
    loaded = planner.load(project.programme_id, extra_dates=tuple(d for span in moves_by_id.values() for d in span))
    try:
        plan = planner.propose(loaded, moves_by_id, carry=carry)
    except scheduling.CycleError as error:
        raise _cycle_error(error, loaded) from error
    originals = {item.pk: (item.planned_start, item.planned_finish) for item in fresh}
    for pk, span in moves_by_id.items():
        # the person's own dates are kept as given (a day off included), not snapped to working days
        if span != originals[pk]:
            plan.dates[pk] = span
        else:
            plan.dates.pop(pk, None)
    if plan.warnings and not confirm:
        raise NeedsConfirmation(plan)
    moved = _write(plan, today=today)
    record_event(kind="projects.replanned", actor=actor, subject=project, payload={
        "moved": {str(pk): [s.isoformat(), f.isoformat()] for pk, (s, f) in moves_by_id.items()},
        "shifted": {str(pk): [plan.dates[pk][0].isoformat(), plan.dates[pk][1].isoformat()]
                    for pk in plan.dates if pk not in moves_by_id},
        "warnings": [w.message for w in plan.warnings], "assignments_moved": moved})
    return plan
