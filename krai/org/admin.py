from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from krai.org.models import Block, Municipality, Organisation, Position, Region, RoleAssignment, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "population"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "population", "admin_centre"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["name", "vice_governor", "sort_order"]
    autocomplete_fields = ["vice_governor"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["code", "name", "short_name", "name_en", "kind", "parent", "block", "municipality", "inn", "email",
                  "phone", "website", "is_active"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        instance = self.instance
        if parent is not None and instance.pk and (parent.pk == instance.pk or parent.path.startswith(instance.path)):
            raise forms.ValidationError(_("An organisation cannot be placed under itself or one of its own units."))
        return parent


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "kind", "block", "municipality", "parent", "is_active"]
    list_filter = ["kind", "block", "is_active"]
    search_fields = ["name", "short_name", "code", "inn"]
    autocomplete_fields = ["parent", "municipality"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "holder", "is_head"]
    list_filter = ["is_head"]
    search_fields = ["title", "organisation__name", "holder__surname"]
    autocomplete_fields = ["organisation", "holder"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation", "municipality"]


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "surname", "given_name", "patronymic", "is_staff")
        field_classes = {"email": forms.EmailField}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    ordering = ["surname", "given_name"]
    list_display = ["email", "full_name", "is_staff", "email_confirmed", "home_municipality", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "email_confirmed", "residence_verified"]
    search_fields = ["email", "surname", "given_name", "phone"]
    autocomplete_fields = ["home_municipality"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("surname", "given_name", "patronymic", "phone", "home_municipality",
                                  "residence_verified", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "email_confirmed", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "surname", "given_name", "patronymic",
                                                 "is_staff", "password1", "password2")}),
    )
