import pytest

from krai.core.notifications import services
from krai.core.notifications.models import Notification, NotificationPreference
from krai.org.tests.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory()


def tell(user, title="Поручение"):
    [notification] = services.notify(users=[user], kind="orders.assigned", title=title, url="/workspace/")
    return notification


def test_the_list_holds_only_ones_own(client, owner):
    mine, _theirs = tell(owner, "Моё"), tell(UserFactory(), "Чужое")
    client.force_login(owner)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [(row["id"], row["title"], row["is_read"]) for row in rows] == [(mine.pk, "Моё", False)]


def test_anonymous_gets_nothing(client, owner):
    tell(owner)
    for url in ("/api/v1/notifications/", "/api/v1/notifications/preferences/",
                "/api/v1/notifications/unread-count/"):
        assert client.get(url).status_code in (401, 403)
    assert client.post("/api/v1/notifications/read-all/").status_code in (401, 403)


def test_mark_read_own_and_never_anothers(client, owner):
    mine, theirs = tell(owner), tell(UserFactory())
    client.force_login(owner)
    response = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"] == []


def test_read_all_and_the_unread_count(client, owner):
    tell(owner, "1")
    tell(owner, "2")
    other = tell(UserFactory())
    client.force_login(owner)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_are_read_and_set_through_the_api(client, owner):
    NotificationPreference.objects.create(user=UserFactory(), kind="*", channel="email", enabled=False)
    client.force_login(owner)
    assert client.get("/api/v1/notifications/preferences/").json() == []
    response = client.post("/api/v1/notifications/preferences/",
                           {"kind": "orders", "channel": "email", "enabled": True, "digest": "daily"},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    response = client.post("/api/v1/notifications/preferences/",
                           {"kind": "orders", "channel": "email", "enabled": False, "digest": "daily"},
                           content_type="application/json")
    rows = client.get("/api/v1/notifications/preferences/").json()
    assert [(r["kind"], r["channel"], r["enabled"], r["digest"]) for r in rows] == [
        ("orders", "email", False, "daily")]
    [notification] = services.notify(users=[owner], kind="orders.assigned", title="x")
    assert notification.email_state == Notification.Email.NONE


@pytest.mark.parametrize("body, field", [
    ({"kind": "orders", "channel": "pigeon", "enabled": True}, "channel"),
    ({"kind": "orders", "channel": "in_app", "enabled": True, "digest": "daily"}, "digest"),
    ({"kind": "two words", "channel": "email", "enabled": True}, "kind"),
])
def test_bad_preferences_get_the_one_error_format(client, owner, body, field):
    client.force_login(owner)
    response = client.post("/api/v1/notifications/preferences/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not NotificationPreference.objects.exists()


def test_a_preference_needs_only_its_channel(client, owner):
    """Kind defaults to all notifications and the switch to on; a missing channel is a 400 and stores nothing."""
    client.force_login(owner)
    response = client.post("/api/v1/notifications/preferences/", {"channel": "email", "digest": "daily"},
                           content_type="application/json")
    assert response.status_code == 200
    assert NotificationPreference.objects.filter(user=owner, kind="*", channel="email", enabled=True,
                                                 digest="daily").exists()
    before = NotificationPreference.objects.count()
    response = client.post("/api/v1/notifications/preferences/", {"kind": "orders"}, content_type="application/json")
    assert response.status_code == 400 and "channel" in response.json()["error"]["fields"]
    assert NotificationPreference.objects.count() == before
