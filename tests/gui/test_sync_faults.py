"""Faults while saving (issue #11): the network drops (an in-process proxy on loopback that the test
cuts) or the server restarts (the real PostgreSQL, restarted) in the middle of a save through a
real QGIS layer or of an offline sync: the transaction rolls back, the edits stay in the edit
buffer or the package, and a retry succeeds, applying everything exactly once. The live layer's
listener catches up inserts, updates and deletes made while it was cut off."""

from __future__ import annotations

import threading

import psycopg2
import pytest
from osgeo import ogr
from qgis.core import QgsVectorLayer

from grid_governance_plugin.core.events import live
from grid_governance_plugin.core.store import db as store_db
from grid_governance_plugin.core.sync import offline
from grid_governance_plugin.core.sync.layers import VersionedEditing
from tests.db import city
from tests.helpers import report_event
from tests.netproxy import CuttableProxy

pytestmark = pytest.mark.postgis


def _fresh(dsn):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


def _q(dsn, sql, args=()):
    conn = _fresh(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


@pytest.fixture
def town(gridgov_db, logins):
    conn = _fresh(gridgov_db)
    city.seed(conn)
    conn.close()
    planner = logins("planner", "supervisor", areas=[city.A["street"]])
    yield planner
    try:  # a restart killed the fixture's own connection: give it a new one to drop the logins
        with logins.admin.cursor() as cur:
            cur.execute("SELECT 1")
    except psycopg2.Error:
        logins.admin = _fresh(gridgov_db)


@pytest.fixture
def proxy(pg_server):
    p = CuttableProxy(pg_server.host, pg_server.port)
    yield p
    p.close()


def _commit_until(layer, tries=5):
    errors = []
    for _ in range(tries):
        if layer.commitChanges():
            return errors
        errors.append(layer.commitErrors())
    raise AssertionError(errors)


def _hold_saves(gridgov_db):
    """A test-only trigger makes every grid UPDATE wait on advisory lock 4242, held by the returned
    connection: the save is then caught in the middle of its transaction."""
    conn = _fresh(gridgov_db)
    with conn.cursor() as cur:
        cur.execute(
            "CREATE OR REPLACE FUNCTION public.test_hold_save() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN NEW; END $$"
        )
        cur.execute("DROP TRIGGER IF EXISTS test_hold_save ON gridgov.grid")
        cur.execute(
            "CREATE TRIGGER test_hold_save BEFORE UPDATE ON gridgov.grid FOR EACH ROW EXECUTE FUNCTION public.test_hold_save()"
        )
        cur.execute("SELECT pg_advisory_lock(4242)")
    return conn


def _wait_for_waiting_save(gridgov_db, deadline=60.0):
    import time

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if _q(gridgov_db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")[0][0]:
            return
        time.sleep(0.05)
    raise AssertionError("the save never reached the database")


@pytest.mark.parametrize("fault", ["cut", "restart"])
def test_a_fault_while_saving_keeps_the_edits_and_a_retry_succeeds(fault, gridgov_db, town, proxy, pg_server):
    dsn = proxy.dsn(town.dsn)
    layer = QgsVectorLayer(store_db.layer_uri(dsn, "grid", key="id").uri(False), "grids", "postgres")
    assert layer.isValid()
    VersionedEditing(layer)
    fid = next(f.id() for f in layer.getFeatures() if f["grid_code"] == city.A["grid"])
    assert layer.startEditing()
    layer.changeAttributeValue(fid, layer.fields().indexOf("name"), "断网前改名")
    holder = _hold_saves(gridgov_db)

    def fault_in_the_middle():
        _wait_for_waiting_save(gridgov_db)  # the UPDATE is in its open transaction now
        if fault == "cut":
            proxy.cut()
            holder.close()
        else:
            pg_server.restart()

    t = threading.Thread(target=fault_in_the_middle)
    t.start()
    ok = layer.commitChanges()
    t.join(120)
    if ok:  # the provider reconnected and saved again by itself: then exactly once
        assert _q(gridgov_db, "SELECT name, version FROM gridgov.grid WHERE id = %s", (fid,)) == [("断网前改名", 2)]
    else:
        assert layer.isEditable()
        assert layer.editBuffer().changedAttributeValues()[fid][layer.fields().indexOf("name")] == "断网前改名"
        assert _q(gridgov_db, "SELECT name, version FROM gridgov.grid WHERE id = %s", (fid,)) == [
            ("东华门街道一网格", 1)
        ]
        proxy.restore()
        _commit_until(layer)
    assert not ok or fault == "restart", "a cut network cannot have saved"
    assert _q(gridgov_db, "SELECT name, version FROM gridgov.grid WHERE id = %s", (fid,)) == [("断网前改名", 2)]
    assert _q(gridgov_db, "SELECT count(*) FROM gridgov.audit_log WHERE table_name = 'grid' AND op = 'UPDATE'") == [
        (1,)
    ]


@pytest.mark.parametrize("fault", ["cut", "restart"])
def test_a_fault_in_the_middle_of_an_offline_sync_rolls_back_and_the_rerun_applies_once(
    fault, gridgov_db, town, proxy, pg_server, tmp_path, monkeypatch
):
    pkg = tmp_path / "f.gpkg"
    conn = psycopg2.connect(proxy.dsn(town.dsn))
    offline.checkout(conn, pkg, area=city.A["street"])
    ds = ogr.Open(str(pkg), 1)
    layer = ds.GetLayerByName("camera")
    for i in range(3):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("name", f"离线新增{i}")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({city.A['lon'] + 0.001 * i} 39.905)"))
        layer.CreateFeature(f)
    ds = None
    real = offline._apply
    calls = []

    def flaky(cur, book, d, report):
        calls.append(d["delta_id"])
        out = real(cur, book, d, report)
        if len(calls) == 2:  # two deltas written in the open transaction, then the fault
            proxy.cut() if fault == "cut" else pg_server.restart()
        return out

    monkeypatch.setattr(offline, "_apply", flaky)
    with pytest.raises(psycopg2.Error):
        offline.sync(conn, pkg)
    monkeypatch.setattr(offline, "_apply", real)
    assert _q(gridgov_db, "SELECT count(*) FROM gridgov.camera WHERE name LIKE '离线新增%%'") == [(0,)]
    assert len(offline.pending(pkg)["deltas"]) == 3  # kept in the package
    proxy.restore()
    conn = psycopg2.connect(proxy.dsn(town.dsn))
    report = offline.sync(conn, pkg)
    assert report.applied == 3 and report.refused == 0
    assert _q(gridgov_db, "SELECT count(*) FROM gridgov.camera WHERE name LIKE '离线新增%%'") == [(3,)]
    assert offline.sync(conn, pkg).applied == 0
    conn.close()


class _Rec:
    def __init__(self):
        self.rows, self.deleted, self.states = {}, [], []
        self.cond = threading.Condition()

    def on_rows(self, rows):
        with self.cond:
            for r in rows:
                self.rows[r["id"]] = r
            self.cond.notify_all()

    def on_status(self, state, message):
        with self.cond:
            self.states.append(state)
            self.cond.notify_all()

    def on_deleted(self, ids):
        with self.cond:
            self.deleted.extend(ids)
            self.cond.notify_all()

    def wait(self, pred, timeout):
        with self.cond:
            return self.cond.wait_for(pred, timeout)


def test_the_live_listener_catches_up_inserts_updates_and_deletes_after_a_cut(gridgov_db, town, proxy):
    sup = town
    ids = [report_event(gridgov_db, f"live-{i}", lon=city.A["lon"], lat=city.A["lat"]) for i in range(2)]
    rec = _Rec()
    lst = live.EventListener(
        proxy.dsn(sup.dsn), rec.on_rows, rec.on_status, rec.on_deleted, since=None, reconnect_min=0.2, reconnect_max=1.0
    )
    lst.start()
    try:
        assert rec.wait(lambda: live.LISTENING in rec.states, 30)
        proxy.cut()
        assert rec.wait(lambda: live.DISCONNECTED in rec.states, 30)
        # while the listener is cut off: an insert, an update and a delete
        new = report_event(gridgov_db, "live-new", lon=city.A["lon"], lat=city.A["lat"])
        _q(sup.dsn, "SELECT gridgov.transition(%s, 'registered')", (ids[0],))
        conn = _fresh(gridgov_db)
        with conn.cursor() as cur:
            cur.execute("ALTER TABLE gridgov.event_history DISABLE TRIGGER append_only")
            cur.execute("DELETE FROM gridgov.event_history WHERE event_id = %s", (ids[1],))
            cur.execute("ALTER TABLE gridgov.event_history ENABLE TRIGGER append_only")
            cur.execute("DELETE FROM gridgov.event WHERE id = %s", (ids[1],))
        conn.close()
        proxy.restore()
        assert rec.wait(lambda: new in rec.rows, 60), rec.states
        assert rec.wait(lambda: rec.rows.get(ids[0], {}).get("status") == "registered", 30)
        assert rec.wait(lambda: ids[1] in rec.deleted, 30), rec.deleted
    finally:
        lst.close()
