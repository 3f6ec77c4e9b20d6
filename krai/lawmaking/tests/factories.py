"""Shared test data of law-making: an initiative at any stage (rows written directly, as a fixture), a verified
expert of the registry, a staff member of a body."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from krai.lawmaking.models import STAGE_PATH, Initiative, Level, Stage, StageEntry
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign
from krai.social.models import ExpertiseField, Profile


def field(code: str = "law", name: str = "Право") -> ExpertiseField:
    return ExpertiseField.objects.get_or_create(code=code, defaults={"name": name, "name_en": code})[0]


def verified_expert(*codes: str, **user_fields: Any):
    """A user who is a verified expert of the registry in the fields ``codes`` (default: law)."""
    user = UserFactory(**user_fields)
    assign(user, Role.EXPERT)
    name = f"{user.given_name} {user.surname}"
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"display_name": name})
    profile.expert_status = Profile.ExpertStatus.VERIFIED
    profile.save()
    profile.expertise.set([field(code) for code in (codes or ("law",))])
    return user


def body_staff(body=None, role: str = Role.HEAD):
    """A staff member acting for ``body`` (a new department if none): he answers for it."""
    body = body or OrganisationFactory()
    user = StaffFactory()
    assign(user, role, organisation=body)
    return user


def coordinator():
    """A controller of the region: moderates concepts and moves initiatives."""
    user = StaffFactory()
    assign(user, Role.CONTROLLER)
    return user


def initiative(stage: str = Stage.DISCUSSION, *, initiator=None, body=None, municipality=None,
               **fields: Any) -> Initiative:
    """An initiative that has gone the path up to ``stage`` (its timeline written as if it had walked it)."""
    now = timezone.now()
    initiator = initiator or UserFactory()
    body = body or OrganisationFactory()
    values = {"title": "О благоустройстве дворовых территорий", "problem": "Дворы не благоустроены.",
              "proposal": "Установить порядок благоустройства дворов.", "support_threshold": 3,
              "level": Level.MUNICIPAL if municipality else Level.REGIONAL, **fields}
    item = Initiative.objects.create(initiator=initiator, responsible_body=body, municipality=municipality,
                                     stage=stage, **values)
    path = STAGE_PATH[: STAGE_PATH.index(stage) + 1] if stage in STAGE_PATH else [Stage.CONCEPT, Stage.STOPPED]
    for days, step in zip(range(len(path), 0, -1), path, strict=True):
        StageEntry.objects.create(initiative=item, stage=step, entered_at=now - timedelta(days=days))
    if stage != Stage.CONCEPT:
        Initiative.objects.filter(pk=item.pk).update(published_at=now - timedelta(days=len(path)))
        item.refresh_from_db()
    return item
