"""Administration of accounts: tokens of integrated systems (issued here) and OpenID Connect providers."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from krai.accounts import services
from krai.accounts.models import TOKEN_SCOPES, ApiToken, OidcProvider


class SystemTokenForm(forms.ModelForm):
    """Issuing a token to the service account of an integrated system (or any user)."""

    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=list(TOKEN_SCOPES.items()),
                                       widget=forms.CheckboxSelectMultiple, initial=["read"])

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "kind", "display", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["name", "prefix", "user__email", "user__surname"]
    autocomplete_fields = ["user"]
    readonly_fields = ["user", "name", "kind", "prefix", "scopes", "created_at", "created_by", "expires_at",
                       "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = SystemTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return SystemTokenForm.Meta.fields if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        """Issue through the service (the only way a secret is made) and show the token once."""
        if change:
            return
        try:
            issued = services.token_create(actor=request.user, user=form.cleaned_data["user"],
                                           name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                                           expires_at=form.cleaned_data.get("expires_at"),
                                           kind=ApiToken.Kind.SYSTEM)
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk, obj.prefix, obj.kind = issued.token.pk, issued.token.prefix, issued.token.kind
        obj._state.adding = False
        messages.warning(request, _("Copy the token now, it will not be shown again: %(key)s") % {"key": issued.key})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(actor=request.user, token=token)


@admin.register(OidcProvider)
class OidcProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "issuer", "client_id", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ["name"]}
