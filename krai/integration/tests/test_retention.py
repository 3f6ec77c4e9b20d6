"""The log's retention: payloads past their system's own period, or the installation's for everything else, are
emptied (the row stays, ``payload_purged_at`` set), in batches; younger ones stay; a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from krai.integration import retention, tasks
from krai.integration.models import ExchangeMessage
from krai.integration.tests.factories import external_system
from krai.integration.tests.systems_helpers import message

pytestmark = pytest.mark.django_db


def test_payloads_are_emptied_by_each_systems_period(settings) -> None:
    settings.KRAI_INTEGRATION_PAYLOAD_DAYS = 30
    now = timezone.now()
    short, plain = external_system("short", payload_days=7), external_system("plain")
    ago = {name: now - timedelta(days=days) for name, days in (("1", 1), ("8", 8), ("31", 31), ("400", 400))}
    rows = {
        "short_1": message(system=short, payload="a", created_at=ago["1"]),
        "short_8": message(system=short, payload="b", created_at=ago["8"]),
        "plain_8": message(system=plain, payload="c", created_at=ago["8"]),
        "plain_31": message(system=plain, payload="d", created_at=ago["31"]),
        "none_31": message(payload="e", created_at=ago["31"]),
        "none_8": message(payload="f", created_at=ago["8"]),
        "empty_400": message(payload="", created_at=ago["400"]),
    }
    assert retention.purge_payloads(now=now, batch=1) == 3
    purged = {name for name, row in rows.items() if ExchangeMessage.objects.get(pk=row.pk).payload_purged_at}
    assert purged == {"short_8", "plain_31", "none_31"}
    kept = ExchangeMessage.objects.get(pk=rows["short_8"].pk)
    assert kept.payload == "" and kept.payload_size == 1 and kept.kind == "medo.package"
    assert ExchangeMessage.objects.get(pk=rows["plain_8"].pk).payload == "c"
    assert ExchangeMessage.objects.count() == 7
    assert retention.purge_payloads(now=now) == 0


def test_the_daily_job_runs_the_retention(settings) -> None:
    settings.KRAI_INTEGRATION_PAYLOAD_DAYS = 1
    row = message(payload="old", created_at=timezone.now() - timedelta(days=2))
    tasks.purge_exchange_payloads.call_local()
    row.refresh_from_db()
    assert row.payload == "" and row.payload_purged_at is not None
