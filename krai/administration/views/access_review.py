"""The review of who can see what: an organisation, a municipality or a block chosen with the pickers → everyone
whose scope covers it and through what (systems and acting deputies marked); a person → what he sees, in words
with counts of organisations, and which sections and actions his permissions open. Both download as CSV or XLSX
(``?format=csv|xlsx``) with the same rows as the page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from krai.administration.forms_access import ReviewForm
from krai.administration.selectors import access as selectors
from krai.administration.selectors import access_review as reviews
from krai.administration.selectors.access_review import ObjectReview, PersonReview
from krai.administration.views.access_common import query_without, reviewer_required
from krai.core import exports


def object_table(review: ObjectReview) -> tuple[list[str], list[list[Any]]]:
    """The review of an object as a table (the download and the page show the same rows)."""
    header = [pgettext("people", "Person"), _("E-mail"), _("Role"), _("Through"), _("System account"), _("Acting for")]
    rows = [[row.person.full_name, row.person.email, row.role_label, row.through_label, row.is_system,
             row.acting_for.full_name if row.acting_for else ""] for row in review.rows]
    return header, rows


def person_table(review: PersonReview) -> tuple[list[str], list[list[Any]]]:
    header = [_("Section"), _("What"), _("Value")]
    rows: list[list[Any]] = [[_("Scope"), part.label, part.organisations] for part in review.summary.parts]
    rows.append([_("Scope"), _("Organisations covered in all"), review.summary.organisations])
    rows += [[str(item.area.label), str(item.permission.label), item.allowed] for item in review.granted]
    return header, rows


def _download(fmt: str, table: tuple[list[str], list[list[Any]]], filename: str) -> HttpResponseBase | None:
    if fmt not in exports.FORMATS:
        return None
    header, rows = table
    return exports.table_response(fmt, header, rows, filename=filename, title=_("Access review"))


#: the object's own path (``review/organisations/<id>/``), linked from a person's roles: the same page as the form's
KINDS = {"organisations": "organisation", "municipalities": "municipality", "blocks": "block"}


@require_GET
@reviewer_required
def review(request: HttpRequest, kind: str = "", pk: int | None = None) -> HttpResponseBase:
    if kind:
        if kind not in KINDS:
            raise Http404
        chosen = reviews.reviewable_get(user=request.user, kind=KINDS[kind], pk=pk)
        form = ReviewForm({KINDS[kind]: chosen.pk}, user=request.user)
        form.is_valid()
    else:
        form = ReviewForm(request.GET or None, user=request.user)
        chosen = form.chosen()
    result = reviews.review_object(user=request.user, obj=chosen) if chosen is not None else None
    if result is not None:
        download = _download(request.GET.get("format", ""), object_table(result),
                             f"access-{result.kind}-{chosen.pk}")
        if download is not None:
            return download
    return render(request, "administration/access/review.html", {
        "form": form, "review": result, "query": query_without(request, "format")},
        status=400 if form.is_bound and form.errors else 200)


@require_GET
@reviewer_required
def review_person(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = selectors.person_get(user=request.user, pk=pk)
    result = reviews.review_person(user=request.user, person=person)
    download = _download(request.GET.get("format", ""), person_table(result), f"access-person-{person.pk}")
    if download is not None:
        return download
    return render(request, "administration/access/review_person.html", {"review": result, "person": person})

