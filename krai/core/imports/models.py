"""The kept record of every import: who brought which file, how its columns were read, what came of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("awaiting confirmation")
        STORED = "stored", _("stored")
        REJECTED = "rejected", _("rejected: nothing stored")
        FAILED = "failed", _("failed: nothing stored")

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("imported by"))
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    source_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # kept so that the confirmation reads exactly the previewed file, and so an import can be checked later
    content = models.BinaryField(_("file"), blank=True, editable=False)
    header = models.JSONField(_("header"), default=list, blank=True)
    sample = models.JSONField(_("first rows"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED,
                              db_index=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors by row and column"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name} · {self.get_status_display()}"
