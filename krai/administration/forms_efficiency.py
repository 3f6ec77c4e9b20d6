"""The efficiency pages' choice of period (GET): a named period or custom dates, the period compared with (the
previous one unless chosen), "this unit only", and the sort."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.administration.efficiency_periods import MAX_DAYS, PRESETS, Period, default_period, preset, preset_labels
from krai.administration.selectors.efficiency_rows import MEASURES
from krai.core.forms import Styled

_FIELDS: dict[str, forms.Field] = {
    "preset": forms.ChoiceField(label=_("Period"), required=False),
    "from": forms.DateField(label=_("From (inclusive)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")),
    "to": forms.DateField(label=_("To (inclusive)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")),
    "compare_from": forms.DateField(label=_("Compare with: from"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")),
    "compare_to": forms.DateField(label=_("Compare with: to"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")),
    "only": forms.BooleanField(label=_("This unit only (without its sub-units)"), required=False),
    "sort": forms.ChoiceField(required=False, choices=[("", "")] + [(m, m) for m in MEASURES],
                              widget=forms.HiddenInput),
    "dir": forms.ChoiceField(required=False, choices=[("", ""), ("asc", "asc"), ("desc", "desc")],
                             widget=forms.HiddenInput),
}


class PeriodForm(Styled):
    """Which period, compared with which; bad dates are shown by their field and nothing is counted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [("", _("Custom dates")), *preset_labels()]

    def _pair(self, data: dict, start: str, end: str) -> Period | None:
        first, last = data.get(start), data.get(end)
        if first is None and last is None:
            return None
        if first is None or last is None:
            self.add_error(start if first is None else end, _("Give both dates of the period."))
            return None
        if first > last:
            self.add_error(end, _("The end of the period cannot be before its start."))
            return None
        if (last - first).days + 1 > MAX_DAYS:
            self.add_error(end, _("A period cannot be longer than ten years."))
            return None
        return Period(first, last)

    def clean(self) -> dict:
        data = super().clean()
        name = data.get("preset") or ""
        period = preset(name) if name in PRESETS else self._pair(data, "from", "to")
        compare = self._pair(data, "compare_from", "compare_to")
        if not self.errors:
            data["period"] = period or default_period()
            data["compare"] = compare or data["period"].previous()
        return data


PeriodForm.base_fields.update(_FIELDS)
