"""API of the control engine and orders: thin views (input serializer → service → output serializer)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.orders import dashboard, selectors, services
from krai.orders.models import Extension, Order, Priority, SourceType
from krai.org.models import Organisation, User

ERRORS = {
    400: OpenApiResponse(description=_('Invalid input: {"error": {"status", "code", "message", "fields"}}')),
    401: OpenApiResponse(description=_("Not signed in")),
    403: OpenApiResponse(description=_("Not allowed; the message says why")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller (the same answer)")),
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


class StaffOnly(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class OrdersView(APIView):
    permission_classes = [permissions.IsAuthenticated, StaffOnly]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)

    def body(self, serializer_class) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def query(self, serializer_class) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def assignment(self, pk):
        return selectors.assignment_get_for_user(user=self.request.user, pk=pk)


def _organisations():
    return Organisation.objects.filter(is_active=True)


def _staff():
    return User.objects.filter(is_staff=True, is_active=True)


# --- output ------------------------------------------------------------------------------------------

class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


class AssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    subject_type = serializers.CharField(source="subject_label")
    subject_id = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    root_id = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField(help_text="issued, in_progress, reported, done, cancelled")
    issued_on = serializers.DateField()
    deadline = serializers.DateField()
    original_deadline = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    late = serializers.BooleanField(source="is_late")
    executor_organisation = serializers.SerializerMethodField()
    executor_user = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()
    controller_organisation = serializers.SerializerMethodField()

    def get_overdue(self, a) -> bool:
        return a.is_overdue()

    @extend_schema_field(Ref)
    def get_executor_organisation(self, a) -> dict:
        return ref(a.executor_organisation)

    @extend_schema_field(Ref(allow_null=True))
    def get_executor_user(self, a) -> dict | None:
        return ref(a.executor_user)

    @extend_schema_field(Ref(allow_null=True))
    def get_issuer(self, a) -> dict | None:
        return ref(a.issuer)

    @extend_schema_field(Ref(allow_null=True))
    def get_controller_organisation(self, a) -> dict | None:
        return ref(a.controller_organisation)


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    submitted_on = serializers.DateField()
    decision = serializers.CharField(help_text="pending, accepted, returned, withdrawn")
    reason = serializers.CharField()


class ExtensionOut(serializers.Serializer):
    id = serializers.IntegerField()
    assignment_id = serializers.IntegerField()
    reason = serializers.CharField()
    requested_deadline = serializers.DateField()
    previous_deadline = serializers.DateField()
    status = serializers.CharField(help_text="requested, granted, refused")
    granted_deadline = serializers.DateField(allow_null=True)
    answer = serializers.CharField()


class AssignmentDetailOut(AssignmentOut):
    reports = ReportOut(many=True, source="reports.all")
    extensions = ExtensionOut(many=True, source="extensions.all")
    children = serializers.SerializerMethodField()

    def get_children(self, a) -> list[int]:
        user = self.context.get("user")  # only the branches the caller may see (none without a caller)
        if user is None:
            return []
        return list(selectors.assignments_visible_to(user).filter(parent=a).order_by("id").values_list("pk", flat=True))


class TransitionOut(serializers.Serializer):
    id = serializers.IntegerField()
    assignment_id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    status = serializers.CharField()
    deadline = serializers.DateField()
    actor = serializers.SerializerMethodField()
    note = serializers.CharField()

    @extend_schema_field(Ref(allow_null=True))
    def get_actor(self, t) -> dict | None:
        return ref(t.actor)


# --- assignments -------------------------------------------------------------------------------------

class ListQuery(serializers.Serializer):
    list = serializers.ChoiceField(choices=selectors.LISTS, default="all")
    kind = serializers.CharField(required=False, default="")
    status = serializers.RegexField(r"^(issued|in_progress|reported|done|cancelled)$", required=False,
                                    help_text="issued, in_progress, reported, done, cancelled")
    block = serializers.IntegerField(required=False, min_value=0)
    body = serializers.IntegerField(required=False, min_value=0)
    executor = serializers.IntegerField(required=False, min_value=0)
    issuer = serializers.IntegerField(required=False, min_value=0)
    bucket = serializers.ChoiceField(choices=["total", "done", "open", "overdue", "late"], required=False)
    top = serializers.BooleanField(required=False, default=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    source = serializers.ChoiceField(choices=SourceType.choices, required=False)
    period_from = serializers.DateField(required=False, help_text="deadline from")
    period_to = serializers.DateField(required=False, help_text="deadline to")
    as_of = serializers.DateField(required=False, help_text="as of the end of that day, from the history")


def list_filter(data: dict) -> selectors.ListFilter:
    return selectors.ListFilter(which=data.get("list", "all"), kind=data.get("kind", ""),
                                status=data.get("status", ""), block=data.get("block"), body=data.get("body"),
                                executor=data.get("executor"), issuer=data.get("issuer"),
                                bucket=data.get("bucket", ""), top_only=data.get("top", False),
                                priority=data.get("priority", ""), source=data.get("source", ""),
                                period_from=data.get("period_from"), period_to=data.get("period_to"),
                                as_of=data.get("as_of"))


class AssignmentList(OrdersView):
    @extend_schema(parameters=[ListQuery], responses={200: AssignmentOut(many=True), **errors(400, 401, 403)},
                   summary="Assignments visible to the caller (mine, given, to_accept, overdue, all)")
    def get(self, request):
        qs = selectors.assignment_list(user=request.user, filters=list_filter(self.query(ListQuery)))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs.select_related("controller_organisation", "subject_type"), request,
                                           view=self)
        return paginator.get_paginated_response(AssignmentOut(page, many=True).data)


class AssignmentDetail(OrdersView):
    @extend_schema(responses={200: AssignmentDetailOut, **errors(401, 403, 404)}, summary="One assignment")
    def get(self, request, pk: int):
        return Response(AssignmentDetailOut(self.assignment(pk), context={"user": request.user}).data)


class AssignmentHistory(OrdersView):
    @extend_schema(responses={200: TransitionOut(many=True), **errors(401, 403, 404)},
                   summary="The assignment's history (append-only), with its delegated parts")
    def get(self, request, pk: int):
        a = self.assignment(pk)
        return Response(TransitionOut(selectors.history(a), many=True).data)


class DelegateIn(serializers.Serializer):
    executor_organisation = serializers.PrimaryKeyRelatedField(queryset=_organisations(), required=False,
                                                               allow_null=True)
    executor_user = serializers.PrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)
    deadline = serializers.DateField()
    text = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)


class ReportIn(serializers.Serializer):
    """JSON with the text alone, or multipart with up to five ``photos`` (images; listed afterwards by the files
    API with ``target_type=orders.report``)."""

    text = serializers.CharField(max_length=20000)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=5,
                                   help_text="Up to 5 images (JPEG, PNG, WebP, GIF), multipart only")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=20000)


class ReassignIn(ReasonIn):
    executor_organisation = serializers.PrimaryKeyRelatedField(queryset=_organisations())
    executor_user = serializers.PrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)


class DeadlineIn(ReasonIn):
    deadline = serializers.DateField()


class Empty(serializers.Serializer):
    pass


class _Action(OrdersView):
    input: type[serializers.Serializer] = Empty

    def act(self, assignment, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int):
        assignment = self.assignment(pk)
        data = self.body(self.input)
        result = self.act(assignment, data)
        if isinstance(result, Extension):
            return Response(ExtensionOut(result).data, status=status.HTTP_201_CREATED)
        result.refresh_from_db()
        return Response(AssignmentOut(result).data,
                        status=status.HTTP_201_CREATED if result.pk != assignment.pk else status.HTTP_200_OK)


def _action(name: str, input_cls, summary: str, call, out=AssignmentOut, created: bool = False):
    code = 201 if created else 200

    @extend_schema(request=input_cls if input_cls is not Empty else None,
                   responses={code: out, **errors(400, 401, 403, 404)}, summary=summary)
    def post(self, request, pk: int):
        return _Action.post(self, request, pk)

    return type(name, (_Action,), {"input": input_cls, "act": lambda self, a, d: call(self.request.user, a, d),
                                   "post": post})


AssignmentDelegate = _action(
    "AssignmentDelegate", DelegateIn, "Delegate to a unit or a person under the executor (a child)",
    lambda u, a, d: services.control_delegate(actor=u, assignment=a, **d), created=True)
AssignmentStart = _action("AssignmentStart", Empty, "Take into work",
                          lambda u, a, d: services.control_start(actor=u, assignment=a))
AssignmentReport = _action("AssignmentReport", ReportIn, "Submit the execution report",
                           lambda u, a, d: services.control_report(actor=u, assignment=a, **d).assignment)
AssignmentAccept = _action("AssignmentAccept", Empty, "Accept the report: removed from control as executed",
                           lambda u, a, d: services.control_accept(actor=u, assignment=a))
AssignmentReturn = _action("AssignmentReturn", ReasonIn, "Return the report for rework with a reason",
                           lambda u, a, d: services.control_return(actor=u, assignment=a, **d))
AssignmentReassign = _action("AssignmentReassign", ReassignIn, "Give to another executor",
                             lambda u, a, d: services.control_reassign(actor=u, assignment=a, **d))
AssignmentCancel = _action("AssignmentCancel", ReasonIn, "Cancel (with everything delegated from it)",
                           lambda u, a, d: services.control_cancel(actor=u, assignment=a, **d))
AssignmentExtend = _action("AssignmentExtend", DeadlineIn, "Move the deadline (issuer); the original is kept",
                           lambda u, a, d: services.control_extend(actor=u, assignment=a, **d))
AssignmentRequestExtension = _action(
    "AssignmentRequestExtension", DeadlineIn, "Ask the issuer for a later deadline",
    lambda u, a, d: services.control_extension_request(actor=u, assignment=a, **d), out=ExtensionOut, created=True)


class DecideIn(serializers.Serializer):
    grant = serializers.BooleanField()
    deadline = serializers.DateField(required=False, allow_null=True)
    answer = serializers.CharField(required=False, default="", allow_blank=True, max_length=20000)


class ExtensionDecide(OrdersView):
    @extend_schema(request=DecideIn, responses={200: ExtensionOut, **errors(400, 401, 403, 404)},
                   summary="Grant or refuse an extension request")
    def post(self, request, pk: int):
        extension = Extension.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if extension is None:
            raise exceptions.NotFound()
        self.assignment(extension.assignment_id)  # 404 unless visible
        data = self.body(DecideIn)
        result = services.control_extension_decide(actor=request.user, extension=extension, **data)
        return Response(ExtensionOut(result).data)


# --- orders ------------------------------------------------------------------------------------------

class OrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    source_type = serializers.CharField(help_text="protocol, decree, letter, resolution, other")
    source_reference = serializers.CharField()
    source_date = serializers.DateField(allow_null=True)
    priority = serializers.CharField(help_text="immediate, very_urgent, urgent, prompt, ordinary, monthly, quarterly")
    is_draft = serializers.BooleanField()
    issuer = serializers.SerializerMethodField()
    lead_organisation = serializers.SerializerMethodField()
    controller_organisation = serializers.SerializerMethodField()
    deadline = serializers.DateField(allow_null=True)
    working_days = serializers.IntegerField(allow_null=True)
    period = serializers.CharField()
    period_until = serializers.DateField(allow_null=True)
    assignment_id = serializers.IntegerField(allow_null=True)
    status = serializers.SerializerMethodField()

    @extend_schema_field(Ref)
    def get_issuer(self, o) -> dict:
        return ref(o.issuer)

    @extend_schema_field(Ref)
    def get_lead_organisation(self, o) -> dict:
        return ref(o.lead_organisation)

    @extend_schema_field(Ref)
    def get_controller_organisation(self, o) -> dict:
        return ref(o.controller_organisation)

    def get_status(self, o) -> str:
        return "draft" if o.is_draft else o.assignment.status


class CoExecutorIn(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=_organisations())
    user = serializers.PrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)


class ControlPointIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    deadline = serializers.DateField()


class OrderIn(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(max_length=20000)
    source_type = serializers.ChoiceField(choices=SourceType.choices, default=SourceType.PROTOCOL)
    source_reference = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    source_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.ORDINARY)
    lead_organisation = serializers.PrimaryKeyRelatedField(queryset=_organisations())
    lead_user = serializers.PrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)
    controller_organisation = serializers.PrimaryKeyRelatedField(queryset=_organisations())
    deadline = serializers.DateField(required=False, allow_null=True)
    working_days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=3650)
    period = serializers.ChoiceField(choices=Order.Period.choices, required=False, default="")
    period_until = serializers.DateField(required=False, allow_null=True)
    co_executors = CoExecutorIn(many=True, required=False)
    control_points = ControlPointIn(many=True, required=False)
    issue = serializers.BooleanField(default=False, help_text="Issue at once (else a draft is kept)")


class OrderList(OrdersView):
    @extend_schema(responses={200: OrderOut(many=True), **errors(401, 403)}, summary="Orders visible to the caller")
    def get(self, request):
        qs = selectors.orders_visible_to(request.user).select_related(
            "issuer", "lead_organisation", "controller_organisation", "assignment")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(OrderOut(page, many=True).data)

    @extend_schema(request=OrderIn, responses={201: OrderOut, **errors(400, 401, 403)},
                   summary="Draft an order (and issue it at once with issue=true)")
    def post(self, request):
        data = self.body(OrderIn)
        issue = data.pop("issue", False)
        co = [(c["organisation"], c.get("user")) for c in data.pop("co_executors", [])]
        points = [(p["title"], p["deadline"]) for p in data.pop("control_points", [])]
        from django.db import transaction

        with transaction.atomic():
            order = services.order_create(actor=request.user, co_executors=co, control_points=points, **data)
            if issue:
                order = services.order_issue(actor=request.user, order=order)
        return Response(OrderOut(order).data, status=status.HTTP_201_CREATED)


class OrderDetail(OrdersView):
    @extend_schema(responses={200: OrderOut, **errors(401, 403, 404)}, summary="One order")
    def get(self, request, pk: int):
        return Response(OrderOut(selectors.order_get_for_user(user=request.user, pk=pk)).data)


class OrderIssue(OrdersView):
    @extend_schema(request=None, responses={200: OrderOut, **errors(400, 401, 403, 404)},
                   summary="Issue a draft: it is taken on control")
    def post(self, request, pk: int):
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        return Response(OrderOut(services.order_issue(actor=request.user, order=order)).data)


class OrderTree(OrdersView):
    @extend_schema(responses={200: AssignmentOut(many=True), **errors(401, 403, 404)},
                   summary="The delegation tree of an issued order as far as the caller's scope reaches "
                           "(depth-first, with the path from the root down to it)")
    def get(self, request, pk: int):
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        rows = selectors.tree_for_user(user=request.user, root=order.assignment).rows if order.assignment_id else []
        return Response(AssignmentOut(rows, many=True).data)


# --- dashboard ---------------------------------------------------------------------------------------

class DashboardQuery(serializers.Serializer):
    level = serializers.ChoiceField(choices=dashboard.LEVELS, default="region")
    block = serializers.IntegerField(required=False, min_value=1)
    body = serializers.IntegerField(required=False, min_value=1)
    executor = serializers.IntegerField(required=False, min_value=1)
    period_from = serializers.DateField(required=False)
    period_to = serializers.DateField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    source = serializers.ChoiceField(choices=SourceType.choices, required=False)
    kind = serializers.CharField(required=False, max_length=40)
    as_of = serializers.DateField(required=False)


class DashboardRowOut(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    late = serializers.IntegerField()
    shares = serializers.DictField(child=serializers.FloatField())
    drill = serializers.DictField()
    link = serializers.DictField()


class DashboardOut(serializers.Serializer):
    level = serializers.CharField()
    title = serializers.CharField()
    today = serializers.DateField()
    as_of = serializers.DateField(allow_null=True)
    rows = DashboardRowOut(many=True)
    totals = DashboardRowOut()


class Dashboard(OrdersView):
    @extend_schema(parameters=[DashboardQuery], responses={200: DashboardOut, **errors(400, 401, 403)},
                   summary="Complete / incomplete / overdue counts at one drill-down level")
    def get(self, request):
        if not request.user.has_perm("orders.view_dashboard"):
            raise exceptions.PermissionDenied()
        q = self.query(DashboardQuery)
        filters = dashboard.Filters(period_from=q.get("period_from"), period_to=q.get("period_to"),
                                    priority=q.get("priority", ""), source=q.get("source", ""), kind=q.get("kind", ""))
        load = dashboard.control_load(user=request.user, level=q["level"], block=q.get("block"), body=q.get("body"),
                                      executor=q.get("executor"), filters=filters, as_of=q.get("as_of"))
        return Response(DashboardOut(load).data)
