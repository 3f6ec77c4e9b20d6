"""Administration's API of temporary deputies under /api/v1/administration/deputies/: the list (in force, coming,
past or all; paged), appointing one, one deputyship, moving its last day (PATCH) and ending it now
(``POST …/<id>/end/``). The same services and selectors as the pages; administrators only (anyone else 403,
nothing changed). Writes made with a token need the scopes ``write`` and ``administration:write``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.api_views import AreaWriteView, errors
from krai.org import deputies as selectors
from krai.org.models import Deputyship, User
from krai.org.services import deputies as services

STATES = ("in_force", "coming", "past", "all")


class AdministrationPersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    short_name = serializers.CharField()
    email = serializers.EmailField()


class AdministrationDeputyshipOut(serializers.Serializer):
    id = serializers.IntegerField()
    principal = AdministrationPersonOut(help_text="Whom the deputy acts for")
    deputy = AdministrationPersonOut()
    starts_on = serializers.DateField(help_text="The first day, included")
    ends_on = serializers.DateField(help_text="The last day, included")
    reason = serializers.CharField()
    state = serializers.SerializerMethodField(help_text="in_force, coming, ended (ended early) or over")
    created_at = serializers.DateTimeField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True, help_text="Who appointed him")
    ended_at = serializers.DateTimeField(allow_null=True, help_text="When it was ended early")
    ended_by = serializers.IntegerField(source="ended_by_id", allow_null=True)

    def get_state(self, obj: Deputyship) -> str:
        return obj.state_on(selectors.today())


class AdministrationDeputyshipPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdministrationDeputyshipOut(many=True)


class AdministrationDeputyshipQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=[(s, s) for s in STATES], required=False, default="all",
                                    help_text="in_force, coming, past (over or ended early) or all")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)


class AdministrationDeputyshipIn(serializers.Serializer):
    principal = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="Whom the deputy acts for")
    deputy = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    starts_on = serializers.DateField(help_text="The first day, today at the earliest")
    ends_on = serializers.DateField(help_text="The last day, included")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASON_MAX)


class AdministrationDeputyshipPatchIn(serializers.Serializer):
    ends_on = serializers.DateField(help_text="The new last day, today at the earliest")


def _require(user: Any) -> None:
    if not user.has_perm(services.MANAGE):
        raise PermissionDenied(_("Only an administrator may appoint and end temporary deputyships."))


def _rows(state: str) -> Any:
    if state == "in_force":
        return selectors.in_force()
    if state == "coming":
        return selectors.coming()
    if state == "past":
        return selectors.past()
    return Deputyship.objects.select_related(*selectors.RELATED).order_by("-starts_on", "-pk")


def _out(deputyship: Deputyship) -> dict[str, Any]:
    return AdministrationDeputyshipOut(selectors.deputyship_get(deputyship.pk)).data


class _Deputies(AreaWriteView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _require(request.user)


@extend_schema(tags=["administration"])
class DeputyshipList(_Deputies):
    """Temporary deputyships, paged (``state``: in force, coming, past or all); POST appoints a deputy."""

    @extend_schema(operation_id="administration_deputies_list", parameters=[AdministrationDeputyshipQuery],
                   responses={200: AdministrationDeputyshipPageOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        query = AdministrationDeputyshipQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(_rows(query.validated_data["state"]), request, view=self)
        return paginator.get_paginated_response(AdministrationDeputyshipOut(page, many=True).data)

    @extend_schema(operation_id="administration_deputies_create", request=AdministrationDeputyshipIn,
                   responses={201: AdministrationDeputyshipOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        deputyship = services.deputyship_appoint(actor=request.user, **self.body(AdministrationDeputyshipIn))
        return Response(_out(deputyship), status=status.HTTP_201_CREATED)


@extend_schema(tags=["administration"])
class DeputyshipDetail(_Deputies):
    """One deputyship; PATCH moves its last day (one not yet over)."""

    @extend_schema(operation_id="administration_deputies_retrieve",
                   responses={200: AdministrationDeputyshipOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(AdministrationDeputyshipOut(selectors.deputyship_get(pk)).data)

    @extend_schema(operation_id="administration_deputies_partial_update", request=AdministrationDeputyshipPatchIn,
                   responses={200: AdministrationDeputyshipOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        deputyship = selectors.deputyship_get(pk)
        data = self.body(AdministrationDeputyshipPatchIn)
        services.deputyship_change_end(actor=request.user, deputyship=deputyship, ends_on=data["ends_on"])
        return Response(_out(deputyship))


@extend_schema(tags=["administration"])
class DeputyshipEnd(_Deputies):
    """End the deputyship now, or call off one not yet begun (one over or already ended: 400)."""

    @extend_schema(operation_id="administration_deputies_end", request=None,
                   responses={200: AdministrationDeputyshipOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        deputyship = selectors.deputyship_get(pk)
        services.deputyship_end(actor=request.user, deputyship=deputyship)
        return Response(_out(deputyship))


urlpatterns = [
    path("administration/deputies/", DeputyshipList.as_view(), name="administration-deputies"),
    path("administration/deputies/<int:pk>/", DeputyshipDetail.as_view(), name="administration-deputyship"),
    path("administration/deputies/<int:pk>/end/", DeputyshipEnd.as_view(), name="administration-deputyship-end"),
]
