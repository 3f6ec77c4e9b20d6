"""A person's own account: correcting the profile, deleting (anonymising) it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from krai.accounts.models import ApiToken
from krai.accounts.services._common import (
    UNSET,
    User,
    _check_municipality,
    _check_names,
    _errors,
    _require_self,
    normalise_phone,
)
from krai.core.events.services import record_event
from krai.core.privacy import erase_person

# --- profile ----------------------------------------------------------------------------------------------

@transaction.atomic
def profile_update(*, actor: Any, user: Any, surname: Any = UNSET, given_name: Any = UNSET,
                   patronymic: Any = UNSET, phone: Any = UNSET, home_municipality: Any = UNSET) -> Any:
    """A person corrects his own names, phone or home municipality; a new municipality must be verified again."""
    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list] = {}
    new = {"surname": surname, "given_name": given_name, "patronymic": patronymic}
    new = {k: (v or "").strip() for k, v in new.items() if v is not UNSET}
    _check_names(errors, surname=new.get("surname", user.surname), given_name=new.get("given_name", user.given_name),
                 patronymic=new.get("patronymic", user.patronymic))
    if phone is not UNSET:
        try:
            new["phone"] = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if home_municipality is not UNSET:
        _check_municipality(errors, home_municipality)
    _errors(errors)
    changed: dict[str, list] = {}
    for field, value in new.items():
        if getattr(user, field) != value:
            changed[field] = [getattr(user, field), value]
            setattr(user, field, value)
    new_muni_id = getattr(home_municipality, "pk", None)
    if home_municipality is not UNSET and user.home_municipality_id != new_muni_id:
        changed["home_municipality"] = [user.home_municipality_id, new_muni_id]
        user.home_municipality = home_municipality
        if user.residence_verified:
            user.residence_verified = False
            changed["residence_verified"] = [True, False]
    if changed:
        user.save()
        # names and phone are personal data: the event says what changed, not to what
        record_event(kind="accounts.profile_updated", actor=actor, subject=user,
                     payload={"changed": sorted(changed),
                              **({"home_municipality": changed["home_municipality"]}
                                 if "home_municipality" in changed else {})})
    return user


def _forget_sign_ins(email: str) -> None:
    """django-axes keeps every sign-in and failure under the login as typed: the person's e-mail."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # late: an app's models

    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()


@transaction.atomic
def account_anonymise(*, actor: Any, user: Any, password: str) -> Any:
    """Delete a resident's account the lawful way: wipe every personal field and close the login.

    The row stays, nameless, so that his votes, ideas and reports still count and still read as
    "a deleted user"; his tokens are revoked and his second-factor devices removed. Before his fields are
    wiped, every area anonymises what he wrote and cuts his votes' and ratings' links to him
    (``krai.core.privacy.erase_person``: the erasers the areas registered, then the kernel's events,
    audit entries and notifications), all in this transaction.
    """
    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("The password is wrong.")]})
    if user.is_staff:
        raise PermissionDenied(_("A staff account is closed by an administrator, not deleted by its owner."))
    now = timezone.now()
    erasure = erase_person(user=user)
    _forget_sign_ins(user.email)
    user.email = f"deleted-{user.pk}@anonymised.invalid"
    user.surname = user.given_name = user.patronymic = user.phone = ""
    user.home_municipality = None
    user.residence_verified = user.email_confirmed = False
    user.is_active = False
    user.preferred_language = ""
    user.set_unusable_password()
    user.save()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # how much each area anonymised, never what
    record_event(kind="accounts.account_anonymised", actor=None, subject=user, payload={"erased": erasure.counts})
    return user
