"""Shapes of the org API: input serializers (what a client may send) apart from output ones (what
it gets). No logic here: the services validate the domain, the selectors decide what is visible."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from krai.org.models import Block, Municipality, Organisation, Position, Role, RoleAssignment, ScopeKind, User

# --- shared bits ----------------------------------------------------------------------------------


class PersonRef(serializers.Serializer):
    """A person as the public structure names him."""

    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)


class PersonContact(PersonRef):
    """A person with his work contacts (internal)."""

    email = serializers.EmailField(read_only=True)
    phone = serializers.CharField(read_only=True)


class OrganisationRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field({"type": "object", "description": "A GeoJSON Polygon or MultiPolygon (longitude, latitude)",
                      "properties": {"type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
                                     "coordinates": {"type": "array", "items": {}}},
                      "required": ["type", "coordinates"]})
class GeometryField(serializers.JSONField):
    pass


@extend_schema_serializer(many=False)  # one collection, never paginated
class FeatureCollectionOut(serializers.Serializer):
    """A GeoJSON FeatureCollection (RFC 7946)."""

    type = serializers.CharField(default="FeatureCollection")
    features = serializers.ListField(child=serializers.DictField())


# --- municipalities -------------------------------------------------------------------------------

class MunicipalityOut(serializers.ModelSerializer):
    centre = serializers.SerializerMethodField()
    bbox = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "name_en", "kind", "admin_centre", "population", "centre", "bbox",
                  "is_active"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "number"}, "nullable": True,
                          "description": "[longitude, latitude] of the administrative centre"})
    def get_centre(self, obj: Municipality) -> list[float] | None:
        return None if obj.centre_lon is None else [obj.centre_lon, obj.centre_lat]

    @extend_schema_field({"type": "array", "items": {"type": "number"}, "nullable": True,
                          "description": "[min_lon, min_lat, max_lon, max_lat] of the boundary"})
    def get_bbox(self, obj: Municipality) -> list[float] | None:
        return None if obj.min_lon is None else [obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat]


class MunicipalityDetailOut(MunicipalityOut):
    boundary = GeometryField(read_only=True, allow_null=True)

    class Meta(MunicipalityOut.Meta):
        fields = [*MunicipalityOut.Meta.fields, "boundary"]
        read_only_fields = fields


class MunicipalityIn(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Municipality.Kind.choices)
    admin_centre = serializers.CharField(max_length=200, required=False, allow_blank=True)
    population = serializers.IntegerField(min_value=0, required=False)
    boundary = GeometryField(required=False, allow_null=True)
    centre_lon = serializers.FloatField(required=False, allow_null=True)
    centre_lat = serializers.FloatField(required=False, allow_null=True)


class LocateQuery(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text=_("Longitude, WGS 84"))
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude, WGS 84"))


class MunicipalityListQuery(serializers.Serializer):
    include_inactive = serializers.BooleanField(required=False, default=False,
                                                help_text=_("Administrators only: list retired ones too."))


# --- blocks ---------------------------------------------------------------------------------------

class BlockOut(serializers.ModelSerializer):
    vice_governor = PersonRef(read_only=True, allow_null=True)

    class Meta:
        model = Block
        fields = ["id", "code", "name", "name_en", "sort_order", "vice_governor", "is_active"]
        read_only_fields = fields


class BlockIn(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=300)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    vice_governor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                                       allow_null=True)


# --- organisations --------------------------------------------------------------------------------

class OrganisationOut(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "short_name", "name_en", "kind", "parent", "block", "municipality",
                  "depth", "inn", "email", "phone", "website", "is_active"]
        read_only_fields = fields


class OrganisationIn(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=400)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    parent = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                allow_null=True)
    block = serializers.PrimaryKeyRelatedField(queryset=Block.objects.all(), required=False, allow_null=True)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                      allow_null=True)
    short_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=400, required=False, allow_blank=True)
    inn = serializers.CharField(max_length=12, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)


class OrganisationListQuery(serializers.Serializer):
    block = serializers.IntegerField(required=False, min_value=1, help_text=_("Bodies of this block"))
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    parent = serializers.CharField(required=False, help_text=_("A parent's id, or \"none\" for top-level bodies"))
    municipality = serializers.IntegerField(required=False, min_value=1)


class TreeQuery(serializers.Serializer):
    root = serializers.IntegerField(required=False, min_value=1, help_text=_("Only this organisation's subtree"))
    block = serializers.IntegerField(required=False, min_value=1, help_text=_("Only this block's bodies"))


class OrganisationTreeOut(serializers.Serializer):
    """An organisation with its active units below it, recursively."""

    id = serializers.IntegerField(source="organisation.id", read_only=True)
    code = serializers.CharField(source="organisation.code", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    short_name = serializers.CharField(source="organisation.short_name", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)
    block = serializers.IntegerField(source="organisation.block_id", read_only=True, allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = OrganisationTreeOut(many=True, read_only=True)
        return fields


# --- positions ------------------------------------------------------------------------------------

class PositionOut(serializers.ModelSerializer):
    holder = PersonRef(read_only=True, allow_null=True, help_text=_("null for a vacancy"))

    class Meta:
        model = Position
        fields = ["id", "organisation", "title", "title_en", "is_head", "sort_order", "holder"]
        read_only_fields = fields


class PositionIn(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    title = serializers.CharField(max_length=300)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_head = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class PositionUpdateIn(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_head = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class PositionAssignIn(serializers.Serializer):
    holder = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class PositionListQuery(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, min_value=1)
    block = serializers.IntegerField(required=False, min_value=1)
    vacant = serializers.BooleanField(required=False, allow_null=True, default=None,
                                      help_text=_("true: only vacancies; false: only filled posts"))


class StaffingGroupOut(serializers.Serializer):
    organisation = OrganisationRef(read_only=True)
    total = serializers.IntegerField(read_only=True)
    vacancies = serializers.IntegerField(read_only=True)
    positions = PositionOut(many=True, read_only=True)


class StaffingOut(serializers.Serializer):
    organisation = OrganisationRef(read_only=True)
    total = serializers.IntegerField(read_only=True)
    filled = serializers.IntegerField(read_only=True)
    vacancies = serializers.IntegerField(read_only=True)
    groups = StaffingGroupOut(many=True, read_only=True)


# --- people, roles, users (internal) --------------------------------------------------------------

class InternalPositionOut(PositionOut):
    holder = PersonContact(read_only=True, allow_null=True)


class RoleAssignmentOut(serializers.ModelSerializer):
    user = PersonRef(read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "scope", "organisation", "municipality", "block", "created_at"]
        read_only_fields = fields


class RoleAssignmentIn(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    role = serializers.ChoiceField(choices=[c for c in Role.choices if c[0] != Role.CITIZEN])
    scope = serializers.ChoiceField(choices=ScopeKind.choices)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                      allow_null=True)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                      allow_null=True)
    block = serializers.PrimaryKeyRelatedField(queryset=Block.objects.all(), required=False, allow_null=True)


class RoleAssignmentListQuery(serializers.Serializer):
    user = serializers.IntegerField(required=False, min_value=1)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    organisation = serializers.IntegerField(required=False, min_value=1)


class PeopleOut(serializers.Serializer):
    organisation = OrganisationRef(read_only=True)
    positions = InternalPositionOut(many=True, read_only=True)
    role_assignments = RoleAssignmentOut(many=True, read_only=True, source="assignments")


class UserOut(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "surname", "given_name", "patronymic", "full_name", "phone", "is_staff",
                  "is_active", "email_confirmed", "residence_verified", "home_municipality", "roles",
                  "date_joined", "last_login"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_roles(self, obj: User) -> list[str]:
        return sorted({a.role for a in obj.role_assignments.all()})


class UserIn(serializers.Serializer):
    email = serializers.EmailField()
    surname = serializers.CharField(max_length=100)
    given_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    is_staff = serializers.BooleanField(required=False, default=True)
    password = serializers.CharField(required=False, write_only=True, style={"input_type": "password"},
                                     help_text=_("Leave out to let the person set one by a reset link."))
    home_municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                           allow_null=True)


class UserUpdateIn(serializers.Serializer):
    email = serializers.EmailField(required=False)
    surname = serializers.CharField(max_length=100, required=False)
    given_name = serializers.CharField(max_length=100, required=False)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    is_staff = serializers.BooleanField(required=False)
    home_municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                           allow_null=True)


class UserListQuery(serializers.Serializer):
    staff = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
