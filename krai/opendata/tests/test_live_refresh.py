"""Live datasets refresh on their areas' events (one job per dataset after a burst), and service ratings and
priority ranks are live datasets without personal data."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from krai.core.events.dispatch import deliver_pending
from krai.opendata import services, subscribers, tasks
from krai.opendata.datastore import Query, Table
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory
from krai.participation import periods
from krai.participation import services as participation
from krai.participation.tests.factories import GovServiceFactory, PriorityFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_schedule():
    HUEY.flush()
    for code in ("service-ratings", "priority-ranks", "problems", "orgstructure", "municipalities"):
        cache.delete(tasks._PENDING.format(code))
    yield
    HUEY.flush()


def scheduled() -> list[str]:
    return sorted(t.args[0] for t in HUEY.scheduled() if t.name.endswith("refresh_live_dataset"))


def deliver(capture) -> None:
    with capture(execute=True):
        deliver_pending()


def rows_of(result) -> list[dict]:
    version = result.dataset.versions.get(is_current=True)
    table = Table(version.datastore_table, version.structure["fields"])
    names = [f["name"] for f in version.structure["fields"]]
    return [dict(zip(names, row[1:], strict=True)) for row in table.iterate(Query(limit=0))]


def test_a_burst_of_events_makes_one_refresh_job_per_dataset(admin_user, django_capture_on_commit_callbacks):
    OrganisationFactory(code="governor-office", inn="2308305175", parent=None)
    department = OrganisationFactory()
    deliver(django_capture_on_commit_callbacks)  # what the set-up itself recorded
    HUEY.flush()
    for code in ("service-ratings", "orgstructure", "problems"):
        cache.delete(tasks._PENDING.format(code))
    for n in range(5):
        participation.service_create(actor=admin_user, organisation=department, name=f"Услуга {n}")
    deliver(django_capture_on_commit_callbacks)
    assert scheduled() == ["service-ratings"]  # five events, one job, for the one dataset they touch

    tasks.refresh_live_dataset.call_local("service-ratings")  # the job, as the worker runs it a minute later
    participation.service_create(actor=admin_user, organisation=department, name="Ещё одна")
    deliver(django_capture_on_commit_callbacks)
    assert scheduled() == ["service-ratings", "service-ratings"]  # after the job ran, a new change asks again


def test_which_events_make_which_dataset_stale():
    def event(name, **payload):
        return SimpleNamespace(kind=name, payload=payload)

    assert subscribers.stale_datasets(event("control.accepted", kind="problem")) == ["problems"]
    assert subscribers.stale_datasets(event("control.accepted", kind="order")) == []
    assert subscribers.stale_datasets(event("problems.published")) == ["problems"]
    assert set(subscribers.stale_datasets(event("org.municipality_updated"))) == {
        "orgstructure", "municipalities", "problems", "priority-ranks", "construction-registry", "construction-illegal",
        "construction-works"}
    assert subscribers.stale_datasets(event("participation.ranks_built")) == ["priority-ranks"]
    assert subscribers.stale_datasets(event("participation.service_ranks_built")) == ["service-ratings"]
    assert subscribers.stale_datasets(event("participation.poll_voted")) == []


def test_service_ratings_are_published_without_the_residents_or_their_comments():
    OrganisationFactory(code="governor-office", inn="2308305175", parent=None)
    service = GovServiceFactory(name="Выдача лицензий")
    resident = ResidentFactory()
    month = periods.month_start(timezone.localdate())
    participation.service_rate(actor=resident, service=service, quality=5, convenience=4, speed=3,
                               comment="Позвоните мне: +7 900 123-45-67")
    participation.service_rate(actor=ResidentFactory(), service=service, quality=3, convenience=4, speed=5)
    participation.service_ranks_build(actor=None, month=month, now=timezone.now() + dt.timedelta(days=62))
    result = services.live_refresh(code="service-ratings")
    rows = rows_of(result)
    assert len(rows) == 4  # one service, four criteria
    quality = next(r for r in rows if r["criterion"] == "качество")
    assert str(quality["month"])[:10] == month.isoformat()
    assert quality == {"month": quality["month"], "criterion": "качество", "service_code": service.code,
                       "service": "Выдача лицензий", "organisation": service.organisation.name, "ratings": 2,
                       "mean": 4.0, "score": quality["score"], "position": 1}
    text = str(rows)
    assert resident.email not in text and "123-45-67" not in text and "Позвоните" not in text
    assert result.dataset.identifier == "2308305175-service-ratings" and result.dataset.status == "published"


def test_priority_ranks_are_published_per_period_and_territory():
    OrganisationFactory(code="governor-office", inn="2308305175", parent=None)
    town = MunicipalityFactory(name="Город")
    roads, park = PriorityFactory(title="Дороги"), PriorityFactory(title="Парк", municipality=town)
    for priority in (roads, roads, park):
        participation.priority_vote(actor=ResidentFactory(home_municipality=town), priority=priority)
    key = periods.current_period().key
    participation.rank_build(actor=None, period=key, now=timezone.now() + dt.timedelta(days=400))
    rows = rows_of(services.live_refresh(code="priority-ranks"))
    by_place = {(r["municipality"], r["priority"]): r for r in rows}
    assert by_place[("Город", "Дороги")]["votes"] == 2 and by_place[("Город", "Парк")]["votes"] == 1
    assert by_place[("Город", "Дороги")]["position"] == 1 and by_place[("Город", "Парк")]["position"] == 2
    assert by_place[("Край в целом", "Дороги")]["municipality_code"] in ("", None)  # empty text is null in a table
    assert {r["period"] for r in rows} == {key}
