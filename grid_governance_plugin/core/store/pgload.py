"""Bulk-load a generated :class:`democity.City` into the PostGIS ``gridgov`` schema with COPY.

Used by ``make demo DB=postgis``, ``scripts/gencity.py --postgis`` and the benchmarks.
Geometries travel as hex EWKB with SRID 4490 (single parts promoted to the column's
multi type), timestamps as ISO 8601 UTC.

Shared reference rows (``department``, ``event_category``, ``grid_plan``) are inserted
with ``ON CONFLICT DO NOTHING`` because migrations seed them too.

Historic events already carry their full history, so the case-flow trigger (which would
re-check transitions and write its own history rows) must not fire while they load: the
loading transaction sets ``session_replication_role = replica``, which skips ordinary
triggers (including foreign-key checks; the generator's rows are consistent). That needs
a superuser; without the privilege the load goes on with triggers enabled.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from . import schema
from .gpkg import column_values, geometry_wkb

# Tables in foreign-key order.
LOAD_ORDER = (
    "city", "district", "street", "community", "department", "grid_worker", "grid_plan", "grid", "dept_grid",
    "building", "road", "camera", "event_category", "event", "event_history",
)  # fmt: skip
SHARED = frozenset({"department", "event_category", "grid_plan"})  # seeded elsewhere too
_CHUNK = 20000  # rows per text chunk
_READ = 1 << 20  # bytes per read of COPY


def ewkb_hex(geoms: Any, geometry: str, srid: int = schema.STORAGE_EPSG) -> list[str | None]:
    """Hex EWKB with ``srid`` of shapely geometries (or an (n, 2) array of points)."""
    wkb = geometry_wkb(geoms, geometry)
    if wkb is None:
        return []
    if isinstance(wkb, np.ndarray):  # points from coordinates: build the 25-byte records at once
        rec = np.zeros(len(wkb), dtype=[("o", "u1"), ("t", "<u4"), ("s", "<u4"), ("x", "<f8"), ("y", "<f8")])
        rec["o"], rec["t"], rec["s"] = 1, 0x20000001, srid
        rec["x"], rec["y"] = wkb[:, 0], wkb[:, 1]
        h = rec.tobytes().hex()
        return [h[50 * i : 50 * i + 50] for i in range(len(wkb))]
    srid_bytes = struct.pack("<I", srid)
    out: list[str | None] = []
    for w in wkb:
        if w is None:
            out.append(None)
            continue
        gtype = struct.unpack_from("<I", w, 1)[0] | 0x20000000
        out.append((b"\x01" + struct.pack("<I", gtype) + srid_bytes + w[5:]).hex())
    return out


_NULL = "\\N"
_SPECIAL = ("\\", "\t", "\n", "\r")


def _escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_column(values: list, kind: str) -> list[str]:
    """One column as COPY text values (NULL as \\N, text escaped)."""
    if kind == "bool":
        return [_NULL if v is None else ("t" if v else "f") for v in values]
    if kind in ("int", "double"):
        return [_NULL if v is None else str(v) for v in values]  # str(float) round-trips exactly
    out = [_NULL if v is None else v for v in values]
    # one scan of the whole column decides whether any value needs escaping
    joined = "\x00".join(v for v in values if v is not None)
    if any(c in joined for c in _SPECIAL):
        out = [_NULL if v is None else _escape(v) for v in values]
    return out


class _Stream(io.RawIOBase):
    """A file object over an iterator of text chunks, for cursor.copy_expert.

    Reads hand out slices of the current chunk by position: re-slicing the remainder on
    each read would copy megabytes per 8 KB asked for.
    """

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._cur = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._pos >= len(self._cur):
            try:
                self._cur = next(self._chunks).encode("utf-8")
            except StopIteration:
                return b""
            self._pos = 0
        if size < 0:
            size = len(self._cur) - self._pos
        data = self._cur[self._pos : self._pos + size]
        self._pos += len(data)
        return data


def _lines(cols: list[list[str]]) -> Iterator[str]:
    n = len(cols[0]) if cols else 0
    for a in range(0, n, _CHUNK):
        part = [c[a : a + _CHUNK] for c in cols]
        yield "".join("\t".join(row) + "\n" for row in zip(*part))


def copy_rows(
    cur: Any, table: str, columns: list[str], cols: list[list[str]], on_conflict_nothing: bool = False
) -> int:
    """COPY columns of COPY text values (see ``copy_column``) into ``gridgov.table``.

    With ``on_conflict_nothing`` the rows go through a temp table and rows that clash with
    existing keys are skipped.
    """
    collist = ", ".join(columns)
    if not cols or not len(cols[0]):
        return 0
    if not on_conflict_nothing:
        cur.copy_expert(f"COPY {schema.SCHEMA}.{table} ({collist}) FROM STDIN", _Stream(_lines(cols)), size=_READ)
        return len(cols[0])
    tmp = f"_load_{table}"
    cur.execute(f"CREATE TEMP TABLE {tmp} (LIKE {schema.SCHEMA}.{table} INCLUDING DEFAULTS) ON COMMIT DROP")
    cur.copy_expert(f"COPY {tmp} ({collist}) FROM STDIN", _Stream(_lines(cols)), size=_READ)
    cur.execute(f"INSERT INTO {schema.SCHEMA}.{table} ({collist}) SELECT {collist} FROM {tmp} ON CONFLICT DO NOTHING")
    n = cur.rowcount
    cur.execute(f"DROP TABLE {tmp}")
    return n


BULK_INDEX_ROWS = 100000


def _drop_plain_indexes(cur: Any, table: str) -> list[str]:
    """Drop the indexes of ``gridgov.table`` that back no constraint; their definitions.

    Building an index once after a big COPY is much faster than updating it per row (what
    pg_restore does too). Primary keys and unique constraints stay.
    """
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (f"{schema.SCHEMA}.{table}",),
    )
    found = cur.fetchall()
    for name, _definition in found:
        cur.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


def _disable_triggers(cur: Any) -> bool:
    cur.execute("SAVEPOINT gridgov_load")
    try:
        cur.execute("SET LOCAL session_replication_role = replica")
    except Exception:  # not a superuser: keep the triggers
        cur.execute("ROLLBACK TO SAVEPOINT gridgov_load")
        return False
    cur.execute("RELEASE SAVEPOINT gridgov_load")
    return True


def load_city(conn: Any, city: Any, truncate: bool = False, disable_triggers: bool = True) -> dict[str, int]:
    """Load every table of ``city`` in one transaction; rows inserted per table.

    ``conn`` is a psycopg2 connection to a database with the gridgov schema. With
    ``truncate`` the data tables (not the seeded department / category lists) are emptied
    first, so the demo can be reloaded.
    """
    counts: dict[str, int] = {}
    with conn:
        with conn.cursor() as cur:
            if disable_triggers:
                _disable_triggers(cur)
            if truncate:
                data_tables = [t for t in LOAD_ORDER if t not in SHARED] + ["grid_plan"]
                cur.execute(
                    "TRUNCATE " + ", ".join(f"{schema.SCHEMA}.{t}" for t in data_tables) + " RESTART IDENTITY CASCADE"
                )
            for name in LOAD_ORDER:
                spec = schema.LAYERS_BY_NAME[name]
                table = city.tables.get(name)
                if table is None:
                    counts[name] = 0
                    continue
                n = len(table)
                # versions and uids the data does not carry come from the database's defaults
                fields = [(f, k) for f, k in spec.fields if f in table.columns or f not in schema.VERSION_FIELDS]
                cols = [
                    copy_column(column_values(table.columns[f], kind) if f in table.columns else [None] * n, kind)
                    for f, kind in fields
                ]
                columns = [f for f, _ in fields]
                if "login" in columns and "login" not in table.columns:
                    # history has a login (migration 007): loaded rows were written by the loading login
                    cur.execute("SELECT session_user::text")
                    cols[columns.index("login")] = copy_column([cur.fetchone()[0]] * n, "text")
                if spec.geometry:
                    geoms = city.storage_xy(name) if table.xy is not None else city.storage_geoms(name)
                    cols.append(copy_column(ewkb_hex(geoms, spec.geometry), "text"))
                    columns.append("geom")
                dropped = _drop_plain_indexes(cur, name) if n >= BULK_INDEX_ROWS else []
                counts[name] = copy_rows(cur, name, columns, cols, on_conflict_nothing=name in SHARED)
                for definition in dropped:  # rebuilt in bulk, same definitions, same transaction
                    cur.execute(definition)
    with conn.cursor() as cur:  # fresh statistics for the planner after a bulk load
        old = conn.autocommit
        conn.autocommit = True
        try:
            for name in LOAD_ORDER:
                cur.execute(f"ANALYZE {schema.SCHEMA}.{name}")
        finally:
            conn.autocommit = old
    return counts


def table_counts(conn: Any, tables: Iterable[str] = LOAD_ORDER) -> dict[str, int]:
    """Row count of each gridgov table."""
    out = {}
    with conn.cursor() as cur:
        for name in tables:
            cur.execute(f"SELECT count(*) FROM {schema.SCHEMA}.{name}")
            out[name] = cur.fetchone()[0]
    return out
