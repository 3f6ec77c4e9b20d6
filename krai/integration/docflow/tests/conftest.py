"""A small government the sample packages name (``tests/data``), a document-flow system with its channel, and
helpers to read the samples and to count every table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from krai.integration.docflow.models import DocflowChannel
from krai.integration.models import ExternalSystem
from krai.integration.tests.factories import administrator, controller, external_system
from krai.org.models import Organisation, Role
from krai.org.tests.factories import BlockFactory, OrganisationFactory, PositionFactory, StaffFactory, assign

DATA = Path(__file__).resolve().parent / "data"
#: tables whose rows a refused package may add: its own record, the log, and the events with their audit trail
RECORD_TABLES = {"docflow.DocflowPackage", "integration.ExchangeMessage"}


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def counts() -> dict[str, int]:
    """Rows of every domain table (events and the audit trail aside: they record the refusal itself)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label not in ("events", "audit", "sessions", "axes")
            and model._meta.label not in RECORD_TABLES and not model._meta.proxy}


@dataclass
class Gov:
    social: Any
    health: Organisation
    education: Organisation
    labour: Organisation
    finance: Organisation
    control: Organisation
    vice: Any
    minister: Any
    controller: Any
    admin: Any
    outsider: Any
    system: ExternalSystem
    channel: DocflowChannel


@pytest.fixture
def gov(db) -> Gov:
    social, economy = BlockFactory(name="Социальный блок"), BlockFactory(name="Экономический блок")
    health = OrganisationFactory(code="dfl-health", name="Министерство здравоохранения Краснодарского края",
                                 short_name="Минздрав края", block=social)
    education = OrganisationFactory(code="dfl-education", name="Министерство образования", inn="2311542747",
                                    block=social)
    labour = OrganisationFactory(code="dfl-labour", name="Министерство труда", block=social)
    finance = OrganisationFactory(code="dfl-finance", name="Министерство финансов", block=economy)
    control = OrganisationFactory(code="dfl-control", name="Департамент контроля", block=None,
                                  kind=Organisation.Kind.CONTROL)
    vice = StaffFactory(surname="Лопатина", given_name="Елена", patronymic="Викторовна")
    assign(vice, Role.VICE_GOVERNOR, block=social)
    minister = StaffFactory(surname="Министров", given_name="Иван", patronymic="Петрович")
    assign(minister, Role.HEAD, organisation=health)
    PositionFactory(organisation=health, title="Министр", holder=minister, is_head=True)
    PositionFactory(organisation=health, title="Заместитель министра",
                    holder=StaffFactory(surname="Министров", given_name="Олег", patronymic="Семёнович"))
    system = external_system("sed-social", name="СЭД социального блока", organisation=None)
    channel = DocflowChannel.objects.create(system=system, issuer=vice, controller_organisation=control)
    return Gov(social=social, health=health, education=education, labour=labour, finance=finance, control=control,
               vice=vice, minister=minister, controller=controller(), admin=administrator(),
               outsider=StaffFactory(surname="Посторонний"), system=system, channel=channel)
