"""The systems' pages: the list (searched, paged), registering (errors by field, nothing written), a system's page,
its change, a token issued (its key on that answer only) and revoked, deactivating and reactivating; administrators
only — a controller gets 403 for the list and the forms and 404 for a system's page; user text is escaped."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from krai.accounts.models import ApiToken
from krai.integration.models import ExternalSystem
from krai.integration.tests.factories import administrator, body, controller
from krai.integration.tests.systems_helpers import kinds, message, registered
from krai.org.models import RoleAssignment

pytestmark = pytest.mark.django_db
SYSTEMS = "/workspace/integration/systems/"


def _total(response) -> int:
    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


def test_the_list_searches_filters_and_pages(client) -> None:
    admin = administrator()
    for n in range(32):
        registered(f"sys-{n:02d}", actor=admin, name=f"Система {n:02d}")
    registered("sed-delo", actor=admin, name="СЭД «Дело»", kind="management")
    client.force_login(admin)
    page = client.get(SYSTEMS)
    assert page.status_code == 200 and _total(page) == 33 and 'rel="next"' in page.content.decode()
    assert 'data-system="sys-31"' in client.get(SYSTEMS + "?page=2").content.decode()
    assert _total(client.get(SYSTEMS + "?q=sed")) == 1
    assert _total(client.get(SYSTEMS + "?kind=management")) == 1
    assert _total(client.get(SYSTEMS + "?active=0")) == 0


def test_registering_through_the_form(client) -> None:
    admin, health = administrator(), body("health")
    client.force_login(admin)
    form = client.get(SYSTEMS + "new/")
    assert form.status_code == 200 and 'data-krai-picker="local"' in form.content.decode()
    answer = client.post(SYSTEMS + "new/", {
        "code": "ais-health", "name": "АИС «Здравоохранение»", "kind": "management", "organisation": health.pk,
        "rate_limit": "120/min", "access_role": "executor", "access_scope": "organisation",
        "access_organisation": health.pk})
    assert answer.status_code == 302 and answer["Location"] == SYSTEMS + "ais-health/"
    system = ExternalSystem.objects.get(code="ais-health")
    assert RoleAssignment.objects.get(user=system.account).organisation == health
    page = client.get(answer["Location"])
    assert page.status_code == 200 and "system.ais-health@systems.invalid" in page.content.decode()


def test_a_bad_form_shows_the_errors_by_field_and_writes_nothing(client) -> None:
    client.force_login(administrator())
    answer = client.post(SYSTEMS + "new/", {"code": "sed", "name": "СЭД", "kind": "docflow", "rate_limit": "fast",
                                            "access_role": "executor", "access_scope": "region"})
    text = answer.content.decode()
    assert answer.status_code == 400 and not ExternalSystem.objects.exists()
    assert "Write the rate as a number of requests per sec, min, hour or day" in text
    assert "The role executor cannot act within this scope" in text


def test_changing_a_system(client) -> None:
    admin = administrator()
    system = registered(actor=admin)
    client.force_login(admin)
    form = client.get(SYSTEMS + "sed-delo/edit/")
    assert form.status_code == 200 and 'name="code"' not in form.content.decode()
    answer = client.post(SYSTEMS + "sed-delo/edit/", {
        "name": "СЭД «Дело»", "kind": "docflow", "rate_limit": "30/sec", "payload_days": 7,
        "access_role": "controller", "access_scope": "region"})
    assert answer.status_code == 302
    system.refresh_from_db()
    assert system.rate_limit == "30/sec" and system.payload_days == 7
    assert kinds() == ["integration.system_registered", "integration.system_changed"]
    bad = client.post(SYSTEMS + "sed-delo/edit/", {"name": "", "kind": "docflow", "access_role": "controller",
                                                   "access_scope": "region", "payload_days": 0})
    assert bad.status_code == 400
    system.refresh_from_db()
    assert system.payload_days == 7 and system.name == "СЭД «Дело»"


def test_a_token_is_shown_once_and_revoked(client) -> None:
    admin = administrator()
    registered(actor=admin)
    client.force_login(admin)
    issued = client.post(SYSTEMS + "sed-delo/tokens/", {"name": "сервер", "scopes": ["read", "write"],
                                                        "expires_on": "2099-12-31"})
    assert issued.status_code == 200 and "no-store" in issued.get("Cache-Control", "")
    key = re.search(r'value="(krai_[0-9a-f]+_[^"]+)"', issued.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert key.startswith(f"krai_{token.prefix}_")
    assert timezone.localtime(token.expires_at).date().isoformat() == "2100-01-01"
    page = client.get(SYSTEMS + "sed-delo/").content.decode()
    assert token.display in page and key not in page
    refused = client.post(SYSTEMS + "sed-delo/tokens/", {"name": "", "scopes": []})
    assert refused.status_code == 400 and ApiToken.objects.count() == 1
    client.post(SYSTEMS + f"sed-delo/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_deactivating_and_reactivating(client) -> None:
    admin = administrator()
    system = registered(actor=admin)
    client.force_login(admin)
    client.post(SYSTEMS + "sed-delo/deactivate/")
    system.refresh_from_db()
    assert not system.is_active and not system.account.is_active
    page = client.get(SYSTEMS + "sed-delo/").content.decode()
    assert "reactivate/" in page and 'id="krai-token-form"' not in page
    client.post(SYSTEMS + "sed-delo/reactivate/")
    system.refresh_from_db()
    assert system.is_active and system.account.is_active


def test_others_cannot_open_or_change_systems(client) -> None:
    system = registered()
    client.force_login(controller())
    assert client.get(SYSTEMS).status_code == 403
    assert client.get(SYSTEMS + "new/").status_code == 403
    assert client.post(SYSTEMS + "new/", {"code": "x1", "name": "X"}).status_code == 403
    for path in ("", "edit/"):
        assert client.get(f"{SYSTEMS}sed-delo/{path}").status_code == 404
    for path in ("deactivate/", "tokens/"):
        assert client.post(f"{SYSTEMS}sed-delo/{path}", {"name": "t", "scopes": ["read"]}).status_code == 404
    system.refresh_from_db()
    assert system.is_active and not ApiToken.objects.exists()
    client.force_login(administrator())
    assert client.get(SYSTEMS + "missing/").status_code == 404


def test_user_text_is_escaped(client) -> None:
    admin = administrator()
    system = registered(actor=admin, name="<script>alert(1)</script>", description="<b>жирный</b>")
    message(system=system, summary="<img src=x onerror=alert(2)>")
    client.force_login(admin)
    for path in (SYSTEMS, SYSTEMS + "sed-delo/"):
        text = client.get(path).content.decode()
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
    text = client.get(SYSTEMS + "sed-delo/").content.decode()
    assert "<b>жирный" not in text and "<img src=x" not in text
