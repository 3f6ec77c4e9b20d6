"""Document flow's demo (after the registered systems, order 90): the government's document-flow system
(``kind=docflow``) gets its channel — the governor issues the orders its packages bring, the Department of Control
controls them — and four packages go through the real import: three accepted (roads, schools, heating; through
HTTP, an upload and the folder) and one refused for an executor the structure does not know. Idempotent: the
channel by system, packages by uid (a package already received is not sent again). Skipped when the systems' part
left no document-flow system."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TextIO

from django.utils import timezone
from lxml import etree

from krai.core.demo import demo_loader
from krai.integration.docflow import medo
from krai.integration.docflow.models import DocflowChannel, DocflowPackage
from krai.integration.docflow.services.channels import channel_save
from krai.integration.docflow.services.packages import package_import
from krai.integration.models import ExternalSystem, SystemKind
from krai.orders.services.control import quiet
from krai.org.models import Organisation, Role, RoleAssignment, User

_Q = f"{{{medo.NS}}}"
CONTROLLER = "controller@demo.krai"

#: (uid, way in, kind, number, days ago, annotation, items: (text, days to the deadline, lead, person, co-executors))
PACKAGES: list[tuple[str, str, str, str, int, str, list[tuple]]] = [
    ("delo-demo-0001", "medo", "letter", "01-32/2841", 12, "О ремонте региональных автомобильных дорог", [
        ("Обеспечить завершение ремонта автомобильной дороги Краснодар — Кропоткин на участке км 12 — км 19 и "
         "представить акт приёмки работ.", 40, "transport", None, ["krasnodaravtodor"]),
        ("Провести обследование мостовых сооружений на дорогах регионального значения и представить график "
         "их ремонта.", 55, "krasnodaravtodor", None, []),
        ("Согласовать с муниципальными образованиями перечень участков дорог, ремонт которых переносится на "
         "следующий год.", 25, "transport", None, ["finance"]),
    ]),
    ("delo-demo-0002", "upload", "decree", "487-р", 9, "О подготовке школ к новому учебному году", [
        ("Организовать капитальный ремонт кровли общеобразовательных школ, пострадавших от ливней, и заменить "
         "оконные блоки в спортивных залах.", 60, "education", None, ["construction"]),
        ("Представить перечень школ, в которых требуется замена систем пожарной сигнализации, с оценкой "
         "стоимости работ.", 20, "education", None, []),
    ]),
    ("delo-demo-0003", "folder", "protocol", "14-п", 6, "О подготовке к отопительному сезону", [
        ("Обеспечить проверку готовности котельных, обслуживающих социальные учреждения, к отопительному "
         "сезону и представить сводный отчёт.", 30, "energy-housing", "head", ["health", "education"]),
        ("Подготовить предложения по переводу котельных школ и больниц на газовое топливо.", 45, "energy-housing",
         None, ["finance"]),
        ("Организовать горячую линию для жителей по вопросам начала отопительного сезона.", 15, "energy-housing",
         None, []),
    ]),
    ("delo-demo-0004", "medo", "letter", "01-32/2907", 3, "О ремонте моста через реку Кубань", [
        ("Обеспечить ремонт моста через реку Кубань в станице Варениковской.", 50, "kubandorzakazchik", None, []),
    ]),
]


def _organisation(parent: etree._Element, code: str, name: str, inn: str = "") -> None:
    node = etree.SubElement(parent, f"{_Q}organization", {k: v for k, v in (("code", code), ("inn", inn)) if v})
    node.text = name


def _person(parent: etree._Element, user: User) -> None:
    initials = "".join(f"{p[0]}." for p in (user.given_name, user.patronymic) if p)
    etree.SubElement(parent, f"{_Q}person", {"surname": user.surname, "initials": initials})


def _executor(parent: etree._Element, code: str, person: User | None) -> None:
    executor = etree.SubElement(parent, f"{_Q}executor")
    organisation = Organisation.objects.filter(code=code).first()
    _organisation(executor, code, organisation.name if organisation else "ГКУ КК «Кубаньдорзаказчик»",
                  organisation.inn if organisation and len(organisation.inn or "") in (10, 12) else "")
    if person is not None:
        _person(executor, person)


def _head(code: str) -> User | None:
    organisation = Organisation.objects.filter(code=code).first()
    position = organisation.positions.filter(is_head=True, holder__isnull=False).first() if organisation else None
    return position.holder if position else None


def package_xml(spec: tuple, *, today: date, system: ExternalSystem) -> bytes:
    uid, _way, kind, number, days_ago, annotation, items = spec
    root = etree.Element(f"{_Q}communication", {"version": medo.VERSION}, nsmap={None: medo.NS})
    created = timezone.localtime() - timedelta(days=days_ago)
    header = etree.SubElement(root, f"{_Q}header", {"type": "document", "uid": uid,
                                                     "created": created.replace(microsecond=0).isoformat()})
    _organisation(etree.SubElement(header, f"{_Q}source"), system.code, system.name)
    document = etree.SubElement(root, f"{_Q}document")
    etree.SubElement(document, f"{_Q}kind").text = kind
    num = etree.SubElement(document, f"{_Q}num")
    etree.SubElement(num, f"{_Q}number").text = number
    etree.SubElement(num, f"{_Q}date").text = (today - timedelta(days=days_ago)).isoformat()
    etree.SubElement(document, f"{_Q}annotation").text = annotation
    tasks = etree.SubElement(root, f"{_Q}tasks")
    for n, (text, days, lead, person, co) in enumerate(items, start=1):
        task = etree.SubElement(tasks, f"{_Q}task")
        etree.SubElement(task, f"{_Q}number").text = str(n)
        etree.SubElement(task, f"{_Q}text").text = text
        etree.SubElement(task, f"{_Q}deadline").text = (today + timedelta(days=days)).isoformat()
        _executor(task, lead, _head(lead) if person == "head" else None)
        if co:
            coexecutors = etree.SubElement(task, f"{_Q}coexecutors")
            for code in co:
                _executor(coexecutors, code, None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _channel(system: ExternalSystem) -> DocflowChannel | None:
    existing = DocflowChannel.objects.filter(system=system).first()
    if existing is not None:
        return existing
    governor = (RoleAssignment.objects.filter(role=Role.GOVERNOR, user__is_staff=True).select_related("user")
                .order_by("user_id").first())
    control = Organisation.objects.filter(kind=Organisation.Kind.CONTROL, parent__isnull=True).first()
    admin = (RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, user__is_staff=True).select_related("user")
             .order_by("user_id").first())
    # the demo's administrator is a superuser without an assignment of the role
    admin_user = admin.user if admin else User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if governor is None or control is None or admin_user is None:
        return None
    return channel_save(actor=admin_user, system=system, issuer=governor.user, controller_organisation=control,
                        priority="ordinary")


@demo_loader(order=92)
def load_docflow(*, scale: int, stdout: TextIO) -> list[str]:
    system = ExternalSystem.objects.filter(kind=SystemKind.DOCFLOW).order_by("id").first()
    if system is None:
        stdout.write("  docflow: no document-flow system registered; skipped\n")
        return []
    if _channel(system) is None:
        stdout.write("  docflow: no governor, administrator or Department of Control; skipped\n")
        return []
    controller = User.objects.filter(email=CONTROLLER).first()
    today = timezone.localdate()
    made: dict[str, int] = {}
    for spec in PACKAGES:
        uid, way = spec[0], spec[1]
        if DocflowPackage.objects.filter(system=system, uid=uid).exists():
            continue
        actor: Any = {"medo": system.account, "upload": controller, "folder": None}[way]
        if way == "upload" and controller is None:
            way, actor = "folder", None
        with quiet():
            result = package_import(actor=actor, system=system, content=package_xml(spec, today=today, system=system),
                                    channel=way, file_name=f"{uid}.xml")
        made[result.package.status] = made.get(result.package.status, 0) + 1
    stdout.write(f"  docflow: channel of {system.code}; packages {made or 'already there'}\n")
    return []
