"""Administration of the community: the managed lists (topics, fields of expertise), profiles' kinds (a public
organisation's or a body's account is made here), credentials read-only (verified in the workspace queue)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from krai.social import services
from krai.social.models import Credential, ExpertiseField, Profile, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(ExpertiseField)
class ExpertiseFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "code"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Staff set a profile's kind and the body it speaks for; the person edits the rest on his page. Every
    change goes through ``profile_update``, so it is an audited event like an edit on the page."""

    list_display = ["display_name", "user", "kind", "expert_status", "is_discoverable", "updated_at"]
    list_filter = ["kind", "expert_status", "is_discoverable"]
    search_fields = ["display_name", "user__email", "user__surname"]
    fields = ["user", "display_name", "kind", "organisation", "is_discoverable", "expert_status",
              "expert_verified_at"]
    readonly_fields = ["expert_status", "expert_verified_at"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]

    def get_readonly_fields(self, request: Any, obj: Profile | None = None) -> list[str]:
        return [*self.readonly_fields, "user"] if obj is not None else list(self.readonly_fields)

    def save_model(self, request: Any, obj: Profile, form: Any, change: bool) -> None:
        names = [n for n in ("display_name", "kind", "organisation", "is_discoverable")
                 if not change or n in form.changed_data]
        saved = services.profile_update(actor=request.user, user=obj.user,
                                        **{n: getattr(obj, n) for n in names})
        obj.pk = saved.pk

    def has_delete_permission(self, request: Any, obj: Profile | None = None) -> bool:
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    """Read here; verified or rejected in the workspace's queue, where each decision is recorded."""

    list_display = ["title", "profile", "kind", "status", "reviewed_at", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "issuer", "profile__display_name"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Credential | None = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Credential | None = None) -> bool:
        return False
