"""The community's part of erasing a person and of "download my data" (``krai.core.privacy``).

Erasure (``social_erase_person``, inside the deleting transaction):

* deleted: his profile (avatar files too), his credentials and the documents attached to them, his follows and
  followers, the blocks he made and those made against him, his albums and every photo he uploaded (files
  removed from storage once the transaction commits; others' comments on them go with them), his places in
  conversations;
* anonymised and kept: his publications (text scrubbed, photos deleted — others' comments keep their thread),
  his messages (text scrubbed, sender emptied: the other participants keep the conversation), the reports he
  made (details scrubbed, reporter emptied), the reports about him (no longer linked to him), his bans (the
  moderators' reasons lose his names; the row stays as the record of a decision);
* others' words about him — publications, messages in his conversations, group titles, reports' details and
  notes, reasons for hiding — lose his names, e-mail and phone (``Erasure.scrub_mentions``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from krai.core.comments.models import Comment
from krai.core.files.models import Attachment
from krai.core.privacy import Erasure
from krai.social.models import (
    AbuseReport,
    Album,
    Ban,
    Conversation,
    Credential,
    Follow,
    Message,
    Participant,
    Photo,
    Profile,
    Publication,
    UserBlock,
)


def _delete_files_later(names: list[str], storage: Any) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)


def _mentions_q(erasure: Erasure, field: str) -> Q:
    """Rows whose ``field`` may name him: a cheap pre-filter; ``scrub_mentions`` decides."""
    words = [*erasure.names, erasure.email, *([erasure.email.split("@")[0]] if "@" in erasure.email else [])]
    q = Q(pk__in=[])
    for word in filter(None, words):
        q |= Q(**{f"{field}__icontains": word})
    return q


def _erase_profile(erasure: Erasure) -> None:
    profile = Profile.objects.filter(user_id=erasure.user_id).first()
    if profile is None:
        return
    credentials = list(Credential.objects.filter(profile=profile))
    credential_type = ContentType.objects.get_for_model(Credential)
    documents = Attachment.objects.filter(content_type=credential_type,
                                          object_id__in=[str(c.pk) for c in credentials])
    _delete_files_later([a.file.name for a in documents], Attachment._meta.get_field("file").storage)
    for obj in [*documents, *credentials, profile]:
        erasure.touch(obj)
    documents.delete()
    _delete_files_later([profile.avatar.name, profile.avatar_thumb.name], Profile._meta.get_field("avatar").storage)
    Credential.objects.filter(profile=profile).delete()
    profile.delete()


def _erase_photos_and_albums(erasure: Erasure) -> int:
    albums = list(Album.objects.filter(owner_id=erasure.user_id))
    photos = list(Photo.objects.filter(Q(owner_id=erasure.user_id) | Q(album__in=albums)))
    storage = Photo._meta.get_field("image").storage
    _delete_files_later([name for p in photos for name in (p.image.name, p.thumb.name, p.medium.name)], storage)
    gone = Q(pk__in=[])
    for model, objs in ((Album, albums), (Photo, photos)):
        for obj in objs:
            erasure.touch(obj)
        if objs:
            gone |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(o.pk) for o in objs])
    # others' comments on what is gone would hang on nothing
    Comment.objects.filter(gone).delete()
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    Album.objects.filter(pk__in=[a.pk for a in albums]).delete()
    return len(albums) + len(photos)


def _erase_publications(erasure: Erasure) -> int:
    own = list(Publication.objects.filter(author_id=erasure.user_id).only("pk", "body", "hidden_reason"))
    for publication in own:
        Publication.objects.filter(pk=publication.pk).update(
            body=erasure.scrub(publication.body) or "—", hidden_reason=erasure.scrub(publication.hidden_reason))
        erasure.touch(publication)
    others = Publication.objects.exclude(author_id=erasure.user_id).filter(
        _mentions_q(erasure, "body") | _mentions_q(erasure, "hidden_reason"))
    for publication in others.only("pk", "body", "hidden_reason"):
        body, reason = erasure.scrub_mentions(publication.body), erasure.scrub_mentions(publication.hidden_reason)
        if (body, reason) != (publication.body, publication.hidden_reason):
            Publication.objects.filter(pk=publication.pk).update(body=body, hidden_reason=reason)
            erasure.touch(publication)
    return len(own)


def _erase_messages(erasure: Erasure) -> int:
    conversations = list(Participant.objects.filter(user_id=erasure.user_id).values_list("conversation_id",
                                                                                         flat=True))
    own = list(Message.objects.filter(sender_id=erasure.user_id).only("pk", "body", "hidden_reason"))
    for message in own:
        Message.objects.filter(pk=message.pk).update(body=erasure.scrub(message.body) or "—", sender=None,
                                                     hidden_reason=erasure.scrub(message.hidden_reason))
        erasure.touch(message)
    around = Message.objects.filter(conversation_id__in=conversations).exclude(pk__in=[m.pk for m in own])
    for message in around.only("pk", "body", "hidden_reason").iterator(chunk_size=500):
        body, reason = erasure.scrub_mentions(message.body), erasure.scrub_mentions(message.hidden_reason)
        if (body, reason) != (message.body, message.hidden_reason):
            Message.objects.filter(pk=message.pk).update(body=body, hidden_reason=reason)
            erasure.touch(message)
    for conversation in Conversation.objects.filter(pk__in=conversations).exclude(title=""):
        title = erasure.scrub_mentions(conversation.title)
        if title != conversation.title:
            Conversation.objects.filter(pk=conversation.pk).update(title=title)
            erasure.touch(conversation)
    Conversation.objects.filter(created_by_id=erasure.user_id).update(created_by=None)
    Participant.objects.filter(user_id=erasure.user_id).delete()
    return len(own)


def _erase_moderation(erasure: Erasure) -> None:
    user_type = ContentType.objects.get_for_model(get_user_model())
    about_him = Q(target_owner_id=erasure.user_id) | Q(content_type=user_type, object_id=str(erasure.user_id))
    for report in AbuseReport.objects.filter(reporter_id=erasure.user_id):
        AbuseReport.objects.filter(pk=report.pk).update(
            reporter=None, details=erasure.scrub(report.details),
            decision_note=erasure.scrub_mentions(report.decision_note))
        erasure.touch(report)
    for report in AbuseReport.objects.filter(about_him):
        AbuseReport.objects.filter(pk=report.pk).update(
            target_owner=None, details=erasure.scrub_mentions(report.details),
            decision_note=erasure.scrub_mentions(report.decision_note))
        erasure.touch(report)
    for ban in Ban.objects.filter(user_id=erasure.user_id):
        Ban.objects.filter(pk=ban.pk).update(reason=erasure.scrub_mentions(ban.reason) or "—")
        erasure.touch(ban)


def social_erase_person(erasure: Erasure) -> None:
    """Erase a person from the community (see the module's docstring); runs inside the deleting transaction."""
    _erase_profile(erasure)
    follows = Follow.objects.filter(Q(follower_id=erasure.user_id) | Q(followee_id=erasure.user_id))
    blocks = UserBlock.objects.filter(Q(blocker_id=erasure.user_id) | Q(blocked_id=erasure.user_id))
    for obj in [*follows, *blocks]:
        erasure.touch(obj)
    follows.delete()
    blocks.delete()
    count = _erase_photos_and_albums(erasure)
    count += _erase_publications(erasure)
    count += _erase_messages(erasure)
    _erase_moderation(erasure)
    erasure.count("social", count)


# --- "download my data" ------------------------------------------------------------------------------

def _at(value: Any) -> str | None:
    return value.isoformat() if value else None


def social_export(user: Any) -> dict[str, Any]:
    """Everything the community holds about ``user``: his profile, credentials (documents by name), follows,
    blocks he made, publications, albums and photos, the messages he sent (never others'), his reports and his
    bans."""
    profile = Profile.objects.filter(user_id=user.pk).prefetch_related("expertise").first()
    credentials = list(Credential.objects.filter(profile_id=user.pk)) if profile else []
    credential_type = ContentType.objects.get_for_model(Credential)
    documents: dict[str, list[str]] = {}
    for attachment in Attachment.objects.filter(content_type=credential_type,
                                                object_id__in=[str(c.pk) for c in credentials]):
        documents.setdefault(attachment.object_id, []).append(attachment.original_name)
    photo = lambda p: {"caption": p.caption, "latitude": p.latitude, "longitude": p.longitude,  # noqa: E731
                       "uploaded": _at(p.created_at), "hidden_reason": p.hidden_reason}
    return {
        "profile": None if profile is None else {
            "kind": profile.kind, "display_name": profile.display_name, "position": profile.position,
            "about": profile.about, "municipality": str(profile.municipality) if profile.municipality_id else None,
            "website": profile.website, "contact_email": profile.contact_email,
            "contact_phone": profile.contact_phone, "privacy": profile.privacy,
            "accept_messages": profile.accept_messages, "is_discoverable": profile.is_discoverable,
            "expertise": [field.name for field in profile.expertise.all()], "expert_status": profile.expert_status,
            "has_avatar": bool(profile.avatar), "created": _at(profile.created_at)},
        "credentials": [{"kind": c.kind, "title": c.title, "issuer": c.issuer, "year": c.year, "status": c.status,
                         "review_note": c.review_note, "created": _at(c.created_at),
                         "documents": documents.get(str(c.pk), [])} for c in credentials],
        "follows": [{"account": f.followee_id, "topic": f.topic.code if f.topic_id else None,
                     "since": _at(f.created_at)}
                    for f in Follow.objects.filter(follower_id=user.pk).select_related("topic")],
        "followers_count": Follow.objects.filter(followee_id=user.pk).count(),
        "blocks": [{"account": b.blocked_id, "since": _at(b.created_at)}
                   for b in UserBlock.objects.filter(blocker_id=user.pk)],
        "publications": [{"id": p.pk, "text": p.body, "audience": p.audience, "created": _at(p.created_at),
                          "edited": _at(p.edited_at), "hidden_reason": p.hidden_reason,
                          "photos": [photo(ph) for ph in p.photos.all()]}
                         for p in Publication.objects.filter(author_id=user.pk).prefetch_related("photos")],
        "albums": [{"id": a.pk, "title": a.title, "description": a.description, "audience": a.audience,
                    "created": _at(a.created_at), "hidden_reason": a.hidden_reason,
                    "photos": [photo(ph) for ph in a.photos.all()]}
                   for a in Album.objects.filter(owner_id=user.pk).prefetch_related("photos")],
        "messages_sent": [{"conversation": m.conversation_id, "text": m.body, "sent": _at(m.created_at)}
                          for m in Message.objects.filter(sender_id=user.pk).order_by("created_at", "id")],
        "reports": [{"reason": r.reason, "details": r.details, "status": r.status,
                     "target_type": f"{r.content_type.app_label}.{r.content_type.model}",
                     "target_id": r.object_id, "created": _at(r.created_at), "handled": _at(r.handled_at)}
                    for r in AbuseReport.objects.filter(reporter_id=user.pk).select_related("content_type")],
        "bans": [{"reason": b.reason, "from": _at(b.starts_at), "until": _at(b.ends_at), "lifted": _at(b.lifted_at)}
                 for b in Ban.objects.filter(user_id=user.pk)],
    }
