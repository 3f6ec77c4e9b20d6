"""The map pre-aggregated: ``MapCell`` (published problems per cell of the finest cluster grid) and ``MapBucket``
(the same per municipality and filter subset), so that far-out map views sum a few rows instead of counting every
problem. Kept exact by the services (``krai.problems.grid``, ``krai.problems.buckets``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MapCell(models.Model):
    """The map pre-aggregated: published problems per cell of the finest cluster grid (``grid.GRID_ZOOM``).

    A far-out map view sums these few rows instead of counting a million problems. Kept exact by the
    services that publish or merge a problem (``krai.problems.grid``); ``krai problems_map_grid`` rebuilds it.
    """

    gx = models.IntegerField()
    gy = models.IntegerField()
    n = models.PositiveIntegerField(default=0)
    sum_lat = models.FloatField(default=0)
    sum_lon = models.FloatField(default=0)
    min_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("map cell")
        verbose_name_plural = _("map cells")
        constraints = [models.UniqueConstraint(fields=["gx", "gy"], name="problems_mapcell_once")]

    def __str__(self) -> str:
        return f"{self.gx}:{self.gy} ({self.n})"


class MapBucket(models.Model):
    """The filtered map pre-aggregated: published problems per grid cell, municipality and each subset of
    (theme, status, day of creation) — the ``level``'s bits say which of the three the row keeps (the rest
    hold 0, "" and 0001-01-01). A filtered far-out view reads only the level of exactly its filters, so a
    status alone reads one row per cell and status, not one per theme and day too (``krai.problems.buckets``).
    """

    # the key is the primary key (no id column, no index of ids: the table has millions of rows)
    pk = models.CompositePrimaryKey("zoom", "level", "gx", "gy", "municipality_id", "category_id", "status", "day")
    zoom = models.PositiveSmallIntegerField()  # of the grid: 12, or 8 for the far-out views' coarse copy
    level = models.PositiveSmallIntegerField()
    gx = models.IntegerField()
    gy = models.IntegerField()
    municipality_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    status = models.CharField(max_length=16)
    day = models.DateField()
    n = models.IntegerField(default=0)
    sum_lat = models.FloatField(default=0)
    sum_lon = models.FloatField(default=0)
    # the sum of the ids: where a view's cell holds one problem, this is its id, and it stays exact when a
    # problem leaves (a minimum would have to be searched for again)
    sum_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("map bucket")
        verbose_name_plural = _("map buckets")
        # a filter's values, then the dates, then the box (the query names the constant columns too)
        indexes = [models.Index(fields=["zoom", "level", "category_id", "day", "gx", "gy"],
                                name="problems_bucket_theme"),
                   models.Index(fields=["zoom", "level", "status", "day", "gx", "gy"], name="problems_bucket_status")]

    def __str__(self) -> str:
        return f"{self.level}:{self.gx}:{self.gy} ({self.n})"
