"""Forms of the illegal constructions' pages: the list's filter, an entry, a measure, the report's choice. They
only read input; the services check the rules and write (their refusals are shown by the fields)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models import ConstructionObject, IllegalConstruction, IllegalStatus, MeasureKind, Source
from krai.construction.selectors import illegal as selectors
from krai.core.forms import SEARCHED, Styled
from krai.org.selectors import municipality_list


def _date_field(label: Any, *, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _municipality_field(*, empty: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                  empty_label=empty, widget=forms.Select(attrs=SEARCHED))


class FilterForm(Styled):
    q = forms.CharField(label=_("Address or cadastral number"), max_length=200, required=False)
    municipality = _municipality_field(empty=_("Any"))
    status = forms.ChoiceField(label=pgettext_lazy("construction", "Status"), required=False,
                               choices=[("", _("Any")), *IllegalStatus.choices])
    source = forms.ChoiceField(label=pgettext_lazy("construction", "Source"), required=False,
                               choices=[("", _("Any")), *Source.choices])
    found_from = _date_field(_("Found from"))
    found_to = _date_field(_("Found to"))
    not_found = forms.BooleanField(label=_("Address not found"), required=False)
    # the import's result page links here (a hidden field keeps the list to what the import stored)
    import_id = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, keeper: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not keeper:
            del self.fields["not_found"]  # the flag is the keepers' work list

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``selectors.illegal.illegal_list`` for what was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"q": data.get("q", ""), "municipality": data.get("municipality"), "status": data.get("status", ""),
                "source": data.get("source", ""), "found_from": data.get("found_from"),
                "found_to": data.get("found_to"), "not_found": bool(data.get("not_found")),
                "import_id": data.get("import_id")}


class RegisteredObjectField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ConstructionObject) -> str:
        return f"{obj.name} — {obj.address}"


class IllegalForm(Styled):
    address = forms.CharField(label=_("Address"), max_length=300,
                              help_text=_("Placed on the map by the address registry unless you give the point."))
    municipality = _municipality_field(empty=_("Found by the point or the address"))
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                           help_text=_("Optional: the point, if known (WGS 84, e.g. 45.0355)."))
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                           help_text=_("Optional: e.g. 38.9753."))
    cadastral_number = forms.CharField(label=_("Cadastral number"), max_length=40, required=False)
    found_on = _date_field(_("Found on"), required=True)
    status = forms.ChoiceField(label=pgettext_lazy("construction", "Status"), choices=IllegalStatus.choices,
                               initial=IllegalStatus.IDENTIFIED)
    owner = forms.CharField(label=_("Owner or builder"), max_length=300, required=False,
                            help_text=_("Published only when it is an organisation; a person's name is seen by the "
                                        "registry's keepers only."))
    description = forms.CharField(label=_("Description"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    registered_object = RegisteredObjectField(label=_("Registered object"), required=False,
                                              queryset=ConstructionObject.objects.order_by("name", "id"),
                                              empty_label=_("None"), widget=forms.Select(attrs=SEARCHED),
                                              help_text=_("When the construction departs from an object of the "
                                                          "registry."))

    @staticmethod
    def initial_of(entry: IllegalConstruction) -> dict[str, Any]:
        return {"address": entry.address, "municipality": entry.municipality_id,
                "lat": entry.lat if entry.location == "given" else None,
                "lon": entry.lon if entry.location == "given" else None,
                "cadastral_number": entry.cadastral_number, "found_on": entry.found_on, "status": entry.status,
                "owner": entry.owner, "description": entry.description, "registered_object": entry.object_id}

    def values(self, entry: IllegalConstruction | None = None) -> dict[str, Any]:
        """The service's keyword arguments. Editing an entry placed by the address, empty coordinates keep its
        place (the form does not show a point it did not get by hand)."""
        data = dict(self.cleaned_data)
        if entry is not None and entry.location != "given" and data.get("lat") is None and data.get("lon") is None:
            data.pop("lat")
            data.pop("lon")
        return data


class CourtCaseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"№ {obj.number} · {obj.court} · {obj.organisation}"


class MeasureForm(Styled):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    taken_on = _date_field(_("Date"), required=True, initial=timezone.localdate)
    number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    amount = forms.DecimalField(label=_("Amount, ₽"), required=False, min_value=0, max_digits=14, decimal_places=2,
                                help_text=_("For a fine: required."))
    court_case = CourtCaseField(label=_("Court case"), required=False, queryset=None, empty_label=_("None"),
                                widget=forms.Select(attrs=SEARCHED),
                                help_text=_("For a court case: the case of the lawsuit monitoring, if it is there."))
    description = forms.CharField(label=_("Description"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court_case"].queryset = selectors.court_cases_for(user)


def _this_year_start() -> date:
    return timezone.localdate().replace(month=1, day=1)


class ReportForm(Styled):
    municipality = _municipality_field(empty=_("All municipalities"))
    date_from = _date_field(_("From"), required=False, initial=_this_year_start)
    date_to = _date_field(_("To"), required=False, initial=timezone.localdate)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("date_from"):
            data["date_from"] = _this_year_start()
        if not data.get("date_to"):
            data["date_to"] = timezone.localdate()
        if data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The period ends before it starts."))
        return data
