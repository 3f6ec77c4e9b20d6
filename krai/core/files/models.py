"""Files attached to any object of any area."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A validated file hung on an object (``target``), stored under a random name.

    The stored bytes are what ``validation.inspect_upload`` proved and cleaned (images re-encoded without
    metadata), so ``size`` and ``sha256`` describe the stored file; ``mime_type`` was sniffed from the
    bytes, never taken from the name or the client.
    """

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        PDF = "pdf", _("PDF document")
        OFFICE = "office", _("office document")
        TEXT = "text", _("text")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("type of object"))
    object_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    mime_type = models.CharField(_("type"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    charset = models.CharField(_("text encoding"), max_length=32, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="files_attachment_target")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def target_type(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE
