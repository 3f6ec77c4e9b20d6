"""The organisation structure of a region and the people in it.

The user model lives here because staff are people of the structure: they hold positions in
organisations and act within scopes of it (an organisation's subtree, a municipality, a block).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped


class Region(TimeStamped):
    """The one region an installation serves (a table, so that its name and outline are data)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    outline = models.JSONField(_("outline (GeoJSON geometry)"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(TimeStamped):
    """An urban okrug or a municipal district, with its boundary as a GeoJSON geometry.

    The bounding box is kept in columns so that a point lookup or a map query can narrow by
    index before any polygon test.
    """

    class Kind(models.TextChoices):
        URBAN_OKRUG = "urban_okrug", _("urban okrug")
        MUNICIPAL_DISTRICT = "municipal_district", _("municipal district")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities",
                               verbose_name=_("region"))
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    admin_centre = models.CharField(_("administrative centre"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="org_muni_bbox")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Keep the bounding-box columns true to the boundary, however the row is written."""
        self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
        coordinates = list(_positions(self.boundary.get("coordinates"))) if isinstance(self.boundary, dict) else []
        if coordinates:
            lons, lats = [c[0] for c in coordinates], [c[1] for c in coordinates]
            self.min_lon, self.min_lat, self.max_lon, self.max_lat = min(lons), min(lats), max(lons), max(lats)
        if kwargs.get("update_fields") is not None and "boundary" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "min_lon", "min_lat", "max_lon", "max_lat"}
        super().save(*args, **kwargs)


def _positions(coordinates):
    """Every [lon, lat] position in a GeoJSON coordinates array, however deeply nested."""
    if isinstance(coordinates, list | tuple):
        if len(coordinates) >= 2 and all(isinstance(c, int | float) for c in coordinates[:2]):
            yield coordinates
        else:
            for item in coordinates:
                yield from _positions(item)


class Block(TimeStamped):
    """A vice-governor's portfolio: the organisations he steers."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    vice_governor = models.ForeignKey("org.User", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="blocks_led", verbose_name=_("vice-governor"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStamped):
    """A body of the region or a unit inside one, in one tree.

    ``path`` is a materialised path ("000001.000007.") so that a subtree is one indexed prefix
    query, however deep the delegation goes.
    """

    class Kind(models.TextChoices):
        GOVERNOR_OFFICE = "governor_office", _("governor's office")
        DEPARTMENT = "department", _("department")
        STATE_COMPANY = "state_company", _("state company")
        MUNICIPAL_ADMINISTRATION = "municipal_administration", _("municipal administration")
        CONTROL = "control", _("Department of Control")
        UNIT = "unit", _("unit")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=400)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent"))
    block = models.ForeignKey(Block, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="organisations", verbose_name=_("block"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="organisations", verbose_name=_("municipality"))
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:
        """Keep ``path`` and ``depth`` true, for this row and, on a move, for its whole subtree."""
        old_path = self.path
        if old_path and self.parent_id and self.parent.path.startswith(old_path):
            raise ValueError("An organisation cannot be placed under its own subtree.")
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent_id else ''}{self.pk:06d}."
        if new_path == old_path:
            return
        Organisation.objects.filter(pk=self.pk).update(path=new_path, depth=new_path.count(".") - 1)
        if old_path:
            for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child_path = new_path + child.path[len(old_path):]
                Organisation.objects.filter(pk=child.pk).update(path=child_path, depth=child_path.count(".") - 1)
        self.path, self.depth = new_path, new_path.count(".") - 1


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, email_confirmed=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: a resident of the region, an expert, or a member of staff.

    ``is_staff`` means a government employee who may open the workspace; what he may do there is
    decided by his role assignments, not by this flag.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    home_municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="residents", verbose_name=_("home municipality"))
    residence_verified = models.BooleanField(_("residence verified"), default=False)
    email_confirmed = models.BooleanField(_("e-mail confirmed"), default=False)
    is_staff = models.BooleanField(_("staff"), default=False,
                                   help_text=_("A government employee who may open the workspace."))
    is_active = models.BooleanField(_("active"), default=True)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["surname", "given_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["surname", "given_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="org_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """«Иванов И. П.», as Russian documents write a person."""
        initials = "".join(f"{part[0]}." for part in (self.given_name, self.patronymic) if part)
        return f"{self.surname} {initials}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name


class Position(TimeStamped):
    """A post in an organisation's staffing structure; an empty holder is a vacancy."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="positions",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    holder = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="positions", verbose_name=_("holder"))
    is_head = models.BooleanField(_("head of the organisation"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organisation", "-is_head", "sort_order", "title"]
        constraints = [
            # one head post per organisation: "the head" of a body must be unambiguous
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(is_head=True),
                                    name="org_position_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organisation}"


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    EXPERT = "expert", _("expert")
    EXECUTOR = "executor", _("executor")
    HEAD = "head", _("head of an organisation")
    VICE_GOVERNOR = "vice_governor", _("vice-governor")
    GOVERNOR = "governor", _("governor")
    CONTROLLER = "controller", _("controller")
    ADMINISTRATOR = "administrator", _("administrator")


class ScopeKind(models.TextChoices):
    SELF = "self", _("self")
    ORGANISATION = "organisation", _("organisation subtree")
    MUNICIPALITY = "municipality", _("municipality")
    BLOCK = "block", _("block")
    REGION = "region", _("region")


class RoleAssignment(TimeStamped):
    """A user acts in a role within one scope; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope = models.CharField(_("scope"), max_length=32, choices=ScopeKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="role_assignments", verbose_name=_("organisation"))
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="role_assignments", verbose_name=_("municipality"))
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="role_assignments", verbose_name=_("block"))

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="org_role_scope_target",
                condition=(
                    models.Q(scope__in=["self", "region"], organisation__isnull=True,
                             municipality__isnull=True, block__isnull=True)
                    | models.Q(scope="organisation", organisation__isnull=False, municipality__isnull=True,
                               block__isnull=True)
                    | models.Q(scope="municipality", municipality__isnull=False, organisation__isnull=True,
                               block__isnull=True)
                    | models.Q(scope="block", block__isnull=False, organisation__isnull=True,
                               municipality__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        target = self.organisation or self.municipality or self.block or self.get_scope_display()
        return f"{self.user}: {self.get_role_display()} ({target})"


class ResidenceRequest(models.Model):
    """A resident's request to have his residence in a municipality verified, and its outcome.

    Lives in org beside the user's ``home_municipality`` and ``residence_verified`` it decides. A request
    by document carries the document as an attachment (``krai.core.files``) and waits for staff; one
    asserted by an identity provider is recorded already verified, so every verified residence has its
    row saying how and by whom it was verified.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting verification")
        VERIFIED = "verified", _("verified")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("replaced by a later request")

    class Source(models.TextChoices):
        DOCUMENT = "document", _("a document checked by staff")
        PROVIDER = "provider", _("the identity provider")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="residence_requests",
                             verbose_name=_("resident"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.DOCUMENT)
    provider = models.CharField(_("identity provider"), max_length=100, blank=True)
    note = models.CharField(_("resident's note"), max_length=500, blank=True)
    reason = models.TextField(_("reason of refusal"), blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))

    class Meta:
        verbose_name = _("residence verification request")
        verbose_name_plural = _("residence verification requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="refused") | ~models.Q(reason=""),
                                   name="org_residence_refusal_reason"),
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"),
                                    name="org_residence_one_pending"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="org_residence_queue")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.municipality_id} ({self.status})"


class Deputyship(TimeStamped):
    """A deputy acts for a principal over a period of days (a holiday, a trip, an illness), both ends included.

    While it is in force the deputy may switch his session to acting for the principal (``krai.accounts.acting``): his
    requests then use the principal's roles and scopes, and every event recorded carries him as the deputy. A
    deputyship ended early keeps its row (``ended_at``) as the record of who could act for whom and when.
    """

    principal = models.ForeignKey(User, on_delete=models.CASCADE, related_name="deputyships_given",
                                  verbose_name=_("acting for"))
    deputy = models.ForeignKey(User, on_delete=models.CASCADE, related_name="deputyships_taken",
                               verbose_name=_("deputy"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("appointed by"))
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("ended by"))

    class Meta:
        verbose_name = _("temporary deputyship")
        verbose_name_plural = _("temporary deputyships")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(principal=models.F("deputy")), name="org_deputy_not_self"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="org_deputy_period"),
        ]
        indexes = [models.Index(fields=["deputy", "ends_on"], name="org_deputy_active"),
                   models.Index(fields=["principal", "ends_on"], name="org_deputy_principal")]

    def __str__(self) -> str:
        return f"{self.deputy_id} → {self.principal_id} ({self.starts_on}…{self.ends_on})"

    def in_force(self, on: date) -> bool:
        return self.ended_at is None and self.starts_on <= on <= self.ends_on

    def state_on(self, on: date) -> str:
        """``in_force``, ``coming``, ``ended`` (ended early) or ``over`` (its period has passed) on the day ``on``."""
        if self.ended_at is not None:
            return "ended"
        if on < self.starts_on:
            return "coming"
        return "in_force" if on <= self.ends_on else "over"
