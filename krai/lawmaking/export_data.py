"""What the export of a draft holds, read once and shared by the PDF and the DOCX (``export_pdf``,
``export_docx``): the passport of the initiative, its timeline, the problem and the proposal, the current
version's text provision by provision, the anchored comments, the amendments with the editor's reasons, the
expert reviews, the comments on the initiative and the government's reaction.

It reads the tables directly (the parts' selectors are written alongside) and shows only what any reader of a
published initiative sees: hidden comments, amendments and reviews are left out, and residents' texts pass
through the one mask of personal data (``krai.core.privacy.mask_personal``). People are named as the community
names them (``display_name``), never by their e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from krai.core.comments.models import Comment
from krai.core.privacy import mask_personal
from krai.lawmaking.models import Amendment, Annotation, Initiative, Provision, Reaction, Review, StageEntry
from krai.lawmaking.selectors.initiatives import current_version
from krai.social.selectors.profiles import display_name


@dataclass
class Line:
    """One provision of the text: its kind (article, part, paragraph, preamble), the label and the text."""

    kind: str
    label: str
    heading: str
    text: str
    key: str


@dataclass
class Item:
    """One entry of a list section (a comment, an amendment, a review): a heading line and labelled fields."""

    heading: str
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Document:
    title: str
    passport: list[tuple[str, str]]
    timeline: list[tuple[str, str, str, str]]
    problem: str
    proposal: str
    version_label: str
    text: list[Line]
    annotations: list[Item]
    amendments: list[Item]
    reviews: list[Item]
    comments: list[Item]
    reaction: list[tuple[str, str]]
    made_on: date


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d.%m.%Y}"


def _who(user: Any) -> str:
    return display_name(user) if user is not None else _("a former participant")


def _provision_label(provision: Provision) -> str:
    if provision.kind == Provision.Kind.ARTICLE:
        return f"{provision.label} {provision.heading}".strip()
    return provision.label


def _passport(initiative: Initiative) -> list[tuple[str, str]]:
    level = initiative.get_level_display()
    if initiative.municipality_id:
        level = f"{level}: {initiative.municipality}"
    rows = [(_("Level"), str(level)), (_("Responsible body"), str(initiative.responsible_body)),
            (_("Initiator"), f"{_who(initiative.initiator)} ({initiative.get_initiator_kind_display()})"
             if initiative.initiator_id else str(initiative.get_initiator_kind_display())),
            (_("Stage"), str(initiative.get_stage_display())),
            (_("Published"), _day(initiative.published_at))]
    if initiative.initiator_organisation_id:
        rows.insert(3, (_("On behalf of"), str(initiative.initiator_organisation)))
    if initiative.stage_due and initiative.is_open:
        rows.append((_("Stage planned to end"), _day(initiative.stage_due)))
    if initiative.stopped_reason:
        rows.append((_("Why it stopped"), mask_personal(initiative.stopped_reason)))
    subjects = ", ".join(f.name for f in initiative.fields.all())
    if subjects:
        rows.append((_("Subjects"), subjects))
    return rows


def _timeline(initiative: Initiative) -> list[tuple[str, str, str, str]]:
    return [(str(entry.get_stage_display()), _day(entry.entered_at), _day(entry.due), mask_personal(entry.note))
            for entry in StageEntry.objects.filter(initiative=initiative).order_by("entered_at", "id")]


def _annotations(initiative: Initiative) -> list[Item]:
    rows = Annotation.objects.filter(initiative=initiative, hidden_at__isnull=True).select_related(
        "author__social_profile", "version")
    items = []
    for note in rows:
        fields = [(_("Passage"), mask_personal(note.quote))] if note.quote else []
        fields.append((_("Comment"), mask_personal(note.body)))
        items.append(Item(heading=_("Provision %(key)s, version %(version)s — %(author)s, %(date)s") % {
            "key": note.key, "version": note.version.number, "author": _who(note.author),
            "date": _day(note.created_at)}, fields=fields))
    return items


def _amendments(initiative: Initiative) -> list[Item]:
    rows = Amendment.objects.filter(initiative=initiative, hidden_at__isnull=True).select_related(
        "author__social_profile", "version", "applied_in")
    items = []
    for amendment in rows:
        fields = [(_("Status"), str(amendment.get_status_display()))]
        if amendment.quote:
            fields.append((_("Passage"), mask_personal(amendment.quote)))
        fields.append((_("Proposed wording"), mask_personal(amendment.proposed_text)))
        if amendment.justification:
            fields.append((_("Justification"), mask_personal(amendment.justification)))
        if amendment.decision_reason:
            fields.append((_("The editor's reason"), mask_personal(amendment.decision_reason)))
        if amendment.applied_in_id:
            fields.append((_("Applied in version"), str(amendment.applied_in.number)))
        items.append(Item(heading=_("Provision %(key)s, version %(version)s — %(author)s, %(date)s") % {
            "key": amendment.key, "version": amendment.version.number, "author": _who(amendment.author),
            "date": _day(amendment.created_at)}, fields=fields))
    return items


def _reviews(initiative: Initiative) -> list[Item]:
    rows = Review.objects.filter(initiative=initiative, hidden_at__isnull=True).select_related(
        "expert__social_profile", "field", "version")
    items = []
    for review in rows:
        fields = [(_("Conclusion"), str(review.get_conclusion_display())),
                  (pgettext("expert review", "Summary"), mask_personal(review.summary))]
        if review.risks:
            fields.append((_("Risks"), mask_personal(review.risks)))
        fields.append((_("Corruption risks"), mask_personal(review.corruption_findings) or _("found")
                       if review.corruption_risks_found else _("not found")))
        if review.proposals:
            fields.append((_("Proposals"), mask_personal(review.proposals)))
        expert = _who(review.expert) + (f" ({review.field.name})" if review.field_id else "")
        items.append(Item(heading=_("%(expert)s on version %(version)s, %(date)s") % {
            "expert": expert, "version": review.version.number, "date": _day(review.submitted_at)},
            fields=fields))
    return items


def _comments(initiative: Initiative) -> list[Item]:
    kind = ContentType.objects.get_for_model(Initiative)
    rows = Comment.objects.filter(content_type=kind, object_id=str(initiative.pk), is_hidden=False).select_related(
        "author__social_profile").order_by("created_at", "id")
    return [Item(heading=f"{_who(c.author)}, {_day(c.created_at)}", fields=[("", mask_personal(c.body))])
            for c in rows]


def _reaction(initiative: Initiative) -> list[tuple[str, str]]:
    reaction = Reaction.objects.filter(initiative=initiative).select_related("body").first()
    if reaction is None:
        return []
    rows = [(_("Decision"), str(reaction.get_decision_display())), (_("Answered by"), str(reaction.body)),
            (_("Answered"), _day(reaction.decided_at)), (_("Answer due"), _day(reaction.due)),
            (_("On time"), _("yes") if reaction.on_time else _("no"))]
    if reaction.reasons:
        rows.append((_("Reasons"), reaction.reasons))
    act = ", ".join(part for part in (reaction.act_title, f"№ {reaction.act_number}" if reaction.act_number else "",
                                      _day(reaction.act_date) if reaction.act_date else "") if part)
    if act:
        rows.append((_("The act"), act))
    if reaction.act_url:
        rows.append((_("Link to the act"), reaction.act_url))
    return rows


def document(initiative: Initiative) -> Document:
    """Everything the export shows of ``initiative`` (the caller has checked the reader may see it)."""
    version = current_version(initiative)
    lines: list[Line] = []
    version_label = ""
    if version is not None:
        version_label = _("Version %(number)s of %(date)s") % {"number": version.number,
                                                               "date": _day(version.created_at)}
        lines = [Line(kind=p.kind, label=_provision_label(p), heading=p.heading, text=mask_personal(p.text),
                      key=p.key) for p in version.provisions.order_by("position")]
    return Document(
        title=initiative.title, passport=_passport(initiative), timeline=_timeline(initiative),
        problem=mask_personal(initiative.problem), proposal=mask_personal(initiative.proposal),
        version_label=version_label, text=lines, annotations=_annotations(initiative),
        amendments=_amendments(initiative), reviews=_reviews(initiative), comments=_comments(initiative),
        reaction=_reaction(initiative), made_on=timezone.localdate())


def section_titles() -> dict[str, str]:
    """The headings of the export's sections, the same in the PDF and the DOCX."""
    return {"timeline": _("Timeline"), "problem": _("The problem"), "proposal": _("The proposed regulation"),
            "text": _("Text of the draft"), "annotations": _("Comments on provisions"),
            "amendments": _("Amendments"), "reviews": _("Expert reviews"), "comments": _("Comments"),
            "reaction": _("Government reaction"), "none": _("None."), "no_text": _("The draft has no text yet."),
            "made": _("Exported from Krai on %(date)s"), "stage": _("Stage"), "entered": _("Entered"),
            "due": _("Planned end"), "note": _("Note"), "no_reaction": _("The reaction has not been given yet."),
            "page": _("Page %(n)s")}
