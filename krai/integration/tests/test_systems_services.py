"""The systems' services: registering a system opens its service account (no password, never signs in through the
pages) acting in the one role chosen; changing, deactivating (its tokens stop working), reactivating, issuing and
revoking tokens — each recorded as an event; every refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.accounts.models import ApiToken
from krai.integration.models import ExternalSystem
from krai.integration.rates import clean_rate
from krai.integration.services import systems as services
from krai.integration.tests.factories import administrator, body, controller
from krai.integration.tests.systems_helpers import api, kinds, registered
from krai.org.models import Role, RoleAssignment, ScopeKind, User
from krai.org.tests.factories import BlockFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _fields(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


def test_registering_opens_a_service_account_acting_in_the_chosen_role(client) -> None:
    owner, health = body("governor-office"), body("health")
    system = registered("ais-health", organisation=owner, access_role="executor", access_scope="organisation",
                        access_organisation=health, rate_limit=" 120 / minute ", payload_days=30,
                        contact_email="ais@example.ru", answer_url="https://ais.example.ru/answers")
    account = system.account
    assert account.email == "system.ais-health@systems.invalid" and account.is_staff and account.is_active
    assert not account.has_usable_password()
    assert system.rate_limit == "120/min" and system.organisation == owner and system.payload_days == 30
    held = RoleAssignment.objects.get(user=account)
    assert (held.role, held.scope, held.organisation) == (Role.EXECUTOR, ScopeKind.ORGANISATION, health)
    assert kinds() == ["integration.system_registered"]
    # it can never sign in through the pages: no password works, the form refuses
    for password in ("", "krai-demo-2026", "!"):
        page = client.post("/accounts/login/", {"username": account.email, "password": password})
        assert "_auth_user_id" not in client.session and page.status_code in (200, 400)


@pytest.mark.parametrize(("values", "fields"), [
    ({"code": "Не латиница"}, {"code"}),
    ({"code": "new"}, {"code"}),
    ({"name": "  "}, {"name"}),
    ({"kind": "mainframe"}, {"kind"}),
    ({"rate_limit": "600 per minute"}, {"rate_limit"}),
    ({"rate_limit": "0/min"}, {"rate_limit"}),
    ({"answer_url": "ftp://sed.example.ru/answers"}, {"answer_url"}),
    ({"payload_days": 0}, {"payload_days"}),
    ({"contact_email": "not an address"}, {"contact_email"}),
    ({"access_role": "administrator"}, {"access_role"}),
    ({"access_role": "governor"}, {"access_role"}),
    ({"access_role": "executor", "access_scope": "region"}, {"access_scope"}),
    ({"access_scope": "block"}, {"access_block"}),
    ({"access_scope": "organisation", "access_role": "head"}, {"access_organisation"}),
    ({"code": "!", "name": "", "rate_limit": "x"}, {"code", "name", "rate_limit"}),
])
def test_a_bad_registration_is_refused_by_field_and_writes_nothing(values, fields) -> None:
    admin = administrator()
    users = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        registered(**{"code": values.pop("code", "sed-delo"), "actor": admin, **values})
    assert _fields(exc) == fields
    assert not ExternalSystem.objects.exists() and User.objects.count() == users and kinds() == []


def test_targets_must_match_the_scope_and_be_active() -> None:
    admin = administrator()
    closed = body(is_active=False)
    with pytest.raises(ValidationError) as exc:
        registered(actor=admin, access_role="controller", access_scope="region",
                   access_municipality=MunicipalityFactory())
    assert _fields(exc) == {"access_municipality"}
    with pytest.raises(ValidationError) as exc:
        registered(actor=admin, access_role="head", access_scope="organisation", access_organisation=closed,
                   organisation=closed)
    assert _fields(exc) == {"access_organisation", "organisation"}
    block = BlockFactory()
    system = registered(actor=admin, access_role="vice_governor", access_scope="block", access_block=block)
    assert RoleAssignment.objects.get(user=system.account).block == block


def test_a_code_is_registered_once() -> None:
    admin = administrator()
    registered(actor=admin)
    with pytest.raises(ValidationError) as exc:
        registered("SED-DELO", actor=admin)
    assert exc.value.message_dict["code"] == ["A system with this code is already registered."]
    assert ExternalSystem.objects.count() == 1


def test_only_an_administrator_registers() -> None:
    for actor in (controller(), None):
        with pytest.raises(PermissionDenied):
            services.system_register(actor=actor, code="sed", name="СЭД", access_role="controller",
                                     access_scope="region")
    assert not ExternalSystem.objects.exists()


def test_a_change_is_recorded_and_a_new_access_replaces_the_role() -> None:
    admin = administrator()
    system = registered(actor=admin)
    health = body()
    services.system_update(actor=admin, system=system, name="СЭД «Дело» 2.0", rate_limit="10/sec",
                           access_role="head", access_scope="organisation", access_organisation=health)
    system.refresh_from_db()
    assert system.name == "СЭД «Дело» 2.0" and system.rate_limit == "10/sec"
    assert system.account.surname == "СЭД «Дело» 2.0"
    held = RoleAssignment.objects.filter(user=system.account)
    assert [(a.role, a.organisation) for a in held] == [(Role.HEAD, health)]
    assert kinds() == ["integration.system_registered", "integration.system_changed"]
    # the same values again: nothing changes, nothing is recorded
    services.system_update(actor=admin, system=system, name="СЭД «Дело» 2.0", access_role="head",
                           access_scope="organisation", access_organisation=health)
    assert len(kinds()) == 2


def test_a_bad_change_is_refused_and_changes_nothing() -> None:
    admin = administrator()
    system = registered(actor=admin, rate_limit="5/min")
    with pytest.raises(ValidationError) as exc:
        services.system_update(actor=admin, system=system, rate_limit="fast", access_role="executor")
    assert _fields(exc) == {"rate_limit", "access_scope"}
    with pytest.raises(PermissionDenied):
        services.system_update(actor=controller(), system=system, name="Чужая")
    system.refresh_from_db()
    assert system.rate_limit == "5/min" and system.name == "СЭД «Дело»"
    assert RoleAssignment.objects.get(user=system.account).role == Role.CONTROLLER
    assert kinds() == ["integration.system_registered"]


def test_deactivating_stops_its_tokens_and_reactivating_lets_them_work_again() -> None:
    admin = administrator()
    system = registered(actor=admin)
    key = services.system_token_issue(actor=admin, system=system, name="сервер", scopes=["read"]).key
    assert api(key=key).get("/api/v1/integration/me/").status_code == 200
    services.system_deactivate(actor=admin, system=system)
    system.refresh_from_db()
    assert not system.is_active and not system.account.is_active
    refused = api(key=key).get("/api/v1/integration/me/")
    assert refused.status_code == 401 and refused.json()["error"]["message"] == "The account of this token is closed."
    with pytest.raises(ValidationError):
        services.system_deactivate(actor=admin, system=system)
    with pytest.raises(ValidationError):
        services.system_token_issue(actor=admin, system=system, name="ещё", scopes=["read"])
    services.system_reactivate(actor=admin, system=system)
    system.refresh_from_db()
    assert system.is_active and system.account.is_active
    assert api(key=key).get("/api/v1/integration/me/").status_code == 200
    with pytest.raises(ValidationError):
        services.system_reactivate(actor=admin, system=system)
    with pytest.raises(PermissionDenied):
        services.system_deactivate(actor=controller(), system=system)
    assert kinds() == ["integration.system_registered", "integration.system_token_issued",
                       "integration.system_deactivated", "integration.system_reactivated"]


def test_tokens_are_issued_once_and_revoked() -> None:
    admin = administrator()
    system, other = registered(actor=admin), registered("other", actor=admin)
    later = timezone.now() + timedelta(days=30)
    issued = services.system_token_issue(actor=admin, system=system, name="сервер",
                                         scopes=["read", "write", "integration:write"], expires_at=later)
    token = issued.token
    assert token.kind == ApiToken.Kind.SYSTEM and token.user == system.account and token.expires_at == later
    assert issued.key.startswith(f"krai_{token.prefix}_") and issued.key not in str(ApiToken.objects.values())
    with pytest.raises(ValidationError) as exc:
        services.system_token_issue(actor=admin, system=system, name="", scopes=["everything"])
    assert _fields(exc) == {"name", "scopes"}
    with pytest.raises(PermissionDenied):
        services.system_token_issue(actor=controller(), system=system, name="мой", scopes=["read"])
    with pytest.raises(ValidationError):
        services.system_token_revoke(actor=admin, system=other, token=token)
    services.system_token_revoke(actor=admin, system=system, token=token)
    services.system_token_revoke(actor=admin, system=system, token=token)  # twice: nothing more
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api(key=issued.key).get("/api/v1/integration/me/").status_code == 401
    assert kinds().count("integration.system_token_revoked") == 1
    assert ApiToken.objects.filter(user=system.account).count() == 1


@pytest.mark.parametrize(("text", "clean"), [
    ("600/min", "600/min"), ("10/s", "10/sec"), ("5 / Hour", "5/hour"), ("10000/day", "10000/day"),
    ("3/second", "3/sec"), ("", ""), ("  ", ""),
])
def test_rates_are_read_in_their_canonical_form(text, clean) -> None:
    assert clean_rate(text) == clean


@pytest.mark.parametrize("text", ["600", "600/week", "min/600", "-1/min", "0/sec", "1.5/min"])
def test_malformed_rates_are_refused(text) -> None:
    with pytest.raises(ValueError):
        clean_rate(text)
