"""Ideas campaigns: residents suggest, others support, staff moderate and answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.participation.models._public import PublicText


class Campaign(TimeStamped):
    """A call for ideas on a topic ("the route network", "the embankment"), open between two dates."""

    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality (empty: the whole region)"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("responsible organisation"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("ideas campaign")
        verbose_name_plural = _("ideas campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="participation_campaign_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class Idea(PublicText, TimeStamped):
    """A resident's suggestion in a campaign: moderated before it shows, then answered by staff."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected by moderation")

    class Status(models.TextChoices):
        NEW = "new", _("under consideration")
        ACCEPTED = "accepted", _("accepted")
        IN_WORK = "in_work", _("in work")
        IMPLEMENTED = "implemented", _("implemented")
        REJECTED = "rejected", _("rejected")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="ideas",
                                 verbose_name=_("campaign"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("idea"))
    moderation = models.CharField(_("moderation"), max_length=16, choices=Moderation.choices,
                                  default=Moderation.PENDING)
    moderation_reason = models.TextField(_("reason of rejection"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("moderated by"))
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("official answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    order_reference = models.CharField(_("order of the control engine"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(moderation="rejected") | ~Q(moderation_reason=""),
                                   name="participation_idea_rejection_reason"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(answer=""),
                                   name="participation_idea_status_reason"),
        ]
        indexes = [models.Index(fields=["campaign", "moderation"], name="participation_idea_list")]

    def __str__(self) -> str:
        return self.title


class IdeaSupport(models.Model):
    """A resident's support of an idea: once per person."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("resident"))
    created_at = models.DateTimeField(_("supported"), default=timezone.now)

    class Meta:
        verbose_name = _("support of an idea")
        verbose_name_plural = _("supports of ideas")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="participation_support_once")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.user_id}"
