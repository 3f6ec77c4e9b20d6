"""The government's reaction: the responsible body's answer, owed by a deadline (an assignment of the control
engine), with the final act linked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.lawmaking.models.initiatives import Initiative


class Reaction(models.Model):
    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("adopted as proposed")
        ADOPTED_CHANGED = "adopted_changed", _("adopted with changes")
        LEGISLATURE = "legislature", _("sent to the legislature")
        REJECTED = "rejected", _("rejected")

    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="reaction",
                                      verbose_name=_("initiative"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    act_title = models.CharField(_("title of the act"), max_length=500, blank=True)
    act_number = models.CharField(_("number of the act"), max_length=100, blank=True)
    act_date = models.DateField(_("date of the act"), null=True, blank=True)
    act_url = models.URLField(_("link to the act"), max_length=500, blank=True)
    body = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("answered by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("signed by"))
    decided_at = models.DateTimeField(_("answered"), default=timezone.now, editable=False)
    due = models.DateField(_("answer due"), null=True, blank=True)

    class Meta:
        verbose_name = _("government reaction")
        verbose_name_plural = _("government reactions")

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.get_decision_display()}"

    @property
    def on_time(self) -> bool:
        return self.due is None or timezone.localdate(self.decided_at) <= self.due
