"""The voice order page: the phrase read into a draft shown for confirmation; an order becomes a DRAFT order opened on
the orders' own form (never issued here), a task a planner task; what is missing is asked for; staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from krai.orders.models import Assignment, Order
from krai.orders.tests.factories import government
from krai.org.tests.factories import UserFactory
from krai.planner.models import Entry
from krai.planner.tests.voice_audio import staff

pytestmark = pytest.mark.django_db
URL = "/workspace/planner/voice/"


@pytest.fixture
def gov(settings):
    settings.KRAI_VOICE_ENGINE, settings.KRAI_VOICE_BROWSER_RECOGNITION = "pocketsphinx", False
    gov = government()
    gov.people = staff(gov.health)
    return gov


def _confirm(**values):
    base = {"action": "confirm", "text": "assign Ivanov to prepare a note on the roads by friday", "intent": "order",
            "title": "prepare a note on the roads", "priority": "ordinary", "key": "k1"}
    return {**base, **values}


def test_the_page_offers_recording_on_the_server_and_typing(client, gov):
    client.force_login(gov.governor)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="krai-voice-record"' in html and 'id="krai-voice-text"' in html
    assert "planner/voice.js" in html and 'data-recognise-url="/api/v1/planner/voice/recognise/"' in html
    assert "does not leave the network" in html
    assert "krai-voice-browser" not in html  # the browser's recognition is off unless the region allows it


def test_the_browsers_recognition_is_offered_only_when_allowed_and_says_where_audio_goes(client, gov, settings):
    settings.KRAI_VOICE_BROWSER_RECOGNITION = True
    client.force_login(gov.governor)
    html = client.get(URL).content.decode()
    assert 'id="krai-voice-browser"' in html and "sends your voice to the browser's vendor" in html


def test_with_server_recognition_off_only_typing_is_offered(client, gov, settings):
    settings.KRAI_VOICE_ENGINE = ""
    client.force_login(gov.governor)
    html = client.get(URL).content.decode()
    assert 'id="krai-voice-record"' not in html and 'id="krai-voice-text"' in html


def test_a_phrase_is_shown_as_a_draft_with_the_form_prefilled(client, gov):
    client.force_login(gov.governor)
    page = client.post(URL, {"action": "read", "text": "assign Ivanov to prepare a note on the roads by friday"})
    assert page.status_code == 200
    html = page.content.decode()
    ivanov = gov.people["Иванов"]
    assert "Create draft order" in html and ivanov.full_name in html
    form = page.context["confirm"]
    assert form.initial["executor"] == ivanov.pk and form.initial["intent"] == "order"
    assert form.initial["deadline"].weekday() == 4 and "roads" in form.initial["title"]
    assert Order.objects.count() == 0  # reading creates nothing


def test_a_phrase_without_a_deadline_asks_for_it(client, gov):
    client.force_login(gov.governor)
    page = client.post(URL, {"action": "read", "text": "assign Petrov to prepare a report on the budget"})
    assert page.status_code == 200
    assert 'id="krai-voice-missing"' in page.content.decode() and "by when (the deadline)" in page.content.decode()


def test_confirming_an_order_makes_a_draft_and_opens_the_orders_form(client, gov):
    client.force_login(gov.governor)
    ivanov = gov.people["Иванов"]
    deadline = timezone.localdate() + timedelta(days=5)
    answer = client.post(URL, _confirm(executor=ivanov.pk, deadline=deadline.isoformat()))
    order = Order.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/workspace/orders/order/{order.pk}/edit/"
    assert order.is_draft and order.issuer == gov.governor
    assert order.lead_user == ivanov and order.lead_organisation == gov.health and order.deadline == deadline
    assert order.title == "prepare a note on the roads" and order.controller_organisation == gov.control
    assert Assignment.objects.count() == 0  # not issued: nobody was given anything yet
    form = client.get(answer["Location"])
    assert form.status_code == 200 and "prepare a note on the roads" in form.content.decode()


def test_an_order_without_executor_or_deadline_is_not_made(client, gov):
    client.force_login(gov.governor)
    answer = client.post(URL, _confirm())
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Who is to do it? Choose the executor." in html and "By when? Give the deadline." in html
    assert Order.objects.count() == 0


def test_a_task_is_added_to_the_planner_once(client, gov):
    client.force_login(gov.governor)
    deadline = timezone.localdate() + timedelta(days=3)
    values = _confirm(intent="task", title="call the ministry of health", deadline=deadline.isoformat(), key="t1")
    first = client.post(URL, values)
    again = client.post(URL, values)
    entry = Entry.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/workspace/planner/entries/{entry.pk}/"
    assert again["Location"] == first["Location"]
    assert entry.owner == gov.governor and entry.kind == Entry.Kind.TASK and entry.source == Entry.Source.VOICE
    assert timezone.localtime(entry.starts_at).date() == deadline and entry.all_day
    assert Order.objects.count() == 0


def test_residents_may_not_dictate_and_visitors_are_sent_to_log_in(client, gov):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(URL, _confirm(intent="task")).status_code == 403
    assert Entry.objects.count() == 0
