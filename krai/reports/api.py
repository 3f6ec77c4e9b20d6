"""The reports' API under /api/v1/reports/: the caller's templates (those he keeps or receives; made and changed by
their owner), their editions, "generate now", and an edition's PDF or XLSX; the published editions for anyone.

The same services and selectors as the pages. Templates are the staff's (anyone else 403); another's template or an
unpublished edition answers 404 like a missing one. Writes made with a token need ``write`` and ``reports:write``.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors
from krai.org.models import Block, Municipality, User
from krai.reports import sections, selectors, services
from krai.reports.models import Edition, Template
from krai.reports.views import edition_file


def _pattern(values: list[str], description: str) -> dict:
    # a pattern, not an enum: drf-spectacular names enums of a field alike across areas (a collision it warns of)
    return {"type": "string", "pattern": f"^({'|'.join(values)})$", "description": description}


@extend_schema_field(_pattern(Template.Frequency.values, "weekly, monthly or quarterly"))
class FrequencyField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Template.Frequency.choices, **kwargs)


@extend_schema_field(_pattern(Template.Publication.values, "workspace (only), or portal (for residents: "
                                                           "aggregate figures only)"))
class PublicationField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Template.Publication.choices, **kwargs)


@extend_schema_field(_pattern(Edition.Status.values, "pending, running, done or failed"))
class EditionStatusField(serializers.CharField):
    pass


class ReportEditionOut(serializers.Serializer):
    id = serializers.IntegerField()
    template = serializers.IntegerField(source="template_id")
    title = serializers.CharField(source="template.title")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = EditionStatusField()
    attempts = serializers.IntegerField(help_text="Generation attempts made (retried with a back-off, bounded)")
    generated_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(help_text="The last failure's message, when one failed")
    published = serializers.BooleanField(source="is_published", help_text="Shown on the portal")
    pdf = serializers.SerializerMethodField(help_text="The PDF's download address (null until ready)")
    xlsx = serializers.SerializerMethodField(help_text="The XLSX's download address (null until ready)")

    def _link(self, edition: Edition, fmt: str) -> str | None:
        if edition.status != Edition.Status.DONE:
            return None
        return f"/api/v1/reports/editions/{edition.pk}/{fmt}/"

    def get_pdf(self, edition: Edition) -> str | None:
        return self._link(edition, "pdf")

    def get_xlsx(self, edition: Edition) -> str | None:
        return self._link(edition, "xlsx")


class ReportTemplateOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id")
    sections = serializers.ListField(child=serializers.CharField(), help_text="Section kinds, in order")
    block = serializers.IntegerField(source="block_id", allow_null=True)
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    frequency = FrequencyField()
    weekday = serializers.IntegerField(help_text="Weekly: 0 (Monday) to 6")
    day = serializers.IntegerField(help_text="Monthly and quarterly: the day of the (quarter's first) month")
    at = serializers.TimeField()
    recipients = serializers.SerializerMethodField()
    publication = PublicationField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_recipients(self, template: Template) -> list[int]:
        return sorted(p.pk for p in template.recipients.all())


class ReportTemplateIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sections = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1,
                                     help_text="Section kinds: see GET /api/v1/reports/sections/")
    block = serializers.PrimaryKeyRelatedField(queryset=Block.objects.all(), required=False, allow_null=True,
                                               default=None)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                      allow_null=True, default=None)
    frequency = FrequencyField(required=False, default=Template.Frequency.MONTHLY)
    weekday = serializers.IntegerField(required=False, default=0, min_value=0, max_value=6)
    day = serializers.IntegerField(required=False, default=1, min_value=1, max_value=28)
    at = serializers.TimeField(required=False, default=time(7, 0))
    recipients = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True, is_staff=True),
                                                    many=True, required=False, default=list)
    publication = PublicationField(required=False, default=Template.Publication.WORKSPACE)
    is_active = serializers.BooleanField(required=False, default=True)


class ReportSectionOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    filters = serializers.ListField(child=serializers.CharField(), help_text="block and/or municipality")


class _Reports(AreaWriteView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm("reports.use"):
            raise PermissionDenied(_("Reports are kept by members of staff."))


def _owned(user: Any, pk: int) -> Template:
    template = selectors.template_get(user=user, pk=pk)
    if not user.has_perm("reports.change_template", template):
        raise Http404
    return template


@extend_schema(tags=["reports"])
class SectionList(_Reports):
    """The section kinds a template may hold."""

    @extend_schema(operation_id="reports_sections_list", responses={200: ReportSectionOut(many=True),
                                                                    **errors(401, 403)})
    def get(self, request: Any) -> Response:
        return Response(ReportSectionOut([{"key": k.key, "label": str(k.label), "description": str(k.description),
                                           "filters": list(k.filters)} for k in sections.kinds()], many=True).data)


@extend_schema(tags=["reports"])
class TemplateList(_Reports):
    """The templates the caller keeps or receives; POST makes one (his own)."""

    @extend_schema(operation_id="reports_templates_list", responses={200: ReportTemplateOut(many=True),
                                                                     **errors(401, 403)})
    def get(self, request: Any) -> Response:
        found = selectors.templates_visible_to(request.user).prefetch_related("recipients")
        return Response(ReportTemplateOut(found, many=True).data)

    @extend_schema(operation_id="reports_templates_create", request=ReportTemplateIn,
                   responses={201: ReportTemplateOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        template = services.template_create(actor=request.user, **self.body(ReportTemplateIn))
        return Response(ReportTemplateOut(template).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["reports"])
class TemplateDetail(_Reports):
    """One template; PATCH changes it (its owner), DELETE removes it with its editions."""

    @extend_schema(operation_id="reports_templates_retrieve", responses={200: ReportTemplateOut,
                                                                         **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(ReportTemplateOut(selectors.template_get(user=request.user, pk=pk)).data)

    @extend_schema(operation_id="reports_templates_partial_update", request=ReportTemplateIn,
                   responses={200: ReportTemplateOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        template = _owned(request.user, pk)
        data = self.body(ReportTemplateIn, partial=True)
        services.template_update(actor=request.user, template=template, **data)
        return Response(ReportTemplateOut(selectors.template_get(user=request.user, pk=pk)).data)

    @extend_schema(operation_id="reports_templates_destroy", responses={204: None, **errors(401, 403, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        services.template_delete(actor=request.user, template=_owned(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["reports"])
class TemplateGenerate(_Reports):
    """Generate the edition of the last complete period now (its owner); 202: queued."""

    @extend_schema(operation_id="reports_templates_generate", request=None,
                   responses={202: ReportEditionOut, **errors(401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        edition = services.edition_generate_now(actor=request.user, template=_owned(request.user, pk))
        edition.refresh_from_db()
        return Response(ReportEditionOut(edition).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["reports"])
class EditionList(_Reports):
    """The editions of one of the caller's templates (``?template=``), the latest first, paged."""

    @extend_schema(operation_id="reports_editions_list", responses={200: ReportEditionOut(many=True),
                                                                    **errors(400, 401, 403, 404)})
    def get(self, request: Any) -> Response:
        raw = request.query_params.get("template", "")
        if not raw.isdigit():
            raise serializers.ValidationError({"template": [_("Name the template: ?template=<id>.")]})
        template = selectors.template_get(user=request.user, pk=int(raw))
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.editions_of(template).select_related("template"), request,
                                           view=self)
        return paginator.get_paginated_response(ReportEditionOut(page, many=True).data)


@extend_schema(tags=["reports"])
class EditionDetail(AreaView):
    """One edition: the template's owner and recipients, or anyone when it is published."""

    @extend_schema(operation_id="reports_editions_retrieve", responses={200: ReportEditionOut, **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(ReportEditionOut(selectors.edition_get(user=request.user, pk=pk)).data)


@extend_schema(tags=["reports"])
class EditionDownload(AreaView):
    """An edition's PDF or XLSX (``fmt``: pdf or xlsx)."""

    @extend_schema(operation_id="reports_editions_download", responses={
        (200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)})
    def get(self, request: Any, pk: int, fmt: str) -> Any:
        return edition_file(selectors.edition_get(user=request.user, pk=pk), fmt)


@extend_schema(tags=["reports"])
class PublishedList(AreaView):
    """The editions published for residents, the latest first, paged (anyone)."""

    @extend_schema(operation_id="reports_published_list", responses={200: ReportEditionOut(many=True)})
    def get(self, request: Any) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.published_editions(), request, view=self)
        return paginator.get_paginated_response(ReportEditionOut(page, many=True).data)


urlpatterns = [
    path("reports/sections/", SectionList.as_view(), name="reports-sections"),
    path("reports/templates/", TemplateList.as_view(), name="reports-templates"),
    path("reports/templates/<int:pk>/", TemplateDetail.as_view(), name="reports-template"),
    path("reports/templates/<int:pk>/generate/", TemplateGenerate.as_view(), name="reports-template-generate"),
    path("reports/editions/", EditionList.as_view(), name="reports-editions"),
    path("reports/published/", PublishedList.as_view(), name="reports-published"),
    path("reports/editions/<int:pk>/", EditionDetail.as_view(), name="reports-edition"),
    path("reports/editions/<int:pk>/<str:fmt>/", EditionDownload.as_view(), name="reports-edition-download"),
]
