"""Forms of the works' pages: the list's filters and the statistics', the staff's work and its moves, files, the
resident's rating. They only read input; the services validate the rules and write (refusals shown by field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models import Work, WorkKind, WorkStatus
from krai.construction.selectors import works as selectors
from krai.core.forms import SEARCHED, Styled
from krai.org.models import Organisation
from krai.org.selectors import municipality_list
from krai.projects.models import Programme


def _date_input() -> forms.DateInput:
    """The browser's date picker, which reads and writes ISO dates only."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")



class BodyField(forms.ModelChoiceField):
    """A body by its name, a unit with its parent's ("Отдел — Министерство")."""

    def label_from_instance(self, obj: Organisation) -> str:
        name = obj.short_name or obj.name
        parent = obj.parent
        return f"{name} — {parent.short_name or parent.name}" if parent is not None else name


class WorkFilterForm(Styled):
    street = forms.CharField(label=_("My street"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"list": "krai-work-streets", "autocomplete": "off"}),
                             help_text=_("Type your street's name: the works on it are listed."))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any"), widget=forms.Select(attrs=SEARCHED))
    kind = forms.ChoiceField(label=_("Type of work"), required=False, choices=[("", _("Any")), *WorkKind.choices])
    status = forms.ChoiceField(label=pgettext_lazy("construction", "Status"), required=False,
                               choices=[("", _("Any")), *WorkStatus.choices])
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    date_from = forms.DateField(label=_("Going on from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("Going on until"), required=False, widget=_date_input())
    body = BodyField(label=_("Responsible body"), queryset=Organisation.objects.none(), required=False,
                     empty_label=_("Any"), widget=forms.Select(attrs=SEARCHED))
    # the statistics' links: a number's list is exactly what was counted
    outcome = forms.ChoiceField(required=False, choices=[("", ""), *((o, o) for o in selectors.OUTCOMES)],
                                widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = selectors.responsible_bodies().select_related("parent")

    def search_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``selectors.works.public_works`` for what was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if not self.is_bound:
            data = {"municipality": self.initial.get("municipality")}
        return {name: data.get(name) or ("" if name in ("kind", "status", "street", "q", "outcome") else None)
                for name in ("municipality", "kind", "status", "street", "q", "date_from", "date_to", "body",
                             "outcome")}


class StatsForm(Styled):
    date_from = forms.DateField(label=_("Going on from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("Going on until"), required=False, widget=_date_input())
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any"), widget=forms.Select(attrs=SEARCHED))
    kind = forms.ChoiceField(label=_("Type of work"), required=False, choices=[("", _("Any")), *WorkKind.choices])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return data


class WorkForm(Styled):
    """A work as staff enter it; the planned dates only when it is new (later: "Reschedule")."""

    name = forms.CharField(label=pgettext_lazy("construction", "Name"), max_length=300,
                           help_text=_("What is done where: “Repair of Krasnaya street from Mira to Sedina”."))
    kind = forms.ChoiceField(label=_("Type of work"), choices=WorkKind.choices)
    responsible_body = BodyField(label=_("Responsible body"), queryset=Organisation.objects.none(),
                                 widget=forms.Select(attrs=SEARCHED))
    address = forms.CharField(label=_("Address"), max_length=300,
                              help_text=_("Without a point on the map, the work is placed by this address."))
    street = forms.CharField(label=_("Street"), max_length=200, required=False,
                             help_text=_("The street's name as residents look for it (found by the address if "
                                         "left empty)."))
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    geometry = forms.JSONField(label=_("Line or outline (GeoJSON)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("Optional: a road's line or a yard's outline as a GeoJSON geometry."))
    contractor = forms.CharField(label=_("Contractor"), max_length=300, required=False)
    contractor_inn = forms.CharField(label=_("Contractor's INN"), max_length=12, required=False)
    programme = forms.ModelChoiceField(label=_("Funding programme"), queryset=Programme.objects.order_by("title"),
                                       required=False, empty_label=_("Not one of Krai's programmes"),
                                       widget=forms.Select(attrs=SEARCHED))
    funding = forms.CharField(label=_("Funding"), max_length=300, required=False,
                              help_text=_("The programme or budget line when it is not one of Krai's programmes."))
    cost = forms.DecimalField(label=_("Cost, ₽"), required=False, min_value=0, max_digits=16, decimal_places=2)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    planned_start = forms.DateField(label=_("Planned start"), widget=_date_input())
    planned_end = forms.DateField(label=_("Planned end"), widget=_date_input())
    note = forms.CharField(label=_("What changed and why"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, work: Work | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = selectors.bodies_for(user)
        if work is not None:  # its present body stays choosable (even one since closed)
            bodies = (Organisation.objects.select_related("parent").order_by("path")
                      .filter(Q(pk__in=bodies.values("pk")) | Q(pk=work.responsible_body_id)))
        self.fields["responsible_body"].queryset = bodies
        if work is None:
            del self.fields["note"]
        else:
            del self.fields["planned_start"], self.fields["planned_end"]

    @staticmethod
    def initial_of(work: Work) -> dict[str, Any]:
        names = ("name", "kind", "responsible_body", "address", "street", "lat", "lon", "geometry", "contractor",
                 "contractor_inn", "programme", "funding", "cost", "description")
        return {name: getattr(work, f"{name}_id" if name in ("responsible_body", "programme") else name)
                for name in names}

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("note", None)
        return data


class StartForm(Styled):
    on = forms.DateField(label=_("Started on"), required=False, widget=_date_input(),
                         help_text=_("Today if left empty."))


class CompleteForm(Styled):
    on = forms.DateField(label=_("Completed on"), required=False, widget=_date_input(),
                         help_text=_("Today if left empty."))


class SuspendForm(Styled):
    reason = forms.CharField(label=_("Why it is suspended"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(Styled):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(Styled):
    planned_start = forms.DateField(label=_("Planned start"), widget=_date_input())
    planned_end = forms.DateField(label=_("Planned end"), widget=_date_input())
    reason = forms.CharField(label=_("Why the plan moves"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Subscribers read it when the end moves later."))


class FileForm(Styled):
    kind = forms.ChoiceField(label=_("What it is"), widget=forms.RadioSelect,
                             choices=[("document", _("A document: estimate, contract, act (PDF or office)")),
                                      ("photo", _("A photo"))], initial="document")
    upload = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"


class RateForm(Styled):
    score = forms.TypedChoiceField(label=_("Your rating of the result"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(n, str(n)) for n in range(1, 6)])
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Shown on the work's page; do not write your phone or address."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs["class"] = "form-check-input"
