"""A resident's report sent again by the app (queued offline, the answer lost) arrives exactly once: the same
``Idempotency-Key`` answers the first report's answer, even when the copies come at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from krai.problems.models import Problem

REPORT = {"category": "pothole", "lat": 45.01, "lon": 38.0, "description": "Яма у подъезда номер три"}


def test_a_report_sent_twice_with_its_key_arrives_once(client, world):
    client.force_login(world["resident"])
    first = client.post("/api/v1/problems/", REPORT, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="report-7f3a")
    again = client.post("/api/v1/problems/", REPORT, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="report-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Problem.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_copies_sent_at_the_same_moment_make_one_report(world):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a shared database (PostgreSQL, or SQLite in a file: KRAI_TEST_SQLITE_FILE=1)")
    resident = world["resident"]
    answers: list[tuple[int, int | None]] = []
    start = threading.Barrier(6)

    def send() -> None:
        client = Client()
        client.force_login(resident)
        start.wait()
        try:
            response = client.post("/api/v1/problems/", REPORT, content_type="application/json",
                                   HTTP_IDEMPOTENCY_KEY="report-same-moment")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Problem.objects.count() == 1
    made = Problem.objects.get().pk
    # every copy got the report's own answer, or was told to send again in a moment — never a second report
    assert all((status == 201 and pk == made) or status == 409 for status, pk in answers), answers
    assert sum(status == 201 for status, _pk in answers) >= 1 and len(answers) == 6
