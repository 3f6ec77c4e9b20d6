"""Every assignment's ancestors in one table (a closure table), so that "below what a person holds or gave"
is an index lookup instead of a recursive walk down the delegation trees.

A row (ancestor, descendant) exists for every strict ancestor of every delegated assignment: the parent, the
parent's parent, … up to the top-level one. A node never moves in its tree (a reassignment changes who
executes it, not where it hangs), so the rows are written once, when the child is created, in the same
transaction (``Assignment.save``), and never updated. Bulk loads that bypass ``save`` (the demo, the
benchmark) call ``AssignmentAncestor.rebuild()``. Imported by ``krai.orders.models`` (this is its model).
"""

from __future__ import annotations

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _


class AssignmentAncestor(models.Model):
    """``ancestor`` lies above ``descendant`` in its control tree (at any distance)."""

    ancestor = models.ForeignKey("orders.Assignment", on_delete=models.CASCADE, related_name="+")
    # (indexed first in the unique pair below, so no index of its own)
    descendant = models.ForeignKey("orders.Assignment", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        app_label = "orders"
        verbose_name = _("assignment ancestor")
        verbose_name_plural = _("assignment ancestors")
        # (descendant, ancestor) serves the visibility's per-row probe "is any ancestor of this row his?";
        # the ancestor's own index (the foreign key's) serves "everything below these rows"
        constraints = [models.UniqueConstraint(fields=["descendant", "ancestor"], name="orders_asg_ancestor_pair")]

    def __str__(self) -> str:
        return f"{self.ancestor_id} > {self.descendant_id}"

    @classmethod
    def link(cls, child) -> None:
        """Record the ancestors of a just-created delegated ``child``: its parent and the parent's ancestors."""
        if child.parent_id is None:
            return
        above = list(cls.objects.filter(descendant_id=child.parent_id).values_list("ancestor_id", flat=True))
        cls.objects.bulk_create([cls(ancestor_id=a, descendant_id=child.pk) for a in [child.parent_id, *above]])

    @classmethod
    def rebuild(cls) -> int:
        """Recompute the whole table from the assignments' parents, depth by depth (set-based SQL on either
        engine: one statement per level of the deepest tree). Returns the number of rows."""
        from krai.orders.models import Assignment

        table, asg = (connection.ops.quote_name(m._meta.db_table) for m in (cls, Assignment))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (model table names only)
            cursor.execute(f"INSERT INTO {table} (ancestor_id, descendant_id) "  # noqa: S608
                           f"SELECT parent_id, id FROM {asg} WHERE parent_id IS NOT NULL")
            deepest = Assignment.objects.aggregate(m=models.Max("depth"))["m"] or 0
            for depth in range(2, deepest + 1):  # a row's ancestors are its parent's, whose rows exist by now
                cursor.execute(f"INSERT INTO {table} (ancestor_id, descendant_id) "  # noqa: S608
                               f"SELECT c.ancestor_id, a.id FROM {asg} a "
                               f"JOIN {table} c ON c.descendant_id = a.parent_id WHERE a.depth = %s", [depth])
        return cls.objects.count()
