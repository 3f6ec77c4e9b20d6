"""The endpoints' and replays' services: the happy paths with their events, every refusal, nothing changed after
a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.events.models import Event
from krai.integration.tests.factories import administrator, controller, external_system
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint
from krai.integration.webhooks.services import endpoints as services
from krai.integration.webhooks.services import replay
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint
from krai.orders.tests.factories import government, issued_order
from krai.org.models import Role

pytestmark = pytest.mark.django_db


def _refused(call, field: str | None = None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    if field:
        assert field in caught.value.message_dict, caught.value
    return caught.value


def test_an_administrator_creates_an_endpoint_with_a_fresh_secret():
    admin = administrator()
    system = external_system()
    hook = services.endpoint_create(actor=admin, system=system, url=" https://sed.example.ru/hooks ",
                                    event_kinds="orders.*\ncontrol.opened, orders.*", description=" СЭД ")
    assert (hook.url, hook.event_kinds, hook.description, hook.scope) == (
        "https://sed.example.ru/hooks", ["orders.*", "control.opened"], "СЭД", "region")
    assert hook.secret.startswith("whsec_") and len(hook.secret) == 6 + 44 and hook.created_by == admin
    event = Event.objects.get(kind="webhooks.endpoint_created")
    assert event.payload["endpoint_id"] == hook.pk and hook.secret not in str(event.payload)
    other = services.endpoint_create(actor=admin, system=system, url="http://10.0.0.5:8080/h", event_kinds=["*"])
    assert other.secret != hook.secret


@pytest.mark.parametrize(("fields", "field"), [
    ({"url": "ftp://sed.example.ru/hooks"}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "http://"}, "url"),
    ({"url": "http://host:99999/"}, "url"),
    ({"url": ""}, "url"),
    ({"event_kinds": []}, "event_kinds"),
    ({"event_kinds": ["orders", "DROP TABLE"]}, "event_kinds"),
    ({"scope": "organisation"}, "organisation"),
    ({"scope": "planet"}, "scope"),
    ({"description": "x" * 301}, "description"),
])
def test_bad_fields_are_refused_by_field_and_nothing_is_created(fields, field):
    admin = administrator()
    data = {"system": external_system(), "url": "https://sed.example.ru/hooks", "event_kinds": ["orders.*"], **fields}
    _refused(lambda: services.endpoint_create(actor=admin, **data), field)
    assert not Endpoint.objects.exists() and not Event.objects.filter(kind__startswith="webhooks.").exists()


def test_only_administrators_manage_webhooks():
    system = external_system()
    for actor in (None, controller(), system.account):
        with pytest.raises(PermissionDenied):
            services.endpoint_create(actor=actor, system=system, url="https://x.ru/h", event_kinds=["*"])
    hook = endpoint(system=system)
    with pytest.raises(PermissionDenied):
        services.endpoint_update(actor=controller(), endpoint=hook, url="https://evil.ru/")
    with pytest.raises(PermissionDenied):
        replay.endpoint_replay_dead(actor=controller(), endpoint=hook)
    hook.refresh_from_db()
    assert hook.url == "http://127.0.0.1:9/hooks"


def test_a_scope_beyond_the_systems_account_is_refused():
    gov = government()
    system = external_system("health-ais", organisation=gov.health, role=Role.EXECUTOR)
    admin = administrator()
    _refused(lambda: services.endpoint_create(actor=admin, system=system, url="https://x.ru/", event_kinds=["*"]),
             "scope")
    _refused(lambda: services.endpoint_create(actor=admin, system=system, url="https://x.ru/", event_kinds=["*"],
                                              scope="organisation", organisation=gov.finance), "scope")
    hook = services.endpoint_create(actor=admin, system=system, url="https://x.ru/", event_kinds=["*"],
                                    scope="organisation", organisation=gov.unit)
    assert hook.organisation == gov.unit


def test_changes_disable_and_enable_record_their_events():
    admin = administrator()
    hook = endpoint(actor=admin)
    services.endpoint_update(actor=admin, endpoint=hook, event_kinds=["problems.*"], url="https://new.ru/h")
    assert (hook.event_kinds, hook.url) == (["problems.*"], "https://new.ru/h")
    changed = Event.objects.get(kind="webhooks.endpoint_changed")
    assert changed.payload["changed"] == ["event_kinds", "url"]
    services.endpoint_update(actor=admin, endpoint=hook, is_active=False)
    services.endpoint_update(actor=admin, endpoint=hook, is_active=True)
    assert Event.objects.filter(kind__in=["webhooks.endpoint_disabled", "webhooks.endpoint_enabled"]).count() == 2
    before = Event.objects.count()
    services.endpoint_update(actor=admin, endpoint=hook, url="https://new.ru/h")  # nothing changes: no event
    assert Event.objects.count() == before
    _refused(lambda: services.endpoint_update(actor=admin, endpoint=hook, url="gopher://x"), "url")
    hook.refresh_from_db()
    assert hook.url == "https://new.ru/h"


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_day():
    admin = administrator()
    hook = endpoint(actor=admin)
    old = hook.secret
    services.endpoint_rotate_secret(actor=admin, endpoint=hook)
    assert hook.secret != old and hook.signing_secrets() == [hook.secret, old]
    assert hook.signing_secrets(timezone.now() + timedelta(hours=25)) == [hook.secret]
    event = Event.objects.get(kind="webhooks.endpoint_secret_rotated")
    assert old not in str(event.payload) and hook.secret not in str(event.payload)


def test_deleting_an_endpoint_removes_its_deliveries():
    admin = administrator()
    gov = government()
    hook = endpoint(actor=admin, kinds=["orders.*"])
    issued_order(gov)
    dispatch_events()
    assert Delivery.objects.filter(endpoint=hook).count() == 2
    services.endpoint_delete(actor=admin, endpoint=hook)
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    assert Event.objects.get(kind="webhooks.endpoint_deleted").payload["deliveries"]["pending"] == 2


def _dead_deliveries(admin, count: int = 2) -> tuple[Endpoint, list[Delivery]]:
    gov = government()
    hook = endpoint(actor=admin, kinds=["orders.order_issued"])
    for _ in range(count):
        issued_order(gov)
    dispatch_events()
    Delivery.objects.update(status=DeliveryStatus.DEAD, attempts=8, dead_at=timezone.now())
    return hook, list(Delivery.objects.order_by("id"))


def test_replaying_chosen_dead_letters_resets_them_under_the_same_message_id():
    admin = administrator()
    hook, (first, second) = _dead_deliveries(admin)
    Delivery.objects.filter(pk=second.pk).update(status=DeliveryStatus.DELIVERED)
    assert replay.deliveries_replay(actor=admin, deliveries=[first.pk, second.pk]) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts, first.replays, first.dead_at) == (DeliveryStatus.PENDING, 0, 1, None)
    assert second.status == DeliveryStatus.DELIVERED  # not dead: left alone
    assert first.message_id == f"msg_{first.event_id}_{hook.pk}"
    event = Event.objects.get(kind="webhooks.deliveries_replayed")
    assert event.payload["delivery_ids"] == [first.pk] and event.payload["how"] == "selected"
    _refused(lambda: replay.deliveries_replay(actor=admin, deliveries=[]), "deliveries")


def test_replaying_all_dead_of_an_endpoint_and_everything_since():
    admin = administrator()
    hook, _rows = _dead_deliveries(admin, 3)
    assert replay.endpoint_replay_dead(actor=admin, endpoint=hook) == 3
    assert replay.endpoint_replay_dead(actor=admin, endpoint=hook) == 0
    Delivery.objects.update(status=DeliveryStatus.DELIVERED)
    assert replay.endpoint_replay_since(actor=admin, endpoint=hook, since=timezone.now() - timedelta(hours=1)) == 3
    assert replay.endpoint_replay_since(actor=admin, endpoint=hook, since=timezone.now() - timedelta(hours=1)) == 0
    _refused(lambda: replay.endpoint_replay_since(actor=admin, endpoint=hook,
                                                  since=timezone.now() + timedelta(days=1)), "since")
    assert Event.objects.filter(kind="webhooks.deliveries_replayed").count() == 2
