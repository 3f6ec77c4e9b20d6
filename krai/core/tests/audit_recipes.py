"""One small recipe per writing service function: build what it needs with factories, name its arguments.

A recipe takes a ``World`` (lazily built government, problems and assignments) and returns the keyword
arguments of one call that changes something. ``test_audit_complete`` calls the function with them and
requires a domain event among its writes.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from typing import Any

from django.utils import timezone

from krai.core.workcalendar.selectors import add_working_days
from krai.orders import services as orders
from krai.orders.tests.factories import government
from krai.org.models import Role
from krai.org.tests.factories import (
    PASSWORD,
    BlockFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PositionFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
    assign,
    square,
)
from krai.problems import services as problems
from krai.problems.tests.factories import CategoryFactory, RoutingRuleFactory, place

Recipe = Any  # Callable[[World], dict[str, Any]]


class World:
    """What the recipes share, built on first use so each recipe pays only for what it needs."""

    @cached_property
    def gov(self) -> Any:
        return government()

    @cached_property
    def admin(self) -> Any:
        return StaffFactory(is_superuser=True)

    @cached_property
    def comment(self) -> Any:
        from krai.core.comments.services import comment_add

        return comment_add(actor=self.admin, target=OrganisationFactory(), body="Замечание по существу")

    @cached_property
    def assignment(self) -> Any:
        return orders.control_open(actor=None, kind="audit", subject=self.gov.health, title="Проверка",
                                   executor_organisation=self.gov.health, working_days=10)

    @cached_property
    def reported(self) -> Any:
        orders.control_report(actor=None, assignment=self.assignment, text="Исполнено")
        return self.assignment

    @cached_property
    def extension(self) -> Any:
        return orders.control_extension_request(actor=None, assignment=self.assignment, reason="Нужно время",
                                                deadline=add_working_days(self.assignment.deadline, 5))

    @cached_property
    def draft(self) -> Any:
        return orders.order_create(actor=self.gov.governor, title="Поручение", text="Текст",
                                   lead_organisation=self.gov.health, controller_organisation=self.gov.control,
                                   working_days=10)

    @cached_property
    def place(self) -> dict[str, Any]:
        municipality, administration = place(38.0, 45.0, code="audit")
        moderator = StaffFactory(surname="Модератор")
        assign(moderator, Role.CONTROLLER)
        executor = StaffFactory(surname="Исполнитель")
        assign(executor, Role.EXECUTOR, organisation=administration)
        administrator = StaffFactory(surname="Администратор")
        assign(administrator, Role.ADMINISTRATOR)
        return {"municipality": municipality, "administration": administration, "moderator": moderator,
                "executor": executor, "administrator": administrator, "category": CategoryFactory(code="pothole"),
                "resident": UserFactory(surname="Житель"), "neighbour": UserFactory(surname="Сосед")}

    def report(self) -> Any:
        return problems.problem_report(actor=self.place["resident"], category=self.place["category"], lat=45.01,
                                       lon=38.02, description="Глубокая яма у дома 12, машины объезжают")

    @cached_property
    def routed(self) -> Any:
        return problems.problem_publish(actor=self.place["moderator"], problem=self.report())

    @cached_property
    def answered(self) -> Any:
        return problems.problem_answer(actor=self.place["executor"], problem=self.routed, answer="fixed",
                                       text="Яму заделали")


def _endorsed(w: World) -> Any:
    problems.problem_endorse(actor=w.place["neighbour"], problem=w.routed)
    return w.routed


def _followed(w: World) -> Any:
    problems.problem_subscribe(actor=w.place["neighbour"], problem=w.routed, on=True)
    return w.routed


def routing_rule(w: World) -> Any:
    return RoutingRuleFactory(category=w.place["category"], municipality=w.place["municipality"],
                              organisation=w.place["administration"])


#: ``module.function`` → {label: recipe}
RECIPES: dict[str, dict[str, Recipe]] = {
    "krai.orders.services.control.control_open": {"": lambda w: {
        "actor": None, "kind": "audit", "subject": w.gov.finance, "title": "Проверка",
        "executor_organisation": w.gov.finance, "working_days": 5}},
    "krai.orders.services.control.control_delegate": {"": lambda w: {
        "actor": None, "assignment": w.assignment, "executor_organisation": w.gov.unit,
        "deadline": w.assignment.deadline}},
    "krai.orders.services.control.control_start": {"": lambda w: {"actor": None, "assignment": w.assignment}},
    "krai.orders.services.control.control_report": {"": lambda w: {
        "actor": None, "assignment": w.assignment, "text": "Исполнено"}},
    "krai.orders.services.control.control_accept": {"": lambda w: {"actor": None, "assignment": w.reported}},
    "krai.orders.services.control.control_return": {"": lambda w: {
        "actor": None, "assignment": w.reported, "reason": "Не всё"}},
    "krai.orders.services.control.control_reassign": {"": lambda w: {
        "actor": None, "assignment": w.assignment, "executor_organisation": w.gov.finance, "reason": "Не та"}},
    "krai.orders.services.control.control_cancel": {"": lambda w: {
        "actor": None, "assignment": w.assignment, "reason": "Снято"}},
    "krai.orders.services.control.control_extension_request": {"": lambda w: {
        "actor": None, "assignment": w.assignment, "reason": "Нужно время",
        "deadline": add_working_days(w.assignment.deadline, 5)}},
    "krai.orders.services.control.control_extension_decide": {
        "grant": lambda w: {"actor": None, "extension": w.extension, "grant": True},
        "refuse": lambda w: {"actor": None, "extension": w.extension, "grant": False, "answer": "Нет оснований"}},
    "krai.orders.services.control.control_extend": {"": lambda w: {
        "actor": None, "assignment": w.assignment, "reason": "Продлено",
        "deadline": add_working_days(w.assignment.deadline, 5)}},
    "krai.orders.services.orders.order_create": {"": lambda w: {
        "actor": w.gov.governor, "title": "Поручение", "text": "Текст", "lead_organisation": w.gov.health,
        "controller_organisation": w.gov.control, "working_days": 10}},
    "krai.orders.services.orders.order_update": {
        "fields": lambda w: {"actor": w.gov.governor, "order": w.draft, "title": "Другое поручение",
                                 "lead_organisation": w.gov.finance},
        "parts": lambda w: {"actor": w.gov.governor, "order": w.draft, "co_executors": [(w.gov.finance, None)],
                                "control_points": [("Этап", timezone.localdate() + timedelta(days=5))]}},
    "krai.orders.services.orders.order_issue": {"": lambda w: {"actor": w.gov.governor, "order": w.draft}},
    "krai.problems.services.reports.problem_report": {"": lambda w: {
        "actor": w.place["resident"], "category": w.place["category"], "lat": 45.01, "lon": 38.02,
        "description": "Глубокая яма у дома 12, машины объезжают"}},
    "krai.problems.services.reports.problem_publish": {"": lambda w: {
        "actor": w.place["moderator"], "problem": w.report()}},
    "krai.problems.services.reports.problem_edit_public": {"": lambda w: {
        "actor": w.place["moderator"], "problem": w.routed, "public_description": "Яма у дома, текст поправлен"}},
    "krai.problems.services.reports.problem_reject": {"": lambda w: {
        "actor": w.place["moderator"], "problem": w.report(), "reason": "Не проблема"}},
    "krai.problems.services.reports.problem_merge": {"": lambda w: {
        "actor": w.place["moderator"], "problem": w.report(), "into": w.routed}},
    "krai.problems.services.reports.problem_endorse": {"": lambda w: {
        "actor": w.place["neighbour"], "problem": w.routed}},
    "krai.problems.services.reports.problem_unendorse": {"": lambda w: {
        "actor": w.place["neighbour"], "problem": _endorsed(w)}},
    "krai.problems.services.reports.problem_subscribe": {
        "on": lambda w: {"actor": w.place["neighbour"], "problem": w.routed, "on": True},
        "off": lambda w: {"actor": w.place["neighbour"], "problem": _followed(w), "on": False}},
    "krai.problems.services.answers.problem_take": {"": lambda w: {
        "actor": w.place["executor"], "problem": w.routed}},
    "krai.problems.services.answers.problem_answer": {"": lambda w: {
        "actor": w.place["executor"], "problem": w.routed, "answer": "fixed", "text": "Яму заделали"}},
    "krai.problems.services.answers.problem_reassign": {"": lambda w: {
        "actor": w.place["executor"], "problem": w.routed, "organisation": OrganisationFactory(), "reason": "Не наша"}},
    "krai.problems.services.answers.problem_rate": {"": lambda w: {
        "actor": w.place["resident"], "problem": w.answered, "rating": 2, "comment": "Яма осталась"}},
    "krai.problems.services.answers.problem_reopen": {"": lambda w: {
        "actor": w.place["resident"], "problem": w.answered, "reason": "Яма осталась"}},
    "krai.problems.services.routing.routing_rule_set": {
        "new": lambda w: {"actor": w.place["administrator"], "category": w.place["category"],
                              "municipality": w.place["municipality"], "organisation": w.place["administration"]},
        "replace": lambda w: {"actor": w.place["administrator"], "category": routing_rule(w).category,
                                  "municipality": w.place["municipality"], "organisation": OrganisationFactory()}},
    "krai.problems.services.routing.routing_rule_delete": {"": lambda w: {
        "actor": w.place["administrator"], "rule": routing_rule(w)}},
}


def _png() -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _attachment(w: World) -> Any:
    from krai.core.files.services import attachment_create

    return attachment_create(actor=w.admin, target=OrganisationFactory(), upload=_png())


def _hidden(w: World) -> Any:
    from krai.core.comments.services import comment_hide

    return comment_hide(actor=w.admin, comment=w.comment, reason="Оскорбление")


def _day() -> Any:
    return timezone.localdate() + timedelta(days=40)


def _held(w: World) -> Any:
    position = PositionFactory()
    position.holder = StaffFactory()
    position.save()
    return position


def _role(w: World) -> Any:
    from krai.org.services import role_assign

    return role_assign(actor=w.admin, user=StaffFactory(), role=Role.CONTROLLER, scope="region")


RECIPES.update({
    "krai.core.comments.services.comment_add": {"": lambda w: {
        "actor": w.admin, "target": OrganisationFactory(), "body": "Замечание по существу"}},
    "krai.core.comments.services.comment_edit": {"": lambda w: {
        "actor": w.comment.author, "comment": w.comment, "body": "Замечание, исправленное"}},
    "krai.core.comments.services.comment_hide": {"": lambda w: {
        "actor": w.admin, "comment": w.comment, "reason": "Оскорбление"}},
    "krai.core.comments.services.comment_restore": {"": lambda w: {"actor": w.admin, "comment": _hidden(w)}},
    "krai.core.files.services.attachment_create": {"": lambda w: {
        "actor": w.admin, "target": OrganisationFactory(), "upload": _png()}},
    "krai.core.files.services.attachment_delete": {"": lambda w: {"actor": w.admin, "attachment": _attachment(w)}},
    "krai.core.notifications.services.set_preference": {"": lambda w: {
        "user": UserFactory(), "channel": "email", "enabled": False}},
    "krai.core.workcalendar.services.calendar_day_set": {"": lambda w: {
        "actor": w.admin, "day": _day(), "is_working": False, "note": "Перенос"}},
    "krai.core.workcalendar.services.calendar_day_remove": {"": lambda w: {
        "actor": w.admin, "day": _calendar_day(w).date}},
    "krai.org.services.geography.region_update": {"": lambda w: {
        "actor": w.admin, "region": RegionFactory(), "population": 5_800_000}},
    "krai.org.services.geography.municipality_create": {"": lambda w: {
        "actor": w.admin, "code": "audit", "name": "Аудит", "kind": "urban_okrug", "boundary": square(38, 45),
        "region": RegionFactory()}},
    "krai.org.services.geography.municipality_update": {"": lambda w: {
        "actor": w.admin, "municipality": MunicipalityFactory(), "name": "Новое имя"}},
    "krai.org.services.geography.municipality_deactivate": {"": lambda w: {
        "actor": w.admin, "municipality": MunicipalityFactory()}},
    "krai.org.services.people.user_create": {"": lambda w: {
        "actor": w.admin, "email": "new@example.ru", "surname": "Новиков", "given_name": "Н"}},
    "krai.org.services.people.user_update": {"": lambda w: {
        "actor": w.admin, "user": StaffFactory(), "surname": "Другой"}},
    "krai.org.services.people.user_deactivate": {"": lambda w: {"actor": w.admin, "user": StaffFactory()}},
    "krai.org.services.people.user_reactivate": {"": lambda w: {
        "actor": w.admin, "user": StaffFactory(is_active=False)}},
    "krai.org.services.people.role_assign": {"": lambda w: {
        "actor": w.admin, "user": StaffFactory(), "role": Role.CONTROLLER, "scope": "region"}},
    "krai.org.services.people.role_revoke": {"": lambda w: {"actor": w.admin, "assignment": _role(w)}},
    "krai.org.services.structure.block_create": {"": lambda w: {"actor": w.admin, "code": "audit", "name": "Блок"}},
    "krai.org.services.structure.block_update": {"": lambda w: {
        "actor": w.admin, "block": BlockFactory(), "name": "Новое имя"}},
    "krai.org.services.structure.block_deactivate": {"": lambda w: {"actor": w.admin, "block": BlockFactory()}},
    "krai.org.services.structure.organisation_create": {"": lambda w: {
        "actor": w.admin, "code": "audit", "name": "Министерство", "kind": "department"}},
    "krai.org.services.structure.organisation_update": {"": lambda w: {
        "actor": w.admin, "organisation": OrganisationFactory(), "name": "Новое имя"}},
    "krai.org.services.structure.organisation_deactivate": {"": lambda w: {
        "actor": w.admin, "organisation": OrganisationFactory()}},
    "krai.org.services.structure.position_create": {"": lambda w: {
        "actor": w.admin, "organisation": OrganisationFactory(), "title": "Советник"}},
    "krai.org.services.structure.position_update": {"": lambda w: {
        "actor": w.admin, "position": PositionFactory(), "title": "Старший советник"}},
    "krai.org.services.structure.position_abolish": {"": lambda w: {"actor": w.admin, "position": PositionFactory()}},
    "krai.org.services.structure.position_assign": {"": lambda w: {
        "actor": w.admin, "position": PositionFactory(), "holder": StaffFactory()}},
    "krai.org.services.structure.position_vacate": {"": lambda w: {"actor": w.admin, "position": _held(w)}},
})


def _calendar_day(w: World) -> Any:
    from krai.core.workcalendar.services import calendar_day_set

    return calendar_day_set(actor=w.admin, day=_day(), is_working=False, note="Перенос")


def _with_2fa(w: World) -> Any:
    from django_otp.oath import totp

    from krai.accounts.services import totp_confirm, totp_start

    user = UserFactory()
    device = totp_start(actor=user)
    totp_confirm(actor=user, code=f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    return user


def _provider(w: World) -> Any:
    from krai.accounts.tests.factories import make_provider

    return make_provider()


RECIPES.update({
    "krai.accounts.services.registration.resident_register": {"": lambda w: {
        "email": "resident@example.ru", "password": PASSWORD, "password_again": PASSWORD, "surname": "Жителев",
        "given_name": "Пётр", "consent": True}},
    "krai.accounts.services.registration.oidc_resident_create": {"": lambda w: {
        "provider": _provider(w), "email": "oidc@example.ru", "surname": "Жителев", "given_name": "Пётр"}},
    "krai.accounts.services.registration.email_confirm_by_provider": {"": lambda w: {
        "user": UserFactory(email_confirmed=False), "provider": _provider(w)}},
    "krai.accounts.services.two_factor.backup_codes_regenerate": {"": lambda w: {
        "actor": _with_2fa(w), "password": PASSWORD}},
    "krai.accounts.services.two_factor.totp_disable": {"": lambda w: {"actor": _with_2fa(w), "password": PASSWORD}},
})


def _campaign(w: World) -> Any:
    from krai.participation.services import campaign_create

    today = timezone.localdate()
    return campaign_create(actor=w.admin, title="Идеи для парков", topic="Парки", starts_on=today,
                           ends_on=today + timedelta(days=30))


def _priority(w: World) -> Any:
    from krai.participation.services import priority_create

    return priority_create(actor=w.admin, title="Дороги")


RECIPES.update({
    "krai.participation.services.ideas.campaign_update": {"": lambda w: {
        "actor": w.admin, "campaign": _campaign(w), "title": "Идеи для скверов"}},
    "krai.participation.services.priorities.priority_create": {"": lambda w: {"actor": w.admin, "title": "Дороги"}},
    "krai.participation.services.priorities.priority_update": {"": lambda w: {
        "actor": w.admin, "priority": _priority(w), "title": "Дороги и тротуары"}},
})
