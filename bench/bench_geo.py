"""Point → municipality lookups per second: Krai's STRtree index against a naive loop, in one run.

    .venv/bin/python bench/bench_geo.py [--points 100000] [--naive-points 20000] [--seed 1]

The 44 demo boundaries (Voronoi cells of the real centres clipped to the region's outline) are built
in memory, so no database is needed. Random points fall in the region's bounding box (some in the
sea, outside every municipality). Three ways are timed on the same points:

* naive       — for each point, test every polygon in turn (unprepared), first hit wins;
* locate      — ``krai.org.geo.locate``: the per-call API (version check, STRtree, prepared polygons);
* locate_many — ``krai.org.geo.locate_many``: one version check, vectorised, for bulk work.

The naive loop is slow, so it runs on a prefix of the points; rates are per second either way, and
the answers of all three are checked to agree on the shared prefix.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--naive-points", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np
    import shapely

    from krai.org import demo, geo

    cells = demo.municipality_cells()
    codes = sorted(cells)
    ids = np.arange(1, len(codes) + 1, dtype=np.int64)  # ids in code order, as the real index holds them
    prepared = [shapely.from_wkb(shapely.to_wkb(cells[c])) for c in codes]
    for g in prepared:
        shapely.prepare(g)
    geometries = np.array(prepared, dtype=object)
    # install the index as the process's own, under the cache's current version: locate() uses it as is
    geo._index = geo.Index(version=geo.current_version(), ids=ids, geometries=geometries)
    plain = [cells[c] for c in codes]  # unprepared, for the naive loop

    min_lon, min_lat, max_lon, max_lat = demo.region_outline().bounds
    rng = random.Random(args.seed)
    points = [(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)) for _ in range(args.points)]
    naive_points = points[: args.naive_points]

    def naive(lon: float, lat: float) -> int | None:
        point = shapely.Point(lon, lat)
        for pk, polygon in zip(ids, plain, strict=True):
            if polygon.intersects(point):
                return int(pk)
        return None

    def timed(label: str, count: int, func):
        started = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - started
        return label, count, seconds, result

    runs = [
        timed("naive loop over 44 polygons", len(naive_points), lambda: [naive(x, y) for x, y in naive_points]),
        timed("geo.locate (per call)", len(points), lambda: [geo.locate(x, y) for x, y in points]),
        timed("geo.locate_many (batch)", len(points), lambda: geo.locate_many(points)),
    ]
    baseline = runs[0]
    for _, _, _, result in runs[1:]:
        assert result[: len(naive_points)] == baseline[3], "the index and the naive loop disagree"
    inside = sum(pk is not None for pk in runs[2][3])

    print(f"Point → municipality, {len(codes)} municipalities, {len(points):,} random points in the region's box "
          f"({inside / len(points):.0%} inside a municipality); the naive loop on the first {len(naive_points):,}.")
    base_rate = baseline[1] / baseline[2]
    for label, count, seconds, _ in runs:
        rate = count / seconds
        print(f"  {label:<30} {rate:>12,.0f} lookups/s  {seconds * 1e6 / count:>8.1f} µs each  "
              f"×{rate / base_rate:,.1f} vs naive")


if __name__ == "__main__":
    main()
