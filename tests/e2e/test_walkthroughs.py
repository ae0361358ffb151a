"""End-to-end: a planner, a camera analyst and a supervisor at the real QGIS, on the demo (issue #9).

All three in both ways a Chinese user sets QGIS 3.22 to Simplified Chinese: "zh-Hans" (its
options' 简体中文; QGIS itself Chinese too) and "zh_CN" (a locale override; QGIS itself stays
English, the plugin must not). One start of the real qgis binary per locale under Xvfb
(1600×1000, a fresh profile, the plugin installed from its zip, the demo project open) walks
the three in turn, each in the demo project opened afresh: tests/e2e/walkthrough_extra.py does
what that person does with the plugin's own controls. Each test then checks what the screen
showed that person: every layer has features and an extent, every visible result layer draws
where it has features, names never repeat, the plugin's docks read all Chinese, and the role's
own results are right. Screenshots and reports stay in tests/artifacts/ as
e2e_<role>_<locale>_<what>.png and e2e_<role>_<locale>_report.json.
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
LOCALES = ("zh-Hans", "zh_CN")
ROLES = ("planner", "analyst", "supervisor")
MIN_PIXELS = 200  # of the map canvas (sampled): a result layer with features in view draws at least this


def _wanted_roles(session, locale: str) -> list[str]:
    """The roles whose test of ``locale`` was selected (``-k planner`` walks only the planner)."""
    names = {item.name for item in session.items if Path(str(item.fspath)).stem == "test_walkthroughs"}
    return [r for r in ROLES if f"test_{r}_walkthrough[{locale}]" in names]


@pytest.fixture(scope="module", params=LOCALES)
def walks(request, built_zip, tmp_path_factory, artifacts_dir, demo_project) -> dict:
    """One QGIS start in the locale that walks every selected role in turn; {role: its report}.

    A role's report holds the probe's findings (plugin loaded, ...) and its own walk's; its
    errors are its walk's, the probe's met meanwhile, and those no walk can be blamed for.
    """
    locale = request.param
    roles = _wanted_roles(request.session, locale)
    tmp = tmp_path_factory.mktemp(f"walk_{locale}")
    (tmp / "walks").mkdir()
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_EXTRA": str(ROOT / "tests" / "e2e" / "walkthrough_extra.py"),
        "GRIDGOV_ROLES": ",".join(roles),
        "GRIDGOV_LOCALE_TAG": locale,
        "GRIDGOV_SHOTS": str(artifacts_dir),
        "GRIDGOV_WALK_REPORTS": str(tmp / "walks"),
        "GRIDGOV_SCREENSHOT": str(artifacts_dir / f"e2e_walk_{locale}_start.png"),
        "GRIDGOV_VISIBLE_TEXT": str(ROOT / "tests" / "e2e" / "visible_text.py"),
    }
    service = None
    if "supervisor" in roles:
        service = _cases_service(request.getfixturevalue("pg_server"), tmp)
        env.update(service["env"])
    try:
        r = run_qgis(tmp, env, timeout=900, locale=locale, project=demo_project)
    finally:
        if service is not None:
            service["drop"]()
    walked = r.pop("walks", {})
    for role in roles:  # a walk's own file: there even when the report QGIS wrote at the end is not
        path = tmp / "walks" / f"{role}.json"
        if role not in walked and path.exists():
            walked[role] = json.loads(path.read_text(encoding="utf-8"))
    blamed = {e for w in walked.values() for e in w.get("errors", [])}
    unblamed = [e for e in r.get("errors", []) if e not in blamed]
    out = {}
    for role in roles:
        if role in walked:
            out[role] = {**r, **walked[role], "errors": unblamed + walked[role].get("errors", [])}
    return out


def _walk(walks: dict, role: str) -> dict:
    assert role in walks, f"the {role} did not walk (QGIS stopped before?)"
    return walks[role]


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


def test_planner_walkthrough(walks):
    r = _walk(walks, "planner")
    _screen_checks(r, "planner")
    assert r["grid_stats_layers"] == 1  # computed again: replaced, not stacked
    assert r["grid_stats_field"] == "hh_dev_pct"
    stats = [lyr for lyr in r["layers_report"] if lyr["kind"] == "grid_stats"]
    assert stats and stats[0]["visible"] and stats[0]["pixels"] >= 10 * MIN_PIXELS, stats  # the workload map
    assert not r["check_status"].startswith("TIMEOUT") and not r["stats_status"].startswith("TIMEOUT")
    assert r["tree"][0][1] in ("grid_problems", "dept_grid_problems", "grid")  # grids on top


def test_analyst_walkthrough(walks):
    r = _walk(walks, "analyst")
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


@pytest.mark.postgis
def test_supervisor_walkthrough(walks):
    r = _walk(walks, "supervisor")
    _screen_checks(r, "supervisor")
    assert not r["read_only"] and r["overdue_rows"] > 0 and r["card_case"]
    # the case card shows its facts without scrolling at 1600×1000
    layout = r["card_layout"]
    assert layout["window_size"][0] >= 1500 and layout["window_size"][1] >= 900, layout
    assert layout["hidden_facts"] == [] and layout["scrolled"] == 0 and layout["facts_shown"] >= 8, layout
    assert layout["table_rows_visible"] >= 8, layout
    # what the supervisor scans the list for, without scrolling sideways
    assert not {"category_code", "status", "deadline_at", "overdue", "grid_code"} & set(
        layout["table_hscroll_needed_for"] + layout["table_hidden_columns"]
    ), layout
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


def _cases_service(pg_server, tmp: Path) -> dict:
    """The demo district's cases in a PostGIS store (the demo's seed, events up to now), named by a
    pg_service file; {"env": what QGIS needs to find it, "drop": removes the database}."""
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
    service_file = tmp / "pg_service.conf"
    service_file.write_text(
        f"[gridgov_walk]\nhost={pg_server.host}\nport={pg_server.port}\nuser={pg_server.user}\ndbname={name}\n"
    )

    def drop() -> None:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()

    return {"env": {"PGSERVICEFILE": str(service_file), "GRIDGOV_CASES_SERVICE": "gridgov_walk"}, "drop": drop}
