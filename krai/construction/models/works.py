"""Infrastructure works ("Find out"): repairs and construction of roads, yards, schools and networks; residents'
subscriptions to a work and their ratings of the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models.registry import point_given_or_not
from krai.core.models import TimeStamped


class WorkKind(models.TextChoices):
    ROAD = "road", pgettext_lazy("work kind", "road")
    YARD = "yard", pgettext_lazy("work kind", "yard")
    SCHOOL = "school", pgettext_lazy("work kind", "school")
    KINDERGARTEN = "kindergarten", pgettext_lazy("work kind", "kindergarten")
    NETWORK = "network", pgettext_lazy("work kind", "utility network")
    PARK = "park", pgettext_lazy("work kind", "park or square")
    OTHER = "other", pgettext_lazy("work kind", "other")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("work status", "planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("work status", "in progress")
    SUSPENDED = "suspended", pgettext_lazy("work status", "suspended")
    COMPLETED = "completed", pgettext_lazy("work status", "completed")


class Work(TimeStamped):
    """A repair or construction of urban infrastructure, with its plan and what actually happened. ``street`` is
    the street's name as residents look for it (their street's list); ``geometry`` (GeoJSON) draws a road's
    line or a yard's outline when known. The rating's sums are kept in the rating's transaction."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type of work"), max_length=20, choices=WorkKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED,
                              db_index=True)
    address = models.CharField(_("address"), max_length=300)
    street = models.CharField(_("street"), max_length=200, blank=True, db_index=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    geometry = models.JSONField(_("line or outline (GeoJSON geometry)"), null=True, blank=True)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    responsible_body = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("responsible body"))
    contractor = models.CharField(_("contractor"), max_length=300, blank=True)
    contractor_inn = models.CharField(_("contractor's INN"), max_length=12, blank=True)
    programme = models.ForeignKey("projects.Programme", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("funding programme"))
    funding = models.CharField(_("funding"), max_length=300, blank=True,
                               help_text=_("The programme or budget line when it is not one of Krai's programmes."))
    cost = models.DecimalField(_("cost, ₽"), max_digits=16, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    ratings_count = models.PositiveIntegerField(_("ratings"), default=0)
    ratings_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))

    class Meta:
        verbose_name = _("infrastructure work")
        verbose_name_plural = _("infrastructure works")
        ordering = ["planned_start", "id"]
        indexes = [models.Index(fields=["municipality", "status"], name="construction_work_mun_status"),
                   models.Index(fields=["lat", "lon"], name="construction_work_point")]
        constraints = [
            models.CheckConstraint(condition=point_given_or_not(), name="construction_work_point_pair"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")),
                                   name="construction_work_plan_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("construction:work", args=[self.pk])

    @property
    def rating(self) -> float | None:
        return round(self.ratings_total / self.ratings_count, 2) if self.ratings_count else None


class WorkSubscription(models.Model):
    """A resident told when the work starts, slips or ends."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription to a work")
        verbose_name_plural = _("subscriptions to works")
        constraints = [models.UniqueConstraint(fields=["work", "user"], name="construction_work_subscribed_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.work_id}"


class WorkRating(TimeStamped):
    """A resident's rating of a completed work's result, 1–5, once (changeable)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating of a work")
        verbose_name_plural = _("ratings of works")
        constraints = [models.UniqueConstraint(fields=["work", "user"], name="construction_work_rated_once"),
                       models.CheckConstraint(condition=Q(score__gte=1, score__lte=5),
                                              name="construction_work_rating_range")]

    def __str__(self) -> str:
        return f"{self.work_id}: {self.score}"
