"""Reads of the projects area, each scoped to the user: programmes, projects, a project's plan as a tree."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from krai.org.scopes import scope_for
from krai.projects.models import Baseline, Dependency, Programme, Project, WorkItem


def projects_for(user) -> QuerySet[Project]:
    """Projects the user may see: owned in his scope, managed or curated by him, or with an item in his scope."""
    if not (user.is_authenticated and user.is_staff):
        return Project.objects.none()
    scope = scope_for(user)
    if scope.region:
        return Project.objects.all()
    item_here = WorkItem.objects.filter(project=OuterRef("pk")).filter(
        scope.q(organisation="owner_organisation", user="responsible"))
    return Project.objects.filter(scope.q(organisation="owner_organisation", user=("manager", "curator"))
                                  | Q(Exists(item_here)))


def programmes_for(user) -> QuerySet[Programme]:
    """Programmes owned in the user's scope, curated by him, or holding a project he sees."""
    if not (user.is_authenticated and user.is_staff):
        return Programme.objects.none()
    scope = scope_for(user)
    if scope.region:
        return Programme.objects.all()
    return Programme.objects.filter(scope.q(organisation="owner_organisation", user="curator")
                                    | Q(pk__in=projects_for(user).values("programme_id")))


def programme_get(*, user, code: str) -> Programme:
    found = programmes_for(user).select_related("owner_organisation", "curator").filter(code=code).first()
    if found is None:
        raise Http404
    return found


def project_get(*, user, code: str) -> Project:
    found = (projects_for(user).select_related("programme", "owner_organisation", "manager", "curator")
             .filter(code=code).first())
    if found is None:
        raise Http404
    return found


def item_get(*, user, project: Project, pk: int) -> WorkItem:
    found = (WorkItem.objects.select_related("project", "owner_organisation", "responsible", "parent")
             .filter(project=project, pk=pk).first())
    if found is None:
        raise Http404
    return found


def plan(project: Project) -> list[WorkItem]:
    """Every item of ``project`` in outline order (the caller has already been allowed to see the project)."""
    return list(WorkItem.objects.filter(project=project).select_related("owner_organisation", "responsible")
                .order_by("path"))


def links_of(project: Project) -> list[Dependency]:
    """Links with at least one end in ``project`` (the other end may be in another project of the programme)."""
    return list(Dependency.objects.filter(Q(predecessor__project=project) | Q(successor__project=project))
                .select_related("predecessor", "successor", "predecessor__project", "successor__project")
                .order_by("id"))


def baselines_of(project: Project) -> QuerySet[Baseline]:
    return project.baselines.select_related("created_by")


def path_of(wbs: str) -> str | None:
    """The stored path of an outline number ("2.1.3" → "0002.0001.0003."), or None if it is not one."""
    parts = (wbs or "").strip().strip(".").split(".")
    if not parts or not all(p.isdigit() and 0 < int(p) <= 9999 for p in parts):
        return None
    return "".join(f"{int(p):04d}." for p in parts)


def item_by_wbs(*, project: Project, reference: str) -> WorkItem | None:
    """An item of ``project`` ("2.1") or of another project of its programme ("roads-2025:1.2")."""
    code, _sep, number = reference.strip().rpartition(":")
    path = path_of(number)
    if path is None:
        return None
    qs = WorkItem.objects.select_related("project").filter(path=path)
    if code:
        return qs.filter(project__code=code.strip(), project__programme_id=project.programme_id).first()
    return qs.filter(project=project).first()
