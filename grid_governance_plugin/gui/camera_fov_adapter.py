"""The one place the GUI touches the coverage engine and the coverage algorithms' interface.

The engine (core/coverage) and its Processing algorithms were written alongside the GUI;
when their API moves, this module is the only one to change. Everything here works in a
metric CRS chosen with :func:`metric_crs_for`.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

from ..core.coverage.camera import STATUSES, Camera, valid_gb28181
from ..core.coverage.obstacles import Obstacles
from ..core.coverage.visibility import FovEngine, SweepOptions
from ..core.crs import metric_crs_for
from ..core.i18n import tr
from ..core.log import get_logger

log = get_logger("camera_fov_adapter")

__all__ = [
    "ALG_COVERAGE",
    "ALG_FOV",
    "ALG_IMPORT",
    "ALG_SUGGEST",
    "STATUSES",
    "LiveFov",
    "bearing_deg",
    "coverage_params",
    "engine_problem",
    "fov_params",
    "metric_crs",
    "not_counting_statuses",
    "suggest_params",
    "valid_gb28181",
]

# Processing ids and the parameter/field names the dock relies on (issue 3: a public interface)
ALG_FOV = "gridgov:camerafov"
ALG_COVERAGE = "gridgov:coverage"
ALG_SUGGEST = "gridgov:suggestcameras"
ALG_IMPORT = "gridgov:importcameras"
BLIND_AREA_FIELD = "area_m2"
BLIND_GRID_FIELDS = ("grid", "grid_code")  # the first one the BLIND_SPOTS layer has


def engine_problem() -> str | None:
    """Why the shapely-based engine cannot run in this process, or None when it can.

    Inside the QGIS desktop, QGIS's own libgeos_c sits in the global symbol scope; unless the
    plugin loaded shapely with RTLD_DEEPBIND, shapely's wheel then mixes two GEOS versions and
    crashes in functions the older one lacks. Converting a point to WKB fails cleanly in that
    state, so it is checked before any risky call.
    """
    try:
        shapely.to_wkb(shapely.Point(0.0, 0.0))
    except Exception as exc:  # shapely.errors.GEOSException
        return tr(
            "The geometry library shapely cannot run inside this QGIS (its GEOS clashes with QGIS's: {0}). "
            "Update the plugin or install shapely built for this QGIS.",
            str(exc),
        )
    return None


def not_counting_statuses() -> tuple[str, ...]:
    """Statuses of cameras that do not count toward coverage (listed in the dock)."""
    return tuple(s for s in STATUSES if s not in ("online", "planned"))


def metric_crs(crs: QgsCoordinateReferenceSystem, extent: QgsRectangle) -> QgsCoordinateReferenceSystem:
    return metric_crs_for(crs, extent)


def bearing_deg(x0: float, y0: float, x1: float, y1: float) -> float:
    """Bearing from (x0, y0) to (x1, y1) in a metric CRS: degrees clockwise from north (grid north)."""
    return math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360.0


class LiveFov:
    """Occluded field of view of one camera at a time, against obstacles prepared once.

    Build it with :meth:`from_layer` for the region the tool works in; ``view`` is then called
    on every mouse move. ``last_ms`` holds the time of the last ``view`` (for the bench).
    """

    def __init__(self, obstacle_geoms=None, region=None, facade_tol: float = 1.0, arc_step: float = 1.0):
        geoms = np.asarray(obstacle_geoms if obstacle_geoms is not None else [], dtype=object)
        self.obstacles = Obstacles.build(geoms) if len(geoms) else Obstacles.empty()
        self.engine = FovEngine(self.obstacles, SweepOptions(arc_step=arc_step, facade_tol=facade_tol))
        self.region = region  # shapely polygon (metric) the obstacles were read for; None: everywhere
        self.last_ms = 0.0
        self.messages: list[str] = []

    @classmethod
    def from_layer(
        cls, layer: QgsVectorLayer | None, crs: QgsCoordinateReferenceSystem, region: QgsRectangle, **kw: Any
    ) -> LiveFov:
        """Obstacles of ``layer`` (polygons) within ``region`` (a rectangle in ``crs``, metric)."""
        box = shapely.box(region.xMinimum(), region.yMinimum(), region.xMaximum(), region.yMaximum())
        if layer is None or not layer.isValid():
            return cls(None, None, **kw)
        rect = QgsRectangle(region)
        if layer.crs() != crs:
            rect = QgsCoordinateTransform(crs, layer.crs(), QgsProject.instance()).transformBoundingBox(rect)
        return cls(_read_polygons(layer, crs, rect), box, **kw)

    def covers(self, x: float, y: float, reach: float) -> bool:
        """Whether the prepared obstacles cover a camera at (x, y) seeing ``reach`` metres."""
        if self.region is None:
            return True
        return bool(self.region.contains(shapely.box(x - reach, y - reach, x + reach, y + reach)))

    def view(
        self,
        x: float,
        y: float,
        azimuth: float | None,
        hfov: float | None,
        range_m: float,
        height_m: float | None = 4.0,
        tilt: float | None = None,
        vfov: float | None = None,
    ):
        """The visible ground (shapely polygon, metric CRS) of a camera at (x, y)."""
        start = time.perf_counter()
        hfov = 360.0 if hfov is None or azimuth is None else max(0.1, min(float(hfov), 360.0))
        cam = Camera(
            float(x),
            float(y),
            azimuth=float(azimuth or 0.0) % 360.0,
            hfov=hfov,
            range_m=max(float(range_m), 0.1),
            height_m=float(height_m if height_m is not None else 4.0),
            tilt=tilt if vfov is not None else None,
            vfov=vfov if tilt is not None else None,
            id="live",
        )
        geom, msgs = self.engine.fov(cam)
        self.messages = [m.text for m in msgs]
        self.last_ms = (time.perf_counter() - start) * 1000.0
        return geom


def _read_polygons(layer: QgsVectorLayer, crs: QgsCoordinateReferenceSystem, rect: QgsRectangle) -> np.ndarray:
    """Polygons of ``layer`` within ``rect`` (layer CRS) as shapely geometries in ``crs``.

    Real footprints (OSM) hold rings of fewer than 3 points; they are repaired or dropped here
    rather than failing the whole read (qgsio.read_source raises on them).
    """
    xform = None
    if layer.crs() != crs:
        xform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance())
    wkbs, fids = [], []
    request = QgsFeatureRequest().setFilterRect(rect).setNoAttributes()
    for feat in layer.getFeatures(request):
        g = feat.geometry()
        if g.isNull() or g.isEmpty():
            continue
        if xform is not None:
            try:
                g.transform(xform)
            except Exception:  # QgsCsException: outside the metric zone
                continue
        wkbs.append(bytes(g.asWkb()))
        fids.append(feat.id())
    if not wkbs:
        return np.empty(0, dtype=object)
    geoms = shapely.from_wkb(wkbs, on_invalid="fix")
    lost = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for fid in np.asarray(fids)[lost]:
        # a wall that silently disappears lets the live view see through it: say which
        log.warning(
            tr(
                "Obstacle feature {0} has a geometry that cannot be read (a ring of fewer than three distinct "
                "points); it was dropped: cameras see through where it stands."
            ).format(int(fid))
        )
    return geoms[~lost]


# -- Processing parameters ------------------------------------------------------------------------


def coverage_params(cameras, target, obstacles=None, grids=None, planned: bool = False, dori_level: int = 0) -> dict:
    """gridgov:coverage parameters; ``dori_level`` indexes its DORI_LEVEL choices (0 = full range)."""
    params = {
        "CAMERAS": cameras,
        "TARGET": target,
        "PLANNED": planned,
        "DORI_LEVEL": dori_level,
        "COVERAGE": "TEMPORARY_OUTPUT",
        "BLIND_SPOTS": "TEMPORARY_OUTPUT",
        "GRID_STATS": "TEMPORARY_OUTPUT",
    }
    if obstacles is not None:
        params["OBSTACLES"] = obstacles
    if grids is not None:
        params["GRIDS"] = grids
    return params


def fov_params(cameras, obstacles=None, dori_bands: bool = False) -> dict:
    params = {"INPUT": cameras, "DORI_BANDS": dori_bands, "OUTPUT": "TEMPORARY_OUTPUT"}
    if obstacles is not None:
        params["OBSTACLES"] = obstacles
    return params


def suggest_params(target, count: int, cameras=None, obstacles=None) -> dict:
    params = {"TARGET": target, "COUNT": int(count), "OUTPUT": "TEMPORARY_OUTPUT"}
    if cameras is not None:
        params["CAMERAS"] = cameras
    if obstacles is not None:
        params["OBSTACLES"] = obstacles
    return params


def blind_grid_field(layer: QgsVectorLayer) -> str | None:
    names = layer.fields().names()
    return next((f for f in BLIND_GRID_FIELDS if f in names), None)
