from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from krai.core.audit import services
from krai.core.audit.models import AuditEntry
from krai.core.events import dispatch
from krai.core.events.services import record_event
from krai.org.models import Role
from krai.org.tests.factories import PASSWORD, OrganisationFactory, StaffFactory, UserFactory, assign


def staff_with(role):
    user = StaffFactory()
    if role:
        assign(user, role)
    return user


@pytest.fixture
def auditor(db):
    return staff_with(Role.CONTROLLER)


def record(kind, *, actor=None, subject=None, when=None, **payload):
    with transaction.atomic():
        event = record_event(kind=kind, actor=actor, subject=subject, payload=payload)
    if when is not None:
        type(event).objects.filter(pk=event.pk).update(occurred_at=when)
    return event


# --- writing the trail --------------------------------------------------------------------------------

def test_every_event_is_copied_once_after_commit(db, django_capture_on_commit_callbacks):
    actor = UserFactory(email="actor@example.ru")
    organisation = OrganisationFactory(name="Министерство культуры")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = record_event(kind="org.organisation_updated", actor=actor, subject=organisation,
                             payload={"changed": ["name"]})
    entry = AuditEntry.objects.get(event_id=event.pk)
    assert (entry.kind, entry.actor, entry.actor_repr, entry.subject_id, entry.subject_repr, entry.payload) == (
        "org.organisation_updated", actor, "actor@example.ru", str(organisation.pk), "Министерство культуры",
        {"changed": ["name"]})
    assert entry.subject_type == ContentType.objects.get_for_model(organisation)
    # Delivered twice (at least once means it can happen): still one line.
    assert services.record_from_event(event=event) == entry
    assert AuditEntry.objects.filter(event_id=event.pk).count() == 1


def test_an_event_whose_subject_is_gone_is_still_recorded(db):
    organisation = OrganisationFactory()
    event = record("org.organisation_deleted", subject=organisation)
    pk = organisation.pk
    organisation.delete()
    dispatch.deliver_pending()
    entry = AuditEntry.objects.get(event_id=event.pk)
    assert entry.subject_id == str(pk) and entry.subject_repr == ""


def test_log_in_failed_log_in_and_log_out_are_recorded_with_address_and_browser(client, db):
    user = UserFactory(email="person@example.ru")
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 Test", "REMOTE_ADDR": "10.1.2.3"}
    client.post(reverse("accounts:login"), {"username": "person@example.ru", "password": "wrong"}, **browser)
    client.post(reverse("accounts:login"), {"username": "person@example.ru", "password": PASSWORD}, **browser)
    client.post(reverse("accounts:logout"), **browser)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.kind for e in entries] == ["auth.login_failed", "auth.login", "auth.logout"]
    failed, login, logout = entries
    assert failed.actor is None and failed.actor_repr == "person@example.ru"
    assert "wrong" not in str(failed.payload)
    assert login.actor == user and logout.actor == user
    assert {e.ip_address for e in entries} == {"10.1.2.3"} and {e.user_agent for e in entries} == {"Mozilla/5.0 Test"}
    assert all(e.source == AuditEntry.Source.AUTH and e.event_id is None for e in entries)


# --- who may read it ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, allowed", [
    (Role.CONTROLLER, True), (Role.ADMINISTRATOR, True), ("superuser", True),
    (None, False), (Role.HEAD, False), (Role.VICE_GOVERNOR, False), (Role.EXECUTOR, False), ("citizen", False),
])
def test_only_administrators_and_controllers_read_the_trail(client, db, role, allowed):
    if role == "superuser":
        user = StaffFactory(is_superuser=True)
    elif role == "citizen":
        user = UserFactory()
    elif role in (Role.HEAD, Role.EXECUTOR):
        user = StaffFactory()
        assign(user, role, organisation=OrganisationFactory())
    else:
        user = staff_with(role)
    record("org.block_created", secret="visible-only-to-auditors")
    dispatch.deliver_pending()
    client.force_login(user)
    page = client.get(reverse("audit:index"))
    api = client.get("/api/v1/audit/")
    if allowed:
        assert page.status_code == 200 and "org.block_created" in page.content.decode()
        assert api.status_code == 200 and "visible-only-to-auditors" in api.content.decode()
    else:
        assert page.status_code == 403 and api.status_code == 403
        assert "visible-only-to-auditors" not in page.content.decode() + api.content.decode()
        assert api.json()["error"]["status"] == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    page = client.get(reverse("audit:index"))
    assert page.status_code == 302 and reverse("accounts:login") in page["Location"]
    assert client.get("/api/v1/audit/").status_code in (401, 403)


# --- filters ------------------------------------------------------------------------------------------------

@pytest.fixture
def trail(auditor):
    alice, bob = UserFactory(email="alice@example.ru"), UserFactory(email="bob@example.ru")
    organisation = OrganisationFactory()
    now = timezone.now()
    events = {
        "old": record("org.block_created", actor=alice, when=now - timedelta(days=10)),
        "org": record("org.organisation_updated", actor=bob, subject=organisation, when=now - timedelta(days=1)),
        "user": record("accounts.user_registered", actor=alice, subject=alice, when=now),
    }
    dispatch.deliver_pending()
    return {"alice": alice, "bob": bob, "organisation": organisation, "now": now, **events}


def api_ids(client, **params):
    response = client.get("/api/v1/audit/", params)
    assert response.status_code == 200, response.content
    # The auditor's own log-in is in the trail too (source "auth"); these tests look at the events.
    return [row["event_id"] for row in response.json()["results"] if row["source"] == "event"]


def test_the_api_filters_by_kind_actor_dates_and_subject(client, auditor, trail):
    client.force_login(auditor)
    old, org, user = trail["old"].pk, trail["org"].pk, trail["user"].pk
    assert api_ids(client) == [user, org, old]  # newest first
    assert api_ids(client, kind="org.*") == [org, old]
    assert api_ids(client, kind="org.block_created") == [old]
    assert api_ids(client, actor="alice@") == [user, old]
    assert api_ids(client, actor=str(trail["bob"].pk)) == [org]
    today = timezone.localdate(trail["now"])
    assert api_ids(client, date_from=str(today - timedelta(days=2))) == [user, org]
    assert api_ids(client, date_to=str(today - timedelta(days=2))) == [old]
    assert api_ids(client, subject="org.organisation") == [org]
    assert api_ids(client, subject=f"org.organisation:{trail['organisation'].pk}") == [org]
    assert api_ids(client, subject="org.organisation:999999") == []
    assert [row["subject_type"] for row in client.get("/api/v1/audit/", {"kind": "org.*"}).json()["results"]] == [
        "org.organisation", None]


@pytest.mark.parametrize("params, field", [
    ({"subject": "nothing.here"}, "subject"),
    ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to"),
    ({"date_from": "yesterday"}, "date_from"),
])
def test_bad_filters_get_a_clear_error(client, auditor, trail, params, field):
    client.force_login(auditor)
    response = client.get("/api/v1/audit/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    page = client.get(reverse("audit:index"), params)
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    assert "org.block_created" not in page.content.decode()


def test_the_page_filters_and_paginates(client, auditor, trail):
    for number in range(55):
        record("test.bulk", n=number)
    dispatch.deliver_pending()
    client.force_login(auditor)
    first = client.get(reverse("audit:index"), {"kind": "test.bulk"})
    body = first.content.decode()
    assert body.count("<code>test.bulk</code>") == 50 and "org.block_created" not in body
    assert "kind=test.bulk&amp;page=2" in body
    second = client.get(reverse("audit:index"), {"kind": "test.bulk", "page": 2})
    assert second.content.decode().count("<code>test.bulk</code>") == 5
    partial = client.get(reverse("audit:index"), {"kind": "org.*"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "org.organisation_updated" in partial.content.decode()


def test_the_admin_shows_the_trail_read_only(client, trail):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
