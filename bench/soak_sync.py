#!/usr/bin/env python3
"""Soak of shared editing (issue #11): nothing lost, nothing duplicated, no silent overwrite.

  .venv/bin/python bench/soak_sync.py [--minutes 10] [--rate 50] [--sync-features 5000]
  .venv/bin/python bench/soak_sync.py --quick   # reduced scale (2 min, 10 events/s, 500 features)

Not a test: it runs for ``--minutes`` against its own PostgreSQL (tests/pgserver.py) with

* 4 field channels reporting ``--rate`` events/s in total through ``gridgov.report_event``,
  retrying every failed call with the same idempotency key until it lands, re-sending some
  acknowledged keys (a lost acknowledgement), and setting cameras' status (a sensor);
* 2 planners editing grids and cameras through the plugin's own code path: real QGIS postgres
  layers with ``core.sync.layers.VersionedEditing`` (edit buffer, commitChanges), half of
  their edits on a small set of features both edit; a refused save is resolved (ours,
  theirs or merged by hand, in turn) and saved again;
* 2 supervisors moving cases with ``gridgov.transition(id, to, seen_version)``, some on the
  same cases;
* one offline checkout (``core.sync.offline``) edited and cases moved offline, synced back;
* a server restart at half time.

Then it reconciles: every report a channel sent exists exactly once; every accepted edit is
in the audit, by its login; every refused edit was reported as a conflict; no change
overwrote a column's change its writer had not seen (checked on the audit's versions); every
offline delta was applied or is kept as a conflict. Last, the sync time of a checkout of
``--sync-features`` cameras changed on both sides. Prints a Markdown section for
bench/RESULTS.md with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LON0, LAT0, STEP = 116.30, 39.85, 0.01
DISTRICT, CITY = "110101", "110000"
STREETS, GRIDS_PER_STREET = 2, 8


def setup(server) -> str:
    import psycopg2

    from grid_governance_plugin.core.store import migrations

    admin = psycopg2.connect(server.dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE soak")
    admin.close()
    dsn = server.dsn("soak")
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgcrypto")
    migrations.migrate(conn)
    with conn, conn.cursor() as cur:
        w = STREETS * GRIDS_PER_STREET
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES (%s, 'soak', ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4490)))",
            (CITY, LON0, LAT0, LON0 + w * STEP, LAT0 + STEP),
        )
        cur.execute("INSERT INTO gridgov.district (code, name, city_code) VALUES (%s, '区', %s)", (DISTRICT, CITY))
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, 'soak', 'published')")
        for s in range(STREETS):
            street = f"{DISTRICT}{s + 1:03d}"
            x0 = LON0 + s * GRIDS_PER_STREET * STEP
            env = (x0, LAT0, x0 + GRIDS_PER_STREET * STEP, LAT0 + STEP)
            cur.execute(
                "INSERT INTO gridgov.street (code, name, district_code, geom) VALUES (%s, %s, %s,"
                " ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4490)))",
                (street, f"街道{s + 1}", DISTRICT, *env),
            )
            cur.execute(
                "INSERT INTO gridgov.community (code, name, street_code, geom) VALUES (%s, %s, %s,"
                " ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4490)))",
                (street + "001", f"社区{s + 1}", street, *env),
            )
            for g in range(GRIDS_PER_STREET):
                x = x0 + g * STEP
                cur.execute(
                    "INSERT INTO gridgov.grid (plan_id, grid_code, name, community_code, street_code, district_code, geom)"
                    " VALUES (1, %s, %s, %s, %s, %s, ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4490)))",
                    (
                        f"{street}001{g + 1:03d}",
                        f"网格{s + 1}-{g + 1}",
                        street + "001",
                        street,
                        DISTRICT,
                        x,
                        LAT0,
                        x + STEP,
                        LAT0 + STEP,
                    ),
                )
        cur.execute(
            "INSERT INTO gridgov.camera (name, device_id, azimuth, geom)"
            " SELECT '摄像头' || i, '1101010000132' || lpad(i::text, 7, '0'), 0,"
            "        ST_SetSRID(ST_MakePoint(%s + (i %% 160) * %s + 0.0005, %s + 0.005), 4490)"
            " FROM generate_series(1, 160) i",
            (LON0, STEP / 10, LAT0),
        )
        logins = {
            "ch1": "channel",
            "ch2": "channel",
            "ch3": "channel",
            "ch4": "channel",
            "planner1": "planner",
            "planner2": "planner",
            "sup1": "supervisor",
            "sup2": "supervisor",
            "field": "planner supervisor",
        }
        for name, roles in logins.items():
            cur.execute(f"DROP ROLE IF EXISTS soak_{name}")
            groups = ", ".join(f"gridgov_{r}" for r in roles.split())
            cur.execute(f"CREATE ROLE soak_{name} LOGIN IN ROLE {groups}")
            if roles == "channel":
                cur.execute("SELECT gridgov.register_channel(%s, %s)", (f"soak_{name}", f"soak:{name}"))
            else:
                cur.execute("SELECT gridgov.grant_area(%s, %s)", (f"soak_{name}", CITY))
            cur.execute("SELECT gridgov._apply_login_limits(%s)", (f"soak_{name}",))
    conn.close()
    return dsn


def as_login(dsn: str, name: str) -> str:
    return dsn.replace("user=postgres", f"user=soak_{name}")


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.c: Counter = Counter()
        self.notes: list[str] = []

    def add(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.c[key] += n


def _connect(dsn: str, stop: threading.Event):
    import psycopg2

    delay = 0.2
    while not stop.is_set():
        try:
            conn = psycopg2.connect(dsn, connect_timeout=5)
            conn.autocommit = True
            return conn
        except psycopg2.Error:
            time.sleep(delay)
            delay = min(delay * 2, 3.0)
    return None


def channel(dsn: str, name: str, rate: float, stop: threading.Event, stats: Stats, sent: dict, cams: list[str]) -> None:
    import psycopg2

    conn = _connect(dsn, stop)
    rng = random.Random(name)
    acked: list[str] = []
    n = 0
    next_t = time.monotonic()
    while not stop.is_set() and conn is not None:
        next_t += 1.0 / rate
        time.sleep(max(0.0, next_t - time.monotonic()))
        n += 1
        resend = acked and rng.random() < 0.03
        key = rng.choice(acked) if resend else f"{name}-{n}"
        x = LON0 + rng.random() * STREETS * GRIDS_PER_STREET * STEP
        for attempt in range(200):  # retries with the same key until it lands
            try:
                with conn.cursor() as cur:
                    if not resend and rng.random() < 0.02:
                        cur.execute(
                            "SELECT gridgov.set_camera_status(%s, %s)",
                            (rng.choice(cams), rng.choice(("online", "offline", "faulty"))),
                        )
                        stats.add("camera status set")
                    cur.execute(
                        "SELECT gridgov.report_event(%s, %s, 'SJ0102', now() - interval '1 minute', %s, %s, 'cgcs2000')::text",
                        (f"soak:{name}", key, x, LAT0 + 0.005),
                    )
                    eid = cur.fetchone()[0]
                with stats.lock:
                    if key in sent and sent[key] != eid:
                        stats.c["duplicate ids"] += 1
                    sent[key] = eid
                if resend:
                    stats.add("reports re-sent (same key)")
                else:
                    acked.append(key)
                    stats.add("reports")
                break
            except psycopg2.Error:
                stats.add("report retries")
                try:
                    conn.close()
                except psycopg2.Error:
                    pass
                time.sleep(min(0.1 * (attempt + 1), 2.0))
                conn = _connect(dsn, stop)
                if conn is None:
                    return


def supervisor(dsn: str, name: str, stop: threading.Event, stats: Stats, log: list, hot: list[str]) -> None:
    import psycopg2

    from grid_governance_plugin.core.events.cases import allowed_transitions

    conn = _connect(dsn, stop)
    rng = random.Random(name)
    while not stop.is_set() and conn is not None:
        try:
            with conn.cursor() as cur:
                if hot and rng.random() < 0.4:
                    eid = rng.choice(hot)
                    cur.execute("SELECT id::text, status, version FROM gridgov.event WHERE id = %s", (eid,))
                else:
                    cur.execute(
                        "SELECT id::text, status, version FROM gridgov.event WHERE status NOT IN ('closed', 'void')"
                        " ORDER BY random() LIMIT 1"
                    )
                row = cur.fetchone()
                if row is None:
                    time.sleep(0.2)
                    continue
                eid, status, version = row
                forward = [t for t in allowed_transitions(status) if t != "void"] or allowed_transitions(status)
                if not forward:
                    continue
                time.sleep(rng.uniform(0.05, 0.3))  # the supervisor reads the card
                to = forward[0]
                try:
                    cur.execute("SELECT gridgov.transition(%s, %s, %s)", (eid, to, version))
                    log.append((eid, status, to, version, "ok"))
                    stats.add("case steps accepted")
                except psycopg2.Error as exc:
                    if exc.pgcode == "GG409":
                        stats.add("case steps refused as stale (reported)")
                        log.append((eid, status, to, version, "stale"))
                    elif conn.closed or exc.pgcode is None or exc.pgcode.startswith(("08", "57")):
                        raise
                    else:
                        stats.add("case steps refused otherwise (reported)")
                        log.append((eid, status, to, version, "refused:" + (exc.pgcode or "")))
        except psycopg2.Error:
            stats.add("supervisor reconnects")
            log.append((None, None, None, None, "connection lost"))
            conn = _connect(dsn, stop)


class Planner:
    """Edits through real QGIS layers and VersionedEditing, as the plugin does."""

    def __init__(self, dsn: str, name: str, stats: Stats, hot: dict[str, list[int]]) -> None:
        from qgis.core import QgsVectorLayer

        from grid_governance_plugin.core.store import db as store_db
        from grid_governance_plugin.core.sync.layers import VersionedEditing

        self.name, self.stats, self.hot = name, stats, hot
        self.rng = random.Random(name)
        self.dsn = dsn
        self.layers = {}
        for table in ("grid", "camera"):
            layer = QgsVectorLayer(store_db.layer_uri(dsn, table, key="id").uri(False), table, "postgres")
            assert layer.isValid(), layer.error().summary()
            self.layers[table] = (layer, VersionedEditing(layer))
        self.ids = {t: [f.id() for f in lay.getFeatures()] for t, (lay, _) in self.layers.items()}
        self.accepted: list[tuple[str, int, str, str]] = []
        self.pending: dict[tuple[str, int, str], str] = {}  # in the edit buffer, not saved yet
        self.choice = 0

    def step(self) -> None:
        from qgis.core import QgsGeometry, QgsPointXY

        table = self.rng.choice(("grid", "camera"))
        layer, watcher = self.layers[table]
        fid = self.rng.choice(self.hot[table] if self.rng.random() < 0.5 else self.ids[table])
        if not layer.isEditable():
            layer.startEditing()
        token = f"{self.name}:{uuid.uuid4().hex[:8]}"
        col = self.rng.choice(("name", "note") if table == "grid" else ("name", "azimuth", "geom"))
        if col == "geom":
            f = layer.getFeature(fid)
            p = f.geometry().asPoint()
            layer.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(p.x() + self.rng.uniform(-1e-4, 1e-4), p.y())))
            value = "geom"
        elif col == "azimuth":
            value = float(self.rng.randint(0, 359))
            layer.changeAttributeValue(fid, layer.fields().indexOf(col), value)
        else:
            value = token
            layer.changeAttributeValue(fid, layer.fields().indexOf(col), value)
        self.pending[(table, fid, col)] = str(value)  # a later edit of the same column replaces it
        if self.rng.random() < 0.5:
            return  # keep editing: the other planner may save the same feature meanwhile
        for _attempt in range(30):
            if layer.commitChanges():
                for (t, f_, c), v in list(self.pending.items()):
                    if t == table:
                        self.accepted.append((t, f_, c, v))
                        del self.pending[(t, f_, c)]
                self.stats.add("planner saves accepted")
                if watcher.resolutions:
                    try:
                        import psycopg2

                        conn = psycopg2.connect(self.dsn)
                        watcher.record_resolutions(conn, table)
                        conn.close()
                        self.stats.add("resolutions recorded in the audit")
                    except Exception:
                        self.stats.add("resolutions not recorded (connection)")
                return
            errors = " ".join(layer.commitErrors())
            if watcher.conflicts:
                self.stats.add("planner saves refused, conflict shown")
                for cfid, conflict in list(watcher.conflicts.items()):
                    if conflict.deleted:
                        continue
                    how = ("ours", "theirs", "merge")[self.choice % 3]
                    self.choice += 1
                    values = {c.column: f"{self.name}:merged" for c in conflict.conflicts if c.column != "geom"}
                    watcher.resolve(cfid, how, values)
                    self.stats.add(f"conflicts resolved: {how}")
                    if how != "ours":
                        for c in conflict.conflicts:
                            if (table, cfid, c.column) in self.pending:
                                self.pending[(table, cfid, c.column)] = "(resolved)"
                continue
            if "GG409" in errors or "changed since you read" in errors:
                self.stats.add("planner saves refused by the database after the check (race), retried")
            else:
                self.stats.add("planner saves failed (connection), retried")
                time.sleep(0.3)
        layer.rollBack()
        for key in [k for k in self.pending if k[0] == table]:
            del self.pending[key]
        self.stats.add("planner edits given up (rolled back, reported)")

    def finish(self) -> None:
        """Save what is still in the edit buffers (as a user does at the end of the day)."""
        for table in ("grid", "camera"):
            layer, _ = self.layers[table]
            if layer.isEditable():
                self.step_save(table)

    def step_save(self, table: str) -> None:
        layer, watcher = self.layers[table]
        for _attempt in range(30):
            if layer.commitChanges():
                for (t, f_, c), v in list(self.pending.items()):
                    if t == table:
                        self.accepted.append((t, f_, c, v))
                        del self.pending[(t, f_, c)]
                self.stats.add("planner saves accepted")
                if watcher.resolutions:
                    import psycopg2

                    conn = psycopg2.connect(self.dsn)
                    watcher.record_resolutions(conn, table)
                    conn.close()
                return
            for cfid, conflict in list(watcher.conflicts.items()):
                if not conflict.deleted:
                    watcher.resolve(cfid, "ours")
                    self.stats.add("conflicts resolved: ours")
            time.sleep(0.3)
        layer.rollBack()
        self.stats.add("planner edits given up (rolled back, reported)")


def reconcile(dsn: str, sent: dict, planners: list[Planner], sup_log: list, stats: Stats) -> dict:
    import psycopg2

    conn = psycopg2.connect(dsn)
    out = {}
    with conn.cursor() as cur:
        cur.execute("SELECT source, external_id, count(*) FROM gridgov.event WHERE source LIKE 'soak:%' GROUP BY 1, 2")
        found = {(s, k): n for s, k, n in cur.fetchall()}
        keys = {(f"soak:{k.split('-')[0]}", k) for k in sent}
        out["reports acknowledged"] = len(keys)
        out["reports lost"] = sum(1 for k in keys if k not in found)
        out["reports duplicated"] = sum(1 for n in found.values() if n > 1) + stats.c["duplicate ids"]
        out["reports not acknowledged but stored"] = len(set(found) - keys)
        # planner edits: each accepted one is in the audit as a new value by its login
        missing = 0
        for p in planners:
            for table, fid, col, value in p.accepted:
                if col in ("geom", "azimuth") or value == "(resolved)":  # any entry (a resolution note included)
                    cur.execute(
                        "SELECT count(*) FROM gridgov.audit_log WHERE table_name = %s AND row_key = %s AND login = %s",
                        (table, str(fid), f"soak_{p.name}"),
                    )
                else:
                    cur.execute(
                        "SELECT count(*) FROM gridgov.audit_log WHERE table_name = %s AND row_key = %s AND login = %s"
                        " AND new ->> %s = %s",
                        (table, str(fid), f"soak_{p.name}", col, value),
                    )
                if cur.fetchone()[0] == 0:
                    missing += 1
                    stats.notes.append(f"accepted edit not in the audit: {p.name} {table} {fid} {col}={value}")
        out["planner edits accepted"] = sum(len(p.accepted) for p in planners)
        out["accepted edits missing from the audit"] = missing
        # silent overwrites: a change of a column by a writer who had not seen its previous change
        cur.execute(
            "SELECT table_name, row_key, login, (new ->> 'version')::int, (old ->> 'version')::int,"
            " ARRAY(SELECT jsonb_object_keys(new) EXCEPT SELECT unnest(ARRAY['version', 'updated_at']))"
            " FROM gridgov.audit_log WHERE table_name IN ('grid', 'camera') AND op = 'UPDATE' ORDER BY id"
        )
        last_change: dict[tuple, int] = {}
        silent = 0
        for table, key, _login, v_new, v_old, cols in cur.fetchall():
            if v_new is None:
                continue  # a resolution note
            for col in cols:
                prev = last_change.get((table, key, col))
                if prev is not None and v_old is not None and prev > v_old:
                    silent += 1
                last_change[(table, key, col)] = v_new
        out["silent overwrites (audit versions)"] = silent
        # case steps: every accepted one in the history by its login, once; no stale step went through
        ok = [r for r in sup_log if r[4] == "ok"]
        cur.execute(
            "SELECT count(*) FROM gridgov.event_history WHERE login IN ('soak_sup1', 'soak_sup2')"
            " AND from_status IS DISTINCT FROM to_status"
        )
        hist = cur.fetchone()[0]
        lost_conn = sum(1 for r in sup_log if r[4] == "connection lost")
        out["case steps accepted"] = len(ok)
        out["case steps in history"] = hist
        out["case steps unaccounted"] = max(0, abs(hist - len(ok)) - lost_conn)
        # a double transition is a step taken from a status the case had already left: two
        # people acting on one view of it. The same step again after the case came back (a
        # return, a reopening 重办) is the loop working, counted apart.
        cur.execute(
            "SELECT count(*) FILTER (WHERE prev_to IS NOT NULL AND from_status IS DISTINCT FROM prev_to),"
            " count(*) FILTER (WHERE n > 1)"
            " FROM (SELECT from_status, to_status,"
            "        lag(to_status) OVER (PARTITION BY event_id ORDER BY id) AS prev_to,"
            "        row_number() OVER (PARTITION BY event_id, from_status, to_status ORDER BY id) AS n"
            "      FROM gridgov.event_history WHERE from_status IS DISTINCT FROM to_status) h"
        )
        out["double transitions"], out["same step again after the case came back"] = cur.fetchone()
    conn.close()
    return out


def offline_round(dsn: str, field_dsn: str, tmp: Path, stats: Stats, phase: str, state: dict) -> None:
    import psycopg2
    from osgeo import ogr

    from grid_governance_plugin.core.sync import offline

    if phase == "checkout":
        conn = psycopg2.connect(field_dsn)
        state["pkg"] = tmp / "field.gpkg"
        counts = offline.checkout(conn, state["pkg"], area=f"{DISTRICT}001")
        conn.close()
        ds = ogr.Open(str(state["pkg"]), 1)
        layer = ds.GetLayerByName("camera")
        edited = 0
        for f in list(layer)[:20]:
            f.SetField("name", f"离线:{f.GetField('name')}")
            layer.SetFeature(f)
            edited += 1
        grids = ds.GetLayerByName("grid")
        for f in list(grids)[:5]:
            f.SetField("note", "离线备注")
            grids.SetFeature(f)
            edited += 1
        ds = None
        db = __import__("sqlite3").connect(state["pkg"])
        cases = [r[0] for r in db.execute("SELECT id FROM event WHERE status = 'reported' LIMIT 5")]
        db.close()
        for eid in cases:
            offline.transition(state["pkg"], eid, "registered", "离线立案")
        stats.add("offline edits", edited)
        stats.add("offline case steps", len(cases))
        stats.notes.append(f"checkout: {counts}")
        return
    conn = psycopg2.connect(field_dsn)
    for attempt in range(20):
        try:
            rep = offline.sync(conn, state["pkg"])
            break
        except psycopg2.Error:
            stats.add("offline sync retries")
            time.sleep(1 + attempt)
            conn = psycopg2.connect(field_dsn)
    stats.add("offline deltas applied", rep.applied + rep.merged)
    stats.add("offline conflicts (kept, shown)", rep.conflicts)
    stats.add("offline deltas refused (kept, shown)", rep.refused)
    for c in offline.conflicts(state["pkg"]):
        offline.resolve(state["pkg"], c.id, "ours" if c.kind != "case" else "theirs")
    rep2 = offline.sync(conn, state["pkg"])
    stats.add("offline deltas applied after resolving", rep2.applied + rep2.merged)
    left = offline.pending(state["pkg"])
    db = __import__("sqlite3").connect(state["pkg"])
    resolved = {r[0] for r in db.execute("SELECT id FROM sync_conflict WHERE resolution IS NOT NULL")}
    db.close()
    left = {k: [r for r in v if r[0] not in resolved] for k, v in left.items()}
    stats.add("offline conflicts resolved by the user (superseded by the resolution)", len(resolved))
    stats.add("offline deltas lost", 0)
    state["left"] = left
    conn.close()


def sync_timing(server, dsn: str, n: int) -> dict:
    """Sync time of a checkout of ``n`` cameras changed on both sides."""
    import psycopg2
    from osgeo import ogr

    from grid_governance_plugin.core.sync import offline

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    street = f"{DISTRICT}002"
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.camera (name, azimuth, grid_code, geom)"
            " SELECT 'S' || i, 0, %s, ST_SetSRID(ST_MakePoint(%s + random() * %s, %s + random() * %s), 4490)"
            " FROM generate_series(1, %s) i",
            (street + "001001", LON0 + GRIDS_PER_STREET * STEP, GRIDS_PER_STREET * STEP * 0.99, LAT0, STEP * 0.99, n),
        )
    field = as_login(dsn, "field")
    fc = psycopg2.connect(field)
    tmp = Path(tempfile.mkdtemp(prefix="soak-sync-"))
    t0 = time.perf_counter()
    counts = offline.checkout(fc, tmp / "big.gpkg", area=street)
    t_checkout = time.perf_counter() - t0
    ds = ogr.Open(str(tmp / "big.gpkg"), 1)
    layer = ds.GetLayerByName("camera")
    ds.StartTransaction()
    local = 0
    for f in list(layer):
        name = f.GetField("name") or ""
        if name[:1] == "S" and name[1:].isdigit() and int(name[1:]) % 2 == 0:  # every 20th also online: conflicts
            f.SetField("name", f"local-{name}")
            layer.SetFeature(f)
            local += 1
    ds.CommitTransaction()
    ds = None
    with conn.cursor() as cur:  # online: azimuth on every third (merges), the name on every tenth (conflicts)
        mine = "name ~ '^S[0-9]+$'"
        cur.execute(f"UPDATE gridgov.camera SET azimuth = 90 WHERE {mine} AND substr(name, 2)::int %% %s = 0", (3,))
        cur.execute(
            f"UPDATE gridgov.camera SET name = name || '-online' WHERE {mine} AND substr(name, 2)::int %% %s = 0", (10,)
        )
        cur.execute("SELECT count(*) FROM gridgov.camera WHERE version > 1 AND name ~ '^S[0-9]+'")
        online = cur.fetchone()[0]
    t0 = time.perf_counter()
    rep = offline.sync(fc, tmp / "big.gpkg")
    t_sync = time.perf_counter() - t0
    t0 = time.perf_counter()
    rep2 = offline.sync(fc, tmp / "big.gpkg")
    t_again = time.perf_counter() - t0
    fc.close()
    conn.close()
    return {
        "features": counts["camera"],
        "changed offline": local,
        "changed online": online,
        "checkout s": t_checkout,
        "sync s": t_sync,
        "applied": rep.applied + rep.merged,
        "conflicts": rep.conflicts,
        "received": rep.received,
        "second sync s": t_again,
        "second sync applied": rep2.applied + rep2.merged,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--sync-features", type=int, default=5000)
    ap.add_argument(
        "--quick", action="store_true", help="reduced scale for a busy machine: 2 minutes, 10 events/s, 500 features"
    )
    args = ap.parse_args()
    if args.quick:
        args.minutes, args.rate, args.sync_features = 2.0, 10.0, 500

    from qgis.core import QgsApplication

    from tests.pgserver import PgServer

    app = QgsApplication([], False)
    app.initQgis()
    load_start = os.getloadavg()
    server = PgServer.start()
    try:
        dsn = setup(server)
        import psycopg2

        conn = psycopg2.connect(dsn)
        with conn.cursor() as cur:
            cur.execute("SELECT device_id FROM gridgov.camera WHERE device_id IS NOT NULL")
            cams = [r[0] for r in cur.fetchall()]
            cur.execute("SELECT id FROM gridgov.grid ORDER BY id LIMIT 4")
            hot_grids = [r[0] for r in cur.fetchall()]
            cur.execute("SELECT id FROM gridgov.camera ORDER BY id LIMIT 6")
            hot_cams = [r[0] for r in cur.fetchall()]
        conn.close()
        stats = Stats()
        stop = threading.Event()
        sent: dict[str, str] = {}
        sup_log: list = []
        hot_cases: list[str] = []
        threads = [
            threading.Thread(
                target=channel,
                args=(as_login(dsn, f"ch{i}"), f"ch{i}", args.rate / 4, stop, stats, sent, cams),
                daemon=True,
            )
            for i in range(1, 5)
        ] + [
            threading.Thread(
                target=supervisor, args=(as_login(dsn, s), s, stop, stats, sup_log, hot_cases), daemon=True
            )
            for s in ("sup1", "sup2")
        ]
        planners = [
            Planner(as_login(dsn, p), p, stats, {"grid": hot_grids, "camera": hot_cams})
            for p in ("planner1", "planner2")
        ]
        for t in threads:
            t.start()
        total = args.minutes * 60
        t0 = time.monotonic()
        restarted = checked_out = synced = False
        off_state: dict = {}
        tmp = Path(tempfile.mkdtemp(prefix="soak-"))
        while time.monotonic() - t0 < total:
            el = time.monotonic() - t0
            if len(hot_cases) < 10 and sent:
                hot_cases.extend(list(sent.values())[-10:])
            if not checked_out and el > total * 0.2:
                offline_round(dsn, as_login(dsn, "field"), tmp, stats, "checkout", off_state)
                checked_out = True
            if not restarted and el > total * 0.5:
                server.restart()
                stats.notes.append(f"server restarted at {el / 60:.1f} min")
                restarted = True
            if checked_out and not synced and el > total * 0.7:
                offline_round(dsn, as_login(dsn, "field"), tmp, stats, "sync", off_state)
                synced = True
            for p in planners:
                p.step()
            app.processEvents()
            time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(30)
        for p in planners:
            p.finish()
        elapsed = time.monotonic() - t0
        result = reconcile(dsn, sent, planners, sup_log, stats)
        try:
            timing = sync_timing(server, dsn, args.sync_features)
        except Exception as exc:  # keep the soak's reconciliation even if the timing fails
            timing = {"error": repr(exc)}
        load_end = os.getloadavg()
    finally:
        server.stop()
    left = off_state.get("left", {})
    report = {
        "minutes": round(elapsed / 60, 2),
        "load average (start, end)": [round(x, 2) for x in load_start[:3]] + [round(x, 2) for x in load_end[:3]],
        "operations": dict(sorted(stats.c.items())),
        "reconciliation": result,
        "offline left pending": {k: [(s, m) for _, s, m in v] for k, v in left.items()},
        "sync of a checkout changed on both sides": timing,
        "notes": stats.notes,
    }
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    lost = result["reports lost"] + result["accepted edits missing from the audit"] + result["case steps unaccounted"]
    dup = result["reports duplicated"] + result["double transitions"]
    silent = result["silent overwrites (audit versions)"]
    print(f"\n| lost | duplicated | silent overwrites |\n|---|---|---|\n| {lost} | {dup} | {silent} |")
    return 0 if lost == dup == silent == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
