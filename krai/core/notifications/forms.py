"""The preferences form: one row per category, built from ``selectors.preference_table``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.core.notifications import services
from krai.core.notifications.models import NotificationPreference as Pref


class PreferencesForm(forms.Form):
    """Fields ``<n>-in_app``, ``<n>-email``, ``<n>-digest``, ``<n>-push`` for row n; the rows' keys never come from
    the client."""

    def __init__(self, *args, table: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        for number, row in enumerate(table):
            label = row["label"]
            self.fields[f"{number}-in_app"] = forms.BooleanField(
                required=False, initial=row["in_app"], label=_("%(category)s: in the inbox") % {"category": label})
            self.fields[f"{number}-email"] = forms.BooleanField(
                required=False, initial=row["email"], label=_("%(category)s: by e-mail") % {"category": label})
            self.fields[f"{number}-digest"] = forms.ChoiceField(
                choices=Pref.Digest.choices, initial=row["digest"],
                label=_("%(category)s: how often by e-mail") % {"category": label})
            self.fields[f"{number}-push"] = forms.BooleanField(
                required=False, initial=row["push"],
                label=_("%(category)s: by push to my devices") % {"category": label})

    def rows(self):
        """(row, in_app field, email field, digest field, push field) for the template."""
        for number, row in enumerate(self.table):
            yield (row, self[f"{number}-in_app"], self[f"{number}-email"], self[f"{number}-digest"],
                   self[f"{number}-push"])

    def save(self, *, user) -> int:
        """Store what differs from what the row showed; returns how many settings changed.

        A category with no setting of its own that ends equal to the new ``*`` choice stays without one, so
        it keeps following ``*``.
        """
        changes = 0
        for number, row in enumerate(self.table):
            for channel in (Pref.Channel.IN_APP, Pref.Channel.EMAIL, Pref.Channel.PUSH):
                wanted = self._choice(number, channel)
                if row["explicit"][channel] or number == 0:
                    shown_digest = row["digest"] if channel == Pref.Channel.EMAIL else Pref.Digest.IMMEDIATE
                    reference = (row[channel], shown_digest)
                else:
                    reference = self._choice(0, channel)
                if wanted == reference:
                    continue
                services.set_preference(user=user, kind=row["key"], channel=channel, enabled=wanted[0],
                                        digest=wanted[1])
                changes += 1
        return changes

    def _choice(self, number: int, channel: str) -> tuple[bool, str]:
        digest = self.cleaned_data[f"{number}-digest"] if channel == Pref.Channel.EMAIL else Pref.Digest.IMMEDIATE
        return self.cleaned_data[f"{number}-{channel}"], digest
