"""The plan's exchange: XLSX and MS Project XML out, the ``projects.plan`` import in, and the round trips."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

import krai.projects.importers  # noqa: F401 — registers the importer (the app's ready() does it in the site)
from krai.core.imports import services as imports
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import ImportRejected
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign
from krai.projects import services
from krai.projects.interchange import mspdi, mspdi_read, wbsrows, xlsx
from krai.projects.models import Dependency, Programme, Project, WorkItem

D = date.fromisoformat
KIND = "projects.plan"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    owner, executor_org = OrganisationFactory(name="Министерство цифрового развития"), OrganisationFactory()
    controller = StaffFactory(email="controller@example.ru")
    assign(controller, Role.CONTROLLER)
    worker = StaffFactory(email="worker@example.ru")
    programme = services.programme_create(actor=None, code="digital", title="Цифровая экономика",
                                          level=Programme.Level.REGIONAL, owner_organisation=owner,
                                          starts_on=D("2027-01-01"), ends_on=D("2028-12-31"))
    return {"owner": owner, "org": executor_org, "controller": controller, "worker": worker,
            "programme": programme}


def new_project(world, code: str) -> Project:
    return services.project_create(actor=None, programme=world["programme"], code=code, title="Цифровой регион",
                                   owner_organisation=world["owner"], starts_on=D("2027-09-01"),
                                   ends_on=D("2027-12-31"))


@pytest.fixture
def plan(world):
    project, actor = new_project(world, "p1"), world["controller"]

    def add(title, start, finish, parent=None, **extra):
        return services.item_create(actor=actor, project=project, parent=parent, title=title,
                                    planned_start=D(start), planned_finish=D(finish), **extra)

    stage = add("Подготовка", "2027-09-06", "2027-10-29", kind=WorkItem.Kind.STAGE)
    survey = add("Обследование", "2027-09-06", "2027-09-17", stage, owner_organisation=world["org"],
                 responsible=world["worker"], budget_planned="1500000.50", description="Первый шаг")
    design = add("Проект", "2027-09-22", "2027-10-15", stage, budget_planned="250000")
    approved = add("Проект утверждён", "2027-10-15", "2027-10-15", stage, kind=WorkItem.Kind.CONTROL_POINT,
                   owner_organisation=world["org"])
    tricky = add('=HYPERLINK("http://evil.example")', "2027-10-18", "2027-10-29", stage, pinned=True)
    result = add("Система внедрена", "2027-11-01", "2027-12-24", kind=WorkItem.Kind.RESULT)
    rollout = add("Внедрение", "2027-11-01", "2027-11-30", result, budget_planned="2000000")
    done = add("Акт приёмки", "2027-12-24", "2027-12-24", result, kind=WorkItem.Kind.CONTROL_POINT)
    for pred, succ, kind, lag in ((survey, design, "FS", 2), (design, approved, "FF", 0), (design, tricky, "SS", 0),
                                  (approved, rollout, "FS", -1), (rollout, done, "FS", 0)):
        services.dependency_add(actor=actor, predecessor=pred, successor=succ, type=kind, lag=lag, confirm=True)
    return project


def snapshot(project: Project) -> tuple[list, list]:
    items = [(i.wbs, i.kind, i.title, i.owner_organisation_id, i.responsible_id, i.planned_start, i.planned_finish,
              i.budget_planned, i.pinned, i.description) for i in WorkItem.objects.filter(project=project)
             .order_by("path")]
    links = sorted((d.predecessor.wbs, d.successor.wbs, d.type, d.lag) for d in Dependency.objects.filter(
        successor__project=project).select_related("predecessor", "successor"))
    return items, links


def run(world, project: Project, content: bytes, name: str, **options) -> ImportRecord:
    return imports.run(actor=world["controller"], kind=KIND, upload=content, name=name,
                       options={"project": project.code, **options})


def xlsx_of(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append([c.title for c in wbsrows.columns()])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_export_imports_back_the_same_plan(world, plan):
    content = xlsx.export(plan)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Номер", "Вид", "Наименование"]
    assert sheet["C6"].value.startswith("'=HYPERLINK") and sheet["C6"].data_type == "s"  # text, never a formula
    assert sheet["I4"].value == "1.1FS+2"
    fresh = new_project(world, "p2")
    record = run(world, fresh, content, "plan.xlsx")
    assert record.status == ImportRecord.Status.STORED
    assert record.summary == {"created": 8, "links": 5, "replaced": 0, "links_not_held": 0}
    assert snapshot(fresh) == snapshot(plan)
    assert WorkItem.objects.get(project=fresh, path="0001.0004.").title == '=HYPERLINK("http://evil.example")'


def test_mspdi_export_reads_back_identically(world, plan, client):
    first = mspdi.export(plan)
    assert b'<Project xmlns="http://schemas.microsoft.com/project">' in first
    assert b"<Duration>PT80H0M0S</Duration>" in first  # 1.1: ten working days
    assert b"<LinkLag>9600</LinkLag>" in first  # 2 working days in tenths of a minute
    fresh = new_project(world, "p2")
    client.force_login(world["controller"])
    upload = io.BytesIO(first)
    upload.name = "plan.xml"
    response = client.post(reverse("projects:import", args=["p2"]), {"file": upload})
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:record", args=[record.pk])
    assert record.status == ImportRecord.Status.STORED, record.errors or record.message
    assert snapshot(fresh) == snapshot(plan)
    assert mspdi.export(fresh) == first


def test_export_pages_and_permissions(world, plan, client):
    client.force_login(world["controller"])
    response = client.get(reverse("projects:export_xlsx", args=["p1"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith('attachment; filename="plan-p1-')
    assert client.get(reverse("projects:export_mspdi", args=["p1"])).content.startswith(b"<?xml")
    assert client.get(reverse("projects:import", args=["p1"])).status_code == 200
    executor = StaffFactory()
    assign(executor, Role.EXECUTOR, organisation=world["org"])  # sees the project by its items, may not edit
    client.force_login(executor)
    assert client.get(reverse("projects:export_mspdi", args=["p1"])).status_code == 200
    assert client.get(reverse("projects:import", args=["p1"])).status_code == 403
    with pytest.raises(Exception, match="may not run"):
        run({"controller": executor}, plan, xlsx.export(plan), "plan.xlsx", mode="append")
    stranger = StaffFactory()
    assign(stranger, Role.EXECUTOR, organisation=OrganisationFactory())
    client.force_login(stranger)
    assert client.get(reverse("projects:export_xlsx", args=["p1"])).status_code == 404
    assert client.get(reverse("projects:import", args=["p1"])).status_code == 404


MSP_2019 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Project xmlns="http://schemas.microsoft.com/project">
 <SaveVersion>14</SaveVersion><BuildNumber>16.0.10374.20040</BuildNumber><Name>Дороги.xml</Name>
 <Title>Ремонт дорог</Title><CreationDate>2027-01-10T09:00:00</CreationDate><ScheduleFromStart>1</ScheduleFromStart>
 <StartDate>2027-03-01T08:00:00</StartDate><FinishDate>2027-04-30T17:00:00</FinishDate>
 <MinutesPerDay>480</MinutesPerDay><MinutesPerWeek>2400</MinutesPerWeek>
 <ExtendedAttributes><ExtendedAttribute><FieldID>188743731</FieldID><FieldName>Text1</FieldName>
  <Alias>Подрядчик</Alias></ExtendedAttribute></ExtendedAttributes>
 <Calendars><Calendar><UID>1</UID><Name>Стандартный</Name><IsBaseCalendar>1</IsBaseCalendar></Calendar></Calendars>
 <Tasks>
  <Task><UID>0</UID><ID>0</ID><Name>Дороги</Name><Type>1</Type><IsNull>0</IsNull><WBS>0</WBS>
   <OutlineNumber>0</OutlineNumber><OutlineLevel>0</OutlineLevel><Start>2027-03-01T08:00:00</Start>
   <Finish>2027-04-30T17:00:00</Finish><Summary>1</Summary><Cost>99999900</Cost></Task>
  <Task><UID>7</UID><ID>1</ID><Name>Подготовительный этап</Name><Active>1</Active><Manual>0</Manual>
   <Type>0</Type><IsNull>0</IsNull><WBS>1</WBS><OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel>
   <Start>2027-03-01T08:00:00</Start><Finish>2027-03-19T17:00:00</Finish><Duration>PT120H0M0S</Duration>
   <DurationFormat>7</DurationFormat><Milestone>0</Milestone><Summary>1</Summary><PercentComplete>40</PercentComplete>
   <Cost>30000000</Cost><ConstraintType>0</ConstraintType></Task>
  <Task><UID>8</UID><ID>2</ID><Name>Проектирование</Name><IsNull>0</IsNull><WBS>1.1</WBS>
   <OutlineNumber>1.1</OutlineNumber><OutlineLevel>2</OutlineLevel><Start>2027-03-01T08:00:00</Start>
   <Finish>2027-03-12T17:00:00</Finish><Milestone>0</Milestone><Summary>0</Summary><PercentComplete>80</PercentComplete>
   <FixedCost>20000000</FixedCost><Cost>20000000</Cost><ConstraintType>4</ConstraintType>
   <ConstraintDate>2027-03-01T08:00:00</ConstraintDate><Notes>Сметы и трасса</Notes>
   <ExtendedAttribute><FieldID>188743731</FieldID><Value>ООО Дорпроект</Value></ExtendedAttribute></Task>
  <Task><UID>9</UID><ID>3</ID><Name>Экспертиза</Name><IsNull>0</IsNull><WBS>1.2</WBS><OutlineNumber>1.2</OutlineNumber>
   <OutlineLevel>2</OutlineLevel><Start>2027-03-15T08:00:00</Start><Finish>2027-03-19T17:00:00</Finish>
   <Milestone>0</Milestone><Summary>0</Summary><Cost>10000000</Cost><ConstraintType>2</ConstraintType>
   <PredecessorLink><PredecessorUID>8</PredecessorUID><Type>1</Type><CrossProject>0</CrossProject>
    <LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink></Task>
  <Task><UID>10</UID><ID>4</ID><Name>Ремонт</Name><IsNull>0</IsNull><WBS>2</WBS><OutlineNumber>2</OutlineNumber>
   <OutlineLevel>1</OutlineLevel><Start>2027-03-24T08:00:00</Start><Finish>2027-04-30T17:00:00</Finish>
   <Milestone>0</Milestone><Summary>0</Summary><Cost>0</Cost>
   <PredecessorLink><PredecessorUID>9</PredecessorUID><Type>1</Type><CrossProject>0</CrossProject>
    <LinkLag>9600</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
   <PredecessorLink><PredecessorUID>8</PredecessorUID><Type>3</Type><CrossProject>0</CrossProject>
    <LinkLag>201600</LinkLag><LagFormat>8</LagFormat></PredecessorLink></Task>
  <Task><UID>11</UID><ID>5</ID><Name>Дороги сданы</Name><IsNull>0</IsNull><WBS>3</WBS><OutlineNumber>3</OutlineNumber>
   <OutlineLevel>1</OutlineLevel><Start>2027-04-30T17:00:00</Start><Finish>2027-04-30T17:00:00</Finish>
   <Duration>PT0H0M0S</Duration><Milestone>1</Milestone><Summary>0</Summary>
   <PredecessorLink><PredecessorUID>10</PredecessorUID><Type>0</Type><CrossProject>0</CrossProject>
    <LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
   <PredecessorLink><PredecessorUID>99</PredecessorUID><Type>1</Type><CrossProject>1</CrossProject>
    <CrossProjectName>Другой.mpp\\5</CrossProjectName></PredecessorLink></Task>
 </Tasks>
 <Resources><Resource><UID>0</UID><ID>0</ID><Name>Не назначено</Name></Resource></Resources>
</Project>"""


def test_a_file_saved_by_ms_project_2019(world):
    parsed = mspdi_read.parse(MSP_2019.encode())
    assert [r["wbs"] for r in parsed.rows] == ["1", "1.1", "1.2", "2", "3"]  # the summary task UID 0 skipped
    assert parsed.skipped_links == 1
    project = new_project(world, "roads")
    record = run(world, project, __import__("json").dumps(parsed.rows).encode(), "roads.xml.json", format="mspdi")
    assert record.status == ImportRecord.Status.STORED, record.errors
    items, links = snapshot(project)
    assert [i[:3] for i in items] == [("1", "stage", "Подготовительный этап"), ("1.1", "task", "Проектирование"),
                                      ("1.2", "task", "Экспертиза"), ("2", "task", "Ремонт"),
                                      ("3", "control_point", "Дороги сданы")]
    assert items[1][7] == Decimal("200000.00") and items[0][7] == Decimal("0")  # a summary's cost is its parts'
    assert items[2][8] is True and items[1][8] is False  # "must start on" → fixed dates
    assert items[1][9] == "Сметы и трасса" and items[4][5:7] == (D("2027-04-30"), D("2027-04-30"))
    assert links == [("1.1", "1.2", "FS", 0), ("1.1", "2", "SS", 10), ("1.2", "2", "FS", 2), ("2", "3", "FF", 0)]
    assert WorkItem.objects.get(project=project, path="0001.").progress == 0  # progress is not imported


@pytest.mark.parametrize("rows,column,reason", [
    ([["1", "задача", "Строка", "", "", "31.02.2027", "2027-03-01", "", "", "", ""]], "Плановое начало", "date"),
    ([["1", "", "A", "", "", "2027-03-01", "2027-03-05", "", "", "", ""],
      ["2", "", "B", "", "", "2027-03-08", "2027-03-12", "", "1.4FS", "", ""]], "Предшественники", "no row 1.4"),
    ([["1", "этап", "A", "", "", "2027-03-01", "2027-03-05", "", "", "", ""],
      ["1.1", "", "B", "", "", "2027-03-01", "2027-03-12", "", "", "", ""]], "Плановое начало", "must lie within"),
    ([["1", "", "A", "", "", "2027-03-01", "2027-03-05", "", "3", "", ""],
      ["2", "", "B", "", "", "2027-03-08", "2027-03-12", "", "1", "", ""],
      ["3", "", "C", "", "", "2027-03-15", "2027-03-19", "", "2SS+1", "", ""]],
     "Предшественники", "loop: 2 → 3 → 1 → 2"),
    ([["1", "веха?", "A", "nobody-org", "x@nowhere.ru", "2027-03-01", "2027-03-05", "5", "1.1XX", "", ""]],
     "Вид", "Stage, result"),
    ([["1.2", "", "A", "", "", "2027-03-01", "2027-03-05", "", "", "", ""]], "Номер", "no row 1"),
])
def test_a_wrong_file_stores_nothing(world, rows, column, reason):
    project = new_project(world, "p3")
    with pytest.raises(ImportRejected) as caught:
        run(world, project, xlsx_of(rows), "plan.xlsx")
    errors = caught.value.errors
    assert any(e.column == column and reason in e.reason for e in errors), [e.as_dict() for e in errors]
    assert all(e.row >= 2 for e in errors)
    assert not WorkItem.objects.filter(project=project).exists()
    assert ImportRecord.objects.get().status == ImportRecord.Status.REJECTED


def test_the_loop_is_reported_on_the_lines_of_the_file(world):
    rows = [["1", "", "A", "", "", "2027-03-01", "2027-03-05", "", "2", "", ""], [None] * 11,
            ["2", "", "B", "", "", "2027-03-08", "2027-03-12", "", "1", "", ""]]
    with pytest.raises(ImportRejected) as caught:
        run(world, new_project(world, "p3"), xlsx_of(rows), "plan.xlsx")
    assert sorted(e.row for e in caught.value.errors) == [2, 4]  # the empty line 3 is skipped, still counted


def test_a_plan_is_replaced_or_appended_only_when_asked(world, plan):
    content = xlsx_of([["1", "", "Новый этап", "", "", "2027-09-01", "2027-09-10", "100", "", "да", ""]])
    before = snapshot(plan)
    with pytest.raises(Exception, match="already has a plan"):
        run(world, plan, content, "plan.xlsx")
    assert snapshot(plan) == before
    run(world, plan, content, "plan.xlsx", mode="append")
    assert [i[:3] for i in snapshot(plan)[0]][-1] == ("3", "task", "Новый этап")
    record = run(world, plan, content, "plan.xlsx", mode="replace")
    assert record.summary["replaced"] == 9
    assert snapshot(plan) == ([("1", "task", "Новый этап", None, None, D("2027-09-01"), D("2027-09-10"),
                                Decimal("100.00"), True, "")], [])


def test_executors_by_code_or_name_and_controlled_items_open_assignments(world):
    from krai.orders.selectors import control_for_subject

    project = new_project(world, "p4")
    rows = [["1", "", "По коду", world["org"].code, "WORKER@example.ru", "2027-03-01", "2027-03-05", "", "", "", ""],
            ["2", "кт", "По имени", "Министерство цифрового развития", "", "", "2027-03-12", "", "1", "", ""]]
    try:
        record = run(world, project, xlsx_of(rows), "plan.xlsx")
    except ImportRejected as exc:
        raise AssertionError([e.as_dict() for e in exc.errors]) from exc
    assert record.summary["links_not_held"] == 0
    first, second = WorkItem.objects.filter(project=project).order_by("path")
    assert (first.owner_organisation, first.responsible) == (world["org"], world["worker"])
    assert second.owner_organisation == world["owner"] and second.planned_start == D("2027-03-12")
    assert control_for_subject(first) is not None and control_for_subject(second) is not None


@pytest.mark.parametrize("content,message", [
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
     b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol2;</Name></Project>', "DTD"),
    (b"PK\x03\x04" + b"\0" * 100, "ZIP"),
    (b"name;start\nA;2027-01-01\n", "well-formed"),
    (b'<?xml version="1.0"?><html><body/></html>', "not an MS Project"),
    (b'<Project xmlns="http://schemas.microsoft.com/project"><Tasks/></Project>', "no tasks"),
])
def test_a_bad_xml_file_is_refused_with_a_reason(world, client, content, message):
    project = new_project(world, "p5")
    client.force_login(world["controller"])
    upload = io.BytesIO(content)
    upload.name = "plan.xml"
    response = client.post(reverse("projects:import", args=[project.code]), {"file": upload})
    assert response.status_code == 400 and message in response.content.decode()
    assert not WorkItem.objects.filter(project=project).exists() and not ImportRecord.objects.exists()


def test_an_xml_file_over_the_limit_is_refused(world, client, settings):
    settings.KRAI_UPLOAD_MAX_BYTES = 1000
    client.force_login(world["controller"])
    upload = io.BytesIO(MSP_2019.encode())
    upload.name = "plan.xml"
    response = client.post(reverse("projects:import", args=[new_project(world, "p6").code]), {"file": upload})
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_xml_into_a_project_with_a_plan_needs_the_mode(world, plan, client):
    client.force_login(world["controller"])
    upload = io.BytesIO(MSP_2019.encode())
    upload.name = "plan.xml"
    response = client.post(reverse("projects:import", args=["p1"]), {"file": upload})
    assert response.status_code == 400 and not ImportRecord.objects.exists()
    upload.seek(0)
    client.post(reverse("projects:import", args=["p1"]), {"file": upload, "mode": "replace"})
    assert [i[0] for i in snapshot(plan)[0]] == ["1", "1.1", "1.2", "2", "3"]


def test_predecessor_notation():
    assert wbsrows.parse_predecessors("1.1FS+2; 1.3SS, 2ОН-1д; 4") == [
        wbsrows.Pred((1, 1), "FS", 2), wbsrows.Pred((1, 3), "SS", 0), wbsrows.Pred((2,), "FS", -1),
        wbsrows.Pred((4,), "FS", 0)]
    assert wbsrows.predecessors_text(wbsrows.parse_predecessors("1.1 ff + 3")) == "1.1FF+3"
    for bad in ("1..2", "A1", "1.1FS+999", "0.1"):
        with pytest.raises(ValueError):
            wbsrows.parse_predecessors(bad)


def test_the_xlsx_goes_through_the_kernel_pages_with_the_mode(world, plan, client):
    client.force_login(world["controller"])
    page = client.get(reverse("projects:import", args=["p1"])).content.decode()
    assert 'name="opt.project" value="p1"' in page and 'name="opt.mode" value="replace"' in page
    assert page.count("Import a plan") >= 3  # title, breadcrumb, heading
    start = reverse("imports:start", args=[KIND]) + "?opt.project=p1&opt.mode=replace"
    upload = io.BytesIO(xlsx_of([["1", "", "Единственный", "", "", "2027-09-01", "2027-09-03", "", "", "", ""]]))
    upload.name = "plan.xlsx"
    response = client.post(start, {"file": upload})
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and record.options == {"project": "p1", "mode": "replace"}
    assert record.mapping["planned_finish"] == "Плановое окончание"  # the export's headers map themselves
    response = client.post(reverse("imports:record", args=[record.pk]), record.mapping)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.STORED and [i[2] for i in snapshot(plan)[0]] == ["Единственный"]
