"""Forms of the draft's pages: a comment on a provision, an amendment, the editor's new version and decision,
the filter of amendments and the choice of two versions to compare. They only shape input; the services
validate the domain (the key exists, the passage occurs, the stage) for pages and API alike."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.lawmaking.models import Amendment
from krai.lawmaking.provisions import MAX_TEXT


class AnchoredForm(forms.Form):
    """What a comment and an amendment share: the provision (hidden), the version read, the passage."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    quote = forms.CharField(label=_("Passage (optional)"), required=False, max_length=2000,
                            help_text=_("Copy the words you mean from the provision, or select them in the text."))


class AnnotationForm(AnchoredForm):
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentForm(AnchoredForm):
    proposed_text = forms.CharField(label=_("Proposed wording"), max_length=10_000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Replaces the passage, or the whole provision if no passage is "
                                                "given."))
    justification = forms.CharField(label=_("Justification"), required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class VersionForm(forms.Form):
    text = forms.CharField(label=_("Text of the draft"), max_length=MAX_TEXT, strip=False,
                           widget=forms.Textarea(attrs={"rows": 24, "class": "form-control font-monospace"}),
                           help_text=_("“Article 1. Heading” (or «Статья 1. Заголовок») starts an article; "
                                       "“1. …” a part; “1) …” or “а) …” a paragraph."))
    note = forms.CharField(label=_("What changed"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required for a rejection."))


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=500)


class AmendmentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Amendment.Status.choices])
    key = forms.CharField(label=_("Provision"), required=False, max_length=40)


class DiffForm(forms.Form):
    a = forms.IntegerField(label=_("Compare version"), required=False, min_value=1)
    b = forms.IntegerField(label=_("with version"), required=False, min_value=1)
