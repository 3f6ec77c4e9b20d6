"""Demo addresses: a few thousand plausible houses for the demo region's 44 municipalities.

Each administrative centre gets a small grid of streets with common Russian names (Krasnodar more of them,
towns fewer, district centres a handful), east–west streets and north–south ones about 180 m apart, houses
about 40 m apart along them — all inside the municipality. The geocoder finds them and the report form's
map snaps a click to them. Idempotent: the houses carry ``demo-…`` identifiers and an unchanged set is
left alone; otherwise the upsert adds only what is missing.
"""

from __future__ import annotations

from typing import TextIO

from krai.core.demo import demo_loader
from krai.org import demo_data as data
from krai.org import geo
from krai.org.addresses.loading import Row, store_rows
from krai.org.addresses.models import Address
from krai.org.models import Municipality

EAST_WEST = ["ул. Красная", "ул. Северная", "ул. Мира", "ул. Ленина", "ул. Садовая", "ул. Школьная",
             "ул. Советская", "ул. Гагарина", "ул. Пушкина", "ул. Набережная", "ул. Октябрьская",
             "ул. Комсомольская", "ул. Шевченко", "ул. Кирова", "пр-т Чекистов", "ул. 40 лет Победы"]
NORTH_SOUTH = ["ул. Ставропольская", "ул. Московская", "ул. Ёлочная", "пер. Мира", "ул. Красных Партизан",
               "ул. Тургенева", "ул. Зиповская", "ул. Лесная", "ул. Полевая", "ул. Солнечная", "бульвар Строителей",
               "ул. Крестьянская", "ул. Восточная", "ул. Западная", "ул. Заречная", "ул. Южная"]
STREET_STEP = 0.0016  # degrees between parallel streets (about 180 m of latitude)
HOUSE_STEP = 0.0005  # degrees between houses along a street (about 40–55 m)


def _size(municipality: dict) -> tuple[int, int]:
    """(streets each way, houses per street)."""
    if municipality["code"] == "krasnodar":
        return 16, 40
    if municipality["kind"] == "urban_okrug":
        return 8, 24
    return 3, 16


def plan() -> list[tuple[str, str, str, str, float, float, str]]:
    """(municipality code, locality, street, house, lat, lon, source id) of every demo house."""
    rows = []
    for m in data.MUNICIPALITIES:
        lon0, lat0 = m["centre"]
        streets, houses = _size(m)
        for i in range(streets):
            offset = (i - (streets - 1) / 2) * STREET_STEP
            for n in range(1, houses + 1):
                along = (n - houses / 2) * HOUSE_STEP
                number = str(n) if n % 7 else f"{n}а"
                rows.append((m["code"], m["admin_centre"], EAST_WEST[i], number, round(lat0 + offset, 6),
                             round(lon0 + along, 6), f"demo-{m['code']}-ew{i}-{n}"))
                rows.append((m["code"], m["admin_centre"], NORTH_SOUTH[i], number, round(lat0 + along, 6),
                             round(lon0 + offset * 1.4, 6), f"demo-{m['code']}-ns{i}-{n}"))
    return rows


@demo_loader(order=11)
def load_addresses(*, scale: int, stdout: TextIO) -> None:
    """The demo address registry (it does not grow with the scale: the region's houses stay the houses)."""
    planned = plan()
    ids = dict(Municipality.objects.values_list("code", "pk"))
    inside = geo.locate_many([(row[5], row[4]) for row in planned])
    rows = [Row(ids[row[0]], row[1], row[2], row[3], row[4], row[5], row[6])
            for row, found in zip(planned, inside, strict=True) if row[0] in ids and found == ids[row[0]]]
    if Address.objects.filter(source_id__startswith="demo-").count() == len(rows):
        stdout.write(f"  addresses: {len(rows)} demo houses present\n")
        return
    loaded, streets = store_rows(rows)
    stdout.write(f"  addresses: {loaded} demo houses, {streets} new streets\n")
