"""A dispatcher killed in the middle of a delivery loses nothing and repeats nothing.

The dispatcher runs in real processes (``worker.py``) on the test's own database: PostgreSQL's test
database as it is, or SQLite's in-memory one copied to a file and back.
"""

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from krai.core.events.models import Event, EventDelivery

WORKER = Path(__file__).with_name("worker.py")
ROOT = Path(settings.BASE_DIR)


class SharedDatabase:
    """The test database, reachable from another process by ``KRAI_DATABASE_URL``."""

    def __init__(self, tmp_path: Path):
        self.copy: Path | None = None
        data = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = quote(data["USER"] or "", safe="")
            if data["PASSWORD"]:
                auth += ":" + quote(data["PASSWORD"], safe="")
            self.url = f"postgres://{auth}@{data['HOST'] or 'localhost'}:{data['PORT'] or 5432}/{data['NAME']}"
        elif connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.copy = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.copy)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.copy}"
        elif connection.vendor == "sqlite":
            self.url = f"sqlite:///{data['NAME']}"
        else:
            pytest.skip(f"no way to share a {connection.vendor} test database")
        self.env = {**os.environ, "KRAI_DATABASE_URL": self.url, "KRAI_VAR_DIR": str(tmp_path / "var"),
                    "PYTHONPATH": str(ROOT), "KRAI_LOG_LEVEL": "ERROR"}
        self.env.pop("KRAI_TESTING", None)

    def run(self, *args: str, crash_on: int | None = None) -> subprocess.CompletedProcess:
        env = dict(self.env)
        if crash_on is not None:
            env["KRAI_TEST_CRASH_ON"] = str(crash_on)
        command = [sys.executable, str(WORKER), *args]
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)

    def sync_back(self) -> None:
        """Bring what the other processes wrote into this test's connection."""
        if self.copy is not None:
            source = sqlite3.connect(self.copy)
            source.backup(connection.connection)
            source.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_nothing(tmp_path):
    db = SharedDatabase(tmp_path)
    seeded = db.run("seed", "6")
    assert seeded.returncode == 0, seeded.stderr
    # The worker is not in immediate mode: the jobs went to a queue no consumer reads.
    db.sync_back()
    sources = list(Event.objects.filter(kind="test.source").values_list("pk", flat=True))
    assert len(sources) == 6 and not Event.objects.filter(dispatched_at__isnull=False).exists()
    victim = sources[3]

    crashed = db.run("run", crash_on=victim)
    assert crashed.returncode == 17, crashed.stderr
    db.sync_back()
    echoed = Counter(Event.objects.filter(kind="test.echo").values_list("payload__of", flat=True))
    # Everything before the victim was delivered and kept; the victim's write died with its worker.
    assert echoed == Counter(sources[:3])
    stuck = EventDelivery.objects.get(event_id=victim, subscriber="test.echo")
    assert (stuck.status, stuck.attempts) == ("pending", 1)

    # A second worker leaves the leased delivery alone while the (short) lease lasts; after it, a sweep
    # delivers it (whichever of the two comes after the lease does it, once).
    again = db.run("run")
    assert again.returncode == 0, again.stderr
    later = db.run("later")
    assert later.returncode == 0, later.stderr
    db.sync_back()

    echoed = Counter(Event.objects.filter(kind="test.echo").values_list("payload__of", flat=True))
    assert echoed == Counter(sources), "each source event has exactly one effect"
    deliveries = EventDelivery.objects.filter(subscriber="test.echo")
    assert sorted(deliveries.values_list("event_id", flat=True)) == sorted(sources)
    assert set(deliveries.values_list("status", flat=True)) == {"done"}
    assert deliveries.get(event_id=victim).attempts == 2
    assert not Event.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_deliver_each_event_once(tmp_path):
    db = SharedDatabase(tmp_path)
    assert db.run("seed", "40").returncode == 0
    env = {**db.env}
    command = [sys.executable, str(WORKER), "run", "--limit", "1000"]
    workers = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    db.sync_back()
    echoed = Counter(Event.objects.filter(kind="test.echo").values_list("payload__of", flat=True))
    sources = Event.objects.filter(kind="test.source").values_list("pk", flat=True)
    assert echoed == Counter(sources)
    assert set(EventDelivery.objects.filter(subscriber="test.echo").values_list("status", "attempts")) == {("done", 1)}


#: how soon after a worker's death its delivery may be retried: the lease (docs/architecture.md), with room
RECOVERY_SECONDS = 15


@pytest.mark.django_db(transaction=True)
def test_a_dead_workers_delivery_is_retried_within_seconds_and_a_working_one_is_left_alone(tmp_path):
    db = SharedDatabase(tmp_path)
    assert db.run("seed", "3").returncode == 0
    db.sync_back()
    victim = Event.objects.filter(kind="test.source").order_by("pk").values_list("pk", flat=True)[0]
    crashed = db.run("run", crash_on=victim)
    assert crashed.returncode == 17, crashed.stderr

    # a run seconds later (the clock moved on, as the next sweep's would) retries the dead worker's claim
    soon = db.run("soon", str(RECOVERY_SECONDS))
    assert soon.returncode == 0, soon.stderr
    db.sync_back()
    delivery = EventDelivery.objects.get(event_id=victim, subscriber="test.echo")
    assert (delivery.status, delivery.attempts) == ("done", 2)
    assert Counter(Event.objects.filter(kind="test.echo").values_list("payload__of", flat=True))[victim] == 1

    # a handler still at work keeps its delivery, however long its lease has run out
    assert db.run("seed", "1").returncode == 0
    db.sync_back()
    slow = Event.objects.filter(kind="test.source").order_by("-pk").values_list("pk", flat=True)[0]
    mark, release = tmp_path / "working", tmp_path / "release"
    postgres = connection.vendor == "postgresql"
    env = {**db.env, "KRAI_TEST_SLOW_ON": str(slow), "KRAI_TEST_SLOW_MARK": str(mark),
           "KRAI_TEST_SLOW_RELEASE": str(release),
           # SQLite: the other run waits for the working one's write lock, so the work ends by itself
           "KRAI_TEST_SLOW_SECONDS": "90" if postgres else "3"}
    worker = subprocess.Popen([sys.executable, str(WORKER), "run"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(1200):
            if mark.exists() or worker.poll() is not None:
                break
            time.sleep(0.05)
        assert mark.exists(), worker.stderr.read() if worker.poll() is not None else "the handler never started"
        other = db.run("soon", "3600")  # an hour on: every lease long run out
        assert other.returncode == 0, other.stderr
        if postgres:
            assert worker.poll() is None, "the other run was meant to pass the working handler by, not wait"
    finally:
        release.touch()
        _out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    db.sync_back()
    delivery = EventDelivery.objects.get(event_id=slow, subscriber="test.echo")
    assert (delivery.status, delivery.attempts) == ("done", 1)
    assert Counter(Event.objects.filter(kind="test.echo").values_list("payload__of", flat=True))[slow] == 1
