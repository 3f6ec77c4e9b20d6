"""The way back from the control engine: an accepted report of an item's assignment finishes the item."""

from datetime import date

from krai.core.events.registry import subscriber


@subscriber("projects.item_done", kinds=["control.accepted"])
def item_done(event) -> None:
    payload = event.payload
    if payload.get("kind") != "project.item":
        return
    from krai.orders.models import Assignment
    from krai.projects.services import item_done_from_control

    completed = Assignment.objects.filter(pk=payload["assignment_id"]).values_list("completed_on", flat=True).first()
    item_done_from_control(assignment_id=payload["assignment_id"], completed_on=completed or date.today())

from krai.projects import cards  # noqa: E402,F401 — links to its objects render as cards
