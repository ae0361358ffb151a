#!/usr/bin/env python3
"""report_event throughput vs a plain INSERT through QGIS's postgres provider, and hot spots on 5,500 grids.

  .venv/bin/python bench/bench_events.py [--preload 2000000] [--calls 5000] [--grids 5500] [--events 200000]
                                         [--skip-db] [--skip-hotspots]

Starts its own PostgreSQL (tests/pgserver.py), applies the migrations, publishes a plan of
``--grids`` square grids (about 300 m) around Beijing and preloads ``--preload`` events, then
in the same run:

1. report_event from one connection, each call its own transaction (how a channel retries),
   with grid assignment, category lookup, history row and NOTIFY;
2. the same calls sent in batches of 100 in one round trip each (psycopg2 execute_batch);
3. a plain INSERT of the same rows into gridgov.event through QGIS's postgres provider
   (QgsVectorDataProvider.addFeatures), one feature per call and 500 per call - no validation,
   no grid, no history (the NOTIFY trigger still fires);
4. hot spots (core/events/hotspots.py) of ``--events`` points over the ``--grids`` grids:
   the first run (numba compiles esda's kernel), then the median of 3 warm runs, and the
   gridgov:hotspots Processing algorithm on memory layers (reading included).

Prints a Markdown table for bench/RESULTS.md. Targets (issue 5): report_event >= 2,000 calls/s,
hot spots on 5,500 grids < 5 s after the first run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LON0, LAT0 = 116.20, 39.80  # south-west corner of the grid plan (Beijing)
STEP = 0.0035  # degrees: about 300 m north-south, 300 m east-west at 40N
CATEGORIES = ("SJ0102", "SJ0103", "SJ0104", "SJ0201", "SJ0503", "SJ0601")

_app = None


def qgis_app():
    global _app
    if _app is None:
        from qgis.core import QgsApplication

        _app = QgsApplication([], False)
        _app.initQgis()
    return _app


def grid_shape(n: int) -> tuple[int, int]:
    cols = int(n**0.5) + 1
    rows = (n + cols - 1) // cols
    return rows, cols


def setup_db(server, n_grids: int, preload: int) -> str:
    import psycopg2

    from grid_governance_plugin.core.store import migrations

    admin = psycopg2.connect(server.dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE bench_events")
    admin.close()
    dsn = server.dsn("bench_events")
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgcrypto")
    migrations.migrate(conn)
    rows, cols = grid_shape(n_grids)
    t = time.perf_counter()
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES ('110000', 'bench',"
            " ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4490)))",
            (LON0, LAT0, LON0 + cols * STEP, LAT0 + rows * STEP),
        )
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, 'bench', 'published')")
        cur.execute(
            "INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, geom)"
            " SELECT 1, lpad(g::text, 15, '0'), lpad((g / 20)::text, 12, '0'), lpad((g / 400)::text, 9, '0'),"
            "        ST_Multi(ST_MakeEnvelope(%(x)s + (g %% %(cols)s) * %(s)s, %(y)s + (g / %(cols)s) * %(s)s,"
            "                                 %(x)s + (g %% %(cols)s + 1) * %(s)s, %(y)s + (g / %(cols)s + 1) * %(s)s,"
            "                                 4490))"
            " FROM generate_series(0, %(n)s - 1) g",
            {"x": LON0, "y": LAT0, "s": STEP, "cols": cols, "n": n_grids},
        )
        # preload in chunks: one statement per 200,000 rows (the NOTIFY trigger sends one 'since:' each)
        done = 0
        while done < preload:
            k = min(200_000, preload - done)
            cur.execute(
                "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, deadline_at,"
                " grid_code, geom)"
                " SELECT 'preload', 'p' || g, (ARRAY['SJ0102','SJ0103','SJ0104','SJ0201','SJ0503','SJ0601'])[1 + g %% 6],"
                "        now() - (g %% 720) * interval '1 hour',"
                "        CASE WHEN g %% 50 = 0 THEN 'dispatched' ELSE 'closed' END,"
                "        now() + ((g %% 97) - 48) * interval '1 hour', lpad((g %% %(n)s)::text, 15, '0'),"
                "        ST_SetSRID(ST_MakePoint(%(x)s + random() * %(w)s, %(y)s + random() * %(h)s), 4490)"
                " FROM generate_series(%(a)s, %(b)s) g",
                {
                    "x": LON0,
                    "y": LAT0,
                    "w": cols * STEP,
                    "h": (n_grids // cols) * STEP,
                    "a": done,
                    "b": done + k - 1,
                    "n": n_grids,
                },
            )
            done += k
        cur.execute("ANALYZE gridgov.event; ANALYZE gridgov.grid")
    print(f"setup: {n_grids} grids, {preload} events preloaded in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    conn.close()
    return dsn


def _points(n: int, n_grids: int, seed: int):
    import numpy as np

    rows, cols = grid_shape(n_grids)
    rng = np.random.default_rng(seed)
    lon = LON0 + rng.uniform(0, cols * STEP, n)
    lat = LAT0 + rng.uniform(0, (n_grids // cols) * STEP, n)
    return lon, lat


def bench_report_event(dsn: str, calls: int, n_grids: int) -> list[tuple[str, str, str]]:
    import psycopg2
    import psycopg2.extras

    out = []
    lon, lat = _points(calls * 2, n_grids, 7)
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    sql = "SELECT gridgov.report_event(%s, %s, %s, now(), %s, %s)"
    with conn.cursor() as cur:
        for i in range(200):  # warm-up: plans, caches
            cur.execute(sql, ("warm", f"w{i}", CATEGORIES[i % 6], float(lon[i]), float(lat[i])))
        t = time.perf_counter()
        for i in range(calls):
            cur.execute(sql, ("bench", f"a{i}", CATEGORIES[i % 6], float(lon[i]), float(lat[i])))
        dt = time.perf_counter() - t
        out.append(
            ("report_event, one transaction per call", f"{calls / dt:,.0f} calls/s", f"{calls} calls in {dt:.2f} s")
        )
        cur.execute(
            "SELECT count(*) FILTER (WHERE grid_code IS NOT NULL), count(*) FROM gridgov.event WHERE source = 'bench'"
        )
        with_grid, total = cur.fetchone()
        out.append(("  calls that got a grid", f"{100.0 * with_grid / max(total, 1):.1f} %", f"{with_grid} of {total}"))
        args = [
            ("bench", f"b{i}", CATEGORIES[i % 6], float(lon[calls + i]), float(lat[calls + i])) for i in range(calls)
        ]
        conn.autocommit = False
        t = time.perf_counter()
        for k in range(0, calls, 100):
            psycopg2.extras.execute_batch(cur, sql, args[k : k + 100], page_size=100)
            conn.commit()
        dt = time.perf_counter() - t
        out.append(
            (
                "report_event, batches of 100 per round trip",
                f"{calls / dt:,.0f} calls/s",
                f"{calls} calls in {dt:.2f} s",
            )
        )
        t = time.perf_counter()
        for i in range(calls):  # retries: the same keys again
            cur.execute(sql, ("bench", f"a{i}", CATEGORIES[i % 6], float(lon[i]), float(lat[i])))
            conn.commit()
        dt = time.perf_counter() - t
        out.append(("report_event retry (existing key)", f"{calls / dt:,.0f} calls/s", f"{calls} calls in {dt:.2f} s"))
    conn.close()
    return out


PGBENCH = "/usr/lib/postgresql/15/bin/pgbench"


def _pgbench(dsn: str, script: str, seconds: float, mode: str = "prepared") -> float:
    """Transactions per second of ``script`` from one pgbench connection (a C client: no Python in the loop)."""
    import re
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [PGBENCH, "-n", "-c1", "-T", str(int(seconds)), "-M", mode, "-f", f.name, dsn],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise RuntimeError(f"pgbench failed: {out.stderr.strip()}")
        out = out.stdout
    finally:
        os.unlink(f.name)
    m = re.search(r"tps = ([0-9.]+)", out)
    if not m:
        raise RuntimeError(f"pgbench printed no tps: {out}")
    return float(m.group(1))


def bench_report_event_pgbench(dsn: str, n_grids: int, seconds: float = 10.0) -> list[tuple[str, str, str]]:
    """report_event as a channel gateway written in C/Java/Go would call it: prepared, and pipelined.

    Both keep one transaction per report (each is durable and acknowledged on its own).
    Pipelining sends the next reports without waiting for the previous answer (libpq pipeline
    mode, PostgreSQL 14+), so the round trip no longer bounds one connection.
    """
    import psycopg2

    if not os.path.exists(PGBENCH):
        return [("report_event through pgbench", "skipped", f"{PGBENCH} is not installed")]
    rows, cols = grid_shape(n_grids)
    point = (
        f"\\set x random(0, {int(cols * STEP * 1e6) - 1})\n"
        f"\\set y random(0, {int((n_grids // cols) * STEP * 1e6) - 1})\n"
        "\\set k random(1, 1000000000000)\n"
    )
    call = (
        "SELECT gridgov.report_event('{src}', :client_id || '-' || :k || '-{i}', "
        "'SJ0102', now(), {lon} + (:x + {i}) / 1000000.0, {lat} + :y / 1000000.0);"
    )
    out = []
    serial = point + call.format(src="pgb1", i=0, lon=LON0, lat=LAT0) + "\n"
    pipe = point + "\\startpipeline\n"
    for i in range(20):
        pipe += "BEGIN;\n" + call.format(src="pgb2", i=i, lon=LON0, lat=LAT0) + "\nCOMMIT;\n"
    pipe += "\\endpipeline\n"
    plain = point + "SELECT 1;\n"
    tps_plain = _pgbench(dsn, plain, seconds / 2)
    tps_serial = _pgbench(dsn, serial, seconds)
    tps_pipe = _pgbench(dsn, pipe, seconds, mode="extended") * 20
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FILTER (WHERE grid_code IS NOT NULL), count(*) FROM gridgov.event WHERE source LIKE 'pgb%'"
        )
        with_grid, total = cur.fetchone()
    conn.close()
    out.append(("pgbench: an empty round trip (SELECT 1), one connection", f"{tps_plain:,.0f} /s", "the ceiling"))
    out.append(
        ("pgbench: report_event, prepared, one transaction per call", f"{tps_serial:,.0f} calls/s", "one connection")
    )
    out.append(
        (
            "pgbench: report_event, pipelined 20 deep, one transaction per call",
            f"{tps_pipe:,.0f} calls/s",
            "one connection",
        )
    )
    out.append(
        ("  pgbench calls that got a grid", f"{100.0 * with_grid / max(total, 1):.1f} %", f"{with_grid} of {total}")
    )
    return out


def bench_qgis_insert(dsn: str, calls: int, n_grids: int) -> list[tuple[str, str, str]]:
    qgis_app()
    from qgis.core import QgsDataSourceUri, QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QDateTime

    params = dict(p.split("=", 1) for p in dsn.split())
    uri = QgsDataSourceUri()
    uri.setConnection(params["host"], params["port"], params["dbname"], params["user"], "")
    uri.setDataSource("gridgov", "event", "geom", "", "id")
    layer = QgsVectorLayer(uri.uri(False), "events", "postgres")
    if not layer.isValid():
        raise RuntimeError("QGIS cannot open gridgov.event")
    prov = layer.dataProvider()
    fields = layer.fields()
    idx = {
        n: fields.lookupField(n)
        for n in (
            "id",
            "source",
            "external_id",
            "category_code",
            "reported_at",
            "received_at",
            "status",
            "level",
            "updated_at",
        )
    }
    lon, lat = _points(calls * 2, n_grids, 11)
    now = QDateTime.currentDateTimeUtc()

    def feature(i: int, tag: str) -> QgsFeature:
        f = QgsFeature(fields)
        f.setAttribute(idx["id"], str(uuid.uuid4()))  # the provider does not apply the uuid default
        f.setAttribute(idx["source"], "qgis")
        f.setAttribute(idx["external_id"], f"{tag}{i}")
        f.setAttribute(idx["category_code"], CATEGORIES[i % 6])
        f.setAttribute(idx["reported_at"], now)
        # the provider sends NULL, not DEFAULT, for unset fields: fill the NOT NULL ones
        f.setAttribute(idx["received_at"], now)
        f.setAttribute(idx["updated_at"], now)
        f.setAttribute(idx["status"], "reported")
        f.setAttribute(idx["level"], "community")
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(lon[i]), float(lat[i]))))
        return f

    out = []
    feats = [feature(i, "q") for i in range(calls)]
    t = time.perf_counter()
    for f in feats:
        ok, _ = prov.addFeatures([f])
        if not ok:
            raise RuntimeError(f"QGIS insert failed: {prov.lastError()}")
    dt = time.perf_counter() - t
    out.append(
        (
            "plain INSERT via QGIS provider, 1 feature per call",
            f"{calls / dt:,.0f} rows/s",
            f"{calls} rows in {dt:.2f} s",
        )
    )
    feats = [feature(calls + i, "r") for i in range(calls)]
    t = time.perf_counter()
    for k in range(0, calls, 500):
        ok, _ = prov.addFeatures(feats[k : k + 500])
        if not ok:
            raise RuntimeError(f"QGIS insert failed: {prov.lastError()}")
    dt = time.perf_counter() - t
    out.append(
        ("plain INSERT via QGIS provider, 500 per call", f"{calls / dt:,.0f} rows/s", f"{calls} rows in {dt:.2f} s")
    )
    return out


def bench_hotspots(n_grids: int, n_events: int) -> list[tuple[str, str, str]]:
    import numpy as np
    import shapely

    from grid_governance_plugin.core.events import hotspots as hs

    # the same plan as in the database, in metres (CGCS2000 GK zone of 117E, EPSG:4551 ~ equirectangular here)
    rows, cols = grid_shape(n_grids)
    size = 300.0
    g = np.arange(n_grids)
    x0 = (g % cols) * size
    y0 = (g // cols) * size
    cells = hs.polygon_cells(shapely.box(x0, y0, x0 + size, y0 + size), [str(i) for i in g])
    rng = np.random.default_rng(5)
    xy = np.column_stack([rng.uniform(0, cols * size, n_events), rng.uniform(0, (n_grids // cols) * size, n_events)])
    hot = rng.normal((cols * size / 3, rows * size / 3), 600, (n_events // 20, 2))
    xy = np.vstack([xy, hot])
    out = []
    t = time.perf_counter()
    hs.hotspots(xy, cells=cells, permutations=999, seed=1)
    first = time.perf_counter() - t
    out.append((f"hot spots, {n_grids} grids, {len(xy)} events: first run", f"{first:.2f} s", "numba compiles esda"))
    times = []
    for k in range(3):
        t = time.perf_counter()
        res = hs.hotspots(xy, cells=cells, permutations=999, seed=2 + k)
        times.append(time.perf_counter() - t)
    out.append(
        (
            f"hot spots, {n_grids} grids: after the first run",
            f"{statistics.median(times):.2f} s",
            "median of 3; target < 5 s",
        )
    )
    counts = res.class_counts()
    out.append(("  cells hot at 99 %", str(counts["hot_99"]), f"{counts['not_significant']} not significant"))

    # through Processing: memory layers in, memory layer out (reading + writing included)
    qgis_app()
    from qgis.core import (
        QgsFeature,
        QgsGeometry,
        QgsPointXY,
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProject,
        QgsVectorLayer,
    )

    from grid_governance_plugin.core.store.qgsio import to_qgs
    from grid_governance_plugin.processing.alg_events import HotspotsAlgorithm

    crs = "EPSG:4549"
    ox, oy = 400000.0, 3400000.0
    grids = QgsVectorLayer(f"Polygon?crs={crs}&field=grid_code:string", "grids", "memory")
    feats = []
    for i, poly in enumerate(shapely.affinity.translate(geom, ox, oy) for geom in cells.geoms):
        f = QgsFeature(grids.fields())
        f.setGeometry(to_qgs(poly))
        f.setAttributes([str(i)])
        feats.append(f)
    grids.dataProvider().addFeatures(feats)
    events = QgsVectorLayer(f"Point?crs={crs}", "events", "memory")
    feats = []
    for x, y in xy:
        f = QgsFeature()
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(ox + x, oy + y)))
        feats.append(f)
    events.dataProvider().addFeatures(feats)
    alg = HotspotsAlgorithm().create()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    t = time.perf_counter()
    _, ok = alg.run(
        {"EVENTS": events, "GRIDS": grids, "SEED": 1, "OUTPUT": "TEMPORARY_OUTPUT"}, context, QgsProcessingFeedback()
    )
    dt = time.perf_counter() - t
    out.append(
        (
            f"gridgov:hotspots algorithm, {len(xy)} events",
            f"{dt:.2f} s" if ok else "FAILED",
            "memory layers, read + write",
        )
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--preload", type=int, default=200_000)
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--grids", type=int, default=5500)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--skip-db", action="store_true")
    ap.add_argument("--skip-hotspots", action="store_true")
    args = ap.parse_args()

    results: list[tuple[str, str, str]] = []
    if not args.skip_db:
        from tests.pgserver import PgServer

        server = PgServer.start()
        try:
            dsn = setup_db(server, args.grids, args.preload)
            results += bench_report_event(dsn, args.calls, args.grids)
            results += bench_report_event_pgbench(dsn, args.grids)
            results += bench_qgis_insert(dsn, args.calls, args.grids)
        finally:
            server.stop()
    if not args.skip_hotspots:
        results += bench_hotspots(args.grids, args.events)

    print(f"\n### bench_events ({args.preload:,} events preloaded, {args.grids:,} grids)\n")
    print("| measurement | value | note |")
    print("|---|---:|---|")
    for label, value, note in results:
        print(f"| {label} | {value} | {note} |")


if __name__ == "__main__":
    main()
