"""Which endpoints an event goes to: kinds, scopes (with the scope resolvers), the system's account, and what the
body says (ids, never free texts)."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from krai.core.events.models import Event
from krai.core.events.services import record_event
from krai.integration.tests.factories import external_system
from krai.integration.webhooks import messages
from krai.integration.webhooks.matching import covers, endpoints_for, is_private, kinds_match, parse_kinds
from krai.integration.webhooks.models import Delivery, Endpoint
from krai.integration.webhooks.places import NOWHERE, Place, place_of
from krai.integration.webhooks.subscribers import fan_out
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint
from krai.orders.tests.factories import government, issued_order
from krai.org.models import Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory


def test_kinds_exact_prefix_and_all_but_never_private_ones():
    assert kinds_match(["orders.order_issued"], "orders.order_issued")
    assert not kinds_match(["orders.order_issued"], "orders.order_created")
    assert kinds_match(["orders.*"], "orders.order_created") and not kinds_match(["orders.*"], "control.opened")
    assert kinds_match(["*"], "problems.reported")
    for kind in ("accounts.email_confirmed", "org.user_created", "social.message_sent", "webhooks.endpoint_created"):
        assert is_private(kind) and not kinds_match(["*"], kind)


def test_patterns_are_parsed_and_bad_ones_named():
    assert parse_kinds("orders.*, control.opened\n*  orders.*") == (["orders.*", "control.opened", "*"], [])
    assert parse_kinds(["ORDERS", "orders.", "orders.order_*", "a.b.c"]) == (["orders.order_*"],
                                                                            ["ORDERS", "orders.", "a.b.c"])


def _event(kind: str, payload: dict | None = None, subject=None) -> Event:
    with transaction.atomic():
        return record_event(kind=kind, subject=subject, payload=payload or {})


@pytest.mark.django_db
def test_places_of_control_orders_problems_and_construction_events():
    gov = government()
    order = issued_order(gov, lead=gov.unit)
    issued = Event.objects.get(kind="orders.order_issued")
    assert place_of(issued) == Place(organisation_id=gov.unit.pk)
    opened = Event.objects.get(kind="control.opened")
    assert place_of(opened) == Place(organisation_id=gov.unit.pk)
    assert opened.payload["assignment_id"] == order.assignment_id
    town = MunicipalityFactory()
    assert place_of(_event("problems.reported", {"organisation": gov.health.pk, "municipality": town.pk})) == Place(
        gov.health.pk, town.pk)
    assert place_of(_event("construction.work_started", {"responsible_body_id": gov.finance.pk,
                                                         "municipality_id": town.pk})) == Place(gov.finance.pk, town.pk)
    assert place_of(_event("lawmaking.supported", {"organisation": gov.health.pk})) == NOWHERE


@pytest.mark.django_db
def test_scopes_cover_subtrees_municipalities_and_blocks():
    gov = government()
    town = MunicipalityFactory()
    city_body = OrganisationFactory(municipality=town, block=None)
    system = external_system("sys-region")
    region = Endpoint(system=system, scope="region")
    subtree = Endpoint(system=system, scope="organisation", organisation=gov.health)
    municipal = Endpoint(system=system, scope="municipality", municipality=town)
    block = Endpoint(system=system, scope="block", block=gov.social)
    assert covers(region, NOWHERE)
    assert not any(covers(e, NOWHERE) for e in (subtree, municipal, block))
    assert covers(subtree, Place(gov.subunit.pk)) and not covers(subtree, Place(gov.finance.pk))
    assert covers(municipal, Place(None, town.pk)) and covers(municipal, Place(city_body.pk))
    assert not covers(municipal, Place(gov.health.pk))
    assert covers(block, Place(gov.subunit.pk)) and not covers(block, Place(gov.finance.pk))


@pytest.mark.django_db
def test_fan_out_to_active_matching_endpoints_within_the_account_once():
    gov = government()
    wide = endpoint(system=external_system("wide"), kinds=["orders.order_issued"])
    health = endpoint(system=external_system("health", organisation=gov.health, role=Role.HEAD),
                      kinds=["orders.*"], scope="organisation", organisation=gov.health)
    endpoint(system=external_system("control-only"), kinds=["control.*"])
    off = endpoint(system=external_system("off"), kinds=["*"], is_active=False)
    gone = external_system("gone")
    endpoint(system=gone, kinds=["*"])
    gone.is_active = False
    gone.save()
    issued_order(gov, lead=gov.finance)
    issued = Event.objects.get(kind="orders.order_issued")
    assert endpoints_for(issued) == [wide]
    issued_order(gov, lead=gov.unit)
    second = Event.objects.filter(kind="orders.order_issued").latest("id")
    assert set(endpoints_for(second)) == {wide, health}
    assert fan_out(second) == 2 and fan_out(second) == 2  # a retried fan-out adds nothing
    assert Delivery.objects.filter(event=second).count() == 2
    assert not Delivery.objects.filter(endpoint=off).exists()


@pytest.mark.django_db
def test_an_account_narrowed_later_narrows_its_webhooks_and_the_past_is_not_sent():
    gov = government()
    issued_order(gov)
    dispatch_events()
    system = external_system("narrow", organisation=gov.finance, role=Role.HEAD)
    hook = endpoint(system=system, kinds=["orders.*"], scope="organisation", organisation=gov.finance)
    dispatch_events()
    assert not Delivery.objects.filter(endpoint=hook).exists()  # events before the endpoint
    system.account.role_assignments.all().delete()
    system.account.__dict__.pop("_krai_scope", None)
    issued_order(gov, lead=gov.finance)
    dispatch_events()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_the_body_carries_ids_and_never_free_texts():
    gov = government()
    event = _event("control.returned", {"assignment_id": 5, "subject_type": "orders.order", "subject_id": 7,
                                        "reason": "Иванов И. И. не приложил акт", "email": "a@b.ru"},
                   subject=gov.health)
    body = json.loads(messages.body_for(event))
    assert body["type"] == "control.returned" and body["timestamp"].endswith("+00:00")
    assert body["data"] == {"event_id": event.pk, "subject_type": "org.organisation", "subject_id": str(gov.health.pk),
                            "assignment_id": 5, "payload_subject_type": "orders.order", "payload_subject_id": 7}
    assert messages.body_for(event) == messages.body_for(Event.objects.get(pk=event.pk))
    assert ContentType.objects.get_for_model(gov.health).model == "organisation"
