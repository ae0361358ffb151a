"""Offline working copies: check out an area into a GeoPackage, work without a connection,
sync back (issue #11, docs/sync.md).

* :func:`checkout` copies an area (a street, community or grid code, or a drawn polygon as
  WKT) into a GeoPackage: its grids, cameras, buildings and grid workers (editable layers),
  its open cases, the responsibility list and ``case_transition``, the database's own table
  of allowed case steps, so the rules offline are the rules online, from one definition.
  Beside each row the package keeps its *base* (the version and values as checked out).
* Grids, cameras, buildings and workers are edited in QGIS like any GeoPackage layer. Cases
  move with :func:`transition`, which checks the copied ``case_transition`` and records the
  step with the version it was taken on.
* :func:`sync` sends the local changes up as deltas holding old and new values (diffed
  against the base, as geodiff does), each with an id derived from its content, in one
  server transaction: a delta already applied (``gridgov.sync_applied``) is skipped, so a
  second run, or a run after a crash halfway, applies nothing twice. A change to columns
  nobody else touched is applied on top of the others' (column-wise); a same-column change is
  a conflict holding base, theirs and ours; a case moved offline and online is a conflict
  (the database refuses the stale step), never a double transition. A delta the server
  refuses is kept with its reason, never dropped. Then the others' changes, new cases and
  deletes (tombstones) come down; rows with a pending conflict keep the user's values.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osgeo import gdal, ogr, osr

from .merge import merge_row, same

gdal.UseExceptions()
ogr.UseExceptions()

# table -> (server key column, geometry type or None); the order is the checkout's
TABLES: dict[str, tuple[str, str | None]] = {
    "grid": ("id", "MultiPolygon"),
    "camera": ("id", "Point"),
    "building": ("id", "MultiPolygon"),
    "grid_worker": ("worker_id", None),
    "event": ("id", "Point"),
    "event_category": ("code", None),
    "department": ("code", None),
    "case_transition": ("from_status", None),
}
EDITABLE = ("grid", "camera", "building", "grid_worker")
READ_ONLY_COLUMNS = frozenset({"id", "updated_at", "version", "base_version", "uid"})
NS = uuid.UUID("5b1f6c0e-6f0b-4d5e-9a43-1f8d1c7e2a11")  # namespace of delta ids
OPEN = ("reported", "registered", "dispatched", "handled", "verified")


class SyncError(RuntimeError):
    pass


@dataclass
class SyncReport:
    sent: int = 0
    applied: int = 0
    merged: int = 0
    skipped: int = 0  # already applied by an earlier run
    conflicts: int = 0
    refused: int = 0
    received: int = 0
    deleted: int = 0
    messages: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# area
# ---------------------------------------------------------------------------------------
def _area_sql(table: str, code: str | None, wkt: str | None) -> tuple[str, list[Any]]:
    """WHERE clause (alias t) selecting ``table``'s rows of the area."""
    poly = "ST_GeomFromText(%s, 4490)"
    if table == "grid":
        base = "t.plan_id = (SELECT plan_id FROM gridgov.grid_plan WHERE status = 'published')"
        if wkt:
            return f"{base} AND ST_Intersects(t.geom, {poly})", [wkt]
        like = code + "%"
        return (
            f"{base} AND (t.grid_code LIKE %s OR t.community_code LIKE %s OR t.street_code LIKE %s"
            " OR t.district_code LIKE %s)",
            [like] * 4,
        )
    if table == "camera":
        if wkt:
            return f"ST_Intersects(t.geom, {poly})", [wkt]
        return "t.grid_code LIKE %s", [code + "%"]
    if table == "building":
        if wkt:
            return f"ST_Intersects(t.geom, {poly})", [wkt]
        grids, args = _area_sql("grid", code, None)
        return (
            f"EXISTS (SELECT 1 FROM gridgov.grid t2 WHERE {grids.replace('t.', 't2.')} AND ST_Intersects(t.geom, t2.geom))",
            args,
        )
    if table == "grid_worker":
        grids, args = _area_sql("grid", code, wkt)
        own = "" if wkt else " OR t.area_code LIKE %s"
        return (
            f"(EXISTS (SELECT 1 FROM gridgov.grid t2 WHERE {grids.replace('t.', 't2.')} AND t2.worker_id = t.worker_id){own})",
            args + ([] if wkt else [code + "%"]),
        )
    if table == "event":
        open_ = "t.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')"
        if wkt:
            return f"{open_} AND ST_Intersects(t.geom, {poly})", [wkt]
        like = code + "%"
        return f"{open_} AND (t.grid_code LIKE %s OR t.community_code LIKE %s OR t.street_code LIKE %s)", [like] * 3
    return "true", []


def _columns(cur: Any, table: str) -> list[tuple[str, str]]:
    """(name, udt) of a table's columns the login may read, geometry last-out."""
    cur.execute(
        "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = 'gridgov'"
        " AND table_name = %s AND column_name NOT IN ('geom', 'base_version') ORDER BY ordinal_position",
        (table,),
    )
    out = []
    for name, udt in cur.fetchall():
        cur.execute("SELECT has_column_privilege(%s, %s, 'SELECT')", (f"gridgov.{table}", name))
        if cur.fetchone()[0]:
            out.append((name, udt))
    return out


def _fetch(
    cur: Any, table: str, code: str | None, wkt: str | None, only: Iterable[str] | None = None
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    cols = _columns(cur, table)
    geom = TABLES[table][1]
    select = ", ".join(f"t.{n}" for n, _ in cols) + (", ST_AsBinary(t.geom) AS geom" if geom else "")
    where, args = _area_sql(table, code, wkt)
    if only is not None:
        key = "id" if table == "event" else "uid"
        where = f"({where}) OR t.{key}::text = ANY(%s)"
        args = args + [list(only)]
    cur.execute(f"SELECT {select} FROM gridgov.{table} t WHERE {where}", args)
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    for r in rows:
        for k, v in list(r.items()):
            r[k] = _plain(v)
    return cols, rows


def _plain(v: Any) -> Any:
    """Values as they are kept in the package and compared (timestamps ISO text, uuids text)."""
    if isinstance(v, memoryview):
        return bytes(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, __import__("decimal").Decimal):
        return float(v)
    return v


def _ogr_type(udt: str) -> int:
    return {
        "int4": ogr.OFTInteger64,
        "int8": ogr.OFTInteger64,
        "int2": ogr.OFTInteger64,
        "float8": ogr.OFTReal,
        "float4": ogr.OFTReal,
        "numeric": ogr.OFTReal,
        "bool": ogr.OFTInteger,
    }.get(udt, ogr.OFTString)


# ---------------------------------------------------------------------------------------
# the package
# ---------------------------------------------------------------------------------------
_BOOK = """
CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sync_base (tbl TEXT, uid TEXT, version INTEGER, row TEXT, PRIMARY KEY (tbl, uid));
CREATE TABLE IF NOT EXISTS sync_conflict (id TEXT PRIMARY KEY, tbl TEXT, uid TEXT, kind TEXT, base TEXT,
    theirs TEXT, ours TEXT, theirs_version INTEGER, message TEXT, at TEXT, resolution TEXT);
CREATE TABLE IF NOT EXISTS sync_case_action (delta_id TEXT PRIMARY KEY, seq INTEGER, event_id TEXT,
    from_status TEXT, to_status TEXT, base_version INTEGER, note TEXT, at TEXT, state TEXT, message TEXT);
CREATE TABLE IF NOT EXISTS sync_delta (delta_id TEXT PRIMARY KEY, tbl TEXT, uid TEXT, op TEXT, old TEXT, new TEXT,
    state TEXT, message TEXT, at TEXT);
"""


def _jdump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=lambda b: {"wkb": bytes(b).hex()})


def _jload(s: str | None) -> Any:
    if s is None:
        return None

    def hook(d: dict) -> Any:
        return bytes.fromhex(d["wkb"]) if set(d) == {"wkb"} else d

    return json.loads(s, object_hook=hook)


def _srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def checkout(conn: Any, path: str | Path, area: str | None = None, polygon_wkt: str | None = None) -> dict[str, int]:
    """Copy the area into a new GeoPackage at ``path``; rows per table. As the caller's login."""
    if not area and not polygon_wkt:
        raise ValueError("checkout needs an area code or a polygon")
    path = Path(path)
    if path.exists():
        path.unlink()
    counts: dict[str, int] = {}
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    fetched = {}
    with conn.cursor() as cur:
        for table in TABLES:
            cols, rows = _fetch(cur, table, area, polygon_wkt)
            fetched[table] = (cols, rows)
    if not getattr(conn, "autocommit", False):
        conn.rollback()
    for table, (cols, _rows) in fetched.items():
        _create_layer(ds, table, cols)
    ds = None
    book = sqlite3.connect(path)
    book.executescript(_BOOK)
    with book:
        book.executemany(
            "INSERT INTO sync_meta VALUES (?, ?)",
            [
                ("area", area or ""),
                ("polygon", polygon_wkt or ""),
                ("checked_out_at", dt.datetime.now(dt.timezone.utc).isoformat()),
            ],
        )
    book.close()
    ds = ogr.Open(str(path), 1)
    for table, (_cols, rows) in fetched.items():
        _write_rows(ds, table, rows)
        counts[table] = len(rows)
    ds = None
    book = sqlite3.connect(path)
    with book:
        for table in EDITABLE + ("event",):
            for r in fetched[table][1]:
                book.execute(
                    "INSERT INTO sync_base VALUES (?, ?, ?, ?)", (table, _uid(table, r), r.get("version"), _jdump(r))
                )
    book.close()
    return counts


def _uid(table: str, row: dict[str, Any]) -> str:
    return str(row["id"] if table == "event" else row["uid"])


def _create_layer(ds: Any, table: str, cols: list[tuple[str, str]]) -> None:
    geom = TABLES[table][1]
    gtype = {"MultiPolygon": ogr.wkbMultiPolygon, "Point": ogr.wkbPoint}.get(geom, ogr.wkbNone)
    layer = ds.CreateLayer(table, _srs() if geom else None, gtype, ["FID=fid", "GEOMETRY_NAME=geom"])
    for name, udt in cols:
        defn = ogr.FieldDefn(name, _ogr_type(udt))
        if udt == "bool":
            defn.SetSubType(ogr.OFSTBoolean)
        layer.CreateField(defn)


def _write_rows(ds: Any, table: str, rows: list[dict[str, Any]]) -> None:
    layer = ds.GetLayerByName(table)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    ds.StartTransaction()
    for r in rows:
        f = ogr.Feature(defn)
        _set_fields(f, names, r)
        if r.get("geom") is not None:
            f.SetGeometry(ogr.CreateGeometryFromWkb(r["geom"]))
        layer.CreateFeature(f)
    ds.CommitTransaction()


def _set_fields(f: Any, names: list[str], r: dict[str, Any]) -> None:
    for i, n in enumerate(names):
        v = r.get(n)
        if v is None:
            f.SetFieldNull(i)
        elif isinstance(v, bool):
            f.SetField(i, int(v))
        else:
            f.SetField(i, v)


def _read_local(ds: Any, table: str) -> dict[str, tuple[int, dict[str, Any]]]:
    """uid -> (fid, row) of a package layer; new features get a uid written now (stable from then on)."""
    layer = ds.GetLayerByName(table)
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    kinds = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i) for i in range(defn.GetFieldCount())}
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    fresh = []
    layer.ResetReading()
    for f in layer:
        row: dict[str, Any] = {}
        for n in names:
            if not f.IsFieldSetAndNotNull(n):
                row[n] = None
            elif kinds[n].GetSubType() == ogr.OFSTBoolean:
                row[n] = bool(f.GetFieldAsInteger(n))
            elif kinds[n].GetType() == ogr.OFTInteger64 or kinds[n].GetType() == ogr.OFTInteger:
                row[n] = f.GetFieldAsInteger64(n)
            elif kinds[n].GetType() == ogr.OFTReal:
                row[n] = f.GetFieldAsDouble(n)
            else:
                row[n] = f.GetFieldAsString(n)
        g = f.GetGeometryRef()
        if TABLES[table][1]:
            row["geom"] = bytes(g.ExportToIsoWkb()) if g is not None else None
        key = "id" if table == "event" else "uid"
        if not row.get(key):
            row[key] = str(uuid.uuid4())
            fresh.append((f.GetFID(), key, row[key]))
        out[str(row[key])] = (f.GetFID(), row)
    for fid, key, value in fresh:
        f = layer.GetFeature(fid)
        f.SetField(key, value)
        layer.SetFeature(f)
    return out


def _geom_equal(a: Any, b: Any) -> bool:
    if isinstance(a, (bytes, bytearray)) and isinstance(b, (bytes, bytearray)):
        if a == b:
            return True
        return ogr.CreateGeometryFromWkb(bytes(a)).Equals(ogr.CreateGeometryFromWkb(bytes(b)))
    return same(a, b)


def _ogr_set(path: str | Path, table: str, key: str, value: str, values: dict[str, Any] | None) -> None:
    """Change (``values``) or delete (None) one feature through OGR: GeoPackage triggers need
    GDAL's SQL functions, which a plain sqlite3 connection lacks."""
    ds = ogr.Open(str(path), 1)
    layer = ds.GetLayerByName(table)
    layer.SetAttributeFilter(f"{key} = '{value.replace(chr(39), chr(39) * 2)}'")
    for f in list(layer):
        if values is None:
            layer.DeleteFeature(f.GetFID())
            continue
        for k, v in values.items():
            if v is None:
                f.SetFieldNull(k)
            else:
                f.SetField(k, v)
        layer.SetFeature(f)
    ds = None


# ---------------------------------------------------------------------------------------
# offline case steps
# ---------------------------------------------------------------------------------------
# the steps gridgov.transition() takes from a person (009): suspension, resumption and extension
# go through a request and a supervisor's decision, 'external' only through report_status
_PERSON_STEP = "to_status <> from_status AND kind NOT IN ('suspend', 'resume', 'extend', 'external')"


def allowed_steps(path: str | Path, status: str) -> list[str]:
    """Targets reachable from ``status``, from the package's copy of gridgov.case_transition."""
    db = sqlite3.connect(path)
    try:
        return [
            r[0]
            for r in db.execute(
                f"SELECT to_status FROM case_transition WHERE from_status = ? AND {_PERSON_STEP} ORDER BY to_status",
                (status,),
            )
        ]
    finally:
        db.close()


def transition(path: str | Path, event_id: str, to_status: str, note: str | None = None) -> None:
    """Move a case one step offline, by the rules the database uses; synced later as a step on
    the version it was taken on."""
    db = sqlite3.connect(path)
    try:
        with db:
            row = db.execute("SELECT status, version FROM event WHERE id = ?", (event_id,)).fetchone()
            if row is None:
                raise SyncError(f"no case {event_id} in this package")
            status, version = row
            ok = db.execute(
                f"SELECT 1 FROM case_transition WHERE from_status = ? AND to_status = ? AND {_PERSON_STEP}",
                (status, to_status),
            ).fetchone()
            if not ok:
                allowed = ", ".join(allowed_steps(path, status)) or "nothing (terminal state)"
                raise SyncError(
                    f"illegal case transition {status} -> {to_status} (event {event_id}); allowed: {allowed}"
                )
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM sync_case_action").fetchone()[0]
            delta = str(uuid.uuid5(NS, f"event|{event_id}|{version}|{to_status}"))
            db.execute(
                "INSERT INTO sync_case_action VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL)",
                (delta, seq, event_id, status, to_status, version, note, dt.datetime.now(dt.timezone.utc).isoformat()),
            )
    finally:
        db.close()
    # the server counts one version per step: keep counting the same way
    _ogr_set(path, "event", "id", event_id, {"status": to_status, "version": version + 1})


# ---------------------------------------------------------------------------------------
# sync
# ---------------------------------------------------------------------------------------
def _deltas(ds: Any, book: sqlite3.Connection) -> list[dict[str, Any]]:
    """Local changes of the editable layers against their base: insert, update (changed columns,
    old and new), delete. Rows with an unresolved conflict wait for its resolution."""
    held = {(t, u) for t, u in book.execute("SELECT tbl, uid FROM sync_conflict WHERE resolution IS NULL")}
    out = []
    for table in EDITABLE:
        local = _read_local(ds, table)
        base = {
            u: (v, _jload(r))
            for u, v, r in book.execute("SELECT uid, version, row FROM sync_base WHERE tbl = ?", (table,))
        }
        for uid, (_, row) in local.items():
            if (table, uid) in held:
                continue
            if uid not in base:
                new = {k: v for k, v in row.items() if k not in READ_ONLY_COLUMNS and v is not None}
                new["uid"] = uid
                out.append({"tbl": table, "uid": uid, "op": "insert", "old": None, "new": new, "base_version": None})
                continue
            version, b = base[uid]
            old, new = {}, {}
            for k, v in row.items():
                if k in READ_ONLY_COLUMNS or k not in b:
                    continue
                if not (_geom_equal(v, b[k]) if k == "geom" else same(v, b[k])):
                    old[k], new[k] = b[k], v
            if new:
                out.append({"tbl": table, "uid": uid, "op": "update", "old": old, "new": new, "base_version": version})
        for uid, (version, b) in base.items():
            if uid not in local and (table, uid) not in held:
                out.append({"tbl": table, "uid": uid, "op": "delete", "old": b, "new": None, "base_version": version})
    for d in out:
        d["delta_id"] = str(uuid.uuid5(NS, f"{d['tbl']}|{d['uid']}|{d['op']}|{d['base_version']}|{_jdump(d['new'])}"))
    return out


def _set_clause(cols: dict[str, Any], geom_type: str | None) -> tuple[list[str], list[Any]]:
    parts, args = [], []
    for k, v in cols.items():
        if k == "geom":
            parts.append("geom = ST_SetSRID(ST_GeomFromWKB(%s), 4490)" if v is not None else "geom = NULL")
            if v is not None:
                args.append(bytes(v))
        else:
            parts.append(f"{k} = %s")
            args.append(v)
    return parts, args


def _server_row(cur: Any, table: str, uid: str, lock: bool = True) -> dict[str, Any] | None:
    cols = [n for n, _ in _columns(cur, table)]
    geom = ", ST_AsBinary(t.geom) AS geom" if TABLES[table][1] else ""
    key = "id" if table == "event" else "uid"
    cur.execute(
        f"SELECT {', '.join('t.' + c for c in cols)}{geom} FROM gridgov.{table} t WHERE t.{key} = %s"
        + (" FOR UPDATE" if lock else ""),
        (uid,),
    )
    r = cur.fetchone()
    if r is None:
        return None
    return {d[0]: _plain(v) for d, v in zip(cur.description, r)}


def _record_conflict(
    book: sqlite3.Connection,
    cid: str,
    table: str,
    uid: str,
    kind: str,
    base: Any,
    theirs: Any,
    ours: Any,
    theirs_version: int | None,
    message: str,
) -> None:
    book.execute(
        "INSERT OR REPLACE INTO sync_conflict VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        (
            cid,
            table,
            uid,
            kind,
            _jdump(base),
            _jdump(theirs),
            _jdump(ours),
            theirs_version,
            message,
            dt.datetime.now(dt.timezone.utc).isoformat(),
        ),
    )


def _apply(cur: Any, book: sqlite3.Connection, d: dict[str, Any], report: SyncReport) -> str:
    """One delta inside the server transaction (a savepoint around it); its outcome."""
    table, uid = d["tbl"], d["uid"]
    geom_type = TABLES[table][1]
    if d["op"] == "insert":
        cols = dict(d["new"])
        names = list(cols)
        vals = ["ST_SetSRID(ST_GeomFromWKB(%s), 4490)" if n == "geom" else "%s" for n in names]
        args = [bytes(cols[n]) if n == "geom" else cols[n] for n in names]
        cur.execute(f"INSERT INTO gridgov.{table} ({', '.join(names)}) VALUES ({', '.join(vals)})", args)
        return "applied"
    theirs = _server_row(cur, table, uid)
    if d["op"] == "delete":
        if theirs is None:
            return "applied"  # gone already: the same end
        if int(theirs["version"]) != int(d["base_version"]):
            _record_conflict(
                book,
                d["delta_id"],
                table,
                uid,
                "delete_changed",
                d["old"],
                theirs,
                None,
                theirs["version"],
                "deleted here, changed on the server meanwhile",
            )
            report.conflicts += 1
            return "conflict"
        cur.execute(f"DELETE FROM gridgov.{table} WHERE uid = %s", (uid,))
        return "applied"
    if theirs is None:
        cur.execute("SELECT login, deleted_at FROM gridgov.tombstone WHERE uid = %s ORDER BY seq DESC LIMIT 1", (uid,))
        t = cur.fetchone()
        who = f" by {t[0]} at {t[1]:%Y-%m-%d %H:%M}" if t else ""
        _record_conflict(
            book,
            d["delta_id"],
            table,
            uid,
            "deleted",
            d["old"],
            None,
            d["new"],
            None,
            f"deleted on the server{who}; your change is kept here",
        )
        report.conflicts += 1
        return "conflict"
    merge = merge_row(d["old"], d["new"], theirs, equal=lambda a, b: _geom_equal(a, b))
    if merge.apply:
        parts, args = _set_clause(merge.apply, geom_type)
        cur.execute(
            f"UPDATE gridgov.{table} SET {', '.join(parts)}, base_version = %s WHERE uid = %s",
            args + [theirs["version"], uid],
        )
    if merge.conflicts:
        _record_conflict(
            book,
            d["delta_id"],
            table,
            uid,
            "columns",
            {c.column: c.base for c in merge.conflicts},
            {c.column: c.theirs for c in merge.conflicts},
            {c.column: c.ours for c in merge.conflicts},
            theirs["version"],
            "changed here and on the server: " + ", ".join(c.column for c in merge.conflicts),
        )
        report.conflicts += 1
        return "conflict" if not merge.apply else "merged"
    return "merged" if int(theirs["version"]) != int(d["base_version"]) else "applied"


def _push_cases(cur: Any, book: sqlite3.Connection, report: SyncReport) -> list[tuple[str, str, str]]:
    """Pending offline case steps, in order; (delta_id, state, message) for each."""
    results = []
    blocked: set[str] = set()
    after: dict[str, tuple[int, int]] = {}  # event -> (local version after our step, server version after it)
    rows = book.execute(
        "SELECT delta_id, event_id, from_status, to_status, base_version, note FROM sync_case_action"
        " WHERE state IN ('pending', 'refused') ORDER BY seq"
    ).fetchall()
    for delta_id, event_id, frm, to, base_version, note in rows:
        if event_id in blocked:
            results.append((delta_id, "blocked", "an earlier step of this case is in conflict"))
            continue
        report.sent += 1
        cur.execute("SAVEPOINT d")
        cur.execute("SELECT 1 FROM gridgov.sync_applied WHERE delta_id = %s", (delta_id,))
        if cur.fetchone():
            cur.execute("RELEASE SAVEPOINT d")
            report.skipped += 1
            results.append((delta_id, "applied", ""))
            continue
        seen = base_version
        if event_id in after and after[event_id][0] == base_version:
            seen = after[event_id][1]  # chained on our own step just sent
        try:
            cur.execute("SELECT gridgov.transition(%s::uuid, %s, %s, NULL, %s)", (event_id, to, seen, note))
            cur.execute(
                "INSERT INTO gridgov.sync_applied (delta_id, table_name, row_key, outcome) VALUES (%s, 'event', %s, 'applied')",
                (delta_id, event_id),
            )
            cur.execute("SELECT version FROM gridgov.event WHERE id = %s", (event_id,))
            after[event_id] = (base_version + 1, cur.fetchone()[0])
            cur.execute("RELEASE SAVEPOINT d")
            report.applied += 1
            results.append((delta_id, "applied", ""))
        except Exception as exc:  # psycopg2.Error: kept and shown, never dropped
            cur.execute("ROLLBACK TO SAVEPOINT d")
            msg = getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)
            code = getattr(exc, "pgcode", None)
            blocked.add(event_id)
            if code == "GG409":
                server = _server_row(cur, "event", event_id, lock=False)
                _record_conflict(
                    book,
                    delta_id,
                    "event",
                    event_id,
                    "case",
                    {"status": frm},
                    {"status": server and server.get("status")},
                    {"status": to},
                    server and server.get("version"),
                    f"moved here and on the server: {msg}",
                )
                report.conflicts += 1
                results.append((delta_id, "conflict", msg))
            else:
                report.refused += 1
                results.append((delta_id, "refused", msg))
    return results


def sync(conn: Any, path: str | Path) -> SyncReport:
    """Send local changes up, bring others' down (see the module doc). ``conn`` is the login's."""
    path = Path(path)
    report = SyncReport()
    book = sqlite3.connect(path)
    book.executescript(_BOOK)
    meta = dict(book.execute("SELECT key, value FROM sync_meta"))
    area, wkt = meta.get("area") or None, meta.get("polygon") or None
    ds = ogr.Open(str(path), 1)
    deltas = _deltas(ds, book)
    ds = None
    # the deltas are written down before anything is sent: a crash leaves them here
    with book:
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        for d in deltas:
            book.execute(
                "INSERT OR IGNORE INTO sync_delta VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, ?)",
                (d["delta_id"], d["tbl"], d["uid"], d["op"], _jdump(d["old"]), _jdump(d["new"]), now),
            )
    outcomes: dict[str, tuple[str, str]] = {}
    old_autocommit = conn.autocommit
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            for d in deltas:
                report.sent += 1
                cur.execute("SAVEPOINT d")
                cur.execute("SELECT outcome FROM gridgov.sync_applied WHERE delta_id = %s", (d["delta_id"],))
                if cur.fetchone():
                    cur.execute("RELEASE SAVEPOINT d")
                    report.skipped += 1
                    outcomes[d["delta_id"]] = ("applied", "")
                    continue
                try:
                    outcome = _apply(cur, book, d, report)
                    if outcome in ("applied", "merged"):
                        cur.execute(
                            "INSERT INTO gridgov.sync_applied (delta_id, table_name, row_key, outcome) VALUES (%s, %s, %s, %s)",
                            (d["delta_id"], d["tbl"], d["uid"], outcome),
                        )
                        report.applied += outcome == "applied"
                        report.merged += outcome == "merged"
                    cur.execute("RELEASE SAVEPOINT d")
                    outcomes[d["delta_id"]] = (outcome, "")
                except Exception as exc:  # psycopg2.Error: refused, kept with the reason
                    cur.execute("ROLLBACK TO SAVEPOINT d")
                    msg = getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)
                    report.refused += 1
                    report.messages.append(f"{d['tbl']} {d['uid']}: {msg}")
                    outcomes[d["delta_id"]] = ("refused", msg)
            case_results = _push_cases(cur, book, report)
        book.commit()  # conflicts found are written before the server commits (a rerun finds them again)
        conn.commit()
    except BaseException:
        conn.rollback()
        book.rollback()
        conn.autocommit = old_autocommit
        book.close()
        raise
    with book:
        for delta_id, (state, msg) in outcomes.items():
            book.execute(
                "UPDATE sync_delta SET state = ?, message = ? WHERE delta_id = ?", (state, msg or None, delta_id)
            )
        for delta_id, state, msg in case_results:
            book.execute(
                "UPDATE sync_case_action SET state = ?, message = ? WHERE delta_id = ?", (state, msg or None, delta_id)
            )
            if state == "conflict":
                report.messages.append(msg)
    refused = {(d["tbl"], d["uid"]) for d in deltas if outcomes.get(d["delta_id"], ("",))[0] == "refused"}
    _pull(conn, path, book, area, wkt, refused, report)
    conn.autocommit = old_autocommit
    book.close()
    return report


def _pull(
    conn: Any,
    path: Path,
    book: sqlite3.Connection,
    area: str | None,
    wkt: str | None,
    keep: set[tuple[str, str]],
    report: SyncReport,
) -> None:
    """Others' changes, new rows and deletes come down; rows with a pending conflict or a refused
    delta keep the user's values (their base moves to the server's, so nothing is sent twice)."""
    held = {(t, u) for t, u in book.execute("SELECT tbl, uid FROM sync_conflict WHERE resolution IS NULL")}
    pending_cases = {
        r[0]
        for r in book.execute(
            "SELECT event_id FROM sync_case_action WHERE state IN ('pending', 'conflict', 'refused', 'blocked')"
        )
    }
    ds = ogr.Open(str(path), 1)
    with conn.cursor() as cur:
        fetched = {}
        for table in TABLES:
            local_keys = None
            if table in EDITABLE or table == "event":
                local_keys = list(_read_local(ds, table))
            fetched[table] = _fetch(cur, table, area, wkt, only=local_keys)
    conn.commit()
    for table, (_cols, rows) in fetched.items():
        layer = ds.GetLayerByName(table)
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        ds.StartTransaction()
        if table not in EDITABLE and table != "event":
            for f in list(layer):
                layer.DeleteFeature(f.GetFID())
            for r in rows:
                f = ogr.Feature(defn)
                _set_fields(f, names, r)
                if r.get("geom") is not None:
                    f.SetGeometry(ogr.CreateGeometryFromWkb(r["geom"]))
                layer.CreateFeature(f)
            ds.CommitTransaction()
            continue
        local = _read_local(ds, table)
        server = {_uid(table, r): r for r in rows}
        for uid, r in server.items():
            stay = (table, uid) in held or (table, uid) in keep or (table == "event" and uid in pending_cases)
            if uid in local:
                fid, lrow = local[uid]
                if stay:
                    continue
                if all(
                    (_geom_equal if k == "geom" else same)(lrow.get(k), r.get(k)) for k in r if k in lrow or k == "geom"
                ):
                    continue
                f = layer.GetFeature(fid)
                _set_fields(f, names, r)
                if "geom" in r:
                    f.SetGeometry(ogr.CreateGeometryFromWkb(r["geom"]) if r["geom"] is not None else None)
                layer.SetFeature(f)
                report.received += 1
            elif not stay:
                f = ogr.Feature(defn)
                _set_fields(f, names, r)
                if r.get("geom") is not None:
                    f.SetGeometry(ogr.CreateGeometryFromWkb(r["geom"]))
                layer.CreateFeature(f)
                report.received += 1
        for uid, (fid, _) in local.items():
            if uid not in server and (table, uid) not in held and (table, uid) not in keep and uid not in pending_cases:
                layer.DeleteFeature(fid)
                report.deleted += 1
        ds.CommitTransaction()
        with book:
            for uid, r in server.items():
                book.execute(
                    "INSERT OR REPLACE INTO sync_base VALUES (?, ?, ?, ?)", (table, uid, r.get("version"), _jdump(r))
                )
            gone = [u for (u,) in book.execute("SELECT uid FROM sync_base WHERE tbl = ?", (table,)) if u not in server]
            for u in gone:
                if (table, u) not in held and (table, u) not in keep:
                    book.execute("DELETE FROM sync_base WHERE tbl = ? AND uid = ?", (table, u))
    ds = None


# ---------------------------------------------------------------------------------------
# conflicts
# ---------------------------------------------------------------------------------------
@dataclass
class OfflineConflict:
    id: str
    table: str
    uid: str
    kind: str
    base: Any
    theirs: Any
    ours: Any
    theirs_version: int | None
    message: str


def conflicts(path: str | Path, include_resolved: bool = False) -> list[OfflineConflict]:
    db = sqlite3.connect(path)
    try:
        db.executescript(_BOOK)
        q = "SELECT id, tbl, uid, kind, base, theirs, ours, theirs_version, message FROM sync_conflict"
        if not include_resolved:
            q += " WHERE resolution IS NULL"
        return [
            OfflineConflict(i, t, u, k, _jload(b), _jload(th), _jload(o), tv, m)
            for i, t, u, k, b, th, o, tv, m in db.execute(q + " ORDER BY at")
        ]
    finally:
        db.close()


def pending(path: str | Path) -> dict[str, list[tuple[str, str, str | None]]]:
    """Deltas and case steps not applied, with their state and the server's reason."""
    db = sqlite3.connect(path)
    try:
        return {
            "deltas": db.execute(
                "SELECT delta_id, state, message FROM sync_delta WHERE state NOT IN ('applied', 'merged')"
            ).fetchall(),
            "cases": db.execute(
                "SELECT delta_id, state, message FROM sync_case_action WHERE state <> 'applied'"
            ).fetchall(),
        }
    finally:
        db.close()


def resolve(path: str | Path, conflict_id: str, choice: str, values: dict[str, Any] | None = None) -> None:
    """Resolve an offline conflict: "ours" (send mine on the server's version), "theirs" (take the
    server's) or "merge" (``values``). The next :func:`sync` sends the result; nothing is lost."""
    db = sqlite3.connect(path)
    try:
        row = db.execute(
            "SELECT tbl, uid, kind, theirs, ours, theirs_version FROM sync_conflict WHERE id = ?", (conflict_id,)
        ).fetchone()
        if row is None:
            raise KeyError(conflict_id)
        table, uid, kind, theirs, ours, theirs_version = row
        theirs, ours = _jload(theirs), _jload(ours)
        with db:
            if kind == "case":
                if choice == "ours":  # take the step again, on the case as it is now
                    a = db.execute(
                        "SELECT to_status, note FROM sync_case_action WHERE delta_id = ?", (conflict_id,)
                    ).fetchone()
                    db.execute(
                        "UPDATE sync_case_action SET state = 'dropped' WHERE event_id = ? AND state <> 'applied'",
                        (uid,),
                    )
                    db.execute("UPDATE sync_conflict SET resolution = ? WHERE id = ?", (choice, conflict_id))
                    db.commit()
                    _ogr_set(path, "event", "id", uid, {"status": theirs["status"], "version": theirs_version})
                    transition(path, uid, a[0], a[1])
                    return
                db.execute(
                    "UPDATE sync_case_action SET state = 'dropped' WHERE event_id = ? AND state <> 'applied'", (uid,)
                )
                db.execute("UPDATE sync_conflict SET resolution = ? WHERE id = ?", (choice, conflict_id))
                return
            if kind in ("deleted", "delete_changed"):
                # theirs: accept the server's state (drop mine / keep theirs); ours: re-insert or delete again
                if choice == "theirs":
                    db.execute(
                        "DELETE FROM sync_base WHERE tbl = ? AND uid = ?", (table, uid)
                    ) if kind == "deleted" else None
                    if kind == "deleted":
                        _ogr_set(path, table, "uid", uid, None)
                elif kind == "deleted":
                    db.execute("DELETE FROM sync_base WHERE tbl = ? AND uid = ?", (table, uid))  # sent as a new row
                db.execute("UPDATE sync_conflict SET resolution = ? WHERE id = ?", (choice, conflict_id))
                return
            keep = {
                c: (ours if choice == "ours" else theirs if choice == "theirs" else (values or {}))[c]
                if choice != "merge" or c in (values or {})
                else ours[c]
                for c in ours
            }
            base_row = _jload(
                db.execute("SELECT row FROM sync_base WHERE tbl = ? AND uid = ?", (table, uid)).fetchone()[0]
            )
            base_row.update(theirs)  # the base is now the server's version
            db.execute(
                "UPDATE sync_base SET version = ?, row = ? WHERE tbl = ? AND uid = ?",
                (theirs_version, _jdump(base_row), table, uid),
            )
            db.execute("UPDATE sync_conflict SET resolution = ? WHERE id = ?", (choice, conflict_id))
        ds = ogr.Open(str(path), 1)
        local = _read_local(ds, table)
        layer = ds.GetLayerByName(table)
        f = layer.GetFeature(local[uid][0])
        for c, v in keep.items():
            if c == "geom":
                f.SetGeometry(ogr.CreateGeometryFromWkb(bytes(v)) if v is not None else None)
            elif v is None:
                f.SetFieldNull(c)
            else:
                f.SetField(c, v)
        layer.SetFeature(f)
        ds = None
    finally:
        db.close()
