"""Lawsuits' part of erasing a person: his name leaves the other parties and descriptions of court cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from krai.monitoring.lawsuits.models import CourtCase


def cases_erase_person(erasure: Any) -> None:
    if erasure.pattern is None:
        return
    words = [name for name in erasure.names if len(name) >= 4] or list(erasure.names)
    if not words:
        return
    q = Q()
    for word in words:
        q |= Q(other_parties__icontains=word) | Q(description__icontains=word)
    count = 0
    for case in CourtCase.objects.filter(q):
        parties, description = erasure.scrub_mentions(case.other_parties), erasure.scrub_mentions(case.description)
        if (parties, description) != (case.other_parties, case.description):
            CourtCase.objects.filter(pk=case.pk).update(other_parties=parties, description=description)
            erasure.touch(case)
            count += 1
    erasure.count("lawsuits.cases", count)
