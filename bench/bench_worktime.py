#!/usr/bin/env python3
"""The overdue board in working time vs calendar hours, and the working-time functions per call.

  .venv/bin/python bench/bench_worktime.py [--events 2000000] [--calls 20000]

Starts its own PostgreSQL (tests/pgserver.py), applies the migrations, generates ``--events``
events as bench/bench_live.py does (2 % open, deadlines within a day of now) and, in the same run,
median of 7 warm runs each, in turns:

1. the board in working time: core/events/board.py overdue_cases (4 working hours) and
   overdue_summary, i.e. gridgov.case_board_at, the one definition (hours late in working hours
   through the inlined gridgov.working_clock);
2. the board in calendar hours: the same query shape with 007's calendar-hour definition of
   case_board_at, recreated here as ``bench_board_calendar`` (the baseline);
3. the working-time board calling gridgov.working_seconds_at per row, to show why the join;
4. gridgov.add_working_hours / add_working_days / working_seconds_at per call (``--calls`` rows).

Prints the load average beside the figures (the machine is shared) and a Markdown table.
Target (issue 12): the board in working time <= 200 ms at 2,000,000 events.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def median_ms(fn, runs: int = 5) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


# 007's calendar-hour board (hours = clock hours), kept here as the baseline
CALENDAR_BOARD = """
CREATE FUNCTION bench_board_calendar(at timestamptz, horizon interval)
RETURNS TABLE (id uuid, category_code text, major text, minor text, status text, level text, department text,
               department_name text, worker_id text, grid_code text, community_code text, community_name text,
               street_code text, street_name text, reported_at timestamptz, deadline_at timestamptz,
               hours_overdue double precision, hours_left double precision, overdue boolean)
LANGUAGE sql STABLE AS $$
    SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department, d.name,
           e.worker_id, e.grid_code, e.community_code, cm.name, e.street_code, s.name,
           e.reported_at, e.deadline_at,
           round((extract(epoch FROM at - e.deadline_at) / 3600)::numeric, 2)::double precision,
           round((extract(epoch FROM e.deadline_at - at) / 3600)::numeric, 2)::double precision,
           gridgov.is_overdue(e.status, e.deadline_at, at)
    FROM gridgov.event e
    LEFT JOIN gridgov.event_category c ON c.code = e.category_code
    LEFT JOIN gridgov.department d ON d.code = e.department
    LEFT JOIN gridgov.community cm ON cm.code = e.community_code
    LEFT JOIN gridgov.street s ON s.code = e.street_code
    WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')
      AND (horizon IS NULL OR e.deadline_at < at + horizon)
    ORDER BY e.deadline_at
$$"""
CALENDAR_CASES = (
    "SELECT * FROM bench_board_calendar(%(at)s, make_interval(secs => %(h)s * 3600)) b ORDER BY b.deadline_at"
    " LIMIT 5000"
)
CALENDAR_SUMMARY = """
    WITH o AS (SELECT b.{col} AS key, b.overdue, b.hours_overdue
               FROM bench_board_calendar(%(at)s, make_interval(secs => %(h)s * 3600)) b)
    SELECT o.key, count(*) FILTER (WHERE o.overdue), count(*) FILTER (WHERE NOT o.overdue),
           round(max(o.hours_overdue) FILTER (WHERE o.overdue)::numeric, 1)::float8
    FROM o GROUP BY o.key"""
# the working-time board's rows with W called per row instead of joined
PER_ROW_SQL = """
    SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department, d.name, e.worker_id,
           e.grid_code, e.community_code, cm.name, e.street_code, s.name, e.reported_at, e.deadline_at,
           round(((%(w)s - gridgov.working_seconds_at(e.deadline_at)) / 3600)::numeric, 2)::float8,
           round(((gridgov.working_seconds_at(e.deadline_at) - %(w)s) / 3600)::numeric, 2)::float8,
           e.deadline_at < %(at)s
    FROM gridgov.event e
    LEFT JOIN gridgov.event_category c ON c.code = e.category_code
    LEFT JOIN gridgov.department d ON d.code = e.department
    LEFT JOIN gridgov.community cm ON cm.code = e.community_code
    LEFT JOIN gridgov.street s ON s.code = e.street_code
    WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified') AND e.deadline_at < %(until)s
    ORDER BY e.deadline_at LIMIT 5000"""


def interleaved_ms(fns: list, runs: int = 7) -> list[float]:
    """Median ms of each function, run in turns so that the machine's load hits all alike."""
    for fn in fns:
        fn()  # warm
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for k, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t)
    return [statistics.median(ts) * 1000 for ts in times]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--calls", type=int, default=20_000)
    args = ap.parse_args()

    import datetime as dt

    import psycopg2
    from bench_live import make_db, preload

    from grid_governance_plugin.core.events import board
    from tests.pgserver import PgServer

    server = PgServer.start()
    rows = []
    try:
        dsn = make_db(server)
        t = time.monotonic()
        preload(dsn, args.events)
        gen_s = time.monotonic() - t
        conn = psycopg2.connect(dsn)
        at = dt.datetime.now(dt.timezone.utc)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FILTER (WHERE status <> 'closed') FROM gridgov.event")
            n_open = cur.fetchone()[0]
            cur.execute(CALENDAR_BOARD)
            cur.execute("SELECT gridgov.working_seconds_at(%s), gridgov.add_working_hours(%s, 4)", (at, at))
            w_at, until = cur.fetchone()
        conn.commit()

        def calendar_cases():
            with conn.cursor() as cur:
                cur.execute(CALENDAR_CASES, {"at": at, "h": 4.0})
                return cur.fetchall()

        def per_row():
            with conn.cursor() as cur:
                cur.execute(PER_ROW_SQL, {"at": at, "w": w_at, "until": until})
                cur.fetchall()

        wt_cases, cal_cases, pr = interleaved_ms(
            [lambda: board.overdue_cases(conn, at=at, horizon_hours=4), calendar_cases, per_row]
        )
        n_wt = len(board.overdue_cases(conn, at=at, horizon_hours=4))
        n_cal = len(calendar_cases())
        rows.append(
            (
                "**overdue board in working time** (`board.overdue_cases` = `gridgov.case_board_at`, 4 working h, "
                "limit 5,000)",
                f"**{wt_cases:.1f} ms**",
                f"{n_wt} rows, ×{wt_cases / cal_cases:.2f} of calendar hours",
            )
        )
        rows.append(
            (
                "baseline: the same board in calendar hours (007's definition, 4 h)",
                f"{cal_cases:.1f} ms",
                f"{n_cal} rows",
            )
        )
        rows.append(
            ("same board, working_seconds_at called per row", f"{pr:.1f} ms", f"×{pr / wt_cases:.2f} of the board")
        )
        for by, col in (("grid", "grid_code"), ("street", "street_code"), ("department", "department")):

            def calendar_summary(col=col):
                with conn.cursor() as cur:
                    cur.execute(CALENDAR_SUMMARY.format(col=col), {"at": at, "h": 4.0})
                    return cur.fetchall()

            w, c = interleaved_ms([lambda by=by: board.overdue_summary(conn, by, at=at), calendar_summary])
            rows.append((f"summary by {by}: **working** / calendar", f"{w:.1f} / {c:.1f} ms", f"×{w / c:.2f}"))
        conn.rollback()
        with conn.cursor() as cur:
            for label, expr in (
                ("add_working_hours", "gridgov.add_working_hours(now() - (g %% 5000) * interval '37 minutes', 4)"),
                ("add_working_days", "gridgov.add_working_days(now() - (g %% 5000) * interval '37 minutes', 3)"),
                ("working_seconds_at", "gridgov.working_seconds_at(now() - (g %% 5000) * interval '37 minutes')"),
                ("calendar hours (+ interval)", "now() - (g %% 5000) * interval '37 minutes' + interval '4 hours'"),
            ):
                sql = f"SELECT count({expr}) FROM generate_series(1, %s) g"
                ms = median_ms(lambda sql=sql: (cur.execute(sql, (args.calls,)), cur.fetchall()), runs=3)
                rows.append(
                    (f"{label}, per call", f"{ms * 1000 / args.calls:.1f} µs", f"{args.calls} calls in one query")
                )
        conn.close()
    finally:
        server.stop()
    load = os.getloadavg()
    print(f"\n### Working-time board, {args.events:,} events ({n_open:,} open; generated in {gen_s:.0f} s)")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| measure | result | note |")
    print("|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
