"""The supervision board's numbers (core/events/board.py) on hand-made cases in a real PostGIS."""

from __future__ import annotations

import datetime as dt
import math

import psycopg2
import pytest

from grid_governance_plugin.core.events import board

pytestmark = pytest.mark.postgis

UTC = dt.timezone.utc
AT = dt.datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
LON, LAT = 116.3975, 39.9087


def T(day: int, hour: float, month: int = 6) -> dt.datetime:  # noqa: N802 - reads like a timestamp
    return dt.datetime(2026, month, day, tzinfo=UTC) + dt.timedelta(hours=hour)


@pytest.fixture
def conn(gridgov_db):
    c = psycopg2.connect(gridgov_db)
    with c.cursor() as cur:
        cur.execute("INSERT INTO gridgov.district (code, name) VALUES ('110101', '东城区')")
        cur.execute(
            "INSERT INTO gridgov.street (code, name, district_code) VALUES ('110101001', '东华门街道', '110101')"
        )
        cur.execute(
            "INSERT INTO gridgov.community (code, name, street_code) VALUES ('110101001001', '多福巷社区', '110101001')"
        )
        cur.execute(
            "INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', '张三'), ('W2', '李四'), ('W3', '王五')"
        )
    c.commit()
    yield c
    c.close()


_n = 0


def _event(
    conn,
    status: str,
    *,
    grid: str = "G1",
    dept: str = "HW",
    deadline=None,
    reported_at=None,
    worker=None,
    reporter=None,
    community="110101001001",
    street="110101001",
    category="SJ0102",
    lon: float = LON,
    lat: float = LAT,
) -> str:
    global _n
    _n += 1
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, department,"
            " worker_id, reporter, grid_code, community_code, street_code, deadline_at, geom)"
            " VALUES ('test', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4490))"
            " RETURNING id::text",
            (
                f"e{_n}",
                category,
                reported_at or T(1, 0),
                status,
                dept,
                worker,
                reporter,
                grid,
                community,
                street,
                deadline,
                lon,
                lat,
            ),
        )
        eid = cur.fetchone()[0]
    conn.commit()
    return eid


def _history(conn, eid: str, *steps: tuple[dt.datetime, str | None, str]) -> None:
    with conn.cursor() as cur:
        for at, frm, to in steps:
            cur.execute(
                "INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status)"
                " VALUES (%s, %s, 'test', %s, %s)",
                (eid, at, frm, to),
            )
    conn.commit()


def _by_key(rows):
    return {r["key"]: r for r in rows}


def _calendar_hours(conn) -> None:
    """SJ0102 counted round the clock (a unit a city may choose, 009): the figures below are by the
    clock; working-time figures are checked in test_closed_loop.py and test_assessment_store.py."""
    with conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event_category SET time_unit = 'calendar_hours' WHERE code = 'SJ0102'")
    conn.commit()


def test_overdue_and_soon_overdue_by_grid_community_street_department(conn):
    _calendar_hours(conn)
    _event(conn, "dispatched", grid="G1", dept="HW", deadline=AT - dt.timedelta(hours=2))  # overdue
    _event(conn, "registered", grid="G1", dept="HW", deadline=AT + dt.timedelta(hours=1))  # soon
    # later: the horizon counts working hours (009): AT is 20:00 Beijing, 4 of them reach Tuesday 14:00
    _event(conn, "reported", grid="G2", dept="SW", deadline=AT + dt.timedelta(hours=30))
    _event(conn, "closed", grid="G2", dept="SW", deadline=AT - dt.timedelta(hours=5))  # closed: never
    _event(conn, "void", grid="G2", dept="SW", deadline=AT - dt.timedelta(hours=5))  # void: never
    _event(
        conn,
        "handled",
        grid="G2",
        dept="SW",
        deadline=AT - dt.timedelta(minutes=30),  # overdue
        community="110101001002",
        street="110101002",
    )

    grids = _by_key(board.overdue_summary(conn, "grid", AT, horizon_hours=4))
    assert set(grids) == {"G1", "G2"}
    assert (grids["G1"]["overdue"], grids["G1"]["soon"]) == (1, 1)
    assert (grids["G2"]["overdue"], grids["G2"]["soon"]) == (1, 0)
    assert grids["G1"]["max_hours_overdue"] == pytest.approx(2.0)
    assert grids["G2"]["max_hours_overdue"] == pytest.approx(0.5)

    depts = _by_key(board.overdue_summary(conn, "department", AT, horizon_hours=4))
    assert (depts["HW"]["overdue"], depts["HW"]["soon"], depts["HW"]["name"]) == (1, 1, "环卫所")
    assert (depts["SW"]["overdue"], depts["SW"]["soon"]) == (1, 0)

    comms = _by_key(board.overdue_summary(conn, "community", AT, horizon_hours=4))
    assert comms["110101001001"]["name"] == "多福巷社区" and comms["110101001001"]["overdue"] == 1
    assert comms["110101001002"]["name"] is None and comms["110101001002"]["overdue"] == 1
    streets = _by_key(board.overdue_summary(conn, "street", AT, horizon_hours=4))
    assert streets["110101001"]["soon"] == 1 and streets["110101001"]["name"] == "东华门街道"

    # a longer horizon (12 working hours: Wednesday 14:00) brings the 30 h case in as soon overdue
    assert _by_key(board.overdue_summary(conn, "grid", AT, horizon_hours=12))["G2"]["soon"] == 1
    # the case list agrees with the counts
    cases = board.overdue_cases(conn, AT, horizon_hours=4)
    assert sorted(c["overdue"] for c in cases) == [False, True, True]
    assert cases[0]["hours_overdue"] == pytest.approx(2.0)
    assert len(board.overdue_cases(conn, AT, horizon_hours=None)) == 4  # every open case
    with pytest.raises(ValueError):
        board.overdue_summary(conn, "grid; DROP TABLE gridgov.event", AT)


@pytest.fixture
def handled_set(conn):
    """Cases whose handling (派遣 → 处置, 4 h for SJ0102) was due in June 1-15 12:00, or not."""
    ids = {}
    _calendar_hours(conn)
    # h1 W1/HW: dispatched 08:00, handled 10:00 (due 12:00) -> on time
    ids["h1"] = _event(conn, "closed", worker="W1", reporter="W1", dept="HW", reported_at=T(2, 7))
    _history(
        conn,
        ids["h1"],
        (T(2, 7.5), "reported", "registered"),
        (T(2, 8), "registered", "dispatched"),
        (T(2, 10), "dispatched", "handled"),
        (T(2, 11), "handled", "verified"),
        (T(2, 12), "verified", "closed"),
    )
    # h2 W1/HW: handled 14:00, 2 h late
    ids["h2"] = _event(conn, "handled", worker="W1", reporter="W1", dept="HW", reported_at=T(3, 7))
    _history(conn, ids["h2"], (T(3, 8), "registered", "dispatched"), (T(3, 14), "dispatched", "handled"))
    # h3 W2/SW: never handled, deadline long passed -> late
    ids["h3"] = _event(
        conn, "dispatched", worker="W2", reporter="W2", dept="SW", reported_at=T(4, 7), deadline=T(4, 12)
    )
    _history(conn, ids["h3"], (T(4, 8), "registered", "dispatched"))
    # h4 W2/SW: dispatched 07:00 on the 15th, due 11:00, not handled at 10:00 -> pending
    ids["h4"] = _event(conn, "dispatched", worker="W2", dept="SW", reported_at=T(15, 6), deadline=T(15, 11))
    _history(conn, ids["h4"], (T(15, 7), "registered", "dispatched"))
    # h5 W1/HW: on time at first, returned by the verifier, redone a day later: first dispatch counts
    ids["h5"] = _event(conn, "handled", worker="W1", dept="HW", reported_at=T(5, 7))
    _history(
        conn,
        ids["h5"],
        (T(5, 8), "registered", "dispatched"),
        (T(5, 9), "dispatched", "handled"),
        (T(5, 10), "handled", "dispatched"),
        (T(6, 9), "dispatched", "handled"),
    )
    # h6 W1: dispatched in May (due outside the period), but returned in the period
    ids["h6"] = _event(conn, "handled", worker="W1", reporter="W1", dept="HW", reported_at=T(20, 7, month=5))
    _history(
        conn,
        ids["h6"],
        (T(20, 8, month=5), "registered", "dispatched"),
        (T(20, 9, month=5), "dispatched", "handled"),
        (T(21, 9, month=5), "handled", "verified"),
        (T(7, 9), "verified", "handled"),
    )
    # r1: W1's report found invalid (作废); r2: a duplicate merged away is not the worker's fault
    ids["r1"] = _event(conn, "void", reporter="W1", reported_at=T(8, 9))
    ids["r2"] = _event(conn, "void", reporter="W1", reported_at=T(8, 10))
    with conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event SET duplicate_of = %s WHERE id = %s", (ids["h1"], ids["r2"]))
    conn.commit()
    return ids


PERIOD = (T(1, 0), T(15, 12))


def test_on_time_rates_by_department(conn, handled_set):
    rows = _by_key(board.on_time_rates(conn, *PERIOD, by="department", at=T(15, 10)))
    hw, sw = rows["HW"], rows["SW"]
    assert (hw["due"], hw["on_time"], hw["late"], hw["pending"]) == (3, 2, 1, 0)
    assert hw["rate"] == pytest.approx(2 / 3)
    assert (sw["due"], sw["on_time"], sw["late"], sw["pending"]) == (2, 0, 1, 1)
    assert sw["rate"] == 0.0
    # later, the pending case has become late
    sw_later = _by_key(board.on_time_rates(conn, *PERIOD, by="department", at=T(15, 13)))["SW"]
    assert (sw_later["late"], sw_later["pending"]) == (2, 0)
    # a period with nothing due
    assert board.on_time_rates(conn, T(1, 0, month=4), T(2, 0, month=4), by="grid") == []


def test_worker_assessment(conn, handled_set):
    rows = {r["worker_id"]: r for r in board.worker_assessment(conn, *PERIOD, at=T(15, 10))}
    assert set(rows) == {"W1", "W2", "W3"}
    w1, w2, w3 = rows["W1"], rows["W2"], rows["W3"]
    assert w1["name"] == "张三"
    assert (w1["reported"], w1["voided"]) == (4, 1)  # h1, h2, r1, r2 (h6 was reported in May)
    assert (w1["assigned_due"], w1["on_time"], w1["late"]) == (3, 2, 1)
    assert w1["returned"] == 2  # h5 handled -> dispatched, h6 verified -> handled
    assert w1["rate"] == pytest.approx(2 / 3)
    assert (w2["reported"], w2["assigned_due"], w2["on_time"], w2["late"], w2["returned"]) == (1, 2, 0, 1, 0)
    assert (w3["reported"], w3["assigned_due"], w3["returned"], w3["rate"]) == (0, 0, 0, None)


def test_list_cases_filters(conn):
    now = dt.datetime.now(UTC)
    a = _event(
        conn,
        "dispatched",
        grid="G1",
        dept="HW",
        deadline=now - dt.timedelta(hours=1),
        reported_at=now - dt.timedelta(days=2),
    )
    b = _event(
        conn,
        "reported",
        grid="G2",
        dept="SW",
        category="SJ0402",
        deadline=now + dt.timedelta(hours=1),
        reported_at=now - dt.timedelta(hours=3),
    )
    c = _event(conn, "closed", grid="G1", dept="HW", reported_at=now - dt.timedelta(days=40))

    def ids(**f):
        return {r["id"] for r in board.list_cases(conn, f)}

    assert ids() == {a, b, c}
    assert ids(overdue=True) == {a}
    assert ids(status="open") == {a, b}
    assert ids(status=["closed", "reported"]) == {b, c}
    assert ids(category="SJ0402") == {b}
    assert ids(grid="G1") == {a, c}
    assert ids(department="SW") == {b}
    assert ids(start=now - dt.timedelta(days=7)) == {a, b}
    assert ids(start=now - dt.timedelta(days=7), end=now - dt.timedelta(days=1)) == {a}
    assert ids(category="x' OR '1'='1") == set()  # bound, not formatted


def test_list_cases_names_the_grid_of_the_published_plan(conn):
    """The list shows a grid by its name: the published plan's, a draft's renaming not yet."""
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, '2025', 'published'), (2, '草稿', 'draft');"
            "INSERT INTO gridgov.grid (plan_id, grid_code, name) VALUES (1, 'G1', '多福巷社区第1网格'),"
            " (2, 'G1', '多福巷社区第1网格（调整）'), (2, 'G2', '新网格')"
        )
    conn.commit()
    now = dt.datetime.now(UTC)
    a = _event(conn, "reported", grid="G1", reported_at=now - dt.timedelta(hours=2))
    b = _event(conn, "reported", grid="G2", reported_at=now - dt.timedelta(hours=1))
    c = _event(conn, "reported", grid="G9", reported_at=now - dt.timedelta(hours=3))
    rows = board.list_cases(conn)
    assert [r["id"] for r in rows] == [b, a, c]  # newest first, still
    names = {r["id"]: r["grid_name"] for r in rows}
    assert names == {a: "多福巷社区第1网格", b: "新网格", c: None}  # only in a draft: its name; unknown: none


def test_transition_assign_and_history(conn):
    eid = _event(conn, "reported", deadline=AT)
    board.transition(conn, eid, "registered", actor="desk", note="looks valid")
    with pytest.raises(psycopg2.Error):
        board.transition(conn, eid, "closed", actor="desk")
    board.assign(conn, eid, "SW", "W2", actor="desk")
    hist = board.case_history(conn, eid)
    assert [(h["from_status"], h["to_status"], h["actor"]) for h in hist] == [
        ("reported", "registered", "desk"),
        ("registered", "registered", "desk"),
    ]
    assert hist[0]["note"] == "looks valid"
    detail = board.case_detail(conn, eid)
    assert (detail["status"], detail["department"], detail["worker_id"], detail["worker_name"]) == (
        "registered",
        "SW",
        "W2",
        "李四",
    )
    assert detail["lon"] == pytest.approx(LON)


def test_cameras_that_see_the_case(conn):
    eid = _event(conn, "reported")
    dlat = 20.0 / 111000.0  # ~20 m
    dlon = 30.0 / (111320.0 * math.cos(math.radians(LAT)))
    cams = [
        ("south_facing_north", LON, LAT - dlat, 0.0, 60.0, 50.0),  # sees it
        ("south_facing_south", LON, LAT - dlat, 180.0, 60.0, 50.0),  # looks away
        ("dome_west", LON - dlon, LAT, None, 360.0, 50.0),  # all round, 30 m: sees it
        ("too_short", LON - dlon, LAT, 90.0, 90.0, 20.0),  # faces it, but 20 m range
    ]
    with conn.cursor() as cur:
        for name, lon, lat, az, hfov, rng in cams:
            cur.execute(
                "INSERT INTO gridgov.camera (name, azimuth, hfov, range_m, geom)"
                " VALUES (%s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4490))",
                (name, az, hfov, rng, lon, lat),
            )
    conn.commit()
    seen = board.cameras_seeing(conn, eid)
    assert [c["name"] for c in seen] == ["south_facing_north", "dome_west"]
    assert seen[0]["distance_m"] == pytest.approx(20.0, abs=0.5)
