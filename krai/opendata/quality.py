"""The quality score of a dataset: the nine criteria of uData (data.gouv.fr), each with what to fix.

Every criterion is a yes/no answer about the passport or the data; the score is the share of criteria
met, in percent. The publisher sees the unmet ones with a sentence saying what to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from krai.opendata.models import FREQUENCY_DAYS, Dataset

OPEN_LICENCES = {"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODC-BY-1.0", "ODbL-1.0", "PDDL-1.0",
                 "open-data-ru", "other-open"}
MIN_DESCRIPTION = 100
LAT_NAMES = {"lat", "latitude", "shirota", "geo_lat", "y"}
LON_NAMES = {"lon", "lng", "long", "longitude", "dolgota", "geo_lon", "x"}


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str | Promise
    met: bool
    fix: str | Promise


def coordinate_fields(fields: list[dict]) -> tuple[str, str] | None:
    """The (latitude, longitude) field names of a structure, if it has both."""
    lat = next((f["name"] for f in fields if f["name"].lower() in LAT_NAMES and f["type"] == "number"), None)
    lon = next((f["name"] for f in fields if f["name"].lower() in LON_NAMES and f["type"] == "number"), None)
    return (lat, lon) if lat and lon else None


def is_late(dataset: Dataset, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if dataset.next_update:
        return dataset.next_update < today
    days = FREQUENCY_DAYS.get(dataset.frequency)
    return bool(days) and (today - timezone.localdate(dataset.modified)).days > days


def criteria(dataset: Dataset) -> list[Criterion]:
    fields = dataset.fields
    version = dataset.current_version
    return [
        Criterion("licence", _("Open licence"), dataset.licence in OPEN_LICENCES,
                  _("Choose an open licence (CC BY 4.0 is the usual one).")),
        Criterion("temporal", _("Temporal coverage"), bool(dataset.temporal_start or dataset.temporal_end),
                  _("Say which period the data covers (from, until).")),
        Criterion("spatial", _("Spatial coverage"), bool(dataset.spatial or coordinate_fields(fields)),
                  _("Say which territory the data covers, or add latitude and longitude columns.")),
        Criterion("frequency", _("Update frequency"), dataset.frequency != "irregular",
                  _("Set how often the data is updated.")),
        Criterion("on_time", _("Updated on time"), version is not None and not is_late(dataset),
                  _("The planned update is late: upload a new version or move the planned date.")),
        Criterion("description", _("Description"), len(dataset.description or "") >= MIN_DESCRIPTION,
                  _("Describe the data in at least %(n)s characters: what, where from, how collected.")
                  % {"n": MIN_DESCRIPTION}),
        Criterion("open_format", _("Open format"), version is not None,
                  _("Upload the data as CSV, JSON or XLSX; readers then get CSV, JSON, XML and XLSX.")),
        Criterion("files", _("Files available"), version is not None and version.row_count > 0,
                  _("Upload a version with at least one row.")),
        Criterion("documentation", _("Documentation"),
                  bool(fields) and all(f.get("description") for f in fields)
                  and bool(dataset.responsible_name and (dataset.responsible_email or dataset.responsible_phone)),
                  _("Describe every column of the structure and give the responsible person's contacts.")),
    ]


def score(dataset: Dataset) -> int:
    items = criteria(dataset)
    return round(100 * sum(1 for c in items if c.met) / len(items))
