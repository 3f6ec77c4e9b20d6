"""The verification part's share of erasing a person and of "download my data" (``krai.core.privacy``).

A verification request and its inspection are a public record of a public body's check of a site: the body
answered it, and the result is published on the request and on the registered object. So, as law-making does with
published initiatives, the request is kept without its author:

* anonymised and kept: his requests (what he wrote scrubbed of his names, e-mail, phone and any personal data;
  the address is the site's, only his names and contacts go from it; the author emptied) — the photos stay with
  the site they show, their file names are the kernel's to scrub;
* where he acted as staff (an inspector who recorded an inspection, a keeper who cancelled a request) only the
  link to him goes: what the body found stays as it is; the change log of requests loses him too;
* what others wrote about his requests keeps its words but loses his names, e-mail and phone
  (``Erasure.scrub_mentions``): the inspection's findings, the illegal construction they entered (its address and
  description, its measures, their history) and the notes of the requests' history (a keeper's reason for
  cancelling) — all of it public.

The kernel then scrubs the events and audit entries of every request touched (``Erasure.touch``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from krai.construction.models import Change, IllegalConstruction, Inspection, Measure, VerificationRequest
from krai.core.privacy import Erasure


def _history_without_him(erasure: Erasure, target: Any) -> None:
    """The notes and values of ``target``'s history lose his names, e-mail and phone."""
    changes = Change.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
    for change in changes:
        note, values = erasure.scrub_mentions(change.note), erasure.scrub_json(change.changes)
        if (note, values) != (change.note, change.changes):
            Change.objects.filter(pk=change.pk).update(note=note, changes=values)


def _mentions_erased(erasure: Erasure, request: VerificationRequest) -> None:
    """Others' texts about his request: the findings, the illegal construction they entered, the histories."""
    for inspection in Inspection.objects.filter(request=request):
        Inspection.objects.filter(pk=inspection.pk).update(
            findings=erasure.scrub_mentions(inspection.findings) or "—")
    for entry in IllegalConstruction.objects.filter(verification=request):
        IllegalConstruction.objects.filter(pk=entry.pk).update(
            address=erasure.scrub_mentions(entry.address)[:300] or "—",
            description=erasure.scrub_mentions(entry.description))
        for measure in Measure.objects.filter(construction=entry).exclude(description=""):
            Measure.objects.filter(pk=measure.pk).update(description=erasure.scrub_mentions(measure.description))
        _history_without_him(erasure, entry)
        erasure.touch(entry)
    _history_without_him(erasure, request)


def verification_erase_person(erasure: Erasure) -> None:
    """Erase a person from the verification requests (see the module's docstring); runs inside the deleting
    transaction."""
    count = 0
    for request in VerificationRequest.objects.filter(author_id=erasure.user_id):
        VerificationRequest.objects.filter(pk=request.pk).update(
            author=None, description=erasure.scrub(request.description) or "—",
            address=erasure.scrub_mentions(request.address)[:300] or "—")
        _mentions_erased(erasure, request)
        erasure.touch(request)
        count += 1
    Inspection.objects.filter(inspector_id=erasure.user_id).update(inspector=None)
    Change.objects.filter(content_type=ContentType.objects.get_for_model(VerificationRequest),
                          actor_id=erasure.user_id).update(actor=None)
    erasure.count("construction.verification", count)


def _at(value: Any) -> str | None:
    return value.isoformat() if value else None


def _inspection(request: VerificationRequest) -> dict[str, Any] | None:
    try:
        inspection = request.inspection
    except Inspection.DoesNotExist:
        return None
    return {"visited_on": _at(inspection.visited_on), "decision": inspection.decision,
            "findings": inspection.findings, "floors_found": inspection.floors_found}


def verification_export(user: Any) -> dict[str, Any]:
    """What the verification part holds about ``user``: the requests he filed, each with its inspection."""
    rows = (VerificationRequest.objects.filter(author_id=user.pk)
            .select_related("inspection", "municipality", "inspection_body").order_by("created_at", "id"))
    return {"requests": [{
        "id": r.pk, "reason": r.reason, "object": r.object_id, "address": r.address, "lat": r.lat, "lon": r.lon,
        "municipality": str(r.municipality) if r.municipality_id else None, "description": r.description,
        "observed_floors": r.observed_floors, "status": r.status, "inspection_body": str(r.inspection_body),
        "filed": _at(r.created_at), "due_date": _at(r.due_date), "verified": _at(r.resolved_at),
        "inspection": _inspection(r)} for r in rows]}
