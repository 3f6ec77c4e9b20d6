"""Writes of the community's moderation: reports, the audited opening of a reported message, hiding and
restoring content, dismissing reports, bans.

Handling a report handles every open report on the same object (``actioned`` or ``dismissed``, by whom, when,
the note) and tells each reporter the outcome (``social.report_handled``); an author is told when his content
is hidden (with the reason) and when he is banned (with the end date). Each write records its event, hence an
audit entry. Settings: ``KRAI_SOCIAL_REPORTS_PER_DAY`` (20) and ``KRAI_SOCIAL_BAN_MAX_DAYS`` (1826, five years).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from krai.core.comments import services as comment_services
from krai.core.comments.models import Comment
from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.social import policy
from krai.social.models import AbuseReport, Album, Ban, Message, Photo, Publication
from krai.social.selectors import moderation as selectors

__all__ = ["ban_create", "ban_lift", "content_hide", "content_restore", "message_inspect", "report_create",
           "report_dismiss"]

DETAILS_MAX, REASON_MAX = 2000, 500
HIDEABLE = (Publication, Album, Photo, Message, Comment)


def _reports_per_day() -> int:
    return int(getattr(settings, "KRAI_SOCIAL_REPORTS_PER_DAY", 20))


def _ban_max_days() -> int:
    return int(getattr(settings, "KRAI_SOCIAL_BAN_MAX_DAYS", 1826))


def _require_moderator(actor: Any) -> None:
    if not policy.is_moderator(actor):
        raise PermissionDenied(_("Only community moderators may do this."))


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _target_url(obj: Any) -> str:
    if isinstance(obj, Comment):
        return _target_url(obj.target) if obj.target is not None else ""
    if isinstance(obj, Message):
        return _url("social:conversation", obj.conversation_id)
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def _tell(user: Any, *, kind: str, title: Any, body: Any = "", url: str = "", event: Any = None) -> None:
    """Notify one person in his own language (the texts are lazy or built inside)."""
    if user is None:
        return
    with translation.override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE):
        notify(users=[user], kind=kind, title=str(title() if callable(title) else title),
               body=str(body() if callable(body) else body), url=url, event=event)


def _clean(text: Any, *, limit: int, name: str, required: bool, message: str = "") -> str:
    value = str(text or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError({name: ValidationError(message or _("This field is required."), code="required")})
    if len(value) > limit:
        raise ValidationError({name: ValidationError(_("At most %(limit)s characters.") % {"limit": limit},
                                                     code="max_length")})
    return value


# --- reports ---------------------------------------------------------------------------------------

@transaction.atomic
def report_create(*, actor: Any, target: models.Model, reason: str, details: str = "") -> AbuseReport:
    """``actor`` reports ``target`` (a publication, album, photo, comment on the community's content, a message of
    his conversation, or an account). 404 for what he may not see; one open report per person and object."""
    policy.ensure_may_act(actor)
    if not selectors.may_report(actor, target):
        raise Http404
    kind = selectors.kind_of(target)
    owner_id = selectors.owner_id_of(target)
    if owner_id == actor.pk:
        raise ValidationError(_("You cannot report yourself or what you wrote."), code="own")
    if reason not in AbuseReport.Reason.values:
        raise ValidationError({"reason": ValidationError(_("Choose a reason."), code="invalid")})
    details = _clean(details, limit=DETAILS_MAX, name="details", required=False)
    since = timezone.now() - timedelta(days=1)
    if AbuseReport.objects.filter(reporter_id=actor.pk, created_at__gte=since).count() >= _reports_per_day():
        raise ValidationError(_("You have sent many reports today. Please try again tomorrow."), code="rate_limited")
    if selectors.has_open_report(reporter=actor, obj=target):
        raise ValidationError(_("You have already reported this."), code="duplicate")
    try:
        with transaction.atomic():
            report = AbuseReport.objects.create(
                reporter=actor, content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk),
                target_owner_id=owner_id, reason=reason, details=details)
    except IntegrityError:  # the same report sent twice at once
        raise ValidationError(_("You have already reported this."), code="duplicate") from None
    # the details are the reporter's words about someone: they stay in the report, not in the event
    record_event(kind="social.report_created", actor=actor, subject=report,
                 payload={"reason": reason, "target_type": kind, "target_id": str(target.pk)})
    return report


@transaction.atomic
def message_inspect(*, actor: Any, report: AbuseReport, context: int = 5) -> list[Message]:
    """The documented way for a moderator to read a message: the reported one and up to ``context`` before it in
    its conversation, for an open report about a message. The opening is recorded (who, which report, which
    messages — never their text) before anything is returned."""
    _require_moderator(actor)
    if report.content_type.model_class() is not Message:
        raise ValidationError(_("This report is not about a message."), code="not_message")
    if report.status != AbuseReport.Status.OPEN:
        raise PermissionDenied(_("A handled report no longer opens the message."))
    found = selectors.message_context(report_message_id=int(report.object_id), context=context,
                                      reporter_id=report.reporter_id)
    # recorded before the caller shows anything; an event row is never changed afterwards
    record_event(kind="social.message_inspected", actor=actor, subject=report,
                 payload={"report_id": report.pk, "message_ids": [m.pk for m in found]})
    return found


def _open_reports(content_type_id: int, object_id: str) -> list[AbuseReport]:
    return list(selectors.open_reports_on(content_type_id, object_id).select_for_update(of=("self",))
                .select_related("reporter"))


def _close(reports: list[AbuseReport], *, actor: Any, status: str, note: str, event: Any) -> None:
    """Close the reports and tell each reporter the outcome (never the note: it is the moderators')."""
    AbuseReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=status, handled_by=actor, handled_at=timezone.now(), decision_note=note)
    if status == AbuseReport.Status.ACTIONED:
        title = lambda: _("Your report was reviewed: the moderators took action")  # noqa: E731
    else:
        title = lambda: _("Your report was reviewed: no rule was broken")  # noqa: E731
    for report in reports:
        _tell(report.reporter, kind="social.report_handled", title=title, event=event)


def _payload(target: Any, **more: Any) -> dict[str, Any]:
    return {"target_type": selectors.kind_of(target), "target_id": str(target.pk),
            "owner_id": selectors.owner_id_of(target), **more}


@transaction.atomic
def content_hide(*, actor: Any, target: models.Model, reason: str) -> models.Model:
    """Hide a publication, album, photo, message or comment (with the reason its author will read), and close
    the open reports on it as actioned."""
    _require_moderator(actor)
    if not isinstance(target, HIDEABLE):
        raise ValidationError(_("This cannot be hidden; dismiss the report or ban the account."), code="not_hideable")
    reason = _clean(reason, limit=300 if isinstance(target, Comment) else REASON_MAX, name="reason", required=True,
                    message=_("Say why it is hidden."))
    if isinstance(target, Comment):
        target = comment_services.comment_hide(actor=actor, comment=target, reason=reason)
    else:
        target = type(target).objects.select_for_update().get(pk=target.pk)
        target.hidden_at, target.hidden_reason = timezone.now(), reason
        fields = ["hidden_at", "hidden_reason"]
        if not isinstance(target, Message):
            target.hidden_by = actor
            fields.append("hidden_by")
        target.save(update_fields=fields)
    reports = _open_reports(ContentType.objects.get_for_model(target).pk, str(target.pk))
    event = record_event(kind="social.content_hidden", actor=actor, subject=target,
                         payload=_payload(target, reason=reason, reports=[r.pk for r in reports]))
    _close(reports, actor=actor, status=AbuseReport.Status.ACTIONED, note=reason, event=event)
    author = get_user_model().objects.filter(pk=selectors.owner_id_of(target)).first()
    _tell(author, kind="social.content_hidden", event=event, url=_target_url(target),
          title=lambda: _("A moderator hid what you published"),
          body=lambda: _("Reason: %(reason)s") % {"reason": reason})
    return target


@transaction.atomic
def content_restore(*, actor: Any, target: models.Model, note: str = "") -> models.Model:
    """Show hidden content again (a mistake, or the author fixed it); its author is told."""
    _require_moderator(actor)
    if not isinstance(target, HIDEABLE):
        raise ValidationError(_("This cannot be hidden or restored."), code="not_hideable")
    note = _clean(note, limit=REASON_MAX, name="note", required=False)
    if isinstance(target, Comment):
        target = comment_services.comment_restore(actor=actor, comment=target)
    else:
        target = type(target).objects.select_for_update().get(pk=target.pk)
        if target.hidden_at is None:
            return target
        target.hidden_at, target.hidden_reason = None, ""
        fields = ["hidden_at", "hidden_reason"]
        if not isinstance(target, Message):
            target.hidden_by = None
            fields.append("hidden_by")
        target.save(update_fields=fields)
    event = record_event(kind="social.content_restored", actor=actor, subject=target,
                         payload=_payload(target, note=note))
    author = get_user_model().objects.filter(pk=selectors.owner_id_of(target)).first()
    _tell(author, kind="social.content_restored", event=event, url=_target_url(target),
          title=lambda: _("A moderator restored what you published"))
    return target


@transaction.atomic
def report_dismiss(*, actor: Any, report: AbuseReport, note: str = "") -> AbuseReport:
    """Nothing wrong found: close every open report on the same object as dismissed."""
    _require_moderator(actor)
    note = _clean(note, limit=REASON_MAX, name="note", required=False)
    if report.status != AbuseReport.Status.OPEN:
        raise ValidationError(_("This report has already been handled."), code="handled")
    reports = _open_reports(report.content_type_id, report.object_id)
    event = record_event(kind="social.report_dismissed", actor=actor, subject=report, payload={
        "target_type": report.content_type.model, "target_id": report.object_id, "reports": [r.pk for r in reports]})
    _close(reports, actor=actor, status=AbuseReport.Status.DISMISSED, note=note, event=event)
    report.refresh_from_db()
    return report


# --- bans ------------------------------------------------------------------------------------------

def _until(ban: Ban) -> str:
    return formats.date_format(timezone.localtime(ban.ends_at), "DATETIME_FORMAT")


@transaction.atomic
def ban_create(*, actor: Any, user: Any, reason: str, ends_at: datetime, report: AbuseReport | None = None) -> Ban:
    """Ban ``user`` from writing in the community until ``ends_at`` (in the future, at most
    ``KRAI_SOCIAL_BAN_MAX_DAYS`` away). Moderators and staff accounts cannot be banned here (an administrator
    closes a staff account). With ``report``, the open reports on its object are closed as actioned."""
    _require_moderator(actor)
    if user is None:
        raise ValidationError(_("There is no account to ban."), code="no_account")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot ban yourself."), code="self")
    if user.is_staff or policy.is_moderator(user):
        raise PermissionDenied(_("Moderators and staff accounts cannot be banned in the community."))
    reason = _clean(reason, limit=DETAILS_MAX, name="reason", required=True,
                    message=_("Say why the account is banned."))
    now = timezone.now()
    if ends_at is None or timezone.is_naive(ends_at) or ends_at <= now:
        raise ValidationError({"ends_at": ValidationError(_("A ban ends in the future."), code="invalid")})
    if ends_at > now + timedelta(days=_ban_max_days()):
        raise ValidationError({"ends_at": ValidationError(
            _("A ban lasts at most %(days)s days.") % {"days": _ban_max_days()}, code="too_long")})
    if report is not None and report.target_owner_id != user.pk:
        raise ValidationError(_("The report is about someone else."), code="other_user")
    ban = Ban.objects.create(user=user, reason=reason, starts_at=now, ends_at=ends_at, created_by=actor,
                             report=report)
    reports = _open_reports(report.content_type_id, report.object_id) if report is not None else []
    event = record_event(kind="social.ban_created", actor=actor, subject=ban, payload={
        "user_id": user.pk, "ends_at": ends_at.isoformat(), "reason": reason,
        "report_id": report.pk if report else None, "reports": [r.pk for r in reports]})
    _close(reports, actor=actor, status=AbuseReport.Status.ACTIONED, note=reason, event=event)
    _tell(user, kind="social.banned", event=event,
          title=lambda: _("Your account is banned from the community until %(until)s") % {"until": _until(ban)},
          body=lambda: _("Reason: %(reason)s") % {"reason": reason})
    return ban


@transaction.atomic
def ban_lift(*, actor: Any, ban: Ban, reason: str) -> Ban:
    """End a ban in force early, saying why; the row stays as the record."""
    _require_moderator(actor)
    reason = _clean(reason, limit=REASON_MAX, name="reason", required=True, message=_("Say why the ban is lifted."))
    ban = Ban.objects.select_for_update().select_related("user").get(pk=ban.pk)
    now = timezone.now()
    if ban.lifted_at is not None or ban.ends_at <= now:
        raise ValidationError(_("This ban is no longer in force."), code="ended")
    ban.lifted_at, ban.lifted_by = now, actor
    ban.save(update_fields=["lifted_at", "lifted_by"])
    event = record_event(kind="social.ban_lifted", actor=actor, subject=ban,
                         payload={"user_id": ban.user_id, "reason": reason})
    _tell(ban.user, kind="social.ban_lifted", event=event,
          title=lambda: _("Your community ban was lifted"))
    return ban
