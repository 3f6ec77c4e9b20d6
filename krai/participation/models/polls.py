"""Polls: questions with options, ballots and the "has voted" rows, frozen results.

One person, one ballot is kept by the database: a ballot is unique per (poll, voter key), and the
voter's participation is unique per (poll, user); the service writes both in one transaction. In a
secret poll the voter key is a keyed hash (HMAC with a per-poll key derived from the server's secret)
and the ballot keeps no link to the user, no time and a random id, so the choice cannot be joined back
to the person through the application's data.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped


def _new_salt() -> str:
    return secrets.token_hex(16)


class Poll(TimeStamped):
    """A poll run by a body of the region for an audience, open between two moments."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    class Audience(models.TextChoices):
        REGION = "region", _("the whole region")
        MUNICIPALITIES = "municipalities", _("chosen municipalities")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation running it"))
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.REGION)
    municipalities = models.ManyToManyField("org.Municipality", blank=True, related_name="+",
                                            verbose_name=_("municipalities"))
    residents_only = models.BooleanField(_("verified residents only"), default=False)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results_during = models.BooleanField(_("results shown during voting"), default=False)
    allow_change = models.BooleanField(_("a vote may be changed while the poll is open"), default=False)
    secret = models.BooleanField(_("secret ballot"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    key_salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="participation_poll_dates"),
        ]
        indexes = [models.Index(fields=["status", "closes_at"], name="participation_poll_due")]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def has_started(self, now=None) -> bool:
        return self.opens_at <= (now or timezone.now())


class Question(models.Model):
    """One question of a poll; ``kind`` says how it is answered."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RANKED = "ranked", _("ranked choice")
        SCALE = "scale", _("rating scale")
        FREE = "free", _("free answer")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions", verbose_name=_("poll"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField(_("an answer is required"), default=True)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["poll", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="participation_question_position"),
            models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="participation_question_scale"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.RANKED)

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    """A choice offered by a question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options",
                                 verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("option"), max_length=300)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="participation_option_position"),
        ]

    def __str__(self) -> str:
        return self.text


class Ballot(models.Model):
    """One voter's ballot in one poll (unique per voter key), counted in his home municipality.

    ``voter`` and ``cast_at`` are kept for open polls only; a secret poll's ballot has neither, and
    its random id says nothing about the order of voting.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("poll"))
    voter_key = models.CharField(_("voter key"), max_length=64)
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("voter (open polls only)"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("voter's municipality"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    cast_at = models.DateTimeField(_("cast (open polls only)"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter_key"], name="participation_ballot_one_per_voter"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    """A ballot's answer to one question: an option (with its rank for a ranked question), a value, or text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="answers", verbose_name=_("ballot"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))
    option = models.ForeignKey(Option, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("option"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "question", "option"], condition=Q(option__isnull=False),
                                    name="participation_answer_option_once"),
            models.UniqueConstraint(fields=["ballot", "question", "rank"], condition=Q(rank__isnull=False),
                                    name="participation_answer_rank_once"),
            models.UniqueConstraint(fields=["ballot", "question"], condition=Q(option__isnull=True),
                                    name="participation_answer_value_once"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="participation_answer_rank"),
        ]
        indexes = [models.Index(fields=["question", "option"], name="participation_answer_tally")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.value or '…'}"


class Participation(models.Model):
    """That a user has voted in a poll (never how): unique per (poll, user)."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="participations", verbose_name=_("poll"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    voted_at = models.DateTimeField(_("voted"), default=timezone.now)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="participation_one_vote_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.user_id}"


class PollResult(models.Model):
    """The results frozen when a poll closed, with the checksum of the ballots they were counted from."""

    poll = models.OneToOneField(Poll, on_delete=models.PROTECT, related_name="result", verbose_name=_("poll"))
    ballots = models.PositiveIntegerField(_("ballots"))
    checksum = models.CharField(_("checksum of the ballots (SHA-256)"), max_length=64)
    data = models.JSONField(_("results"))
    frozen_at = models.DateTimeField(_("frozen"), default=timezone.now)

    class Meta:
        verbose_name = _("frozen poll result")
        verbose_name_plural = _("frozen poll results")

    def __str__(self) -> str:
        return f"{self.poll}: {self.ballots}"
