"""Open datasets: the passport, its versions (files kept for ever) and where the current rows live.

The rows of a dataset's current version are not stored here as model rows but in a real table per
version (``DatasetVersion.datastore_table``, built by ``krai.opendata.datastore``) with one typed,
indexed column per field of the structure: filtering, sorting and keyset pages then run on plain
indexes on SQLite and PostgreSQL alike (see docs/opendata.md for why).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STANDARD_VERSION = "http://opendata.gosmonitor.ru/standard/3.0"

identifier_validator = RegexValidator(
    r"^[0-9]{10,12}-[a-z0-9][a-z0-9_\-]{0,80}$",
    _("An identifier is the owner's INN, a dash and a Latin code: 2308000001-schools."),
)


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")
    CONTINUOUS = "continuous", _("when the data changes")
    IRREGULAR = "irregular", _("irregularly")


#: days after which an update is late, per frequency (None: never late)
FREQUENCY_DAYS = {"daily": 2, "weekly": 8, "monthly": 32, "quarterly": 93, "yearly": 366,
                  "continuous": None, "irregular": None}


class Dataset(models.Model):
    """An open dataset and its passport (the 17 rows of the Russian recommendations 3.0).

    ``structure`` is the current Table Schema subset: ``{"fields": [{"name", "type", "title",
    "title_en", "description", "required", "unique"?}]}``; each version keeps the structure it was
    validated against.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded by the publisher")
        LIVE = "live", _("fed by Krai")

    identifier = models.CharField(_("identifier"), max_length=100, unique=True, validators=[identifier_validator])
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="datasets",
                              verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.UPLOADED)
    live_code = models.CharField(_("live dataset code"), max_length=80, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    responsible_name = models.CharField(_("responsible person"), max_length=300, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=64, blank=True)
    responsible_email = models.EmailField(_("responsible person's e-mail"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True, db_index=True)
    frequency = models.CharField(_("update frequency"), max_length=16, choices=Frequency.choices,
                                 default=Frequency.YEARLY)
    licence = models.CharField(_("licence"), max_length=200, blank=True, default="CC-BY-4.0")
    spatial = models.CharField(_("spatial coverage"), max_length=300, blank=True)
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    documentation_url = models.URLField(_("documentation"), blank=True)
    structure = models.JSONField(_("structure"), default=dict)
    created = models.DateTimeField(_("created"), default=timezone.now)
    modified = models.DateTimeField(_("last change"), default=timezone.now)
    next_update = models.DateField(_("planned next update"), null=True, blank=True)
    provenance = models.CharField(_("what the last change was"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="")
    quality = models.PositiveSmallIntegerField(_("quality"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    late_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "owner"], name="opendata_ds_status_owner")]
        constraints = [models.UniqueConstraint(fields=["live_code"], condition=~models.Q(live_code=""),
                                               name="opendata_live_code_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> DatasetVersion | None:
        cached = getattr(self, "_current_version", None)
        if cached is None:
            cached = self.versions.filter(is_current=True).first()
            self._current_version = cached
        return cached

    @property
    def fields(self) -> list[dict]:
        return list((self.structure or {}).get("fields", []))


class DatasetVersion(models.Model):
    """One published version: its file (kept in storage and downloadable for ever) and its datastore table."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"
        XLSX = "xlsx", "XLSX"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    created = models.DateTimeField(_("published"), default=timezone.now)
    valid = models.DateField(_("date of relevance"), null=True, blank=True)
    provenance = models.CharField(_("what changed"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="opendata/", max_length=300, blank=True)
    source_format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.CSV)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    structure = models.JSONField(_("structure"), default=dict)
    structure_created = models.DateField(_("structure date"))
    structure_name = models.CharField(_("structure name in the Russian layout"), max_length=40,
                                      help_text="structure-YYYYMMDD; versions that share a structure share it")
    data_name = models.CharField(_("name in the Russian layout"), max_length=80,
                                 help_text="data-YYYYMMDD-structure-YYYYMMDD; unique within the dataset")
    datastore_table = models.CharField(max_length=63, blank=True, editable=False)
    is_current = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="opendata_version_number_unique"),
            models.UniqueConstraint(fields=["dataset"], condition=models.Q(is_current=True),
                                    name="opendata_one_current_version"),
            models.UniqueConstraint(fields=["dataset", "data_name"], name="opendata_version_data_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.identifier} v{self.number}"



def _stamped(prefix: str, created, rest: str, taken) -> str:
    """``<prefix>-YYYYMMDD<rest>``, or with the local time ``YYYYMMDDTHHMM``, or that and ``-N``: not in ``taken``."""
    local = timezone.localtime(created)
    for stamp in (f"{local:%Y%m%d}", f"{local:%Y%m%dT%H%M}"):
        if f"{prefix}-{stamp}{rest}" not in taken:
            return f"{prefix}-{stamp}{rest}"
    n = 2
    while f"{prefix}-{local:%Y%m%dT%H%M}-{n}{rest}" in taken:
        n += 1
    return f"{prefix}-{local:%Y%m%dT%H%M}-{n}{rest}"


def version_structure_name(created, taken) -> str:
    """The v3 name of a new structure, unique among ``taken`` (the dataset's other structures' names).

    ``structure-YYYYMMDD`` for the first structure of a (local) day; a second one the same day carries the
    time, ``structure-YYYYMMDDTHHMM`` (a date form the recommendations' readers accept), then a counter.
    """
    return _stamped("structure", created, "", taken)


def version_data_name(created, structure_name: str, taken) -> str:
    """The v3 name of a data version, unique among ``taken`` (the dataset's other names).

    The first version of a (local) day is ``data-YYYYMMDD-structure-YYYYMMDD``; a later one the same day
    carries the time, ``data-YYYYMMDDTHHMM-structure-YYYYMMDD`` (a date form the recommendations' readers
    accept); one more within the same minute gets a counter, ``data-YYYYMMDDTHHMM-2-structure-YYYYMMDD``.
    """
    return _stamped("data", created, f"-{structure_name}", taken)
