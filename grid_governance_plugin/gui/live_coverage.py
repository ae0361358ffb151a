"""Live city-wide coverage for the Camera coverage dock while cameras are edited.

The layers are read on the main thread (QGIS layers are not thread-safe) and the whole city's
coverage is computed once in a QgsTask (core/coverage/live.py). After that every change of a
camera updates only its neighbourhood: the camera map tool's drag (its live state, before it
is committed), and edits of the camera layer by any tool (moved, added, deleted, re-aimed,
status changed). Drag updates are coalesced: while one update runs, only the latest state
waits, so the figures follow the mouse without queueing work behind it.
"""

from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsTask,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..core.coverage.camera import Camera, CameraDefaults, parse_camera
from ..core.coverage.live import LiveCoverage
from ..core.coverage.obstacles import Obstacles
from ..core.coverage.visibility import FovEngine, SweepOptions
from ..core.crs import CrsError, metric_crs_for
from ..core.i18n import tr
from ..core.log import get_logger
from ..core.store.qgsio import read_source

log = get_logger("live_coverage")

# gridgov:coverage's defaults where a camera has no value (the dock's run uses them too)
DEFAULTS = CameraDefaults(hfov=90.0, range_m=50.0, height_m=4.0)
GRID_NAME_FIELDS = ("grid_code", "name", "code")
NEW_CAMERA = "new camera"  # key of a camera being placed, before the layer gives it an id


class _BuildTask(QgsTask):
    """The whole city's coverage, computed off the main thread."""

    def __init__(self, inputs: dict):
        super().__init__(tr("Live camera coverage"), QgsTask.CanCancel)
        self.inputs = inputs
        self.live: LiveCoverage | None = None
        self.error: str | None = None

    def run(self) -> bool:
        try:
            i = self.inputs

            def progress(k: int, n: int) -> bool:
                self.setProgress(100.0 * k / max(n, 1))
                return self.isCanceled()

            self.live = LiveCoverage.build(
                i["cameras"], i["targets"], i["obstacles"], i["grids"], engine=i["engine"], progress=progress
            )
        except Exception as exc:  # reported on the main thread; the dock stays usable
            self.error = str(exc)
            return False
        return self.live is not None


class LiveCoverageController(QObject):
    """Keeps a :class:`LiveCoverage` in step with the camera layer and the camera map tool."""

    changed = pyqtSignal()  # the figures changed (or the state: preparing, ready, off)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.live: LiveCoverage | None = None
        self.task: _BuildTask | None = None
        self.cameras: QgsVectorLayer | None = None
        self.crs: QgsCoordinateReferenceSystem | None = None
        self.planned = False
        self.grid_names: list[str] = []
        self.status = ""  # what the dock shows when there are no figures
        self.last_update = None  # the last LiveUpdate (for the bench and tests)
        self.focus: tuple[float, float] | None = None  # where the edited camera is (live CRS)
        self._to_live: QgsCoordinateTransform | None = None
        self._pending: dict | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._apply_pending)

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, cameras, target, obstacles=None, grids=None, planned: bool = False, dori_level=None) -> bool:
        """Read the layers and compute the city's coverage in the background."""
        self.stop()
        if cameras is None or target is None:
            self.status = tr("Choose the camera layer and the area to watch for live coverage.")
            self.changed.emit()
            return False
        try:
            self.crs = metric_crs_for(target.crs(), target.extent())
        except CrsError as exc:
            self.status = str(exc)
            self.changed.emit()
            return False
        self.cameras, self.planned = cameras, planned
        proj = QgsProject.instance()
        self._to_live = QgsCoordinateTransform(cameras.crs(), self.crs, proj)
        tarr = read_source(target, self.crs, [])
        obs = Obstacles.empty()
        if obstacles is not None:
            oarr = read_source(obstacles, self.crs, [])
            obs = Obstacles.build(oarr.geoms)
        garr = None
        self.grid_names = []
        if grids is not None:
            names = grids.fields().names()
            field = next((f for f in GRID_NAME_FIELDS if f in names), None)
            garr = read_source(grids, self.crs, [field] if field else [])
            self.grid_names = [
                str(a[field]) if field and a[field] is not None else str(int(f))
                for a, f in zip(garr.attributes, garr.fids)
            ]
        engine = FovEngine(obs, SweepOptions(dori_level=dori_level))
        inputs = {
            "cameras": self._read_cameras(),
            "targets": tarr.geoms,
            "obstacles": obs,
            "grids": garr.geoms if garr is not None else None,
            "engine": engine,
        }
        self.task = _BuildTask(inputs)
        self.task.taskCompleted.connect(self._built)
        self.task.taskTerminated.connect(self._failed)
        self.status = tr("Preparing live coverage...")
        QgsApplication.taskManager().addTask(self.task)
        self.changed.emit()
        return True

    def stop(self) -> None:
        if self.task is not None:
            try:
                self.task.taskCompleted.disconnect(self._built)
                self.task.taskTerminated.disconnect(self._failed)
            except TypeError:
                pass
            self.task.cancel()
            self.task = None
        self._disconnect_layer()
        self.live = None
        self._pending = None
        self.status = ""
        self.changed.emit()

    def _built(self) -> None:
        task, self.task = self.task, None
        if task is None:
            return
        self.live = task.live
        self.status = ""
        self._connect_layer()
        self.changed.emit()

    def _failed(self) -> None:
        task, self.task = self.task, None
        error = task.error if task is not None else None
        self.status = tr("Live coverage could not be computed: {0}", error) if error else ""
        if error:
            log.warning(self.status)
        self.changed.emit()

    @property
    def ready(self) -> bool:
        return self.live is not None

    # -- cameras ------------------------------------------------------------------------------
    def _camera_of(self, feat) -> Camera | None:
        """The camera a feature stands for in the live CRS, or None when it does not count."""
        geom = feat.geometry()
        if geom is None or geom.isNull():
            return None
        point = geom.asPoint() if not geom.isMultipart() else geom.asMultiPoint()[0]
        try:
            p = self._to_live.transform(point)
        except Exception:  # QgsCsException: outside the metric zone
            return None
        row = dict(zip(feat.fields().names(), feat.attributes()))
        row = {k: (None if v is None or (hasattr(v, "isNull") and v.isNull()) else v) for k, v in row.items()}
        cam, _msgs = parse_camera(p.x(), p.y(), row, DEFAULTS, label=feat.id())
        if cam is None or not cam.counts(self.planned):
            return None
        cam.id = feat.id()
        return cam

    def _read_cameras(self) -> list[tuple[int, Camera]]:
        out = []
        for feat in self.cameras.getFeatures():
            cam = self._camera_of(feat)
            if cam is not None:
                out.append((feat.id(), cam))
        return out

    def _connect_layer(self) -> None:
        layer = self.cameras
        layer.featureAdded.connect(self._feature_changed)
        layer.featureDeleted.connect(self._feature_deleted)
        layer.geometryChanged.connect(self._geometry_changed)
        layer.attributeValueChanged.connect(self._attribute_changed)
        layer.afterCommitChanges.connect(self.sync)
        layer.afterRollBack.connect(self.sync)

    def _disconnect_layer(self) -> None:
        layer = self.cameras
        if layer is None:
            return
        for signal, slot in (
            (layer.featureAdded, self._feature_changed),
            (layer.featureDeleted, self._feature_deleted),
            (layer.geometryChanged, self._geometry_changed),
            (layer.attributeValueChanged, self._attribute_changed),
            (layer.afterCommitChanges, self.sync),
            (layer.afterRollBack, self.sync),
        ):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass

    def _feature_changed(self, fid: int) -> None:
        if self.live is None:
            return
        # what the layer now holds wins over a drag state still waiting (it has the rounded values)
        if self._pending is not None and self._pending["fid"] in (fid, None):
            self._pending = None
        if NEW_CAMERA in self.live.cameras:  # the camera the tool was placing now has its id
            self.live.set_camera(NEW_CAMERA, None)
        self._set(fid, self._camera_of(self.cameras.getFeature(fid)))

    def _feature_deleted(self, fid: int) -> None:
        if self.live is not None:
            self._set(fid, None)

    def _geometry_changed(self, fid: int, _geom) -> None:
        self._feature_changed(fid)

    def _attribute_changed(self, fid: int, _idx: int, _value) -> None:
        self._feature_changed(fid)

    def sync(self) -> None:
        """Bring the live state in line with the layer (after a commit renumbers new features)."""
        if self.live is None:
            return
        current = dict(self._read_cameras())
        for key in [k for k in self.live.cameras if k not in current]:
            self.live.set_camera(key, None)
        for key, cam in current.items():
            old = self.live.cameras.get(key)
            if old is None or old != cam:
                self.live.set_camera(key, cam)
        self.changed.emit()

    def _set(self, key, cam: Camera | None) -> None:
        self.last_update = self.live.set_camera(key, cam)
        if cam is not None:
            self.focus = (cam.x, cam.y)
        self.changed.emit()

    # -- the map tool's drag ----------------------------------------------------------------
    def preview(self, tool) -> None:
        """The tool's active camera as it is being dragged (not yet in the layer).

        Only while the mouse button is down: once released, the tool has written the camera to
        the layer and the layer's signals bring the stored (rounded) values.
        """
        if self.live is None or not tool._state or tool.metric is None or not tool.is_pressed():
            return
        self._pending = {"fid": tool.active_fid, "state": dict(tool._state), "crs": tool.metric}
        if not self._timer.isActive():
            self._timer.start(0)

    def _apply_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None or self.live is None:
            return
        s = pending["state"]
        point = QgsPointXY(s["x"], s["y"])
        if pending["crs"] != self.crs:
            point = QgsCoordinateTransform(pending["crs"], self.crs, QgsProject.instance()).transform(point)
        fid = pending["fid"]
        base = None
        if fid is not None:
            feat = self.cameras.getFeature(fid)
            base = self._camera_of(feat) if feat.isValid() else None
            if base is None and feat.isValid():
                return  # an offline camera being turned does not change the coverage
        hfov = s.get("hfov") or 360.0
        cam = Camera(
            point.x(),
            point.y(),
            azimuth=float(s.get("azimuth") or 0.0) % 360.0,
            hfov=360.0 if s.get("azimuth") is None else max(0.1, min(float(hfov), 360.0)),
            range_m=max(float(s.get("range_m") or DEFAULTS.range_m), 0.1),
            height_m=float(s.get("height_m") if s.get("height_m") is not None else DEFAULTS.height_m),
            tilt=s.get("tilt") if s.get("vfov") is not None else None,
            vfov=s.get("vfov") if s.get("tilt") is not None else None,
            hres_px=base.hres_px if base is not None else None,
            id=fid if fid is not None else NEW_CAMERA,
        )
        self._set(fid if fid is not None else NEW_CAMERA, cam)

    # -- figures ----------------------------------------------------------------------------
    def figures(self) -> tuple[float, str | None, float | None] | None:
        """(city ratio, name of the grid the edited camera is in, that grid's ratio), or None."""
        live = self.live
        if live is None:
            return None
        grid_name = grid_ratio = None
        if self.focus is not None and self.grid_names:
            k = live.region_of(*self.focus)
            if k is not None and not live.setup.regions[k][2]:
                gid = live.setup.regions[k][1]
                grid_name, grid_ratio = self.grid_names[gid], live.grid_stat(gid).ratio
        return live.ratio, grid_name, grid_ratio

    def text(self) -> str:
        fig = self.figures()
        if fig is None:
            return self.status
        city, grid, ratio = fig
        if grid is None:
            return tr("Live coverage: city {0:.1%}", city)
        return tr("Live coverage: city {0:.1%}, grid {1} {2:.1%}", city, grid, ratio)
