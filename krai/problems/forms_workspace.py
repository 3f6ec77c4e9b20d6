"""Forms of the workspace's queues: filters that live in the URL, and moderation of many reports at once."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.problems import selectors
from krai.problems.forms import FilterForm, Styled
from krai.problems.models import Problem


class QueueFilterForm(FilterForm):
    """The problem queue's filters: status, theme, municipality, body (by name, searched), overdue, text."""

    body = forms.CharField(label=_("Responsible body"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"list": "krai-bodies", "type": "search",
                                                         "autocomplete": "off"}))
    text = forms.CharField(label=_("Text or number"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"type": "search"}))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    field_order = ["status", "category", "municipality", "body", "text", "date_from", "date_to", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), ("open", _("Open")),
                                         ("closed", _("Answered and closed")),
                                         *[(s.value, s.label) for s in Problem.Status if s.value in Problem.PUBLISHED]]
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        return selectors.Filters(category=data.get("category"), status=data.get("status") or "",
                                 municipality_id=data["municipality"].pk if data.get("municipality") else None,
                                 date_from=data.get("date_from"), date_to=data.get("date_to"),
                                 overdue=bool(data.get("overdue")), text=(data.get("text") or "").strip(),
                                 body=(data.get("body") or "").strip())


class ModerationFilterForm(FilterForm):
    """The moderation queue's filters: theme, municipality, text or number (every report there is new)."""

    text = forms.CharField(label=_("Text or number"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "date_from", "date_to"):
            del self.fields[name]

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        return selectors.Filters(category=data.get("category"),
                                 municipality_id=data["municipality"].pk if data.get("municipality") else None,
                                 text=(data.get("text") or "").strip())


class BulkModerationForm(Styled):
    """Ticked reports and one decision for all of them (the services check each report)."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(choices=[("publish", _("Publish and route")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason of rejection (one for all; each author is told)"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # any number is accepted here: which of them the user may moderate is the queue's and the service's call
        self.fields["ids"].choices = [(v, v) for v in (self.data.getlist("ids") if hasattr(self.data, "getlist")
                                                       else [])]
