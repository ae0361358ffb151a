"""End-to-end: a Chinese user in the real QGIS under Xvfb reads no English in the plugin.

QGIS 3.22 is set to Chinese either as 简体中文 in its options (zh-Hans, the only Simplified
Chinese catalogue it ships; QGIS itself is then Chinese) or as zh_CN (a system locale; QGIS
itself stays English, the plugin must not). The demo project is open; each dock, the settings
dialog, a file dialog, the layer tree with its legend, the plugin's menu and toolbar and its
messages are read through tests/e2e/visible_text.py. Screenshots go to tests/artifacts/.
"""

from pathlib import Path

import pytest

from tests.e2e.qgis import run_qgis

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

SCREENS = (
    "menu",
    "toolbar",
    "GridGovGridPlanningDock",
    "GridGovCoverageDock",
    "GridGovEventsDock",
    "grid_check",
    "cameras_down",
    "settings",
    "file_dialog",
    "legend",
    "messages",
)


@pytest.mark.parametrize("locale", ["zh-Hans", "zh_CN", "system:zh_CN.UTF-8"])
def test_a_chinese_user_reads_no_english(built_zip, tmp_path, artifacts_dir, demo_project, locale):
    """zh-Hans and zh_CN set in QGIS's options; system:… no override, a Chinese system locale."""
    system = locale.split(":", 1)[1] if locale.startswith("system:") else None
    shots = artifacts_dir / f"chinese_{locale.replace(':', '_')}"
    r = run_qgis(
        tmp_path,
        {
            **({"LANG": system, "LC_ALL": system} if system else {}),
            "GRIDGOV_ZIP": str(built_zip),
            "GRIDGOV_EXTRA": str(ROOT / "tests" / "e2e" / "chinese_extra.py"),
            "GRIDGOV_VISIBLE_TEXT": str(ROOT / "tests" / "e2e" / "visible_text.py"),
            "GRIDGOV_SHOTS": str(shots),
            "GRIDGOV_SCREENSHOT": str(shots / "main_window.png"),
        },
        locale=None if system else locale,
        project=demo_project,
        timeout=420,
    )
    assert r["errors"] == [], r["errors"]
    assert r["plugin_loaded"] and r["menu_title"] == "网格治理"
    for screen in SCREENS:
        assert screen in r["texts"], f"{screen} was not read"
    # every screen shows something, and the docks, dialog and legend show a lot
    for screen in ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock", "settings", "legend"):
        assert len(r["texts"][screen]) >= 5, (screen, r["texts"][screen])
    english = {screen: found for screen, found in r["english"].items() if found}
    assert english == {}, f"English on a Chinese screen ({locale}): {english}"
    # the check ran to its end (its status is no longer the running "…")
    assert r["grid_check_status"] and not r["grid_check_status"].endswith(("...", "…")), r["grid_check_status"]
    assert r["cameras_down_rows"] > 0  # the demo has cameras offline/faulty: their status is read
    # Qt's own buttons are Chinese too (OK/Cancel of the settings dialog, the file dialog's)
    assert r["settings_buttons"] and not {"OK", "Cancel", "&OK", "&Cancel"} & set(r["settings_buttons"])
    assert any("取消" in t for t in r["texts"]["file_dialog"]), r["texts"]["file_dialog"]
    if locale == "zh-Hans":
        # QGIS itself is Chinese as well: its main menu
        assert any("工程" in t for t in r["qgis_menus"]), r["qgis_menus"]
    for screen in ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock", "settings", "file_dialog"):
        assert (shots / f"{screen}.png").exists()
