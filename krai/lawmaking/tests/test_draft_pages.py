"""Pages of the draft: the text with anchors and plain forms, old versions, versions, changes, amendments and
the editor's decisions, the editor's text page; the refusal of an amendment to a removed paragraph."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from krai.lawmaking.models import Amendment, Annotation, Stage, Version
from krai.lawmaking.services import amendments, drafts
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_draft import TEXT, drafted
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REMOVED = TEXT.replace("3. Действие закона распространяется на парки.\n", "")


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the catalogue's Russian comes with the area's .po)."""
    with translation.override("en"):
        yield


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def test_draft_page_shows_anchors_counts_forms_and_the_script() -> None:
    initiative, _v1 = drafted()
    drafts.annotation_add(actor=UserFactory(), initiative=initiative, key="1.2", quote="", body="<b>мнение</b>")
    page = _client(UserFactory()).get(reverse("lawmaking:draft", args=[initiative.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="p-1.2"' in html and 'id="p-2.1.1"' in html and "Статья 1." in html
    assert "&lt;b&gt;мнение&lt;/b&gt;" in html and "<b>мнение" not in html
    assert 'name="quote"' in html and reverse("lawmaking:draft_amend", args=[initiative.pk]) in html
    assert "lawmaking/draft.js" in html and "<script>" not in html
    anonymous = _client().get(reverse("lawmaking:draft", args=[initiative.pk])).content.decode()
    assert 'name="quote"' not in anonymous and "/accounts/login/?next=" in anonymous


def test_comment_and_amendment_through_the_plain_forms() -> None:
    initiative, _v1 = drafted()
    client = _client(UserFactory())
    answer = client.post(reverse("lawmaking:draft_annotate", args=[initiative.pk]),
                         {"key": "1.1", "quote": "порядок", "body": "Уточнить порядок", "version": "1"})
    assert answer.status_code == 302 and answer["Location"].endswith("#p-1.1")
    assert Annotation.objects.get().quote == "порядок"
    answer = client.post(reverse("lawmaking:draft_amend", args=[initiative.pk]),
                         {"key": "1.1", "quote": "не из текста", "proposed_text": "x"})
    assert answer.status_code == 200 and "does not occur" in answer.content.decode()
    assert "не из текста" in answer.content.decode()  # the typed input is kept
    answer = client.post(reverse("lawmaking:draft_amend", args=[initiative.pk]),
                         {"key": "1.1", "quote": "порядок", "proposed_text": "правила", "justification": ""})
    assert answer.status_code == 302 and Amendment.objects.count() == 1


def test_amendment_to_a_removed_paragraph_via_the_page_is_refused() -> None:
    initiative, _v1 = drafted()
    drafts.version_create(actor=initiative.initiator, initiative=initiative, text=REMOVED, note="")
    client = _client(UserFactory())
    old = client.get(reverse("lawmaking:draft", args=[initiative.pk]) + "?version=1").content.decode()
    assert "You are reading version 1" in old and 'id="p-1.3"' in old
    answer = client.post(reverse("lawmaking:draft_amend", args=[initiative.pk]),
                         {"key": "1.3", "quote": "", "proposed_text": "Новая.", "version": "1"})
    assert answer.status_code == 200
    assert "Part 1.3 was removed in version 2; propose your amendment to the current text." in \
        answer.content.decode()
    assert Amendment.objects.count() == 0


def test_versions_and_diff_pages() -> None:
    initiative, _v1 = drafted()
    drafts.version_create(actor=initiative.initiator, initiative=initiative,
                          text=REMOVED.replace("всей территории", "<всей> территории"), note="правка")
    client = _client()
    page = client.get(reverse("lawmaking:versions", args=[initiative.pk]))
    assert page.status_code == 200 and "правка" in page.content.decode()
    html = client.get(reverse("lawmaking:diff", args=[initiative.pk])).content.decode()
    assert "<del>Действие закона распространяется на парки.</del>" in html
    assert "<ins>&lt;всей&gt; </ins>" in html
    assert client.get(reverse("lawmaking:diff", args=[initiative.pk]) + "?a=2&b=1").status_code == 200
    assert client.get(reverse("lawmaking:diff", args=[initiative.pk]) + "?a=9&b=1").status_code == 404


def test_amendments_page_decide_and_withdraw() -> None:
    initiative, _v1 = drafted()
    author = UserFactory()
    amendment = amendments.amendment_propose(actor=author, initiative=initiative, key="1.2", quote="всей",
                                             proposed_text="каждой части", justification="")
    url = reverse("lawmaking:amendments", args=[initiative.pk])
    assert "Accept" not in _client(author).get(url).content.decode()
    editor = _client(initiative.initiator)
    assert "Accept" in editor.get(url + "?status=pending").content.decode()
    decide = reverse("lawmaking:amendment_decide", args=[initiative.pk, amendment.pk])
    assert _client(author).post(decide, {"decision": "accept"}).status_code == 404
    answer = editor.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert "Say why the amendment is rejected." in answer.content.decode()
    editor.post(decide, {"decision": "accept", "reason": ""})
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ACCEPTED and amendment.applied_in.number == 2
    other = amendments.amendment_propose(actor=author, initiative=initiative, key="1.1", quote="",
                                         proposed_text="Иначе.", justification="")
    _client(author).post(reverse("lawmaking:amendment_withdraw", args=[initiative.pk, other.pk]))
    other.refresh_from_db()
    assert other.status == Amendment.Status.WITHDRAWN


def test_edit_page_preview_and_save() -> None:
    initiative, _v1 = drafted()
    url = reverse("lawmaking:draft_edit", args=[initiative.pk])
    assert _client(UserFactory()).get(url).status_code == 404
    editor = _client(initiative.initiator)
    assert editor.get(url).status_code == 200
    answer = editor.post(url, {"text": TEXT + "\n\nСтатья 2. Снова", "preview": "1"})
    assert "Article 2 appears twice" in answer.content.decode()
    answer = editor.post(url, {"text": REMOVED, "preview": "1"})
    assert "The text reads as" in answer.content.decode() and Version.objects.count() == 1
    answer = editor.post(url, {"text": REMOVED, "note": "меньше", "save": "1"})
    assert answer.status_code == 302 and Version.objects.filter(initiative=initiative).count() == 2


def test_hide_and_the_detail_block() -> None:
    initiative, _v1 = drafted()
    note = drafts.annotation_add(actor=UserFactory(), initiative=initiative, key="1", quote="", body="спам")
    hide = reverse("lawmaking:annotation_hide", args=[initiative.pk, note.pk])
    assert _client(UserFactory()).post(hide, {"hide-reason": "x"}).status_code == 404
    _client(factories.coordinator()).post(hide, {"hide-reason": "Реклама"})
    assert Annotation.objects.get().hidden_reason == "Реклама"
    assert "спам" not in _client().get(reverse("lawmaking:draft", args=[initiative.pk])).content.decode()
    page = _client().get(reverse("lawmaking:detail", args=[initiative.pk])).content.decode()
    assert reverse("lawmaking:draft", args=[initiative.pk]) in page and "Version 1" in page


def test_hidden_initiative_draft_is_404() -> None:
    concept = factories.initiative(Stage.CONCEPT)
    for name in ("draft", "versions", "diff", "amendments"):
        assert _client(UserFactory()).get(reverse(f"lawmaking:{name}", args=[concept.pk])).status_code == 404
