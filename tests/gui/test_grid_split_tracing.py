"""The split tool on a real QgsMapCanvas, tracing along a roads layer as QGIS's digitizing does.

Grid 1 is [0,100]x[0,100] (grid 2 east of it). The road runs (-20,30) (0,30) (60,30) (60,100)
(60,120): between the boundary points (0,30) and (60,100) it is an L. Clicking only those two
points with tracing on splits grid 1 along the L (4200 + 5800 m²); with tracing off along the
straight line between them (2100 + 7900 m²).
"""

from __future__ import annotations

import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
    QgsSnappingConfig,
    QgsTolerance,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvasTracer
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QEvent, Qt
from qgis.PyQt.QtGui import QKeyEvent
from qgis.PyQt.QtWidgets import QAction

from grid_governance_plugin.core import settings
from grid_governance_plugin.gui.grid_tools import SplitTool
from tests.gui.test_grid_tools import X0, Y0, fids, grid_layer, qgs, shp
from tests.helpers import map_event

ROAD = [(-20, 30), (0, 30), (60, 30), (60, 100), (60, 120)]
A, B = (0, 30), (60, 100)  # the two clicks: grid boundary points on the road
L_PATH = shapely.LineString([(X0 + x, Y0 + y) for x, y in ((0, 30), (60, 30), (60, 100))])
STRAIGHT = shapely.LineString([(X0 + x, Y0 + y) for x, y in (A, B)])


def roads_layer(lines) -> QgsVectorLayer:
    layer = QgsVectorLayer("LineString?crs=EPSG:4547&field=name:string", "roads", "memory")
    feats = []
    for coords in lines:
        f = QgsFeature(layer.fields())
        f.setGeometry(qgs(shapely.LineString([(X0 + x, Y0 + y) for x, y in coords])))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer


@pytest.fixture
def scene(map_canvas):
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100)])
    roads = roads_layer([ROAD])
    QgsProject.instance().addMapLayers([grids, roads])
    map_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4547"))
    map_canvas.setLayers([roads, grids])
    map_canvas.setExtent(QgsRectangle(X0 - 50, Y0 - 50, X0 + 250, Y0 + 150))
    assert map_canvas.mapUnitsPerPixel() < 0.5
    # canvas snapping on vertices (as a user digitizing has it)
    config = QgsSnappingConfig(QgsProject.instance())
    config.setEnabled(True)
    config.setMode(QgsSnappingConfig.AllLayers)
    config.setTypeFlag(QgsSnappingConfig.VertexFlag)
    config.setTolerance(10)
    config.setUnits(QgsTolerance.Pixels)
    before = map_canvas.snappingUtils().config()
    map_canvas.snappingUtils().setConfig(config)
    messages: list[tuple[str, bool]] = []
    tool = SplitTool(map_canvas, lambda: grids, lambda text, warning=False: messages.append((text, warning)))
    map_canvas.setMapTool(tool)
    grids.startEditing()
    yield tool, grids, roads, messages
    map_canvas.unsetMapTool(tool)
    tool.reset()
    map_canvas.snappingUtils().setConfig(before)
    grids.rollBack()
    QgsSettings().remove(f"{settings.PREFIX}/grid/split_tracing")
    QgsSettings().remove(f"{settings.PREFIX}/roles/roads")


def _event(canvas, kind, xy, button=Qt.NoButton):
    return map_event(canvas, kind, QgsPointXY(X0 + xy[0], Y0 + xy[1]), button)


def _click(tool, canvas, xy, button=Qt.LeftButton):
    tool.canvasMoveEvent(_event(canvas, QEvent.MouseMove, xy))
    tool.canvasPressEvent(_event(canvas, QEvent.MouseButtonPress, xy, button))
    tool.canvasReleaseEvent(_event(canvas, QEvent.MouseButtonRelease, xy, button))


def _draw(tool, canvas, clicks, finish="right"):
    for xy in clicks:
        _click(tool, canvas, xy)
    if finish == "right":
        _click(tool, canvas, clicks[-1], Qt.RightButton)
    else:
        tool.keyPressEvent(QKeyEvent(QEvent.KeyPress, Qt.Key_Return, Qt.NoModifier))


def _same_line(a, b, tol=1e-6) -> bool:
    return shapely.hausdorff_distance(shapely.line_merge(a), b) < tol


def _check_split(grids, new, path, areas):
    assert len(new) == 1 and grids.featureCount() == 3
    a, b = shp(grids.getFeature(1).geometry()), shp(grids.getFeature(new[0]).geometry())
    for g in (a, b):
        assert g.is_valid and len(g.geoms) == 1
    assert sorted((a.area, b.area)) == pytest.approx(sorted(areas), abs=1e-6)
    assert a.intersection(b).area < 1e-9
    shared = shapely.line_merge(shapely.intersection(a.boundary, b.boundary))
    assert _same_line(shared, path), shared.wkt
    assert shp(grids.getFeature(2).geometry()).area == pytest.approx(10000)  # the neighbour is untouched


def _check_undo(grids):
    grids.undoStack().undo()
    assert fids(grids) == [1, 2]
    assert shp(grids.getFeature(1).geometry()).area == pytest.approx(10000, abs=1e-6)


def test_traced_split_follows_the_road_between_two_clicks(scene, map_canvas):
    tool, grids, roads, messages = scene
    tool.set_reference_layer(roads)
    tool.set_tracing(True)
    _click(tool, map_canvas, A)
    # the live band already follows the road to the cursor
    tool.canvasMoveEvent(_event(map_canvas, QEvent.MouseMove, B))
    band = shp(tool.band.asGeometry())
    assert _same_line(band, L_PATH)
    _click(tool, map_canvas, B)
    assert len(tool.points) == 2 and _same_line(shapely.LineString([(p.x(), p.y()) for p in tool.path]), L_PATH)
    assert grids.undoStack().count() == 0
    _click(tool, map_canvas, B, Qt.RightButton)
    assert not tool.points and not tool.path and tool.band.numberOfVertices() == 0
    new = [f for f in fids(grids) if f not in (1, 2)]
    _check_split(grids, new, L_PATH, (4200, 5800))
    assert grids.undoStack().count() == 1 and not [m for m in messages if m[1]]
    _check_undo(grids)


def test_untraced_split_with_the_same_clicks_is_straight(scene, map_canvas):
    tool, grids, roads, _messages = scene
    tool.set_reference_layer(roads)
    tool.set_tracing(False)
    _draw(tool, map_canvas, [A, B], finish="enter")
    new = [f for f in fids(grids) if f not in (1, 2)]
    _check_split(grids, new, STRAIGHT, (2100, 7900))
    _check_undo(grids)


def test_canvas_snapping_puts_near_clicks_on_the_vertices(scene, map_canvas):
    """QGIS's own snapping (vertices, 10 px, every layer) moves clicks a metre or two off onto A and B."""
    tool, grids, roads, _messages = scene
    tool.set_reference_layer(roads)
    tool.set_tracing(False)
    _draw(tool, map_canvas, [(1.5, 30.8), (59.2, 99.4)], finish="enter")
    new = [f for f in fids(grids) if f not in (1, 2)]
    _check_split(grids, new, STRAIGHT, (2100, 7900))
    _check_undo(grids)


def test_tracing_from_the_setting_and_the_roads_role(scene, map_canvas):
    tool, grids, roads, _messages = scene
    assert not tool.tracing_enabled()
    settings.set_value("grid/split_tracing", True)
    settings.set_layer_for_role("roads", roads.id())
    assert tool.tracing_enabled() and tool.reference_layer() is roads
    _draw(tool, map_canvas, [A, B])
    new = [f for f in fids(grids) if f not in (1, 2)]
    _check_split(grids, new, L_PATH, (4200, 5800))
    _check_undo(grids)


def test_tracing_follows_qgis_tracing_action(scene, map_canvas, qgis_iface):
    tool, _grids, roads, _messages = scene
    tool.set_reference_layer(roads)
    tracer = QgsMapCanvasTracer(map_canvas, qgis_iface.messageBar())
    action = QAction("Enable Tracing")
    action.setCheckable(True)
    try:
        tracer.setActionEnableTracing(action)
        assert QgsMapCanvasTracer.tracerForCanvas(map_canvas) is not None
        assert not tool.tracing_enabled()
        action.setChecked(True)
        assert tool.tracing_enabled()
        tool.set_tracing(False)  # the tool's own toggle wins
        assert not tool.tracing_enabled()
    finally:
        sip.delete(tracer)
    assert QgsMapCanvasTracer.tracerForCanvas(map_canvas) is None


def test_no_road_path_falls_back_to_a_straight_segment(scene, map_canvas):
    tool, grids, roads, messages = scene
    tool.set_reference_layer(roads)
    tool.set_tracing(True)
    far = (100, 100)  # grid 1's north-east corner (a vertex: canvas snapping), 40 m from the road
    _draw(tool, map_canvas, [A, far])
    assert tool.message and not messages  # a status bar message, not a warning
    new = [f for f in fids(grids) if f not in (1, 2)]
    straight = shapely.LineString([(X0 + x, Y0 + y) for x, y in (A, far)])
    # the straight line from (0,30) to (100,100) leaves 0.5 * 100 * 70 above it
    _check_split(grids, new, straight, (3500, 6500))
    _check_undo(grids)


def test_without_a_roads_layer_tracing_draws_straight(scene, map_canvas):
    tool, grids, _roads, _messages = scene
    tool.set_tracing(True)
    assert tool.reference_layer() is None
    _draw(tool, map_canvas, [A, B])
    assert tool.message
    new = [f for f in fids(grids) if f not in (1, 2)]
    _check_split(grids, new, STRAIGHT, (2100, 7900))
    _check_undo(grids)


def test_clicks_near_the_road_snap_onto_it_without_canvas_snapping(scene, map_canvas):
    tool, grids, roads, _messages = scene
    config = QgsSnappingConfig(map_canvas.snappingUtils().config())
    config.setEnabled(False)
    map_canvas.snappingUtils().setConfig(config)
    tool.set_reference_layer(roads)
    tool.set_tracing(True)
    # onto the line itself (no vertex near), then onto the nearest vertex
    on_edge = tool.snap_to_reference(QgsPointXY(X0 + 30.3, Y0 + 31))
    assert (on_edge.x(), on_edge.y()) == pytest.approx((X0 + 30.3, Y0 + 30), abs=1e-9)
    _draw(tool, map_canvas, [(1, 31), (30, 28.5), (60.5, 99)])
    new = [f for f in fids(grids) if f not in (1, 2)]
    _check_split(grids, new, L_PATH, (4200, 5800))
    _check_undo(grids)
