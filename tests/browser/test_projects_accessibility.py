"""The projects area's pages checked by axe-core (serious and critical WCAG 2.1 A/AA violations fail), as the
manager who edits the plan sees them — forms and the roadmap included."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.browser.test_accessibility import AXE, _check

pytestmark = pytest.mark.browser


def test_projects_pages_have_no_serious_accessibility_violations(page, live_server, region):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    from krai.org.models import Role
    from krai.org.tests.factories import StaffFactory, assign
    from krai.projects import services
    from krai.projects.models import Programme, WorkItem

    manager = StaffFactory(email="manager@example.ru", surname="Кузнецов")
    assign(manager, Role.HEAD, organisation=region["health"])
    programme = services.programme_create(actor=None, code="np-health", title="Здравоохранение",
                                          level=Programme.Level.NATIONAL, owner_organisation=region["health"],
                                          starts_on=date(2026, 1, 1), ends_on=date(2030, 12, 31))
    project = services.project_create(actor=None, programme=programme, code="fap", title="Строительство ФАПов",
                                      owner_organisation=region["health"], manager=manager,
                                      starts_on=date(2027, 1, 11), ends_on=date(2027, 12, 30))
    stage = services.item_create(actor=None, project=project, title="Проектирование", kind=WorkItem.Kind.STAGE,
                                 planned_start=date(2027, 2, 1), planned_finish=date(2027, 6, 30))
    task = services.item_create(actor=None, project=project, parent=stage, title="Изыскания",
                                planned_start=date(2027, 2, 1), planned_finish=date(2027, 2, 26),
                                owner_organisation=region["health"])
    point = services.item_create(actor=None, project=project, parent=stage, title="Проект утверждён",
                                 kind=WorkItem.Kind.CONTROL_POINT, planned_start=date(2027, 3, 31),
                                 planned_finish=date(2027, 3, 31))
    services.dependency_add(actor=None, predecessor=task, successor=point)
    services.baseline_save(actor=None, project=project, name="Базовый")
    client = Client()
    client.force_login(manager)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    base = f"/workspace/projects/p/{project.code}/"
    paths = ["/workspace/projects/", f"/workspace/projects/g/{programme.code}/", base, f"{base}card/",
             f"{base}baselines/", f"{base}risks/", f"{base}reports/", f"{base}items/new/", f"{base}items/{task.pk}/",
             f"{base}items/{task.pk}/dates/", f"{base}items/{point.pk}/links/", f"{base}import/", f"{base}gantt/"]
    problems = []
    for path in paths:
        problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)
