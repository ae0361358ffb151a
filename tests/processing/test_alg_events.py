"""gridgov:hotspots, gridgov:overduecases and gridgov:importopen311 through Processing."""

from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import psycopg2
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

from grid_governance_plugin.processing.alg_events import (
    ALGORITHMS,
    HotspotsAlgorithm,
    ImportOpen311Algorithm,
    OverdueCasesAlgorithm,
)
from tests.helpers import report_event
from tests.helpers import run_alg as _run

sys.path.append("/usr/share/qgis/python/plugins")

METRIC = "EPSG:4549"  # CGCS2000 3-degree Gauss-Kruger CM 120E
X0, Y0 = 500000.0, 3430000.0  # about 120E 31N (Shanghai/Suzhou)


def _utc(y, m, d, hh=0, mm=0) -> QDateTime:
    return QDateTime(QDate(y, m, d), QTime(hh, mm), Qt.UTC)


def _events_layer(xy: np.ndarray, crs: str = "EPSG:4326", times=None, cats=None) -> QgsVectorLayer:
    """Points given in METRIC coordinates, stored in ``crs`` (the store keeps lon/lat)."""
    layer = QgsVectorLayer(f"Point?crs={crs}&field=reported_at:datetime&field=category_code:string", "events", "memory")
    tr = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(METRIC), QgsCoordinateReferenceSystem(crs), QgsProject.instance()
    )
    feats = []
    for i, (x, y) in enumerate(xy):
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromPointXY(QgsPointXY(x, y))
        g.transform(tr)
        f.setGeometry(g)
        f.setAttributes(
            [times[i] if times is not None else _utc(2024, 5, 1), cats[i] if cats is not None else "SJ0102"]
        )
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


def _grid_layer(n: int = 15, size: float = 100.0) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Polygon?crs={METRIC}&field=grid_code:string", "grids", "memory")
    feats = []
    for r in range(n):
        for c in range(n):
            f = QgsFeature(layer.fields())
            x, y = X0 + c * size, Y0 + r * size
            f.setGeometry(
                QgsGeometry.fromWkt(f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))")
            )
            f.setAttributes([f"G{r:02d}{c:02d}"])
            feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


def _scene(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.uniform((X0 + 1, Y0 + 1), (X0 + 1499, Y0 + 1499), (900, 2))
    cluster = rng.normal((X0 + 750, Y0 + 750), 50, (400, 2))
    return np.vstack([noise, cluster])


def test_algorithms_are_exported():
    names = [a().create().name() for a in ALGORITHMS]
    assert names == ["hotspots", "overduecases", "importopen311", "escalateoverdue"]
    for a in ALGORITHMS:
        alg = a().create()
        alg.initAlgorithm()
        assert alg.groupId() == "events" and alg.shortHelpString() and alg.displayName()
    hot = HotspotsAlgorithm().create()  # keep the algorithm alive while reading its parameters
    params = {p.name() for p in hot.parameterDefinitions()}
    assert {"EVENTS", "GRIDS", "CELL_SIZE", "START", "END", "CATEGORY", "PERMUTATIONS", "FDR", "OUTPUT"} <= params
    overdue = OverdueCasesAlgorithm().create()
    assert {p.name() for p in overdue.parameterDefinitions()} >= {"DATABASE", "AT", "OUTPUT"}
    assert overdue.parameterDefinition("DATABASE").type() == "providerconnection"
    imp = ImportOpen311Algorithm().create()
    assert {p.name() for p in imp.parameterDefinitions()} >= {"ENDPOINT", "START", "END", "DATABASE", "SERVICE_MAP"}


def test_hotspots_on_grid_polygons(qgis_app, qgis_processing):
    events = _events_layer(_scene())
    _, layers, fb = _run(
        HotspotsAlgorithm,
        {"EVENTS": events, "GRIDS": _grid_layer(), "PERMUTATIONS": 999, "SEED": 3, "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    out = layers["OUTPUT"]
    assert out.featureCount() == 225 and out.crs().authid() == METRIC
    names = [f.name() for f in out.fields()]
    assert names == ["grid_code", "count", "gi_z", "gi_p", "class"]
    feats = {f["grid_code"]: f for f in out.getFeatures()}
    centre = feats["G0707"]  # holds (X0 + 750, Y0 + 750)
    assert centre["class"] == "hot_99" and centre["gi_z"] > 2.58 and centre["gi_p"] <= 0.01
    assert sum(f["count"] for f in feats.values()) == 1300
    assert not any(f["class"].startswith("hot") for k, f in feats.items() if k.startswith("G00") or k.startswith("G14"))
    assert any("hot_99" in i for i in fb.infos)


def test_hotspots_on_a_regular_grid_with_filters(qgis_app, qgis_processing):
    xy = _scene(2)
    n = len(xy)
    # the cluster is SJ0201 in 2024; the noise SJ0102 spread over 2023-2024
    times = [_utc(2023 + (i % 2), 3 + i % 9, 1 + i % 27) if i < 900 else _utc(2024, 6, 1 + i % 27) for i in range(n)]
    cats = ["SJ0102" if i < 900 else "SJ0201" for i in range(n)]
    events = _events_layer(xy, times=times, cats=cats)
    _, layers, fb = _run(
        HotspotsAlgorithm,
        {
            "EVENTS": events,
            "CELL_SIZE": 100,
            "START": _utc(2024, 1, 1),
            "END": _utc(2025, 1, 1),
            "CATEGORY": "SJ0201",
            "PERMUTATIONS": 999,
            "SEED": 4,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = layers["OUTPUT"]
    assert [f.name() for f in out.fields()] == ["cell_id", "row", "col", "count", "gi_z", "gi_p", "class"]
    assert sum(f["count"] for f in out.getFeatures()) == 400  # only the 2024 SJ0201 cluster
    assert any(i.startswith("400 events") for i in fb.infos)
    hot = [f for f in out.getFeatures() if f["class"] == "hot_99"]
    assert hot
    # the regular grid is in the metric CRS chosen for lon/lat events (CGCS2000 GK zone of 120E)
    assert out.crs().authid() == "EPSG:4549"
    centre = QgsGeometry.fromPointXY(QgsPointXY(X0 + 750, Y0 + 750))
    assert any(f.geometry().intersects(centre) for f in hot)


def test_hotspots_fdr_and_errors(qgis_app, qgis_processing):
    rng = np.random.default_rng(9)
    noise = rng.uniform((X0 + 1, Y0 + 1), (X0 + 1499, Y0 + 1499), (1500, 2))
    events = _events_layer(noise)
    _, plain, _ = _run(
        HotspotsAlgorithm, {"EVENTS": events, "GRIDS": _grid_layer(), "SEED": 1, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    _, fdr, _ = _run(
        HotspotsAlgorithm,
        {"EVENTS": events, "GRIDS": _grid_layer(), "SEED": 1, "FDR": True, "OUTPUT": "TEMPORARY_OUTPUT"},
    )

    def significant(layer):
        return sum(1 for f in layer.getFeatures() if f["class"] != "not_significant")

    assert significant(plain["OUTPUT"]) <= 0.2 * 225
    assert significant(fdr["OUTPUT"]) < max(significant(plain["OUTPUT"]), 1)
    # a time window on events without a time field is an error, not a silent no-op
    bare = QgsVectorLayer(f"Point?crs={METRIC}", "bare", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0, Y0)))
    bare.dataProvider().addFeatures([f])
    _, _, fb = _run(
        HotspotsAlgorithm,
        {"EVENTS": bare, "CELL_SIZE": 100, "START": _utc(2024, 1, 1), "OUTPUT": "TEMPORARY_OUTPUT"},
        expect_ok=False,
    )
    assert any("time field" in e for e in fb.errors)


# ----------------------------------------------------------------------------- database algorithms


@pytest.fixture
def service_db(gridgov_db, pg_service):
    """The migrated database (gridgov_db and pg_service share fresh_db), named 'service=gridgov_test'."""
    return gridgov_db, f"service={pg_service}"


def _report(cur, ext: str, category: str, lon: float = 116.3975, lat: float = 39.9087) -> str:
    ten_hours_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=10)
    return report_event(cur, ext, category, lon, lat, reported_at=ten_hours_ago)


@pytest.mark.postgis
def test_overduecases_lists_open_cases_past_or_near_their_deadline(qgis_app, qgis_processing, service_db):
    dsn, conn_name = service_db
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        late = _report(cur, "late", "SJ0102")
        soon = _report(cur, "soon", "SJ0102")
        later = _report(cur, "later", "SJ0102")
        closed = _report(cur, "closed", "SJ0102")
        # deadlines relative to now: 5 h late, due in 2 h, due in 30 h; a voided case is not open.
        # A deadline changes only by a transition or an escalation (migration 008): set them as the owner.
        cur.execute("SET ROLE gridgov_owner")
        cur.execute(
            "UPDATE gridgov.event SET deadline_at = now() - interval '5 hours', grid_code = '110101001001001'"
            " WHERE id = %s",
            (late,),
        )
        cur.execute("UPDATE gridgov.event SET deadline_at = now() + interval '2 hours' WHERE id = %s", (soon,))
        # beyond 4 working hours whatever the hour and holidays (the horizon counts working time, 009)
        cur.execute("UPDATE gridgov.event SET deadline_at = now() + interval '30 days' WHERE id = %s", (later,))
        cur.execute("UPDATE gridgov.event SET deadline_at = now() - interval '50 hours' WHERE id = %s", (closed,))
        cur.execute("RESET ROLE")
        cur.execute("SELECT gridgov.transition(%s::uuid, 'void', 'tester', 'invalid')", (closed,))
        # hours late/left by the clock (a unit a city may choose): the figures below do not hang on the hour
        cur.execute("UPDATE gridgov.event_category SET time_unit = 'calendar_hours' WHERE code = 'SJ0102'")
    conn.close()

    results, layers, fb = _run(OverdueCasesAlgorithm, {"DATABASE": conn_name, "OUTPUT": "TEMPORARY_OUTPUT"})
    out = layers["OUTPUT"]
    feats = {f["id"]: f for f in out.getFeatures()}
    assert set(feats) == {late, soon}  # HORIZON default 4 h
    assert results["OVERDUE"] == 1
    f = feats[late]
    assert f["overdue"] and f["hours_overdue"] == pytest.approx(5.0, abs=0.05)
    assert f["grid_code"] == "110101001001001" and f["department"] == "HW" and f["category_code"] == "SJ0102"
    assert f["minor"] == "暴露垃圾" and f["status"] == "reported"
    assert f.geometry().asPoint().x() == pytest.approx(116.3975)
    assert out.crs().authid() == "EPSG:4490"
    assert not feats[soon]["overdue"] and feats[soon]["hours_left"] == pytest.approx(2.0, abs=0.05)

    # AT in 31 days: everything open is overdue, the voided case still is not listed
    at = QDateTime.currentDateTimeUtc().addDays(31)
    results, layers, _ = _run(
        OverdueCasesAlgorithm, {"DATABASE": conn_name, "AT": at, "HORIZON": 0, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert {f["id"] for f in layers["OUTPUT"].getFeatures()} == {late, soon, later}
    assert results["OVERDUE"] == 3
    d = {f["id"]: f for f in layers["OUTPUT"].getFeatures()}
    assert d[late]["hours_overdue"] == pytest.approx(31 * 24 + 5.0, abs=0.1)  # calendar hours (above)


@pytest.mark.postgis
def test_overduecases_without_the_schema_fails_cleanly(qgis_app, qgis_processing, fresh_db, pg_service):
    _, _, fb = _run(
        OverdueCasesAlgorithm, {"DATABASE": f"service={pg_service}", "OUTPUT": "TEMPORARY_OUTPUT"}, expect_ok=False
    )
    assert any("gridgov schema" in e for e in fb.errors)


@pytest.mark.postgis
def test_importopen311_through_processing(qgis_app, qgis_processing, service_db):
    from tests.db.test_open311 import ACCEPTED, SERVICE_MAP, Open311Server

    dsn, conn_name = service_db
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES ('nyc', 'Midtown test area',"
            " ST_Multi(ST_MakeEnvelope(-74.0126, 40.7360, -73.9630, 40.7590, 4490)))"
        )
    conn.close()
    server = Open311Server()
    try:
        # 'noise' and '*' as lines; the rest as JSON would work too
        mapping = "\n".join(f"{k}={v}" for k, v in SERVICE_MAP.items())
        params = {
            "ENDPOINT": server.endpoint,
            "START": _utc(2022, 4, 1),
            "END": _utc(2023, 3, 1),
            "DATABASE": conn_name,
            "SERVICE_MAP": mapping,
            "REPORT": "TEMPORARY_OUTPUT",
        }
        results, layers, fb = _run(ImportOpen311Algorithm, params)
        assert results["CREATED"] == len(ACCEPTED) and results["EXISTING"] == 0
        assert results["REJECTED"] == 5  # 56922828 (requested in 2099) is outside the period, not a reject
        reasons = sorted(f["reason"] for f in layers["REPORT"].getFeatures())
        assert reasons == sorted(
            ["unknown_category", "missing_coordinates", "bad_date", "db_rejected", "malformed_page"]
        )
        assert any("heat-hot-water" in w for w in fb.warnings)  # services without a category are named
        again, _, _ = _run(ImportOpen311Algorithm, params)
        assert again["CREATED"] == 0 and again["EXISTING"] == len(ACCEPTED)
    finally:
        server.close()
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.event WHERE source = 'open311:127.0.0.1'")
        assert cur.fetchone()[0] == len(ACCEPTED)
    conn.close()


@pytest.mark.postgis
def test_importopen311_bad_endpoint(qgis_app, qgis_processing, service_db):
    _, conn_name = service_db
    _, _, fb = _run(
        ImportOpen311Algorithm,
        {"ENDPOINT": "not a url", "START": _utc(2022, 4, 1), "DATABASE": conn_name},
        expect_ok=False,
    )
    assert any("not an http(s) URL" in e for e in fb.errors)


def test_dates_convert_in_utc():
    from grid_governance_plugin.processing.alg_events import _pydatetime, _qdatetime

    d = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    q = _qdatetime(d)
    assert q.timeSpec() == Qt.UTC and q.time().hour() == 19 and q.date().day() == 1
    assert _pydatetime(q) == d
    assert _pydatetime(QDateTime()) is None


def test_hotspots_time_window_respects_time_zones(qgis_app, qgis_processing):
    """Times stored with +08:00 (Beijing) are compared in UTC, not by their wall-clock digits."""
    rng = np.random.default_rng(3)
    xy = rng.uniform((X0 + 1, Y0 + 1), (X0 + 999, Y0 + 999), (110, 2))
    bj = 8 * 3600
    early = QDateTime(QDate(2024, 1, 1), QTime(2, 0), Qt.OffsetFromUTC, bj)  # 2023-12-31 18:00 UTC
    late = QDateTime(QDate(2024, 1, 1), QTime(9, 0), Qt.OffsetFromUTC, bj)  # 2024-01-01 01:00 UTC
    times = [early] * 50 + [late] * 60
    events = _events_layer(xy, times=times)
    _, layers, fb = _run(
        HotspotsAlgorithm,
        {
            "EVENTS": events,
            "CELL_SIZE": 200,
            "START": _utc(2024, 1, 1),
            "PERMUTATIONS": 99,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    assert sum(f["count"] for f in layers["OUTPUT"].getFeatures()) == 60
    assert any(i.startswith("60 events") and "50 left out" in i for i in fb.infos)


@pytest.mark.postgis
def test_overduecases_on_a_schema_without_the_case_board_says_to_upgrade(
    qgis_app, qgis_processing, fresh_db, pg_service
):
    """Overdue is defined once, in the database (gridgov.case_board_at): no second definition in Python."""
    from grid_governance_plugin.core.store import migrations

    conn = psycopg2.connect(fresh_db)
    migrations.migrate(conn, target=1)  # no case board yet
    conn.close()
    _, _, fb = _run(
        OverdueCasesAlgorithm, {"DATABASE": f"service={pg_service}", "OUTPUT": "TEMPORARY_OUTPUT"}, expect_ok=False
    )
    assert any("upgrade" in e for e in fb.errors), fb.errors


def test_hotspots_file_output_is_complete_when_the_run_returns(qgis_app, qgis_processing, tmp_path):
    """QGIS loads a result file as soon as the algorithm returns: the writer must be closed by then."""
    out = tmp_path / "hotspots.gpkg"
    params = {
        "EVENTS": _events_layer(_scene()),
        "GRIDS": _grid_layer(),
        "PERMUTATIONS": 99,
        "SEED": 3,
        "OUTPUT": str(out),
    }
    _run(HotspotsAlgorithm, params)
    layer = QgsVectorLayer(str(out), "hotspots", "ogr")
    assert layer.isValid() and layer.featureCount() == 225
