"""Live city-wide coverage in the Camera coverage dock: the figures follow the camera map tool's drag
and edits of the camera layer, and agree with a full computation."""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QEvent

from grid_governance_plugin.core.coverage.camera import Camera
from grid_governance_plugin.core.coverage.coverage import compute_coverage
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.visibility import FovEngine
from grid_governance_plugin.gui.coverage_dock import CoverageDock
from grid_governance_plugin.gui.live_coverage import NEW_CAMERA
from tests.gui.test_camera_tool import _drag, _mouse
from tests.helpers import memory_layer

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 2_500_000.0
CAMERA_FIELDS = (
    "field=device_id:string&field=name:string&field=system:string&field=status:string"
    "&field=azimuth:double&field=hfov:double&field=range_m:double&field=height_m:double"
)
WEST = shapely.box(-60, -40, -25, 40)
EAST = shapely.box(25, -40, 60, 40)
BUILDING = shapely.box(30, -5, 40, 5)


def _layer(kind, geoms, fields="", attrs=None, name=""):
    return memory_layer(kind, geoms, CRS, fields, attrs, name, offset=(X0, Y0))


def _wait(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QgsApplication.processEvents()
        time.sleep(0.01)


@pytest.fixture
def live_dock(qgis_iface, qgis_canvas, qgis_new_project):
    buildings = _layer("Polygon", [BUILDING], name="buildings")
    target = _layer("Polygon", [shapely.union_all([WEST, EAST])], name="street_space")
    grids = _layer(
        "Polygon",
        [shapely.box(-100, -100, 0, 100), shapely.box(0, -100, 100, 100)],
        "field=grid_code:string",
        [["W01"], ["E01"]],
        name="grids",
    )
    cams = _layer(
        "Point",
        [shapely.Point(2, 0)],
        CAMERA_FIELDS,
        [["44030000001320000001", "gate", "天网", "online", 90.0, 90.0, 50.0, 5.0]],
        name="cameras",
    )
    QgsProject.instance().addMapLayers([buildings, target, grids, cams])
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem(CRS))
    qgis_canvas.setExtent(QgsRectangle(X0 - 100, Y0 - 80, X0 + 100, Y0 + 80))
    qgis_canvas.setLayers([cams, buildings, target, grids])
    dock = CoverageDock(qgis_iface)
    dock.cameras.setLayer(cams)
    dock.obstacles.setLayer(buildings)
    dock.target.setLayer(target)
    dock.grids.setLayer(grids)
    dock.tool_action.setChecked(True)
    _wait(lambda: dock.live.ready)
    yield dock, cams, buildings
    dock.tool_action.setChecked(False)
    if cams.isEditable():
        cams.rollBack()
    dock.deleteLater()


def _full(cams: list[Camera]):
    """What a full gridgov-style computation gives for these cameras (metric coordinates around 0, 0)."""
    obstacles = Obstacles.build(np.array([BUILDING], dtype=object))
    fovs, _ = FovEngine(obstacles).fovs(cams)
    grids = np.array([shapely.box(-100, -100, 0, 100), shapely.box(0, -100, 100, 100)], dtype=object)
    return compute_coverage(fovs, np.array([shapely.union_all([WEST, EAST])], dtype=object), obstacles, grids)


def _ratio_of(result, gid):
    return next(s.ratio for s in result.grid_stats if s.grid == gid)


def test_figures_follow_the_drag_and_agree_with_a_full_run(live_dock, qgis_canvas):
    dock, cams, _ = live_dock
    assert not dock.live_label.isHidden() and "Live coverage" in dock.live_label.text()
    start = dock.live.live.ratio
    # the camera looks east at the east square: the full computation agrees with the live state
    full = _full([Camera(X0 + 2 - X0, 0, azimuth=90, hfov=90, range_m=50, height_m=5)])
    assert start == pytest.approx(full.covered_m2 / full.target_m2, rel=1e-6)
    assert start > 0.05
    tool = dock.tool
    # press on the camera and turn it to the west, watching the dock while the mouse moves
    texts, ratios = [dock.live_label.text()], [start]
    tool.canvasPressEvent(_mouse(qgis_canvas, QEvent.MouseButtonPress, (X0 + 2, Y0), CRS))
    for x, y in ((X0 + 2, Y0 + 20), (X0 - 20, Y0 + 15), (X0 - 40, Y0)):
        tool.canvasMoveEvent(_mouse(qgis_canvas, QEvent.MouseMove, (x, y), CRS))
        _wait(lambda: dock.live._pending is None)  # the coalesced update ran
        texts.append(dock.live_label.text())
        ratios.append(dock.live.live.ratio)
    assert len(set(texts)) >= 3, texts  # the figures changed while dragging, before any commit
    assert "E01" in texts[-1]  # the camera stands in the east grid: its ratio is shown
    # looking west the east grid is no longer seen; the city ratio is the west square's share
    city, grid, grid_ratio = dock.live.figures()
    assert grid == "E01" and grid_ratio == pytest.approx(0.0, abs=1e-9)
    west = _full([Camera(2, 0, azimuth=270, hfov=90, range_m=50, height_m=5)])
    assert city == pytest.approx(west.covered_m2 / west.target_m2, rel=1e-3)  # azimuth from a pixel: ~0.1 deg
    tool.canvasReleaseEvent(_mouse(qgis_canvas, QEvent.MouseButtonRelease, (X0 - 40, Y0), CRS))
    _wait(lambda: dock.live._pending is None)
    # the committed azimuth gives the same figures as the drag's last state
    feat = next(cams.getFeatures())
    assert feat["azimuth"] == pytest.approx(270.0, abs=0.5)
    assert dock.live.live.ratio == pytest.approx(city, rel=1e-9)


def test_offline_and_new_cameras(live_dock, qgis_canvas):
    dock, cams, _ = live_dock
    fid = next(cams.getFeatures()).id()
    start = dock.live.live.ratio
    cams.startEditing()
    cams.changeAttributeValue(fid, cams.fields().lookupField("status"), "offline")
    assert dock.live.live.ratio == pytest.approx(0.0, abs=1e-12)  # the only camera went offline
    assert "0.0%" in dock.live_label.text()
    cams.changeAttributeValue(fid, cams.fields().lookupField("status"), "online")
    assert dock.live.live.ratio == pytest.approx(start, rel=1e-12)
    # place a new camera in the west square by press-drag: counted while dragging, then under its id
    # far enough from the existing camera that the press does not pick it, whatever the canvas scale
    assert 8 * qgis_canvas.mapUnitsPerPixel() < 60
    _drag(dock.tool, qgis_canvas, CRS, (X0 - 55, Y0 - 35), [(X0 - 50, Y0 - 20), (X0 - 40, Y0), (X0 - 30, Y0 + 20)])
    _drag_end = dock.live.live.ratio
    _wait(lambda: dock.live._pending is None)
    assert NEW_CAMERA not in dock.live.live.cameras, dict(dock.live.live.cameras)
    assert cams.featureCount() == 2 and dock.live.live.ratio > start
    assert _drag_end >= start
    # a commit renumbers the new feature: the live state follows without changing the figures
    before = dock.live.live.ratio
    assert cams.commitChanges()
    assert sorted(dock.live.live.cameras) == sorted(f.id() for f in cams.getFeatures() if f["status"] == "online")
    assert dock.live.live.ratio == pytest.approx(before, rel=1e-12)


def test_live_coverage_needs_a_target(qgis_iface, qgis_new_project):
    dock = CoverageDock(qgis_iface)
    cams = QgsVectorLayer(f"Point?crs={CRS}&{CAMERA_FIELDS}", "cameras", "memory")
    QgsProject.instance().addMapLayer(cams)
    dock.cameras.setLayer(cams)
    dock.target.setLayer(None)
    assert not dock.start_live()
    assert "area to watch" in dock.live_label.text()
