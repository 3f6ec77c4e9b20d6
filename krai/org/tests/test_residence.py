"""Residence verification: a resident asks with a document, the municipality's staff decide, a provider asserts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.accounts.oidc import KraiOIDCBackend
from krai.accounts.tests.factories import make_provider
from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.core.files.tests.factories import PDF, upload
from krai.core.notifications.models import Notification
from krai.org import selectors, services
from krai.org.models import ResidenceRequest, Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Город", code="town")


@pytest.fixture
def village(db):
    return MunicipalityFactory(name="Станица", code="village")


@pytest.fixture
def resident(village):
    return UserFactory(email_confirmed=True, home_municipality=village, residence_verified=False)


@pytest.fixture
def mayor(town):
    user = StaffFactory(surname="Глава")
    assign(user, Role.HEAD, municipality=town)
    return user


def document(name="registration.pdf"):
    return upload(name, PDF, "application/pdf")


def test_a_resident_asks_with_a_document_and_the_mayor_verifies(resident, town, mayor):
    request = services.residence_request(actor=resident, municipality=town, document=document())
    resident.refresh_from_db()
    assert request.status == "pending" and resident.home_municipality.code == "village"
    assert not resident.residence_verified  # nothing changes until staff decide
    assert Attachment.objects.filter(object_id=str(request.pk), uploaded_by=resident).count() == 1
    assert list(selectors.residence_queue(user=mayor)) == [request]
    services.residence_verify(actor=mayor, request=request)
    resident.refresh_from_db()
    assert resident.home_municipality_id == town.pk and resident.residence_verified
    assert Event.objects.filter(kind="org.residence_verified", actor=mayor).exists()
    assert Notification.objects.filter(user=resident, kind="org.residence").exists()


def test_only_the_municipalitys_staff_the_control_and_administrators_decide(resident, town, village):
    request = services.residence_request(actor=resident, municipality=town, document=document())
    other_mayor = StaffFactory()
    assign(other_mayor, Role.HEAD, municipality=village)
    minister = StaffFactory()
    assign(minister, Role.HEAD, organisation=OrganisationFactory())
    for outsider in (other_mayor, minister, resident, UserFactory(email_confirmed=True)):
        with pytest.raises(PermissionDenied):
            services.residence_verify(actor=outsider, request=request)
        assert not selectors.residence_queue(user=outsider).exists()
    controller = StaffFactory()
    assign(controller, Role.CONTROLLER)
    assert controller.has_perm("org.verify_residencerequest", request)
    admin = StaffFactory()
    assign(admin, Role.ADMINISTRATOR)
    services.residence_refuse(actor=admin, request=request, reason="Документ нечитаем")
    request.refresh_from_db()
    resident.refresh_from_db()
    assert request.status == "refused" and request.reason == "Документ нечитаем" and not resident.residence_verified
    assert Notification.objects.get(user=resident, kind="org.residence").body == "Документ нечитаем"


def test_a_refusal_needs_a_reason_and_a_decision_is_final(resident, town, mayor):
    request = services.residence_request(actor=resident, municipality=town, document=document())
    with pytest.raises(ValidationError) as refused:
        services.residence_refuse(actor=mayor, request=request, reason="  ")
    assert "reason" in refused.value.message_dict
    services.residence_verify(actor=mayor, request=request)
    with pytest.raises(ValidationError):
        services.residence_refuse(actor=mayor, request=request, reason="Поздно")


def test_a_request_needs_a_municipality_and_a_document_of_an_accepted_kind(resident, town):
    with pytest.raises(ValidationError) as missing:
        services.residence_request(actor=resident, municipality=None, document=None)
    assert set(missing.value.message_dict) == {"municipality", "document"}
    with pytest.raises(ValidationError) as wrong:
        services.residence_request(actor=resident, municipality=town,
                                   document=upload("run.exe", b"MZ\x90\x00binary", "application/octet-stream"))
    assert "document" in wrong.value.message_dict
    assert not ResidenceRequest.objects.exists() and not Attachment.objects.exists()


def test_a_new_request_replaces_the_waiting_one(resident, town, village):
    first = services.residence_request(actor=resident, municipality=town, document=document())
    second = services.residence_request(actor=resident, municipality=village, document=document())
    first.refresh_from_db()
    assert first.status == "withdrawn" and second.status == "pending"


def test_the_document_is_seen_by_its_owner_and_the_deciding_staff_only(resident, town, mayor):
    request = services.residence_request(actor=resident, municipality=town, document=document())
    attachment = Attachment.objects.get(object_id=str(request.pk))
    stranger = UserFactory(email_confirmed=True)
    assert resident.has_perm("files.view_attachment", attachment)
    assert mayor.has_perm("files.view_attachment", attachment)
    assert not stranger.has_perm("files.view_attachment", attachment)


def test_an_identity_providers_residence_claim_counts_as_verified(resident, town):
    provider = make_provider(residence_claim="address.oktmo", residence_values={"03701000": "town"})
    backend = KraiOIDCBackend(provider=provider)
    backend.update_user(resident, {"email": resident.email, "address": {"oktmo": "03701000"}})
    resident.refresh_from_db()
    assert resident.home_municipality_id == town.pk and resident.residence_verified
    row = ResidenceRequest.objects.get(user=resident)
    assert row.source == "provider" and row.status == "verified" and row.provider == provider.slug
    backend.update_user(resident, {"email": resident.email, "address": {"oktmo": "03701000"}})
    assert ResidenceRequest.objects.filter(user=resident).count() == 1  # nothing new when nothing changed


@pytest.mark.parametrize("claims", [{}, {"oktmo": "99999999"}, {"oktmo": {"nested": 1}}])
def test_an_unknown_or_missing_residence_claim_changes_nothing(resident, claims):
    provider = make_provider(residence_claim="oktmo", residence_values={"03701000": "town"})
    KraiOIDCBackend(provider=provider).update_user(resident, {"email": resident.email, **claims})
    resident.refresh_from_db()
    assert not resident.residence_verified and not ResidenceRequest.objects.exists()


def test_a_claim_holding_the_municipality_code_itself(resident, town):
    provider = make_provider(residence_claim="municipality")
    KraiOIDCBackend(provider=provider).update_user(resident, {"email": resident.email, "municipality": "town"})
    resident.refresh_from_db()
    assert resident.home_municipality_id == town.pk and resident.residence_verified


def test_a_provider_asserting_an_inactive_municipality_changes_nothing(resident):
    closed = MunicipalityFactory(is_active=False)
    assert services.residence_assert_by_provider(user=resident, provider="region-id", municipality=closed) is None
    resident.refresh_from_db()
    assert not resident.residence_verified and not ResidenceRequest.objects.exists()


def test_a_staff_accounts_residence_is_not_taken_from_the_provider(town):
    staff = StaffFactory(residence_verified=False)
    provider = make_provider(residence_claim="municipality")
    KraiOIDCBackend(provider=provider).update_user(staff, {"email": staff.email, "municipality": "town"})
    staff.refresh_from_db()
    assert not staff.residence_verified


def test_deleting_the_account_deletes_the_residence_documents(resident, town, django_capture_on_commit_callbacks):
    from krai.accounts.services import account_anonymise
    from krai.org.tests.factories import PASSWORD

    request = services.residence_request(actor=resident, municipality=town, document=document(), note="кв. 5")
    stored = Attachment.objects.get(object_id=str(request.pk)).file
    storage, name = stored.storage, stored.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        account_anonymise(actor=resident, user=resident, password=PASSWORD)
    request.refresh_from_db()
    assert not Attachment.objects.filter(object_id=str(request.pk)).exists() and request.note == ""
    assert not storage.exists(name)
