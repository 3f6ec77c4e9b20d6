"""The browsers subscribed in the planner before push became the notifications' are kept: the notifications'
migration copies them, then the planner's drops its table."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from krai.core.notifications.models import PushSubscription
from krai.org.tests.factories import UserFactory

BEFORE = [("notifications", "0001_initial"), ("planner", "0001_initial")]


@pytest.mark.skipif(not apps.is_installed("krai.planner"), reason="no planner: nothing to copy")
@pytest.mark.django_db(transaction=True)
def test_the_planners_subscriptions_move_to_the_notifications() -> None:
    person = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("planner", "PushSubscription")
    kept = old.objects.create(user_id=person.pk, endpoint="https://push.example.net/a", p256dh="k", auth="s",
                              user_agent="Firefox on Android", failures=2)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = PushSubscription.objects.get()
    assert (moved.user_id, moved.endpoint, moved.p256dh, moved.auth, moved.user_agent, moved.failures) == (
        person.pk, "https://push.example.net/a", "k", "s", "Firefox on Android", 2)
    assert moved.created_at == kept.created_at
    assert "planner_pushsubscription" not in connection.introspection.table_names()
