"""Programmes and projects."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.projects.models import Programme, Project
from krai.projects.validation import check, dates, money

PROGRAMME_FIELDS = ("code", "title", "level", "description", "owner_organisation", "curator", "starts_on", "ends_on")
PROJECT_FIELDS = ("code", "title", "goal", "status", "owner_organisation", "manager", "curator", "starts_on",
                  "ends_on", "budget_planned")


@transaction.atomic
def programme_create(*, actor, **fields) -> Programme:
    check(actor, "projects.create_programme", None, _("You may not create programmes."))
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    programme = Programme(**fields)
    if actor is not None and not actor.has_perm("projects.manage_programme", programme):
        check(actor, "projects.manage_programme", programme, _("You may not create programmes for this body."))
    dates(programme.starts_on, programme.ends_on, start_field="starts_on", finish_field="ends_on")
    programme.full_clean()
    programme.save()
    record_event(kind="projects.programme_created", actor=actor, subject=programme, payload={"code": programme.code})
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, **fields) -> Programme:
    check(actor, "projects.manage_programme", programme, _("You may not change this programme."))
    changed = {}
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(f"unknown field {name}")
        if getattr(programme, name) != value:
            changed[name] = str(getattr(programme, name))
            setattr(programme, name, value)
    dates(programme.starts_on, programme.ends_on, start_field="starts_on", finish_field="ends_on")
    programme.full_clean()
    programme.save()
    record_event(kind="projects.programme_changed", actor=actor, subject=programme, payload={"was": changed})
    return programme


@transaction.atomic
def project_create(*, actor, programme: Programme, indicators=(), **fields) -> Project:
    check(actor, "projects.manage_programme", programme, _("You may not add projects to this programme."))
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    fields["budget_planned"] = money(fields.get("budget_planned"), "budget_planned")
    project = Project(programme=programme, **fields)
    dates(project.starts_on, project.ends_on, start_field="starts_on", finish_field="ends_on")
    project.full_clean()
    project.save()
    if indicators:
        project.indicators.set(indicators)
    record_event(kind="projects.project_created", actor=actor, subject=project,
                 payload={"code": project.code, "programme": programme.code})
    return project


@transaction.atomic
def project_update(*, actor, project: Project, indicators=None, **fields) -> Project:
    check(actor, "projects.edit_project", project, _("You may not change this project."))
    changed = {}
    if "budget_planned" in fields:
        fields["budget_planned"] = money(fields["budget_planned"], "budget_planned")
    for name, value in fields.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(f"unknown field {name}")
        if getattr(project, name) != value:
            changed[name] = str(getattr(project, name))
            setattr(project, name, value)
    dates(project.starts_on, project.ends_on, start_field="starts_on", finish_field="ends_on")
    project.full_clean()
    project.save()
    if indicators is not None:
        project.indicators.set(indicators)
        changed["indicators"] = "set"
    record_event(kind="projects.project_changed", actor=actor, subject=project, payload={"was": changed})
    return project
