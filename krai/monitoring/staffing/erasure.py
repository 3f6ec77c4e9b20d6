"""Staffing's part of erasing a person (``krai.core.privacy.erase_person``)."""

from __future__ import annotations

from typing import Any

from krai.monitoring.staffing.models import Employment


def employment_erase_person(erasure: Any) -> None:
    """His employments keep their dates and rates (the fill history is the region's), but lose his name."""
    rows = Employment.objects.filter(person_id=erasure.user_id)
    for employment in rows:
        erasure.touch(employment)
    erasure.count("staffing.employments", rows.update(person=None, person_name="—"))
