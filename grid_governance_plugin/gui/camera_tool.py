"""The camera map tool: place cameras, turn them, widen or narrow their view, with the occluded
field of view redrawn live.

* click on empty ground: a new camera (defaults from the plugin settings, camera/default_*);
  press, drag and release: the new camera looks from the press point towards the release point;
* press near an existing camera: it becomes the active camera; dragging turns its azimuth;
* shift + drag: widens or narrows the active camera's field of view (twice the angle between
  its azimuth and the cursor) instead of turning it;
* mouse wheel over the map while a camera is active: hfov +/- 5 degrees (Esc releases the
  camera so the wheel zooms again).

Every change is one edit command of the layer's edit buffer (undo removes a placed camera or
restores the azimuth). Bearings are computed in a metric CRS, so they are right for layers in
EPSG:4490/4326 as well. Building footprints are read once when the tool is activated, for the
visible extent plus a margin, and only read again when a camera's reach leaves that region.
"""

from __future__ import annotations

import math

from qgis.core import (
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorLayerUtils,
    QgsWkbTypes,
)
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from ..core import settings
from ..core.coverage import device_ids
from ..core.i18n import tr
from ..core.log import get_logger
from ..core.store.qgsio import to_qgs
from . import camera_fov_adapter as fov
from . import styles

log = get_logger("camera_tool")

# camera/<key> in the plugin settings, with the fallback used when a key is unset
DEFAULTS = {
    "default_azimuth": (0.0, float),
    "default_hfov": (90.0, float),
    "range_m": (50.0, float),
    "height_m": (4.0, float),
    "system": ("", str),
    "status": ("online", str),
}
WHEEL_STEP = 5.0  # degrees of hfov per wheel notch
DRAG_PIXELS = 4  # a press and release closer than this is a click
PICK_PIXELS = 8  # a press this close to a camera picks it
MARGIN_M = 300.0  # obstacles are read this far beyond the visible extent


def _role_layer(role: str) -> QgsVectorLayer | None:
    lid = settings.layer_for_role(role)
    layer = QgsProject.instance().mapLayer(lid) if lid else None
    layer = layer or styles.find_layer_for_role(role)
    return layer if isinstance(layer, QgsVectorLayer) and layer.isValid() else None


def _grid_at(crs, point: QgsPointXY) -> tuple[str | None, str | None]:
    """(code, name) of the grid of the project's grid layer holding ``point`` (in ``crs``)."""
    grids = _role_layer("grids")
    if grids is None:
        return None, None
    p = QgsCoordinateTransform(crs, grids.crs(), QgsProject.instance()).transform(point)
    geom = QgsGeometry.fromPointXY(p)
    for f in grids.getFeatures(QgsFeatureRequest().setFilterRect(geom.boundingBox())):
        if f.hasGeometry() and f.geometry().intersects(geom):
            names = f.fields().names()
            code = f["grid_code"] if "grid_code" in names else None
            name = f["name"] if "name" in names else None
            return (str(code) if code else None), (str(name) if name else None)
    return None, None


def _road_near(crs, point: QgsPointXY, within_m: float = 60.0) -> str | None:
    """The name of the nearest road within ``within_m`` metres (a camera is named by its street)."""
    roads = _role_layer("roads")
    if roads is None or roads.fields().lookupField("name") < 0:
        return None
    metric = fov.metric_crs(crs, QgsRectangle(point, point))
    to_m = QgsCoordinateTransform(crs, metric, QgsProject.instance())
    road_to_m = QgsCoordinateTransform(roads.crs(), metric, QgsProject.instance())
    pm = QgsGeometry.fromPointXY(to_m.transform(point))
    box = pm.buffer(within_m, 4).boundingBox()
    box = road_to_m.transformBoundingBox(box, QgsCoordinateTransform.ReverseTransform)
    best, best_d = None, within_m
    for f in roads.getFeatures(QgsFeatureRequest().setFilterRect(box)):
        if not f["name"] or not f.hasGeometry():
            continue
        g = QgsGeometry(f.geometry())
        g.transform(road_to_m)
        d = g.distance(pm)
        if d <= best_d:
            best, best_d = str(f["name"]), d
    return best


def camera_default(key: str):
    default, kind = DEFAULTS[key]
    return settings.value(f"camera/{key}", default, kind)


class CameraMapTool(QgsMapTool):
    """Map tool on an editable point layer with the store's camera fields."""

    cameraChanged = pyqtSignal(int)  # noqa: N815 - Qt signal naming; feature id of the placed/edited camera
    viewUpdated = pyqtSignal()  # noqa: N815

    def __init__(self, canvas, layer: QgsVectorLayer | None = None, buildings: QgsVectorLayer | None = None):
        super().__init__(canvas)
        self.layer = layer
        self.buildings = buildings
        self.live: fov.LiveFov | None = None
        self.metric = None
        self._to_metric = None  # layer CRS -> metric
        self._canvas_to_metric = None
        self._metric_to_canvas = None
        self.band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
        self.band.setColor(QColor(255, 170, 0, 200))
        self.band.setFillColor(QColor(255, 221, 0, 90))
        self.band.setWidth(2)
        self.active_fid: int | None = None
        self._press = None  # (pixel, map point in the layer CRS, picked fid or None)
        self._dragging = False
        self._state: dict = {}  # the camera being edited: x, y (metric), azimuth, hfov, range_m, height_m, ...
        self.last_view = None  # shapely polygon in the metric CRS
        self.redraws = 0
        self.problem: str | None = None  # why live views cannot be drawn (see camera_fov_adapter.engine_problem)
        self.setCursor(Qt.CrossCursor)

    # -- set-up -------------------------------------------------------------------------------
    def set_layers(self, layer: QgsVectorLayer | None, buildings: QgsVectorLayer | None = None) -> None:
        self.layer = layer
        self.buildings = buildings
        if self.isActive():
            self.prepare()

    def _find_layers(self) -> None:
        if self.layer is None:
            lid = settings.layer_for_role("cameras")
            self.layer = QgsProject.instance().mapLayer(lid) if lid else None
            self.layer = self.layer or styles.find_layer_for_role("cameras")
        if self.buildings is None:
            lid = settings.layer_for_role("buildings")
            self.buildings = QgsProject.instance().mapLayer(lid) if lid else None
            self.buildings = self.buildings or styles.find_layer_for_role("buildings")

    def prepare(self, around: QgsPointXY | None = None) -> None:
        """Choose the metric CRS and read the obstacles once (the visible extent + a margin)."""
        self._find_layers()
        self.problem = fov.engine_problem()
        if self.problem:
            log.error(self.problem)
            self.live = None
            return
        canvas = self.canvas()
        ccrs = canvas.mapSettings().destinationCrs()
        extent = canvas.extent()
        base_crs = self.layer.crs() if self.layer is not None else ccrs
        ext_in_base = (
            QgsCoordinateTransform(ccrs, base_crs, QgsProject.instance()).transformBoundingBox(extent)
            if base_crs != ccrs
            else QgsRectangle(extent)
        )
        self.metric = fov.metric_crs(base_crs, ext_in_base)
        proj = QgsProject.instance()
        self._to_metric = QgsCoordinateTransform(base_crs, self.metric, proj)
        self._canvas_to_metric = QgsCoordinateTransform(ccrs, self.metric, proj)
        self._metric_to_canvas = QgsCoordinateTransform(self.metric, ccrs, proj)
        region = self._canvas_to_metric.transformBoundingBox(extent) if ccrs != self.metric else QgsRectangle(extent)
        if around is not None:
            region.combineExtentWith(QgsRectangle(around.x(), around.y(), around.x(), around.y()))
        margin = max(MARGIN_M, 2.0 * float(camera_default("range_m")))
        region = QgsRectangle(
            region.xMinimum() - margin,
            region.yMinimum() - margin,
            region.xMaximum() + margin,
            region.yMaximum() + margin,
        )
        self.live = fov.LiveFov.from_layer(self.buildings, self.metric, region)
        log.info(tr("Camera tool: {0} obstacles prepared in {1}.", len(self.live.obstacles), self.metric.authid()))

    def activate(self) -> None:
        super().activate()
        self.prepare()

    def deactivate(self) -> None:
        self.band.reset(QgsWkbTypes.PolygonGeometry)
        self._press = None
        self._dragging = False
        super().deactivate()

    # -- geometry helpers ---------------------------------------------------------------------
    def _metric_point(self, map_point: QgsPointXY) -> QgsPointXY:
        """A canvas point in the metric CRS."""
        return self._canvas_to_metric.transform(map_point)

    def _feature_metric(self, fid: int) -> QgsPointXY:
        feat = self.layer.getFeature(fid)
        return self._to_metric.transform(feat.geometry().asPoint())

    def _pick(self, map_point: QgsPointXY) -> int | None:
        """The camera of the layer nearest to a canvas point, within PICK_PIXELS."""
        if self.layer is None:
            return None
        tol = PICK_PIXELS * self.canvas().mapUnitsPerPixel()
        rect = QgsRectangle(map_point.x() - tol, map_point.y() - tol, map_point.x() + tol, map_point.y() + tol)
        rect = self.toLayerCoordinates(self.layer, rect)
        point = self.toLayerCoordinates(self.layer, map_point)
        best, best_d = None, math.inf
        req = QgsFeatureRequest().setFilterRect(rect).setNoAttributes()
        for feat in self.layer.getFeatures(req):
            d = feat.geometry().asPoint().sqrDist(point)
            if d < best_d:
                best, best_d = feat.id(), d
        return best

    def _state_from_feature(self, fid: int) -> dict:
        feat = self.layer.getFeature(fid)
        p = self._feature_metric(fid)

        def num(name, default):
            if feat.fields().lookupField(name) < 0:
                return default
            v = feat[name]
            return default if v is None or (hasattr(v, "isNull") and v.isNull()) else float(v)

        return {
            "x": p.x(),
            "y": p.y(),
            "azimuth": num("azimuth", None),
            "hfov": num("hfov", 360.0),
            "range_m": num("range_m", camera_default("range_m")),
            "height_m": num("height_m", 4.0),
            "tilt": num("tilt", None),
            "vfov": num("vfov", None),
        }

    def _new_state(self, mp: QgsPointXY) -> dict:
        return {
            "x": mp.x(),
            "y": mp.y(),
            "azimuth": float(camera_default("default_azimuth")),
            "hfov": float(camera_default("default_hfov")),
            "range_m": float(camera_default("range_m")),
            "height_m": float(camera_default("height_m")),
            "tilt": None,
            "vfov": None,
        }

    # -- drawing ------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Recompute the active camera's occluded view and show it in the rubber band."""
        s = self._state
        if not s or self.live is None:
            self.band.reset(QgsWkbTypes.PolygonGeometry)
            return
        if not self.live.covers(s["x"], s["y"], s["range_m"]):
            self.prepare(self._metric_to_canvas.transform(QgsPointXY(s["x"], s["y"])))
        view = self.live.view(
            s["x"], s["y"], s["azimuth"], s["hfov"], s["range_m"], s["height_m"], s["tilt"], s["vfov"]
        )
        self.last_view = view
        self.redraws += 1
        geom = to_qgs(view)
        if not geom.isNull():
            geom.transform(self._metric_to_canvas)
        self.band.setToGeometry(geom, None)
        self.viewUpdated.emit()

    # -- events -------------------------------------------------------------------------------
    def canvasPressEvent(self, e) -> None:  # noqa: N802 - Qt API
        if e.button() != Qt.LeftButton or self.layer is None:
            return
        if self.live is None:
            self.prepare()
        if self.live is None:
            return  # the engine cannot run here (self.problem); placing blind would mislead
        map_point = e.mapPoint()
        picked = self._pick(map_point)
        self._press = (e.pixelPoint(), map_point, picked)
        self._dragging = False
        if picked is not None:
            self.active_fid = picked
            self.layer.selectByIds([picked])
            self._state = self._state_from_feature(picked)
        else:
            mp = self._metric_point(map_point)
            self._state = self._new_state(mp)
        self.redraw()

    def canvasMoveEvent(self, e) -> None:  # noqa: N802
        if self._press is None:
            return
        pix = e.pixelPoint()
        start = self._press[0]
        if not self._dragging and (pix - start).manhattanLength() < DRAG_PIXELS:
            return
        self._dragging = True
        self._apply_drag(e.mapPoint(), bool(e.modifiers() & Qt.ShiftModifier))
        self.redraw()

    def canvasReleaseEvent(self, e) -> None:  # noqa: N802
        if self._press is None or e.button() != Qt.LeftButton:
            return
        _pix, map_point, picked = self._press
        if self._dragging or (e.pixelPoint() - self._press[0]).manhattanLength() >= DRAG_PIXELS:
            self._apply_drag(e.mapPoint(), bool(e.modifiers() & Qt.ShiftModifier))
            moved = True
        else:
            moved = False
        self._press = None
        self._dragging = False
        if picked is None:
            fid = self._add_camera(map_point)
            if fid is not None:
                self.active_fid = fid
        elif moved:
            self._commit(picked, tr("Turn camera"))
        self.redraw()

    def _apply_drag(self, map_point: QgsPointXY, widen: bool) -> None:
        s = self._state
        mp = self._metric_point(map_point)
        if math.hypot(mp.x() - s["x"], mp.y() - s["y"]) < 1e-6:
            return
        bearing = fov.bearing_deg(s["x"], s["y"], mp.x(), mp.y())
        if widen and s.get("azimuth") is not None:
            diff = abs((bearing - s["azimuth"] + 180.0) % 360.0 - 180.0)
            s["hfov"] = max(1.0, min(360.0, 2.0 * diff))
        else:
            s["azimuth"] = bearing

    def wheelEvent(self, e) -> None:  # noqa: N802
        if self.active_fid is None or self.layer is None or not self._state:
            e.ignore()  # the canvas zooms
            return
        step = WHEEL_STEP if e.angleDelta().y() > 0 else -WHEEL_STEP
        hfov = self._state.get("hfov") or 360.0
        self._state["hfov"] = max(WHEEL_STEP, min(360.0, hfov + step))
        self._commit(self.active_fid, tr("Change camera field of view"))
        self.redraw()
        e.accept()

    def keyPressEvent(self, e) -> None:  # noqa: N802
        if e.key() == Qt.Key_Escape:
            self.release_camera()
            e.accept()
            return
        e.ignore()

    def is_pressed(self) -> bool:
        """Whether the mouse button is down on the map (a camera is being placed, turned or widened)."""
        return self._press is not None

    def release_camera(self) -> None:
        self.active_fid = None
        self._state = {}
        self.band.reset(QgsWkbTypes.PolygonGeometry)
        if self.layer is not None:
            self.layer.removeSelection()

    # -- edits --------------------------------------------------------------------------------
    def _ensure_editing(self) -> bool:
        if not self.layer.isEditable() and not self.layer.startEditing():
            log.warning(tr("The camera layer {0} cannot be edited.", self.layer.name()))
            return False
        return True

    def _values(self) -> dict[str, object]:
        s = self._state
        return {
            "azimuth": None if s.get("azimuth") is None else round(s["azimuth"], 2),
            "hfov": round(s["hfov"], 2) if s.get("hfov") is not None else None,
        }

    def _add_camera(self, map_point: QgsPointXY) -> int | None:
        if not self._ensure_editing():
            return None
        layer = self.layer
        point = self.toLayerCoordinates(layer, map_point)
        names = layer.fields().names()
        system = camera_default("system") or None
        values = {
            **self._values(),
            "range_m": self._state["range_m"],
            "height_m": self._state["height_m"],
            "status": camera_default("status") or "online",
            "system": system,
            **self.identity(point, system),
        }
        attrs = {names.index(k): v for k, v in values.items() if k in names and v is not None}
        feat = QgsVectorLayerUtils.createFeature(layer, QgsGeometry.fromPointXY(point), attrs)
        layer.beginEditCommand(tr("Add camera"))
        ok = layer.addFeature(feat)
        if not ok:
            layer.destroyEditCommand()
            return None
        layer.endEditCommand()
        fid = feat.id()
        layer.selectByIds([fid])
        self.cameraChanged.emit(fid)
        layer.triggerRepaint()
        return fid

    def identity(self, point: QgsPointXY, system: str | None = None) -> dict[str, object]:
        """Name, device code and grid of a camera placed at ``point`` (layer CRS).

        The code is a GB/T 28181 style 20-digit code (core/coverage/device_ids): county and street
        of the grid holding the point, else of the nearest camera with such a code; the name is
        where it stands (the nearest road within 60 m, else the grid) and the code's serial.
        """
        layer = self.layer
        grid_code, grid_name = _grid_at(layer.crs(), point)
        centre = device_ids.centre_from_grid_code(grid_code) or self._nearest_centre(point)
        out: dict[str, object] = {}
        if grid_code:
            out["grid_code"] = grid_code
        serial = ""
        if centre and layer.fields().lookupField("device_id") >= 0:
            head = device_ids.prefix(centre, system)
            request = QgsFeatureRequest().setFilterExpression(
                f'"device_id" LIKE {QgsExpression.quotedValue(head + "%")}'
            )
            request.setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes(["device_id"], layer.fields())
            existing = [f["device_id"] for f in layer.getFeatures(request)]
            try:
                out["device_id"] = device_ids.next_device_id(existing, centre, system)
                serial = str(out["device_id"])[-4:]
            except device_ids.DeviceIdError as exc:
                log.warning(str(exc))
        place = _road_near(layer.crs(), point) or grid_name or grid_code or tr("New")
        out["name"] = tr("{0} camera {1}", place, serial or str(layer.featureCount() + 1)).strip()
        return out

    def _nearest_centre(self, point: QgsPointXY) -> str | None:
        """The centre code of the nearest camera of the layer that has a valid code."""
        idx = self.layer.fields().lookupField("device_id")
        if idx < 0:
            return None
        # look close first (a city has 50,000 cameras), then everywhere
        metric = fov.metric_crs(self.layer.crs(), QgsRectangle(point, point))
        to_m = QgsCoordinateTransform(self.layer.crs(), metric, QgsProject.instance())
        pm = to_m.transform(point)
        for reach in (2000.0, None):
            request = QgsFeatureRequest().setSubsetOfAttributes([idx])
            if reach is not None:
                box = QgsRectangle(pm.x() - reach, pm.y() - reach, pm.x() + reach, pm.y() + reach)
                request.setFilterRect(to_m.transformBoundingBox(box, QgsCoordinateTransform.ReverseTransform))
            best, best_d = None, math.inf
            for f in self.layer.getFeatures(request):
                centre = device_ids.centre_from_device_id(f[idx])
                if centre and f.hasGeometry():
                    d = f.geometry().asPoint().sqrDist(point)
                    if d < best_d:
                        best, best_d = centre, d
            if best is not None:
                return best
        return None

    def _commit(self, fid: int, label: str) -> None:
        if not self._ensure_editing():
            return
        layer = self.layer
        layer.beginEditCommand(label)
        for name, value in self._values().items():
            idx = layer.fields().lookupField(name)
            if idx >= 0:
                layer.changeAttributeValue(fid, idx, value)
        layer.endEditCommand()
        self.cameraChanged.emit(fid)
        layer.triggerRepaint()

    def show_camera(self, fid: int) -> None:
        """Make an existing camera active and draw its view (e.g. from the dock's list)."""
        if self.live is None:
            self.prepare()
        if self.live is None:
            return
        self.active_fid = fid
        self._state = self._state_from_feature(fid)
        self.redraw()
