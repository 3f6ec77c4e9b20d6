"""The statistics of "Find out" works per responsible body: works, completed on time and late, slipping now, the
ratings' number and average.

One definition of each figure serves the statistics and the list its number links to (``works.public_works`` with
its ``outcome``), so a number on the statistics page is the length of that list:

* on time — completed with ``actual_end <= planned_end``; late — completed after ``planned_end``;
* slipping now — not completed, and its planned end passed, or its planned start passed unstarted;
* the average rating — all ratings of the body's works over their number (as problems' statistics count it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from krai.construction.models import WorkStatus
from krai.construction.selectors.works import late_q, on_time_q, public_works, slipping_q


@dataclass
class BodyRow:
    """The figures of one responsible body (``body_id`` set) or of all of them."""

    body_id: int | None = None
    body_name: str = ""
    works: int = 0
    completed: int = 0
    on_time: int = 0
    late: int = 0
    slipping: int = 0
    ratings: int = 0
    ratings_total: int = 0

    @property
    def rating(self) -> float | None:
        return round(self.ratings_total / self.ratings, 2) if self.ratings else None


@dataclass
class Statistics:
    totals: BodyRow
    bodies: list[BodyRow] = field(default_factory=list)


COUNTED = ("works", "completed", "on_time", "late", "slipping", "ratings", "ratings_total")


def body_statistics(*, date_from: date | None = None, date_to: date | None = None, municipality: Any = None,
                    kind: str = "") -> Statistics:
    """Per responsible body (by name): works, completed on time and late, slipping now, the ratings' number and
    average — over the works ``public_works`` lists with the same filters."""
    base = public_works(municipality=municipality, kind=kind, date_from=date_from, date_to=date_to)
    today = timezone.localdate()
    grouped = (base.order_by().values("responsible_body_id", "responsible_body__name")
               .annotate(works=Count("pk"), completed=Count("pk", filter=Q(status=WorkStatus.COMPLETED)),
                         on_time=Count("pk", filter=on_time_q()), late=Count("pk", filter=late_q()),
                         slipping=Count("pk", filter=slipping_q(today)),
                         ratings=Sum("ratings_count"), ratings_total=Sum("ratings_total")))
    bodies = [BodyRow(body_id=r["responsible_body_id"], body_name=r["responsible_body__name"], works=r["works"],
                      completed=r["completed"], on_time=r["on_time"], late=r["late"], slipping=r["slipping"],
                      ratings=r["ratings"] or 0, ratings_total=r["ratings_total"] or 0) for r in grouped]
    bodies.sort(key=lambda row: (row.body_name.lower(), row.body_id))
    totals = BodyRow()
    for row in bodies:
        for name in COUNTED:
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return Statistics(totals=totals, bodies=bodies)
