"""Who may see, add and remove attachments.

* ``files.view_attachment`` (object: the attachment) — whoever may see its target: the target area's
  ``<app_label>.view_<model>`` rule if it registered one, else everyone (see ``selectors.can_view_target``).
  An area wanting a stricter rule for the files than for the object itself may replace this rule with
  ``rules.set_perm("files.view_attachment", ...)`` in its own ``rules.py``.
* ``files.add_attachment`` (object: the target) — an active, signed-in user who may see the target and
  holds ``<app_label>.attach_<model>`` **or** ``<app_label>.change_<model>`` on it. ``attach_`` lets an
  area allow adding files without allowing edits (a resident adding photos to his own problem report);
  ``change_`` means whoever may edit an object may also attach files to it.
* ``files.delete_attachment`` (object: the attachment) — whoever may change the target, or the uploader
  while he may still attach files to it.
"""

import rules

from krai.core.files import selectors


@rules.predicate
def can_view_target_of(user, attachment) -> bool:
    target = attachment.target if attachment is not None else None
    return target is not None and selectors.can_view_target(user, target)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def may_change_target(user, target) -> bool:
    return _active(user) and target is not None and user.has_perm(selectors.target_perm(target, "change"), target)


@rules.predicate
def may_attach_to(user, target) -> bool:
    if not _active(user) or target is None or not selectors.can_view_target(user, target):
        return False
    return user.has_perm(selectors.target_perm(target, "attach"), target) or may_change_target(user, target)


@rules.predicate
def may_delete(user, attachment) -> bool:
    target = attachment.target if attachment is not None else None
    if target is None or not _active(user):
        return False
    if may_change_target(user, target):
        return True
    return attachment.uploaded_by_id == user.pk and may_attach_to(user, target)


rules.add_perm("files.view_attachment", can_view_target_of)
rules.add_perm("files.add_attachment", may_attach_to)
rules.add_perm("files.delete_attachment", may_delete)
