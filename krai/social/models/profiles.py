"""Who is who in the community: profiles with privacy per field, topics and fields of expertise (managed lists),
credentials verified by staff, follows and blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Visibility(models.TextChoices):
    """Who may see a field of a profile, a publication or an album."""

    PUBLIC = "public", pgettext_lazy("who may see", "everyone")
    REGISTERED = "registered", pgettext_lazy("who may see", "registered users")
    FOLLOWERS = "followers", pgettext_lazy("who may see", "followers")
    NOBODY = "nobody", pgettext_lazy("who may see", "only me")


#: the profile's fields whose visibility the owner chooses, and the level each starts at
PRIVATE_FIELDS: dict[str, str] = {
    "about": Visibility.PUBLIC,
    "position": Visibility.PUBLIC,
    "municipality": Visibility.REGISTERED,
    "website": Visibility.PUBLIC,
    "contact_email": Visibility.NOBODY,
    "contact_phone": Visibility.NOBODY,
    "follows": Visibility.REGISTERED,
    "followers": Visibility.REGISTERED,
}


class Topic(models.Model):
    """A theme people follow and tag publications with (roads, ecology, education…): a list staff keep."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("social:topic", args=[self.code])


class ExpertiseField(models.Model):
    """A field of expertise (law, construction, public health…): a managed list experts choose from."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A person's, a public organisation's or a government body's face in the community.

    One per account, made on first visit. ``privacy`` maps each of ``PRIVATE_FIELDS`` to a ``Visibility``;
    a field missing there has its default. A person becomes an expert when staff verify one of his
    credentials (``expert_status``); a body's account speaks for an organisation of the structure.
    """

    class Kind(models.TextChoices):
        PERSON = "person", pgettext_lazy("profile kind", "person")
        ORGANISATION = "organisation", pgettext_lazy("profile kind", "public organisation")
        BODY = "body", pgettext_lazy("profile kind", "government body")

    class ExpertStatus(models.TextChoices):
        NONE = "none", pgettext_lazy("expert status", "not an expert")
        PENDING = "pending", pgettext_lazy("expert status", "awaiting verification")
        VERIFIED = "verified", pgettext_lazy("expert status", "verified expert")
        REVOKED = "revoked", pgettext_lazy("expert status", "status withdrawn")

    class Messages(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("who may write", "any registered user")
        FOLLOWING = "following", pgettext_lazy("who may write", "people I follow")
        NOBODY = "nobody", pgettext_lazy("who may write", "nobody")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="social_profile", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    display_name = models.CharField(_("name shown"), max_length=150)
    organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("body it speaks for"))
    position = models.CharField(pgettext_lazy("profile", "position or occupation"), max_length=200, blank=True)
    about = models.TextField(_("about"), blank=True)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"))
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("e-mail for contacts"), blank=True)
    contact_phone = models.CharField(_("phone for contacts"), max_length=32, blank=True)
    avatar = models.FileField(_("avatar"), upload_to="social/avatars/%Y/%m/", max_length=255, blank=True)
    avatar_thumb = models.FileField(_("avatar thumbnail"), upload_to="social/avatars/%Y/%m/", max_length=255,
                                    blank=True, editable=False)
    privacy = models.JSONField(_("who sees which field"), default=dict, blank=True)
    accept_messages = models.CharField(_("who may write to me"), max_length=16, choices=Messages.choices,
                                       default=Messages.REGISTERED)
    is_discoverable = models.BooleanField(_("shown in the people search"), default=True)
    expertise = models.ManyToManyField(ExpertiseField, blank=True, related_name="experts",
                                       verbose_name=_("fields of expertise"))
    expert_status = models.CharField(_("expert status"), max_length=16, choices=ExpertStatus.choices,
                                     default=ExpertStatus.NONE)
    expert_verified_at = models.DateTimeField(_("expert since"), null=True, blank=True, editable=False)
    expert_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+", editable=False,
                                           verbose_name=_("verified by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")
        ordering = ["display_name", "user_id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["person", "organisation", "body"]),
                                   name="social_profile_kind"),
            models.CheckConstraint(condition=~Q(display_name=""), name="social_profile_named"),
        ]
        indexes = [models.Index(fields=["expert_status", "municipality"], name="social_profile_expert")]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("social:profile", args=[self.user_id])

    @property
    def is_expert(self) -> bool:
        return self.expert_status == self.ExpertStatus.VERIFIED

    def level(self, field: str) -> str:
        """The visibility the owner chose for ``field`` (its default if he chose none)."""
        value = (self.privacy or {}).get(field)
        return value if value in Visibility.values else PRIVATE_FIELDS[field]


class Credential(models.Model):
    """A degree, a position, a membership or a document an expert claims; staff verify or reject it.

    Documents proving it are attachments (``krai.core.files``) seen by the owner and the verifiers only;
    the public sees a verified credential's title, issuer and year.
    """

    class Kind(models.TextChoices):
        DEGREE = "degree", pgettext_lazy("credential", "academic degree")
        POSITION = "position", pgettext_lazy("credential", "position")
        MEMBERSHIP = "membership", pgettext_lazy("credential", "membership")
        DOCUMENT = "document", pgettext_lazy("credential", "certificate or licence")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("credential", "awaiting verification")
        VERIFIED = "verified", pgettext_lazy("credential", "verified")
        REJECTED = "rejected", pgettext_lazy("credential", "rejected")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="credentials",
                                verbose_name=_("profile"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("credential", "title"), max_length=300)
    issuer = models.CharField(pgettext_lazy("credential", "issued by"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(pgettext_lazy("credential", "year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="social_credential_queue")]

    def __str__(self) -> str:
        return self.title


class Follow(models.Model):
    """A follow of a person (or an organisation's or body's account) or of a topic: exactly one of them."""

    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_follows",
                                 verbose_name=_("follower"))
    followee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="social_followers", verbose_name=_("followed account"))
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="follows",
                              verbose_name=_("topic"))
    created_at = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(followee__isnull=False) & Q(topic__isnull=True))
                | (Q(followee__isnull=True) & Q(topic__isnull=False)),
                name="social_follow_one_target"),
            models.CheckConstraint(condition=~Q(followee=F("follower")), name="social_follow_not_self"),
            models.UniqueConstraint(fields=["follower", "followee"], condition=Q(followee__isnull=False),
                                    name="social_follow_person_once"),
            models.UniqueConstraint(fields=["follower", "topic"], condition=Q(topic__isnull=False),
                                    name="social_follow_topic_once"),
        ]
        indexes = [models.Index(fields=["followee", "follower"], name="social_follow_followee")]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followee_id or self.topic_id}"


class UserBlock(models.Model):
    """``blocker`` blocked ``blocked``: no messages, follows or comments between them, and each out of the
    other's feed."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_blocks",
                                verbose_name=_("blocked by"))
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("blocked account"))
    created_at = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="social_block_once"),
            models.CheckConstraint(condition=~Q(blocked=F("blocker")), name="social_block_not_self"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="social_block_blocked")]

    def __str__(self) -> str:
        return f"{self.blocker_id} ⊘ {self.blocked_id}"
