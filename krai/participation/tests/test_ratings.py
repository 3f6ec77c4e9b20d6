import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from krai.core.events.models import Event
from krai.org.tests.factories import OrganisationFactory
from krai.participation import periods, services
from krai.participation.models import ImmutableError, ServiceRank, ServiceRankBuild, ServiceRating
from krai.participation.selectors import ratings as rating_selectors
from krai.participation.tests.factories import GovServiceFactory, ResidentFactory

pytestmark = pytest.mark.django_db

THIS_MONTH = periods.month_start(timezone.localdate())
AFTER = timezone.now() + dt.timedelta(days=62)


def rate(service, marks=(5, 4, 3), user=None, comment=""):
    quality, convenience, speed = marks
    return services.service_rate(actor=user or ResidentFactory(), service=service, quality=quality,
                                 convenience=convenience, speed=speed, comment=comment)


def test_a_resident_rates_a_service_once_a_month_and_may_amend_it(resident):
    service = GovServiceFactory()
    first = rate(service, (5, 4, 3), user=resident, comment="Быстро")
    assert (first.month, first.quality, first.convenience, first.speed) == (THIS_MONTH, 5, 4, 3)
    again = rate(service, (2, 2, 2), user=resident)
    assert again.pk == first.pk and (again.quality, again.comment) == (2, "")
    assert ServiceRating.objects.count() == 1
    assert Event.objects.filter(kind="participation.service_rated").count() == 2


@pytest.mark.parametrize("marks", [(6, 4, 3), (0, 4, 3), (5, -1, 3), (5, 4, "x"), (5, 4, 4.5), (5, 4, None),
                                   (5, 4, True)])
def test_a_mark_out_of_one_to_five_is_refused(resident, marks):
    service = GovServiceFactory()
    with pytest.raises(ValidationError) as refused:
        rate(service, marks, user=resident)
    bad = [name for name, mark in zip(("quality", "convenience", "speed"), marks, strict=True) if mark not in
           (1, 2, 3, 4, 5) or isinstance(mark, bool)]
    assert set(refused.value.message_dict) == set(bad)
    assert not ServiceRating.objects.exists() and not Event.objects.exists()


def test_the_database_refuses_a_six_by_itself(resident):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRating.objects.create(service=GovServiceFactory(), user=resident, month=THIS_MONTH, quality=6,
                                     convenience=1, speed=1)


def test_who_may_not_rate(town):
    service = GovServiceFactory()
    for actor in (AnonymousUser(), ResidentFactory(email_confirmed=False)):
        with pytest.raises(PermissionDenied):
            rate(service, user=actor)
    closed = GovServiceFactory(is_active=False)
    with pytest.raises(ValidationError):
        rate(closed)
    with pytest.raises(ValidationError):
        rate(service, comment="я" * 2001)
    assert not ServiceRating.objects.exists()


def bayes(ratings, prior_weight):
    """The monthly ranks by the formula in docs/participation.md, in Python."""
    marks = defaultdict(lambda: defaultdict(list))
    for r in ratings:
        for criterion, mark in (("quality", r.quality), ("convenience", r.convenience), ("speed", r.speed),
                                ("overall", (r.quality + r.convenience + r.speed) / 3)):
            marks[criterion][r.service_id].append(mark)
    out = {}
    for criterion, per_service in marks.items():
        everything = [m for ms in per_service.values() for m in ms]
        mean = sum(everything) / len(everything)
        scores = {s: (prior_weight * mean + sum(ms)) / (prior_weight + len(ms)) for s, ms in per_service.items()}
        for s, score in scores.items():
            position = 1 + sum(1 for other in scores.values() if other > score + 1e-9)
            out[(criterion, s)] = (len(per_service[s]), sum(per_service[s]) / len(per_service[s]), score, position)
    return out


def test_monthly_ranks_use_a_bayesian_average_so_three_ratings_do_not_beat_three_hundred(settings):
    settings.KRAI_RATING_PRIOR_WEIGHT = 10
    few, many, poor = GovServiceFactory(name="Три пятёрки"), GovServiceFactory(name="Много"), GovServiceFactory()
    for _ in range(3):
        rate(few, (5, 5, 5))
    for n in range(60):
        rate(many, (5, 5, 4) if n % 5 else (4, 4, 4))
    for _ in range(10):
        rate(poor, (2, 3, 2))
    build = services.service_ranks_build(actor=None, month=THIS_MONTH, now=AFTER)
    assert build.ratings_total == 73 and build.prior_weight == 10
    ranks = {(r.criterion, r.service_id): (r.ratings, r.mean, r.score, r.position)
             for r in ServiceRank.objects.filter(build=build)}
    expected = bayes(ServiceRating.objects.filter(month=THIS_MONTH), 10)
    assert ranks.keys() == expected.keys()
    for key, (n, mean, score, position) in expected.items():
        assert ranks[key][0] == n and ranks[key][3] == position, key
        assert ranks[key][1] == pytest.approx(mean) and ranks[key][2] == pytest.approx(score)
    # the plain mean puts the three fives first; the Bayesian average does not
    assert ranks[("quality", few.pk)][1] > ranks[("quality", many.pk)][1]
    assert ranks[("quality", many.pk)][3] == 1 and ranks[("quality", few.pk)][3] == 2
    assert ranks[("overall", poor.pk)][3] == 3


def test_service_ranks_are_built_once_after_the_month_and_never_change():
    rate(GovServiceFactory())
    with pytest.raises(ValidationError):
        services.service_ranks_build(actor=None, month=THIS_MONTH)
    build = services.service_ranks_build(actor=None, month=THIS_MONTH, now=AFTER)
    with pytest.raises(ValidationError):
        services.service_ranks_build(actor=None, month=THIS_MONTH, now=AFTER)
    with pytest.raises(ImmutableError):
        ServiceRank.objects.filter(build=build).update(position=99)
    assert ServiceRankBuild.objects.count() == 1


def test_the_history_of_monthly_positions(settings):
    a, b = GovServiceFactory(), GovServiceFactory()
    last_month = periods.month_start(THIS_MONTH - dt.timedelta(days=1))
    for user_marks in ((a, 5), (a, 5), (b, 2)):
        ServiceRating.objects.create(service=user_marks[0], user=ResidentFactory(), month=last_month,
                                     quality=user_marks[1], convenience=user_marks[1], speed=user_marks[1])
    services.service_ranks_build(actor=None, month=last_month)
    rate(a, (1, 1, 1))
    rate(b, (5, 5, 5))
    services.service_ranks_build(actor=None, month=THIS_MONTH, now=AFTER)
    history = [(r.build.month, r.position) for r in rating_selectors.rank_history(service=a)
               if r.criterion == "overall"]
    assert history == [(last_month, 1), (THIS_MONTH, 2)]


def test_an_organisation_sees_its_own_services_ratings_and_comments(organiser, department):
    own = GovServiceFactory(organisation=department)
    foreign = GovServiceFactory(organisation=OrganisationFactory())
    rate(own, (4, 4, 4), comment="Хорошо")
    rate(foreign, (1, 1, 1), comment="Плохо")
    summary = rating_selectors.organisation_view(user=organiser)
    assert [(s.service, s.ratings, s.quality) for s in summary] == [(own, 1, 4.0)]
    assert [r.comment for r in rating_selectors.service_comments(user=organiser, service=own)] == ["Хорошо"]
    with pytest.raises(Http404):
        rating_selectors.service_comments(user=organiser, service=foreign)


def test_only_administrators_add_services_and_owners_change_them(admin_user, organiser, department, resident):
    with pytest.raises(PermissionDenied):
        services.service_create(actor=organiser, organisation=department, name="Лицензия")
    service = services.service_create(actor=admin_user, organisation=department, name="Лицензия")
    services.service_update(actor=organiser, service=service, description="Выдача лицензий")
    with pytest.raises(PermissionDenied):
        services.service_update(actor=resident, service=service, is_active=False)
    with pytest.raises(ValidationError):
        services.service_create(actor=admin_user, organisation=department, name=" ")
