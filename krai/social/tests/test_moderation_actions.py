"""A moderator's decisions: hide and restore, dismiss, ban and lift — every open report on the object closed,
reporters and authors told, bans enforced by the shared check and by the other parts' services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from krai.core.comments.models import Comment
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.social import policy, services
from krai.social.models import AbuseReport, Ban, Message, Photo, Publication
from krai.social.tests.test_moderation_base import moderator_user, scene  # noqa: F401 — the fixture


def _reports(scene, target, n=2):  # noqa: F811
    people = [scene["reader"], *[UserFactory() for _ in range(n - 1)]]
    return [services.report_create(actor=p, target=target, reason="abuse") for p in people]


def test_hiding_a_publication_closes_every_report_and_tells_everyone(client, scene):  # noqa: F811
    publication, author, moderator = scene["publication"], scene["author"], scene["moderator"]
    reports = _reports(scene, publication, 3)
    services.report_create(actor=scene["reader"], target=scene["album"], reason="spam")  # another object

    services.content_hide(actor=moderator, target=publication, reason="Оскорбления")

    publication.refresh_from_db()
    assert publication.is_hidden and publication.hidden_reason == "Оскорбления"
    assert publication.hidden_by_id == moderator.pk
    closed = AbuseReport.objects.filter(pk__in=[r.pk for r in reports])
    assert {(r.status, r.handled_by_id, r.decision_note) for r in closed} == {("actioned", moderator.pk,
                                                                                 "Оскорбления")}
    assert AbuseReport.objects.filter(status="open").count() == 1
    told = Notification.objects.filter(kind="social.report_handled")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(r.reporter_id for r in reports)
    hidden_note = Notification.objects.get(kind="social.content_hidden")
    assert hidden_note.user_id == author.pk and "Оскорбления" in hidden_note.body
    event = Event.objects.get(kind="social.content_hidden")
    assert event.payload["reports"] == [r.pk for r in reports] and event.actor_id == moderator.pk
    # hidden: nobody but the author (and moderators) sees it
    assert not policy.may_see_content(scene["reader"], publication)
    assert policy.may_see_content(author, publication) and policy.may_see_content(moderator, publication)
    try:
        url = reverse("social:publication", args=[publication.pk])
    except NoReverseMatch:
        url = None
    if url:
        client.force_login(scene["reader"])
        assert client.get(url).status_code == 404
        client.force_login(author)
        assert client.get(url).status_code == 200

    services.content_restore(actor=moderator, target=publication)
    publication.refresh_from_db()
    assert not publication.is_hidden and publication.hidden_reason == "" and publication.hidden_by is None
    assert policy.may_see_content(scene["reader"], publication)
    assert Event.objects.filter(kind="social.content_restored").count() == 1


def test_hiding_a_message_a_comment_a_photo_and_an_album(scene):  # noqa: F811
    moderator = scene["moderator"]
    for kind in ("message", "comment", "photo", "album"):
        _reports(scene, scene[kind], 1)
        services.content_hide(actor=moderator, target=scene[kind], reason="Нарушение")
    assert Message.objects.get(pk=scene["message"].pk).hidden_reason == "Нарушение"
    comment = Comment.objects.get(pk=scene["comment"].pk)
    assert comment.is_hidden and comment.hidden_reason == "Нарушение"
    assert Event.objects.filter(kind="comments.comment_hidden").exists()
    assert not AbuseReport.objects.filter(status="open").exists()
    with pytest.raises(ValidationError):  # an account is banned, not hidden
        services.content_hide(actor=moderator, target=scene["author"], reason="x")
    with pytest.raises(ValidationError):  # a reason is required
        services.content_hide(actor=moderator, target=scene["publication"], reason=" ")


def test_only_moderators_decide(scene):  # noqa: F811
    report = _reports(scene, scene["publication"], 1)[0]
    for person in (scene["reader"], scene["author"], StaffFactory()):
        with pytest.raises(PermissionDenied):
            services.content_hide(actor=person, target=scene["publication"], reason="x")
        with pytest.raises(PermissionDenied):
            services.report_dismiss(actor=person, report=report)
        with pytest.raises(PermissionDenied):
            services.ban_create(actor=person, user=scene["author"], reason="x",
                                ends_at=timezone.now() + timedelta(days=1))
    assert not Publication.objects.get(pk=scene["publication"].pk).is_hidden
    assert AbuseReport.objects.get().status == "open" and not Ban.objects.exists()


def test_dismissing_closes_every_open_report_on_the_object(client, scene):  # noqa: F811
    reports = _reports(scene, scene["photo"], 2)
    client.force_login(scene["moderator"])
    answer = client.post(reverse("social:moderation_report", args=[reports[1].pk]),
                         {"action": "dismiss", "dismiss-note": "Нарушения нет"})
    assert answer.status_code == 302
    assert set(AbuseReport.objects.values_list("status", "decision_note")) == {("dismissed", "Нарушения нет")}
    assert Notification.objects.filter(kind="social.report_handled").count() == 2
    assert not Photo.objects.get(pk=scene["photo"].pk).is_hidden
    with pytest.raises(ValidationError):
        services.report_dismiss(actor=scene["moderator"], report=AbuseReport.objects.first())


def test_a_ban_stops_writing_until_it_ends_and_the_lift(client, scene):  # noqa: F811
    author, moderator = scene["author"], scene["moderator"]
    report = _reports(scene, scene["publication"], 1)[0]
    client.force_login(moderator)
    ends = timezone.localtime() + timedelta(days=7)
    answer = client.post(reverse("social:moderation_report", args=[report.pk]), {
        "action": "ban", "ban-reason": "Систематические оскорбления", "ban-ends_at": ends.strftime("%Y-%m-%dT%H:%M")})
    assert answer.status_code == 302, answer.context["forms"]["ban"].errors
    ban = Ban.objects.get()
    assert ban.user_id == author.pk and ban.report_id == report.pk and ban.created_by_id == moderator.pk
    assert AbuseReport.objects.get().status == "actioned"
    assert Notification.objects.get(kind="social.banned").user_id == author.pk

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        policy.ensure_may_act(author)
    assert "banned from the community until" in caught.value.messages[0]
    assert "Систематические оскорбления" in caught.value.messages[0]
    # the other parts' services refuse him with the same message
    with pytest.raises(ValidationError):
        services.publication_create(actor=author, body="Новый пост")
    with pytest.raises(ValidationError):
        services.message_send(actor=author, conversation=scene["conversation"], body="Привет")
    assert not Publication.objects.filter(body="Новый пост").exists()
    assert Message.objects.filter(sender=author).count() == 1
    # after its end he may write again
    assert policy.active_ban(author, now=ban.ends_at + timedelta(seconds=1)) is None
    Ban.objects.filter(pk=ban.pk).update(starts_at=timezone.now() - timedelta(days=8),
                                         ends_at=timezone.now() - timedelta(seconds=1))
    policy.ensure_may_act(author)
    Ban.objects.filter(pk=ban.pk).update(ends_at=timezone.now() + timedelta(days=1))
    assert policy.active_ban(author) is not None

    # the bans page lists it, and lifting it there lets him write at once
    page = client.get(reverse("social:bans"))
    assert ban in list(page.context["active"])
    client.post(reverse("social:ban_lift", args=[ban.pk]), {"reason": "Ошибка"})
    ban.refresh_from_db()
    assert ban.lifted_at is not None and ban.lifted_by_id == moderator.pk
    policy.ensure_may_act(author)
    services.publication_create(actor=author, body="Снова пишу")
    with pytest.raises(ValidationError):
        services.ban_lift(actor=moderator, ban=ban, reason="ещё раз")
    assert Event.objects.filter(kind="social.ban_lifted", payload__reason="Ошибка").count() == 1


def test_what_a_ban_may_not_be(scene):  # noqa: F811
    moderator, author = scene["moderator"], scene["author"]
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.ban_create(actor=moderator, user=moderator_user(), reason="x", ends_at=soon)
    with pytest.raises(PermissionDenied):
        services.ban_create(actor=moderator, user=StaffFactory(), reason="x", ends_at=soon)
    with pytest.raises(ValidationError):
        services.ban_create(actor=moderator, user=author, reason="x", ends_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.ban_create(actor=moderator, user=author, reason="x", ends_at=timezone.now() + timedelta(days=2000))
    with pytest.raises(ValidationError):
        services.ban_create(actor=moderator, user=author, reason="", ends_at=soon)
    other_report = services.report_create(actor=author, target=scene["reader"], reason="spam")
    with pytest.raises(ValidationError):
        services.ban_create(actor=moderator, user=author, reason="x", ends_at=soon, report=other_report)
    assert not Ban.objects.exists()


def test_the_api_resolves_bans_and_lifts(client, scene):  # noqa: F811
    moderator = scene["moderator"]
    hide = _reports(scene, scene["album"], 1)[0]
    ban = _reports(scene, scene["comment"], 1)[0]
    client.force_login(scene["reader"])
    refused = client.post(reverse("social-report-resolve", args=[hide.pk]), {"action": "dismiss"},
                          content_type="application/json")
    assert refused.status_code == 404
    client.force_login(moderator)
    answer = client.post(reverse("social-report-resolve", args=[hide.pk]), {"action": "hide", "reason": "Спам"},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "actioned"
    missing = client.post(reverse("social-report-resolve", args=[ban.pk]), {"action": "ban", "reason": "x"},
                          content_type="application/json")
    assert missing.status_code == 400  # no end date
    until = (timezone.now() + timedelta(days=3)).isoformat()
    answer = client.post(reverse("social-report-resolve", args=[ban.pk]),
                         {"action": "ban", "reason": "Спам", "ends_at": until}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    bans = client.get(reverse("social-bans")).json()["results"]
    assert [b["user"] for b in bans] == [scene["author"].pk]
    lifted = client.post(reverse("social-ban-lift", args=[bans[0]["id"]]), {"reason": "Ошибка"},
                         content_type="application/json")
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    other = UserFactory()
    created = client.post(reverse("social-bans"), {"user": other.pk, "reason": "Спам", "ends_at": until},
                          content_type="application/json")
    assert created.status_code == 201 and Ban.objects.filter(user=other).exists()
    staff = client.post(reverse("social-bans"), {"user": StaffFactory().pk, "reason": "x", "ends_at": until},
                        content_type="application/json")
    assert staff.status_code == 403


def test_after_hiding_the_moderator_may_still_ban_the_author_from_the_same_report(client, scene):  # noqa: F811
    author, moderator = scene["author"], scene["moderator"]
    report = _reports(scene, scene["publication"], 1)[0]
    client.force_login(moderator)
    url = reverse("social:moderation_report", args=[report.pk])
    hidden = client.post(url, {"action": "hide", "hide-reason": "Реклама"})
    assert hidden.status_code == 302 and AbuseReport.objects.get().status == "actioned"
    assert client.get(url).context["may_ban"]  # the report is closed, the author not banned yet
    ends = timezone.localtime() + timedelta(days=7)
    banned = client.post(url, {"action": "ban", "ban-reason": "Спам", "ban-ends_at": ends.strftime("%Y-%m-%dT%H:%M")})
    assert banned.status_code == 302 and Ban.objects.get().user_id == author.pk
    assert not client.get(url).context["may_ban"]  # banned already: no second ban offered
