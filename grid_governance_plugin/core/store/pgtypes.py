"""psycopg2 readers that survive any date or time the database holds.

PostgreSQL stores dates from 4713 BC to 294276 AD; Python's datetime only years 1 to 9999,
so psycopg2 raises "year -44 is out of range" on a row dated 44 BC, and a reader that loops
over rows (the live listener) stops on it for good (issue #10, finding 4). Values outside
Python's range are read as the nearest one Python has: BC as year 1, beyond 9999 as the end
of 9999, as psycopg2 already reads -infinity and infinity. Registered per connection, so
other plugins' psycopg2 connections in the same QGIS are not touched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg2.extensions as ext

_LOW = {
    "date": dt.date.min,
    "timestamp": dt.datetime.min,
    "timestamptz": dt.datetime.min.replace(tzinfo=dt.timezone.utc),
}
_HIGH = {
    "date": dt.date.max,
    "timestamp": dt.datetime.max,
    "timestamptz": dt.datetime.max.replace(tzinfo=dt.timezone.utc),
}


def _clamped(base: Any, kind: str):
    def cast(value: str | None, cur: Any) -> Any:
        if value is None:
            return None
        try:
            return base(value, cur)
        except (ValueError, OverflowError):
            return _LOW[kind] if value.rstrip().endswith("BC") else _HIGH[kind]

    return cast


def _types() -> list[Any]:
    out = []
    for base, array, kind in (
        (ext.PYDATETIMETZ, getattr(ext, "PYDATETIMETZARRAY", None), "timestamptz"),
        (ext.PYDATETIME, getattr(ext, "PYDATETIMEARRAY", None), "timestamp"),
        (ext.PYDATE, getattr(ext, "PYDATEARRAY", None), "date"),
    ):
        scalar = ext.new_type(base.values, f"GRIDGOV_{kind.upper()}", _clamped(base, kind))
        out.append(scalar)
        if array is not None:
            out.append(ext.new_array_type(array.values, f"GRIDGOV_{kind.upper()}ARRAY", scalar))
    return out


_TYPES = _types()


def tolerant_timestamps(conn: Any) -> Any:
    """Make ``conn`` read out-of-range dates and times as the nearest representable value; ``conn``."""
    for t in _TYPES:
        ext.register_type(t, conn)
    return conn
