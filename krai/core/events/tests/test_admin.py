from django.db import transaction
from django.urls import reverse

from krai.core.events import dispatch
from krai.core.events.models import EventDelivery
from krai.core.events.services import record_event
from krai.org.tests.factories import StaffFactory


def test_operators_see_deliveries_and_retry_failed_ones_from_the_admin(client, db, subscribe):
    subscribe("test.broken", ["test.*"], lambda event: 1 / 0, max_attempts=1)
    with transaction.atomic():
        event = record_event(kind="test.thing")
    dispatch.deliver_pending()
    delivery = EventDelivery.objects.get(event=event)
    assert delivery.status == "failed" and "ZeroDivisionError" in delivery.last_error

    client.force_login(StaffFactory(is_superuser=True))
    assert "test.thing" in client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    listing = client.get(reverse("admin:events_eventdelivery_changelist"), {"status__exact": "failed"})
    assert "test.broken" in listing.content.decode()
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    client.post(reverse("admin:events_eventdelivery_changelist"),
                {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
