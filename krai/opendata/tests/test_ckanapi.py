"""ckanapi.RemoteCKAN, unchanged, lists, searches and reads datasets and datastore rows from Krai."""

import pytest

from krai.opendata import services
from krai.opendata.tests.factories import DatasetFactory, csv_upload
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

ckanapi = pytest.importorskip("ckanapi")


@pytest.fixture
def published(transactional_db):
    owner = OrganisationFactory(inn="2308000001", code="education")
    user = StaffFactory()
    assign(user, Role.EXECUTOR, organisation=owner)
    dataset = DatasetFactory(owner=owner, identifier="2308000001-schools")
    services.version_upload(actor=user, dataset=dataset, upload=csv_upload())
    return dataset


def test_remote_ckan_reads_krai(live_server, published):
    # a closed session leaves no keep-alive request thread behind on the live server
    with ckanapi.RemoteCKAN(live_server.url, user_agent="krai-tests/1.0") as ckan:
        assert ckan.action.package_list() == [published.identifier]
        found = ckan.action.package_search(q="tags:школы", rows=10, **{"facet.field": ["organization"]})
        assert found["count"] == 1 and found["results"][0]["name"] == published.identifier
        package = ckan.action.package_show(id=published.identifier)
        resource_id = package["resources"][0]["id"]
        assert package["organization"]["name"] == "education" and package["resources"][0]["datastore_active"]
        rows = ckan.action.datastore_search(resource_id=resource_id, filters={"category": "schools"}, limit=1)
        assert rows["total"] == 2 and len(rows["records"]) == 1
        assert ckan.action.status_show()["extensions"]
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id="2308000001-missing")
        with pytest.raises(ckanapi.ValidationError):
            ckan.action.datastore_search(resource_id=resource_id, filters={"nope": 1})
