"""Forms of the webhooks' pages: an endpoint, the deliveries' and the dead letters' filters, a replay."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.core.forms import SEARCHED, Styled
from krai.integration.models import ExternalSystem
from krai.integration.webhooks.models import DeliveryStatus, Endpoint, EndpointScope
from krai.org.models import Block, Municipality, Organisation


class OrganisationField(forms.ModelChoiceField):
    """An organisation by its name, a unit with its parent's ("Отдел — Министерство")."""

    def label_from_instance(self, obj: Organisation) -> str:
        parent = obj.parent
        return f"{obj.name} — {parent.short_name or parent.name}" if parent else obj.name


class EndpointForm(Styled):
    system = forms.ModelChoiceField(label=_("System"), queryset=ExternalSystem.objects.none())
    url = forms.CharField(label=_("URL"), max_length=500,
                          help_text=_("http:// or https://; redirects are not followed."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    event_kinds = forms.CharField(
        label=_("Kinds of event"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas: orders.order_issued, orders.*, control.*, problems.*, "
                    "construction.*, or * for every kind."))
    scope = forms.ChoiceField(label=_("Events that happen in"), choices=EndpointScope.choices,
                              widget=forms.RadioSelect)
    organisation = OrganisationField(label=_("Organisation"), required=False,
                                     queryset=Organisation.objects.filter(is_active=True).select_related("parent")
                                     .order_by("path"), widget=forms.Select(attrs=SEARCHED))
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False,
                                          queryset=Municipality.objects.filter(is_active=True).order_by("name"),
                                          widget=forms.Select(attrs=SEARCHED))
    block = forms.ModelChoiceField(label=_("Block"), required=False, queryset=Block.objects.order_by("name"),
                                   widget=forms.Select(attrs=SEARCHED))
    is_active = forms.BooleanField(label=_("Active: send webhooks"), required=False, initial=True)

    def __init__(self, *args: Any, systems: Any, endpoint: Endpoint | None = None, **kwargs: Any) -> None:
        if endpoint is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "system": endpoint.system_id, "url": endpoint.url, "description": endpoint.description,
                "event_kinds": "\n".join(endpoint.event_kinds), "scope": endpoint.scope,
                "organisation": endpoint.organisation_id, "municipality": endpoint.municipality_id,
                "block": endpoint.block_id, "is_active": endpoint.is_active}
        super().__init__(*args, **kwargs)
        queryset = systems
        if endpoint is not None:  # a deactivated system's endpoint still shows its system
            queryset = ExternalSystem.objects.filter(
                pk__in=[*systems.values_list("pk", flat=True), endpoint.system_id]).order_by("name")
        self.fields["system"].queryset = queryset
        if "is_active" not in self.initial:
            self.initial["is_active"] = True


class DeliveryFilter(Styled):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), *DeliveryStatus.choices])


class DeadFilterForm(Styled):
    endpoint = forms.ModelChoiceField(label=_("Endpoint"), required=False, queryset=Endpoint.objects.none(),
                                      empty_label=_("all"))
    kind = forms.CharField(label=_("Kind of event"), required=False, max_length=100,
                           help_text=_("Exact, or a prefix ending in *: orders.*"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                                     format="%Y-%m-%d"))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                                   format="%Y-%m-%d"))

    def __init__(self, *args: Any, endpoints: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].queryset = endpoints


class ReplaySinceForm(Styled):
    since = forms.DateTimeField(label=_("Send again everything since"),
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
