"""The audit trail: changed columns only, the login from the server, append-only, frozen cases, restore."""

from __future__ import annotations

from pathlib import Path

import psycopg2
import pytest

from tests.db import city
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


def _rows(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def _audit(conn, table, key):
    return _rows(
        conn,
        "SELECT id, login, actor, op, old, new, note FROM gridgov.audit_log WHERE table_name = %s AND row_key = %s"
        " ORDER BY id",
        (table, str(key)),
    )


@pytest.fixture
def town(db):
    city.seed(db)
    return db


def test_changed_columns_only_and_the_login_not_the_actor(town, logins):
    planner = logins("planner", areas=[city.A["street"]])
    p = planner.connect()
    ((gid,),) = _rows(p, "SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
    _rows(p, "SET gridgov.actor = '区长'")  # a display name, nothing more
    _rows(p, "UPDATE gridgov.grid SET name = '东华门一网格（调整）', note = '合并' WHERE id = %s", (gid,))
    _rows(p, "UPDATE gridgov.grid SET name = name WHERE id = %s", (gid,))  # changes nothing: no entry
    entries = _audit(town, "grid", gid)
    assert [e[3] for e in entries] == ["INSERT", "UPDATE"]
    _id, login, actor, _op, old, new, _note = entries[-1]
    assert (login, actor) == (planner.name, "区长")
    # and the row's version (issue #11), which each change counts up
    assert old == {"name": "东华门街道一网格", "note": None, "version": 1}
    assert new == {"name": "东华门一网格（调整）", "note": "合并", "version": 2}
    # an insert's new row; geometries as hex EWKB, exactly
    ins = entries[0]
    assert ins[1] == "postgres" and ins[5]["grid_code"] == city.A["grid"]
    assert _rows(
        town, "SELECT encode(ST_AsEWKB(geom), 'hex') = %s FROM gridgov.grid WHERE id = %s", (ins[5]["geom"], gid)
    )
    p.close()


def test_event_changes_after_the_report_are_audited(town, logins):
    sup = logins("supervisor")
    eid = report_event(town, "AUD-1", lon=city.A["lon"], lat=city.A["lat"])
    assert _audit(town, "event", eid) == []  # the report is the row and its history entry
    before = _rows(town, "SELECT deadline_at FROM gridgov.event WHERE id = %s", (eid,))
    s = sup.connect()
    _rows(s, "SELECT gridgov.transition(%s, 'registered', NULL, '受理')", (eid,))
    _rows(s, "SELECT gridgov.assign(%s, 'SZ', 'WA', NULL, NULL)", (eid,))
    s.close()
    after = _rows(town, "SELECT deadline_at FROM gridgov.event WHERE id = %s", (eid,))
    entries = _audit(town, "event", eid)
    assert [(e[1], e[3]) for e in entries] == [(sup.name, "UPDATE"), (sup.name, "UPDATE")]
    # deadlines count in working time (009): reported and registered over lunch, both fall due at 14:00
    assert entries[0][5]["status"] == "registered" and ("deadline_at" in entries[0][5]) == (before != after)
    assert entries[1][4] == {"department": "HW", "worker_id": "WA"} or entries[1][5]["department"] == "SZ"
    assert "updated_at" not in entries[0][5]


def test_history_and_audit_are_append_only_for_everyone(town, logins):
    eid = report_event(town, "AO-1", lon=city.A["lon"], lat=city.A["lat"])
    admin = logins("admin").connect()
    for sql in (
        "UPDATE gridgov.audit_log SET login = 'x'",
        "DELETE FROM gridgov.audit_log",
        "TRUNCATE gridgov.audit_log",
        "DELETE FROM gridgov.event_history",
        "UPDATE gridgov.event_history SET note = 'x'",
        "ALTER TABLE gridgov.audit_log DISABLE TRIGGER append_only",
        "SET session_replication_role = replica",
    ):
        with pytest.raises(psycopg2.Error):
            _rows(admin, sql)
    admin.close()
    # not even the owner (who owns the tables): the triggers refuse
    with town.cursor() as cur:
        for sql in (
            "UPDATE gridgov.event_history SET note = 'x' WHERE event_id = %s",
            "DELETE FROM gridgov.event_history WHERE event_id = %s",
            "DELETE FROM gridgov.audit_log WHERE table_name = 'grid' OR row_key = %s",
        ):
            cur.execute("BEGIN")
            cur.execute("SET LOCAL ROLE gridgov_owner")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
                cur.execute(sql, (eid,))
            cur.execute("ROLLBACK")
        cur.execute("BEGIN")
        cur.execute("SET LOCAL ROLE gridgov_owner")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
            cur.execute("TRUNCATE gridgov.event_history CASCADE")
        cur.execute("ROLLBACK")


def test_a_closed_case_is_frozen_and_the_refusal_is_logged(town, pg_server):
    eid = report_event(town, "FRZ-1", lon=city.A["lon"], lat=city.A["lat"])
    with town.cursor() as cur:
        cur.execute("SELECT gridgov.transition(%s, 'void', 'desk', '无效')", (eid,))
        for sql in (
            "UPDATE gridgov.event SET geom = ST_SetSRID(ST_MakePoint(116.5, 39.9), 4490) WHERE id = %s",
            "UPDATE gridgov.event SET category_code = 'SJ0103' WHERE id = %s",
            "UPDATE gridgov.event SET reported_at = now() - interval '1 day' WHERE id = %s",
            "UPDATE gridgov.event SET external_id = 'other' WHERE id = %s",
        ):
            with pytest.raises(psycopg2.errors.ObjectNotInPrerequisiteState, match="frozen"):
                cur.execute(sql, (eid,))
        cur.execute("UPDATE gridgov.event SET description = '补充说明' WHERE id = %s", (eid,))  # not frozen
    log = Path(pg_server.datadir).parent / "log"
    text = log.read_text(encoding="utf-8", errors="replace")
    assert f"event {eid} is void: its location, category, times, source and key are frozen (login postgres)" in text


def test_a_deadline_changes_only_by_transition_or_escalation(town, logins):
    eid = report_event(town, "DL-1", lon=city.A["lon"], lat=city.A["lat"])
    with town.cursor() as cur:
        with pytest.raises(psycopg2.errors.ObjectNotInPrerequisiteState, match="deadline"):
            cur.execute("UPDATE gridgov.event SET deadline_at = now() + interval '30 days' WHERE id = %s", (eid,))
        cur.execute("SELECT gridgov.transition(%s, 'registered', 'desk', NULL)", (eid,))
        cur.execute(
            "SELECT to_status, login FROM gridgov.event_history WHERE event_id = %s ORDER BY id DESC LIMIT 1", (eid,)
        )
        assert cur.fetchone() == ("registered", "postgres")


def test_restore_an_earlier_version_of_a_grid_and_a_camera(town, logins):
    planner = logins("planner", areas=[city.A["street"]])
    other = logins("planner", areas=[city.B["street"]])
    sup = logins("supervisor", areas=[city.A["street"]])
    p = planner.connect()
    ((gid,),) = _rows(p, "SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
    original = _rows(p, "SELECT name, encode(ST_AsEWKB(geom), 'hex') FROM gridgov.grid WHERE id = %s", (gid,))[0]
    _rows(p, "UPDATE gridgov.grid SET name = '第二版' WHERE id = %s", (gid,))
    _rows(
        p,
        f"UPDATE gridgov.grid SET name = '第三版', geom = '{city.square(city.A['x0'], 39.90, 0.015)}' WHERE id = %s",
        (gid,),
    )
    entries = _audit(town, "grid", gid)
    first, second = entries[0][0], entries[1][0]
    # the first version: as inserted; the second: renamed, old geometry
    v1 = _rows(p, "SELECT gridgov.row_version('grid', %s, %s)", (str(gid), first))[0][0]
    assert (v1["name"], v1["geom"]) == original
    v2 = _rows(p, "SELECT gridgov.row_version('grid', %s, %s)", (str(gid), second))[0][0]
    assert (v2["name"], v2["geom"]) == ("第二版", original[1])
    # the other street's planner neither sees nor restores it; a supervisor may look, not restore
    o = other.connect()
    with pytest.raises(psycopg2.errors.NoDataFound):
        _rows(o, "SELECT gridgov.restore_version('grid', %s, %s)", (str(gid), first))
    o.close()
    s = sup.connect()
    assert _rows(s, "SELECT gridgov.row_version('grid', %s, %s) ->> 'name'", (str(gid), second)) == [("第二版",)]
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _rows(s, "SELECT gridgov.restore_version('grid', %s, %s)", (str(gid), first))
    s.close()
    ((cols,),) = _rows(p, "SELECT gridgov.restore_version('grid', %s, %s)", (str(gid), first))
    assert cols == ["geom", "name"]
    now = _rows(p, "SELECT name, encode(ST_AsEWKB(geom), 'hex') FROM gridgov.grid WHERE id = %s", (gid,))[0]
    assert now == original
    last = _audit(town, "grid", gid)[-1]
    assert (last[1], last[3], last[6]) == (planner.name, "UPDATE", f"restored the version of audit entry {first}")
    assert last[5]["name"] == original[0]
    # a camera: moved and renamed, then put back
    ((cid,),) = _rows(p, "SELECT id FROM gridgov.camera WHERE grid_code = %s", (city.A["grid"],))
    before = _rows(p, "SELECT name, azimuth, ST_AsText(geom) FROM gridgov.camera WHERE id = %s", (cid,))[0]
    _rows(p, "UPDATE gridgov.camera SET azimuth = 90, name = '转向' WHERE id = %s", (cid,))
    _rows(p, "UPDATE gridgov.camera SET geom = ST_SetSRID(ST_MakePoint(116.395, 39.905), 4490) WHERE id = %s", (cid,))
    ((ins,),) = _rows(
        town, "SELECT min(id) FROM gridgov.audit_log WHERE table_name = 'camera' AND row_key = %s", (str(cid),)
    )
    _rows(p, "SELECT gridgov.restore_version('camera', %s, %s)", (str(cid), ins))
    assert _rows(p, "SELECT name, azimuth, ST_AsText(geom) FROM gridgov.camera WHERE id = %s", (cid,))[0] == before
    p.close()


def test_who_reads_the_audit(town, logins):
    admin = logins("admin")
    sup_b = logins("supervisor", areas=[city.B["street"]])
    planner_a = logins("planner", areas=[city.A["street"]])
    a = admin.connect()
    _rows(a, "SELECT gridgov.grant_area(%s, %s)", (planner_a.name, city.A["community"]))
    a.close()
    p = planner_a.connect()
    _rows(p, "UPDATE gridgov.grid SET note = 'x' WHERE grid_code = %s", (city.A["grid"],))
    assert _rows(p, "SELECT count(*) FROM gridgov.audit_log WHERE table_name = 'login_area'") == [(0,)]
    p.close()
    b = sup_b.connect()
    tables = {r[0] for r in _rows(b, "SELECT DISTINCT row_key FROM gridgov.audit_log WHERE table_name = 'grid'")}
    assert len(tables) == 1  # B's grid only
    b.close()
    a = admin.connect()
    assert _rows(
        a, "SELECT login, op FROM gridgov.audit_log WHERE table_name = 'login_area' ORDER BY id DESC LIMIT 1"
    ) == [(admin.name, "INSERT")]
    a.close()
