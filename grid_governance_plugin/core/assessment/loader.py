"""Reading what the assessment needs from the PostGIS store: cases with their history, units, patrols.

Deadlines come from the database, as the case flow computes them: the response deadline from
``gridgov.step_deadline`` (working time, in the category's unit), the handling deadline from
``gridgov.handling_due`` (the first dispatch's step, moved by approved extensions and the time the
case spent suspended). The callback result (满意/基本满意/不满意) is read from
``gridgov.event.satisfaction``, which the hotline sets through ``gridgov.report_satisfaction``
(docs/field-channels.md); on a schema without that column satisfaction is absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import engine as ae

SATISFACTION_COLUMNS = ("satisfaction", "callback_result", "satisfaction_result")
LOOKBACK = dt.timedelta(days=60)  # cases received this long before the periods can still fall due in them


@dataclass
class StoreData:
    cases: list[ae.Case]
    names: dict[str, dict[str, str]]  # unit kind -> code -> name
    workers: dict[str, dict[str, set[str]]]  # unit kind -> unit -> grid worker ids of its grids
    grids: list[dict[str, Any]] = field(default_factory=list)  # grid_code, community, street, worker
    satisfaction_column: str | None = None


def satisfaction_column(conn) -> str | None:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'gridgov' AND table_name = 'event' AND column_name = ANY(%s)",
            (list(SATISFACTION_COLUMNS),),
        )
        found = {r[0] for r in cur.fetchall()}
    return next((c for c in SATISFACTION_COLUMNS if c in found), None)


def load(conn, start: dt.datetime, end: dt.datetime) -> StoreData:
    """Cases relevant to [start - (end - start), end) (this period and the one before) and the units."""
    sat = satisfaction_column(conn)
    sat_sql = f"e.{sat}::text" if sat else "NULL::text"
    first = start - (end - start) - LOOKBACK
    sql = f"""
        WITH ev AS (
            SELECT e.* FROM gridgov.event e WHERE e.received_at >= %(first)s AND e.received_at < %(end)s
        ), ret AS (
            SELECT t.from_status, t.to_status FROM gridgov.case_transition t WHERE t.kind = 'return'
        ), h AS (
            SELECT x.event_id,
                   -- 受理, or closed at once by its upstream system (at the source's time)
                   min(coalesce(x.source_at, x.at)) FILTER (WHERE x.from_status = 'reported'
                                                             AND x.to_status IN ('registered', 'closed')) AS accepted_at,
                   min(x.at) FILTER (WHERE x.to_status = 'dispatched'
                                       AND x.from_status IS DISTINCT FROM 'dispatched') AS dispatched_at,
                   min(x.at) FILTER (WHERE x.from_status = 'closed' AND x.to_status <> 'closed') AS reopened_at,
                   array_agg(x.at ORDER BY x.at) FILTER (WHERE (x.from_status, x.to_status) IN (SELECT * FROM ret))
                       AS returns
            FROM gridgov.event_history x JOIN ev ON ev.id = x.event_id
            GROUP BY x.event_id
        )
        SELECT e.id::text, e.received_at, e.status, e.department, e.community_code, e.street_code, e.grid_code,
               e.worker_id, e.reporter, e.duplicate_of::text,
               gridgov.step_deadline(e.category_code, 'reported', e.received_at) AS response_due,
               h.accepted_at, h.dispatched_at,
               gridgov.handling_due(e.id, h.dispatched_at) AS handling_due,
               (SELECT min(x.at) FROM gridgov.event_history x
                WHERE x.event_id = e.id AND x.from_status = 'dispatched' AND x.to_status = 'handled'
                  AND x.at >= h.dispatched_at) AS handled_at,
               e.closed_at, h.reopened_at, h.returns, {sat_sql} AS satisfaction
        FROM ev e LEFT JOIN h ON h.event_id = e.id
    """
    with conn.cursor() as cur:
        cur.execute(sql, {"first": first, "end": end})
        cases = [
            ae.Case(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                response_due=r[10],
                accepted_at=r[11],
                dispatched_at=r[12],
                handling_due=r[13],
                handled_at=r[14],
                closed_at=r[15],
                reopened_at=r[16],
                returns=list(r[17] or []),
                satisfaction=r[18],
            )
            for r in cur.fetchall()
        ]
        names: dict[str, dict[str, str]] = {}
        for kind, table, key in (
            ("street", "street", "code"),
            ("community", "community", "code"),
            ("department", "department", "code"),
            ("worker", "grid_worker", "worker_id"),
        ):
            cur.execute(f"SELECT {key}, name FROM gridgov.{table}")
            names[kind] = dict(cur.fetchall())
        cur.execute(
            "SELECT g.grid_code, g.community_code, g.street_code, g.worker_id FROM gridgov.grid g"
            " JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id AND p.status = 'published' ORDER BY g.grid_code"
        )
        grids = [dict(zip(("grid_code", "community", "street", "worker"), r)) for r in cur.fetchall()]
    conn.rollback()
    return StoreData(cases, names, workers_by_unit(grids), grids, sat)


def workers_by_unit(grids: list[dict[str, Any]]) -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = {"street": {}, "community": {}, "department": {}, "worker": {}}
    for g in grids:
        w = g.get("worker")
        if not w:
            continue
        out["worker"].setdefault(w, set()).add(w)
        for kind in ("street", "community"):
            if g.get(kind):
                out[kind].setdefault(g[kind], set()).add(w)
    return out


def patrol_by_unit(rows, grids: list[dict[str, Any]]) -> dict[str, dict[str, tuple[float, float]]]:
    """Coverage rows (core/patrol/coverage.GridCoverage) to (street_m, walked_m) per unit of each kind.

    Only each grid's own worker's walk counts: a grid is covered by the worker responsible for it.
    """
    where = {g["grid_code"]: g for g in grids}
    out: dict[str, dict[str, list[float]]] = {"street": {}, "community": {}, "worker": {}}
    for r in rows:
        if not r.assigned or r.street_m <= 0:
            continue
        g = where.get(r.grid_code, {})
        for kind, unit in (("worker", r.worker_id), ("community", g.get("community")), ("street", g.get("street"))):
            if unit:
                acc = out[kind].setdefault(unit, [0.0, 0.0])
                acc[0] += r.street_m
                acc[1] += r.walked_m
    return {k: {u: (a, b) for u, (a, b) in v.items()} for k, v in out.items()}


def patrol_coverage_from_store(conn, start: dt.datetime, end: dt.datetime, buffer_m: float = 30.0):
    """Coverage rows of the published grids from the stored patrol fixes, roads and grids (PostGIS)."""
    import numpy as np
    import shapely

    from ..crs import metric_epsg_for_lonlat
    from ..patrol import coverage as cov
    from ..patrol import tracks as trk
    from ..patrol.store import load_fixes

    with conn.cursor() as cur:
        cur.execute(
            "SELECT ST_X(ST_Centroid(ST_Extent(g.geom))), ST_Y(ST_Centroid(ST_Extent(g.geom))) FROM gridgov.grid g"
            " JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id AND p.status = 'published'"
        )
        lon, lat = cur.fetchone()
        if lon is None:
            conn.rollback()
            return []
        epsg = metric_epsg_for_lonlat(lon, lat)
        cur.execute(
            "SELECT g.grid_code, ST_AsBinary(ST_Transform(g.geom, %s)), g.worker_id FROM gridgov.grid g"
            " JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id AND p.status = 'published' WHERE g.geom IS NOT NULL",
            (epsg,),
        )
        grids = [(c, shapely.from_wkb(bytes(w)), wk) for c, w, wk in cur.fetchall()]
        cur.execute("SELECT ST_AsBinary(ST_Transform(geom, %s)) FROM gridgov.road WHERE geom IS NOT NULL", (epsg,))
        roads = [shapely.from_wkb(bytes(r[0])) for r in cur.fetchall()]
        fixes = load_fixes(conn, start, end)
        cur.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(a, b), 4490), %s) AS p"
            " FROM unnest(%s::float8[], %s::float8[]) AS u(a, b)) s",
            (epsg, [f.lon for f in fixes], [f.lat for f in fixes]),
        )
        projected = {(f.lon, f.lat): xy for f, xy in zip(fixes, cur.fetchall())}
    conn.rollback()

    def project(lons, lats):
        xy = [projected[(a, b)] for a, b in zip(lons, lats)]
        return np.array([p[0] for p in xy]), np.array([p[1] for p in xy])

    segments, _reports = trk.clean(fixes)
    tracks = cov.to_segments(segments, project, start, end)
    return cov.coverage(tracks, grids, roads, buffer_m=buffer_m).rows


def assess_store(
    conn,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime | None = None,
    items=None,
    reopen_days: float = 7.0,
    with_patrol: bool = True,
) -> list[ae.Score]:
    """The ranking of ``kind`` for [start, end) straight from the store (items from gridgov.assessment_item)."""
    data = load(conn, start, end)
    items = items or load_items(conn)
    patrol = previous = None
    if with_patrol:
        patrol = patrol_by_unit(patrol_coverage_from_store(conn, start, end), data.grids).get(kind)
        prev_start = start - (end - start)
        previous = patrol_by_unit(patrol_coverage_from_store(conn, prev_start, start), data.grids).get(kind)
    return ae.assess(
        data.cases,
        kind,
        start,
        end,
        as_of,
        items=items,
        reopen_days=reopen_days,
        patrol=patrol,
        previous_patrol=previous,
        workers=data.workers.get(kind),
        names=data.names.get(kind),
    )


def load_items(conn) -> list[ae.Item]:
    """The city's assessment items (gridgov.assessment_item), defaults where the table is missing."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('gridgov.assessment_item') IS NOT NULL")
        if not cur.fetchone()[0]:
            conn.rollback()
            return list(ae.DEFAULT_ITEMS)
        cur.execute("SELECT code, enabled, weight, full_score, target FROM gridgov.assessment_item")
        rows = {r[0]: ae.Item(*r) for r in cur.fetchall()}
    conn.rollback()
    return [rows.get(i.code, i) for i in ae.DEFAULT_ITEMS]


def save_items(conn, items: list[ae.Item]) -> None:
    """Write the items (one transaction)."""
    try:
        with conn.cursor() as cur:
            for i in items:
                cur.execute(
                    "INSERT INTO gridgov.assessment_item (code, enabled, weight, full_score, target)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (code) DO UPDATE SET enabled = EXCLUDED.enabled,"
                    " weight = EXCLUDED.weight, full_score = EXCLUDED.full_score, target = EXCLUDED.target",
                    (i.code, i.enabled, i.weight, i.full_score, i.target),
                )
        conn.commit()
    except Exception:
        conn.rollback()
        raise
