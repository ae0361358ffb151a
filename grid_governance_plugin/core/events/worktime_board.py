"""The overdue board (督办) in working time: what is late or due, in working hours.

Deadlines are instants (``event.deadline_at``); *overdue* stays ``deadline_at < at`` and
*soon overdue* ``deadline_at < add_working_hours(at, horizon)``, so both still walk the partial
index of open cases by deadline. Only the figures shown are in working hours: how many working
hours a case is late, or has left, = W(at) - W(deadline) with W the working clock of
``gridgov.work_day`` (docs/working-time.md).

W is computed here by joining ``gridgov.work_day`` on the deadline's Beijing date, not by calling
``gridgov.working_seconds_at`` per row: a function with a pinned search_path is never inlined, and
at ~30 µs a call the 20,000 rows of a city's board would take most of a second
(bench/bench_worktime.py measures both).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .board import OPEN_SQL, _group, _now, _rows

MAX_PERIODS = 4  # office periods per day the expression reads (the migration refuses more)


def working_clock_sql(ts: str, alias: str, left: bool = False) -> tuple[str, str]:
    """(join clauses, expression): W(``ts``) in working seconds, joining gridgov.work_day as ``alias``.

    ``ts`` is an SQL expression of type timestamptz. The Beijing wall-clock time is computed once per
    row (laterals with OFFSET 0 are not flattened), then the day's periods are summed term by term:
    no subquery per row. Inner join unless ``left``: an instant outside the calendar (2000-2099), or
    NULL, drops the row.
    """
    kind = "LEFT JOIN" if left else "JOIN"
    join = (
        f"{kind} LATERAL (SELECT ({ts}) AT TIME ZONE 'Asia/Shanghai' AS lt OFFSET 0) {alias}_l ON true "
        f"{kind} gridgov.work_day {alias} ON {alias}.day = {alias}_l.lt::date "
        f"{kind} LATERAL (SELECT date_part('epoch', {alias}_l.lt::time) AS s OFFSET 0) {alias}_s ON true"
    )
    s = f"{alias}_s.s"
    terms = " + ".join(
        f"coalesce(greatest(0, least({s}, {alias}.ends[{i}]) - {alias}.starts[{i}]), 0)"
        for i in range(1, MAX_PERIODS + 1)
    )
    return join, f"({alias}.cum_before + {terms})"


def _clock(conn, at: dt.datetime, horizon_hours: float | None) -> tuple[float, dt.datetime | None]:
    """W(at) and the end of the horizon, computed once (inlined into the query they would run per row)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT gridgov.working_seconds_at(%(at)s),"
            " CASE WHEN %(h)s::float8 IS NOT NULL THEN gridgov.add_working_hours(%(at)s, %(h)s::float8) END",
            {"at": at, "h": horizon_hours},
        )
        return cur.fetchone()


def overdue_cases(
    conn, at: dt.datetime | None = None, horizon_hours: float | None = 4.0, limit: int = 5000
) -> list[dict[str, Any]]:
    """Open cases overdue or due within ``horizon_hours`` *working* hours (None: all open), most urgent first.

    Columns as ``board.overdue_cases``, with hours_overdue and hours_left in working hours.
    """
    join, w_deadline = working_clock_sql("e.deadline_at", "wd")
    at = _now(at)
    w_at, until = _clock(conn, at, horizon_hours)
    # the limit first, on the index of open cases by deadline; the working clock only for the rows kept
    sql = f"""
        SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department,
               d.name AS department_name, e.worker_id, e.grid_code, e.community_code,
               cm.name AS community_name, e.street_code, s.name AS street_name, e.reported_at, e.deadline_at,
               round(((%(w)s - wl.w) / 3600)::numeric, 2)::float8 AS hours_overdue,
               round(((wl.w - %(w)s) / 3600)::numeric, 2)::float8 AS hours_left,
               e.deadline_at < %(at)s AS overdue
        FROM (SELECT e.id, e.category_code, e.status, e.level, e.department, e.worker_id, e.grid_code,
                     e.community_code, e.street_code, e.reported_at, e.deadline_at
              FROM gridgov.event e
              WHERE e.status IN {OPEN_SQL} AND e.deadline_at < %(until)s
              ORDER BY e.deadline_at
              LIMIT %(limit)s) e
        {join}
        CROSS JOIN LATERAL (SELECT {w_deadline} AS w OFFSET 0) wl
        LEFT JOIN gridgov.event_category c ON c.code = e.category_code
        LEFT JOIN gridgov.department d ON d.code = e.department
        LEFT JOIN gridgov.community cm ON cm.code = e.community_code
        LEFT JOIN gridgov.street s ON s.code = e.street_code
        ORDER BY e.deadline_at"""
    params = {
        "at": at,
        "w": w_at,
        "until": until or dt.datetime.max.replace(tzinfo=dt.timezone.utc),
        "limit": int(limit),
    }
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return _rows(cur)


def overdue_summary(
    conn, by: str = "grid", at: dt.datetime | None = None, horizon_hours: float = 4.0
) -> list[dict[str, Any]]:
    """Overdue and soon-overdue open cases per ``by``; max_hours_overdue in working hours.

    The most overdue case of a group is its earliest deadline, so W is computed once per group.
    """
    col, join_name, name = _group(by)
    w_join, w_expr = working_clock_sql("o.first_deadline", "wd", left=True)
    at = _now(at)
    w_at, until = _clock(conn, at, float(horizon_hours))
    sql = f"""
        WITH g AS (
            SELECT e.{col} AS key,
                   count(*) FILTER (WHERE e.deadline_at < %(at)s) AS overdue,
                   count(*) FILTER (WHERE e.deadline_at >= %(at)s) AS soon,
                   min(e.deadline_at) FILTER (WHERE e.deadline_at < %(at)s) AS first_deadline
            FROM gridgov.event e
            WHERE e.status IN {OPEN_SQL} AND e.deadline_at < %(until)s
            GROUP BY e.{col}
        ), o AS (SELECT * FROM g)
        SELECT o.key, {name} AS name, o.overdue, o.soon,
               round(((%(w)s - {w_expr}) / 3600)::numeric, 1)::float8 AS max_hours_overdue
        FROM o
        {w_join}
        {join_name}
        ORDER BY o.overdue DESC, o.soon DESC, o.key NULLS LAST"""
    with conn.cursor() as cur:
        cur.execute(sql, {"at": at, "w": w_at, "until": until})
        return _rows(cur)
