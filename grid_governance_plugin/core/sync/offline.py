"""Offline working copies: check out an area into a GeoPackage, work without a connection,
sync back (issue #11, docs/sync.md).

* :func:`checkout` copies an area (a street, community or grid code, or a drawn polygon as
  WKT) into a GeoPackage: its grids, cameras, buildings and grid workers (editable layers),
  its open cases, the responsibility list and ``case_transition``, the database's own table
  of allowed case steps, so the rules offline are the rules online, from one definition.
  Beside each row the package keeps its *base* (the version and values as checked out).
* Grids, cameras, buildings and workers are edited in QGIS like any GeoPackage layer. Cases
  move with :func:`transition`, :func:`assign`, :func:`request_suspension`,
  :func:`request_extension`, :func:`decide_request` and :func:`resume_case`, which check the
  copied ``case_transition`` as the database's functions do and record the action with the
  version it was taken on; sync sends each through the same function, as the login that syncs.
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

from ..i18n import tr
from ..labels import label
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
# open cases, a suspended one too (its clock stopped): it can be resumed offline
OPEN = ("reported", "registered", "dispatched", "handled", "verified", "suspended")


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
        open_ = "t.status IN (" + ", ".join(f"'{s}'" for s in OPEN) + ")"
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
CREATE TABLE IF NOT EXISTS sync_case_history (event_id TEXT, at TEXT, actor TEXT, from_status TEXT, to_status TEXT,
    note TEXT, login TEXT, source_at TEXT);
CREATE TABLE IF NOT EXISTS sync_case_request (id INTEGER PRIMARY KEY, event_id TEXT, kind TEXT, reason TEXT,
    amount REAL, requested_by TEXT, requested_at TEXT);
"""
# columns sync_case_action gained with suspension, extension, resumption, decisions and
# assignment offline; a package checked out before gets them on first use
_ACTION_COLUMNS = (
    ("kind", "TEXT"),  # step (NULL in older packages), assign, request_suspension, request_extension, decide, resume
    ("args", "TEXT"),  # JSON: department/worker, reason, amount, request, approve
    ("new_version", "INTEGER"),  # the case's version in the copy after the action
    ("server_version", "INTEGER"),  # the case's version on the server after it was applied
    ("result", "TEXT"),  # what the server returned (a request's id)
)


def _open_book(path: str | Path) -> sqlite3.Connection:
    """The package's sync book, its tables as this version of the plugin keeps them."""
    book = sqlite3.connect(path, timeout=30)
    book.executescript(_BOOK)
    have = {r[1] for r in book.execute("PRAGMA table_info(sync_case_action)")}
    for name, kind in _ACTION_COLUMNS:
        if name not in have:
            book.execute(f"ALTER TABLE sync_case_action ADD COLUMN {name} {kind}")
    book.commit()
    return book


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
        case_book = _fetch_case_book(cur, [str(r["id"]) for r in fetched["event"][1]])
    if not getattr(conn, "autocommit", False):
        conn.rollback()
    access = _access_json(conn)
    for table, (cols, _rows) in fetched.items():
        _create_layer(ds, table, cols)
    ds = None
    book = _open_book(path)
    with book:
        book.executemany(
            "INSERT INTO sync_meta VALUES (?, ?)",
            [
                ("area", area or ""),
                ("polygon", polygon_wkt or ""),
                ("checked_out_at", dt.datetime.now(dt.timezone.utc).isoformat()),
                # what the login may do, so the copy greys out what the server would refuse
                ("login", json.loads(access)["login"] if access else ""),
                ("access", access or ""),
            ],
        )
        _store_case_book(book, case_book)
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


def _access_json(conn: Any) -> str | None:
    """The login's roles and privileges (core/store/access.py) as JSON; None if they cannot be read."""
    from ..store.access import Access

    try:
        a = Access.load(conn)
    except Exception:  # an older schema or a login without pg_roles: the server decides anyway
        if not getattr(conn, "autocommit", False):
            conn.rollback()
        return None
    return json.dumps(
        {
            "login": a.login,
            "superuser": a.superuser,
            "roles": sorted(a.roles),
            "areas": [list(x) for x in a.areas],
            "functions": sorted(a.functions),
            "tables": {k: sorted(v) for k, v in a.tables.items()},
            "area_rules": a.area_rules,
        },
        ensure_ascii=False,
    )


def _fetch_case_book(cur: Any, event_ids: list[str]) -> dict[str, list[tuple]]:
    """The cases' history and their requests waiting for a decision, as far as the login may read them."""
    out: dict[str, list[tuple]] = {"history": [], "requests": []}
    cur.execute(
        "SELECT to_regclass('gridgov.event_history') IS NOT NULL"
        " AND has_table_privilege('gridgov.event_history', 'SELECT'),"
        " to_regclass('gridgov.case_request') IS NOT NULL AND has_table_privilege('gridgov.case_request', 'SELECT')"
    )
    history, requests = cur.fetchone()
    if history and event_ids:
        cur.execute(
            "SELECT event_id::text, at, actor, from_status, to_status, note, login, source_at"
            " FROM gridgov.event_history WHERE event_id = ANY(%s::uuid[]) ORDER BY at, id",
            (event_ids,),
        )
        out["history"] = [tuple(_plain(v) for v in r) for r in cur.fetchall()]
    if requests and event_ids:
        cur.execute(
            "SELECT id, event_id::text, kind, reason, amount, requested_by, requested_at FROM gridgov.case_request"
            " WHERE decision IS NULL AND event_id = ANY(%s::uuid[])",
            (event_ids,),
        )
        out["requests"] = [tuple(_plain(v) for v in r) for r in cur.fetchall()]
    return out


def _store_case_book(book: sqlite3.Connection, case_book: dict[str, list[tuple]]) -> None:
    book.execute("DELETE FROM sync_case_history")
    book.execute("DELETE FROM sync_case_request")
    book.executemany("INSERT INTO sync_case_history VALUES (?, ?, ?, ?, ?, ?, ?, ?)", case_book["history"])
    book.executemany("INSERT INTO sync_case_request VALUES (?, ?, ?, ?, ?, ?, ?)", case_book["requests"])


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
# The moves a person makes on a case, offline as online, each checked against the package's
# copy of gridgov.case_transition, the one definition the database uses (009_closed_loop.sql):
# * a step of gridgov.transition(): forward, return, void, reopen; suspension, resumption and
#   extension have their own functions (below), 'external' is only gridgov.report_status;
# * asking to suspend (挂账) or for more time (延期): from a status where a step of kind suspend
#   or extend starts, one request waiting at a time (gridgov._open_request);
# * a supervisor's decision on a request: approving is that step (gridgov.decide_request);
# * resuming a suspended case: the step of kind resume (gridgov.resume_case);
# * assigning to a department or worker, unless the case is closed or void (gridgov.assign).
# Each is kept in sync_case_action with the case's version it was taken on; sync sends it
# through the same function, as the login that syncs.
_PERSON_STEP = "to_status <> from_status AND kind NOT IN ('suspend', 'resume', 'extend', 'external')"
_STEP_ORDER = ("forward", "return", "void", "reopen")  # button order, as core/events/cases.py
KINDS = ("step", "assign", "request_suspension", "request_extension", "decide", "resume")
_REQUEST_KIND = {"request_suspension": "suspend", "request_extension": "extend"}


def is_checkout(path: str | Path) -> bool:
    """Whether ``path`` is an offline copy made by :func:`checkout` (its sync book is there)."""
    p = Path(path)
    if not p.is_file():
        return False
    try:
        db = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"sync_meta", "sync_base", "case_transition", "event"} <= names:
            return False
        return db.execute("SELECT 1 FROM sync_meta WHERE key = 'checked_out_at'").fetchone() is not None
    except sqlite3.Error:  # not SQLite at all
        return False
    finally:
        db.close()


def meta(path: str | Path) -> dict[str, str]:
    """The copy's sync_meta: area, polygon, checked_out_at, login, access."""
    db = _open_book(path)
    try:
        return dict(db.execute("SELECT key, value FROM sync_meta"))
    finally:
        db.close()


def checkout_access(path: str | Path) -> Any:
    """What the login that checked the copy out may do (core/store/access.Access), None if unknown."""
    from ..store.access import Access

    raw = meta(path).get("access")
    if not raw:
        return None
    d = json.loads(raw)
    return Access(
        login=d["login"],
        superuser=bool(d["superuser"]),
        roles=frozenset(d["roles"]),
        areas=tuple(tuple(a) for a in d["areas"]),
        functions=frozenset(d["functions"]),
        tables={k: frozenset(v) for k, v in d["tables"].items()},
        area_rules=bool(d["area_rules"]),
    )


def allowed_steps(path: str | Path, status: str) -> list[str]:
    """Targets a person reaches from ``status`` with a step of transition(), from the package's
    copy of gridgov.case_transition, in button order (forward, return, void, reopen)."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            f"SELECT to_status, kind FROM case_transition WHERE from_status = ? AND {_PERSON_STEP}", (status,)
        ).fetchall()
    finally:
        db.close()
    order = {k: i for i, k in enumerate(_STEP_ORDER)}
    return [to for _, to in sorted((order.get(kind, len(order)), to) for to, kind in rows)]


def step_target(path: str | Path, status: str, kind: str) -> str | None:
    """Where a step of ``kind`` (suspend, resume, extend) leads from ``status``; None when none starts there."""
    db = sqlite3.connect(path)
    try:
        return _target(db, status, kind)
    finally:
        db.close()


def _target(db: sqlite3.Connection, status: str, kind: str) -> str | None:
    row = db.execute(
        "SELECT to_status FROM case_transition WHERE from_status = ? AND kind = ? ORDER BY to_status LIMIT 1",
        (status, kind),
    ).fetchone()
    return row[0] if row else None


def _case_row(db: sqlite3.Connection, event_id: str) -> dict[str, Any]:
    names = [r[1] for r in db.execute("PRAGMA table_info(event)")]
    row = db.execute("SELECT * FROM event WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        raise SyncError(tr("There is no case {0} in this offline copy.", event_id))
    return dict(zip(names, row))


def _server_ref(db: sqlite3.Connection, ref: str) -> str:
    """A request asked here and applied since is the server's request of the id it got."""
    if ref.startswith("srv:"):
        return ref
    row = db.execute("SELECT state, result FROM sync_case_action WHERE delta_id = ?", (ref,)).fetchone()
    return f"srv:{row[1]}" if row and row[0] == "applied" and row[1] else ref


def _open_requests(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """ref -> a request waiting for a decision in this copy: the server's (as of the last sync,
    by "srv:<id>") and those asked here (by the action's delta id), less those decided here."""
    login = (db.execute("SELECT value FROM sync_meta WHERE key = 'login'").fetchone() or ("",))[0]
    out: dict[str, dict[str, Any]] = {}
    for rid, eid, kind, reason, amount, by, at in db.execute(
        "SELECT id, event_id, kind, reason, amount, requested_by, requested_at FROM sync_case_request ORDER BY id"
    ):
        out[f"srv:{rid}"] = {
            "id": f"srv:{rid}",
            "event_id": eid,
            "kind": kind,
            "reason": reason,
            "amount": amount,
            "requested_by": by,
            "requested_at": at,
        }
    for delta, eid, kind, args, at, state in db.execute(
        "SELECT delta_id, event_id, kind, args, at, state FROM sync_case_action"
        " WHERE kind IN ('request_suspension', 'request_extension') AND state <> 'dropped' ORDER BY seq"
    ):
        if state == "applied":
            continue  # on the server now: the last sync brought it down by its server id
        a = _jload(args) or {}
        out[delta] = {
            "id": delta,
            "event_id": eid,
            "kind": _REQUEST_KIND[kind],
            "reason": a.get("reason"),
            "amount": a.get("amount"),
            "requested_by": login,
            "requested_at": at,
        }
    for (args,) in db.execute("SELECT args FROM sync_case_action WHERE kind = 'decide' AND state <> 'dropped'"):
        ref = (_jload(args) or {}).get("request") or ""
        out.pop(ref, None)
        out.pop(_server_ref(db, ref), None)
    return out


def open_request(path: str | Path, event_id: str) -> dict[str, Any] | None:
    """The case's request waiting for a decision in this copy (id, kind, reason, amount,
    requested_by, requested_at), None when there is none."""
    db = _open_book(path)
    try:
        return next((r for r in _open_requests(db).values() if r["event_id"] == event_id), None)
    finally:
        db.close()


def _act(
    path: str | Path,
    event_id: str,
    kind: str,
    note: str | None,
    seen_version: int | None,
    plan: Any,
) -> str:
    """Check and record one action on a case in the copy; the action's delta id.

    ``plan(db, row)`` checks the action against the case as it is in the copy and returns the
    status after it, its arguments, the changes to the case's row and whether the server counts
    a new version for it (as gridgov.versioned() does: only a row that changes)."""
    db = _open_book(path)
    try:
        with db:
            row = _case_row(db, event_id)
            version = int(row.get("version") or 0)
            if seen_version is not None and int(seen_version) != version:
                raise SyncError(
                    tr(
                        "The case changed in this offline copy since you saw it (version {0}, now {1}): look at it "
                        "again, then act.",
                        seen_version,
                        version,
                    )
                )
            to_status, args, changes, bump = plan(db, row)
            new_version = version + 1 if bump else version
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM sync_case_action").fetchone()[0]
            delta = str(uuid.uuid5(NS, f"event|{event_id}|{version}|{kind}|{to_status}|{_jdump(args)}|{seq}"))
            db.execute(
                "INSERT INTO sync_case_action (delta_id, seq, event_id, from_status, to_status, base_version, note, at,"
                " state, message, kind, args, new_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?, ?, ?)",
                (
                    delta,
                    seq,
                    event_id,
                    row["status"],
                    to_status,
                    version,
                    note,
                    dt.datetime.now(dt.timezone.utc).isoformat(),
                    kind,
                    _jdump(args),
                    new_version,
                ),
            )
    finally:
        db.close()
    if bump:
        changes = dict(changes, version=new_version)
    if changes:
        _ogr_set(path, "event", "id", event_id, changes)
    return delta


def transition(
    path: str | Path, event_id: str, to_status: str, note: str | None = None, seen_version: int | None = None
) -> None:
    """Move a case one step offline, by the rules the database uses; synced later as a step on
    the version it was taken on (``seen_version``: the version the user saw, refused if stale)."""

    def plan(db: sqlite3.Connection, row: dict[str, Any]):
        status = row["status"]
        ok = db.execute(
            f"SELECT 1 FROM case_transition WHERE from_status = ? AND to_status = ? AND {_PERSON_STEP}",
            (status, to_status),
        ).fetchone()
        if not ok:
            allowed = ", ".join(allowed_steps(path, status)) or tr("nothing (terminal state)")
            raise SyncError(
                tr("illegal case transition {0} -> {1} (event {2}); allowed: {3}", status, to_status, event_id, allowed)
            )
        changes: dict[str, Any] = {"status": to_status}
        if to_status in ("closed", "void"):
            changes["deadline_at"] = None  # as the database's trigger: no deadline once closed or void
        return to_status, {}, changes, True

    _act(path, event_id, "step", note, seen_version, plan)


def assign(
    path: str | Path,
    event_id: str,
    department: str | None,
    worker_id: str | None,
    note: str | None = None,
    seen_version: int | None = None,
) -> None:
    """Assign a case offline to a department and/or a grid worker (None: unchanged), as gridgov.assign."""

    def plan(db: sqlite3.Connection, row: dict[str, Any]):
        status = row["status"]
        if status in ("closed", "void"):
            raise SyncError(tr("The case is {0}: it can no longer be assigned.", label("case_status", status)))
        if department is None and worker_id is None:
            raise SyncError(tr("Choose a department or a grid worker to assign the case to."))
        if (
            department is not None
            and not db.execute("SELECT 1 FROM department WHERE code = ?", (department,)).fetchone()
        ):
            raise SyncError(
                tr(
                    "Department {0} is not in the responsibility list. Choose another department, or ask an "
                    "administrator to add it.",
                    department,
                )
            )
        changes = {}
        if department is not None and department != row.get("department"):
            changes["department"] = department
        if worker_id is not None and worker_id != row.get("worker_id"):
            changes["worker_id"] = worker_id
        return status, {"department": department, "worker_id": worker_id}, changes, bool(changes)

    _act(path, event_id, "assign", note, seen_version, plan)


def _ask(
    kind: str, event_id: str, reason: str, amount: float | None, seen_version: int | None, path: str | Path
) -> str:
    """Ask to suspend or for more time, offline: the request's reference in the copy."""

    def plan(db: sqlite3.Connection, row: dict[str, Any]):
        status = row["status"]
        what = _REQUEST_KIND[kind]
        if not (reason or "").strip():
            raise SyncError(
                tr("Asking to suspend needs a reason (a permit, the weather, a court…).")
                if what == "suspend"
                else tr("Asking for more time needs a reason.")
            )
        if len(reason) > 1000:
            raise SyncError(tr("The reason is longer than 1000 characters: shorten it."))
        if what == "extend" and (amount is None or not 0 < float(amount) <= 8760):
            raise SyncError(tr("More time must be more than 0 and at most 8760 (hours or working days)."))
        if _target(db, status, what) is None:
            raise SyncError(
                tr("Only a case being handled (dispatched) can be suspended.")
                if what == "suspend"
                else tr("Only a case being handled (dispatched) can be given more time.")
            )
        if any(r["event_id"] == event_id for r in _open_requests(db).values()):
            raise SyncError(tr("A request is waiting for a supervisor's decision."))
        args: dict[str, Any] = {"reason": reason.strip()}
        if what == "extend":
            args["amount"] = float(amount)
        return status, args, {}, False  # a request leaves the case's row as it is

    return _act(path, event_id, kind, None, seen_version, plan)


def request_suspension(path: str | Path, event_id: str, reason: str, seen_version: int | None = None) -> str:
    """Ask offline to suspend a case (挂账), with a reason; a supervisor decides. The request's reference."""
    return _ask("request_suspension", event_id, reason, None, seen_version, path)


def request_extension(
    path: str | Path, event_id: str, reason: str, amount: float, seen_version: int | None = None
) -> str:
    """Ask offline for ``amount`` more time (延期, in the category's unit), with a reason. The request's reference."""
    return _ask("request_extension", event_id, reason, amount, seen_version, path)


def decide_request(
    path: str | Path, request_id: str, approve: bool, note: str | None = None, seen_version: int | None = None
) -> None:
    """A supervisor's decision offline on a request waiting in the copy (``request_id``: its
    reference from :func:`open_request`). Approving a suspension suspends the case; approving
    an extension moves its deadline (the server computes it at sync, in working time)."""
    db = _open_book(path)
    try:
        waiting = _open_requests(db)
        request = waiting.get(request_id) or waiting.get(_server_ref(db, request_id))
        if request is None:
            raise SyncError(tr("The request has been decided already, or it is not in this offline copy."))
    finally:
        db.close()

    def plan(db: sqlite3.Connection, row: dict[str, Any]):
        status = row["status"]
        args = {"request": request_id, "approve": bool(approve), "kind": request["kind"], "amount": request["amount"]}
        if not approve:
            return status, args, {}, False  # a refusal leaves the case's row as it is
        target = _target(db, status, request["kind"])
        if target is None:
            raise SyncError(tr("The case is {0} now: the request can only be refused.", label("case_status", status)))
        if request["kind"] == "suspend":
            return target, args, {"status": target, "deadline_at": None}, True  # the clock stops
        changes: dict[str, Any] = {}
        unit = _time_unit(db, row.get("category_code"))
        if unit == "calendar_hours" and row.get("deadline_at"):
            # round-the-clock categories: the same arithmetic as gridgov.add_case_time
            deadline = dt.datetime.fromisoformat(str(row["deadline_at"]))
            changes["deadline_at"] = (deadline + dt.timedelta(hours=float(request["amount"]))).isoformat()
        return target, args, changes, True

    _act(path, request["event_id"], "decide", note, seen_version, plan)


def resume_case(path: str | Path, event_id: str, note: str | None = None, seen_version: int | None = None) -> None:
    """Resume a suspended case offline; the server gives back the working time it had left at sync."""

    def plan(db: sqlite3.Connection, row: dict[str, Any]):
        target = _target(db, row["status"], "resume")
        if target is None:
            raise SyncError(tr("Only a suspended case can be resumed."))
        return target, {}, {"status": target}, True

    _act(path, event_id, "resume", note, seen_version, plan)


def _time_unit(db: sqlite3.Connection, category: str | None) -> str:
    cols = {r[1] for r in db.execute("PRAGMA table_info(event_category)")}
    if "time_unit" not in cols or category is None:
        return "working_hours"
    row = db.execute("SELECT time_unit FROM event_category WHERE code = ?", (category,)).fetchone()
    return row[0] if row and row[0] else "working_hours"


def _action_text(kind: str, frm: str, to: str, args: dict[str, Any], unit: str, names: dict[str, str]) -> str:
    """What an action made here did, in the user's language (the history's note)."""
    if kind == "assign":
        dept = args.get("department")
        return tr(
            "Assigned to {0} {1}",
            names.get(dept) or label("department", dept) if dept else "",
            args.get("worker_id") or "",
        ).strip()
    if kind == "request_suspension":
        return tr("Asked to suspend the case: {0}", args.get("reason") or "")
    if kind == "request_extension":
        return tr(
            "Asked for {0} more {1}: {2}",
            f"{float(args.get('amount') or 0):g}",
            label("time_unit", unit).lower(),
            args.get("reason") or "",
        )
    if kind == "decide":
        suspend = args.get("kind") == "suspend"
        if not args.get("approve"):
            return tr("Suspension refused") if suspend else tr("Extension refused")
        if suspend:
            return tr("Suspension approved: the clock stops")
        return tr(
            "Extension approved: {0} more {1}", f"{float(args.get('amount') or 0):g}", label("time_unit", unit).lower()
        )
    if kind == "resume":
        return tr("Resumed: the clock runs again")
    return ""


def case_history(path: str | Path, event_id: str) -> list[dict[str, Any]]:
    """The case's history as of the last sync, then what was done to it here and not yet
    applied on the server, oldest first. Those carry ``sync_state`` (pending; conflict, refused
    or blocked after a sync) and ``sync_message``; the server's rows carry None."""
    db = _open_book(path)
    try:
        out: list[dict[str, Any]] = []
        for at, actor, frm, to, note, login, source_at in db.execute(
            "SELECT at, actor, from_status, to_status, note, login, source_at FROM sync_case_history"
            " WHERE event_id = ? ORDER BY at, rowid",
            (event_id,),
        ):
            out.append(
                {
                    "at": _when(at),
                    "actor": actor,
                    "from_status": frm,
                    "to_status": to,
                    "note": note,
                    "login": login,
                    "source_at": _when(source_at),
                    "sync_state": None,
                    "sync_message": None,
                }
            )
        login = (db.execute("SELECT value FROM sync_meta WHERE key = 'login'").fetchone() or ("",))[0]
        try:
            category = _case_row(db, event_id).get("category_code")
        except SyncError:
            category = None
        unit = _time_unit(db, category)
        names = dict(db.execute("SELECT code, name FROM department"))
        for frm, to, note, at, state, message, kind, args in db.execute(
            "SELECT from_status, to_status, note, at, state, message, kind, args FROM sync_case_action"
            " WHERE event_id = ? AND state NOT IN ('applied', 'dropped') ORDER BY seq",
            (event_id,),
        ):
            text = _action_text(kind or "step", frm, to, _jload(args) or {}, unit, names)
            out.append(
                {
                    "at": _when(at),
                    "actor": login,
                    "from_status": frm,
                    "to_status": to,
                    "note": ": ".join(t for t in (text, note) if t) or None,
                    "login": login,
                    "source_at": None,
                    "sync_state": state,
                    "sync_message": message,
                }
            )
        return out
    finally:
        db.close()


def _when(value: Any) -> Any:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return value


def unsynced_cases(path: str | Path) -> dict[str, int]:
    """event id -> how many of its actions made here are not applied on the server yet."""
    db = _open_book(path)
    try:
        return dict(
            db.execute(
                "SELECT event_id, count(*) FROM sync_case_action WHERE state NOT IN ('applied', 'dropped')"
                " GROUP BY event_id"
            )
        )
    finally:
        db.close()


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


# What an offline action calls on the server, as the login that syncs: the identity is the
# login's (actor NULL; requested_by, decided_by, resumed_by are session_user). Each states
# the version of the case it was taken on (010_versions.sql, 011_offline_case_steps.sql).
_CALLS = {
    "step": "SELECT gridgov.transition(%(event)s::uuid, %(to)s, %(seen)s, NULL, %(note)s)",
    "assign": "SELECT gridgov.assign(%(event)s::uuid, %(department)s, %(worker_id)s, %(seen)s, NULL, %(note)s)",
    "request_suspension": "SELECT gridgov.request_suspension(%(event)s::uuid, %(reason)s, %(seen)s)",
    "request_extension": "SELECT gridgov.request_extension(%(event)s::uuid, %(reason)s, %(amount)s::float8, %(seen)s)",
    "decide": "SELECT gridgov.decide_request(%(request)s::bigint, %(approve)s, %(note)s, %(seen)s)",
    "resume": "SELECT gridgov.resume_case(%(event)s::uuid, %(note)s, %(seen)s)",
}


def _push_cases(cur: Any, book: sqlite3.Connection, report: SyncReport) -> list[tuple]:
    """Pending offline case actions, in order; (delta_id, state, message, server version, result) for each."""
    results: list[tuple] = []
    blocked: set[str] = set()
    # event -> (the copy's version after the last action applied, the server's version after it)
    after: dict[str, tuple[int, int]] = {}
    for eid, new_v, server_v, base_v in book.execute(
        "SELECT event_id, new_version, server_version, base_version FROM sync_case_action"
        " WHERE state = 'applied' AND server_version IS NOT NULL ORDER BY seq"
    ):
        after[eid] = (new_v if new_v is not None else base_v + 1, server_v)
    # a request asked here -> its id on the server
    refs = dict(
        book.execute("SELECT delta_id, result FROM sync_case_action WHERE state = 'applied' AND result IS NOT NULL")
    )
    rows = book.execute(
        "SELECT delta_id, event_id, from_status, to_status, base_version, note, kind, args, new_version"
        " FROM sync_case_action WHERE state IN ('pending', 'refused') ORDER BY seq"
    ).fetchall()
    for delta_id, event_id, frm, to, base_version, note, kind, args, new_version in rows:
        kind = kind or "step"  # a package of before suspension offline
        args = _jload(args) or {}
        if new_version is None:
            new_version = base_version + 1
        if event_id in blocked:
            results.append((delta_id, "blocked", "an earlier step of this case is in conflict", None, None))
            continue
        report.sent += 1
        cur.execute("SAVEPOINT d")
        cur.execute("SELECT table_name, row_key FROM gridgov.sync_applied WHERE delta_id = %s", (delta_id,))
        done = cur.fetchone()
        if done:  # applied by an earlier run that stopped before the copy recorded it
            result = done[1] if done[0] == "case_request" else None
            if result:
                refs[delta_id] = result
            cur.execute("SELECT version FROM gridgov.event WHERE id = %s", (event_id,))
            now = cur.fetchone()
            if now:
                after[event_id] = (new_version, now[0])
            cur.execute("RELEASE SAVEPOINT d")
            report.skipped += 1
            results.append((delta_id, "applied", "", now[0] if now else None, result))
            continue
        seen = base_version
        if event_id in after and after[event_id][0] == base_version:
            seen = after[event_id][1]  # chained on our own action just sent
        params = {"event": event_id, "to": to, "seen": seen, "note": note, **args}
        if kind == "decide":
            ref = str(args.get("request") or "")
            params["request"] = ref[4:] if ref.startswith("srv:") else refs.get(ref)
            params["approve"] = bool(args.get("approve"))
        try:
            if kind == "decide" and params["request"] is None:
                raise SyncError(tr("The request this decision is about is not on the server yet."))
            cur.execute(_CALLS[kind], params)
            value = cur.fetchone()[0]
            result = str(value) if kind in _REQUEST_KIND and value is not None else None
            if result:
                refs[delta_id] = result
            cur.execute(
                "INSERT INTO gridgov.sync_applied (delta_id, table_name, row_key, outcome) VALUES (%s, %s, %s, 'applied')",
                (delta_id, "case_request" if result else "event", result or event_id),
            )
            cur.execute("SELECT version FROM gridgov.event WHERE id = %s", (event_id,))
            server_version = cur.fetchone()[0]
            after[event_id] = (new_version, server_version)
            cur.execute("RELEASE SAVEPOINT d")
            report.applied += 1
            results.append((delta_id, "applied", "", server_version, result))
        except Exception as exc:  # psycopg2.Error: kept and shown, never dropped
            cur.execute("ROLLBACK TO SAVEPOINT d")
            msg = getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)
            code = getattr(exc, "pgcode", None)
            blocked.add(event_id)
            # moved on the server since (GG409), or a request asked there meanwhile: both sides acted
            if code == "GG409" or (code == "23505" and kind in _REQUEST_KIND):
                server = _server_row(cur, "event", event_id, lock=False)
                ours: dict[str, Any] = {"status": to}
                if kind != "step":
                    ours["action"] = kind
                _record_conflict(
                    book,
                    delta_id,
                    "event",
                    event_id,
                    "case",
                    {"status": frm},
                    {"status": server and server.get("status")},
                    ours,
                    server and server.get("version"),
                    f"moved here and on the server: {msg}",
                )
                report.conflicts += 1
                results.append((delta_id, "conflict", msg, None, None))
            else:
                report.refused += 1
                results.append((delta_id, "refused", msg, None, None))
    return results


def sync(conn: Any, path: str | Path) -> SyncReport:
    """Send local changes up, bring others' down (see the module doc). ``conn`` is the login's."""
    path = Path(path)
    report = SyncReport()
    book = _open_book(path)
    info = dict(book.execute("SELECT key, value FROM sync_meta"))
    area, wkt = info.get("area") or None, info.get("polygon") or None
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
        for delta_id, state, msg, server_version, result in case_results:
            book.execute(
                "UPDATE sync_case_action SET state = ?, message = ?, server_version = coalesce(?, server_version),"
                " result = coalesce(?, result) WHERE delta_id = ?",
                (state, msg or None, server_version, result, delta_id),
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
        # the cases' history and waiting requests as the server has them now (the card shows them)
        case_book = _fetch_case_book(cur, [str(r["id"]) for r in fetched["event"][1]])
    conn.commit()
    with book:
        _store_case_book(book, case_book)
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
                if choice == "ours":  # take the action again, and those after it, on the case as it is now
                    acts = db.execute(
                        "SELECT delta_id, kind, to_status, note, args FROM sync_case_action"
                        " WHERE event_id = ? AND state NOT IN ('applied', 'dropped') ORDER BY seq",
                        (uid,),
                    ).fetchall()
                    db.execute(
                        "UPDATE sync_case_action SET state = 'dropped' WHERE event_id = ? AND state <> 'applied'",
                        (uid,),
                    )
                    db.execute("UPDATE sync_conflict SET resolution = ? WHERE id = ?", (choice, conflict_id))
                    db.commit()
                    _ogr_set(path, "event", "id", uid, {"status": theirs["status"], "version": theirs_version})
                    _redo(path, uid, acts)
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


def _redo(path: str | Path, event_id: str, acts: list[tuple]) -> None:
    """Take ``acts`` (delta_id, kind, to_status, note, args) again, in order, on the case as the
    copy has it now. Stops at the first the case no longer allows: it and those after it stay
    dropped, and the error says so."""
    refs: dict[str, str] = {}  # a request asked again: old reference -> new
    for i, (delta, kind, to, note, args) in enumerate(acts):
        a = _jload(args) or {}
        kind = kind or "step"
        try:
            if kind == "step":
                transition(path, event_id, to, note)
            elif kind == "assign":
                assign(path, event_id, a.get("department"), a.get("worker_id"), note)
            elif kind in _REQUEST_KIND:
                refs[delta] = _ask(kind, event_id, a.get("reason") or "", a.get("amount"), None, path)
            elif kind == "decide":
                ref = str(a.get("request") or "")
                decide_request(path, refs.get(ref, ref), bool(a.get("approve")), note)
            elif kind == "resume":
                resume_case(path, event_id, note)
        except SyncError as exc:
            raise SyncError(
                tr(
                    "{0} of your {1} action(s) on this case could not be taken again on the case as it is now: {2}",
                    len(acts) - i,
                    len(acts),
                    str(exc),
                )
            ) from exc
