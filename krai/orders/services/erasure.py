"""The control engine's part of erasing a person (``krai.core.privacy``).

An area puts a resident's text under control (a problem's public text, an idea's body) as an assignment's
text, and his reason to reopen as a transition's note. Once the areas have anonymised their objects
(``Erasure.subjects``), the assignments about them lose his names, e-mail, phone and personal data too.
Nothing else changes: deadlines, statuses and the dashboards' counts stay.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from krai.core.privacy import Erasure
from krai.orders.models import Assignment, Extension, Report, Transition


def control_erase_person(erasure: Erasure) -> None:
    """Scrub the assignments whose subject an area anonymised (inside the caller's transaction)."""
    about = Q(pk__in=[])
    by_type: dict[tuple[str, str], list[str]] = {}
    for app_label, model, pk in erasure.subjects:
        by_type.setdefault((app_label, model), []).append(pk)
    for (app_label, model), ids in by_type.items():
        about |= Q(subject_type=ContentType.objects.get_by_natural_key(app_label, model), subject_id__in=ids)
    ids = []
    for assignment in Assignment.objects.filter(about | Q(root__in=Assignment.objects.filter(about))):
        Assignment.objects.filter(pk=assignment.pk).update(title=erasure.scrub_mentions(assignment.title),
                                                           text=erasure.scrub(assignment.text))
        erasure.touch(assignment)
        ids.append(assignment.pk)
    for transition in Transition.objects.filter(assignment_id__in=ids).exclude(note=""):
        Transition.objects.filter(pk=transition.pk).update(note=erasure.scrub(transition.note))
    for report in Report.objects.filter(assignment_id__in=ids):
        Report.objects.filter(pk=report.pk).update(text=erasure.scrub_mentions(report.text),
                                                   reason=erasure.scrub_mentions(report.reason))
    for extension in Extension.objects.filter(assignment_id__in=ids):
        Extension.objects.filter(pk=extension.pk).update(reason=erasure.scrub_mentions(extension.reason),
                                                         answer=erasure.scrub_mentions(extension.answer))
    erasure.count("orders", len(ids))
