"""Pages of the draft: the text (each provision an anchor with its comments, counts and plain forms to comment
or propose an amendment — they work without JavaScript; ``draft.js`` fills the passage from a selection), an
old version (``?version=N``), the versions, the difference of any two, the amendments with the editor's
decisions, the editor's text page with a preview of parse errors."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.lawmaking import diff as differ
from krai.lawmaking import policy, provisions
from krai.lawmaking.forms_drafts import (
    AmendmentFilterForm,
    AmendmentForm,
    AnnotationForm,
    DecisionForm,
    DiffForm,
    HideForm,
    VersionForm,
)
from krai.lawmaking.models import Amendment, Annotation, Initiative, Version
from krai.lawmaking.selectors import drafts as selectors
from krai.lawmaking.selectors.initiatives import initiative_for
from krai.lawmaking.services import amendments as amendment_services
from krai.lawmaking.services import drafts as services
from krai.social.selectors.profiles import display_name


def _name(user: Any) -> str:
    return display_name(user) if user is not None else _("a former participant")


def _draft_url(initiative: Initiative, version: Version | None = None, key: str = "") -> str:
    url = reverse("lawmaking:draft", args=[initiative.pk])
    current = selectors.version_of(initiative)
    if version is not None and current is not None and version.number != current.number:
        url += f"?version={version.number}"
    return url + (f"#p-{key}" if key else "")


def _refused(request: HttpRequest, exc: Exception) -> None:
    for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("You may not do this.")]):
        messages.error(request, message)


def _depth(provision: Any) -> int:
    """How far a provision is indented: articles and free paragraphs 0, parts 1, points 2, sub-points 3."""
    if provision.kind in ("preamble", "article") or provision.key.startswith("p"):
        return 0
    return provision.key.count(".")


def _draft_page(request: HttpRequest, initiative: Initiative, version: Version | None,
                bound: tuple[str, str, Any] | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    current = selectors.version_of(initiative)
    nodes = selectors.flat(selectors.draft_tree(user, initiative, version)) if version is not None else []
    notes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if version is not None:
        for note in selectors.annotations(user, initiative, version):
            notes[note.key].append({"note": note, "author": _name(note.author), "body": selectors.shown(note.body),
                                    "quote": selectors.shown(note.quote)})
    rows = [{"node": node, "notes": notes.get(node.key, []), "depth": min(3, _depth(node.provision)),
             "bound_annotation": bound[2] if bound and bound[0] == "annotation" and bound[1] == node.key else None,
             "bound_amendment": bound[2] if bound and bound[0] == "amendment" and bound[1] == node.key else None}
            for node in nodes]
    return render(request, "lawmaking/drafts/draft.html", {
        "initiative": initiative, "version": version, "current": current, "rows": rows,
        "is_old": version is not None and current is not None and version.number != current.number,
        "may_annotate": user.has_perm("lawmaking.annotate_draft", initiative),
        "may_amend": user.has_perm("lawmaking.amend_draft", initiative),
        "may_edit": user.has_perm("lawmaking.edit_draft", initiative),
        "may_hide": user.has_perm("lawmaking.hide_annotation"),
        "signed_in": policy.is_active_user(user), "hide_form": HideForm(prefix="hide"),
    }, status=status)


@require_GET
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The text of the current version (or ``?version=N``) with anchors, comments and the forms."""
    initiative = initiative_for(request.user, pk)
    return _draft_page(request, initiative, selectors.version_of(initiative, request.GET.get("version")))


def _anchored(request: HttpRequest, pk: int, form_class: type, kind: str, call: Any, done: str) -> HttpResponse:
    """A comment or an amendment posted from the draft page: saved and back to the provision, or the page
    again with the form's errors next to the provision."""
    initiative = initiative_for(request.user, pk)
    form = form_class(request.POST)
    version = None
    if form.is_valid():
        number = form.cleaned_data.get("version")
        version = selectors.version_of(initiative, number) if number else None
        try:
            call(initiative, version, form.cleaned_data)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(_draft_url(initiative, version, form.cleaned_data["key"]))
    key = str(request.POST.get("key", ""))[:40]
    shown = version or selectors.version_of(initiative)
    return _draft_page(request, initiative, shown, bound=(kind, key, form))


@login_required
@require_POST
def annotate(request: HttpRequest, pk: int) -> HttpResponse:
    return _anchored(request, pk, AnnotationForm, "annotation", lambda i, v, d: services.annotation_add(
        actor=request.user, initiative=i, key=d["key"], quote=d["quote"], body=d["body"], version=v),
        _("Your comment is published."))


@login_required
@require_POST
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    return _anchored(request, pk, AmendmentForm, "amendment", lambda i, v, d: amendment_services.amendment_propose(
        actor=request.user, initiative=i, key=d["key"], quote=d["quote"], proposed_text=d["proposed_text"],
        justification=d["justification"], version=v), _("Your amendment is sent to the editor."))


@login_required
@require_POST
def annotation_hide(request: HttpRequest, pk: int, annotation: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    note = Annotation.objects.filter(initiative=initiative, pk=selectors.row_id(annotation)).first()
    if note is None or not request.user.has_perm("lawmaking.hide_annotation"):
        raise Http404
    form = HideForm(request.POST, prefix="hide")
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the comment is hidden."))
        services.annotation_hide(actor=request.user, annotation=note, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The comment is hidden."))
    return redirect(_draft_url(initiative, note.version, note.key))


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's page: the whole text in one field; "Preview" shows the structure or the parse errors."""
    initiative = initiative_for(request.user, pk)
    if not policy.is_editor(request.user, initiative):
        raise Http404
    current = selectors.version_of(initiative)
    form = VersionForm(request.POST or None, initial={"text": current.text if current else initiative.proposal})
    preview: list[provisions.Item] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                preview = provisions.parse(form.cleaned_data["text"])
            else:
                version = services.version_create(actor=request.user, initiative=initiative,
                                                  text=form.cleaned_data["text"], note=form.cleaned_data["note"])
                messages.success(request, _("Version %(n)d is saved.") % {"n": version.number})
                return redirect(reverse("lawmaking:draft", args=[initiative.pk]))
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(request, "lawmaking/drafts/edit.html", {
        "initiative": initiative, "current": current, "form": form, "preview": preview,
        "may_save": request.user.has_perm("lawmaking.edit_draft", initiative)})


@require_GET
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    rows = [{"version": v, "author": _name(v.created_by)} for v in selectors.versions(initiative)]
    return render(request, "lawmaking/drafts/versions.html", {"initiative": initiative, "rows": rows})


@require_GET
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two versions compared (``?a=1&b=3``); by default the previous one with the current one."""
    initiative = initiative_for(request.user, pk)
    numbers = list(initiative.versions.order_by("number").values_list("number", flat=True))
    form = DiffForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    b = data.get("b") or (numbers[-1] if numbers else None)
    a = data.get("a") or (numbers[-2] if len(numbers) > 1 else b)
    entries: list[differ.Entry] = []
    old = new = None
    if numbers:
        old, new = selectors.version_of(initiative, a), selectors.version_of(initiative, b)
        entries = differ.compare(old.provisions.all(), new.provisions.all())
    return render(request, "lawmaking/drafts/diff.html", {
        "initiative": initiative, "numbers": numbers, "old": old, "new": new, "entries": entries,
        "summary": differ.summary(entries), "a": a, "b": b})


@require_GET
def amendments(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    form = AmendmentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = list(selectors.amendments(request.user, initiative, status=data.get("status", ""),
                                      key=data.get("key", "")))
    is_editor = policy.is_editor(request.user, initiative)
    flagged = selectors.orphaned(initiative, items) if is_editor else set()
    rows = [{"amendment": a, "author": _name(a.author), "quote": selectors.shown(a.quote),
             "proposed": selectors.shown(a.proposed_text), "justification": selectors.shown(a.justification),
             "orphaned": a.pk in flagged,
             "may_withdraw": a.status == Amendment.Status.PENDING and policy.is_active_user(request.user)
             and a.author_id == request.user.pk}
            for a in items]
    return render(request, "lawmaking/drafts/amendments.html", {
        "initiative": initiative, "rows": rows, "form": form, "is_editor": is_editor,
        "decision_form": DecisionForm()})


def _amendment(request: HttpRequest, pk: int, amendment: int) -> tuple[Initiative, Amendment]:
    initiative = initiative_for(request.user, pk)
    item = selectors.amendments(request.user, initiative).filter(pk=selectors.row_id(amendment)).first()
    if item is None:
        raise Http404
    return initiative, item


@login_required
@require_POST
def amendment_decide(request: HttpRequest, pk: int, amendment: int) -> HttpResponse:
    initiative, item = _amendment(request, pk, amendment)
    if not policy.is_editor(request.user, initiative):
        raise Http404
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose to accept or to reject the amendment."))
        accept = form.cleaned_data["decision"] == "accept"
        amendment_services.amendment_decide(actor=request.user, amendment=item, accept=accept,
                                            reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The amendment is accepted; a new version applies it.") if accept
                         else _("The amendment is rejected; its author is told why."))
    return redirect(reverse("lawmaking:amendments", args=[initiative.pk]) + f"#a-{item.pk}")


@login_required
@require_POST
def amendment_withdraw(request: HttpRequest, pk: int, amendment: int) -> HttpResponse:
    initiative, item = _amendment(request, pk, amendment)
    try:
        amendment_services.amendment_withdraw(actor=request.user, amendment=item)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Your amendment is withdrawn."))
    return redirect(reverse("lawmaking:amendments", args=[initiative.pk]) + f"#a-{item.pk}")


def detail_context(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What the initiative's page shows of the draft (its include ``lawmaking/_detail_draft.html``)."""
    current = selectors.version_of(initiative)
    if current is None:
        return {"draft_version": None}
    return {"draft_version": current, "draft_counts": selectors.counts(request.user, initiative),
            "draft_may_edit": request.user.has_perm("lawmaking.edit_draft", initiative),
            "draft_provisions": current.provisions.count()}


urlpatterns = [
    path("lawmaking/<int:pk>/draft/", draft, name="draft"),
    path("lawmaking/<int:pk>/draft/comment/", annotate, name="draft_annotate"),
    path("lawmaking/<int:pk>/draft/amend/", amend, name="draft_amend"),
    path("lawmaking/<int:pk>/draft/edit/", draft_edit, name="draft_edit"),
    path("lawmaking/<int:pk>/draft/versions/", versions, name="versions"),
    path("lawmaking/<int:pk>/draft/diff/", diff, name="diff"),
    path("lawmaking/<int:pk>/draft/amendments/", amendments, name="amendments"),
    path("lawmaking/<int:pk>/draft/amendments/<int:amendment>/decide/", amendment_decide,
         name="amendment_decide"),
    path("lawmaking/<int:pk>/draft/amendments/<int:amendment>/withdraw/", amendment_withdraw,
         name="amendment_withdraw"),
    path("lawmaking/<int:pk>/draft/comments/<int:annotation>/hide/", annotation_hide,
         name="annotation_hide"),
]
