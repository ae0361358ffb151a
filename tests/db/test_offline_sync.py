"""Offline round trip (issue #11): check out a street into a GeoPackage, edit grids and cameras and
move cases offline while others change the same rows online, sync back with conflicts on both
sides; sync twice and after a crash halfway changes nothing more. Real logins of each job."""

from __future__ import annotations

import sqlite3

import psycopg2
import pytest
from osgeo import ogr

from grid_governance_plugin.core.sync import offline
from tests.db import city
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


def _q(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def _edit(path, table, uid, **values):
    ds = ogr.Open(str(path), 1)
    layer = ds.GetLayerByName(table)
    layer.SetAttributeFilter(f"uid = '{uid}'")
    f = next(iter(layer))
    for k, v in values.items():
        if k == "geom":
            f.SetGeometry(ogr.CreateGeometryFromWkt(v))
        else:
            f.SetField(k, v)
    layer.SetFeature(f)
    ds = None


@pytest.fixture
def street(db, logins):
    city.seed(db)
    with db.cursor() as cur:
        for i in range(3):  # more cameras in street A, with device ids for the channel
            cur.execute(
                "INSERT INTO gridgov.camera (name, device_id, geom) VALUES (%s, %s, ST_SetSRID(ST_MakePoint(%s, 39.905), 4490))",
                (f"摄像头{i}", f"1101010000132000010{i}", city.A["lon"] + 0.001 * i),
            )
    cases = [report_event(db, f"off-{i}", lon=city.A["lon"], lat=city.A["lat"]) for i in range(3)]
    field = logins("planner", "supervisor", areas=[city.A["street"]])  # the one who goes offline
    desk = logins("planner", "supervisor", areas=[city.A["street"]])  # stays online
    channel = logins("channel", sources=["sensor:cam"])
    return cases, field, desk, channel


def test_offline_round_trip_with_conflicts_on_both_sides(db, street, tmp_path, monkeypatch):
    cases, field, desk, channel = street
    pkg = tmp_path / "street.gpkg"
    fc = field.connect()
    counts = offline.checkout(fc, pkg, area=city.A["street"])
    assert counts["grid"] == 1 and counts["camera"] == 4 and counts["event"] == 3
    assert counts["case_transition"] == _q(db, "SELECT count(*) FROM gridgov.case_transition")[0][0]
    assert counts["grid_worker"] == 1 and counts["event_category"] > 0
    cams = {
        r[1]: str(r[0]) for r in _q(db, "SELECT uid, name FROM gridgov.camera WHERE grid_code = %s", (city.A["grid"],))
    }
    (grid_uid,) = _q(db, "SELECT uid::text FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))[0]

    # ---- offline ----
    _edit(pkg, "grid", grid_uid, name="离线改名")  # others change the note: both kept
    _edit(pkg, "camera", cams["摄像头0"], name="离线名")  # others change the name too: conflict
    _edit(pkg, "camera", cams["摄像头1"], geom=f"POINT ({city.A['lon'] + 0.0015} 39.906)")  # channel: status
    _edit(pkg, "camera", cams["摄像头2"], name="离线也改")  # others delete it: kept as a conflict
    ds = ogr.Open(str(pkg), 1)
    layer = ds.GetLayerByName("camera")
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetField("name", "新装")
    f.SetField("status", "planned")
    f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({city.A['lon'] + 0.004} 39.907)"))
    layer.CreateFeature(f)
    ds = None
    offline.transition(pkg, cases[0], "registered", "离线立案")  # online too: conflict
    offline.transition(pkg, cases[1], "registered")
    offline.transition(pkg, cases[1], "dispatched")  # a chain on one case
    with pytest.raises(offline.SyncError, match="allowed: registered, void"):
        offline.transition(pkg, cases[2], "closed")  # the database's own rules, offline

    # ---- meanwhile online ----
    dc = desk.connect()
    _q(dc, "UPDATE gridgov.grid SET note = '在线备注' WHERE grid_code = %s", (city.A["grid"],))
    _q(dc, "UPDATE gridgov.camera SET name = '在线名' WHERE uid = %s", (cams["摄像头0"],))
    _q(dc, "DELETE FROM gridgov.camera WHERE uid = %s", (cams["摄像头2"],))
    _q(dc, "DELETE FROM gridgov.camera WHERE name = %s", ("路口WA",))  # untouched offline: deleted locally too
    _q(dc, "SELECT gridgov.transition(%s, 'registered')", (cases[0],))
    ch = channel.connect()
    _q(ch, "SELECT gridgov.set_camera_status('11010100001320000101', 'faulty')")
    new_case = report_event(db, "off-new", lon=city.A["lon"], lat=city.A["lat"])

    # ---- sync ----
    report = offline.sync(fc, pkg)
    assert report.refused == 0, report.messages
    assert report.conflicts == 3  # camera name, camera deleted, case moved on both sides
    grid = _q(db, "SELECT name, note FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))[0]
    assert grid == ("离线改名", "在线备注")
    cam1 = _q(
        db, "SELECT status, round(ST_X(geom)::numeric, 4) FROM gridgov.camera WHERE uid = %s", (cams["摄像头1"],)
    )[0]
    assert cam1[0] == "faulty" and float(cam1[1]) == round(city.A["lon"] + 0.0015, 4)
    assert _q(db, "SELECT name FROM gridgov.camera WHERE uid = %s", (cams["摄像头0"],)) == [("在线名",)]
    assert _q(db, "SELECT count(*) FROM gridgov.camera WHERE name = '新装'") == [(1,)]
    # the case moved on both sides: one registration, not two; the chain went through
    assert _q(
        db, "SELECT count(*) FROM gridgov.event_history WHERE event_id = %s AND to_status = 'registered'", (cases[0],)
    ) == [(1,)]
    assert _q(db, "SELECT status FROM gridgov.event WHERE id = %s", (cases[1],)) == [("dispatched",)]
    # the conflicts hold base, theirs and ours
    found = {(c.table, c.kind): c for c in offline.conflicts(pkg)}
    name = found[("camera", "columns")]
    assert (name.base, name.theirs, name.ours) == ({"name": "摄像头0"}, {"name": "在线名"}, {"name": "离线名"})
    assert (
        found[("camera", "deleted")].ours == {"name": "离线也改"} and desk.name in found[("camera", "deleted")].message
    )
    assert "status reported → registered by " + desk.name in found[("event", "case")].message
    # others' changes came down: the grid's note, the status, the new case, the delete
    local = sqlite3.connect(pkg)
    assert local.execute("SELECT note FROM grid").fetchall() == [("在线备注",)]
    assert local.execute("SELECT status FROM camera WHERE uid = ?", (cams["摄像头1"],)).fetchall() == [("faulty",)]
    assert local.execute("SELECT count(*) FROM event WHERE id = ?", (new_case,)).fetchall() == [(1,)]
    assert local.execute("SELECT count(*) FROM camera WHERE name = '路口WA'").fetchall() == [(0,)]
    # the conflicting camera keeps the user's value until resolved; the deleted one is still here
    assert local.execute("SELECT name FROM camera WHERE uid = ?", (cams["摄像头0"],)).fetchall() == [("离线名",)]
    assert local.execute("SELECT name FROM camera WHERE uid = ?", (cams["摄像头2"],)).fetchall() == [("离线也改",)]
    local.close()

    # ---- idempotent: a second sync changes nothing ----
    before = _q(db, "SELECT count(*), max(id) FROM gridgov.audit_log")[0]
    again = offline.sync(fc, pkg)
    assert (again.applied, again.merged, again.conflicts, again.refused) == (0, 0, 0, 0)
    assert _q(db, "SELECT count(*), max(id) FROM gridgov.audit_log")[0] == before

    # ---- resolve: merge by hand, take theirs for the case, re-create the deleted camera ----
    offline.resolve(pkg, name.id, "merge", {"name": "合并名"})
    offline.resolve(pkg, found[("event", "case")].id, "theirs")
    offline.resolve(pkg, found[("camera", "deleted")].id, "ours")
    # a crash after the server committed, before the package recorded it: the rerun sends nothing twice
    real_pull = offline._pull
    monkeypatch.setattr(offline, "_pull", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        offline.sync(fc, pkg)
    monkeypatch.setattr(offline, "_pull", real_pull)
    rerun = offline.sync(fc, pkg)
    assert rerun.skipped == 2 and rerun.conflicts == 0, rerun
    assert _q(db, "SELECT name FROM gridgov.camera WHERE uid = %s", (cams["摄像头0"],)) == [("合并名",)]
    assert _q(db, "SELECT count(*) FROM gridgov.camera WHERE name = '离线也改'") == [(1,)]
    assert offline.conflicts(pkg) == []
    final = offline.sync(fc, pkg)
    assert (final.applied, final.merged, final.conflicts) == (0, 0, 0)
    # every delta applied is recorded once, under the login that sent it
    rows = _q(db, "SELECT login, count(*) FROM gridgov.sync_applied GROUP BY login")
    assert rows == [(field.name, 7)], rows
    for c in (fc, dc, ch):
        c.close()


def test_a_refused_delta_is_kept_and_shown(db, street, tmp_path):
    cases, field, desk, _ = street
    analyst_pkg = tmp_path / "a.gpkg"
    fc = field.connect()
    offline.checkout(
        fc,
        analyst_pkg,
        polygon_wkt=f"POLYGON(({city.A['x0']} 39.9,{city.A['x0'] + 0.02} 39.9,{city.A['x0'] + 0.02} 39.92,{city.A['x0']} 39.9))",
    )
    # an illegal value the database refuses (camera status outside its check)
    (uid,) = _q(db, "SELECT uid::text FROM gridgov.camera WHERE name = '摄像头0'")[0]
    _edit(analyst_pkg, "camera", uid, status="burnt")
    report = offline.sync(fc, analyst_pkg)
    assert report.refused == 1 and "camera" in report.messages[0]
    kept = offline.pending(analyst_pkg)["deltas"]
    assert len(kept) == 1 and kept[0][1] == "refused" and "status" in kept[0][2]
    local = sqlite3.connect(analyst_pkg)
    assert local.execute("SELECT status FROM camera WHERE uid = ?", (uid,)).fetchall() == [
        ("burnt",)
    ]  # not overwritten
    local.close()
    with pytest.raises(psycopg2.Error):
        _q(fc, "DELETE FROM gridgov.sync_applied")
    fc.close()
