"""Forms of the comment thread (the services validate again; these only label and size the fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why is it hidden?"), max_length=300,
                             widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
