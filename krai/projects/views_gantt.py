"""The roadmap (Gantt) of a project: the page, its data, a move made by dragging a bar, and the PDF.

The page loads the chart from ``gantt_data`` (JSON; no inline script, as the CSP wants). A drag posts
``{item, start, finish, confirm}`` to ``gantt_move``, which re-plans through ``services.reschedule``: 200 with
the number of items shifted, 409 with the warnings when the move breaks a control point, a parent's dates or
a fixed item and was not confirmed (nothing is written), 400 with the message when the move is refused.
"""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from krai.projects import gantt, pdf, selectors, services
from krai.projects.models import Baseline, Project, WorkItem


def _project(request: HttpRequest, code: str) -> Project:
    if not request.user.has_perm("projects.view"):
        raise PermissionDenied
    return selectors.project_get(user=request.user, code=code)


def _error(message: str, status: int = 400, **extra: object) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


class BadInput(Exception):
    """A parameter of the request is not what the page sends; the message says which."""


def _baseline(request: HttpRequest, project: Project) -> Baseline | None:
    raw = request.GET.get("baseline", "").strip()
    if not raw:
        return None
    found = project.baselines.filter(pk=int(raw)).first() if raw.isdigit() else None
    if found is None:
        raise BadInput(_("Choose a baseline of this project."))
    return found


@login_required
@require_GET
def gantt_page(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    baselines = list(selectors.baselines_of(project).values("id", "name", "created_at"))
    chosen = request.GET.get("baseline", "")
    return render(request, "projects/gantt.html", {
        "project": project, "baselines": baselines, "chosen_baseline": chosen if chosen.isdigit() else "",
        "editable": request.user.has_perm("projects.edit_project", project), "labels": _labels()})


def _labels() -> dict:
    """The words the page's script shows (it has no translations of its own)."""
    return {
        "quarters": [_("Q1"), _("Q2"), _("Q3"), _("Q4")],
        "planned": _("Planned dates"), "progress": _("Progress"), "float": _("Float, working days"),
        "critical": _("On the critical path"), "late": _("Overdue"), "done": _("Done"),
        "baseline": _("Baseline"), "slip": _("Slip, days"), "not_in_baseline": _("Not in the baseline"),
        "saving": _("Saving the move…"), "failed": _("The request failed. Please try again."),
        "empty": _("The plan has no items yet."),
        "unDrawn": _("The chart could not be drawn; the plan as a table shows every item."),
        "cancelled": _("The move was cancelled."),
        "read_only": _("read-only"),
    }


@login_required
@require_GET
def gantt_data(request: HttpRequest, code: str) -> JsonResponse:
    project = _project(request, code)
    try:
        baseline = _baseline(request, project)
    except BadInput as error:
        return _error(str(error))
    chart = gantt.roadmap(project, baseline=baseline)
    return JsonResponse(gantt.payload(chart, editable=request.user.has_perm("projects.edit_project", project)),
                        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _date(value: object) -> date:
    if not isinstance(value, str):
        raise BadInput(_("Enter a valid date."))
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise BadInput(_("Enter a valid date.")) from exc


def _move_request(request: HttpRequest) -> tuple[int, date, date, bool]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(_("The request is not understood.")) from exc
    if not isinstance(body, dict):
        raise BadInput(_("The request is not understood."))
    item = body.get("item")
    if isinstance(item, str) and item.isdigit():
        item = int(item)
    if not isinstance(item, int) or isinstance(item, bool):
        raise BadInput(_("Choose an item of the plan."))
    return item, _date(body.get("start")), _date(body.get("finish")), body.get("confirm") is True


def _messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@login_required
@require_POST
def gantt_move(request: HttpRequest, code: str) -> JsonResponse:
    project = _project(request, code)
    if not request.user.has_perm("projects.edit_project", project):
        return _error(_("You may not change this project's plan."), status=403)
    try:
        pk, start, finish, confirm = _move_request(request)
    except BadInput as error:
        return _error(str(error))
    item = WorkItem.objects.filter(project=project, pk=pk).first()
    if item is None:
        raise Http404
    try:
        plan = services.reschedule(actor=request.user, project=project, moves={item: (start, finish)},
                                   confirm=confirm)
    except services.NeedsConfirmation as pending:
        return JsonResponse({
            "confirm": True, "warnings": [w.message for w in pending.plan.warnings],
            "message": _("The move changes dates that are under control. Move anyway?")}, status=409)
    except ValidationError as error:
        return _error(_messages(error))
    except PermissionDenied as error:
        return _error(str(error) or _("You may not change this project's plan."), status=403)
    shifted = len([k for k in plan.dates if k != item.pk])
    if not plan.dates:
        message = _("The dates have not changed.")
    elif shifted:
        message = ngettext("Moved; %(n)s more item shifted with it.", "Moved; %(n)s more items shifted with it.",
                           shifted) % {"n": shifted}
    else:
        message = _("Moved; nothing else had to shift.")
    return JsonResponse({"ok": True, "shifted": shifted, "message": message,
                         "warnings": [w.message for w in plan.warnings]})


@login_required
@require_GET
def gantt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    try:
        baseline = _baseline(request, project)
    except BadInput as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    size = "A3" if request.GET.get("size", "").upper() == "A3" else "A4"
    chart = gantt.roadmap(project, baseline=baseline)
    content = pdf.render(chart, size=size)
    response = HttpResponse(content, content_type=pdf.PDF)
    response["Content-Disposition"] = f'attachment; filename="roadmap-{project.code}-{chart.today:%Y-%m-%d}.pdf"'
    return response
