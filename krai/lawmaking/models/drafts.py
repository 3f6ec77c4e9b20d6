"""The draft's text: versions (every one kept), its provisions (articles, parts, paragraphs — the anchors of
comments and amendments), proposed amendments and comments anchored to a provision or a passage of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.lawmaking.models.initiatives import Initiative


class Version(models.Model):
    """One version of the draft's text. ``text`` is the source as written (articles, parts, paragraphs in the
    usual Russian layout, see ``krai.lawmaking.provisions``); ``Provision`` rows are its parsed structure."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="versions",
                                   verbose_name=_("initiative"))
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text of the draft"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("made by"))
    created_at = models.DateTimeField(_("made"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("version of a draft")
        verbose_name_plural = _("versions of drafts")
        ordering = ["initiative", "number"]
        constraints = [models.UniqueConstraint(fields=["initiative", "number"], name="lawmaking_version_number")]

    def __str__(self) -> str:
        return f"{self.initiative_id} v{self.number}"


class Provision(models.Model):
    """An article, a part or a paragraph of one version. ``key`` is its number path ("3", "3.2", "3.2.1"), the
    same in every version where the provision keeps its place — the anchor of comments and amendments."""

    class Kind(models.TextChoices):
        PREAMBLE = "preamble", _("preamble")
        ARTICLE = "article", _("article")
        PART = "part", _("part")
        PARAGRAPH = "paragraph", _("paragraph")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="provisions",
                                verbose_name=_("version"))
    key = models.CharField(_("number path"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=60, blank=True)
    heading = models.CharField(_("heading"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="lawmaking_provision_key")]

    def __str__(self) -> str:
        return f"{self.label} {self.heading}".strip() or self.key


class Amendment(models.Model):
    """A proposed change of one provision — of a selected passage (``quote``) or of its whole text — which the
    draft's editor accepts (a new version applies it) or rejects, saying why."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the editor")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("amendment", "withdrawn")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="amendments",
                                   verbose_name=_("initiative"))
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="amendments",
                                verbose_name=_("proposed to version"))
    key = models.CharField(_("provision"), max_length=40)
    quote = models.TextField(_("passage"), blank=True)
    proposed_text = models.TextField(_("proposed wording"))
    justification = models.TextField(_("justification"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="lawmaking_amendments", verbose_name=_("author"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    applied_in = models.ForeignKey(Version, on_delete=models.SET_NULL, null=True, blank=True, related_name="applied",
                                   verbose_name=_("applied in version"))
    created_at = models.DateTimeField(_("proposed"), default=timezone.now, editable=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["initiative", "status"], name="lawmaking_amend_status")]

    def __str__(self) -> str:
        return f"{self.key}: {self.proposed_text[:60]}"


class Annotation(models.Model):
    """A comment anchored to a provision of a version, or to a passage of it (``quote``)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="annotations",
                                   verbose_name=_("initiative"))
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="annotations",
                                verbose_name=_("version"))
    key = models.CharField(_("provision"), max_length=40)
    quote = models.TextField(_("passage"), blank=True)
    body = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="lawmaking_annotations", verbose_name=_("author"))
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment on a provision")
        verbose_name_plural = _("comments on provisions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["version", "key"], name="lawmaking_annot_anchor")]

    def __str__(self) -> str:
        return f"{self.key}: {self.body[:60]}"
