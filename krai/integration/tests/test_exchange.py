"""The exchange log: the list (newest first, paged, every filter, the search over the message id, the summary, the
error and the kept payload), a message (all fields, the payload escaped and pretty-printed, its download, the day
it was removed), the API's list and message with the same filters; who reads it (administrators and controllers; a
system's own token only its own messages; an executor 403/404)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from krai.accounts.tests.factories import make_token
from krai.integration.models import ExchangeMessage
from krai.integration.tests.factories import administrator, controller, external_system, system_token
from krai.integration.tests.systems_helpers import api, message
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db
LOG = "/workspace/integration/log/"
API = "/api/v1/integration/exchange/"


def _total(response) -> int:
    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


def _order(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-message="(\d+)"', response.content.decode())]


@pytest.fixture
def log() -> dict:
    now = timezone.now()
    sed, ais = external_system("sed-delo"), external_system("ais-health", kind="management")
    rows = {
        "package": message(system=sed, correlation_id="MEDO-1400", summary="Поручение № 1400-П",
                           payload="<Пакет><Номер>1400-П</Номер></Пакет>", content_type="application/xml",
                           created_at=now - timedelta(hours=3)),
        "refused": message(system=sed, status="refused", error="Пакет не прошёл проверку по схеме",
                           created_at=now - timedelta(days=3)),
        "webhook": message(system=ais, channel="webhook", direction="out", kind="orders.order_issued",
                           status="failed", http_status=503, payload=json.dumps({"subject_id": 77}),
                           content_type="application/json", created_at=now - timedelta(minutes=5)),
        "folder": message(channel="folder", peer="/srv/medo/in", summary="Файл без системы",
                          created_at=now - timedelta(days=10)),
    }
    return {"sed": sed, "ais": ais, **rows}


def test_the_list_is_newest_first_and_filtered(client, log) -> None:
    client.force_login(controller())
    everything = client.get(LOG)
    assert everything.status_code == 200
    assert _order(everything) == [log[k].pk for k in ("webhook", "package", "refused", "folder")]
    today = timezone.localdate()
    cases = {
        "system=sed-delo": 2, "channel=webhook": 1, "direction=out": 1, "status=refused": 1, "hours=24": 2,
        f"date_from={today - timedelta(days=4)}&date_to={today - timedelta(days=2)}": 1,
        "q=1400-П": 1, "q=MEDO-14": 1, "q=схеме": 1, "q=subject_id": 1, "q=Файл без": 1,
        "system=sed-delo&status=ok": 1,
    }
    for query, count in cases.items():
        assert _total(client.get(f"{LOG}?{query}")) == count, query
    bad = client.get(f"{LOG}?date_from={today}&date_to={today - timedelta(days=1)}&status=lost")
    assert bad.status_code == 400 and "The end of the period comes before its start." in bad.content.decode()


def test_the_list_pages(client) -> None:
    for n in range(55):
        message(correlation_id=f"m-{n}")
    client.force_login(administrator())
    first = client.get(LOG)
    assert _total(first) == 55 and len(_order(first)) == 50 and 'rel="next"' in first.content.decode()
    assert len(_order(client.get(LOG + "?page=2"))) == 5


def test_a_message_shows_everything_its_payload_pretty_and_escaped(client, log) -> None:
    client.force_login(controller())
    page = client.get(f"{LOG}{log['package'].pk}/").content.decode()
    assert "MEDO-1400" in page and "&lt;Пакет&gt;\n  &lt;Номер&gt;1400-П&lt;/Номер&gt;\n&lt;/Пакет&gt;" in page
    assert f'{LOG}{log["package"].pk}/payload/' in page
    page = client.get(f"{LOG}{log['webhook'].pk}/").content.decode()
    assert '{\n  &quot;subject_id&quot;: 77\n}' in page and "503" in page
    hostile = message(payload='<script>alert(1)</script>', error="<b>ошибка</b>", summary="<i>итог</i>")
    page = client.get(f"{LOG}{hostile.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>ошибка" not in page and "<i>итог" not in page


def test_a_hostile_xml_payload_is_shown_as_it_came(client) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            "<lolz>&lol2;</lolz>")
    row = message(payload=bomb, content_type="application/xml")
    client.force_login(controller())
    page = client.get(f"{LOG}{row.pk}/")
    assert page.status_code == 200 and "lollollollol" not in page.content.decode()


def test_the_download_is_an_attachment_never_a_page(client, log) -> None:
    client.force_login(controller())
    download = client.get(f"{LOG}{log['package'].pk}/payload/")
    assert download["Content-Type"] == "application/xml; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="exchange-{log["package"].pk}.xml"'
    assert download.content.decode() == "<Пакет><Номер>1400-П</Номер></Пакет>"
    html = message(payload="<html><script>alert(1)</script></html>", content_type="text/html")
    assert client.get(f"{LOG}{html.pk}/payload/")["Content-Type"] in ("application/xml; charset=utf-8",
                                                                      "text/plain; charset=utf-8")
    assert client.get(f"{LOG}{log['refused'].pk}/payload/").status_code == 404  # nothing kept


def test_a_removed_payload_says_when(client, log) -> None:
    ExchangeMessage.objects.filter(pk=log["package"].pk).update(payload="", payload_purged_at=timezone.now())
    client.force_login(controller())
    page = client.get(f"{LOG}{log['package'].pk}/").content.decode()
    assert f"The payload was removed on {timezone.localdate():%d.%m.%Y}" in page
    assert client.get(f"{LOG}{log['package'].pk}/payload/").status_code == 404


def test_an_executor_reads_nothing(client, log) -> None:
    executor = StaffFactory()
    assign(executor, Role.EXECUTOR, organisation=OrganisationFactory())
    client.force_login(executor)
    assert client.get(LOG).status_code == 403
    assert client.get(f"{LOG}{log['package'].pk}/").status_code == 404
    assert client.get(f"{LOG}{log['package'].pk}/payload/").status_code == 404
    assert api(executor).get(API).status_code == 403
    assert api(executor).get(f"{API}{log['package'].pk}/").status_code == 403
    assert api().get(API).status_code == 401


def test_the_api_lists_with_the_same_filters_and_shows_a_message(log) -> None:
    client = api(key=make_token(controller(), scopes=("read",))[1])
    data = client.get(API, {"page_size": 2}).json()
    assert data["count"] == 4 and [r["id"] for r in data["results"]] == [log["webhook"].pk, log["package"].pk]
    assert data["next"] is not None and "payload" not in data["results"][0]
    assert client.get(API, {"system": "sed-delo", "status": "refused"}).json()["count"] == 1
    assert client.get(API, {"q": "subject_id", "hours": 1}).json()["count"] == 1
    bad = client.get(API, {"direction": "sideways", "system": "missing"})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"direction", "system"}
    detail = client.get(f"{API}{log['package'].pk}/").json()
    assert detail["payload"].startswith("<Пакет>") and detail["system"] == "sed-delo"
    assert client.get(f"{API}999999/").status_code == 404


def test_a_system_reads_only_its_own_messages(log) -> None:
    client = api(key=system_token(log["sed"], scopes=["read"]).key)  # its account acts as a controller
    data = client.get(API).json()
    assert data["count"] == 2 and {r["system"] for r in data["results"]} == {"sed-delo"}
    assert client.get(f"{API}{log['webhook'].pk}/").status_code == 404
