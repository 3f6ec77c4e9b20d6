"""Forms of integration's pages: a system (registered or changed, with the role its account acts in), a token of
it, and the exchange log's filters. They only read input; the services validate the rules and write (their refusals
shown by field, under the same names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.accounts.models import TOKEN_SCOPES
from krai.core.forms import SEARCHED, Styled
from krai.integration.models import Channel, Direction, ExchangeStatus, ExternalSystem, SystemKind
from krai.integration.rates import RATE_HELP, default_rate
from krai.integration.selectors.exchange import MAX_HOURS, LogFilter, systems_in_log
from krai.integration.services._systems_checks import SYSTEM_ROLES
from krai.orders.pickers import organisation_labels
from krai.org.models import Organisation, Role, ScopeKind
from krai.org.selectors import block_list, municipality_list

#: long lists are searched as one types (``krai/static/krai/picker.js`` over the select's own options)
ACCESS_SCOPES = (ScopeKind.REGION, ScopeKind.BLOCK, ScopeKind.MUNICIPALITY, ScopeKind.ORGANISATION)
DEFAULT_TOKEN_SCOPES = ["read", "write", "integration:write"]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationField(forms.ModelChoiceField):
    """An organisation by a label no two alike ("Отдел кадров — Минздрав края")."""

    labels: dict[int, str] = {}

    def label_from_instance(self, obj: Organisation) -> str:
        return self.labels.get(obj.pk) or str(obj)


def _organisation_field(label: Any, help_text: Any = "") -> OrganisationField:
    return OrganisationField(label=label, queryset=Organisation.objects.none(), required=False,
                             empty_label=_("None"), help_text=help_text, widget=forms.Select(attrs=SEARCHED))


class SystemForm(Styled):
    """A system as an administrator registers or changes it (the code only when it is new)."""

    code = forms.SlugField(label=_("Code"), max_length=63,
                           help_text=_("Latin letters, digits and hyphens, e.g. sed-delo: fixed once registered."))
    name = forms.CharField(label=pgettext_lazy("system", "Name"), max_length=300)
    kind = forms.ChoiceField(label=pgettext_lazy("system", "Kind"), choices=SystemKind.choices)
    organisation = _organisation_field(_("Owner body"), _("The body that runs the system and answers for it."))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    rate_limit = forms.CharField(label=_("Rate limit"), max_length=32, required=False)
    answer_url = forms.URLField(label=_("Answers URL"), required=False, assume_scheme="https",
                                help_text=_("Where answers to its document-flow packages are posted, if anywhere."))
    payload_days = forms.IntegerField(label=_("Keep payloads (days)"), required=False,
                                      help_text=_("Empty: the installation's setting."))
    access_role = forms.ChoiceField(label=_("Acts as"), choices=[(r, Role(r).label) for r in SYSTEM_ROLES],
                                    help_text=_("What the system may see and change is what this role may within "
                                                "the scope below."))
    access_scope = forms.ChoiceField(label=_("Within"), choices=[(s, ScopeKind(s).label) for s in ACCESS_SCOPES])
    access_organisation = _organisation_field(_("Organisation (its subtree)"),
                                              _("For the scope \"organisation subtree\"."))
    access_municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(),
                                                 required=False, empty_label=_("None"),
                                                 help_text=_("For the scope \"municipality\"."),
                                                 widget=forms.Select(attrs=SEARCHED))
    access_block = forms.ModelChoiceField(label=_("Block"), queryset=block_list(), required=False,
                                          empty_label=_("None"), help_text=_("For the scope \"block\"."))

    def __init__(self, *args: Any, system: ExternalSystem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = organisation_labels()
        for name in ("organisation", "access_organisation"):
            field = self.fields[name]
            field.queryset, field.labels = Organisation.objects.filter(is_active=True).order_by("path"), labels
        self.fields["rate_limit"].help_text = RATE_HELP % {"default": default_rate()}
        if system is not None:
            del self.fields["code"]
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"{self[name].id_for_label}-help")

    @staticmethod
    def initial_for(system: ExternalSystem, access: list[Any]) -> dict[str, Any]:
        values = {name: getattr(system, name) for name in ("name", "kind", "organisation", "description",
                                                           "contact_name", "contact_email", "rate_limit",
                                                           "answer_url", "payload_days")}
        if access:
            held = access[0]
            values.update(access_role=held.role, access_scope=held.scope, access_organisation=held.organisation,
                          access_municipality=held.municipality, access_block=held.block)
        return values


class TokenForm(Styled):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What the token is for, e.g. the server that will use it."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=list(TOKEN_SCOPES.items()),
                                       widget=forms.CheckboxSelectMultiple, initial=DEFAULT_TOKEN_SCOPES,
                                       required=False)
    expires_on = forms.DateField(label=_("Expires after"), required=False, widget=_date_input(),
                                 help_text=_("The last day the token works. Empty: it does not expire."))

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


class LogFilterForm(Styled):
    """The exchange log's filters (GET): the same ones the API takes."""

    system = forms.ModelChoiceField(label=_("System"), queryset=ExternalSystem.objects.none(), required=False,
                                    empty_label=_("Any"), to_field_name="code")
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices])
    direction = forms.ChoiceField(label=_("Direction"), required=False,
                                  choices=[("", _("Any")), *Direction.choices])
    status = forms.ChoiceField(label=pgettext_lazy("exchange", "Status"), required=False,
                               choices=[("", _("Any")), *ExchangeStatus.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=_date_input())
    hours = forms.IntegerField(label=_("The last hours"), required=False, min_value=1, max_value=MAX_HOURS)
    q = forms.CharField(label=_("Search"), max_length=200, required=False,
                        help_text=_("In the message id, the summary, the error and the kept payload."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems_in_log()
        self.fields["q"].widget.attrs["aria-describedby"] = f"{self['q'].id_for_label}-help"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return data

    def filters(self) -> LogFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return LogFilter(system=data.get("system"), channel=data.get("channel") or "",
                         direction=data.get("direction") or "", status=data.get("status") or "",
                         date_from=data.get("date_from"), date_to=data.get("date_to"), hours=data.get("hours"),
                         q=data.get("q") or "")
