"""The discussion's pages: its block on the initiative's page, the forms' endpoints (back to the page with a message,
refusals as messages), and "my subscriptions" with its filters."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from krai.lawmaking.models import Answer, Question, Stage, Subscription, Support
from krai.lawmaking.services import discussion
from krai.lawmaking.tests.factories import coordinator, initiative
from krai.org.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _last(response) -> str:
    """The message the last request added (a test client keeps earlier, unread ones in the session)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_the_block_shows_progress_and_the_support_button() -> None:
    item = initiative(support_threshold=4)
    discussion.support_add(actor=UserFactory(), initiative=item)
    page = client_for().get(reverse("lawmaking:detail", args=[item.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="discussion"' in html
    assert "1 supporter of 4 needed" in html and 'aria-valuenow="25"' in html
    assert "Sign in to support" in html
    page = client_for(UserFactory()).get(reverse("lawmaking:detail", args=[item.pk]))
    assert "Support the initiative" in page.content.decode()
    assert reverse("lawmaking:subscribe", args=[item.pk]) in page.content.decode()


def test_support_through_the_page_and_back_with_messages() -> None:
    item = initiative(support_threshold=5)
    person = UserFactory()
    client = client_for(person)
    url = reverse("lawmaking:support", args=[item.pk])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(f"/lawmaking/{item.pk}/#discussion")
    assert _last(response) == "Thank you: your support is counted."
    response = client.post(url)
    assert _last(response) == "You already support this initiative."
    assert Support.objects.filter(initiative=item).count() == 1
    response = client.post(url, {"undo": "1"})
    assert _last(response) == "Your support is withdrawn." and not Support.objects.exists()
    response = client_for(item.initiator).post(url)
    assert _last(response) == "You cannot support your own initiative."
    assert not Support.objects.exists()


def test_refusals_come_in_the_users_language() -> None:
    item = initiative()
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(item.initiator)
    response = client.post(reverse("lawmaking:support", args=[item.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    with translation.override("ru"):  # the area's catalogue (the English text until it is merged)
        expected = translation.gettext("You cannot support your own initiative.")
    assert messages == [expected]


def test_support_of_a_hidden_or_missing_initiative_is_404() -> None:
    client = client_for(UserFactory())
    assert client.post(reverse("lawmaking:support", args=[initiative(Stage.CONCEPT).pk])).status_code == 404
    assert client.post(reverse("lawmaking:support", args=[99999])).status_code == 404


def test_questions_asked_answered_closed_and_hidden_through_the_page() -> None:
    item = initiative()
    asker = client_for(item.initiator)
    response = asker.post(reverse("lawmaking:question_ask", args=[item.pk]), {"text": "Сколько лавочек нужно?"})
    assert _last(response) == "Your question is published."
    question = Question.objects.get()
    response = client_for(UserFactory()).post(reverse("lawmaking:question_ask", args=[item.pk]), {"text": "Я?"})
    assert _last(response) == "Only the initiator or the draft's editor asks the public questions."
    resident = UserFactory()
    client = client_for(resident)
    response = client.post(reverse("lawmaking:answer", args=[question.pk]), {"text": "Четыре"})
    assert _last(response) == "Your answer is published."
    response = client.post(reverse("lawmaking:answer", args=[question.pk]), {"text": "Пять"})
    assert _last(response) == "Your answer is saved."
    html = client.get(reverse("lawmaking:detail", args=[item.pk])).content.decode()
    assert "Сколько лавочек нужно?" in html and "Пять" in html and "Change your answer" in html
    boss = client_for(coordinator())
    answer = Answer.objects.get()
    assert "Why the answer is hidden" in boss.get(reverse("lawmaking:detail", args=[item.pk])).content.decode()
    response = boss.post(reverse("lawmaking:answer_hide", args=[answer.pk]), {"reason": "Не по теме"})
    assert _last(response) == "The answer is hidden."
    assert "Пять" not in client_for().get(reverse("lawmaking:detail", args=[item.pk])).content.decode()
    response = asker.post(reverse("lawmaking:question_close", args=[question.pk]))
    assert _last(response) == "The question is closed."
    response = client.post(reverse("lawmaking:answer", args=[question.pk]), {"text": "Шесть"})
    assert _last(response) == "This question is closed: it takes no more answers."


def test_subscribe_and_the_subscriptions_page_with_filters() -> None:
    item = initiative()
    person = UserFactory()
    client = client_for(person)
    response = client.post(reverse("lawmaking:subscribe", args=[item.pk]))
    assert _last(response) == "You will be told of this initiative's steps."
    page = client.get(reverse("lawmaking:subscriptions"))
    html = page.content.decode()
    assert page.status_code == 200 and item.title in html and 'data-krai-picker="local"' in html
    town = MunicipalityFactory()
    response = client.post(reverse("lawmaking:subscriptions"), {"level": "", "municipality": town.pk, "field": ""})
    assert response.status_code == 302
    row = Subscription.objects.get(user=person, initiative__isnull=True)
    assert row.municipality == town and row.level == "municipal"
    assert town.name in client.get(reverse("lawmaking:subscriptions")).content.decode()
    page = client.post(reverse("lawmaking:subscriptions"), {"level": "regional", "municipality": town.pk})
    assert page.status_code == 400 and "Regional initiatives have no municipality" in page.content.decode()
    other = client_for(UserFactory())
    assert other.post(reverse("lawmaking:filter_remove", args=[row.pk])).status_code == 404
    response = client.post(reverse("lawmaking:filter_remove", args=[row.pk]))
    assert response.status_code == 302 and not Subscription.objects.filter(pk=row.pk).exists()
    response = client.post(reverse("lawmaking:subscribe", args=[item.pk]), {"undo": "1", "next": "subscriptions"})
    assert response["Location"] == reverse("lawmaking:subscriptions") and not Subscription.objects.exists()


def test_pages_need_signing_in() -> None:
    item = initiative()
    client = client_for()
    assert client.get(reverse("lawmaking:subscriptions")).status_code == 302
    assert client.post(reverse("lawmaking:support", args=[item.pk])).status_code == 302
    assert not Support.objects.exists()
