"""Accessibility checked by axe-core (the engine of Lighthouse and of most audit tools) on the main pages.

Serious and critical violations of WCAG 2.1 A/AA fail the test: missing labels, landmarks, names of
buttons and links, colour contrast, duplicate ids, wrong ARIA.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
PORTAL = ["/", "/structure/", "/structure/health/", "/municipalities/", "/accounts/login/", "/accounts/register/",
          "/problems/", "/polls/", "/priorities/", "/ideas/", "/services/", "/opendata/"]
WORKSPACE = ["/workspace/", "/workspace/structure/", "/workspace/orders/", "/workspace/orders/dashboard/",
             "/workspace/problems/", "/workspace/participation/", "/workspace/opendata/"]


def _violations(page) -> list[str]:
    # axe is served as if it were the installation's own file: the pages' Content Security Policy admits no
    # inline script, and the test keeps that policy on
    origin = page.url.split("/", 3)[:3]
    axe_url = "/".join(origin) + "/__axe-core.js"
    page.route(axe_url, lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"))
    page.add_script_tag(url=axe_url)
    result = page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3)
                    .map(n => n.target.join(' ') + ' ' + (n.any[0] ? n.any[0].message : '')).join(', '));
        }"""
    )
    return result


def _check(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return [f"{url}: {line}" for line in _violations(page)]


def test_portal_pages_have_no_serious_accessibility_violations(page, live_server, region):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    problems = []
    for path in PORTAL:
        problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)


def test_workspace_pages_have_no_serious_accessibility_violations(page, live_server, region):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    client = Client()
    client.force_login(region["vice"])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    problems = []
    for path in [*WORKSPACE, f"/workspace/structure/{region['health'].pk}/"]:
        problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)
