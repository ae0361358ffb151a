"""Benchmark of the grid engine on the generated city (5,500 grids, 500,500 buildings).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_grids.py [--no-qgis]

Prints: validation (and the same checks chained from QGIS's own algorithms:
native:checkvalidity + native:intersection of the layer with itself + native:difference
of the dissolved parents minus the grids, with the ratio), gridstats, the incremental
balance update after an edit, and the partition of one 2,000-building community.
Targets (issue 4): validate <= 5 s, gridstats <= 10 s, balance <= 100 ms, partition <= 10 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from grid_governance_plugin.core.grids import (  # noqa: E402
    BalanceIndex,
    grid_stats,
    partition_area,
    synth,
    validate_grids,
)


def timed(label: str, fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    dt = time.perf_counter() - t
    print(f"{label:<48s} {dt:8.3f} s")
    return out, dt


def qgis_chain(city) -> float:
    from qgis.core import QgsApplication, QgsFeature, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from grid_governance_plugin.core.store.qgsio import to_qgs

    def layer(geoms, name):
        lyr = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", name, "memory")
        feats = []
        for g in geoms:
            f = QgsFeature()
            f.setGeometry(to_qgs(g))
            feats.append(f)
        lyr.dataProvider().addFeatures(feats)
        return lyr

    grids = layer(city.grid_geoms, "grids")
    parents = layer(city.community_geoms, "parents")
    ctx, fb = QgsProcessingContext(), QgsProcessingFeedback()
    t = time.perf_counter()
    processing.run(
        "qgis:checkvalidity",
        {
            "INPUT_LAYER": grids,
            "METHOD": 2,
            "VALID_OUTPUT": "memory:",
            "INVALID_OUTPUT": "memory:",
            "ERROR_OUTPUT": "memory:",
        },
        context=ctx,
        feedback=fb,
    )
    processing.run(
        "native:intersection", {"INPUT": grids, "OVERLAY": grids, "OUTPUT": "memory:"}, context=ctx, feedback=fb
    )
    dissolved = processing.run("native:dissolve", {"INPUT": parents, "OUTPUT": "memory:"}, context=ctx, feedback=fb)[
        "OUTPUT"
    ]
    processing.run(
        "native:difference", {"INPUT": dissolved, "OVERLAY": grids, "OUTPUT": "memory:"}, context=ctx, feedback=fb
    )
    dt = time.perf_counter() - t
    print(f"{'QGIS chain (checkvalidity+intersection+difference)':<48s} {dt:8.3f} s")
    return dt


def main() -> None:
    city, _ = timed("generate city", synth.make_city, 25, 22, 5, 2, 200.0, 91)
    print(
        f"  {len(city.grid_geoms)} grids, {len(city.community_geoms)} communities, {len(city.building_geoms)} buildings"
    )
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[100].bounds
    geoms[100] = shapely.box(x0, y0, x1 + 5, y1)  # one overlap so the run is not trivially empty
    problems, t_val = timed(
        "validate (with parents)",
        validate_grids,
        geoms,
        city.grid_codes,
        parents=city.community_geoms,
        parent_codes=city.community_codes,
    )
    print(f"  {len(problems)} problems: {sorted({p.error_type for p in problems})}")
    comm = [city.community_codes[k] for k in city.grid_community]
    timed(
        "gridstats", grid_stats, city.grid_geoms, city.building_geoms, city.households, city.population, community=comm
    )
    idx, _ = timed(
        "balance index build (once per session)",
        BalanceIndex,
        city.grid_geoms,
        city.building_geoms,
        city.households,
        city.population,
        community=comm,
    )
    g0, g1 = city.grid_geoms[0], city.grid_geoms[1]
    bx0, by0, bx1, by1 = g1.bounds
    strip = shapely.box(bx0, by0, bx0 + 50, by1)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        idx.update({0: g0.union(strip), 1: g1.difference(strip)})
        idx.update({0: g0, 1: g1})
        times.append((time.perf_counter() - t) / 2)
    print(f"{'balance update after an edit (median of 20)':<48s} {np.median(times) * 1000:8.2f} ms")
    c = synth.make_community(1500, 1200, 2000, (500.0, 1000.0), (400.0, 800.0), seed=11)
    res, _ = timed(
        f"partition community ({len(c.buildings)} buildings)",
        partition_area,
        c.geom,
        c.buildings,
        c.households,
        c.roads,
        target=400,
        tolerance=10,
    )
    print(f"  {len(res.geoms)} grids, {res.n_units} units, max |deviation| {np.abs(res.deviation()).max():.1f} %")
    if "--no-qgis" not in sys.argv:
        t_q = qgis_chain(city)
        print(f"validation speed-up vs QGIS chain: {t_q / t_val:.1f}x")


if __name__ == "__main__":
    main()
