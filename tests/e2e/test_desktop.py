"""End-to-end: the real qgis binary under Xvfb, a fresh profile, the built zip installed."""

from pathlib import Path

import pytest

from tests.e2e.qgis import run_qgis

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_install_from_zip_in_fresh_profile_loads_demo(built_zip, tmp_path, artifacts_dir, demo_project):
    shot = artifacts_dir / "e2e_desktop.png"
    r = run_qgis(
        tmp_path,
        {"GRIDGOV_ZIP": str(built_zip), "GRIDGOV_SCREENSHOT": str(shot), "GRIDGOV_SHOW_DOCK": "GridGovCoverageDock"},
        project=demo_project,
    )
    assert r["errors"] == []
    assert r["plugin_loaded"] and r["plugin_active"]
    # it runs from the profile it was installed into, not from the source tree
    assert str(tmp_path / "profiles") in r["plugin_path"]
    assert r["menu_title"] == "Grid governance"
    assert r["toolbar"] and r["toolbar_actions"] >= 3
    assert all(r["docks"].values()), r["docks"]
    assert r["provider"]
    assert {"gridgov:installschema", "gridgov:generatedemo"} <= set(r["algorithms"])
    assert r["layers"] >= 8
    assert r["canvas"]["distinct_colours"] > 20 and r["canvas"]["non_background"] > 0.2, r["canvas"]
    assert shot.exists()


def test_zh_cn_locale_shows_chinese_ui(built_zip, tmp_path):
    r = run_qgis(tmp_path, {"GRIDGOV_ZIP": str(built_zip)}, locale="zh_CN")
    assert r["errors"] == []
    assert r["menu_title"] == "网格治理"
    assert "摄像头覆盖" in r["dock_titles"]
