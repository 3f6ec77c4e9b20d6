"""Issue 20's test: two installations on one machine consolidate, and survive one of them being stopped.

Two real ``krai serve`` (gunicorn and the Huey consumer) on 127.0.0.1, each with its own SQLite database and
var directory: the Department of Control's (the receiver, knowing the source's secret) and a vice-governor's
(the source, pushing there every second). Orders made on the source arrive; the receiver is stopped (SIGTERM),
the source goes on (status changes, a backlog of more than a batch) and fails to push; the receiver starts again
and the source's retry delivers — the source is killed (-9, its whole process group) as soon as the receiver
has stored part of the backlog, so in the middle of pushing it; started again, it resumes. At the end the
receiver holds every issued order exactly once, each with the source's status and its latest version, counted
from the source's own outbox with SQL (not through the code under test).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from krai.integration.consolidation.tests.helpers import new_secret

pytestmark = pytest.mark.slow

ROOT = Path(settings.BASE_DIR)
PY = sys.executable
BACKLOG = 600  # three batches of 200: the kill after the first lands while the others are still to come

#: run on the source with ``krai shell``: a small government (idempotent by codes), then status changes of the
#: first three orders and (or) new orders, as ORDERS_ACTION says
SCRIPT = r'''
import os
from krai.orders.models import Order
from krai.orders.services import control, order_create, order_issue
from krai.org.models import Block, Organisation, Role, RoleAssignment, ScopeKind, User

block, _ = Block.objects.get_or_create(code="economy", defaults={"name": "Экономический блок"})
control_body, _ = Organisation.objects.get_or_create(code="control", defaults={
    "name": "Департамент контроля", "kind": Organisation.Kind.CONTROL})
economy, _ = Organisation.objects.get_or_create(code="min-economy", defaults={
    "name": "Министерство экономики", "block": block})


def person(email, surname, role, **target):
    user, _ = User.objects.get_or_create(email=email, defaults={"surname": surname, "given_name": "Иван",
                                                                "is_staff": True})
    scope = ScopeKind.ORGANISATION if target else ScopeKind.REGION
    RoleAssignment.objects.get_or_create(user=user, role=role, scope=scope, **target)
    return User.objects.get(pk=user.pk)


governor = person("governor@economy.test", "Губернатор", Role.GOVERNOR)
head = person("head@economy.test", "Министр", Role.HEAD, organisation=economy)
actions, count = os.environ["ORDERS_ACTION"].split("+"), int(os.environ.get("ORDERS_COUNT", "0"))
if "progress" in actions:
    first, second, third = Order.objects.filter(is_draft=False).order_by("pk")[:3]
    for order in (first, second, third):
        control.control_report(actor=head, assignment=order.assignment, text="Отчёт об исполнении")
    for order in (first, second):
        control.control_accept(actor=governor, assignment=order.assignment)
if "create" in actions:
    for n in range(count):
        order = order_create(actor=governor, title=f"Поручение о развитии экономики № {n}", text="Текст",
                             lead_organisation=economy, controller_organisation=control_body, working_days=10)
        order_issue(actor=governor, order=order)
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Installation:
    """One ``krai serve`` with its own database and var directory, started in its own process group."""

    def __init__(self, root: Path, name: str, **variables: str) -> None:
        self.dir = root / name
        self.dir.mkdir()
        self.db = self.dir / "db.sqlite3"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("KRAI_", "DJANGO_", "PYTEST_", "PROMETHEUS_"))}
        self.env.update({"KRAI_VAR_DIR": str(self.dir), "KRAI_DATABASE_URL": f"sqlite:///{self.db}",
                         "KRAI_SITE_URL": self.url, "KRAI_WORKERS": "2", "KRAI_LOG_LEVEL": "WARNING",
                         **variables})
        self.process: subprocess.Popen | None = None
        self.log = self.dir / "serve.log"

    def krai(self, *args: str, **variables: str) -> str:
        done = subprocess.run([PY, "-m", "krai.cli", *args], cwd=ROOT, env={**self.env, **variables},
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def orders(self, action: str, count: int = 0) -> None:
        script = self.dir / "orders.py"
        script.write_text(SCRIPT, encoding="utf-8")
        self.krai("shell", "-c", f"exec(open({str(script)!r}, encoding='utf-8').read())", ORDERS_ACTION=action,
                  ORDERS_COUNT=str(count))

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [PY, "-m", "krai.cli", "serve", "--port", str(self.port), "--web-workers", "1", "--threads", "2"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310 — ours
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"{self.dir.name} did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if sig == signal.SIGKILL:  # the group: gunicorn's workers and the consumer die with the supervisor
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute(sql).fetchall()


def _expected(source: Installation) -> dict[int, tuple[str, int]]:
    """Every issued order of the source: its status and the id of its latest event, straight from its tables."""
    [(order_type,)] = source.query("SELECT id FROM django_content_type WHERE app_label='orders' AND model='order'")
    statuses = dict(source.query("SELECT o.id, a.status FROM orders_order o JOIN orders_assignment a "
                                 "ON a.id = o.assignment_id WHERE o.is_draft = 0"))
    latest: dict[int, int] = {}
    for pk, kind, subject_type, subject_id, payload in source.query(
            "SELECT id, kind, subject_type_id, subject_id, payload FROM events_event "
            "WHERE kind LIKE 'orders.%' OR kind LIKE 'control.%'"):
        data = json.loads(payload or "{}")
        if kind.startswith("orders.") and subject_type == order_type:
            order = int(subject_id)
        elif kind.startswith("control.") and data.get("kind") == "order":
            order = int(data["subject_id"])
        else:
            continue
        latest[order] = max(latest.get(order, 0), pk)
    return {pk: (status, latest[pk]) for pk, status in statuses.items()}


def _held(receiver: Installation) -> list[tuple[int, str, int]]:
    try:
        return receiver.query("SELECT remote_id, status, version FROM consolidation_consolidatedorder")
    except sqlite3.OperationalError:  # locked for a moment by a writer
        return []


def _wait(condition, timeout: float, what: str, *logs: Installation, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    tails = "\n".join(f"--- {i.dir.name}\n{i.log.read_text()[-2500:]}" for i in logs)
    pytest.fail(f"{what} (after {timeout} s)\n{tails}")


def _matches(receiver: Installation, source: Installation) -> bool:
    held = _held(receiver)
    expected = _expected(source)
    return len(held) == len(expected) and {pk: (status, version) for pk, status, version in held} == expected


def test_two_installations_consolidate_and_survive_a_stop_and_a_kill(tmp_path):
    secret = new_secret()
    receiver = Installation(tmp_path, "control", KRAI_INSTALLATION_CODE="control",
                            KRAI_INSTALLATION_NAME="Департамент контроля",
                            KRAI_CONSOLIDATION_SOURCES=f"economy={secret}")
    source = Installation(tmp_path, "economy", KRAI_INSTALLATION_CODE="economy",
                          KRAI_INSTALLATION_NAME="Экономический блок", KRAI_CONSOLIDATION_UPSTREAM_URL=receiver.url,
                          KRAI_CONSOLIDATION_SECRET=secret, KRAI_CONSOLIDATION_PUSH_SECONDS="1")
    # one migration, two copies (migrating takes most of the time of this test)
    receiver.krai("migrate", "-v", "0")
    with sqlite3.connect(receiver.db) as original, sqlite3.connect(source.db) as copy:
        original.backup(copy)
    try:
        receiver.start()
        source.start()
        source.orders("create", 5)
        _wait(lambda: _matches(receiver, source), 60, "the first five orders did not arrive", source, receiver)

        receiver.stop(signal.SIGTERM)
        assert receiver.process.returncode == 0
        source.orders("progress+create", BACKLOG)
        _wait(lambda: source.query("SELECT failures FROM consolidation_pushcursor")[0][0] > 0, 30,
              "the source did not notice the receiver was down", source)
        [(error,)] = source.query("SELECT last_error FROM consolidation_pushcursor")
        assert "ConnectionError" in error
        assert source.query("SELECT count(*) FROM integration_exchangemessage WHERE channel = 'consolidation' "
                            "AND direction = 'out' AND status = 'failed'")[0][0] > 0

        receiver.start()
        # the source's retry begins the backlog: as soon as part of it is stored, the source is killed mid-push
        _wait(lambda: len(_held(receiver)) > 5, 60, "the retry did not start the backlog", source, receiver,
              step=0.02)
        source.stop(signal.SIGKILL)
        part = len(_held(receiver))
        assert part < BACKLOG + 5, "the whole backlog arrived before the kill: nothing was interrupted"
        source.start()  # its consumer pushes at once on start
        _wait(lambda: _matches(receiver, source), 90, "the backlog did not arrive after the restart", source,
              receiver)
    finally:
        source.stop(signal.SIGTERM)
        receiver.stop(signal.SIGTERM)

    held = _held(receiver)
    assert len(held) == len({pk for pk, _status, _version in held}) == BACKLOG + 5  # exactly once
    statuses = sorted(status for _pk, status, _version in held)
    assert statuses.count("done") == 2 and statuses.count("reported") == 1
    [(name, last_version)] = receiver.query("SELECT name, last_version FROM consolidation_consolidationsource")
    assert name == "Экономический блок"
    assert last_version >= max(version for _expected_status, version in _expected(source).values())
    # every push in both exchange logs, the refused/failed ones too
    assert receiver.query("SELECT count(*) FROM integration_exchangemessage WHERE channel = 'consolidation' "
                          "AND direction = 'in' AND status = 'ok'")[0][0] >= 3
