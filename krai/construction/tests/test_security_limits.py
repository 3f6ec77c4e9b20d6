"""The public writes are rate-limited through the API too: past ``KRAI_CONSTRUCTION_REQUEST_RATE`` a resident's
next verification request, past ``KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE`` his next subscription or rating, and past
the kernel's ``public_write`` throttle any next write answer 429 with a message, and store nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from krai.construction.models import VerificationRequest, WorkRating, WorkStatus, WorkSubscription
from krai.construction.tests.factories import (
    construction_object,
    inspection_body,
    keeper,
    municipality,
    resident,
    work,
)
from krai.construction.tests.test_journey_api import BASE, TODAY, client_of, filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def place() -> Any:
    inspection_body()
    return municipality()


@override_settings(KRAI_CONSTRUCTION_REQUEST_RATE="1/d")
def test_requests_past_the_rate_answer_429_and_store_nothing(place: Any) -> None:
    person = resident()
    api = client_of(person)
    assert api.post(f"{BASE}/requests/", filing(), format="json").status_code == 201
    refused = api.post(f"{BASE}/requests/", filing(address="Краснодар, ул. Южная, 1"), format="json")
    assert refused.status_code == 429, refused.content
    assert "too many verification requests" in refused.json()["error"]["message"]
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(person)
    response = page.post(reverse("construction:request_new"), filing(address="Краснодар, ул. Южная, 2"))
    assert "too many verification requests" in response.content.decode()
    assert VerificationRequest.objects.count() == 1
    assert client_of(resident()).post(f"{BASE}/requests/", filing(), format="json").status_code == 201  # per person


@override_settings(KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE="1/h")
def test_subscriptions_and_ratings_past_the_rate_answer_429(place: Any) -> None:
    done = {"status": WorkStatus.COMPLETED, "actual_start": TODAY, "actual_end": TODAY}
    first, second = work(municipality=place, **done), work(municipality=place, **done)
    api = client_of(resident())
    assert api.post(f"{BASE}/works/{first.pk}/subscribe/").status_code == 201
    refused = api.post(f"{BASE}/works/{second.pk}/subscribe/")
    assert refused.status_code == 429 and "too often" in refused.json()["error"]["message"]
    assert api.post(f"{BASE}/works/{first.pk}/rate/", {"score": 5}, format="json").status_code == 201
    refused = api.post(f"{BASE}/works/{second.pk}/rate/", {"score": 1}, format="json")
    assert refused.status_code == 429 and "too often" in refused.json()["error"]["message"]
    assert list(WorkSubscription.objects.values_list("work_id", flat=True)) == [first.pk]
    assert list(WorkRating.objects.values_list("work_id", flat=True)) == [first.pk]
    second.refresh_from_db()
    assert second.ratings_count == 0


def test_the_kernels_write_throttle_answers_429(place: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates into the class when it is imported: a changed setting does not reach it
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES,
                                                               "public_write": "2/min"})
    building = construction_object(municipality=place)
    api = client_of(keeper())
    codes = [api.patch(f"{BASE}/objects/{building.pk}/", {"description": f"Версия {n}"}, format="json").status_code
             for n in range(3)]
    assert codes == [200, 200, 429]
    building.refresh_from_db()
    assert building.description == "Версия 1"
    assert api.get(f"{BASE}/objects/{building.pk}/").status_code == 200  # reads are not throttled
