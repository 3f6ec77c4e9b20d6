"""The reminders' part of an entry's form: a few rows of "how long before" and "by which channels", rendered by
``planner/_reminders.html`` and handed to ``services.reminders.reminders_set``. The entry's page owns the form and
the saving; this is the piece it includes::

    reminders = RemindersFormSet.for_entry(request.POST or None, entry=entry)
    if form.is_valid() and reminders.is_valid():
        entry = entry_save(...)
        reminders_set(actor=request.user, entry=entry, reminders=reminders.specs())
    ... {"reminders": reminders} → {% include "planner/_reminders.html" with formset=reminders %}
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from krai.core.forms import Styled
from krai.planner.models import Entry, Reminder
from krai.planner.services.reminders import MAX_REMINDERS, ReminderSpec

#: how long before, as offered (minutes)
PRESETS = (0, 5, 10, 15, 30, 60, 120, 24 * 60, 2 * 24 * 60, 7 * 24 * 60)
#: rows shown for a new entry (and at least one empty row after the reminders an entry has)
ROWS = 2
PREFIX = "reminders"


def minutes_label(minutes: int) -> str:
    """``15`` → "15 minutes before", ``1440`` → "1 day before", ``0`` → "At the start"."""
    if minutes == 0:
        return str(_("At the start (whole days: that morning)"))
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour before", "%(count)d hours before", hours) % {"count": hours}
    return ngettext("%(count)d minute before", "%(count)d minutes before", minutes) % {"count": minutes}


class ReminderForm(Styled):
    """One reminder row; "—" as the time leaves the row out."""

    minutes_before = forms.TypedChoiceField(label=_("Remind"), coerce=int, empty_value=None, required=False)
    channels = forms.MultipleChoiceField(label=_("How"), choices=Reminder.Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple, initial=[Reminder.Channel.INAPP])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = set(PRESETS)
        current = self.initial.get("minutes_before")
        if isinstance(current, int):
            offered.add(current)
        self.fields["minutes_before"].choices = [("", _("— no reminder —")),
                                                 *((m, minutes_label(m)) for m in sorted(offered))]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("minutes_before") is not None and not data.get("channels"):
            self.add_error("channels", _("Choose how to remind: in Krai, by e-mail or by push."))
        return data


class RemindersFormSet(forms.BaseFormSet):
    """The reminder rows of one entry's form."""

    @classmethod
    def for_entry(cls, data: Any = None, *, entry: Entry | None = None) -> RemindersFormSet:
        """The rows for ``entry`` (its reminders, then an empty row), or empty rows for a new entry."""
        initial = ([{"minutes_before": r.minutes_before, "channels": list(r.channels)}
                    for r in entry.reminders.order_by("minutes_before")] if entry is not None and entry.pk else [])
        extra = max(ROWS - len(initial), 1) if len(initial) < MAX_REMINDERS else 0
        formset_class = forms.formset_factory(ReminderForm, formset=cls, extra=extra,
                                              max_num=MAX_REMINDERS, validate_max=True)
        return formset_class(data, initial=initial, prefix=PREFIX)

    def specs(self) -> list[ReminderSpec]:
        """The reminders asked for (valid formset only), for ``reminders_set``."""
        return [ReminderSpec(form.cleaned_data["minutes_before"], tuple(form.cleaned_data["channels"]))
                for form in self.forms
                if form.cleaned_data and form.cleaned_data.get("minutes_before") is not None]
