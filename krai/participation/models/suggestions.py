"""Suggestions outside campaigns (Perm's "Suggest"): a new problem category or topic, or a solution to a problem."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.participation.models._public import PublicText


class Suggestion(PublicText, TimeStamped):
    """A resident's proposal to the region's staff, answered by them; a solution points at its problem.

    The problem is referred to by a string foreign key: participation does not import the problems area
    (the two are siblings in the layers); whether the resident may see the problem is asked through its
    permission ``problems.view_problem``.
    """

    class Kind(models.TextChoices):
        CATEGORY = "category", _("a new problem category")
        TOPIC = "topic", _("a new topic")
        SOLUTION = "solution", _("a solution to a problem")

    class Status(models.TextChoices):
        NEW = "new", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        CONSIDERED = "considered", _("taken into consideration")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    problem = models.ForeignKey("problems.Problem", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("problem"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("suggestion"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("official answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["category", "topic", "solution"]),
                                   name="participation_suggestion_kind"),
            models.CheckConstraint(condition=Q(status="new") | ~Q(answer=""),
                                   name="participation_suggestion_answered"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="participation_suggestion_queue")]

    def __str__(self) -> str:
        return self.title
