"""The private checks of the verification services (``verification``): the texts, floors and object of a request,
its photos proved before anything is written, the resident's rate, the request's lock and state, its open
assignment, the visit's date.

Private (the module's name starts with ``_``): no service lives here, every function writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction.models import ConstructionObject, RequestReason, RequestStatus, VerificationRequest
from krai.construction.selectors import verification as selectors
from krai.core import ratelimit
from krai.core.files import validation as file_validation
from krai.core.privacy import mask_personal
from krai.core.ratelimit import RateLimited
from krai.orders import selectors as control_selectors
from krai.orders.models import Assignment, Status

ADDRESS_MAX = 300
TEXT_MIN = 10
TEXT_MAX = 5000
FINDINGS_MAX = 20_000
FLOORS_MAX = 200
MAX_PHOTOS = 10


def _text(value: Any, field: str, *, required: str, minimum: int = 0, maximum: int = TEXT_MAX,
          one_line: bool = False) -> str:
    text = str(value or "").strip()
    if one_line:
        text = " ".join(text.split())
    if not text:
        raise ValidationError({field: required}, code="required")
    if len(text) < minimum:
        raise ValidationError({field: _("Write at least %(n)s characters.") % {"n": minimum}}, code="too_short")
    if len(text) > maximum:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": maximum}}, code="too_long")
    return text


def _floors(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        floors = int(value)
    except (TypeError, ValueError):
        floors = -1
    if not 1 <= floors <= FLOORS_MAX:
        raise ValidationError({field: _("Give a number of floors from 1 to %(n)s.") % {"n": FLOORS_MAX}},
                              code="invalid")
    return floors


def _object(value: Any) -> ConstructionObject | None:
    if value in (None, ""):
        return None
    if isinstance(value, ConstructionObject):
        return value
    try:
        found = ConstructionObject.objects.filter(pk=int(getattr(value, "pk", value))).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise ValidationError({"object": _("Choose a registered object from the list.")},
                              code="invalid")
    return found


def _check_photos(photos: Sequence[Any]) -> None:
    """Prove every photo before anything is written: one refused photo refuses the whole request."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}}, code="too_many")
    for photo in photos:
        try:
            file_validation.inspect_upload(photo, allowed_kinds=("image",))
        except ValidationError as error:
            raise ValidationError({"photos": [f"{getattr(photo, 'name', '')}: {message}".lstrip(": ")
                                              for message in error.messages]}) from None
        finally:
            if hasattr(photo, "seek"):
                photo.seek(0)



def _check_rate(actor: Any) -> None:
    limit, seconds = ratelimit.rate(settings.KRAI_CONSTRUCTION_REQUEST_RATE, "d")
    if not ratelimit.within("construction:request", actor.pk, limit, seconds):
        raise RateLimited(_("You have filed too many verification requests lately. Please try again later."),
                          code="rate_limited")


def _locked(request: VerificationRequest) -> VerificationRequest:
    return VerificationRequest.objects.select_for_update(of=("self",)).select_related(
        "object", "inspection_body", "municipality", "author").get(pk=request.pk)


def _require_open(request: VerificationRequest) -> None:
    if request.status == RequestStatus.RESOLVED:
        raise ValidationError(_("This request is already verified."), code="resolved")
    if request.status == RequestStatus.CANCELLED:
        raise ValidationError(_("This request is cancelled."), code="cancelled")


def _open_assignment(request: VerificationRequest) -> Assignment | None:
    assignment = control_selectors.control_for_subject(request)
    if assignment is None or assignment.status in (Status.DONE, Status.CANCELLED):
        return None
    return assignment


def _clean_request(*, reason: Any, address: Any, lat: Any, lon: Any, description: Any, observed_floors: Any,
                   construction_object: Any) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    data: dict[str, Any] = {}
    checks = (
        ("address", lambda: _text(address, "address", required="-", maximum=ADDRESS_MAX, one_line=True)
         if str(address or "").strip() else ""),
        ("description", lambda: _text(description, "description", required=_("Describe what is wrong."),
                                      minimum=TEXT_MIN)),
        ("observed_floors", lambda: _floors(observed_floors, "observed_floors")),
        ("object", lambda: _object(construction_object)),
    )
    for name, check in checks:
        try:
            data[name] = check()
        except ValidationError as error:
            errors.update(error.error_dict)
    try:
        data["lat"], data["lon"], data["municipality"] = selectors.site_point(lat, lon)
    except ValidationError as error:
        errors.update(error.error_dict)
    if reason not in RequestReason.values:
        errors["reason"] = [ValidationError(_("Choose what is wrong with the site."), code="invalid")]
    elif reason == RequestReason.DIFFERS and not data.get("object") and "object" not in errors:
        errors["object"] = [ValidationError(
            _("Choose the registered object that differs from its approvals (or say the site is not in the "
              "registry)."), code="required")]
    elif reason == RequestReason.MISSING and data.get("object"):
        errors["reason"] = [ValidationError(
            _("The object you chose is in the registry: say that it differs from its approvals."), code="invalid")]
    if errors:
        raise ValidationError(errors)
    data["reason"] = reason
    # the address is published everywhere the site is (lists, maps, the illegal registry): no one's contacts in it
    data["address"] = mask_personal(data["address"]) or selectors.site_address(data["lat"], data["lon"],
                                                                                data["municipality"])
    return data


def _visit_date(value: Any, request: VerificationRequest) -> date:
    if not isinstance(value, date):
        raise ValidationError({"visited_on": _("Give the date of the visit.")}, code="invalid")
    if value > timezone.localdate():
        raise ValidationError({"visited_on": _("The visit cannot be in the future.")}, code="future")
    if value < timezone.localdate(request.created_at):
        raise ValidationError({"visited_on": _("The visit cannot be before the request was filed (%(d)s).")
                               % {"d": timezone.localdate(request.created_at).strftime("%d.%m.%Y")}},
                              code="before_request")
    return value
