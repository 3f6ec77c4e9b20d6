"""Factories of the participation area, on top of the org ones."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory
from krai.participation.models import Campaign, GovService, Idea, Option, Poll, Priority, Question


class ResidentFactory(UserFactory):
    """A confirmed resident with a verified home municipality."""

    home_municipality = factory.SubFactory(MunicipalityFactory)
    residence_verified = True
    email_confirmed = True


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll

    title = factory.Sequence(lambda n: f"Опрос {n}")
    status = Poll.Status.PUBLISHED
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    secret = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    poll = factory.SubFactory(PollFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Вопрос {n}")
    kind = Question.Kind.SINGLE


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Вариант {n}")


def poll_with(kind: str = Question.Kind.SINGLE, options: int = 3, **poll_fields) -> tuple[Poll, Question, list]:
    """A published, open poll with one question of ``kind`` and ``options`` options."""
    poll = PollFactory(**poll_fields)
    question = QuestionFactory(poll=poll, kind=kind, position=1)
    made = [OptionFactory(question=question, position=n, text=f"Вариант {n}") for n in range(1, options + 1)] \
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKED) else []
    return poll, question, made


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    code = factory.Sequence(lambda n: f"priority-{n}")
    title = factory.Sequence(lambda n: f"Приоритет {n}")


class GovServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovService

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Услуга {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Кампания {n}")
    topic = "Набережная"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    campaign = factory.SubFactory(CampaignFactory)
    author = factory.SubFactory(ResidentFactory)
    title = factory.Sequence(lambda n: f"Идея {n}")
    body = "Поставить скамейки вдоль набережной."
    moderation = Idea.Moderation.PUBLISHED
