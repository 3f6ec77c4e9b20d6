"""Direct and group messages with read state.

Messages are private: no page, API or admin view shows a message to anyone but the conversation's participants.
The one way for staff to read one is the moderation procedure (``docs/social.md``): a participant reports a
message, and the moderator handling the report sees that message and a few before it, each opening audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Conversation(models.Model):
    """A direct conversation of two (one per pair, ``direct_key`` "smaller id:larger id") or a group one."""

    class Kind(models.TextChoices):
        DIRECT = "direct", pgettext_lazy("conversation", "direct")
        GROUP = "group", pgettext_lazy("conversation", "group")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.DIRECT)
    title = models.CharField(pgettext_lazy("conversation", "title"), max_length=200, blank=True)
    direct_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("started by"))
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="group") | Q(direct_key__isnull=False),
                                   name="social_conversation_direct_keyed"),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("social:conversation", args=[self.pk])


class Participant(models.Model):
    """A member of a conversation; ``last_read_at`` is his read state (messages after it are unread)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants",
                                     verbose_name=_("conversation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_participations",
                             verbose_name=_("user"))
    joined_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)
    left_at = models.DateTimeField(_("left"), null=True, blank=True, editable=False)
    last_read_at = models.DateTimeField(_("read up to"), null=True, blank=True, editable=False)
    is_admin = models.BooleanField(_("may add and remove members"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="social_participant_once")]
        indexes = [models.Index(fields=["user", "left_at"], name="social_participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.conversation_id}"


class Message(models.Model):
    """One message. ``sender`` is empty once the sender's account was erased (his text is scrubbed then)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages",
                                     verbose_name=_("conversation"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("sender"))
    body = models.TextField(pgettext_lazy("message", "text"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at", "id"], name="social_message_conv"),
            models.Index(fields=["sender", "created_at"], name="social_message_sender"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
