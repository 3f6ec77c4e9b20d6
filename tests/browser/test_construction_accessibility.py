"""Construction's pages checked by axe-core (serious and critical WCAG 2.1 A/AA violations fail) and on a phone's
screen (390 px, no sideways scrolling, no script error): the registry and an object's card, the verification
requests (the list, the form with what is nearby, an open and an inspected request), the illegal constructions
(the list, a card, the report's form), the works (the list, a completed work's card with its rating form, the
statistics), the staff's start page and the inspection form. The data is written through the services."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _check

pytestmark = pytest.mark.browser

#: a point of the browser region's first municipality (Краснодар: lon 37–37.95, lat 43.8–44.75)
LAT, LON = 44.25, 37.45


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (150, 90, 40)).save(buffer, "PNG")
    return SimpleUploadedFile("site.png", buffer.getvalue(), content_type="image/png")


def _area(region) -> dict:
    """Every part's pages with something on them, and the people who look at them: {login or None: [paths]}."""
    from krai.construction.services import illegal, objects, verification, works, works_residents
    from krai.construction.tests import factories

    town = region["municipalities"][0]
    factories.inspection_body()
    keeper, inspector = factories.keeper(), factories.inspector()
    resident = factories.resident(home_municipality=town, surname="Горожанин", given_name="Иван")
    rater = factories.resident(home_municipality=town)
    today = timezone.localdate()

    building = objects.object_create(
        actor=keeper, name="Многоквартирный жилой дом", kind="residential", stage="under_construction",
        address="Краснодар, ул. Красная, 10", lat=LAT, lon=LON, municipality=town,
        developer="ООО СЗ «ЮгСтройИнвест»", permit_number="23-RU23306000-100-2026",
        permit_date=today - timedelta(days=200), permit_authority="Департамент архитектуры",
        permit_valid_until=today + timedelta(days=500), approved_floors=9, approved_area=Decimal(5400),
        purpose="многоквартирный жилой дом", cadastral_number="23:43:0301001:123",
        polygon={"type": "Polygon", "coordinates": [[[LON - 0.0004, LAT - 0.0002], [LON + 0.0004, LAT - 0.0002],
                                                     [LON + 0.0004, LAT + 0.0002], [LON - 0.0004, LAT + 0.0002],
                                                     [LON - 0.0004, LAT - 0.0002]]]})
    open_request = verification.request_file(
        actor=resident, reason="differs", address=building.address, lat=LAT, lon=LON,
        description="По разрешению девять этажей, а возводят двенадцатый.", observed_floors=12,
        construction_object=building, photos=[_photo()])
    answered = verification.request_file(
        actor=resident, reason="missing", address="Краснодар, ул. Северная, 5", lat=LAT + 0.001, lon=LON,
        description="Строят ангар у школы, паспорта объекта нет.", photos=[_photo()])
    verification.request_inspect(actor=inspector, request=answered, visited_on=today,
                                 findings="Разрешение не выдавалось; объект включён в реестр самовольных построек.",
                                 decision="illegal", floors_found=2, photos=[_photo()])
    entry = illegal.illegal_create(actor=keeper, address="Краснодар, ул. Садовая, 3", lat=LAT - 0.001, lon=LON,
                                   municipality=town, found_on=today - timedelta(days=60),
                                   description="Капитальный гараж на землях общего пользования",
                                   owner="ООО «Гараж-Сервис»")
    illegal.measure_add(actor=keeper, construction=entry, kind="demolition_order",
                        taken_on=today - timedelta(days=40), number="ПС-0001",
                        description="Предписание о сносе в течение трёх месяцев.")
    illegal.measure_add(actor=keeper, construction=entry, kind="fine", taken_on=today - timedelta(days=20),
                        amount=Decimal(100000), number="ШТ-0001")

    body = region["health"]
    manager = factories.body_staff(body)
    common = {"kind": "road", "address": "Краснодар, ул. Ставропольская", "street": "Ставропольская", "lat": LAT,
              "lon": LON + 0.002, "responsible_body": body, "contractor": "ООО «ДорСтрой»",
              "funding": "Национальный проект «Инфраструктура для жизни»", "cost": Decimal(25_000_000)}
    done = works.work_create(actor=manager, name="Ремонт дороги по ул. Ставропольской",
                             planned_start=today - timedelta(days=90), planned_end=today - timedelta(days=10),
                             description="Ремонт покрытия и тротуаров.", **common)
    works.work_start(actor=manager, work=done, on=today - timedelta(days=88))
    works.work_complete(actor=manager, work=done, on=today - timedelta(days=5))
    works_residents.work_rate(actor=rater, work=done, score=4, comment="Асфальт ровный, но разметку не нанесли.")
    planned = works.work_create(actor=manager, name="Благоустройство двора по ул. Северной, 5", kind="yard",
                                address="Краснодар, ул. Северная, 5", street="Северная", lat=LAT + 0.001, lon=LON,
                                responsible_body=body, contractor="ООО «Благоустройство Юга»",
                                planned_start=today + timedelta(days=20), planned_end=today + timedelta(days=80))
    works_residents.work_subscribe(actor=resident, work=planned)

    return {
        None: ["/construction/", f"/construction/objects/{building.pk}/", "/construction/requests/",
               f"/construction/requests/{answered.pk}/", "/construction/illegal/", f"/construction/illegal/{entry.pk}/",
               "/construction/illegal/report/", "/works/?municipality=", f"/works/{done.pk}/", "/works/statistics/"],
        resident: ["/construction/requests/new/", f"/construction/requests/new/?object={building.pk}",
                   f"/construction/requests/{open_request.pk}/", "/construction/requests/mine/",
                   f"/works/{planned.pk}/", "/works/subscriptions/"],
        factories.resident(home_municipality=town): [f"/works/{done.pk}/"],  # with the rating form
        inspector: ["/workspace/construction/", f"/workspace/construction/requests/{open_request.pk}/inspect/"],
    }


def test_construction_pages_have_no_serious_accessibility_violations(page, live_server, region):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    problems = []
    for user, paths in _area(region).items():
        if user is None:
            page.context.clear_cookies()
        else:
            sign_in(page, live_server, user)
        for path in paths:
            problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)
    assert page.js_errors == []


def test_construction_pages_fit_a_phone(page, live_server, region):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = []
    for user, paths in _area(region).items():
        if user is None:
            page.context.clear_cookies()
        else:
            sign_in(page, live_server, user)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 4).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)""")
                wide.append(f"{path} scrolls sideways by {overflow}px: {culprits}")
    assert wide == [], "\n".join(wide)
    assert page.js_errors == []
