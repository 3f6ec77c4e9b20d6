"""Several executors on the voice page and in the voice API: the draft shows each with the words that named him, the
form a field for every co-executor (one the phrase named but nobody matched clearly is chosen or left out on
purpose, never dropped unseen), and the draft order is made with the first as lead executor and the others as
co-executors, each with his organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from krai.orders.models import Order
from krai.orders.tests.factories import government
from krai.planner.tests.voice_audio import staff

pytestmark = pytest.mark.django_db
URL, PARSE = "/workspace/planner/voice/", "/api/v1/planner/voice/parse/"
PHRASE = "assign Ivanov and Petrov to prepare a note on the roads by friday"


@pytest.fixture
def gov(settings):
    settings.KRAI_VOICE_ENGINE, settings.KRAI_VOICE_BROWSER_RECOGNITION = "pocketsphinx", False
    gov = government()
    gov.people = staff(gov.health)
    return gov


def _confirm(gov, **values):
    deadline = timezone.localdate() + timedelta(days=5)
    base = {"action": "confirm", "text": PHRASE, "intent": "order", "title": "prepare a note on the roads",
            "priority": "ordinary", "key": "k1", "executor": gov.people["Иванов"].pk, "executor_words": "Ivanov",
            "deadline": deadline.isoformat()}
    return {**base, **values}


def test_the_draft_shows_every_executor_beside_the_words_that_named_him(client, gov):
    client.force_login(gov.governor)
    page = client.post(URL, {"action": "read", "text": PHRASE})
    assert page.status_code == 200
    html = page.content.decode()
    ivanov, petrov = gov.people["Иванов"], gov.people["Петров"]
    assert "“Ivanov” →" in html and "“Petrov” →" in html
    assert ivanov.full_name in html and petrov.full_name in html and "co-executor" in html
    form = page.context["confirm"]
    assert form.initial["executor"] == ivanov.pk and form.initial["co_executor_0"] == petrov.pk
    assert form.initial["executor_words"] == "Ivanov" and form["co_words_0"].value() == "Petrov"
    assert 'name="co_executor_0"' in html and 'name="co_leave_0"' in html and 'name="executor_words"' in html
    assert Order.objects.count() == 0


def test_an_unknown_co_executor_is_asked_for_on_the_page(client, gov):
    client.force_login(gov.governor)
    html = client.post(URL, {"action": "read", "text": "assign Ivanov and Smith to prepare a note by friday"}
                       ).content.decode()
    assert 'id="krai-voice-missing"' in html and "who “Smith” is (a co-executor)" in html
    assert "Co-executor (“Smith”)" in html


def test_confirming_makes_the_order_with_its_co_executors_in_their_organisations(client, gov):
    client.force_login(gov.governor)
    answer = client.post(URL, _confirm(gov, co_words_0="Финансисту", co_executor_0=gov.finance_head.pk,
                                       co_words_1="Начальнику", co_executor_1=gov.unit_head.pk))
    assert answer.status_code == 302, answer.content.decode()
    order = Order.objects.get()
    assert order.is_draft and order.lead_user == gov.people["Иванов"] and order.lead_organisation == gov.health
    assert {(c.organisation_id, c.user_id) for c in order.co_executors.all()} == {
        (gov.finance.pk, gov.finance_head.pk), (gov.unit.pk, gov.unit_head.pk)}


def test_a_co_executor_the_phrase_named_is_chosen_or_left_out_on_purpose(client, gov):
    client.force_login(gov.governor)
    answer = client.post(URL, _confirm(gov, co_words_0="Smith"))
    assert answer.status_code == 400
    assert "Who is “Smith”? Choose the co-executor, or leave them out." in answer.content.decode()
    assert Order.objects.count() == 0
    answer = client.post(URL, _confirm(gov, co_words_0="Smith", co_leave_0="on"))
    assert answer.status_code == 302 and not Order.objects.get().co_executors.exists()


def test_co_executors_in_the_lead_executors_organisation_or_twice_are_refused(client, gov):
    client.force_login(gov.governor)
    same = client.post(URL, _confirm(gov, co_words_0="Petrov", co_executor_0=gov.people["Петров"].pk))
    assert same.status_code == 400 and "an order names each organisation once" in same.content.decode()
    twice = client.post(URL, _confirm(gov, co_words_0="Ivanov", co_executor_0=gov.people["Иванов"].pk))
    assert twice.status_code == 400 and "already an executor of this order" in twice.content.decode()
    assert Order.objects.count() == 0


def test_a_task_ignores_the_co_executor_fields(client, gov):
    client.force_login(gov.governor)
    answer = client.post(URL, _confirm(gov, intent="task", co_words_0="Smith"))
    assert answer.status_code == 302 and Order.objects.count() == 0


def test_the_api_answers_every_executor_with_his_words(client, gov):
    client.force_login(gov.governor)
    answer = client.post(PARSE, {"text": "assign Ivanov, Petrov and Smith to prepare a note by friday",
                                 "language": "en"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["executor_words"] == ["Ivanov", "Petrov", "Smith"]
    assert [named["person"]["id"] if named["person"] else None for named in body["executors"]] == [
        gov.people["Иванов"].pk, gov.people["Петров"].pk, None]
    assert body["executor"]["id"] == gov.people["Иванов"].pk and body["missing"] == ["executor"]
