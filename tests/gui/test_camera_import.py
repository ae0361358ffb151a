"""Camera importers: CSV/XLSX device lists with bad rows, OSM tag parsing on real Swiss/Zürich/NYC nodes,
and the gridgov:importcameras algorithm."""

from __future__ import annotations

import csv
import math

import pytest
from qgis.core import QgsVectorLayer

from grid_governance_plugin.core.coverage import importers as im
from tests.helpers import run_alg

GOOD_ID = "44030000001320000001"  # 20 digits, type code 132 (IP camera)

HEADER_ZH = [
    "设备编码",
    "名称",
    "经度",
    "纬度",
    "所属系统",
    "状态",
    "方位角(°)",
    "水平视场角",
    "可视距离（米）",
    "安装高度",
    "俯仰角",
    "安装日期",
]
ROWS_ZH = [
    [GOOD_ID, "南门", "114.05", "22.54", "天网", "在线", "90", "60", "80", "6 m", "15", "2021-05-01"],  # clean
    ["44030000001320000002", "北门", "114.06", "22.55", "雪亮", "离线", "", "", "", "", "", ""],  # defaults
    ["12345", "短编码", "114.07", "22.56", "天网", "故障", "400", "-5", "abc", "3", "", "not a date"],  # bad values
    ["44030000001320000004", "无坐标", "", "22.57", "天网", "在线", "10", "60", "50", "4", "", ""],  # unusable
    [GOOD_ID, "重复", "114.08", "22.58", "天网", "在线", "10", "60", "50", "4", "", ""],  # duplicate id
    ["44030000001320000006", "投影坐标", "500000", "2500000", "天网", "在线", "10", "60", "50", "4", "", ""],  # metres
    ["44030000001320000007", "反了", "22.59", "114.09", "交警", "维修中", "10", "60", "50", "4", "", ""],  # swapped
]


def _by(result, ref):
    return [m for m in result.report if m.ref == ref]


def _write_csv(path, header, rows, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_chinese_csv_with_bad_rows(tmp_path):
    path = tmp_path / "devices.csv"
    _write_csv(path, HEADER_ZH, ROWS_ZH)
    res = im.import_device_list(path, im.ImportDefaults(hfov=75, range_m=40, height_m=5))
    by_ref = {c["source_ref"]: c for c in res.cameras}
    # rows 2..8 of the sheet; rows 5 (no longitude), 6 (duplicate) and 7 (projected) are unusable
    assert sorted(by_ref) == [2, 3, 4, 8]
    assert sorted(m.ref for m in res.unusable()) == [5, 6, 7]
    clean = by_ref[2]
    assert clean["device_id"] == GOOD_ID and clean["name"] == "南门" and clean["system"] == "天网"
    assert (clean["status"], clean["azimuth"], clean["hfov"], clean["range_m"], clean["height_m"], clean["tilt"]) == (
        "online",
        90.0,
        60.0,
        80.0,
        6.0,
        15.0,
    )
    assert clean["installed_at"].isoformat() == "2021-05-01"
    assert (clean["lon"], clean["lat"]) == (114.05, 22.54)
    assert [m for m in _by(res, 2) if m.level != "info"] == []
    # empty fields take the defaults, reported as info
    d = by_ref[3]
    assert (d["status"], d["azimuth"], d["hfov"], d["range_m"], d["height_m"]) == ("offline", None, 75, 40, 5)
    assert {m.field for m in _by(res, 3) if m.level == "info"} >= {"hfov", "range_m", "height_m", "azimuth"}
    # bad values are dropped with a warning naming the column, then defaulted
    bad = by_ref[4]
    warned = {m.field for m in _by(res, 4) if m.level == "warning"}
    assert {"设备编码", "方位角(°)", "水平视场角", "可视距离（米）", "安装日期"} <= warned
    assert (bad["azimuth"], bad["hfov"], bad["range_m"], bad["status"]) == (None, 75, 40, "faulty")
    assert bad["device_id"] == "12345"  # kept, but reported as not a GB/T 28181 id
    # swapped lon/lat in China is fixed and reported; the unknown status falls back to the default
    sw = by_ref[8]
    assert (sw["lon"], sw["lat"], sw["status"]) == (114.09, 22.59, "online")
    assert any("swapped" in m.text for m in _by(res, 8)) and any("维修中" in m.text for m in _by(res, 8))


def test_xlsx_english_header_below_a_title_and_numeric_ids(tmp_path):
    import openpyxl  # a declared dependency (requirements.txt): no skip

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Camera register 2024"])  # a title row above the header
    ws.append(
        ["Device ID", "Longitude", "Latitude", "Status", "Azimuth", "HFOV", "Range (m)", "Height", "Tilt", "Resolution"]
    )
    ws.append([GOOD_ID, 121.49, 31.24, "planned", 180, 90, 60, 8, 20, "2560x1440"])
    ws.append(["44030000001320000009", 121.50, 31.25, "online", 0, 360, 30, 3, None, None])  # id as text
    ws.append([4.403000000132e19, 121.51, 31.26, "online", 45, 50, 30, 3, None, None])  # float: digits lost
    ws.append(["44030000001320000010", "x", 31.27, "online", 45, 50, 30, 3, None, None])
    path = tmp_path / "devices.xlsx"
    wb.save(path)
    res = im.import_device_list(path, im.ImportDefaults(status="offline"))
    refs = [c["source_ref"] for c in res.cameras]
    assert refs == [3, 4, 5]
    first = res.cameras[0]
    assert (first["status"], first["azimuth"], first["hfov"], first["height_m"], first["tilt"], first["hres_px"]) == (
        "planned",
        180.0,
        90.0,
        8.0,
        20.0,
        2560,
    )
    assert res.cameras[1]["device_id"] == "44030000001320000009"
    assert res.cameras[2]["device_id"] is None
    assert any("lost digits" in m.text for m in _by(res, 5))
    assert [m.ref for m in res.unusable()] == [6]


def test_gcj02_coordinates_are_converted(tmp_path):
    path = tmp_path / "gcj.csv"
    _write_csv(path, ["国标编码", "经度", "纬度"], [[GOOD_ID, "114.06", "22.54"]])
    wgs = im.import_device_list(path).cameras[0]
    gcj = im.import_device_list(path, im.ImportDefaults(coord_sys="gcj02")).cameras[0]
    assert (wgs["lon"], wgs["lat"]) == (114.06, 22.54)
    # GCJ-02 is shifted some hundreds of metres in Shenzhen: the WGS84 position lies south-west of it
    dx = (gcj["lon"] - 114.06) * 111_320 * math.cos(math.radians(22.54))
    dy = (gcj["lat"] - 22.54) * 110_540
    assert 200 < math.hypot(dx, dy) < 800 and dx < 0 and dy > -400


def test_gb18030_csv_and_no_header(tmp_path):
    path = tmp_path / "gbk.csv"
    _write_csv(path, ["设备编码", "经度", "纬度", "名称"], [[GOOD_ID, "116.4", "39.9", "天安门"]], encoding="gb18030")
    res = im.import_device_list(path)
    assert res.cameras[0]["name"] == "天安门"
    nohead = tmp_path / "nohead.csv"
    _write_csv(nohead, ["a", "b"], [["1", "2"]])
    res = im.import_device_list(nohead)
    assert res.cameras == [] and res.unusable()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("90", [(90.0, None)]),
        ("N", [(0.0, None)]),
        ("nne", [(22.5, None)]),
        ("SW", [(225.0, None)]),
        ("north-east", [(45.0, None)]),
        ("south", [(180.0, None)]),
        ("-140", [(220.0, None)]),
        ("90-180", [(135.0, 90.0)]),
        ("300-60", [(0.0, 120.0)]),
        ("190-100", [(325.0, 270.0)]),
        ("180, 270", [(180.0, None), (270.0, None)]),
        ("90;160;270", [(90.0, None), (160.0, None), (270.0, None)]),
        ("360", [(None, 360.0)]),
        ("15°", [(15.0, None)]),
    ],
)
def test_parse_direction(text, expected):
    assert [(d.azimuth, d.width) for d in im.parse_direction(text)] == expected


def test_parse_direction_fixed_360_is_north_and_junk_raises():
    assert [(d.azimuth, d.width) for d in im.parse_direction("360", "fixed")] == [(0.0, None)]
    with pytest.raises(ValueError):
        im.parse_direction("towards the door")


@pytest.mark.parametrize(
    "text, metres",
    [("5", 5.0), ("5 m", 5.0), ("5m", 5.0), ("2,5", 2.5), ("16 ft", 4.8768), ("16'", 4.8768), (None, None), ("", None)],
)
def test_parse_height(text, metres):
    assert im.parse_height(text) == pytest.approx(metres) if metres is not None else im.parse_height(text) is None


def test_osm_tags_from_hstore_and_json():
    tags = im.osm_tags({"camera_direction": "90", "other_tags": '"camera:angle"=>"15","height"=>"4 m"'})
    assert tags == {"camera:direction": "90", "camera:angle": "15", "height": "4 m"}
    assert im.osm_tags({"other_tags": '{"camera:height": "3.5"}'}) == {"camera:height": "3.5"}


def test_osm_node_rules():
    feats = [
        (
            1,
            8.5,
            47.3,
            {
                "man_made": "surveillance",
                "camera:type": "fixed",
                "camera:direction": "NE",
                "camera:angle": "20",
                "height": "5 m",
            },
        ),
        (2, 8.5, 47.3, {"camera:type": "dome", "camera:direction": "90"}),
        (3, 8.5, 47.3, {"surveillance:type": "guard"}),
        (4, 8.5, 47.3, {"surveillance:type": "ALPR", "camera:direction": "90-150"}),
        (5, 8.5, 47.3, {"camera:direction": "180;270", "camera:tilt": "-10"}),
        (6, 8.5, 47.3, {"camera:angle": "360"}),
        (7, None, None, {}),
        (8, 8.5, 47.3, {"camera:direction": "over there"}),
    ]
    res = im.import_osm(feats, im.ImportDefaults(hfov=70, range_m=30, height_m=3))
    cams = {c["source_ref"]: c for c in res.cameras}
    assert set(cams) == {1, 2, 4, "5#1", "5#2", 6, 8}
    assert (cams[1]["azimuth"], cams[1]["hfov"], cams[1]["tilt"], cams[1]["height_m"]) == (45.0, 70, 20.0, 5.0)
    assert (cams[2]["hfov"], cams[2]["range_m"], cams[2]["height_m"]) == (360.0, 30, 3)
    assert (cams[4]["azimuth"], cams[4]["hfov"]) == (120.0, 60.0)
    assert (cams["5#1"]["azimuth"], cams["5#2"]["azimuth"], cams["5#2"]["tilt"]) == (180.0, 270.0, -10.0)
    assert cams[6]["hfov"] == 360.0 and cams[6]["tilt"] is None
    assert cams[8]["azimuth"] is None and cams[8]["hfov"] == 70
    assert sorted(m.ref for m in res.unusable()) == [3, 7]
    assert any(m.ref == 8 and m.level == "warning" and m.field == "camera:direction" for m in res.report)
    assert any(m.ref == 6 and m.level == "corrected" and m.field == "camera:angle" for m in res.report)


def test_swiss_osm_nodes(realdata):
    feats = im.osm_features_from_geojson(realdata / "switzerland_cameras" / "ch_osm_surveillance_nodes.geojson")
    assert len(feats) == 2144
    res = im.import_osm(feats)
    # 2 guards and 1 fake are skipped; "180, 270" and "90;160;270" give 1 + 2 extra cameras
    assert sorted(m.text for m in res.unusable()) == sorted(
        ["surveillance:type=guard is not a camera; skipped."] * 2 + ["surveillance=fake: a dummy camera; skipped."]
    )
    assert len(res.cameras) == 2144 - 3 + 3
    # every one of the 529 nodes with a direction tag was understood: no direction warning
    with_dir = {f[0] for f in feats if f[3].get("camera_direction") or f[3].get("direction")}
    assert len(with_dir) == 529
    assert not [m for m in res.report if m.field in ("camera:direction", "direction") and m.level != "info"]
    by_ref = {}
    for c in res.cameras:
        by_ref.setdefault(str(c["source_ref"]).split("#")[0], c)
    compass = {f[0]: f[3]["camera_direction"] for f in feats if f[3].get("camera_direction") in ("NW", "SW", "E")}
    for ref, letters in compass.items():
        assert by_ref[str(ref)]["azimuth"] == im.COMPASS[letters]
    domes = sum(1 for f in feats if f[3].get("camera_type") == "dome")
    assert sum(1 for c in res.cameras if c["hfov"] == 360.0) >= domes
    heights = [c["height_m"] for c in res.cameras if c["height_m"] != 4.0]
    assert len(heights) > 200 and all(0 <= h <= 300 for h in heights)
    tilts = [c["tilt"] for c in res.cameras if c["tilt"] is not None]
    assert len(tilts) >= 190 and all(-90 <= t <= 90 for t in tilts)
    # the default range was reported once per node (2,141 usable nodes, none has a range tag)
    assert sum(1 for m in res.report if m.field == "range_m" and m.level == "info") == 2141


def test_zurich_and_manhattan_osm(realdata, qgis_app):
    z = im.import_osm(im.osm_features_from_geojson(realdata / "zurich" / "zurich_city_osm_surveillance.geojson"))
    assert len(z.cameras) >= 220
    assert sum(1 for c in z.cameras if c["azimuth"] is not None and c["hfov"] < 360) >= 45
    from grid_governance_plugin.processing.alg_camera_import import osm_features_from_layer

    layer = QgsVectorLayer(str(realdata / "nyc_midtown" / "nyc_midtown_osm.gpkg") + "|layername=cameras", "c", "ogr")
    assert layer.isValid()
    nyc = im.import_osm(osm_features_from_layer(layer))
    assert len(nyc.cameras) == 120 and not nyc.unusable()
    # 21 nodes carry a bearing; none has a height, so all take the default and say so
    with_bearing = [c for c in nyc.cameras if c["azimuth"] is not None and c["hfov"] < 360]
    assert 19 <= len(with_bearing) <= 21
    assert sum(1 for m in nyc.report if m.field == "height_m" and m.level == "info") == 120
    assert all(-74.01 < c["lon"] < -73.97 and 40.74 < c["lat"] < 40.76 for c in nyc.cameras)


def _run_import(params):
    """gridgov:importcameras run (tests/helpers.run_alg): results, the camera layer, the report layer."""
    from grid_governance_plugin.processing.alg_camera_import import ImportCamerasAlgorithm

    results, layers, _feedback = run_alg(ImportCamerasAlgorithm, params)
    return results, layers["OUTPUT"], layers["REPORT"]


def test_importcameras_algorithm_csv(qgis_app, qgis_processing, tmp_path):
    path = tmp_path / "devices.csv"
    _write_csv(path, HEADER_ZH, ROWS_ZH)
    results, cams, report = _run_import(
        {
            "INPUT": str(path),
            "FORMAT": 0,
            "DEFAULT_SYSTEM": "天网",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "REPORT": "TEMPORARY_OUTPUT",
        }
    )
    assert results["CAMERA_COUNT"] == 4 and results["SKIPPED_COUNT"] == 3
    assert cams.crs().authid() == "EPSG:4490"
    names = cams.fields().names()
    for f in (
        "device_id",
        "name",
        "system",
        "status",
        "azimuth",
        "hfov",
        "range_m",
        "height_m",
        "tilt",
        "vfov",
        "hres_px",
        "grid_code",
        "installed_at",
    ):
        assert f in names
    feats = {f["source_ref"]: f for f in cams.getFeatures()}
    assert feats["2"]["azimuth"] == 90.0 and feats["2"].geometry().asPoint().x() == pytest.approx(114.05)
    assert feats["2"]["installed_at"].toString("yyyy-MM-dd") == "2021-05-01"
    levels = [f["level"] for f in report.getFeatures()]
    assert levels.count("error") == 3 and report.fields().names() == ["ref", "field", "level", "message"]


def test_importcameras_algorithm_osm_layer(qgis_app, qgis_processing, realdata):
    src = str(realdata / "zurich" / "zurich_city_osm_surveillance.geojson")
    results, cams, _report = _run_import(
        {
            "INPUT": src,
            "FORMAT": 3,
            "DEFAULT_HFOV": 80,
            "DEFAULT_STATUS": 0,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "REPORT": "TEMPORARY_OUTPUT",
        }
    )
    assert results["CAMERA_COUNT"] == cams.featureCount() >= 220
    hfovs = {f["hfov"] for f in cams.getFeatures()}
    assert 80.0 in hfovs and 360.0 in hfovs


def test_sample_device_list_in_tests_data():
    """The sample list shipped for demos (same rows as above) keeps parsing the same way."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "cameras" / "sample_devices_zh.csv"
    res = im.import_device_list(path)
    assert [c["source_ref"] for c in res.cameras] == [2, 3, 4, 8]
    assert sorted(m.ref for m in res.unusable()) == [5, 6, 7]
