"""The dashboard's pre-counted cells of top-level assignments: ``TopLoad`` (the load by deadline) and ``TopMonth``
(the monthly trend), kept exact by ``Assignment.save`` in the writer's transaction and rebuilt from the rows.

Both are keyed by who gave the assignment as well as where it sits (block, body), so that a vice-governor's
view — his blocks, plus what he gave outside them — is read from the cells too. Their size is bounded by
bodies × issuers × days (or months), not by the number of assignments. Imported by ``krai.orders.models``
(these are its models); bulk loads that bypass ``save`` (the demo, the benchmark) and the nightly job call
``TopLoad.rebuild()``, which recounts both.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

#: the ``deadline`` of TopLoad's cells of executed rows (their deadline matters only through ``late``)
TOP_LOAD_CLOSED = date(1970, 1, 1)


def _bump(model: type[models.Model], key: dict, column: str, by: int) -> None:
    """Add ``by`` to one column of one cell, making the cell on its first +1 (a concurrent first insert retries
    as an update: the unique key on the cell serialises the two)."""
    if model.objects.filter(**key).update(**{column: F(column) + by}) or by < 0:
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **{column: by})
    except IntegrityError:  # another transaction made the cell first
        model.objects.filter(**key).update(**{column: F(column) + by})


class TopLoad(models.Model):
    """The top-level load of the dashboard pre-counted: how many top-level assignments (cancelled ones aside)
    fall in each cell of (block, body, issuer, open?, deadline if open, executed late?).

    The region and block levels of an unfiltered dashboard read it instead of counting every top-level row.
    ``block_id`` / ``body_id`` / ``issuer_id`` are plain numbers (0: none), so that a cell is a unique key.
    """

    block_id = models.IntegerField()
    body_id = models.IntegerField()
    issuer_id = models.IntegerField(default=0)
    is_open = models.BooleanField()
    deadline = models.DateField()
    late = models.BooleanField()
    n = models.IntegerField(default=0)

    FIELDS = ("block_id", "body_id", "issuer_id", "is_open", "deadline", "late")

    class Meta:
        app_label = "orders"
        verbose_name = _("dashboard count")
        verbose_name_plural = _("dashboard counts")
        constraints = [models.UniqueConstraint(fields=["block_id", "body_id", "issuer_id", "is_open", "deadline",
                                                       "late"], name="orders_topload_cell")]

    def __str__(self) -> str:
        return f"{self.block_id}/{self.body_id}/{self.issuer_id}: {self.n}"

    @staticmethod
    def key_of(a) -> tuple | None:
        """An assignment's cell (None: not counted — delegated or cancelled)."""
        from krai.orders.models import OPEN_STATUSES, Status

        if a.parent_id is not None or a.status == Status.CANCELLED:
            return None
        is_open = a.status in OPEN_STATUSES
        late = a.status == Status.DONE and a.completed_on is not None and a.completed_on > a.deadline
        return (a.block_id or 0, a.body_id or 0, a.issuer_id or 0, is_open,
                a.deadline if is_open else TOP_LOAD_CLOSED, late)

    @classmethod
    def move(cls, was: tuple | None, now: tuple | None) -> None:
        if was is not None:
            _bump(cls, dict(zip(cls.FIELDS, was, strict=True)), "n", -1)
        if now is not None:
            _bump(cls, dict(zip(cls.FIELDS, now, strict=True)), "n", 1)

    @classmethod
    def rebuild(cls) -> int:
        """Recount every cell of ``TopLoad`` and ``TopMonth`` from the assignments (after a bulk load; nightly,
        to undo any drift); returns the number of ``TopLoad`` cells."""
        from django.db.models import Case, Count, Value, When
        from django.db.models.functions import Coalesce

        from krai.orders.models import OPEN_STATUSES, Status

        rows = (_top_rows()
                .annotate(op=Case(When(status__in=OPEN_STATUSES, then=Value(True)), default=Value(False)),
                          dl=Case(When(status__in=OPEN_STATUSES, then=F("deadline")), default=Value(TOP_LOAD_CLOSED)),
                          lt=Case(When(status=Status.DONE, completed_on__gt=F("deadline"), then=Value(True)),
                                  default=Value(False)),
                          i=Coalesce("issuer_id", Value(0)))
                .values("b", "o", "i", "op", "dl", "lt").annotate(n=Count("id")).order_by())
        cells = [cls(block_id=r["b"], body_id=r["o"], issuer_id=r["i"], is_open=r["op"], deadline=r["dl"],
                     late=r["lt"], n=r["n"]) for r in rows]
        months = TopMonth.recount()
        with transaction.atomic():
            cls.objects.all().delete()
            cls.objects.bulk_create(cells, batch_size=2000)
            TopMonth.objects.all().delete()
            TopMonth.objects.bulk_create(months, batch_size=2000)
        return len(cells)


def _top_rows():
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    from krai.orders.models import Assignment, Status

    return (Assignment.objects.filter(parent__isnull=True).exclude(status=Status.CANCELLED)
            .annotate(b=Coalesce("block_id", Value(0)), o=Coalesce("body_id", Value(0))))


def _month(day: date) -> date:
    return date(day.year, day.month, 1)


class TopMonth(models.Model):
    """The monthly trend pre-counted: per (block, body, issuer, month) how many top-level assignments (cancelled
    ones aside) were given that month, executed that month, and of those executed after their deadline."""

    block_id = models.IntegerField()
    body_id = models.IntegerField()
    issuer_id = models.IntegerField()
    month = models.DateField()  # its first day
    given = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    FIELDS = ("block_id", "body_id", "issuer_id", "month")

    class Meta:
        app_label = "orders"
        verbose_name = _("dashboard trend count")
        verbose_name_plural = _("dashboard trend counts")
        constraints = [models.UniqueConstraint(fields=["block_id", "body_id", "issuer_id", "month"],
                                               name="orders_topmonth_cell")]

    def __str__(self) -> str:
        return f"{self.block_id}/{self.body_id}/{self.issuer_id} {self.month:%Y-%m}: {self.given}"

    @staticmethod
    def marks_of(a) -> tuple:
        """What an assignment adds to the trend: (column, block, body, issuer, month) marks (none when it is
        delegated or cancelled)."""
        from krai.orders.models import Status

        if a.parent_id is not None or a.status == Status.CANCELLED:
            return ()
        where = (a.block_id or 0, a.body_id or 0, a.issuer_id or 0)
        marks = [("given", *where, _month(a.issued_on))]
        if a.status == Status.DONE and a.completed_on is not None:
            marks.append(("done", *where, _month(a.completed_on)))
            if a.completed_on > a.deadline:
                marks.append(("late", *where, _month(a.completed_on)))
        return tuple(marks)

    @classmethod
    def move(cls, was: tuple, now: tuple) -> None:
        old, new = Counter(was), Counter(now)
        for marks, by in ((old - new, -1), (new - old, 1)):
            for (column, *key), times in marks.items():
                _bump(cls, dict(zip(cls.FIELDS, key, strict=True)), column, by * times)

    @classmethod
    def recount(cls) -> list[TopMonth]:
        """Every cell counted from the assignments (unsaved: ``TopLoad.rebuild`` writes them)."""
        from django.db.models import Count, Q, Value
        from django.db.models.functions import Coalesce, TruncMonth

        from krai.orders.models import Status

        cells: dict[tuple, TopMonth] = {}

        def cell(r: dict) -> TopMonth:
            key = (r["b"], r["o"], r["i"], r["m"].date() if hasattr(r["m"], "date") else r["m"])
            if key not in cells:
                cells[key] = cls(**dict(zip(cls.FIELDS, key, strict=True)))
            return cells[key]

        rows = _top_rows().annotate(i=Coalesce("issuer_id", Value(0)))
        for r in rows.annotate(m=TruncMonth("issued_on")).values("b", "o", "i", "m").annotate(n=Count("id")
                                                                                               ).order_by():
            cell(r).given = r["n"]
        for r in (rows.filter(status=Status.DONE, completed_on__isnull=False).annotate(m=TruncMonth("completed_on"))
                  .values("b", "o", "i", "m")
                  .annotate(n=Count("id"), lt=Count("id", filter=Q(completed_on__gt=F("deadline")))).order_by()):
            c = cell(r)
            c.done, c.late = r["n"], r["lt"]
        return list(cells.values())
