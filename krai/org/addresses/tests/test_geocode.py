"""The geocoder: spellings of Russian addresses, house numbers, ranking, the nearest house, loading a CSV."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from krai.core.events.models import Event
from krai.org.addresses import selectors, services
from krai.org.addresses.models import Address, Street
from krai.org.addresses.normalise import house_key, parse_query
from krai.org.tests.factories import MunicipalityFactory, square

ROWS = [
    # municipality, locality, street, house, lat, lon
    ("Город", "Краснодар", "ул. Красная", "12", 45.0300, 38.9700),
    ("Город", "Краснодар", "ул. Красная", "12А", 45.0302, 38.9702),
    ("Город", "Краснодар", "ул. Красная", "12 корп. 1", 45.0304, 38.9704),
    ("Город", "Краснодар", "ул. Красная", "14", 45.0310, 38.9710),
    ("Город", "Краснодар", "ул. Красноармейская", "12", 45.0400, 38.9800),
    ("Город", "Краснодар", "проспект Чекистов", "5", 45.0500, 38.9900),
    ("Город", "Краснодар", "пер. Мира", "4", 45.0350, 38.9750),
    ("Город", "Краснодар", "улица Мира", "4", 45.0360, 38.9760),
    ("Город", "Краснодар", "Ёлочная ул", "7", 45.0200, 38.9600),
    ("Город", "Краснодар", "ул. 40 лет Победы", "3", 45.0450, 38.9850),
    ("Посёлок", "Ахтырский", "ул. Красная", "12", 44.8500, 38.3000),
]


@pytest.fixture
def registry(db):
    city = MunicipalityFactory(code="city", name="Город", boundary=square(38.5, 44.9, 0.8), population=900_000)
    village = MunicipalityFactory(code="village", name="Посёлок", boundary=square(38.0, 44.6, 0.45),
                                  population=5_000)
    rows = [dict(zip(("municipality", "locality", "street", "house", "lat", "lon"), row, strict=True))
            for row in ROWS]
    services.addresses_load(actor=None, rows=rows)
    return {"city": city, "village": village}


def labels(places):
    return [p.label for p in places]


def test_house_numbers_are_written_one_way():
    assert house_key("12 А") == house_key("д. 12а") == "12а"
    assert house_key("12 корп. 1") == house_key("12к1") == "12к1"
    assert house_key("12/3 стр 2") == "12/3с2"
    assert parse_query("ул. 40 лет Победы, 12") .words == ("40", "лет", "победы")
    assert parse_query("ул. 40 лет Победы, 12").house == "12"


@pytest.mark.parametrize("typed", ["ул. Красная, д. 12", "улица красная 12", "Красная ул 12", "КРАСНАЯ,12",
                                   "г. Краснодар, ул.Красная, дом 12"])
def test_abbreviations_case_and_punctuation_find_the_same_house(registry, typed):
    best = selectors.search(typed)[0]
    assert (best.locality, best.street, best.house) == ("Краснодар", "ул. Красная", "12")


def test_yo_and_ye_are_one_letter(registry):
    assert selectors.search("Елочная 7")[0].label == "Краснодар, Ёлочная ул, 7"
    assert selectors.search("ёлочная 7")[0].label == "Краснодар, Ёлочная ул, 7"


def test_a_prospekt_by_any_of_its_names(registry):
    for typed in ("пр-т Чекистов 5", "проспект чекистов 5", "просп. Чекистов, 5", "Чекистов 5"):
        assert selectors.search(typed)[0].label == "Краснодар, проспект Чекистов, 5", typed


def test_exact_house_first_then_those_beginning_with_it(registry):
    found = [p.house for p in selectors.search("Красная 12") if p.locality == "Краснодар" and p.kind == "house"
             and p.street == "ул. Красная"]
    assert found == ["12", "12А", "12 корп. 1"]
    assert selectors.search("Красная 12 корп 1")[0].house == "12 корп. 1"


def test_a_street_named_exactly_ranks_above_one_that_begins_so(registry):
    streets = [p.street for p in selectors.search("красн") if p.locality == "Краснодар"]
    assert streets.index("ул. Красная") < streets.index("ул. Красноармейская")


def test_the_kind_named_ranks_that_kind_first(registry):
    assert selectors.search("пер. Мира 4")[0].street == "пер. Мира"
    assert selectors.search("ул. Мира 4")[0].street == "улица Мира"


def test_a_number_inside_a_name(registry):
    assert selectors.search("40 лет Победы 3")[0].label == "Краснодар, ул. 40 лет Победы, 3"


def test_a_typo_is_forgiven(registry):
    assert selectors.search("Красноармейкая 12")[0].street == "ул. Красноармейская"


def test_the_residents_municipality_first(registry):
    assert selectors.search("Красная 12")[0].locality == "Краснодар"  # equal matches: the larger municipality first
    assert selectors.search("Красная 12", municipality_id=registry["village"].pk)[0].locality == "Ахтырский"
    assert selectors.search("Ахтырский Красная 12")[0].locality == "Ахтырский"


def test_nothing_for_nonsense_or_too_little(registry):
    assert selectors.search("Несуществующая 1") == []
    assert selectors.search("к") == []
    assert selectors.search("") == []


def test_the_nearest_house_to_a_point(registry):
    place = selectors.nearest(45.03015, 38.97015)  # between 12 and 12А, nearer 12А
    assert place.label == "Краснодар, ул. Красная, 12А" and place.distance_m < 20
    far = selectors.nearest(45.0300, 38.9700 - 0.003)  # 236 m west of №12: still the nearest within 300 m
    assert far.house == "12" and 200 < far.distance_m < 300
    assert selectors.nearest(45.0300, 38.9700 - 0.005) is None  # nothing within 300 m
    assert selectors.nearest(45.0300, 38.9700 - 0.005, within_m=500).house == "12"


def test_geocode_one_refuses_what_is_ambiguous_or_missing(registry):
    place, reason = selectors.geocode_one("Краснодар, ул. Красная, 14")
    assert (place.house, reason) == ("14", "")
    assert selectors.geocode_one("ул. Красная, 12")[1] == "ambiguous"  # in two localities
    assert selectors.geocode_one("ул. Красная, 999") == (None, "none")  # the street is there, the house is not


def test_loading_again_moves_houses_and_doubles_nothing(registry):
    assert Address.objects.count() == len(ROWS)
    services.addresses_load(actor=None, rows=[{"municipality": "city", "locality": "Краснодар", "street": "Красная ул",
                                               "house": "д. 14", "lat": "45.0320", "lon": "38.9720"}])
    assert Address.objects.count() == len(ROWS)
    assert Street.objects.filter(key="красная").count() == 2  # Краснодар's and Ахтырский's
    assert selectors.search("Красная 14")[0].lat == pytest.approx(45.032)
    assert Event.objects.filter(kind="addresses.loaded").count() == 2


def test_a_bad_row_stops_the_load_unless_skipped(registry):
    rows = [{"locality": "Краснодар", "street": "ул. Новая", "house": "1", "lat": "45.03", "lon": "38.97"},
            {"locality": "Краснодар", "street": "ул. Новая", "house": "2", "lat": "", "lon": "38.97"},
            {"locality": "Краснодар", "street": "ул. Новая", "house": "3", "lat": "10", "lon": "10"}]
    with pytest.raises(ValidationError) as error:
        services.addresses_load(actor=None, rows=rows)
    assert "строка 3" in str(error.value) and "строка 4" in str(error.value)  # in Russian, the default
    assert not Street.objects.filter(key="новая").exists()
    result = services.addresses_load(actor=None, rows=rows, skip_invalid=True)
    assert (result.loaded, result.skipped) == (1, 2)
    assert selectors.search("Новая 1")[0].municipality_id == registry["city"].pk  # found from the point


def test_only_an_administrator_loads(registry):
    from django.core.exceptions import PermissionDenied

    from krai.org.tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.addresses_load(actor=UserFactory(), rows=[])


def test_the_command_reads_an_osm_style_csv(registry, tmp_path):
    path = tmp_path / "addresses.csv"
    path.write_text("addr:city;addr:street;addr:housenumber;lat;lon\n"
                    "Краснодар;ул. Садовая;1;45,0250;38,9650\n"
                    "Краснодар;ул. Садовая;3;45.0252;38.9654\n", encoding="utf-8-sig")
    call_command("load_addresses", str(path))
    assert selectors.search("садовая 3")[0].label == "Краснодар, ул. Садовая, 3"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value\nx,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="нет столбца"):
        call_command("load_addresses", str(bad))
