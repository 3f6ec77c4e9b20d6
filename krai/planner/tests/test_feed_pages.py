"""The feed and import pages and their API as a member of staff meets them: a feed address shown once and working,
the list, revoking after a confirmation, the import's preview then apply; others are refused and change nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krai.core.events.models import Event as DomainEvent
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner.models import Entry, FeedToken
from krai.planner.services import feed as services

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _no_areas(monkeypatch):
    monkeypatch.setattr(services, "agenda_items", lambda user, start, end: [])


@pytest.fixture
def official(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes(),
                              content_type="text/calendar")


def test_a_new_feed_address_is_shown_once_and_works(client, official):
    made = client.post(reverse("planner:feed"))
    assert made.status_code == 200
    page = made.content.decode()
    address = re.search(r'value="(http://testserver/planner/feed/[^"]+\.ics)"', page).group(1)
    assert 'data-krai-copy="krai-feed-address"' in page and "webcal://testserver/planner/feed/" in page
    assert "Thunderbird" in page and "Outlook" in page
    feed = FeedToken.objects.get(user=official)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed.prefix == token[:8] and token not in (feed.token_hash, feed.prefix)
    assert DomainEvent.objects.filter(kind="planner.feed_created", actor=official).exists()
    listed = client.get(reverse("planner:feed")).content.decode()
    assert token not in listed and f"{feed.prefix}…" in listed
    client.logout()
    assert client.get(address.removeprefix("http://testserver")).status_code == 200


def test_revoking_asks_first_then_stops_the_feed(client, official):
    issued = services.feed_create(actor=official)
    url = reverse("planner:feed_revoke", kwargs={"pk": issued.feed.pk})
    asked = client.get(url)
    assert asked.status_code == 200 and 'id="krai-feed-revoke-confirm"' in asked.content.decode()
    issued.feed.refresh_from_db()
    assert issued.feed.revoked_at is None
    assert client.post(url).status_code == 302
    issued.feed.refresh_from_db()
    assert issued.feed.revoked_at is not None
    assert DomainEvent.objects.filter(kind="planner.feed_revoked", actor=official).exists()
    assert client.get(reverse("planner:feed_ics", kwargs={"token": issued.token})).status_code == 404


def test_nobody_revokes_anothers_feed(client, official):
    other = services.feed_create(actor=StaffFactory())
    assert client.post(reverse("planner:feed_revoke", kwargs={"pk": other.feed.pk})).status_code == 404
    other.feed.refresh_from_db()
    assert other.feed.revoked_at is None


def test_the_number_of_feeds_in_force_is_capped(client, official, monkeypatch):
    monkeypatch.setattr(services, "MAX_ACTIVE", 2)
    first = services.feed_create(actor=official)
    services.feed_create(actor=official)
    refused = client.post(reverse("planner:feed"))
    assert refused.status_code == 400 and "revoke one you no longer use first" in refused.content.decode()
    assert FeedToken.objects.filter(user=official).count() == 2
    services.feed_revoke(actor=official, feed=first.feed)
    assert client.post(reverse("planner:feed")).status_code == 200


def test_a_resident_may_not_make_a_feed(client):
    client.force_login(UserFactory())
    assert client.post(reverse("planner:feed")).status_code == 403
    assert client.get(reverse("planner:import")).status_code == 403
    assert not FeedToken.objects.exists()


def test_import_page_previews_then_applies(client, official):
    form = client.get(reverse("planner:import"))
    assert form.status_code == 200 and 'type="file" name="file"' in form.content.decode()
    previewed = client.post(reverse("planner:import"), {"file": upload("outlook.ics")})
    page = previewed.content.decode()
    assert previewed.status_code == 200
    assert re.search(r'id="krai-import-added">4<', page) and "Планёрка" in page
    assert not Entry.objects.exists()
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    applied = client.post(reverse("planner:import"), {"payload": payload})
    assert applied.status_code == 302
    assert Entry.objects.filter(owner=official, source=Entry.Source.ICS).count() == 4
    again = client.post(reverse("planner:import"), {"payload": payload}, follow=True)
    assert "0 added, 0 updated, 4 already the same" in again.content.decode()
    assert Entry.objects.filter(owner=official).count() == 4


def test_import_page_refuses_a_broken_file_on_the_form(client, official):
    refused = client.post(reverse("planner:import"), {"file": upload("broken.ics")})
    assert refused.status_code == 400
    assert "Испорченная встреча" in refused.content.decode()
    assert not Entry.objects.exists()


def test_a_preview_of_someone_else_cannot_be_applied(client, official):
    page = client.post(reverse("planner:import"), {"file": upload("outlook.ics")}).content.decode()
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    client.force_login(StaffFactory())
    client.post(reverse("planner:import"), {"payload": payload})
    assert not Entry.objects.exists()


# --- the API ---------------------------------------------------------------------------------------------------

def test_api_makes_lists_and_revokes_feeds(client, official):
    made = client.post("/api/v1/planner/feeds/")
    assert made.status_code == 201
    address = made.json()["address"]
    assert address.startswith("http://testserver/planner/feed/")
    listed = client.get("/api/v1/planner/feeds/").json()
    assert [row["prefix"] for row in listed] == [made.json()["prefix"]]
    assert "address" not in listed[0]
    assert client.delete(f"/api/v1/planner/feeds/{made.json()['id']}/").status_code == 204
    assert client.get(address.removeprefix("http://testserver")).status_code == 404


def test_api_leaves_anothers_feed_alone(client, official):
    other = services.feed_create(actor=StaffFactory())
    assert client.delete(f"/api/v1/planner/feeds/{other.feed.pk}/").status_code == 404
    other.feed.refresh_from_db()
    assert other.feed.revoked_at is None


def test_api_import_dry_run_then_for_real(client, official):
    dry = client.post("/api/v1/planner/import/?dry_run=1", {"file": upload("google.ics")})
    assert dry.status_code == 200, dry.content
    assert dry.json()["dry_run"] is True and dry.json()["added"] == 4
    assert not Entry.objects.exists()
    done = client.post("/api/v1/planner/import/", {"file": upload("google.ics")})
    assert done.status_code == 201 and done.json()["added"] == 4
    assert Entry.objects.filter(owner=official).count() == 4


def test_api_import_refuses_what_is_not_icalendar(client, official):
    refused = client.post("/api/v1/planner/import/", {"file": upload("notes.ics", b"just some notes")})
    assert refused.status_code == 400
    assert "iCalendar" in refused.content.decode()
    assert not Entry.objects.exists()


def test_api_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.post("/api/v1/planner/feeds/").status_code == 403
    assert not FeedToken.objects.exists()
