"""Row versions, stale saves and stale case actions refused by the database, tombstones (issue #11).

Every actor is a real LOGIN role of its job and area (docs/roles.md), over the network.
"""

from __future__ import annotations

import json

import psycopg2
import pytest

from tests.db import city
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


@pytest.fixture
def town(db, logins):
    city.seed(db)
    who = {
        "p1": logins("planner", areas=[city.A["street"]]),
        "p2": logins("planner", areas=[city.A["street"]]),
        "pb": logins("planner", areas=[city.B["street"]]),
        "s1": logins("supervisor", areas=[city.A["street"]]),
        "s2": logins("supervisor", areas=[city.A["street"]]),
        "ch": logins("channel", sources=["sensor:cam"]),
        "analyst": logins("analyst", areas=[city.A["street"]]),
    }
    return who


def _one(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone() if cur.description else None


def test_versions_count_up_and_a_stale_save_is_refused_naming_what_and_who(db, town):
    p1, p2 = town["p1"].connect(), town["p2"].connect()
    gid, v, uid = _one(p1, "SELECT id, version, uid FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
    assert v == 1 and uid is not None
    # both read version 1; p2 saves first, stating it
    with p2.cursor() as cur:
        cur.execute("UPDATE gridgov.grid SET name = '二号改', base_version = 1 WHERE id = %s", (gid,))
    assert _one(p1, "SELECT version, base_version, name FROM gridgov.grid WHERE id = %s", (gid,)) == (2, None, "二号改")
    # p1 saves on what it read (version 1): refused, nothing applied
    with pytest.raises(psycopg2.Error) as err, p1.cursor() as cur:
        cur.execute("UPDATE gridgov.grid SET name = '一号改', base_version = 1 WHERE id = %s", (gid,))
    assert err.value.pgcode == "GG409"
    assert "name 东华门街道一网格 → 二号改 by " + town["p2"].name in err.value.diag.message_primary
    assert "version 1 (now 2)" in err.value.diag.message_primary
    detail = json.loads(err.value.diag.message_detail)
    assert detail["seen"] == 1 and detail["version"] == 2
    assert detail["changes"][0]["login"] == town["p2"].name
    assert detail["changes"][0]["columns"]["name"] == ["东华门街道一网格", "二号改"]
    assert _one(p1, "SELECT name, version FROM gridgov.grid WHERE id = %s", (gid,)) == ("二号改", 2)
    # on the current version it goes through; the client cannot set the version itself
    with p1.cursor() as cur:
        cur.execute("UPDATE gridgov.grid SET name = '一号改', base_version = 2, version = 99 WHERE id = %s", (gid,))
    assert _one(p1, "SELECT name, version FROM gridgov.grid WHERE id = %s", (gid,)) == ("一号改", 3)
    # an update that states no version (psql, scripts) is applied and counted
    with p2.cursor() as cur:
        cur.execute("UPDATE gridgov.grid SET note = '脚本' WHERE id = %s", (gid,))
    assert _one(p1, "SELECT version FROM gridgov.grid WHERE id = %s", (gid,)) == (4,)
    # the audit has every version, with its login; base_version is never stored
    rows = _one(
        db,
        "SELECT array_agg(login ORDER BY id) FROM gridgov.audit_log WHERE table_name = 'grid'"
        " AND row_key = %s AND op = 'UPDATE'",
        (str(gid),),
    )[0]
    assert rows == [town["p2"].name, town["p1"].name, town["p2"].name]
    p1.close()
    p2.close()


def test_every_editable_table_has_versions_and_uids(db, town):
    for table in (
        "grid",
        "grid_plan",
        "camera",
        "building",
        "grid_worker",
        "dept_grid",
        "event_category",
        "department",
    ):
        cols = {
            r[0]
            for r in _all(
                db,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'gridgov' AND table_name = %s",
                (table,),
            )
        }
        assert {"version", "base_version", "uid"} <= cols, table
    assert {"version", "base_version"} <= {
        r[0]
        for r in _all(
            db,
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'gridgov' AND table_name = 'event'",
        )
    }
    # an insert gets version 1 and a uid even when the loader sends NULLs
    with db.cursor() as cur:
        cur.execute("INSERT INTO gridgov.building (name, version, uid) VALUES ('楼', 7, NULL) RETURNING version, uid")
        v, uid = cur.fetchone()
    assert v == 1 and uid is not None


def _all(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def test_a_stale_case_action_is_refused_saying_what_changed_and_who(db, town, chinese):
    from grid_governance_plugin.core.dberrors import explain

    eid = report_event(db, "stale-1", lon=city.A["lon"], lat=city.A["lat"])
    s1, s2 = town["s1"].connect(), town["s2"].connect()
    _one(s1, "SELECT gridgov.transition(%s, 'registered')", (eid,))  # old signature: still works
    (seen,) = _one(s2, "SELECT version FROM gridgov.event WHERE id = %s", (eid,))
    (seen_a,) = _one(s1, "SELECT version FROM gridgov.event WHERE id = %s", (eid,))
    assert seen == seen_a
    # A returns it to 上报 on what it saw; B, on the same view, voids it: refused
    _one(s1, "SELECT gridgov.transition(%s, 'reported', %s, NULL, '退回补充')", (eid, seen_a))
    with pytest.raises(psycopg2.Error) as err:
        _one(s2, "SELECT gridgov.transition(%s, 'void', %s)", (eid, seen))
    assert err.value.pgcode == "GG409"
    msg = err.value.diag.message_primary
    assert "status registered → reported by " + town["s1"].name in msg, msg
    detail = json.loads(err.value.diag.message_detail)
    assert detail["changes"][-1]["columns"]["status"] == ["registered", "reported"]
    # what the supervisor reads: in Chinese, naming the step and who took it
    shown = explain(err.value)
    assert f"{town['s1'].name} 修改了" in shown and "已立案 → 已上报" in shown and "第 " in shown, shown
    assert _one(db, "SELECT status FROM gridgov.event WHERE id = %s", (eid,)) == ("reported",)
    # two assignments on the same view: the second is refused, not silently overwritten
    (v,) = _one(s1, "SELECT version FROM gridgov.event WHERE id = %s", (eid,))
    _one(s1, "SELECT gridgov.assign(%s, 'SZ', NULL, %s)", (eid, v))
    with pytest.raises(psycopg2.Error) as err:
        _one(s2, "SELECT gridgov.assign(%s, 'HW', NULL, %s)", (eid, v))
    assert err.value.pgcode == "GG409" and "department HW → SZ by " + town["s1"].name in err.value.diag.message_primary
    assert "环卫所 → 市政管理所" in explain(err.value) and town["s1"].name in explain(err.value)
    assert _one(db, "SELECT department FROM gridgov.event WHERE id = %s", (eid,)) == ("SZ",)
    # merge on a stale view of a duplicate
    dup = report_event(db, "stale-2", lon=city.A["lon"], lat=city.A["lat"])
    (vk,) = _one(s1, "SELECT version FROM gridgov.event WHERE id = %s", (eid,))
    (vd,) = _one(s1, "SELECT version FROM gridgov.event WHERE id = %s", (dup,))
    _one(s1, "SELECT gridgov.transition(%s, 'registered', %s)", (dup, vd))
    with pytest.raises(psycopg2.Error) as err:
        _one(s2, "SELECT gridgov.merge_events(%s, ARRAY[%s]::uuid[], ARRAY[%s, %s])", (eid, dup, vk, vd))
    assert err.value.pgcode == "GG409"
    assert _one(s2, "SELECT gridgov.merge_events(%s, ARRAY[%s]::uuid[], ARRAY[%s, %s])", (eid, dup, vk, vd + 1)) == (1,)
    # outside the area: the area refusal comes first, telling nothing about versions
    pb = town["pb"].connect()
    with pytest.raises(psycopg2.Error) as err:
        _one(pb, "SELECT gridgov.transition(%s, 'void', 1)", (eid,))
    assert err.value.pgcode == "42501"
    for c in (s1, s2, pb):
        c.close()


def test_a_field_channel_sets_a_camera_status_and_the_audit_names_it(db, town):
    with db.cursor() as cur:
        cur.execute(
            "UPDATE gridgov.camera SET device_id = '11010100001320000001' WHERE grid_code = %s", (city.A["grid"],)
        )
    ch = town["ch"].connect()
    assert _one(ch, "SELECT gridgov.set_camera_status('11010100001320000001', 'faulty', '断电')") == (3,)
    with pytest.raises(psycopg2.Error) as err:
        _one(ch, "SELECT gridgov.set_camera_status('11010100001320000001', 'exploded')")
    assert err.value.pgcode == "22023"
    with pytest.raises(psycopg2.Error):
        _one(ch, "SELECT status FROM gridgov.camera")  # a channel reads no table
    login, note = _one(
        db, "SELECT login, note FROM gridgov.audit_log WHERE table_name = 'camera' ORDER BY id DESC LIMIT 1"
    )
    assert (login, note) == (town["ch"].name, "断电")
    ch.close()


def test_deletes_leave_a_tombstone_seen_in_the_area(db, town):
    p1 = town["p1"].connect()
    cid, uid = _one(p1, "SELECT id, uid FROM gridgov.camera WHERE grid_code = %s", (city.A["grid"],))
    with p1.cursor() as cur:
        cur.execute("DELETE FROM gridgov.camera WHERE id = %s", (cid,))
    row = _one(p1, "SELECT table_name, row_key, uid, version, login FROM gridgov.tombstone")
    assert row == ("camera", str(cid), uid, 1, town["p1"].name)
    # the other street's planner does not see it; an analyst of the street does
    assert _one(town["pb"].connect(), "SELECT count(*) FROM gridgov.tombstone") == (0,)
    assert _one(town["analyst"].connect(), "SELECT count(*) FROM gridgov.tombstone") == (1,)
    with pytest.raises(psycopg2.Error):
        _one(db, "DELETE FROM gridgov.tombstone")  # append-only, even for a superuser's plain DELETE
    # events deleted (a superuser's cleanup) leave one too
    eid = report_event(db, "gone", lon=city.A["lon"], lat=city.A["lat"])
    with db.cursor() as cur:
        cur.execute("ALTER TABLE gridgov.event_history DISABLE TRIGGER append_only")
        cur.execute("DELETE FROM gridgov.event_history WHERE event_id = %s", (eid,))
        cur.execute("ALTER TABLE gridgov.event_history ENABLE TRIGGER append_only")
        cur.execute("DELETE FROM gridgov.event WHERE id = %s", (eid,))
    assert _one(db, "SELECT uid::text FROM gridgov.tombstone WHERE table_name = 'event'") == (eid,)
    p1.close()


def test_restoring_a_version_counts_the_version_up(db, town):
    p1 = town["p1"].connect()
    (gid,) = _one(p1, "SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
    with p1.cursor() as cur:
        cur.execute("UPDATE gridgov.grid SET name = '改', base_version = 1 WHERE id = %s", (gid,))
    (first,) = _one(p1, "SELECT min(id) FROM gridgov.audit_log WHERE table_name = 'grid' AND row_key = %s", (str(gid),))
    cols = _one(p1, "SELECT gridgov.restore_version('grid', %s, %s)", (str(gid), first))[0]
    assert cols == ["name"]
    assert _one(p1, "SELECT name, version FROM gridgov.grid WHERE id = %s", (gid,)) == ("东华门街道一网格", 3)
    p1.close()


def test_a_resolution_is_recorded_in_the_audit(db, town):
    p1 = town["p1"].connect()
    (gid,) = _one(p1, "SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
    (aid,) = _one(p1, "SELECT gridgov.record_resolution('grid', %s, %s::jsonb)", (str(gid), '{"choice": "ours"}'))
    login, note = _one(db, "SELECT login, note FROM gridgov.audit_log WHERE id = %s", (aid,))
    assert login == town["p1"].name and "ours" in note
    (gb,) = _one(db, "SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.B["grid"],))
    with pytest.raises(psycopg2.Error) as err:
        _one(p1, "SELECT gridgov.record_resolution('grid', %s, '{}'::jsonb)", (str(gb),))
    assert err.value.pgcode == "42501"
    p1.close()
