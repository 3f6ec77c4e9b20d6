"""Court cases of the region's bodies, their stages and hearings; court acts are attachments on the case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    FILED = "filed", _("filed")
    HEARINGS = "hearings", _("hearings")
    DECISION = "decision", _("decision")
    APPEAL = "appeal", _("appeal")
    ENFORCEMENT = "enforcement", _("enforcement")
    CLOSED = "closed", _("closed")


class CourtCase(models.Model):
    class Instance(models.TextChoices):
        FIRST = "first", _("first instance")
        APPEAL = "appeal", _("appeal")
        CASSATION = "cassation", _("cassation")
        SUPERVISORY = "supervisory", _("supervisory")

    class Category(models.TextChoices):
        CONTRACTS = "contracts", _("contracts and procurement")
        PROPERTY = "property", _("property and land")
        LABOUR = "labour", _("labour disputes")
        ADMINISTRATIVE = "administrative", _("administrative")
        DAMAGES = "damages", _("damages")
        BUDGET = "budget", _("budget and tax")
        OTHER = "other", _("other")

    class Side(models.TextChoices):
        PLAINTIFF = "plaintiff", _("plaintiff")
        DEFENDANT = "defendant", _("defendant")
        THIRD_PARTY = "third_party", _("third party")

    class Outcome(models.TextChoices):
        WON = "won", _("won")
        LOST = "lost", _("lost")
        PARTLY = "partly", _("partly satisfied")
        SETTLED = "settled", _("settled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    number = models.CharField(_("case number"), max_length=100)
    court = models.CharField(_("court"), max_length=300)
    instance = models.CharField(_("instance"), max_length=16, choices=Instance.choices, default=Instance.FIRST)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="court_cases",
                                     verbose_name=_("organisation"))
    our_side = models.CharField(_("our side"), max_length=16, choices=Side.choices)
    #: the other parties as written; may name persons (personal data: shown only in the workspace, erasable)
    other_parties = models.TextField(_("other parties"), blank=True)
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=16, decimal_places=2, default=0)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.FILED)
    stage_changed_on = models.DateField(_("stage changed"), default=timezone.localdate)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    amount_awarded = models.DecimalField(_("amount awarded"), max_digits=16, decimal_places=2, null=True, blank=True)
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="court_cases", verbose_name=_("lawyer"))
    filed_on = models.DateField(_("filed"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("court case")
        verbose_name_plural = _("court cases")
        ordering = ["-filed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number", "court"], name="lawsuits_case_number_court")]
        indexes = [models.Index(fields=["stage", "stage_changed_on"], name="lawsuits_case_stage")]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.court})"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class StageChange(models.Model):
    case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="stage_changes",
                             verbose_name=_("court case"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.stage} ({self.on})"


class Hearing(models.Model):
    case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="hearings",
                             verbose_name=_("court case"))
    starts_at = models.DateTimeField(_("starts at"))
    room = models.CharField(_("court room"), max_length=100, blank=True)
    result = models.CharField(_("result"), max_length=500, blank=True)
    reminded_early = models.BooleanField(_("early reminder sent"), default=False)
    reminded_day = models.BooleanField(_("day-before reminder sent"), default=False)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="lawsuits_hearing_start")]

    def __str__(self) -> str:
        return f"{self.case} — {self.starts_at:%d.%m.%Y %H:%M}"
