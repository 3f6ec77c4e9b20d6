"""Lawsuits: registering, stages, hearings, outcomes, flags, reminders, totals, scope, pages, API, import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from krai.core.imports import services as imports
from krai.core.notifications.models import Notification
from krai.core.privacy import erase_person
from krai.monitoring import tiles
from krai.monitoring.lawsuits import selectors, services
from krai.monitoring.lawsuits.models import CourtCase, Hearing, Stage
from krai.orders.models import Assignment
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    body = OrganisationFactory()
    head, lawyer = StaffFactory(), StaffFactory()
    assign(head, Role.HEAD, organisation=body)
    return body, head, lawyer


def _case(body, head, lawyer=None, number="А32-1/2026", filed=None, **fields) -> CourtCase:
    return services.case_create(actor=head, organisation=body, number=number, court="АС КК", our_side="defendant",
                                filed_on=filed or timezone.localdate() - dt.timedelta(days=100), lawyer=lawyer,
                                amount_claimed=Decimal("1000"), **fields)


def test_a_case_moves_through_stages_hearings_and_an_outcome(world):
    body, head, lawyer = world
    case = _case(body, head, lawyer)
    with pytest.raises(ValidationError):
        _case(body, head, lawyer)  # the same number in the same court
    hearing = services.hearing_add(actor=lawyer, case=case, starts_at=timezone.now() + dt.timedelta(days=3))
    case.refresh_from_db()
    assert case.stage == Stage.HEARINGS
    services.hearing_record_result(actor=lawyer, hearing=hearing, result="Отложено")
    services.case_change_stage(actor=lawyer, case=case, stage=Stage.DECISION)
    services.case_record_outcome(actor=lawyer, case=case, outcome="partly", amount_awarded=Decimal("400"))
    services.case_change_stage(actor=head, case=case, stage=Stage.CLOSED)
    case.refresh_from_db()
    assert case.closed_on == timezone.localdate()
    assert list(case.stage_changes.values_list("stage", flat=True)) == ["filed", "hearings", "decision", "closed"]
    with pytest.raises(ValidationError):
        services.hearing_add(actor=lawyer, case=case, starts_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.case_change_stage(actor=StaffFactory(), case=case, stage=Stage.APPEAL)
    with pytest.raises(PermissionDenied):
        _case(body, StaffFactory(), number="other")
    # court acts: attachments on the case, for those who may change it
    assert lawyer.has_perm("files.add_attachment", case) and head.has_perm("files.add_attachment", case)
    assert not StaffFactory().has_perm("files.add_attachment", case)


def test_no_next_step_flags_open_cases_without_a_hearing_ahead_or_a_recent_change(world, settings):
    settings.KRAI_LAWSUIT_IDLE_DAYS = 30
    body, head, lawyer = world
    idle = _case(body, head, lawyer, number="idle")
    waiting = _case(body, head, lawyer, number="waiting")
    services.hearing_add(actor=head, case=waiting, starts_at=timezone.now() + dt.timedelta(days=5))
    recent = _case(body, head, lawyer, number="recent", filed=timezone.localdate() - dt.timedelta(days=3))
    closed = _case(body, head, lawyer, number="closed")
    services.case_change_stage(actor=head, case=closed, stage=Stage.CLOSED, on=timezone.localdate() - dt.timedelta(
        days=90))
    assert selectors.flagged_ids(head) == {idle.pk}
    assert recent.pk not in selectors.flagged_ids(head)
    assignment = services.case_to_order(actor=head, case=idle)
    assert Assignment.objects.get(pk=assignment.pk).kind == "monitoring.lawsuit"


def test_reminders_go_to_the_lawyer_early_and_the_day_before_once_each(world, settings):
    settings.KRAI_LAWSUIT_REMINDER_DAYS = 7
    body, head, lawyer = world
    case = _case(body, head, lawyer)
    now = timezone.now()
    soon = services.hearing_add(actor=head, case=case, starts_at=now + dt.timedelta(days=5))
    far = services.hearing_add(actor=head, case=case, starts_at=now + dt.timedelta(days=20))
    assert services.send_hearing_reminders(now=now) == 1
    assert services.send_hearing_reminders(now=now) == 0  # idempotent
    assert Notification.objects.filter(user=lawyer, kind="lawsuits.hearing").count() == 1
    later = soon.starts_at - dt.timedelta(hours=20)
    assert services.send_hearing_reminders(now=later) == 1
    soon.refresh_from_db()
    far.refresh_from_db()
    assert soon.reminded_early and soon.reminded_day and not far.reminded_early
    assert Notification.objects.filter(user=lawyer, kind="lawsuits.hearing").count() == 2


def test_scope_totals_and_erasure(world):
    body, head, lawyer = world
    person = UserFactory(surname="Истцов", given_name="Пётр")
    case = _case(body, head, lawyer, other_parties="Истцов Пётр Ильич", category="labour")
    _case(body, head, number="2", category="labour")
    services.case_record_outcome(actor=head, case=case, outcome="won", amount_awarded=Decimal("0"))
    assert selectors.cases_visible_to(lawyer).count() == 1  # only his case
    assert selectors.cases_visible_to(StaffFactory()).count() == 0
    assert selectors.cases_visible_to(UserFactory()).count() == 0
    totals = selectors.totals(head, by="category")
    assert totals[0]["cases"] == 2 and totals[0]["claimed"] == Decimal("2000") and totals[0]["won"] == 1
    erase_person(user=person)
    case.refresh_from_db()
    assert "Истцов" not in case.other_parties and "Пётр" not in case.other_parties


def test_pages_calendar_and_the_tile(client, world):
    body, head, lawyer = world
    case = _case(body, head, lawyer)
    when = timezone.localtime() + dt.timedelta(days=2)
    services.hearing_add(actor=lawyer, case=case, starts_at=when, room="зал 5")
    idle = _case(body, head, number="idle-1")
    client.force_login(head)
    listing = client.get(reverse("monitoring:lawsuits:home")).content.decode()
    assert "А32-1/2026" in listing and "idle-1" in listing
    flagged = client.get(reverse("monitoring:lawsuits:home") + "?flagged=on").content.decode()
    assert "idle-1" in flagged and "А32-1/2026" not in flagged
    calendar = client.get(reverse("monitoring:lawsuits:calendar") + f"?month={when:%Y-%m}").content.decode()
    assert "зал 5" in calendar
    url = reverse("monitoring:lawsuits:case", args=[case.pk])
    assert "зал 5" in client.get(url).content.decode()
    client.post(url, {"action": "stage", "stage": "decision"})
    case.refresh_from_db()
    assert case.stage == "decision"
    response = client.post(reverse("monitoring:lawsuits:case", args=[idle.pk]), {"action": "order"})
    assert "/workspace/orders/control/" in response["Location"]
    tile = next(t for t in tiles.tiles_for(head) if t.key == "lawsuits")
    assert tile.figures[0][1] == 2
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 404


def test_the_api_lists_details_and_writes(client, world):
    body, head, lawyer = world
    client.force_login(head)
    created = client.post("/api/v1/monitoring/lawsuits/cases/", {
        "number": "А32-9/2026", "court": "АС КК", "organisation": body.code, "our_side": "plaintiff",
        "filed_on": "2026-01-10", "lawyer": lawyer.email, "amount_claimed": "150.50"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    listing = client.get("/api/v1/monitoring/lawsuits/cases/?stage=open").json()
    assert listing["count"] == 1 and listing["results"][0]["no_next_step"] is True
    start = (timezone.now() + dt.timedelta(days=3)).isoformat()
    assert client.post(f"/api/v1/monitoring/lawsuits/cases/{pk}/hearings/", {"starts_at": start},
                       content_type="application/json").status_code == 201
    client.force_login(lawyer)
    out = client.post(f"/api/v1/monitoring/lawsuits/cases/{pk}/outcome/", {"outcome": "won"},
                      content_type="application/json")
    assert out.status_code == 200 and out.json()["outcome"] == "won"
    detail = client.get(f"/api/v1/monitoring/lawsuits/cases/{pk}/").json()
    assert len(detail["hearings"]) == 1 and [s["stage"] for s in detail["stages"]] == ["filed", "hearings"]
    assert len(client.get("/api/v1/monitoring/lawsuits/hearings/").json()["hearings"]) == 1
    client.force_login(StaffFactory())
    assert client.get(f"/api/v1/monitoring/lawsuits/cases/{pk}/").status_code == 404
    bad = client.post(f"/api/v1/monitoring/lawsuits/cases/{pk}/stage/", {"stage": "closed"},
                      content_type="application/json")
    assert bad.status_code == 404


def test_cases_import_through_the_kernel(world):
    body, head, lawyer = world
    text = ("Номер дела;Суд;Код организации;Наша сторона;Категория;Сумма иска;Дата подачи;Юрист (e-mail);"
            "Следующее заседание\n"
            f"А32-5/2026;АС КК;{body.code};ответчик;labour;5000;10.02.2026;{lawyer.email};2030-03-01 10:00\n"
            f"А32-6/2026;АС КК;{body.code};истец;;;11.02.2026;;\n")
    imports.run(actor=head, kind="lawsuits.cases", upload=SimpleUploadedFile("c.csv", text.encode()))
    case = CourtCase.objects.get(number="А32-5/2026")
    assert (case.our_side, case.lawyer, case.category) == ("defendant", lawyer, "labour")
    assert Hearing.objects.filter(case=case).count() == 1
    other = OrganisationFactory()
    bad = f"Номер дела;Суд;Код организации;Наша сторона;Дата подачи\nX-1;АС КК;{other.code};истец;01.01.2026\n"
    from krai.core.imports.schema import ImportRejected
    with pytest.raises(ImportRejected):
        imports.run(actor=head, kind="lawsuits.cases", upload=SimpleUploadedFile("c.csv", bad.encode()))
    assert not CourtCase.objects.filter(number="X-1").exists()


@pytest.mark.django_db
def test_the_governor_and_a_controller_see_every_case_not_only_their_own():
    from krai.monitoring.lawsuits.models import CourtCase
    from krai.monitoring.lawsuits.selectors import cases_visible_to
    from krai.org.models import Role
    from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

    cases = [CourtCase.objects.create(number=f"А32-{n}/2026", court="Арбитражный суд Краснодарского края",
                                      organisation=OrganisationFactory(), category="contracts",
                                      our_side="defendant", filed_on="2026-01-1" + str(n)) for n in range(3)]
    for role in (Role.GOVERNOR, Role.CONTROLLER):
        person = StaffFactory()
        assign(person, role)
        assert set(cases_visible_to(person)) == set(cases)
