"""Building blocks of the projects tests: a programme with a project, items and links."""

from __future__ import annotations

from datetime import date

from krai.projects import services
from krai.projects.models import Programme, Project, WorkItem


def programme(gov, code: str = "health-np", **extra) -> Programme:
    fields = {"title": "Национальный проект «Здравоохранение»", "level": Programme.Level.NATIONAL,
              "owner_organisation": gov.health, "starts_on": date(2026, 1, 1), "ends_on": date(2028, 12, 31)}
    fields.update(extra)
    return services.programme_create(actor=None, code=code, **fields)


def project(gov, prog: Programme | None = None, code: str = "fap-2027", **extra) -> Project:
    prog = prog or programme(gov)
    fields = {"title": "Строительство ФАПов", "owner_organisation": gov.health, "manager": gov.head,
              "starts_on": date(2027, 1, 11), "ends_on": date(2027, 12, 30), "budget_planned": "1000000"}
    fields.update(extra)
    return services.project_create(actor=None, programme=prog, code=code, **fields)


def item(proj: Project, title: str, start: date, finish: date, *, parent: WorkItem | None = None,
         kind: str = WorkItem.Kind.TASK, **extra) -> WorkItem:
    return services.item_create(actor=None, project=proj, parent=parent, title=title, planned_start=start,
                                planned_finish=finish, kind=kind, **extra)


def link(pred: WorkItem, succ: WorkItem, type: str = "FS", lag: int = 0, confirm: bool = True):
    return services.dependency_add(actor=None, predecessor=pred, successor=succ, type=type, lag=lag,
                                   confirm=confirm)[0]


def fresh(obj):
    obj.refresh_from_db()
    return obj
