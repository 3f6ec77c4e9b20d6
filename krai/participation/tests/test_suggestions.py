"""Suggestions outside campaigns, comments on ideas, and "my activity"."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from krai.core.comments.models import Comment
from krai.core.notifications.models import Notification
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign
from krai.participation import services
from krai.participation.models import Idea, Suggestion
from krai.participation.tests.factories import IdeaFactory, ResidentFactory, poll_with
from krai.problems.models import Problem
from krai.problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def test_a_resident_suggests_a_solution_to_a_problem_and_staff_answer(client, resident, controller):
    problem = ProblemFactory()
    client.force_login(resident)
    form = client.get(reverse("participation:suggest"), {"kind": "solution", "problem": problem.pk})
    assert form.context["problem"] == problem
    sent = client.post(reverse("participation:suggest"), {
        "kind": "solution", "problem": problem.pk, "title": "Засыпать щебнем", "body": "И укатать катком."})
    suggestion = Suggestion.objects.get()
    assert sent.status_code == 302 and suggestion.problem_id == problem.pk and suggestion.author == resident
    client.force_login(controller)
    queue = client.get(reverse("participation:ws_suggestions"))
    assert list(queue.context["page"].object_list) == [suggestion]
    empty = client.post(reverse("participation:ws_suggestion", args=[suggestion.pk]), {"status": "accepted"})
    assert empty.status_code == 400
    client.post(reverse("participation:ws_suggestion", args=[suggestion.pk]),
                {"status": "accepted", "answer": "Сделаем в мае."})
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.answered_by == controller
    assert Notification.objects.filter(user=resident, kind="participation.suggestion").exists()


def test_a_solution_needs_a_problem_the_resident_may_see(resident):
    hidden = ProblemFactory(status=Problem.Status.NEW)
    for problem in (None, hidden):
        with pytest.raises(ValidationError) as refused:
            services.suggestion_create(actor=resident, kind="solution", title="Т", body="Б", problem=problem)
        assert "problem" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.suggestion_create(actor=resident, kind="category", title="Т", body="Б", problem=ProblemFactory())
    services.suggestion_create(actor=resident, kind="topic", title="Новая тема", body="Парковки у школ")
    assert Suggestion.objects.count() == 1


def test_a_refused_suggestion_form_keeps_what_was_entered(client, resident):
    client.force_login(resident)
    response = client.post(reverse("participation:suggest"),
                           {"kind": "solution", "title": "Засыпать", "body": "Щебнем"})
    assert response.status_code == 400 and "problem" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Засыпать"
    assert not Suggestion.objects.exists()


def test_only_the_control_and_administrators_answer_suggestions(client, resident, organiser):
    suggestion = services.suggestion_create(actor=resident, kind="category", title="Т", body="Б")
    for outsider in (resident, organiser):
        with pytest.raises(PermissionDenied):
            services.suggestion_answer(actor=outsider, suggestion=suggestion, status="accepted", answer="Да")
    client.force_login(organiser)
    assert client.get(reverse("participation:ws_suggestion", args=[suggestion.pk])).status_code == 404
    other = ResidentFactory()
    client.force_login(other)
    assert client.get(reverse("participation:suggestion", args=[suggestion.pk])).status_code == 404


def test_published_ideas_take_comments_pending_ones_do_not(client, resident):
    published = IdeaFactory(moderation=Idea.Moderation.PUBLISHED)
    pending = IdeaFactory(moderation=Idea.Moderation.PENDING)
    client.force_login(resident)
    page = client.get(reverse("participation:idea", args=[published.pk]))
    assert 'id="idea-comments"' in page.content.decode()
    assert resident.has_perm("comments.add_comment", published)
    assert not resident.has_perm("comments.add_comment", pending)
    assert not ResidentFactory().has_perm("comments.view_comments", pending)
    assert not Comment.objects.exists()


def test_my_activity_shows_reports_votes_ideas_suggestions_and_follows(client, resident):
    problem = ProblemFactory(author=resident)
    poll, question, options = poll_with(title="Опрос о парках")
    services.poll_vote(actor=resident, poll=poll, answers={question.pk: options[0].pk})
    suggestion = services.suggestion_create(actor=resident, kind="solution", title="Засыпать щебнем", body="Б",
                                            problem=problem)
    idea = IdeaFactory(author=resident, title="Велодорожки")
    staff = StaffFactory()
    assign(staff, Role.ADMINISTRATOR)
    client.force_login(resident)
    page = client.get(reverse("portal:my-activity"))
    assert page.status_code == 200
    assert [p.pk for p in page.context["reports"]] == [problem.pk]
    assert [v.poll_id for v in page.context["votes"]] == [poll.pk]
    assert page.context["suggestions"] == [suggestion] and page.context["ideas"] == [idea]
    html = page.content.decode()
    assert "Опрос о парках" in html and "Засыпать щебнем" in html and "Велодорожки" in html
    assert client.get(reverse("portal:my-activity")).context["counts"]["votes"] == 1
    client.logout()
    assert client.get(reverse("portal:my-activity")).status_code == 302


def test_deleting_the_account_scrubs_his_suggestions(resident):
    from krai.accounts.services import account_anonymise
    from krai.org.tests.factories import PASSWORD

    suggestion = services.suggestion_create(actor=resident, kind="topic", title="Освещение",
                                            body=f"Звоните мне: +7 918 123-45-67, {resident.surname}")
    account_anonymise(actor=resident, user=resident, password=PASSWORD)
    suggestion.refresh_from_db()
    assert "123-45-67" not in suggestion.body and resident.surname not in suggestion.body
