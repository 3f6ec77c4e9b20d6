"""Reading initiatives: the ones a reader may see, one of them (404 for a missing or a hidden one alike), the
current version of its draft; the list's search and filters, the visible timeline with "what comes next", and the
staff's queue in the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from krai.core.search import query as search_query
from krai.lawmaking import conf, policy
from krai.lawmaking.models import STAGE_PATH, Initiative, Stage, Version
from krai.org.models import Organisation
from krai.org.scopes import scope_for


def visible(viewer: Any) -> QuerySet[Initiative]:
    """Initiatives ``viewer`` may see: the published ones, his own concepts, and — for those who manage — the
    unpublished ones of bodies in their reach (coordinators: all)."""
    rows = Initiative.objects.select_related("municipality", "responsible_body")
    if policy.is_coordinator(viewer):
        return rows
    condition = Q(published_at__isnull=False)
    if policy.is_active_user(viewer):
        condition |= Q(initiator_id=viewer.pk)
        paths = scope_for(viewer).org_paths if viewer.is_staff else ()
        for path in paths:
            condition |= Q(responsible_body__path__startswith=path)
    return rows.filter(condition)


def initiative_for(viewer: Any, pk: Any) -> Initiative:
    """One initiative ``viewer`` may see, or ``Http404`` — the same for a missing and a hidden one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    initiative = visible(viewer).filter(pk=pk).first()
    if initiative is None or not policy.may_see(viewer, initiative):
        raise Http404
    return initiative


def current_version(initiative: Initiative) -> Version | None:
    """The latest version of the draft (``None`` before the draft elaboration starts)."""
    return initiative.versions.order_by("-number").first()


# --- the list, the timeline, the staff's queue -----------------------------------------------------

SEARCH_MAX = 200


def _word_q(stem: str) -> Q:
    """Rows whose title, problem or proposal hold ``stem`` (the kernel search's crude stem, so «парковки» finds
    «парковка»). SQLite's LIKE folds the case of Latin letters only: the usual spellings of a Cyrillic word —
    lower, Capitalised, UPPER — are matched each (PostgreSQL's ILIKE needs one)."""
    condition = Q(pk__in=[])
    for variant in {stem, stem.capitalize(), stem.upper()}:
        for name in ("title", "problem", "proposal"):
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def search(viewer: Any, q: str = "", stage: str = "", level: str = "", municipality: Any = None, field: Any = None,
           body: Any = None, *, exact_body: bool = False, published_only: bool = False,
           published_from: date | None = None, published_to: date | None = None, reaction: str = "",
           overdue: bool = False) -> QuerySet[Initiative]:
    """Initiatives ``viewer`` may see, by words of the title, the problem or the proposal, the stage, the level,
    the municipality, the subject (a field of expertise: a row, its id or code) and the responsible body (its
    subtree: a ministry finds its units' initiatives too; ``exact_body``: that body only). Newest published
    first, concepts after them.

    The statistics' links narrow it the way they count (``selectors.stats``): published ones only, published
    within dates, reactions given on time or late, reactions owed past their deadline — so a number on the
    statistics page is the length of the list it links to."""
    rows = visible(viewer)
    if published_only or published_from or published_to:
        rows = rows.filter(published_at__isnull=False)
    if published_from:
        rows = rows.filter(published_at__date__gte=published_from)
    if published_to:
        rows = rows.filter(published_at__date__lte=published_to)
    if reaction in ("on_time", "late"):
        rows = rows.filter(reaction__isnull=False).annotate(_answered=TruncDate("reaction__decided_at"))
        on_time = Q(reaction__due__isnull=True) | Q(_answered__lte=F("reaction__due"))
        rows = rows.filter(on_time) if reaction == "on_time" else rows.exclude(on_time)
    if overdue:
        rows = rows.filter(stage=Stage.REACTION, stage_due__lt=timezone.localdate())
    for word in search_query.words(str(q or "")[:SEARCH_MAX]):
        rows = rows.filter(_word_q(search_query.crude_stem(word)))
    if stage:
        rows = rows.filter(stage=stage)
    if level:
        rows = rows.filter(level=level)
    if municipality:
        rows = rows.filter(municipality_id=getattr(municipality, "pk", municipality))
    if field:
        value = getattr(field, "pk", field)
        code = isinstance(value, str) and not value.isdigit()
        rows = rows.filter(**({"fields__code": value} if code else {"fields__pk": value})).distinct()
    if body:
        if not isinstance(body, Organisation):
            body = Organisation.objects.filter(pk=body).first()
        if body is None:
            rows = rows.none()
        elif exact_body:
            rows = rows.filter(responsible_body=body)
        else:
            rows = rows.filter(responsible_body__path__startswith=body.path)
    return rows.order_by(F("published_at").desc(nulls_last=True), "-id")


@dataclass(frozen=True)
class Step:
    """One stage on the timeline: done (with when it started and ended), the current one, or to come."""

    stage: str
    label: str
    state: str  # "done" | "current" | "coming" | "stopped"
    started: datetime | None = None
    ended: datetime | None = None
    due: date | None = None
    planned: str = ""
    note: str = ""


@dataclass(frozen=True)
class Timeline:
    steps: list[Step]
    next_text: str
    current: str


def _planned(stage: str) -> str:
    """How long a stage still to come is planned to last, where the settings say."""
    if stage == Stage.DISCUSSION:
        return ngettext("%(n)s day of discussion", "%(n)s days of discussion", conf.discussion_days()) % {
            "n": conf.discussion_days()}
    if stage == Stage.EXPERTISE:
        days = conf.expertise_working_days()
        return ngettext("%(n)s working day for the reviews", "%(n)s working days for the reviews", days) % {"n": days}
    if stage == Stage.REACTION:
        days = conf.reaction_working_days()
        return ngettext("%(n)s working day for the answer", "%(n)s working days for the answer", days) % {"n": days}
    return ""


def next_text(initiative: Initiative) -> str:
    """What comes next, in a sentence for the initiative's page."""
    stage, due = initiative.stage, initiative.stage_due
    when = date_format(due, "DATE_FORMAT") if due else ""
    if stage == Stage.CONCEPT:
        return _("The coordinators check the concept. Once approved it is published for the idea discussion.")
    if stage == Stage.DISCUSSION:
        text = _("The idea is discussed and supported. With %(need)s supporters (now %(have)s) or a decision of the "
                 "staff it moves on to the draft elaboration.") % {"need": initiative.support_threshold,
                                                                    "have": initiative.support_count}
        return f"{text} " + (_("The discussion ends on %(date)s.") % {"date": when}) if due else text
    if stage == Stage.ELABORATION:
        return _("The editor works on the draft and decides on the amendments proposed. Then experts are invited to "
                 "review it.")
    if stage == Stage.EXPERTISE:
        text = _("Experts write their reviews. Then the responsible body is asked for its reaction.")
        return f"{text} " + (_("Reviews are due by %(date)s.") % {"date": when}) if due else text
    if stage == Stage.REACTION:
        text = _("%(body)s answers: adopts the act as it is or with changes, sends it to the legislature, or rejects "
                 "it with reasons.") % {"body": initiative.responsible_body}
        return f"{text} " + (_("The answer is due by %(date)s.") % {"date": when}) if due else text
    if stage == Stage.CLOSED:
        return _("The reaction is given: the path of this initiative is complete.")
    reason = initiative.stopped_reason
    if initiative.published_at is None:
        return _("The concept was not published. Reason: %(reason)s") % {"reason": reason}
    return _("The initiative stopped at the stage “%(stage)s”. Reason: %(reason)s") % {
        "stage": Stage(initiative.stopped_stage).label if initiative.stopped_stage in Stage.values else "—",
        "reason": reason}


def timeline(initiative: Initiative) -> Timeline:
    """The stages passed with their dates, the current one with its planned end, and those to come with how
    long they are planned to last — the visible timeline and "what comes next"."""
    entries = list(initiative.stage_entries.order_by("entered_at", "id"))
    steps: list[Step] = []
    for index, entry in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        last = following is None
        state = "done"
        if last:
            state = "stopped" if entry.stage == Stage.STOPPED else (
                "done" if entry.stage == Stage.CLOSED else "current")
        steps.append(Step(stage=entry.stage, label=Stage(entry.stage).label if entry.stage in Stage.values
                          else entry.stage, state=state, started=entry.entered_at,
                          ended=following.entered_at if following else None,
                          due=entry.due, note=entry.note))
    if initiative.is_open:
        done = {entry.stage for entry in entries}
        for stage in STAGE_PATH:
            if stage in done or STAGE_PATH.index(stage) <= STAGE_PATH.index(initiative.stage):
                continue
            steps.append(Step(stage=stage, label=Stage(stage).label, state="coming", planned=_planned(stage)))
    return Timeline(steps=steps, next_text=next_text(initiative), current=initiative.stage)


#: what a staff member does next with an initiative at each stage (the workspace's queue)
QUEUE_STAGES = [Stage.DISCUSSION, Stage.ELABORATION, Stage.EXPERTISE, Stage.REACTION]


def reach(viewer: Any) -> QuerySet[Initiative]:
    """Initiatives whose responsible body is in ``viewer``'s reach (coordinators: all)."""
    rows = Initiative.objects.select_related("municipality", "responsible_body")
    if policy.is_coordinator(viewer):
        return rows
    if not (policy.is_active_user(viewer) and viewer.is_staff):
        return rows.none()
    condition = Q(pk__in=[])
    for path in scope_for(viewer).org_paths:
        condition |= Q(responsible_body__path__startswith=path)
    return rows.filter(condition)


def queue(viewer: Any) -> dict[str, QuerySet[Initiative]]:
    """The workspace's tabs: concepts to moderate (coordinators only), and the open initiatives of the bodies in
    ``viewer``'s reach by stage — the longest waiting first."""
    tabs: dict[str, QuerySet[Initiative]] = {}
    if policy.is_coordinator(viewer):
        tabs[Stage.CONCEPT] = Initiative.objects.select_related("municipality", "responsible_body").filter(
            stage=Stage.CONCEPT).order_by("stage_started_at", "id")
    rows = reach(viewer)
    for stage in QUEUE_STAGES:
        tabs[stage] = rows.filter(stage=stage).order_by(F("stage_due").asc(nulls_last=True), "stage_started_at",
                                                        "id")
    return tabs
