"""Idempotency-Key on writes: the same key and request answered once and replayed, another request with the key
refused, failures and refusals keep nothing (so a retry does the work once), keys per owner, old keys purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from krai.core.idempotency.middleware import purge
from krai.core.idempotency.models import IdempotencyKey
from krai.org.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("krai.core.idempotency.tests.urls")]


def _post(client, key: str | None, **data):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/groups/", data, **headers)


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def test_the_same_key_is_done_once_and_answered_alike(signed_in):
    first = _post(signed_in, "k-1", name="Отдел")
    again = _post(signed_in, "k-1", name="Отдел")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Group.objects.filter(name="Отдел").count() == 1


def test_without_a_key_nothing_changes_in_how_writes_work(signed_in):
    assert _post(signed_in, None, name="A").status_code == 201
    assert _post(signed_in, None, name="A").status_code == 400  # the view's own refusal, not a replay
    assert not IdempotencyKey.objects.exists()


def test_a_redirect_is_replayed_with_its_location(signed_in):
    first = _post(signed_in, "k-r", name="B", redirect="1")
    again = _post(signed_in, "k-r", name="B", redirect="1")
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert Group.objects.filter(name="B").count() == 1


def test_the_key_with_another_request_is_refused(signed_in):
    _post(signed_in, "k-2", name="C")
    other = _post(signed_in, "k-2", name="D")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert not Group.objects.filter(name="D").exists()


def test_a_refusal_keeps_no_key_so_a_corrected_retry_is_done(signed_in):
    Group.objects.create(name="E")
    assert _post(signed_in, "k-3", name="E").status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-3").exists()


def test_a_failure_keeps_neither_its_writes_nor_the_key(signed_in):
    signed_in.raise_request_exception = False
    assert _post(signed_in, "k-4", name="boom").status_code == 500
    assert not Group.objects.filter(name="boom").exists()
    assert not IdempotencyKey.objects.filter(key="k-4").exists()


def test_keys_are_per_owner(client):
    client.force_login(UserFactory())
    _post(client, "shared", name="F")
    client.force_login(UserFactory())
    response = _post(client, "shared", name="G")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Group.objects.filter(name__in=["F", "G"]).count() == 2


def test_a_bad_key_is_refused_with_nothing_done(signed_in):
    response = _post(signed_in, "x" * 200, name="H")
    assert response.status_code == 400 and response.json()["error"]["code"] == "idempotency_key_invalid"
    assert not Group.objects.filter(name="H").exists()


def test_old_keys_are_purged(signed_in):
    _post(signed_in, "old", name="I")
    _post(signed_in, "new", name="J")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=100))
    assert purge(hours=72) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_a_form_sent_again_with_another_boundary_is_the_same_request(signed_in):
    from django.test.client import encode_multipart

    def send(boundary: str):
        return signed_in.post("/groups/", encode_multipart(boundary, {"name": "K"}),
                              content_type=f"multipart/form-data; boundary={boundary}", HTTP_IDEMPOTENCY_KEY="k-m")

    first, again = send("----one1"), send("----two22")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Group.objects.filter(name="K").count() == 1
    other = signed_in.post("/groups/", encode_multipart("----one1", {"name": "L"}),
                           content_type="multipart/form-data; boundary=----one1", HTTP_IDEMPOTENCY_KEY="k-m")
    assert other.status_code == 422  # another form's fields with the same key
