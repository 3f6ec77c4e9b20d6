"""The efficiency pages as their readers meet them: who may open what (404 outside the scope, 403 without the
permission), the caveats, the period form's errors by field, escaping, the downloads."""

from __future__ import annotations

import pytest

from krai.administration.tests.efficiency_factories import scenario

pytestmark = pytest.mark.django_db

BASE = "/workspace/administration/efficiency/"
PERIOD = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def s():
    return scenario()


def test_a_head_sees_his_units_and_people_only(client, s):
    w = s.w
    client.force_login(w.head)
    home = client.get(f"{BASE}?{PERIOD}").content.decode()
    assert w.health.name in home and w.finance.name not in home
    assert client.get(f"{BASE}units/{w.finance.pk}/").status_code == 404
    assert client.get(f"{BASE}units/999999/").status_code == 404
    assert client.get(f"{BASE}people/{w.fedor.pk}/").status_code == 404
    assert client.get(f"{BASE}people/{w.boris.pk}/").status_code == 200
    assert client.get(f"{BASE}items/?measure=closed&unit={w.finance.pk}&{PERIOD}").status_code == 404
    assert client.get(f"{BASE}items/?measure=closed&person={w.fedor.pk}&{PERIOD}").status_code == 404
    assert client.get(f"{BASE}export/?format=csv&unit={w.finance.pk}&{PERIOD}").status_code == 404
    unit = client.get(f"{BASE}units/{w.health.pk}/?{PERIOD}").content.decode()
    assert "Федоров" not in unit and "Аннова" in unit
    # the whole-scope list of a head is his subtree: Fedor's rows are not in it
    closed = client.get(f"{BASE}items/?measure=closed&{PERIOD}").content.decode()
    assert 'data-total="4"' in closed


def test_the_finance_head_cannot_open_health(client, s):
    client.force_login(s.w.finance_head)
    assert client.get(f"{BASE}units/{s.w.health.pk}/").status_code == 404
    assert client.get(f"{BASE}units/{s.w.finance.pk}/").status_code == 200


def test_without_the_permission_403(client, s):
    for user in (s.w.anna, s.w.outsider):
        client.force_login(user)
        assert client.get(BASE).status_code == 403
        assert client.get(f"{BASE}items/?measure=closed").status_code == 403
    client.logout()
    assert client.get(BASE).status_code == 302


def test_the_page_shows_the_caveats_the_comparison_and_greys_small_numbers(client, s):
    client.force_login(s.w.head)
    page = client.get(f"{BASE}units/{s.w.health.pk}/?{PERIOD}").content.decode()
    for words in ("too few to compare", "production calendar", "last executor", "sub-units unless",
                  "opinions of the result", "for the unit only"):
        assert words in page, words
    assert "compared with 01.02.2026 – 28.02.2026" in page  # the month before, by default
    assert "krai-too-few" in page
    assert "↑" in page  # executed: 4 against 1


def test_user_text_is_escaped(client, s):
    client.force_login(s.w.head)
    page = client.get(f"{BASE}units/{s.w.unit.pk}/?{PERIOD}").content.decode()
    assert "Отдел &lt;b&gt;учёта&lt;/b&gt;" in page and "<b>учёта" not in page
    assert "Борисов &lt;script&gt;" in page and "Борисов <script>" not in page


def test_bad_dates_are_shown_by_their_field_and_nothing_is_counted(client, s):
    client.force_login(s.w.head)
    page = client.get(f"{BASE}?from=2026-03-31&to=2026-03-01")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_to-error"' in body and "cannot be before its start" in body
    assert "krai-eff-total" not in body
    body = client.get(f"{BASE}?from=2026-03-01").content.decode()
    assert 'id="id_to-error"' in body and "Give both dates" in body
    body = client.get(f"{BASE}?from=nonsense&to=2026-03-01").content.decode()
    assert 'id="id_from-error"' in body
    assert client.get(f"{BASE}items/?measure=nonsense&{PERIOD}").status_code == 400


def test_sorting_and_the_people_pager_keep_the_period(client, s):
    client.force_login(s.w.head)
    page = client.get(f"{BASE}units/{s.w.health.pk}/?{PERIOD}&sort=closed&dir=desc").content.decode()
    assert 'aria-sort="descending"' in page
    assert page.index("Аннова") < page.index("Борисов")


def test_downloads(client, s):
    client.force_login(s.w.head)
    csv = client.get(f"{BASE}export/?format=csv&unit={s.w.health.pk}&{PERIOD}")
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert csv.status_code == 200 and "Аннова" in text and s.w.unit.name in text
    assert text.splitlines()[1].split(",")[2] == "4"  # the unit's total: executed
    xlsx = client.get(f"{BASE}export/?format=xlsx&{PERIOD}")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(f"{BASE}export/?format=pdf&{PERIOD}").status_code == 400


def test_the_menu_leads_to_the_page(client, s):
    client.force_login(s.w.head)
    assert BASE in client.get("/workspace/").content.decode()
