"""Topics matched on lemmas, their mentions, spikes by a rolling z-score, and a story made an order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.notifications.models import Notification
from krai.monitoring.media import stats
from krai.monitoring.media.models import Alert, Mention, Topic
from krai.monitoring.media.services import orders, spikes, topics
from krai.monitoring.media.tests import helpers
from krai.monitoring.media.text import TermMatcher
from krai.orders.models import Assignment
from krai.org.models import Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db


def test_terms_match_every_inflection_and_phrases_as_lemma_sequences():
    matcher = TermMatcher({"gov": ["губернатор"], "admin": ["администрация Краснодарского края"],
                           "school": ["новая школа"]})
    found = matcher.match("Губернатором подписано. Встреча губернатора с главой администрации Краснодарского края "
                          "прошла в новой школе.")
    assert found == {"gov": ["губернатор"], "admin": ["администрация Краснодарского края"],
                     "school": ["новая школа"]}
    assert matcher.match("Администрация района и Краснодарский край; школа новая") == {}  # words out of sequence


def test_a_topic_finds_its_history_and_the_body_official_and_municipality_by_name():
    owner = StaffFactory()
    src = helpers.source()
    body = OrganisationFactory(name="Министерство здравоохранения")
    district = MunicipalityFactory(name="Красноармейский район")
    official = StaffFactory(surname="Кондратьев", given_name="Вениамин")
    helpers.articles(src, "Министерству здравоохранения поручили открыть ФАП. Срок — до весны.",
                     "В Красноармейском районе открыли школу. Её строили два года.",
                     "Вениамина Кондратьева наградили. Награду вручили в Москве.",
                     "Погода испортится. Снег ожидается в горах.")
    ministry = topics.topic_create(actor=owner, name="Минздрав", kind=Topic.Kind.ORGANISATION, organisation=body)
    area = topics.topic_create(actor=owner, name="Красноармейский", kind=Topic.Kind.MUNICIPALITY,
                               municipality=district)
    person = topics.topic_create(actor=owner, name="Губернатор", kind=Topic.Kind.PERSON, person=official)
    assert [m.article.title for m in ministry.mentions.all()] == ["Министерству здравоохранения поручили открыть ФАП"]
    assert area.mentions.count() == 1 and person.mentions.count() == 1
    assert person.mentions.get().terms == ["Вениамин Кондратьев", "Кондратьев"]
    assert ministry.owner == owner
    # articles taken in later are matched as they come
    helpers.articles(src, "Минздрав и министерство здравоохранения края провели совещание. Итоги подведут завтра.")
    assert ministry.mentions.count() == 2
    with pytest.raises(ValidationError):
        topics.topic_create(actor=owner, name="Пусто", kind=Topic.Kind.KEYWORDS, terms="  ")
    with pytest.raises(ValidationError):
        topics.topic_create(actor=owner, name="Без органа", kind=Topic.Kind.ORGANISATION)


def test_changing_a_topics_terms_matches_again_and_only_its_owner_may():
    owner, other = StaffFactory(), StaffFactory()
    src = helpers.source()
    helpers.articles(src, "Мост через Кубань открыли. Движение запущено.", "Дорогу отремонтировали. Работы шли месяц.")
    topic = topics.topic_create(actor=owner, name="Инфраструктура", terms="мост")
    assert topic.mentions.count() == 1
    with pytest.raises(PermissionDenied):
        topics.topic_update(actor=other, topic=topic, terms="дорога")
    topics.topic_update(actor=owner, topic=topic, terms="мост\nдорога")
    assert topic.mentions.count() == 2
    controller = StaffFactory()
    assign(controller, Role.CONTROLLER)
    topics.topic_update(actor=controller, topic=topic, active=False)
    assert topic.mentions.count() == 0


def _mentions(topic: Topic, day: dt.date, n: int, src) -> None:
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    helpers.articles(src, *[f"Заметка {day} номер {i} про паводок. Текст {i}." for i in range(n)], when=when)


def test_a_spike_raises_one_alert_and_tells_the_owner_once(settings):
    settings.KRAI_PRESS_SPIKE_MIN_MENTIONS = 5
    owner = StaffFactory()
    src = helpers.source()
    topic = topics.topic_create(actor=owner, name="Паводок", terms="паводок")
    today = timezone.localdate()
    for back in range(1, stats.WINDOW_DAYS + 1):  # a steady 0–2 a day for four weeks
        _mentions(topic, today - dt.timedelta(days=back), back % 3, src)
    _mentions(topic, today, 2, src)
    assert spikes.detect_spikes(day=today) == []  # an ordinary day
    _mentions(topic, today, 6, src)  # now 8 today, against a mean of 1 (z ≈ 8.6)
    raised = spikes.detect_spikes(day=today)
    assert len(raised) == 1
    alert = raised[0]
    assert (alert.topic, alert.day, alert.count) == (topic, today, 8) and alert.z >= stats.Z_THRESHOLD
    assert spikes.detect_spikes(day=today) == [] and Alert.objects.count() == 1
    note = Notification.objects.get(user=owner, kind="media.spike")
    assert "Паводок" in note.title and f"topic={topic.pk}" in note.url
    # the link of the notification lists exactly the day's mentions
    assert Mention.objects.filter(topic=topic, day=today).count() == alert.count


def test_few_mentions_are_no_spike_even_on_a_quiet_topic(settings):
    settings.KRAI_PRESS_SPIKE_MIN_MENTIONS = 5
    owner = StaffFactory()
    topic = topics.topic_create(actor=owner, name="Паводок", terms="паводок")
    _mentions(topic, timezone.localdate(), 4, helpers.source())
    assert stats.z_score(4, [0] * 28) == (0.0, 0.0, 4.0)
    assert spikes.detect_spikes() == []


def test_a_story_becomes_an_order_to_prepare_a_reply_once():
    body = OrganisationFactory()
    head = StaffFactory()
    assign(head, Role.HEAD, organisation=body)
    src, other = helpers.source(), helpers.source("ФАН", "federal")
    text = ("В станице Полтавской закрыли поликлинику на ремонт, и жителям приходится ездить к врачу за тридцать "
            "километров. Пациенты жалуются на очереди и отсутствие автобусов.")
    first = helpers.articles(src, text)[0]
    second = helpers.articles(other, text + " Ремонт продлится полгода.")[0]
    assert first.story_id == second.story_id
    assignment = orders.story_to_order(actor=head, story=first.story, executor_organisation=body, working_days=3)
    assert assignment.kind == "monitoring.media" and assignment.executor_organisation == body
    assert "Prepare a reply" in assignment.title or "Подготовить ответ" in assignment.title
    assert first.url in assignment.text and second.url in assignment.text
    with pytest.raises(ValidationError):
        orders.story_to_order(actor=head, story=first.story, executor_organisation=body)
    with pytest.raises((PermissionDenied, ValidationError)):
        orders.story_to_order(actor=StaffFactory(), story=helpers.articles(src, "Другая новость. Совсем другая.")[0]
                              .story, executor_organisation=body)
    assert Assignment.objects.filter(kind="monitoring.media").count() == 1
