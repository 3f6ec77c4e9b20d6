"""The residence pages: the resident asks in his profile, the municipality's staff decide in the workspace."""

import pytest
from django.urls import reverse

from krai.core.files.tests.factories import PDF, upload
from krai.org.models import ResidenceRequest, Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Город")


@pytest.fixture
def resident(db):
    return UserFactory(email_confirmed=True, residence_verified=False)


@pytest.fixture
def mayor(town):
    user = StaffFactory()
    assign(user, Role.HEAD, municipality=town)
    return user


def _ask(client, resident, town):
    client.force_login(resident)
    return client.post(reverse("accounts:residence"), {
        "municipality": town.pk, "note": "Живу здесь", "document": upload("passport.pdf", PDF, "application/pdf")})


def test_a_resident_asks_and_the_mayor_verifies_through_the_pages(client, resident, town, mayor):
    assert _ask(client, resident, town).status_code == 302
    item = ResidenceRequest.objects.get(user=resident)
    assert "passport.pdf" in client.get(reverse("accounts:residence")).content.decode()
    client.force_login(mayor)
    queue = client.get(reverse("accounts:residence-queue"))
    assert list(queue.context["page"].object_list) == [item]
    review = client.get(reverse("accounts:residence-review", args=[item.pk]))
    assert review.status_code == 200 and "passport.pdf" in review.content.decode()
    empty = client.post(reverse("accounts:residence-decide", args=[item.pk, "refuse"]), {"reason": ""})
    assert empty.status_code == 400 and empty.context["refusal"].errors
    item.refresh_from_db()
    assert item.status == "pending"
    done = client.post(reverse("accounts:residence-decide", args=[item.pk, "verify"]))
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.residence_verified and resident.home_municipality_id == town.pk


def test_a_request_without_a_document_keeps_what_was_entered(client, resident, town):
    client.force_login(resident)
    response = client.post(reverse("accounts:residence"), {"municipality": town.pk, "note": "Живу здесь"})
    assert response.status_code == 400 and "document" in response.context["form"].errors
    assert response.context["form"]["note"].value() == "Живу здесь"
    assert not ResidenceRequest.objects.exists()


def test_the_queue_is_no_ones_but_the_deciding_staffs(client, resident, town):
    _ask(client, resident, town)
    item = ResidenceRequest.objects.get()
    minister = StaffFactory()
    assign(minister, Role.HEAD, organisation=OrganisationFactory())
    for outsider in (resident, minister):
        client.force_login(outsider)
        assert client.get(reverse("accounts:residence-queue")).status_code == 404
        assert client.get(reverse("accounts:residence-review", args=[item.pk])).status_code == 404
        assert client.post(reverse("accounts:residence-decide", args=[item.pk, "verify"])).status_code == 404
    item.refresh_from_db()
    assert item.status == "pending"
