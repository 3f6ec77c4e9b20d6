"""Test data of the expertise part: an initiative in draft elaboration with version 1, one at the expertise with
invited experts, one awaiting the reaction of its body."""

from __future__ import annotations

from typing import Any

from krai.lawmaking.models import Initiative, Stage
from krai.lawmaking.services import drafts, expertise, reactions
from krai.lawmaking.tests import factories
from krai.org.tests.factories import OrganisationFactory


def drafted(**fields: Any) -> Initiative:
    initiative = factories.initiative(Stage.ELABORATION, **fields)
    drafts.version_initial(initiative=initiative, actor=initiative.initiator)
    initiative.refresh_from_db()
    return initiative


def at_expertise(*experts: Any, due: Any = None, **fields: Any) -> tuple[Initiative, list[Any], Any]:
    """An initiative at the expertise with ``experts`` invited by name (one verified law expert if none); returns
    it, the experts and the coordinator who started it."""
    initiative = drafted(**fields)
    experts = experts or (factories.verified_expert("law"),)
    boss = factories.coordinator()
    expertise.expertise_start(actor=boss, initiative=initiative, experts=experts, due=due)
    initiative.refresh_from_db()
    return initiative, list(experts), boss


def review_data(**overrides: Any) -> dict[str, Any]:
    return {"conclusion": "remarks", "summary": "Проект в целом обоснован.", "risks": "Расходы бюджета.",
            "corruption_risks_found": False, "corruption_findings": "", "proposals": "Уточнить статью 1.",
            **overrides}


def at_reaction(**fields: Any) -> tuple[Initiative, Any, Any]:
    """An initiative awaiting its body's reaction (the assignment opened), with a head of the body and the expert
    who reviewed it; returns the initiative, the head and the expert."""
    body = OrganisationFactory(name="Министерство строительства края")
    head = factories.body_staff(body)
    initiative, experts, _boss = at_expertise(body=body, **fields)
    expertise.review_submit(actor=experts[0], initiative=initiative, **review_data())
    reactions.reaction_request(actor=None, initiative=initiative)
    initiative.refresh_from_db()
    return initiative, head, experts[0]
