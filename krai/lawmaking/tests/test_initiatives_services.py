"""Initiatives' services: proposing a concept (who the initiator is, bad input, the rate limit), changing it,
moderation, the staff's stage moves, stopping and the editor; the initiator told; the timeline and the queue."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.lawmaking import conf
from krai.lawmaking.models import Initiative, InitiatorKind, Level, Stage
from krai.lawmaking.selectors import initiatives as selectors
from krai.lawmaking.services import initiatives as services
from krai.lawmaking.services import moves
from krai.lawmaking.subscribers_initiatives import tell_initiator
from krai.lawmaking.tests.factories import body_staff, coordinator, field, initiative, verified_expert
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory
from krai.social.models import Profile

pytestmark = pytest.mark.django_db


def propose(actor, body=None, **extra):
    values = {"title": "О порядке благоустройства дворов", "problem": "Дворы не благоустроены.",
              "proposal": "Статья 1. Дворы благоустраиваются ежегодно.", "level": Level.REGIONAL,
              "municipality": None, "responsible_body": body or OrganisationFactory(), **extra}
    return services.initiative_create(actor=actor, **values)


def test_a_resident_proposes_a_concept_seen_by_him_and_the_staff_only():
    resident, body = UserFactory(), OrganisationFactory()
    item = propose(resident, body, fields=[field("law")])
    assert item.stage == Stage.CONCEPT and item.published_at is None
    assert item.initiator_kind == InitiatorKind.RESIDENT and item.initiator_organisation is None
    assert list(item.stage_entries.values_list("stage", flat=True)) == [Stage.CONCEPT]
    assert Event.objects.filter(kind="lawmaking.initiative_created", subject_id=item.pk).exists()
    assert list(item.fields.values_list("code", flat=True)) == ["law"]
    assert selectors.visible(resident).filter(pk=item.pk).exists()
    assert not selectors.visible(UserFactory()).filter(pk=item.pk).exists()
    assert not selectors.visible(body_staff()).filter(pk=item.pk).exists()
    assert selectors.visible(body_staff(body)).filter(pk=item.pk).exists()
    assert selectors.visible(coordinator()).filter(pk=item.pk).exists()


def test_the_initiator_kind_is_derived():
    body = OrganisationFactory()
    assert propose(verified_expert("law"), body).initiator_kind == InitiatorKind.EXPERT
    ngo_user = UserFactory()
    ngo = OrganisationFactory()
    Profile.objects.create(user=ngo_user, display_name="ТОС «Центр»", kind=Profile.Kind.ORGANISATION,
                           organisation=ngo)
    made = propose(ngo_user, body)
    assert made.initiator_kind == InitiatorKind.ORGANISATION and made.initiator_organisation == ngo
    inside = body_staff(body)
    made = propose(inside, body)
    assert made.initiator_kind == InitiatorKind.BODY and made.initiator_organisation == body
    own = OrganisationFactory()
    made = propose(body_staff(own), body)
    assert made.initiator_kind == InitiatorKind.BODY and made.initiator_organisation == own


def test_bad_input_names_the_field_and_stores_nothing():
    resident = UserFactory()
    with pytest.raises(ValidationError) as error:
        propose(resident, level=Level.MUNICIPAL, municipality=None)
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        propose(resident, level=Level.REGIONAL, municipality=MunicipalityFactory())
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        propose(resident, responsible_body=999999, title="  ", level="federal")
    assert {"title", "level"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        propose(resident, responsible_body=999999)
    assert "responsible_body" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        propose(resident, fields=[123456])
    assert "fields" in error.value.message_dict
    assert not Initiative.objects.exists() and not Event.objects.filter(kind__startswith="lawmaking.").exists()
    town = MunicipalityFactory()
    made = propose(resident, level=Level.MUNICIPAL, municipality=town)
    assert made.municipality == town


def test_who_may_propose(settings):
    with pytest.raises(PermissionDenied):
        propose(UserFactory(email_confirmed=False))
    with pytest.raises(PermissionDenied):
        propose(UserFactory(is_active=False))
    resident = UserFactory()
    settings.KRAI_LAWMAKING_PROPOSAL_RATE = "2/d"
    propose(resident)
    propose(resident)
    with pytest.raises(services.RateLimited):
        propose(resident)
    assert Initiative.objects.count() == 2


def test_the_initiator_changes_his_concept_only_while_it_waits():
    resident = UserFactory()
    item = propose(resident)
    town = MunicipalityFactory()
    item = services.initiative_update(actor=resident, initiative=item, title="Новое название",
                                      level=Level.MUNICIPAL, municipality=town, fields=[field("law")])
    assert (item.title, item.municipality) == ("Новое название", town)
    assert Event.objects.get(kind="lawmaking.initiative_updated").payload["changed"] == [
        "title", "level", "municipality", "fields"]
    with pytest.raises(ValidationError) as error:
        services.initiative_update(actor=resident, initiative=item, municipality=None)
    assert "municipality" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=UserFactory(), initiative=item, title="Чужое")
    services.initiative_approve(actor=coordinator(), initiative=item)
    with pytest.raises(ValidationError):
        services.initiative_update(actor=resident, initiative=item, title="Поздно")
    item.refresh_from_db()
    assert item.title == "Новое название"


def test_approval_publishes_and_the_initiator_is_told():
    resident = UserFactory()
    item = propose(resident)
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=resident, initiative=item)
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=body_staff(item.responsible_body), initiative=item)
    item.refresh_from_db()
    assert item.stage == Stage.CONCEPT and item.published_at is None
    item = services.initiative_approve(actor=coordinator(), initiative=item, note="Соответствует правилам")
    assert item.stage == Stage.DISCUSSION and item.published_at is not None
    assert item.support_threshold == conf.support_threshold()
    assert item.stage_due == timezone.localdate() + timezone.timedelta(days=conf.discussion_days())
    event = Event.objects.get(kind="lawmaking.initiative_approved")
    tell_initiator(event)
    tell_initiator(event)  # delivered twice: told once
    assert Notification.objects.filter(user=resident, kind="lawmaking.initiative_approved").count() == 1
    assert selectors.visible(UserFactory()).filter(pk=item.pk).exists()
    with pytest.raises(ValidationError):
        services.initiative_approve(actor=coordinator(), initiative=item)


def test_refusal_needs_a_reason_which_the_initiator_reads():
    resident = UserFactory()
    item = propose(resident)
    boss = coordinator()
    with pytest.raises(ValidationError) as error:
        services.initiative_refuse(actor=boss, initiative=item, reason="  ")
    assert "reason" in error.value.message_dict
    item = services.initiative_refuse(actor=boss, initiative=item, reason="Не относится к полномочиям края")
    assert item.stage == Stage.STOPPED and item.published_at is None
    assert item.stopped_stage == Stage.CONCEPT
    tell_initiator(Event.objects.get(kind="lawmaking.initiative_refused"))
    told = Notification.objects.get(user=resident, kind="lawmaking.initiative_refused")
    assert told.body == "Не относится к полномочиям края"
    assert not selectors.visible(UserFactory()).filter(pk=item.pk).exists()
    assert "Не относится" in selectors.timeline(item).next_text


def test_the_staff_advance_a_discussed_idea_with_a_reason():
    body = OrganisationFactory()
    item = initiative(Stage.DISCUSSION, body=body)
    other = body_staff()
    with pytest.raises(PermissionDenied):
        moves.initiative_advance(actor=other, initiative=item, note="Решили")
    with pytest.raises(PermissionDenied):
        moves.initiative_advance(actor=item.initiator, initiative=item, note="Решили")
    staff = body_staff(body)
    with pytest.raises(ValidationError) as error:
        moves.initiative_advance(actor=staff, initiative=item, note="")
    assert "note" in error.value.message_dict
    item.refresh_from_db()
    assert item.stage == Stage.DISCUSSION
    item = moves.initiative_advance(actor=staff, initiative=item, note="Поддержано на совещании")
    assert item.stage == Stage.ELABORATION and item.editor_id == item.initiator_id
    assert item.versions.count() == 1
    assert item.stage_entries.last().note == "Поддержано на совещании"
    with pytest.raises(ValidationError, match="expertise"):
        moves.initiative_advance(actor=staff, initiative=item, note="Дальше")


@pytest.mark.parametrize("stage", [Stage.CONCEPT, Stage.EXPERTISE, Stage.REACTION, Stage.CLOSED])
def test_advance_from_other_stages_points_to_their_actions(stage):
    item = initiative(stage)
    with pytest.raises(ValidationError):
        moves.initiative_advance(actor=coordinator(), initiative=item, note="Дальше")
    item.refresh_from_db()
    assert item.stage == stage


def test_move_to_elaboration_keeps_a_named_editor():
    item = initiative(Stage.DISCUSSION)
    editor = UserFactory()
    moves.initiative_set_editor(actor=coordinator(), initiative=item, editor=editor)
    item = moves.move_to_elaboration(initiative=item, actor=None)
    assert item.stage == Stage.ELABORATION and item.editor == editor


def test_stopping_tells_the_initiator_why():
    body = OrganisationFactory()
    item = initiative(Stage.ELABORATION, body=body)
    with pytest.raises(PermissionDenied):
        moves.initiative_stop(actor=body_staff(), initiative=item, reason="Нет")
    with pytest.raises(ValidationError) as error:
        moves.initiative_stop(actor=body_staff(body), initiative=item, reason="")
    assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.stage == Stage.ELABORATION
    item = moves.initiative_stop(actor=body_staff(body), initiative=item, reason="Принят федеральный закон")
    assert (item.stage, item.stopped_stage) == (Stage.STOPPED, Stage.ELABORATION)
    tell_initiator(Event.objects.get(kind="lawmaking.initiative_stopped"))
    assert Notification.objects.get(user=item.initiator).body == "Принят федеральный закон"
    with pytest.raises(ValidationError):
        moves.initiative_stop(actor=coordinator(), initiative=item, reason="Ещё раз")
    reacting = initiative(Stage.REACTION)
    with pytest.raises(ValidationError):
        moves.initiative_stop(actor=coordinator(), initiative=reacting, reason="Нет")


def test_the_editor_is_an_active_user_named_by_a_manager():
    body = OrganisationFactory()
    item = initiative(Stage.ELABORATION, body=body)
    editor = UserFactory()
    with pytest.raises(PermissionDenied):
        moves.initiative_set_editor(actor=item.initiator, initiative=item, editor=editor)
    with pytest.raises(ValidationError) as error:
        moves.initiative_set_editor(actor=body_staff(body), initiative=item, editor=UserFactory(is_active=False))
    assert "editor" in error.value.message_dict
    item = moves.initiative_set_editor(actor=body_staff(body), initiative=item, editor=editor.pk)
    assert item.editor == editor
    tell_initiator(Event.objects.get(kind="lawmaking.editor_set"))
    assert Notification.objects.filter(user=editor, kind="lawmaking.editor_set").exists()


def test_the_timeline_shows_dates_and_what_comes_next():
    item = initiative(Stage.CONCEPT)
    item = services.initiative_approve(actor=coordinator(), initiative=item)
    line = selectors.timeline(item)
    states = [(step.stage, step.state) for step in line.steps]
    assert states == [(Stage.CONCEPT, "done"), (Stage.DISCUSSION, "current"), (Stage.ELABORATION, "coming"),
                      (Stage.EXPERTISE, "coming"), (Stage.REACTION, "coming"), (Stage.CLOSED, "coming")]
    assert line.steps[0].started and line.steps[0].ended == line.steps[1].started
    assert line.steps[1].due == item.stage_due
    assert str(conf.expertise_working_days()) in line.steps[3].planned
    assert str(item.support_threshold) in line.next_text
    closed = selectors.timeline(initiative(Stage.CLOSED))
    assert [step.state for step in closed.steps] == ["done"] * 6


def test_search_filters_and_the_queue():
    body, other_body = OrganisationFactory(), OrganisationFactory()
    unit = OrganisationFactory(parent=body)
    town = MunicipalityFactory()
    law = field("law")
    a = initiative(Stage.DISCUSSION, body=body, title="О парковках")
    a.fields.add(law)
    b = initiative(Stage.EXPERTISE, body=unit, municipality=town, title="О скверах")
    c = initiative(Stage.DISCUSSION, body=other_body, title="О дорогах", problem="Парковки во дворах")
    concept = initiative(Stage.CONCEPT, body=body)
    reader = UserFactory()
    ids = lambda rows: {row.pk for row in rows}  # noqa: E731
    assert ids(selectors.search(reader)) == {a.pk, b.pk, c.pk}
    assert ids(selectors.search(reader, q="парковк")) == {a.pk, c.pk}
    assert ids(selectors.search(reader, stage=Stage.EXPERTISE)) == {b.pk}
    assert ids(selectors.search(reader, level=Level.MUNICIPAL, municipality=town.pk)) == {b.pk}
    assert ids(selectors.search(reader, field="law")) == {a.pk}
    assert ids(selectors.search(reader, field=law.pk)) == {a.pk}
    assert ids(selectors.search(reader, body=body.pk)) == {a.pk, b.pk}
    staff = body_staff(body)
    tabs = selectors.queue(staff)
    assert Stage.CONCEPT not in tabs
    assert ids(tabs[Stage.DISCUSSION]) == {a.pk} and ids(tabs[Stage.EXPERTISE]) == {b.pk}
    tabs = selectors.queue(coordinator())
    assert ids(tabs[Stage.CONCEPT]) == {concept.pk} and ids(tabs[Stage.DISCUSSION]) == {a.pk, c.pk}
    assert all(not rows.exists() for rows in selectors.queue(reader).values())
