"""The staff's pages of works (``/workspace/construction/works/``): the works of the bodies in the reader's reach
with what to do next, entering a work, and a work's edit page with its status moves, the plan's move and the
files. Someone who manages no works gets 404, as for a missing page; another body's work answers 404 too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.construction import policy
from krai.construction.forms_works import (
    CompleteForm,
    FileForm,
    RescheduleForm,
    ResumeForm,
    StartForm,
    SuspendForm,
    WorkFilterForm,
    WorkForm,
)
from krai.construction.models import WorkStatus
from krai.construction.selectors import works as selectors
from krai.construction.services import works as services
from krai.core.forms import service_errors_onto
from krai.core.maps import map_config

PAGE_SIZE = 30


def _ensure_staff(request: HttpRequest) -> None:
    if not policy.may_enter_works(request.user):
        raise Http404


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request)
    form = WorkFilterForm(request.GET or None)
    arguments = form.search_arguments()
    rows = selectors.public_works(**arguments).filter(pk__in=selectors.managed_works(request.user).values("pk"))
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "construction/works/workspace.html", {
        "form": form, "page": page, "rows": [(w, selectors.late_days(w)) for w in page.object_list],
        "total": paginator.count, "query": query.urlencode(),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


def _form_page(request: HttpRequest, form: WorkForm, work: Any = None, **extra: Any) -> HttpResponse:
    return render(request, "construction/works/form.html", {"form": form, "work": work, "map": map_config(),
                                                            **extra}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request)
    form = WorkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.work_create(actor=request.user, **form.service_values())
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The work is entered and published."))
            return redirect("construction:work_edit", pk=item.pk)
    return _form_page(request, form)


def _moves(work: Any) -> dict[str, Any]:
    """The status moves the work allows now, each with its form."""
    status = work.status
    return {"start_form": StartForm(prefix="start") if status == WorkStatus.PLANNED else None,
            "suspend_form": SuspendForm(prefix="suspend") if status == WorkStatus.IN_PROGRESS else None,
            "resume_form": ResumeForm(prefix="resume") if status == WorkStatus.SUSPENDED else None,
            "complete_form": CompleteForm(prefix="complete")
            if status in (WorkStatus.IN_PROGRESS, WorkStatus.SUSPENDED) else None,
            "reschedule_form": RescheduleForm(prefix="reschedule", initial={
                "planned_start": work.planned_start, "planned_end": work.planned_end})
            if status != WorkStatus.COMPLETED else None,
            "file_form": FileForm(prefix="file")}


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.managed_work_get(request.user, pk)
    form = WorkForm(request.POST or None, user=request.user, work=item, initial=WorkForm.initial_of(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.work_update(actor=request.user, work=item, note=form.cleaned_data.get("note", ""),
                                 **form.service_values())
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The work is saved."))
            return redirect("construction:work_edit", pk=item.pk)
    documents, photos = selectors.files_of(item)
    return _form_page(request, form, item, history=selectors.history_shown(item, 50), documents=documents,
                      photos=photos, late=selectors.late_days(item), **_moves(item))


def _act(request: HttpRequest, pk: int, form_class: type, prefix: str, call: Callable[[Any, dict], Any],
         done: str) -> HttpResponse:
    """One move: the form, the service, a message; back to the edit page."""
    item = selectors.managed_work_get(request.user, pk)
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            call(item, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc)]):
                messages.error(request, message)
        else:
            messages.success(request, done)
    return redirect(reverse("construction:work_edit", args=[item.pk]))


MOVES: dict[str, tuple[type, Callable[..., Any], Any]] = {
    "start": (StartForm, lambda a, w, d: services.work_start(actor=a, work=w, on=d["on"]),
              lambda: _("The work is started: its subscribers are told.")),
    "suspend": (SuspendForm, lambda a, w, d: services.work_suspend(actor=a, work=w, reason=d["reason"]),
                lambda: _("The work is suspended.")),
    "resume": (ResumeForm, lambda a, w, d: services.work_resume(actor=a, work=w, note=d["note"]),
               lambda: _("The work is resumed.")),
    "complete": (CompleteForm, lambda a, w, d: services.work_complete(actor=a, work=w, on=d["on"]),
                 lambda: _("The work is completed: its subscribers are told and asked to rate it.")),
    "reschedule": (RescheduleForm, lambda a, w, d: services.work_reschedule(actor=a, work=w, **d),
                   lambda: _("The plan is moved.")),
    "file": (FileForm, lambda a, w, d: services.work_attach(actor=a, work=w, upload=d["upload"], kind=d["kind"]),
             lambda: _("The file is added.")),
}


@login_required
@require_POST
def move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in MOVES:
        raise Http404
    form_class, call, done = MOVES[action]
    return _act(request, pk, form_class, action, lambda work, data: call(request.user, work, data), done())


urlpatterns = [
    path("workspace/construction/works/", workspace, name="works_workspace"),
    path("workspace/construction/works/new/", new, name="work_new"),
    path("workspace/construction/works/<int:pk>/edit/", edit, name="work_edit"),
    path("workspace/construction/works/<int:pk>/<slug:action>/", move, name="work_move"),
]
