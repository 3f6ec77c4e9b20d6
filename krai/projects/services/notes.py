"""Risks and status reports of a project (what the governor's card shows besides the plan)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.projects.models import Project, Risk, StatusReport
from krai.projects.validation import check

RISK_FIELDS = ("title", "probability", "impact", "mitigation", "is_open")


def _person(actor):
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def risk_add(*, actor, project: Project, title: str, probability: str = Risk.Level.MEDIUM,
             impact: str = Risk.Level.MEDIUM, mitigation: str = "") -> Risk:
    check(actor, "projects.edit_project", project, _("You may not change this project."))
    risk = Risk(project=project, title=(title or "").strip()[:500], probability=probability, impact=impact,
                mitigation=mitigation or "", created_by=_person(actor))
    risk.full_clean(exclude=["project", "created_by"])
    risk.save()
    record_event(kind="projects.risk_added", actor=actor, subject=project, payload={"risk": risk.pk,
                                                                                  "title": risk.title})
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, **fields) -> Risk:
    check(actor, "projects.edit_project", risk.project, _("You may not change this project."))
    was = {}
    for name, value in fields.items():
        if name not in RISK_FIELDS:
            raise TypeError(f"unknown field {name}")
        if getattr(risk, name) != value:
            was[name] = str(getattr(risk, name))
            setattr(risk, name, value)
    risk.full_clean(exclude=["project", "created_by"])
    risk.save()
    record_event(kind="projects.risk_changed", actor=actor, subject=risk.project, payload={"risk": risk.pk,
                                                                                         "was": was})
    return risk


@transaction.atomic
def status_report_add(*, actor, project: Project, text: str, reported_on: date | None = None) -> StatusReport:
    check(actor, "projects.edit_project", project, _("You may not change this project."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the report.")}, code="required")
    report = StatusReport.objects.create(project=project, text=text[:20000], author=_person(actor),
                                         reported_on=reported_on or timezone.localdate())
    record_event(kind="projects.status_reported", actor=actor, subject=project, payload={"report": report.pk})
    return report
