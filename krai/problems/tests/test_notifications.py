"""Authors and endorsers are told about their problems, once per event."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.problems import services
from krai.problems.subscribers import tell_people


def test_author_and_endorsers_are_told(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма возле детского сада, глубокая")
    problem = services.problem_publish(actor=world["moderator"], problem=problem)
    published = Event.objects.get(kind="problems.published")
    tell_people(published)
    tell_people(published)  # delivered twice: told once
    assert Notification.objects.filter(user=world["resident"], kind="problems.published").count() == 1
    services.problem_endorse(actor=world["neighbour"], problem=problem)
    services.problem_answer(actor=world["executor"], problem=problem, answer="planned", text="Летом",
                            planned_date=timezone.localdate() + dt.timedelta(days=30), programme="Дороги")
    tell_people(Event.objects.get(kind="problems.answered"))
    told = Notification.objects.filter(kind="problems.answered")
    assert set(told.values_list("user_id", flat=True)) == {world["resident"].pk, world["neighbour"].pk}
    assert "Дороги" in told.first().body


def test_rejection_tells_the_reason(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Купите наши окна недорого, звоните")
    services.problem_reject(actor=world["moderator"], problem=problem, reason="Реклама")
    tell_people(Event.objects.get(kind="problems.rejected"))
    assert Notification.objects.get(user=world["resident"]).body == "Реклама"


def test_followers_are_told_and_endorsing_follows(world, client):
    from krai.org.tests.factories import UserFactory
    from krai.problems.models import Subscription

    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма возле детского сада, глубокая")
    with pytest.raises((ValidationError, PermissionDenied)):
        services.problem_subscribe(actor=world["neighbour"], problem=problem)  # not published yet
    problem = services.problem_publish(actor=world["moderator"], problem=problem)
    follower = UserFactory()
    client.force_login(follower)
    assert client.post(f"/api/v1/problems/{problem.pk}/follow/").status_code == 204
    services.problem_endorse(actor=world["neighbour"], problem=problem)
    assert Subscription.objects.filter(problem=problem).count() == 2
    services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Готово")
    tell_people(Event.objects.get(kind="problems.answered"))
    told = set(Notification.objects.filter(kind="problems.answered").values_list("user_id", flat=True))
    assert told == {world["resident"].pk, world["neighbour"].pk, follower.pk}
    assert client.delete(f"/api/v1/problems/{problem.pk}/follow/").status_code == 204
    assert not Subscription.objects.filter(user=follower).exists()
