"""End-to-end: a planner, a camera analyst and a supervisor at the real QGIS, on the demo (issue #9).

Each test starts the real qgis binary under Xvfb once (1600×1000, locale zh-Hans or zh_CN (LOCALES), a fresh profile,
the plugin installed from its zip) with the demo project, and tests/e2e/walkthrough_extra.py does
what that person does with the plugin's own controls. The test then checks what the screen shows:
every layer has features and an extent, every visible result layer draws where it has features,
names never repeat, and the role's own results are right; screenshots stay in tests/artifacts/.

The visible texts of the docks and the main window go into the report (``visible_texts``) for
the all-Chinese check of tests/e2e/visible_text.py.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import psycopg2
import pytest

from tests.e2e.qgis import run_qgis

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
# The two ways a Chinese user sets QGIS 3.22 to Simplified Chinese: "zh-Hans" (its options'
# 简体中文) and "zh_CN" (a locale override). Every dock in both is checked by
# test_chinese_desktop.py; each walk here runs in one of them, so that both see a whole job done.
LOCALES = {"planner": "zh_CN", "analyst": "zh-Hans", "supervisor": "zh-Hans"}
MIN_PIXELS = 200  # of the map canvas (sampled): a result layer with features in view draws at least this


def _walk(role: str, built_zip, tmp_path, artifacts_dir, project, extra_env=None) -> dict:
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_EXTRA": str(ROOT / "tests" / "e2e" / "walkthrough_extra.py"),
        "GRIDGOV_ROLE": role,
        "GRIDGOV_SHOTS": str(artifacts_dir),
        "GRIDGOV_SCREENSHOT": str(artifacts_dir / f"e2e_{role}_final.png"),
        **(extra_env or {}),
    }
    visible_text = ROOT / "tests" / "e2e" / "visible_text.py"
    if visible_text.exists():
        env["GRIDGOV_VISIBLE_TEXT"] = str(visible_text)
    r = run_qgis(tmp_path, env, timeout=900, locale=LOCALES[role], project=project)
    (artifacts_dir / f"e2e_{role}_report.json").write_text(json.dumps(r, indent=1, ensure_ascii=False))
    return r


# results the walkthrough computes and asks to see, on top of the role's view
ASKED_FOR = {"planner": {"grid_problems", "grid_stats"}, "analyst": {"fov", "dori"}, "supervisor": set()}


def _screen_checks(r: dict, role: str) -> None:
    assert r["errors"] == [], r["errors"]
    assert r["plugin_active"] and r["role_box"] and r["role_applied"] == role
    assert r["role_dock_visible"]
    layers = r["layers_report"]
    for lyr in layers:
        # every layer has features and an extent: none zooms "Zoom Full" to the whole world
        assert lyr["features"] > 0 and lyr["extent_ok"], lyr
        if lyr["visible"] and lyr["in_view"] and lyr["result"]:
            assert lyr["pixels"] >= MIN_PIXELS, lyr  # a result layer draws where it has features
    names = [lyr["name"] for lyr in layers] + r["groups"]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    # what this role sees: its layers on top, nothing of the others
    from grid_governance_plugin.gui.roles import ROLE_VIEWS

    shown = [kind for _name, kind, visible in r["tree"] if visible]
    assert shown and set(shown) <= set(ROLE_VIEWS[role]) | ASKED_FOR[role], shown
    assert not ({"heatmap", "blind_spots"} <= set(shown))
    assert r["visible_texts"]["main_window"], "no visible text collected"
    # the plugin's docks read all Chinese (QGIS's own main window is judged by tests/e2e/test_chinese_desktop.py)
    from tests.e2e.visible_text import english

    for name, texts in r["visible_texts"].items():
        if name != "main_window":
            assert english(texts) == [], (name, english(texts))
    for path in r["screenshots"]:
        assert Path(path).exists()


def test_planner_walkthrough(built_zip, tmp_path, artifacts_dir, demo_project):
    r = _walk("planner", built_zip, tmp_path, artifacts_dir, demo_project)
    _screen_checks(r, "planner")
    assert r["grid_stats_layers"] == 1  # computed again: replaced, not stacked
    assert r["grid_stats_field"] == "hh_dev_pct"
    stats = [lyr for lyr in r["layers_report"] if lyr["kind"] == "grid_stats"]
    assert stats and stats[0]["visible"] and stats[0]["pixels"] >= 10 * MIN_PIXELS, stats  # the workload map
    assert not r["check_status"].startswith("TIMEOUT") and not r["stats_status"].startswith("TIMEOUT")
    assert r["tree"][0][1] in ("grid_problems", "dept_grid_problems", "grid")  # grids on top


def test_analyst_walkthrough(built_zip, tmp_path, artifacts_dir, demo_project):
    r = _walk("analyst", built_zip, tmp_path, artifacts_dir, demo_project)
    _screen_checks(r, "analyst")
    assert r["fov_layers"] == 1 and r["fov_features"] >= 500, (r["fov_status"], r["fov_features"])
    assert r["dori_features"] > 0 and set(r["dori_bands"]) <= {"identify", "recognise", "observe", "detect", "monitor"}
    assert len(r["dori_bands"]) >= 3
    for kind in ("coverage", "blind_spots", "grid_coverage"):
        assert r[f"{kind}_layers"] == 1, kind
    for status in (r["fov_status"], r["dori_status"], r["coverage_status"]):
        assert not status.startswith("TIMEOUT") and "failed" not in status.lower(), status
    drawn = {lyr["kind"]: lyr for lyr in r["layers_report"] if lyr["visible"]}
    for kind in ("fov", "dori", "blind_spots", "coverage"):
        assert kind in drawn and drawn[kind]["pixels"] >= MIN_PIXELS, (kind, drawn.get(kind))


@pytest.fixture
def cases_service(pg_server, tmp_path):
    """The demo district's cases in a PostGIS store (the demo's seed, events up to now)."""
    from grid_governance_plugin.core import democity
    from grid_governance_plugin.core.store import migrations, pgload

    name = "t_walk_" + uuid.uuid4().hex[:10]
    admin = psycopg2.connect(pg_server.dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} TEMPLATE template_gridgov")
    conn = psycopg2.connect(pg_server.dsn(name))
    migrations.migrate(conn)
    pgload.load_city(conn, democity.generate(seed=42, scale="demo", as_of=dt.datetime.now(dt.timezone.utc)))
    conn.commit()
    conn.close()
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(
        f"[gridgov_walk]\nhost={pg_server.host}\nport={pg_server.port}\nuser={pg_server.user}\ndbname={name}\n"
    )
    yield {"PGSERVICEFILE": str(service_file), "GRIDGOV_CASES_SERVICE": "gridgov_walk"}
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        cur.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.close()


@pytest.mark.postgis
def test_supervisor_walkthrough(built_zip, tmp_path, artifacts_dir, demo_project, cases_service):
    r = _walk("supervisor", built_zip, tmp_path, artifacts_dir, demo_project, cases_service)
    _screen_checks(r, "supervisor")
    assert not r["read_only"] and r["overdue_rows"] > 0 and r["card_case"]
    # the case card shows its facts without scrolling at 1600×1000
    layout = r["card_layout"]
    assert layout["window_size"][0] >= 1500 and layout["window_size"][1] >= 900, layout
    assert layout["hidden_facts"] == [] and layout["scrolled"] == 0 and layout["facts_shown"] >= 8, layout
    assert layout["table_rows_visible"] >= 8, layout
    assert "deadline_at" not in layout["table_hscroll_needed_for"], layout
    # names, not codes
    card = r["card"]
    assert card["department"] and not card["department"].isascii(), card
    assert card["category"] and not card["category"].isascii(), card
    # the map went to the case
    assert r["zoomed_to_case"]["distance_deg"] < 1e-4 and r["zoomed_to_case"]["scale"] <= 6000, r["zoomed_to_case"]
    # a step: the card's button, its note dialog; the case stays on the card and selected; confirmed
    step = r["step"]
    assert r["note_dialogs"] and step["to"] != step["from"], step
    assert step["same_case_on_card"] and step["still_selected"] and step["confirmation"], step
    assert step["last_note"] == "现场已核实"
    # one heatmap (the demo's replaced), one playback layer, playing, the date on the map
    assert len(r["heatmap_layers"]) == 1, r["heatmap_layers"]
    assert r["playback_layers"] == 1 and r["playing"] and r["frames"] == 30 and r["frames_advanced"]
    assert r["temporal_dock_visible"]
    frames = r["playback_frames"]
    for f in frames:
        assert f["overlay_visible"] and f["expected_date"] in f["date_text"] and f["date_pixels"] > 20, f
        if f["events_in_frame"]:
            assert f["playback_pixels"] >= 20, f
    assert frames[0]["date_text"] != frames[1]["date_text"]
    assert sum(f["events_in_frame"] for f in frames) > 0
