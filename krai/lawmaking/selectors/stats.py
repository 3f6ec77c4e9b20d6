"""Statistics of law-making, in total and per responsible body: initiatives by stage, participants, comments,
amendments, reactions on time and late, reactions owed and overdue. Only published initiatives count; filters:
the period (by ``published_at``), the level, the municipality.

Every figure is an aggregate query grouped by body (a handful of queries whatever the number of initiatives);
participants — distinct people over six kinds of taking part — are a ``UNION`` of (body, person) pairs counted
distinct by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from krai.core.comments.models import Comment
from krai.lawmaking.models import Amendment, Annotation, Answer, Initiative, Reaction, Review, Stage, Support

#: the stages a published initiative can be at (a concept is never published)
STAT_STAGES: list[Stage] = [Stage.DISCUSSION, Stage.ELABORATION, Stage.EXPERTISE, Stage.REACTION, Stage.CLOSED,
                            Stage.STOPPED]
COUNTS = ("total", "participants", "comments", "amendments_proposed", "amendments_accepted", "reactions",
          "reactions_on_time", "reactions_late", "reactions_owed", "reactions_overdue")


@dataclass
class Row:
    """The figures of one body (``body_id`` set) or of all of them."""

    body_id: int | None = None
    body_name: str = ""
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_STAGES, 0))
    total: int = 0
    participants: int = 0
    comments: int = 0
    amendments_proposed: int = 0
    amendments_accepted: int = 0
    reactions: int = 0
    reactions_on_time: int = 0
    reactions_late: int = 0
    reactions_owed: int = 0
    reactions_overdue: int = 0


@dataclass
class Statistics:
    totals: Row
    bodies: list[Row]


def published(*, date_from: date | None = None, date_to: date | None = None, level: str = "",
              municipality: Any = None) -> QuerySet[Initiative]:
    """The published initiatives the statistics count, filtered."""
    rows = Initiative.objects.filter(published_at__isnull=False)
    if date_from:
        rows = rows.filter(published_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(published_at__date__lte=date_to)
    if level:
        rows = rows.filter(level=level)
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    return rows


def _comments(base: QuerySet[Initiative]) -> QuerySet[Comment]:
    """Visible kernel comments on the initiatives of ``base``, each with its initiative's body as ``initiative_body``
    (``object_id`` is text: the initiatives' ids are compared as text, never the other way round)."""
    keyed = base.annotate(key=Cast("pk", CharField()))
    return (Comment.objects.filter(content_type=ContentType.objects.get_for_model(Initiative), is_hidden=False,
                                   object_id__in=keyed.values("key"))
            .annotate(initiative_body=Subquery(keyed.filter(key=OuterRef("object_id")).values("responsible_body_id")[:1])))


def _pairs(base: QuerySet[Initiative]) -> QuerySet[Any]:
    """(body, person) of everyone who took part: supported, answered, commented, annotated, proposed an
    amendment, reviewed — distinct (``UNION``)."""
    ids = base.values("pk")
    parts = [
        Support.objects.filter(initiative__in=ids).annotate(b=F("initiative__responsible_body_id"), u=F("user_id")),
        Answer.objects.filter(question__initiative__in=ids, hidden_at__isnull=True)
        .annotate(b=F("question__initiative__responsible_body_id"), u=F("author_id")),
        _comments(base).annotate(b=F("initiative_body"), u=F("author_id")),
        Annotation.objects.filter(initiative__in=ids, hidden_at__isnull=True)
        .annotate(b=F("initiative__responsible_body_id"), u=F("author_id")),
        Amendment.objects.filter(initiative__in=ids, hidden_at__isnull=True)
        .annotate(b=F("initiative__responsible_body_id"), u=F("author_id")),
        Review.objects.filter(initiative__in=ids, hidden_at__isnull=True)
        .annotate(b=F("initiative__responsible_body_id"), u=F("expert_id")),
    ]
    parts = [part.filter(u__isnull=False).order_by().values_list("b", "u") for part in parts]
    return parts[0].union(*parts[1:])


def _participants(base: QuerySet[Initiative]) -> tuple[dict[int, int], int]:
    """Distinct participants per body and in total (a person active at two bodies counts once in the total)."""
    sql, params = _pairs(base).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.b, COUNT(DISTINCT p.u) FROM ({sql}) p GROUP BY p.b", params)  # noqa: S608
        per_body = {row[0]: row[1] for row in cursor.fetchall()}
        cursor.execute(f"SELECT COUNT(DISTINCT p.u) FROM ({sql}) p", params)  # noqa: S608
        total = cursor.fetchone()[0]
    return per_body, total


def statistics(*, date_from: date | None = None, date_to: date | None = None, level: str = "",
               municipality: Any = None) -> Statistics:
    """Totals and per-body figures of the published initiatives matching the filters (bodies by name)."""
    base = published(date_from=date_from, date_to=date_to, level=level, municipality=municipality)
    today = timezone.localdate()
    rows: dict[int, Row] = {}
    stage_counts = {f"s_{stage}": Count("pk", filter=Q(stage=stage)) for stage in STAT_STAGES}
    for item in (base.order_by().values("responsible_body_id", "responsible_body__name")
                 .annotate(total=Count("pk"), owed=Count("pk", filter=Q(stage=Stage.REACTION)),
                           overdue=Count("pk", filter=Q(stage=Stage.REACTION, stage_due__lt=today)),
                           **stage_counts)):
        row = Row(body_id=item["responsible_body_id"], body_name=item["responsible_body__name"],
                  total=item["total"], reactions_owed=item["owed"], reactions_overdue=item["overdue"],
                  stages={stage: item[f"s_{stage}"] for stage in STAT_STAGES})
        rows[row.body_id] = row
    ids = base.values("pk")
    reactions = (Reaction.objects.filter(initiative__in=ids).annotate(day=TruncDate("decided_at")).order_by()
                 .values("initiative__responsible_body_id")
                 .annotate(given=Count("pk"), on_time=Count("pk", filter=Q(due__isnull=True) | Q(day__lte=F("due"))),
                           late=Count("pk", filter=Q(due__isnull=False, day__gt=F("due")))))
    for item in reactions:
        row = rows[item["initiative__responsible_body_id"]]
        row.reactions, row.reactions_on_time, row.reactions_late = item["given"], item["on_time"], item["late"]
    amendments = (Amendment.objects.filter(initiative__in=ids, hidden_at__isnull=True).order_by()
                  .values("initiative__responsible_body_id")
                  .annotate(proposed=Count("pk"), accepted=Count("pk", filter=Q(status=Amendment.Status.ACCEPTED))))
    for item in amendments:
        row = rows[item["initiative__responsible_body_id"]]
        row.amendments_proposed, row.amendments_accepted = item["proposed"], item["accepted"]
    for item in _comments(base).order_by().values("initiative_body").annotate(n=Count("pk")):
        rows[item["initiative_body"]].comments += item["n"]
    for item in (Annotation.objects.filter(initiative__in=ids, hidden_at__isnull=True).order_by()
                 .values("initiative__responsible_body_id").annotate(n=Count("pk"))):
        rows[item["initiative__responsible_body_id"]].comments += item["n"]
    per_body, participants = _participants(base)
    for body_id, count in per_body.items():
        rows[body_id].participants = count
    bodies = sorted(rows.values(), key=lambda row: (row.body_name.lower(), row.body_id))
    totals = Row(participants=participants)
    for row in bodies:
        for name in COUNTS:
            if name != "participants":
                setattr(totals, name, getattr(totals, name) + getattr(row, name))
        for stage, count in row.stages.items():
            totals.stages[stage] += count
    return Statistics(totals=totals, bodies=bodies)
