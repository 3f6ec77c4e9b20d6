"""The roadmap: the chart's data (critical path, links, states, baseline, rights), a move by dragging (the chain
shifts; warnings need confirmation and change nothing; bad moves are refused), the page and the PDF."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.test import Client

from krai.orders.tests.factories import government
from krai.projects import gantt, pdf, services
from krai.projects.models import WorkItem
from krai.projects.tests.helpers import fresh, item, link, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(db):
    return government()


@pytest.fixture
def plan(gov):
    """A stage: survey → design → review → control point; a side task off the critical path."""
    proj = project(gov)
    stage = item(proj, "Проектирование", date(2027, 2, 1), date(2027, 6, 30), kind=WorkItem.Kind.STAGE)
    survey = item(proj, "Изыскания", date(2027, 2, 1), date(2027, 2, 12), parent=stage)
    design = item(proj, "Проект", date(2027, 2, 15), date(2027, 3, 12), parent=stage)
    review = item(proj, "Экспертиза", date(2027, 3, 15), date(2027, 3, 26), parent=stage)
    ready = item(proj, "Проект утверждён", date(2027, 3, 29), date(2027, 3, 29), parent=stage,
                 kind=WorkItem.Kind.CONTROL_POINT)
    side = item(proj, "Закупка мебели", date(2027, 2, 1), date(2027, 2, 5), parent=stage)
    link(survey, design)
    link(design, review)
    link(review, ready)
    return {"project": proj, "stage": stage, "survey": survey, "design": design, "review": review,
            "ready": ready, "side": side}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(proj, tail: str = "gantt/") -> str:
    return f"/workspace/projects/p/{proj.code}/{tail}"


def tasks_by_id(answer) -> dict[str, dict]:
    return {t["id"]: t for t in answer.json()["tasks"]}


def move(client: Client, proj, pk: int, start: date, finish: date, confirm: bool = False):
    return client.post(url(proj, "gantt/move/"), data=json.dumps(
        {"item": pk, "start": start.isoformat(), "finish": finish.isoformat(), "confirm": confirm}),
        content_type="application/json")


# --- the chart's data ------------------------------------------------------------------------------------

def test_data_has_the_plan_with_critical_path_links_and_states(gov, plan):
    answer = signed_in(gov.head).get(url(plan["project"], "gantt/data/"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["editable"] is True and body["project"]["code"] == plan["project"].code
    tasks = tasks_by_id(answer)
    assert len(tasks) == 6
    survey, design, ready, side, stage = (tasks[str(plan[k].pk)] for k in ("survey", "design", "ready", "side",
                                                                           "stage"))
    assert survey["name"] == "1.1 Изыскания"
    assert (survey["start"], survey["end"]) == ("2027-02-01", "2027-02-12")
    assert design["dependencies"] == str(plan["survey"].pk)
    assert survey["dependencies"] == ""
    assert survey["critical"] and design["critical"] and "critical" in design["custom_class"].split()
    assert not side["critical"] and "critical" not in side["custom_class"].split()
    assert set(ready["custom_class"].split()) >= {"milestone", "critical"}
    assert ready["start"] == ready["end"] == "2027-03-29"
    assert "parent" in stage["custom_class"].split()
    assert "baseline_start" not in survey


def test_data_marks_done_and_late_items(gov, plan):
    services.item_progress(actor=gov.head, item=plan["side"], progress=100, actual_start=date(2027, 2, 1),
                           actual_finish=date(2027, 2, 5), today=date(2027, 2, 5))
    chart = gantt.roadmap(plan["project"], today=date(2027, 2, 20))
    rows = {r.id: r for r in chart.rows}
    assert "done" in rows[plan["side"].pk].classes and rows[plan["side"].pk].progress == 100
    assert "late" in rows[plan["survey"].pk].classes  # due 12.02, unfinished on 20.02
    assert "late" not in rows[plan["design"].pk].classes


def test_data_with_a_baseline_has_its_dates_and_the_slip(gov, plan):
    proj = plan["project"]
    saved = services.baseline_save(actor=gov.head, project=proj, name="Утверждённый план")
    services.reschedule(actor=gov.head, project=proj, confirm=True,
                        moves={plan["survey"]: (date(2027, 2, 1), date(2027, 2, 19))})
    answer = signed_in(gov.head).get(url(proj, "gantt/data/"), {"baseline": saved.pk})
    assert answer.json()["baseline"] == {"id": saved.pk, "name": "Утверждённый план"}
    design = tasks_by_id(answer)[str(plan["design"].pk)]
    assert design["baseline_start"] == "2027-02-15" and design["baseline_end"] == "2027-03-12"
    assert design["slip"] == (fresh(plan["design"]).planned_finish - date(2027, 3, 12)).days > 0
    assert signed_in(gov.head).get(url(proj, "gantt/data/"), {"baseline": "999999"}).status_code == 400


def test_data_is_read_only_for_viewers_and_hidden_from_others(gov, plan):
    proj = plan["project"]
    for viewer in (gov.vice, gov.governor):
        answer = signed_in(viewer).get(url(proj, "gantt/data/"))
        assert answer.status_code == 200 and answer.json()["editable"] is False
    assert signed_in(gov.finance_head).get(url(proj, "gantt/data/")).status_code == 404
    assert Client().get(url(proj, "gantt/data/")).status_code == 302  # to the sign-in page


def test_data_takes_few_queries_whatever_the_size(gov, plan, django_assert_max_num_queries):
    proj = plan["project"]
    stage = plan["stage"]
    for n in range(30):
        item(proj, f"Работа {n}", date(2027, 4, 1), date(2027, 4, 9), parent=stage)
    client = signed_in(gov.head)
    with django_assert_max_num_queries(25):
        assert len(client.get(url(proj, "gantt/data/")).json()["tasks"]) == 36


# --- moving by dragging ------------------------------------------------------------------------------------

def test_a_move_shifts_the_successors(gov, plan):
    proj = plan["project"]
    # the side task has no successors and no control point after it: no warning, written at once
    answer = move(signed_in(gov.head), proj, plan["side"].pk, date(2027, 2, 8), date(2027, 2, 12))
    assert answer.status_code == 200 and answer.json()["shifted"] == 0
    assert (fresh(plan["side"]).planned_start, fresh(plan["side"]).planned_finish) == (date(2027, 2, 8),
                                                                                      date(2027, 2, 12))
    answer = move(signed_in(gov.head), proj, plan["review"].pk, date(2027, 3, 15), date(2027, 3, 26))
    assert answer.json()["shifted"] == 0  # unchanged dates shift nothing


def test_a_move_breaking_a_control_point_answers_409_and_changes_nothing(gov, plan):
    proj, client = plan["project"], signed_in(gov.head)
    answer = move(client, proj, plan["survey"].pk, date(2027, 2, 1), date(2027, 2, 19))
    assert answer.status_code == 409
    body = answer.json()
    assert body["confirm"] is True and any("Проект утверждён" in w for w in body["warnings"])
    assert fresh(plan["survey"]).planned_finish == date(2027, 2, 12)
    assert fresh(plan["design"]).planned_start == date(2027, 2, 15)

    answer = move(client, proj, plan["survey"].pk, date(2027, 2, 1), date(2027, 2, 19), confirm=True)
    assert answer.status_code == 200
    body = answer.json()
    assert body["shifted"] == 3 and "3" in body["message"]  # design, review and the control point
    assert fresh(plan["design"]).planned_start > date(2027, 2, 19)
    assert fresh(plan["ready"]).planned_finish > date(2027, 3, 29)
    # the chart shows the shifted chain
    tasks = tasks_by_id(client.get(url(proj, "gantt/data/")))
    assert tasks[str(plan["design"].pk)]["start"] == fresh(plan["design"]).planned_start.isoformat()


def test_a_child_moved_outside_its_parent_is_refused(gov, plan):
    answer = move(signed_in(gov.head), plan["project"], plan["side"].pk, date(2027, 6, 20), date(2027, 7, 10))
    assert answer.status_code == 400
    assert "Проектирование" in answer.json()["error"]
    assert fresh(plan["side"]).planned_finish == date(2027, 2, 5)


@pytest.mark.parametrize("body", ["not json", json.dumps({"item": "x", "start": "2027-02-01", "finish": "2027-02-02"}),
                                  json.dumps({"item": 1, "start": "01.02.2027", "finish": "2027-02-02"}),
                                  json.dumps([1, 2])])
def test_a_bad_move_request_is_refused(gov, plan, body):
    answer = signed_in(gov.head).post(url(plan["project"], "gantt/move/"), data=body,
                                      content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"]


def test_viewers_may_not_move_and_others_do_not_see(gov, plan):
    proj, survey = plan["project"], plan["survey"]
    assert move(signed_in(gov.vice), proj, survey.pk, date(2027, 2, 2), date(2027, 2, 15)).status_code == 403
    assert move(signed_in(gov.finance_head), proj, survey.pk, date(2027, 2, 2), date(2027, 2, 15)).status_code == 404
    other = project(gov, proj.programme, code="other-2027")
    foreign = item(other, "Чужая задача", date(2027, 2, 1), date(2027, 2, 5))
    assert move(signed_in(gov.head), proj, foreign.pk, date(2027, 2, 2), date(2027, 2, 8)).status_code == 404
    assert fresh(survey).planned_start == date(2027, 2, 1) and fresh(foreign).planned_start == date(2027, 2, 1)
    assert signed_in(gov.head).get(url(proj, "gantt/move/")).status_code == 405


# --- the page and the PDF ------------------------------------------------------------------------------------

def test_the_page_passes_its_data_by_attributes_and_says_when_read_only(gov, plan):
    proj = plan["project"]
    saved = services.baseline_save(actor=gov.head, project=proj, name="Базовый")
    page = signed_in(gov.head).get(url(proj), {"baseline": saved.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-url="/workspace/projects/p/{proj.code}/gantt/data/"' in html and 'data-editable="1"' in html
    assert f"gantt.pdf?baseline={saved.pk}" in html and "Базовый" in html
    assert "vendor/frappe-gantt/frappe-gantt.umd.js" in html and "projects/gantt.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    viewer = signed_in(gov.vice).get(url(proj)).content.decode()
    assert 'data-editable="0"' in viewer
    assert signed_in(gov.finance_head).get(url(proj)).status_code == 404


def _pdf_text(content: bytes) -> tuple[str, int]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_pdf_is_a_pdf_with_the_title_and_the_items(gov, plan):
    proj = plan["project"]
    answer = signed_in(gov.vice).get(url(proj, "gantt.pdf"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith(f'attachment; filename="roadmap-{proj.code}-')
    assert answer.content.startswith(b"%PDF") and b"DejaVu" in answer.content
    text, pages = _pdf_text(answer.content)
    assert proj.title in text and "Изыскания" in text and pages == 1
    assert signed_in(gov.finance_head).get(url(proj, "gantt.pdf")).status_code == 404


def test_a_long_plan_runs_over_several_pages_and_a3_takes_more_rows(gov, plan):
    proj, stage = plan["project"], plan["stage"]
    for n in range(60):
        item(proj, f"Работа № {n}", date(2027, 4, 1), date(2027, 4, 9), parent=stage)
    chart = gantt.roadmap(proj)
    a4 = pdf.render(chart, size="A4", compress=False)
    a3 = pdf.render(chart, size="A3", compress=False)
    assert a4.startswith(b"%PDF") and a3.startswith(b"%PDF")
    (text4, pages4), (_text3, pages3) = _pdf_text(a4), _pdf_text(a3)
    assert pages4 >= 2 and pages3 < pages4
    assert "Работа № 59" in text4 and f"{pages4}" in text4


def test_the_pdf_of_an_empty_plan(gov):
    proj = project(gov)
    answer = signed_in(gov.head).get(url(proj, "gantt.pdf"), {"size": "A3"})
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert signed_in(gov.head).get(url(proj, "gantt/data/")).json()["tasks"] == []
