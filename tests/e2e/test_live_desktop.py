"""End-to-end: the live events layer in the real QGIS desktop under Xvfb.

An event reported by another connection reaches the running QGIS's live layer (and is drawn)
by itself; after a PostgreSQL restart the layer catches up with nothing missed. The commit-to-map
latency (p95 < 1 s) is measured by bench/bench_live.py, not asserted here.
The QGIS side is tests/e2e/live_extra.py; the two hand-shake through files.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import extra_report

pytestmark = [pytest.mark.e2e, pytest.mark.postgis]


def test_live_layer_in_real_qgis(desktop):
    """The QGIS side is tests/e2e/live_extra.py in the shared QGIS (tests/e2e/conftest.py ``desktop``,
    which restarts the server and reports the missed events when the extra asks for it)."""
    r = extra_report(desktop, "live_extra.py")
    missed = desktop["missed"]
    assert r["live_dock"] and r["live_layer_in_project"] and r["went_live"]
    # phase A: every event on the layer by itself, and drawn (latency: bench/bench_live.py)
    assert r["phase_a_missing"] == []
    assert len(r["phase_a_latency_s"]) == 5, r["phase_a_latency_s"]
    # on screen when it arrives: overlay markers at once ...
    assert r["phase_a_red_pixels_at_arrival"] > 0, r["phase_a_canvas"]
    # ... and then drawn by the layer itself, the markers gone
    assert r["phase_a_drawn_after_s"] is not None and r["phase_a_markers_after_redraw"] == 0
    assert r["phase_a_red_pixels"] > 0
    # phase B: reported while QGIS was disconnected, all caught up, nothing doubled
    assert r["phase_b_handshake"] and r["phase_b_count"] == 20 and len(missed) == 20
    # the first connection at start; every later one (after the restart) only once the reports were
    # written: they were committed while the listener was away and came by its catch-up
    assert r["phase_b_connects"][0] is False and len(r["phase_b_connects"]) >= 2, r["phase_b_connects"]
    assert all(r["phase_b_connects"][1:]), r["phase_b_connects"]
    assert r["phase_b_all_arrived"], r["phase_b_missing"]
    assert "reconnecting" in r["phase_b_states"] and "live" in r["phase_b_states"]
    assert r["after_restart_arrived"]
    assert r["final_features"] == 5 + 20 + 1 == r["distinct_fids"]
    # Temporal Controller: the last month, playing; the layer is temporal on reported_at
    assert r["temporal_days"] == 30 and r["temporal_playing"] and r["layer_temporal_active"], r
