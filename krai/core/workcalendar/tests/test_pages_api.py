"""Who may edit the calendar, the page, the admin-facing services and the public API."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from krai.core.events.models import Event
from krai.core.workcalendar import services
from krai.core.workcalendar.models import CalendarDay
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    user = StaffFactory()
    assign(user, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def executor(two_blocks):
    return two_blocks["executor"]


def test_rule_matrix(administrator, executor, citizen, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert admin_user.has_perm("workcalendar.change_calendarday")
    assert administrator.has_perm("workcalendar.change_calendarday")
    assert not executor.has_perm("workcalendar.change_calendarday")
    assert not citizen.has_perm("workcalendar.change_calendarday")
    assert not AnonymousUser().has_perm("workcalendar.change_calendarday")


@pytest.mark.parametrize("who", ["executor", "citizen"])
def test_refused_writes_change_nothing(request, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=actor, day=date(2025, 7, 1), is_working=False)
    assert not CalendarDay.objects.exists()
    assert not Event.objects.filter(kind__startswith="workcalendar.").exists()


def test_set_records_event_and_is_idempotent(administrator):
    row = services.calendar_day_set(actor=administrator, day=date(2025, 7, 1), is_working=False, note=" День края ")
    assert row.note == "День края" and row.updated_by == administrator
    services.calendar_day_set(actor=administrator, day=date(2025, 7, 1), is_working=False, note="День края")
    events = Event.objects.filter(kind="workcalendar.day_set")
    assert events.count() == 1
    assert events.get().payload == {"date": "2025-07-01", "is_working": False, "note": "День края", "created": True,
                                    "official_is_working": True}
    assert services.calendar_day_remove(actor=administrator, day=date(2025, 7, 1)) is True
    assert services.calendar_day_remove(actor=administrator, day=date(2025, 7, 1)) is False
    assert Event.objects.filter(kind="workcalendar.day_removed").count() == 1


def test_bad_input_changes_nothing(administrator):
    with pytest.raises(ValidationError) as caught:
        services.calendar_day_set(actor=administrator, day=date(1990, 1, 1), is_working=True, note="x" * 201)
    assert set(caught.value.message_dict) == {"date", "note"}
    assert not CalendarDay.objects.exists()


def test_staff_read_the_calendar_administrators_change_it(client, administrator, executor, citizen):
    url = reverse("workcalendar:index")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(citizen)
    assert client.get(url).status_code == 403  # the workspace is for staff
    client.force_login(executor)
    page = client.get(url, {"year": 2025})
    assert page.status_code == 200 and page.context["working_count"] == 247  # the menu's link opens for him
    assert 'for="id_date"' not in page.content.decode() and "workcalendar/set" not in page.content.decode()
    assert client.post(reverse("workcalendar:set"), {"date": "2025-07-01", "is_working": "0"}).status_code == 403
    assert not CalendarDay.objects.exists()
    client.force_login(administrator)
    page = client.get(url, {"year": 2025})
    assert page.status_code == 200
    assert page.context["working_count"] == 247
    assert 'for="id_date"' in page.content.decode()


def test_page_sets_and_removes_a_day(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("workcalendar:set"), {"date": "2025-07-01", "is_working": "0", "note": "Праздник"})
    assert response.status_code == 302
    assert CalendarDay.objects.get().note == "Праздник"
    page = client.get(reverse("workcalendar:index"), {"year": 2025})
    assert page.context["working_count"] == 246
    assert "Праздник" in page.content.decode()
    response = client.post(reverse("workcalendar:remove", args=["2025-07-01"]))
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()


def test_page_shows_form_errors(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("workcalendar:set"), {"date": "not a date", "is_working": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    assert not CalendarDay.objects.exists()


def test_api_year(client):
    data = client.get("/api/v1/calendar/", {"year": 2025}).json()
    assert data["year"] == 2025 and data["working_days"] == 247 and data["days_off"] == 118
    days = {entry["date"]: entry for entry in data["days"]}
    assert days["2025-11-01"] == {"date": "2025-11-01", "is_working": True, "kind": "working_weekend", "name": ""}
    assert days["2025-05-02"]["kind"] == "day_off"


def test_api_add_working_days(client):
    data = client.get("/api/v1/calendar/add-working-days/", {"start": "2025-12-30", "days": 1}).json()
    assert data == {"start": "2025-12-30", "days": 1, "date": "2026-01-12", "start_is_working_day": True}


@pytest.mark.parametrize("params", [{"start": "2025-13-01", "days": 1}, {"start": "2025-01-01", "days": -1},
                                    {"start": "2025-01-01", "days": "x"}, {"days": 1}, {"year": "abc"}])
def test_api_bad_input_is_a_clear_400(client, params):
    url = "/api/v1/calendar/" if "year" in params else "/api/v1/calendar/add-working-days/"
    response = client.get(url, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["fields"]


def test_admin_writes_through_services(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:workcalendar_calendarday_add"),
                           {"date": "2025-07-02", "is_working": "on", "note": "Рабочий"})
    assert response.status_code == 302
    assert Event.objects.filter(kind="workcalendar.day_set").count() == 1
