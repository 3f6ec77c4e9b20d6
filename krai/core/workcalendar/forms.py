"""The administrators' form for one override of the production calendar."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    is_working = forms.TypedChoiceField(
        label=_("This day is"), coerce=lambda value: value == "1", empty_value=None,
        choices=[("1", _("a working day")), ("0", _("a day off"))],
        widget=forms.Select(attrs={"class": "form-select"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("Why: a regional holiday, a government decree…"),
                           widget=forms.TextInput(attrs={"class": "form-control"}))
