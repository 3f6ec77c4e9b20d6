"""Integration's demo (after the structure and the areas): three registered systems — the government's document-flow
system, the Ministry of Health's management system and the Department of Control's Krai installation — each with a
service account acting in its role and a token (keys are not printed: an administrator issues new ones on the
system's page), and about forty messages of the exchange log over the last week, in and out, some refused or failed,
so the log and the start page have something to show. Idempotent: systems by code, tokens only for a system without
one, messages only once (their ids start with ``demo-``)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any, TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.integration.models import Channel, Direction, ExchangeMessage, ExchangeStatus, ExternalSystem, SystemKind
from krai.integration.services import systems as services
from krai.org.models import Organisation, Role, ScopeKind, User

ADMIN = "admin@demo.krai"
SYSTEMS = [
    {"code": "sed-delo", "name": "СЭД «Дело» администрации Краснодарского края", "kind": SystemKind.DOCFLOW,
     "owner": "governor-office", "role": Role.CONTROLLER, "scope": ScopeKind.REGION, "rate_limit": "600/min",
     "contact_name": "Сидоренко Олег Викторович", "contact_email": "sed-support@krasnodar.invalid",
     "answer_url": "https://sed.krasnodar.invalid/medo/answers", "payload_days": 180,
     "description": "Система электронного документооборота: поручения поступают пакетами МЭДО, ответы "
                    "о регистрации, назначении исполнителя и отчёте уходят обратно."},
    {"code": "ais-health", "name": "АИС «Здравоохранение Кубани» министерства здравоохранения",
     "kind": SystemKind.MANAGEMENT, "owner": "health", "role": Role.EXECUTOR, "scope": ScopeKind.ORGANISATION,
     "target": "health", "rate_limit": "120/min", "contact_name": "Лысенко Марина Андреевна",
     "contact_email": "ais@minzdrav.krasnodar.invalid", "answer_url": "", "payload_days": None,
     "description": "Система управления министерства: получает поручения министерства через вебхуки и отчитывается "
                    "об исполнении через API."},
    {"code": "krai-control", "name": "Krai Департамента контроля Краснодарского края",
     "kind": SystemKind.INSTALLATION, "owner": "control", "role": Role.CONTROLLER, "scope": ScopeKind.REGION,
     "rate_limit": "6000/hour", "contact_name": "Дежурный администратор",
     "contact_email": "krai@control.krasnodar.invalid",
     "answer_url": "", "payload_days": 365,
     "description": "Установка Департамента контроля, сводящая поручения установок заместителей губернатора."},
]
ERRORS = {
    "medo_schema": "Пакет не прошёл проверку по схеме: в пункте 2 нет элемента «Срок исполнения».",
    "medo_duplicate": "Пакет с этим идентификатором уже принят 3 дня назад; повтор не загружен.",
    "medo_executor": "Исполнитель «Минкурортов края» не найден в структуре: пакет отклонён целиком.",
    "timeout": "Нет ответа от получателя за 10 с (таймаут соединения).",
    "http503": "Получатель ответил 503 Service Unavailable: сервис временно недоступен.",
    "http401": "Получатель отклонил подпись запроса (401): проверьте общий секрет.",
}


def _organisation(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def _systems(admin: User) -> dict[str, ExternalSystem]:
    found: dict[str, ExternalSystem] = {}
    for spec in SYSTEMS:
        system = ExternalSystem.objects.filter(code=spec["code"]).first()
        if system is None:
            target = _organisation(spec["target"]) if spec.get("target") else None
            system = services.system_register(
                actor=admin, code=spec["code"], name=spec["name"], kind=spec["kind"],
                organisation=_organisation(spec["owner"]), description=spec["description"],
                contact_name=spec["contact_name"], contact_email=spec["contact_email"],
                rate_limit=spec["rate_limit"], answer_url=spec["answer_url"], payload_days=spec["payload_days"],
                access_role=spec["role"], access_scope=spec["scope"], access_organisation=target)
        if not system.account.api_tokens.exists():
            services.system_token_issue(actor=admin, system=system, name=f"{spec['code']}: основной сервер",
                                        scopes=["read", "write", "integration:write"])
        found[spec["code"]] = system
    return found


def _medo(number: int, items: int) -> str:
    points = "".join(f"<Пункт номер=\"{i}\"><Текст>Обеспечить исполнение мероприятия {i}</Текст>"
                     f"<Срок>2026-12-{10 + i:02d}</Срок><Исполнитель>Минздрав края</Исполнитель></Пункт>"
                     for i in range(1, items + 1))
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Пакет xmlns=\"urn:medo:demo\"><Документ>"
            f"<Номер>{number}-П</Номер><Вид>Поручение</Вид>{points}</Документ></Пакет>")


def _rows(rng: random.Random, systems: dict[str, ExternalSystem]) -> list[dict[str, Any]]:
    sed, ais, control = systems["sed-delo"], systems["ais-health"], systems["krai-control"]
    rows: list[dict[str, Any]] = []
    for n in range(12):  # MEDO packages in and the answers out
        number = 1400 + n
        failure = {3: "medo_schema", 7: "medo_duplicate", 10: "medo_executor"}.get(n)
        rows.append({"system": sed, "channel": Channel.MEDO, "direction": Direction.IN, "kind": "medo.package",
                     "status": ExchangeStatus.REFUSED if failure else ExchangeStatus.OK,
                     "summary": f"Поручение № {number}-П: {rng.randint(1, 4)} пункта",
                     "payload": _medo(number, rng.randint(1, 3)), "content_type": "application/xml",
                     "error": ERRORS[failure] if failure else "", "http_status": 400 if failure else 201})
        if not failure:
            rows.append({"system": sed, "channel": Channel.MEDO, "direction": Direction.OUT, "kind": "medo.answer",
                         "status": ExchangeStatus.FAILED if n == 5 else ExchangeStatus.OK,
                         "summary": f"Уведомление о регистрации поручения № {number}-П",
                         "payload": _medo(number, 0).replace("<Вид>Поручение</Вид>", "<Вид>Уведомление</Вид>"),
                         "content_type": "application/xml", "error": ERRORS["timeout"] if n == 5 else "",
                         "http_status": None if n == 5 else 200, "peer": sed.answer_url})
    for n in range(10):  # webhooks to the ministry's system, its reports through the API
        failed = n in (2, 6)
        body = {"type": "orders.order_issued", "data": {"event_id": 5000 + n, "subject_type": "orders.order",
                                                         "subject_id": 300 + n}}
        rows.append({"system": ais, "channel": Channel.WEBHOOK, "direction": Direction.OUT,
                     "kind": "orders.order_issued", "status": ExchangeStatus.FAILED if failed else ExchangeStatus.OK,
                     "summary": f"Поручение № {300 + n} выдано министерству", "payload": json.dumps(body),
                     "content_type": "application/json", "http_status": 503 if n == 2 else None if failed else 200,
                     "error": ERRORS["http503"] if n == 2 else ERRORS["timeout"] if failed else ""})
        if n % 2 == 0:
            rows.append({"system": ais, "channel": Channel.API, "direction": Direction.IN,
                         "kind": "orders.report", "status": ExchangeStatus.OK,
                         "summary": f"Отчёт об исполнении поручения № {300 + n}",
                         "payload": json.dumps({"text": "Мероприятие выполнено, акт приёмки подписан."},
                                               ensure_ascii=False), "content_type": "application/json",
                         "http_status": 201})
    for n in range(8):  # pushes to the Department of Control's installation
        failed = n == 4
        rows.append({"system": control, "channel": Channel.CONSOLIDATION, "direction": Direction.OUT,
                     "kind": "consolidation.push", "status": ExchangeStatus.FAILED if failed else ExchangeStatus.OK,
                     "summary": f"Сводка поручений: {rng.randint(3, 40)} изменений",
                     "payload": json.dumps({"installation": "krai", "batch": 700 + n}),
                     "content_type": "application/json", "http_status": 401 if failed else 202,
                     "error": ERRORS["http401"] if failed else ""})
    return rows


@demo_loader(order=90)
def load_integration(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    admin = User.objects.filter(email=ADMIN).first()
    if admin is None:
        stdout.write("  integration: skipped (no administrator: load the structure first)\n")
        return []
    systems = _systems(admin)
    if not ExchangeMessage.objects.filter(correlation_id__startswith="demo-").exists():
        now = timezone.now()
        rows = _rows(rng, systems)
        for n, row in enumerate(rows):
            payload = row.pop("payload")
            at = now - dt.timedelta(days=rng.uniform(0, 7) if n % 4 else rng.uniform(0, 0.9))
            ExchangeMessage.objects.create(**row, correlation_id=f"demo-{n:04d}", payload=payload,
                                           payload_size=len(payload.encode()), created_at=at,
                                           duration_ms=rng.randint(40, 2500))
    stdout.write(f"  integration: {len(systems)} systems, "
                 f"{ExchangeMessage.objects.filter(correlation_id__startswith='demo-').count()} messages\n")
    return []
