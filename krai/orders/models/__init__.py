"""The control engine (assignments, their history, reports, extensions, reminders) and orders on top of it.

An ``Assignment`` is anything a public body must answer by a deadline: an order, a citizen's problem, a
construction check. It points at its subject (any model) by content type and id, forms a delegation tree
(``parent``; ``root`` is the tree's top, the root itself included) and keeps its current state in
columns for fast dashboards. Every change of that state is also a ``Transition`` row (append-only), so
the state as of any past moment is the last transition before it. "Overdue" and "executed late" are
never stored: they follow from ``deadline``, ``completed_on`` and the date asked about. The models live in
this package by responsibility (``assignments``, ``control``, ``orders``; the trees' closure table in
``krai.orders.ancestry``, the dashboard's cells in ``krai.orders.counts``) and are all imported here.
"""

# the import order is the models' registration order (as in the one module they came from); ``Assignment.save``
# reads the closure table and the cells, imported last, through this package at call time
# isort: off
from krai.orders.models.assignments import OPEN_STATUSES, Assignment, AssignmentQuerySet, Status
from krai.orders.models.control import Extension, Reminder, Report, Transition
from krai.orders.models.orders import ControlPoint, CoExecutor, Order, OrderCounter, Priority, SourceType
from krai.orders.ancestry import AssignmentAncestor  # the trees' closure table
from krai.orders.counts import TOP_LOAD_CLOSED, TopLoad, TopMonth  # the dashboard's cells
# isort: on

__all__ = [
    "OPEN_STATUSES", "TOP_LOAD_CLOSED", "Assignment", "AssignmentAncestor", "AssignmentQuerySet", "CoExecutor",
    "ControlPoint", "Extension", "Order", "OrderCounter", "Priority", "Reminder", "Report", "SourceType", "Status",
    "TopLoad", "TopMonth", "Transition",
]
