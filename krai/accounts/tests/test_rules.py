"""The accounts permissions as a matrix of roles."""

from __future__ import annotations

import pytest

from krai.accounts.tests.factories import make_token
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def _actor(kind: str):
    if kind == "citizen":
        return UserFactory()
    if kind == "superuser":
        return StaffFactory(is_superuser=True)
    user = StaffFactory()
    if kind in (Role.HEAD, Role.EXECUTOR):
        assign(user, kind, organisation=OrganisationFactory())
    else:
        assign(user, kind)
    return user


@pytest.mark.parametrize("kind, allowed", [
    ("citizen", False), (Role.EXECUTOR, False), (Role.HEAD, False), (Role.CONTROLLER, False),
    (Role.GOVERNOR, False), (Role.ADMINISTRATOR, True), ("superuser", True),
])
def test_who_issues_tokens_of_integrated_systems(kind, allowed):
    assert _actor(kind).has_perm("accounts.issue_system_token") is allowed


@pytest.mark.parametrize("kind, allowed", [
    ("owner", True), ("citizen", False), (Role.CONTROLLER, False), (Role.ADMINISTRATOR, True), ("superuser", True),
])
def test_who_revokes_a_token(kind, allowed):
    owner = UserFactory()
    token, _key = make_token(owner)
    actor = owner if kind == "owner" else _actor(kind)
    assert actor.has_perm("accounts.revoke_apitoken", token) is allowed
