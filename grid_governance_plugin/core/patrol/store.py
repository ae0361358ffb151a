"""Patrol fixes in PostGIS (gridgov.patrol_fix): store the cleaned import, read a period back."""

from __future__ import annotations

import datetime as dt

from .tracks import Fix


def store_fixes(conn, fixes: list[Fix], source: str = "import") -> tuple[int, list[str]]:
    """Insert fixes (one per worker and instant; existing ones are kept); (new rows, unknown worker ids). Commits."""
    from psycopg2.extras import execute_values

    try:
        with conn.cursor() as cur:
            inserted = 0
            rows = [(f.worker_id, f.at, source, f.lon, f.lat) for f in fixes]
            for k in range(0, len(rows), 5000):
                got = execute_values(
                    cur,
                    "INSERT INTO gridgov.patrol_fix (worker_id, at, source, geom)"
                    " SELECT v.w, v.t::timestamptz, v.s, ST_SetSRID(ST_MakePoint(v.x::float8, v.y::float8), 4490)"
                    " FROM (VALUES %s) AS v(w, t, s, x, y)"
                    " ON CONFLICT (worker_id, at) DO NOTHING RETURNING 1",
                    rows[k : k + 5000],
                    fetch=True,
                )
                inserted += len(got)
            cur.execute(
                "SELECT DISTINCT u FROM unnest(%s::text[]) u"
                " WHERE NOT EXISTS (SELECT 1 FROM gridgov.grid_worker w WHERE w.worker_id = u) ORDER BY u",
                (sorted({f.worker_id for f in fixes}),),
            )
            unknown = [r[0] for r in cur.fetchall()]
        conn.commit()
        return inserted, unknown
    except Exception:
        conn.rollback()
        raise


def load_fixes(conn, start: dt.datetime, end: dt.datetime, margin: dt.timedelta = dt.timedelta(hours=1)) -> list[Fix]:
    """Fixes of [start - margin, end) (the margin joins a walk that began before the period)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT worker_id, at, ST_X(geom), ST_Y(geom) FROM gridgov.patrol_fix"
            " WHERE at >= %s AND at < %s ORDER BY worker_id, at",
            (start - margin, end),
        )
        return [Fix(*r) for r in cur.fetchall()]
