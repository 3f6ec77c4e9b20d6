"""Writes about people: staff accounts and the roles they act in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.org.models import Block, Municipality, Organisation, Position, Role, RoleAssignment, ScopeKind, User
from krai.org.scopes import STAFF_ROLES
from krai.org.services._common import MANAGE_USERS, UNSET, Unset, apply_changes, field_error, require, validate

# which scopes make sense for which role; anything else is refused with a clear message
ALLOWED_SCOPES: dict[str, set[str]] = {
    Role.EXPERT: {ScopeKind.SELF},
    Role.EXECUTOR: {ScopeKind.SELF, ScopeKind.ORGANISATION, ScopeKind.MUNICIPALITY},
    Role.HEAD: {ScopeKind.ORGANISATION, ScopeKind.MUNICIPALITY},
    Role.VICE_GOVERNOR: {ScopeKind.BLOCK, ScopeKind.REGION},
    Role.GOVERNOR: {ScopeKind.REGION},
    Role.CONTROLLER: {ScopeKind.REGION, ScopeKind.BLOCK, ScopeKind.MUNICIPALITY},
    Role.ADMINISTRATOR: {ScopeKind.REGION},
}


def _forget_scope(user: User) -> None:
    user.__dict__.pop("_krai_scope", None)


# --- users ----------------------------------------------------------------------------------------

def _normal_email(email: str, *, exclude_pk: int | None = None) -> str:
    email = User.objects.normalize_email((email or "").strip()).lower()
    if User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        raise field_error("email", _("A user with this e-mail already exists."))
    return email


@transaction.atomic
def user_create(*, actor: Any, email: str, surname: str, given_name: str, patronymic: str = "", phone: str = "",
                is_staff: bool = True, password: str | None = None,
                home_municipality: Municipality | None = None) -> User:
    """Open an account (a member of staff by default); without a password he sets one by a reset link."""
    require(actor, MANAGE_USERS)
    user = User(email=_normal_email(email), surname=surname, given_name=given_name, patronymic=patronymic,
                phone=phone, is_staff=is_staff, home_municipality=home_municipality, email_confirmed=True)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    validate(user)
    user.save()
    record_event(kind="org.user_created", actor=actor, subject=user,
                 payload={"email": user.email, "is_staff": user.is_staff})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, email: str | Unset = UNSET, surname: str | Unset = UNSET,
                given_name: str | Unset = UNSET, patronymic: str | Unset = UNSET, phone: str | Unset = UNSET,
                is_staff: bool | Unset = UNSET, home_municipality: Municipality | Unset | None = UNSET) -> User:
    """Correct a person's account; taking ``is_staff`` away makes his staff roles grant nothing."""
    require(actor, MANAGE_USERS)
    user = User.objects.select_for_update().get(pk=user.pk)
    if email is not UNSET:
        email = _normal_email(email, exclude_pk=user.pk)
    changed = apply_changes(user, {"email": email, "surname": surname, "given_name": given_name,
                                   "patronymic": patronymic, "phone": phone, "is_staff": is_staff,
                                   "home_municipality": home_municipality})
    if changed:
        validate(user)
        user.save()
        record_event(kind="org.user_updated", actor=actor, subject=user, payload={"changed": changed})
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, user: User) -> User:
    """Close an account: he can no longer sign in and his posts become vacancies."""
    require(actor, MANAGE_USERS)
    if user.pk == actor.pk:
        raise field_error("user", _("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    vacated = list(Position.objects.filter(holder=user).values_list("pk", flat=True))
    Position.objects.filter(pk__in=vacated).update(holder=None)
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_event(kind="org.user_deactivated", actor=actor, subject=user, payload={"vacated_positions": vacated})
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: User) -> User:
    """Open a closed account again: he may sign in with his roles as they are (his former posts stay vacant)."""
    require(actor, MANAGE_USERS)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _forget_scope(user)
    record_event(kind="org.user_reactivated", actor=actor, subject=user, payload={})
    return user


# --- roles ----------------------------------------------------------------------------------------

@transaction.atomic
def role_assign(*, actor: Any, user: User, role: str, scope: str, organisation: Organisation | None = None,
                municipality: Municipality | None = None, block: Block | None = None) -> RoleAssignment:
    """Let ``user`` act in ``role`` within one scope (the target named must match the scope)."""
    require(actor, MANAGE_USERS)
    if role not in ALLOWED_SCOPES:
        raise field_error("role", _("This role cannot be assigned: citizens are everyone without staff roles.")
                          if role == Role.CITIZEN else _("Unknown role."))
    if scope not in ScopeKind.values:
        raise field_error("scope", _("Unknown scope."))
    if scope not in ALLOWED_SCOPES[role]:
        raise field_error("scope", _("The role %(role)s cannot act within the scope %(scope)s.")
                          % {"role": Role(role).label, "scope": ScopeKind(scope).label})
    targets = {"organisation": organisation, "municipality": municipality, "block": block}
    needed = scope if scope in targets else None
    for name, value in targets.items():
        if name == needed and value is None:
            raise field_error(name, _("Name the %(target)s this role acts in.") % {"target": ScopeKind(scope).label})
        if name != needed and value is not None:
            raise field_error(name, _("The scope %(scope)s takes no %(target)s.")
                              % {"scope": ScopeKind(scope).label, "target": name})
    if role in STAFF_ROLES and not (user.is_staff and user.is_active):
        raise field_error("user", _("Only an active member of staff may act in this role."))
    if organisation is not None and not organisation.is_active:
        raise field_error("organisation", _("This organisation is no longer active."))
    User.objects.select_for_update().get(pk=user.pk)  # serialises the duplicate check per user
    if RoleAssignment.objects.filter(user=user, role=role, scope=scope, **targets).exists():
        raise field_error("role", _("This user already holds this role within this scope."))
    assignment = RoleAssignment(user=user, role=role, scope=scope, **targets)
    validate(assignment)
    assignment.save()
    _forget_scope(user)
    record_event(kind="org.role_assigned", actor=actor, subject=user,
                 payload={"assignment": assignment.pk, "role": role, "scope": scope,
                          **{k: v.pk for k, v in targets.items() if v is not None}})
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role away."""
    require(actor, MANAGE_USERS)
    if RoleAssignment.user.is_cached(assignment):
        _forget_scope(assignment.user)  # the caller's copy of the user must not keep the old scope
    assignment = RoleAssignment.objects.select_for_update(of=("self",)).select_related("user").get(pk=assignment.pk)
    user = assignment.user
    payload = {"assignment": assignment.pk, "role": assignment.role, "scope": assignment.scope,
               "organisation": assignment.organisation_id, "municipality": assignment.municipality_id,
               "block": assignment.block_id}
    assignment.delete()
    _forget_scope(user)
    record_event(kind="org.role_revoked", actor=actor, subject=user, payload=payload)
