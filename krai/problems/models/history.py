"""What happens to a problem and who follows it: its history (``ProblemUpdate``, a legal record written by the
services, one row per change of state, never through signals), residents' endorsements, the ratings of each fix
cycle and the subscriptions to its changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.privacy import mask_personal
from krai.problems.models.problem import Problem


class ProblemUpdate(models.Model):
    """One entry of a problem's history (a legal record): what changed, who did it, with which words."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("reported")
        PUBLISHED = "published", _("published and routed")
        REJECTED = "rejected", _("rejected by moderation")
        EDITED = "edited", _("text edited by moderation")
        IN_WORK = "in_work", _("taken in work")
        ANSWERED = "answered", _("official answer given")
        REASSIGNED = "reassigned", _("passed to another body")
        RATED = "rated", _("rated")
        REOPENED = "reopened", _("reopened")
        MERGED = "merged", _("merged into another report")
        OVERDUE = "overdue", _("reaction overdue")
        EXTENDED = "extended", _("deadline extended")
        ACCEPTED = "accepted", _("answer accepted by the controller")
        RETURNED = "returned", _("answer returned to the body for rework")
        UNCONTROLLED = "uncontrolled", _("removed from control")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="updates",
                                verbose_name=_("problem"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=16, choices=Problem.Status.choices)
    text = models.TextField(_("text"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    is_public = models.BooleanField(_("shown to the public"), default=True)
    event_id = models.BigIntegerField(null=True, blank=True, unique=True, editable=False,
                                      help_text="the control engine's event this row reacts to (idempotency)")
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("problem history entry")
        verbose_name_plural = _("problem history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.kind}"

    #: entries whose text the resident wrote (his rating comment, his reason to reopen)
    RESIDENT_KINDS = (Kind.RATED, Kind.REOPENED)

    @property
    def public_text(self) -> str:
        """The text as the public sees it: a resident's words through the mask, the bodies' as written."""
        return mask_personal(self.text) if self.kind in self.RESIDENT_KINDS else self.text


class Endorsement(models.Model):
    """A resident's "me too" on a published problem: once per person (the database refuses a second)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="endorsements",
                                verbose_name=_("problem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("resident"))
    created_at = models.DateTimeField(_("endorsed"), default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="problems_endorse_once")]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.user_id}"


class ProblemRating(models.Model):
    """A rating of the result (1–5) by the author or a supporter: once per person and fix cycle.

    A reopening starts a new cycle (``Problem.cycle``), so the same people rate the new fix afresh and
    the old fix's ratings stay on record with their cycle.
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("problem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("resident"))
    cycle = models.PositiveSmallIntegerField(_("fix cycle"), default=1)
    value = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    is_author = models.BooleanField(_("by the author"), default=False)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        verbose_name = _("rating of a result")
        verbose_name_plural = _("ratings of results")
        ordering = ["problem", "cycle", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "cycle", "user"], name="problems_rate_once_per_cycle"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="problems_rating_value_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}/{self.cycle}: {self.value}"


class Subscription(models.Model):
    """A person following a problem's changes (in-app and e-mail, as his preferences say); endorsing subscribes."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="subscriptions",
                                verbose_name=_("problem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("person"))
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription to a problem")
        verbose_name_plural = _("subscriptions to problems")
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="problems_subscribe_once")]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.user_id}"
