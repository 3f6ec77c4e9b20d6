"""Administration of the problems area: the themes, the routing table, Open311 keys; reports read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from krai.problems.models import Category, Open311Key, Problem, ProblemUpdate, RoutingRule


class RoutingInline(admin.TabularInline):
    model = RoutingRule
    extra = 0
    autocomplete_fields = ["municipality", "organisation"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "reaction_days", "day_kind", "sort_order", "is_active"]
    list_filter = ["is_active", "day_kind", "parent"]
    search_fields = ["name", "code", "keywords"]
    inlines = [RoutingInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "municipality", "organisation"]
    list_filter = ["category"]
    search_fields = ["category__name", "municipality__name", "organisation__name"]
    autocomplete_fields = ["category", "municipality", "organisation"]


class UpdateInline(admin.TabularInline):
    model = ProblemUpdate
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "status", "text", "actor", "organisation", "is_public", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Reports change only through the services (pages, API): here they are read."""

    list_display = ["id", "category", "municipality", "organisation", "status", "due_date", "created_at"]
    list_filter = ["status", "source", "category"]
    search_fields = ["id", "public_description", "address"]
    inlines = [UpdateInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "is_active", "last_used_at"]
    readonly_fields = ["prefix", "last_used_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if not change:
            fresh, key = Open311Key.issue(name=obj.name, user=obj.user)
            obj.pk, obj.prefix, obj.key_hash = fresh.pk, fresh.prefix, fresh.key_hash
            obj.is_active = form.cleaned_data.get("is_active", True)
            Open311Key.objects.filter(pk=fresh.pk).update(is_active=obj.is_active)
            messages.warning(request, _("The key, shown only now: %(key)s") % {"key": key})
            return
        super().save_model(request, obj, form, change)
