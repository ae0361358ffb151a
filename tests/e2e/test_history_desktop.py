"""End-to-end: History… and Restore this version of a grid and a camera, in the real QGIS desktop under Xvfb.

A planner login (a real LOGIN role, limited to street A) changed a grid and a camera; QGIS,
logged in as that planner through a pg_service entry, opens their history from the action the
plugin registered, restores the first version of each, and the database shows the restore as
a new audited edit by the planner. The QGIS side is tests/e2e/history_extra.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.db import city
from tests.e2e.qgis import run_qgis

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.postgis]


def test_history_and_restore_in_real_qgis(db, logins, pg_server, built_zip, tmp_path, artifacts_dir):
    city.seed(db)
    planner = logins("planner", areas=[city.A["street"]])
    conn = planner.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT id, name, ST_AsText(geom) FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
        gid, grid_name, _ = cur.fetchone()
        cur.execute("UPDATE gridgov.grid SET name = '东华门一网格（调整）' WHERE id = %s", (gid,))
        cur.execute(f"UPDATE gridgov.grid SET geom = '{city.square(city.A['x0'], 39.90, 0.013)}' WHERE id = %s", (gid,))
        cur.execute("SELECT id, name FROM gridgov.camera WHERE grid_code = %s", (city.A["grid"],))
        cid, cam_name = cur.fetchone()
        cur.execute("UPDATE gridgov.camera SET azimuth = 135, name = '路口（转向）' WHERE id = %s", (cid,))
    conn.close()
    dbname = planner.dsn.rsplit("dbname=", 1)[1]
    service = tmp_path / "pg_service.conf"
    service.write_text(
        f"[gridgov_planner]\nhost={pg_server.host}\nport={pg_server.port}\nuser={planner.name}\ndbname={dbname}\n"
    )
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_EXTRA": str(ROOT / "tests" / "e2e" / "history_extra.py"),
        "GRIDGOV_SERVICE": "gridgov_planner",
        "PGSERVICEFILE": str(service),
        "GRIDGOV_HISTORY_SHOTS": str(artifacts_dir),
        "GRIDGOV_SCREENSHOT": str(artifacts_dir / "e2e_history_desktop.png"),
    }
    r = run_qgis(tmp_path, env, timeout=150)
    assert r["errors"] == [], r["errors"]
    h = r["history"]
    assert "error" not in h, h["error"]
    g, c = h["grid"], h["camera"]
    assert g["action"] and g["dialog"] and c["action"] and c["dialog"], h["steps"]
    assert g["count"] == 1 and c["count"] == 1  # the planner's street only (row-level security)
    assert g["entries"] == [["INSERT", "postgres"], ["UPDATE", planner.name], ["UPDATE", planner.name]]
    assert any("geometry changed" in row[4] for row in g["rows"])
    assert not g["restore_enabled_on_current"] and g["restore_enabled_on_first"]
    assert g["after"]["name"] == grid_name and g["after"]["wkt"] != g["before"]["wkt"]
    op, login, note = g["restored_entries"][-1]
    assert (op, login) == ("UPDATE", planner.name) and note.startswith("restored the version of audit entry")
    assert c["after"]["name"] == cam_name and c["after"]["azimuth"] is None  # azimuth was never set before
    for name in ("e2e_history_grid.png", "e2e_history_grid_restored.png", "e2e_history_camera_restored.png"):
        assert (artifacts_dir / name).stat().st_size > 5000, name
    with db.cursor() as cur:
        cur.execute("SELECT name FROM gridgov.grid WHERE id = %s", (gid,))
        assert cur.fetchone()[0] == grid_name
        cur.execute(
            "SELECT login, note FROM gridgov.audit_log WHERE table_name = 'camera' AND row_key = %s ORDER BY id DESC LIMIT 1",
            (str(cid),),
        )
        assert cur.fetchone()[0] == planner.name
