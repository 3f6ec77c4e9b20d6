from krai.core.notifications.tests.push_fixtures import service, vapid  # noqa: F401 — fixtures of the push tests
