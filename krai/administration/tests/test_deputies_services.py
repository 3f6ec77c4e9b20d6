"""Temporary deputies' services: appointing (every refusal, by its field, nothing changed), changing the end, ending
early, the events and the notifications (in the recipient's language: Russian by default), the selectors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.org import deputies as selectors
from krai.org.models import Deputyship, Role
from krai.org.services import deputies as services
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def administrator(**fields):
    user = StaffFactory(**fields)
    assign(user, Role.ADMINISTRATOR)
    return user


def head(surname: str = "Иванов"):
    user = StaffFactory(surname=surname, given_name="Иван", patronymic="Петрович")
    assign(user, Role.HEAD, organisation=OrganisationFactory())
    return user


@pytest.fixture
def people():
    return {"admin": administrator(), "principal": head("Иванов"), "deputy": head("Петров"), "other": head("Сидоров")}


def appoint(people, *, start=0, end=9, **kw):
    values = {"actor": people["admin"], "principal": people["principal"], "deputy": people["deputy"],
              "starts_on": TODAY + timedelta(days=start), "ends_on": TODAY + timedelta(days=end),
              "reason": "Отпуск", **kw}
    return services.deputyship_appoint(**values)


def refused(people, field, **kw):
    before = (Deputyship.objects.count(), Event.objects.count(), Notification.objects.count())
    with pytest.raises(ValidationError) as caught:
        appoint(people, **kw)
    assert (Deputyship.objects.count(), Event.objects.count(), Notification.objects.count()) == before
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


# --- appointing ------------------------------------------------------------------------------------------

def test_an_administrator_appoints_and_both_are_told_in_russian(people):
    item = appoint(people)
    assert (item.principal, item.deputy, item.starts_on, item.ends_on, item.reason, item.created_by) == (
        people["principal"], people["deputy"], TODAY, TODAY + timedelta(days=9), "Отпуск", people["admin"])
    event = Event.objects.get(kind="org.deputy_appointed")
    assert event.actor == people["admin"] and event.subject_id == str(item.pk) and event.deputy_id is None
    assert event.payload["principal"] == people["principal"].pk and event.payload["deputy"] == people["deputy"].pk
    to_deputy = Notification.objects.get(user=people["deputy"])
    to_principal = Notification.objects.get(user=people["principal"])
    params = {"principal": people["principal"].short_name, "deputy": people["deputy"].short_name,
              "start": f"{TODAY:%d.%m.%Y}", "end": f"{TODAY + timedelta(days=9):%d.%m.%Y}"}
    with translation.override("ru"):  # the default language, whatever the test's own
        assert to_deputy.title == _("You will act for %(principal)s from %(start)s to %(end)s") % params
        assert to_principal.title == _("%(deputy)s will act for you from %(start)s to %(end)s") % params
        assert to_deputy.body == _("Reason: %(reason)s") % {"reason": "Отпуск"}
    assert to_deputy.url == "/accounts/acting/" and to_principal.url == ""


def test_a_notification_follows_the_recipients_language(people):
    people["deputy"].preferred_language = "en"
    people["deputy"].save()
    appoint(people)
    assert Notification.objects.get(user=people["deputy"]).title.startswith("You will act for ")


def test_only_an_administrator_appoints(people):
    for actor in (people["other"], UserFactory(), None):
        with pytest.raises(PermissionDenied):
            appoint(people, actor=actor)
    assert not Deputyship.objects.exists() and not Event.objects.exists()


def test_every_refusal_names_its_field(people, settings):
    settings.KRAI_DEPUTYSHIP_MAX_DAYS = 30
    assert "own deputy" in refused(people, "deputy", deputy=people["principal"])
    assert "yourself" in refused(people, "deputy", deputy=people["admin"])
    assert "active member of staff" in refused(people, "deputy", deputy=UserFactory())
    assert "active member of staff" in refused(people, "deputy", deputy=StaffFactory(is_active=False))
    assert "active member of staff" in refused(people, "principal", principal=UserFactory())
    assert "Choose the deputy" in refused(people, "deputy", deputy=None)
    assert "Choose whom" in refused(people, "principal", principal=None)
    assert "before the start" in refused(people, "ends_on", start=5, end=4)
    assert "in the past" in refused(people, "starts_on", start=-1, end=3)
    assert "at most 30 days" in refused(people, "ends_on", start=0, end=30)
    assert "Give the first day" in refused(people, "starts_on", starts_on=None)
    assert "Give the last day" in refused(people, "ends_on", ends_on=None)
    assert "At most 300" in refused(people, "reason", reason="x" * 301)
    assert appoint(people, start=0, end=29).pk  # exactly the longest period is fine


def test_the_same_pair_cannot_overlap_and_no_one_acts_for_each_other(people):
    appoint(people, start=2, end=9)
    assert "already acts for" in refused(people, "starts_on", start=9, end=12)
    assert "already acts for" in refused(people, "starts_on", start=0, end=2)
    # the other way round in the same period is a cycle
    message = refused(people, "deputy", principal=people["deputy"], deputy=people["principal"], start=5, end=6)
    assert "cannot act for each other" in message
    # after it, or for someone else, is fine
    assert appoint(people, start=10, end=12).pk
    assert appoint(people, principal=people["deputy"], deputy=people["principal"], start=13, end=14).pk
    assert appoint(people, deputy=people["other"], start=2, end=9).pk


def test_a_deputyship_ended_early_no_longer_blocks_a_new_one(people):
    item = appoint(people)
    services.deputyship_end(actor=people["admin"], deputyship=item)
    assert appoint(people, start=0, end=3).pk


# --- changing and ending ---------------------------------------------------------------------------------------

def test_changing_the_end(people):
    item = appoint(people, start=0, end=5)
    services.deputyship_change_end(actor=people["admin"], deputyship=item, ends_on=TODAY + timedelta(days=8))
    item.refresh_from_db()
    assert item.ends_on == TODAY + timedelta(days=8)
    event = Event.objects.get(kind="org.deputyship_changed")
    assert event.payload["ends_on"] == [str(TODAY + timedelta(days=5)), str(TODAY + timedelta(days=8))]
    assert Notification.objects.filter(kind="org.deputyship_changed").count() == 2
    # the same day again changes nothing and records nothing
    services.deputyship_change_end(actor=people["admin"], deputyship=item, ends_on=TODAY + timedelta(days=8))
    assert Event.objects.filter(kind="org.deputyship_changed").count() == 1


def test_changing_the_end_refused(people, settings):
    settings.KRAI_DEPUTYSHIP_MAX_DAYS = 20
    item = appoint(people, start=0, end=5)
    appoint(people, start=10, end=12)
    before = Event.objects.count()
    for ends_on, words in ((TODAY - timedelta(days=1), "in the past"), (TODAY + timedelta(days=25), "at most 20"),
                           (TODAY + timedelta(days=10), "already acts for"), (None, "Give the last day")):
        with pytest.raises(ValidationError) as caught:
            services.deputyship_change_end(actor=people["admin"], deputyship=item, ends_on=ends_on)
        assert words in " ".join(caught.value.message_dict["ends_on"])
    with pytest.raises(PermissionDenied):
        services.deputyship_change_end(actor=people["deputy"], deputyship=item, ends_on=TODAY + timedelta(days=7))
    item.refresh_from_db()
    assert item.ends_on == TODAY + timedelta(days=5) and Event.objects.count() == before


def test_ending_early_and_not_twice(people):
    item = appoint(people)
    with pytest.raises(PermissionDenied):
        services.deputyship_end(actor=people["deputy"], deputyship=item)
    services.deputyship_end(actor=people["admin"], deputyship=item)
    item.refresh_from_db()
    assert item.ended_at is not None and item.ended_by == people["admin"] and item.state_on(TODAY) == "ended"
    assert Event.objects.filter(kind="org.deputyship_ended", subject_id=str(item.pk)).count() == 1
    assert Notification.objects.filter(kind="org.deputyship_ended").count() == 2
    for call in (lambda: services.deputyship_end(actor=people["admin"], deputyship=item),
                 lambda: services.deputyship_change_end(actor=people["admin"], deputyship=item,
                                                        ends_on=TODAY + timedelta(days=20))):
        with pytest.raises(ValidationError, match="already been ended"):
            call()
    assert Event.objects.filter(kind__startswith="org.deputyship").count() == 1


def test_a_past_deputyship_cannot_be_changed(people):
    item = appoint(people)
    Deputyship.objects.filter(pk=item.pk).update(starts_on=TODAY - timedelta(days=9), ends_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="is over"):
        services.deputyship_end(actor=people["admin"], deputyship=item)


# --- the switch's events and the selectors ----------------------------------------------------------------------

def test_acting_start_and_stop_are_recorded_for_the_deputy_only(people):
    item = appoint(people)
    with pytest.raises(PermissionDenied):
        services.acting_start(actor=people["other"], deputyship=item)
    services.acting_start(actor=people["deputy"], deputyship=item)
    services.acting_stop(actor=people["deputy"], deputyship=item)
    assert list(Event.objects.filter(kind__startswith="org.acting").values_list("kind", "actor_id")) == [
        ("org.acting_started", people["deputy"].pk), ("org.acting_stopped", people["deputy"].pk)]
    coming = appoint(people, start=20, end=22)
    with pytest.raises(ValidationError, match="not in force"):
        services.acting_start(actor=people["deputy"], deputyship=coming)


def test_the_selectors_sort_in_force_coming_and_past(people):
    now = appoint(people, start=0, end=3)
    later = appoint(people, start=5, end=6)
    ended = appoint(people, deputy=people["other"], start=0, end=2)
    services.deputyship_end(actor=people["admin"], deputyship=ended)
    over = appoint(people, deputy=administrator(), start=0, end=1)
    Deputyship.objects.filter(pk=over.pk).update(starts_on=TODAY - timedelta(days=5), ends_on=TODAY - timedelta(days=2))
    assert list(selectors.in_force()) == [now]
    assert list(selectors.coming()) == [later]
    assert set(selectors.past()) == {ended, over}
    assert selectors.may_act_for(people["deputy"], people["principal"]) == now
    assert selectors.may_act_for(people["other"], people["principal"]) is None
    assert selectors.acting_options(people["principal"]) == []
    assert list(selectors.for_person(people["principal"])) == [now, later]
    # a principal no longer on the staff cannot be acted for
    people["principal"].is_active = False
    people["principal"].save()
    assert selectors.acting_options(people["deputy"]) == []
