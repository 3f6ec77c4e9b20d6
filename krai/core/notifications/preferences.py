"""Which channels a notification goes to, from each person's preferences; and the categories people choose among."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from krai.core.notifications.models import NotificationPreference as Pref

_categories: dict[str, str | Promise] = {}
_own_push: set[str] = set()


def register_category(key: str, label: str | Promise) -> None:
    """Offer a category (``orders``: every kind ``orders.*``) on the preferences page; areas call it at import."""
    _categories[key] = label


def register_own_push(kind: str) -> None:
    """A kind whose area pushes it itself, by a choice of its own (the planner's reminders: each reminder says
    whether it comes by push): ``notify`` never queues its push, so it is not pushed twice."""
    _own_push.add(kind)


def pushes_itself(kind: str) -> bool:
    return kind in _own_push


def categories() -> list[tuple[str, str | Promise]]:
    """``("*", "All notifications")`` first, then the registered categories by key."""
    return [(Pref.ALL, _("All notifications")), *sorted(_categories.items())]


def category_of(kind: str) -> str:
    return kind.split(".", 1)[0]


def candidates(kind: str) -> list[str]:
    """Preference keys that apply to ``kind``, most specific first."""
    keys = [kind, category_of(kind), Pref.ALL]
    return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class Choice:
    """What one person gets for one kind."""

    in_app: bool = True
    email: bool = True
    daily: bool = False
    push: bool = True


def choices_for(user_ids: Iterable[int], kind: str) -> dict[int, Choice]:
    """Resolve every user's preferences for ``kind`` with one query."""
    user_ids = list(user_ids)
    order = candidates(kind)
    rows = Pref.objects.filter(user_id__in=user_ids, kind__in=order)
    best: dict[tuple[int, str], Pref] = {}
    for row in rows:
        key = (row.user_id, row.channel)
        if key not in best or order.index(row.kind) < order.index(best[key].kind):
            best[key] = row
    result = {}
    for user_id in user_ids:
        in_app, email = best.get((user_id, Pref.Channel.IN_APP)), best.get((user_id, Pref.Channel.EMAIL))
        push = best.get((user_id, Pref.Channel.PUSH))
        result[user_id] = Choice(in_app=in_app.enabled if in_app else True,
                                 email=email.enabled if email else True,
                                 daily=bool(email and email.digest == Pref.Digest.DAILY),
                                 push=push.enabled if push else True)
    return result
