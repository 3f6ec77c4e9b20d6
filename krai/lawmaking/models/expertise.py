"""Expertise of a draft: experts of the registry invited by field, and their structured reviews, written by
the stage's deadline and published on the draft and on the expert's profile."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.lawmaking.models.drafts import Version
from krai.lawmaking.models.initiatives import Initiative


class Invitation(models.Model):
    """An expert asked to review the draft by ``due``."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        DECLINED = "declined", _("declined")
        REVIEWED = "reviewed", _("review written")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="invitations",
                                   verbose_name=_("initiative"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="lawmaking_invitations", verbose_name=_("expert"))
    field = models.ForeignKey("social.ExpertiseField", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("field of expertise"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invited by"))
    invited_at = models.DateTimeField(_("invited"), default=timezone.now, editable=False)
    due = models.DateField(_("review due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    decline_reason = models.CharField(_("why declined"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("invitation to review")
        verbose_name_plural = _("invitations to review")
        ordering = ["invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "expert"], name="lawmaking_invite_once")]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.expert_id}"


class Review(models.Model):
    """An expert's structured review of one version of the draft."""

    class Conclusion(models.TextChoices):
        SUPPORT = "support", _("supports the draft")
        REMARKS = "remarks", _("supports it with remarks")
        OPPOSE = "oppose", _("does not support the draft")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reviews",
                                   verbose_name=_("initiative"))
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="reviews",
                                verbose_name=_("version reviewed"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="lawmaking_reviews", verbose_name=_("expert"))
    field = models.ForeignKey("social.ExpertiseField", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("field of expertise"))
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=Conclusion.choices)
    summary = models.TextField(_("summary"))
    risks = models.TextField(_("risks"), blank=True)
    corruption_risks_found = models.BooleanField(_("corruption risks found"), default=False)
    corruption_findings = models.TextField(_("corruption-risk findings"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "expert"], name="lawmaking_review_once")]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.get_conclusion_display()}"
