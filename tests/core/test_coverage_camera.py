"""Camera model: parsing, validation messages, near/far from tilt, DORI distances."""

from __future__ import annotations

import math

import pytest

from grid_governance_plugin.core.coverage.camera import (
    Camera,
    CameraDefaults,
    dori_distance,
    parse_camera,
    valid_gb28181,
)

GOOD_ID = "34020000001320000001"  # type code 132 (IPC)


def _row(**kw):
    row = {"device_id": GOOD_ID, "azimuth": 90.0, "hfov": 60.0, "range_m": 40.0, "height_m": 5.0, "status": "online"}
    row.update(kw)
    return row


def test_parse_good_row():
    cam, msgs = parse_camera(1.0, 2.0, _row())
    assert cam is not None and not [m for m in msgs if m.level != "info"]
    assert (cam.x, cam.y, cam.azimuth, cam.hfov, cam.range_m, cam.height_m) == (1.0, 2.0, 90.0, 60.0, 40.0, 5.0)
    assert cam.id == GOOD_ID and cam.counts()


@pytest.mark.parametrize(
    "field,value",
    [
        ("azimuth", 400.0),
        ("azimuth", -5.0),
        ("hfov", 0.0),
        ("hfov", 361.0),
        ("range_m", 0.0),
        ("range_m", -3.0),
        ("height_m", -1.0),
        ("tilt", 95.0),
        ("vfov", 180.0),
        ("hfov", "wide"),
    ],
)
def test_bad_values_are_reported_with_id_and_field(field, value):
    cam, msgs = parse_camera(
        0,
        0,
        _row(**{field: value}, tilt=10.0, vfov=30.0)
        if field not in ("tilt", "vfov")
        else _row(**{"tilt": 10.0, "vfov": 30.0, field: value}),
    )
    assert cam is None
    errors = [m for m in msgs if m.level == "error"]
    assert len(errors) == 1
    assert errors[0].field == field and errors[0].camera_id == GOOD_ID
    assert GOOD_ID in errors[0].text


def test_defaults_fill_nulls_and_are_reported():
    cam, msgs = parse_camera(
        0, 0, _row(hfov=None, range_m="", height_m=None), CameraDefaults(hfov=75.0, range_m=33.0, height_m=7.0)
    )
    assert (cam.hfov, cam.range_m, cam.height_m) == (75.0, 33.0, 7.0)
    assert {m.field for m in msgs if m.level == "info"} == {"hfov", "range_m", "height_m"}


def test_missing_without_default_is_an_error():
    cam, msgs = parse_camera(0, 0, _row(range_m=None), CameraDefaults(range_m=None), label="fid 7")
    assert cam is None
    assert any(m.field == "range_m" and m.level == "error" for m in msgs)


def test_no_azimuth_becomes_all_round():
    cam, msgs = parse_camera(0, 0, _row(azimuth=None))
    assert cam.hfov == 360.0 and cam.is_dome
    assert any(m.field == "azimuth" for m in msgs)


def test_gb28181_ids():
    assert valid_gb28181(GOOD_ID)
    assert not valid_gb28181("3402000000132000000")  # 19 digits
    assert not valid_gb28181("3402000000132000000X")
    assert not valid_gb28181("34020000002000000001")  # type 200 is a platform, not a device
    cam, msgs = parse_camera(0, 0, _row(device_id="12345"), label="fid 3")
    assert cam is not None  # a bad id is a warning, the camera still counts
    assert [m.field for m in msgs if m.level == "warning"] == ["device_id"]


def test_field_mapping_and_label():
    row = {"bearing": 10.0, "fov": 50.0, "dist": 20.0, "h": 3.0}
    cam, msgs = parse_camera(
        0,
        0,
        row,
        fields={"id": None, "azimuth": "bearing", "hfov": "fov", "range_m": "dist", "height_m": "h"},
        label="feature 12",
    )
    assert (cam.azimuth, cam.hfov, cam.range_m, cam.height_m) == (10.0, 50.0, 20.0, 3.0)
    assert cam.id == "feature 12"


def test_status_rules():
    for status, online, planned in (
        ("online", True, True),
        ("offline", False, True),
        ("faulty", False, True),
        ("planned", False, True),
        ("obstructed", False, False),
    ):
        cam = Camera(0, 0, status=status)
        assert cam.counts() is online and cam.counts(planned=True) is planned
    cam, msgs = parse_camera(0, 0, _row(status="broken"))
    assert not cam.counts(True) and any(m.field == "status" and m.level == "warning" for m in msgs)


def test_near_far_from_tilt():
    cam = Camera(0, 0, height_m=6.0, range_m=100.0, tilt=30.0, vfov=20.0)
    near, far = cam.near_far()
    assert near == pytest.approx(6.0 / math.tan(math.radians(40.0)))
    assert far == pytest.approx(6.0 / math.tan(math.radians(20.0)))
    # upper ray above the horizon: far is the range
    assert Camera(0, 0, height_m=6, range_m=70, tilt=5, vfov=20).near_far() == pytest.approx(
        (6 / math.tan(math.radians(15)), 70)
    )
    # steep: near 0 when tilt + vfov/2 >= 90
    assert Camera(0, 0, height_m=6, range_m=70, tilt=80, vfov=30).near_far()[0] == 0.0
    # far limited by range
    assert Camera(0, 0, height_m=10, range_m=50, tilt=10, vfov=10).near_far()[1] == 50.0
    # near beyond far: nothing
    near, far = Camera(0, 0, height_m=60, range_m=50, tilt=10, vfov=10).near_far()
    assert far <= near
    # no tilt: (0, range)
    assert Camera(0, 0, range_m=42).near_far() == (0.0, 42.0)
    # only above the horizon: sees no ground
    assert Camera(0, 0, tilt=-30, vfov=20).near_far()[1] == 0.0


def test_dori_distances():
    # 1920 px over 90 degrees: d = 1920 / (2 ppm tan 45) = 960 / ppm
    assert dori_distance(1920, 90.0, 25.0) == pytest.approx(38.4)
    assert dori_distance(1920, 90.0, 250.0) == pytest.approx(3.84)
    cam = Camera(0, 0, hfov=60.0, hres_px=2560)
    assert cam.dori_distance("recognise") == pytest.approx(2560 / (2 * 125 * math.tan(math.radians(30))))
    d = [cam.dori_distance(k) for k in ("identify", "recognise", "observe", "detect")]
    assert d == sorted(d)
    assert math.isinf(Camera(0, 0).dori_distance("detect"))  # no resolution
    # fisheye: equidistant model
    assert dori_distance(3000, 360.0, 25.0) == pytest.approx(3000 / (25 * 2 * math.pi))
