"""Getis-Ord Gi* hotspots: planted clusters, noise, FDR, filters and real Zürich reports."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.events import hotspots as hs

SIZE = 100.0  # metres
EXTENT = 2000.0  # 20 x 20 cells


def _noise(seed: int, n: int = 2000) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.5, EXTENT - 0.5, (n, 2))


def _cluster(seed: int, n: int = 600, centre=(1050.0, 1050.0), sd: float = 60.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(centre, sd, (n, 2))


def _grid() -> hs.Cells:
    return hs.square_grid((0.0, 0.0, EXTENT - 1, EXTENT - 1), SIZE)


def _significant(result: hs.HotspotResult) -> int:
    return sum(1 for c in result.classes if c != "not_significant")


def test_planted_cluster_is_hot_at_99_percent():
    xy = np.vstack([_noise(1), _cluster(2)])
    res = hs.hotspots(xy, cells=_grid(), permutations=999, seed=7)
    centre = res.cells.ids.index("R9C10")  # cell holding (1050, 1050): rows count from the north
    assert res.counts[centre] == res.counts.max()
    assert res.classes[centre] == "hot_99"
    assert res.z[centre] > 2.58 and res.p[centre] <= 0.01
    # the cluster's core (3 x 3 cells around the centre) is hot at 99 %
    core = [res.cells.ids.index(f"R{r}C{c}") for r in (8, 9, 10) for c in (9, 10, 11)]
    assert all(res.classes[i] == "hot_99" for i in core)
    # far from the cluster nothing is hot
    far = [i for i, cid in enumerate(res.cells.ids) if cid.startswith("R0C") or cid.startswith("R19C")]
    assert not any(res.classes[i].startswith("hot") for i in far)
    assert res.n_events == len(xy) and res.n_outside == 0


@pytest.mark.parametrize("weights", ["queen", "rook", "distance"])
def test_cluster_on_polygon_grid_with_every_weights(weights):
    """The same cells given as polygons (as a grid layer would) find the cluster with every weights."""
    grid = _grid()
    cells = hs.polygon_cells(list(grid.geoms), grid.ids)
    xy = np.vstack([_noise(3), _cluster(4)])
    res = hs.hotspots(xy, cells=cells, permutations=999, seed=3, weights=weights)
    centre = res.cells.ids.index("R9C10")
    assert res.classes[centre] == "hot_99"
    assert res.counts.sum() == len(xy)


def test_random_noise_is_mostly_not_significant_and_fdr_reduces_false_positives():
    res = hs.hotspots(_noise(11), cells=_grid(), permutations=999, seed=11)
    n = len(res.cells)
    raw = _significant(res)
    assert res.class_counts()["not_significant"] >= 0.8 * n  # at 90 % about 10 % false positives expected
    assert raw > 0  # there are some, which FDR should remove
    assert sum(1 for c in res.classes if c.endswith("_99")) <= 0.03 * n
    res_fdr = hs.hotspots(_noise(11), cells=_grid(), permutations=999, seed=11, fdr=True)
    assert _significant(res_fdr) < raw
    assert _significant(res_fdr) <= 0.01 * n
    assert res_fdr.cutoffs["90"] < 0.10  # BH cut-offs are stricter than the nominal alpha


def test_fdr_keeps_a_strong_cluster():
    xy = np.vstack([_noise(5), _cluster(6, n=1500, sd=80.0)])
    res = hs.hotspots(xy, cells=_grid(), permutations=9999, seed=5, fdr=True)
    centre = res.cells.ids.index("R9C10")
    assert res.classes[centre].startswith("hot_")
    assert res.classes[centre] in ("hot_99", "hot_95")


def test_uniform_counts_are_not_significant():
    grid = hs.square_grid((0.0, 0.0, 499.0, 499.0), SIZE)
    xy = np.array([[g.centroid.x, g.centroid.y] for g in grid.geoms])
    res = hs.hotspots(xy, cells=grid, permutations=99, seed=1)
    assert set(res.classes) == {"not_significant"}
    assert np.all(res.z == 0) and np.all(res.p == 1)


def test_regular_grid_over_the_event_extent_is_snapped_and_counts_every_event():
    xy = np.array([[105.0, 205.0], [395.0, 395.0], [250.0, 300.0], [300.0, 300.0]])
    grid = hs.square_grid((105.0, 205.0, 395.0, 395.0), SIZE)
    assert grid.origin == (100.0, 400.0)
    assert grid.shape == (2, 3)
    counts, cell_of = hs.count_in_cells(xy, grid)
    assert counts.sum() == len(xy) and (cell_of >= 0).all()
    # (300, 300) lies on a corner shared by four cells: counted once
    assert counts[grid.ids.index("R0C2")] == 2  # (300, 300) belongs to the cell whose lower-left corner it is
    with pytest.raises(hs.HotspotError):
        hs.square_grid((0, 0, 1e7, 1e7), 1.0)
    with pytest.raises(hs.HotspotError):
        hs.square_grid((0, 0, 10, 10), 0)


def test_point_on_a_shared_polygon_border_counts_once():
    a = shapely.box(0, 0, 10, 10)
    b = shapely.box(10, 0, 20, 10)
    cells = hs.polygon_cells([a, b], ["a", "b"])
    counts, cell_of = hs.count_in_cells(np.array([[10.0, 5.0], [15.0, 5.0], [50.0, 50.0]]), cells)
    assert counts.tolist() == [1, 1]
    assert cell_of.tolist() == [0, 1, -1]


def test_queen_tolerance_bridges_digitising_gaps_and_islands_get_their_nearest_cell():
    # three cells with a 0.5 m gap between the first two, one far away
    cells = hs.polygon_cells(
        [
            shapely.box(0, 0, 100, 100),
            shapely.box(100.5, 0, 200, 100),
            shapely.box(200, 0, 300, 100),
            shapely.box(1000, 0, 1100, 100),
        ],
        ["a", "b", "c", "far"],
    )
    w, islands = hs.spatial_weights(cells, "queen", tolerance=1.0)
    assert list(w.neighbors[0]) == [1]
    assert sorted(w.neighbors[1]) == [0, 2]
    assert islands == [3] and list(w.neighbors[3]) == [2]
    _, islands0 = hs.spatial_weights(cells, "queen", tolerance=0.0)
    assert islands0 == [0, 3]  # without tolerance the gap separates them (then nearest-cell links apply)
    # rook excludes corner-only contact, queen keeps it
    corner = hs.polygon_cells([shapely.box(0, 0, 10, 10), shapely.box(10, 10, 20, 20)], ["a", "b"])
    assert list(hs.spatial_weights(corner, "queen", tolerance=0.0)[0].neighbors[0]) == [1]
    assert hs.spatial_weights(corner, "rook", tolerance=0.0)[1] == [0, 1]  # both islands, linked to nearest


def test_time_window_and_category_filter():
    xy = np.array([[10.0, 10.0], [20.0, 20.0], [30.0, 30.0], [40.0, 40.0], [np.nan, np.nan]])
    utc = dt.timezone.utc
    times = [
        dt.datetime(2024, 1, 1, tzinfo=utc),
        dt.date(2024, 2, 1),
        "2024-03-01T00:00:00Z",
        None,
        dt.datetime(2024, 2, 1),
    ]
    cats = ["SJ0102", "SJ0102", "SJ0201", "SJ0102", "SJ0102"]
    m = hs.event_filter(5, times, cats, start=dt.date(2024, 1, 15), end=dt.datetime(2024, 3, 1, tzinfo=utc))
    assert m.tolist() == [False, True, False, False, True]
    assert hs.event_filter(5, times, cats, category="SJ0201").tolist() == [False, False, True, False, False]
    assert hs.event_filter(5, times, cats, category="SJ0201, SJ0102").all()
    grid = hs.square_grid((0, 0, 99, 99), 25.0)
    res = hs.hotspots(
        xy, cells=grid, times=times, categories=cats, start="2024-01-15", category=["SJ0102"], permutations=99, seed=1
    )
    assert res.n_events == 1 and res.n_filtered_out == 4


def test_too_few_cells_is_an_error():
    with pytest.raises(hs.HotspotError):
        hs.getis_ord_star(np.array([1, 2]), None)


@pytest.mark.usefixtures("qgis_app")
def test_real_zurich_reports_per_quarter(realdata):
    from qgis.core import QgsVectorLayer

    from grid_governance_plugin.core.store.qgsio import read_source

    reports = QgsVectorLayer(str(realdata / "zurich" / "zwn_reports.gpkg"), "reports", "ogr")
    quarters = QgsVectorLayer(str(realdata / "zurich" / "zurich_vermessungsbezirke_22_lv95.gpkg"), "q", "ogr")
    assert reports.isValid() and quarters.isValid()
    crs = reports.crs()
    ev = read_source(reports, crs, ["date", "service_code"])
    # the quarters are CurvePolygons: straighten them before shapely sees them
    names, geoms = [], []
    for f in quarters.getFeatures():
        g = f.geometry()
        g.convertToStraightSegment()
        names.append(f["name"])
        geoms.append(shapely.from_wkb(bytes(g.asWkb())))
    assert len(ev) == 62245 and len(names) == 22
    cells = hs.polygon_cells(shapely.make_valid(np.asarray(geoms, dtype=object)), names)
    res = hs.hotspots(ev.geoms, cells=cells, permutations=999, seed=42)
    # the 22 quarters tile the city: (nearly) every report lands in exactly one quarter
    assert res.n_events + res.n_outside == 62245
    assert res.n_outside < 0.01 * 62245
    assert res.counts.sum() == res.n_events
    assert not res.islands
    assert set(res.classes) <= set(hs.CLASSES)
    # Aussersihl (Kreis 4, Langstrasse) is the busiest quarter and, with its neighbours,
    # the city's hot spot at 99 %; the quiet eastern hills are below expectation.
    busiest = int(np.argmax(res.counts))
    assert names[busiest] == "Aussersihl"
    assert res.classes[busiest] == "hot_99" and busiest == int(np.argmax(res.z))
    assert res.z[names.index("Witikon")] < 0 and res.z[names.index("Hirslanden")] < 0
    assert not any(c.startswith("cold_99") for c in res.classes)

    # one year, one category: filters apply before counting
    waste = hs.hotspots(
        ev.geoms,
        cells=cells,
        times=[a["date"] for a in ev.attributes],
        categories=[a["service_code"] for a in ev.attributes],
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
        category="Graffiti",
        permutations=999,
        seed=42,
    )
    expected = sum(
        1
        for a in ev.attributes
        if a["service_code"] == "Graffiti"
        and a["date"] is not None
        and dt.date(2020, 1, 1) <= a["date"] < dt.date(2021, 1, 1)
    )
    assert 0 < waste.n_events + waste.n_outside == expected


def test_a_grid_without_geometry_stays_an_isolate():
    grid = _grid()
    geoms = list(grid.geoms)
    geoms[0] = None  # a grid row whose polygon is missing in the layer
    cells = hs.polygon_cells(geoms, grid.ids)
    xy = np.vstack([_noise(3), _cluster(4)])
    res = hs.hotspots(xy, cells=cells, permutations=99, seed=3)
    assert res.counts[0] == 0 and res.classes[0] == "not_significant" and res.p[0] == 1.0
    assert 0 not in res.islands  # nothing to link it to: it has no position
    assert res.n_outside > 0  # the events in its square are in no cell
    assert res.classes[res.cells.ids.index("R9C10")] in ("hot_99", "hot_95")
