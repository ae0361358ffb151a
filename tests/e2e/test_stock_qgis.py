"""End-to-end in QGIS as a user has it: the real qgis binary, a fresh profile, no project venv.

One QGIS start: the plugin ZIP is installed, says what is missing (screenshot), installs the
missing packages from a local wheel folder through its Install button, brings in all
algorithms and the three docks without a restart, runs one algorithm of each kind (a coverage
among them) and QGIS then exits normally with status 0.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grid_governance_plugin.processing.provider import ALGORITHM_INDEX

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
N_ALGORITHMS = sum(len(entries) for entries in ALGORITHM_INDEX.values())


def test_stock_qgis_installs_the_missing_packages_and_then_runs_everything(
    built_zip, wheelhouse, small_realdata, tmp_path, artifacts_dir
):
    report_path = tmp_path / "report.json"
    out = tmp_path / "out"
    out.mkdir()
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_WHEELS": str(wheelhouse),
        "GRIDGOV_DATA": str(small_realdata),
        "GRIDGOV_OUT": str(out),
        "GRIDGOV_REPORT": str(report_path),
        "GRIDGOV_SHOTS": str(artifacts_dir / "e2e_stock"),
    }
    cmd = [sys.executable, str(ROOT / "scripts" / "qgis_run.py"), "--stock", "--profiles", str(tmp_path / "profiles"),
           "--code", str(ROOT / "tests" / "e2e" / "stock_scenario.py"), "--timeout", "1500"]  # fmt: skip
    for k, v in env.items():
        cmd += ["--env", f"{k}={v}"]
    proc = subprocess.run(cmd, timeout=1600, capture_output=True, text=True)
    assert report_path.exists(), proc.stderr[-3000:]
    r = json.loads(report_path.read_text(encoding="utf-8"))
    assert r["errors"] == [], r["errors"]

    before = r["before"]
    assert before["plugin_loaded"]
    # Debian's QGIS has no shapely 2, esda, libpysal, geopandas: the message says so
    assert before["message"] and "shapely ≥ 2.0" in before["message"] and "esda ≥ 2.5" in before["message"]
    assert before["docks"]["GridGovCoverageDock"] == "placeholder"
    assert before["docks"]["GridGovGridPlanningDock"] == "placeholder"
    assert before["docks"]["GridGovEventsDock"] == "EventsDock"
    assert len(before["algorithms"]) == N_ALGORITHMS
    assert not before["algorithms"]["gridgov:hotspots"] and not before["algorithms"]["gridgov:coverage"]
    assert before["algorithms"]["gridgov:overduecases"] and before["algorithms"]["gridgov:importcameras"]
    assert (artifacts_dir / "e2e_stock_missing_dependencies.png").exists()

    inst = r["install"]
    assert r["install_started"]
    assert inst["ok"], inst
    assert inst["restart"] == []  # nothing needed a restart
    assert any(p.startswith("shapely-2") for p in inst["installed"]) and any(
        p.startswith("esda-") for p in inst["installed"]
    )
    # QGIS's own numpy and pyproj were not replaced
    assert not any(p.startswith(("numpy-", "scipy-", "pyproj-")) for p in inst["installed"]), inst["installed"]
    assert str(tmp_path / "profiles") in inst["prefix"]
    # the hotspot kernels were compiled into the profile during the install: no run waits for numba
    assert any("gstar_larger" in n for n in inst["numba_cache"]), inst["log_tail"][-4:]
    # pip ran with QGIS's own interpreter (Debian's), not the qgis program or another Python on PATH
    assert inst["command"].startswith("$ /usr/bin/python3"), inst["command"]
    assert r["after"]["docks"] == {
        "GridGovGridPlanningDock": "GridPlanningDock",
        "GridGovCoverageDock": "CoverageDock",
        "GridGovEventsDock": "EventsDock",
    }
    assert len(r["after"]["algorithms"]) == N_ALGORITHMS and all(r["after"]["algorithms"].values())
    assert str(tmp_path / "profiles") in r["shapely_file"]

    runs = r["runs"]
    assert all(v["ok"] for v in runs.values()), runs
    cov = runs["gridgov:coverage"]["outputs"]
    assert 0.0 < cov["RATIO"] <= 1.0 and cov["TARGET_M2"] > 10_000  # the open ground of 340 x 330 m
    for name in ("coverage.gpkg", "blind.gpkg", "problems.gpkg", "hotspots.gpkg", "demo.gpkg"):
        assert (out / name).exists(), name
    # QGIS closed the normal way after all that, with status 0 (no crash at exit)
    assert proc.returncode == 0, proc.stderr[-3000:]
