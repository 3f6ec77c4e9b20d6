"""Reporting, moderation and routing, answers, rating and reopening, endorsement — through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.core.workcalendar.selectors import previous_working_day
from krai.org.tests.factories import OrganisationFactory, UserFactory
from krai.problems import engine, services
from krai.problems.models import Endorsement, Problem, ProblemUpdate
from krai.problems.tests.factories import RoutingRuleFactory, place


def report(world, **overrides):
    fields = {"actor": world["resident"], "category": world["pothole"], "lat": 45.01, "lon": 38.02,
              "description": "Глубокая яма у дома 12, машины объезжают по встречной"}
    fields.update(overrides)
    return services.problem_report(**fields)


def publish(world, problem, **kw):
    return services.problem_publish(actor=world["moderator"], problem=problem, **kw)


def test_report_is_new_with_history_and_event(world, make_png):
    problem = report(world, photos=[make_png(), make_png(color=(0, 0, 255))])
    assert problem.status == Problem.Status.NEW
    assert problem.municipality == world["municipality"]
    assert problem.organisation is None
    assert list(problem.updates.values_list("kind", flat=True)) == ["reported"]
    assert Event.objects.filter(kind="problems.reported", subject_id=str(problem.pk)).exists()
    assert Attachment.objects.filter(object_id=str(problem.pk), kind="image").count() == 2


def test_personal_data_is_masked_in_the_public_text(world):
    problem = report(world, description="Яма у дома, звоните +7 (918) 123-45-67 или ivan@mail.ru, паспорт 03 12 456789")
    assert "123-45-67" not in problem.public_description
    assert "ivan@mail.ru" not in problem.public_description
    assert "456789" not in problem.public_description
    assert "ivan@mail.ru" in problem.description


@pytest.mark.parametrize("overrides,field", [
    ({"lat": 10.0, "lon": 10.0}, "location"),  # outside every municipality
    ({"lat": "abc"}, "location"),
    ({"lat": 95.0}, "location"),
    ({"description": "яма"}, "description"),
    ({"description": "<b></b>"}, "description"),
    ({"description": "я" * 4001}, "description"),
    ({"category": None}, "category"),
])
def test_bad_report_changes_nothing(world, overrides, field):
    with pytest.raises(ValidationError) as error:
        report(world, **overrides)
    assert field in error.value.message_dict
    assert not Problem.objects.exists() and not Event.objects.filter(kind__startswith="problems.").exists()


def test_a_parent_theme_is_not_a_choice(world):
    with pytest.raises(ValidationError):
        report(world, category=world["roads"])


def test_a_file_that_is_not_an_image_changes_nothing(world, make_png):
    text = SimpleUploadedFile("x.png", b"just some text, not a picture", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        report(world, photos=[make_png(), text])
    assert "photos" in error.value.message_dict
    assert not Problem.objects.exists() and not Attachment.objects.exists()


def test_a_40_mb_upload_changes_nothing(world):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (40 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError):
        report(world, photos=[big])
    assert not Problem.objects.exists() and not Attachment.objects.exists()


def test_too_many_photos(world, make_png, settings):
    settings.KRAI_PROBLEMS_MAX_PHOTOS = 2
    with pytest.raises(ValidationError):
        report(world, photos=[make_png(), make_png(), make_png()])
    assert not Problem.objects.exists()


def test_unconfirmed_or_anonymous_cannot_report(world):
    from django.contrib.auth.models import AnonymousUser

    for actor in (UserFactory(email_confirmed=False), AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            report(world, actor=actor)
    assert not Problem.objects.exists()


def test_reports_are_rate_limited(world, settings):
    settings.KRAI_PROBLEMS_PER_HOUR = 2
    report(world)
    report(world)
    with pytest.raises(ValidationError) as error:
        report(world)
    assert error.value.code == "rate_limited"
    assert Problem.objects.count() == 2


def test_routing_falls_back_to_the_administration(world):
    problem = publish(world, report(world))
    assert problem.status == Problem.Status.ROUTED
    assert problem.organisation == world["administration"]
    assert problem.due_date > timezone.localdate()


def test_routing_prefers_the_most_specific_rule(world):
    region_wide = RoutingRuleFactory(category=world["roads"]).organisation
    assert publish(world, report(world)).organisation == region_wide
    parent_here = RoutingRuleFactory(category=world["roads"], municipality=world["municipality"]).organisation
    assert publish(world, report(world)).organisation == parent_here
    leaf_everywhere = RoutingRuleFactory(category=world["pothole"]).organisation
    assert publish(world, report(world)).organisation == parent_here  # the place beats the theme's depth
    leaf_here = RoutingRuleFactory(category=world["pothole"], municipality=world["municipality"]).organisation
    assert publish(world, report(world)).organisation == leaf_here
    assert leaf_everywhere != leaf_here


def test_unroutable_stays_in_the_moderation_queue(world):
    _municipality, _none = place(40.0, 46.0, admin=False)
    problem = report(world, lat=46.0, lon=40.0)
    with pytest.raises(ValidationError) as error:
        publish(world, problem)
    assert "organisation" in error.value.message_dict
    problem.refresh_from_db()
    assert problem.status == Problem.Status.NEW
    body = OrganisationFactory()
    assert publish(world, problem, organisation=body).organisation == body


def test_calendar_day_deadline(world):
    world["pothole"].day_kind = "calendar"
    world["pothole"].reaction_days = 3
    world["pothole"].save()
    problem = publish(world, report(world))
    expected = timezone.localdate() + dt.timedelta(days=3)
    if engine.available():  # the control engine moves a day off back to the working day before it
        expected = previous_working_day(expected)
    assert problem.due_date == expected


def test_only_moderators_publish_and_reject(world):
    problem = report(world)
    for actor in (world["resident"], world["executor"], world["neighbour"]):
        with pytest.raises(PermissionDenied):
            services.problem_publish(actor=actor, problem=problem)
        with pytest.raises(PermissionDenied):
            services.problem_reject(actor=actor, problem=problem, reason="спам")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.NEW


def test_reject_needs_a_reason(world):
    problem = report(world)
    with pytest.raises(ValidationError):
        services.problem_reject(actor=world["moderator"], problem=problem, reason="  ")
    problem = services.problem_reject(actor=world["moderator"], problem=problem, reason="Реклама, не проблема")
    assert problem.status == Problem.Status.REJECTED
    with pytest.raises(ValidationError):
        publish(world, problem)


def test_endorse_once(world):
    problem = publish(world, report(world))
    services.problem_endorse(actor=world["neighbour"], problem=problem)
    with pytest.raises(ValidationError) as error:
        services.problem_endorse(actor=world["neighbour"], problem=problem)
    assert error.value.code == "already_endorsed"
    with pytest.raises(ValidationError):
        services.problem_endorse(actor=world["resident"], problem=problem)  # his own
    problem.refresh_from_db()
    assert problem.endorsements_count == 1 == Endorsement.objects.count()


def test_the_database_refuses_a_second_endorsement(world):
    from django.db import IntegrityError, transaction

    problem = publish(world, report(world))
    Endorsement.objects.create(problem=problem, user=world["neighbour"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(problem=problem, user=world["neighbour"])


def test_unpublished_cannot_be_endorsed(world):
    problem = report(world)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.problem_endorse(actor=world["neighbour"], problem=problem)
    assert not Endorsement.objects.exists()


def test_answer_fixed_then_rate_well(world, make_png):
    problem = publish(world, report(world))
    services.problem_take(actor=world["executor"], problem=problem)
    problem = services.problem_answer(actor=world["executor"], problem=problem, answer="fixed",
                                      text="Яма заделана 3 июня", photos=[make_png()])
    assert problem.status == Problem.Status.FIXED and problem.closed_at
    problem = services.problem_rate(actor=world["resident"], problem=problem, rating=5)
    assert problem.rating == 5 and problem.status == Problem.Status.FIXED
    with pytest.raises(ValidationError):
        services.problem_rate(actor=world["resident"], problem=problem, rating=4)
    kinds = list(problem.updates.values_list("kind", flat=True))
    assert kinds == ["reported", "published", "in_work", "answered", "rated"]


def test_poor_rating_reopens(world):
    problem = publish(world, report(world))
    services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Сделано")
    with pytest.raises(ValidationError):
        services.problem_rate(actor=world["resident"], problem=problem, rating=1)  # a reason is needed
    problem = services.problem_rate(actor=world["resident"], problem=problem, rating=1, comment="Яма на месте")
    assert problem.status == Problem.Status.REOPENED and problem.closed_at is None
    assert services.problem_answer(actor=world["executor"], problem=problem, answer="fixed",
                                   text="Теперь заделана").status == Problem.Status.FIXED


def test_planned_needs_a_future_date_and_is_answered_again(world):
    problem = publish(world, report(world))
    for date in (None, timezone.localdate()):
        with pytest.raises(ValidationError):
            services.problem_answer(actor=world["executor"], problem=problem, answer="planned", text="Летом",
                                    planned_date=date)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ROUTED
    later = timezone.localdate() + dt.timedelta(days=60)
    problem = services.problem_answer(actor=world["executor"], problem=problem, answer="planned",
                                      text="Ремонт по программе дорог", planned_date=later, programme="Дороги Кубани")
    assert problem.status == Problem.Status.PLANNED and problem.planned_date == later
    with pytest.raises(ValidationError):
        services.problem_rate(actor=world["resident"], problem=problem, rating=5)
    problem = services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Отремонтировано")
    assert problem.status == Problem.Status.FIXED


def test_declined_is_closed_not_fixed(world):
    problem = publish(world, report(world))
    problem = services.problem_answer(actor=world["executor"], problem=problem, answer="declined",
                                      text="Частная территория (ст. 209 ГК РФ)")
    assert problem.status == Problem.Status.CLOSED
    problem = services.problem_reopen(actor=world["resident"], problem=problem, reason="Это улица, не частная")
    assert problem.status == Problem.Status.REOPENED


def test_only_the_responsible_body_answers(world):
    problem = publish(world, report(world))
    stranger = UserFactory(is_staff=True)
    for actor in (world["resident"], world["neighbour"], stranger):
        with pytest.raises(PermissionDenied):
            services.problem_answer(actor=actor, problem=problem, answer="fixed", text="Готово")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ROUTED and not problem.answer


def test_reassign(world):
    problem = publish(world, report(world))
    other = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.problem_reassign(actor=world["executor"], problem=problem, organisation=other, reason="")
    problem = services.problem_reassign(actor=world["executor"], problem=problem, organisation=other,
                                        reason="Дорога региональная")
    assert problem.organisation == other and problem.status == Problem.Status.ROUTED
    with pytest.raises(PermissionDenied):  # no longer his body's
        services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Готово")


def test_merge_moves_endorsements(world):
    original = publish(world, report(world))
    duplicate = report(world, actor=world["neighbour"])
    third = UserFactory()
    services.problem_endorse(actor=third, problem=original)
    services.problem_merge(actor=world["moderator"], problem=duplicate, into=original)
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.status == Problem.Status.CLOSED
    assert original.endorsements_count == 2
    assert set(Endorsement.objects.filter(problem=original).values_list("user_id", flat=True)) == {
        third.pk, world["neighbour"].pk}


def test_history_rows_follow_each_change(world):
    problem = publish(world, report(world))
    assert ProblemUpdate.objects.filter(problem=problem).count() == 2
