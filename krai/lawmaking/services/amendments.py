"""Writes of amendments: a resident proposes a new wording of a provision or of a passage of it, may withdraw
it while it waits, and the draft's editor accepts it (a new version applies it) or rejects it, saying why.

An amendment is proposed to a version (the current one by default). Proposed to an older version, it is
refused when a newer version removed its provision — the proposer read a text that no longer exists. An
accepted amendment is applied to the *current* text: its passage (or, without one, the provision's whole
text) is replaced; if the passage is no longer there, accepting fails with a clear error and the editor
rejects it or edits the text by hand.

Settings: ``KRAI_LAWMAKING_AMENDMENT_RATE`` ("20/h": amendments a person may propose in an hour).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core import ratelimit
from krai.core.events.services import record_event
from krai.lawmaking import policy, provisions
from krai.lawmaking.models import Amendment, Initiative, Provision, Stage, Version
from krai.lawmaking.services import stages
from krai.lawmaking.services.drafts import (
    RateLimited,
    _clean_quote,
    _provision_of,
    _record,
    _version_for,
    _write_version,
)
from krai.social.selectors.profiles import display_name

__all__ = ["amendment_decide", "amendment_propose", "amendment_withdraw"]

MAX_TEXT = 10_000
MAX_JUSTIFICATION = 5_000
MAX_REASON = 2_000


def _check_rate(user: Any) -> None:
    limit, seconds = ratelimit.rate(getattr(settings, "KRAI_LAWMAKING_AMENDMENT_RATE", "20/h"), "h")
    if not ratelimit.within("lawmaking:amend", user.pk, limit, seconds):
        raise RateLimited(_("You are proposing amendments too often. Please wait a while and try again."),
                          code="rate_limited")


def _removed_in(initiative: Initiative, version: Version, key: str) -> Version | None:
    """The first version after ``version`` that no longer has provision ``key`` — if the current one lacks it."""
    newer = list(initiative.versions.filter(number__gt=version.number).order_by("number"))
    if not newer or newer[-1].provisions.filter(key=key).exists():
        return None
    for candidate in newer:
        if not candidate.provisions.filter(key=key).exists():
            return candidate
    return None  # pragma: no cover — the last one lacks it, so the loop found one


def amendment_propose(*, actor: Any, initiative: Initiative, key: str, quote: str = "", proposed_text: str,
                      justification: str = "", version: Version | None = None) -> Amendment:
    """An amendment of provision ``key`` of ``version`` (default: the current one)."""
    policy.ensure_signed_in(actor)
    if not actor.has_perm("lawmaking.amend_draft", initiative):
        raise PermissionDenied(_("Amendments are open to residents with a confirmed e-mail while the draft is "
                                 "elaborated."))
    proposed_text = provisions.normalise(proposed_text or "")
    justification = (justification or "").strip()
    if not proposed_text:
        raise ValidationError({"proposed_text": [_("Write the wording you propose.")]})
    if len(proposed_text) > MAX_TEXT:
        raise ValidationError({"proposed_text": [_("The proposed wording is at most %(max)d characters.")
                                                 % {"max": MAX_TEXT}]})
    if len(justification) > MAX_JUSTIFICATION:
        raise ValidationError({"justification": [_("The justification is at most %(max)d characters.")
                                                 % {"max": MAX_JUSTIFICATION}]})
    with transaction.atomic():
        initiative = stages.lock(initiative)
        stages.require_stage(initiative, Stage.ELABORATION,
                             message=_("Amendments are proposed while the draft is elaborated."))
        version = _version_for(initiative, version)
        provision = _provision_of(version, key)
        removed = _removed_in(initiative, version, provision.key)
        if removed is not None:
            raise ValidationError({"key": [
                _("%(provision)s was removed in version %(n)d; propose your amendment to the current text.")
                % {"provision": provisions.describe(provision.kind, provision.key), "n": removed.number}]},
                code="removed")
        quote = _clean_quote(quote, provision)
        if proposed_text == quote:
            raise ValidationError({"proposed_text": [_("The proposed wording is the same as the passage.")]})
        _check_rate(actor)
        amendment = Amendment.objects.create(initiative=initiative, version=version, key=provision.key,
                                             quote=quote, proposed_text=proposed_text,
                                             justification=justification, author=actor)
        record_event(kind="lawmaking.amendment_proposed", actor=actor, subject=initiative,
                     payload=stages.payload(initiative, amendment_id=amendment.pk, version=version.number,
                                            key=provision.key))
    return amendment


def amendment_withdraw(*, actor: Any, amendment: Amendment) -> Amendment:
    """The author takes back his amendment while it waits for the editor."""
    policy.ensure_signed_in(actor)
    with transaction.atomic():
        # of=self: PostgreSQL locks no joined rows (and refuses to on a nullable join)
        amendment = (Amendment.objects.select_for_update(of=("self",)).select_related("initiative")
                     .get(pk=amendment.pk))
        if amendment.author_id != actor.pk:
            raise PermissionDenied(_("Only the author withdraws an amendment."))
        if amendment.status != Amendment.Status.PENDING:
            raise ValidationError(_("Only an amendment awaiting the editor can be withdrawn."), code="decided")
        amendment.status = Amendment.Status.WITHDRAWN
        amendment.decided_at = timezone.now()
        amendment.save(update_fields=["status", "decided_at"])
        record_event(kind="lawmaking.amendment_withdrawn", actor=actor, subject=amendment.initiative,
                     payload=stages.payload(amendment.initiative, amendment_id=amendment.pk, key=amendment.key))
    return amendment


def _flexible(quote: str) -> re.Pattern:
    """The passage as a pattern where any run of spaces or line breaks matches any other (pages collapse them)."""
    return re.compile(r"\s+".join(re.escape(word) for word in quote.split()))


def _applied(provision: Provision, amendment: Amendment, current: Version) -> provisions.Item:
    """The current provision with the amendment applied, or a clear error when its passage is gone."""
    item = provisions.Item(key=provision.key, kind=provision.kind, label=provision.label,
                           heading=provision.heading, text=provision.text)
    if not amendment.quote:
        item.text = amendment.proposed_text
        return item
    pattern = _flexible(amendment.quote)
    replacement = amendment.proposed_text
    for attribute in ("text", "heading"):
        value = getattr(item, attribute)
        if pattern.search(value):
            setattr(item, attribute, pattern.sub(lambda _match: replacement, value, count=1))
            return item
    raise ValidationError(
        _("The passage “%(quote)s” is no longer in provision %(key)s of version %(n)d; reject the amendment or "
          "edit the text by hand.") % {"quote": amendment.quote[:200], "key": provision.key, "n": current.number},
        code="passage_gone")


def _apply(initiative: Initiative, amendment: Amendment, actor: Any) -> Version:
    current = _version_for(initiative, None)
    rows = list(current.provisions.all())
    target = next((row for row in rows if row.key == amendment.key), None)
    if target is None:
        kind = (amendment.version.provisions.filter(key=amendment.key).values_list("kind", flat=True).first()
                or provisions.PARAGRAPH)
        removed = _removed_in(initiative, amendment.version, amendment.key)
        raise ValidationError(
            _("%(provision)s was removed in version %(n)d; reject the amendment or edit the text by hand.")
            % {"provision": provisions.describe(kind, amendment.key),
               "n": removed.number if removed else current.number}, code="provision_gone")
    items = [_applied(row, amendment, current) if row.pk == target.pk
             else provisions.Item(key=row.key, kind=row.kind, label=row.label, heading=row.heading, text=row.text)
             for row in rows]
    text = provisions.render(items)
    try:
        parsed = provisions.parse(text)
    except ValidationError as error:
        messages = error.messages
        raise ValidationError(_("Applied, the amendment would break the draft's structure: %(error)s")
                              % {"error": " ".join(messages)}, code="breaks") from None
    if [p.as_tuple() for p in parsed] == [(r.key, r.kind, r.label, r.heading, r.text) for r in rows]:
        raise ValidationError(_("Applied, the amendment changes nothing in the current text; reject it instead."),
                              code="unchanged")
    # the version's note is public: the author is named as the community names him, never by his surname
    author = display_name(amendment.author) if amendment.author else _("a former participant")
    note = _("Amendment №%(number)d by %(author)s accepted") % {"number": amendment.pk, "author": author}
    version = _write_version(initiative=initiative, text=provisions.normalise(text), items=parsed, actor=actor,
                             note=note)
    _record(version, initiative, actor, previous=current.number, amendment_id=amendment.pk)
    return version


def amendment_decide(*, actor: Any, amendment: Amendment, accept: bool, reason: str = "") -> Amendment:
    """The editor accepts (applying it in a new version) or rejects (with a reason) a pending amendment."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("The reason is at most %(max)d characters.") % {"max": MAX_REASON}]})
    if not accept and not reason:
        raise ValidationError({"reason": [_("Say why the amendment is rejected.")]})
    with transaction.atomic():
        initiative = stages.lock(amendment.initiative)
        if not policy.is_editor(actor, initiative):
            raise PermissionDenied(_("Only the draft's editor decides on amendments."))
        amendment = Amendment.objects.select_for_update(of=("self",)).select_related("author").get(pk=amendment.pk)
        if amendment.status != Amendment.Status.PENDING:
            raise ValidationError(_("This amendment has already been decided or withdrawn."), code="decided")
        if accept:
            stages.require_stage(initiative, Stage.ELABORATION,
                                 message=_("Amendments are accepted while the draft is elaborated."))
            amendment.applied_in = _apply(initiative, amendment, actor)
            amendment.status = Amendment.Status.ACCEPTED
        else:
            amendment.status = Amendment.Status.REJECTED
        amendment.decided_by, amendment.decided_at, amendment.decision_reason = actor, timezone.now(), reason
        amendment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "applied_in"])
        kind = "lawmaking.amendment_accepted" if accept else "lawmaking.amendment_rejected"
        record_event(kind=kind, actor=actor, subject=initiative,
                     payload=stages.payload(initiative, amendment_id=amendment.pk, key=amendment.key,
                                            author_id=amendment.author_id,
                                            version=amendment.applied_in.number if amendment.applied_in else None))
    return amendment
