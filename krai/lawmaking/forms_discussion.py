"""Forms of the discussion's pages: a question, an answer, a filter subscription, the statistics' filters. They only
read input; the services validate the rules and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.lawmaking.forms_initiatives import Styled
from krai.lawmaking.models import Level
from krai.lawmaking.services.discussion import QUESTION_MAX
from krai.org.selectors import municipality_list
from krai.social.selectors.profiles import expertise_fields

#: the region's municipalities are searched as one types (``krai/static/krai/picker.js``, "local" mode)
MUNICIPALITY_SEARCH = {"data-krai-picker": "local",
                       "data-krai-picker-more": _("More are found: type more of the name."),
                       "data-krai-picker-none": _("Nothing is found.")}
LEVELS = [("", _("Any level")), *Level.choices]


class QuestionForm(Styled):
    text = forms.CharField(label=_("Your question to the public"), max_length=QUESTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class FilterForm(Styled):
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS, required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any municipality"),
                                          widget=forms.Select(attrs=MUNICIPALITY_SEARCH))
    field = forms.ModelChoiceField(label=pgettext_lazy("law-making", "Subject"),
                                   queryset=expertise_fields().order_by("name"), required=False,
                                   empty_label=_("Any subject"))


class StatsForm(Styled):
    date_from = forms.DateField(label=_("Published from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Published until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS, required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any municipality"),
                                          widget=forms.Select(attrs=MUNICIPALITY_SEARCH))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data
