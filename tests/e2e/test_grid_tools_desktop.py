"""End-to-end: the real qgis under Xvfb drives the split and paint tools; the balance panel agrees with gridstats.

tests/e2e/grid_tools_extra.py runs inside the shared QGIS (tests/e2e/conftest.py ``desktop``).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import extra_report

pytestmark = pytest.mark.e2e


def test_split_and_paint_in_real_qgis(desktop):
    r = extra_report(desktop, "grid_tools_extra.py")
    city = desktop["city"]
    t = r["grid_tools"]
    assert t["actions"] == ["GridGovSplitTool", "GridGovMoveBoundaryTool", "GridGovPaintTool", "GridGovMergeGrids"]
    assert t["split_tool_active"] and t["paint_tool_active"], t
    # the clicks landed where they were aimed: the canvas had settled (within the pixel's rounding)
    assert t["settled"] and t["click_error_px"] <= 1.0, t
    # split: 12 grids -> 13, one undoable command
    assert t["features_after_split"] == len(city.grid_geoms) + 1, t
    assert t["undo_after_split"] == 1, t
    # paint: the building and its households moved into the target, one more command
    assert t["target_selected"], t
    assert t["undo_after_paint"] == 2, t
    assert t["target_households_after"] == t["target_households_before"] + t["painted_households"], t
    # the panel's figures equal gridstats for every grid it shows (changed grids and their community)
    assert t["mismatches"] == [], t["mismatches"]
    # the new grid has the community's next standard 15-digit code, never CODE-1
    community = city.grid_codes[0][:12]
    serials = [int(c[12:]) for c in city.grid_codes if c.startswith(community)]
    assert t["new_code"] == f"{community}{max(serials) + 1:03d}", t
    assert {city.grid_codes[0], t["new_code"], city.grid_codes[1]} <= set(t["compared"]), t
    assert set(t["codes_changed"]) == {city.grid_codes[0], t["new_code"], city.grid_codes[1]}, t
