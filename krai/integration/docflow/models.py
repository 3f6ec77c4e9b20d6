"""Document-flow exchange: the per-system channel setting, the packages received with their order items, and the
answers owed back to the sending system.

* ``DocflowChannel`` — how a registered document-flow system's packages become orders: who issues them (the
  issuer, e.g. the vice-governor whose orders come through this system; his permissions are checked), which body
  controls them, and the urgency given when an item names no deadline.
* ``DocflowPackage`` — one package received (through HTTP, the watched folder, an upload, or a CSV/XLSX table),
  accepted or refused with its errors. Accepted packages are unique per system and uid, so a package sent again is
  answered with the first result rather than imported twice.
* ``DocflowItem`` — one order item of an accepted package and the order it became.
* ``DocflowAnswer`` — the outbox of notifications back to the system (registered, executor assigned, report sent):
  delivered with retries by the job in ``outbox``, each attempt in the exchange log, never silently dropped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.models import TimeStamped
from krai.orders.models import Priority


class DocflowChannel(TimeStamped):
    """A document-flow system's setting: who issues the orders its packages bring, and who controls them."""

    system = models.OneToOneField("integration.ExternalSystem", on_delete=models.CASCADE,
                                  related_name="docflow_channel", verbose_name=_("system"))
    issuer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=pgettext_lazy("docflow", "issuer"),
                               help_text=_("The person whose orders come through this system; the orders are "
                                           "issued in his name and within his rights."))
    controller_organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                                verbose_name=_("controller"))
    priority = models.CharField(_("default urgency"), max_length=16, choices=Priority.choices,
                                default=Priority.ORDINARY,
                                help_text=_("Given to the items that name no deadline."))
    is_active = models.BooleanField(_("accepts packages"), default=True)

    class Meta:
        verbose_name = _("document-flow channel")
        verbose_name_plural = _("document-flow channels")

    def __str__(self) -> str:
        return str(self.system)


class PackageChannel(models.TextChoices):
    MEDO = "medo", _("HTTP (MEDO)")
    FOLDER = "folder", _("watched folder")
    UPLOAD = "upload", _("upload")
    TABLE = "table", _("CSV/XLSX table")


class PackageStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


class DocflowPackage(models.Model):
    """One package received from a system: accepted (its items became orders) or refused (nothing was made)."""

    system = models.ForeignKey("integration.ExternalSystem", on_delete=models.PROTECT,
                               related_name="docflow_packages", verbose_name=_("system"))
    uid = models.CharField(_("package id"), max_length=100, blank=True)
    channel = models.CharField(_("way in"), max_length=16, choices=PackageChannel.choices)
    status = models.CharField(_("status"), max_length=16, choices=PackageStatus.choices)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    document_kind = models.CharField(_("document kind"), max_length=32, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    source_name = models.CharField(_("sender"), max_length=400, blank=True)
    error = models.TextField(_("error"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("loaded by"))

    class Meta:
        verbose_name = _("document-flow package")
        verbose_name_plural = _("document-flow packages")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"], name="docflow_pkg_status")]
        constraints = [
            # a package is imported once: the same uid from the same system again is answered with the first
            models.UniqueConstraint(fields=["system", "uid"], condition=Q(status="accepted") & ~Q(uid=""),
                                    name="docflow_pkg_accepted_once"),
        ]

    def __str__(self) -> str:
        return self.uid or f"#{self.pk}"


class DocflowItem(models.Model):
    """An order item of an accepted package and the order it became."""

    package = models.ForeignKey(DocflowPackage, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(pgettext_lazy("docflow", "position"))
    number = models.CharField(_("item number"), max_length=100)
    text = models.TextField(_("text"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    executor = models.CharField(_("executor as named"), max_length=500, blank=True)
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=pgettext_lazy("docflow", "order"))

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        ordering = ["package", "position"]

    def __str__(self) -> str:
        return f"{self.package}: {self.number}"


class AnswerKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    EXECUTOR_ASSIGNED = "executor_assigned", _("executor assigned")
    REPORTED = "reported", _("report sent")


class AnswerStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, attempts used up")
    HELD = "held", _("kept: the system takes no answers")


class DocflowAnswer(models.Model):
    """A notification owed to the system that sent a package (the outbox): built and validated once, delivered
    to its answers URL and/or its outbox folder with retries."""

    item = models.ForeignKey(DocflowItem, on_delete=models.CASCADE, related_name="answers")
    event_id = models.BigIntegerField(_("event"))
    kind = models.CharField(_("kind"), max_length=24, choices=AnswerKind.choices)
    uid = models.CharField(_("message id"), max_length=100, unique=True)
    content = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    http_done = models.BooleanField(default=False)
    file_done = models.BooleanField(default=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a package")
        verbose_name_plural = _("answers to packages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="docflow_ans_due")]
        constraints = [models.UniqueConstraint(fields=["event_id", "item"], name="docflow_ans_once_per_event")]

    def __str__(self) -> str:
        return f"{self.uid} ({self.kind})"
