"""Who may read, write, edit and hide comments — and the hooks an area uses to decide for its objects.

* ``comments.view_comments`` (object: the target) — whoever may see the target (its area's
  ``<app_label>.view_<model>`` rule, or everyone if the area has none; ``krai.core.files.selectors``).
* ``comments.add_comment`` (object: the target) — **hook**: if the area registered a rule named
  ``<app_label>.comment_<model>``, that rule decides (with the target still having to be visible);
  otherwise a confirmed resident (signed in, active, e-mail confirmed) who may see the target.
* ``comments.edit_comment`` (object: the comment) — its author, while it is not hidden and he may still
  comment on the target.
* ``comments.hide_comment`` (object: the comment) — a moderator: a superuser, a holder of the Django
  model permission ``comments.change_comment`` (give it to a "moderators" group in the admin), or —
  **hook** — whoever holds the area's ``<app_label>.moderate_<model>`` rule on the target.
"""

import rules

from krai.core.files import selectors as targets


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def may_view_target(user, target) -> bool:
    return target is not None and targets.can_view_target(user, target)


@rules.predicate
def may_comment_on(user, target) -> bool:
    if not _active(user) or target is None or not targets.can_view_target(user, target):
        return False
    hook = targets.target_perm(target, "comment")
    if rules.perm_exists(hook):
        return user.has_perm(hook, target)
    return bool(getattr(user, "email_confirmed", True))


@rules.predicate
def may_moderate_target(user, target) -> bool:
    if not _active(user) or target is None:
        return False
    if user.is_superuser or user.has_perm("comments.change_comment"):
        return True
    hook = targets.target_perm(target, "moderate")
    return rules.perm_exists(hook) and user.has_perm(hook, target)


@rules.predicate
def may_edit(user, comment) -> bool:
    return bool(comment is not None and _active(user) and comment.author_id == user.pk and not comment.is_hidden
                and may_comment_on(user, comment.target))


@rules.predicate
def may_hide(user, comment) -> bool:
    return comment is not None and may_moderate_target(user, comment.target)


rules.add_perm("comments.view_comments", may_view_target)
rules.add_perm("comments.add_comment", may_comment_on)
rules.add_perm("comments.edit_comment", may_edit)
rules.add_perm("comments.hide_comment", may_hide)
rules.add_perm("comments.moderate_comments", may_moderate_target)
