"""Forms of the verification pages: the public list's filter, the resident's request, the inspector's answer, a
keeper's cancellation. They only read input; the services validate the rules and write (their refusals are shown
by the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.construction.models import ConstructionObject, Decision, RequestReason, RequestStatus
from krai.construction.selectors.verification import Filters
from krai.core.forms import SEARCHED, Styled
from krai.org.selectors import municipality_list

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; the services prove each one (type, size, count)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        return [item for item in (data if isinstance(data, list | tuple) else [data]) if item]


def _photos(label: Any) -> PhotosField:
    return PhotosField(label=label, required=False, widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES}),
                       help_text=_("Up to 10 photos, JPEG, PNG or WebP. Location data inside photos is removed."))


class FilterForm(Styled):
    status = forms.ChoiceField(label=pgettext_lazy("construction", "Status"), required=False,
                               choices=[("", _("Any")), *RequestStatus.choices])
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any"), widget=forms.Select(attrs=SEARCHED))
    reason = forms.ChoiceField(label=pgettext_lazy("construction", "Reason"), required=False,
                               choices=[("", _("Any")), *RequestReason.choices])
    decision = forms.ChoiceField(label=pgettext_lazy("construction", "Decision"), required=False,
                                 choices=[("", _("Any")), *Decision.choices])
    object = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(status=data.get("status", ""), municipality=data.get("municipality"),
                       reason=data.get("reason", ""), decision=data.get("decision", ""), object=data.get("object"))


class RequestForm(Styled):
    reason = forms.ChoiceField(label=_("What is wrong with the site"), choices=RequestReason.choices,
                               initial=RequestReason.MISSING, widget=forms.RadioSelect)
    object = forms.ModelChoiceField(label=_("Registered object"), queryset=ConstructionObject.objects.all(),
                                    required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address"), max_length=300, required=False,
                              help_text=_("Type the address and choose it from the list, or click the map: the "
                                          "nearest address is filled in."))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lon = forms.FloatField(label=_("Longitude"), required=False,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    description = forms.CharField(label=_("What is wrong"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("What is being built, since when, what differs from the approvals "
                                              "(floors, purpose, outline). Do not write your phone or e-mail: the "
                                              "text is public."))
    observed_floors = forms.IntegerField(label=_("Floors seen"), required=False, min_value=1, max_value=200)
    photos = _photos(_("Photos of the site"))


class InspectForm(Styled):
    visited_on = forms.DateField(label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"},
                                                                              format="%Y-%m-%d"))
    findings = forms.CharField(label=_("Findings"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}),
                               help_text=_("What was found on the site; the text is published with the request."))
    decision = forms.ChoiceField(label=pgettext_lazy("construction", "Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    floors_found = forms.IntegerField(label=_("Floors found"), required=False, min_value=1, max_value=200)
    photos = _photos(_("Photos of the inspection"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CancelForm(Styled):
    reason = forms.CharField(label=_("Why the request is cancelled"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("E.g. “a duplicate of request № 12”: published and sent to the author."))
