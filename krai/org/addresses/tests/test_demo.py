"""``krai demo`` loads the address registry: houses inside their municipalities, found by the geocoder, idempotent."""

from io import StringIO

from django.core.management import call_command

from krai.org.addresses import selectors
from krai.org.addresses.demo import plan
from krai.org.addresses.models import Address, Street


def run_demo() -> str:
    out = StringIO()
    call_command("demo", only=["krai.org.demo", "krai.org.addresses.demo"], stdout=out)
    return out.getvalue()


def test_the_demo_addresses_are_found_and_a_second_run_changes_nothing(db):
    run_demo()
    houses = list(Address.objects.order_by("id").values_list("id", "street_id", "house", "lat", "lon"))
    assert 5000 < len(houses) <= len(plan())
    best = selectors.search("Краснодар, ул. Красная, 12")[0]
    assert (best.municipality, best.house) == ("Краснодар", "12")
    assert selectors.nearest(best.lat, best.lon).label == best.label
    streets = Street.objects.count()
    output = run_demo()
    assert "demo houses present" in output
    assert list(Address.objects.order_by("id").values_list("id", "street_id", "house", "lat", "lon")) == houses
    assert Street.objects.count() == streets
