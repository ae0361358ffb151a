"""End-to-end: the Camera coverage dock's live figures follow a camera dragged with the map tool, in
the real qgis binary under Xvfb, installed from the built zip (tests/e2e/live_coverage_extra.py)."""

import pytest

from tests.e2e.conftest import extra_report

pytestmark = pytest.mark.e2e


def test_live_coverage_follows_the_drag_in_real_qgis(desktop, artifacts_dir):
    shot = artifacts_dir / "e2e_live_coverage.png"
    r = extra_report(desktop, "live_coverage_extra.py")  # in the shared QGIS start (tests/e2e/conftest.py)
    assert r.get("live_engine_problem") is None, r.get("live_engine_problem")
    assert r["live_camera_dock"] and r["live_ready"], r.get("live_status")
    steps = r["live_steps"]
    texts = [s["text"] for s in steps]
    assert all(s["visible"] for s in steps), texts
    # the figures the user reads changed while the mouse moved, before the release
    assert len(set(texts[:-1])) >= 3, texts
    first, last = steps[0]["figures"], steps[-2]["figures"]
    # looking east the camera sees part of the east square (its grid E01); turned west, none of it
    assert first[0] > 0.05 and first[1] is None  # before any edit no camera is being edited: city only
    assert last[1] == "E01" and last[2] == pytest.approx(0.0, abs=1e-9)
    assert "E01" in texts[-2] and "0.0%" in texts[-2]
    assert last[0] != pytest.approx(first[0])
    # after the release the stored camera looks west and the figures stay those of the drag's end
    assert r["azimuth_after_drag"] == pytest.approx(270.0, abs=1.5)
    assert steps[-1]["figures"][0] == pytest.approx(last[0], rel=1e-3)
    assert shot.exists()
