"""API of search: ``/api/v1/search/?q=&kinds=&limit=&offset=`` over everything the caller may see."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.search import query as text_query
from krai.core.search import selectors


class ResultSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="app_label.model of the object found")
    target_id = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: escaped text with the matched words in <mark>")
    rank = serializers.FloatField()
    updated_at = serializers.DateTimeField()


def _bounded(request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("Give a whole number.")]}) from None
    if not 0 <= value <= maximum:
        raise ValidationError({name: [_("Give a number from 0 to %(max)s.") % {"max": maximum}]})
    return value


class Search(APIView):
    """Full-text search; anonymous callers find public entries only. ``kinds``: comma-separated app_label.model."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Words to find (operators are ignored)."),
        OpenApiParameter("kinds", OpenApiTypes.STR, description="e.g. problems.problem,orders.order"),
        OpenApiParameter("limit", OpenApiTypes.INT, description=f"1–{selectors.MAX_LIMIT}, default 20"),
        OpenApiParameter("offset", OpenApiTypes.INT)],
        responses=inline_serializer("SearchResults", {"query": serializers.CharField(),
                                                      "results": ResultSerializer(many=True)}))
    def get(self, request):
        q = request.query_params.get("q", "").strip()
        if not q:
            raise ValidationError({"q": [_("Say what to find.")]})
        if len(q) > text_query.MAX_QUERY:
            raise ValidationError({"q": [_("A query is at most %(max)s characters.") % {"max": text_query.MAX_QUERY}]})
        limit = _bounded(request, "limit", 20, selectors.MAX_LIMIT) or 20
        offset = _bounded(request, "offset", 0, 10_000)
        kinds = [kind for kind in request.query_params.get("kinds", "").split(",") if kind.strip()]
        results = selectors.search(user=request.user, query=q, kinds=kinds, limit=limit, offset=offset)
        return Response({"query": q, "results": ResultSerializer(results, many=True).data})


urlpatterns = [path("search/", Search.as_view(), name="search")]
