"""Bulk changes of access: the preview's counts, the change applied through the structure's services (one event per
person and one summary), all or nothing — one person who cannot be changed changes no one — and the refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.administration.selectors.access_bulk import CHANGE, REFUSED, UNCHANGED, bulk_preview, summary
from krai.administration.services.access import bulk_access_change
from krai.core.events.models import Event
from krai.org.models import Role, RoleAssignment, ScopeKind
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    admin = StaffFactory(surname="Админов")
    assign(admin, Role.ADMINISTRATOR)
    department = OrganisationFactory(name="Министерство культуры")
    people = [StaffFactory(surname=f"Сотрудник{n}") for n in range(4)]
    assign(people[0], Role.EXECUTOR, organisation=department)  # already holds it
    return {"admin": admin, "department": department, "people": people}


def _ids(people) -> list[int]:
    return [p.pk for p in people]


def test_the_preview_counts_and_changes_nothing(office):
    events = Event.objects.count()
    preview = bulk_preview(actor=office["admin"], people=_ids(office["people"]), action="grant", role=Role.EXECUTOR,
                           scope=ScopeKind.ORGANISATION, organisation=office["department"])
    assert (preview.total, preview.changes, preview.unchanged, preview.refused) == (4, 3, 1, 0)
    assert [line.outcome for line in preview.lines] == [UNCHANGED, CHANGE, CHANGE, CHANGE]
    assert summary(preview) == "4 people: 3 will get the role, 1 already holds it."
    assert RoleAssignment.objects.filter(role=Role.EXECUTOR).count() == 1 and Event.objects.count() == events


def test_granting_to_many_records_an_event_each_and_a_summary(office):
    done = bulk_access_change(actor=office["admin"], people=_ids(office["people"]), action="grant",
                              role=Role.EXECUTOR, scope=ScopeKind.ORGANISATION, organisation=office["department"])
    assert done.changes == 3
    assert RoleAssignment.objects.filter(role=Role.EXECUTOR, organisation=office["department"]).count() == 4
    assert Event.objects.filter(kind="org.role_assigned").count() == 3
    bulk = Event.objects.get(kind="administration.bulk_access_change")
    assert bulk.actor == office["admin"] and bulk.payload["action"] == "grant"
    assert sorted(bulk.payload["changed"]) == sorted(_ids(office["people"][1:]))
    assert bulk.payload["unchanged"] == [office["people"][0].pk]
    assert bulk.payload["target"] == {"type": "organisation", "id": office["department"].pk}


def test_one_who_cannot_get_the_role_changes_no_one(office):
    resident = StaffFactory(surname="Житель", is_active=False)  # a closed account cannot get a staff role
    people = [*office["people"], resident]
    preview = bulk_preview(actor=office["admin"], people=_ids(people), action="grant", role=Role.EXECUTOR,
                           scope=ScopeKind.ORGANISATION, organisation=office["department"])
    assert preview.refused == 1 and [line.outcome for line in preview.lines if line.person == resident] == [REFUSED]
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        bulk_access_change(actor=office["admin"], people=_ids(people), action="grant", role=Role.EXECUTOR,
                           scope=ScopeKind.ORGANISATION, organisation=office["department"])
    assert "no one is changed" in " ".join(refused.value.messages)
    assert "Житель" in " ".join(refused.value.messages)
    assert RoleAssignment.objects.filter(role=Role.EXECUTOR).count() == 1 and Event.objects.count() == events


def test_a_failure_inside_the_structure_service_rolls_everyone_back(office, monkeypatch):
    from krai.administration.services import access as module

    calls = []
    real = module.role_assign

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["user"].pk)
        if len(calls) == 3:
            raise ValidationError({"role": ["the structure refused"]})
        return real(**kwargs)

    monkeypatch.setattr(module, "role_assign", failing_on_the_third)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="the structure refused"):
        bulk_access_change(actor=office["admin"], people=_ids(office["people"]), action="grant",
                           role=Role.EXECUTOR, scope=ScopeKind.ORGANISATION, organisation=office["department"])
    assert len(calls) == 3
    assert RoleAssignment.objects.filter(role=Role.EXECUTOR).count() == 1 and Event.objects.count() == events


def test_taking_a_role_away_and_closing_accounts(office):
    people = office["people"]
    assign(people[1], Role.EXECUTOR)  # the self scope
    done = bulk_access_change(actor=office["admin"], people=_ids(people), action="revoke", role=Role.EXECUTOR)
    assert (done.changes, done.unchanged) == (2, 2)
    assert not RoleAssignment.objects.filter(role=Role.EXECUTOR).exists()
    assert Event.objects.filter(kind="org.role_revoked").count() == 2
    people[3].is_active = False
    people[3].save()
    done = bulk_access_change(actor=office["admin"], people=_ids(people), action="deactivate")
    assert (done.changes, done.unchanged) == (3, 1)
    assert Event.objects.filter(kind="org.user_deactivated").count() == 3
    assert Event.objects.filter(kind="administration.bulk_access_change").count() == 2


def test_closing_ones_own_account_refuses_the_whole(office):
    with pytest.raises(ValidationError, match="your own account"):
        bulk_access_change(actor=office["admin"], people=[office["admin"].pk, office["people"][1].pk],
                           action="deactivate")
    office["people"][1].refresh_from_db()
    assert office["people"][1].is_active


def test_refusals_by_field(office):
    admin, ids = office["admin"], _ids(office["people"])
    cases = [
        ({"action": "grant", "role": Role.EXECUTOR, "scope": ScopeKind.REGION}, "scope"),
        ({"action": "grant", "role": Role.EXECUTOR, "scope": ScopeKind.ORGANISATION}, "organisation"),
        ({"action": "grant", "role": Role.CITIZEN, "scope": ScopeKind.SELF}, "role"),
        ({"action": "revoke", "role": ""}, "role"),
        ({"action": "promote"}, "action"),
    ]
    for arguments, field in cases:
        with pytest.raises(ValidationError) as refused:
            bulk_access_change(actor=admin, people=ids, **arguments)
        assert field in refused.value.message_dict, arguments
    with pytest.raises(ValidationError) as refused:
        bulk_preview(actor=admin, people=[], action="deactivate")
    assert "people" in refused.value.message_dict
    with pytest.raises(ValidationError, match="Not found"):
        bulk_preview(actor=admin, people=[999999], action="deactivate")
    department = office["department"]
    department.is_active = False
    department.save()
    with pytest.raises(ValidationError, match="no longer active"):
        bulk_preview(actor=admin, people=ids, action="grant", role=Role.EXECUTOR, scope=ScopeKind.ORGANISATION,
                     organisation=department)


def test_only_administrators_change(office):
    controller = StaffFactory()
    assign(controller, Role.CONTROLLER)
    for actor in (controller, office["people"][0], None):
        with pytest.raises(PermissionDenied):
            bulk_access_change(actor=actor, people=_ids(office["people"]), action="deactivate")
        with pytest.raises(PermissionDenied):
            bulk_preview(actor=actor, people=_ids(office["people"]), action="deactivate")
    assert all(p.is_active for p in office["people"])
