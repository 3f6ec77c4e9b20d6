"""Law-making in the site-wide search: a published initiative is found by its title, its problem and the text of
its draft's current version, and follows its stage; a concept waiting for moderation and one refused there are
never found (and leave the index if they were ever in it)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from krai.core.events import dispatch
from krai.core.events.services import record_event
from krai.core.search.selectors import search
from krai.lawmaking.models import Initiative, Stage
from krai.lawmaking.services import stages
from krai.lawmaking.tests.factories import initiative
from krai.lawmaking.tests.factories_export import version

pytestmark = pytest.mark.django_db


def _deliver() -> None:
    while dispatch.deliver_pending().attempted:
        pass


def _found(query: str) -> list[str]:
    return [result.url for result in search(user=AnonymousUser(), query=query)]


def _approve(item: Initiative) -> None:
    with transaction.atomic():
        row = stages.lock(item)
        row.published_at = timezone.now()
        row.save(update_fields=["published_at"])
        stages.enter(row, Stage.DISCUSSION, actor=None)


def test_a_published_initiative_is_found_a_concept_is_not(django_capture_on_commit_callbacks):
    concept = initiative(Stage.CONCEPT, title="О муниципальных пляжах Анапы",
                         problem="Пляжи не оборудованы пандусами.")
    record_event(kind="lawmaking.initiative_created", actor=concept.initiator, subject=concept,
                 payload=stages.payload(concept))
    _deliver()
    assert _found("пляжах") == [] and _found("пандусами") == []
    _approve(concept)
    _deliver()
    url = f"/lawmaking/{concept.pk}/"
    assert _found("пляжах") == [url] and _found("пандусами") == [url]
    version(concept, 1)
    record_event(kind="lawmaking.version_created", actor=None, subject=concept,
                 payload=stages.payload(concept, version=1))
    _deliver()
    assert _found("комплектование") == [url]  # a word of the draft's text


def test_a_refused_concept_leaves_the_index(django_capture_on_commit_callbacks):
    item = initiative(Stage.DISCUSSION, title="О ярмарках выходного дня")
    record_event(kind="lawmaking.stage_changed", actor=None, subject=item, payload=stages.payload(item))
    _deliver()
    assert _found("ярмарках") == [f"/lawmaking/{item.pk}/"]
    # as if it had never passed moderation: refused, never published
    Initiative.objects.filter(pk=item.pk).update(stage=Stage.STOPPED, published_at=None)
    record_event(kind="lawmaking.initiative_refused", actor=None, subject=item, payload=stages.payload(item))
    _deliver()
    assert _found("ярмарках") == []


def test_personal_data_is_masked_before_indexing(django_capture_on_commit_callbacks):
    item = initiative(Stage.DISCUSSION, title="О парковках у поликлиник",
                      problem="Мест нет, пишите на ivan.petrov@example.ru")
    record_event(kind="lawmaking.stage_changed", actor=None, subject=item, payload=stages.payload(item))
    _deliver()
    assert _found("парковках") and _found("ivan.petrov") == []
