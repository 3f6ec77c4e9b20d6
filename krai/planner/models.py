"""The personal planner: an official's own tasks and events (with RFC 5545 recurrence), their reminders and the
secret token of his iCalendar feed. (The browsers that receive his web push are the kernel's notifications'.)

What other areas put in his day (assignments' deadlines, control points, hearings…) is not stored here: it is read
from those areas when a period is shown (``krai.core.agenda``) and stays theirs, read-only in the planner.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.models import TimeStamped


class Entry(TimeStamped):
    """A personal task or event of its owner. A task may have a due time and is ticked off (``done_at``); an event
    takes a time (``starts_at``…``ends_at``) or whole days (``all_day``: the dates of ``starts_at``…``ends_at``,
    the end included). ``rrule`` repeats it (an RFC 5545 RRULE without the ``RRULE:`` prefix) from ``starts_at``,
    except on ``exdates`` (ISO dates or date-times of the occurrences left out)."""

    class Kind(models.TextChoices):
        TASK = "task", pgettext_lazy("planner", "Task")
        MEETING = "meeting", pgettext_lazy("planner", "Meeting")
        TRIP = "trip", pgettext_lazy("planner", "Trip")
        HEARING = "hearing", pgettext_lazy("planner", "Hearing")
        DEADLINE = "deadline", pgettext_lazy("planner", "Deadline")
        EVENT = "event", pgettext_lazy("planner", "Other event")

    class Source(models.TextChoices):
        MANUAL = "manual", pgettext_lazy("planner source", "Written in the planner")
        ICS = "ics", pgettext_lazy("planner source", "Imported from a calendar file")
        VOICE = "voice", pgettext_lazy("planner source", "Dictated")
        OFFLINE = "offline", pgettext_lazy("planner source", "Written offline in the app")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planner_entries",
                              verbose_name=pgettext_lazy("planner", "owner"))
    kind = models.CharField(pgettext_lazy("planner", "kind"), max_length=16, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(pgettext_lazy("planner", "title"), max_length=300)
    notes = models.TextField(pgettext_lazy("planner", "notes"), blank=True)
    location = models.CharField(pgettext_lazy("planner", "place"), max_length=300, blank=True)
    starts_at = models.DateTimeField(pgettext_lazy("planner", "starts"))
    ends_at = models.DateTimeField(pgettext_lazy("planner", "ends"), null=True, blank=True)
    all_day = models.BooleanField(pgettext_lazy("planner", "all day"), default=False)
    rrule = models.CharField(pgettext_lazy("planner", "repeats"), max_length=500, blank=True)
    exdates = models.JSONField(pgettext_lazy("planner", "left out"), default=list, blank=True)
    done_at = models.DateTimeField(pgettext_lazy("planner", "done"), null=True, blank=True)
    #: the iCalendar UID: kept from an imported file (the same file imported again updates, never doubles) or made
    uid = models.CharField(max_length=255, default="", blank=True)
    #: RFC 5545 SEQUENCE, raised on every change so that subscribed calendars take the new version
    sequence = models.PositiveIntegerField(default=0)
    source = models.CharField(pgettext_lazy("planner", "source"), max_length=16, choices=Source.choices,
                              default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=pgettext_lazy("planner", "written by"))
    #: the idempotency key of the request that made it (an app's action queued offline and sent twice makes one)
    client_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = pgettext_lazy("planner", "planner entry")
        verbose_name_plural = pgettext_lazy("planner", "planner entries")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], condition=~models.Q(uid=""), name="planner_entry_uid"),
            models.UniqueConstraint(fields=["owner", "client_key"], condition=~models.Q(client_key=""),
                                    name="planner_entry_client_key"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="planner_entry_period"),
        ]
        indexes = [models.Index(fields=["owner", "starts_at"], name="planner_entry_owner_start")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@krai"
        super().save(*args, **kwargs)


class Reminder(models.Model):
    """A reminder of an entry ``minutes_before`` its start (of each occurrence of a repeating one) by the chosen
    ``channels``; ``next_at`` is the next moment it is due (None: nothing more to remind of)."""

    class Channel(models.TextChoices):
        INAPP = "inapp", pgettext_lazy("reminder channel", "In Krai")
        EMAIL = "email", pgettext_lazy("reminder channel", "E-mail")
        PUSH = "push", pgettext_lazy("reminder channel", "Push to my devices")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reminders",
                              verbose_name=pgettext_lazy("planner", "entry"))
    minutes_before = models.PositiveIntegerField(pgettext_lazy("planner", "minutes before"), default=15)
    channels = models.JSONField(pgettext_lazy("planner", "channels"), default=list)
    next_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("planner", "reminder")
        verbose_name_plural = pgettext_lazy("planner", "reminders")
        ordering = ["minutes_before", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} −{self.minutes_before} min"


class FeedToken(models.Model):
    """The secret of a person's private iCalendar feed: only its SHA-256 is kept (the address is shown once, when
    made); revoking it stops every calendar subscribed with it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planner_feed_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # the start of the token, to tell feeds apart on the page
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}…"
