"""Live datasets, the quality score, late-update reminders and the permission matrix."""

import datetime as dt

import pytest

from krai.core.notifications.models import Notification
from krai.opendata import quality, services
from krai.opendata.models import Dataset
from krai.opendata.tests.factories import DatasetFactory, csv_upload
from krai.org.models import Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def test_live_datasets_are_built_and_only_change_with_the_data():
    OrganisationFactory(code="governor-office", inn="2308305175", parent=None)
    MunicipalityFactory(centre_lat=45.0, centre_lon=39.0)
    results = {r.dataset.live_code: r for r in services.live_refresh_all()}
    assert set(results) >= {"orgstructure", "municipalities"}
    structure = results["orgstructure"].dataset
    assert structure.identifier == "2308305175-orgstructure" and structure.kind == "live"
    assert results["orgstructure"].version.row_count >= 1
    again = services.live_refresh(code="orgstructure")
    assert again.version is None
    OrganisationFactory()
    assert services.live_refresh(code="orgstructure").version.number == 2
    assert quality.coordinate_fields(results["municipalities"].dataset.fields) == ("lat", "lon")


def test_quality_lists_what_to_fix(dataset, publisher):
    unmet = {c.code for c in quality.criteria(dataset) if not c.met}
    assert {"files", "temporal", "on_time"} <= unmet
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload())
    dataset.refresh_from_db()
    assert "files" not in {c.code for c in quality.criteria(dataset) if not c.met}
    assert 0 < dataset.quality < 100


def test_late_update_reminds_once(dataset, publisher):
    dataset.created_by = publisher
    dataset.next_update = dt.date(2020, 1, 1)
    dataset.save()
    assert services.remind_late_updates(today=dt.date(2020, 2, 1)) == 1
    assert services.remind_late_updates(today=dt.date(2020, 2, 2)) == 0
    assert Notification.objects.filter(user=publisher, kind="opendata.update_late").count() == 1


@pytest.mark.parametrize(("who", "view", "change"), [
    ("anonymous", True, False), ("citizen", True, False), ("publisher", True, True), ("stranger", True, False),
    ("head_parent", True, True), ("admin", True, True)])
def test_permission_matrix(who, view, change, owner):
    from django.contrib.auth.models import AnonymousUser

    dataset = DatasetFactory(owner=owner)
    users = {"anonymous": AnonymousUser(), "citizen": UserFactory(), "admin": UserFactory(is_superuser=True,
                                                                                           is_staff=True)}
    users["publisher"] = StaffFactory()
    assign(users["publisher"], Role.EXECUTOR, organisation=owner)
    users["stranger"] = StaffFactory()
    assign(users["stranger"], Role.EXECUTOR, organisation=OrganisationFactory())
    users["head_parent"] = StaffFactory()
    assign(users["head_parent"], Role.VICE_GOVERNOR, block=owner.block)
    user = users[who]
    assert user.has_perm("opendata.view_dataset", dataset) is view
    assert user.has_perm("opendata.change_dataset", dataset) is change
    dataset.status = Dataset.Status.DRAFT
    assert user.has_perm("opendata.view_dataset", dataset) is change


def test_datasets_are_in_the_site_search(owner, publisher):
    from krai.core.search.models import SearchEntry

    dataset = services.dataset_create(actor=publisher, owner=owner, code="roads", title="Дороги края",
                                      structure=[{"name": "km", "type": "number"}])
    entry = SearchEntry.objects.get(kind="opendata.dataset", object_id=str(dataset.pk))
    assert entry.visibility == "staff" and entry.url == "/opendata/2308000001-roads/"
    services.dataset_publish(actor=publisher, dataset=dataset)
    entry.refresh_from_db()
    assert entry.visibility == "public"


def test_problems_live_dataset_has_no_personal_data():
    from django.core.files.storage import default_storage

    from krai.problems.tests.factories import ProblemFactory

    OrganisationFactory(code="control", inn="2309384363", parent=None)
    problem = ProblemFactory(reporter_name="Иванов Иван", lat=45.123456, lon=38.987654)
    ProblemFactory(status="new")  # not published yet
    result = services.live_refresh(code="problems")
    assert result.version.row_count == 1
    content = default_storage.open(result.version.file.name).read().decode()
    assert problem.author.email not in content and "Иванов" not in content and problem.description not in content
    assert "45.1235" in content
