"""gridgov:importpatroltracks and gridgov:patrolcoverage through Processing, on a track of known coverage."""

from __future__ import annotations

import datetime as dt
import random

import psycopg2
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

from grid_governance_plugin.core.events.coords import from_wgs84
from grid_governance_plugin.processing.alg_patrol import (
    ALGORITHMS,
    ImportPatrolTracksAlgorithm,
    PatrolCoverageAlgorithm,
)
from tests.core.test_patrol import EAST, EAST_STREETS, EXPECTED_WALKED, GRID, STREETS, T0, clean_track
from tests.helpers import memory_layer, run_alg

METRIC = "EPSG:4548"  # CGCS2000 3-degree Gauss-Kruger, CM 117E
X0, Y0 = 500000.0, 4420000.0  # about 117E 39.9N


def _to_lonlat():
    return QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(METRIC), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )


def _csv(path, xyt, dirty=False):
    tr = _to_lonlat()
    lines = ["worker_id,time,lon,lat,coord_sys"]
    rows = []
    for x, y, t in xyt:
        p = tr.transform(QgsPointXY(X0 + x, Y0 + y))
        g = from_wgs84(p.x(), p.y(), "gcj02")  # the app reports AMap coordinates
        rows.append(f"W1,{(T0 + dt.timedelta(seconds=t)).isoformat()},{g[0]:.9f},{g[1]:.9f},gcj02")
    if dirty:
        rows += [rows[i] for i in (3, 17, 40, 41, 80)]  # resent batches
        p = tr.transform(QgsPointXY(X0 + 2400, Y0))
        spike = (T0 + dt.timedelta(seconds=xyt[60][2] + 1)).isoformat()
        rows.append(f"W1,{spike},{p.x():.9f},{p.y():.9f},wgs84")  # 2 km away for one second
        rows.append("W1,not a time,116.4,39.9,wgs84")
        random.Random(3).shuffle(rows)
    path.write_text("\n".join(lines + rows) + "\n", encoding="utf-8")
    return path


def _layers():
    import shapely.affinity as aff

    grids = memory_layer(
        "MultiPolygon",
        [aff.translate(GRID, X0, Y0), aff.translate(EAST, X0, Y0)],
        METRIC,
        "grid_code:string&field=worker_id:string",
        [("G1", "W1"), ("G2", "W2")],
    )
    roads = memory_layer("LineString", [aff.translate(g, X0, Y0) for g in STREETS + EAST_STREETS], METRIC)
    return grids, roads


def _qdt(t: dt.datetime) -> QDateTime:
    u = t.astimezone(dt.timezone.utc)
    return QDateTime(QDate(u.year, u.month, u.day), QTime(u.hour, u.minute, u.second), Qt.UTC)


def test_algorithms_are_exported_with_their_public_parameters():
    assert {a.ALG_ID for a in ALGORITHMS} == {"patrolcoverage", "importpatroltracks"}
    alg = PatrolCoverageAlgorithm().create()
    alg.initAlgorithm()
    assert {"TRACKS", "GRIDS", "ROADS", "START", "END", "OUTPUT"} <= {p.name() for p in alg.parameterDefinitions()}


@pytest.mark.postgis
def test_import_dirty_csv_into_the_store_then_coverage(qgis_app, qgis_processing, tmp_path, gridgov_db, pg_service):
    xyt = clean_track()
    path = _csv(tmp_path / "w1.csv", xyt, dirty=True)
    params = {"INPUT": [str(path)], "DATABASE": f"service={pg_service}", "OUTPUT": "TEMPORARY_OUTPUT"}
    results, layers, fb = run_alg(ImportPatrolTracksAlgorithm, params)
    assert (results["DUPLICATES"], results["JUMPS"], results["UNREADABLE"]) == (5, 1, 1)
    assert results["UNSORTED"] > 0 and results["FIXES"] == len(xyt) == results["STORED"]
    assert any("W1" in m and "5" in m for m in fb.infos)  # the per-worker report
    assert any("W1" in m for m in fb.warnings)  # not in the worker list
    again, _l, _f = run_alg(ImportPatrolTracksAlgorithm, params)
    assert again["STORED"] == 0  # importing twice changes nothing
    conn = psycopg2.connect(gridgov_db)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT worker_id) FROM gridgov.patrol_fix")
        assert cur.fetchone() == (len(xyt), 1)
    conn.close()

    grids, roads = _layers()
    cov_params = {
        "TRACKS": layers["OUTPUT"],
        "GRIDS": grids,
        "ROADS": roads,
        "START": _qdt(T0 - dt.timedelta(hours=1)),
        "END": _qdt(T0 + dt.timedelta(hours=3)),
        "OUTPUT": "TEMPORARY_OUTPUT",
        "UNVISITED": "TEMPORARY_OUTPUT",
        "CLEAN_TRACKS": "TEMPORARY_OUTPUT",
        "STAYS": "TEMPORARY_OUTPUT",
    }
    results, out, fb = run_alg(PatrolCoverageAlgorithm, cov_params)
    rows = {(f["grid_code"], f["worker_id"]): f for f in out["OUTPUT"].getFeatures()}
    g1 = rows[("G1", "W1")]
    assert g1["assigned"] and g1["street_m"] == pytest.approx(2400, abs=0.1)
    assert g1["walked_m"] == pytest.approx(EXPECTED_WALKED, abs=0.5)
    assert g1["share"] == pytest.approx(EXPECTED_WALKED / 2400, abs=1e-3)
    assert g1["stays"] == 1 and g1["inside_min"] == pytest.approx((xyt[-1][2] - xyt[0][2]) / 60, abs=0.1)
    assert rows[("G2", "W2")]["share"] == 0
    unvisited = {f["grid_code"]: f["length_m"] for f in out["UNVISITED"].getFeatures()}
    assert unvisited == pytest.approx({"G1": 2400 - EXPECTED_WALKED, "G2": 400.0}, abs=0.5)
    assert out["CLEAN_TRACKS"].featureCount() == 1 and out["STAYS"].featureCount() == 1

    # a period before the walk: nothing walked, still one row per grid's worker
    empty = dict(cov_params, START=_qdt(T0 - dt.timedelta(days=2)), END=_qdt(T0 - dt.timedelta(days=1)))
    _r, out, fb = run_alg(
        PatrolCoverageAlgorithm,
        {k: v for k, v in empty.items() if k in ("TRACKS", "GRIDS", "ROADS", "START", "END", "OUTPUT")},
    )
    assert sorted((f["grid_code"], f["share"]) for f in out["OUTPUT"].getFeatures()) == [("G1", 0.0), ("G2", 0.0)]
    assert any("period" in w for w in fb.warnings)


def test_bad_parameters_fail_with_a_message(qgis_app, qgis_processing):
    grids, roads = _layers()
    tracks = memory_layer("Point", [], "EPSG:4326", "who:string")
    _r, _l, fb = run_alg(
        PatrolCoverageAlgorithm,
        {
            "TRACKS": tracks,
            "GRIDS": grids,
            "ROADS": roads,
            "START": _qdt(T0),
            "END": _qdt(T0 + dt.timedelta(days=1)),
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
        expect_ok=False,
    )
    assert any("worker_id" in e for e in fb.errors)
