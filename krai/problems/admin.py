"""Administration of the problems area: the themes, the routing table, Open311 keys; reports read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from krai.problems import services
from krai.problems.models import Category, Open311Key, Problem, ProblemUpdate, RoutingRule


class RoutingInline(admin.TabularInline):
    model = RoutingRule
    extra = 0
    autocomplete_fields = ["municipality", "organisation"]


def _route_save(request, rule: RoutingRule, *, change: bool) -> None:
    """The routing table changes through its services, so each edit here is an audited event too."""
    old = RoutingRule.objects.filter(pk=rule.pk).first() if change else None
    if old is not None and (old.category_id, old.municipality_id) != (rule.category_id, rule.municipality_id):
        services.routing_rule_delete(actor=request.user, rule=old)
    saved = services.routing_rule_set(actor=request.user, category=rule.category, municipality=rule.municipality,
                                      organisation=rule.organisation)
    rule.pk = saved.pk


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "reaction_days", "day_kind", "sort_order", "is_active"]
    list_filter = ["is_active", "day_kind", "parent"]
    search_fields = ["name", "code", "keywords"]
    inlines = [RoutingInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoutingRule:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # writes nothing: every row goes through the services below
        for rule in formset.deleted_objects:
            services.routing_rule_delete(actor=request.user, rule=rule)
        for rule in formset.new_objects:
            _route_save(request, rule, change=False)
        for rule, _fields in formset.changed_objects:
            _route_save(request, rule, change=True)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "municipality", "organisation"]
    list_filter = ["category"]
    search_fields = ["category__name", "municipality__name", "organisation__name"]
    autocomplete_fields = ["category", "municipality", "organisation"]

    def save_model(self, request, obj, form, change):
        _route_save(request, obj, change=change)

    def delete_model(self, request, obj):
        services.routing_rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.routing_rule_delete(actor=request.user, rule=rule)


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

    def has_delete_permission(self, request, obj=None):
        # a report is a legal record, and deleting it here would bypass the map's kept counts (grid, buckets);
        # a person's data is erased through the privacy erasers instead
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
