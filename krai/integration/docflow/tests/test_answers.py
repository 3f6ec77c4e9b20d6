"""Answers back in the package's format: registered when the orders are issued, executor assigned on a
reassignment or a later delegation, report sent — each a notification valid against the schema, posted to a real
HTTP server on 127.0.0.1 and written to the outbox folder; a failure is retried (the file not written twice),
attempts used up leave it failed and visible until someone sends it again; every attempt is in the exchange log."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from lxml import etree

from krai.core.events import registry
from krai.core.events.models import Event
from krai.integration.docflow import medo, notifications, outbox
from krai.integration.docflow.models import DocflowAnswer
from krai.integration.docflow.services.answers import answer_retry
from krai.integration.docflow.services.packages import package_import
from krai.integration.docflow.tests.conftest import sample
from krai.integration.models import ExchangeMessage
from krai.orders.services import control

pytestmark = pytest.mark.django_db
Q = f"{{{medo.NS}}}"


def a_notification() -> bytes:
    """A notification built from stand-ins (no database): what ``notifications.build`` makes."""
    organisation = SimpleNamespace(name="Министерство здравоохранения", code="health", inn="2310463556")
    assignment = SimpleNamespace(get_status_display=lambda: "на исполнении", deadline=date(2031, 3, 14))
    return notifications.build(
        kind="registered", uid="krai-test", package=SimpleNamespace(uid="p-1", document_number="1",
                                                                    document_date=date(2026, 11, 19)),
        item=SimpleNamespace(number="1"), order=SimpleNamespace(number="2026-00001", issued_at=timezone.now()),
        assignment=assignment, executor_organisation=organisation, executor_user=None).encode()


class Receiver:
    """A document-flow system's answers endpoint on 127.0.0.1: fails the first ``failures`` requests with 500."""

    def __init__(self, failures: int = 0) -> None:
        self.bodies: list[bytes] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(500)
                else:
                    receiver.bodies.append(body)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/answers"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handle_events(since: int = 0) -> None:
    """Run the answers' subscriber over the events recorded (as the dispatcher would, after commit)."""
    handler = registry.get("docflow.answers")
    for event in Event.objects.filter(pk__gt=since).order_by("id"):
        if handler.matches(event.kind):
            handler.handler(event)


def _import(gov):
    return package_import(actor=gov.controller, system=gov.system, content=sample("valid_three_items.xml"),
                          channel="upload")


def test_registered_answers_reach_a_real_server_and_the_outbox_after_a_failure(gov, settings, tmp_path):
    settings.KRAI_DOCFLOW_OUTBOX = str(tmp_path / "outbox")
    result = _import(gov)
    with Receiver(failures=1) as receiver:
        gov.system.answer_url = receiver.url
        gov.system.save()
        _handle_events()
        answers = list(DocflowAnswer.objects.order_by("id"))
        assert [a.kind for a in answers] == ["registered"] * 3 and {a.status for a in answers} == {"pending"}

        first_round = outbox.deliver_due()
        assert first_round == {"pending": 1, "sent": 2}
        failed = DocflowAnswer.objects.get(status="pending")
        assert failed.attempts == 1 and "HTTP 500" in failed.last_error and failed.file_done and not failed.http_done
        assert outbox.deliver_due() == {}  # not due yet

        assert outbox.deliver_due(now=timezone.now() + timedelta(minutes=5)) == {"sent": 1}

    assert len(receiver.bodies) == 3
    numbers = set()
    for body in receiver.bodies:
        root = medo.parse(body).getroot()  # valid against our schema
        note = root.find(f"{Q}notification")
        assert note.get("kind") == "registered" and note.find(f"{Q}foundation").get("uid") == "sed-social-2026-0142"
        numbers.add(note.find(f"{Q}registration/{Q}number").text)
    assert numbers == {o.number for o in result.orders}
    files = sorted((tmp_path / "outbox" / "sed-social").iterdir())
    assert len(files) == 3 and all(f.suffix == ".xml" for f in files)  # the retry did not write a file again
    for file in files:
        medo.parse(file.read_bytes())
    log = ExchangeMessage.objects.filter(direction="out")
    assert log.filter(channel="medo", status="failed", http_status=500).count() == 1
    assert log.filter(channel="medo", status="ok").count() == 3
    assert log.filter(channel="folder", status="ok").count() == 3


def test_reassigned_and_reported_are_answered(gov, settings, tmp_path):
    settings.KRAI_DOCFLOW_OUTBOX = str(tmp_path)
    result = _import(gov)
    _handle_events()
    mark = Event.objects.order_by("-id").first().pk
    first, second = result.orders[0], result.orders[1]

    control.control_reassign(actor=gov.vice, assignment=second.assignment, executor_organisation=gov.labour,
                             reason="Передано по компетенции")
    control.control_report(actor=gov.minister, assignment=first.assignment,
                           text="Проверка проведена, отчёт прилагается")
    _handle_events(mark)
    _handle_events(mark)  # a redelivered event adds nothing

    assigned = DocflowAnswer.objects.get(kind="executor_assigned")
    reported = DocflowAnswer.objects.get(kind="reported")
    assert assigned.item.order == second and reported.item.order == first
    note = medo.parse(assigned.content.encode()).getroot().find(f"{Q}notification")
    assert note.find(f"{Q}executor/{Q}organization").get("code") == "dfl-labour"
    note = medo.parse(reported.content.encode()).getroot().find(f"{Q}notification")
    assert note.find(f"{Q}report/{Q}text").text == "Проверка проведена, отчёт прилагается"
    assert DocflowAnswer.objects.count() == 5


def test_the_dispatcher_delivers_the_events_to_the_subscriber(gov, settings, tmp_path):
    from krai.core.events import dispatch

    settings.KRAI_DOCFLOW_OUTBOX = str(tmp_path)
    _import(gov)
    dispatch.deliver_pending()
    assert DocflowAnswer.objects.filter(kind="registered").count() == 3


def test_attempts_used_up_leave_it_failed_until_sent_again(gov, settings):
    settings.KRAI_DOCFLOW_MAX_ATTEMPTS = 2
    gov.system.answer_url = "http://127.0.0.1:9/nobody-listens"
    gov.system.save()
    _import(gov)
    _handle_events()
    later = timezone.now()
    for _round in range(3):
        later += timedelta(hours=7)
        outbox.deliver_due(now=later)
    answers = DocflowAnswer.objects.all()
    assert {a.status for a in answers} == {"failed"} and {a.attempts for a in answers} == {2}
    assert ExchangeMessage.objects.filter(direction="out", status="failed").count() == 6

    with pytest.raises(PermissionDenied):
        answer_retry(actor=gov.outsider, answer=answers[0])
    answer = answer_retry(actor=gov.controller, answer=answers[0])
    assert (answer.status, answer.attempts) == ("pending", 0)
    assert Event.objects.filter(kind="docflow.answer_retried", subject_id=str(answer.pk)).exists()
    with pytest.raises(ValidationError):
        answer_retry(actor=gov.controller, answer=answer)


def test_a_system_with_nowhere_to_answer_keeps_its_answers(gov, settings):
    settings.KRAI_DOCFLOW_OUTBOX = ""
    _import(gov)
    _handle_events()
    assert {a.status for a in DocflowAnswer.objects.all()} == {"held"}
    assert outbox.deliver_due() == {}


def test_tables_are_not_answered_in_xml_and_other_orders_are_ignored(gov):
    from krai.orders.services.orders import order_create, order_issue
    from krai.orders.tests.factories import TODAY  # noqa: F401 — the orders' own factories stay importable

    order = order_create(actor=gov.vice, title="Не из пакета", text="Текст", lead_organisation=gov.health,
                         controller_organisation=gov.control, working_days=5)
    order_issue(actor=gov.vice, order=order)
    _handle_events()
    assert not DocflowAnswer.objects.exists()


def test_the_notification_type_is_in_the_schema():
    root = etree.fromstring(a_notification())
    assert root.find(f"{Q}header").get("type") == "notification"
    medo.parse(a_notification())
