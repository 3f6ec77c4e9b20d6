"""Residents' requests to verify a site, and the inspection that answers each (always published)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models.registry import ConstructionObject
from krai.core.models import TimeStamped


class RequestReason(models.TextChoices):
    MISSING = "missing", pgettext_lazy("verification reason", "not in the registry")
    DIFFERS = "differs", pgettext_lazy("verification reason", "differs from its approvals")
    OTHER = "other", pgettext_lazy("verification reason", "other")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("verification status", "being verified")
    RESOLVED = "resolved", pgettext_lazy("verification status", "verified")
    CANCELLED = "cancelled", pgettext_lazy("verification status", "cancelled")


class Decision(models.TextChoices):
    LEGAL = "legal", pgettext_lazy("verification decision", "legal")
    VIOLATION = "violation", pgettext_lazy("verification decision", "violation found")
    ILLEGAL = "illegal", pgettext_lazy("verification decision", "illegal construction")


class VerificationRequest(TimeStamped):
    """A resident points at a site — missing from the registry (``object`` empty) or differing from the approvals
    of a registered ``object`` — and the inspection body must verify it by ``due_date`` (the control engine's
    assignment, kind ``construction``, opened when the request is filed)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    object = models.ForeignKey(ConstructionObject, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="verification_requests", verbose_name=_("registered object"))
    reason = models.CharField(_("reason"), max_length=16, choices=RequestReason.choices)
    address = models.CharField(_("address"), max_length=300)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"))
    description = models.TextField(_("what is wrong"))
    observed_floors = models.PositiveSmallIntegerField(_("floors seen"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN,
                              db_index=True)
    inspection_body = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("inspection body"))
    due_date = models.DateField(_("verify by"), null=True, blank=True)
    resolved_at = models.DateTimeField(pgettext_lazy("verification request", "verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "inspection_body"], name="construction_request_queue"),
                   models.Index(fields=["lat", "lon"], name="construction_request_point")]

    def __str__(self) -> str:
        return f"№ {self.pk} · {self.address}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("construction:request", args=[self.pk])


class Inspection(TimeStamped):
    """The inspector's answer to a request: the visit, the findings, the decision (its photos are attachments of
    this row). Published with the request and on the object."""

    request = models.OneToOneField(VerificationRequest, on_delete=models.CASCADE, related_name="inspection",
                                   verbose_name=_("request"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("inspector"))
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    floors_found = models.PositiveSmallIntegerField(_("floors found"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.decision}"
