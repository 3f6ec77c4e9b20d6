"""The reports' API with real tokens: a template made, read, changed, generated now and its editions listed and
downloaded; a token without reports:write refused; another's template and an unpublished edition answer 404;
the published editions for anyone."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from krai.accounts.services.tokens import token_create
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.reports.models import Edition, Template

pytestmark = pytest.mark.django_db
WRITE = ["read", "write", "reports:write"]


def api_of(user, scopes=WRITE) -> APIClient:
    key = token_create(actor=user, user=user, name="reports", scopes=scopes).key
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_make_read_change_generate_download(django_capture_on_commit_callbacks):
    owner, reader = StaffFactory(), StaffFactory()
    api = api_of(owner)
    kinds = api.get("/api/v1/reports/sections/").json()
    assert {"orders", "problems", "indicators", "rankings", "staffing"} <= {k["key"] for k in kinds}
    refused = api.post("/api/v1/reports/templates/", {"title": "Отчёт", "sections": ["nonsense"]}, format="json")
    assert refused.status_code == 400 and "sections" in refused.json()["error"]["fields"]
    made = api.post("/api/v1/reports/templates/", {"title": "Рейтинги", "sections": ["rankings"],
                                                   "frequency": "weekly", "recipients": [reader.pk]}, format="json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["recipients"] == [reader.pk] and made.json()["at"] == "07:00:00"
    changed = api.patch(f"/api/v1/reports/templates/{pk}/", {"publication": "portal"}, format="json")
    assert changed.status_code == 200 and changed.json()["publication"] == "portal"
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(f"/api/v1/reports/templates/{pk}/generate/")
    assert queued.status_code == 202
    editions = api.get("/api/v1/reports/editions/", {"template": pk}).json()
    assert editions["count"] == 1 and editions["results"][0]["status"] == "done"
    edition = editions["results"][0]
    assert edition["published"] is True and edition["pdf"] == f"/api/v1/reports/editions/{edition['id']}/pdf/"
    pdf = api.get(edition["pdf"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # published: anyone reads it, and it is in the public list
    assert APIClient().get(f"/api/v1/reports/editions/{edition['id']}/").status_code == 200
    assert APIClient().get("/api/v1/reports/published/").json()["count"] == 1
    # the recipient reads; he neither changes nor generates
    theirs = api_of(reader)
    assert theirs.get(f"/api/v1/reports/templates/{pk}/").status_code == 200
    assert theirs.patch(f"/api/v1/reports/templates/{pk}/", {"title": "x"}, format="json").status_code == 404
    assert theirs.post(f"/api/v1/reports/templates/{pk}/generate/").status_code == 404
    assert api.delete(f"/api/v1/reports/templates/{pk}/").status_code == 204
    assert not Template.objects.exists()


def test_scopes_and_strangers():
    owner = StaffFactory()
    read_only = api_of(owner, ["read", "write"])
    refused = read_only.post("/api/v1/reports/templates/", {"title": "Отчёт", "sections": ["orders"]}, format="json")
    assert refused.status_code == 403 and "reports:write" in refused.json()["error"]["message"]
    made = api_of(owner).post("/api/v1/reports/templates/", {"title": "Отчёт", "sections": ["orders"]},
                              format="json").json()
    template = Template.objects.get(pk=made["id"])
    edition = Edition.objects.create(template=template, period_start="2026-11-01", period_end="2026-11-30",
                                     status=Edition.Status.DONE)
    stranger = api_of(StaffFactory())
    assert stranger.get(f"/api/v1/reports/templates/{template.pk}/").status_code == 404
    assert stranger.get("/api/v1/reports/editions/", {"template": template.pk}).status_code == 404
    assert stranger.get(f"/api/v1/reports/editions/{edition.pk}/").status_code == 404
    assert APIClient().get(f"/api/v1/reports/editions/{edition.pk}/").status_code == 404
    assert api_of(UserFactory()).get("/api/v1/reports/templates/").status_code == 403
