"""Citizens' problem reports: themes, the routing table, the reports themselves, their history and endorsements.

A problem's history (``ProblemUpdate``) is a legal record: services write it explicitly, one row per
change of state, never through signals.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.core.privacy import mask_personal


class Category(models.Model):
    """A theme of problems ("Roads › Potholes"): a tree; leaves are what residents choose and Open311's services."""

    class DayKind(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent theme"))
    code = models.SlugField(_("code"), max_length=64, unique=True,
                            help_text=_("Stable identifier; Open311 clients see it as the service code."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    reaction_days = models.PositiveSmallIntegerField(_("days for the official reaction"), default=10)
    day_kind = models.CharField(_("counted in"), max_length=16, choices=DayKind.choices, default=DayKind.WORKING)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(reaction_days__gte=1) & Q(reaction_days__lte=90),
                                   name="problems_category_reaction_days"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    @property
    def group_name(self) -> str:
        return self.parent.name if self.parent_id and self.parent else ""


class RoutingRule(TimeStamped):
    """Who answers problems of a theme in a municipality (no municipality: anywhere in the region).

    The most specific rule wins: (theme, municipality), then (parent theme, municipality), then the same
    two without a municipality; with no rule at all the municipality's own administration answers.
    """

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules",
                                 verbose_name=_("category"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality (empty: everywhere)"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("responsible organisation"))

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__name", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "municipality"], name="problems_route_once"),
            models.UniqueConstraint(fields=["category"], condition=Q(municipality__isnull=True),
                                    name="problems_route_region_once"),
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.municipality or '*'} → {self.organisation}"


class Problem(TimeStamped):
    """A resident's report of a problem at a place: moderated, routed, answered within a deadline, rated."""

    class Status(models.TextChoices):
        NEW = "new", _("awaiting moderation")
        ROUTED = "routed", _("sent to the responsible body")
        IN_WORK = "in_work", _("in work")
        PLANNED = "planned", _("planned")
        FIXED = "fixed", _("fixed")
        REOPENED = "reopened", _("reopened")
        CLOSED = "closed", _("closed without a fix")
        REJECTED = "rejected", _("rejected")

    class Answer(models.TextChoices):
        FIXED = "fixed", _("fixed")
        PLANNED = "planned", _("planned")
        DECLINED = "declined", _("declined with a legal reason")

    class Source(models.TextChoices):
        PORTAL = "portal", _("portal")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="problems",
                                 verbose_name=_("category"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("responsible organisation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    anonymous = models.BooleanField(_("hide my name from the public"), default=False)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.PORTAL)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description as written"))
    public_description = models.TextField(_("description shown to the public"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    moderation_reason = models.TextField(_("reason of rejection"), blank=True)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    due_date = models.DateField(_("reaction due"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    answer_text = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    planned_date = models.DateField(_("planned for"), null=True, blank=True)
    programme = models.CharField(_("programme that funds the work"), max_length=300, blank=True)
    # the author's own rating of the latest fix (Open311 and the open dataset show it); every rating of
    # every cycle, the author's and the supporters', is a ``ProblemRating``
    rating = models.PositiveSmallIntegerField(_("rating of the result"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    cycle = models.PositiveSmallIntegerField(_("fix cycle"), default=1,
                                             help_text=_("Each reopening starts a new cycle with its own ratings."))
    # the latest rated cycle's ratings, summed in the rating transaction: the public figure and the
    # statistics read these two columns instead of grouping the ratings table
    ratings_count = models.PositiveIntegerField(_("ratings of the latest rated fix"), default=0)
    ratings_total = models.PositiveIntegerField(_("sum of those ratings"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    endorsements_count = models.PositiveIntegerField(_("endorsements"), default=0)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("duplicate of"))
    open311_token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)

    OPEN = (Status.ROUTED, Status.IN_WORK, Status.PLANNED, Status.REOPENED)
    PUBLISHED = (Status.ROUTED, Status.IN_WORK, Status.PLANNED, Status.FIXED, Status.REOPENED, Status.CLOSED)
    AWAITING_REACTION = (Status.ROUTED, Status.IN_WORK, Status.REOPENED)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180),
                                   name="problems_problem_on_earth"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="problems_problem_rating_1_5"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(moderation_reason=""),
                                   name="problems_problem_rejection_reason"),
            models.CheckConstraint(condition=~Q(answer="planned") | Q(planned_date__isnull=False),
                                   name="problems_problem_planned_date"),
            models.CheckConstraint(condition=Q(answer="") | ~Q(answer_text=""),
                                   name="problems_problem_answer_text"),
        ]
        indexes = [
            models.Index(fields=["status", "lon", "lat"], name="problems_map"),
            models.Index(fields=["lon", "lat"], name="problems_point"),
            models.Index(fields=["organisation", "status"], name="problems_queue"),
            models.Index(fields=["municipality", "status"], name="problems_muni"),
            models.Index(fields=["status", "due_date"], name="problems_due"),
            # the rate limit's "reports by this person in the last hour": an index range whatever the table
            models.Index(fields=["author", "created_at"], name="problems_author_recent"),
        ]

    def __str__(self) -> str:
        return f"№{self.pk} {self.category.name if self.category_id else ''}".strip()

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED

    @property
    def rating_average(self) -> float | None:
        """The average rating of the latest rated fix (one decimal), or None before anyone rates it."""
        return round(self.ratings_total / self.ratings_count, 1) if self.ratings_count else None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return bool(self.status in self.AWAITING_REACTION and self.due_date
                    and self.due_date < timezone.localdate())

    # What the public sees of the resident's own words, through the one mask (krai.core.privacy): at
    # output, so rows written before a stronger mask are covered too; staff read the fields as written.
    @property
    def public_text(self) -> str:
        return mask_personal(self.public_description)

    @property
    def public_address(self) -> str:
        return mask_personal(self.address)

    @property
    def public_author(self) -> str:
        if self.anonymous:
            return ""
        if self.author_id and self.source != self.Source.OPEN311:
            return self.author.short_name
        return (self.reporter_name or "").split(" ")[0]


class MapCell(models.Model):
    """The map pre-aggregated: published problems per cell of the finest cluster grid (``grid.GRID_ZOOM``).

    A far-out map view sums these few rows instead of counting a million problems. Kept exact by the
    services that publish or merge a problem (``krai.problems.grid``); ``krai problems_map_grid`` rebuilds it.
    """

    gx = models.IntegerField()
    gy = models.IntegerField()
    n = models.PositiveIntegerField(default=0)
    sum_lat = models.FloatField(default=0)
    sum_lon = models.FloatField(default=0)
    min_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("map cell")
        verbose_name_plural = _("map cells")
        constraints = [models.UniqueConstraint(fields=["gx", "gy"], name="problems_mapcell_once")]

    def __str__(self) -> str:
        return f"{self.gx}:{self.gy} ({self.n})"


class MapBucket(models.Model):
    """The filtered map pre-aggregated: published problems per grid cell, municipality and each subset of
    (theme, status, day of creation) — the ``level``'s bits say which of the three the row keeps (the rest
    hold 0, "" and 0001-01-01). A filtered far-out view reads only the level of exactly its filters, so a
    status alone reads one row per cell and status, not one per theme and day too (``krai.problems.buckets``).
    """

    # the key is the primary key (no id column, no index of ids: the table has millions of rows)
    pk = models.CompositePrimaryKey("zoom", "level", "gx", "gy", "municipality_id", "category_id", "status", "day")
    zoom = models.PositiveSmallIntegerField()  # of the grid: 12, or 8 for the far-out views' coarse copy
    level = models.PositiveSmallIntegerField()
    gx = models.IntegerField()
    gy = models.IntegerField()
    municipality_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    status = models.CharField(max_length=16)
    day = models.DateField()
    n = models.IntegerField(default=0)
    sum_lat = models.FloatField(default=0)
    sum_lon = models.FloatField(default=0)
    # the sum of the ids: where a view's cell holds one problem, this is its id, and it stays exact when a
    # problem leaves (a minimum would have to be searched for again)
    sum_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("map bucket")
        verbose_name_plural = _("map buckets")
        # a filter's values, then the dates, then the box (the query names the constant columns too)
        indexes = [models.Index(fields=["zoom", "level", "category_id", "day", "gx", "gy"],
                                name="problems_bucket_theme"),
                   models.Index(fields=["zoom", "level", "status", "day", "gx", "gy"], name="problems_bucket_status")]

    def __str__(self) -> str:
        return f"{self.level}:{self.gx}:{self.gy} ({self.n})"


class ProblemUpdate(models.Model):
    """One entry of a problem's history (a legal record): what changed, who did it, with which words."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("reported")
        PUBLISHED = "published", _("published and routed")
        REJECTED = "rejected", _("rejected by moderation")
        EDITED = "edited", _("text edited by moderation")
        IN_WORK = "in_work", _("taken in work")
        ANSWERED = "answered", _("official answer given")
        REASSIGNED = "reassigned", _("passed to another body")
        RATED = "rated", _("rated")
        REOPENED = "reopened", _("reopened")
        MERGED = "merged", _("merged into another report")
        OVERDUE = "overdue", _("reaction overdue")
        EXTENDED = "extended", _("deadline extended")
        ACCEPTED = "accepted", _("answer accepted by the controller")
        RETURNED = "returned", _("answer returned to the body for rework")
        UNCONTROLLED = "uncontrolled", _("removed from control")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="updates",
                                verbose_name=_("problem"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=16, choices=Problem.Status.choices)
    text = models.TextField(_("text"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    organisation = models.ForeignKey("org.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    is_public = models.BooleanField(_("shown to the public"), default=True)
    event_id = models.BigIntegerField(null=True, blank=True, unique=True, editable=False,
                                      help_text="the control engine's event this row reacts to (idempotency)")
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("problem history entry")
        verbose_name_plural = _("problem history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.kind}"

    #: entries whose text the resident wrote (his rating comment, his reason to reopen)
    RESIDENT_KINDS = (Kind.RATED, Kind.REOPENED)

    @property
    def public_text(self) -> str:
        """The text as the public sees it: a resident's words through the mask, the bodies' as written."""
        return mask_personal(self.text) if self.kind in self.RESIDENT_KINDS else self.text


class Endorsement(models.Model):
    """A resident's "me too" on a published problem: once per person (the database refuses a second)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="endorsements",
                                verbose_name=_("problem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("resident"))
    created_at = models.DateTimeField(_("endorsed"), default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="problems_endorse_once")]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.user_id}"


class ProblemRating(models.Model):
    """A rating of the result (1–5) by the author or a supporter: once per person and fix cycle.

    A reopening starts a new cycle (``Problem.cycle``), so the same people rate the new fix afresh and
    the old fix's ratings stay on record with their cycle.
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("problem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("resident"))
    cycle = models.PositiveSmallIntegerField(_("fix cycle"), default=1)
    value = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    is_author = models.BooleanField(_("by the author"), default=False)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        verbose_name = _("rating of a result")
        verbose_name_plural = _("ratings of results")
        ordering = ["problem", "cycle", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "cycle", "user"], name="problems_rate_once_per_cycle"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="problems_rating_value_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}/{self.cycle}: {self.value}"


class Subscription(models.Model):
    """A person following a problem's changes (in-app and e-mail, as his preferences say); endorsing subscribes."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="subscriptions",
                                verbose_name=_("problem"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("person"))
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription to a problem")
        verbose_name_plural = _("subscriptions to problems")
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="problems_subscribe_once")]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.user_id}"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Key(TimeStamped):
    """An Open311 client's ``api_key`` for posting requests; the reports it posts are authored by ``user``.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is made.
    """

    name = models.CharField(_("client"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("acts as"))
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, name: str, user) -> tuple[Open311Key, str]:
        key = secrets.token_urlsafe(30)
        return cls.objects.create(name=name, user=user, prefix=key[:8], key_hash=_hash(key)), key

    @classmethod
    def find(cls, key: str) -> Open311Key | None:
        if not key or len(key) > 200:
            return None
        return cls.objects.select_related("user").filter(key_hash=_hash(key), is_active=True).first()
