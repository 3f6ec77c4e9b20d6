"""Programmes and projects."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.projects.models import Programme, Project
from krai.projects.validation import check, dates, money


def _index(target: Programme | Project) -> None:
    """Keep the site-wide search entry of a programme or project: found by staff within the owner body's scope
    (and by the project's manager), like the pages that show it."""
    from krai.core.search.services import index_object

    owner = target.owner_organisation
    if isinstance(target, Project):
        body = " ".join([target.goal, target.programme.title, owner.name])
        owner_id = target.manager_id
    else:
        body = " ".join([target.description, target.get_level_display(), owner.name])
        owner_id = target.curator_id
    index_object(target=target, title=target.title, body=body, url=target.get_absolute_url(), visibility="staff",
                 organisation_path=owner.path, block_id=owner.block_id, municipality_id=owner.municipality_id,
                 owner_id=owner_id)


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
    _index(programme)
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
    _index(programme)
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
    _index(project)
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
    _index(project)
    return project
