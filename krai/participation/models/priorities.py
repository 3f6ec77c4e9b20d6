"""Development priorities, residents' votes for them, and the immutable rank snapshots built per period.

A vote stores the voter's home municipality at the moment of voting (not where he clicked from) and
the key of the period it was cast in. One voter gives at most one vote to a priority per period and
at most ``KRAI_PRIORITY_VOTES_PER_PERIOD`` votes in all: each vote takes a numbered slot, unique per
(voter, period), so the database itself refuses a vote too many even from two requests at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped
from krai.participation.checksums import CURRENT_SCHEME
from krai.participation.models._immutable import Immutable

#: The hard ceiling of votes per voter and period; the setting may only lower it.
MAX_SLOTS = 20


class Priority(TimeStamped):
    """A development priority: region-wide (no municipality) or one municipality's own."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality (empty: the whole region)"))
    is_active = models.BooleanField(_("open for votes"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["sort_order", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_regional(self) -> bool:
        return self.municipality_id is None


class PriorityVote(models.Model):
    """A resident's vote for a priority in a period, counted in his home municipality of that moment."""

    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("voter"))
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="votes",
                                 verbose_name=_("priority"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("voter's municipality"))
    period = models.CharField(_("period"), max_length=16)
    slot = models.PositiveSmallIntegerField(_("slot"))
    created_at = models.DateTimeField(_("cast"), default=timezone.now)

    class Meta:
        verbose_name = _("priority vote")
        verbose_name_plural = _("priority votes")
        constraints = [
            models.UniqueConstraint(fields=["voter", "priority", "period"], name="participation_pvote_once"),
            models.UniqueConstraint(fields=["voter", "period", "slot"], name="participation_pvote_slot"),
            models.CheckConstraint(condition=Q(slot__gte=1, slot__lte=MAX_SLOTS), name="participation_pvote_slots"),
        ]
        indexes = [
            models.Index(fields=["period", "municipality", "priority"], name="participation_pvote_build"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.priority_id}"


class RankBuild(Immutable):
    """The ranks of one period: a snapshot per municipality and one for the region, built in one pass.

    ``checksum`` is the regional snapshot's checksum, which covers every vote of the period (see
    ``docs/participation.md`` for how anyone recomputes it from the votes). ``scheme`` says which
    formula its entries' checksums follow (``krai.participation.checksums``): builds sealed before
    scheme 2 keep scheme 1 and are verified by it.
    """

    period = models.CharField(_("period"), max_length=16, unique=True)
    weighting = models.CharField(_("regional weighting"), max_length=16)
    votes_total = models.PositiveIntegerField(_("votes"), default=0)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    scheme = models.PositiveSmallIntegerField(_("checksum scheme"), default=CURRENT_SCHEME)
    built_at = models.DateTimeField(_("built"), default=timezone.now)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("built by"))
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("previous build"))

    class Meta:
        verbose_name = _("rank build")
        verbose_name_plural = _("rank builds")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class RankSnapshot(Immutable):
    """The rank of priorities in one municipality (or the region, when empty) for one period."""

    build = models.ForeignKey(RankBuild, on_delete=models.PROTECT, related_name="snapshots",
                              verbose_name=_("build"))
    municipality = models.ForeignKey("org.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality (empty: the region)"))
    votes_total = models.PositiveIntegerField(_("votes"), default=0)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("rank snapshot")
        verbose_name_plural = _("rank snapshots")
        constraints = [
            models.UniqueConstraint(fields=["build", "municipality"], condition=Q(municipality__isnull=False),
                                    name="participation_snapshot_municipal"),
            models.UniqueConstraint(fields=["build"], condition=Q(municipality__isnull=True),
                                    name="participation_snapshot_regional"),
        ]

    def __str__(self) -> str:
        return f"{self.build_id}: {self.municipality_id or 'region'}"

    @property
    def is_regional(self) -> bool:
        return self.municipality_id is None


class RankEntry(Immutable):
    """A priority's place in a snapshot: its votes, its score, and where it stood the period before.

    ``checksum`` is the checksum of the votes counted here in the build's scheme (empty without votes,
    and for the regional snapshot, whose entries are built from the municipalities' ones).
    """

    snapshot = models.ForeignKey(RankSnapshot, on_delete=models.PROTECT, related_name="entries",
                                 verbose_name=_("snapshot"))
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="+", verbose_name=_("priority"))
    votes = models.PositiveIntegerField(_("votes"))
    score = models.BigIntegerField(_("score"))
    position = models.PositiveIntegerField(_("position"))
    previous_position = models.PositiveIntegerField(_("previous position"), null=True, blank=True)
    checksum = models.CharField(_("checksum of its votes"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("rank entry")
        verbose_name_plural = _("rank entries")
        ordering = ["snapshot", "position", "priority_id"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "priority"], name="participation_entry_once"),
        ]

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (negative: lost); None for a priority new to the rank."""
        return None if self.previous_position is None else self.previous_position - self.position
