"""Access management's pages as people meet them: an administrator lists, finds and changes people (a role given
and taken, the staff flag, an account closed, a bulk change previewed and applied) and the history shows each
change with who made it; a controller reads everything and changes nothing (403, nothing changed); an executor
and a resident are refused and see no menu entry; user text is escaped; the reviews download as CSV and XLSX."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from krai.administration.tests.test_access_review import small_tree
from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.org.models import Position, Role, RoleAssignment, ScopeKind, User
from krai.org.tests.factories import OrganisationFactory, PositionFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

HOME = "/workspace/administration/"


def _person_url(person: User) -> str:
    return reverse("administration:access_person", args=[person.pk])


@pytest.fixture
def tree() -> dict[str, Any]:
    return small_tree()


def test_the_people_list_searches_filters_and_pages(client, tree):
    client.force_login(tree["admin"])
    page = client.get(HOME)
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Главов", "Вицев", "Исполнителев", "Уволенов"):
        assert name in text
    assert "head of an organisation — Министерство здравоохранения" in text
    found = client.get(HOME, {"q": "главов"}).content.decode()  # lower case finds the capitalised surname
    assert "Главов" in found and "Вицев" not in found
    by_unit = client.get(HOME, {"organisation": tree["unit"].pk}).content.decode()
    assert "Исполнителев" in by_unit and "Финансов" not in by_unit
    by_role = client.get(HOME, {"role": Role.VICE_GOVERNOR}).content.decode()
    assert "Вицев" in by_role and "Главов" not in by_role
    closed = client.get(HOME, {"active": "no"}).content.decode()
    assert "Уволенов" in closed and "Главов" not in closed
    for n in range(40):
        StaffFactory(surname=f"Яшин{n:02d}")
    last = client.get(HOME, {"page": 2}).content.decode()
    assert "Яшин39" in last and "Главов" not in last


def test_an_administrator_gives_and_takes_a_role_and_the_history_shows_it(client, tree):
    admin, person = tree["admin"], tree["deputy"]
    client.force_login(admin)
    page = client.get(_person_url(person))
    assert page.status_code == 200 and "Give a role" in page.content.decode()
    answer = client.post(reverse("administration:access_role_add", args=[person.pk]), {
        "role": Role.EXECUTOR, "scope": ScopeKind.ORGANISATION, "organisation": tree["unit"].pk,
        "municipality": tree["town"].pk})  # a leftover choice of another picker is ignored
    assert answer.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.role, assignment.organisation, assignment.municipality) == (Role.EXECUTOR, tree["unit"], None)
    remove_url = reverse("administration:access_role_remove", args=[person.pk, assignment.pk])
    confirm = client.get(remove_url)
    assert confirm.status_code == 200 and "Take the role away" in confirm.content.decode()
    assert client.post(remove_url).status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    deliver_pending()
    history = client.get(_person_url(person)).content.decode()
    assert "Given the role “executor” within organisation subtree: Отдел лицензирования" in history
    assert "The role “executor” within organisation subtree: Отдел лицензирования taken away" in history
    assert admin.full_name in history
    assert "Temporary deputyships, now and coming" in history and "Acts for Главов" in history


def test_a_bad_role_is_shown_by_its_field_and_changes_nothing(client, tree):
    client.force_login(tree["admin"])
    url = reverse("administration:access_role_add", args=[tree["deputy"].pk])
    missing = client.post(url, {"role": Role.EXECUTOR, "scope": ScopeKind.ORGANISATION})
    assert missing.status_code == 400 and "Choose the organisation subtree." in missing.content.decode()
    wrong = client.post(url, {"role": Role.GOVERNOR, "scope": ScopeKind.BLOCK, "block": tree["social"].pk})
    assert wrong.status_code == 400
    assert "The role governor cannot act within the scope block." in wrong.content.decode()
    twice = client.post(reverse("administration:access_role_add", args=[tree["head"].pk]), {
        "role": Role.HEAD, "scope": ScopeKind.ORGANISATION, "organisation": tree["health"].pk})
    assert twice.status_code == 400 and "already holds this role" in twice.content.decode()
    assert not RoleAssignment.objects.filter(user=tree["deputy"]).exists()


def test_the_staff_flag_and_closing_an_account(client, tree):
    person = tree["financier"]
    PositionFactory(organisation=tree["finance"], holder=person, title="Министр")
    client.force_login(tree["admin"])
    client.post(reverse("administration:access_staff", args=[person.pk]), {"is_staff": "0"})
    person.refresh_from_db()
    assert not person.is_staff
    client.post(reverse("administration:access_staff", args=[person.pk]), {"is_staff": "1"})
    person.refresh_from_db()
    assert person.is_staff
    url = reverse("administration:access_deactivate", args=[person.pk])
    confirm = client.get(url).content.decode()
    assert "His posts become vacancies" in confirm and "Министр" in confirm
    assert client.post(url).status_code == 302
    person.refresh_from_db()
    assert not person.is_active and not Position.objects.filter(holder=person).exists()
    page = client.get(_person_url(person)).content.decode()
    assert "Open the account again" in page and "Close the account" not in page
    assert client.post(reverse("administration:access_reactivate", args=[person.pk])).status_code == 302
    person.refresh_from_db()
    assert person.is_active and not Position.objects.filter(holder=person).exists()  # his posts stay vacant
    deliver_pending()
    history = client.get(_person_url(person)).content.decode()
    for line in ("The staff flag taken away", "Made a member of staff", "Account closed", "Account opened again"):
        assert line in history


def test_a_bulk_change_is_previewed_then_applied(client, tree):
    client.force_login(tree["admin"])
    chosen = [tree["deputy"], tree["later"], tree["executor"]]
    choice = {"people": [p.pk for p in chosen], "action": "grant", "role": Role.EXECUTOR,
              "scope": ScopeKind.ORGANISATION, "organisation": tree["unit"].pk}
    preview = client.post(reverse("administration:access_bulk"), {**choice, "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "3 people: 2 will get the role, 1 already holds it." in text
    assert "Apply to everyone" in text and not RoleAssignment.objects.filter(user=tree["deputy"]).exists()
    applied = client.post(reverse("administration:access_bulk"), {**choice, "apply": "1"})
    assert applied.status_code == 302
    assert RoleAssignment.objects.filter(user__in=chosen, organisation=tree["unit"]).count() == 3
    assert Event.objects.filter(kind="administration.bulk_access_change").count() == 1


def test_a_bulk_change_with_one_refusal_changes_no_one(client, tree):
    client.force_login(tree["admin"])
    choice = {"people": [tree["deputy"].pk, tree["closed"].pk], "action": "grant", "role": Role.EXECUTOR,
              "scope": ScopeKind.SELF}
    preview = client.post(reverse("administration:access_bulk"), {**choice, "preview": "1"}).content.decode()
    assert "1 cannot get it" in preview and "Apply to everyone" not in preview
    applied = client.post(reverse("administration:access_bulk"), {**choice, "apply": "1"})
    assert applied.status_code == 400 and "no one is changed" in applied.content.decode()
    assert not RoleAssignment.objects.filter(user=tree["deputy"]).exists()
    nobody = client.post(reverse("administration:access_bulk"), {"action": "deactivate", "preview": "1"})
    assert nobody.status_code == 400 and "Select at least one person." in nobody.content.decode()


def test_a_controller_reads_and_cannot_change(client, tree):
    client.force_login(tree["controller"])
    person = tree["head"]
    assert client.get(HOME).status_code == 200
    page = client.get(_person_url(person)).content.decode()
    assert "Главов" in page and "Give a role" not in page and "Take away…" not in page
    assert client.get(reverse("administration:access_review"), {"organisation": tree["unit"].pk}).status_code == 200
    assert client.get(reverse("administration:access_review_person", args=[person.pk])).status_code == 200
    assignment = RoleAssignment.objects.get(user=person)
    events = Event.objects.count()
    writes = [
        (reverse("administration:access_role_add", args=[person.pk]),
         {"role": Role.EXECUTOR, "scope": ScopeKind.SELF}),
        (reverse("administration:access_role_remove", args=[person.pk, assignment.pk]), {}),
        (reverse("administration:access_staff", args=[person.pk]), {"is_staff": "0"}),
        (reverse("administration:access_deactivate", args=[person.pk]), {}),
        (reverse("administration:access_bulk"), {"people": [person.pk], "action": "deactivate", "apply": "1"}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    person.refresh_from_db()
    assert person.is_active and person.is_staff and RoleAssignment.objects.filter(user=person).count() == 1
    assert Event.objects.count() == events


def test_executors_and_residents_are_refused_and_see_no_menu_entry(client, tree):
    urls = [HOME, _person_url(tree["head"]), reverse("administration:access_review"),
            reverse("administration:access_review_person", args=[tree["head"].pk])]
    for user in (tree["executor"], UserFactory()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (user, url)
        assert client.post(reverse("administration:access_deactivate", args=[tree["head"].pk])).status_code == 403
    client.force_login(tree["executor"])
    assert HOME not in client.get("/workspace/").content.decode()
    client.force_login(tree["controller"])
    assert HOME in client.get("/workspace/").content.decode()
    client.logout()
    assert client.get(HOME).status_code == 302  # to the login page
    tree["head"].refresh_from_db()
    assert tree["head"].is_active


def test_a_person_out_of_a_narrow_controllers_reach_is_not_found(client, tree):
    narrow = StaffFactory()
    assign(narrow, Role.CONTROLLER, block=tree["economy"])
    client.force_login(narrow)
    assert client.get(_person_url(tree["financier"])).status_code == 200
    assert client.get(_person_url(tree["head"])).status_code == 404
    assert client.get(_person_url(User(pk=999999))).status_code == 404
    outside = client.get(reverse("administration:access_review"), {"organisation": tree["health"].pk})
    assert outside.status_code == 400 and "Главов" not in outside.content.decode()


def test_user_text_is_escaped(client, tree):
    evil = StaffFactory(surname="<script>alert(1)</script>", given_name="<b>Имя</b>")
    body = OrganisationFactory(name="<img src=x onerror=alert(2)>", block=tree["social"])
    assign(evil, Role.HEAD, organisation=body)
    client.force_login(tree["admin"])
    for url in (HOME, _person_url(evil), reverse("administration:access_review_person", args=[evil.pk]),
                f"{reverse('administration:access_review')}?organisation={body.pk}"):
        text = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in text and "<img src=x" not in text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url


def test_the_reviews_download_the_rows_shown(client, tree):
    client.force_login(tree["controller"])
    url = reverse("administration:access_review")
    page = client.get(url, {"organisation": tree["unit"].pk}).content.decode()
    assert "8 people can see it, 1 of them a system, 1 as a deputy." in page
    csv = b"".join(client.get(url, {"organisation": tree["unit"].pk, "format": "csv"}).streaming_content)
    lines = csv.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Person,E-mail,Role,Through") and len(lines) == 1 + 8
    assert any("Замов" in line and "Главов" in line for line in lines)
    xlsx = client.get(url, {"municipality": tree["town"].pk, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    person = client.get(reverse("administration:access_review_person", args=[tree["head"].pk]), {"format": "csv"})
    rows = b"".join(person.streaming_content).decode("utf-8-sig")
    assert "the organisation “Министерство здравоохранения” and its units,2" in rows
    assert "Opens the workspace,yes" in rows
    review = client.get(reverse("administration:access_review_person", args=[tree["head"].pk])).content.decode()
    assert "In all, 2 organisations." in review


def test_a_roles_target_links_to_who_can_see_it(client, tree):
    client.force_login(tree["admin"])
    url = reverse("administration:access_review_of", args=["organisations", tree["health"].pk])
    assert url in client.get(_person_url(tree["head"])).content.decode()
    page = client.get(url).content.decode()
    assert "Главов" in page and "the organisation itself" in page
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "Главов" in csv
    block = client.get(reverse("administration:access_review_of", args=["blocks", tree["social"].pk]))
    assert block.status_code == 200 and "Вицев" in block.content.decode()
    assert client.get(f"{HOME}review/planets/1/").status_code == 404
    assert client.get(reverse("administration:access_review_of", args=["municipalities", 999999])).status_code == 404
    narrow = StaffFactory()
    assign(narrow, Role.CONTROLLER, block=tree["economy"])
    client.force_login(narrow)
    assert client.get(url).status_code == 404
