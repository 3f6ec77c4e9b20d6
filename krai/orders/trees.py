"""Delegation trees and their history, whole (for the engine) or as one user may see them (pages, API).

Re-exported by ``krai.orders.selectors``, the area's one reading interface; what a user may see is
``selectors.assignments_visible_to``, and this module only adds the path from the root down to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from krai.orders.models import Assignment, Transition


def tree(root: Assignment) -> list[Assignment]:
    """The whole delegation tree under ``root`` in depth-first order (each row knows its ``depth``)."""
    rows = list(Assignment.objects.filter(root_id=root.root_id or root.pk)
                .select_related("executor_organisation", "executor_user", "issuer").order_by("depth", "id"))
    children: dict[int | None, list[Assignment]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Assignment] = []

    def walk(node: Assignment) -> None:
        ordered.append(node)
        for child in children.get(node.pk, []):
            walk(child)

    top = next((r for r in rows if r.pk == root.pk), None)
    if top is not None:
        walk(top)
    return ordered


def subtree(assignment: Assignment) -> list[Assignment]:
    """``assignment`` and everything delegated from it, depth-first."""
    return _under(assignment, tree(_root_of(assignment)))


def _root_of(assignment: Assignment) -> Assignment:
    return assignment.root if assignment.root_id and assignment.root_id != assignment.pk else assignment


def _under(assignment: Assignment, rows: list[Assignment]) -> list[Assignment]:
    out: list[Assignment] = []
    for row in rows:
        if out and row.depth <= assignment.depth:
            break
        if out or row.pk == assignment.pk:
            out.append(row)
    return out


@dataclass
class TreeForUser:
    """The part of a delegation tree one user is shown: ``rows`` depth-first, ``visible`` the ones he may open.

    ``rows`` are the assignments he may see and the path from the root down to each (where his task came
    from); a branch with nothing of his is left out whole, with its texts and history.
    """

    rows: list[Assignment]
    visible: set[int]

    @property
    def ids(self) -> set[int]:
        return {row.pk for row in self.rows}


def tree_for_user(*, user, root: Assignment) -> TreeForUser:
    """The delegation tree of ``root``'s order as ``user`` may see it (see ``TreeForUser``)."""
    from krai.orders.selectors import assignments_visible_to  # (selectors re-exports this module)

    rows = tree(_root_of(root))
    visible = set(assignments_visible_to(user).filter(root_id=root.root_id or root.pk).values_list("pk", flat=True))
    by_id = {row.pk: row for row in rows}
    shown: set[int] = set()
    for pk in visible:
        node = by_id.get(pk)
        while node is not None and node.pk not in shown:
            shown.add(node.pk)
            node = by_id.get(node.parent_id)
    return TreeForUser(rows=[row for row in rows if row.pk in shown], visible=visible)


def subtree_for_user(*, user, assignment: Assignment, shown: TreeForUser | None = None) -> list[Assignment]:
    """``assignment`` and what was delegated from it, as far as ``user`` may see it (``shown``: his tree,
    when the caller has it already)."""
    return _under(assignment, (shown or tree_for_user(user=user, root=assignment)).rows)


def history(assignment: Assignment, *, whole_tree: bool = False) -> QuerySet[Transition]:
    qs = Transition.objects.select_related("actor", "executor_organisation", "executor_user", "assignment")
    if whole_tree:
        return qs.filter(assignment__root_id=assignment.root_id or assignment.pk)
    return qs.filter(assignment=assignment)


def tree_history_for_user(*, user, root: Assignment, shown: TreeForUser | None = None) -> QuerySet[Transition]:
    """The history of the rows of ``root``'s tree that ``user`` is shown (none of a hidden branch)."""
    shown = shown or tree_for_user(user=user, root=root)
    if not shown.rows:
        return Transition.objects.none()
    return history(root, whole_tree=True).filter(assignment_id__in=sorted(shown.ids))
