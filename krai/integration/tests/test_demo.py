"""Integration's demo: three systems with their accounts, roles and tokens, about forty messages in and out with
refusals and failures over the last week; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from krai.accounts.models import ApiToken
from krai.integration.models import ExchangeMessage, ExternalSystem
from krai.org.models import RoleAssignment

pytestmark = pytest.mark.django_db


def test_the_demo_registers_three_systems_and_fills_the_log() -> None:
    call_command("demo", only=["krai.org.demo", "krai.integration.demo"], stdout=io.StringIO())
    systems = {s.code: s for s in ExternalSystem.objects.all()}
    assert set(systems) == {"sed-delo", "ais-health", "krai-control"}
    assert systems["krai-control"].kind == "installation" and systems["sed-delo"].kind == "docflow"
    assert RoleAssignment.objects.get(user=systems["ais-health"].account).organisation.code == "health"
    assert all(ApiToken.objects.filter(user=s.account, kind="system").count() == 1 for s in systems.values())
    rows = ExchangeMessage.objects.all()
    assert 35 <= rows.count() <= 50
    assert {"in", "out"} == set(rows.values_list("direction", flat=True))
    assert rows.filter(status="refused").exists() and rows.filter(status="failed").exists()
    assert all(r.error for r in rows.filter(status__in=["refused", "failed"]))
    counts = (ExternalSystem.objects.count(), ApiToken.objects.count(), rows.count())
    call_command("demo", only=["krai.integration.demo"], stdout=io.StringIO())
    assert (ExternalSystem.objects.count(), ApiToken.objects.count(), ExchangeMessage.objects.count()) == counts
