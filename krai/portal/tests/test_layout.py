"""The layout both faces share: landmarks, the account menu, the language switcher, error pages."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def test_every_page_has_landmarks_a_skip_link_and_its_language(client):
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert f'action="{reverse("set_language")}"' in html
    assert '<select id="krai-language-footer" name="language"' in html
    assert "X-CSRFToken" in html


def test_anonymous_visitor_gets_log_in_and_no_workspace(client):
    html = client.get("/structure/").content.decode()
    assert f'href="{reverse("accounts:login")}?next=/structure/"' in html
    assert reverse("workspace:home") not in html


def test_citizen_gets_account_menu_without_workspace(client):
    client.force_login(UserFactory(surname="Жителев", given_name="Иван", patronymic=""))
    html = client.get("/").content.decode()
    assert "Жителев И." in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert reverse("workspace:home") not in html


def test_staff_gets_a_workspace_link(client):
    client.force_login(StaffFactory())
    html = client.get("/").content.decode()
    assert f'href="{reverse("workspace:home")}"' in html and ">Workspace<" in html


def test_language_switch_changes_the_page_language(client):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    assert '<html lang="ru"' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/structure/"})
    assert response.status_code == 302 and response["Location"] == "/structure/"
    assert '<html lang="en"' in client.get("/structure/").content.decode()


def test_optional_url_renders_only_urls_that_exist():
    template = Template('{% load krai_ui %}{% optional_url "portal:structure" as a %}'
                        '{% optional_url "nowhere:never" as b %}{% first_url "nope:x" "portal:home" as c %}'
                        '[{{ a }}|{{ b }}|{{ c }}]')
    assert template.render(Context()) == "[/structure/||/]"


@pytest.mark.parametrize(("path", "staff", "face"), [
    ("/workspace/calendar/", True, "workspace"),
    ("/workspace/calendar/", False, "portal"),  # a resident refused there keeps the portal's navigation
    ("/polls/", True, "portal"),
])
def test_the_face_of_pages_extending_base_follows_url_and_access(rf, path, staff, face):
    template = Template('{% extends "base.html" %}{% block content %}x{% endblock %}')
    request = rf.get(path)
    request.user = StaffFactory() if staff else UserFactory()
    html = template.render(Context({"request": request, "user": request.user}))
    assert f"krai-header-{face}" in html


@override_settings(DEBUG=False)
def test_error_pages_render_in_the_layout(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "<footer" in response.content.decode()
    from django.template.loader import get_template

    assert "Something went wrong" in get_template("500.html").render({})


def test_controller_sees_the_audit_section_only_when_it_exists(client, two_blocks):
    from krai.workspace.navigation import SECTIONS, nav_sections

    audit = next(s for s in SECTIONS if s.key == "audit")
    controller, vice = two_blocks["controller"], two_blocks["vice"]
    assert audit.visible_to(controller) and not audit.visible_to(vice)
    keys = {s.key for s, _ in nav_sections(controller)}
    assert ("audit" in keys) == bool(audit.url)


def test_administration_link_is_for_staff_superusers_only(client):
    admin = StaffFactory(is_superuser=True)
    staff = StaffFactory()
    assign(staff, Role.EXECUTOR)
    client.force_login(admin)
    assert f'href="{reverse("admin:index")}"' in client.get(reverse("workspace:home")).content.decode()
    client.force_login(staff)
    assert f'href="{reverse("admin:index")}"' not in client.get(reverse("workspace:home")).content.decode()


def test_account_menu_counts_unread_notifications(client):
    from krai.core.notifications import services as notifications

    user = UserFactory()
    client.force_login(user)
    assert "unread</span>" not in client.get("/").content.decode()
    notifications.notify(users=[user], kind="test.hello", title="Привет")
    notifications.notify(users=[user], kind="test.hello", title="Ещё раз")
    html = client.get("/").content.decode()
    assert f'href="{reverse("notifications:inbox")}"' in html
    assert '>2<span class="visually-hidden"> unread</span>' in html
