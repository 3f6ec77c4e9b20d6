"""Administration's journeys in the deployed shape, through the pages only — on a desktop (1280 px) and on a phone
(390 px), never scrolling sideways, in Russian and with no script or console error:

a) access: the administrator opens Access from the workspace menu (More → Access), finds a person by his surname,
   opens him and gives him a role within an organisation chosen with the search picker; the role is on his page and
   in his access history with the administrator's name; he takes it away again, confirming it. Then in bulk: he
   filters the list, ticks two people, previews "give the role within that organisation", applies it, and both
   people's pages show the role; the review of who can see that organisation lists both, through the organisation;
b) temporary deputies: the administrator appoints a deputy for a department's head (both chosen by search, from
   today for a week); it is listed in force. The deputy logs in, is offered to act for the head, switches, sees the
   banner, finds an assignment of the head's department in the orders list and reports on it as the head; while
   acting he is refused the account's pages; he stops acting. The administrator finds the report in the audit trail
   filtered by the deputy, marked with him, and on the deputyship's page among what the deputy did.

(c, the API, is in ``test_journey_administration_api.py``; d, efficiency, in
``test_journey_administration_efficiency.py``.) Each viewport has its own people, organisations and deputyship
(chosen by ``FACTS`` in ``administration_journeys.py`` among the demo's departments), so the two runs do not meet.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest

from .administration_journeys import (  # noqa: F401 — the module's fixtures are imported to be found
    ADMIN,
    REFUSALS,
    VIEWPORTS,
    _about,
    _history,
    _history_about,
    _index,
    _menu,
    _option,
    _pick,
    _roles,
    _russian,
    _said,
    _submit,
    crawler_fixture,
    facts_fixture,
)
from .crawler import fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]


# --- a) access --------------------------------------------------------------------------------------------------

@VIEWPORTS
def test_access_is_given_and_taken_for_one_person_and_in_bulk(crawler, installation, facts, viewport):
    url = installation.url
    mine = facts["access"][_index(viewport)]
    person, target = mine["person"], mine["target"]
    admin_name = facts["admin"]["full_name"]
    page = crawler.context(ADMIN).new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        page.goto(url + "/workspace/")
        _menu(page, "/workspace/administration/")
        _russian(page, "the people")
        page.fill("#id_q", person["surname"])
        _submit(page, "main form[role=search] button[type=submit]")
        found = page.locator("#krai-people tbody tr", has_text=person["email"])
        assert found.count() == 1, page.locator("#krai-people").inner_text()[:2000]
        assert all(person["surname"] in row for row in page.locator("#krai-people tbody th").all_inner_texts())
        fits(page, "the people found")
        with page.expect_navigation():
            found.locator(f"a[href='/workspace/administration/people/{person['id']}/']").click()
        _russian(page, "the person's page")
        before, told = _roles(page), _about(page, target["name"])

        # a role within an organisation chosen by search
        role = _option(page, "#role_role", "executor")
        _option(page, "#role_scope", "organisation")
        _pick(page, "#role_organisation", target["name"][:18], target["label"])
        _submit(page, "form[action$='/roles/'] button[type=submit]")
        assert page.url.endswith(f"/workspace/administration/people/{person['id']}/"), \
            (page.url, page.locator(".invalid-feedback, .alert-danger").all_inner_texts())
        _said(page, "выдан|назначен|given")
        assert (role, target["name"]) in _roles(page), _roles(page)
        history = _history_about(page, target["name"], told)
        assert target["name"] in history[0][0] and history[0][1].startswith(admin_name), history[:3]
        fits(page, "the person with his new role")

        # taken away again, after the confirmation
        row = page.locator("#krai-roles tbody tr", has_text=target["name"])
        with page.expect_navigation():
            row.locator("a[href*='/remove/']").click()
        _russian(page, "the confirmation")
        assert target["name"] in page.locator("main").inner_text()
        _submit(page, "main form button.btn-danger")
        assert (role, target["name"]) not in _roles(page)
        assert _roles(page) == before
        history = _history_about(page, target["name"], told + 1)  # taken away, after given: both by him
        assert target["name"] in history[0][0] and target["name"] in history[1][0], history[:3]
        assert history[0][0] != history[1][0] and all(who.startswith(admin_name) for _w, who in history[:2])

        # in bulk: two people of a filtered list, the change previewed, then applied
        bulk, bulk_target = mine["bulk"], mine["bulk_target"]
        page.goto(url + "/workspace/administration/")
        page.fill("#id_q", mine["bulk_query"])
        _submit(page, "main form[role=search] button[type=submit]")
        for one in bulk:
            page.check(f"#krai-pick-{one['id']}")
        action = page.eval_on_selector("#bulk_action", "s => [...s.options].map(o => o.value)")
        assert "grant" in action, action
        page.select_option("#bulk_action", "grant")
        role = _option(page, "#bulk_role", "executor")
        _option(page, "#bulk_scope", "organisation")
        _pick(page, "#bulk_organisation", bulk_target["name"][:18], bulk_target["label"])
        fits(page, "the bulk change chosen")
        _submit(page, "#krai-bulk button[name=preview]")
        _russian(page, "the preview")
        preview = page.locator("#krai-bulk-preview tbody tr")
        assert preview.count() == 2, page.locator("main").inner_text()[:2000]
        assert sorted(preview.locator("th").all_inner_texts()) == sorted(one["full_name"] for one in bulk)
        assert "2" in page.locator("#krai-bulk-summary").inner_text()
        _submit(page, "main button[name=apply]")
        assert page.url.endswith("/workspace/administration/"), page.url
        _said(page, "2")
        for one in bulk:
            page.goto(url + f"/workspace/administration/people/{one['id']}/")
            assert (role, bulk_target["name"]) in _roles(page), (one["email"], _roles(page))
            assert _history_about(page, bulk_target["name"])[0][1].startswith(admin_name)
        fits(page, "a person changed in bulk")

        # the review of who can see that organisation lists both, through it
        page.goto(url + "/workspace/administration/review/")
        _pick(page, "#id_organisation", bulk_target["name"][:18], bulk_target["label"])
        _submit(page, "main form button[type=submit]")
        _russian(page, "the review")
        assert page.locator("#krai-review-title").inner_text().strip() == bulk_target["name"]
        for one in bulk:
            row = page.locator("#krai-review tbody tr",
                               has=page.locator(f"a[href='/workspace/administration/people/{one['id']}/']"))
            assert row.count() == 1, page.locator("#krai-review").inner_text()[:3000]
            cells = row.first.locator("td").all_inner_texts()
            assert cells[0].strip() == role and cells[1].strip(), cells
        assert not errors, errors
    finally:
        page.close()


# --- b) temporary deputies ------------------------------------------------------------------------------------

def _audit_rows(page, url: str, deputy: dict, assignment: int):
    """The audit trail filtered by the deputy: the rows about the assignment (the worker writes the trail from the
    events a moment after the change)."""
    page.goto(url + "/workspace/")
    _menu(page, "/workspace/audit/")
    page.fill("#id_actor", deputy["email"])
    for _attempt in range(60):
        with page.expect_response(lambda response: "/workspace/audit/?" in response.url):
            page.locator("main form button[type=submit]").first.click()
        rows = page.locator("#audit-results tbody tr", has_text=f"#{assignment}")
        if rows.count():
            return rows
        time.sleep(1)
    raise AssertionError(page.locator("#audit-results").inner_text()[:3000])


@VIEWPORTS
def test_a_deputy_acts_for_a_head_and_his_doings_are_marked(crawler, installation, facts, viewport):
    url = installation.url
    mine = facts["deputies"][_index(viewport)]
    head, deputy, assignment = mine["head"], mine["deputy"], mine["assignment"]
    tag = f"З{viewport['width']}-{secrets.token_hex(3)}"
    errors: list[str] = []
    admin = crawler.context(ADMIN).new_page()
    admin.set_viewport_size(viewport)
    watch_errors(admin, errors)
    acting = None
    try:
        # the administrator appoints him, both chosen by search, from today for a week
        admin.goto(url + "/workspace/")
        _menu(admin, "/workspace/administration/deputies/")
        _russian(admin, "the deputies")
        with admin.expect_navigation():
            admin.locator("#krai-deputy-new").click()
        _russian(admin, "the appointment form")
        assert admin.input_value("#id_starts_on") == facts["today"]
        _pick(admin, "#id_principal", head["surname"], head["label"])
        _pick(admin, "#id_deputy", deputy["surname"], deputy["label"])
        last = date.fromisoformat(facts["today"]) + timedelta(days=7)
        admin.fill("#id_ends_on", last.isoformat())
        admin.fill("#id_reason", f"Ежегодный отпуск ({tag})")
        _submit(admin, "#krai-deputy-form button[type=submit]")
        match = re.search(r"/workspace/administration/deputies/(\d+)/$", admin.url)
        assert match, (admin.url, admin.locator(".invalid-feedback, .alert-danger").all_inner_texts())
        detail = match.group(0)
        assert admin.locator("#krai-deputyship .badge.text-bg-success").count() == 1
        assert last.strftime("%d.%m.%Y") in admin.locator("#krai-deputyship").inner_text()
        fits(admin, "the deputyship")
        admin.goto(url + "/workspace/administration/deputies/")
        listed = admin.locator(f"#krai-deputies-now-table a[href='{detail}']")
        assert listed.count() == 1, admin.locator("#krai-deputies-now-table").inner_text()[:2000]
        row = admin.locator("#krai-deputies-now-table tbody tr", has=admin.locator(f"a[href='{detail}']"))
        assert deputy["short_name"] in row.inner_text(), row.inner_text()

        # the deputy is offered to act for him, switches and sees the banner
        acting = crawler.context(deputy["email"]).new_page()
        acting.set_viewport_size(viewport)
        watch_errors(acting, errors, ignore=REFUSALS)
        acting.goto(url + "/workspace/")
        offer = acting.locator(f"#krai-acting-offer form:has(input[name=deputyship][value='{match.group(1)}'])")
        assert offer.count() == 1, acting.locator("main").inner_text()[:1000]
        assert head["short_name"] in offer.inner_text()
        fits(acting, "the offer to act")
        with acting.expect_navigation():
            offer.locator("button[type=submit]").click()
        banner = acting.locator("#krai-acting-banner")
        assert re.search(r"Вы исполняете обязанности|You are acting for", banner.inner_text()), banner.inner_text()
        assert head["short_name"] in banner.inner_text() and last.strftime("%d.%m.%Y") in banner.inner_text()
        _russian(acting, "the workspace while acting")

        # he sees the head's orders and reports on one of his department's as the head
        acting.goto(url + "/workspace/orders/?" + urlencode({"list": "mine", "q": assignment["title"]}))
        link = acting.locator(f"main a[href='/workspace/orders/control/{assignment['id']}/']")
        assert link.count() >= 1, acting.locator("main").inner_text()[:2000]
        assert acting.locator("#krai-acting-banner").count() == 1
        fits(acting, "the head's orders")
        with acting.expect_navigation():
            link.first.click()
        report = f"{tag}: исполнено, справка направлена в установленный срок."
        acting.fill("#id_report-text", report)
        with acting.expect_navigation():
            acting.locator("form[action$='/report/'] button[type=submit]").click()
        assert report in acting.locator("main").inner_text(), acting.locator("main").inner_text()[:2000]
        assert acting.locator("#krai-acting-banner").count() == 1
        fits(acting, "the assignment reported on")

        # the account's own pages are refused while acting
        answer = acting.goto(url + "/accounts/profile/")
        assert answer.status == 403, answer.status
        acting.goto(url + "/workspace/")
        with acting.expect_navigation():
            acting.locator("#krai-acting-banner .krai-acting-stop").click()
        assert acting.locator("#krai-acting-banner").count() == 0
        _said(acting, head["short_name"])
        assert acting.goto(url + "/accounts/profile/").status == 200

        # the administrator finds it in the audit trail, marked with the deputy, and on the deputyship's page
        rows = _audit_rows(admin, url, deputy, assignment["id"])
        marked = rows.filter(has=admin.locator(".krai-audit-deputy"))
        assert marked.count() >= 1, rows.all_inner_texts()
        cells = marked.first.locator("td").all_inner_texts()
        kind = cells[1].strip()
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", kind), cells  # what was done: the report, as the head
        assert head["full_name"] in cells[2] or head["email"] in cells[2], cells
        assert deputy["short_name"] in cells[2], cells
        fits(admin, "the audit trail")
        admin.goto(url + detail)
        done = admin.locator("#krai-deputyship-actions-table tbody tr", has_text=f"#{assignment['id']}")
        assert done.count() >= 1, admin.locator("#krai-deputyship-actions-table").inner_text()[:2000]
        assert kind in done.all_inner_texts()[0], done.all_inner_texts()
        assert not errors, errors
    finally:
        admin.close()
        if acting is not None:
            acting.close()
