"""Every public channel shows residents' texts through the one mask (``krai.core.privacy.mask_personal``).

Each test writes a phone, an e-mail, a SNILS and a passport number into what a resident writes, reads
the channel as the public (or as the staff who must not see them) and finds none of them; staff who work
with the original (the problem's moderators and body, the comment's author) still read it as written.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.core.comments import services as comment_services
from krai.opendata import services as opendata_services
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign
from krai.participation import services as participation_services
from krai.participation.selectors.polls import free_answers
from krai.participation.tests.factories import CampaignFactory, GovServiceFactory, ResidentFactory, poll_with
from krai.problems import services as problem_services
from krai.problems.models import Open311Key
from krai.problems.tests.factories import CategoryFactory, place

pytestmark = pytest.mark.django_db

SECRET = "звоните 7-918-123-45-67, пишите ivan.p@mail.example, СНИЛС 123-456-789 01, паспорт 4506 №654321"
LEAKS = ("123-45-67", "ivan.p@mail.example", "123-456-789", "654321")


def leaks(text: str) -> list[str]:
    return [leak for leak in LEAKS if leak in text]


@pytest.fixture
def world(db):
    _municipality, administration = place(38.0, 45.0, code="town")
    moderator = StaffFactory(surname="Модератор")
    assign(moderator, Role.CONTROLLER)
    executor = StaffFactory(surname="Исполнитель")
    assign(executor, Role.EXECUTOR, organisation=administration)
    return {"pothole": CategoryFactory(code="pothole", name="Ямы"), "moderator": moderator, "executor": executor,
            "resident": UserFactory(surname="Житель")}


@pytest.fixture
def rated(world):
    """A published problem whose text and address carry the secrets; answered, then rated with them too."""
    problem = problem_services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                              description=f"Яма у дома 5, {SECRET}", address=f"ул. Мира, 1, {SECRET}")
    problem_services.problem_publish(actor=world["moderator"], problem=problem)
    problem_services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Заделали.")
    return problem_services.problem_rate(actor=world["resident"], problem=problem, rating=2,
                                         comment=f"Не заделали, {SECRET}")


def test_problem_pages(client, rated, world):
    page = client.get(f"/problems/{rated.pk}/").content.decode()
    assert "Яма у дома 5" in page and "ул. Мира, 1" in page and "Не заделали" in page
    assert leaks(page) == []
    listing = client.get("/problems/").content.decode()
    assert "ул. Мира, 1" in listing and leaks(listing) == []
    client.force_login(world["executor"])  # the body works with the text as written
    assert "123-45-67" in client.get(f"/workspace/problems/{rated.pk}/").content.decode()


def test_problem_api(client, rated):
    body = client.get(f"/api/v1/problems/{rated.pk}/").content.decode()
    assert "ул. Мира, 1" in body and "Не заделали" in body
    assert leaks(body) == []
    assert leaks(client.get("/api/v1/problems/").content.decode()) == []


def test_open311(client, rated):
    for url in (f"/open311/v2/requests/{rated.pk}.json?extensions=true", "/open311/v2/requests.xml?extensions=true",
                "/open311/v2/servicerequestupdates.json"):
        body = client.get(url).content.decode()
        assert "ул. Мира, 1" in body or "Не заделали" in body, url
        assert leaks(body) == [], url


def test_open311_request_with_reporter_fields(client, world):
    _key, api_key = Open311Key.issue(name="Приложение", user=UserFactory(email_confirmed=False))
    response = client.post("/open311/v2/requests.json", {
        "api_key": api_key, "service_code": "pothole", "lat": "45.01", "long": "38.01",
        "description": f"Нет света во дворе, {SECRET}", "email": "ivan.p@mail.example", "first_name": "Иван",
        "last_name": "Пупкин", "phone": "+79181234567", "address_string": f"ул. Ленина, 3, {SECRET}"})
    assert response.status_code == 201
    from krai.problems.models import Problem

    problem_services.problem_publish(actor=world["moderator"], problem=Problem.objects.get(source="open311"))
    body = client.get("/open311/v2/requests.json?extensions=true").content.decode()
    assert "Нет света во дворе" in body and "ул. Ленина, 3" in body
    assert leaks(body) == [] and "Пупкин" not in body and "9181234567" not in body


def test_open_data_live_problems(rated):
    from django.core.files.storage import default_storage

    OrganisationFactory(code="control", inn="2309384363", parent=None)
    version = opendata_services.live_refresh(code="problems").version
    content = default_storage.open(version.file.name).read().decode()
    assert "ул. Мира, 1" in content
    assert leaks(content) == []


def test_comments_public_thread_and_api(client, rated, world):
    comment = comment_services.comment_add(actor=world["resident"], target=rated, body=f"Добавлю: {SECRET}")
    page = client.get(f"/problems/{rated.pk}/").content.decode()
    assert "Добавлю" in page and leaks(page) == []
    api = client.get(f"/api/v1/comments/?target_type=problems.problem&target_id={rated.pk}").content.decode()
    assert "Добавлю" in api and leaks(api) == []
    assert leaks(client.get(f"/api/v1/comments/{comment.pk}/").content.decode()) == []
    client.force_login(world["resident"])  # the author reads (and edits) his words as written
    assert "123-45-67" in client.get(f"/api/v1/comments/{comment.pk}/").content.decode()


@pytest.fixture
def department(db):
    department = OrganisationFactory(name="Министерство")
    organiser = StaffFactory(surname="Организатор")
    assign(organiser, Role.HEAD, organisation=department)
    return department, organiser


def test_ideas_page_and_api(client, department):
    organisation, organiser = department
    campaign = CampaignFactory(organisation=organisation)
    idea = participation_services.idea_suggest(actor=ResidentFactory(), campaign=campaign,
                                               title="Скамейки, тел. 123-45-67", body=f"Поставить скамейки. {SECRET}")
    participation_services.idea_moderate(actor=organiser, idea=idea, decision="published")
    for url in (reverse("participation:idea", args=[idea.pk]), reverse("participation:campaign", args=[campaign.pk]),
                f"/api/v1/participation/ideas/{idea.pk}/", f"/api/v1/participation/campaigns/{campaign.pk}/ideas/"):
        body = client.get(url).content.decode()
        assert "Скамейки" in body, url
        assert leaks(body) == [], url


def test_service_rating_comments_reach_the_organisation_masked(client, department):
    _department, organiser = department
    service = GovServiceFactory(organisation=_department)
    participation_services.service_rate(actor=ResidentFactory(), service=service, quality=2, convenience=2, speed=2,
                                        comment=f"Очередь два часа. {SECRET}")
    client.force_login(organiser)
    for url in (reverse("participation:ws_service", args=[service.pk]),
                f"/api/v1/participation/services/{service.pk}/comments/"):
        body = client.get(url).content.decode()
        assert "Очередь два часа" in body, url
        assert leaks(body) == [], url


def test_free_answers_of_a_secret_poll_are_masked(department):
    _department, organiser = department
    poll, question, _options = poll_with(kind="free", organisation=_department)
    participation_services.poll_vote(actor=ResidentFactory(), poll=poll, answers={question.pk: f"Мост. {SECRET}"})
    texts = free_answers(user=organiser, poll=poll, question_id=question.pk)
    assert texts and "Мост" in texts[0] and leaks(texts[0]) == []
