"""What people publish: posts (text, photos, topics, links to Krai's objects shown as cards) and galleries of
photos. Each can be hidden by a moderator (``hidden_at``) and restored; hidden content shows to nobody but
its author (with the reason) and the moderators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.social.models.profiles import Topic, Visibility

#: who may see a publication or an album (``nobody`` is for profile fields only)
AUDIENCES = [(v.value, v.label) for v in (Visibility.PUBLIC, Visibility.REGISTERED, Visibility.FOLLOWERS)]


class Moderated(models.Model):
    """The moderation state every kind of published content shares."""

    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True, editable=False)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("hidden by"))

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Publication(Moderated):
    """A post: text (personal data masked on output), photos, topics and links to Krai's objects.

    ``links`` holds the paths of Krai's pages the text names (``/problems/123/``…), found when it is written;
    they render as cards through ``krai.core.cards`` for each reader, so a card never shows what he may not see.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publications",
                               verbose_name=_("author"))
    body = models.TextField(_("text"))
    audience = models.CharField(_("who may see"), max_length=16, choices=AUDIENCES, default=Visibility.PUBLIC)
    topics = models.ManyToManyField(Topic, through="PublicationTopic", blank=True, related_name="publications",
                                    verbose_name=_("topics"))
    links = models.JSONField(_("links to Krai's objects"), default=list, blank=True, editable=False)
    comments_closed = models.BooleanField(_("comments closed"), default=False)
    created_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(audience__in=["public", "registered", "followers"]),
                                   name="social_publication_audience"),
        ]
        indexes = [
            # the feed: the newest of the followed authors, and the public timeline
            models.Index(fields=["author", "-created_at", "-id"], name="social_pub_author_time"),
            models.Index(fields=["-created_at", "-id"], name="social_pub_time",
                         condition=Q(hidden_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("social:publication", args=[self.pk])


class PublicationTopic(models.Model):
    """A publication's topic, with its time copied so a topic's feed reads one index backwards."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="publication_links")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "topic"], name="social_pubtopic_once")]
        indexes = [models.Index(fields=["topic", "-created_at"], name="social_pubtopic_time")]

    def __str__(self) -> str:
        return f"{self.publication_id} #{self.topic_id}"


class Album(Moderated):
    """A gallery: photos with captions, seen by the audience its owner chose."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="albums",
                              verbose_name=_("owner"))
    title = models.CharField(pgettext_lazy("album", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("who may see"), max_length=16, choices=AUDIENCES, default=Visibility.PUBLIC)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("album")
        verbose_name_plural = _("albums")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(audience__in=["public", "registered", "followers"]),
                                   name="social_album_audience"),
            models.CheckConstraint(condition=~Q(title=""), name="social_album_titled"),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="social_album_owner")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("social:album", args=[self.pk])


class Photo(Moderated):
    """A photo in an album or on a publication (exactly one of them).

    ``image`` is the re-encoded upload without metadata; where the author chose to keep the place it was taken,
    the coordinates read from its EXIF before it was cleaned are kept in ``latitude``/``longitude``. Smaller
    sizes (``thumb``, ``medium``) are made by a job; until then pages show the image itself scaled down.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("owner"))
    album = models.ForeignKey(Album, on_delete=models.CASCADE, null=True, blank=True, related_name="photos",
                              verbose_name=_("album"))
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="photos", verbose_name=_("publication"))
    image = models.FileField(_("image"), upload_to="social/photos/%Y/%m/", max_length=255)
    thumb = models.FileField(_("thumbnail"), upload_to="social/photos/%Y/%m/", max_length=255, blank=True,
                             editable=False)
    medium = models.FileField(_("medium size"), upload_to="social/photos/%Y/%m/", max_length=255, blank=True,
                              editable=False)
    sizes_ready_at = models.DateTimeField(_("sizes made"), null=True, blank=True, editable=False)
    mime_type = models.CharField(_("type"), max_length=100)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    keep_location = models.BooleanField(_("show where it was taken"), default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(album__isnull=False) & Q(publication__isnull=True))
                | (Q(album__isnull=True) & Q(publication__isnull=False)),
                name="social_photo_one_place"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(keep_location=True, latitude__isnull=False, longitude__isnull=False),
                name="social_photo_location_kept"),
        ]
        indexes = [models.Index(fields=["sizes_ready_at"], name="social_photo_pending",
                                condition=Q(sizes_ready_at__isnull=True))]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("social:photo", args=[self.pk])
