import pytest
from django.urls import reverse

from krai.core.notifications import preferences, services
from krai.core.notifications.models import Notification
from krai.core.notifications.models import NotificationPreference as Pref
from krai.org.tests.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def stranger(db):
    return UserFactory()


def tell(user, title="Новое поручение", url="/workspace/", **options):
    [notification] = services.notify(users=[user], kind="orders.assigned", title=title, url=url, **options)
    return notification


def test_the_inbox_shows_only_ones_own(client, owner, stranger):
    tell(owner, title="Для владельца")
    tell(stranger, title="Для другого")
    client.force_login(owner)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "Для владельца" in body and "Для другого" not in body
    assert 'aria-live="polite"' in body


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for name in ("notifications:inbox", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_unread_filter_and_marking_one_read(client, owner):
    first, second = tell(owner, title="Первое"), tell(owner, title="Второе")
    client.force_login(owner)
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    body = client.get(reverse("notifications:inbox"), {"unread": "1"}).content.decode()
    assert "Второе" in body and "Первое" not in body
    # htmx gets the list back, with the filter of the page it came from
    partial = client.post(reverse("notifications:read", args=[second.pk]) + "?unread=1", HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in text
    assert "Второе" not in text and "list-group-item" not in text


def test_nobody_marks_or_opens_anothers(client, owner, stranger):
    notification = tell(owner)
    client.force_login(stranger)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(client, owner):
    notification = tell(owner)
    client.force_login(owner)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_mark_all_read_plain_and_htmx(client, owner):
    tell(owner, title="Одно")
    tell(owner, title="Другое")
    client.force_login(owner)
    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert not Notification.objects.filter(user=owner, read_at__isnull=True).exists()
    tell(owner, title="Третье")
    assert client.post(reverse("notifications:read_all")).status_code == 302


def test_opening_follows_the_link_and_marks_it_read(client, owner):
    notification = tell(owner, url="/workspace/orders/5/")
    external = tell(owner, url="https://elsewhere.example/phish")
    client.force_login(owner)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/workspace/orders/5/"
    response = client.get(reverse("notifications:open", args=[external.pk]))
    assert response["Location"] == reverse("notifications:inbox")
    assert Notification.objects.filter(read_at__isnull=False).count() == 2


def test_the_preferences_form_saves_what_changed(client, owner):
    preferences.register_category("zz_orders", "Поручения (тест)")
    try:
        client.force_login(owner)
        page = client.get(reverse("notifications:preferences")).content.decode()
        assert "Поручения (тест)" in page and 'for="id_0-email"' in page and 'id="id_0-email"' in page
        rows = [key for key, _label in preferences.categories()]
        number = rows.index("zz_orders")
        form = {}
        for n in range(len(rows)):
            form[f"{n}-in_app"] = "on"
            form[f"{n}-email"] = "on"
            form[f"{n}-push"] = "on"
            form[f"{n}-digest"] = "immediate"
        del form["0-email"]  # all e-mail off …
        form[f"{number}-digest"] = "daily"  # … except this category, once a day
        response = client.post(reverse("notifications:preferences"), form)
        assert response.status_code == 302
        # other areas' categories have defaults of their own; this test looks at the two it set
        stored = set(Pref.objects.filter(user=owner, kind__in=["*", "zz_orders"])
                     .values_list("kind", "channel", "enabled", "digest"))
        assert stored == {("*", "email", False, "immediate"), ("zz_orders", "email", True, "daily")}

        [told] = services.notify(users=[owner], kind="zz_orders.assigned", title="x")
        [other] = services.notify(users=[owner], kind="other.thing", title="y")
        assert (told.email_state, other.email_state) == ("digest", "none")

        page = client.get(reverse("notifications:preferences")).content.decode()
        assert f'id="id_{number}-email" checked' in page and 'id="id_0-email">' in page
        bad = client.post(reverse("notifications:preferences"), {**form, "0-digest": "hourly"})
        assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
        assert Pref.objects.filter(user=owner, kind__in=["*", "zz_orders"]).count() == 2
    finally:
        preferences._categories.pop("zz_orders")

