"""Forms of the registry's pages: the list's filters, an object (entered or changed by a keeper, with the stage
and a note), a document or a photo. They only read input; the services validate the registry's rules and write
(their refusals are shown by the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models import ConstructionObject, ObjectKind, ObjectStage
from krai.construction.services.objects import EDITABLE
from krai.core.forms import SEARCHED, Styled
from krai.org.selectors import municipality_list, organisation_list

#: long lists (the region's municipalities and bodies) are searched as one types: ``krai/static/krai/picker.js``
DATE = {"type": "date"}


class GeometryField(forms.JSONField):
    """GeoJSON typed as text; nothing is an empty box (not the word "null")."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class FilterForm(Styled):
    """The list's and the map's filters (the export takes the same)."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any"), widget=forms.Select(attrs=SEARCHED))
    kind = forms.ChoiceField(label=pgettext_lazy("construction", "Type"), required=False,
                             choices=[("", _("Any")), *ObjectKind.choices])
    stage = forms.ChoiceField(label=pgettext_lazy("construction", "Stage"), required=False,
                              choices=[("", _("Any")), *ObjectStage.choices])
    q = forms.CharField(label=_("Words"), max_length=200, required=False,
                        help_text=_("Name, address, developer, permit or cadastral number"))
    expired = forms.BooleanField(label=_("Permit expired"), required=False)

    def filters(self) -> dict[str, Any]:
        """The filters of ``selectors.objects.object_list`` for what was chosen (nothing for a bad choice)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"municipality": data.get("municipality"), "kind": data.get("kind", ""),
                "stage": data.get("stage", ""), "q": data.get("q", ""), "expired": bool(data.get("expired"))}


class ObjectForm(Styled):
    """An object of the registry; ``note`` (why it changed) only when changing one."""

    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=pgettext_lazy("construction", "Type"), choices=ObjectKind.choices)
    stage = forms.ChoiceField(label=pgettext_lazy("construction", "Stage"), choices=ObjectStage.choices)
    address = forms.CharField(label=_("Address"), max_length=300,
                              help_text=_("Without a point on the map the address is looked up in the address "
                                          "registry."))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    polygon = GeometryField(label=_("Outline of the plot (GeoJSON)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
                              help_text=_("A GeoJSON Polygon or MultiPolygon, longitude first; its centre is the "
                                          "point when no point is given."))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Found by the point"), widget=forms.Select(attrs=SEARCHED))
    cadastral_number = forms.CharField(label=_("Cadastral number"), max_length=40, required=False,
                                       help_text=_("For example 23:43:0123456:789"))
    developer = forms.CharField(label=_("Developer"), max_length=300, required=False)
    developer_inn = forms.CharField(label=_("Developer's INN"), max_length=12, required=False)
    permit_number = forms.CharField(label=_("Permit number"), max_length=64, required=False)
    permit_date = forms.DateField(label=_("Permit date"), required=False, widget=forms.DateInput(attrs=DATE))
    permit_authority = forms.CharField(label=_("Issued by"), max_length=300, required=False)
    permit_valid_until = forms.DateField(label=_("Permit valid until"), required=False,
                                         widget=forms.DateInput(attrs=DATE))
    approved_floors = forms.IntegerField(label=_("Approved floors"), required=False)
    approved_area = forms.DecimalField(label=_("Approved area, m²"), required=False, max_digits=12,
                                       decimal_places=2)
    purpose = forms.CharField(label=_("Approved purpose"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    inspection_body = forms.ModelChoiceField(label=_("Inspection body"), queryset=organisation_list(),
                                             required=False, empty_label=_("The region's inspection body"),
                                             widget=forms.Select(attrs=SEARCHED))
    note = forms.CharField(label=_("Why it changes"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Kept in the public history; required to take a commissioned object back."))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["note"]

    @staticmethod
    def initial_of(obj: ConstructionObject) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in EDITABLE}

    def values(self) -> dict[str, Any]:
        """The object's fields for the services (without the note)."""
        return {name: self.cleaned_data.get(name) for name in EDITABLE}


class FileForm(Styled):
    """A document (PDF, office file or a scan) or a photo (an image) of an object."""

    kind = forms.ChoiceField(label=_("What it is"), initial="document", widget=forms.RadioSelect,
                             choices=[("document", _("A document (permit, approvals, act)")),
                                      ("photo", _("A photo of the site"))])
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(
        attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.jpg,.jpeg,.png,.webp"}))
