"""End-to-end: the camera map tool in the real qgis binary under Xvfb, installed from the built zip.

tests/e2e/camera_tool_extra.py runs inside the shared QGIS (tests/e2e/conftest.py ``desktop``): it
switches the Camera coverage dock's tool on, places a camera by press-move-release, widens it
with the wheel and records the rubber band.
"""

import math

import pytest

from tests.e2e.conftest import extra_report

pytestmark = pytest.mark.e2e


def _expected_view(cx: float, cy: float, azimuth: float) -> float:
    """Area of the 90-degree, 50 m wedge minus the shadow of the box 10-20 m east (computed here, in shapely)."""
    import shapely

    a0, a1 = math.radians(azimuth - 45), math.radians(azimuth + 45)
    arc = [
        (cx + 50 * math.sin(a0 + (a1 - a0) * k / 720), cy + 50 * math.cos(a0 + (a1 - a0) * k / 720)) for k in range(721)
    ]
    wedge = shapely.Polygon([(cx, cy), *arc])
    corners = [(10, -5), (20, -5), (20, 5), (10, 5)]
    far = [(cx + (x - cx) * 100, cy + (y - cy) * 100) for x, y in corners]
    shadow = shapely.MultiPoint(corners + far).convex_hull  # a convex box and all that lies behind it
    return wedge.difference(shadow).area


def test_camera_tool_in_real_qgis(desktop, artifacts_dir):
    shot = artifacts_dir / "e2e_camera_tool.png"
    r = extra_report(desktop, "camera_tool_extra.py")
    # a GEOS clash between shapely's wheel and QGIS's libgeos_c makes the tool refuse (instead of crashing QGIS)
    assert r.get("engine_problem") is None, r.get("engine_problem")
    assert r["camera_dock"] and r["tool_active"] and r["obstacles"] == 2
    assert r["toolbar_actions_offered"] == ["GridGovCameraTool", "GridGovImportCameras"]
    assert r["cameras_after_drag"] == 1
    assert r["camera_offset_m"] == pytest.approx([0.0, 0.0], abs=0.01)  # digitised in map units
    assert r["azimuth"] == pytest.approx(90.0, abs=0.01)
    band = r["band"]
    assert band["sees_in_front_of_building"] and band["sees_beside_shadow"]
    assert band["shadow_excluded"] and band["building_behind_excluded"]
    assert band["area_m2"] == pytest.approx(_expected_view(*r["camera_offset_m"], r["azimuth"]), rel=0.005)
    assert band["vertices"] > 20
    assert r["mid_drag_area_m2"] > 0  # the band was drawn while dragging, before the release
    assert r["wheel_accepted"] and r["hfov_after_wheel"] == pytest.approx(95.0)
    assert r["band_area_after_wheel_m2"] > band["area_m2"]
    assert r["undo_steps"] == 2  # add camera, widen
    run = r["coverage_run"]  # the dock ran gridgov:coverage as a task in the desktop
    assert run["blind_rows"] >= 2 and run["largest_first"], run
    assert {"BLIND_SPOTS", "COVERAGE"} <= set(run["layers"])
    assert shot.exists()
