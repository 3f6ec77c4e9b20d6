"""The public registry of constructions: an object with its permit and approved parameters, and the history of
changes every object of the area keeps (one table, any target)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.models import TimeStamped


def point_given_or_not(prefix: str = "") -> Q:
    """Latitude and longitude come together or not at all."""
    return (Q(**{f"{prefix}lat__isnull": True, f"{prefix}lon__isnull": True})
            | Q(**{f"{prefix}lat__isnull": False, f"{prefix}lon__isnull": False}))


class ObjectKind(models.TextChoices):
    RESIDENTIAL = "residential", pgettext_lazy("construction kind", "residential building")
    COMMERCIAL = "commercial", pgettext_lazy("construction kind", "commercial building")
    INDUSTRIAL = "industrial", pgettext_lazy("construction kind", "industrial building")
    SOCIAL = "social", pgettext_lazy("construction kind", "social facility")
    INFRASTRUCTURE = "infrastructure", pgettext_lazy("construction kind", "infrastructure")
    OTHER = "other", pgettext_lazy("construction kind", "other")


class ObjectStage(models.TextChoices):
    PERMIT_ISSUED = "permit_issued", pgettext_lazy("construction stage", "permit issued")
    UNDER_CONSTRUCTION = "under_construction", pgettext_lazy("construction stage", "under construction")
    SUSPENDED = "suspended", pgettext_lazy("construction stage", "suspended")
    COMMISSIONED = "commissioned", pgettext_lazy("construction stage", "commissioned")


class ConstructionObject(TimeStamped):
    """A construction with a permit, as the registry publishes it. A point (``lat``/``lon``) places it on the map;
    ``polygon`` (a GeoJSON Polygon or MultiPolygon) outlines the plot when it is known."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=ObjectKind.choices, default=ObjectKind.RESIDENTIAL)
    stage = models.CharField(_("stage"), max_length=20, choices=ObjectStage.choices,
                             default=ObjectStage.PERMIT_ISSUED, db_index=True)
    address = models.CharField(_("address"), max_length=300)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    polygon = models.JSONField(_("outline (GeoJSON geometry)"), null=True, blank=True)
    cadastral_number = models.CharField(_("cadastral number"), max_length=40, blank=True, db_index=True)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"))
    developer = models.CharField(_("developer"), max_length=300, blank=True)
    developer_inn = models.CharField(_("developer's INN"), max_length=12, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=64, blank=True, db_index=True)
    permit_date = models.DateField(_("permit date"), null=True, blank=True)
    permit_authority = models.CharField(_("issued by"), max_length=300, blank=True)
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    approved_floors = models.PositiveSmallIntegerField(_("approved floors"), null=True, blank=True)
    approved_area = models.DecimalField(_("approved area, m²"), max_digits=12, decimal_places=2, null=True,
                                        blank=True)
    purpose = models.CharField(_("approved purpose"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    inspection_body = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("inspection body"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))

    class Meta:
        verbose_name = _("construction object")
        verbose_name_plural = _("construction objects")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["municipality", "stage"], name="construction_object_mun_stage"),
                   models.Index(fields=["lat", "lon"], name="construction_object_point")]
        constraints = [models.CheckConstraint(condition=point_given_or_not(), name="construction_object_point_pair")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("construction:object", args=[self.pk])


class Change(models.Model):
    """One recorded change of any object of the area (an object of the registry, a work, an illegal construction):
    ``changes`` is ``{field: [old, new]}`` as shown to people (choices by their label, dates as ISO)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("changed by"))
    at = models.DateTimeField(_("changed"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="construction_change_target")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.at:%Y-%m-%d}"
