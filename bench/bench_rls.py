#!/usr/bin/env python3
"""The cost of row-level security (issue #10): the board and report_event, with and without it, in one run.

  .venv/bin/python bench/bench_rls.py [--events 2000000] [--seconds 10] [--runs 5]

Starts its own PostgreSQL (tests/pgserver.py), applies the migrations, publishes a plan of
5,600 grids with standard codes (1 district, 14 streets, 280 communities), preloads
``--events`` events (2 % open, deadlines from a day late to four days ahead) and creates real
logins. Then, in the same run:

1. the supervision board's queries (board.overdue_cases, board.overdue_summary by street and
   the view gridgov.case_board), median of ``--runs`` warm runs, as
   * a city-level supervisor, row-level security on (every row visible, every policy checked);
   * the same login with row-level security switched off on gridgov.event (the same query
     without it: the baseline);
   * a street supervisor (the policy keeps 1/14 of the cases);
   * the superuser (RLS does not apply);
2. report_event through pgbench, prepared and pipelined 20 deep, one transaction per call, as
   a channel login (its source must be registered: the new check) and as the superuser (the
   same function without the check).

Goals (issue #5): board <= 200 ms, report_event >= 2,000 calls/s pipelined. Prints a
Markdown table for bench/RESULTS.md with the load average beside it.
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LON0, LAT0, STEP = 116.20, 39.80, 0.0035
DISTRICT = "110101"
STREETS, COMMUNITIES, GRIDS = 14, 20, 20  # per district, per street, per community: 5,600 grids
CITY = "110000"


def setup(server, n_events: int) -> str:
    import psycopg2

    from grid_governance_plugin.core.store import migrations

    admin = psycopg2.connect(server.dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE bench_rls")
    admin.close()
    dsn = server.dsn("bench_rls")
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgcrypto")
    migrations.migrate(conn)
    n_grids = STREETS * COMMUNITIES * GRIDS
    cols = int(n_grids**0.5) + 1
    rows = (n_grids + cols - 1) // cols
    t = time.perf_counter()
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES (%s, 'bench', ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4490)))",
            (CITY, LON0, LAT0, LON0 + cols * STEP, LAT0 + rows * STEP),
        )
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, 'bench', 'published')")
        # grid g: street g / 400, community g / 20 within it, grid g % 20 within that: codes nest by prefix
        street = f"'{DISTRICT}' || lpad(({{g}} / 400 + 1)::text, 3, '0')"
        community = street + " || lpad((mod({g} / 20, 20) + 1)::text, 3, '0')"
        grid = community + " || lpad((mod({g}, 20) + 1)::text, 3, '0')"
        cur.execute(
            f"INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, district_code, geom)"
            f" SELECT 1, {grid.format(g='g')}, {community.format(g='g')}, {street.format(g='g')}, '{DISTRICT}',"
            "        ST_Multi(ST_MakeEnvelope(%(x)s + (g %% %(cols)s) * %(s)s, %(y)s + (g / %(cols)s) * %(s)s,"
            "                                 %(x)s + (g %% %(cols)s + 1) * %(s)s, %(y)s + (g / %(cols)s + 1) * %(s)s, 4490))"
            " FROM generate_series(0, %(n)s - 1) g",
            {"x": LON0, "y": LAT0, "s": STEP, "cols": cols, "n": n_grids},
        )
        cur.execute("SET LOCAL session_replication_role = replica")  # a bulk load: no per-row triggers
        done = 0
        while done < n_events:
            k = min(200_000, n_events - done)
            g = f"mod(i, {n_grids})"
            cur.execute(
                "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, received_at, status,"
                " level, department, deadline_at, closed_at, grid_code, community_code, street_code, geom)"
                f" SELECT 'preload', 'p' || i, 'SJ0102', now() - (i %% 8760) * interval '1 hour',"
                "        now() - (i %% 8760) * interval '1 hour',"
                "        CASE WHEN i %% 50 = 0 THEN 'dispatched' ELSE 'closed' END, 'community', 'HW',"
                "        CASE WHEN i %% 50 = 0 THEN now() + ((i %% 121) - 24) * interval '1 hour' END,"
                "        CASE WHEN i %% 50 <> 0 THEN now() END,"
                f"       {grid.format(g=g)}, {community.format(g=g)}, {street.format(g=g)},"
                "        ST_SetSRID(ST_MakePoint(%(x)s + random() * %(w)s, %(y)s + random() * %(h)s), 4490)"
                " FROM generate_series(%(a)s, %(b)s) i",
                {"x": LON0, "y": LAT0, "w": cols * STEP, "h": rows * STEP, "a": done, "b": done + k - 1},
            )
            done += k
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE gridgov.event")  # as autovacuum would: index-only scans of open cases
        cur.execute("ANALYZE gridgov.grid")
        for name, role, area in (
            ("bench_city", "supervisor", CITY),
            ("bench_street", "supervisor", DISTRICT + "001"),
            ("bench_channel", "channel", None),
        ):
            cur.execute(f"DROP ROLE IF EXISTS {name}")
            cur.execute(f"CREATE ROLE {name} LOGIN IN ROLE gridgov_{role}")
            if area:
                cur.execute("SELECT gridgov.grant_area(%s, %s)", (name, area))
        cur.execute("SELECT gridgov.register_channel('bench_channel', 'pgb')")
    conn.close()
    print(f"setup: {n_grids} grids, {n_events:,} events in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return dsn


def as_login(dsn: str, login: str) -> str:
    return dsn.replace("user=postgres", f"user={login}")


def board_times(dsn: str, runs: int) -> dict[str, float]:
    """Median ms of each board query from one connection."""
    import psycopg2

    from grid_governance_plugin.core.events import board

    conn = psycopg2.connect(dsn)
    queries = {
        "overdue_cases(4 h)": lambda: board.overdue_cases(conn, horizon_hours=4),
        "overdue_summary(street)": lambda: board.overdue_summary(conn, "street"),
        "case_board view (all open)": lambda: conn.cursor().execute("SELECT count(*) FROM gridgov.case_board"),
    }
    out = {}
    for label, fn in queries.items():
        fn()  # warm: plans, caches
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        conn.rollback()
        out[label] = statistics.median(times) * 1000
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.case_board")
        out["(open cases seen)"] = cur.fetchone()[0]
    conn.close()
    return out


def bench_board(dsn: str, runs: int) -> list[tuple[str, str, str]]:
    import psycopg2

    su = psycopg2.connect(dsn)
    su.autocommit = True
    city = board_times(as_login(dsn, "bench_city"), runs)
    with su.cursor() as cur:
        cur.execute("ALTER TABLE gridgov.event DISABLE ROW LEVEL SECURITY")
    try:
        city_off = board_times(as_login(dsn, "bench_city"), runs)
    finally:
        with su.cursor() as cur:
            cur.execute("ALTER TABLE gridgov.event ENABLE ROW LEVEL SECURITY")
    su.close()
    street = board_times(as_login(dsn, "bench_street"), runs)
    superuser = board_times(dsn, runs)
    out = []
    for q in city:
        if q.startswith("("):
            continue
        out.append(
            (
                q,
                f"{city[q]:.0f} ms with RLS / {city_off[q]:.0f} ms without (×{city[q] / city_off[q]:.2f})",
                f"street supervisor {street[q]:.0f} ms; superuser {superuser[q]:.0f} ms",
            )
        )
    out.append(
        (
            "  open cases seen",
            f"city {city['(open cases seen)']:,}, street {street['(open cases seen)']:,}",
            "one of 14 streets",
        )
    )
    return out


def bench_report_event(dsn: str, seconds: float) -> list[tuple[str, str, str]]:
    import re
    import subprocess
    import tempfile

    pgbench = "/usr/lib/postgresql/15/bin/pgbench"
    if not os.path.exists(pgbench):
        return [("report_event through pgbench", "skipped", f"{pgbench} is not installed")]
    n_grids = STREETS * COMMUNITIES * GRIDS
    cols = int(n_grids**0.5) + 1
    rows = (n_grids + cols - 1) // cols
    script = (
        f"\\set x random(0, {int(cols * STEP * 1e6) - 1})\n\\set y random(0, {int(rows * STEP * 1e6) - 1})\n"
        "\\set k random(1, 1000000000000)\n\\startpipeline\n"
    )
    for i in range(20):
        script += (
            "BEGIN;\nSELECT gridgov.report_event('{src}', :client_id || '-' || :k || '-"
            f"{i}', 'SJ0102', now(), {LON0} + (:x + {i}) / 1000000.0, {LAT0} + :y / 1000000.0);\nCOMMIT;\n"
        )
    script += "\\endpipeline\n"

    def tps(target: str, source: str) -> float:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write(script.replace("{src}", source))
        try:
            res = subprocess.run(
                [pgbench, "-n", "-c1", "-T", str(int(seconds)), "-M", "extended", "-f", f.name, target],
                capture_output=True,
                text=True,
            )
        finally:
            os.unlink(f.name)
        m = re.search(r"tps = ([0-9.]+)", res.stdout)
        if not m:
            raise RuntimeError(f"pgbench: {res.stderr.strip() or res.stdout}")
        return float(m.group(1)) * 20

    channel = tps(as_login(dsn, "bench_channel"), "pgb")
    superuser = tps(dsn, "pgb-su")
    return [
        (
            "report_event, pipelined 20 deep, one connection",
            f"{channel:,.0f} calls/s as a channel login / {superuser:,.0f} as the superuser"
            f" (×{superuser / channel:.2f})",
            "the channel's source is checked; the superuser's is not",
        )
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from tests.pgserver import PgServer

    server = PgServer.start()
    try:
        dsn = setup(server, args.events)
        load_before = os.getloadavg()[0]
        results = bench_board(dsn, args.runs) + bench_report_event(dsn, args.seconds)
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    print(f"\n### bench_rls ({args.events:,} events, 5,600 grids in 14 streets)\n")
    print(f"Load average {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} cores.\n")
    print("| measurement | value | note |")
    print("|---|---:|---|")
    for label, value, note in results:
        print(f"| {label} | {value} | {note} |")


if __name__ == "__main__":
    main()
