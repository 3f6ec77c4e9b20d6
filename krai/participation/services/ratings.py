"""Writes of government-service ratings: the registry (staff), residents' marks, the monthly ranks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.participation import periods
from krai.participation.models import GovService, ServiceRank, ServiceRankBuild, ServiceRating
from krai.participation.models.ratings import CRITERIA, MARK_MAX, MARK_MIN
from krai.participation.services._common import require, require_confirmed_resident

MAX_COMMENT = 2000


def prior_weight() -> int:
    """C of the Bayesian average: how many ratings at the month's mean every service is assumed to have."""
    weight = int(getattr(settings, "KRAI_RATING_PRIOR_WEIGHT", 10))
    if weight < 1:
        raise ImproperlyConfigured("KRAI_RATING_PRIOR_WEIGHT must be at least 1")
    return weight


@transaction.atomic
def service_create(*, actor, organisation, name: str, code: str = "", description: str = "",
                   url: str = "") -> GovService:
    """Add a service of ``organisation`` to the registry."""
    require(actor, "participation.add_govservice", message=_("Only an administrator adds services to the registry."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A service needs a name.")})
    code = slugify(code or "")[:64] or slugify(f"s-{organisation.pk}-{name}")[:64] or "service"
    base, n = code, 1
    while GovService.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:58]}-{n}"
    service = GovService(organisation=organisation, code=code, name=name[:400],
                         description=(description or "").strip(), url=(url or "").strip())
    service.full_clean()
    service.save()
    record_event(kind="participation.service_created", actor=actor, subject=service,
                 payload={"name": service.name, "organisation": organisation.pk})
    return service


@transaction.atomic
def service_update(*, actor, service: GovService, **fields: Any) -> GovService:
    """Change a service's name, description, link, or open/close it for ratings."""
    service = GovService.objects.select_for_update().select_related("organisation").get(pk=service.pk)
    require(actor, "participation.change_govservice", service, message=_("You do not manage this service."))
    allowed = {"name", "description", "url", "is_active"}
    if set(fields) - allowed:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(set(fields) - allowed))})
    for name, value in fields.items():
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.full_clean()
    service.save()
    record_event(kind="participation.service_updated", actor=actor, subject=service, payload=fields)
    return service


def _mark(errors: dict[str, Any], name: str, value: Any) -> int:
    try:
        number = int(value)
        if isinstance(value, bool) or str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        number = 0
    if not MARK_MIN <= number <= MARK_MAX:
        errors[name] = _("Give a mark from %(low)s to %(high)s.") % {"low": MARK_MIN, "high": MARK_MAX}
    return number


@transaction.atomic
def service_rate(*, actor, service: GovService, quality: Any, convenience: Any, speed: Any,
                 comment: str = "") -> ServiceRating:
    """Rate a service for the current month, or amend this month's rating (one per resident, service, month)."""
    require_confirmed_resident(actor, verb=_("rate a service"))
    require(actor, "participation.rate_service", service)
    service = GovService.objects.get(pk=service.pk)
    if not service.is_active:
        raise ValidationError(_("This service is closed for ratings."))
    errors: dict[str, Any] = {}
    marks = {name: _mark(errors, name, value)
             for name, value in (("quality", quality), ("convenience", convenience), ("speed", speed))}
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("At most %(n)s characters.") % {"n": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    month = periods.month_start(timezone.localdate())
    rating = ServiceRating.objects.select_for_update().filter(service=service, user=actor, month=month).first()
    created = rating is None
    if created:
        try:
            with transaction.atomic():
                rating = ServiceRating.objects.create(service=service, user=actor, month=month, comment=comment,
                                                      **marks)
        except IntegrityError:  # the same resident's other request got there first: amend that one
            rating = ServiceRating.objects.select_for_update().get(service=service, user=actor, month=month)
            created = False
    if not created:
        for name, value in marks.items():
            setattr(rating, name, value)
        rating.comment = comment
        rating.save()
    record_event(kind="participation.service_rated", actor=actor, subject=service,
                 payload={"month": month, "amended": not created, **marks})
    return rating


#: One month's ranks in one statement: the ratings unpivoted into (criterion, mark), counted and summed
#: per service, ranked by the Bayesian average (C·m + Σ marks) / (C + n), m being the month's mean mark.
RANKS_SQL = """
INSERT INTO {rank} (build_id, criterion, service_id, ratings, mean, score, position)
WITH marks AS (
    SELECT service_id, 'quality' AS criterion, quality * 1.0 AS mark FROM {rating} WHERE month = %(month)s
    UNION ALL SELECT service_id, 'convenience', convenience * 1.0 FROM {rating} WHERE month = %(month)s
    UNION ALL SELECT service_id, 'speed', speed * 1.0 FROM {rating} WHERE month = %(month)s
    UNION ALL SELECT service_id, 'overall', (quality + convenience + speed) / 3.0 FROM {rating}
              WHERE month = %(month)s
), per AS (
    SELECT criterion, service_id, COUNT(*) AS n, SUM(mark) AS total FROM marks GROUP BY criterion, service_id
), prior AS (
    SELECT criterion, SUM(total) / SUM(n) AS m FROM per GROUP BY criterion
), scored AS (
    SELECT per.criterion AS criterion, per.service_id AS service_id, per.n AS n, per.total / per.n AS mean,
           (%(weight)s * prior.m + per.total) / (%(weight)s + per.n) AS score
    FROM per JOIN prior ON prior.criterion = per.criterion
)
SELECT %(build)s, criterion, service_id, n, mean, score,
       RANK() OVER (PARTITION BY criterion ORDER BY score DESC)
FROM scored
"""


def service_ranks_build(*, actor, month: dt.date, now=None) -> ServiceRankBuild:
    """Build the ranks of a month that has ended (``actor=None``: the monthly job); refused if already built."""
    if actor is not None:
        require(actor, "participation.build_ranks", message=_("Only an administrator or a controller builds ranks."))
    month = periods.month_start(month)
    today = timezone.localdate(now or timezone.now())
    if periods.period_of(month, kind="month").end > today:
        raise ValidationError({"month": _("The month has not ended yet.")})
    with transaction.atomic():
        if ServiceRankBuild.objects.filter(month=month).exists():
            raise ValidationError({"month": _("The ranks of this month are already built; they never change.")})
        build = ServiceRankBuild.objects.create(month=month, prior_weight=prior_weight(),
                                                ratings_total=ServiceRating.objects.filter(month=month).count())
        sql = RANKS_SQL.format(rank=ServiceRank._meta.db_table, rating=ServiceRating._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, {"month": connection.ops.adapt_datefield_value(month), "weight": build.prior_weight,
                                 "build": build.pk})
        record_event(kind="participation.service_ranks_built", actor=actor, subject=build,
                     payload={"month": month, "ratings": build.ratings_total, "prior_weight": build.prior_weight})
    return build


def service_ranks_build_due(*, now=None) -> ServiceRankBuild | None:
    """Build last month's ranks if they are not built yet (the periodic job)."""
    today = timezone.localdate(now or timezone.now())
    last_month = periods.month_start(periods.month_start(today) - dt.timedelta(days=1))
    if ServiceRankBuild.objects.filter(month=last_month).exists():
        return None
    return service_ranks_build(actor=None, month=last_month, now=now)


assert CRITERIA  # the criteria above are the model's, plus "overall"
