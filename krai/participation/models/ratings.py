"""Government services, residents' ratings of them, and the monthly ranks.

A resident rates a service at most once per calendar month (``month`` is the month's first day); he
may amend that month's rating until the month ends, and the next month he may rate it anew. Marks are
1–5, kept so by check constraints as well as by the service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.core.privacy import mask_personal
from krai.participation.models._immutable import Immutable

MARK_MIN, MARK_MAX = 1, 5
CRITERIA = ("quality", "convenience", "speed")


class GovService(TimeStamped):
    """A government service provided by an organisation (a licence, a benefit, a registration)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("where to get it"), blank=True)
    is_active = models.BooleanField(_("open for ratings"), default=True)

    class Meta:
        verbose_name = _("government service")
        verbose_name_plural = _("government services")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


def _mark(name: str) -> Q:
    return Q(**{f"{name}__gte": MARK_MIN, f"{name}__lte": MARK_MAX})


class ServiceRating(TimeStamped):
    """One resident's marks for a service in one month, with an optional comment."""

    service = models.ForeignKey(GovService, on_delete=models.PROTECT, related_name="ratings",
                                verbose_name=_("service"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("resident"))
    month = models.DateField(_("month"))
    quality = models.PositiveSmallIntegerField(_("quality"))
    convenience = models.PositiveSmallIntegerField(_("convenience"))
    speed = models.PositiveSmallIntegerField(_("speed"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-month", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "user", "month"], name="participation_rating_once_a_month"),
            models.CheckConstraint(condition=_mark("quality"), name="participation_rating_quality"),
            models.CheckConstraint(condition=_mark("convenience"), name="participation_rating_convenience"),
            models.CheckConstraint(condition=_mark("speed"), name="participation_rating_speed"),
        ]
        indexes = [models.Index(fields=["month", "service"], name="participation_rating_month")]

    @property
    def public_comment(self) -> str:
        """The comment as the service's organisation reads it: ratings are anonymous, so personal data masked."""
        return mask_personal(self.comment)

    @property
    def overall(self) -> float:
        return (self.quality + self.convenience + self.speed) / 3


class ServiceRankBuild(Immutable):
    """The monthly ranks of one month, built once after the month ended."""

    month = models.DateField(_("month"), unique=True)
    prior_weight = models.PositiveIntegerField(_("prior weight (ratings)"))
    ratings_total = models.PositiveIntegerField(_("ratings"))
    built_at = models.DateTimeField(_("built"), auto_now_add=True)

    class Meta:
        verbose_name = _("service rank build")
        verbose_name_plural = _("service rank builds")
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")


class ServiceRank(Immutable):
    """A service's place among all rated services in a month, by one criterion or overall."""

    class Criterion(models.TextChoices):
        OVERALL = "overall", _("overall")
        QUALITY = "quality", _("quality")
        CONVENIENCE = "convenience", _("convenience")
        SPEED = "speed", _("speed")

    build = models.ForeignKey(ServiceRankBuild, on_delete=models.PROTECT, related_name="ranks",
                              verbose_name=_("build"))
    criterion = models.CharField(_("criterion"), max_length=16, choices=Criterion.choices)
    service = models.ForeignKey(GovService, on_delete=models.PROTECT, related_name="ranks",
                                verbose_name=_("service"))
    ratings = models.PositiveIntegerField(_("ratings"))
    mean = models.FloatField(_("plain mean"))
    score = models.FloatField(_("Bayesian average"))
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("service rank")
        verbose_name_plural = _("service ranks")
        ordering = ["build", "criterion", "position", "service_id"]
        constraints = [
            models.UniqueConstraint(fields=["build", "criterion", "service"], name="participation_service_rank_once"),
        ]
