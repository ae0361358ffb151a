"""Patrol tracks: reading (GPX/CSV/GeoJSON, GCJ-02/BD-09), cleaning, and coverage on a track of known coverage."""

from __future__ import annotations

import datetime as dt
import json
import math
import random

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.events.coords import from_wgs84
from grid_governance_plugin.core.patrol import coverage as cov
from grid_governance_plugin.core.patrol import tracks as tr_

LON0, LAT0 = 116.40, 39.90
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0
T0 = dt.datetime(2024, 3, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def lonlat(x, y):
    return LON0 + x / KX, LAT0 + y / KY


def project(lon, lat):
    return (np.asarray(lon) - LON0) * KX, (np.asarray(lat) - LAT0) * KY


def walk(points, step_m=12.0, step_s=10.0):
    """Fixes every step_s seconds along a polyline of metric points, from T0."""
    out, t = [], 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, round(math.hypot(x1 - x0, y1 - y0) / step_m))
        for k in range(n):
            out.append(((x0 + (x1 - x0) * k / n), (y0 + (y1 - y0) * k / n), t))
            t += step_s
    out.append((*points[-1], t))
    return out


def fixes_of(worker, xyt):
    return [tr_.Fix(worker, T0 + dt.timedelta(seconds=t), *lonlat(x, y)) for x, y, t in xyt]


# A grid of 600 m x 600 m with a street network of 3 x 3 lines of 400 m inside (2,400 m of street)
GRID = shapely.box(-100, -100, 500, 500)
EAST = shapely.box(500, -100, 1100, 500)
STREETS = [shapely.LineString([(0, y), (400, y)]) for y in (0, 200, 400)] + [
    shapely.LineString([(x, 0), (x, 400)]) for x in (0, 200, 400)
]
EAST_STREETS = [shapely.LineString([(600, 200), (1000, 200)])]
# the walk: along the bottom street, up the right one, back along the top, with a 15-minute stay
ROUTE = [(0, 0), (400, 0), (400, 400), (200, 400)]
ROUTE2 = [(200, 400), (0, 400)]
# expected by hand with a 30 m buffer: bottom, right and top streets in full (1,200 m), 30 m at each
# end of the left and middle verticals (4 x 30 m) and 30 m of the middle horizontal near the right one
EXPECTED_WALKED = 1200 + 4 * 30 + 30


def clean_track():
    first = walk(ROUTE)
    t_end = first[-1][2]
    stay = [
        (200 + random.Random(k).uniform(-3, 3), 400, t_end + 30 * k) for k in range(1, 31)
    ]  # 15 minutes within a few metres, along the street
    second = [(x, y, t + stay[-1][2] + 10) for x, y, t in walk(ROUTE2)]
    return first + stay + second


def run(fixes, **kw):
    segments, reports = tr_.clean(fixes)
    tracks = cov.to_segments(segments, project)
    grids = [("G1", GRID, "W1"), ("G2", EAST, "W2")]
    return cov.coverage(tracks, grids, STREETS + EAST_STREETS, **kw), reports


def test_known_coverage_of_a_clean_track():
    xyt = clean_track()
    res, reports = run(fixes_of("W1", xyt))
    assert reports[0].dropped == 0 and reports[0].gaps == 0
    rows = {(r.grid_code, r.worker_id): r for r in res.rows}
    g1 = rows[("G1", "W1")]
    assert g1.assigned and g1.street_m == pytest.approx(2400)
    assert g1.walked_m == pytest.approx(EXPECTED_WALKED, abs=0.5)
    assert g1.share == pytest.approx(EXPECTED_WALKED / 2400, abs=1e-3)
    assert g1.inside_s == pytest.approx(xyt[-1][2] - xyt[0][2])
    # the stay also holds the walk within 50 m of where it began (at 1.2 m/s: under 84 s more)
    assert g1.stays == 1 and 15.0 <= g1.stay_min <= 15.0 + 100 / 1.2 / 60
    g2 = rows[("G2", "W2")]  # the east grid's worker never came: 0 %, all its street unvisited
    assert g2.walked_m == 0 and g2.share == 0 and g2.inside_s == 0 and g2.fixes == 0
    unvisited = dict(res.unvisited)
    assert shapely.length(unvisited["G2"]) == pytest.approx(400)
    assert shapely.length(unvisited["G1"]) == pytest.approx(2400 - EXPECTED_WALKED, abs=0.5)
    assert cov.worker_shares(res) == pytest.approx({"W1": EXPECTED_WALKED / 2400, "W2": 0.0}, abs=1e-3)


def test_a_dirty_track_gives_the_same_coverage_and_says_what_was_dropped():
    xyt = clean_track()
    clean = fixes_of("W1", xyt)
    dirty = list(clean)
    dirty += [clean[i] for i in (3, 17, 40, 41, 80)]  # 5 duplicates
    spike_at = clean[60].at + dt.timedelta(seconds=1)  # 2 km away for one second
    dirty.append(tr_.Fix("W1", spike_at, *lonlat(2000 + 400, 0)))
    dirty.append(tr_.Fix("W1", clean[10].at + dt.timedelta(seconds=2), 200.0, 95.0))  # not in China
    # the phone sends nothing while standing for 15 minutes: no split
    stay_idx = [i for i, (x, y, t) in enumerate(xyt) if abs(y - 400) < 5 and abs(x - 200) < 5]
    silent = set(stay_idx[1:-1])
    dirty = [f for i, f in enumerate(dirty) if i not in silent]
    rnd = random.Random(7)
    rnd.shuffle(dirty)  # uploaded in batches, out of order
    res, reports = run(dirty)
    rep = reports[0]
    assert (rep.duplicates, rep.jumps, rep.invalid, rep.gaps, rep.relocations) == (5, 1, 1, 0, 0)
    assert rep.unsorted > 0 and rep.kept == len(clean) - len(silent)
    assert "5" in rep.summary() and "W1" in rep.summary()
    g1 = next(r for r in res.rows if r.grid_code == "G1" and r.worker_id == "W1")
    assert g1.walked_m == pytest.approx(EXPECTED_WALKED, abs=0.5)
    assert g1.stays == 1


def test_gap_with_movement_splits_and_relocation_is_kept():
    a = fixes_of("W", walk([(0, 0), (100, 0)]))
    later = [
        tr_.Fix("W", f.at + dt.timedelta(minutes=30), *lonlat(x, 300))
        for f, (x, _y, _t) in zip(a, walk([(0, 0), (100, 0)]))
    ]
    segs, rep = tr_.clean_worker("W", a + later)
    assert rep.gaps == 1 and len(segs) == 2  # no walk assumed across 30 silent minutes and 300 m
    # a bus ride: the fixes continue 3 km away, consistently: a relocation, not a jump
    bus = [tr_.Fix("W", a[-1].at + dt.timedelta(seconds=20 + 10 * k), *lonlat(3000 + 10 * k, 0)) for k in range(5)]
    segs, rep = tr_.clean_worker("W", a + bus)
    assert rep.relocations == 1 and rep.jumps == 0 and len(segs) == 2 and rep.kept == len(a) + 5


def test_readers_convert_gcj02_and_bd09_and_name_bad_rows(tmp_path):
    x0, y0 = lonlat(100, 100)
    g = from_wgs84(x0, y0, "gcj02")
    b = from_wgs84(x0, y0, "bd09")
    csv_path = tmp_path / "app.csv"
    csv_path.write_text(
        "worker_id,time,lon,lat,coord_sys\n"
        f"W7,2024-03-05 09:00:00,{g[0]},{g[1]},gcj02\n"
        f"W7,2024-03-05T01:00:10Z,{b[0]},{b[1]},BD-09\n"
        f"W7,not a time,{x0},{y0},wgs84\n"
        f"W7,2024-03-05 09:00:20,{x0},{y0},mercator\n"
        f",2024-03-05 09:00:30,{x0},{y0},wgs84\n",
        encoding="utf-8",
    )
    got = tr_.read_tracks(csv_path)
    assert len(got.fixes) == 2 and len(got.problems) == 3
    assert "line 4" in got.problems[0] and "line 5" in got.problems[1] and "line 6" in got.problems[2]
    for f in got.fixes:
        assert f.lon == pytest.approx(x0, abs=1e-7) and f.lat == pytest.approx(y0, abs=1e-7)
    assert got.fixes[1].at - got.fixes[0].at == dt.timedelta(seconds=10)  # naive = Beijing time

    gj = tmp_path / "app.geojson"
    gj.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": list(g)},
                        "properties": {"worker_id": "W8", "time": 1709600400000, "coord_sys": "gcj02"},
                    },
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [list(b), list(b)]},
                        "properties": {
                            "worker_id": "W8",
                            "times": ["2024-03-05T09:00:10+08:00", "2024-03-05T09:00:20+08:00"],
                            "coord_sys": "bd09",
                        },
                    },
                    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {}},
                ],
            }
        ),
        encoding="utf-8",
    )
    got = tr_.read_tracks(gj)
    assert len(got.fixes) == 3 and len(got.problems) == 1 and "feature 3" in got.problems[0]
    assert got.fixes[0].at == dt.datetime(2024, 3, 5, 1, 0, tzinfo=dt.timezone.utc)
    assert all(f.lon == pytest.approx(x0, abs=1e-7) for f in got.fixes)


def test_gpx(tmp_path):
    pytest.importorskip("gpxpy")
    pts = "".join(
        f'<trkpt lat="{lonlat(12 * k, 0)[1]}" lon="{lonlat(12 * k, 0)[0]}"><time>2024-03-05T01:00:{10 * k:02d}Z</time></trkpt>'
        for k in range(5)
    )
    path = tmp_path / "w9.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="app" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>巡查</name><trkseg>{pts}</trkseg></trk></gpx>",
        encoding="utf-8",
    )
    got = tr_.read_tracks(path, worker_id="W9")
    assert [f.worker_id for f in got.fixes] == ["W9"] * 5 and not got.problems
    assert got.fixes[-1].at == dt.datetime(2024, 3, 5, 1, 0, 40, tzinfo=dt.timezone.utc)
    assert tr_.read_tracks(path).fixes[0].worker_id == "巡查"  # no worker given: the track's name
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx><trk>", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.gpx"):
        tr_.read_tracks(bad)


def test_map_styles_of_the_outputs(qgis_app):
    from qgis.core import QgsGraduatedSymbolRenderer

    from grid_governance_plugin.core.patrol.styles import apply_style
    from tests.helpers import memory_layer

    lines = memory_layer("LineString", [shapely.LineString([(0, 0), (1, 1)])], "EPSG:4548")
    apply_style(lines, "unvisited")
    layer = lines.renderer().symbol().symbolLayer(0)
    assert layer.color().name() == "#e31a1c" and layer.penStyle() != 1  # red, not a solid line
    apply_style(lines, "tracks")
    assert lines.renderer().symbol().color().name() == "#1f78b4"
    grids = memory_layer("Polygon", [shapely.box(0, 0, 1, 1)], "EPSG:4548", "share:double", [(0.3,)])
    apply_style(grids, "coverage")
    assert isinstance(grids.renderer(), QgsGraduatedSymbolRenderer) and grids.renderer().classAttribute() == "share"
