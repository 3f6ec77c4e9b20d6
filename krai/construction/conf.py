"""Construction's settings read in one place (documented in docs/operations.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def verification_working_days() -> int:
    return int(settings.KRAI_CONSTRUCTION_VERIFICATION_WORKING_DAYS)


def nearby_metres() -> int:
    return int(settings.KRAI_CONSTRUCTION_NEARBY_METRES)


def inspection_body_code() -> str:
    return str(settings.KRAI_CONSTRUCTION_INSPECTION_BODY)


def default_inspection_body():
    """The body that verifies sites not in the registry (and registered ones without a body of their own)."""
    from krai.org.models import Organisation

    body = Organisation.objects.filter(code=inspection_body_code(), is_active=True).first()
    if body is None:
        raise ValidationError(_("No inspection body is configured for construction checks; ask the administrator "
                                "(setting KRAI_CONSTRUCTION_INSPECTION_BODY)."), code="no_inspection_body")
    return body
