"""API of the kernel's audit: GET /api/v1/audit/ with the page's filters."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers

from krai.core.audit import selectors
from krai.core.audit.filters import AuditFilterForm
from krai.core.audit.models import AuditEntry


class CanViewAudit(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return selectors.can_view_audit(request.user)


class AuditEntrySerializer(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "source", "event_id", "kind", "occurred_at", "actor", "actor_repr", "deputy", "deputy_repr",
                  "subject_type",
                  "subject_id", "subject_repr", "payload", "ip_address", "user_agent", "request_id"]

    def get_subject_type(self, entry: AuditEntry) -> str | None:
        return f"{entry.subject_type.app_label}.{entry.subject_type.model}" if entry.subject_type_id else None


@extend_schema(parameters=[
    OpenApiParameter("kind", OpenApiTypes.STR, description="Exact kind, or a prefix ending in * (org.*)."),
    OpenApiParameter("actor", OpenApiTypes.STR, description="User id or part of an e-mail address; also finds the "
                     "entries where he acted for someone as a deputy."),
    OpenApiParameter("date_from", OpenApiTypes.DATE), OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("subject", OpenApiTypes.STR, description="app.model or app.model:id"),
])
class AuditEntryList(generics.ListAPIView):
    """The audit trail, newest first (administrators and controllers)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [permissions.IsAuthenticated, CanViewAudit]

    def get_queryset(self):
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        return selectors.audit_entries(user=self.request.user, **form.filters())


urlpatterns = [
    path("audit/", AuditEntryList.as_view(), name="audit-list"),
]
