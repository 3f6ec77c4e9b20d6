"""Federal ratings of Russia's regions: the regions, the ratings, their editions and every region's place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RussianRegion(models.Model):
    """One of the 89 federal subjects, by its official two-digit code (seeded by a data migration)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region of Russia")
        verbose_name_plural = _("regions of Russia")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ensure_all(cls) -> int:
        """Add whichever of the 89 subjects is missing (the migration seeds them; a flushed test database or a
        restore of a partial dump may lack them); returns how many were added. Reference data: no event."""
        from krai.monitoring.rankings.regions import REGIONS

        have = set(cls.objects.values_list("code", flat=True))
        missing = [cls(code=code, name=name, name_en=name_en) for code, name, name_en, _short in REGIONS
                   if code not in have]
        cls.objects.bulk_create(missing)
        return len(missing)


class Rating(models.Model):
    class Periodicity(models.TextChoices):
        YEAR = "year", _("yearly")
        QUARTER = "quarter", _("quarterly")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300)
    methodology_url = models.URLField(_("methodology"), max_length=500, blank=True)
    periodicity = models.CharField(_("periodicity"), max_length=10, choices=Periodicity.choices,
                                   default=Periodicity.YEAR)
    #: ``[{"code": "infra", "name": "Инфраструктура"}, …]``; sub-scores are keyed by these codes
    directions = models.JSONField(_("directions"), default=list, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    owner_organisation = models.ForeignKey("org.Organisation", verbose_name=_("owner organisation"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")
    drop_threshold = models.PositiveSmallIntegerField(_("drop threshold, places"), default=5)
    neighbours = models.ManyToManyField(RussianRegion, verbose_name=_("neighbour regions"), blank=True,
                                        related_name="+")
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("monitoring:rankings:rating", args=[self.code])

    def direction_names(self) -> dict[str, str]:
        return {d["code"]: d.get("name") or d["code"] for d in self.directions or []}


class RatingEdition(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="editions")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    regions_count = models.PositiveSmallIntegerField(_("regions in the rating"))
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rating", "year", "quarter"]
        verbose_name = _("edition of a rating")
        verbose_name_plural = _("editions of ratings")
        # a NULL quarter is a yearly edition: one per year, and one per (year, quarter) otherwise
        constraints = [
            models.UniqueConstraint(fields=["rating", "year"], condition=Q(quarter__isnull=True),
                                    name="rankings_edition_one_per_year"),
            models.UniqueConstraint(fields=["rating", "year", "quarter"], condition=Q(quarter__isnull=False),
                                    name="rankings_edition_one_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.rating} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:rankings:edition", args=[self.rating.code, self.pk])

    @property
    def period(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year} Q{self.quarter}"

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.year, self.quarter or 0)


class RatingPlace(models.Model):
    """A region's place in an edition; a shared place ("5–7") has ``place`` 5 and ``place_to`` 7."""

    edition = models.ForeignKey(RatingEdition, on_delete=models.CASCADE, related_name="places")
    region = models.ForeignKey(RussianRegion, on_delete=models.PROTECT, related_name="+")
    place = models.PositiveSmallIntegerField(_("place"))
    place_to = models.PositiveSmallIntegerField(_("shared place up to"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=3, null=True, blank=True)
    #: ``{direction code: score}``
    subscores = models.JSONField(_("sub-scores"), default=dict, blank=True)

    class Meta:
        ordering = ["edition", "place", "region__code"]
        constraints = [models.UniqueConstraint(fields=["edition", "region"], name="rankings_place_one_per_region")]

    def __str__(self) -> str:
        return f"{self.region}: {self.place_label}"

    @property
    def place_label(self) -> str:
        return f"{self.place}–{self.place_to}" if self.place_to and self.place_to != self.place else str(self.place)
