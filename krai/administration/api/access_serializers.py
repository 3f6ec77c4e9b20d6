"""Serializers of access management's API (``api.access``): people with their roles, a person's scope summary and
deputyships, the bulk change and its preview, and the reviews of who can see what."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from krai.administration.selectors.access_bulk import ACTIONS
from krai.org.models import Block, Municipality, Organisation, Role, ScopeKind

ACTIVE_CHOICES = [("yes", "yes"), ("no", "no")]
MAX_ID = 2**63 - 1  # the largest primary key the databases hold
ROLES_HELP = "One of: " + ", ".join(Role.values)
SCOPES_HELP = "One of: " + ", ".join(ScopeKind.values)


class AccessRoleOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField(help_text=ROLES_HELP)
    scope = serializers.CharField(help_text=SCOPES_HELP)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    block = serializers.IntegerField(source="block_id", allow_null=True)
    target_name = serializers.SerializerMethodField()

    def get_target_name(self, obj: Any) -> str:
        target = obj.organisation or obj.municipality or obj.block
        return target.name if target is not None else ""


class AccessPersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    is_active = serializers.BooleanField()
    is_staff = serializers.BooleanField()
    is_system = serializers.SerializerMethodField()
    roles = AccessRoleOut(many=True, source="role_assignments.all")

    def get_is_system(self, obj: Any) -> bool:
        return obj.pk in self.context.get("systems", set())


class AccessPeoplePageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = AccessPersonOut(many=True)


class AccessPeopleQuery(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, help_text="Words of the name or the e-mail")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                      help_text="People holding a post or acting in its subtree")
    role = serializers.CharField(required=False, help_text=ROLES_HELP)
    active = serializers.ChoiceField(choices=ACTIVE_CHOICES, required=False)

    def validate_role(self, value: str) -> str:
        if value not in Role.values:
            raise serializers.ValidationError(f"Unknown role: {ROLES_HELP}.")
        return value


class AccessScopePartOut(serializers.Serializer):
    kind = serializers.CharField(help_text="region, block, municipality or organisation (a subtree)")
    label = serializers.CharField()
    target = serializers.SerializerMethodField()
    organisations = serializers.IntegerField(help_text="Active organisations this part covers")

    def get_target(self, obj: Any) -> int | None:
        return obj.target.pk if obj.target is not None else None


class AccessScopeOut(serializers.Serializer):
    roles = serializers.ListField(child=serializers.CharField())
    parts = AccessScopePartOut(many=True)
    organisations = serializers.IntegerField(help_text="Active organisations covered in all (overlaps once)")
    own_items = serializers.BooleanField(help_text="A staff role within the self scope")


class AccessDeputyshipOut(serializers.Serializer):
    id = serializers.IntegerField()
    principal = serializers.IntegerField(source="principal_id")
    principal_name = serializers.CharField(source="principal.full_name")
    deputy = serializers.IntegerField(source="deputy_id")
    deputy_name = serializers.CharField(source="deputy.full_name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField()


class AccessPositionOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    is_head = serializers.BooleanField()


class AccessPersonDetailOut(AccessPersonOut):
    scope = AccessScopeOut()
    positions = AccessPositionOut(many=True, source="positions_held")
    acts_for = AccessDeputyshipOut(many=True, help_text="Deputyships in force or coming where he is the deputy")
    acted_for_by = AccessDeputyshipOut(many=True, help_text="Deputyships in force or coming acting for him")


class AccessBulkIn(serializers.Serializer):
    people = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1,
                                   max_length=500)
    action = serializers.ChoiceField(choices=ACTIONS)
    role = serializers.CharField(required=False, allow_blank=True, default="", max_length=32,
                                 help_text=f"{ROLES_HELP}; for a grant or a revocation")
    scope = serializers.CharField(required=False, allow_blank=True, default="", max_length=32,
                                  help_text=f"{SCOPES_HELP}; for a revocation, empty: the role within every scope")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                      allow_null=True)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False,
                                                      allow_null=True)
    block = serializers.PrimaryKeyRelatedField(queryset=Block.objects.all(), required=False, allow_null=True)
    dry_run = serializers.BooleanField(required=False, default=False,
                                       help_text="Only say what would happen; nothing is changed")


class AccessBulkLineOut(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    full_name = serializers.CharField(source="person.full_name")
    outcome = serializers.CharField(help_text="change, unchanged or refused")
    note = serializers.CharField()


class AccessBulkOut(serializers.Serializer):
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    action = serializers.CharField()
    total = serializers.IntegerField()
    changes = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    summary = serializers.CharField()
    lines = AccessBulkLineOut(many=True)


class AccessReviewQuery(serializers.Serializer):
    """Exactly one of the three."""

    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    municipality = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    block = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if len(data) != 1:
            raise serializers.ValidationError("Name exactly one of organisation, municipality or block.")
        return data


class AccessCoverageOut(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    full_name = serializers.CharField(source="person.full_name")
    email = serializers.EmailField(source="person.email")
    role = serializers.CharField(help_text="A role, or superuser")
    through = serializers.CharField(help_text="superuser, region, block, municipality, ancestor (an ancestor's "
                                              "subtree) or itself")
    through_label = serializers.CharField()
    is_system = serializers.BooleanField()
    acting_for = serializers.SerializerMethodField()

    def get_acting_for(self, obj: Any) -> int | None:
        return obj.acting_for.pk if obj.acting_for is not None else None


class AccessObjectReviewOut(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    name = serializers.CharField(source="obj.name")
    people = serializers.IntegerField(help_text="Distinct people whose scope covers it")
    systems = serializers.IntegerField()
    deputies = serializers.IntegerField()
    rows = AccessCoverageOut(many=True)


class AccessPermissionOut(serializers.Serializer):
    area = serializers.CharField(source="area.key")
    area_label = serializers.CharField(source="area.label")
    permission = serializers.CharField(source="permission.name")
    label = serializers.CharField(source="permission.label")
    allowed = serializers.BooleanField()


class AccessPersonReviewOut(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    full_name = serializers.CharField(source="person.full_name")
    is_system = serializers.BooleanField()
    scope = AccessScopeOut(source="summary")
    permissions = AccessPermissionOut(many=True, source="granted")

