"""Answers owed to the systems whose packages became orders, from the control engine's events:

- ``orders.order_issued`` — *registered*: the order's number in Krai, its deadline and lead executor;
- ``control.delegated`` (a later delegation, not the co-executors' parts made at issue) and ``control.reassigned``
  — *executor assigned*: who has it now;
- ``control.reported`` — *report sent*: the report's date and text.

Only orders that came from a package (not from a table: a spreadsheet system takes no XML) are answered. The
answer is kept in the outbox once per event and item (``outbox.enqueue``), so a redelivered event sends nothing
twice; the job delivers it.
"""

from __future__ import annotations

from typing import Any

from krai.core.events.registry import subscriber
from krai.integration.docflow import outbox
from krai.integration.docflow.models import AnswerKind, DocflowItem, PackageChannel
from krai.orders.models import Assignment, Report


def _item(order_id: Any) -> DocflowItem | None:
    try:
        pk = int(order_id)
    except (TypeError, ValueError):
        return None
    return (DocflowItem.objects.select_related("package", "package__system", "order")
            .filter(order_id=pk, package__status="accepted").exclude(package__channel=PackageChannel.TABLE).first())


def _assignment(pk: Any) -> Assignment | None:
    try:
        return Assignment.objects.select_related("executor_organisation", "executor_user").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


@subscriber("docflow.answers", kinds=["orders.order_issued", "control.delegated", "control.reassigned",
                                      "control.reported"])
def answer_the_sender(event: Any) -> None:
    payload = event.payload or {}
    if event.kind == "orders.order_issued":
        item = _item(event.subject_id)
        assignment = _assignment(payload.get("assignment_id"))
        if item is None or assignment is None:
            return
        outbox.enqueue(event_id=event.pk, item=item, kind=AnswerKind.REGISTERED, assignment=assignment,
                       executor_organisation=assignment.executor_organisation,
                       executor_user=assignment.executor_user)
        return
    if payload.get("kind") != "order" or payload.get("subject_type") != "orders.order":
        return
    if event.kind == "control.delegated" and payload.get("part"):
        return  # a co-executor's or a control point's part made when the order was issued: part of "registered"
    item = _item(payload.get("subject_id"))
    assignment = _assignment(payload.get("assignment_id"))
    if item is None or assignment is None:
        return
    if event.kind == "control.reported":
        report = Report.objects.filter(pk=payload.get("report_id")).first() if payload.get("report_id") else None
        outbox.enqueue(event_id=event.pk, item=item, kind=AnswerKind.REPORTED, assignment=assignment,
                       executor_organisation=assignment.executor_organisation, executor_user=assignment.executor_user,
                       report_date=report.submitted_on if report else None,
                       report_text=report.text if report else "—")
        return
    outbox.enqueue(event_id=event.pk, item=item, kind=AnswerKind.EXECUTOR_ASSIGNED, assignment=assignment,
                   executor_organisation=assignment.executor_organisation, executor_user=assignment.executor_user)
