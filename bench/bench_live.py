#!/usr/bin/env python3
"""Commit-to-map latency of the live layer vs QGIS's "refresh layer on notification", and the board query.

  .venv/bin/python bench/bench_live.py [--seconds 20] [--rate 50] [--channels 4] [--preload 100000]
                                       [--board-events 2000000] [--skip-live] [--skip-board]

Starts its own PostgreSQL (tests/pgserver.py), applies the migrations and, in the same run:

1. ours: gui/live_layer.LiveEventsLayer (memory layer, updated in place from the listener's
   batches) on an offscreen QgsMapCanvas while ``--channels`` threads call report_event at
   ``--rate`` events/s in total. Latency per event = commit returned in the channel thread ->
   the end of the first canvas render that started after the event was on the layer.
2. QGIS's own: gridgov.event as a PostGIS layer with setRefreshOnNotifyEnabled (channel 'qgis',
   a bench-only trigger sends NOTIFY qgis per insert), same load. Latency per event = commit ->
   the end of the first canvas render that started after the commit (the render re-reads the
   table, so it holds every row committed before it started: optimistic for QGIS).
3. the board: overdue_summary by grid/community/street/department and overdue_cases on
   ``--board-events`` generated events (2 % open), median of 5 runs each, warm cache.

Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LON, LAT = 116.3975, 39.9087


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))
    return values[k]


def make_db(server) -> str:
    import psycopg2

    from grid_governance_plugin.core.store import migrations

    conn = psycopg2.connect(server.dsn())
    conn.autocommit = True
    name = "bench_" + uuid.uuid4().hex[:8]
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    conn = psycopg2.connect(server.dsn(name))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION postgis")
        cur.execute("CREATE EXTENSION pgcrypto")
    migrations.migrate(conn)
    conn.close()
    return server.dsn(name)


def preload(dsn: str, n: int, open_share: float = 0.02) -> None:
    """n events around the city, most closed, some open with deadlines around now."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT array_agg(code) FROM gridgov.event_category")
        cats = cur.fetchone()[0]
        step = 200_000
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            cur.execute(
                """
                INSERT INTO gridgov.event (source, external_id, category_code, reported_at, received_at, status,
                    level, department, worker_id, grid_code, community_code, street_code, deadline_at, closed_at,
                    updated_at, geom)
                SELECT 'bench', 'p' || i, (%(cats)s::text[])[1 + i %% cardinality(%(cats)s::text[])],
                       now() - make_interval(secs => (i * 317 %% 31536000)), now() - make_interval(secs => (i * 317 %% 31536000)),
                       s.status, 'community', (ARRAY['HW','SW','SZ','CGZF','JT'])[1 + i %% 5], 'W' || (i %% 500),
                       'G' || lpad((i %% 5500)::text, 4, '0'), '1101010' || lpad((i %% 300)::text, 5, '0'),
                       '110101' || lpad((i %% 30)::text, 3, '0'),
                       CASE WHEN s.status = 'closed' THEN NULL
                            ELSE now() + make_interval(secs => ((i * 7919) %% 172800) - 86400) END,
                       CASE WHEN s.status = 'closed' THEN now() - make_interval(secs => (i * 317 %% 31536000)) END,
                       now() - make_interval(secs => (i * 317 %% 31536000)),
                       ST_SetSRID(ST_MakePoint(116.2 + ((i * 7919) %% 100000) / 250000.0,
                                               39.8 + ((i * 104729) %% 100000) / 500000.0), 4490)
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) i
                CROSS JOIN LATERAL (SELECT CASE WHEN (i %% 1000) < %(open)s
                    THEN (ARRAY['reported','registered','dispatched','handled','verified'])[1 + i %% 5]
                    ELSE 'closed' END AS status) s
                """,
                {"cats": cats, "lo": lo, "hi": hi, "open": int(open_share * 1000)},
            )
        cur.execute("ANALYZE gridgov.event")
    conn.close()


class Channels:
    """``channels`` threads reporting events at ``rate`` per second in total; commit times by id."""

    def __init__(self, dsn: str, channels: int, rate: float, seconds: float, tag: str):
        self.dsn, self.channels, self.rate, self.seconds, self.tag = dsn, channels, rate, seconds, tag
        self.committed: dict[str, float] = {}
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def _run(self, k: int) -> None:
        import psycopg2

        conn = psycopg2.connect(self.dsn)
        conn.autocommit = True
        interval = self.channels / self.rate
        start = time.monotonic() + k * interval / self.channels
        i = 0
        with conn.cursor() as cur:
            while True:
                t = start + i * interval
                if t - start > self.seconds:
                    break
                delay = t - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                cur.execute(
                    "SELECT gridgov.report_event(%s, %s, 'SJ0102', now() - interval '1 minute', %s, %s)",
                    (f"ch{k}", f"{self.tag}-{i}", LON + (i % 50) * 1e-4, LAT + k * 1e-3),
                )
                uid = str(cur.fetchone()[0])
                with self.lock:
                    self.committed[uid] = time.monotonic()
                i += 1
        conn.close()

    def start(self) -> None:
        self.threads = [threading.Thread(target=self._run, args=(k,), daemon=True) for k in range(self.channels)]
        for t in self.threads:
            t.start()

    def running(self) -> bool:
        return any(t.is_alive() for t in self.threads)


def _canvas(layer):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
    from qgis.gui import QgsMapCanvas

    canvas = QgsMapCanvas()
    canvas.resize(1000, 800)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    canvas.setLayers([layer] if layer is not None else [])
    canvas.setExtent(QgsRectangle(116.2, 39.8, 116.6, 40.0))  # city extent
    canvas.setParallelRenderingEnabled(True)
    canvas.show()
    renders: list[tuple[float, float]] = []
    started = [0.0]
    canvas.renderStarting.connect(lambda: started.__setitem__(0, time.monotonic()))
    canvas.mapCanvasRefreshed.connect(lambda: renders.append((started[0], time.monotonic())))
    return canvas, renders


def bench_ours(dsn: str, args, overlay: bool) -> dict:
    """Ours. overlay: changes are canvas items at once (shown = marker placed; the layer is redrawn
    when the canvas is idle); without: shown = end of the first layer render after the batch."""
    from qgis.core import QgsApplication

    from grid_governance_plugin.gui.live_layer import STATE_LIVE, LiveEventsLayer

    canvas, renders = _canvas(None)
    live = LiveEventsLayer(dsn, load_days=30, canvas=canvas, overlay=overlay)
    canvas.setLayers([live.layer])
    t0 = time.monotonic()
    live.start()
    load_s = time.monotonic() - t0
    on_layer: dict[str, float] = {}

    def batch(*_):
        t = time.monotonic()
        for uid in pending:
            if uid not in on_layer and live.feature_id(uid) is not None:
                on_layer[uid] = t

    pending: set[str] = set()
    live.batchApplied.connect(batch)
    end = time.monotonic() + 30
    while live.state != STATE_LIVE and time.monotonic() < end:
        QgsApplication.processEvents()
        time.sleep(0.005)
    ch = Channels(dsn, args.channels, args.rate, args.seconds, f"ours{int(overlay)}")
    ch.start()
    end = time.monotonic() + args.seconds + 10
    while time.monotonic() < end and (ch.running() or len(on_layer) < len(ch.committed)):
        with ch.lock:
            pending.update(u for u in ch.committed if u not in on_layer)
        QgsApplication.processEvents()
        time.sleep(0.002)
    for _ in range(300):  # let the last renders finish
        QgsApplication.processEvents()
        time.sleep(0.01)
    lat_layer, lat_map, lat_render = [], [], []
    for uid, tc in ch.committed.items():
        if uid not in on_layer:
            continue
        lat_layer.append(on_layer[uid] - tc)
        done = [e for s, e in renders if s >= on_layer[uid]]
        if done:
            lat_render.append(min(done) - tc)
        if overlay:
            lat_map.append(on_layer[uid] - tc)  # the marker is placed in the same call
        elif done:
            lat_map.append(min(done) - tc)
    live.stop()
    canvas.close()
    return {
        "name": "live layer, overlay (ours)" if overlay else "live layer, repaint only (ours)",
        "events": len(ch.committed),
        "on_layer": len(lat_layer),
        "shown": len(lat_map),
        "load_s": load_s,
        "layer_p50": pct(lat_layer, 50),
        "layer_p95": pct(lat_layer, 95),
        "map_p50": pct(lat_map, 50),
        "map_p95": pct(lat_map, 95),
        "map_max": max(lat_map, default=float("nan")),
        "render_p95": pct(lat_render, 95),
        "renders": len(renders),
        "features": live.layer.featureCount(),
    }


def bench_qgis_notify(dsn: str, args) -> dict:
    import psycopg2
    from qgis.core import Qgis, QgsApplication

    from grid_governance_plugin.gui.live_layer import postgis_events_layer

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:  # bench only: QGIS listens on the fixed channel 'qgis'
        cur.execute("""CREATE OR REPLACE FUNCTION gridgov.bench_qgis_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN PERFORM pg_notify('qgis', NEW.id::text); RETURN NULL; END $$""")
        cur.execute(
            "CREATE TRIGGER bench_qgis_notify AFTER INSERT OR UPDATE ON gridgov.event FOR EACH ROW"
            " EXECUTE FUNCTION gridgov.bench_qgis_notify()"
        )
    layer = postgis_events_layer(dsn, "events (QGIS refresh on notification)")
    assert layer.isValid(), layer.error().message()
    layer.setRefreshOnNotifyEnabled(True)
    if Qgis.QGIS_VERSION_INT < 33000:  # spelled so in 3.22 (fixed later)
        layer.setRefreshOnNofifyMessage("")  # any message
    else:
        layer.setRefreshOnNotifyMessage("")
    canvas, renders = _canvas(layer)
    canvas.refresh()
    canvas.waitWhileRendering()
    renders.clear()
    ch = Channels(dsn, args.channels, args.rate, args.seconds, "qgis")
    ch.start()
    end = time.monotonic() + args.seconds + 10
    while time.monotonic() < end:
        QgsApplication.processEvents()
        time.sleep(0.002)
        if not ch.running() and renders and renders[-1][0] > max(ch.committed.values(), default=0):
            break
    lat_map = []
    for _uid, tc in ch.committed.items():
        done = [e for s, e in renders if s >= tc]
        if done:
            lat_map.append(min(done) - tc)
    canvas.close()
    with conn.cursor() as cur:
        cur.execute("DROP TRIGGER bench_qgis_notify ON gridgov.event")
    conn.close()
    return {
        "name": "QGIS refresh on notification",
        "events": len(ch.committed),
        "on_layer": len(lat_map),
        "shown": len(lat_map),
        "load_s": float("nan"),
        "layer_p50": float("nan"),
        "layer_p95": float("nan"),
        "map_p50": pct(lat_map, 50),
        "map_p95": pct(lat_map, 95),
        "map_max": max(lat_map, default=float("nan")),
        "render_p95": float("nan"),
        "renders": len(renders),
    }


def bench_board(dsn: str) -> list[tuple[str, float]]:
    import psycopg2

    from grid_governance_plugin.core.events import board

    conn = psycopg2.connect(dsn)
    out = []
    for label, fn in [
        (f"overdue_summary({by})", lambda by=by: board.overdue_summary(conn, by))
        for by in ("grid", "community", "street", "department")
    ] + [("overdue_cases(4 h)", lambda: board.overdue_cases(conn, horizon_hours=4))]:
        fn()  # warm
        times = []
        for _ in range(5):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        conn.rollback()
        out.append((label, statistics.median(times) * 1000))
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), count(*) FILTER (WHERE status <> 'closed') FROM gridgov.event")
        total, open_ = cur.fetchone()
    conn.close()
    out.append((f"(events {total:,}, open {open_:,})", float("nan")))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--channels", type=int, default=4)
    ap.add_argument("--preload", type=int, default=100_000)
    ap.add_argument("--board-events", type=int, default=2_000_000)
    ap.add_argument("--skip-live", action="store_true")
    ap.add_argument("--skip-board", action="store_true")
    args = ap.parse_args()

    import signal

    from qgis.core import QgsApplication

    from tests.pgserver import PgServer

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that finally stops our server
    app = QgsApplication([], True)
    app.initQgis()
    server = PgServer.start()
    try:
        if not args.skip_live:
            dsn = make_db(server)
            preload(dsn, args.preload)
            results = [bench_ours(dsn, args, True), bench_ours(dsn, args, False), bench_qgis_notify(dsn, args)]
            print(
                f"\n### Commit-to-map latency: {args.channels} channels, {args.rate:g} events/s, "
                f"{args.seconds:g} s, {args.preload:,} events in the table\n"
            )
            print(
                "| layer | features | events | shown | on layer p50 / p95 (ms) | on map p50 / p95 / max (ms) "
                "| layer redrawn p95 (ms) | renders |"
            )
            print("|---|---|---|---|---|---|---|---|")
            for r in results:
                print(
                    f"| {r['name']} | {r.get('features', 'table')} | {r['events']} | {r['shown']} | {r['layer_p50'] * 1000:.0f} / "
                    f"{r['layer_p95'] * 1000:.0f} | {r['map_p50'] * 1000:.0f} / {r['map_p95'] * 1000:.0f} / "
                    f"{r['map_max'] * 1000:.0f} | {r['render_p95'] * 1000:.0f} | {r['renders']} |"
                )
        if not args.skip_board:
            dsn = make_db(server)
            t = time.monotonic()
            preload(dsn, args.board_events)
            print(
                f"\n### Board queries on {args.board_events:,} events (generated in {time.monotonic() - t:.0f} s),"
                " median of 5, warm\n"
            )
            print("| query | ms |")
            print("|---|---|")
            for label, ms in bench_board(dsn):
                print(f"| {label} | {'' if ms != ms else f'{ms:.1f}'} |")
    finally:
        server.stop()
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
