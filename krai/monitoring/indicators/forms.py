"""The forms of the indicators pages: the filters of the deviation table, a report's values, an order."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.monitoring.indicators.models import Indicator


class Filters(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    block = forms.TypedChoiceField(label=_("Block"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    municipality = forms.TypedChoiceField(label=_("Municipality"), required=False, coerce=int, empty_value=None)
    project = forms.ChoiceField(label=_("National project"), required=False)
    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)
    colour = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All")), ("ok", _("on plan")), ("warn", _("behind")), ("critical", _("far behind")),
        ("none", _("no data"))])

    def __init__(self, *args, blocks=(), organisations=(), municipalities=(), projects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["block"].choices = everything + [(b.pk, str(b)) for b in blocks]
        self.fields["organisation"].choices = everything + [(o.pk, str(o)) for o in organisations]
        self.fields["municipality"].choices = [("", _("Region (total)"))] + [(m.pk, str(m)) for m in municipalities]
        self.fields["project"].choices = everything + [(p, p) for p in projects]


class ReportValues(forms.Form):
    """One number per indicator the organisation reports this month (the organisation's total)."""

    def __init__(self, *args, indicators: list[Indicator], initial_values: dict[int, object], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for ind in indicators:
            self.fields[f"v{ind.pk}"] = forms.DecimalField(
                label=f"{ind.code} — {ind.name}", help_text=ind.unit, required=False, max_digits=20,
                decimal_places=4, initial=initial_values.get(ind.pk),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))

    def values(self) -> list[tuple[Indicator, None, object]]:
        return [(ind, None, self.cleaned_data[f"v{ind.pk}"]) for ind in self.indicators
                if self.cleaned_data.get(f"v{ind.pk}") is not None]


class OrderForm(forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What to do"), required=False, max_length=5000, widget=forms.Textarea(
        attrs={"rows": 3}))
