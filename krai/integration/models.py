"""Registered external systems and the exchange log of every message in and out.

An external system (a document-flow system, a department's management system, another Krai installation) acts
through a **service account** of its own: its API tokens belong to that account (``accounts.ApiToken`` of kind
``system``), the account's role assignments decide what it may see and change, and the system's rate limit caps
its requests. Every message that crosses the boundary — a webhook sent, a MEDO package received, an answer sent
back, a push between installations — is one ``ExchangeMessage``; payloads are kept for a configurable number of
days (``KRAI_INTEGRATION_PAYLOAD_DAYS``), the rest of the row for good.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.models import TimeStamped


class SystemKind(models.TextChoices):
    DOCFLOW = "docflow", _("document flow (MEDO)")
    MANAGEMENT = "management", _("management system of a department")
    INSTALLATION = "installation", _("another Krai installation")
    OTHER = "other", _("other")


class ExternalSystem(TimeStamped):
    """A system Krai exchanges data with, acting through its own service account."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=SystemKind.choices, default=SystemKind.OTHER)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("owner body"))
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="external_system", verbose_name=_("service account"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    rate_limit = models.CharField(_("rate limit"), max_length=32, blank=True,
                                  help_text=_("Requests per period, e.g. 600/min or 10000/day; empty: the default."))
    answer_url = models.URLField(_("answers URL"), blank=True,
                                 help_text=_("Where answers to its document-flow packages are posted, if anywhere."))
    payload_days = models.PositiveSmallIntegerField(_("keep payloads (days)"), null=True, blank=True,
                                                    help_text=_("Empty: the installation's setting."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("external system")
        verbose_name_plural = _("external systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    API = "api", _("REST API")
    WEBHOOK = "webhook", _("webhook")
    MEDO = "medo", _("MEDO package")
    FOLDER = "folder", _("watched folder")
    UPLOAD = "upload", _("upload")
    TABLE = "table", _("CSV/XLSX exchange")
    CONSOLIDATION = "consolidation", _("consolidation")


class Direction(models.TextChoices):
    IN = "in", _("in")
    OUT = "out", _("out")


class ExchangeStatus(models.TextChoices):
    OK = "ok", _("accepted")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")
    PENDING = "pending", _("pending")


class ExchangeMessage(models.Model):
    """One message across the boundary, in or out; its payload is emptied after the retention period."""

    system = models.ForeignKey(ExternalSystem, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="messages", verbose_name=_("system"))
    peer = models.CharField(_("peer"), max_length=300, blank=True,
                            help_text=_("The other side when it is not a registered system: a URL or a folder."))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=ExchangeStatus.choices)
    correlation_id = models.CharField(_("message id"), max_length=200, blank=True, db_index=True)
    summary = models.CharField(pgettext_lazy("exchange", "summary"), max_length=500, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    payload = models.TextField(pgettext_lazy("exchange", "payload"), blank=True)
    payload_size = models.PositiveIntegerField(_("payload size"), default=0)
    payload_purged_at = models.DateTimeField(_("payload removed"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("exchange message")
        verbose_name_plural = _("exchange log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["system", "created_at"], name="integration_msg_system"),
            models.Index(fields=["channel", "direction", "created_at"], name="integration_msg_channel"),
            # the retention job's queue: rows whose payload is still kept
            models.Index(fields=["created_at"], condition=Q(payload_purged_at__isnull=True) & ~Q(payload=""),
                         name="integration_msg_kept"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.direction} {self.kind} ({self.status})"
