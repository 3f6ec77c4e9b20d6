"""Writes of the draft: its versions (every one kept; the first from the concept's proposal), and comments
anchored to a provision or a passage of it (annotations), which coordinators may hide.

A version's ``text`` is stored normalised (``provisions.normalise``); its ``Provision`` rows are the parse of
that text. A new version whose structure and wording equal the current one's is refused ("nothing changed"):
changing only the blank lines or spaces is not a new version.

Settings: ``KRAI_LAWMAKING_ANNOTATION_RATE`` ("30/h": comments on provisions a person may write in an hour).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core import ratelimit
from krai.core.events.services import record_event
from krai.lawmaking import policy, provisions
from krai.lawmaking.limits import RateLimited
from krai.lawmaking.models import Amendment, Annotation, Initiative, Provision, Stage, Version
from krai.lawmaking.services import stages

__all__ = ["annotation_add", "annotation_hide", "version_create", "version_initial"]

MAX_NOTE = 500
MAX_BODY = 5000
MAX_QUOTE = 2000


def _write_version(*, initiative: Initiative, text: str, items: list[provisions.Item], actor: Any,
                   note: str) -> Version:
    """The version row and its provisions (the caller holds the initiative's lock)."""
    last = initiative.versions.order_by("-number").values_list("number", flat=True).first() or 0
    person = actor if policy.is_active_user(actor) else None
    version = Version.objects.create(initiative=initiative, number=last + 1, text=text, note=note[:MAX_NOTE],
                                     created_by=person)
    Provision.objects.bulk_create([
        Provision(version=version, key=item.key, kind=item.kind, label=item.label[:60], heading=item.heading[:500],
                  text=item.text, position=position)
        for position, item in enumerate(items)
    ])
    return version


def _record(version: Version, initiative: Initiative, actor: Any, **extra: Any) -> None:
    person = actor if policy.is_active_user(actor) else None
    record_event(kind="lawmaking.version_created", actor=person, subject=initiative,
                 payload=stages.payload(initiative, version_id=version.pk, number=version.number,
                                        note=version.note, **extra))


def version_initial(*, initiative: Initiative, actor: Any) -> Version:
    """Version 1 of the draft, from the concept's proposal (a text without articles becomes paragraphs
    "p1", "p2"… split on blank lines). Not permission-checked: called when the draft elaboration starts, by
    the service that moved the stage. If the draft already has a version, that one is returned unchanged."""
    with transaction.atomic():
        initiative = stages.lock(initiative)
        existing = initiative.versions.order_by("-number").first()
        if existing is not None:
            return existing
        source = initiative.proposal or initiative.title
        try:
            items = provisions.parse(source)
            text = provisions.normalise(source)
        except ValidationError:
            # a proposal the parser refuses (two "Article 3"s, too long) still starts the draft: as plain
            # paragraphs, which the editor then structures by hand
            text = provisions.normalise(source[: provisions.MAX_TEXT]) or initiative.title
            items = provisions._blocks(text.split("\n"))
            provisions._finish(items)
        version = _write_version(initiative=initiative, text=text, items=items, actor=actor,
                                 note=_("The initiative's proposal"))
        _record(version, initiative, actor, initial=True)
    return version


def _flagged(initiative: Initiative, version: Version) -> list[int]:
    """Pending amendments whose provision the new version no longer has (they stay pending; pages flag them)."""
    keys = set(version.provisions.values_list("key", flat=True))
    pending = Amendment.objects.filter(initiative=initiative, status=Amendment.Status.PENDING)
    return [pk for pk, key in pending.values_list("pk", "key") if key not in keys]


def version_create(*, actor: Any, initiative: Initiative, text: str, note: str = "") -> Version:
    """A new version of the draft, written by its editor while the draft is being elaborated."""
    if not policy.is_editor(actor, initiative):
        raise PermissionDenied(_("Only the draft's editor can change its text."))
    items = provisions.parse(text or "")
    clean = provisions.normalise(text)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("The note is at most %(max)d characters.") % {"max": MAX_NOTE}]})
    with transaction.atomic():
        initiative = stages.lock(initiative)
        stages.require_stage(initiative, Stage.ELABORATION,
                             message=_("The draft's text can be changed only while the draft is elaborated."))
        current = initiative.versions.order_by("-number").first()
        if current is not None:
            before = [(p.key, p.kind, p.label, p.heading, p.text) for p in current.provisions.all()]
            if before == [item.as_tuple() for item in items]:
                raise ValidationError({"text": [_("Nothing changed: the text is the same as version %(n)d.")
                                                % {"n": current.number}]}, code="unchanged")
        version = _write_version(initiative=initiative, text=clean, items=items, actor=actor, note=note)
        flagged = _flagged(initiative, version)
        _record(version, initiative, actor, previous=current.number if current else None,
                orphaned_amendments=flagged)
    return version


def _check_rate(user: Any) -> None:
    limit, seconds = ratelimit.rate(getattr(settings, "KRAI_LAWMAKING_ANNOTATION_RATE", "30/h"), "h")
    if not ratelimit.within("lawmaking:annotate", user.pk, limit, seconds):
        raise RateLimited(_("You are commenting too often. Please wait a while and try again."),
                          code="rate_limited")


def _provision_of(version: Version, key: str) -> Provision:
    """The provision ``key`` of ``version``, or a clear error on the field ``key``."""
    key = (key or "").strip()
    found = version.provisions.filter(key=key).first() if provisions.valid_key(key) else None
    if found is None:
        raise ValidationError({"key": [_("Version %(n)d of the draft has no provision “%(key)s”.")
                                       % {"n": version.number, "key": key[:40]}]}, code="no_provision")
    return found


def _clean_quote(quote: Any, provision: Provision) -> str:
    """The selected passage, which must occur in the provision's text (spaces as the page collapsed them)."""
    quote = provisions.normalise(str(quote or "")).replace("\n", " ").strip()
    if not quote:
        return ""
    if len(quote) > MAX_QUOTE:
        raise ValidationError({"quote": [_("The passage is at most %(max)d characters.") % {"max": MAX_QUOTE}]})
    haystack = " ".join(f"{provision.heading} {provision.text}".split())
    if quote not in haystack:
        raise ValidationError({"quote": [_("The passage does not occur in the text of provision %(key)s.")
                                         % {"key": provision.key}]}, code="no_quote")
    return quote


def _version_for(initiative: Initiative, version: Version | None) -> Version:
    current = initiative.versions.order_by("-number").first()
    if current is None:
        raise ValidationError(_("The draft has no text yet."), code="no_draft")
    if version is None:
        return current
    if version.initiative_id != initiative.pk:
        raise ValidationError({"version": [_("This version belongs to another draft.")]})
    return version


def annotation_add(*, actor: Any, initiative: Initiative, key: str, quote: str = "", body: str,
                   version: Version | None = None) -> Annotation:
    """A comment anchored to provision ``key`` (of ``version``, default the current one), or to a passage."""
    policy.ensure_signed_in(actor)
    if not actor.has_perm("lawmaking.annotate_draft", initiative):
        raise PermissionDenied(_("Comments on the draft are open to residents with a confirmed e-mail while "
                                 "the draft is elaborated or under expertise."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write the comment.")]})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": [_("A comment is at most %(max)d characters.") % {"max": MAX_BODY}]})
    with transaction.atomic():
        initiative = stages.lock(initiative)
        stages.require_stage(initiative, Stage.ELABORATION, Stage.EXPERTISE,
                             message=_("The draft is open to comments while it is elaborated or under expertise."))
        version = _version_for(initiative, version)
        provision = _provision_of(version, key)
        quote = _clean_quote(quote, provision)
        _check_rate(actor)
        annotation = Annotation.objects.create(initiative=initiative, version=version, key=provision.key,
                                               quote=quote, body=body, author=actor)
        record_event(kind="lawmaking.annotation_added", actor=actor, subject=initiative,
                     payload=stages.payload(initiative, annotation_id=annotation.pk, version=version.number,
                                            key=provision.key))
    return annotation


def annotation_hide(*, actor: Any, annotation: Annotation, reason: str) -> Annotation:
    """Hide a comment on the draft (coordinators), saying why; the reason is shown in its place."""
    if not policy.is_coordinator(actor):
        raise PermissionDenied(_("Only coordinators of law-making hide comments."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the comment is hidden.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("The reason is at most 500 characters.")]})
    with transaction.atomic():
        annotation = Annotation.objects.select_for_update().get(pk=annotation.pk)
        if annotation.hidden_at is not None:
            raise ValidationError(_("The comment is already hidden."), code="hidden")
        annotation.hidden_at, annotation.hidden_reason = timezone.now(), reason
        annotation.save(update_fields=["hidden_at", "hidden_reason"])
        record_event(kind="lawmaking.annotation_hidden", actor=actor, subject=annotation.initiative,
                     payload=stages.payload(annotation.initiative, annotation_id=annotation.pk, reason=reason))
    return annotation
