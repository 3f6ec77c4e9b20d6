"""Mass-media monitoring: the sources polled, their articles grouped into stories, the topics watched, the
mentions of a topic in an article, and the spikes of a topic's daily mentions (alerts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    REGIONAL = "regional", _("regional")
    FEDERAL = "federal", _("federal")


class Source(models.Model):
    """An outlet's RSS or Atom feed, polled every ``interval_minutes`` with a conditional request; a failure
    pushes the next poll back exponentially (``failures``) and leaves its reason in ``last_error``."""

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS or Atom feed")
        PAGE = "page", _("a site page (one article)")

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=1000, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FEED)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.REGIONAL)
    active = models.BooleanField(_("active"), default=True)
    interval_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=30)
    fetch_pages = models.BooleanField(_("fetch the article's page when the feed gives only a summary"),
                                      default=True)
    # the conditional request's validators, as the server last sent them
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(pgettext_lazy("media source", "last success"), null=True, blank=True,
                                           editable=False)
    last_status = models.CharField(_("last result"), max_length=40, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=1000, blank=True, editable=False)
    failures = models.PositiveIntegerField(pgettext_lazy("media source", "failures in a row"), default=0,
                                           editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("media source")
        verbose_name_plural = _("media sources")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["active", "next_poll_at"], name="media_source_due")]

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """Articles of several outlets telling the same thing (near-duplicates); the first one names it."""

    title = models.CharField(pgettext_lazy("article", "title"), max_length=500)
    first_seen_at = models.DateTimeField(_("first seen"))
    articles_count = models.PositiveIntegerField(_("articles"), default=0)
    sources_count = models.PositiveIntegerField(_("outlets"), default=0)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-first_seen_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles", verbose_name=_("source"))
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="articles", verbose_name=_("story"))
    url = models.URLField(_("address"), max_length=1000)
    #: the address normalised (scheme and host lower-cased, no fragment, no tracking parameters): the key that
    #: makes one article of the same page reached by two addresses
    url_key = models.CharField(max_length=1000, unique=True, editable=False)
    guid = models.CharField(max_length=500, blank=True, editable=False)
    title = models.CharField(pgettext_lazy("article", "title"), max_length=500)
    summary = models.TextField(pgettext_lazy("article", "summary"), blank=True)
    text = models.TextField(_("text"), blank=True)
    #: where the text came from: the feed itself, or the page read by the main-text extractor
    text_from_page = models.BooleanField(_("text read from the page"), default=False)
    published_at = models.DateTimeField(_("published"))
    fetched_at = models.DateTimeField(_("fetched"), auto_now_add=True)
    #: the MinHash signature (its hash values, as bytes) that finds its near-duplicates
    signature = models.BinaryField(editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["published_at"], name="media_article_published"),
                   models.Index(fields=["source", "guid"], name="media_article_guid")]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """What is watched: a body, an official, a municipality or a free set of keywords. Its ``terms`` (one a
    line) are matched on lemmas, so every inflection of each word is found; a body's, a municipality's or an
    official's name is a term by itself."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("body of the region")
        PERSON = "person", _("official")
        MUNICIPALITY = "municipality", _("municipality")
        KEYWORDS = "keywords", _("keywords")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.KEYWORDS)
    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="media_topics", verbose_name=_("organisation"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="media_topics_about", verbose_name=_("official"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="media_topics", verbose_name=_("municipality"))
    terms = models.TextField(_("terms"), blank=True, help_text=_("One word or phrase a line; any inflection "
                                                                 "of it is found."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="media_topics",
                              verbose_name=_("owner"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def term_list(self) -> list[str]:
        """The terms matched: the lines of ``terms`` and the name of what the topic is about."""
        named = {self.Kind.ORGANISATION: self.organisation, self.Kind.MUNICIPALITY: self.municipality}.get(self.kind)
        own = [line.strip() for line in (self.terms or "").splitlines() if line.strip()]
        if named is not None:
            own.append(named.name)
        if self.kind == self.Kind.PERSON and self.person is not None:
            own.append(f"{self.person.given_name} {self.person.surname}".strip())
            own.append(self.person.surname)
        return list(dict.fromkeys(own))


class Mention(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("topic"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions",
                                verbose_name=_("article"))
    #: the topic's terms found in the article, as the topic writes them
    terms = models.JSONField(_("terms found"), default=list)
    #: the article's day of publication (local), the unit of the daily counts
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["topic", "article"], name="media_mention_once")]
        indexes = [models.Index(fields=["topic", "day"], name="media_mention_day")]

    def __str__(self) -> str:
        return f"{self.topic} — {self.article}"


class Alert(models.Model):
    """A day when a topic's mentions stood out of its recent days (a rolling z-score): once per topic and day."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("topic"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("mentions"))
    mean = models.FloatField(_("mean of the window"))
    stdev = models.FloatField(_("standard deviation of the window"))
    z = models.FloatField(_("z-score"))
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["topic", "day"], name="media_alert_once")]

    def __str__(self) -> str:
        return f"{self.topic}: {self.day} ({self.count})"
