"""What the push tests share: VAPID keys for the installation, a push service on 127.0.0.1, a browser subscribed
to it (``push_receiver``), and running the notifications' push job as a worker would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from krai.core.notifications import tasks
from krai.core.notifications.models import Notification
from krai.core.notifications.push import generate_vapid_keys
from krai.core.notifications.tests.push_receiver import PushService

SUBJECT = "mailto:push@krai.example"


def use_vapid(settings: Any) -> str:
    """Give the installation a VAPID key pair and let it push to a plain-HTTP push service; the public key."""
    public, private = generate_vapid_keys()
    settings.KRAI_VAPID_PUBLIC_KEY, settings.KRAI_VAPID_PRIVATE_KEY = public, private
    settings.KRAI_VAPID_SUBJECT = SUBJECT
    settings.KRAI_PUSH_ALLOW_HTTP = True  # the test push service speaks plain HTTP on 127.0.0.1
    return public


@pytest.fixture
def vapid(settings: Any) -> str:
    return use_vapid(settings)


@pytest.fixture
def service() -> Iterator[PushService]:
    with PushService() as running:
        yield running


def run_push_job() -> None:
    """The job ``notify`` queues after its commit, for the notifications still queued (Huey runs it at once in
    tests)."""
    queued = list(Notification.objects.filter(push_state=Notification.Push.QUEUED).values_list("pk", flat=True))
    tasks.send_pushes(queued)
