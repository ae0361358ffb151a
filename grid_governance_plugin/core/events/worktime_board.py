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


def working_clock_sql(ts: str, day_alias: str) -> tuple[str, str]:
    """(join clause, expression): W(``ts``) in working seconds, joining gridgov.work_day as ``day_alias``.

    ``ts`` is an SQL expression of type timestamptz. The join is an inner join: an instant outside
    the calendar (2000-2099) drops the row, so callers filter on open cases with deadlines.
    """
    local = f"({ts} AT TIME ZONE 'Asia/Shanghai')"
    join = f"JOIN gridgov.work_day {day_alias} ON {day_alias}.day = {local}::date"
    secs = f"extract(epoch FROM {local} - date_trunc('day', {local}))"
    expr = (
        f"({day_alias}.cum_before + coalesce((SELECT sum(greatest(0, least({secs}, p.e) - p.b))"
        f" FROM unnest({day_alias}.starts, {day_alias}.ends) AS p(b, e)), 0))"
    )
    return join, expr


def overdue_cases(
    conn, at: dt.datetime | None = None, horizon_hours: float | None = 4.0, limit: int = 5000
) -> list[dict[str, Any]]:
    """Open cases overdue or due within ``horizon_hours`` *working* hours (None: all open), most urgent first.

    Columns as ``board.overdue_cases``, with hours_overdue and hours_left in working hours.
    """
    join, w_deadline = working_clock_sql("e.deadline_at", "wd")
    sql = f"""
        WITH clk AS (SELECT gridgov.working_seconds_at(%(at)s) AS w,
                          CASE WHEN %(horizon)s::float8 IS NULL THEN 'infinity'::timestamptz
                               ELSE gridgov.add_working_hours(%(at)s, %(horizon)s::float8) END AS until)
        SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department,
               d.name AS department_name, e.worker_id, e.grid_code, e.community_code,
               cm.name AS community_name, e.street_code, s.name AS street_name, e.reported_at, e.deadline_at,
               round(((clk.w - {w_deadline}) / 3600)::numeric, 2)::float8 AS hours_overdue,
               round((({w_deadline} - clk.w) / 3600)::numeric, 2)::float8 AS hours_left,
               e.deadline_at < %(at)s AS overdue
        FROM gridgov.event e
        CROSS JOIN clk
        {join}
        LEFT JOIN gridgov.event_category c ON c.code = e.category_code
        LEFT JOIN gridgov.department d ON d.code = e.department
        LEFT JOIN gridgov.community cm ON cm.code = e.community_code
        LEFT JOIN gridgov.street s ON s.code = e.street_code
        WHERE e.status IN {OPEN_SQL} AND e.deadline_at < clk.until
        ORDER BY e.deadline_at
        LIMIT %(limit)s"""
    with conn.cursor() as cur:
        cur.execute(sql, {"at": _now(at), "horizon": horizon_hours, "limit": int(limit)})
        return _rows(cur)


def overdue_summary(
    conn, by: str = "grid", at: dt.datetime | None = None, horizon_hours: float = 4.0
) -> list[dict[str, Any]]:
    """Overdue and soon-overdue open cases per ``by``; max_hours_overdue in working hours.

    The most overdue case of a group is its earliest deadline, so W is computed once per group.
    """
    col, join_name, name = _group(by)
    w_join, w_expr = working_clock_sql("o.first_deadline", "wd")
    sql = f"""
        WITH clk AS (SELECT gridgov.working_seconds_at(%(at)s) AS w,
                          gridgov.add_working_hours(%(at)s, %(horizon)s) AS until),
        g AS (
            SELECT e.{col} AS key,
                   count(*) FILTER (WHERE e.deadline_at < %(at)s) AS overdue,
                   count(*) FILTER (WHERE e.deadline_at >= %(at)s) AS soon,
                   min(e.deadline_at) FILTER (WHERE e.deadline_at < %(at)s) AS first_deadline
            FROM gridgov.event e, clk
            WHERE e.status IN {OPEN_SQL} AND e.deadline_at < clk.until
            GROUP BY e.{col}
        ), o AS (SELECT * FROM g)
        SELECT o.key, {name} AS name, o.overdue, o.soon,
               round(((clk.w - {w_expr}) / 3600)::numeric, 1)::float8 AS max_hours_overdue
        FROM o CROSS JOIN clk
        LEFT {w_join}
        {join_name}
        ORDER BY o.overdue DESC, o.soon DESC, o.key NULLS LAST"""
    with conn.cursor() as cur:
        cur.execute(sql, {"at": _now(at), "horizon": float(horizon_hours)})
        return _rows(cur)
