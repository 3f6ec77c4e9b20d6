"""Law-making's pages checked by axe-core (serious and critical WCAG 2.1 A/AA violations fail) and on a phone's
screen (390 px, no sideways scrolling): the list, a new concept, initiatives in several stages, the draft, its
versions, the diff, the amendments, the expertise and the review form, the reaction (given, and its form), the
statistics, the subscriptions, the staff's queue and their forms. The data is written through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _check

pytestmark = pytest.mark.browser

PROPOSAL = """Статья 1. Предмет регулирования
Настоящий закон устанавливает правила благоустройства дворовых территорий.

Статья 2. Требования
1. Дворовая территория оборудуется детской площадкой.
2. Проект благоустройства обсуждается с жителями.
3. Работы завершаются до 1 октября.

Статья 3. Вступление в силу
Настоящий закон вступает в силу через десять дней после дня его официального опубликования."""


def _area(region) -> dict:
    """Initiatives in every stage of one body, and the people who look at them: {login: [paths]}."""
    from krai.lawmaking.models import Stage
    from krai.lawmaking.services import amendments, discussion, drafts, expertise, reactions
    from krai.lawmaking.tests import factories
    from krai.lawmaking.tests.factories_expert import at_expertise, drafted, review_data
    from krai.org.tests.factories import UserFactory

    body = region["health"]
    head = factories.body_staff(body)
    boss = factories.coordinator()
    initiator = UserFactory(surname="Инициаторов", given_name="Пётр", patronymic="Ильич")
    resident = UserFactory(surname="Горожанин", given_name="Иван", patronymic="Кубанович")
    expert = factories.verified_expert("law", surname="Правов", given_name="Олег")

    concept = factories.initiative(Stage.CONCEPT, initiator=initiator, body=body, title="О порядке выгула собак")
    talk = factories.initiative(Stage.DISCUSSION, initiator=initiator, body=body,
                                title="О поддержке многодетных семей", support_threshold=10)
    question = discussion.question_ask(actor=initiator, initiative=talk, text="Какой размер выплаты достаточен?")
    discussion.answer_give(actor=resident, question=question, text="Десять тысяч рублей.")
    discussion.support_add(actor=resident, initiative=talk)

    draft = drafted(initiator=initiator, body=body, proposal=PROPOSAL, title="О благоустройстве дворов")
    proposed = amendments.amendment_propose(actor=resident, initiative=draft, key="2.1",
                                            quote="детской площадкой",
                                            proposed_text="детской и спортивной площадками",
                                            justification="Подросткам тоже нужно место.")
    drafts.annotation_add(actor=resident, initiative=draft, key="2.2", body="Как именно обсуждается?")
    amendments.amendment_decide(actor=initiator, amendment=proposed, accept=True, reason="Разумно.")
    amendments.amendment_propose(actor=resident, initiative=draft, key="2.3", proposed_text="3. До 1 ноября.",
                                 justification="Осенью тоже можно работать.")

    reviewed, _experts, _boss = at_expertise(expert, body=body, initiator=initiator, proposal=PROPOSAL,
                                             title="О содержании зелёных насаждений",
                                             due=date.today() + timedelta(days=10))
    expertise.review_submit(actor=expert, initiative=reviewed,
                            **review_data(corruption_risks_found=True, corruption_findings="Статья 2: широта "
                                          "дискреционных полномочий."))
    owed, _experts, _boss = at_expertise(factories.verified_expert("law"), body=body, proposal=PROPOSAL,
                                         title="О доступности учреждений культуры")
    reactions.reaction_request(actor=boss, initiative=owed)
    closed, _experts, _boss = at_expertise(factories.verified_expert("law"), body=body, proposal=PROPOSAL,
                                           title="О ремонте спортивных площадок")
    reactions.reaction_request(actor=boss, initiative=closed)
    reactions.reaction_give(actor=head, initiative=closed, decision="adopted_changed", reasons="Срок продлён.",
                            act_title="Приказ министерства", act_number="214", act_date=date.today(),
                            act_url="https://pravo.example.ru/214")

    def at(item, tail: str = "") -> str:
        return f"/lawmaking/{item.pk}/{tail}"

    return {
        resident: ["/lawmaking/", "/lawmaking/new/", "/lawmaking/statistics/", "/lawmaking/subscriptions/",
                   at(talk), at(draft), at(draft, "draft/"), at(draft, "draft/?version=1"),
                   at(draft, "draft/versions/"), at(draft, "draft/diff/?a=1&b=2"), at(draft, "draft/amendments/"),
                   at(reviewed), at(reviewed, "expertise/"), at(owed, "reaction/"), at(closed),
                   at(closed, "reaction/"), f"/community/people/{expert.pk}/"],
        initiator: [at(concept), at(concept, "edit/"), at(draft, "draft/amendments/"), at(draft, "draft/edit/")],
        expert: [at(reviewed, "review/")],
        head: [at(owed), at(owed, "reaction/")],
        boss: ["/workspace/lawmaking/", "/workspace/lawmaking/?tab=concept", at(concept), at(talk),
               at(draft), at(draft, "expertise/start/"), at(reviewed, "expertise/")],
    }


def test_lawmaking_pages_have_no_serious_accessibility_violations(page, live_server, region):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    problems = []
    for user, paths in _area(region).items():
        sign_in(page, live_server, user)
        for path in paths:
            problems += _check(page, live_server.url + path)
    page.context.clear_cookies()
    for path in ("/lawmaking/", "/lawmaking/statistics/"):
        problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)


def test_lawmaking_pages_fit_a_phone(page, live_server, region):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = []
    for user, paths in _area(region).items():
        sign_in(page, live_server, user)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 4).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)""")
                wide.append(f"{path} scrolls sideways by {overflow}px: {culprits}")
    assert wide == [], "\n".join(wide)
    assert page.js_errors == []
