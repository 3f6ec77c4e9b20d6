"""One full-text index for every area: an entry per searchable object."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """What search knows of one object: its text, where it lives, and who may find it.

    ``visibility`` is ``public`` (everyone, anonymous included) or ``staff``. A staff entry may carry a
    scope descriptor — the organisation's materialised path, a block, a municipality, an owner — and is
    then found only by staff whose scope covers one of them (an entry with none is found by all staff);
    the owner always finds his own entries. Fill every descriptor that applies (an order of a department
    sets the department's path, block and municipality), so each kind of scope matches it.

    Full-text: on PostgreSQL ``search_vector`` (``russian`` configuration, title weighted A, body B, GIN
    index) is kept by the service; on SQLite the FTS5 table ``search_fts`` (external content, rowid = id)
    is kept by triggers created in the migration. The column exists on SQLite too and stays empty.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("everyone")
        STAFF = "staff", _("staff")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("type of object"))
    object_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=100, db_index=True, help_text=_("app_label.model"))
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    organisation_path = models.CharField(_("organisation path"), max_length=255, blank=True, db_index=True)
    block_id = models.BigIntegerField(_("block"), null=True, blank=True, db_index=True)
    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True, db_index=True)
    owner_id = models.BigIntegerField(_("owner"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_target")]

    def __str__(self) -> str:
        return self.title
