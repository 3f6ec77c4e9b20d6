"""An initiative — a draft regional or municipal act — and what surrounds it through its stages: the
timeline of stages, support, the initiator's questions to the public and their answers, subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    REGIONAL = "regional", _("regional")
    MUNICIPAL = "municipal", _("municipal")


class Stage(models.TextChoices):
    CONCEPT = "concept", pgettext_lazy("law-making stage", "Concept")
    DISCUSSION = "discussion", pgettext_lazy("law-making stage", "Idea discussion")
    ELABORATION = "elaboration", pgettext_lazy("law-making stage", "Draft elaboration")
    EXPERTISE = "expertise", pgettext_lazy("law-making stage", "Expertise")
    REACTION = "reaction", pgettext_lazy("law-making stage", "Government reaction")
    CLOSED = "closed", pgettext_lazy("law-making stage", "Reaction given")
    STOPPED = "stopped", pgettext_lazy("law-making stage", "Stopped")


#: the way forward, in order; ``stopped`` leaves it at any stage before the reaction is given
STAGE_PATH = [Stage.CONCEPT, Stage.DISCUSSION, Stage.ELABORATION, Stage.EXPERTISE, Stage.REACTION, Stage.CLOSED]
#: stages in which the initiative is visible to everyone (a concept waits for moderation; a stopped one stays
#: public only if it was published before it stopped — ``published_at`` says)
PUBLIC_STAGES = [Stage.DISCUSSION, Stage.ELABORATION, Stage.EXPERTISE, Stage.REACTION, Stage.CLOSED]


class InitiatorKind(models.TextChoices):
    RESIDENT = "resident", _("resident")
    EXPERT = "expert", _("expert")
    ORGANISATION = "organisation", _("public organisation")
    BODY = "body", _("government body")


class Initiative(models.Model):
    """A draft act from its concept to the government's reaction. ``stage`` says where it is; ``StageEntry``
    rows keep when it entered each stage and until when that stage was planned (the visible timeline)."""

    title = models.CharField(_("title"), max_length=300)
    problem = models.TextField(_("the problem"))
    proposal = models.TextField(_("the proposed regulation"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.REGIONAL)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="lawmaking_initiatives", verbose_name=_("municipality"))
    responsible_body = models.ForeignKey("org.Organisation", on_delete=models.PROTECT,
                                         related_name="lawmaking_initiatives", verbose_name=_("responsible body"))
    fields = models.ManyToManyField("social.ExpertiseField", blank=True, related_name="lawmaking_initiatives",
                                    verbose_name=_("subjects"))
    initiator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="lawmaking_initiatives", verbose_name=_("initiator"))
    initiator_kind = models.CharField(_("initiator is"), max_length=16, choices=InitiatorKind.choices,
                                      default=InitiatorKind.RESIDENT)
    initiator_organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="+",
                                               verbose_name=_("on behalf of"))
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="lawmaking_edited", verbose_name=_("editor of the draft"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.CONCEPT)
    stage_started_at = models.DateTimeField(_("stage started"), default=timezone.now)
    stage_due = models.DateField(_("stage planned to end"), null=True, blank=True)
    stopped_stage = models.CharField(_("stopped at stage"), max_length=16, choices=Stage.choices, blank=True)
    stopped_reason = models.TextField(_("why it stopped"), blank=True)
    support_threshold = models.PositiveIntegerField(_("support needed"), default=0)
    support_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("law-making initiative")
        verbose_name_plural = _("law-making initiatives")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "-published_at"], name="lawmaking_stage_pub"),
            models.Index(fields=["responsible_body", "stage"], name="lawmaking_body_stage"),
            models.Index(fields=["level", "municipality"], name="lawmaking_level_mun"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level="regional", municipality__isnull=True)
                                   | Q(level="municipal", municipality__isnull=False),
                                   name="lawmaking_municipal_has_municipality"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lawmaking:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.published_at is not None

    @property
    def is_open(self) -> bool:
        """Still moving: neither stopped nor closed by a reaction."""
        return self.stage not in (Stage.CLOSED, Stage.STOPPED)


class StageEntry(models.Model):
    """One step of the timeline: the initiative entered ``stage`` at ``entered_at``, planned to end on ``due``."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="stage_entries",
                                   verbose_name=_("initiative"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    due = models.DateField(_("planned end"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("moved by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage of an initiative")
        verbose_name_plural = _("stages of initiatives")
        ordering = ["entered_at", "id"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.get_stage_display()}"


class Support(models.Model):
    """A person supports an initiative under discussion (once)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports",
                                   verbose_name=_("initiative"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lawmaking_supports",
                             verbose_name=_("supporter"))
    created_at = models.DateTimeField(_("supported"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="lawmaking_support_once")]

    def __str__(self) -> str:
        return f"{self.initiative_id} ← {self.user_id}"


class Question(models.Model):
    """A question the initiator puts to the public during the discussion."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="questions",
                                   verbose_name=_("initiative"))
    text = models.CharField(_("question"), max_length=500)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("asked by"))
    created_at = models.DateTimeField(_("asked"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("question to the public")
        verbose_name_plural = _("questions to the public")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    """One person's answer to a question (he may change it while the question is open)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("question"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lawmaking_answers",
                               verbose_name=_("author"))
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("answered"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "author"], name="lawmaking_answer_once")]

    def __str__(self) -> str:
        return self.text[:60]


class Subscription(models.Model):
    """Tell me about an initiative's steps (``initiative`` set), or about new initiatives that match a filter
    (level, municipality, subject — any of them empty means any)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="lawmaking_subscriptions", verbose_name=_("subscriber"))
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="subscriptions", verbose_name=_("initiative"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"))
    field = models.ForeignKey("social.ExpertiseField", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("subject"))
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("subscription to law-making")
        verbose_name_plural = _("subscriptions to law-making")
        constraints = [
            models.UniqueConstraint(fields=["user", "initiative"], condition=Q(initiative__isnull=False),
                                    name="lawmaking_subscribe_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.initiative_id or self.level}"
