"""The problem report itself (``Problem``): a resident's report of a problem at a place, its status, the official
answer, the deadline and the ratings summed for the public figure; what the public sees of it goes through the
privacy mask.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.core.privacy import mask_personal
from krai.problems.models.themes import Category


class Problem(TimeStamped):
    """A resident's report of a problem at a place: moderated, routed, answered within a deadline, rated."""

    class Status(models.TextChoices):
        NEW = "new", _("awaiting moderation")
        ROUTED = "routed", _("sent to the responsible body")
        IN_WORK = "in_work", _("in work")
        PLANNED = "planned", _("planned")
        FIXED = "fixed", _("fixed")
        REOPENED = "reopened", _("reopened")
        CLOSED = "closed", _("closed without a fix")
        REJECTED = "rejected", _("rejected")

    class Answer(models.TextChoices):
        FIXED = "fixed", _("fixed")
        PLANNED = "planned", _("planned")
        DECLINED = "declined", _("declined with a legal reason")

    class Source(models.TextChoices):
        PORTAL = "portal", _("portal")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="problems",
                                 verbose_name=_("category"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("responsible organisation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    anonymous = models.BooleanField(_("hide my name from the public"), default=False)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.PORTAL)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description as written"))
    public_description = models.TextField(_("description shown to the public"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    moderation_reason = models.TextField(_("reason of rejection"), blank=True)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    due_date = models.DateField(_("reaction due"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    answer_text = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    planned_date = models.DateField(_("planned for"), null=True, blank=True)
    programme = models.CharField(_("programme that funds the work"), max_length=300, blank=True)
    # the author's own rating of the latest fix (Open311 and the open dataset show it); every rating of
    # every cycle, the author's and the supporters', is a ``ProblemRating``
    rating = models.PositiveSmallIntegerField(_("rating of the result"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    cycle = models.PositiveSmallIntegerField(_("fix cycle"), default=1,
                                             help_text=_("Each reopening starts a new cycle with its own ratings."))
    # the latest rated cycle's ratings, summed in the rating transaction: the public figure and the
    # statistics read these two columns instead of grouping the ratings table
    ratings_count = models.PositiveIntegerField(_("ratings of the latest rated fix"), default=0)
    ratings_total = models.PositiveIntegerField(_("sum of those ratings"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    endorsements_count = models.PositiveIntegerField(_("endorsements"), default=0)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("duplicate of"))
    open311_token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)

    OPEN = (Status.ROUTED, Status.IN_WORK, Status.PLANNED, Status.REOPENED)
    PUBLISHED = (Status.ROUTED, Status.IN_WORK, Status.PLANNED, Status.FIXED, Status.REOPENED, Status.CLOSED)
    AWAITING_REACTION = (Status.ROUTED, Status.IN_WORK, Status.REOPENED)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180),
                                   name="problems_problem_on_earth"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="problems_problem_rating_1_5"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(moderation_reason=""),
                                   name="problems_problem_rejection_reason"),
            models.CheckConstraint(condition=~Q(answer="planned") | Q(planned_date__isnull=False),
                                   name="problems_problem_planned_date"),
            models.CheckConstraint(condition=Q(answer="") | ~Q(answer_text=""),
                                   name="problems_problem_answer_text"),
        ]
        indexes = [
            models.Index(fields=["status", "lon", "lat"], name="problems_map"),
            models.Index(fields=["lon", "lat"], name="problems_point"),
            models.Index(fields=["organisation", "status"], name="problems_queue"),
            models.Index(fields=["municipality", "status"], name="problems_muni"),
            models.Index(fields=["status", "due_date"], name="problems_due"),
            # the rate limit's "reports by this person in the last hour": an index range whatever the table
            models.Index(fields=["author", "created_at"], name="problems_author_recent"),
        ]

    def __str__(self) -> str:
        return f"№{self.pk} {self.category.name if self.category_id else ''}".strip()

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED

    @property
    def rating_average(self) -> float | None:
        """The average rating of the latest rated fix (one decimal), or None before anyone rates it."""
        return round(self.ratings_total / self.ratings_count, 1) if self.ratings_count else None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return bool(self.status in self.AWAITING_REACTION and self.due_date
                    and self.due_date < timezone.localdate())

    # What the public sees of the resident's own words, through the one mask (krai.core.privacy): at
    # output, so rows written before a stronger mask are covered too; staff read the fields as written.
    @property
    def public_text(self) -> str:
        return mask_personal(self.public_description)

    @property
    def public_address(self) -> str:
        return mask_personal(self.address)

    @property
    def public_author(self) -> str:
        if self.anonymous:
            return ""
        if self.author_id and self.source != self.Source.OPEN311:
            return self.author.short_name
        return (self.reporter_name or "").split(" ")[0]
