"""Notifications: what a person is told (in the inbox, by e-mail, by web push) and how they want to be told; and the
browsers that receive a person's web push."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person, usually about a domain event.

    ``in_app`` says whether it shows in the inbox; ``email_state`` tracks its e-mail: ``queued`` for the
    next send, ``digest`` for the daily digest, ``sent`` once handed to the mail server. There is at most
    one notification of a kind per event and person, so a subscriber that runs twice tells once.
    ``push_state`` tracks its web push the same way: ``queued`` until a job claims it, then ``sent`` (at least one
    browser took it) or ``failed``; a notification is pushed at most once.
    """

    class Email(models.TextChoices):
        NONE = "none", _("not sent by e-mail")
        QUEUED = "queued", _("queued")
        DIGEST = "digest", _("waiting for the daily digest")
        SENT = "sent", _("sent")
        FAILED = "failed", _("refused by the mail server")

    class Push(models.TextChoices):
        NONE = "none", _("not pushed")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("no browser took it")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    event = models.ForeignKey("events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("event"))
    in_app = models.BooleanField(_("shown in the inbox"), default=True)
    email_state = models.CharField(_("e-mail"), max_length=16, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    push_state = models.CharField(_("push"), max_length=16, choices=Push.choices, default=Push.NONE)
    pushed_at = models.DateTimeField(_("pushed"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user", "kind"], condition=Q(event__isnull=False),
                                    name="notifications_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], condition=Q(in_app=True), name="notifications_inbox"),
            models.Index(fields=["user"], condition=Q(in_app=True, read_at__isnull=True),
                         name="notifications_unread"),
            models.Index(fields=["email_state", "user"], condition=Q(email_state__in=["queued", "digest"]),
                         name="notifications_mail_queue"),
            models.Index(fields=["push_state"], condition=Q(push_state="queued"), name="notifications_push_queue"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice for one channel and a kind of notification.

    ``kind`` is an exact kind (``orders.assigned``), a category (``orders``, everything before the first
    dot) or ``*`` for all; the most specific row wins. Without any row a channel is on and immediate.
    ``digest`` applies to e-mail: ``daily`` gathers the day's notifications into one letter.
    """

    ALL = "*"

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("in the inbox")
        EMAIL = "email", _("by e-mail")
        PUSH = "push", _("by push to my devices")

    class Digest(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DAILY = "daily", _("once a day")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("user"))
    kind = models.CharField(_("kind or category"), max_length=100, default=ALL)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    digest = models.CharField(_("how often"), max_length=16, choices=Digest.choices, default=Digest.IMMEDIATE)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "kind", "channel"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="notifications_pref_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}: {'on' if self.enabled else 'off'}"


class PushSubscription(models.Model):
    """A browser (a phone's installed app, a desktop) that receives the person's web push notifications (Push API
    with VAPID keys): its endpoint and keys as the browser gave them. Dropped when the push service answers 404/410."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.endpoint[:60]
