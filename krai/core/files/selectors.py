"""Reading attachments, and the generic "target" helpers the kernel's parts share.

A *target* is any model instance that other things (attachments, comments) hang on. It is named in
requests as ``target_type`` ("app_label.model") and ``target_id`` (its primary key, as a string).

Who may see a target: if a rule named ``<app_label>.view_<model>`` is registered with django-rules, that
rule decides (``user.has_perm(name, target)``); if the area registered no such rule, the target is taken
as public. Kernel and infrastructure models (sessions, users' tokens, events…) are never targets.
"""

from __future__ import annotations

import rules
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from krai.core.files.models import Attachment

#: App labels whose models cannot carry attachments or comments (and so are never probed by them).
NOT_TARGETS = frozenset({
    "admin", "auth", "contenttypes", "sessions", "messages", "staticfiles", "django_otp", "otp_totp",
    "otp_static", "axes", "huey", "djhuey", "rest_framework", "authtoken", "mozilla_django_oidc", "core",
    "events", "audit", "notifications", "files", "search", "workcalendar", "accounts",
})


def target_label(target: models.Model) -> str:
    """``"app_label.model"`` of an object."""
    return f"{target._meta.app_label}.{target._meta.model_name}"


def target_perm(target: models.Model | type[models.Model], verb: str) -> str:
    """The permission name ``<app_label>.<verb>_<model>`` for a target (or its model)."""
    meta = target._meta
    return f"{meta.app_label}.{verb}_{meta.model_name}"


def is_target_model(model: type[models.Model] | None) -> bool:
    return model is not None and model._meta.app_label not in NOT_TARGETS


def can_view_target(user, target: models.Model) -> bool:
    """Whether ``user`` may see ``target``: its area's ``view`` rule if it has one, else public."""
    if not is_target_model(type(target)):
        return False
    name = target_perm(target, "view")
    if rules.perm_exists(name):
        return bool(user is not None and user.has_perm(name, target))
    return True


def resolve_target(target_type: str, target_id, *, user) -> models.Model:
    """The object named by ``target_type``/``target_id`` if ``user`` may see it.

    Raises ``ValidationError`` (on ``target_type``) for a malformed or unknown type and ``Http404`` alike
    for a missing object and one the user may not see.
    """
    app_label, dot, model_name = str(target_type or "").strip().lower().partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name) if dot else None
    except ContentType.DoesNotExist:
        content_type = None
    model = content_type.model_class() if content_type is not None else None
    if not is_target_model(model):
        raise ValidationError({"target_type": ValidationError(_("Unknown type of object."), code="invalid")})
    try:
        target = model._default_manager.get(pk=str(target_id or "").strip())
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if not can_view_target(user, target):
        raise Http404
    return target


def attachments_for(*, user, target: models.Model) -> QuerySet[Attachment]:
    """The attachments of ``target`` in upload order, none if ``user`` may not see it."""
    if not can_view_target(user, target):
        return Attachment.objects.none()
    content_type = ContentType.objects.get_for_model(target)
    return (Attachment.objects.filter(content_type=content_type, object_id=str(target.pk))
            .select_related("uploaded_by", "content_type"))


def attachment_get_for_user(*, user, pk) -> Attachment:
    """One attachment if ``user`` may see it (``files.view_attachment``); 404 alike for missing and forbidden."""
    try:
        attachment = Attachment.objects.select_related("content_type", "uploaded_by").get(pk=int(pk))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if attachment.target is None or not user.has_perm("files.view_attachment", attachment):
        raise Http404
    return attachment
