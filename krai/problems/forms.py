"""Forms of the problems pages: they only collect input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.org.selectors import municipality_list, organisation_list
from krai.problems import selectors
from krai.problems.models import Category, Problem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; the services prove each one (type, size, count)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [item for item in (data if isinstance(data, list | tuple) else [data]) if item]


class Styled(forms.Form):
    """Bootstrap's classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


def leaf_queryset():
    return selectors.category_list().filter(pk__in=[c.pk for c in selectors.category_leaves()]) \
        .order_by("parent__sort_order", "parent__name", "sort_order", "name")


class ReportForm(Styled):
    category = CategoryChoice(label=_("Theme"), queryset=Category.objects.none(), empty_label=_("— choose the theme —"))
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    lat = forms.CharField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    lon = forms.CharField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=4000, required=False)
    photos = PhotosField(label=_("Photos"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    anonymous = forms.BooleanField(label=_("Do not show my name to the public (moderators still see it)"),
                                   required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = leaf_queryset()


class FilterForm(Styled):
    category = forms.ModelChoiceField(label=_("Theme"), queryset=selectors.category_list(), required=False,
                                      empty_label=_("All themes"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Any status")), ("open", _("Open")), ("closed", _("Answered and closed")),
        *[(s.value, s.label) for s in Problem.Status if s.value in Problem.PUBLISHED]])
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("All municipalities"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_list()
        self.fields["municipality"].queryset = municipality_list()

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        return selectors.Filters(category=data.get("category"), status=data.get("status") or "",
                                 municipality_id=data["municipality"].pk if data.get("municipality") else None,
                                 date_from=data.get("date_from"), date_to=data.get("date_to"))


class RateForm(Styled):
    rating = forms.TypedChoiceField(label=_("Your rating of the result"), coerce=int,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (needed for a rating of 1 or 2: the problem goes back)"),
                              widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class ReopenForm(Styled):
    reason = forms.CharField(label=_("What is still wrong"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


class PublishForm(Styled):
    public_description = forms.CharField(label=_("Text shown to the public (edit out personal data)"),
                                         widget=forms.Textarea(attrs={"rows": 5}))
    organisation = forms.ModelChoiceField(label=_("Responsible organisation (empty: by the routing table)"),
                                          queryset=organisation_list(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_list()


class RejectForm(Styled):
    reason = forms.CharField(label=_("Reason (the author is told)"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(Styled):
    into = forms.IntegerField(label=_("Number of the original report"), min_value=1)


class AnswerForm(Styled):
    answer = forms.ChoiceField(label=_("Answer"), choices=Problem.Answer.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Text of the answer"), widget=forms.Textarea(attrs={"rows": 4}))
    planned_date = forms.DateField(label=_("Planned for"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    programme = forms.CharField(label=_("Programme that funds the work"), max_length=300, required=False)
    photos = PhotosField(label=_("Photos of the result"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class ReassignForm(Styled):
    organisation = forms.ModelChoiceField(label=_("Pass to"), queryset=organisation_list())
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_list()
