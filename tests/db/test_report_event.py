"""gridgov.report_event, the field-channel contract (docs/field-channels.md), against a real PostGIS."""

from __future__ import annotations

import select
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest

from grid_governance_plugin.core.categories import CATEGORIES
from grid_governance_plugin.core.events import coords
from tests.helpers import CHANNEL_LOGIN, report_event

pytestmark = pytest.mark.postgis

CALL = "SELECT gridgov.report_event(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
# Tiananmen-ish, Beijing: inside the test grids below
LON, LAT = 116.3975, 39.9087
CATS = {row[0]: row for row in CATEGORIES}


def _connect(dsn: str, autocommit: bool = True):
    conn = psycopg2.connect(dsn)
    conn.autocommit = autocommit
    return conn


def _square(lon0: float, lat0: float, size: float) -> str:
    return (
        f"SRID=4490;MULTIPOLYGON((({lon0} {lat0},{lon0 + size} {lat0},{lon0 + size} {lat0 + size},"
        f"{lon0} {lat0 + size},{lon0} {lat0})))"
    )


def _make_plans(conn, published_grids: int = 1) -> None:
    """Plan 1 published, plan 2 a draft with different grids over the same place."""
    with conn.cursor() as cur:
        cur.execute("INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', '张三')")
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, 'v1', 'published')")
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (2, 'v2 draft', 'draft')")
        # the published grid around the test point
        cur.execute(
            "INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, district_code, worker_id, geom)"
            " VALUES (1, '110101001001001', '110101001001', '110101001', '110101', 'W1', %s)",
            (_square(116.39, 39.90, 0.02),),
        )
        # the draft covers the test point and a place east of it where no published grid is
        cur.execute(
            "INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, district_code, geom)"
            " VALUES (2, '110101001001901', '110101001901', '110101901', '110101', %s)",
            (_square(116.38, 39.89, 0.10),),
        )
        if published_grids > 1:  # a city's worth of small published grids elsewhere (index use)
            cur.execute(
                "INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, district_code, geom)"
                " SELECT 1, 'P' || i, '110102001001', '110102001', '110102',"
                "  ST_Multi(ST_MakeEnvelope(116.0 + (i %% 75) * 0.004, 39.5 + (i / 75) * 0.004,"
                "                           116.004 + (i %% 75) * 0.004, 39.504 + (i / 75) * 0.004, 4490))"
                " FROM generate_series(0, %s) i",
                (published_grids - 2,),
            )
    if not conn.autocommit:
        conn.commit()


@pytest.fixture
def db(db):
    _make_plans(db)
    return db


def _report(cur, external_id: str, category: str = "SJ0102", lon: float = LON, lat: float = LAT, **kw):
    return report_event(cur, external_id, category, lon, lat, source=kw.pop("source", "app"), **kw)


def _count(cur, table: str = "event") -> int:
    cur.execute(f"SELECT count(*) FROM gridgov.{table}")
    return cur.fetchone()[0]


def test_report_stores_grid_responsibility_deadline_and_history(db):
    with db.cursor() as cur:
        eid = _report(cur, "A-1", description="路口暴露垃圾", reporter="张三", media_url="https://m.example/a.jpg")
        assert uuid.UUID(str(eid))
        cur.execute(
            "SELECT status, level, department, worker_id, grid_code, community_code, street_code,"
            " gridgov.working_hours_between(received_at, deadline_at), description, reporter, media_url,"
            " ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM gridgov.event WHERE id = %s",
            (eid,),
        )
        row = cur.fetchone()
        cat = CATS["SJ0102"]
        assert row[:7] == ("reported", cat[5], cat[4], "W1", "110101001001001", "110101001001", "110101001")
        assert row[7] == pytest.approx(cat[6])  # register_hours, in working hours (009)
        assert row[8:11] == ("路口暴露垃圾", "张三", "https://m.example/a.jpg")
        assert row[11:] == (pytest.approx(LON), pytest.approx(LAT), 4490)
        cur.execute("SELECT actor, from_status, to_status FROM gridgov.event_history WHERE event_id = %s", (eid,))
        assert cur.fetchall() == [(CHANNEL_LOGIN, None, "reported")]  # the channel login reported it


def test_retry_returns_the_same_id_and_stores_nothing_new(db):
    with db.cursor() as cur:
        first = _report(cur, "A-2")
        again = _report(cur, "A-2")
        # even with different data: the first accepted report wins
        other = _report(cur, "A-2", category="SJ0503", description="changed")
        assert first == again == other
        assert _count(cur) == 1 and _count(cur, "event_history") == 1
        cur.execute("SELECT category_code, description FROM gridgov.event")
        assert cur.fetchone() == ("SJ0102", None)
        # same external_id from another channel is another event
        assert _report(cur, "A-2", source="12345") != first
        assert _count(cur) == 2


def test_concurrent_retry_waits_for_the_first_and_returns_its_id(gridgov_db, db):
    """A holds the key uncommitted; B's call blocks on the unique index, then returns A's id."""
    a = _connect(gridgov_db, autocommit=False)
    b = _connect(gridgov_db)
    result: dict[str, object] = {}
    with a.cursor() as ca:
        id_a = _report(ca, "RACE-1")

    def call_b():
        with b.cursor() as cb:
            result["id"] = _report(cb, "RACE-1")

    t = threading.Thread(target=call_b)
    t.start()
    time.sleep(0.5)
    assert t.is_alive(), "B should wait for A's uncommitted insert"
    a.commit()
    t.join(10)
    assert result["id"] == id_a
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.event WHERE external_id = 'RACE-1'")
        assert cur.fetchone()[0] == 1
        cur.execute(
            "SELECT count(*) FROM gridgov.event_history h JOIN gridgov.event e ON e.id = h.event_id"
            " WHERE e.external_id = 'RACE-1'"
        )
        assert cur.fetchone()[0] == 1
    a.close()
    b.close()


def test_racing_connections_create_no_duplicates(gridgov_db, db):
    keys = [f"R-{i}" for i in range(60)]
    ids: list[list] = [[], [], [], []]
    barrier = threading.Barrier(len(ids))

    def worker(slot: int):
        conn = _connect(gridgov_db)
        barrier.wait()
        with conn.cursor() as cur:
            for k in keys:
                ids[slot].append(_report(cur, k))
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(ids))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert ids[0] == ids[1] == ids[2] == ids[3]
    with db.cursor() as cur:
        assert _count(cur) == len(keys)
        assert _count(cur, "event_history") == len(keys)


def _distance_m(cur, eid, lon: float, lat: float) -> float:
    cur.execute(
        "SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4490)::geography)"
        " FROM gridgov.event WHERE id = %s",
        (lon, lat, eid),
    )
    return cur.fetchone()[0]


@pytest.mark.parametrize("coord_sys", ["gcj02", "bd09", "GCJ02", "cgcs2000", "wgs84"])
def test_offset_coordinates_land_within_a_metre_of_the_true_point(db, coord_sys):
    """A phone's GCJ-02/BD-09 report of a known WGS84 point is stored on that point."""
    true_points = [(116.3975, 39.9087), (116.404, 39.915), (116.395, 39.901)]
    with db.cursor() as cur:
        for i, (lon, lat) in enumerate(true_points):
            rlon, rlat = coords.from_wgs84(lon, lat, coord_sys)  # the public forward formula
            if coord_sys.lower() in ("gcj02", "bd09"):
                assert _haversine(lon, lat, rlon, rlat) > 100  # the offset is real...
            eid = _report(cur, f"{coord_sys}-{i}", lon=rlon, lat=rlat, coord_sys=coord_sys)
            assert _distance_m(cur, eid, lon, lat) < 1.0  # ...and undone in the database
            cur.execute("SELECT grid_code FROM gridgov.event WHERE id = %s", (eid,))
            assert cur.fetchone()[0] == "110101001001001"


def test_gcj02_report_taken_as_wgs84_would_be_hundreds_of_metres_off(db):
    with db.cursor() as cur:
        glon, glat = coords.wgs84_to_gcj02(LON, LAT)
        eid = _report(cur, "wrong-label", lon=glon, lat=glat, coord_sys="wgs84")
        assert _distance_m(cur, eid, LON, LAT) > 300


def _haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def test_sql_conversions_equal_the_python_mirror(db):
    pts = [(116.3975, 39.9087), (121.4737, 31.2304), (113.2644, 23.1291), (87.6168, 43.8256), (126.6, 45.75)]
    with db.cursor() as cur:
        for lon, lat in pts:
            for fn, py in (
                ("wgs84_to_gcj02", coords.wgs84_to_gcj02),
                ("gcj02_to_wgs84", coords.gcj02_to_wgs84),
                ("gcj02_to_bd09", coords.gcj02_to_bd09),
                ("bd09_to_gcj02", coords.bd09_to_gcj02),
                ("bd09_to_wgs84", coords.bd09_to_wgs84),
            ):
                cur.execute(f"SELECT gridgov.{fn}(%s, %s)", (lon, lat))
                assert cur.fetchone()[0] == pytest.approx(list(py(lon, lat)), abs=1e-11), fn
        cur.execute("SELECT gridgov.wgs84_to_gcj02(2.35, 48.85)")  # Paris: no offset outside China
        assert cur.fetchone()[0] == [2.35, 48.85]


_NOW = datetime.now(timezone.utc)
BAD_CALLS = [
    # (overrides, sqlstate, column, words in the message)
    ({"source": None}, "22004", "source", "source is required"),
    ({"source": ""}, "22004", "source", "source is required"),
    ({"external_id": None}, "22004", "external_id", "external_id is required"),
    ({"category": None}, "22004", "category", "category is required"),
    ({"reported_at": None}, "22004", "reported_at", "reported_at is required"),
    ({"lon": None}, "22004", "lon", "lon is required"),
    ({"lat": None}, "22004", "lat", "lat is required"),
    ({"coord_sys": None}, "22004", "coord_sys", "coord_sys is required"),
    ({"source": "s" * 101}, "22001", "source", "source is longer than 100"),
    ({"external_id": "x" * 101}, "22001", "external_id", "external_id is longer than 100"),
    ({"description": "字" * 2001}, "22001", "description", "description is longer than 2000"),
    ({"reporter": "r" * 201}, "22001", "reporter", "reporter is longer than 200"),
    ({"media_url": "u" * 1001}, "22001", "media_url", "media_url is longer than 1000"),
    ({"category": "XX99"}, "23503", "category", "unknown category 'XX99'"),
    ({"category": "SJ0102'; DROP TABLE gridgov.event; --"}, "23503", "category", "unknown category"),
    ({"reported_at": _NOW + timedelta(hours=1)}, "22008", "reported_at", "in the future"),
    ({"lon": 2.35, "lat": 48.85}, "22003", "lon", "outside the served area"),  # Paris
    ({"lon": float("nan")}, "22003", "lon", "not valid degrees"),
    ({"lat": float("inf")}, "22003", "lon", "not valid degrees"),
    ({"lon": 200.0}, "22003", "lon", "not valid degrees"),
    ({"coord_sys": "utm50"}, "22023", "coord_sys", "unknown coord_sys 'utm50'"),
]


@pytest.mark.parametrize("overrides,sqlstate,column,words", BAD_CALLS, ids=[c[3] + "-" + c[1] for c in BAD_CALLS])
def test_invalid_reports_raise_a_clear_error_and_store_nothing(db, overrides, sqlstate, column, words):
    args = {
        "source": "app",
        "external_id": "BAD-1",
        "category": "SJ0102",
        "reported_at": _NOW - timedelta(minutes=1),
        "lon": LON,
        "lat": LAT,
        "coord_sys": "wgs84",
        "description": None,
        "reporter": None,
        "media_url": None,
    }
    args.update(overrides)
    with db.cursor() as cur:
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute(CALL, tuple(args.values()))
        assert exc.value.pgcode == sqlstate
        assert exc.value.diag.column_name == column
        assert words in exc.value.diag.message_primary
        assert exc.value.diag.message_primary.startswith("report_event:")
        assert _count(cur) == 0 and _count(cur, "event_history") == 0
        cur.execute("SELECT to_regclass('gridgov.event') IS NOT NULL")
        assert cur.fetchone()[0]


def test_small_clock_skew_is_accepted(db):
    with db.cursor() as cur:
        _report(cur, "SKEW", reported_at=datetime.now(timezone.utc) + timedelta(minutes=2))
        assert _count(cur) == 1


def test_served_area_follows_city_geometry(db):
    with db.cursor() as cur:
        # China's box applies while no city/district has a geometry: Shanghai is accepted
        _report(cur, "SH-1", lon=121.47, lat=31.23)
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES ('1101', '北京', %s)", (_square(116.0, 39.6, 0.8),)
        )
        with pytest.raises(psycopg2.Error) as exc:
            _report(cur, "SH-2", lon=121.47, lat=31.23)
        assert exc.value.pgcode == "22003"
        _report(cur, "BJ-edge", lon=116.83, lat=40.0)  # 3 km outside the box: within the 0.05 deg margin
        assert _count(cur) == 2


def test_a_place_outside_china_is_served_once_its_city_is_loaded(db):
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.district (code, name, geom) VALUES ('261001', 'Zürich', %s)",
            (_square(8.45, 47.32, 0.15),),
        )
        eid = _report(cur, "ZH-1", lon=8.54, lat=47.37, coord_sys="gcj02")  # no offset outside China
        assert _distance_m(cur, eid, 8.54, 47.37) < 0.01


def test_grid_comes_from_the_published_plan_only(db):
    with db.cursor() as cur:
        inside_both = _report(cur, "G-1")
        east = _report(cur, "G-2", lon=116.45, lat=39.95)  # only the draft covers it
        cur.execute("SELECT id, grid_code, community_code, street_code FROM gridgov.event")
        rows = {r[0]: r[1:] for r in cur.fetchall()}
        assert rows[inside_both] == ("110101001001001", "110101001001", "110101001")
        assert rows[east] == (None, None, None)
        # publishing the draft (archiving v1) changes where new reports go
        cur.execute("UPDATE gridgov.grid_plan SET status = 'archived' WHERE plan_id = 1")
        cur.execute("UPDATE gridgov.grid_plan SET status = 'published' WHERE plan_id = 2")
        cur.execute("SELECT grid_code FROM gridgov.event WHERE id = %s", (_report(cur, "G-3"),))
        assert cur.fetchone()[0] == "110101001001901"


def test_without_a_grid_the_community_polygon_names_community_and_street(db):
    with db.cursor() as cur:
        cur.execute("INSERT INTO gridgov.district (code, name) VALUES ('110101', '东城区')")
        cur.execute("INSERT INTO gridgov.street (code, name, district_code) VALUES ('110101002', '街道', '110101')")
        cur.execute(
            "INSERT INTO gridgov.community (code, name, street_code, geom)"
            " VALUES ('110101002003', '社区', '110101002', %s)",
            (_square(116.44, 39.94, 0.02),),
        )
        eid = _report(cur, "C-1", lon=116.45, lat=39.95)
        cur.execute("SELECT grid_code, community_code, street_code FROM gridgov.event WHERE id = %s", (eid,))
        assert cur.fetchone() == (None, "110101002003", "110101002")


def _notifications(conn, timeout: float = 2.0, settle: float = 0.3) -> list[str]:
    """Payloads received on conn within timeout, stopping `settle` s after the last one."""
    got: list[str] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if select.select([conn], [], [], settle if got else max(0.0, end - time.monotonic()))[0]:
            conn.poll()
            while conn.notifies:
                got.append(conn.notifies.pop(0).payload)
        elif got:
            break
    return got


def test_listener_gets_the_id_only_at_commit(gridgov_db, db):
    listener = _connect(gridgov_db)
    listener.cursor().execute("LISTEN gridgov_events")
    writer = _connect(gridgov_db, autocommit=False)
    with writer.cursor() as cur:
        eid = _report(cur, "N-1")
        assert _notifications(listener, timeout=0.3) == []  # nothing before commit
        writer.commit()
    assert _notifications(listener) == [str(eid)]
    # a retry changes nothing and notifies nothing
    with writer.cursor() as cur:
        _report(cur, "N-1")
    writer.commit()
    assert _notifications(listener, timeout=0.5) == []
    # a rejected report notifies nothing
    with writer.cursor() as cur:
        with pytest.raises(psycopg2.Error):
            _report(cur, "N-2", category="nope")
    writer.rollback()
    assert _notifications(listener, timeout=0.5) == []
    # a status change notifies the id
    with writer.cursor() as cur:
        cur.execute("SELECT gridgov.transition(%s, 'registered', 'tester', NULL)", (eid,))
    writer.commit()
    assert _notifications(listener) == [str(eid)]
    listener.close()
    writer.close()


def test_one_transaction_notifies_each_id_once(gridgov_db, db):
    listener = _connect(gridgov_db)
    listener.cursor().execute("LISTEN gridgov_events")
    writer = _connect(gridgov_db, autocommit=False)
    with writer.cursor() as cur:
        eid = _report(cur, "T-1")
        cur.execute("SELECT gridgov.transition(%s, 'registered', 'a', NULL)", (eid,))
        cur.execute("SELECT gridgov.transition(%s, 'dispatched', 'a', NULL)", (eid,))
    writer.commit()
    assert _notifications(listener) == [str(eid)]
    listener.close()
    writer.close()


def test_a_burst_statement_sends_one_since_marker(gridgov_db, db):
    listener = _connect(gridgov_db)
    listener.cursor().execute("LISTEN gridgov_events")
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, geom)"
            " SELECT 'bulk', 'B' || i, 'SJ0102', now(), ST_SetSRID(ST_MakePoint(116.4, 39.9), 4490)"
            " FROM generate_series(1, 500) i"
        )
        got = _notifications(listener)
        assert len(got) == 1 and got[0].startswith("since:")
        cur.execute("SELECT count(*) FROM gridgov.event WHERE updated_at >= %s::timestamptz", (got[0][6:],))
        assert cur.fetchone()[0] == 500
        # an update of 51+ rows: one marker as well
        cur.execute("UPDATE gridgov.event SET worker_id = 'W1' WHERE source = 'bulk'")
        got = _notifications(listener)
        assert len(got) == 1 and got[0].startswith("since:")
        # an update of a few rows: their ids
        cur.execute("SELECT array_agg(id::text ORDER BY id) FROM (SELECT id FROM gridgov.event LIMIT 3) s")
        few = cur.fetchone()[0]
        cur.execute("UPDATE gridgov.event SET worker_id = NULL WHERE id = ANY(%s::uuid[])", (few,))
        assert sorted(_notifications(listener)) == few
    listener.close()


def test_report_event_assigns_grids_among_5500_published_grids(gridgov_db):
    """Every report gets the published grid that covers it, among 5,500 grids and a used store.

    The rate (>= 2,000 calls/s against a plain INSERT in the same run) is measured in
    bench/bench_events.py, not here: tests hold no timings.
    """
    conn = _connect(gridgov_db)
    _make_plans(conn, published_grids=5500)
    ts = datetime.now(timezone.utc) - timedelta(minutes=1)

    def point(i: int) -> tuple[float, float]:  # the centre of a published grid
        return 116.0 + (i % 75) * 0.004 + 0.002, 39.5 + ((i * 7) % 73) * 0.004 + 0.002

    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, closed_at, geom)"
            " SELECT 'history', i::text, 'SJ0102', now() - i * interval '1 minute', 'closed', now(),"
            "  ST_SetSRID(ST_MakePoint(116.0 + (i % 300) * 0.001, 39.5 + (i / 300) * 0.001), 4490)"
            " FROM generate_series(1, 50000) i"
        )
        cur.execute("ANALYZE gridgov.grid")
        cur.execute("ANALYZE gridgov.event")
        n = 2000
        for i in range(n):
            cur.execute(CALL, ("perf", str(i), "SJ0102", ts, *point(i), "wgs84", None, None, None))
        cur.execute(
            "SELECT count(*) FILTER (WHERE e.grid_code = g.grid_code), count(*) FROM gridgov.event e"
            " LEFT JOIN gridgov.grid g ON ST_Intersects(g.geom, e.geom)"
            "  AND g.plan_id = (SELECT plan_id FROM gridgov.grid_plan WHERE status = 'published')"
            " WHERE e.source = 'perf'"
        )
        right_grid, total = cur.fetchone()
    conn.close()
    assert total == n and right_grid == n
