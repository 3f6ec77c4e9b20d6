"""The reports' pages: the list, the form (the recipients' search picker), a template's page with its editions and
"generate now", the downloads; the portal's published reports. A stranger sees neither a template nor an
unpublished edition (404, like a missing one); a recipient reads but does not change; residents get 403 in the
workspace and no menu link to it."""

from __future__ import annotations

import pytest
from django.test import Client

from krai.org.tests.factories import StaffFactory, UserFactory
from krai.reports import tasks
from krai.reports.models import Edition, Template
from krai.reports.tests.helpers import TITLE, latest, template_of, world
from krai.workspace.navigation import nav_sections

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_makes_a_template_and_generates_it(django_capture_on_commit_callbacks):
    w = world()
    owner = signed_in(w.gov.governor)
    assert owner.get("/workspace/reports/").status_code == 200
    form = owner.get("/workspace/reports/new/")
    assert form.status_code == 200 and b'data-krai-picker="/workspace/reports/people/"' in form.content
    refused = owner.post("/workspace/reports/new/", {"title": "", "frequency": "weekly", "weekday": 0, "day": 1,
                                                     "at": "07:00", "publication": "workspace"})
    assert refused.status_code == 200 and not Template.objects.exists()
    made = owner.post("/workspace/reports/new/", {
        "title": TITLE, "sections": ["orders", "problems"], "frequency": "monthly", "weekday": 0, "day": 2,
        "at": "06:30", "publication": "workspace", "recipients": [w.reader.pk], "municipality": "", "block": "",
        "is_active": "on"})
    template = Template.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/workspace/reports/{template.pk}/"
    assert template.sections == ["orders", "problems"] and list(template.recipients.all()) == [w.reader]
    edit = owner.get(f"/workspace/reports/{template.pk}/edit/")
    assert edit.status_code == 200 and w.reader.short_name.encode() in edit.content
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(f"/workspace/reports/{template.pk}/generate/").status_code == 302
    edition = latest(template)
    page = owner.get(f"/workspace/reports/{template.pk}/").content.decode()
    assert f"/workspace/reports/editions/{edition.pk}/pdf/" in page and f"{edition.period_start:%d.%m.%Y}" in page
    pdf = owner.get(f"/workspace/reports/editions/{edition.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    xlsx = owner.get(f"/workspace/reports/editions/{edition.pk}/xlsx/")
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    assert owner.get(f"/workspace/reports/editions/{edition.pk}/doc/").status_code == 404
    people = owner.get("/workspace/reports/people/", {"q": "Читатель"}).json()
    assert [r["id"] for r in people["results"]] == [w.reader.pk]
    # the recipient reads the template and the files, but neither changes nor generates it
    reader = signed_in(w.reader)
    assert TITLE in reader.get("/workspace/reports/").content.decode()
    assert reader.get(f"/workspace/reports/{template.pk}/").status_code == 200
    assert reader.get(f"/workspace/reports/editions/{edition.pk}/pdf/").status_code == 200
    assert reader.get(f"/workspace/reports/{template.pk}/edit/").status_code == 404
    assert reader.post(f"/workspace/reports/{template.pk}/generate/").status_code == 404
    # removed after the confirmation only
    owner.post(f"/workspace/reports/{template.pk}/delete/")
    assert Template.objects.exists()
    owner.post(f"/workspace/reports/{template.pk}/delete/", {"confirm": "1"})
    assert not Template.objects.exists()


def test_strangers_see_nothing_and_unpublished_editions_stay_hidden():
    w = world()
    template = template_of(w, publication="workspace")
    tasks.reports_schedule()
    edition = latest(template)
    assert edition.status == Edition.Status.DONE and not edition.is_published
    stranger = signed_in(StaffFactory())
    for url in (f"/workspace/reports/{template.pk}/", f"/workspace/reports/{template.pk}/edit/",
                f"/workspace/reports/editions/{edition.pk}/pdf/", f"/workspace/reports/editions/{edition.pk}/xlsx/",
                "/workspace/reports/99999/", "/workspace/reports/editions/99999/pdf/"):
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(f"/workspace/reports/{template.pk}/generate/").status_code == 404
    assert TITLE not in stranger.get("/workspace/reports/").content.decode()
    for client in (Client(), signed_in(UserFactory()), stranger):
        assert client.get(f"/reports/{edition.pk}/pdf/").status_code == 404
        assert TITLE not in client.get("/reports/").content.decode()
    # the workspace's pages are the staff's: a resident gets 403, an anonymous visitor the login page
    assert signed_in(UserFactory()).get("/workspace/reports/").status_code == 403
    assert Client().get("/workspace/reports/").status_code == 302
    # once the template is published and made again, the edition is on the portal for anyone
    Template.objects.filter(pk=template.pk).update(publication="portal")
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.PENDING)
    tasks.reports_sweep()
    edition.refresh_from_db()
    assert edition.is_published
    assert Client().get(f"/reports/{edition.pk}/xlsx/").status_code == 200


def test_the_menu_links_only_to_what_one_may_open():
    w = world()
    staff = {section.key for section, _url in nav_sections(w.reader)}
    resident = {section.key for section, _url in nav_sections(UserFactory())}
    assert "reports" in staff and "reports" not in resident
    portal = Client().get("/")
    assert b'href="/reports/"' in portal.content
