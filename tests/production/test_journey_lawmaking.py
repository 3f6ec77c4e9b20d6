"""Law-making's journey in the deployed shape, from a resident's concept to the government's reaction, through
the pages only — on a desktop (1280 px) and on a phone (390 px), never scrolling sideways and with no script or
console error.

a) a demo resident proposes a concept (articles with numbered parts, the responsible body chosen in the picker);
   it awaits moderation and an anonymous reader gets 404;
b) the controller (a coordinator) approves it from the workspace queue: it is public, in discussion, with the
   timeline's dates; the initiator asks the public a question, another resident supports it and answers;
c) the controller moves it on to the draft elaboration; the second resident proposes an amendment to a part and
   comments on another; the initiator (the editor) accepts the amendment (version 2, the diff shows it); he then
   removes a part (version 3); an amendment to that part proposed on version 2 is refused, nothing added;
d) the controller starts the expertise with a demo verified expert; the expert's structured review is shown on the
   draft's expertise page and on his community profile;
e) the controller sends it for the reaction; the head of another body is refused, nothing changes; the responsible
   body's head answers "adopted with changes" with the act; the initiative shows it and the initiator is told.

Each viewport has its own accounts, body and texts, so the two runs do not meet.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import date, timedelta

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

CONTROLLER = "controller@demo.krai"  # a coordinator of law-making
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
#: per viewport: the initiator, the second resident, the responsible body (its code, the text its option shows,
#: what is typed into the picker), the head of another body and the expert (krai/lawmaking/demo_data.py)
INITIATOR = {1280: "citizen.00031@demo.krai", 390: "citizen.00041@demo.krai"}
RESIDENT = {1280: "citizen.00032@demo.krai", 390: "citizen.00042@demo.krai"}
BODY = {1280: ("youth", "Департамент молодёжной политики", "молодёжной"),
        390: ("education", "Минобрнауки края", "Минобрнауки")}
OTHER_HEAD = {1280: "head.finance@demo.krai", 390: "head.economy@demo.krai"}
EXPERT = {1280: "expert02@demo.krai", 390: "expert08@demo.krai"}
#: the browser's own console lines for a refused form (the page shows the reason)
REFUSALS = ("status of 400", "status of 403", "status of 404")


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def _said(page, *words: str) -> str:
    """The page's messages; one of ``words`` (a Russian word, or its English fallback) must be there."""
    text = " ".join(page.locator(".krai-messages, .alert").all_inner_texts())
    assert re.search("|".join(words), text, re.I), text
    return text


def _pick(page, select: str, typed: str, label: str) -> None:
    """Choose in a picker (krai/picker.js): type, then click the answer that reads exactly ``label``."""
    page.fill(f"{select}-search", typed)
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    page.locator(f"{select}-search ~ ul [role=option]", has_text=exact).first.click()
    assert page.eval_on_selector(select, "s => s.selectedOptions[0].text").strip() == label


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def _profile(crawler, page) -> str:
    """The path of the user's own community profile (his "see how others see it" link)."""
    page.goto(crawler.installation.url + "/community/me/")
    return crawler.links(page, r"^/community/people/\d+/$", selector="main a[href]")[0]


def _proposal(tag: str) -> str:
    return (f"Статья 1. Предмет регулирования\nНастоящий закон устанавливает правила работы молодёжных "
            f"пространств ({tag}).\n\n"
            "Статья 2. Требования к пространствам\n"
            "1. Пространство открыто для посетителей не менее шести дней в неделю.\n"
            "2. Расписание занятий размещается на сайте пространства.\n"
            "3. Посещение занятий бесплатно для учащихся.\n\n"
            "Статья 3. Вступление в силу\nНастоящий закон вступает в силу через десять дней после дня его "
            "официального опубликования.")


def _told(installation, login: str) -> str:
    """What the installation says about the events' deliveries and the user's notifications (for a failure)."""
    script = ("from krai.core.events import dispatch; from krai.core.events.models import Event; "
              "from krai.core.notifications.models import Notification; "
              "print(dispatch.backlog()); "
              f"print(list(Notification.objects.filter(user__email='{login}').values_list('kind', 'in_app', "
              "'created_at'))); "
              "print(list(Event.objects.filter(kind__startswith='lawmaking.').order_by('-pk')"
              ".values_list('kind', flat=True)[:12]))")
    answer = installation.krai("shell", "-c", script)
    return answer.stdout[-3000:] + answer.stderr[-3000:]


def _part(page, key: str):
    return page.locator(f"div.krai-provision[data-key='{key}']")


@VIEWPORTS
def test_an_initiative_goes_from_a_concept_to_the_governments_reaction(crawler, installation, viewport):
    url = installation.url
    width = viewport["width"]
    tag = f"J{width}-{secrets.token_hex(3)}"
    title = f"О молодёжных пространствах {tag}"
    body_code, body_label, body_typed = BODY[width]
    pages = {}

    def open_as(login: str):
        if login not in pages:
            page = crawler.context(login).new_page()
            page.set_viewport_size(viewport)
            watch_errors(page, errors, ignore=REFUSALS)
            pages[login] = page
        return pages[login]

    errors: list[str] = []
    try:
        # a) the concept, proposed by a resident
        initiator = open_as(INITIATOR[width])
        initiator.goto(url + "/lawmaking/new/")
        assert initiator.locator("html").get_attribute("lang") == "ru"
        fits(initiator, "the concept's form")
        initiator.fill("#id_title", title)
        initiator.fill("#id_problem", f"{tag}: в посёлках подросткам негде заниматься после школы.")
        initiator.fill("#id_proposal", _proposal(tag))
        initiator.check("input[name=level][value=regional]")
        _pick(initiator, "#id_responsible_body", body_typed, body_label)
        _submit(initiator, "form.krai-lawmaking-form")
        match = re.search(r"/lawmaking/\d+/$", initiator.url)
        assert match, (initiator.url, initiator.locator(".invalid-feedback, .alert-danger").all_inner_texts())
        detail = match.group(0)
        assert initiator.locator("main .alert-warning", has_text=re.compile("модерац|moderation")).count() == 1
        fits(initiator, "the concept awaiting moderation")
        assert crawler.context(None).request.get(url + detail).status == 404

        # b) the controller approves it from the queue
        controller = open_as(CONTROLLER)
        controller.goto(url + "/workspace/lawmaking/?tab=concept")
        fits(controller, "the workspace queue")
        link = controller.locator(f"main table a[href='{detail}']").first
        assert link.count() == 1, controller.locator("main").inner_text()
        with controller.expect_navigation():
            link.click()
        controller.fill("#id_approve-note", f"{tag}: концепция понятна")
        _submit(controller, f"form[action='{detail}approve/']")
        _said(controller, "опубликован|обсужден|published|approved")
        assert crawler.context(None).request.get(url + detail).status == 200
        current = controller.locator(".krai-lawmaking-timeline li[aria-current=step]")
        assert re.search(r"\d\d\.\d\d\.\d{4}", current.inner_text()), current.inner_text()
        assert controller.locator(".krai-lawmaking-timeline li").count() >= 5
        assert controller.locator("#discussion").count() == 1
        fits(controller, "the initiative in discussion")

        # the initiator asks the public; another resident supports it and answers
        initiator.goto(url + detail)
        question = f"{tag}: В какие дни пространство должно работать?"
        initiator.fill(f"form[action='{detail}questions/'] textarea", question)
        _submit(initiator, f"form[action='{detail}questions/']")
        resident = open_as(RESIDENT[width])
        resident.goto(url + detail)
        _submit(resident, f"form[action='{detail}support/']")
        assert resident.locator(f"form[action='{detail}support/'] input[name=undo]").count() == 1
        card = resident.locator("#discussion article", has_text=question)
        answer = f"{tag}: По субботам обязательно."
        card.locator("textarea[name=text]").fill(answer)
        with resident.expect_navigation():
            card.locator("form[action$='/answer/'] button[type=submit]").click()
        assert answer in resident.locator("#discussion").inner_text()
        fits(resident, "the discussion with an answer")

        # c) on to the draft: an amendment, a comment, a decision, versions and the diff
        controller.goto(url + detail)
        controller.fill("#id_advance-note", f"{tag}: идея поддержана, готовим проект")
        _submit(controller, f"form[action='{detail}advance/']")
        resident.goto(url + detail + "draft/")
        assert resident.locator(".krai-provision-article").count() == 3
        assert "Статья 2" in resident.locator(".krai-provision-article").nth(1).inner_text()
        fits(resident, "the draft")
        part = _part(resident, "2.1")
        part.locator("details:has(form[action$='/draft/amend/']) summary").click()
        part.locator("form[action$='/draft/amend/'] textarea[name=proposed_text]").fill(
            "1. Пространство открыто для посетителей ежедневно.")
        part.locator("form[action$='/draft/amend/'] textarea[name=justification]").fill(f"{tag}: каникулы")
        with resident.expect_navigation():
            part.locator("form[action$='/draft/amend/'] button[type=submit]").click()
        _said(resident, "поправк|amendment")
        part = _part(resident, "2.2")
        part.locator("details:has(form[action$='/draft/comment/']) summary").click()
        comment = f"{tag}: и в группе в мессенджере"
        part.locator("form[action$='/draft/comment/'] textarea[name=body]").fill(comment)
        with resident.expect_navigation():
            part.locator("form[action$='/draft/comment/'] button[type=submit]").click()
        assert comment in _part(resident, "2.2").inner_text()

        initiator.goto(url + detail + "draft/amendments/")
        fits(initiator, "the amendments")
        amendment = initiator.locator("main article[id^='a-']").first
        amendment.locator("textarea[name=reason]").fill(f"{tag}: принимается")
        with initiator.expect_navigation():
            amendment.locator("button[name=decision][value=accept]").click()
        _said(initiator, "принят|accepted")
        initiator.goto(url + detail + "draft/diff/?a=1&b=2")
        changed = initiator.locator(".krai-diff .krai-diff-changed")
        assert changed.count() == 1, initiator.locator("main").inner_text()
        assert "ежедневно" in " ".join(changed.locator("ins").all_inner_texts()), changed.inner_html()
        assert changed.locator("del").count() >= 1
        fits(initiator, "the diff")

        initiator.goto(url + detail + "draft/edit/")
        text = initiator.input_value("#id_text")
        assert "3. Посещение занятий бесплатно для учащихся." in text
        initiator.fill("#id_text", text.replace("3. Посещение занятий бесплатно для учащихся.\n", ""))
        initiator.fill("#id_note", f"{tag}: часть 3 статьи 2 исключена")
        fits(initiator, "the editor's form")
        with initiator.expect_navigation():
            initiator.click("button[name=save]")
        _said(initiator, "3")
        assert _part(initiator, "2.3").count() == 0

        resident.goto(url + detail + "draft/amendments/")
        before = resident.locator("main article[id^='a-']").count()
        resident.goto(url + detail + "draft/?version=2")
        part = _part(resident, "2.3")
        part.locator("details:has(form[action$='/draft/amend/']) summary").click()
        part.locator("form[action$='/draft/amend/'] textarea[name=proposed_text]").fill(
            "3. Посещение бесплатно для всех.")
        with resident.expect_navigation():
            part.locator("form[action$='/draft/amend/'] button[type=submit]").click()
        refusal = _part(resident, "2.3").locator("form[action$='/draft/amend/'] .alert-danger")
        assert refusal.count() >= 1 and refusal.first.inner_text().strip(), resident.locator("main").inner_text()
        assert re.search("верси|удал|version|removed", refusal.first.inner_text(), re.I), refusal.first.inner_text()
        fits(resident, "the refused amendment")
        resident.goto(url + detail + "draft/amendments/")
        assert resident.locator("main article[id^='a-']").count() == before

        # d) the expertise: a demo verified expert, invited by name, writes his review
        expert = open_as(EXPERT[width])
        profile = _profile(crawler, expert)
        expert_id = re.search(r"(\d+)", profile).group(1)
        controller.goto(url + detail + "expertise/start/")
        fits(controller, "the expertise's start")
        controller.check(f"#lawmaking-expertise-start input[name=experts][value='{expert_id}']")
        controller.fill("#id_due", (date.today() + timedelta(days=14)).isoformat())
        _submit(controller, "#lawmaking-expertise-start")
        assert controller.locator("form#lawmaking-expertise-start").count() == 0, \
            controller.locator(".alert-danger, .invalid-feedback").all_inner_texts()

        expert.goto(url + detail + "review/")
        fits(expert, "the review form")
        expert.check("input[name=conclusion][value=remarks]")
        expert.fill("#id_summary", f"{tag}: проект в целом обоснован.")
        expert.fill("#id_risks", "Расходы местных бюджетов не оценены.")
        expert.check("#id_corruption_risks_found")
        expert.fill("#id_corruption_findings", "Часть 2 статьи 2: порядок размещения расписания не определён.")
        expert.fill("#id_proposals", "Добавить финансово-экономическое обоснование.")
        _submit(expert, "#lawmaking-review-form")
        expert.goto(url + detail + "expertise/")
        review = expert.locator("article[id^='review-']", has_text=tag)
        assert review.count() == 1, expert.locator("main").inner_text()
        assert "Часть 2 статьи 2" in review.inner_text()
        fits(expert, "the expertise with the review")
        expert.goto(url + profile)
        assert expert.locator(f"#lawmaking-profile-reviews a[href^='{detail}expertise/']").count() == 1
        fits(expert, "the expert's profile with the review")

        # e) the reaction: sent by the controller, refused to another body's head, given by the responsible one
        controller.goto(url + detail + "expertise/")
        _submit(controller, "#lawmaking-reaction-request")
        assert controller.locator("#lawmaking-reaction-owed").count() == 1, controller.locator("main").inner_text()
        fits(controller, "the reaction owed")

        other = open_as(OTHER_HEAD[width])
        other.goto(url + detail + "reaction/")
        assert other.locator("#lawmaking-reaction-form").count() == 0
        # he tries the form anyway, as a crafted request would: refused with the reason shown
        other.evaluate("""([action]) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const form = document.createElement('form');
            form.method = 'post'; form.action = action;
            const fields = {csrfmiddlewaretoken: token, decision: 'adopted', act_number: '999',
                            act_title: 'Чужой приказ', act_date: new Date().toISOString().slice(0, 10)};
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""", [detail + "reaction/"])
        other.wait_for_load_state("load")
        other.wait_for_selector("#lawmaking-reaction-form .alert-danger")
        assert other.locator("#lawmaking-reaction-form .alert-danger").inner_text().strip()
        fits(other, "the refused reaction")
        other.goto(url + detail + "reaction/")
        assert other.locator("#lawmaking-reaction-owed").count() == 1
        assert other.locator("#lawmaking-reaction").count() == 0

        head = open_as(f"head.{body_code}@demo.krai")
        head.goto(url + detail + "reaction/")
        fits(head, "the reaction's form")
        head.check("#lawmaking-reaction-form input[name=decision][value=adopted_changed]")
        head.fill("#id_reasons", f"{tag}: срок вступления в силу изменён.")
        head.fill("#id_act_title", "Приказ о молодёжных пространствах")
        act_number = f"{width}-П"
        head.fill("#id_act_number", act_number)
        head.fill("#id_act_date", date.today().isoformat())
        _submit(head, "#lawmaking-reaction-form")
        reaction = head.locator("#lawmaking-reaction")
        assert reaction.count() == 1, head.locator("main").inner_text()
        assert act_number in reaction.inner_text()
        assert re.search("изменени|changes", reaction.inner_text(), re.I), reaction.inner_text()

        initiator.goto(url + detail)
        badge = initiator.locator("main h1 ~ .badge, main .badge.text-bg-success").first
        assert re.search("Реакция дана|Reaction given", badge.inner_text()), badge.inner_text()
        assert act_number in initiator.locator("#reaction").inner_text()
        fits(initiator, "the initiative with the reaction")
        for _attempt in range(90):  # the participants are told by the worker (its sweep runs every minute)
            initiator.goto(url + "/notifications/")
            if initiator.locator("main li[id^='notification-']", has_text=title).count():
                break
            time.sleep(1)
        assert initiator.locator("main li[id^='notification-']", has_text=title).count() >= 1, \
            _told(installation, INITIATOR[width])
        fits(initiator, "the initiator's notifications")
        assert not errors, errors
    finally:
        for page in pages.values():
            page.close()
