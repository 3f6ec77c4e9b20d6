"""Choosing an executor: the search endpoint answers what the actor may assign, with labels no two alike, and
people narrowed to the chosen unit; the forms accept exactly those choices."""

import pytest
from django.urls import reverse

from krai.orders import pickers
from krai.orders.forms import DelegateForm, OrderForm
from krai.orders.tests.factories import issued_order
from krai.org.models import Organisation
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ORGS = reverse("orders:pick_organisations")
PEOPLE = reverse("orders:pick_people")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _labels(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["label"] for r in response.json()["results"]]


def test_same_names_get_their_parent_and_no_two_labels_are_alike(gov):
    # the finance ministry gets an "Управление" with an "Отдел" too: the same two names in a row
    finance_unit = OrganisationFactory(name="Управление", block=gov.economy, parent=gov.finance, kind="unit")
    finance_subunit = OrganisationFactory(name="Отдел", block=gov.economy, parent=finance_unit, kind="unit")
    labels = pickers.organisation_labels()
    assert labels[finance_subunit.pk] == f"Отдел — Управление — {gov.finance}"
    assert labels[gov.unit.pk] == f"Управление — {gov.health}"
    assert labels[gov.subunit.pk] == f"Отдел — Управление — {gov.health}"  # "Отдел — Управление" alone is not
    assert len(set(labels.values())) == len(labels)
    assert labels[gov.health.pk] == gov.health.name


def test_a_vice_governor_searches_only_his_block(client, gov):
    client.force_login(gov.vice)
    everything = _labels(client.get(ORGS, {"purpose": "lead"}))
    assert gov.health.name in everything and gov.finance.name not in everything
    found = _labels(client.get(ORGS, {"purpose": "lead", "q": "управление министерство здрав"}))
    assert found == [f"Управление — {gov.health}"]
    client.force_login(gov.governor)
    assert gov.finance.name in _labels(client.get(ORGS, {"purpose": "lead", "q": "финанс"}))


def test_delegation_offers_units_under_the_executor_and_their_people(client, gov):
    order = issued_order(gov, lead=gov.health)
    client.force_login(gov.head)
    query = {"purpose": "delegate", "assignment": order.assignment_id}
    assert _labels(client.get(ORGS, query)) == [gov.health.name, f"Управление — {gov.health}",
                                                 "Отдел — Управление"]
    people = client.get(PEOPLE, {**query, "organisation": gov.subunit.pk}).json()["results"]
    assert [p["id"] for p in people] == [gov.executor.pk]
    assert people[0]["label"] == f"{gov.executor.short_name} — Отдел — Управление"
    # the unit head is in the unit, not in the subunit below it
    people = client.get(PEOPLE, {**query, "organisation": gov.unit.pk}).json()["results"]
    assert {p["id"] for p in people} == {gov.unit_head.pk, gov.executor.pk}
    # an organisation outside the executor's subtree is refused, in the user's language
    refused = client.get(PEOPLE, {**query, "organisation": gov.finance.pk})
    assert refused.status_code == 400 and refused.json()["error"] == "Choose an organisation from the list."


def test_who_may_not_delegate_gets_nothing(client, gov):
    order = issued_order(gov, lead=gov.health)
    client.force_login(gov.finance_head)  # does not see it
    assert client.get(ORGS, {"purpose": "delegate", "assignment": order.assignment_id}).status_code == 404
    client.force_login(gov.controller)  # sees it, may not delegate
    assert client.get(ORGS, {"purpose": "delegate", "assignment": order.assignment_id}).status_code == 403
    assert client.get(ORGS, {"purpose": "nonsense"}).status_code == 400
    assert client.get(ORGS, {"purpose": "delegate", "assignment": "x"}).status_code == 400


def test_the_endpoint_is_for_staff(client, gov, citizen):
    assert client.get(ORGS, {"purpose": "lead"}).status_code == 302
    client.force_login(citizen)
    assert client.get(ORGS, {"purpose": "lead"}).status_code == 403


def test_forms_offer_the_same_choices_with_unique_labels_and_a_search_box(gov):
    form = OrderForm(user=gov.vice)
    field = form.fields["lead_organisation"]
    assert set(field.queryset) == set(Organisation.objects.filter(block=gov.social))
    labels = [label for value, label in field.choices if value]
    assert len(labels) == len(set(labels)) and "Отдел — Управление" in labels
    html = str(form["lead_organisation"])
    assert f'data-krai-picker="{ORGS}?purpose=lead"' in html
    assert 'data-krai-picker-unit="id_lead_organisation"' in str(form["lead_user"])


def test_a_person_must_work_in_the_chosen_unit(gov):
    order = issued_order(gov, lead=gov.health)
    data = {"executor_organisation": gov.subunit.pk, "executor_user": gov.unit_head.pk, "deadline": "2099-01-01"}
    form = DelegateForm(data, assignment=order.assignment)
    assert not form.is_valid()
    assert form.errors["executor_user"] == ["Choose a person who works in the chosen organisation."]
    form = DelegateForm({**data, "executor_user": gov.executor.pk}, assignment=order.assignment)
    assert form.is_valid(), form.errors
    form = DelegateForm({**data, "executor_organisation": gov.finance.pk}, assignment=order.assignment)
    assert not form.is_valid() and "executor_organisation" in form.errors


def test_the_vice_governor_gives_an_order_only_within_his_block(client, gov):
    client.force_login(gov.vice)
    data = {"title": "Проверить", "text": "Текст", "source_type": "protocol", "priority": "ordinary",
            "lead_organisation": gov.finance.pk, "controller_organisation": gov.control.pk, "working_days": 5}
    response = client.post(reverse("orders:create"), data)
    assert response.status_code == 200 and "lead_organisation" in response.context["form"].errors
    response = client.post(reverse("orders:create"), {**data, "lead_organisation": gov.unit.pk})
    assert response.status_code == 302
