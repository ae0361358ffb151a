"""End-to-end: the live events layer in the real QGIS desktop under Xvfb.

An event reported by another connection is on the running QGIS's live layer (and drawn)
within 1 s of commit; after a PostgreSQL restart the layer catches up with nothing missed.
The QGIS side is tests/e2e/live_extra.py; the two hand-shake through files.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from pathlib import Path

import psycopg2
import pytest

from tests.e2e.qgis import qgis_command

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.postgis]


@pytest.fixture
def live_db(pg_server, tmp_path):
    """A migrated database and a pg_service file naming it; survives the server restart."""
    from grid_governance_plugin.core.store import migrations

    name = "t_e2e_" + uuid.uuid4().hex[:10]

    def admin(sql: str, *args) -> None:
        conn = psycopg2.connect(pg_server.dsn())
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql, args)
        conn.close()

    admin(f"CREATE DATABASE {name} TEMPLATE template_gridgov")
    conn = psycopg2.connect(pg_server.dsn(name))
    migrations.migrate(conn)
    conn.close()
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(
        f"[gridgov_live]\nhost={pg_server.host}\nport={pg_server.port}\nuser={pg_server.user}\ndbname={name}\n"
    )
    yield pg_server.dsn(name), service_file
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", name)
    admin(f"DROP DATABASE IF EXISTS {name}")


def _report_events(dsn: str, n: int) -> list[str]:
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg2.connect(dsn)
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    conn.autocommit = True
    ids = []
    with conn.cursor() as cur:
        for i in range(n):
            cur.execute(
                "SELECT gridgov.report_event('e2e', %s, 'SJ0301', now() - interval '1 minute', %s, %s)",
                (f"missed-{i}", 116.3975 + i * 1e-4, 39.9100),
            )
            ids.append(str(cur.fetchone()[0]))
    conn.close()
    return ids


def test_live_layer_in_real_qgis(pg_server, live_db, built_zip, tmp_path, artifacts_dir):
    dsn, service_file = live_db
    handshake = tmp_path / "handshake"
    handshake.mkdir()
    report_path = tmp_path / "report.json"
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_EXTRA": str(ROOT / "tests" / "e2e" / "live_extra.py"),
        "GRIDGOV_REPORT": str(report_path),
        "GRIDGOV_QUIT": "1",
        "GRIDGOV_SCREENSHOT": str(artifacts_dir / "e2e_live.png"),
        "GRIDGOV_SHOW_DOCK": "GridGovEventsDock",
        "PGSERVICEFILE": str(service_file),
        "GRIDGOV_LIVE_SERVICE": "gridgov_live",
        "GRIDGOV_LIVE_DIR": str(handshake),
    }
    cmd = qgis_command(tmp_path / "profiles", env, timeout=280)
    proc = subprocess.Popen(cmd)
    missed: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while not (handshake / "restart").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if (handshake / "restart").exists():
            pg_server.restart()
            missed = _report_events(dsn, 20)  # committed while QGIS's listener waits to reconnect
            (handshake / "inserted.tmp").write_text(json.dumps(missed))
            (handshake / "inserted.tmp").rename(handshake / "inserted")
        proc.wait(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert report_path.exists(), "QGIS did not write its report"
    r = json.loads(report_path.read_text(encoding="utf-8"))
    (artifacts_dir / "e2e_live_report.json").write_text(json.dumps(r, indent=1, ensure_ascii=False))
    assert r["errors"] == [], r["errors"]
    assert r["live_dock"] and r["live_layer_in_project"] and r["went_live"]
    # phase A: every event on the layer within 1 s of its commit, and drawn
    assert r["phase_a_missing"] == []
    assert len(r["phase_a_latency_s"]) == 5 and max(r["phase_a_latency_s"]) < 1.0, r["phase_a_latency_s"]
    # on screen within 1 s of the commit: overlay markers at once ...
    assert r["phase_a_screen_check_after_commit_s"] < 1.0 and r["phase_a_red_pixels_at_arrival"] > 0
    # ... and then drawn by the layer itself, the markers gone
    assert r["phase_a_drawn_after_s"] is not None and r["phase_a_markers_after_redraw"] == 0
    assert r["phase_a_red_pixels"] > 0
    # phase B: reported while QGIS was disconnected, all caught up, nothing doubled
    assert r["phase_b_handshake"] and r["phase_b_count"] == 20 and len(missed) == 20
    assert r["phase_b_state_when_inserted"] != "live", "the reports did not happen during the outage"
    assert r["phase_b_all_arrived"], r["phase_b_missing"]
    assert "reconnecting" in r["phase_b_states"] and "live" in r["phase_b_states"]
    assert r["after_restart_within_1s"]
    assert r["final_features"] == 5 + 20 + 1 == r["distinct_fids"]
    # Temporal Controller: the last month, playing; the layer is temporal on reported_at
    assert r["temporal_days"] == 30 and r["temporal_playing"] and r["layer_temporal_active"], r
