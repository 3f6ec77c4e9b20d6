"""Writing comments: add (rate-limited), edit, hide and restore — each permission-checked and evented.

Settings (with defaults): ``KRAI_COMMENTS_MAX_LENGTH`` (5000 characters), ``KRAI_COMMENTS_MAX_DEPTH``
(3 levels: a remark, a reply, a reply to the reply; a reply deeper than that joins the deepest level,
answering the same comment its parent answers), ``KRAI_COMMENTS_RATE`` ("10/m": at most 10 comments a
minute per person; "/s", "/m", "/h", "/d"). The rate limit honours ``RATELIMIT_ENABLE``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core import ratelimit
from krai.core.comments.models import Comment
from krai.core.events.services import record_event
from krai.core.privacy import Erasure


class RateLimited(ValidationError):
    """Too many comments in a short time: a ValidationError for pages, a 429 for the API."""


def max_length() -> int:
    return int(getattr(settings, "KRAI_COMMENTS_MAX_LENGTH", 5000))


def max_depth() -> int:
    return max(1, int(getattr(settings, "KRAI_COMMENTS_MAX_DEPTH", 3)))


def _rate() -> tuple[int, int]:
    return ratelimit.rate(getattr(settings, "KRAI_COMMENTS_RATE", "10/m"), "m")


def _check_rate(user) -> None:
    if not ratelimit.within("comments", user.pk, *_rate()):
        raise RateLimited(_("You are writing comments too fast. Please wait a minute and try again."),
                          code="rate_limited")


def clean_body(body) -> str:
    """The text as it will be kept: trimmed, line ends unified; raises for an empty or too long one."""
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    if not text:
        raise ValidationError({"body": ValidationError(_("Write something first."), code="required")})
    if len(text) > max_length():
        raise ValidationError({"body": ValidationError(
            _("A comment is at most %(limit)s characters (this one has %(length)s).")
            % {"limit": max_length(), "length": len(text)}, code="max_length")})
    return text


def _payload(comment: Comment) -> dict:
    return {"target_type": comment.target_type, "target_id": comment.object_id, "parent_id": comment.parent_id,
            "author_id": comment.author_id, "depth": comment.depth, "excerpt": comment.body[:200]}


@transaction.atomic
def comment_add(*, actor, target: models.Model, body: str, parent: Comment | None = None) -> Comment:
    """Write ``actor``'s comment on ``target`` (``comments.add_comment``), as a reply to ``parent`` if given."""
    if actor is None or not actor.has_perm("comments.add_comment", target):
        raise PermissionDenied(_("You may not comment here."))
    text = clean_body(body)
    content_type = ContentType.objects.get_for_model(target)
    depth = 0
    if parent is not None:
        if parent.content_type_id != content_type.pk or parent.object_id != str(target.pk):
            raise ValidationError({"parent": ValidationError(_("That comment is not in this discussion."),
                                                             code="invalid")})
        if parent.is_hidden:
            raise ValidationError({"parent": ValidationError(_("A hidden comment cannot be answered."),
                                                             code="hidden")})
        if parent.depth + 1 >= max_depth():
            parent = parent.parent  # the deepest level: answer alongside, not below
        depth = parent.depth + 1 if parent is not None else 0
    _check_rate(actor)
    comment = Comment.objects.create(content_type=content_type, object_id=str(target.pk), author=actor,
                                     parent=parent, depth=depth, body=text)
    record_event(kind="comments.comment_added", actor=actor, subject=comment, payload=_payload(comment))
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str) -> Comment:
    """Change the text of one's own comment (``comments.edit_comment``); the same text changes nothing."""
    if actor is None or not actor.has_perm("comments.edit_comment", comment):
        raise PermissionDenied(_("You may not edit this comment."))
    text = clean_body(body)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if text == comment.body:
        return comment
    previous = comment.body
    comment.body, comment.edited_at = text, timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    record_event(kind="comments.comment_edited", actor=actor, subject=comment,
                 payload={**_payload(comment), "previous_excerpt": previous[:200]})
    return comment


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment from readers (``comments.hide_comment``), saying why; its replies stay."""
    if actor is None or not actor.has_perm("comments.hide_comment", comment):
        raise PermissionDenied(_("Only moderators may hide comments."))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the comment is hidden."), code="required")})
    if len(reason) > 300:
        raise ValidationError({"reason": ValidationError(_("A reason is at most 300 characters."),
                                                         code="max_length")})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_hidden and comment.hidden_reason == reason:
        return comment
    comment.is_hidden, comment.hidden_reason, comment.hidden_by, comment.hidden_at = True, reason, actor, timezone.now()
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    record_event(kind="comments.comment_hidden", actor=actor, subject=comment,
                 payload={**_payload(comment), "reason": reason})
    return comment


@transaction.atomic
def comment_restore(*, actor, comment: Comment) -> Comment:
    """Show a hidden comment again (``comments.hide_comment``)."""
    if actor is None or not actor.has_perm("comments.hide_comment", comment):
        raise PermissionDenied(_("Only moderators may restore comments."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_hidden:
        return comment
    comment.is_hidden, comment.hidden_reason, comment.hidden_by, comment.hidden_at = False, "", None, None
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    record_event(kind="comments.comment_restored", actor=actor, subject=comment, payload=_payload(comment))
    return comment


def comments_erase_person(erasure: Erasure) -> None:
    """Erasure (``krai.core.privacy``): his comments lose his personal data, others' lose the mentions of him.

    Runs after the areas, so the threads under what they anonymised (``erasure.subjects``) are read too.
    The comments stay, so that the replies to them keep their place in the thread.
    """
    own = list(Comment.objects.filter(author_id=erasure.user_id))
    for comment in own:
        Comment.objects.filter(pk=comment.pk).update(body=erasure.scrub(comment.body) or "—")
        erasure.touch(comment)
    around = Q(parent_id__in=[comment.pk for comment in own])
    for app_label, model, pk in set(erasure.subjects):
        if (app_label, model) != ("comments", "comment"):
            around |= Q(content_type__app_label=app_label, content_type__model=model, object_id=pk)
    for comment in Comment.objects.filter(around).exclude(author_id=erasure.user_id):
        body, reason = erasure.scrub_mentions(comment.body), erasure.scrub_mentions(comment.hidden_reason)
        if (body, reason) != (comment.body, comment.hidden_reason):
            Comment.objects.filter(pk=comment.pk).update(body=body, hidden_reason=reason)
            erasure.touch(comment)
    erasure.count("comments", len(own))
