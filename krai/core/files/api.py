"""API of attachments: upload (multipart), list a target's files, read and remove one."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from krai.core.api import default_throttles
from krai.core.files import selectors, services
from krai.core.files.models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(read_only=True)
    target_id = serializers.CharField(source="object_id", read_only=True)
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "target_type", "target_id", "original_name", "size", "mime_type", "kind", "charset",
                  "sha256", "uploaded_by", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        return reverse("files:download", args=[attachment.pk])


class UploadSerializer(serializers.Serializer):
    target_type = serializers.CharField(help_text="app_label.model of the object, e.g. problems.problem")
    target_id = serializers.CharField(max_length=64)
    file = serializers.FileField(allow_empty_file=True, use_url=False)


def _target(request, data):
    return selectors.resolve_target(data.get("target_type"), data.get("target_id"), user=request.user)


class AttachmentList(APIView):
    """GET: the files of one object (``target_type``, ``target_id``). POST (multipart): attach a file.

    Posting needs ``<app>.attach_<model>`` or ``<app>.change_<model>`` on the target (403 otherwise); an
    object the caller may not see answers 404 like a missing one. The type is sniffed from the bytes.
    """

    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "public_write"

    def get_throttles(self):
        if self.request.method == "POST":
            return [*default_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(parameters=[OpenApiParameter("target_type", OpenApiTypes.STR, required=True),
                               OpenApiParameter("target_id", OpenApiTypes.STR, required=True)],
                   responses=AttachmentSerializer(many=True))
    def get(self, request):
        target = _target(request, request.query_params)
        attachments = selectors.attachments_for(user=request.user, target=target)
        return Response(AttachmentSerializer(attachments, many=True).data)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer})
    def post(self, request):
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        target = _target(request, form.validated_data)
        try:
            attachment = services.attachment_create(actor=request.user, target=target,
                                                    upload=form.validated_data["file"])
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise ValidationError({"file": error.messages}) from None
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetail(APIView):
    """One attachment's description (the file itself is at ``download_url``); DELETE removes it."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=AttachmentSerializer)
    def get(self, request, pk: int):
        return Response(AttachmentSerializer(selectors.attachment_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
        services.attachment_delete(actor=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("attachments/", AttachmentList.as_view(), name="attachment-list"),
    path("attachments/<int:pk>/", AttachmentDetail.as_view(), name="attachment-detail"),
]
