"""The community's pages checked by axe-core (serious and critical WCAG 2.1 A/AA violations fail): the home page
with the publishing form, a profile, a publication with its photo-less card and comments, the inbox and a
conversation as a resident sees them; the moderators' queue and a report as a controller sees them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _check

pytestmark = pytest.mark.browser


def test_community_pages_have_no_serious_accessibility_violations(page, live_server, region):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    from krai.org.models import Role
    from krai.org.tests.factories import StaffFactory, UserFactory, assign
    from krai.social import services
    from krai.social.models import Topic

    author = UserFactory(surname="Климова", given_name="Анна", patronymic="Петровна")
    reader = UserFactory(surname="Горожанин", given_name="Иван", patronymic="Кубанович")
    moderator = StaffFactory(surname="Контролёв")
    assign(moderator, Role.CONTROLLER)
    services.profile_update(actor=author, user=author, about="Пишу о дорогах и дворах края.",
                            position="Инженер дорожного движения")
    topics = list(Topic.objects.filter(is_active=True)[:1])
    publication = services.publication_create(
        actor=author, body="Проверили ремонт двора на Северной, 12: покрытие уложено, бордюр не закреплён.",
        topics=topics)
    services.follow_user(actor=reader, user=author)
    conversation, _message = services.conversation_start(
        actor=reader, recipients=[author], body="Здравствуйте! Когда закончат ремонт двора?")
    services.message_send(actor=author, conversation=conversation, body="До конца месяца, по графику.")
    report = services.report_create(actor=reader, target=publication, reason="spam", details="Не по теме")

    sign_in(page, live_server, reader)
    problems = []
    for path in ["/community/", f"/community/people/{author.pk}/", f"/community/posts/{publication.pk}/",
                 "/community/messages/", f"/community/messages/{conversation.pk}/"]:
        problems += _check(page, live_server.url + path)
    sign_in(page, live_server, moderator)
    for path in ["/workspace/community/reports/", f"/workspace/community/reports/{report.pk}/"]:
        problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)


def test_the_municipality_filter_of_the_experts_is_searched_as_one_types(page, live_server, region):
    """Over 40 municipalities: the select becomes a search box (picker.js, "local" mode) that finds them by any
    part of the name, and the chosen one filters the experts."""
    from krai.org.tests.factories import MunicipalityFactory

    towns = [MunicipalityFactory(name=f"Район {n:02d}") for n in range(1, 41)]
    wanted = MunicipalityFactory(name="Горячий Ключ")
    page.goto(live_server.url + "/community/experts/")
    box = page.locator("#id_municipality-search")
    assert page.locator("#id_municipality").is_hidden() and box.is_visible()
    box.fill("ключ")
    options = page.locator(".krai-picker-list [role=option]")
    expect(options).to_have_count(1)
    assert options.all_inner_texts() == ["Горячий Ключ"]
    options.first.dispatch_event("mousedown")
    assert page.locator("#id_municipality").input_value() == str(wanted.pk)
    box.fill("Район")
    # 40 "Район NN" and the region's districts: the first 30, and "type more of the name"
    expect(page.locator(".krai-picker-list li:not([role])")).to_have_text("Найдено больше: уточните название.")
    expect(options).to_have_count(30)
    assert len(towns) == 40
