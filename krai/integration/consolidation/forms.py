"""Consolidation's forms: the consolidated list's filters and the resend choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.forms import Styled
from krai.integration.consolidation import selectors
from krai.integration.consolidation.models import STATUS_LABELS

STATUS_CHOICES = [("", _("any")), ("open", _("under control")), ("closed", _("removed from control")),
                  *STATUS_LABELS.items()]
OVERDUE_CHOICES = [("", _("any")), ("1", _("overdue")), ("0", _("not overdue"))]


class OrderFilterForm(Styled):
    source = forms.ChoiceField(label=pgettext_lazy("consolidation", "Installation"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    overdue = forms.ChoiceField(label=_("Deadline"), choices=OVERDUE_CHOICES, required=False)
    q = forms.CharField(label=_("Number or words of the title"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("all")), *selectors.source_choices()]

    def filters(self) -> selectors.OrderFilter:
        """The filters asked for (an invalid value is left out, so the list still shows)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        overdue = data.get("overdue", "")
        return selectors.OrderFilter(source=data.get("source", ""), status=data.get("status", ""),
                                     overdue=None if overdue == "" else overdue == "1", q=data.get("q", ""))


class ResendForm(Styled):
    mode = forms.ChoiceField(label=_("What to send again"), widget=forms.RadioSelect, initial="orders", choices=[
        ("orders", _("every issued order as it is now")),
        ("events", _("the whole outbox from its first event (the full history of versions)"))])
