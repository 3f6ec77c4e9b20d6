"""The planner's forms: an entry (its kind, title, day and times or whole days, place, notes, and how it repeats —
the simple chooser or a rule written by hand), the quick task, and the filter of "what I gave". They turn what was
typed into the services' arguments; the services check the rest, and their refusals come back on these fields."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.forms import Styled
from krai.planner import recurrence
from krai.planner.models import Entry
from krai.planner.selectors.entries import GIVEN_STATES
from krai.planner.services.entries import KEY_MAX, NOTES_MAX, PLACE_MAX, TITLE_MAX

REPEATS = [
    ("none", pgettext_lazy("repeats", "Does not repeat")),
    ("daily", pgettext_lazy("repeats", "Every day")),
    ("weekdays", pgettext_lazy("repeats", "Every working day (Monday to Friday)")),
    ("weekly", pgettext_lazy("repeats", "Every week")),
    ("monthly", pgettext_lazy("repeats", "Every month")),
    ("yearly", pgettext_lazy("repeats", "Every year")),
    ("custom", pgettext_lazy("repeats", "By a rule (advanced)")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _moment(day: date, at: time | None) -> datetime:
    return timezone.make_aware(datetime.combine(day, at or time.min), timezone.get_current_timezone())


class EntryForm(Styled):
    """An entry, as a person writes it. ``cleaned_data`` gives ``entry_values()``: the service's arguments."""

    kind = forms.ChoiceField(label=pgettext_lazy("planner", "Kind"), choices=Entry.Kind.choices,
                             initial=Entry.Kind.MEETING)
    title = forms.CharField(label=pgettext_lazy("planner", "Title"), max_length=TITLE_MAX)
    all_day = forms.BooleanField(label=pgettext_lazy("planner", "All day"), required=False)
    start_date = forms.DateField(label=pgettext_lazy("planner", "Date"), widget=DATE)
    start_time = forms.TimeField(label=pgettext_lazy("planner", "From"), required=False, widget=TIME,
                                 help_text=_("Leave empty for a whole day or a task without a time."))
    end_date = forms.DateField(label=pgettext_lazy("planner", "Until the day"), required=False, widget=DATE,
                               help_text=_("For an entry lasting several days."))
    end_time = forms.TimeField(label=pgettext_lazy("planner", "Until"), required=False, widget=TIME)
    location = forms.CharField(label=pgettext_lazy("planner", "Place"), max_length=PLACE_MAX, required=False)
    notes = forms.CharField(label=pgettext_lazy("planner", "Notes"), max_length=NOTES_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    repeat = forms.ChoiceField(label=pgettext_lazy("planner", "Repeats"), choices=REPEATS, initial="none")
    repeat_until = forms.DateField(label=pgettext_lazy("planner", "Repeats until (the day included)"),
                                   required=False, widget=DATE)
    repeat_count = forms.IntegerField(label=pgettext_lazy("planner", "Or this many times"), required=False,
                                      min_value=1, max_value=recurrence.MAX_COUNT)
    rrule = forms.CharField(
        label=pgettext_lazy("planner", "Rule (RFC 5545 RRULE)"), required=False, max_length=500,
        help_text=_("Only for “By a rule”, e.g. FREQ=MONTHLY;BYDAY=1MO (the first Monday of every month) or "
                    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH."))

    @classmethod
    def initial_of(cls, entry: Entry) -> dict[str, Any]:
        """The form's fields for an entry being changed."""
        starts = recurrence.local(entry.starts_at)
        ends = recurrence.local(entry.ends_at) if entry.ends_at else None
        chosen = recurrence.read(entry.rrule)
        return {
            "kind": entry.kind, "title": entry.title, "all_day": entry.all_day, "start_date": starts.date(),
            "start_time": None if entry.all_day else starts.time(),
            "end_date": ends.date() if ends and ends.date() != starts.date() else None,
            "end_time": ends.time() if ends and not entry.all_day else None,
            "location": entry.location, "notes": entry.notes, "repeat": chosen["choice"],
            "repeat_until": chosen["until"], "repeat_count": chosen["count"],
            "rrule": entry.rrule if chosen["choice"] == "custom" else "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get("start_date")
        if day is None:
            return data
        kind, all_day = data.get("kind"), data.get("all_day")
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if not all_day and start_time is None:
            if kind in (Entry.Kind.TASK, Entry.Kind.DEADLINE) or end_time is None:
                all_day = data["all_day"] = True  # a task or a day's deadline without a time: its whole day
            else:
                self.add_error("start_time", _("Give the time it starts, or tick “All day”."))
                return data
        starts_at = _moment(day, None if all_day else start_time)
        end_day = data.get("end_date") or (day if end_time else None)
        ends_at = None
        if end_day is not None:
            ends_at = _moment(end_day, None if all_day else (end_time or start_time))
            if ends_at < starts_at:
                self.add_error("end_date" if end_day < day else "end_time", _("It cannot end before it starts."))
                return data
        data["starts_at"], data["ends_at"] = starts_at, ends_at
        data["rrule_built"] = self._rule(data, starts_at, bool(all_day))
        return data

    def _rule(self, data: dict[str, Any], starts_at: datetime, all_day: bool) -> str:
        written = (data.get("rrule") or "").strip()
        choice = data.get("repeat") or "none"
        until, count = data.get("repeat_until"), data.get("repeat_count")
        if written:  # the written rule replaces the chooser
            try:
                return recurrence.normalise(written, starts_at, all_day=all_day)
            except ValidationError as exc:
                self.add_error("rrule", exc.messages)
                return ""
        if choice == "custom":
            self.add_error("rrule", _("Write the rule, or choose how it repeats."))
            return ""
        if choice == "none":
            return ""
        if until is not None and count is not None:
            self.add_error("repeat_count", _("Give either the last day or the number of times, not both."))
            return ""
        if until is not None and until < starts_at.date():
            self.add_error("repeat_until", _("The repeats cannot end before the first one."))
            return ""
        return recurrence.build(choice, starts_at=starts_at, all_day=all_day, until=until, count=count)

    def entry_values(self) -> dict[str, Any]:
        """The service's arguments (``entry_create`` / ``entry_update``)."""
        data = self.cleaned_data
        return {"kind": data["kind"], "title": data["title"], "starts_at": data["starts_at"],
                "ends_at": data["ends_at"], "all_day": bool(data.get("all_day")), "location": data["location"],
                "notes": data["notes"], "rrule": data["rrule_built"]}


#: a service's field names → this form's
ENTRY_FIELDS = {"starts_at": "start_date", "ends_at": "end_date"}


class QuickTaskForm(Styled):
    """A task written in one line: its title and, if not today, its day. ``client_key`` (hidden, made when the form
    is shown) makes a second submission of the same form answer the task made by the first."""

    title = forms.CharField(label=_("Quick task"), max_length=TITLE_MAX,
                            widget=forms.TextInput(attrs={"placeholder": _("What to do")}))
    due = forms.DateField(label=pgettext_lazy("planner", "By the day"), required=False, widget=DATE)
    client_key = forms.CharField(max_length=KEY_MAX, required=False, widget=forms.HiddenInput)


class OccurrenceForm(forms.Form):
    """Which occurrence of a repeating entry to leave out or bring back (its key: an ISO date or moment)."""

    occurrence = forms.CharField(max_length=40)


class DoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class GivenFilter(forms.Form):
    state = forms.ChoiceField(choices=[(s, s) for s in GIVEN_STATES], required=False)

    def state_or_default(self) -> str:
        """The list asked for; "all" when none or an unknown one is asked."""
        return (self.cleaned_data.get("state") or "all") if self.is_valid() else "all"

