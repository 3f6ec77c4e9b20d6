"""Forms of access management: they parse input only; the selectors refuse what the reader may not see and the
services decide and refuse changes.

Organisations (hundreds of them) are chosen with the orders area's searchable picker (every active organisation:
its "controller" purpose); municipalities and blocks are searched among the select's own options."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.administration.selectors.access_bulk import ACTIONS, GRANT
from krai.administration.selectors.access_review import reviewable
from krai.core.forms import Styled, style_widgets
from krai.orders import pickers
from krai.orders.forms import OrganisationField
from krai.org.models import Block, Municipality, Organisation, Role, ScopeKind
from krai.org.services import ALLOWED_SCOPES

PURPOSE = "controller"  # any active organisation of the region
LOCAL_SEARCH = {"data-krai-picker": "local", "data-krai-picker-more": _("More are found: type more of the name."),
                "data-krai-picker-none": _("Nothing is found.")}
TARGETS = {ScopeKind.ORGANISATION: "organisation", ScopeKind.MUNICIPALITY: "municipality",
           ScopeKind.BLOCK: "block"}
ACTIVE_CHOICES = (("", _("Everyone")), ("yes", _("Active accounts")), ("no", _("Closed accounts")))


def _organisation_picker(field: OrganisationField) -> None:
    field.queryset = pickers.organisations_for(user=None, purpose=PURPOSE)
    field.labels = pickers.organisation_labels()
    field.widget.attrs.update({"data-krai-picker-more": str(LOCAL_SEARCH["data-krai-picker-more"]),
                               "data-krai-picker-none": str(LOCAL_SEARCH["data-krai-picker-none"]),
                               "data-krai-picker": f"{reverse('orders:pick_organisations')}?"
                                                   f"{urlencode({'purpose': PURPOSE})}"})


def _municipality_field(**kw: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.filter(is_active=True)
                                  .order_by("name"), widget=forms.Select(attrs=LOCAL_SEARCH), **kw)


def _block_field(**kw: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Block"), queryset=Block.objects.filter(is_active=True)
                                  .order_by("sort_order", "name"), widget=forms.Select(attrs=LOCAL_SEARCH), **kw)


class PeopleFilterForm(Styled):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)
    organisation = OrganisationField(label=_("Organisation (with its units)"), queryset=Organisation.objects.none(),
                                     required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices])
    active = forms.ChoiceField(label=pgettext_lazy("account", "State"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organisation_picker(self.fields["organisation"])

    def arguments(self) -> dict[str, Any]:
        """The selector's filters (none when the form is invalid or empty)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"search": data["q"], "organisation": data["organisation"], "role": data["role"],
                "active": {"yes": True, "no": False}.get(data["active"])}


class RoleForm(Styled):
    """A role within a scope; the target is the organisation, the municipality or the block the scope names."""

    role = forms.ChoiceField(label=_("Role"), choices=[(r, Role(r).label) for r in Role.values if r in ALLOWED_SCOPES])
    scope = forms.ChoiceField(label=_("Scope"), choices=ScopeKind.choices,
                              help_text=_("Executors act for themselves, an organisation's subtree or a municipality; "
                                          "heads for an organisation or a municipality; vice-governors for a block or "
                                          "the region; controllers for the region, a block or a municipality; "
                                          "governors and administrators for the region."))
    organisation = OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
                                     help_text=_("For the scope “organisation subtree”: it and all its units."))
    municipality = _municipality_field(required=False, help_text=_("For the scope “municipality”."))
    block = _block_field(required=False, help_text=_("For the scope “block”."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organisation_picker(self.fields["organisation"])
        style_widgets(self, describe_help=True)  # the help texts are rendered with the ids it points at

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        field = TARGETS.get(data.get("scope"))
        if field and self._wants_target() and not data.get(field):
            self.add_error(field, _("Choose the %(target)s.") % {"target": ScopeKind(data["scope"]).label})
        return data

    def _wants_target(self) -> bool:
        return True

    def target_kwargs(self) -> dict[str, Any]:
        """Only the target the scope names (the other pickers may hold a leftover choice)."""
        field = TARGETS.get(self.cleaned_data.get("scope"))
        return {field: self.cleaned_data[field]} if field and self.cleaned_data.get(field) else {}

    def values(self) -> dict[str, Any]:
        return {"role": self.cleaned_data["role"], "scope": self.cleaned_data["scope"], **self.target_kwargs()}


class IdsField(forms.Field):
    """Ids of the people ticked in the list (hidden inputs on the preview); anything not a number is dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        return [int(v) for v in values if str(v).isdigit() and len(str(v)) <= 18][:1000]


class BulkForm(RoleForm):
    """The bulk change chosen under the list: what to do, and for a role, which one within which scope."""

    action = forms.ChoiceField(label=_("Change"), choices=ACTIONS)
    people = IdsField(label=_("People"), error_messages={"required": _("Select at least one person.")})
    field_order = ["action", "role", "scope", "organisation", "municipality", "block"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].required = self.fields["scope"].required = False
        self.fields["role"].choices = [("", "—"), *Role.choices]
        self.fields["scope"].choices = [("", "—"), *ScopeKind.choices]
        self.fields["scope"].help_text = _("To take a role away, an empty scope takes it within every scope.")
        style_widgets(self, describe_help=True)

    def _wants_target(self) -> bool:
        return self.data.get("action") == GRANT

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"people": data["people"], "action": data["action"], "role": data.get("role") or "",
                "scope": data.get("scope") or "", **self.target_kwargs()}


class ReviewForm(Styled):
    """One object to review: an organisation, a municipality or a block (the first chosen is taken)."""

    organisation = OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    municipality = _municipality_field(required=False)
    block = _block_field(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organisation_picker(self.fields["organisation"])
        organisations, municipalities, blocks = reviewable(user)  # what lies outside is "not a valid choice"
        self.fields["organisation"].queryset = organisations
        self.fields["municipality"].queryset = municipalities
        self.fields["block"].queryset = blocks

    def chosen(self) -> Organisation | Municipality | Block | None:
        if not self.is_bound or not self.is_valid():
            return None
        data = self.cleaned_data
        return data.get("organisation") or data.get("municipality") or data.get("block")
