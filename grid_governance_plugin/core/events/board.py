"""Queries of the supervision board (督办) and the case dock: plain SQL over psycopg2.

Definitions (docs/live-events.md, "Supervision board"):

- *overdue*: an open case whose current step's deadline (``event.deadline_at``, an instant the
  database computed in working time from the responsibility list) is before ``at``; *soon
  overdue*: open, deadline within ``horizon`` *working* hours after ``at``; hours late or left
  in working hours (calendar hours for round-the-clock categories). Defined once, in the
  database: ``gridgov.case_board_at`` (with ``gridgov.is_overdue``, the working clock
  ``gridgov.working_clock`` and ``gridgov.case_hours``), which the view ``gridgov.case_board``,
  this board, the case list and gridgov:overduecases all read. It is plain SQL that the planner
  inlines, so it reads only the partial index ``event_open_deadline_idx`` (open cases by
  deadline) and stays fast on millions of closed cases, and row-level security shows each login
  its own area's cases. *Escalated to you*: a case escalated (吹哨报到) to the level the login
  works at (``gridgov.my_level``).
- *handled on time*: a case's handling step (派遣 → 处置) is due ``handle_hours`` (in the category's
  unit, times the grade's factor) after the case was first dispatched, moved by approved
  extensions (延期) and the time it spent suspended (挂账): ``gridgov.handling_due``. A case counts
  in the period its handling was due in; it is on time when its first 处置 came at or before that
  deadline, late when it came after or has not come although the deadline passed, pending
  otherwise. Rate = on time / (on time + late). First dispatch, not the last: a return (退回) and
  re-dispatch does not reset the clock.
- *grid worker assessment*: cases reported by the worker (``reporter`` = worker id) in the period,
  of them voided (作废, invalid reports); cases assigned to the worker (``worker_id``) whose handling
  was due in the period, on time and late; returns (退回) on the worker's cases in the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

OPEN_SQL = "('reported', 'registered', 'dispatched', 'handled', 'verified')"  # = the partial index predicate
OPEN_ALL_SQL = "('reported', 'registered', 'dispatched', 'handled', 'verified', 'suspended')"  # not closed or void

# grouping key -> (event column, name lookup join, name column)
GROUPS: dict[str, tuple[str, str, str]] = {
    "grid": ("grid_code", "", "NULL::text"),
    "community": ("community_code", "LEFT JOIN gridgov.community n ON n.code = o.key", "n.name"),
    "street": ("street_code", "LEFT JOIN gridgov.street n ON n.code = o.key", "n.name"),
    "department": ("department", "LEFT JOIN gridgov.department n ON n.code = o.key", "n.name"),
}


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else dt.datetime.now(dt.timezone.utc)


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _group(by: str) -> tuple[str, str, str]:
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPS)}")
    return GROUPS[by]


# Working hours past which a horizon means "every open case": ~25 years of office hours, well inside
# the working calendar (2000-2099), which add_working_hours refuses to leave.
MAX_HORIZON_HOURS = 50_000.0


def _horizon(horizon_hours: float | None) -> float | None:
    if horizon_hours is None or float(horizon_hours) >= MAX_HORIZON_HOURS:
        return None
    return float(horizon_hours)


def overdue_summary(
    conn, by: str = "grid", at: dt.datetime | None = None, horizon_hours: float | None = 4.0
) -> list[dict[str, Any]]:
    """Open cases overdue and soon overdue (within ``horizon_hours`` working hours; None: all) per ``by``.

    ``by``: grid, community, street or department. Rows: key, name, overdue, soon,
    max_hours_overdue (working hours), escalated_to_me; most overdue first.
    """
    col, join, name = _group(by)
    sql = f"""
        WITH o AS (
            SELECT b.{col} AS key, b.overdue, b.hours_overdue, b.escalated_to_me
            FROM gridgov.case_board_at(%(at)s, CASE WHEN %(horizon)s::float8 IS NULL THEN NULL
                                                    ELSE make_interval(secs => %(horizon)s * 3600) END) b
        )
        SELECT o.key, {name} AS name,
               count(*) FILTER (WHERE o.overdue) AS overdue,
               count(*) FILTER (WHERE NOT o.overdue) AS soon,
               round(max(o.hours_overdue) FILTER (WHERE o.overdue)::numeric, 1)::float8 AS max_hours_overdue,
               count(*) FILTER (WHERE o.escalated_to_me) AS escalated_to_me
        FROM o {join}
        GROUP BY o.key, {name}
        ORDER BY overdue DESC, soon DESC, o.key NULLS LAST
    """
    with conn.cursor() as cur:
        cur.execute(sql, {"at": _now(at), "horizon": _horizon(horizon_hours)})
        return _rows(cur)


def overdue_cases(
    conn, at: dt.datetime | None = None, horizon_hours: float | None = 4.0, limit: int = 5000
) -> list[dict[str, Any]]:
    """Open cases overdue or due within ``horizon_hours`` working hours (None: all open), most urgent first.

    The rows of ``gridgov.case_board_at`` but its geometry; the planner inlines the function, so
    ORDER BY deadline LIMIT walks the partial index and stops.
    """
    with conn.cursor() as cur:
        cur.execute(
            """SELECT b.id, b.category_code, b.major, b.minor, b.status, b.level, b.department, b.department_name,
                      b.worker_id, b.grid_code, b.community_code, b.community_name, b.street_code, b.street_name,
                      b.reported_at, b.deadline_at, b.hours_overdue, b.hours_left, b.overdue, b.grade, b.time_unit,
                      b.escalated_at, b.escalated_to_me
               FROM gridgov.case_board_at(%(at)s, CASE WHEN %(horizon)s::float8 IS NULL THEN NULL
                                                       ELSE make_interval(secs => %(horizon)s * 3600) END) b
               ORDER BY b.deadline_at
               LIMIT %(limit)s""",
            {"at": _now(at), "horizon": _horizon(horizon_hours), "limit": int(limit)},
        )
        return _rows(cur)


# first 派遣 per case, its handling deadline, and the first 处置 after it
_HANDLING = """
    disp AS (
        SELECT h.event_id, min(h.at) AS dispatched_at
        FROM gridgov.event_history h
        WHERE h.to_status = 'dispatched' AND h.from_status IS DISTINCT FROM 'dispatched'
        GROUP BY h.event_id
    ), due AS (
        SELECT e.id, e.grid_code, e.community_code, e.street_code, e.department, e.worker_id, d.dispatched_at,
               gridgov.handling_due(e.id, d.dispatched_at) AS due_at
        FROM disp d JOIN gridgov.event e ON e.id = d.event_id
    ), handling AS (
        SELECT du.*,
               (SELECT min(h.at) FROM gridgov.event_history h
                WHERE h.event_id = du.id AND h.from_status = 'dispatched' AND h.to_status = 'handled'
                  AND h.at >= du.dispatched_at) AS handled_at
        FROM due du
        WHERE du.due_at >= %(start)s AND du.due_at < %(end)s
    ), judged AS (
        SELECT hd.*,
               hd.handled_at IS NOT NULL AND hd.handled_at <= hd.due_at AS on_time,
               (hd.handled_at IS NOT NULL AND hd.handled_at > hd.due_at)
                   OR (hd.handled_at IS NULL AND hd.due_at < %(at)s) AS late
        FROM handling hd
    )"""


def on_time_rates(
    conn, start: dt.datetime, end: dt.datetime, by: str = "department", at: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Handling on time per ``by`` for cases whose handling was due in [start, end).

    Rows: key, name, due, on_time, late, pending, rate (None when nothing was judged yet).
    """
    col, join, name = _group(by)
    sql = f"""
        WITH {_HANDLING}, o AS (SELECT j.{col} AS key, j.on_time, j.late FROM judged j)
        SELECT o.key, {name} AS name, count(*) AS due,
               count(*) FILTER (WHERE o.on_time) AS on_time,
               count(*) FILTER (WHERE o.late) AS late,
               count(*) FILTER (WHERE NOT o.on_time AND NOT o.late) AS pending
        FROM o {join}
        GROUP BY o.key, {name}
        ORDER BY o.key NULLS LAST
    """
    with conn.cursor() as cur:
        cur.execute(sql, {"start": start, "end": end, "at": _now(at)})
        rows = _rows(cur)
    for r in rows:
        judged = r["on_time"] + r["late"]
        r["rate"] = r["on_time"] / judged if judged else None
    return rows


def worker_assessment(
    conn, start: dt.datetime, end: dt.datetime, at: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Grid worker assessment for [start, end), one row per worker (active or with cases).

    Rows: worker_id, name, reported, voided, assigned_due, on_time, late, returned, rate.
    """
    sql = f"""
        WITH {_HANDLING},
        rep AS (
            SELECT e.reporter AS worker_id, count(*) AS reported,
                   count(*) FILTER (WHERE e.status = 'void' AND e.duplicate_of IS NULL) AS voided
            FROM gridgov.event e
            WHERE e.reported_at >= %(start)s AND e.reported_at < %(end)s AND e.reporter IS NOT NULL
            GROUP BY e.reporter
        ), han AS (
            SELECT j.worker_id, count(*) AS assigned_due, count(*) FILTER (WHERE j.on_time) AS on_time,
                   count(*) FILTER (WHERE j.late) AS late
            FROM judged j WHERE j.worker_id IS NOT NULL GROUP BY j.worker_id
        ), ret AS (
            SELECT e.worker_id, count(*) AS returned
            FROM gridgov.event_history h
            JOIN gridgov.case_transition t ON t.from_status = h.from_status AND t.to_status = h.to_status
            JOIN gridgov.event e ON e.id = h.event_id
            WHERE t.kind = 'return' AND h.at >= %(start)s AND h.at < %(end)s AND e.worker_id IS NOT NULL
            GROUP BY e.worker_id
        ), ids AS (
            SELECT w.worker_id FROM gridgov.grid_worker w WHERE w.active
            UNION SELECT worker_id FROM rep WHERE worker_id IN (SELECT worker_id FROM gridgov.grid_worker)
            UNION SELECT worker_id FROM han UNION SELECT worker_id FROM ret
        )
        SELECT i.worker_id, w.name,
               coalesce(rep.reported, 0) AS reported, coalesce(rep.voided, 0) AS voided,
               coalesce(han.assigned_due, 0) AS assigned_due, coalesce(han.on_time, 0) AS on_time,
               coalesce(han.late, 0) AS late, coalesce(ret.returned, 0) AS returned
        FROM ids i
        LEFT JOIN gridgov.grid_worker w ON w.worker_id = i.worker_id
        LEFT JOIN rep ON rep.worker_id = i.worker_id
        LEFT JOIN han ON han.worker_id = i.worker_id
        LEFT JOIN ret ON ret.worker_id = i.worker_id
        ORDER BY i.worker_id
    """
    with conn.cursor() as cur:
        cur.execute(sql, {"start": start, "end": end, "at": _now(at)})
        rows = _rows(cur)
    for r in rows:
        judged = r["on_time"] + r["late"]
        r["rate"] = r["on_time"] / judged if judged else None
    return rows


# ---------------------------------------------------------------------------------------
# The case dock: filtered case list, one case, its history and the cameras that see it
# ---------------------------------------------------------------------------------------
CASE_COLUMNS = (
    "id",
    "category_code",
    "minor",
    "status",
    "level",
    "department",
    "worker_id",
    "grid_code",
    "reported_at",
    "deadline_at",
    "overdue",
    "source",
    "description",
    "grade",
    "escalated_at",
    "escalated_to_me",
    "hours_left",
)


def list_cases(
    conn, filters: dict[str, Any] | None = None, at: dt.datetime | None = None, limit: int = 2000
) -> list[dict[str, Any]]:
    """Cases matching ``filters`` (keys: start, end, category, status, grid, department, overdue, escalated),
    newest first.

    status may be a status, a list of them or 'open' (not closed or void). ``escalated``: only cases
    escalated to the login's level. Every value is bound, never formatted.
    """
    f = filters or {}
    where, params = ["TRUE"], {"at": _now(at), "limit": int(limit)}
    if f.get("start"):
        where.append("e.reported_at >= %(start)s")
        params["start"] = f["start"]
    if f.get("end"):
        where.append("e.reported_at < %(end)s")
        params["end"] = f["end"]
    if f.get("category"):
        where.append("e.category_code = %(category)s")
        params["category"] = f["category"]
    status = f.get("status")
    if status == "open":
        where.append(f"e.status IN {OPEN_ALL_SQL}")
    elif isinstance(status, (list, tuple)) and status:
        where.append("e.status = ANY(%(status)s)")
        params["status"] = list(status)
    elif status:
        where.append("e.status = %(status)s")
        params["status"] = status
    if f.get("grid"):
        where.append("e.grid_code = %(grid)s")
        params["grid"] = f["grid"]
    if f.get("department"):
        where.append("e.department = %(department)s")
        params["department"] = f["department"]
    if f.get("overdue"):
        where.append(f"e.status IN {OPEN_SQL} AND gridgov.is_overdue(e.status, e.deadline_at, %(at)s)")
    if f.get("escalated"):
        where.append(
            f"e.status IN {OPEN_ALL_SQL} AND e.escalated_at IS NOT NULL AND e.level = (SELECT gridgov.my_level())"
        )
    # the listed grids' names (the published plan's; a draft may rename a grid): one pass over the grids
    sql = f"""
        WITH ev AS (
        SELECT e.id::text AS id, e.category_code, c.minor, e.status, e.level, e.department, d.name AS department_name,
               e.worker_id, e.grid_code, e.reported_at, e.deadline_at,
               coalesce(gridgov.is_overdue(e.status, e.deadline_at, %(at)s), false) AS overdue, e.source, e.description,
               e.grade, e.escalated_at,
               e.status IN {OPEN_ALL_SQL} AND e.escalated_at IS NOT NULL
                   AND e.level = (SELECT gridgov.my_level()) AS escalated_to_me,
               CASE WHEN e.status IN {OPEN_SQL}
                    THEN gridgov.case_hours(%(at)s, e.deadline_at, wa.w, wd.w, c.time_unit) END AS hours_left
        FROM gridgov.event e LEFT JOIN gridgov.event_category c ON c.code = e.category_code
        LEFT JOIN gridgov.department d ON d.code = e.department
        CROSS JOIN (SELECT wa.w FROM gridgov.working_clock(%(at)s) wa OFFSET 0) wa
        LEFT JOIN LATERAL gridgov.working_clock(e.deadline_at) wd ON true
        WHERE {" AND ".join(where)}
        ORDER BY e.reported_at DESC LIMIT %(limit)s
        ), gn AS (
            SELECT DISTINCT ON (g.grid_code) g.grid_code, g.name
            FROM gridgov.grid g JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id
            WHERE g.grid_code IN (SELECT ev.grid_code FROM ev)
            ORDER BY g.grid_code, (p.status = 'published') DESC, p.plan_id DESC
        )
        SELECT ev.*, gn.name AS grid_name FROM ev LEFT JOIN gn ON gn.grid_code = ev.grid_code
        ORDER BY ev.reported_at DESC
    """
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return _rows(cur)


def case_detail(conn, event_id: str) -> dict[str, Any] | None:
    """Every column of one case (geometry as lon/lat) with its category and department names.

    ``reporter`` is None for a login that may not read personal data (an analyst, docs/roles.md).
    """
    with conn.cursor() as cur:
        cur.execute(
            "SELECT to_regclass('gridgov.event') IS NULL OR has_column_privilege('gridgov.event', 'reporter', 'SELECT')"
        )
        reporter = "e.reporter" if cur.fetchone()[0] else "NULL::text AS reporter"
        # the row version (010_versions.sql) the card states when it acts; absent on an older schema
        cur.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('gridgov.event')"
            " AND attname = 'version' AND NOT attisdropped)"
        )
        version = "e.version" if cur.fetchone()[0] else "NULL::integer AS version"
        cur.execute(
            f"""SELECT e.id::text AS id, e.source, e.external_id, e.category_code, c.major, c.minor, e.description,
                      {reporter}, e.media_url, e.reported_at, e.received_at, e.status, e.level, e.department,
                      d.name AS department_name, e.worker_id, w.name AS worker_name, e.grid_code, e.community_code,
                      e.street_code, e.deadline_at, e.closed_at, e.duplicate_of::text AS duplicate_of, e.updated_at,
                      ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat, {version},
                      cm.name AS community_name, st.name AS street_name, gn.name AS grid_name,
                      e.grade, c.time_unit, e.escalated_at, e.satisfaction, e.satisfaction_at,
                      e.status IN {OPEN_ALL_SQL} AND e.escalated_at IS NOT NULL
                          AND e.level = (SELECT gridgov.my_level()) AS escalated_to_me,
                      gridgov.is_overdue(e.status, e.deadline_at, now()) AS overdue,
                      CASE WHEN e.deadline_at IS NOT NULL
                           THEN gridgov.hours_between(now(), e.deadline_at, c.time_unit) END AS hours_left,
                      rq.id AS request_id, rq.kind AS request_kind, rq.reason AS request_reason,
                      rq.amount AS request_amount, rq.requested_by, rq.requested_at
               FROM gridgov.event e
               LEFT JOIN gridgov.event_category c ON c.code = e.category_code
               LEFT JOIN gridgov.case_request rq ON rq.event_id = e.id AND rq.decision IS NULL
               LEFT JOIN gridgov.department d ON d.code = e.department
               LEFT JOIN gridgov.grid_worker w ON w.worker_id = e.worker_id
               LEFT JOIN gridgov.community cm ON cm.code = e.community_code
               LEFT JOIN gridgov.street st ON st.code = e.street_code
               -- the grid's name in the published plan (a draft may rename it)
               LEFT JOIN LATERAL (
                   SELECT g.name FROM gridgov.grid g JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id
                   WHERE g.grid_code = e.grid_code ORDER BY (p.status = 'published') DESC, p.plan_id DESC LIMIT 1
               ) gn ON TRUE
               WHERE e.id = %s""",
            (str(event_id),),
        )
        rows = _rows(cur)
    return rows[0] if rows else None


def case_history(conn, event_id: str) -> list[dict[str, Any]]:
    """The case's history, oldest first; ``source_at``: an upstream change's own time."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT at, actor, from_status, to_status, note, login, source_at FROM gridgov.event_history"
            " WHERE event_id = %s ORDER BY at, id",
            (str(event_id),),
        )
        return _rows(cur)


def cameras_seeing(conn, event_id: str, search_m: float = 500.0) -> list[dict[str, Any]]:
    """The cameras that see the case's place, buildings in the way (core/coverage/sight.py).

    Cameras within ``search_m`` and the buildings (every kind of obstacle in gridgov.building)
    around the place are read in a local metric frame centred on it; each camera's field of
    view is the one gridgov:coverage computes. Online cameras first, then offline, faulty and
    obstructed ones, each with its status (see ``cameras_seeing_place``).
    """
    import shapely

    from ..coverage.sight import cameras_seeing_place, local_proj

    with conn.cursor() as cur:
        cur.execute("SELECT ST_X(geom), ST_Y(geom) FROM gridgov.event WHERE id = %s", (str(event_id),))
        place = cur.fetchone()
        if place is None or place[0] is None:
            return []
        # index prefilter in degrees (a degree of longitude shrinks with cos(lat)), exact metres after
        near = """x.geom && ST_Expand(p.geom, %(m)s / (111320.0 * greatest(cos(radians(ST_Y(p.geom))), 0.1)))
                  AND ST_DWithin(x.geom::geography, p.geom::geography, %(m)s)"""
        place_sql = "(SELECT geom FROM gridgov.event WHERE id = %(id)s) p"
        params = {"m": float(search_m), "id": str(event_id), "proj": local_proj(*place)}
        cur.execute(
            f"""SELECT x.id, x.device_id, x.name, x.system, x.status, x.azimuth, x.hfov, x.range_m, x.height_m,
                       x.tilt, x.vfov, x.hres_px, ST_X(l.geom) AS x, ST_Y(l.geom) AS y
                FROM {place_sql} JOIN gridgov.camera x ON {near}
                CROSS JOIN LATERAL (SELECT ST_Transform(x.geom, %(proj)s::text) AS geom) l""",
            params,
        )
        cams = _rows(cur)
        # the sight line from a camera to the place stays within search_m of the place; a camera's
        # own wall may reach a little beyond
        params["m"] = float(search_m) + 5.0
        cur.execute(
            f"""SELECT ST_AsBinary(ST_Transform(x.geom, %(proj)s::text))
                FROM {place_sql} JOIN gridgov.building x ON {near} WHERE x.geom IS NOT NULL""",
            params,
        )
        buildings = shapely.from_wkb([bytes(r[0]) for r in cur.fetchall()])
    return cameras_seeing_place(cams, buildings)


def db_user(conn) -> str:
    """The login role: the actor recorded in the history for this client's transitions."""
    with conn.cursor() as cur:
        cur.execute("SELECT session_user::text")
        return cur.fetchone()[0]


def transition(
    conn,
    event_id: str,
    to_status: str,
    actor: str | None = None,
    note: str | None = None,
    seen_version: int | None = None,
) -> dt.datetime | None:
    """One case, one step through gridgov.transition (the database checks the rule); commits.

    ``seen_version``: the case's version the user saw; the database refuses (GG409) if it moved
    on since, naming what changed and who changed it (010_versions.sql).
    """
    try:
        with conn.cursor() as cur:
            if seen_version is not None:
                cur.execute(
                    "SELECT gridgov.transition(%s::uuid, %s, %s::integer, %s, %s)",
                    (str(event_id), to_status, int(seen_version), actor, note),
                )
            else:
                cur.execute(
                    "SELECT gridgov.transition(%s::uuid, %s, %s::text, %s::text)",
                    (str(event_id), to_status, actor, note),
                )
            deadline = cur.fetchone()[0]
        conn.commit()
        return deadline
    except Exception:
        conn.rollback()
        raise


def assign(
    conn,
    event_id: str,
    department: str | None,
    worker_id: str | None = None,
    actor: str | None = None,
    note: str | None = None,
    seen_version: int | None = None,
) -> None:
    """Assign a case; with ``seen_version``, refused (GG409) if it changed since the user saw it."""
    try:
        with conn.cursor() as cur:
            if seen_version is not None:
                cur.execute(
                    "SELECT gridgov.assign(%s::uuid, %s, %s, %s::integer, %s, %s)",
                    (str(event_id), department, worker_id, int(seen_version), actor, note),
                )
            else:
                cur.execute(
                    "SELECT gridgov.assign(%s::uuid, %s::text, %s::text, %s::text, %s::text)",
                    (str(event_id), department, worker_id, actor, note),
                )
        conn.commit()
    except Exception:
        conn.rollback()
        raise


def suggest_duplicates(conn, distance_m: float = 50.0, window_hours: float = 24.0) -> list[dict[str, Any]]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT event_id::text AS event_id, duplicate_id::text AS duplicate_id, category_code, distance,"
            " time_apart FROM gridgov.suggest_duplicates(%s, make_interval(secs => %s * 3600))",
            (float(distance_m), float(window_hours)),
        )
        return _rows(cur)


def merge(conn, keep: str, dups: list[str], actor: str | None = None, note: str | None = None) -> int:
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT gridgov.merge_events(%s::uuid, %s::uuid[], %s, %s)",
                (str(keep), [str(d) for d in dups], actor, note),
            )
            n = cur.fetchone()[0]
        conn.commit()
        return n
    except Exception:
        conn.rollback()
        raise


def lookups(conn) -> dict[str, list[tuple[str, str]]]:
    """(code, label) lists for the filter and assignment boxes."""
    out: dict[str, list[tuple[str, str]]] = {}
    with conn.cursor() as cur:
        cur.execute("SELECT code, major || ' / ' || minor FROM gridgov.event_category ORDER BY code")
        out["category"] = cur.fetchall()
        cur.execute("SELECT code, name FROM gridgov.department ORDER BY code")
        out["department"] = cur.fetchall()
        cur.execute("SELECT worker_id, name FROM gridgov.grid_worker WHERE active ORDER BY worker_id")
        out["worker"] = cur.fetchall()
        # the published plan's grids: reading them from 2M events would be a full scan
        cur.execute(
            "SELECT g.grid_code, coalesce(g.name, g.grid_code) FROM gridgov.grid g"
            " JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id AND p.status = 'published'"
            " ORDER BY g.grid_code"
        )
        out["grid"] = cur.fetchall()
    return out


# ---------------------------------------------------------------------------------------
# The closed loop (issue #12): escalation, grades, suspension and extension. Each is one
# gridgov function (the database checks the role, the area and the state machine); each
# commits, or rolls back and raises.
# ---------------------------------------------------------------------------------------
def _call(conn, sql: str, args: tuple) -> Any:
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            row = cur.fetchone()
        conn.commit()
        return row[0] if row else None
    except Exception:
        conn.rollback()
        raise


def escalate_case(conn, event_id: str, reason: str) -> str:
    """吹哨: escalate one open case now, with a reason; the level it reached."""
    return _call(conn, "SELECT gridgov.escalate_case(%s::uuid, %s)", (str(event_id), reason))


def escalate_overdue(conn, at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """One sweep of gridgov.escalate_overdue (as of ``at``, default now); the cases it escalated."""
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT event_id::text AS event_id, status, from_level, to_level, deadline_at"
                " FROM gridgov.escalate_overdue(coalesce(%s, now()))",
                (at,),
            )
            rows = _rows(cur)
        conn.commit()
        return rows
    except Exception:
        conn.rollback()
        raise


def set_grade(conn, event_id: str, grade: str, note: str | None = None) -> dt.datetime | None:
    """The case's grade (简易/一般/突出/重大); its current step's deadline afterwards."""
    return _call(conn, "SELECT gridgov.set_grade(%s::uuid, %s, %s)", (str(event_id), grade, note))


def request_suspension(conn, event_id: str, reason: str) -> int:
    """A handler asks to suspend (挂账) the case; the request's id."""
    return _call(conn, "SELECT gridgov.request_suspension(%s::uuid, %s)", (str(event_id), reason))


def request_extension(conn, event_id: str, reason: str, amount: float) -> int:
    """A handler asks for ``amount`` more time (延期) in the category's unit; the request's id."""
    return _call(conn, "SELECT gridgov.request_extension(%s::uuid, %s, %s)", (str(event_id), reason, float(amount)))


def decide_request(conn, request_id: int, approve: bool, note: str | None = None) -> dt.datetime | None:
    """A supervisor approves or refuses a request; the case's deadline afterwards (None: suspended)."""
    return _call(conn, "SELECT gridgov.decide_request(%s, %s, %s)", (int(request_id), bool(approve), note))


def resume_case(conn, event_id: str, note: str | None = None) -> dt.datetime | None:
    """A suspended case runs again with the working time it had left; its new deadline."""
    return _call(conn, "SELECT gridgov.resume_case(%s::uuid, %s)", (str(event_id), note))


def pending_requests(conn, limit: int = 500) -> list[dict[str, Any]]:
    """Suspension and extension requests waiting for a decision in the login's area, oldest first."""
    with conn.cursor() as cur:
        cur.execute(
            """SELECT r.id, r.event_id::text AS event_id, r.kind, r.reason, r.amount, c.time_unit, r.requested_by,
                      r.requested_at, e.status, e.deadline_at, c.minor, e.grid_code, e.department
               FROM gridgov.case_request r
               JOIN gridgov.event e ON e.id = r.event_id
               LEFT JOIN gridgov.event_category c ON c.code = e.category_code
               WHERE r.decision IS NULL
               ORDER BY r.requested_at, r.id LIMIT %s""",
            (int(limit),),
        )
        return _rows(cur)


def escalations(conn, event_id: str) -> list[dict[str, Any]]:
    """A case's escalations, oldest first: when, from and to which level, why, by whom."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT at, from_level, to_level, kind, missed_deadline, reason, login FROM gridgov.case_escalation"
            " WHERE event_id = %s ORDER BY at, id",
            (str(event_id),),
        )
        return _rows(cur)


def escalation_status(conn) -> dict[str, Any] | None:
    """The last sweep of automatic escalation (at, as_of, login, via, escalated, runs_today), None if it never ran.

    ``{"readable": False}`` when the login may not read the sweeps (only supervisors and admins do).
    """
    with conn.cursor() as cur:
        cur.execute("SELECT has_table_privilege('gridgov.escalation_run', 'SELECT')")
        if not cur.fetchone()[0]:
            return {"readable": False}
        cur.execute(
            "SELECT at, as_of, login, via, escalated,"
            " (SELECT count(*) FROM gridgov.escalation_run WHERE at > now() - interval '1 day') AS runs_today"
            " FROM gridgov.escalation_run ORDER BY at DESC, id DESC LIMIT 1"
        )
        rows = _rows(cur)
    return rows[0] if rows else None


def grades(conn) -> list[dict[str, Any]]:
    """The case grades (code, name, factor, min_level), lowest first."""
    with conn.cursor() as cur:
        cur.execute("SELECT code, name, factor, min_level FROM gridgov.case_grade ORDER BY rank")
        return _rows(cur)
