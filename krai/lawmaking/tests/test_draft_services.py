"""Writes of the draft: versions, comments on provisions, amendments and the editor's decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import translation

from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.lawmaking.models import Amendment, Annotation, Stage, Version
from krai.lawmaking.selectors import drafts as selectors
from krai.lawmaking.services import amendments, drafts
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_draft import TEXT, drafted
from krai.org.tests.factories import UserFactory
from krai.social.selectors.profiles import display_name

pytestmark = pytest.mark.django_db

REMOVED = TEXT.replace("3. Действие закона распространяется на парки.\n", "")


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the catalogue's Russian comes with the area's .po)."""
    with translation.override("en"):
        yield


def _events(kind: str) -> int:
    return Event.objects.filter(kind=kind).count()


def test_version_initial_from_a_structured_proposal_and_once_only() -> None:
    initiative, version = drafted()
    assert version.number == 1 and _events("lawmaking.version_created") == 1
    keys = list(version.provisions.values_list("key", flat=True))
    assert keys == ["0", "1", "1.1", "1.2", "1.3", "2", "2.1", "2.1.1", "2.1.2"]
    assert drafts.version_initial(initiative=initiative, actor=None) == version
    assert _events("lawmaking.version_created") == 1


def test_version_initial_from_plain_text_and_from_a_broken_one() -> None:
    initiative = factories.initiative(Stage.ELABORATION, proposal="Первое.\n\nВторое.")
    version = drafts.version_initial(initiative=initiative, actor=None)
    assert list(version.provisions.values_list("key", "text")) == [("p1", "Первое."), ("p2", "Второе.")]
    broken = factories.initiative(Stage.ELABORATION, proposal="Статья 1. А\n\nСтатья 1. Б")
    version = drafts.version_initial(initiative=broken, actor=None)
    assert list(version.provisions.values_list("key", flat=True)) == ["p1", "p2"]


def test_version_create_by_the_editor_only_at_elaboration() -> None:
    initiative, _v1 = drafted()
    with pytest.raises(PermissionDenied):
        drafts.version_create(actor=UserFactory(), initiative=initiative, text=REMOVED, note="")
    with pytest.raises(ValidationError, match="Nothing changed"):
        drafts.version_create(actor=initiative.initiator, initiative=initiative, text=TEXT + "\n\n", note="")
    with pytest.raises(ValidationError) as error:
        drafts.version_create(actor=initiative.initiator, initiative=initiative, text=TEXT + "\nСтатья 1. Снова",
                              note="")
    assert "Article 1 appears twice" in error.value.message_dict["text"][0]
    v2 = drafts.version_create(actor=initiative.initiator, initiative=initiative, text=REMOVED, note="без парков")
    assert v2.number == 2 and v2.note == "без парков" and not v2.provisions.filter(key="1.3").exists()
    assert Version.objects.filter(initiative=initiative).count() == 2
    expert, _ = drafted(Stage.EXPERTISE)
    with pytest.raises(ValidationError, match="only while the draft is elaborated"):
        drafts.version_create(actor=expert.initiator, initiative=expert, text=REMOVED, note="")


def test_a_pending_amendment_on_a_removed_provision_stays_pending_and_is_flagged() -> None:
    initiative, _v1 = drafted()
    resident = UserFactory()
    amendment = amendments.amendment_propose(actor=resident, initiative=initiative, key="1.3", quote="на парки",
                                             proposed_text="на скверы", justification="")
    v2 = drafts.version_create(actor=initiative.initiator, initiative=initiative, text=REMOVED, note="")
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PENDING
    assert selectors.orphaned(initiative, [amendment]) == {amendment.pk}
    event = Event.objects.filter(kind="lawmaking.version_created").order_by("-id").first()
    assert event.payload["orphaned_amendments"] == [amendment.pk] and event.payload["number"] == v2.number
    with pytest.raises(ValidationError, match=r"Part 1\.3 was removed in version 2"):
        amendments.amendment_decide(actor=initiative.initiator, amendment=amendment, accept=True, reason="")


def test_amendment_against_a_removed_paragraph_is_refused_and_changes_nothing() -> None:
    """The issue's required case: proposed to version 1 on a provision that version 2 removed."""
    initiative, v1 = drafted()
    drafts.version_create(actor=initiative.initiator, initiative=initiative, text=REMOVED, note="")
    before = (Amendment.objects.count(), Event.objects.count())
    with pytest.raises(ValidationError) as error:
        amendments.amendment_propose(actor=UserFactory(), initiative=initiative, key="1.3", quote="",
                                     proposed_text="Новая редакция.", justification="", version=v1)
    assert error.value.message_dict["key"] == [
        "Part 1.3 was removed in version 2; propose your amendment to the current text."]
    assert (Amendment.objects.count(), Event.objects.count()) == before
    # a provision still in the current text may be amended from the old version
    kept = amendments.amendment_propose(actor=UserFactory(), initiative=initiative, key="1.2", quote="всей",
                                        proposed_text="части", justification="", version=v1)
    assert kept.version == v1


def test_amendment_propose_checks() -> None:
    initiative, _v1 = drafted()
    resident = UserFactory()
    with pytest.raises(ValidationError) as error:
        amendments.amendment_propose(actor=resident, initiative=initiative, key="9.9", quote="",
                                     proposed_text="x", justification="")
    assert "no provision “9.9”" in error.value.message_dict["key"][0]
    with pytest.raises(ValidationError) as error:
        amendments.amendment_propose(actor=resident, initiative=initiative, key="1.1", quote="нет такого",
                                     proposed_text="x", justification="")
    assert "does not occur" in error.value.message_dict["quote"][0]
    with pytest.raises(ValidationError) as error:
        amendments.amendment_propose(actor=resident, initiative=initiative, key="1.1", quote="",
                                     proposed_text="  ", justification="")
    assert "proposed_text" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        amendments.amendment_propose(actor=UserFactory(email_confirmed=False), initiative=initiative, key="1.1",
                                     quote="", proposed_text="x", justification="")
    expertise, _v = drafted(Stage.EXPERTISE)
    with pytest.raises(PermissionDenied):
        amendments.amendment_propose(actor=resident, initiative=expertise, key="1.1", quote="",
                                     proposed_text="x", justification="")
    assert Amendment.objects.count() == 0


def test_accepting_applies_the_passage_in_a_new_version_and_tells_the_author() -> None:
    initiative, _v1 = drafted()
    author = UserFactory()
    amendment = amendments.amendment_propose(actor=author, initiative=initiative, key="1.2",
                                             quote="на всей территории", proposed_text="во всех муниципалитетах",
                                             justification="Точнее.")
    with pytest.raises(PermissionDenied):
        amendments.amendment_decide(actor=author, amendment=amendment, accept=True, reason="")
    amendment = amendments.amendment_decide(actor=initiative.initiator, amendment=amendment, accept=True,
                                            reason="Согласен")
    deliver_pending()
    assert amendment.status == Amendment.Status.ACCEPTED and amendment.applied_in.number == 2
    assert amendment.applied_in.note == f"Amendment №{amendment.pk} by {display_name(author)} accepted"
    text = amendment.applied_in.provisions.get(key="1.2").text
    assert text == "Закон применяется во всех муниципалитетах края."
    assert "во всех муниципалитетах" in amendment.applied_in.text
    assert Notification.objects.filter(user=author, kind="lawmaking.amendment_accepted").exists()
    assert Notification.objects.filter(user=initiative.initiator, kind="lawmaking.amendment_proposed").exists()
    with pytest.raises(ValidationError, match="already been decided"):
        amendments.amendment_decide(actor=initiative.initiator, amendment=amendment, accept=False, reason="x")


def test_whole_provision_amendment_and_a_passage_that_is_gone() -> None:
    initiative, _v1 = drafted()
    whole = amendments.amendment_propose(actor=UserFactory(), initiative=initiative, key="2.1.2", quote="",
                                         proposed_text="через портал и по почте.", justification="")
    gone = amendments.amendment_propose(actor=UserFactory(), initiative=initiative, key="1.1", quote="порядок",
                                        proposed_text="правила", justification="")
    drafts.version_create(actor=initiative.initiator, initiative=initiative,
                          text=TEXT.replace("устанавливает порядок", "устанавливает требования"), note="")
    amendments.amendment_decide(actor=initiative.initiator, amendment=whole, accept=True, reason="")
    whole.refresh_from_db()
    assert whole.applied_in.provisions.get(key="2.1.2").text == "через портал и по почте."
    count = Version.objects.filter(initiative=initiative).count()
    with pytest.raises(ValidationError, match=r"no longer in provision 1\.1 of version 3"):
        amendments.amendment_decide(actor=initiative.initiator, amendment=gone, accept=True, reason="")
    gone.refresh_from_db()
    assert gone.status == Amendment.Status.PENDING and Version.objects.filter(initiative=initiative).count() == count


def test_rejecting_needs_a_reason_and_withdrawing() -> None:
    initiative, _v1 = drafted()
    author = UserFactory()
    amendment = amendments.amendment_propose(actor=author, initiative=initiative, key="1.1", quote="",
                                             proposed_text="Иначе.", justification="")
    with pytest.raises(ValidationError) as error:
        amendments.amendment_decide(actor=initiative.initiator, amendment=amendment, accept=False, reason=" ")
    assert "reason" in error.value.message_dict
    amendments.amendment_decide(actor=initiative.initiator, amendment=amendment, accept=False,
                                reason="Противоречит закону")
    deliver_pending()
    note = Notification.objects.get(user=author, kind="lawmaking.amendment_rejected")
    assert "Противоречит закону" in note.body
    other = amendments.amendment_propose(actor=author, initiative=initiative, key="1.1", quote="",
                                         proposed_text="Ещё иначе.", justification="")
    with pytest.raises(PermissionDenied):
        amendments.amendment_withdraw(actor=UserFactory(), amendment=other)
    other = amendments.amendment_withdraw(actor=author, amendment=other)
    assert other.status == Amendment.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        amendments.amendment_withdraw(actor=author, amendment=other)


def test_annotations_anchor_mask_limit_and_hide() -> None:
    initiative, v1 = drafted()
    resident = UserFactory()
    note = drafts.annotation_add(actor=resident, initiative=initiative, key="2.1.1", quote="общих собраниях",
                                 body="Звоните +7 912 345-67-89")
    assert note.version == v1 and note.quote == "общих собраниях"
    assert "345-67-89" not in selectors.shown(note.body)
    with pytest.raises(ValidationError) as error:
        drafts.annotation_add(actor=resident, initiative=initiative, key="7", quote="", body="x")
    assert "key" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        drafts.annotation_add(actor=resident, initiative=initiative, key="1.1", quote="чужой текст", body="x")
    assert "quote" in error.value.message_dict
    expertise, _v = drafted(Stage.EXPERTISE)
    assert drafts.annotation_add(actor=resident, initiative=expertise, key="1", quote="", body="Ок").pk
    discussion = factories.initiative(Stage.DISCUSSION)
    with pytest.raises(PermissionDenied):
        drafts.annotation_add(actor=resident, initiative=discussion, key="1", quote="", body="x")
    with override_settings(KRAI_LAWMAKING_ANNOTATION_RATE="1/h"), pytest.raises(drafts.RateLimited):
        user = UserFactory()
        drafts.annotation_add(actor=user, initiative=initiative, key="1", quote="", body="a")
        drafts.annotation_add(actor=user, initiative=initiative, key="1", quote="", body="b")
    with pytest.raises(PermissionDenied):
        drafts.annotation_hide(actor=resident, annotation=note, reason="x")
    with pytest.raises(ValidationError):
        drafts.annotation_hide(actor=factories.coordinator(), annotation=note, reason="")
    drafts.annotation_hide(actor=factories.coordinator(), annotation=note, reason="Личные данные")
    assert Annotation.objects.get(pk=note.pk).hidden_reason == "Личные данные"
    assert selectors.annotations_of(resident, initiative, "2.1.1") == []


def test_tree_counts() -> None:
    initiative, v1 = drafted()
    resident = UserFactory()
    drafts.annotation_add(actor=resident, initiative=initiative, key="1.1", quote="", body="a")
    amendments.amendment_propose(actor=resident, initiative=initiative, key="1.1", quote="", proposed_text="b",
                                 justification="")
    nodes = {n.key: n for n in selectors.flat(selectors.draft_tree(resident, initiative, v1))}
    assert (nodes["1.1"].annotations, nodes["1.1"].pending) == (1, 1)
    assert [c.key for c in selectors.draft_tree(resident, initiative, v1)[1].children] == ["1.1", "1.2", "1.3"]
    assert selectors.counts(resident, initiative)["pending"] == 1
