"""Pages of initiatives: the list (search, filters, pages), proposing and changing a concept, an initiative's page
(where it is, its timeline, what comes next, the other parts' blocks, comments) and the staff's decisions on it
(approve or refuse a concept, move it on, stop it, name the editor) as small forms posting to their own URLs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.lawmaking import policy
from krai.lawmaking.forms_initiatives import AdvanceForm, EditorForm, FilterForm, InitiativeForm, NoteForm, ReasonForm
from krai.lawmaking.models import Stage
from krai.lawmaking.selectors import initiatives as selectors
from krai.lawmaking.services import initiatives as services
from krai.lawmaking.services import moves
from krai.lawmaking.views import discussion, drafts, expertise, reaction
from krai.social.selectors.profiles import display_name

PAGE_SIZE = 20
#: the other parts' blocks on the initiative's page, in order: (template, the part's ``detail_context``)
PARTS = [
    ("lawmaking/_detail_discussion.html", discussion),
    ("lawmaking/_detail_draft.html", drafts),
    ("lawmaking/_detail_expertise.html", expertise),
    ("lawmaking/_detail_reaction.html", reaction),
]


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _refused(request: HttpRequest, exc: Exception) -> None:
    for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("You may not do this.")]):
        messages.error(request, message)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Initiatives the reader may see: by words, stage, level, municipality, subject and responsible body."""
    form = FilterForm(request.GET or None)
    rows = selectors.search(request.user, **form.search_arguments())
    paginator = Paginator(rows.prefetch_related("fields"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "lawmaking/initiatives/home.html", {
        "form": form, "page": page, "rows": page.object_list, "total": paginator.count, "query": _query(request),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "may_propose": request.user.has_perm("lawmaking.add_initiative")})


def _save(request: HttpRequest, form: InitiativeForm, initiative: Any = None) -> Any:
    """The concept through its service; ``None`` (the form shows why) when refused."""
    data = dict(form.cleaned_data)
    data["fields"] = data.pop("subjects", [])
    try:
        if initiative is None:
            return services.initiative_create(actor=request.user, **data)
        return services.initiative_update(actor=request.user, initiative=initiative, **data)
    except ValidationError as exc:
        service_errors_onto(form, exc, aliases={"fields": "subjects"})
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Propose a concept: it is published after the coordinators' moderation."""
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        initiative = _save(request, form)
        if initiative is not None:
            messages.success(request, _("Your initiative is sent to moderation. You will be told when it is "
                                        "published."))
            return redirect(initiative.get_absolute_url())
    return render(request, "lawmaking/initiatives/form.html", {
        "form": form, "may_propose": request.user.has_perm("lawmaking.add_initiative")})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a concept while it awaits moderation (its initiator only; anyone else: 404)."""
    initiative = selectors.initiative_for(request.user, pk)
    if not request.user.has_perm("lawmaking.change_initiative_concept", initiative):
        raise Http404
    form = InitiativeForm(request.POST or None, initial=InitiativeForm.initial_of(initiative))
    if request.method == "POST" and form.is_valid() and _save(request, form, initiative) is not None:
        messages.success(request, _("The concept is saved."))
        return redirect(initiative.get_absolute_url())
    return render(request, "lawmaking/initiatives/form.html", {"form": form, "initiative": initiative,
                                                               "may_propose": True})


def _parts(request: HttpRequest, initiative: Any) -> tuple[list[str], dict[str, Any]]:
    """The other parts' templates that are there, and their context."""
    names: list[str] = []
    context: dict[str, Any] = {}
    for name, module in PARTS:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue  # a part not installed yet shows nothing rather than breaking the page
        names.append(name)
        context.update(module.detail_context(request, initiative) or {})
    return names, context


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the initiative is, its timeline and what comes next, the problem and the proposal, the blocks of the
    discussion, the draft, the expertise and the reaction, comments; the staff's decisions for who may."""
    initiative = selectors.initiative_for(request.user, pk)
    user = request.user
    parts, part_context = _parts(request, initiative)
    may_moderate = user.has_perm("lawmaking.approve_initiative", initiative)
    may_manage = user.has_perm("lawmaking.manage_initiative", initiative)
    context = {
        "initiative": initiative, "timeline": selectors.timeline(initiative), "parts": parts,
        "subjects": list(initiative.fields.all()), "is_initiator": policy.is_active_user(user)
        and initiative.initiator_id == user.pk,
        "editor_name": display_name(initiative.editor) if initiative.editor_id else "",
        "may_edit": user.has_perm("lawmaking.change_initiative_concept", initiative),
        "may_moderate": may_moderate, "may_manage": may_manage,
        "may_advance": may_manage and initiative.stage == Stage.DISCUSSION,
        "may_stop": may_manage and initiative.stage != Stage.REACTION,
        "approve_form": NoteForm(prefix="approve") if may_moderate else None,
        "refuse_form": ReasonForm(prefix="refuse") if may_moderate else None,
        "advance_form": AdvanceForm(prefix="advance") if may_manage else None,
        "stop_form": ReasonForm(prefix="stop") if may_manage else None,
        "editor_form": EditorForm(prefix="editor", initiative=initiative) if may_manage else None,
        **part_context,
    }
    return render(request, "lawmaking/initiatives/detail.html", context)


def _act(request: HttpRequest, pk: int, form_class: type, prefix: str, call: Any, done: str, *,
         moderation: bool = False, **form_kwargs: Any) -> HttpResponse:
    """One staff decision: the form, the service, a message; back to the initiative's page. Someone who may not
    take this kind of decision at all gets 404, as for a missing initiative (the service checks again)."""
    initiative = selectors.initiative_for(request.user, pk)
    allowed = policy.is_coordinator(request.user) if moderation else policy.manages(request.user, initiative)
    if not allowed:
        raise Http404
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(initiative.get_absolute_url())
    try:
        call(initiative, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect(initiative.get_absolute_url())


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, NoteForm, "approve", lambda i, d: services.initiative_approve(
        actor=request.user, initiative=i, note=d["note"]), _("The concept is published for discussion."),
        moderation=True)


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReasonForm, "refuse", lambda i, d: services.initiative_refuse(
        actor=request.user, initiative=i, reason=d["reason"]), _("The concept is refused; the initiator is told why."),
        moderation=True)


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, AdvanceForm, "advance", lambda i, d: moves.initiative_advance(
        actor=request.user, initiative=i, note=d["note"]), _("The initiative moved on to the draft elaboration."))


@login_required
@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReasonForm, "stop", lambda i, d: moves.initiative_stop(
        actor=request.user, initiative=i, reason=d["reason"]), _("The initiative is stopped; the initiator is told "
                                                                 "why."))


@login_required
@require_POST
def set_editor(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_for(request.user, pk)
    return _act(request, pk, EditorForm, "editor", lambda i, d: moves.initiative_set_editor(
        actor=request.user, initiative=i, editor=d["editor"]), _("The editor of the draft is named."),
        initiative=initiative)


urlpatterns = [
    path("lawmaking/", home, name="home"),
    path("lawmaking/new/", new, name="new"),
    path("lawmaking/<int:pk>/", detail, name="detail"),
    path("lawmaking/<int:pk>/edit/", edit, name="edit"),
    path("lawmaking/<int:pk>/approve/", approve, name="approve"),
    path("lawmaking/<int:pk>/refuse/", refuse, name="refuse"),
    path("lawmaking/<int:pk>/advance/", advance, name="advance"),
    path("lawmaking/<int:pk>/stop/", stop, name="stop"),
    path("lawmaking/<int:pk>/editor/", set_editor, name="set_editor"),
]
