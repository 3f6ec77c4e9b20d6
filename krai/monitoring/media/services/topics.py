"""Topics: what is watched, by whom; a topic added or its terms changed is matched at once against the articles
of the last ``KRAI_PRESS_REMATCH_DAYS`` days, so its feed and counts have a history from the first day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.monitoring.media.ingest import record_mentions, topic_matcher
from krai.monitoring.media.models import Article, Topic

FIELDS = ("name", "kind", "organisation", "person", "municipality", "terms", "owner", "active")
_TARGET = {Topic.Kind.ORGANISATION: "organisation", Topic.Kind.PERSON: "person",
           Topic.Kind.MUNICIPALITY: "municipality"}


def _rematch_days() -> int:
    return int(getattr(settings, "KRAI_PRESS_REMATCH_DAYS", 30))


def _clean(topic: Topic) -> None:
    topic.name = (topic.name or "").strip()[:200]
    if topic.kind not in Topic.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of topic.")})
    target = _TARGET.get(topic.kind)
    if target and getattr(topic, f"{target}_id") is None:
        raise ValidationError({target: _("Choose what the topic is about.")})
    for other in set(_TARGET.values()) - {target}:
        setattr(topic, other, None)
    if topic.owner_id is None or not topic.owner.is_staff:
        raise ValidationError({"owner": _("The owner must be a member of staff.")})
    if not topic.term_list():
        raise ValidationError({"terms": _("Give at least one term.")})
    topic.full_clean()


def _rematch(topic: Topic) -> int:
    """The topic's mentions over the recent articles, found again (its terms may have changed)."""
    since = timezone.now() - dt.timedelta(days=_rematch_days())
    topic.mentions.filter(article__published_at__gte=since).delete()
    if not topic.active:
        return 0
    matcher = topic_matcher(Topic.objects.filter(pk=topic.pk))
    found = 0
    for article in Article.objects.filter(published_at__gte=since).only("pk", "title", "text", "summary",
                                                                        "published_at").iterator():
        found += len(record_mentions(article, matcher))
    return found


@transaction.atomic
def topic_create(*, actor, name: str, kind: str = Topic.Kind.KEYWORDS, owner=None, **fields) -> Topic:
    if actor is None or not actor.has_perm("media.add_topic"):
        raise PermissionDenied(_("You may not add topics."))
    topic = Topic(name=name, kind=kind, owner=owner or actor,
                  **{k: v for k, v in fields.items() if k in FIELDS and v is not None})
    _clean(topic)
    topic.save()
    found = _rematch(topic)
    record_event(kind="media.topic_created", actor=actor, subject=topic,
                 payload={"name": topic.name, "kind": topic.kind, "terms": topic.term_list(), "mentions": found})
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, **fields) -> Topic:
    if actor is None or not actor.has_perm("media.change_topic", topic):
        raise PermissionDenied(_("You may not change this topic."))
    before = (topic.term_list(), topic.active)
    changed = {}
    for key, value in fields.items():
        if key in FIELDS and value is not None and getattr(topic, key) != value:
            setattr(topic, key, value)
            changed[key] = str(value)
    _clean(topic)
    topic.save()
    found = _rematch(topic) if (topic.term_list(), topic.active) != before else None
    record_event(kind="media.topic_updated", actor=actor, subject=topic, payload={"changed": changed,
                                                                                 "mentions": found})
    return topic
