"""The history of changes of any object of the area, as its card shows it."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from krai.construction.models import Change


def history_of(target: models.Model) -> models.QuerySet[Change]:
    """The object's changes, newest first."""
    return Change.objects.filter(content_type=ContentType.objects.get_for_model(target),
                                 object_id=target.pk).select_related("actor")
