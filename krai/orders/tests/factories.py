"""Factories and a small government for the orders tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from krai.orders.models import Order
from krai.orders.services import order_create, order_issue
from krai.org.models import Organisation, Role
from krai.org.tests.factories import BlockFactory, OrganisationFactory, StaffFactory, assign

TODAY = timezone.localdate()


@dataclass
class Gov:
    social: object
    economy: object
    office: Organisation
    control: Organisation
    health: Organisation
    unit: Organisation
    subunit: Organisation
    finance: Organisation
    governor: object
    vice: object
    vice_economy: object
    head: object  # head of health
    unit_head: object
    executor: object  # in the subunit, two levels below health
    finance_head: object
    controller: object
    outsider: object  # staff without any role


def government() -> Gov:
    social, economy = BlockFactory(name="Социальный блок"), BlockFactory(name="Экономический блок")
    office = OrganisationFactory(name="Администрация губернатора", kind=Organisation.Kind.GOVERNOR_OFFICE, block=None)
    control = OrganisationFactory(name="Департамент контроля", kind=Organisation.Kind.CONTROL, block=None)
    health = OrganisationFactory(name="Министерство здравоохранения", block=social)
    unit = OrganisationFactory(name="Управление", block=social, parent=health, kind="unit")
    subunit = OrganisationFactory(name="Отдел", block=social, parent=unit, kind="unit")
    finance = OrganisationFactory(name="Министерство финансов", block=economy)
    governor = StaffFactory(surname="Губернатор")
    assign(governor, Role.GOVERNOR)
    vice = StaffFactory(surname="Вице")
    assign(vice, Role.VICE_GOVERNOR, block=social)
    social.vice_governor = vice
    social.save()
    vice_economy = StaffFactory(surname="Вицеэконом")
    assign(vice_economy, Role.VICE_GOVERNOR, block=economy)
    head = StaffFactory(surname="Министр")
    assign(head, Role.HEAD, organisation=health)
    unit_head = StaffFactory(surname="Начальник")
    assign(unit_head, Role.HEAD, organisation=unit)
    executor = StaffFactory(surname="Исполнитель")
    assign(executor, Role.EXECUTOR, organisation=subunit)
    finance_head = StaffFactory(surname="Финансист")
    assign(finance_head, Role.HEAD, organisation=finance)
    controller = StaffFactory(surname="Контролёр")
    assign(controller, Role.CONTROLLER)
    outsider = StaffFactory(surname="Посторонний")
    return Gov(social, economy, office, control, health, unit, subunit, finance, governor, vice, vice_economy, head,
               unit_head, executor, finance_head, controller, outsider)


def issued_order(gov: Gov, *, issuer=None, lead=None, deadline=None, working_days=None, priority="ordinary",
                 issued_on=TODAY, **extra) -> Order:
    issuer = issuer or gov.governor
    if deadline is None and working_days is None:
        working_days = 10
    order = order_create(actor=issuer, title="Обеспечить ремонт поликлиник", text="Текст поручения",
                         lead_organisation=lead or gov.health, controller_organisation=gov.control,
                         deadline=deadline, working_days=working_days, priority=priority, **extra)
    return order_issue(actor=issuer, order=order, issued_on=issued_on)
