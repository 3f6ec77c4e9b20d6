"""Residents' pages: the list and the map, reporting, a problem's page (endorse, comment, rate, reopen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from krai.core.forms import service_errors_onto
from krai.org.addresses import selectors as address_selectors
from krai.org.geo import check_point
from krai.problems import kept_photos, selectors, services
from krai.problems.forms import FilterForm, RateForm, ReopenForm, ReportForm
from krai.problems.services._common import max_photos


@require_GET
def home(request):
    """Every published problem: a map with clusters and the same problems as an accessible list."""
    form = FilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.Filters()
    order = request.GET.get("order", "new")
    page = Paginator(selectors.problem_list(filters=filters, order=order), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "order": order}
    if request.htmx:
        return render(request, "problems/_list.html", context)
    return render(request, "problems/home.html", context)


@require_GET
def map_data(request):
    """The map's data for a bounding box and zoom: points close up, server-side clusters further out."""
    try:
        bbox = selectors.parse_bbox(request.GET.get("bbox", ""))
        zoom = int(request.GET.get("zoom", "10"))
    except ValueError:
        return JsonResponse({"error": {"status": 400, "code": "invalid",
                                       "message": _("Give bbox=west,south,east,north and a zoom.")}}, status=400)
    form = FilterForm(request.GET)
    data = selectors.map_features(bbox=bbox, zoom=zoom, filters=form.filters())
    return JsonResponse(data)


@require_GET
def similar(request):
    """Open problems of the same theme near the marked place (an htmx fragment of the report form)."""
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
        category = selectors.category_get(pk=int(request.GET.get("category", "")))
    except (ValueError, Http404):  # bad input: nothing to suggest
        return render(request, "problems/_similar.html", {"problems": []})
    return render(request, "problems/_similar.html",
                  {"problems": selectors.similar_nearby(lat=lat, lon=lon, category=category)})


@login_required
@ratelimit(group="problems.report", key="user_or_ip", rate="20/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def report(request):
    """Report a problem: the theme, the place (found by its address, "my location" or a click), what is wrong,
    photos. Photos of a try that comes back with an error are kept for the next (``kept_photos``)."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        kept_photos.forget(request)  # a fresh form starts without the photos of an abandoned one
    if request.method == "POST":
        tokens = request.POST.getlist("kept_photos")
        kept_photos.forget(request, keep_tokens=tokens)  # the ones unticked go now
        new_photos = request.FILES.getlist("photos")
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = services.problem_report(
                    actor=request.user, category=data["category"], lat=data["lat"], lon=data["lon"],
                    description=data["description"], address=data["address"], anonymous=data["anonymous"],
                    photos=[*kept_photos.chosen(request, tokens), *new_photos])
            except ValidationError as error:
                service_errors_onto(form, error, aliases={"location": "lat"})
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                kept_photos.forget(request)
                messages.success(request, _("Thank you! Your report №%(n)s is sent to moderation; you will be told "
                                            "when it is published.") % {"n": problem.pk})
                return redirect("problems:detail", pk=problem.pk)
        kept_photos.keep(request, new_photos)
    status = 400 if request.method == "POST" else 200
    return render(request, "problems/report.html", {
        "form": form, "max_photos": max_photos(), "confirmed": getattr(request.user, "email_confirmed", False),
        "kept_photos": kept_photos.kept(request), "map_view": address_selectors.map_view_for(request.user)},
        status=status)


@login_required
@require_GET
def kept_photo(request, token: str):
    """A photo kept for the report form, shown to the resident who attached it (and nobody else)."""
    item = kept_photos.find(request, token)
    if item is None:
        raise Http404
    try:
        content = kept_photos.read(item)
    except OSError:
        raise Http404 from None
    response = HttpResponse(content, content_type=item["mime"])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _bad_place(message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": 400, "code": "invalid", "message": message}}, status=400)


@require_GET
@ratelimit(group="problems.places", key="ip", rate="120/m", block=True)
def place_search(request):
    """The report form's address suggestions: ``?q=ул. Красная 12[&municipality=id]`` (public data)."""
    text = request.GET.get("q", "").strip()
    if len(text) > 200:
        return _bad_place(_("The address is too long."))
    municipality = request.GET.get("municipality", "")
    places = address_selectors.search(text, municipality_id=int(municipality) if municipality.isdigit() else None)
    return JsonResponse({"results": [place.as_dict() for place in places]})


@require_GET
@ratelimit(group="problems.places", key="ip", rate="120/m", block=True)
def place_reverse(request):
    """The nearest address of the registry to a clicked point: ``?lat=…&lon=…`` (``{"result": null}`` if none)."""
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
        check_point(lon, lat)
    except (ValueError, ValidationError):
        return _bad_place(_("Give lat and lon of a point."))
    place = address_selectors.nearest(lat, lon)
    return JsonResponse({"result": place.as_dict() if place else None})


@login_required
@require_GET
def mine(request):
    page = Paginator(selectors.my_problems(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "problems/mine.html", {"page": page})


@require_GET
def detail(request, pk: int):
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    user = request.user
    photos, answer_photos = selectors.photos_apart(user=user, problem=problem)
    return render(request, "problems/detail.html", {
        "problem": problem,
        "timeline": selectors.timeline(user=user, problem=problem),
        "photos": photos, "answer_photos": answer_photos,
        "endorsed": selectors.has_endorsed(user=user, problem=problem),
        "following": selectors.is_subscribed(user=user, problem=problem),
        "can_endorse": user.has_perm("problems.endorse_problem", problem),
        "can_rate": selectors.can_rate(user=user, problem=problem),
        "my_rating": selectors.my_rating(user=user, problem=problem),
        "can_work": (user.has_perm("problems.answer_problem", problem)
                     or user.has_perm("problems.moderate_problem", problem)),
        "rate_form": RateForm(), "reopen_form": ReopenForm(),
    })


def _back(pk: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("problems:detail", args=[pk]))


def _act(request, pk: int, action) -> HttpResponseRedirect:
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    try:
        action(problem)
    except (ValidationError, PermissionDenied) as error:
        for message in (error.messages if isinstance(error, ValidationError) else [str(error)]):
            messages.error(request, message)
    return _back(pk)


@login_required
@ratelimit(group="problems.endorse", key="user", rate="60/h", method="POST", block=True)
@require_POST
def endorse(request, pk: int):
    if request.POST.get("undo"):
        return _act(request, pk, lambda p: services.problem_unendorse(actor=request.user, problem=p))
    return _act(request, pk, lambda p: services.problem_endorse(actor=request.user, problem=p))


@login_required
@require_POST
def follow(request, pk: int):
    on = request.POST.get("undo") != "1"
    return _act(request, pk, lambda p: services.problem_subscribe(actor=request.user, problem=p, on=on))


@login_required
@require_POST
def rate(request, pk: int):
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return _back(pk)
    return _act(request, pk, lambda p: services.problem_rate(actor=request.user, problem=p,
                                                             rating=form.cleaned_data["rating"],
                                                             comment=form.cleaned_data["comment"]))


@login_required
@require_POST
def reopen(request, pk: int):
    form = ReopenForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(request, pk, lambda p: services.problem_reopen(actor=request.user, problem=p, reason=reason))


@require_GET
def open311_root(request):
    return redirect("problems:open311-discovery", fmt="json")
