"""Reading comments: a target's thread in reading order, as the acting user may see it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from krai.core.comments.models import Comment
from krai.core.privacy import mask_personal

MAX_THREAD = 1000  # comments shown on one object (the newest threads are kept whole)


@dataclass
class ShownComment:
    """A comment as one reader sees it: hidden text only for its author and moderators.

    Comments on public objects are public: others read the text through the mask of personal data
    (``krai.core.privacy``); its author and the moderators read it as written.
    """

    comment: Comment
    show_body: bool
    can_edit: bool
    can_hide: bool
    as_written: bool = False

    @property
    def body(self) -> str:
        if not self.show_body:
            return ""
        return self.comment.body if self.as_written else mask_personal(self.comment.body)

    def __getattr__(self, name):
        return getattr(self.comment, name)


def can_read(user, target: models.Model) -> bool:
    return bool(user is not None and user.has_perm("comments.view_comments", target))


def can_comment(user, target: models.Model) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("comments.add_comment", target))


def can_moderate(user, target: models.Model) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("comments.moderate_comments", target))


def comments_for(*, user, target: models.Model) -> list[ShownComment]:
    """The thread of ``target`` in reading order (each comment followed by its replies); [] if unreadable."""
    if not can_read(user, target):
        return []
    content_type = ContentType.objects.get_for_model(target)
    rows = list(Comment.objects.filter(content_type=content_type, object_id=str(target.pk))
                .select_related("author", "content_type").order_by("-created_at", "-id")[:MAX_THREAD])
    rows.reverse()
    moderator = can_moderate(user, target)
    may_comment = can_comment(user, target)
    user_id = user.pk if user is not None and user.is_authenticated else None
    children: dict[int | None, list[Comment]] = {}
    ids = {row.pk for row in rows}
    for row in rows:
        children.setdefault(row.parent_id if row.parent_id in ids else None, []).append(row)
    ordered: list[ShownComment] = []

    def walk(parent_id):
        for row in children.get(parent_id, []):
            own = user_id is not None and row.author_id == user_id
            ordered.append(ShownComment(comment=row, show_body=not row.is_hidden or own or moderator,
                                        can_edit=own and may_comment and not row.is_hidden, can_hide=moderator,
                                        as_written=own or moderator))
            walk(row.pk)

    walk(None)
    return ordered


def comment_get_for_user(*, user, pk) -> Comment:
    """One comment whose target ``user`` may read; 404 alike for missing and unreadable."""
    try:
        comment = Comment.objects.select_related("content_type", "author").get(pk=int(pk))
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    target = comment.target
    if target is None or not can_read(user, target):
        raise Http404
    return comment
