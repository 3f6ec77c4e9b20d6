"""Residents are told of answers and deadlines on their phones: a resident subscribes this browser (the devices
page's post, the installed app through the API), his report is published with its deadline, an official answers
it, and the push job sends each notification to the test push service once — even when the job runs twice; the
deadline moved later reaches him too. With push switched off for problems nothing is pushed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from krai.core.events.dispatch import deliver_pending
from krai.core.notifications import services as notifications
from krai.core.notifications import tasks
from krai.core.notifications.models import Notification
from krai.core.notifications.tests.push_fixtures import run_push_job, use_vapid
from krai.core.notifications.tests.push_receiver import FakeBrowser, PushService
from krai.problems import engine, services


@pytest.fixture
def service(settings):
    """A push service on 127.0.0.1, and VAPID keys for this installation."""
    use_vapid(settings)
    with PushService() as running:
        yield running


def subscribe_on_the_page(client: Client, user, browser: FakeBrowser, endpoint: str) -> None:
    client.force_login(user)
    json = browser.subscription_json(endpoint)
    answer = client.post("/notifications/devices/subscribe/", {
        "endpoint": json["endpoint"], "p256dh": json["keys"]["p256dh"], "auth": json["keys"]["auth"],
        "user_agent": "Chrome on Android"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 201, answer.content


def subscribe_in_the_app(client: Client, user, browser: FakeBrowser, endpoint: str) -> None:
    client.force_login(user)
    answer = client.post("/api/v1/notifications/push/", browser.subscription_json(endpoint),
                         content_type="application/json")
    assert answer.status_code == 201, answer.content


def report(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма возле детского сада, глубокая")
    problem = services.problem_publish(actor=world["moderator"], problem=problem)
    deliver_pending()
    return problem


def test_the_author_and_a_follower_get_the_answer_on_their_phones_once(world, client, service):
    phone, neighbours_app = FakeBrowser(), FakeBrowser()
    subscribe_on_the_page(client, world["resident"], phone, service.endpoint("resident"))
    subscribe_in_the_app(client, world["neighbour"], neighbours_app, service.endpoint("neighbour"))
    problem = report(world)
    run_push_job()
    [published] = [phone.decrypt(m.body) for m in service.messages if m.path == "/push/resident"]
    told = Notification.objects.get(user=world["resident"], kind="problems.published")
    assert published["title"] == told.title and str(problem.pk) in told.title
    assert problem.due_date.strftime("%d.%m.%Y") in published["body"]  # the deadline, set
    services.problem_endorse(actor=world["neighbour"], problem=problem)
    services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Яму заделали")
    deliver_pending()
    run_push_job()
    run_push_job()  # the job again, and the sweep: nothing more
    tasks.sweep_pushes()
    answered = Notification.objects.get(user=world["resident"], kind="problems.answered")
    by_path = {}
    for message in service.messages:
        by_path.setdefault(message.path, []).append(message)
    assert len(by_path["/push/resident"]) == 2 and len(by_path["/push/neighbour"]) == 1
    shown = phone.decrypt(by_path["/push/resident"][1].body)
    assert shown == {"title": answered.title, "body": "Яму заделали",
                     "url": f"/problems/{problem.pk}/", "tag": f"notification-{answered.pk}"}
    assert neighbours_app.decrypt(by_path["/push/neighbour"][0].body)["url"] == f"/problems/{problem.pk}/"
    assert answered.push_state == Notification.Push.SENT


def test_push_switched_off_for_problems_pushes_nothing(world, client, service):
    subscribe_on_the_page(client, world["resident"], FakeBrowser(), service.endpoint())
    notifications.set_preference(user=world["resident"], kind="problems", channel="push", enabled=False)
    problem = report(world)
    services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Яму заделали")
    deliver_pending()
    run_push_job()
    tasks.sweep_pushes()
    assert service.messages == []
    assert Notification.objects.filter(user=world["resident"], kind="problems.answered", in_app=True).exists()


def test_a_rejection_reaches_the_authors_phone(world, client, service):
    phone = FakeBrowser()
    subscribe_on_the_page(client, world["resident"], phone, service.endpoint())
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Купите наши окна недорого, звоните")
    services.problem_reject(actor=world["moderator"], problem=problem, reason="Реклама")
    deliver_pending()
    run_push_job()
    [message] = service.messages
    assert phone.decrypt(message.body)["body"] == "Реклама"


@pytest.mark.skipif(not engine.available(), reason="the orders area's control engine is missing")
def test_the_author_is_told_when_the_answers_deadline_is_moved(world, client, service):
    import importlib

    control = importlib.import_module("krai.orders.services")
    phone = FakeBrowser()
    subscribe_on_the_page(client, world["resident"], phone, service.endpoint())
    problem = report(world)
    assignment = engine.assignment_for(problem)
    later = assignment.deadline + dt.timedelta(days=14)
    control.control_extend(actor=None, assignment=assignment, deadline=later, reason="Нужна техника")
    deliver_pending()
    deliver_pending()  # delivered again: told once
    told = Notification.objects.get(user=world["resident"], kind="problems.deadline_extended")
    assignment.refresh_from_db()
    problem.refresh_from_db()
    assert problem.due_date == assignment.deadline
    assert assignment.deadline.strftime("%d.%m.%Y") in told.title and told.url == f"/problems/{problem.pk}/"
    run_push_job()
    assert [phone.decrypt(m.body)["title"] for m in service.messages][-1] == told.title
