"""Pages of the federal rankings monitor: the list, a rating, an edition, and the forms that write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krai.monitoring.rankings import selectors, services
from krai.monitoring.rankings.forms import EditionForm, OrderForm, RatingForm
from krai.monitoring.rankings.importers import KIND
from krai.monitoring.rankings.models import Rating


def _reader(request: HttpRequest) -> None:
    if not request.user.has_perm("rankings.view_rating"):
        raise PermissionDenied


def _rating(request: HttpRequest, code: str) -> Rating:
    rating = selectors.rating_by_code(code) if request.user.has_perm("rankings.view_rating") else None
    if rating is None:
        raise Http404
    return rating


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    active, dropped = request.GET.get("active") == "1", request.GET.get("dropped") == "1"
    rows = selectors.list_rows(active_only=active, dropped_only=dropped)
    return render(request, "rankings/list.html", {
        "rows": rows, "home": selectors.home_region(), "may_add": request.user.has_perm("rankings.add_rating"),
        "active": active, "dropped": dropped})


@login_required
def rating_form(request: HttpRequest, code: str | None = None) -> HttpResponse:
    rating = _rating(request, code) if code else None
    if not request.user.has_perm("rankings.change_rating" if rating else "rankings.add_rating", rating):
        raise PermissionDenied
    form = RatingForm(request.POST or None, initial=RatingForm.initial_of(rating) if rating else None)
    if rating:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        neighbours = list(data.pop("neighbours"))
        try:
            if rating:
                data.pop("code")
                rating = services.rating_update(actor=request.user, rating=rating, neighbours=neighbours, **data)
            else:
                rating = services.rating_create(actor=request.user, owner=request.user, neighbours=neighbours,
                                                **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The rating is saved."))
            return redirect(rating.get_absolute_url())
    return render(request, "rankings/rating_form.html", {"form": form, "rating": rating})


@login_required
def rating_detail(request: HttpRequest, code: str) -> HttpResponse:
    rating = _rating(request, code)
    now = selectors.standing(rating)
    regions = selectors.compared_regions(rating)
    may_order = bool(rating.owner_organisation and now.change.current
                     and request.user.has_perm("orders.open_assignment", rating.owner_organisation))
    return render(request, "rankings/rating.html", {
        "rating": rating, "now": now, "home": selectors.home_region(),
        "editions": list(reversed(selectors.editions_of(rating))),
        "history": selectors.history(rating, regions[:1]), "compare": selectors.history(rating, regions),
        "neighbours": selectors.neighbours_table(rating), "lost": selectors.lost_directions(rating),
        "may_edit": request.user.has_perm("rankings.add_edition", rating), "may_order": may_order,
        "order_form": OrderForm(initial={"executor_organisation": rating.owner_organisation_id}) if may_order
        else None,
        "import_url": f"{reverse('imports:start', args=[KIND])}?opt.rating={rating.code}",
    })


@login_required
def edition_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rating = _rating(request, code)
    edition = rating.editions.filter(pk=pk).first()
    if edition is None:
        raise Http404
    home = selectors.home_region()
    return render(request, "rankings/edition.html", {
        "rating": rating, "edition": edition, "places": selectors.edition_places(edition),
        "directions": rating.directions, "home_id": home.pk if home else None})


@login_required
def edition_form(request: HttpRequest, code: str) -> HttpResponse:
    rating = _rating(request, code)
    if not request.user.has_perm("rankings.add_edition", rating):
        raise PermissionDenied
    form = EditionForm(request.POST or None, rating=rating)
    home = selectors.home_region()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edition = services.edition_create(
                actor=request.user, rating=rating, year=data["year"], quarter=data.get("quarter"),
                regions_count=data["regions_count"], published_on=data.get("published_on"),
                source_url=data.get("source_url") or "",
                places=[{"region": home, "place": data["place"], "place_to": data.get("place_to"),
                         "score": data.get("score"), "subscores": form.subscores()}])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The edition is saved."))
            return redirect(edition.get_absolute_url())
    return render(request, "rankings/edition_form.html", {
        "form": form, "rating": rating, "home": home,
        "import_url": f"{reverse('imports:start', args=[KIND])}?opt.rating={rating.code}"})


@login_required
@require_POST
def order(request: HttpRequest, code: str) -> HttpResponse:
    rating = _rating(request, code)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.order_from_drop(actor=request.user, rating=rating, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The order is opened."))
            return redirect(reverse("orders:assignment", args=[assignment.pk]))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(rating.get_absolute_url())
