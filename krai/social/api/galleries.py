"""API of the community's galleries: /api/v1/social/albums/ (list with ?owner=, create), albums/{id}/ (read,
change, delete), albums/{id}/photos/ (list, upload one photo, multipart), albums/{id}/order/ (reorder) and
photos/{id}/ (read, change, delete). Missing and not visible answer 404 alike; only the owner writes (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from krai.core.api import Pagination, default_throttles
from krai.core.privacy import mask_personal
from krai.social.models import Album, Photo
from krai.social.models.content import AUDIENCES
from krai.social.selectors import galleries as selectors
from krai.social.services import galleries as services


class _MaskedOut(serializers.ModelSerializer):
    """Personal data in the texts masked for all but the owner (``context["viewer"]``; without one, masked)."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        viewer = self.context.get("viewer")
        if viewer is None or not viewer.is_authenticated or instance.owner_id != viewer.pk:
            for name in selectors.MASKED_TEXTS:
                if isinstance(data.get(name), str):
                    data[name] = mask_personal(data[name])
        return data


class GalleryAlbumOut(_MaskedOut):
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Album
        fields = ["id", "owner", "title", "description", "audience", "is_hidden", "created_at", "updated_at", "url"]
        read_only_fields = fields

    def get_url(self, album: Album) -> str:
        return album.get_absolute_url()


class GalleryAlbumIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    audience = serializers.ChoiceField(choices=AUDIENCES, required=False, default="public")


class GalleryPhotoUrls(serializers.Serializer):
    page = serializers.CharField()
    full = serializers.CharField()
    medium = serializers.CharField()
    thumb = serializers.CharField()


class GalleryPhotoOut(_MaskedOut):
    album = serializers.IntegerField(source="album_id", read_only=True, allow_null=True)
    publication = serializers.IntegerField(source="publication_id", read_only=True, allow_null=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)
    sizes_ready = serializers.SerializerMethodField()
    urls = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "album", "publication", "owner", "caption", "mime_type", "width", "height", "size",
                  "position", "keep_location", "latitude", "longitude", "is_hidden", "sizes_ready", "created_at",
                  "urls"]
        read_only_fields = fields

    def get_sizes_ready(self, photo: Photo) -> bool:
        return photo.sizes_ready_at is not None

    @extend_schema_field(GalleryPhotoUrls)
    def get_urls(self, photo: Photo) -> dict[str, str]:
        files = {size: reverse("social:photo_file", args=[photo.pk, size]) for size in ("full", "medium", "thumb")}
        return {"page": photo.get_absolute_url(), **files}

    def get_latitude(self, photo: Photo) -> float | None:
        """Only when the owner kept where it was taken."""
        return photo.latitude if photo.keep_location else None

    def get_longitude(self, photo: Photo) -> float | None:
        return photo.longitude if photo.keep_location else None


class GalleryPhotoIn(serializers.Serializer):
    image = serializers.FileField(allow_empty_file=True, use_url=False)
    caption = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    keep_location = serializers.BooleanField(required=False, default=False,
                                             help_text="Keep where it was taken (read from the file's EXIF)")


class GalleryPhotoChange(serializers.Serializer):
    caption = serializers.CharField(max_length=500, required=False, allow_blank=True)
    keep_location = serializers.BooleanField(required=False, help_text="false deletes the coordinates for good")


class GalleryOrderIn(serializers.Serializer):
    photos = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=1000)


class GalleryOwnerQuery(serializers.Serializer):
    owner = serializers.IntegerField(required=False, min_value=1)


class GalleriesView(APIView):
    """Service refusals keep their message; the body is read only after the object is found."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)

    def body(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def album(self, pk: int) -> Album:
        return selectors.album_get(self.request.user, pk)


def _paged(view: APIView, request: Any, qs: Any, serializer: type[serializers.Serializer]) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context={"viewer": request.user}).data)


class Albums(GalleriesView):
    throttle_scope = "public_write"  # creating albums: 20 a minute, as the photos

    def get_throttles(self):
        if self.request.method == "POST":
            return [*default_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(operation_id="social_albums_list", parameters=[OpenApiParameter("owner", int)],
                   responses=GalleryAlbumOut(many=True),
                   summary="Albums the caller may see (one person's with ?owner=)")
    def get(self, request):
        query = GalleryOwnerQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.albums_visible_to(request.user).order_by("-created_at", "-id")
        if query.validated_data.get("owner"):
            qs = qs.filter(owner_id=query.validated_data["owner"])
        return _paged(self, request, qs, GalleryAlbumOut)

    @extend_schema(operation_id="social_albums_create", request=GalleryAlbumIn, responses={201: GalleryAlbumOut},
                   summary="Create an album")
    def post(self, request):
        album = services.album_create(actor=request.user, **self.body(GalleryAlbumIn))
        return Response(GalleryAlbumOut(album, context={"viewer": request.user}).data,
                        status=status.HTTP_201_CREATED)


class AlbumDetail(GalleriesView):
    @extend_schema(operation_id="social_albums_retrieve", responses=GalleryAlbumOut, summary="An album")
    def get(self, request, pk: int):
        return Response(GalleryAlbumOut(self.album(pk), context={"viewer": request.user}).data)

    @extend_schema(operation_id="social_albums_partial_update", request=GalleryAlbumIn(partial=True),
                   responses=GalleryAlbumOut, summary="Change an album (owner)")
    def patch(self, request, pk: int):
        album = self.album(pk)
        data = self.body(GalleryAlbumIn, partial=True)
        album = services.album_edit(actor=request.user, album=album, **data)
        return Response(GalleryAlbumOut(album, context={"viewer": request.user}).data)

    @extend_schema(operation_id="social_albums_destroy", responses={204: None},
                   summary="Delete an album with its photos (owner)")
    def delete(self, request, pk: int):
        services.album_delete(actor=request.user, album=self.album(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumPhotos(GalleriesView):
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    throttle_scope = "public_write"

    def get_throttles(self):
        if self.request.method == "POST":
            return [*default_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(operation_id="social_album_photos_list", responses=GalleryPhotoOut(many=True),
                   summary="An album's photos in the owner's order")
    def get(self, request, pk: int):
        album = self.album(pk)
        return _paged(self, request, selectors.album_photos(request.user, album), GalleryPhotoOut)

    @extend_schema(operation_id="social_album_photos_create", request={"multipart/form-data": GalleryPhotoIn},
                   responses={201: GalleryPhotoOut}, summary="Upload a photo to an album (owner)")
    def post(self, request, pk: int):
        album = self.album(pk)
        data = self.body(GalleryPhotoIn)
        try:
            photo = services.photo_add(actor=request.user, album=album, upload=data["image"],
                                       caption=data["caption"], keep_location=data["keep_location"])
        except DjangoValidationError as error:
            if hasattr(error, "error_dict") or error.code in {"banned", "rate_limited", "album_full"}:
                raise
            raise exceptions.ValidationError({"image": error.messages}) from None
        return Response(GalleryPhotoOut(photo, context={"viewer": request.user}).data, status=status.HTTP_201_CREATED)


class AlbumOrder(GalleriesView):
    @extend_schema(operation_id="social_album_order", request=GalleryOrderIn, responses=GalleryPhotoOut(many=True),
                   summary="Put the album's photos in this order (owner); those not named follow")
    def post(self, request, pk: int):
        album = self.album(pk)
        services.photos_reorder(actor=request.user, album=album, order=self.body(GalleryOrderIn)["photos"])
        return Response(GalleryPhotoOut(selectors.album_photos(request.user, album), many=True,
                                        context={"viewer": request.user}).data)


class PhotoDetail(GalleriesView):
    @extend_schema(operation_id="social_photos_retrieve", responses=GalleryPhotoOut, summary="A photo")
    def get(self, request, pk: int):
        photo = selectors.photo_get(request.user, pk)
        return Response(GalleryPhotoOut(photo, context={"viewer": request.user}).data)

    @extend_schema(operation_id="social_photos_partial_update", request=GalleryPhotoChange, responses=GalleryPhotoOut,
                   summary="Change a photo's caption, or stop keeping where it was taken (owner)")
    def patch(self, request, pk: int):
        photo = selectors.photo_get(request.user, pk)
        data = self.body(GalleryPhotoChange, partial=True)
        photo = services.photo_edit(actor=request.user, photo=photo, **data)
        return Response(GalleryPhotoOut(photo, context={"viewer": request.user}).data)

    @extend_schema(operation_id="social_photos_destroy", responses={204: None}, summary="Delete a photo (owner)")
    def delete(self, request, pk: int):
        photo = selectors.photo_get(request.user, pk)
        services.photo_delete(actor=request.user, photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("social/albums/", Albums.as_view(), name="social-albums"),
    path("social/albums/<int:pk>/", AlbumDetail.as_view(), name="social-album"),
    path("social/albums/<int:pk>/photos/", AlbumPhotos.as_view(), name="social-album-photos"),
    path("social/albums/<int:pk>/order/", AlbumOrder.as_view(), name="social-album-order"),
    path("social/photos/<int:pk>/", PhotoDetail.as_view(), name="social-photo"),
]
