"""Erasing a resident (his account deleted the lawful way, ``krai.accounts.services.account_anonymise`` →
``krai.core.privacy.erase_person``): his name and contacts leave his verification requests and his ratings'
comments — on the pages, in the API, in the events — while the published results stay: the inspection, the
illegal construction it found, the work's rating in the body's statistics."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from krai.accounts.services import account_anonymise
from krai.construction.models import IllegalConstruction, Inspection, VerificationRequest, WorkRating, WorkStatus
from krai.construction.tests.factories import LAT, LON, inspection_body, inspector, keeper, municipality, work
from krai.construction.tests.test_journey_api import BASE, TODAY, client_of, filing, png, visit
from krai.core.events.models import Event
from krai.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _public(request_pk: int, work_pk: int) -> str:
    """Everything the public reads of his request and the work he rated."""
    client, api = Client(HTTP_ACCEPT_LANGUAGE="en"), APIClient()
    return "\n".join([
        client.get(reverse("construction:request", args=[request_pk])).content.decode(),
        client.get(reverse("construction:requests")).content.decode(),
        client.get(reverse("construction:work", args=[work_pk])).content.decode(),
        api.get(f"{BASE}/requests/{request_pk}/").content.decode(),
        api.get(f"{BASE}/requests/").content.decode(),
        api.get(f"{BASE}/nearby/", {"lat": LAT, "lon": LON}).content.decode()])


def test_erasure_removes_him_and_keeps_the_published_results() -> None:
    municipality()
    inspection_body()
    person = UserFactory(given_name="Тимофей", surname="Заречный", email="zarechny@example.ru",
                         phone="+79185554433")
    api = client_of(person)
    text = "Строят без разрешения. Тимофей Заречный, пишите zarechny@example.ru"
    request = api.post(f"{BASE}/requests/", {**filing(description=text), "photos": [png("zarechny.png")]},
                       format="multipart").json()
    answered = client_of(inspector()).post(f"{BASE}/requests/{request['id']}/inspect/", visit(), format="json")
    assert answered.status_code == 201
    road = work(status=WorkStatus.COMPLETED, actual_start=TODAY, actual_end=TODAY)
    rated = api.post(f"{BASE}/works/{road.pk}/rate/", {"score": 3, "comment": "Заречный доволен, но шумно"},
                     format="json")
    assert rated.status_code == 201
    before = _public(request["id"], road.pk)
    assert "Тимофей З." in before and "Заречный доволен" in before  # shown while he is here

    account_anonymise(actor=person, user=person, password=PASSWORD)

    stored = VerificationRequest.objects.get(pk=request["id"])
    assert stored.author_id is None
    assert "Заречный" not in stored.description and "zarechny" not in stored.description
    assert "Строят без разрешения" in stored.description
    rating = WorkRating.objects.get(work=road)
    assert "Заречный" not in rating.comment and "шумно" in rating.comment and rating.score == 3
    after = _public(request["id"], road.pk)
    for secret in ("Заречный", "Тимофей З.", "zarechny"):
        assert secret not in after, secret
    # the published results stay
    assert Inspection.objects.get(request=stored).decision == "illegal"
    assert IllegalConstruction.objects.filter(verification=stored).exists()
    road.refresh_from_db()
    assert (road.ratings_count, road.rating) == (1, 3.0)
    figures = APIClient().get(f"{BASE}/works/statistics/").json()
    assert figures["totals"]["ratings"] == 1
    payloads = str(list(Event.objects.filter(kind__startswith="construction.").values_list("payload", flat=True)))
    assert "Заречный" not in payloads and "zarechny" not in payloads


def test_erasure_takes_his_name_from_what_others_wrote_about_his_requests() -> None:
    """The inspector's findings, the illegal construction they entered (its address and description, and their
    history), a keeper's reason for cancelling: someone else's texts about him keep their words, not his names."""
    municipality()
    inspection_body()
    person = UserFactory(given_name="Тимофей", surname="Бурмистров", email="burmistrov@example.ru")
    api = client_of(person)
    inspected = api.post(f"{BASE}/requests/", filing(address="Краснодар, ул. Северная, 5, у дома Бурмистрова"),
                         format="json").json()
    cancelled = api.post(f"{BASE}/requests/", filing(address="Краснодар, ул. Южная, 1"), format="json").json()
    findings = "Со слов заявителя Бурмистрова, строят пять этажей; разрешения нет."
    assert client_of(inspector()).post(f"{BASE}/requests/{inspected['id']}/inspect/", visit(findings=findings),
                                       format="json").status_code == 201
    assert client_of(keeper()).post(f"{BASE}/requests/{cancelled['id']}/cancel/",
                                    {"reason": "Повтор заявки Бурмистрова № 1"}, format="json").status_code == 200
    entry = IllegalConstruction.objects.get(verification_id=inspected["id"])
    client, public = Client(HTTP_ACCEPT_LANGUAGE="en"), APIClient()
    pages = [reverse("construction:request", args=[inspected["id"]]),
             reverse("construction:request", args=[cancelled["id"]]), reverse("construction:requests"),
             reverse("construction:illegal", args=[entry.pk]), reverse("construction:illegal_list")]
    apis = [f"{BASE}/requests/{inspected['id']}/", f"{BASE}/requests/{cancelled['id']}/",
            f"{BASE}/illegal/{entry.pk}/", f"{BASE}/illegal/"]

    def everything() -> str:
        return "\n".join([client.get(path).content.decode() for path in pages]
                         + [public.get(path).content.decode() for path in apis])

    assert "Бурмистрова" in everything()  # shown while he is here
    account_anonymise(actor=person, user=person, password=PASSWORD)
    shown = everything()
    assert "Бурмистров" not in shown
    assert "строят пять этажей" in shown and "Повтор заявки" in shown  # the texts stay, without him
