"""A small body with two units and a staffing table, for staffing's tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from krai.monitoring.staffing.models import StaffingTable, StaffPosition
from krai.org.models import Organisation, Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign


@dataclass
class Body:
    body: Organisation
    unit_a: Organisation
    unit_b: Organisation
    table: StaffingTable
    head: object
    lead: StaffPosition
    spec: StaffPosition
    half: StaffPosition


def make_body(*, valid_from: dt.date = dt.date(2025, 1, 1)) -> Body:
    body = OrganisationFactory()
    unit_a = OrganisationFactory(parent=body, block=body.block, kind=Organisation.Kind.UNIT)
    unit_b = OrganisationFactory(parent=body, block=body.block, kind=Organisation.Kind.UNIT)
    head = StaffFactory()
    assign(head, Role.HEAD, organisation=body)
    table = StaffingTable.objects.create(organisation=body, act_number="1-шр", valid_from=valid_from)
    lead = StaffPosition.objects.create(table=table, unit=unit_a, title="Начальник отдела", category="leader",
                                        critical=True)
    spec = StaffPosition.objects.create(table=table, unit=unit_a, title="Специалист")
    half = StaffPosition.objects.create(table=table, unit=unit_b, title="Водитель", category="worker",
                                        rate=Decimal("0.5"))
    return Body(body, unit_a, unit_b, table, head, lead, spec, half)
