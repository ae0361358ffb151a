#!/usr/bin/env python3
"""Heatmap of the last 30 days redrawn at city extent (issue 5: under 1.5 s), with its baseline.

  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_heatmap.py [--scale city|demo|0.25] [--runs 5]

Generates the demo city (core/democity.py; 'city' = 2,000,000 events over two years, ending
now so that the 30-day window holds the last month of them), writes it to a temporary
GeoPackage (core/store/gpkg.py) and loads it into a throw-away PostgreSQL 15 + PostGIS
(tests/pgserver.py, core/store/migrations.py, core/store/pgload.py by COPY), then ANALYZE.
Each case renders the events layer with the plugin's heatmap style (gui/styles.py,
QgsHeatmapRenderer) through QgsMapRendererParallelJob at the city's full extent in the
metric CRS (core/crs.metric_crs_for), one warm-up and then ``--runs`` timed renders:

  (a) ours:     what gui/live_layer.heatmap_view draws zoomed out: the 30-day window binned
                into ~50 m cells on the server (heat_cells_layer), one weighted kernel per cell;
  (a0) the same window as points: PostGIS events, subset
                ``reported_at >= now() - interval '30 days'`` (index event_reported_at_idx);
  (b) the same window from the GeoPackage through OGR (SQLite subset string);
  (c) baseline: PostGIS events, all of them (no time filter).

Prints a Markdown table with median and max per case and the ratio (c)/(a).
The server is stopped and the temporary files removed whatever happens.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL_S = 1.5
PG_WINDOW = "reported_at >= now() - interval '30 days'"
# the GeoPackage stores datetimes as ISO 8601 text 'YYYY-MM-DDTHH:MM:SS.sssZ' (core/store/gpkg.py)
GPKG_WINDOW = "\"reported_at\" >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-30 days')"


def parse_scale(value: str):
    if value in ("city", "demo"):
        return value
    try:
        return float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"scale must be 'city', 'demo' or a number, not {value!r}") from exc


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def setup_db(server, city) -> str:
    import psycopg2

    from grid_governance_plugin.core.store import migrations, pgload

    admin = psycopg2.connect(server.dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE bench_heatmap")
    admin.close()
    dsn = server.dsn("bench_heatmap")
    conn = psycopg2.connect(dsn)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgcrypto")
        migrations.migrate(conn)
        pgload.load_city(conn, city)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("ANALYZE")
    finally:
        conn.close()
    return dsn


def db_facts(dsn: str) -> tuple[int, int, str]:
    """Events in total, in the window, and the plan's access path for the window."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT count(*), count(*) FILTER (WHERE {PG_WINDOW}) FROM gridgov.event")
            total, window = cur.fetchone()
            cur.execute(f"EXPLAIN SELECT id, geom FROM gridgov.event WHERE {PG_WINDOW}")
            plan = " / ".join(r[0].strip() for r in cur.fetchall() if "Scan" in r[0])
    finally:
        conn.close()
    return total, window, plan


def pg_layer(dsn: str, subset: str, name: str):
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    params = dict(p.split("=", 1) for p in dsn.split())
    uri = QgsDataSourceUri()
    uri.setConnection(params["host"], params["port"], params["dbname"], params["user"], "")
    uri.setDataSource("gridgov", "event", "geom", "", "id")
    layer = QgsVectorLayer(uri.uri(False), name, "postgres")
    if not layer.isValid():
        raise RuntimeError(f"QGIS cannot open gridgov.event: {layer.error().summary()}")
    if subset and not layer.setSubsetString(subset):
        raise RuntimeError(f"postgres provider refused the subset string {subset!r}")
    return layer


def gpkg_layer(path: str, subset: str, name: str):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{path}|layername=event", name, "ogr")
    if not layer.isValid():
        raise RuntimeError(f"QGIS cannot open the event layer of {path}")
    if subset and not layer.setSubsetString(subset):
        raise RuntimeError(f"OGR provider refused the subset string {subset!r}")
    return layer


def map_settings(extent, crs, width: int, height: int):
    from qgis.core import QgsMapSettings, QgsProject
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    ms = QgsMapSettings()
    ms.setOutputSize(QSize(width, height))
    ms.setOutputDpi(96)
    ms.setBackgroundColor(QColor("white"))
    ms.setDestinationCrs(crs)
    ms.setTransformContext(QgsProject.instance().transformContext())
    ms.setExtent(extent)
    ms.setFlag(QgsMapSettings.Antialiasing, True)
    return ms


def render_once(ms, layer) -> float:
    from qgis.core import QgsMapRendererParallelJob

    ms.setLayers([layer])
    job = QgsMapRendererParallelJob(ms)
    t = time.perf_counter()
    job.start()
    job.waitForFinished()
    dt = time.perf_counter() - t
    errors = job.errors()
    if errors:
        raise RuntimeError(f"rendering {layer.name()} failed: " + "; ".join(e.message for e in errors))
    return dt


def measure(ms, layer, runs: int) -> list[float]:
    render_once(ms, layer)  # warm-up: connection, plans, OS cache
    return [render_once(ms, layer) for _ in range(runs)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=parse_scale, default="city", help="'city' (default), 'demo' or a fraction of city")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--runs", type=int, default=5, help="timed renders per case, after one warm-up")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    args = ap.parse_args()
    # a SIGTERM (timeout, kill PID) unwinds through the finally below: server stopped, files removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from qgis.core import QgsApplication, QgsCoordinateTransform, QgsProject

    app = QgsApplication([], False)
    app.initQgis()

    from grid_governance_plugin.core import crs as gcrs
    from grid_governance_plugin.core import democity
    from grid_governance_plugin.core.store import gpkg
    from grid_governance_plugin.gui import live_layer, styles
    from tests.pgserver import PgServer

    tmp = tempfile.mkdtemp(prefix="bench-heatmap-")
    server = None
    writer = None
    layers: dict[str, object] = {}
    try:
        t = time.perf_counter()
        city = democity.generate(args.seed, args.scale, as_of=datetime.now(timezone.utc))
        log(f"generated scale {args.scale}: {len(city['event']):,} events in {time.perf_counter() - t:.1f} s")

        # write the GeoPackage in a thread while PostGIS loads (both spend most time outside Python)
        path = os.path.join(tmp, "city.gpkg")
        written: dict[str, object] = {}

        def write(c) -> None:
            t0 = time.perf_counter()
            try:
                gpkg.write_city(c, path)
                written["s"] = time.perf_counter() - t0
            except BaseException as exc:  # re-raised in the main thread
                written["error"] = exc

        writer = threading.Thread(target=write, args=(city,), name="gpkg-writer")
        writer.start()
        t = time.perf_counter()
        server = PgServer.start()
        dsn = setup_db(server, city)
        log(f"PostGIS loaded (COPY) and analysed in {time.perf_counter() - t:.1f} s")
        writer.join()
        if "error" in written:
            raise written["error"]
        log(f"GeoPackage written in {written['s']:.1f} s")
        del city

        total, in_window, plan = db_facts(dsn)
        log(f"events: {total:,} in PostGIS, {in_window:,} in the last 30 days; window plan: {plan}")

        layers["c"] = pg_layer(dsn, "", "events (all), PostGIS")
        layers["a0"] = pg_layer(dsn, PG_WINDOW, "events (30 days), PostGIS")
        layers["b"] = gpkg_layer(path, GPKG_WINDOW, "events (30 days), GeoPackage")
        for lyr in layers.values():
            styles.apply(lyr, "heatmap")
        now = datetime.now(timezone.utc)
        layers["a"] = live_layer.heat_cells_layer(layers["c"], now - timedelta(days=30), now, "cells")
        layers["a"].setScaleBasedVisibility(False)  # time the cells at any extent
        cells = layers["a"].featureCount()
        gpkg_window = layers["b"].featureCount()
        if gpkg_window != in_window:
            log(f"warning: the GeoPackage window holds {gpkg_window:,} events, PostGIS {in_window:,}")

        full = layers["c"]
        metric = gcrs.metric_crs_for(full.crs(), full.extent())
        extent = QgsCoordinateTransform(full.crs(), metric, QgsProject.instance()).transformBoundingBox(full.extent())
        ms = map_settings(extent, metric, args.width, args.height)
        log(
            f"extent {extent.width() / 1000:.1f} km x {extent.height() / 1000:.1f} km in {metric.authid()}, "
            f"{args.width}x{args.height} px"
        )

        cases = [
            ("a", f"(a) ours: PostGIS, last 30 days binned on the server ({cells:,} cells of ~50 m)", in_window),
            ("a0", "(a0) PostGIS, last 30 days as points (subset string, index)", in_window),
            ("b", "(b) GeoPackage (OGR), last 30 days (subset string)", gpkg_window),
            ("c", "(c) baseline: PostGIS, all events, no time filter", total),
        ]
        results: dict[str, list[float]] = {}
        for key, label, _n in cases:
            results[key] = measure(ms, layers[key], args.runs)
            log(f"{label}: " + ", ".join(f"{v:.3f}" for v in results[key]) + " s")

        base = statistics.median(results["c"])
        print()
        print(
            f"Heatmap at city extent, scale {args.scale}, {args.width}x{args.height} px, {metric.authid()}, "
            f"QgsMapRendererParallelJob; {args.runs} runs after one warm-up. Goal (a) < {GOAL_S} s."
        )
        print()
        print("| case | events drawn | median | max | (c)/case (median) |")
        print("|---|---:|---:|---:|---:|")
        for key, label, n in cases:
            med = statistics.median(results[key])
            print(f"| {label} | {n:,} | {med:.3f} s | {max(results[key]):.3f} s | ×{base / med:.2f} |")
        a_med = statistics.median(results["a"])
        print()
        print(
            f"ratio (c)/(a) = {base / a_med:.2f} (median), {max(results['c']) / max(results['a']):.2f} (max); "
            f"goal {'met' if a_med < GOAL_S else 'NOT met'}: (a) median {a_med:.3f} s vs {GOAL_S} s"
        )
        return 0 if a_med < GOAL_S else 1
    finally:
        if writer is not None:
            writer.join()
        layers.clear()  # release the provider connections and the GeoPackage before cleaning up
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
