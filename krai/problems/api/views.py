"""REST API of problems: thin views (input serializer → service → output serializer) over the same services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from krai.core.api import Pagination, default_throttles
from krai.core.jsonsafe import JSONParser  # refuses JSON nested too deep
from krai.org.selectors import organisation_list
from krai.problems import selectors, services
from krai.problems.models import Category, Problem

CONFLICTS = {"already_endorsed", "already_rated"}

ERRORS = {
    400: OpenApiResponse(description=_('Invalid input: {"error": {"status", "code", "message", "fields"}}')),
    401: OpenApiResponse(description=_("Not signed in")),
    403: OpenApiResponse(description=_("Not allowed; the message says what is missing")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller (the same answer)")),
    409: OpenApiResponse(description=_("Already done: a second endorsement or rating")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This is already done.")
    default_code = "conflict"


class ProblemsView(APIView):
    """Service refusals keep their messages; "already done" is a 409."""

    def get_authenticate_header(self, request) -> str:
        return super().get_authenticate_header(request) or 'Token realm="api"'

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            user = getattr(self.request, "user", None)
            exc = (exceptions.NotAuthenticated(str(exc)) if user is None or not user.is_authenticated
                   else exceptions.PermissionDenied(str(exc)))
        elif isinstance(exc, DjangoValidationError) and not hasattr(exc, "error_dict") \
                and getattr(exc, "code", None) in CONFLICTS:
            exc = Conflict(detail=exc.messages[0], code=exc.code)
        return super().handle_exception(exc)

    def body(self, serializer_class) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def problem(self, pk: int) -> Problem:
        return selectors.problem_get_for_user(user=self.request.user, pk=pk)


class PublicWrite(ProblemsView):
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, ScopedRateThrottle]
    throttle_scope = "public_write"


# --- serializers --------------------------------------------------------------------------------

class ProblemCategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    group = serializers.CharField(source="group_name")
    description = serializers.CharField()
    reaction_days = serializers.IntegerField()
    day_kind = serializers.CharField(help_text="working or calendar")


class ProblemUpdateOut(serializers.Serializer):
    kind = serializers.CharField()
    status = serializers.CharField()
    text = serializers.CharField(source="public_text")
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    created_at = serializers.DateTimeField()


class ProblemOut(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    municipality = serializers.IntegerField(source="municipality_id")
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    organisation_name = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="new, routed, in_work, planned, fixed, reopened, closed, rejected")
    overdue = serializers.BooleanField(source="is_overdue")
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    address = serializers.CharField(source="public_address")
    description = serializers.CharField(source="public_text")
    author = serializers.CharField(source="public_author")
    due_date = serializers.DateField(allow_null=True)
    answer = serializers.CharField()
    answer_text = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    planned_date = serializers.DateField(allow_null=True)
    programme = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True, help_text="the author's own rating of the latest fix")
    rating_average = serializers.FloatField(allow_null=True,
                                            help_text="the average rating of the latest rated fix (author and "
                                                      "supporters)")
    ratings_count = serializers.IntegerField(help_text="how many rated the latest rated fix")
    cycle = serializers.IntegerField(help_text="the fix cycle: 1, and one more with each reopening")
    moderation_reason = serializers.SerializerMethodField()
    endorsements = serializers.IntegerField(source="endorsements_count")
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_organisation_name(self, problem) -> str:
        return problem.organisation.name if problem.organisation_id else ""

    def get_moderation_reason(self, problem) -> str:
        return problem.moderation_reason if problem.status == Problem.Status.REJECTED else ""


class ProblemDetailOut(ProblemOut):
    timeline = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    def get_timeline(self, problem) -> list[dict]:
        user = self.context["request"].user
        return ProblemUpdateOut(selectors.timeline(user=user, problem=problem), many=True).data

    def get_photos(self, problem) -> list[str]:
        request = self.context["request"]
        return [request.build_absolute_uri(f"/files/{a.pk}/") for a in selectors.photos(user=request.user,
                                                                                          problem=problem)]


class ProblemListQuery(serializers.Serializer):
    category = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    municipality = serializers.IntegerField(required=False, min_value=1)
    organisation = serializers.IntegerField(required=False, min_value=1)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    text = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                 help_text="words of the text or the address, or a report's number")
    body = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                 help_text="part of the responsible body's name")
    order = serializers.ChoiceField(choices=["new", "endorsed"], required=False, default="new")

    def validate_status(self, value: str) -> str:
        if value not in (*selectors.STATUS_GROUPS, *Problem.Status.values):
            raise serializers.ValidationError(_("Unknown status."))
        return value


def _filters(data: dict) -> selectors.Filters:
    category = None
    if data.get("category"):
        category = selectors.category_list().filter(code=data["category"]).first()
        if category is None:
            raise exceptions.ValidationError({"category": [_("No such category.")]})
    return selectors.Filters(category=category, status=data.get("status", ""),
                             municipality_id=data.get("municipality"), organisation_id=data.get("organisation"),
                             date_from=data.get("date_from"), date_to=data.get("date_to"),
                             overdue=data.get("overdue", False), text=(data.get("text") or "").strip(),
                             body=(data.get("body") or "").strip())


class ProblemReportIn(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.filter(is_active=True))
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    description = serializers.CharField(max_length=4000)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


# --- views --------------------------------------------------------------------------------------

@extend_schema(tags=["problems"])
class CategoryList(ProblemsView):
    """The themes residents choose (the leaves of the tree)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ProblemCategoryOut(many=True))
    def get(self, request):
        return Response(ProblemCategoryOut(selectors.category_leaves(), many=True).data)


@extend_schema(tags=["problems"])
class ProblemList(PublicWrite):
    """Published problems (filters); a resident with a confirmed e-mail reports one (POST, multipart for photos)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else default_throttles()

    @extend_schema(parameters=[ProblemListQuery], responses=ProblemOut(many=True))
    def get(self, request):
        query = ProblemListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.problem_list(filters=_filters(query.validated_data), order=query.validated_data["order"]),
            request, view=self)
        return paginator.get_paginated_response(ProblemOut(page, many=True).data)

    @extend_schema(request=ProblemReportIn, responses={201: ProblemDetailOut, **errors(400, 401, 403)})
    def post(self, request):
        data = self.body(ProblemReportIn)
        if hasattr(request.data, "getlist"):
            data["photos"] = request.FILES.getlist("photos")
        problem = services.problem_report(actor=request.user, source=Problem.Source.API, **data)
        return Response(ProblemDetailOut(self.problem(problem.pk), context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ProblemMapOut(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["points", "clusters"])
    clusters = serializers.ListField(child=serializers.DictField(), required=False)
    points = serializers.ListField(child=serializers.DictField())
    truncated = serializers.BooleanField(required=False)


@extend_schema(tags=["problems"])
class ProblemMap(ProblemsView):
    """Published problems in a bounding box: points close up (zoom ≥ 15), server-side clusters further out."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[
        OpenApiParameter("bbox", OpenApiTypes.STR, required=True, description="west,south,east,north"),
        OpenApiParameter("zoom", OpenApiTypes.INT, required=True), ProblemListQuery], responses={200: ProblemMapOut,
                                                                                           **errors(400)})
    def get(self, request):
        try:
            bbox = selectors.parse_bbox(request.query_params.get("bbox", ""))
            zoom = int(request.query_params.get("zoom", ""))
        except ValueError:
            raise exceptions.ValidationError({"bbox": [_("Give bbox=west,south,east,north and a zoom.")]}) from None
        query = ProblemListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.map_features(bbox=bbox, zoom=zoom, filters=_filters(query.validated_data)))


@extend_schema(tags=["problems"])
class ProblemDetail(ProblemsView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: ProblemDetailOut, **errors(404)})
    def get(self, request, pk: int):
        return Response(ProblemDetailOut(self.problem(pk), context={"request": request}).data)


def _out(view, pk: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(ProblemDetailOut(view.problem(pk), context={"request": view.request}).data, status=code)


@extend_schema(tags=["problems"])
class ProblemEndorse(PublicWrite):
    """"Me too" (once per resident), or take it back."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: ProblemDetailOut, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        services.problem_endorse(actor=request.user, problem=self.problem(pk))
        return _out(self, pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **errors(400, 401, 403, 404)})
    def delete(self, request, pk: int):
        services.problem_unendorse(actor=request.user, problem=self.problem(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["problems"])
class ProblemFollow(PublicWrite):
    """Follow a published problem's changes (in-app and e-mail), or stop following."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        services.problem_subscribe(actor=request.user, problem=self.problem(pk), on=True)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None, **errors(400, 401, 403, 404)})
    def delete(self, request, pk: int):
        services.problem_subscribe(actor=request.user, problem=self.problem(pk), on=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProblemRateIn(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ProblemReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


@extend_schema(tags=["problems"])
class ProblemRate(PublicWrite):
    """The author or a supporter rates the result 1–5, once per fix cycle; 1 or 2 with a comment reopens it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ProblemRateIn, responses={200: ProblemDetailOut, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        services.problem_rate(actor=request.user, problem=self.problem(pk), **self.body(ProblemRateIn))
        return _out(self, pk)


@extend_schema(tags=["problems"])
class ProblemReopen(PublicWrite):
    """The author or a supporter says it is not fixed: back to the body with a new deadline and a new cycle."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ProblemReasonIn, responses={200: ProblemDetailOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        services.problem_reopen(actor=request.user, problem=self.problem(pk), **self.body(ProblemReasonIn))
        return _out(self, pk)


class ProblemPublishIn(serializers.Serializer):
    public_description = serializers.CharField(required=False, max_length=4000)
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.filter(is_active=True),
                                            required=False)
    organisation = serializers.PrimaryKeyRelatedField(queryset=organisation_list(), required=False)


class ProblemMergeIn(serializers.Serializer):
    into = serializers.IntegerField(min_value=1)


class ProblemAnswerIn(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Problem.Answer.choices)
    text = serializers.CharField(max_length=4000)
    planned_date = serializers.DateField(required=False, allow_null=True, default=None)
    programme = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ProblemReassignIn(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=organisation_list())
    reason = serializers.CharField(max_length=2000)


ACTIONS = {
    "publish": (ProblemPublishIn, "Publish a report awaiting moderation and route it (moderators)."),
    "reject": (ProblemReasonIn, "Reject a report awaiting moderation with a reason the author is sent (moderators)."),
    "merge": (ProblemMergeIn, "Close a duplicate into the original, moving endorsements (moderators)."),
    "take": (None, "Take the problem in work (the responsible body)."),
    "answer": (ProblemAnswerIn, "Answer: fixed (with photos), planned (a date), declined (the responsible body)."),
    "reassign": (ProblemReassignIn, "Pass the problem to another body with a reason."),
}


def _staff_view(action: str):
    serializer, doc = ACTIONS[action]

    @extend_schema(tags=["problems"])
    class StaffAction(ProblemsView):
        permission_classes = [permissions.IsAuthenticated]
        parser_classes = [MultiPartParser, FormParser, JSONParser]

        @extend_schema(request=serializer, responses={200: ProblemDetailOut, **errors(400, 401, 403, 404)},
                       operation_id=f"problems_{action}", description=doc)
        def post(self, request, pk: int):
            problem = self.problem(pk)
            data = self.body(serializer) if serializer else {}
            if action == "answer" and hasattr(request.data, "getlist"):
                data["photos"] = request.FILES.getlist("photos")
            if action == "merge":
                data["into"] = self.problem(data["into"])
            getattr(services, f"problem_{action}")(actor=request.user, problem=problem, **data)
            return _out(self, pk)

    StaffAction.__name__ = StaffAction.__qualname__ = f"Problem{action.capitalize()}"
    return StaffAction
