"""Forms of the court-case pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.monitoring.lawsuits.models import CourtCase, Stage


def _style(form: forms.Form) -> None:
    """Bootstrap's classes, so that a long choice never widens the page past a phone's screen."""
    for field in form.fields.values():
        widget = field.widget
        base = {"checkbox": "form-check-input", "select": "form-select"}.get(
            getattr(widget, "input_type", "") or ("select" if isinstance(widget, forms.Select) else ""),
            "form-control")
        widget.attrs["class"] = f"{base} form-control-sm" if base == "form-control" else f"{base}"


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class StageForm(_Styled):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class HearingForm(_Styled):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    room = forms.CharField(label=_("Court room"), required=False, max_length=100)


class OutcomeForm(_Styled):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CourtCase.Outcome.choices)
    amount_awarded = forms.DecimalField(label=_("Amount awarded"), required=False, min_value=0, decimal_places=2)


class FilterForm(_Styled):
    q = forms.CharField(label=_("Search"), required=False)
    organisation = forms.CharField(label=_("Organisation code"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", "—"), *CourtCase.Category.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=[("", "—"), ("open", _("open")), *Stage.choices])
    flagged = forms.BooleanField(label=_("No next step"), required=False)
    soon = forms.BooleanField(label=_("Hearing within 7 days"), required=False)
    mine = forms.BooleanField(label=_("My cases"), required=False)
