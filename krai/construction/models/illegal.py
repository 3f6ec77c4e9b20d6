"""The registry of illegal constructions (found by inspections or imported) and the measures taken on each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models.registry import ConstructionObject, point_given_or_not
from krai.construction.models.verification import VerificationRequest
from krai.core.models import TimeStamped


class IllegalStatus(models.TextChoices):
    IDENTIFIED = "identified", pgettext_lazy("illegal construction status", "identified")
    MEASURES = "measures", pgettext_lazy("illegal construction status", "measures under way")
    DEMOLISHED = "demolished", pgettext_lazy("illegal construction status", "demolished")
    LEGALISED = "legalised", pgettext_lazy("illegal construction status", "legalised")


class Source(models.TextChoices):
    INSPECTION = "inspection", pgettext_lazy("illegal construction source", "inspection")
    IMPORT = "import", pgettext_lazy("illegal construction source", "import")
    MANUAL = "manual", pgettext_lazy("illegal construction source", "entered by staff")


class Location(models.TextChoices):
    GIVEN = "given", pgettext_lazy("location status", "coordinates given")
    GEOCODED = "geocoded", pgettext_lazy("location status", "found by the address")
    NOT_FOUND = "not_found", pgettext_lazy("location status", "address not found")


class IllegalConstruction(TimeStamped):
    """A construction built without a permit or against it. ``location`` says where its point came from; one
    without a point is kept and flagged (``not_found``) rather than placed somewhere wrong."""

    address = models.CharField(_("address"), max_length=300)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=16, choices=Location.choices, default=Location.GIVEN)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"))
    cadastral_number = models.CharField(_("cadastral number"), max_length=40, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(_("owner or builder"), max_length=300, blank=True)
    found_on = models.DateField(_("found on"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=IllegalStatus.choices,
                              default=IllegalStatus.IDENTIFIED, db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    verification = models.OneToOneField(VerificationRequest, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="illegal", verbose_name=_("verification request"))
    object = models.ForeignKey(ConstructionObject, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="illegal", verbose_name=_("registered object"))
    import_record = models.ForeignKey("imports.ImportRecord", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("import"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))

    class Meta:
        verbose_name = _("illegal construction")
        verbose_name_plural = _("illegal constructions")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["municipality", "found_on"], name="construction_illegal_mun_date")]
        constraints = [
            models.CheckConstraint(condition=point_given_or_not(), name="construction_illegal_point_pair"),
            models.CheckConstraint(condition=Q(location="not_found", lat__isnull=True) | ~Q(location="not_found"),
                                   name="construction_illegal_not_found_has_no_point"),
        ]

    def __str__(self) -> str:
        return self.address

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("construction:illegal", args=[self.pk])


class MeasureKind(models.TextChoices):
    DEMOLITION_ORDER = "demolition_order", pgettext_lazy("measure", "demolition order")
    COURT_CASE = "court_case", pgettext_lazy("measure", "court case")
    FINE = "fine", pgettext_lazy("measure", "fine")
    LEGALISED = "legalised", pgettext_lazy("measure", "legalised")
    DEMOLISHED = "demolished", pgettext_lazy("measure", "demolished")
    OTHER = "other", pgettext_lazy("measure", "other")


class Measure(TimeStamped):
    """A measure taken on an illegal construction; a court case links the lawsuit monitoring's case."""

    construction = models.ForeignKey(IllegalConstruction, on_delete=models.CASCADE, related_name="measures",
                                     verbose_name=_("illegal construction"))
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    taken_on = models.DateField(_("date"))
    number = models.CharField(_("document number"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(_("amount, ₽"), max_digits=14, decimal_places=2, null=True, blank=True)
    court_case = models.ForeignKey("lawsuits.CourtCase", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("court case"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("entered by"))

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on}"
