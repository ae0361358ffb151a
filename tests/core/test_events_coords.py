"""GCJ-02/BD-09 conversions and the case-flow table in pure Python (core/events)."""

from __future__ import annotations

import math

import pytest

from grid_governance_plugin.core.events import cases, coords
from grid_governance_plugin.core.store.schema import CASE_STATES

# Published reference values of the public formulas (lat, lon order in the sources).
WGS_TO_GCJ = [
    ((39.915, 116.404), (39.91640428150164, 116.41024449916938)),
    ((39.891082, 116.396135), (39.89248436758296, 116.40237600938156)),
    ((39.90105, 116.42079), (39.90245, 116.42703)),  # Beijing railway station, 5 decimals
]
GCJ_TO_BD = [((39.915, 116.404), (39.92133699351021, None))]

# Cities across China, including the edges of the offset box's interior
POINTS = [
    (116.3975, 39.9087),  # Beijing
    (121.4737, 31.2304),  # Shanghai
    (113.2644, 23.1291),  # Guangzhou
    (104.0665, 30.5723),  # Chengdu
    (87.6168, 43.8256),  # Urumqi
    (126.6424, 45.7567),  # Harbin
    (91.1409, 29.6456),  # Lhasa
    (110.3312, 20.0310),  # Haikou
    (73.9, 39.4),  # far west
    (134.9, 48.3),  # far east
]


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("wgs,gcj", WGS_TO_GCJ)
def test_forward_formula_matches_published_values(wgs, gcj):
    lon, lat = coords.wgs84_to_gcj02(wgs[1], wgs[0])
    tol = 2e-5 if len(str(gcj[0]).split(".")[1]) <= 5 else 1e-10  # a reference rounded to 5 decimals: ~2 m
    assert (lat, lon) == pytest.approx(gcj, abs=tol)


def test_gcj_to_bd_matches_published_value():
    lon, lat = coords.gcj02_to_bd09(116.404, 39.915)
    assert lat == pytest.approx(GCJ_TO_BD[0][1][0], abs=1e-12)
    assert 0.005 < lon - 116.404 < 0.008


@pytest.mark.parametrize("lon,lat", POINTS)
def test_inverses_land_within_a_millimetre(lon, lat):
    g = coords.wgs84_to_gcj02(lon, lat)
    assert 50 < _metres(lon, lat, *g) < 1000  # the offset is hundreds of metres...
    assert _metres(lon, lat, *coords.gcj02_to_wgs84(*g)) < 0.001  # ...and undone
    b = coords.wgs84_to_bd09(lon, lat)
    assert _metres(lon, lat, *coords.bd09_to_wgs84(*b)) < 0.001
    assert _metres(*g, *coords.bd09_to_gcj02(*coords.gcj02_to_bd09(*g))) < 0.001


def test_closed_form_bd09_inverse_is_refined():
    """The textbook closed-form BD-09 -> GCJ-02 is approximate; the iteration makes it exact."""
    g = (116.404, 39.915)
    b = coords.gcj02_to_bd09(*g)
    back = coords.bd09_to_gcj02(*b)
    assert coords.gcj02_to_bd09(*back) == pytest.approx(b, abs=1e-9)


def test_outside_china_nothing_moves():
    for lon, lat in ((2.3522, 48.8566), (8.54, 47.37), (-73.98, 40.75), (139.7671, 35.6812)):
        assert coords.out_of_china(lon, lat)
        assert coords.wgs84_to_gcj02(lon, lat) == (lon, lat)
        assert coords.gcj02_to_wgs84(lon, lat) == (lon, lat)


@pytest.mark.parametrize("sys_", ["wgs84", "cgcs2000", "gcj02", "bd09", "GCJ02", "Bd09"])
def test_to_wgs84_inverts_from_wgs84(sys_):
    lon, lat = 116.3975, 39.9087
    assert _metres(lon, lat, *coords.to_wgs84(*coords.from_wgs84(lon, lat, sys_), sys_)) < 0.001


@pytest.mark.parametrize("bad", ["utm", "", None, "wgs 84"])
def test_unknown_systems_are_refused(bad):
    with pytest.raises(ValueError, match="unknown coord_sys"):
        coords.to_wgs84(116.4, 39.9, bad)
    with pytest.raises(ValueError, match="unknown coord_sys"):
        coords.from_wgs84(116.4, 39.9, bad)


def test_case_states_and_transitions():
    assert cases.STATES == CASE_STATES
    assert set(cases.OPEN_STATES) | set(cases.TERMINAL_STATES) == set(CASE_STATES)
    assert cases.allowed_transitions("reported") == ["registered", "void"]
    assert cases.allowed_transitions("registered") == ["dispatched", "reported", "void"]
    assert cases.allowed_transitions("dispatched") == ["handled", "registered"]
    assert cases.allowed_transitions("handled") == ["verified", "dispatched"]
    assert cases.allowed_transitions("verified") == ["closed", "handled"]
    assert cases.allowed_transitions("closed") == ["registered"]  # 重办: a supervisor reopens (009)
    assert cases.allowed_transitions("void") == []
    assert cases.transition_kind("closed", "registered") == "reopen"
    assert cases.allowed_transitions("nonsense") == []
    # every return goes exactly one step back along the forward chain
    forward = {frm: to for frm, to, kind in cases.TRANSITIONS if kind == "forward"}
    for frm, to, kind in cases.TRANSITIONS:
        if kind == "return":
            assert forward[to] == frm
    assert cases.transition_kind("handled", "dispatched") == "return"
    assert cases.transition_kind("closed", "reported") is None


def test_labels_exist_for_every_state_and_action():
    for s in CASE_STATES:
        assert cases.state_label(s) and cases.STATE_NAMES_ZH[s]
        for to in cases.allowed_transitions(s):
            assert cases.action_label(s, to)
    assert cases.action_label("registered", "reported") != cases.action_label("registered", "dispatched")
