"""Forms of the organisation's staffing page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.monitoring.staffing.models import StaffPosition


def _style(form: forms.Form) -> None:
    """Bootstrap's classes, so that a long choice never widens the page past a phone's screen."""
    for field in form.fields.values():
        widget = field.widget
        base = {"checkbox": "form-check-input", "select": "form-select"}.get(
            getattr(widget, "input_type", "") or ("select" if isinstance(widget, forms.Select) else ""),
            "form-control")
        widget.attrs["class"] = f"{base} form-control-sm" if base == "form-control" else f"{base}"


class _PositionForm(forms.Form):
    def __init__(self, *args, positions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = StaffPosition.objects.filter(pk__in=[p.pk for p in positions])
        self.fields["position"].label_from_instance = lambda p: f"{p.unit} — {p.title} ({p.rate})"
        _style(self)


class VacancyForm(_PositionForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=StaffPosition.objects.none())
    opened_on = forms.DateField(label=_("Opened"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    critical = forms.BooleanField(label=_("Critical"), required=False)


class EmploymentForm(_PositionForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=StaffPosition.objects.none())
    person_name = forms.CharField(label=_("Name"), max_length=300)
    rate = forms.DecimalField(label=_("Rate"), required=False, min_value=0.01, decimal_places=2)
    started_on = forms.DateField(label=_("Started"), widget=forms.DateInput(attrs={"type": "date"}))
    acting = forms.BooleanField(label=_("Acting"), required=False)
    on_leave = forms.BooleanField(label=_("On leave"), required=False)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
