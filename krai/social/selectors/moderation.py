"""Reads of the community's moderation, scoped to the reader: what a person may report, the moderators' queue
of open reports grouped by target, a report with its target, bans.

A message is read here only through ``message_context`` — called by ``services.moderation.message_inspect``,
which records the audited ``social.message_inspected`` event first. Nothing else in this module returns a
message's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.core.comments.models import Comment
from krai.core.privacy import mask_personal
from krai.social import policy
from krai.social.models import AbuseReport, Album, Ban, Message, Participant, Photo, Profile, Publication

#: what may be reported, by the name used in URLs and the API
KIND_NAMES = ("publication", "album", "photo", "comment", "message", "profile")
#: content a comment may hang on to be reportable here: the community's own (other areas moderate their own)
COMMENTED = (Publication, Album, Photo)


def kind_models() -> dict[str, type[models.Model]]:
    return {"publication": Publication, "album": Album, "photo": Photo, "comment": Comment, "message": Message,
            "profile": get_user_model()}


def kind_of(obj: Any) -> str | None:
    """The report kind of an object (``profile`` for a user), or ``None`` for anything else."""
    for kind, model in kind_models().items():
        if isinstance(obj, model):
            return kind
    return None


def content_type_of(kind: str) -> ContentType:
    return ContentType.objects.get_for_model(kind_models()[kind])


def owner_id_of(obj: Any) -> int | None:
    """Who wrote or owns the object: the account a report is about."""
    if isinstance(obj, get_user_model()):
        return obj.pk
    if isinstance(obj, Message):
        return obj.sender_id
    for name in ("author_id", "owner_id"):
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None


def _is_participant(user: Any, message: Message) -> bool:
    """``user`` was in the conversation when the message was written (he could read it): not a later member, nor
    one who had left by then — else a report would open to the moderators what he never saw."""
    return Participant.objects.filter(
        Q(left_at__isnull=True) | Q(left_at__gte=message.created_at), conversation_id=message.conversation_id,
        user_id=user.pk, joined_at__lte=message.created_at).exists()


def may_report(user: Any, obj: Any) -> bool:
    """Whether ``user`` may see ``obj`` the way a report needs: content he may see, a comment on the community's
    content he may see, a message of a conversation he takes part in, an active account."""
    if not (user is not None and user.is_authenticated and user.is_active) or obj is None:
        return False
    if isinstance(obj, (Publication, Album, Photo)):
        return policy.may_see_content(user, obj)
    if isinstance(obj, Comment):
        target = obj.target
        return (not obj.is_hidden and isinstance(target, COMMENTED) and policy.may_see_content(user, target))
    if isinstance(obj, Message):
        return obj.hidden_at is None and _is_participant(user, obj)
    if isinstance(obj, get_user_model()):
        return obj.is_active
    return False


def report_target(*, user: Any, kind: str, pk: Any) -> models.Model:
    """The object ``user`` wants to report; 404 alike for an unknown kind, a missing and an unseen object."""
    model = kind_models().get(kind)
    if model is None:
        raise Http404
    try:
        obj = model._default_manager.get(pk=str(pk).strip())
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if not may_report(user, obj):
        raise Http404
    return obj


def target_of(report: AbuseReport) -> models.Model | None:
    """The reported object as it is now (``None`` when it was deleted since). For moderators' pages only."""
    model = report.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=report.object_id).first()


def open_reports_on(content_type_id: int, object_id: str) -> QuerySet[AbuseReport]:
    return AbuseReport.objects.filter(content_type_id=content_type_id, object_id=str(object_id),
                                      status=AbuseReport.Status.OPEN)


def has_open_report(*, reporter: Any, obj: models.Model) -> bool:
    return open_reports_on(ContentType.objects.get_for_model(obj).pk, str(obj.pk)).filter(
        reporter_id=reporter.pk).exists()


# --- the moderators' side --------------------------------------------------------------------------

def _require_moderator(user: Any) -> None:
    if not policy.is_moderator(user):
        raise Http404


def queue(*, user: Any, reason: str = "", kind: str = "") -> QuerySet:
    """Open reports grouped by target, the longest waiting first: dicts with ``content_type``, ``object_id``,
    ``n`` (reports), ``first_at``, ``first_id``. Moderators only (404 for anyone else)."""
    _require_moderator(user)
    reports = AbuseReport.objects.filter(status=AbuseReport.Status.OPEN)
    if kind in KIND_NAMES:
        reports = reports.filter(content_type=content_type_of(kind))
    if reason in AbuseReport.Reason.values:
        reports = reports.filter(Exists(AbuseReport.objects.filter(
            status=AbuseReport.Status.OPEN, reason=reason, content_type_id=OuterRef("content_type_id"),
            object_id=OuterRef("object_id"))))
    groups = (reports.values("content_type", "object_id")
              .annotate(n=Count("id"), first_at=Min("created_at"), first_id=Min("id"))
              .order_by("first_at", "first_id"))
    return groups


@dataclass
class QueueRow:
    """One reported target in the queue: how many open reports, for which reasons, since when."""

    report_id: int
    kind: str
    object_id: str
    count: int
    first_at: Any
    reasons: list[str] = field(default_factory=list)
    owner_id: int | None = None


def queue_rows(groups: Any) -> list[QueueRow]:
    """The page's groups with their reasons (in words) and the reported account."""
    groups = list(groups)
    if not groups:
        return []
    by_type = {ct.pk: ct for ct in ContentType.objects.filter(pk__in={g["content_type"] for g in groups})}
    names = {ContentType.objects.get_for_model(model).pk: kind for kind, model in kind_models().items()}
    where = Q(pk__in=[])
    for g in groups:
        where |= Q(content_type_id=g["content_type"], object_id=g["object_id"])
    reasons: dict[tuple[int, str], set[str]] = {}
    owners: dict[tuple[int, str], int | None] = {}
    labels = dict(AbuseReport.Reason.choices)
    for report in AbuseReport.objects.filter(where, status=AbuseReport.Status.OPEN).only(
            "content_type_id", "object_id", "reason", "target_owner_id"):
        key = (report.content_type_id, report.object_id)
        reasons.setdefault(key, set()).add(report.reason)
        owners[key] = report.target_owner_id
    rows = []
    for g in groups:
        key = (g["content_type"], g["object_id"])
        ct = by_type.get(g["content_type"])
        rows.append(QueueRow(report_id=g["first_id"], kind=names.get(g["content_type"], ct.model if ct else "?"),
                             object_id=g["object_id"], count=g["n"], first_at=g["first_at"],
                             reasons=[str(labels[r]) for r in sorted(reasons.get(key, ())) if r in labels],
                             owner_id=owners.get(key)))
    return rows


def report_get(*, user: Any, pk: Any) -> AbuseReport:
    """A report for a moderator; 404 for anyone else and for a missing one."""
    _require_moderator(user)
    report = (AbuseReport.objects.select_related("content_type", "reporter", "target_owner", "handled_by")
              .filter(pk=pk).first())
    if report is None:
        raise Http404
    return report


def reports_on_target(report: AbuseReport) -> QuerySet[AbuseReport]:
    """Every report (open and handled) about the same object, oldest first."""
    return (AbuseReport.objects.filter(content_type_id=report.content_type_id, object_id=report.object_id)
            .select_related("reporter", "handled_by"))


def target_text(obj: Any) -> str:
    """What a moderator reads of a reported object other than a message (never a message's text)."""
    if obj is None or isinstance(obj, Message):
        return ""
    if isinstance(obj, Publication):
        return obj.body
    if isinstance(obj, Album):
        return "\n".join(part for part in (obj.title, obj.description) if part)
    if isinstance(obj, Photo):
        return obj.caption
    if isinstance(obj, Comment):
        return obj.body
    if isinstance(obj, get_user_model()):
        profile = Profile.objects.filter(user_id=obj.pk).first()
        name = profile.display_name if profile else policy.default_name(obj)
        parts = [name, profile.position if profile else "", profile.about if profile else ""]
        return mask_personal("\n".join(part for part in parts if part))
    return str(obj)


def is_hidden(obj: Any) -> bool:
    if isinstance(obj, Comment):
        return obj.is_hidden
    return getattr(obj, "hidden_at", None) is not None


def message_context(*, report_message_id: int, context: int = 5, reporter_id: int | None = None) -> list[Message]:
    """The reported message and up to ``context`` messages of its conversation before it, oldest first (the
    reported one last); empty if it was deleted. Only ``services.moderation.message_inspect`` calls this, after
    recording the audited event (the conversations part's ``message_for_moderation`` checks nothing).

    The context is what the reporter could read: nothing written before he joined (with no reporter left — an
    erased account — the reported message alone)."""
    from krai.social.selectors.conversations import message_for_moderation

    conversation_id = Message.objects.filter(pk=report_message_id).values_list("conversation_id", flat=True).first()
    joined = (Participant.objects.filter(conversation_id=conversation_id, user_id=reporter_id)
              .values_list("joined_at", flat=True).first() if reporter_id and conversation_id else None)
    try:
        message, earlier = message_for_moderation(report_message_id=report_message_id,
                                                  context=context if joined is not None else 0, since=joined)
    except Message.DoesNotExist:
        return []
    return [*earlier, message]


def bans_for(*, user: Any, active: bool) -> QuerySet[Ban]:
    """Bans in force now (``active``) or ended and lifted ones, for moderators only."""
    _require_moderator(user)
    now = timezone.now()
    bans = Ban.objects.select_related("user", "created_by", "lifted_by")
    in_force = Q(lifted_at__isnull=True, ends_at__gt=now)
    return bans.filter(in_force).order_by("ends_at", "id") if active else bans.exclude(in_force)


def ban_get(*, user: Any, pk: Any) -> Ban:
    _require_moderator(user)
    ban = Ban.objects.select_related("user").filter(pk=pk).first()
    if ban is None:
        raise Http404
    return ban
