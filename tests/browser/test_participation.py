"""A confirmed resident takes part through the pages: votes in a poll, for a priority, rates a service,
suggests an idea — and each act is in the database as the services write it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from krai.org.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _compile_participation_messages() -> None:
    """The pages are checked in Russian: compile the area's own catalogue if it is stale."""
    msgfmt = shutil.which("msgfmt")
    po = Path(settings.BASE_DIR, "krai", "participation", "locale", "ru", "LC_MESSAGES", "django.po")
    mo = po.with_suffix(".mo")
    if msgfmt and po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
        from django.utils.translation import trans_real

        trans_real._translations = {}


@pytest.fixture
def participation(transactional_db):
    from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory
    from krai.participation.models import Question
    from krai.participation.tests.factories import (
        CampaignFactory,
        GovServiceFactory,
        OptionFactory,
        PriorityFactory,
        QuestionFactory,
        ResidentFactory,
        poll_with,
    )

    _compile_participation_messages()
    town = MunicipalityFactory(name="Краснодар", population=1_150_000)
    resident = ResidentFactory(email="resident@example.ru", home_municipality=town)
    poll, single, options = poll_with(title="Маршрутная сеть", results_during=True, allow_change=True)
    scale = QuestionFactory(poll=poll, position=2, kind=Question.Kind.SCALE, text="Оцените транспорт")
    ranked = QuestionFactory(poll=poll, position=3, kind=Question.Kind.RANKED, text="Что важнее?")
    ranked_options = [OptionFactory(question=ranked, position=n, text=f"Пункт {n}") for n in (1, 2, 3)]
    priority = PriorityFactory(title="Ремонт дорог")
    local = PriorityFactory(title="Ливневая канализация", municipality=town)
    service = GovServiceFactory(name="Запись к врачу", organisation=OrganisationFactory(name="Минздрав"))
    campaign = CampaignFactory(title="Идеи для набережной")
    return {"resident": resident, "town": town, "poll": poll, "single": single, "options": options, "scale": scale,
            "ranked": ranked, "ranked_options": ranked_options, "priority": priority, "local": local,
            "service": service, "campaign": campaign}


def _log_in(page, live_server, email: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}{next_path}")


def test_a_resident_votes_rates_and_suggests_through_the_pages(page, live_server, participation):
    from krai.participation.models import Answer, Ballot, Idea, Participation, PriorityVote, ServiceRating

    data = participation
    resident, poll = data["resident"], data["poll"]

    # a poll: every kind of control, then the vote is counted and shown back for changing
    _log_in(page, live_server, resident.email, f"/polls/{poll.pk}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.check(f"#q{data['single'].pk}-o{data['options'][1].pk}")
    page.check(f"#q{data['scale'].pk}-v4")
    first, second = data["ranked_options"][2], data["ranked_options"][0]
    page.select_option(f"#q{data['ranked'].pk}-o{first.pk}", "1")
    page.select_option(f"#q{data['ranked'].pk}-o{second.pk}", "2")
    screenshot(page, "participation-poll-ballot")
    page.click("#poll-submit")
    page.wait_for_url(f"{live_server.url}/polls/{poll.pk}/")
    assert page.locator("#poll-voted").is_visible()
    assert Participation.objects.filter(poll=poll, user=resident).count() == 1
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.voter_id is None and ballot.municipality_id == data["town"].pk  # a secret ballot
    assert list(Answer.objects.filter(question=data["ranked"]).order_by("rank").values_list("option_id", flat=True)) \
        == [first.pk, second.pk]
    assert page.is_checked(f"#q{data['single'].pk}-o{data['options'][1].pk}")

    # its results, with the charts drawn
    page.goto(f"{live_server.url}/polls/{poll.pk}/results/")
    page.wait_for_selector(f"#chart-q{data['single'].pk} svg")
    screenshot(page, "participation-poll-results")

    # a priority: the vote counts for his home municipality
    page.goto(f"{live_server.url}/priorities/")
    page.locator(f"#priority-{data['priority'].pk} button[type=submit]").click()
    page.wait_for_load_state()
    vote = PriorityVote.objects.get(voter=resident)
    assert vote.priority_id == data["priority"].pk and vote.municipality_id == data["town"].pk
    assert page.locator(f"#priority-{data['priority'].pk} .badge").is_visible()
    screenshot(page, "participation-priorities")

    # a service: a 5, a 4, a 3 and a comment
    page.goto(f"{live_server.url}/services/{data['service'].pk}/")
    for name, mark in (("quality", 5), ("convenience", 4), ("speed", 3)):
        page.locator(f"label[for={name}-{mark}]").click()
    page.fill("#rate-comment", "Записался за минуту.")
    page.click("#rate-submit")
    page.wait_for_url(f"{live_server.url}/services/{data['service'].pk}/")
    rating = ServiceRating.objects.get(user=resident)
    assert (rating.quality, rating.convenience, rating.speed, rating.comment) == (5, 4, 3, "Записался за минуту.")
    screenshot(page, "participation-service")

    # an idea: sent for moderation, shown to its author
    page.goto(f"{live_server.url}/ideas/campaigns/{data['campaign'].pk}/")
    page.fill("#idea-title", "Велодорожка")
    page.fill("#idea-body", "Вдоль всей набережной, отдельно от пешеходов.")
    page.click("#suggest-submit")
    idea = Idea.objects.get(author=resident)
    page.wait_for_url(f"{live_server.url}/ideas/{idea.pk}/")
    assert idea.moderation == Idea.Moderation.PENDING and idea.title == "Велодорожка"
    screenshot(page, "participation-idea")
    assert page.js_errors == []


def test_a_rating_of_six_is_refused_with_a_message(page, live_server, participation):
    """The form offers 1–5 only; a crafted 6 gets the error on the page and nothing is saved."""
    from krai.participation.models import ServiceRating

    data = participation
    _log_in(page, live_server, data["resident"].email, f"/services/{data['service'].pk}/")
    page.evaluate("document.getElementById('quality-5').value = '6'")
    for name, mark in (("quality", 5), ("convenience", 4), ("speed", 3)):
        page.locator(f"label[for={name}-{mark}]").click()
    page.click("#rate-submit")
    page.wait_for_load_state()
    assert page.locator("#participation-errors").is_visible()
    assert page.locator(".invalid-feedback").count() == 1
    assert not ServiceRating.objects.exists()
