"""Pages of the community's galleries: a person's albums, an album's grid, a photo, and the photo files themselves
(served only to those who may see them: 404 alike for missing, hidden and not allowed)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from krai.core.forms import service_errors_onto
from krai.core.views import ratelimited
from krai.social import photos, policy
from krai.social.forms_galleries import AlbumForm, PhotoForm, UploadForm
from krai.social.models import Photo, Visibility
from krai.social.selectors import galleries as selectors
from krai.social.services import galleries as services


def _write_rate(view):
    """At most 30 gallery writes a minute per person through the pages (honours ``RATELIMIT_ENABLE``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_ratelimited(request, group="social.galleries", key="user_or_ip", rate="30/m", method="POST",
                          increment=True):
            return ratelimited(request)
        return view(request, *args, **kwargs)

    return wrapper


def report_url(kind: str, pk: int) -> str | None:
    try:
        return reverse("social:report", args=(kind, pk))
    except NoReverseMatch:  # the moderation part is not there
        return None


def _is_owner(request: HttpRequest, obj: Any) -> bool:
    return request.user.is_authenticated and obj.owner_id == request.user.pk


def _back(request: HttpRequest, default: str) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return back
    return default


def _refused(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        for message in exc.messages:  # type: ignore[attr-defined]
            messages.error(request, message)


@require_GET
def albums(request: HttpRequest, user_id: int) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    page = Paginator(selectors.albums_of(request.user, owner.pk), 24).get_page(request.GET.get("page"))
    page.object_list = selectors.with_covers(request.user, page.object_list)
    return render(request, "social/galleries/albums.html", {
        "owner": owner, "owner_name": policy.profile_of(owner).display_name, "page": page,
        "is_owner": request.user.is_authenticated and request.user.pk == owner.pk})


@login_required
@require_http_methods(["GET", "POST"])
@_write_rate
def album_new(request: HttpRequest) -> HttpResponse:
    form = AlbumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            album = services.album_create(actor=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            service_errors_onto(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("The album is created. Add photos to it."))
            return redirect("social:album", pk=album.pk)
    return render(request, "social/galleries/album_form.html", {"form": form, "album": None},
                  status=400 if form.errors else 200)


@require_GET
def album(request: HttpRequest, pk: int) -> HttpResponse:
    album = selectors.masked_for(request.user, selectors.album_get(request.user, pk))
    page = Paginator(selectors.album_photos(request.user, album), 48).get_page(request.GET.get("page"))
    page.object_list = [selectors.masked_for(request.user, p) for p in page.object_list]
    is_owner = _is_owner(request, album)
    return render(request, "social/galleries/album.html", {
        "album": album, "page": page, "is_owner": is_owner, "upload_form": UploadForm() if is_owner else None,
        "owner_name": policy.profile_of(album.owner).display_name, "report_url": report_url("album", album.pk),
        "audience_label": Visibility(album.audience).label})


@login_required
@require_POST
@_write_rate
def album_upload(request: HttpRequest, pk: int) -> HttpResponse:
    album = selectors.album_get(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("social:album", pk=album.pk)
    added = 0
    for upload in form.cleaned_data["photos"]:
        try:
            services.photo_add(actor=request.user, album=album, upload=upload,
                               keep_location=form.cleaned_data["keep_location"])
        except PermissionDenied as exc:
            _refused(request, exc)
            break
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, _("%(name)s: %(message)s") % {"name": upload.name, "message": message})
            if exc.code in {"banned", "rate_limited", "album_full"}:
                break
        else:
            added += 1
    if added:
        messages.success(request, _("Photos added: %(count)s.") % {"count": added})
    return redirect("social:album", pk=album.pk)


@login_required
@require_http_methods(["GET", "POST"])
@_write_rate
def album_edit(request: HttpRequest, pk: int) -> HttpResponse:
    album = selectors.album_get(request.user, pk)
    if not _is_owner(request, album):
        raise Http404
    initial = {"title": album.title, "description": album.description, "audience": album.audience}
    form = AlbumForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.album_edit(actor=request.user, album=album, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            service_errors_onto(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("The album is saved."))
            return redirect("social:album", pk=album.pk)
    return render(request, "social/galleries/album_form.html", {"form": form, "album": album},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def album_delete(request: HttpRequest, pk: int) -> HttpResponse:
    album = selectors.album_get(request.user, pk)
    try:
        services.album_delete(actor=request.user, album=album)
    except (PermissionDenied, ValidationError) as exc:
        _refused(request, exc)
        return redirect("social:album", pk=album.pk)
    messages.success(request, _("The album is deleted."))
    return redirect("social:albums", user_id=request.user.pk)


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.masked_for(request.user, selectors.photo_get(request.user, pk))
    if photo.album_id:
        selectors.masked_for(request.user, photo.album)
    previous, following = selectors.photo_neighbours(request.user, photo)
    is_owner = _is_owner(request, photo)
    form = PhotoForm(initial={"caption": photo.caption, "keep_location": photo.keep_location}) if is_owner else None
    return render(request, "social/galleries/photo.html", {
        "photo": photo, "parent": photo.album or photo.publication, "previous": previous, "next": following,
        "is_owner": is_owner, "form": form, "report_url": report_url("photo", photo.pk),
        "owner_name": policy.profile_of(photo.owner).display_name,
        "location": (photo.latitude, photo.longitude) if photo.latitude is not None else None})


@login_required
@require_POST
@_write_rate
def photo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.photo_get(request.user, pk)
    form = PhotoForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        values = dict(form.cleaned_data)
        if "keep_location" not in request.POST and request.POST.get("caption_only"):
            values.pop("keep_location")  # the album grid's caption form has no such box
        try:
            services.photo_edit(actor=request.user, photo=photo, **values)
        except (PermissionDenied, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The photo is saved."))
    return redirect(_back(request, reverse("social:photo", args=[photo.pk])))


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.photo_get(request.user, pk)
    parent_url = photo.album.get_absolute_url() if photo.album_id else photo.publication.get_absolute_url()
    try:
        services.photo_delete(actor=request.user, photo=photo)
    except (PermissionDenied, ValidationError) as exc:
        _refused(request, exc)
        return redirect("social:photo", pk=photo.pk)
    messages.success(request, _("The photo is deleted."))
    return redirect(_back(request, parent_url))


@login_required
@require_POST
def photo_move(request: HttpRequest, pk: int) -> HttpResponse:
    """One step earlier or later in the album (the pages' reordering without script)."""
    photo = selectors.photo_get(request.user, pk)
    if not photo.album_id:
        raise Http404
    ids = list(photo.album.photos.order_by("position", "id").values_list("pk", flat=True))
    index = ids.index(photo.pk)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        try:
            services.photos_reorder(actor=request.user, album=photo.album, order=ids)
        except (PermissionDenied, ValidationError) as exc:
            _refused(request, exc)
    return redirect(_back(request, photo.album.get_absolute_url()))


@require_GET
def photo_file(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """The image itself at a size (``full``, ``medium``, ``thumb``); the full image while a size is not made."""
    photo: Photo = selectors.photo_get(request.user, pk)
    field = {"thumb": photo.thumb, "medium": photo.medium}.get(size) or photo.image
    name = field.name
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    extension = name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, content_type=photos.MIME_BY_EXTENSION.get(extension, photo.mime_type))
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}-{size}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    parent = photo.album or photo.publication
    public = parent.audience == Visibility.PUBLIC and not photo.is_hidden and not parent.is_hidden
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=300"
    if not public:
        response["Vary"] = "Cookie"
    return response


urlpatterns = [
    path("community/people/<int:user_id>/albums/", albums, name="albums"),
    path("community/albums/new/", album_new, name="album_new"),
    path("community/albums/<int:pk>/", album, name="album"),
    path("community/albums/<int:pk>/upload/", album_upload, name="album_upload"),
    path("community/albums/<int:pk>/edit/", album_edit, name="album_edit"),
    path("community/albums/<int:pk>/delete/", album_delete, name="album_delete"),
    path("community/photos/<int:pk>/", photo, name="photo"),
    path("community/photos/<int:pk>/edit/", photo_edit, name="photo_edit"),
    path("community/photos/<int:pk>/delete/", photo_delete, name="photo_delete"),
    path("community/photos/<int:pk>/move/", photo_move, name="photo_move"),
    re_path(r"^community/photos/(?P<pk>[0-9]+)/(?P<size>full|medium|thumb)/$", photo_file, name="photo_file"),
]
