"""The responsibility list (权责清单) editor's store: validation, one-transaction upsert, deletion, deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg2
import pytest

from grid_governance_plugin.core.categories import CATEGORIES
from grid_governance_plugin.core.events import responsibility as resp
from tests.helpers import report_event

pytestmark = pytest.mark.postgis

LON, LAT = 121.47, 31.23  # Shanghai: inside China's bounding box (no city/district polygons in the test DB)


def _snapshot(conn) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM gridgov.event_category ORDER BY code")
        return cur.fetchall()


def _by_code(conn) -> dict[str, dict]:
    return {r["code"]: r for r in resp.list_categories(conn)}


def _report(conn, category: str) -> str:
    return report_event(conn, None, category, LON, LAT, reported_at=datetime.now(timezone.utc))


def _transition(conn, eid: str, to_status: str) -> timedelta:
    """Step the case; return its new deadline minus the server's now, in working time (009) as a timedelta."""
    with conn.cursor() as cur:
        cur.execute("SELECT gridgov.transition(%s::uuid, %s, 'tester')", (eid, to_status))
        deadline = cur.fetchone()[0]
        cur.execute("SELECT gridgov.working_hours_between(now(), %s)", (deadline,))
        return timedelta(hours=cur.fetchone()[0])


def test_lists_read_the_seed(db):
    cats = resp.list_categories(db)
    assert len(cats) == len(CATEGORIES) == 46
    row = next(c for c in cats if c["code"] == "SJ0102")
    assert row["major"] == "市容环境" and row["minor"] == "暴露垃圾"
    assert row["department"] == "HW" and row["department_name"] == "环卫所"
    assert (row["register_hours"], row["dispatch_hours"], row["handle_hours"], row["verify_hours"]) == (1, 1, 4, 2)
    depts = resp.list_departments(db)
    assert len(depts) == 13 and {"code", "name", "level"} <= set(depts[0])


def test_validation_errors_store_nothing(db):
    before = _snapshot(db)
    rows = resp.list_categories(db)
    good = dict(rows[0], handle_hours=99)  # valid on its own: must not be stored either
    bad = [
        dict(rows[1], handle_hours=0),
        dict(rows[2], dispatch_hours=9000),
        dict(rows[3], department="NOPE"),
        dict(rows[4], level="city"),
        dict(rows[5], minor="  "),
        dict(rows[6], major="长" * 101),
        dict(rows[7], kind="thing"),
        dict(rows[8], register_hours="abc"),
        dict(rows[9], verify_hours=float("nan")),
        {**rows[10], "code": "XX01"},
        dict(rows[11], kind="event"),  # a BJ code is a component
    ]
    errors = resp.save_categories(db, [good, *bad], "tester")
    got = {(e.code, e.field) for e in errors}
    assert got == {
        (rows[1]["code"], "handle_hours"),
        (rows[2]["code"], "dispatch_hours"),
        (rows[3]["code"], "department"),
        (rows[4]["code"], "level"),
        (rows[5]["code"], "minor"),
        (rows[6]["code"], "major"),
        (rows[7]["code"], "kind"),
        (rows[8]["code"], "register_hours"),
        (rows[9]["code"], "verify_hours"),
        ("XX01", "code"),
        (rows[11]["code"], "kind"),
    }
    for e in errors:  # each message names the code (or row) and the field
        assert e.code in e.message and resp.field_label(e.field) in e.message
        assert e.row is not None and e.row >= 1
    assert "NOPE" in next(e.message for e in errors if e.field == "department")
    assert _snapshot(db) == before
    # duplicates within one save are refused too
    errors = resp.save_categories(db, [rows[0], dict(rows[0], handle_hours=5)], "tester")
    assert [(e.row, e.field) for e in errors] == [(1, "code")]
    assert _snapshot(db) == before


def test_a_valid_change_updates_and_inserts(db):
    rows = resp.list_categories(db)
    rows[0] = dict(rows[0], department="SZ", level="street", handle_hours=36.5, minor=" 上水井盖（改） ")
    new = {
        "code": "SJ0701",
        "kind": "event",
        "major": "其他事件",
        "minor": "高空抛物",
        "department": "GA",
        "level": "community",
        "register_hours": 0.5,
        "dispatch_hours": 1,
        "handle_hours": 6,
        "verify_hours": 2,
    }
    assert resp.save_categories(db, [*rows, new], "tester") == []
    got = _by_code(db)
    assert len(got) == 47
    assert (
        got[rows[0]["code"]]["department"],
        got[rows[0]["code"]]["level"],
        got[rows[0]["code"]]["handle_hours"],
        got[rows[0]["code"]]["minor"],
    ) == ("SZ", "street", 36.5, "上水井盖（改）")
    assert got["SJ0701"]["minor"] == "高空抛物" and got["SJ0701"]["register_hours"] == 0.5
    assert got["SJ0102"] == rows[[r["code"] for r in rows].index("SJ0102")]  # untouched rows stay
    # the connection stays in autocommit mode for the caller
    assert db.autocommit is True


def test_one_transaction_on_a_non_autocommit_connection(gridgov_db):
    conn = psycopg2.connect(gridgov_db)
    try:
        row = dict(_by_code(conn)["SJ0102"], verify_hours=3)
        assert resp.save_categories(conn, [row], "tester") == []
        other = psycopg2.connect(gridgov_db)
        with other.cursor() as cur:  # committed: another session sees it
            cur.execute("SELECT verify_hours FROM gridgov.event_category WHERE code = 'SJ0102'")
            assert cur.fetchone()[0] == 3
        other.close()
    finally:
        conn.close()


def test_new_steps_take_the_new_hours(db):
    row = dict(_by_code(db)["SJ0102"], register_hours=3, dispatch_hours=5, handle_hours=30, verify_hours=7)
    assert resp.save_categories(db, [row], "tester") == []
    eid = _report(db, "SJ0102")
    with db.cursor() as cur:  # report_event: the reported step waits register_hours from receipt
        cur.execute(
            "SELECT deadline_at = gridgov.add_working_hours(received_at, 3) FROM gridgov.event WHERE id = %s::uuid",
            (eid,),
        )
        assert cur.fetchone()[0]  # SJ0102 counts in working hours
    tol = timedelta(minutes=1)
    # gridgov.step_deadline (002): registered waits dispatch_hours, dispatched handle_hours, handled verify_hours
    assert abs(_transition(db, eid, "registered") - timedelta(hours=5)) < tol
    assert abs(_transition(db, eid, "dispatched") - timedelta(hours=30)) < tol
    # a change while the case is open applies to its next step
    assert resp.save_categories(db, [dict(row, verify_hours=11)], "tester") == []
    assert abs(_transition(db, eid, "handled") - timedelta(hours=11)) < tol


def test_deleting_a_used_category_is_refused(db):
    _report(db, "SJ0104")
    _report(db, "SJ0104")
    before = _snapshot(db)
    rows = [dict(_by_code(db)["SJ0102"], handle_hours=10)]
    errors = resp.save_categories(db, rows, "tester", delete=["SJ0104", "SJ0105"])
    assert len(errors) == 1
    assert errors[0].code == "SJ0104" and "2" in errors[0].message and "SJ0104" in errors[0].message
    assert _snapshot(db) == before  # neither the change nor the other (unused) deletion is stored
    # an unused category goes
    assert resp.save_categories(db, rows, "tester", delete=["SJ0105"]) == []
    got = _by_code(db)
    assert "SJ0105" not in got and "SJ0104" in got and got["SJ0102"]["handle_hours"] == 10
    # saving and deleting the same code at once is refused
    errors = resp.save_categories(db, [got["SJ0106"]], "tester", delete=["SJ0106"])
    assert [e.code for e in errors] == ["SJ0106"]
    assert "SJ0106" in _by_code(db)
