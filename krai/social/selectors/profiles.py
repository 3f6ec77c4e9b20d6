"""Reads of the community's profiles, scoped to the reader: one profile as a reader may see it (the page and
the API show exactly this), the people directory, the expert registry, topics and follows, the verifiers' queue.

A field the owner hides from a reader is absent for him everywhere, searches included: the directory filters
by municipality only among profiles whose municipality this reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from krai.core.privacy import mask_personal
from krai.social import policy
from krai.social.models import Credential, ExpertiseField, Follow, Profile, Topic, Visibility
from krai.social.models.profiles import PRIVATE_FIELDS

#: the private fields that are values (``follows``/``followers`` are lists, shown apart)
VALUE_FIELDS = ("about", "position", "municipality", "website", "contact_email", "contact_phone")
LIST_LIMIT = 100


def _web_address(value: Any) -> bool:
    return str(value or "").strip().lower().startswith(("http://", "https://"))


def avatar_url(profile: Profile, size: str = "full") -> str:
    """The avatar's address; a new upload changes it (``?v=``), so browsers may keep an avatar long."""
    url = reverse("social:avatar", args=[profile.user_id, size])
    if profile.avatar and profile.updated_at:
        url += f"?v={int(profile.updated_at.timestamp())}"
    return url


@dataclass
class ProfileView:
    """One profile as one reader may see it; ``fields`` holds only the private fields he may see."""

    profile: Profile
    blocked: bool
    is_owner: bool
    fields: dict[str, Any] = field(default_factory=dict)
    expertise: list[ExpertiseField] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    follows: list[dict[str, Any]] | None = None  # people and topics; None: hidden from this reader
    followers: list[dict[str, Any]] | None = None

    @property
    def user_id(self) -> int:
        return self.profile.user_id


def user_or_404(user_id: Any):
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        pk = 0
    user = get_user_model().objects.filter(pk=pk, is_active=True).first() if 0 < pk < 2**31 else None
    if user is None:
        raise Http404
    return user


def profile_view(viewer: Any, user_id: Any) -> ProfileView:
    """The profile of an active account as ``viewer`` may see it; 404 for a missing or inactive account.

    Where either blocked the other, the reader gets the name and avatar only (``blocked``), so the one who
    blocked can still find the person to unblock him.
    """
    owner = user_or_404(user_id)
    profile = policy.profile_of(owner)
    viewer_id = viewer.pk if policy.is_active_user(viewer) else None
    is_owner = viewer_id == owner.pk
    blocked = bool(viewer_id and not is_owner and policy.is_blocked(viewer_id, owner.pk))
    view = ProfileView(profile=profile, blocked=blocked, is_owner=is_owner)
    if blocked:
        return view
    for name in VALUE_FIELDS:
        if not policy.may_see(viewer, owner.pk, profile.level(name)):
            continue
        value = getattr(profile, name)
        if name in ("about", "position") and not is_owner:
            value = mask_personal(value)
        if name == "website" and not _web_address(value):
            continue  # only http(s) ever becomes a link (a javascript: one is never shown, however it got in)
        if value:
            view.fields[name] = value
    if profile.pk is not None:
        view.expertise = list(profile.expertise.filter(is_active=True))
        if profile.is_expert:
            view.credentials = list(profile.credentials.filter(status=Credential.Status.VERIFIED))
    hidden = policy.blocked_ids(viewer)
    if policy.may_see(viewer, owner.pk, profile.level("follows")):
        topic_rows = Follow.objects.filter(follower=owner, topic__is_active=True).select_related("topic")
        people_rows = (Follow.objects.filter(follower=owner, followee__is_active=True)
                       .exclude(followee_id__in=hidden).select_related("followee__social_profile"))
        view.follows = [person_entry(f.followee) for f in people_rows[:LIST_LIMIT]]
        view.follows += [topic_entry(f.topic) for f in topic_rows[:LIST_LIMIT]]
    if policy.may_see(viewer, owner.pk, profile.level("followers")):
        rows = (Follow.objects.filter(followee=owner, follower__is_active=True)
                .exclude(follower_id__in=hidden).select_related("follower__social_profile"))
        view.followers = [person_entry(f.follower) for f in rows[:LIST_LIMIT]]
    return view


def display_name(user: Any) -> str:
    """How ``user`` is named in the community (his profile's name, or the default one)."""
    try:
        return user.social_profile.display_name
    except Profile.DoesNotExist:
        return policy.default_name(user)


def topic_url(topic: Topic) -> str:
    """The topic's page (the content part's), or the topics list while that page is not there."""
    try:
        return topic.get_absolute_url()
    except NoReverseMatch:
        return reverse("social:topics") + f"#topic-{topic.code}"


def person_entry(user: Any) -> dict[str, Any]:
    return {"kind": "person", "id": user.pk, "name": display_name(user),
            "url": reverse("social:profile", args=[user.pk])}


def topic_entry(topic: Topic) -> dict[str, Any]:
    return {"kind": "topic", "id": topic.pk, "code": topic.code, "name": topic.name, "url": topic_url(topic)}


# --- the directory and the registry ----------------------------------------------------------------

def _levels_for(viewer: Any) -> list[str]:
    return [Visibility.PUBLIC, Visibility.REGISTERED] if policy.is_active_user(viewer) else [Visibility.PUBLIC]


def visible_field_q(viewer: Any, name: str) -> Q:
    """Profiles whose field ``name`` ``viewer`` may see, as a filter on ``Profile`` (blocks apart)."""
    levels = _levels_for(viewer)
    allowed = Q(**{f"privacy__{name}__in": levels})
    if PRIVATE_FIELDS[name] in levels:
        allowed |= ~Q(privacy__has_key=name)
    if policy.is_active_user(viewer):
        followed = Follow.objects.filter(follower_id=viewer.pk, followee__isnull=False).values("followee_id")
        followers_level = Q(**{f"privacy__{name}": Visibility.FOLLOWERS}, user_id__in=followed)
        if PRIVATE_FIELDS[name] == Visibility.FOLLOWERS:
            followers_level |= Q(~Q(privacy__has_key=name), user_id__in=followed)
        allowed |= followers_level | Q(user_id=viewer.pk)
    return allowed


def _listed(viewer: Any) -> QuerySet[Profile]:
    profiles = Profile.objects.filter(user__is_active=True, is_discoverable=True)
    hidden = policy.blocked_ids(viewer)
    if hidden:
        profiles = profiles.exclude(user_id__in=hidden)
    return profiles


def _by_municipality(profiles: QuerySet[Profile], viewer: Any, municipality: Any) -> QuerySet[Profile]:
    if not municipality:
        return profiles
    municipality_id = getattr(municipality, "pk", municipality)
    return profiles.filter(visible_field_q(viewer, "municipality"), municipality_id=municipality_id)


def people(viewer: Any, *, q: str = "", kind: str = "", municipality: Any = None) -> QuerySet[Profile]:
    """The people directory: discoverable profiles of active accounts, none blocked either way, by name."""
    profiles = _listed(viewer)
    q = (q or "").strip()[:100]
    if q:
        profiles = profiles.filter(display_name__icontains=q)
    if kind in Profile.Kind.values:
        profiles = profiles.filter(kind=kind)
    profiles = _by_municipality(profiles, viewer, municipality)
    return profiles.order_by("display_name", "user_id")


def experts(field: Any = None, municipality: Any = None, q: str = "", *, viewer: Any = None) -> QuerySet[Profile]:
    """Verified experts, by field of expertise (an ``ExpertiseField``, its id or code), municipality and name.

    Without ``viewer`` the search is an anonymous reader's: a municipality the expert shows to registered
    users only does not find him. Experts who left the people search are not listed here either.
    """
    profiles = _listed(viewer).filter(expert_status=Profile.ExpertStatus.VERIFIED)
    if field:
        if isinstance(field, ExpertiseField):
            profiles = profiles.filter(expertise=field)
        elif str(field).isdigit():
            profiles = profiles.filter(expertise__pk=int(field))
        else:
            profiles = profiles.filter(expertise__code=str(field))
    q = (q or "").strip()[:100]
    if q:
        profiles = profiles.filter(display_name__icontains=q)
    profiles = _by_municipality(profiles, viewer, municipality)
    return profiles.distinct().order_by("display_name", "user_id").prefetch_related("expertise")


def verified_credentials(profiles: list[Profile]) -> dict[int, list[Credential]]:
    """Each listed expert's verified credentials (title, issuer, year are public)."""
    out: dict[int, list[Credential]] = {}
    for credential in Credential.objects.filter(profile__in=profiles, status=Credential.Status.VERIFIED):
        out.setdefault(credential.profile_id, []).append(credential)
    return out


def is_verified_expert(user: Any) -> bool:
    """Whether ``user`` is a verified expert of the registry now (an active account)."""
    if user is None or not getattr(user, "pk", None) or not getattr(user, "is_active", True):
        return False
    return Profile.objects.filter(user_id=user.pk, expert_status=Profile.ExpertStatus.VERIFIED).exists()


def expertise_fields() -> QuerySet[ExpertiseField]:
    return ExpertiseField.objects.filter(is_active=True)


# --- topics and follows ----------------------------------------------------------------------------

def topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def topic_get(code: str) -> Topic:
    topic = topics().filter(code=str(code)).first()
    if topic is None:
        raise Http404
    return topic


def followed_topic_ids(viewer: Any) -> set[int]:
    if not policy.is_active_user(viewer):
        return set()
    return set(Follow.objects.filter(follower_id=viewer.pk, topic__isnull=False).values_list("topic_id", flat=True))


def followed_user_ids(viewer: Any) -> set[int]:
    if not policy.is_active_user(viewer):
        return set()
    return set(Follow.objects.filter(follower_id=viewer.pk, followee__isnull=False)
               .values_list("followee_id", flat=True))


def my_follows(user: Any) -> tuple[list[Follow], list[Follow]]:
    """The people and the topics ``user`` follows (the people of inactive accounts left out)."""
    mine = Follow.objects.filter(follower_id=user.pk)
    people_rows = list(mine.filter(followee__is_active=True).select_related("followee__social_profile",
                                                                          "followee"))
    topic_rows = list(mine.filter(topic__isnull=False).select_related("topic"))
    return people_rows, topic_rows


# --- the verifiers' queue --------------------------------------------------------------------------

def credentials_pending(viewer: Any) -> QuerySet[Credential]:
    """Credentials awaiting verification, oldest first; none unless ``viewer`` verifies experts."""
    if not policy.is_expert_verifier(viewer):
        return Credential.objects.none()
    return (Credential.objects.filter(status=Credential.Status.PENDING, profile__user__is_active=True)
            .select_related("profile", "profile__user", "profile__municipality")
            .prefetch_related("profile__expertise").order_by("created_at", "id"))


def credentials_of(user: Any) -> QuerySet[Credential]:
    """The person's own credentials, all states (his page of the registry)."""
    return Credential.objects.filter(profile_id=user.pk).order_by("-created_at", "-id")
