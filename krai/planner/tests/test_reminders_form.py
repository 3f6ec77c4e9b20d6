"""The reminders' piece of an entry's form: rows rendered with the entry's reminders, read back as the service's
reminders, a time without a channel refused by its row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from krai.org.tests.factories import StaffFactory
from krai.planner.forms_reminders import RemindersFormSet, minutes_label
from krai.planner.models import Reminder
from krai.planner.services.reminders import ReminderSpec, reminders_set
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def rows(*pairs: tuple[str, list[str]]) -> dict[str, object]:
    data: dict[str, object] = {"reminders-TOTAL_FORMS": str(len(pairs)), "reminders-INITIAL_FORMS": "0"}
    for index, (minutes, channels) in enumerate(pairs):
        data[f"reminders-{index}-minutes_before"] = minutes
        data[f"reminders-{index}-channels"] = channels
    return data


def test_the_rows_show_the_entrys_reminders_and_an_empty_one() -> None:
    owner = StaffFactory()
    entry = EntryFactory(owner=owner, starts_at=datetime(2026, 12, 10, 11, 0, tzinfo=ZoneInfo("Europe/Moscow")))
    reminders_set(actor=owner, entry=entry, reminders=[(45, ["email", "push"])])
    formset = RemindersFormSet.for_entry(entry=entry)
    html = render_to_string("planner/_reminders.html", {"formset": formset})
    assert len(formset.forms) == 2
    assert 'name="reminders-TOTAL_FORMS"' in html
    assert '<option value="45" selected>45 minutes before</option>' in html  # not a preset, still offered
    assert 'name="reminders-0-channels" value="email"' in html and "checked" in html
    assert 'href="/notifications/devices/"' in html


def test_the_rows_give_the_services_reminders_and_leave_out_empty_ones() -> None:
    formset = RemindersFormSet.for_entry(rows(("15", ["inapp", "push"]), ("", ["inapp"]), ("1440", ["email"])))
    assert formset.is_valid(), formset.errors
    assert formset.specs() == [ReminderSpec(15, ("inapp", "push")), ReminderSpec(1440, ("email",))]


def test_a_time_without_a_channel_is_refused_on_its_row() -> None:
    formset = RemindersFormSet.for_entry(rows(("15", []),))
    assert not formset.is_valid()
    assert "channels" in formset.forms[0].errors
    assert not Reminder.objects.exists()


def test_labels_say_how_long_before() -> None:
    assert [minutes_label(m) for m in (5, 60, 120, 1440, 2880)] == [
        "5 minutes before", "1 hour before", "2 hours before", "1 day before", "2 days before"]
