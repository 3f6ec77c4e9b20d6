"""Erasure: a person active in every area deletes his account; the whole database no longer knows him.

The dump is every row of every table as text (SQLite: ``iterdump``; PostgreSQL: each table's rows cast to
text), so a copy nobody thought of — an event's payload, an audit entry, a notification, a control
assignment's text — fails the test as well as the report itself. His votes and marks still count.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from krai.accounts import services as account_services
from krai.core.comments import services as comment_services
from krai.core.events import dispatch
from krai.org.models import Role
from krai.org.tests.factories import PASSWORD, OrganisationFactory, StaffFactory, UserFactory, assign
from krai.participation import services as participation_services
from krai.participation.models import IdeaSupport, Participation, PriorityVote, ServiceRating
from krai.participation.selectors import polls as participation_selectors
from krai.participation.tests.factories import (
    CampaignFactory,
    GovServiceFactory,
    PriorityFactory,
    ResidentFactory,
    poll_with,
)
from krai.problems import services as problem_services
from krai.problems.models import Endorsement, Open311Key, Problem
from krai.problems.tests.factories import CategoryFactory, place
from krai.social import services as social_services
from krai.social.models import Follow, Message, Photo, Profile, Publication, UserBlock

pytestmark = pytest.mark.django_db(transaction=False)

SURNAME, GIVEN, PATRONYMIC = "Шапошников", "Евлампий", "Ферапонтович"
EMAIL, PHONE = "shaposhnikov.evl@mail.example", "+79181234567"
#: how his phone may be written in texts, and its digits as stored
PHONE_TRACES = ("9181234567", "918) 123", "918 123", "918-123", "123-45-67", "123 45 67")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def social_scene(person, neighbour, moderator) -> dict:
    """The community: his profile, a post, a comment, an album, a conversation, a follow, a block, a report."""
    social_services.profile_update(actor=person, user=person, about=f"Я {SURNAME} {GIVEN}, инженер; {EMAIL}")
    post = social_services.publication_create(actor=person, body=f"{SURNAME} о дорогах: звоните {PHONE}")
    theirs = social_services.publication_create(actor=neighbour, body=f"Согласен с {SURNAME}ым: ремонт нужен")
    comment_services.comment_add(actor=person, target=theirs, body=f"Спасибо! {SURNAME} Е. Ф., {EMAIL}")
    album = social_services.album_create(actor=person, title=f"Двор {SURNAME}а", description=f"Снимал {GIVEN}")
    social_services.photo_add(actor=person, album=album, upload=png(f"{SURNAME}.png"), caption=f"{GIVEN} у дома")
    _conversation, message = social_services.conversation_start(
        actor=person, recipients=[neighbour], body=f"Это {SURNAME}, мой телефон {PHONE}")
    social_services.message_send(actor=neighbour, conversation=message.conversation,
                                 body=f"Здравствуйте, {GIVEN} {PATRONYMIC}!")
    social_services.follow_user(actor=person, user=neighbour)
    social_services.follow_user(actor=neighbour, user=person)
    social_services.block_user(actor=person, user=ResidentFactory(surname="Назойливый"))
    report = social_services.report_create(actor=person, target=theirs, reason="false",
                                           details=f"Пишет {SURNAME}, {EMAIL}")
    social_services.report_dismiss(actor=moderator, report=report, note=f"{SURNAME} ошибся")
    against = social_services.report_create(actor=neighbour, target=post, reason="spam",
                                            details=f"{SURNAME} рекламирует")
    social_services.ban_create(actor=moderator, user=person, reason=f"{SURNAME} рассылал рекламу",
                               ends_at=timezone.now() + timedelta(days=3), report=against)
    return {"post": post, "message": message}


def dump() -> str:
    """Every row of every table, as text."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            name = connection.ops.quote_name(table)  # a name from the catalogue, quoted
            cursor.execute(f"SELECT t::text FROM {name} AS t")  # noqa: S608
            lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


def traces(text: str) -> list[str]:
    """What of him ``text`` still holds: names (any case, JSON-escaped too), e-mail, phone."""
    found = []
    lowered = text.lower()
    for word in (f"{SURNAME} {GIVEN} {PATRONYMIC}", SURNAME, GIVEN, PATRONYMIC, EMAIL, EMAIL.split("@")[0]):
        for form in (word.lower(), json.dumps(word.lower())[1:-1], json.dumps(word)[1:-1]):
            if form in lowered or form in text:
                found.append(word)
                break
    found += [trace for trace in PHONE_TRACES if trace in text]
    return found


def deliver() -> None:
    while dispatch.deliver_pending().attempted:
        pass


@pytest.fixture
def scene(client):
    """One person active in every area, and the others who answer, moderate and vote beside him."""
    municipality, administration = place(38.0, 45.0, code="town")
    pothole = CategoryFactory(code="pothole", name="Ямы", name_en="Potholes")
    moderator = StaffFactory(surname="Модератор")
    assign(moderator, Role.CONTROLLER)
    executor = StaffFactory(surname="Исполнитель")
    assign(executor, Role.EXECUTOR, organisation=administration)
    department = OrganisationFactory(name="Министерство транспорта")
    organiser = StaffFactory(surname="Организатор")
    assign(organiser, Role.HEAD, organisation=department)
    person = ResidentFactory(surname=SURNAME, given_name=GIVEN, patronymic=PATRONYMIC, email=EMAIL, phone=PHONE,
                             home_municipality=municipality)
    neighbour = ResidentFactory(surname="Соседов", home_municipality=municipality)

    # problems: his report names him, his phone and e-mail; answered, rated poorly (reopened)
    mine = problem_services.problem_report(
        actor=person, category=pothole, lat=45.0, lon=38.0, address=f"ул. Мира, 1, спросить {SURNAME}а",
        description=f"Я, {SURNAME} {GIVEN} {PATRONYMIC}, сообщаю: яма у дома. Тел. 8 (918) 123-45-67, {EMAIL}")
    problem_services.problem_publish(actor=moderator, problem=mine)
    problem_services.problem_answer(actor=executor, problem=mine, answer="fixed",
                                    text=f"Уважаемый {GIVEN} {PATRONYMIC}! Яма заделана.")
    problem_services.problem_rate(actor=person, problem=mine, rating=2,
                                  comment=f"Не заделана. {SURNAME}, звоните 89181234567")
    # his Open311 request through a city app: first and last name, e-mail, phone, device
    _key, api_key = Open311Key.issue(name="Городское приложение", user=UserFactory(email_confirmed=False))
    response = client.post("/open311/v2/requests.json", {
        "api_key": api_key, "service_code": "pothole", "lat": "45.01", "long": "38.01",
        "description": f"Нет освещения во дворе, пишите {EMAIL}", "email": EMAIL, "first_name": GIVEN,
        "last_name": SURNAME, "phone": PHONE, "device_id": "device-42", "address_string": "ул. Ленина, 3"})
    assert response.status_code == 201, response.content
    sent = Problem.objects.get(source="open311")
    problem_services.problem_publish(actor=moderator, problem=sent)
    # someone else's problem: he endorses it and comments on it; the neighbour answers him by name
    theirs = problem_services.problem_publish(actor=moderator, problem=problem_services.problem_report(
        actor=neighbour, category=pothole, lat=45.02, lon=38.02, description="Разбит тротуар у школы"))
    problem_services.problem_endorse(actor=person, problem=theirs)
    remark = comment_services.comment_add(actor=person, target=theirs,
                                          body=f"Подтверждаю. {SURNAME} Е. Ф., +7 918 123 45 67")
    comment_services.comment_add(actor=neighbour, target=theirs, parent=remark,
                                 body=f"Спасибо, {GIVEN} {PATRONYMIC}!")

    # participation: an idea (supported), a secret poll, an open poll closed since, a priority vote, a rating
    campaign = CampaignFactory(organisation=department)
    idea = participation_services.idea_suggest(actor=person, campaign=campaign, title=f"Идея {SURNAME}а",
                                               body=f"Скамейки на набережной. Звоните {PHONE}, {EMAIL}")
    participation_services.idea_moderate(actor=organiser, idea=idea, decision="published")
    participation_services.idea_support(actor=neighbour, idea=idea)
    secret, question, options = poll_with(organisation=department)
    open_poll, open_question, open_options = poll_with(organisation=department, secret=False)
    for voter, choice in ((person, 0), (neighbour, 1)):
        participation_services.poll_vote(actor=voter, poll=secret, answers={question.pk: options[choice].pk})
        participation_services.poll_vote(actor=voter, poll=open_poll,
                                         answers={open_question.pk: open_options[choice].pk})
    participation_services.poll_close(actor=organiser, poll=open_poll)
    priority = PriorityFactory()
    participation_services.priority_vote(actor=person, priority=priority)
    participation_services.priority_vote(actor=neighbour, priority=priority)
    service = GovServiceFactory(organisation=department)
    participation_services.service_rate(actor=person, service=service, quality=2, convenience=3, speed=1,
                                        comment=f"Очередь два часа. {SURNAME}, тел. 8-918-123-45-67")
    social = social_scene(person, neighbour, moderator)
    client.force_login(person)  # the audit trail's log-in entry
    deliver()  # the audit trail, the notifications: copies made before he leaves
    return {"person": person, "mine": mine, "sent": sent, "theirs": theirs, "idea": idea, "secret": secret,
            "open_poll": open_poll, "priority": priority, "service": service, **social}


def counts(scene) -> dict:
    return {
        "secret": participation_selectors.poll_tally(scene["secret"]),
        "open": participation_selectors.poll_tally(scene["open_poll"]),
        "turnout": Participation.objects.filter(poll__in=[scene["secret"], scene["open_poll"]]).count(),
        "priority": PriorityVote.objects.filter(priority=scene["priority"]).count(),
        "ratings": list(ServiceRating.objects.filter(service=scene["service"])
                        .values_list("quality", "convenience", "speed")),
        "endorsements": (Problem.objects.get(pk=scene["theirs"].pk).endorsements_count,
                         Endorsement.objects.filter(problem=scene["theirs"]).count()),
        "supports": IdeaSupport.objects.filter(idea=scene["idea"]).count(),
    }


def test_deleting_an_account_erases_the_person_everywhere_and_his_votes_still_count(scene):
    person = scene["person"]
    assert set(traces(dump())) >= {SURNAME, GIVEN, PATRONYMIC, EMAIL, "9181234567"}  # the dump sees him
    before = counts(scene)

    account_services.account_anonymise(actor=person, user=person, password=PASSWORD)
    deliver()

    assert traces(dump()) == []
    assert counts(scene) == before
    assert participation_services.poll_verify(poll=scene["open_poll"])  # the frozen checksum still holds
    # the links are cut, the reports and ideas stay
    assert not PriorityVote.objects.filter(voter=person).exists()
    assert not ServiceRating.objects.filter(user=person).exists()
    mine = Problem.objects.get(pk=scene["mine"].pk)
    assert mine.status == Problem.Status.REOPENED and "яма у дома" in mine.description
    sent = Problem.objects.get(pk=scene["sent"].pk)
    assert sent.reporter_name == "" and sent.reporter_email == "" and sent.is_published
    # the community: his profile, follows, blocks and photos are gone; his post and message stay for others
    assert not Profile.objects.filter(user=person).exists() and not Photo.objects.filter(owner=person).exists()
    assert not Follow.objects.filter(follower=person).exists() and not Follow.objects.filter(followee=person).exists()
    assert not UserBlock.objects.filter(blocker=person).exists()
    assert "о дорогах" in Publication.objects.get(pk=scene["post"].pk).body
    assert Message.objects.get(pk=scene["message"].pk).sender_id is None
