"""Forms of the community's moderation: a report, the queue's filters, a moderator's decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.social.models import AbuseReport

KIND_CHOICES = [
    ("", pgettext_lazy("social", "any kind")),
    ("publication", pgettext_lazy("social", "publication")),
    ("album", pgettext_lazy("social", "album")),
    ("photo", pgettext_lazy("social", "photo")),
    ("comment", pgettext_lazy("social", "comment")),
    ("message", pgettext_lazy("social", "message")),
    ("profile", pgettext_lazy("social", "profile")),
]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=AbuseReport.Reason.choices,
                               widget=forms.RadioSelect)
    details = forms.CharField(label=_("Details (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "maxlength": 2000}),
                              help_text=_("Only the moderators read this."))


class QueueFilterForm(forms.Form):
    reason = forms.ChoiceField(label=pgettext_lazy("report", "reason"), required=False,
                               choices=[("", pgettext_lazy("social", "any reason")), *AbuseReport.Reason.choices],
                               widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_CHOICES,
                             widget=forms.Select(attrs={"class": "form-select"}))


def _text(label: str, *, required: bool, rows: int = 2) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=500,
                           widget=forms.Textarea(attrs={"rows": rows, "class": "form-control", "maxlength": 500}))


class HideForm(forms.Form):
    reason = _text(_("Reason the author will read"), required=True)


class NoteForm(forms.Form):
    note = _text(_("Note (optional)"), required=False)


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Reason the person will read"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "maxlength": 2000}))
    ends_at = forms.DateTimeField(label=pgettext_lazy("ban", "until"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"},
                                                             format="%Y-%m-%dT%H:%M"))


class LiftForm(forms.Form):
    reason = _text(_("Why the ban is lifted"), required=True, rows=1)
