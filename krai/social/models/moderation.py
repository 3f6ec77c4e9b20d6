"""Moderation: reports by users about any content or person, and bans with an end date."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AbuseReport(models.Model):
    """A user's report about a publication, a comment, a photo, an album, a message or a profile.

    ``target_owner`` is who wrote the reported thing (for the queue's counts and a ban). A report about a
    message opens that message — and only it, with a few before it for context — to the moderator who
    handles the report; each opening is an audited event.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", pgettext_lazy("report reason", "spam or advertising")
        ABUSE = "abuse", pgettext_lazy("report reason", "insults or harassment")
        HATE = "hate", pgettext_lazy("report reason", "hatred or threats")
        PERSONAL = "personal_data", pgettext_lazy("report reason", "someone's personal data")
        ILLEGAL = "illegal", pgettext_lazy("report reason", "illegal content")
        FALSE = "false", pgettext_lazy("report reason", "deliberately false information")
        OTHER = "other", pgettext_lazy("report reason", "something else")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "open")
        ACTIONED = "actioned", pgettext_lazy("report status", "action taken")
        DISMISSED = "dismissed", pgettext_lazy("report status", "dismissed")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reported by"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("type of object"))
    object_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    target_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("reported account"))
    reason = models.CharField(pgettext_lazy("report", "reason"), max_length=16, choices=Reason.choices)
    details = models.TextField(pgettext_lazy("report", "details"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    decision_note = models.TextField(_("moderator's note"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "content_type", "object_id"], condition=Q(status="open"),
                                    name="social_report_open_once"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="social_report_queue"),
            models.Index(fields=["content_type", "object_id"], name="social_report_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_reason_display()}"


class Ban(models.Model):
    """A ban: from ``starts_at`` to ``ends_at`` the user may read but not publish, comment, upload, message,
    follow or report. Lifting it early keeps the row (``lifted_at``) as the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_bans",
                             verbose_name=_("user"))
    reason = models.TextField(pgettext_lazy("ban", "reason"))
    report = models.ForeignKey(AbuseReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="bans",
                               verbose_name=_("abuse report"))
    starts_at = models.DateTimeField(pgettext_lazy("ban", "from"), default=timezone.now)
    ends_at = models.DateTimeField(pgettext_lazy("ban", "until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("banned by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    lifted_at = models.DateTimeField(pgettext_lazy("ban", "lifted"), null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("lifted by"))

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="social_ban_ends_later")]
        indexes = [models.Index(fields=["user", "ends_at"], name="social_ban_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.ends_at:%Y-%m-%d}"
