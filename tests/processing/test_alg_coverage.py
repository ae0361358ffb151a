"""gridgov:camerafov / coverage / suggestcameras through Processing, in projected and geographic CRSs.

The acceptance test: the COVERAGE output agrees with the brute-force rules at >= 99.5 % of
random points away from boundaries, with the layers in EPSG:4547 (CGCS2000 Gauss-Kruger)
and in EPSG:4490 (CGCS2000 geographic).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProject,
    QgsVectorLayer,
)
from shapely.ops import polylabel

from grid_governance_plugin.core.coverage.brute import seen_count
from grid_governance_plugin.core.coverage.scene import random_scene
from grid_governance_plugin.core.store.qgsio import to_qgs
from grid_governance_plugin.processing.alg_coverage import (
    ALGORITHMS,
    CameraFovAlgorithm,
    CoverageAlgorithm,
    SuggestCamerasAlgorithm,
)
from tests.helpers import RecordingFeedback, memory_layer
from tests.helpers import run_alg as _run

METRIC = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E: what metric_crs_for picks at 114E
X0, Y0 = 500_000.0, 2_500_000.0  # near Shenzhen
CAM_FIELDS = (
    "device_id:string&field=status:string&field=azimuth:double&field=hfov:double&field=range_m:double"
    "&field=height_m:double&field=tilt:double&field=vfov:double&field=hres_px:integer"
)


def _layer(kind: str, crs: str, geoms, attrs=None, fields: str = "") -> QgsVectorLayer:
    return memory_layer(kind, geoms, crs, fields, attrs, source_crs=METRIC)


def _camera_layer(cams, crs: str, extra_rows=()):
    rows = [
        [f"4403000000132{i:07d}", c.status, c.azimuth, c.hfov, c.range_m, c.height_m, c.tilt, c.vfov, c.hres_px]
        for i, c in enumerate(cams)
    ]
    pts = [shapely.Point(c.x, c.y) for c in cams]
    for geom, row in extra_rows:
        pts.append(geom)
        rows.append(row)
    return _layer("Point", crs, pts, rows, CAM_FIELDS)


def _geoms_metric(layer) -> list:
    tr = None
    if layer.crs().authid() != METRIC:
        tr = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem(METRIC), QgsProject.instance())
    out = []
    for f in layer.getFeatures():
        g = QgsGeometry(f.geometry())
        if g.isNull():
            out.append(None)
            continue
        if tr is not None:
            g.transform(tr)
        out.append(shapely.from_wkb(bytes(g.asWkb())))
    return out


@pytest.fixture(scope="module")
def scene():
    s = random_scene(21, size=400, n_buildings=70, n_cameras=30, x0=X0, y0=Y0)
    for i, c in enumerate(s.cameras):
        c.status = "offline" if i % 10 == 9 else "online"
    return s


def test_algorithms_are_exported():
    assert [a().create().name() for a in ALGORITHMS] == ["camerafov", "coverage", "suggestcameras"]
    for a in ALGORITHMS:
        alg = a().create()
        assert alg.groupId() == "coverage" and alg.shortHelpString()


@pytest.mark.parametrize("crs", [METRIC, "EPSG:4490"])
def test_coverage_matches_brute_force(qgis_app, qgis_processing, scene, crs):
    bad_camera = (shapely.Point(X0 + 5, Y0 + 5), ["x", "online", 500.0, 90.0, 50.0, 6.0, None, None, None])
    cams = _camera_layer(scene.cameras, crs, [bad_camera])
    obstacles = _layer("Polygon", crs, scene.buildings)
    target = _layer("Polygon", crs, [scene.target])
    grids = _layer("Polygon", crs, scene.grids, [[f"G{i}"] for i in range(len(scene.grids))], "grid_code:string")
    results, layers, fb = _run(
        CoverageAlgorithm,
        {
            "CAMERAS": cams,
            "OBSTACLES": obstacles,
            "TARGET": target,
            "GRIDS": grids,
            "COVERAGE": "TEMPORARY_OUTPUT",
            "BLIND_SPOTS": "TEMPORARY_OUTPUT",
            "GRID_STATS": "TEMPORARY_OUTPUT",
        },
    )
    assert "Working in EPSG:4547." in fb.infos
    # the bad camera (azimuth 500) is reported by its id; the run goes on
    assert any("azimuth 500" in e and "x" in e for e in fb.errors)
    assert layers["COVERAGE"].crs().authid() == crs and layers["BLIND_SPOTS"].crs().authid() == crs
    cov = shapely.union_all([g for g in _geoms_metric(layers["COVERAGE"]) if g is not None])
    online = [c for c in scene.cameras if c.status == "online"]
    rng = np.random.default_rng(3)
    px, py = rng.uniform(X0, X0 + 400, 3000), rng.uniform(Y0, Y0 + 400, 3000)
    truth = (seen_count(online, px, py, scene.buildings) > 0) & shapely.contains_xy(scene.target, px, py)
    pts = shapely.points(px, py)
    away = (shapely.distance(shapely.boundary(cov), pts) > 0.5) & (shapely.distance(scene.target.boundary, pts) > 0.5)
    agree = (shapely.contains_xy(cov, px, py) == truth)[away].mean()
    assert away.sum() > 2500
    assert agree >= 0.995, agree
    # blind spots and per-grid stats
    blind_feats = list(layers["BLIND_SPOTS"].getFeatures())
    assert blind_feats and all(f["grid"] in {"G0", "G1", "G2", "G3"} for f in blind_feats)
    areas = [f["area_m2"] for f in blind_feats]
    assert areas == sorted(areas, reverse=True)
    stats = {f["grid"]: f for f in layers["GRID_STATS"].getFeatures()}
    assert set(stats) == {"G0", "G1", "G2", "G3"}
    assert sum(f["covered_m2"] for f in stats.values()) == pytest.approx(results["COVERED_M2"])
    assert results["COVERED_M2"] == pytest.approx(cov.area, rel=1e-3)
    for f in stats.values():
        assert f["ratio"] == pytest.approx(f["covered_m2"] / f["target_m2"])
        assert 0 <= f["multi_m2"] <= f["covered_m2"] + 1e-6
    assert results["BLIND_COUNT"] == len(blind_feats) == sum(f["blind_count"] for f in stats.values())


def test_planned_coverage_counts_offline_cameras(qgis_app, qgis_processing, scene):
    cams = _camera_layer(scene.cameras, METRIC)
    target = _layer("Polygon", METRIC, [scene.target])
    common = {
        "CAMERAS": cams,
        "TARGET": target,
        "COVERAGE": "TEMPORARY_OUTPUT",
        "BLIND_SPOTS": "TEMPORARY_OUTPUT",
        "GRID_STATS": "TEMPORARY_OUTPUT",
    }
    now, _, _ = _run(CoverageAlgorithm, common)
    planned, _, _ = _run(CoverageAlgorithm, {**common, "PLANNED": True})
    assert planned["COVERED_M2"] > now["COVERED_M2"]
    assert now["COVERED_M2"] > 0


@pytest.mark.parametrize("crs", [METRIC, "EPSG:4326"])
def test_camerafov_one_polygon_per_camera(qgis_app, qgis_processing, scene, crs):
    cams = scene.cameras[:8]
    for c in cams:
        c.hres_px = 1920
    union = shapely.union_all(scene.buildings)
    biggest = max(shapely.get_parts(union), key=lambda p: p.area)
    inside = polylabel(biggest, 0.1)
    assert biggest.exterior.distance(inside) > 2
    layer = _camera_layer(cams, crs, [(inside, ["deep", "online", 0.0, 360.0, 30.0, 5.0, None, None, None])])
    obstacles = _layer("Polygon", crs, scene.buildings)
    _, layers, fb = _run(CameraFovAlgorithm, {"INPUT": layer, "OBSTACLES": obstacles, "OUTPUT": "TEMPORARY_OUTPUT"})
    out = layers["OUTPUT"]
    assert out.featureCount() == 9 and out.crs().authid() == crs
    names = out.fields().names()
    assert {"device_id", "status", "azimuth", "camera_fid", "fov_m2", "near_m", "far_m"} <= set(names)
    geoms = _geoms_metric(out)
    feats = list(out.getFeatures())
    by_id = {f["device_id"]: (f, g) for f, g in zip(feats, geoms)}
    # the camera inside a building: no geometry, reported by name
    f, g = by_id["deep"]
    assert g is None and f["fov_m2"] == 0
    assert any("deep" in w and "inside" in w for w in fb.warnings)
    from grid_governance_plugin.core.coverage.obstacles import Obstacles
    from grid_governance_plugin.core.coverage.visibility import FovEngine

    ref, _ = FovEngine(Obstacles.build(scene.buildings)).fovs(cams)
    assert sum(not r.is_empty for r in ref) >= 6
    for i in range(len(cams)):
        f, g = by_id[f"4403000000132{i:07d}"]
        if ref[i].is_empty:
            assert g is None and f["fov_m2"] == 0
            continue
        assert g.symmetric_difference(ref[i]).area < 1e-3 * max(ref[i].area, 1.0)
        assert f["fov_m2"] == pytest.approx(ref[i].area)
    # DORI bands: several features per camera that add up to its view
    _, layers, _ = _run(
        CameraFovAlgorithm, {"INPUT": layer, "OBSTACLES": obstacles, "DORI_BANDS": True, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    bands = list(layers["OUTPUT"].getFeatures())
    assert {f["dori"] for f in bands} >= {"identify", "recognise", "observe", "detect"}
    first = [f for f in bands if f["device_id"] == "44030000001320000000"]
    assert sum(f["fov_m2"] for f in first) == pytest.approx(ref[0].area, rel=1e-3)


def test_suggestcameras(qgis_app, qgis_processing):
    """The greedy choice alone (what a city-sized run gets, past EXACT_MAX_OPTIONS) reaches 90 % of
    the proven optimum; with the solver the suggestion is the optimum; and the suggested cameras
    really see the ground they claim, counted point by point with the brute-force rules."""
    from grid_governance_plugin.core.coverage.camera import Camera

    blocks = [
        shapely.box(X0 + x, Y0 + y, X0 + x + 40, Y0 + y + 40) for x in range(0, 160, 55) for y in range(0, 160, 55)
    ]
    target = shapely.box(X0 - 10, Y0 - 10, X0 + 160, Y0 + 160).difference(shapely.union_all(blocks))
    xs, ys = np.meshgrid(np.arange(X0 - 9.5, X0 + 160, 1.0), np.arange(Y0 - 9.5, Y0 + 160, 1.0))
    inside = shapely.contains_xy(target, xs.ravel(), ys.ravel())
    px, py = xs.ravel()[inside], ys.ravel()[inside]  # one point per m2 of target
    for crs in (METRIC, "EPSG:4490"):
        params = {
            "TARGET": _layer("Polygon", crs, [target]),
            "OBSTACLES": _layer("Polygon", crs, blocks),
            "COUNT": 3,
            "DEFAULT_HFOV": 90.0,
            "DEFAULT_RANGE": 40.0,
            "SITE_SPACING": 30.0,
            "AZIMUTHS": 3,
            "SAMPLE_SPACING": 4.0,
            "EXACT_MAX_OPTIONS": 2000,
            "OUTPUT": "TEMPORARY_OUTPUT",
        }
        greedy, greedy_layers, _ = _run(SuggestCamerasAlgorithm, {**params, "EXACT_MAX_OPTIONS": 0})
        assert greedy["OPTIMUM_M2"] == -1.0 and greedy_layers["OUTPUT"].featureCount() == 3
        assert {f["method"] for f in greedy_layers["OUTPUT"].getFeatures()} == {"greedy"}
        results, layers, fb = _run(SuggestCamerasAlgorithm, params)
        out = layers["OUTPUT"]
        assert out.featureCount() == 3 and out.crs().authid() == crs
        feats = list(out.getFeatures())
        assert [f["rank"] for f in feats] == [1, 2, 3]
        assert all(f["gain_m2"] > 0 and 0 <= f["azimuth"] < 360 and f["status"] == "planned" for f in feats)
        assert any("optimum" in i for i in fb.infos)
        assert results["OPTIMUM_M2"] > 0
        assert greedy["GAIN_M2"] >= 0.9 * results["OPTIMUM_M2"], (greedy["GAIN_M2"], results["OPTIMUM_M2"])
        assert results["GAIN_M2"] == pytest.approx(results["OPTIMUM_M2"], rel=1e-9)
        assert results["RATIO_TO_OPTIMUM"] == pytest.approx(1.0)
        cams = [
            Camera(g.x, g.y, f["azimuth"], f["hfov"], f["range_m"], f["height_m"], status="planned")
            for f, g in zip(feats, _geoms_metric(out))
        ]
        seen = (seen_count(cams, px, py, blocks) > 0).sum()  # m2
        claimed = sum(f["gain_m2"] for f in feats)  # counted on the algorithm's 4 m sample cells
        assert seen == pytest.approx(claimed, rel=0.15), (seen, claimed)


def test_bad_crs_is_a_clear_error(qgis_app, qgis_processing):
    from qgis.core import QgsProcessingException

    layer = QgsVectorLayer("Polygon?crs=EPSG:2263", "feet", "memory")  # NY State Plane, US feet
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((0 0,1 0,1 1,0 0))"))
    layer.dataProvider().addFeatures([f])
    cams = QgsVectorLayer("Point?crs=EPSG:4547", "c", "memory")
    alg = CoverageAlgorithm().create()
    context = QgsProcessingContext()
    with pytest.raises(QgsProcessingException, match="not in metres"):
        alg.processAlgorithm(
            {
                "CAMERAS": cams,
                "TARGET": layer,
                "COVERAGE": "TEMPORARY_OUTPUT",
                "BLIND_SPOTS": "TEMPORARY_OUTPUT",
                "GRID_STATS": "TEMPORARY_OUTPUT",
            },
            context,
            RecordingFeedback(),
        )


def test_manhattan_osm(qgis_app, qgis_processing, realdata):
    gpkg = realdata / "nyc_midtown" / "nyc_midtown_osm.gpkg"
    buildings = QgsVectorLayer(f"{gpkg}|layername=buildings", "b", "ogr")
    cameras = QgsVectorLayer(f"{gpkg}|layername=cameras", "c", "ogr")
    assert buildings.isValid() and cameras.isValid()
    # street space of a 600 m x 600 m window around the cameras: the window minus the buildings
    ext = cameras.extent()
    cx, cy = ext.center().x(), ext.center().y()
    window = shapely.box(cx - 0.0036, cy - 0.0027, cx + 0.0036, cy + 0.0027)
    target = QgsVectorLayer("Polygon?crs=EPSG:4326", "t", "memory")
    f = QgsFeature()
    f.setGeometry(to_qgs(window))
    target.dataProvider().addFeatures([f])
    results, layers, fb = _run(
        CoverageAlgorithm,
        {
            "CAMERAS": cameras,
            "OBSTACLES": buildings,
            "TARGET": target,
            "ID_FIELD": "osm_id",
            "COVERAGE": "TEMPORARY_OUTPUT",
            "BLIND_SPOTS": "TEMPORARY_OUTPUT",
            "GRID_STATS": "TEMPORARY_OUTPUT",
        },
    )
    assert "Working in EPSG:32618." in fb.infos
    # the 14 invalid OSM footprints are named: repaired, or dropped where nothing of them is left
    assert sum("invalid geometry" in w or "was dropped" in w for w in fb.warnings) == 14
    assert any("empty, using" in i or "no field" in i for i in fb.infos)  # defaults were reported
    assert 0 < results["RATIO"] < 1
    assert results["BLIND_COUNT"] > 0
    _, layers, fb = _run(
        CameraFovAlgorithm,
        {"INPUT": cameras, "OBSTACLES": buildings, "ID_FIELD": "osm_id", "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    out = layers["OUTPUT"]
    assert out.featureCount() == cameras.featureCount()
    assert all(g is None or g.is_valid for g in _geoms_metric(out))


def test_unreadable_footprints_are_reported_as_dropped(qgis_app, qgis_processing, realdata):
    """Two Manhattan footprints (fid 6161, 7293) are rings of two identical points: nothing to rebuild.

    They must be named as dropped (a missing wall lets cameras see through), never as repaired."""
    gpkg = realdata / "nyc_midtown" / "nyc_midtown_osm.gpkg"
    buildings = QgsVectorLayer(f"{gpkg}|layername=buildings", "b", "ogr")
    cameras = QgsVectorLayer(f"{gpkg}|layername=cameras", "c", "ogr")
    assert buildings.isValid() and cameras.isValid()
    assert all(buildings.getFeature(fid).hasGeometry() for fid in (6161, 7293))
    _, _, fb = _run(CameraFovAlgorithm, {"INPUT": cameras, "OBSTACLES": buildings, "OUTPUT": "TEMPORARY_OUTPUT"})
    unreadable = [w for w in fb.warnings if "cannot be read" in w and "dropped" in w and "see through" in w]
    assert sorted(w.split()[2] for w in unreadable) == ["6161", "7293"], fb.warnings
    assert not any(("feature 6161 " in w or "feature 7293 " in w) and "repaired" in w for w in fb.warnings)
    # footprints that collapse to lines when repaired are dropped too, and say so, not "repaired"
    collapsed = [w for w in fb.warnings if "encloses no area" in w]
    repaired = [w for w in fb.warnings if "was repaired" in w]
    assert len(collapsed) == 6 and len(repaired) == 6, fb.warnings
    assert not {w.split()[2] for w in collapsed} & {w.split()[2] for w in repaired}
    # the rest of the work went on: every camera has its (possibly empty) view
    assert any("7998 obstacles" in i for i in fb.infos)


def test_empty_inputs(qgis_app, qgis_processing, scene):
    from qgis.core import QgsProcessingException

    empty_cams = QgsVectorLayer(f"Point?crs={METRIC}&field={CAM_FIELDS}", "c", "memory")
    target = _layer("Polygon", METRIC, [scene.target])
    results, layers, fb = _run(
        CoverageAlgorithm,
        {
            "CAMERAS": empty_cams,
            "TARGET": target,
            "COVERAGE": "TEMPORARY_OUTPUT",
            "BLIND_SPOTS": "TEMPORARY_OUTPUT",
            "GRID_STATS": "TEMPORARY_OUTPUT",
        },
    )
    assert results["COVERED_M2"] == 0 and results["RATIO"] == 0
    assert results["TARGET_M2"] == pytest.approx(scene.target.area)
    assert any("whole target is blind" in w for w in fb.warnings)
    empty_target = QgsVectorLayer(f"Polygon?crs={METRIC}", "t", "memory")
    alg = CoverageAlgorithm().create()
    with pytest.raises(QgsProcessingException, match="no polygons"):
        alg.processAlgorithm(
            {
                "CAMERAS": _camera_layer(scene.cameras, METRIC),
                "TARGET": empty_target,
                "COVERAGE": "TEMPORARY_OUTPUT",
                "BLIND_SPOTS": "TEMPORARY_OUTPUT",
                "GRID_STATS": "TEMPORARY_OUTPUT",
            },
            QgsProcessingContext(),
            RecordingFeedback(),
        )


def test_through_processing_run(qgis_app, qgis_processing, scene):
    """processing.run('gridgov:coverage') with the plugin's provider (registered here when the test runs alone)."""
    import processing

    registry = QgsApplication.processingRegistry()
    added = None
    if registry.algorithmById("gridgov:coverage") is None:
        from grid_governance_plugin.processing.provider import GridGovProvider

        added = GridGovProvider()
        assert registry.addProvider(added)
    try:
        assert registry.algorithmById("gridgov:coverage") is not None
        out = processing.run(
            "gridgov:coverage",
            {
                "CAMERAS": _camera_layer(scene.cameras, "EPSG:4490"),
                "OBSTACLES": _layer("Polygon", "EPSG:4490", scene.buildings),
                "TARGET": _layer("Polygon", "EPSG:4490", [scene.target]),
                "COVERAGE": "TEMPORARY_OUTPUT",
                "BLIND_SPOTS": "TEMPORARY_OUTPUT",
                "GRID_STATS": "TEMPORARY_OUTPUT",
            },
        )
        assert 0 < out["RATIO"] < 1 and out["BLIND_COUNT"] > 0
        assert out["COVERAGE"].crs().authid() == "EPSG:4490"
        for alg_id in ("gridgov:camerafov", "gridgov:suggestcameras"):
            assert registry.algorithmById(alg_id) is not None
    finally:
        if added is not None:
            registry.removeProvider(added)


def test_cancel_writes_nothing(qgis_app, qgis_processing, scene):
    fb = RecordingFeedback()
    fb.cancel()
    alg = CoverageAlgorithm().create()
    context = QgsProcessingContext()
    out = alg.processAlgorithm(
        {
            "CAMERAS": _camera_layer(scene.cameras, METRIC),
            "TARGET": _layer("Polygon", METRIC, [scene.target]),
            "COVERAGE": "TEMPORARY_OUTPUT",
            "BLIND_SPOTS": "TEMPORARY_OUTPUT",
            "GRID_STATS": "TEMPORARY_OUTPUT",
        },
        context,
        fb,
    )
    assert out == {}
    assert not context.temporaryLayerStore().mapLayers()


def test_dori_level_limits_coverage(qgis_app, qgis_processing):
    from grid_governance_plugin.core.coverage.camera import Camera

    cams = [
        Camera(X0 + 50, Y0 + 50, azimuth=90, hfov=90, range_m=60, hres_px=1920),
        Camera(X0 + 150, Y0 + 50, azimuth=90, hfov=90, range_m=60),  # no resolution: not limited
    ]
    target = _layer("Polygon", METRIC, [shapely.box(X0, Y0, X0 + 300, Y0 + 100)])
    common = {
        "CAMERAS": _camera_layer(cams, METRIC),
        "TARGET": target,
        "COVERAGE": "TEMPORARY_OUTPUT",
        "BLIND_SPOTS": "TEMPORARY_OUTPUT",
        "GRID_STATS": "TEMPORARY_OUTPUT",
    }
    full, _, _ = _run(CoverageAlgorithm, common)
    quarter = np.pi * 60**2 / 4
    assert full["COVERED_M2"] == pytest.approx(2 * quarter, rel=2e-3)
    recog, _, fb = _run(CoverageAlgorithm, {**common, "DORI_LEVEL": 3})  # Recognise, 125 px/m: 7.68 m
    assert recog["COVERED_M2"] == pytest.approx(quarter + np.pi * 7.68**2 / 4, rel=2e-3)
    assert any("1 cameras have no horizontal resolution" in w for w in fb.warnings)
