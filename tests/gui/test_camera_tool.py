"""The camera map tool on a real QgsMapCanvas, driven with QgsMapMouseEvent / QWheelEvent.

A building stands 10-20 m east of the camera; the live view must leave its shadow out. The
scene is built in metres (EPSG:4547, CGCS2000 Gauss-Kruger 114E) and stored either there or in
EPSG:4490 (geographic, the store's CRS) with the canvas in EPSG:3857, so bearings have to be
computed in a metric CRS to come out right.
"""

from __future__ import annotations

import math

import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QWheelEvent

from grid_governance_plugin.core import settings
from grid_governance_plugin.gui.camera_tool import CameraMapTool
from tests.helpers import map_event

METRIC = "EPSG:4547"
X0, Y0 = 500_000.0, 2_500_000.0  # on the zone's central meridian, near Shenzhen
CAMERA_FIELDS = (
    "field=device_id:string&field=name:string&field=system:string&field=status:string"
    "&field=azimuth:double&field=hfov:double&field=range_m:double&field=height_m:double"
    "&field=tilt:double&field=vfov:double&field=hres_px:integer&field=grid_code:string"
)
BUILDING = shapely.box(X0 + 10, Y0 - 5, X0 + 20, Y0 + 5)  # east of the camera
BEHIND = shapely.box(X0 - 20, Y0 - 5, X0 - 10, Y0 + 5)  # west: behind an east-looking camera


def _xf(src: str, dst: str) -> QgsCoordinateTransform:
    return QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(src), QgsCoordinateReferenceSystem(dst), QgsProject.instance()
    )


def _geom(g, crs: str) -> QgsGeometry:
    qg = QgsGeometry.fromWkt(g.wkt)
    if crs != METRIC:
        qg.transform(_xf(METRIC, crs))
    return qg


@pytest.fixture(params=[(METRIC, METRIC), ("EPSG:4490", "EPSG:3857")], ids=["projected", "geographic"])
def scene(request, map_canvas):
    layer_crs, canvas_crs = request.param
    cams = QgsVectorLayer(f"Point?crs={layer_crs}&{CAMERA_FIELDS}", "cameras", "memory")
    blds = QgsVectorLayer(f"Polygon?crs={layer_crs}", "buildings", "memory")
    for g in (BUILDING, BEHIND):
        f = QgsFeature(blds.fields())
        f.setGeometry(_geom(g, layer_crs))
        blds.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayers([cams, blds])
    map_canvas.setDestinationCrs(QgsCoordinateReferenceSystem(canvas_crs))
    box = QgsGeometry.fromRect(QgsRectangle(X0 - 80, Y0 - 60, X0 + 80, Y0 + 60))
    if canvas_crs != METRIC:
        box.transform(_xf(METRIC, canvas_crs))
    map_canvas.setExtent(box.boundingBox())
    map_canvas.setLayers([cams, blds])
    for key, value in (
        ("default_hfov", 90.0),
        ("range_m", 50.0),
        ("height_m", 6.0),
        ("status", "planned"),
        ("system", "雪亮"),
        ("default_azimuth", 0.0),
    ):
        settings.set_value(f"camera/{key}", value)
    tool = CameraMapTool(map_canvas, cams, blds)
    map_canvas.setMapTool(tool)
    yield tool, cams, canvas_crs
    map_canvas.unsetMapTool(tool)
    tool.band.reset(QgsWkbTypes.PolygonGeometry)
    if cams.isEditable():
        cams.rollBack()
    QgsSettings().remove(f"{settings.PREFIX}/camera")  # leave no defaults behind for other tests


def _map_point(x: float, y: float, canvas_crs: str) -> QgsPointXY:
    p = QgsPointXY(x, y)
    return _xf(METRIC, canvas_crs).transform(p) if canvas_crs != METRIC else p


def _pixel(canvas, x: float, y: float, canvas_crs: str) -> QPoint:
    px = canvas.getCoordinateTransform().transform(_map_point(x, y, canvas_crs))
    return QPoint(round(px.x()), round(px.y()))


def _mouse(canvas, kind, xy, crs, modifiers=Qt.NoModifier):
    """Digitised in map units (tests/helpers.map_event): the tool gets exactly ``xy``."""
    held = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
    return map_event(canvas, kind, _map_point(*xy, crs), buttons=held, modifiers=modifiers)


def _drag(tool, canvas, crs, start, path, modifiers=Qt.NoModifier):
    tool.canvasPressEvent(_mouse(canvas, QEvent.MouseButtonPress, start, crs, modifiers))
    for pt in path:
        tool.canvasMoveEvent(_mouse(canvas, QEvent.MouseMove, pt, crs, modifiers))
    tool.canvasReleaseEvent(_mouse(canvas, QEvent.MouseButtonRelease, path[-1], crs, modifiers))


def _azimuth_off(value: float, expected: float) -> float:
    """Degrees between two azimuths, across north (359.8 is 0.2 from 0)."""
    return abs((value - expected + 180.0) % 360.0 - 180.0)


def _band_metric(tool, canvas_crs):
    g = QgsGeometry(tool.band.asGeometry())
    if canvas_crs != METRIC:
        g.transform(_xf(canvas_crs, METRIC))
    return shapely.from_wkb(bytes(g.asWkb()))


def _sees(geom, dx, dy) -> bool:
    return bool(shapely.contains_xy(geom, X0 + dx, Y0 + dy))


def test_obstacles_are_prepared_once_on_activation(scene):
    tool, _cams, _crs = scene
    assert tool.live is not None and len(tool.live.obstacles) == 2
    assert tool.metric.authid() == METRIC


def test_place_camera_by_drag_live_view_and_undo(scene, map_canvas):
    tool, cams, crs = scene
    # press at the camera's spot, drag over the north-east to due east, release
    _drag(tool, map_canvas, crs, (X0, Y0), [(X0 + 10, Y0 + 10), (X0 + 30, Y0 + 5), (X0 + 40, Y0)])
    assert cams.isEditable() and cams.featureCount() == 1
    feat = next(cams.getFeatures())
    assert feat["azimuth"] == pytest.approx(90.0, abs=0.01)
    assert (feat["hfov"], feat["range_m"], feat["height_m"], feat["status"], feat["system"]) == (
        90.0,
        50.0,
        6.0,
        "planned",
        "雪亮",
    )
    at = feat.geometry().asPoint()
    if crs != METRIC:
        at = _xf("EPSG:4490", METRIC).transform(at)
    assert at.distance(QgsPointXY(X0, Y0)) < 0.01  # digitised in map units: where it was pressed
    assert tool.redraws >= 4  # press, two moves after the drag threshold, release
    view = _band_metric(tool, crs)
    assert _sees(view, 8, 0) and _sees(view, 30, 20) and _sees(view, 38, -25)
    assert not _sees(view, 15, 0) and not _sees(view, 30, 0) and not _sees(view, 45, 2)  # building and its shadow
    assert not _sees(view, -15, 0) and not _sees(view, 0, 30)  # behind the camera / outside the wedge
    # exactly the occluded wedge: the shadow takes 2 atan(5/10) of the 90 degrees; in front of the
    # building the triangle (0,0)-(10,5)-(10,-5) is still seen
    shadow = 2 * math.degrees(math.atan(0.5))
    expected = math.pi * 50**2 * (90 - shadow) / 360 + 50
    assert view.area == pytest.approx(expected, rel=0.01)
    # one undo step removes the camera again
    cams.undoStack().undo()
    assert cams.featureCount() == 0


def test_turn_widen_and_wheel_existing_camera(scene, map_canvas):
    tool, cams, crs = scene
    _drag(tool, map_canvas, crs, (X0, Y0), [(X0 + 20, Y0 + 2), (X0 + 40, Y0)])
    fid = next(cams.getFeatures()).id()
    # press on the camera (a pixel, 0.2 m, off) and drag north: turns it, adds no camera
    _drag(tool, map_canvas, crs, (X0 + 0.2, Y0 - 0.2), [(X0 + 5, Y0 + 20), (X0, Y0 + 40)])
    assert cams.featureCount() == 1 and tool.active_fid == fid
    assert _azimuth_off(cams.getFeature(fid)["azimuth"], 0.0) < 0.01
    view = _band_metric(tool, crs)
    assert _sees(view, 0, 30) and not _sees(view, 30, 0)
    # shift + drag widens: cursor 60 degrees off the azimuth -> hfov 120
    _drag(tool, map_canvas, crs, (X0, Y0), [(X0 + 346.41, Y0 + 200)], Qt.ShiftModifier)
    assert cams.getFeature(fid)["hfov"] == pytest.approx(120.0, abs=0.01)
    assert _azimuth_off(cams.getFeature(fid)["azimuth"], 0.0) < 0.01
    # the wheel narrows the active camera by 5 degrees and is consumed (no zoom)
    extent = map_canvas.extent()
    pos = QPointF(_pixel(map_canvas, X0, Y0, crs))
    wheel = QWheelEvent(pos, pos, QPoint(), QPoint(0, -120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    tool.wheelEvent(wheel)
    assert wheel.isAccepted()
    assert cams.getFeature(fid)["hfov"] == pytest.approx(115.0, abs=0.01)
    assert map_canvas.extent() == extent
    # undo walks back: wheel, widen, turn
    stack = cams.undoStack()
    stack.undo()
    assert cams.getFeature(fid)["hfov"] == pytest.approx(120.0, abs=0.01)
    stack.undo()
    stack.undo()
    assert cams.getFeature(fid)["azimuth"] == pytest.approx(90.0, abs=0.01)
    # Esc releases the camera: the wheel is left to the canvas
    tool.release_camera()
    wheel = QWheelEvent(pos, pos, QPoint(), QPoint(0, 120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    wheel.accept()
    tool.wheelEvent(wheel)
    assert not wheel.isAccepted()


def test_click_without_drag_places_a_default_camera(scene, map_canvas):
    tool, cams, crs = scene
    _drag(tool, map_canvas, crs, (X0 - 40, Y0 + 30), [(X0 - 40, Y0 + 30)])
    feat = next(cams.getFeatures())
    assert feat["azimuth"] == 0.0 and feat["hfov"] == 90.0
    view = _band_metric(tool, crs)
    assert _sees(view, -40, 60) and not _sees(view, -40, 20)
