"""The moderators' queue and a report's page: moderators only, grouped and filtered, and the one audited path
by which a moderator reads a message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.core.events.models import Event
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign
from krai.social import services
from krai.social.models import AbuseReport
from krai.social.tests.test_moderation_base import conversation_of, moderator_user, say, scene  # noqa: F401


def _executor():
    user = StaffFactory()
    assign(user, Role.EXECUTOR)
    return user


def test_the_queue_and_its_pages_are_404_to_everyone_but_moderators(client, scene):  # noqa: F811
    report = services.report_create(actor=scene["reader"], target=scene["publication"], reason="spam")
    urls = [reverse("social:moderation"), reverse("social:moderation_report", args=[report.pk]),
            reverse("social:bans"), reverse("social-reports"), reverse("social-report", args=[report.pk]),
            reverse("social-bans")]
    for person in (scene["reader"], scene["author"], _executor()):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [404] * len(urls)
        assert not person.has_perm("social.moderate")
    client.force_login(scene["moderator"])
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    assert scene["moderator"].has_perm("social.moderate")
    holder = UserFactory()  # a moderator by the Django permission, not a staff role
    from django.contrib.auth.models import Permission

    holder.user_permissions.add(Permission.objects.get(codename="change_abusereport"))
    holder = type(holder).objects.get(pk=holder.pk)
    assert holder.has_perm("social.moderate")


def test_the_queue_groups_reports_by_object_oldest_first_and_filters(client, scene):  # noqa: F811
    others = [UserFactory() for _ in range(3)]
    services.report_create(actor=scene["reader"], target=scene["album"], reason="spam")
    for person in others:
        services.report_create(actor=person, target=scene["publication"], reason="abuse")
    services.report_create(actor=scene["reader"], target=scene["publication"], reason="hate")
    client.force_login(scene["moderator"])
    rows = client.get(reverse("social:moderation")).context["rows"]
    assert [(row.kind, row.count) for row in rows] == [("album", 1), ("publication", 4)]
    assert len(rows[1].reasons) == 2
    rows = client.get(reverse("social:moderation"), {"reason": "hate"}).context["rows"]
    assert [(row.kind, row.count) for row in rows] == [("publication", 4)]
    rows = client.get(reverse("social:moderation"), {"kind": "album"}).context["rows"]
    assert [row.kind for row in rows] == ["album"]
    api = client.get(reverse("social-reports"), {"kind": "publication"}).json()
    assert [(r["kind"], r["count"]) for r in api["results"]] == [("publication", 4)]


def test_opening_a_message_report_is_recorded_and_shows_only_its_context(client, scene):  # noqa: F811
    conversation = scene["conversation"]
    earlier = [say(conversation, scene["reader"], f"раньше-{n}", minutes_ago=10 + n) for n in range(7)]
    elsewhere = conversation_of(scene["author"], UserFactory())
    say(elsewhere, scene["author"], "в другой беседе")
    report = services.report_create(actor=scene["reader"], target=scene["message"], reason="abuse")
    moderator = scene["moderator"]
    client.force_login(moderator)
    assert not Event.objects.filter(kind="social.message_inspected").exists()

    page = client.get(reverse("social:moderation_report", args=[report.pk]))

    assert page.status_code == 200
    event = Event.objects.get(kind="social.message_inspected")
    shown = [m.pk for m in page.context["conversation"]]
    assert event.actor_id == moderator.pk and event.subject_id == str(report.pk)
    assert event.payload == {"report_id": report.pk, "message_ids": shown}
    assert "раньше" not in str(event.payload) and "Грубое" not in str(event.payload)
    # the five before it (the nearest), then the reported one; nothing from another conversation
    assert shown == [m.pk for m in sorted(earlier[:5], key=lambda m: m.created_at)] + [scene["message"].pk]
    text = page.content.decode()
    assert "Грубое сообщение автора" in text and "раньше-4" in text
    assert "раньше-5" not in text and "в другой беседе" not in text
    # every opening is recorded, by the API alike
    client.get(reverse("social-report", args=[report.pk]))
    assert Event.objects.filter(kind="social.message_inspected").count() == 2


def test_a_moderator_in_the_conversation_sees_nothing_more(client, scene):  # noqa: F811
    moderator = scene["moderator"]
    conversation = conversation_of(scene["author"], moderator)
    for n in range(8):
        say(conversation, moderator, f"модератор-{n}", minutes_ago=20 - n)
    bad = say(conversation, scene["author"], "оскорбление")
    report = services.report_create(actor=moderator, target=bad, reason="abuse")
    client.force_login(moderator)
    shown = client.get(reverse("social:moderation_report", args=[report.pk])).context["conversation"]
    assert len(shown) == 6 and shown[-1] == bad


def test_without_a_report_about_it_no_staff_path_shows_a_message(client, scene):  # noqa: F811
    superuser = StaffFactory(is_superuser=True)
    client.force_login(superuser)
    for url in ("/admin/social/message/", f"/admin/social/message/{scene['message'].pk}/change/",
                "/admin/social/conversation/"):
        assert client.get(url).status_code == 404, url
    # a report about something else opens no message, and records no opening
    report = services.report_create(actor=scene["reader"], target=scene["publication"], reason="spam")
    page = client.get(reverse("social:moderation_report", args=[report.pk]))
    assert "Грубое" not in page.content.decode() and page.context["conversation"] == []
    assert "messages" not in client.get(reverse("social-report", args=[report.pk])).json()
    # a handled message report no longer opens it
    handled = services.report_create(actor=scene["reader"], target=scene["message"], reason="abuse")
    services.report_dismiss(actor=superuser, report=handled)
    page = client.get(reverse("social:moderation_report", args=[handled.pk]))
    assert "Грубое" not in page.content.decode()
    assert not Event.objects.filter(kind="social.message_inspected").exists()


def test_message_inspect_refuses_non_moderators(scene):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    report = services.report_create(actor=scene["reader"], target=scene["message"], reason="abuse")
    with pytest.raises(PermissionDenied):
        services.message_inspect(actor=scene["reader"], report=report)
    assert AbuseReport.objects.get().status == "open"
    assert not Event.objects.filter(kind="social.message_inspected").exists()
