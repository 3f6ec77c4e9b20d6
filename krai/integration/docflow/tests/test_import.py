"""The issue's test through the service: a package with three order items becomes three issued orders with the
right executors (a person matched by surname and initials, co-executors by code and INN) and deadlines, its
document as their source; a malformed package, or one naming an unknown executor, is refused with a clear error
(line and element) and leaves nothing behind in any table; the same uid is never imported twice; the issuer's
rights decide; every package is in the exchange log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from krai.core.events.models import Event
from krai.core.workcalendar.selectors import previous_working_day
from krai.integration.docflow.models import DocflowItem, DocflowPackage
from krai.integration.docflow.services.packages import package_import
from krai.integration.docflow.tests.conftest import counts, sample
from krai.integration.models import ExchangeMessage
from krai.integration.tests.factories import external_system
from krai.orders.models import Assignment, Order
from krai.org.models import Role

pytestmark = pytest.mark.django_db


def _import(gov, name: str, channel: str = "upload", actor=None):
    return package_import(actor=actor or gov.controller, system=gov.system, content=sample(name), channel=channel,
                          file_name=name)


def test_three_items_become_three_orders_with_their_executors_and_deadlines(gov):
    result = _import(gov, "valid_three_items.xml")

    assert result.accepted and not result.repeated and len(result.orders) == 3
    first, second, third = (Order.objects.get(pk=o.pk) for o in result.orders)
    assert [first.lead_organisation, second.lead_organisation, third.lead_organisation] == [
        gov.health, gov.education, gov.education]
    assert first.lead_user == gov.minister  # "Министров И.П." among the two Министровs of the ministry
    assert second.lead_user is None
    assert {c.organisation for c in first.co_executors.all()} == {gov.education}
    assert {c.organisation for c in third.co_executors.all()} == {gov.health, gov.labour}
    assert [o.assignment.deadline.isoformat() for o in (first, second, third)] == [
        "2031-03-14", "2031-04-15", "2031-02-28"]
    for order in (first, second, third):
        assert not order.is_draft and order.issuer == gov.vice and order.controller_organisation == gov.control
        assert order.source_type == "letter" and order.source_reference == "№ 01-14/2026-142 от 19.11.2026"
        assert order.source_date.isoformat() == "2026-11-19"
    assert first.title == "Обеспечить проверку готовности систем отопления поликлиник края и представить сводный отчёт"
    # the co-executors' parts are delegated children of the root, by the same deadline
    parts = Assignment.objects.filter(parent=third.assignment)
    assert {a.executor_organisation for a in parts} == {gov.health, gov.labour}
    package = result.package
    assert package.status == "accepted" and package.uid == "sed-social-2026-0142" and package.channel == "upload"
    assert [i.number for i in package.items.all()] == ["1", "2", "3"]
    assert Event.objects.filter(kind="docflow.package_accepted", subject_id=str(package.pk)).exists()
    log = ExchangeMessage.objects.get(correlation_id="sed-social-2026-0142")
    assert (log.channel, log.direction, log.status, log.system) == ("upload", "in", "ok", gov.system)
    assert "<communication" in log.payload


def test_a_malformed_package_is_refused_with_the_line_and_element_and_nothing_half_imported(gov):
    before = counts()

    result = _import(gov, "invalid_schema.xml", channel="folder", actor=None)

    assert not result.accepted and result.orders == []
    [problem] = result.problems
    assert (problem.line, problem.element) == (27, "deadline")
    assert "“2031-13-45” is not allowed here" in problem.text()
    assert problem.text().startswith("Line 27, element <deadline>:")
    assert counts() == before  # not an order, an assignment, a co-executor, a transition, a number, an item …
    package = DocflowPackage.objects.get()
    assert (package.status, package.uid, package.channel) == ("refused", "sed-social-2026-0143", "folder")
    assert "Line 27" in package.error and package.errors[0]["element"] == "deadline"
    log = ExchangeMessage.objects.get()
    assert (log.status, log.channel, log.correlation_id) == ("refused", "folder", "sed-social-2026-0143")
    assert "Line 27" in log.error


def test_an_unknown_executor_refuses_the_whole_package(gov):
    before = counts()

    result = _import(gov, "unknown_executor.xml")

    assert not result.accepted
    [problem] = result.problems
    assert problem.element == "executor" and problem.line == 28
    assert "item 2" in problem.message and "no-such-body" in problem.message
    assert counts() == before  # item 1 was fine, yet no order of it either
    assert not Order.objects.exists() and not DocflowItem.objects.exists()


def test_the_same_uid_again_is_answered_with_the_first_result(gov):
    first = _import(gov, "valid_three_items.xml")

    again = package_import(actor=gov.system.account, system=gov.system, content=sample("valid_three_items.xml"),
                           channel="medo")

    assert again.repeated and again.accepted and again.package == first.package
    assert [o.pk for o in again.orders] == [o.pk for o in first.orders]
    assert Order.objects.count() == 3 and DocflowPackage.objects.count() == 1
    assert ExchangeMessage.objects.filter(correlation_id="sed-social-2026-0142").count() == 2


def test_a_refused_uid_may_be_sent_again_once_corrected(gov):
    _import(gov, "invalid_schema.xml")
    fixed = sample("invalid_schema.xml").replace(b"2031-13-45", b"2031-03-20")

    result = package_import(actor=gov.controller, system=gov.system, content=fixed, channel="upload")

    assert result.accepted and len(result.orders) == 2
    assert list(DocflowPackage.objects.order_by("id").values_list("status", flat=True)) == ["refused", "accepted"]


def test_the_issuers_rights_decide_and_a_refusal_names_the_item(gov):
    content = sample("valid_three_items.xml").replace(b'code="dfl-labour"', b'code="dfl-finance"').replace(
        b"<executor>\n        <organization>", b"<executor>\n        <organization code=\"dfl-finance\">")
    before = counts()

    result = package_import(actor=gov.controller, system=gov.system, content=content, channel="upload")

    assert not result.accepted
    [problem] = result.problems
    assert problem.element == "task" and "item 2" in problem.message
    assert "may not give orders to this organisation" in problem.message
    assert counts() == before


def test_without_an_active_channel_packages_are_refused(gov):
    gov.channel.is_active = False
    gov.channel.save()

    result = _import(gov, "valid_three_items.xml")

    assert not result.accepted and "no active document-flow channel" in result.problems[0].message
    assert not Order.objects.exists()


def test_who_may_load(gov):
    with pytest.raises(PermissionDenied):
        _import(gov, "valid_three_items.xml", actor=gov.outsider)
    other = external_system("other-sed", role=Role.HEAD, organisation=gov.finance)
    with pytest.raises(PermissionDenied):  # another system may not send in this one's name
        _import(gov, "valid_three_items.xml", channel="medo", actor=other.account)
    assert not DocflowPackage.objects.exists()


def test_a_deadline_on_a_day_off_moves_back_like_any_order(gov):
    content = sample("valid_three_items.xml").replace(b"2031-03-14", b"2031-03-15")  # a Saturday

    result = package_import(actor=gov.controller, system=gov.system, content=content, channel="upload")

    assert result.accepted
    assert result.orders[0].assignment.deadline == previous_working_day(result.orders[0].deadline)
