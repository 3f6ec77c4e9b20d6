"""API views of the organisation structure: input serializer → permission → service or selector →
output serializer. Public structure is open to all; internal data is scoped; writes are for
administrators (401 for anonymous, 403 for others)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from krai.org import selectors, services
from krai.org.api import serializers as s
from krai.org.models import Block, Municipality, Organisation, Position, RoleAssignment, User

CHANGE_STRUCTURE = "org.change_structure"
MANAGE_USERS = "org.manage_users"
PUBLIC = "public"
SIGNED_IN = "signed_in"

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: {\"error\": {\"status\", \"code\", \"message\", \"fields\"}}")),
    401: OpenApiResponse(description=_("Not signed in")),
    403: OpenApiResponse(description=_("Signed in, but not allowed")),
    404: OpenApiResponse(description=_("Missing, or out of the caller's scope (the same answer)")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class ActionPermission(BasePermission):
    """Each view names the rule for each action in ``rules_by_action`` (PUBLIC, SIGNED_IN or a rule)."""

    def has_permission(self, request, view) -> bool:
        rule = view.rules_by_action.get(view.action)
        if rule is None:  # an action nobody named (OPTIONS and the like): reads are public, writes refused
            rule = PUBLIC if request.method in SAFE_METHODS else CHANGE_STRUCTURE
        if rule == PUBLIC:
            return True
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated()
        return rule == SIGNED_IN or request.user.has_perm(rule)


class OrgViewSet(GenericViewSet):
    permission_classes = [ActionPermission]
    lookup_value_regex = r"\d+"
    rules_by_action: dict[str, str] = {}

    def get_authenticate_header(self, request) -> str:
        # a 401 needs a challenge; until token authentication names its own, say what clients send
        return super().get_authenticate_header(request) or 'Token realm="api"'

    def query(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def body(self, serializer_class: type[Serializer], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def paginated(self, queryset, serializer_class: type[Serializer]) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True, context={"request": self.request}).data)

    def may(self, rule: str) -> bool:
        return bool(self.request.user.is_authenticated and self.request.user.has_perm(rule))


# --- municipalities -------------------------------------------------------------------------------

FORMAT = OpenApiParameter("format", str, enum=["json", "geojson"], required=False,
                          description=_("geojson: a FeatureCollection (list) or a Feature (detail)"))


@extend_schema(tags=["structure"])
@extend_schema_view(
    list=extend_schema(summary=_("Municipalities"), parameters=[s.MunicipalityListQuery, FORMAT],
                       responses={(200, "application/json"): s.MunicipalityOut(many=True),
                                  (200, "application/geo+json"): s.FeatureCollectionOut, **errors(400)}),
    retrieve=extend_schema(summary=_("A municipality with its boundary"), parameters=[FORMAT],
                           responses={(200, "application/json"): s.MunicipalityDetailOut,
                                      (200, "application/geo+json"): OpenApiTypes.OBJECT, **errors(404)}),
    create=extend_schema(summary=_("Add a municipality"), request=s.MunicipalityIn,
                         responses={201: s.MunicipalityDetailOut, **errors(400, 401, 403)}),
    partial_update=extend_schema(summary=_("Change a municipality"), request=s.MunicipalityIn,
                                 responses={200: s.MunicipalityDetailOut, **errors(400, 401, 403, 404)}),
)
class MunicipalityViewSet(OrgViewSet):
    """The region's municipalities: public, with boundaries as GeoJSON."""

    queryset = Municipality.objects.none()
    rules_by_action = {"list": PUBLIC, "retrieve": PUBLIC, "locate": PUBLIC, "create": CHANGE_STRUCTURE,
                       "partial_update": CHANGE_STRUCTURE, "deactivate": CHANGE_STRUCTURE}

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action in ("list", "retrieve"):  # the reads a map asks for as GeoJSON
            renderers.append(GeoJSONRenderer())
        return renderers

    def _get(self, pk) -> Municipality:
        return selectors.municipality_get(int(pk), include_inactive=self.may(CHANGE_STRUCTURE))

    def list(self, request):
        query = self.query(s.MunicipalityListQuery)
        if request.accepted_renderer.format == "geojson":
            return Response(selectors.municipality_geojson())
        include_inactive = query["include_inactive"] and self.may(CHANGE_STRUCTURE)
        return self.paginated(selectors.municipality_list(include_inactive=include_inactive), s.MunicipalityOut)

    def retrieve(self, request, pk=None):
        municipality = self._get(pk)
        if request.accepted_renderer.format == "geojson":
            return Response(selectors.municipality_feature(municipality))
        return Response(s.MunicipalityDetailOut(municipality).data)

    def create(self, request):
        municipality = services.municipality_create(actor=request.user, **self.body(s.MunicipalityIn))
        return Response(s.MunicipalityDetailOut(municipality).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        municipality = services.municipality_update(actor=request.user, municipality=self._get(pk),
                                                    **self.body(s.MunicipalityIn, partial=True))
        return Response(s.MunicipalityDetailOut(municipality).data)

    @extend_schema(summary=_("Retire a municipality"), request=None,
                   responses={200: s.MunicipalityDetailOut, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        municipality = services.municipality_deactivate(actor=request.user, municipality=self._get(pk))
        return Response(s.MunicipalityDetailOut(municipality).data)

    @extend_schema(summary=_("The municipality containing a point"), parameters=[s.LocateQuery],
                   responses={200: s.MunicipalityOut, **errors(400, 404)})
    @action(detail=False, methods=["get"])
    def locate(self, request):
        point = self.query(s.LocateQuery)
        municipality = selectors.municipality_at(point["lon"], point["lat"])
        if municipality is None:
            raise NotFound(_("No municipality of the region contains this point."))
        return Response(s.MunicipalityOut(municipality).data)


class MunicipalityGeoJSONView(APIView):
    """All municipalities as one GeoJSON FeatureCollection (for maps; cached until one changes)."""

    permission_classes: list = []
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(tags=["structure"], summary=_("Municipalities as GeoJSON"),
                   responses={(200, "application/geo+json"): s.FeatureCollectionOut})
    def get(self, request):
        return Response(selectors.municipality_geojson())


# --- blocks ---------------------------------------------------------------------------------------

@extend_schema(tags=["structure"])
@extend_schema_view(
    list=extend_schema(summary=_("Vice-governors' blocks"), responses={200: s.BlockOut(many=True)}),
    retrieve=extend_schema(summary=_("A block"), responses={200: s.BlockOut, **errors(404)}),
    create=extend_schema(summary=_("Open a block"), request=s.BlockIn,
                         responses={201: s.BlockOut, **errors(400, 401, 403)}),
    partial_update=extend_schema(summary=_("Change a block"), request=s.BlockIn,
                                 responses={200: s.BlockOut, **errors(400, 401, 403, 404)}),
)
class BlockViewSet(OrgViewSet):
    queryset = Block.objects.none()
    rules_by_action = {"list": PUBLIC, "retrieve": PUBLIC, "create": CHANGE_STRUCTURE,
                       "partial_update": CHANGE_STRUCTURE, "deactivate": CHANGE_STRUCTURE}

    def _get(self, pk) -> Block:
        return selectors.block_get(int(pk), include_inactive=self.may(CHANGE_STRUCTURE))

    def list(self, request):
        return self.paginated(selectors.block_list(), s.BlockOut)

    def retrieve(self, request, pk=None):
        return Response(s.BlockOut(self._get(pk)).data)

    def create(self, request):
        block = services.block_create(actor=request.user, **self.body(s.BlockIn))
        return Response(s.BlockOut(block).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        block = services.block_update(actor=request.user, block=self._get(pk), **self.body(s.BlockIn, partial=True))
        return Response(s.BlockOut(block).data)

    @extend_schema(summary=_("Close a block"), request=None, responses={200: s.BlockOut, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return Response(s.BlockOut(services.block_deactivate(actor=request.user, block=self._get(pk))).data)


# --- organisations --------------------------------------------------------------------------------

@extend_schema(tags=["structure"])
@extend_schema_view(
    list=extend_schema(summary=_("The register of bodies and units"), parameters=[s.OrganisationListQuery],
                       responses={200: s.OrganisationOut(many=True), **errors(400)}),
    retrieve=extend_schema(summary=_("An organisation"), responses={200: s.OrganisationOut, **errors(404)}),
    create=extend_schema(summary=_("Add an organisation"), request=s.OrganisationIn,
                         responses={201: s.OrganisationOut, **errors(400, 401, 403)}),
    partial_update=extend_schema(summary=_("Change or move an organisation"), request=s.OrganisationIn,
                                 responses={200: s.OrganisationOut, **errors(400, 401, 403, 404)}),
)
class OrganisationViewSet(OrgViewSet):
    queryset = Organisation.objects.none()
    rules_by_action = {"list": PUBLIC, "retrieve": PUBLIC, "tree": PUBLIC, "staffing": PUBLIC,
                       "people": SIGNED_IN, "create": CHANGE_STRUCTURE, "partial_update": CHANGE_STRUCTURE,
                       "deactivate": CHANGE_STRUCTURE}

    def _get(self, pk) -> Organisation:
        return selectors.organisation_get(int(pk), include_inactive=self.may(CHANGE_STRUCTURE))

    def list(self, request):
        query = self.query(s.OrganisationListQuery)
        parent = query.get("parent")
        roots_only = parent is not None and parent.lower() in ("none", "null", "")
        if parent is not None and not roots_only and not parent.isdigit():
            raise ValidationError({"parent": [_("Give a parent's id, or \"none\" for top-level bodies.")]})
        qs = selectors.organisation_list(block_id=query.get("block"), kind=query.get("kind"),
                                         parent_id=None if roots_only or parent is None else int(parent),
                                         roots_only=roots_only, municipality_id=query.get("municipality"))
        return self.paginated(qs, s.OrganisationOut)

    def retrieve(self, request, pk=None):
        return Response(s.OrganisationOut(self._get(pk)).data)

    def create(self, request):
        organisation = services.organisation_create(actor=request.user, **self.body(s.OrganisationIn))
        return Response(s.OrganisationOut(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        organisation = services.organisation_update(actor=request.user, organisation=self._get(pk),
                                                    **self.body(s.OrganisationIn, partial=True))
        return Response(s.OrganisationOut(organisation).data)

    @extend_schema(summary=_("Liquidate an organisation and its units"), request=None,
                   responses={200: s.OrganisationOut, **errors(401, 403, 404)})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        organisation = services.organisation_deactivate(actor=request.user, organisation=self._get(pk))
        return Response(s.OrganisationOut(organisation).data)

    @extend_schema(summary=_("The structure as a tree"), parameters=[s.TreeQuery],
                   responses={200: s.OrganisationTreeOut(many=True), **errors(400, 404)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def tree(self, request):
        query = self.query(s.TreeQuery)
        root = selectors.organisation_get(query["root"]) if query.get("root") else None
        nodes = selectors.organisation_tree(root=root, block_id=query.get("block"))
        return Response(s.OrganisationTreeOut(nodes, many=True).data)

    @extend_schema(summary=_("Posts, holders and vacancies of an organisation and its units"),
                   responses={200: s.StaffingOut, **errors(404)})
    @action(detail=True, methods=["get"])
    def staffing(self, request, pk=None):
        return Response(s.StaffingOut(selectors.staffing(selectors.organisation_get(int(pk)))).data)

    @extend_schema(summary=_("People of an organisation (internal: contacts and roles)"),
                   responses={200: s.PeopleOut, **errors(401, 404)})
    @action(detail=True, methods=["get"])
    def people(self, request, pk=None):
        return Response(s.PeopleOut(selectors.organisation_people(user=request.user, pk=int(pk))).data)


# --- positions ------------------------------------------------------------------------------------

@extend_schema(tags=["structure"])
@extend_schema_view(
    list=extend_schema(summary=_("The staffing: posts with holders (null: a vacancy)"),
                       parameters=[s.PositionListQuery], responses={200: s.PositionOut(many=True), **errors(400)}),
    retrieve=extend_schema(summary=_("A post"), responses={200: s.PositionOut, **errors(404)}),
    create=extend_schema(summary=_("Add a post"), request=s.PositionIn,
                         responses={201: s.PositionOut, **errors(400, 401, 403)}),
    partial_update=extend_schema(summary=_("Change a post"), request=s.PositionUpdateIn,
                                 responses={200: s.PositionOut, **errors(400, 401, 403, 404)}),
    destroy=extend_schema(summary=_("Abolish a post"), responses={204: None, **errors(401, 403, 404)}),
)
class PositionViewSet(OrgViewSet):
    queryset = Position.objects.none()
    rules_by_action = {"list": PUBLIC, "retrieve": PUBLIC, "create": CHANGE_STRUCTURE,
                       "partial_update": CHANGE_STRUCTURE, "destroy": CHANGE_STRUCTURE, "assign": MANAGE_USERS,
                       "vacate": MANAGE_USERS}

    def _get(self, pk) -> Position:
        return selectors.position_get(int(pk))

    def list(self, request):
        query = self.query(s.PositionListQuery)
        qs = selectors.position_list(organisation_id=query.get("organisation"), block_id=query.get("block"),
                                     vacant=query.get("vacant"))
        return self.paginated(qs, s.PositionOut)

    def retrieve(self, request, pk=None):
        return Response(s.PositionOut(self._get(pk)).data)

    def create(self, request):
        position = services.position_create(actor=request.user, **self.body(s.PositionIn))
        return Response(s.PositionOut(position).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        position = services.position_update(actor=request.user, position=self._get(pk),
                                            **self.body(s.PositionUpdateIn, partial=True))
        return Response(s.PositionOut(position).data)

    def destroy(self, request, pk=None):
        services.position_abolish(actor=request.user, position=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Appoint a holder"), request=s.PositionAssignIn,
                   responses={200: s.PositionOut, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        position = services.position_assign(actor=request.user, position=self._get(pk),
                                            **self.body(s.PositionAssignIn))
        return Response(s.PositionOut(position).data)

    @extend_schema(summary=_("Make a post vacant"), request=None,
                   responses={200: s.PositionOut, **errors(401, 403, 404)})
    @action(detail=True, methods=["post"])
    def vacate(self, request, pk=None):
        return Response(s.PositionOut(services.position_vacate(actor=request.user, position=self._get(pk))).data)


# --- role assignments -----------------------------------------------------------------------------

@extend_schema(tags=["people"])
@extend_schema_view(
    list=extend_schema(summary=_("Role assignments within the caller's scope"),
                       parameters=[s.RoleAssignmentListQuery],
                       responses={200: s.RoleAssignmentOut(many=True), **errors(400, 401)}),
    retrieve=extend_schema(summary=_("A role assignment"), responses={200: s.RoleAssignmentOut, **errors(401, 404)}),
    create=extend_schema(summary=_("Give a role"), request=s.RoleAssignmentIn,
                         responses={201: s.RoleAssignmentOut, **errors(400, 401, 403)}),
    destroy=extend_schema(summary=_("Take a role away"), responses={204: None, **errors(401, 403, 404)}),
)
class RoleAssignmentViewSet(OrgViewSet):
    queryset = RoleAssignment.objects.none()
    rules_by_action = {"list": SIGNED_IN, "retrieve": SIGNED_IN, "create": MANAGE_USERS, "destroy": MANAGE_USERS}

    def list(self, request):
        query = self.query(s.RoleAssignmentListQuery)
        qs = selectors.role_assignments_visible_to(request.user)
        if query.get("user"):
            qs = qs.filter(user_id=query["user"])
        if query.get("role"):
            qs = qs.filter(role=query["role"])
        if query.get("organisation"):
            qs = qs.filter(organisation_id=query["organisation"])
        return self.paginated(qs, s.RoleAssignmentOut)

    def retrieve(self, request, pk=None):
        return Response(s.RoleAssignmentOut(selectors.role_assignment_get(user=request.user, pk=int(pk))).data)

    def create(self, request):
        assignment = services.role_assign(actor=request.user, **self.body(s.RoleAssignmentIn))
        return Response(s.RoleAssignmentOut(assignment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        assignment = selectors.role_assignment_get(user=request.user, pk=int(pk))
        services.role_revoke(actor=request.user, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- users ----------------------------------------------------------------------------------------

@extend_schema(tags=["people"])
@extend_schema_view(
    list=extend_schema(summary=_("Accounts (administrators)"), parameters=[s.UserListQuery],
                       responses={200: s.UserOut(many=True), **errors(400, 401, 403)}),
    retrieve=extend_schema(summary=_("An account"), responses={200: s.UserOut, **errors(401, 403, 404)}),
    create=extend_schema(summary=_("Open an account (staff by default)"), request=s.UserIn,
                         responses={201: s.UserOut, **errors(400, 401, 403)}),
    partial_update=extend_schema(summary=_("Correct an account"), request=s.UserUpdateIn,
                                 responses={200: s.UserOut, **errors(400, 401, 403, 404)}),
)
class UserViewSet(OrgViewSet):
    queryset = User.objects.none()
    rules_by_action = {"list": MANAGE_USERS, "retrieve": MANAGE_USERS, "create": MANAGE_USERS,
                       "partial_update": MANAGE_USERS, "deactivate": MANAGE_USERS}

    def _get(self, pk) -> User:
        return selectors.user_get(user=self.request.user, pk=int(pk))

    def list(self, request):
        query = self.query(s.UserListQuery)
        return self.paginated(selectors.user_list(user=request.user, staff=query.get("staff"),
                                                  search=query.get("search", "")), s.UserOut)

    def retrieve(self, request, pk=None):
        return Response(s.UserOut(self._get(pk)).data)

    def create(self, request):
        user = services.user_create(actor=request.user, **self.body(s.UserIn))
        return Response(s.UserOut(user).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        user = services.user_update(actor=request.user, user=self._get(pk), **self.body(s.UserUpdateIn, partial=True))
        return Response(s.UserOut(user).data)

    @extend_schema(summary=_("Close an account (its posts become vacancies)"), request=None,
                   responses={200: s.UserOut, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return Response(s.UserOut(services.user_deactivate(actor=request.user, user=self._get(pk))).data)
