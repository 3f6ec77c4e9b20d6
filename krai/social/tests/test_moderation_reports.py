"""Reporting: each kind of object, who may report what, one open report per person and object, the daily limit,
the page and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from krai.core.events.models import Event
from krai.org.tests.factories import UserFactory
from krai.social import services
from krai.social.models import AbuseReport, Ban, Publication, UserBlock
from krai.social.selectors import moderation as selectors
from krai.social.tests.test_moderation_base import scene, target_for  # noqa: F401 — the fixture

KINDS = ["publication", "album", "photo", "comment", "message", "profile"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_can_be_reported_and_names_the_author(scene, kind):  # noqa: F811
    target = target_for(scene, kind)
    report = services.report_create(actor=scene["reader"], target=target, reason="abuse",
                                    details="Секретные подробности")
    assert report.status == "open" and report.target_owner_id == scene["author"].pk
    assert report.object_id == str(target.pk)
    event = Event.objects.get(kind="social.report_created", subject_id=str(report.pk))
    assert event.payload == {"reason": "abuse", "target_type": kind, "target_id": str(target.pk)}
    assert "Секретные" not in str(event.payload)  # the details stay in the report


def test_a_second_open_report_on_the_same_object_is_refused(scene):  # noqa: F811
    services.report_create(actor=scene["reader"], target=scene["publication"], reason="spam")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.report_create(actor=scene["reader"], target=scene["publication"], reason="abuse")
    assert caught.value.messages == ["You have already reported this."]
    assert AbuseReport.objects.count() == 1
    # another person may report it too, and once handled the same person may report it again
    services.report_create(actor=UserFactory(), target=scene["publication"], reason="spam")
    AbuseReport.objects.update(status="dismissed")
    services.report_create(actor=scene["reader"], target=scene["publication"], reason="abuse")
    assert AbuseReport.objects.filter(status="open").count() == 1


def test_only_a_participant_may_report_a_message(scene):  # noqa: F811
    outsider = UserFactory()
    with pytest.raises(Http404):
        services.report_create(actor=outsider, target=scene["message"], reason="abuse")
    with pytest.raises(Http404):
        selectors.report_target(user=outsider, kind="message", pk=scene["message"].pk)
    assert not AbuseReport.objects.exists()


def test_what_the_reporter_may_not_see_is_404(scene):  # noqa: F811
    private = Publication.objects.create(author=scene["author"], body="Для подписчиков", audience="followers")
    with pytest.raises(Http404):
        services.report_create(actor=scene["reader"], target=private, reason="spam")
    with pytest.raises(Http404):
        selectors.report_target(user=scene["reader"], kind="publication", pk="999999")
    with pytest.raises(Http404):
        selectors.report_target(user=scene["reader"], kind="order", pk=scene["publication"].pk)
    UserBlock.objects.create(blocker=scene["author"], blocked=scene["reader"])
    with pytest.raises(Http404):
        services.report_create(actor=scene["reader"], target=scene["publication"], reason="spam")


def test_nobody_reports_himself_and_a_banned_person_cannot_report(scene):  # noqa: F811
    with pytest.raises(ValidationError):
        services.report_create(actor=scene["author"], target=scene["publication"], reason="spam")
    Ban.objects.create(user=scene["reader"], reason="спам", ends_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        services.report_create(actor=scene["reader"], target=scene["publication"], reason="spam")
    assert caught.value.code == "banned"
    assert not AbuseReport.objects.exists()


def test_the_daily_limit(scene, settings):  # noqa: F811
    settings.KRAI_SOCIAL_REPORTS_PER_DAY = 2
    services.report_create(actor=scene["reader"], target=scene["publication"], reason="spam")
    services.report_create(actor=scene["reader"], target=scene["album"], reason="spam")
    with pytest.raises(ValidationError) as caught:
        services.report_create(actor=scene["reader"], target=scene["photo"], reason="spam")
    assert caught.value.code == "rate_limited"
    AbuseReport.objects.update(created_at=timezone.now() - timedelta(days=2))
    services.report_create(actor=scene["reader"], target=scene["photo"], reason="spam")


def test_the_report_page_then_thanks_with_a_block_link(client, scene):  # noqa: F811
    url = reverse("social:report", args=["publication", scene["publication"].pk])
    assert client.get(url).status_code == 302  # signed out: to the login page
    client.force_login(scene["reader"])
    page = client.get(url)
    assert page.status_code == 200 and b'name="reason"' in page.content
    answer = client.post(url, {"reason": "hate", "details": "угрозы"})
    assert answer.status_code == 302 and answer["Location"].endswith("/done/")
    report = AbuseReport.objects.get()
    assert (report.reason, report.details, report.reporter_id) == ("hate", "угрозы", scene["reader"].pk)
    thanks = client.get(answer["Location"])
    assert thanks.status_code == 200
    assert reverse("social:block", args=[scene["author"].pk]).encode() in thanks.content
    again = client.get(url)
    assert b'name="reason"' not in again.content  # already reported: no second form
    assert client.get(reverse("social:report", args=["message", 999999])).status_code == 404
    assert client.get(reverse("social:report", args=["nonsense", 1])).status_code == 404


def test_the_report_page_for_a_message_shows_no_other_text(client, scene):  # noqa: F811
    client.force_login(scene["reader"])
    page = client.get(reverse("social:report", args=["message", scene["message"].pk]))
    assert page.status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("social:report", args=["message", scene["message"].pk])).status_code == 404


def test_the_api_takes_a_report_from_anyone_signed_in(client, scene):  # noqa: F811
    url = reverse("social-reports")
    body = {"kind": "comment", "id": str(scene["comment"].pk), "reason": "spam", "details": ""}
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)
    client.force_login(scene["reader"])
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "comment"
    duplicate = client.post(url, body, content_type="application/json")
    assert duplicate.status_code == 400
    hidden = client.post(url, {**body, "kind": "message", "id": "999999"}, content_type="application/json")
    assert hidden.status_code == 404
    assert client.get(url).status_code == 404  # the queue is the moderators'
