"""Camera coverage algorithms: occluded fields of view, coverage/blind spots, placement suggestions.

Everything is computed in a metric CRS (``metric_crs_for``: a projected layer's own CRS, or
the local Gauss-Kruger/UTM zone for EPSG:4490/4326 data) and written back in the input's CRS.
Results are computed completely before any sink is created, so a failed or cancelled run
writes nothing half-way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureSource,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.compass import compass_word
from ..core.coverage import sweep_jit
from ..core.coverage.camera import Camera, CameraDefaults, parse_camera
from ..core.coverage.coverage import compute_coverage
from ..core.coverage.obstacles import Obstacles, polygonal
from ..core.coverage.placement import Site, facade_sites, street_sites, suggest_cameras
from ..core.coverage.visibility import JIT_MIN_CAMERAS, FovEngine, SweepOptions, dori_bands
from ..core.crs import CrsError, metric_crs_for
from ..core.i18n import N_, tr
from ..core.store.qgsio import read_source, write_features
from .base import GridGovAlgorithm

DORI_CHOICES = (None, "detect", "observe", "recognise", "identify")
# DORI_LEVEL's labels, in DORI_CHOICES order; the coverage dock offers the same list
DORI_LEVEL_LABELS = (
    N_("Full range"),
    N_("Detect (25 px/m)"),
    N_("Observe (62.5 px/m)"),
    N_("Recognise (125 px/m)"),
    N_("Identify (250 px/m)"),
)
MAX_MESSAGES = 200  # per kind; the rest are counted


def _multi(geom):
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    if geom.geom_type == "GeometryCollection":
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        return _multi(shapely.union_all(parts)) if parts else None
    return geom


def _unique_name(fields: QgsFields, name: str) -> str:
    out, i = name, 1
    while fields.lookupField(out) >= 0:
        out = f"{name}_{i}"
        i += 1
    return out


class _Discard:
    """A sink for an optional output nobody asked for."""

    def addFeatures(self, features, flags=None) -> bool:  # noqa: N802 - QgsFeatureSink's name
        return True


class _Reporter:
    """Feature messages to the feedback, capped so 50,000 defaulted cameras do not flood the log."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.counts = {"error": 0, "warning": 0, "info": 0}

    def __call__(self, level: str, text: str) -> None:
        self.counts[level] = self.counts.get(level, 0) + 1
        if self.counts[level] > MAX_MESSAGES:
            return
        if level == "error":
            self.feedback.reportError(text, False)
        elif level == "warning":
            self.feedback.pushWarning(text)
        else:
            self.feedback.pushInfo(text)

    def summary(self) -> None:
        for level, n in self.counts.items():
            if n > MAX_MESSAGES:
                self.feedback.pushInfo(tr("{0} more messages of level {1} were not shown.", n - MAX_MESSAGES, level))


def _read(source, crs, fields, feedback, report, what: str, dropped_text: str | None = None):
    """``read_source``, reporting by feature id every geometry that could not be read.

    OSM extracts hold rings of two points (a footprint clipped at the extract's edge): GEOS cannot
    read them, and there is nothing to rebuild them from. Rings of three or more points are rebuilt
    (closed) by the reader; the ones left without a geometry are named here as dropped, so that a
    wall that disappeared is never passed off as repaired. ``dropped_text`` (with {0} for the
    feature id) replaces the generic message.
    """
    try:
        arr = read_source(source, crs, fields, feedback)
    except shapely.errors.GEOSException:
        arr = _read_each(source, crs, fields, feedback)
    missing = [int(f) for f, g in zip(arr.fids, arr.geoms) if g is None or g.is_empty]
    if missing:
        from qgis.core import QgsFeatureRequest

        request = QgsFeatureRequest().setFilterFids(missing).setNoAttributes()
        for feat in source.getFeatures(request):
            if feat.hasGeometry() and not feat.geometry().isNull():
                if dropped_text:
                    report("warning", dropped_text.format(feat.id()))
                else:
                    report(
                        "warning",
                        tr(
                            "{0} feature {1} has a geometry that cannot be read (a ring of fewer than three "
                            "distinct points); it was dropped.",
                            what,
                            feat.id(),
                        ),
                    )
    return arr


def _read_each(source, crs, fields, feedback):
    """``read_source`` feature by feature, for a layer whose WKB GEOS refuses as a whole."""
    from qgis.core import QgsFeatureRequest

    arr = read_source(source, crs, fields, feedback, QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry))
    transform = None
    if source.sourceCrs() != crs:
        transform = QgsCoordinateTransform(source.sourceCrs(), crs, QgsProject.instance())
    by_fid = {}
    for feat in source.getFeatures():
        geom = feat.geometry()
        if geom.isNull():
            continue
        if transform is not None:
            geom.transform(transform)
        by_fid[feat.id()] = shapely.from_wkb(bytes(geom.asWkb()), on_invalid="fix")
    for i, fid in enumerate(arr.fids):
        arr.geoms[i] = by_fid.get(int(fid))
    return arr


class _CoverageBase(GridGovAlgorithm):
    GROUP_ID = "coverage"
    GROUP = "Camera coverage"
    CAMERA_PARAM = "CAMERAS"

    FIELD_PARAMS = (
        ("ID_FIELD", "id", "device_id"),
        ("AZIMUTH_FIELD", "azimuth", "azimuth"),
        ("HFOV_FIELD", "hfov", "hfov"),
        ("RANGE_FIELD", "range_m", "range_m"),
        ("HEIGHT_FIELD", "height_m", "height_m"),
        ("TILT_FIELD", "tilt", "tilt"),
        ("VFOV_FIELD", "vfov", "vfov"),
        ("HRES_FIELD", "hres_px", "hres_px"),
        ("STATUS_FIELD", "status", "status"),
    )

    # -- parameters -------------------------------------------------------------------
    def _add_camera_fields(self, parent: str) -> None:
        labels = (
            self.tr("Camera id field"),
            self.tr("Azimuth field (degrees clockwise from north)"),
            self.tr("Horizontal field of view field (degrees)"),
            self.tr("Range field (m)"),
            self.tr("Mount height field (m)"),
            self.tr("Tilt field (degrees below horizontal)"),
            self.tr("Vertical field of view field (degrees)"),
            self.tr("Horizontal resolution field (pixels)"),
            self.tr("Status field"),
        )
        for (name, _key, default), label in zip(self.FIELD_PARAMS, labels):
            p = QgsProcessingParameterField(name, label, default, parent, optional=True)
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)

    def _add_defaults(self, hfov: float = 90.0, rng: float = 50.0, height: float = 4.0) -> None:
        self.addParameter(
            QgsProcessingParameterNumber(
                "DEFAULT_HFOV",
                self.tr("Horizontal field of view where missing (degrees)"),
                QgsProcessingParameterNumber.Double,
                hfov,
                False,
                0.1,
                360.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "DEFAULT_RANGE",
                self.tr("Range where missing (m)"),
                QgsProcessingParameterNumber.Double,
                rng,
                False,
                0.1,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "DEFAULT_HEIGHT",
                self.tr("Mount height where missing (m)"),
                QgsProcessingParameterNumber.Double,
                height,
                False,
                0.0,
            )
        )
        tol = QgsProcessingParameterNumber(
            "FACADE_TOLERANCE",
            self.tr("Cameras this close to a building are mounted on its facade (m)"),
            QgsProcessingParameterNumber.Double,
            1.0,
            False,
            0.0,
        )
        tol.setFlags(tol.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(tol)

    def _add_dori(self) -> None:
        self.addParameter(
            QgsProcessingParameterEnum(
                "DORI_LEVEL",
                self.tr("Count ground only up to this DORI level (needs the resolution field)"),
                [self.tr(label) for label in DORI_LEVEL_LABELS],
                False,
                0,
            )
        )

    # -- reading ----------------------------------------------------------------------
    def _metric(self, source: QgsFeatureSource, what: str) -> QgsCoordinateReferenceSystem:
        extent = source.sourceExtent()
        if extent.isNull() or extent.isEmpty():
            extent = QgsRectangle(0, 0, 0, 0)
        try:
            return metric_crs_for(source.sourceCrs(), extent)
        except CrsError as exc:
            raise QgsProcessingException(self.tr("Layer {0}: {1}", what, str(exc))) from exc

    def _source(self, parameters, name, context, required: bool = True):
        source = self.parameterAsSource(parameters, name, context)
        if source is None and required:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def _sweep_options(self, parameters, context, dori: str | None = None) -> SweepOptions:
        tol = self.parameterAsDouble(parameters, "FACADE_TOLERANCE", context)
        return SweepOptions(facade_tol=tol, dori_level=dori)

    def _dori(self, parameters, context) -> str | None:
        return DORI_CHOICES[self.parameterAsEnum(parameters, "DORI_LEVEL", context)]

    def _warn_no_resolution(self, cams: list[Camera], report) -> None:
        missing = sum(1 for c in cams if not c.hres_px)
        if missing:
            report(
                "warning",
                self.tr("{0} cameras have no horizontal resolution: DORI does not limit their range.", missing),
            )

    def _read_cameras(self, parameters, context, feedback, source, crs, report) -> tuple[list[Camera], Any]:
        """Valid cameras of ``source`` in ``crs``; bad ones are reported by feature id and skipped."""
        available = {f.name() for f in source.fields()}
        mapping: dict[str, str | None] = {}
        for pname, key, _default in self.FIELD_PARAMS:
            value = self.parameterAsString(parameters, pname, context) or None
            if value is not None and value not in available:
                if key in ("azimuth", "hfov", "range_m", "height_m"):
                    report("info", self.tr("The camera layer has no field {0}; its default is used.", value))
                value = None
            mapping[key] = value
        defaults = CameraDefaults(
            hfov=self.parameterAsDouble(parameters, "DEFAULT_HFOV", context),
            range_m=self.parameterAsDouble(parameters, "DEFAULT_RANGE", context),
            height_m=self.parameterAsDouble(parameters, "DEFAULT_HEIGHT", context),
        )
        arr = read_source(source, crs, None, feedback)
        for fid, reason in arr.skipped:
            report("error", self.tr("Camera feature {0} could not be transformed: {1}", fid, reason))
        cams: list[Camera] = []
        for fid, geom, row in zip(arr.fids, arr.geoms, arr.attributes):
            label = self.tr("feature {0}", int(fid))
            if geom is None or geom.is_empty:
                report("error", self.tr("Camera {0} has no geometry; skipped.", label))
                continue
            if geom.geom_type != "Point":
                pts = shapely.get_parts(geom)
                if len(pts) != 1 or pts[0].geom_type != "Point":
                    report("error", self.tr("Camera {0} is not a single point; skipped.", label))
                    continue
                geom = pts[0]
            cam, msgs = parse_camera(geom.x, geom.y, row, defaults, mapping, label)
            for m in msgs:
                report(m.level, m.text if m.camera_id == label else f"{m.text} ({label})")
            if cam is not None:
                cam.attributes["__fid"] = int(fid)
                cams.append(cam)
        if not cams and len(arr):
            report("warning", self.tr("None of the {0} cameras could be used.", len(arr)))
        return cams, arr

    def _read_obstacles(self, parameters, context, feedback, crs, report) -> Obstacles:
        source = self._source(parameters, "OBSTACLES", context, required=False)
        if source is None:
            return Obstacles.empty()
        arr = _read(
            source,
            crs,
            [],
            feedback,
            report,
            self.tr("Obstacle"),
            self.tr(
                "Obstacle feature {0} has a geometry that cannot be read (a ring of fewer than three distinct "
                "points); it was dropped: cameras see through where it stands."
            ),
        )
        for fid, reason in arr.skipped:
            report("warning", self.tr("Obstacle feature {0} could not be transformed: {1}", fid, reason))
        obstacles = Obstacles.build(arr.geoms)
        dropped = set(int(i) for i in obstacles.dropped)
        for i in obstacles.invalid:
            if int(i) not in dropped:
                report(
                    "warning",
                    self.tr("Obstacle feature {0} has an invalid geometry; it was repaired.", int(arr.fids[i])),
                )
        for i in sorted(dropped):
            report(
                "warning",
                self.tr(
                    "Obstacle feature {0} encloses no area (its outline collapses to a line when repaired); it "
                    "was dropped: cameras see through where it stands.",
                    int(arr.fids[i]),
                ),
            )
        feedback.pushInfo(self.tr("{0} obstacles ({1} after merging overlapping ones).", len(arr), len(obstacles)))
        return obstacles

    @staticmethod
    def _announce_jit(n_cameras: int, feedback) -> None:
        """Say why the first big run on a computer pauses before its progress moves."""
        if n_cameras >= JIT_MIN_CAMERAS and not sweep_jit.ready():
            feedback.pushInfo(
                tr("Preparing the compiled field-of-view sweep; the first run on this computer takes up to a minute.")
            )

    def _progress(self, feedback, start: float, span: float):
        def cb(i: int, n: int) -> bool:
            feedback.setProgress(start + span * i / max(n, 1))
            return feedback.isCanceled()

        return cb

    def _sink(self, parameters, name, context, fields, wkb, crs):
        sink, dest = self.parameterAsSink(parameters, name, context, fields, wkb, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return sink, dest


class CameraFovAlgorithm(_CoverageBase):
    ALG_ID = "camerafov"
    ALG_NAME = "Camera fields of view"
    HELP = (
        "One polygon per camera: the ground it sees, from its azimuth, horizontal field of view, range, "
        "mount height, tilt and vertical field of view, hidden behind building footprints (OBSTACLES). "
        "A camera within the facade tolerance of a building is taken as mounted on its facade: sight starts at "
        "the wall. A camera deep inside a building sees nothing and is reported. Missing values take the "
        "defaults; cameras without azimuth are treated as all-round. With DORI bands the view is cut into the "
        "IEC 62676-4 identify/recognise/observe/detect zones (needs the resolution field)."
    )
    INPUT = "INPUT"
    OBSTACLES = "OBSTACLES"
    DORI_BANDS = "DORI_BANDS"
    OUTPUT = "OUTPUT"
    CAMERA_PARAM = "INPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, self.tr("Cameras"), [QgsProcessing.TypeVectorPoint])
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.OBSTACLES,
                self.tr("Obstacles (building footprints)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self._add_camera_fields(self.INPUT)
        self._add_defaults()
        self._add_dori()
        self.addParameter(QgsProcessingParameterBoolean(self.DORI_BANDS, self.tr("Output DORI bands"), False))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Fields of view"), QgsProcessing.TypeVectorPolygon)
        )

    def processAlgorithm(self, parameters, context, feedback):
        report = _Reporter(feedback)
        source = self._source(parameters, self.INPUT, context)
        crs = self._metric(source, self.tr("cameras"))
        feedback.pushInfo(self.tr("Working in {0}.", crs.authid()))
        obstacles = self._read_obstacles(parameters, context, feedback, crs, report)
        cams, _arr = self._read_cameras(parameters, context, feedback, source, crs, report)
        dori = self._dori(parameters, context)
        bands = self.parameterAsBoolean(parameters, self.DORI_BANDS, context)
        if dori or bands:
            self._warn_no_resolution(cams, report)
        engine = FovEngine(obstacles, self._sweep_options(parameters, context, dori))
        self._announce_jit(len(cams), feedback)
        fovs, msgs = engine.fovs(cams, progress=self._progress(feedback, 10, 80))
        if feedback.isCanceled():
            return {}
        for m in msgs:
            report(m.level, m.text)

        fields = QgsFields()
        src_names = [f.name() for f in source.fields() if f.name().lower() != "fid"]
        for f in source.fields():
            if f.name().lower() != "fid":
                fields.append(f)
        extra = {}
        for name, kind in (
            ("camera_fid", QVariant.LongLong),
            ("near_m", QVariant.Double),
            ("far_m", QVariant.Double),
            ("fov_m2", QVariant.Double),
            ("dori", QVariant.String),
        ):
            extra[name] = _unique_name(fields, name)
            fields.append(QgsField(extra[name], kind))

        rows = []
        for cam, fov in zip(cams, fovs):
            near, far = cam.near_far()
            if dori:
                far = min(far, cam.dori_distance(dori))
            base = [cam.attributes.get(n) for n in src_names] + [cam.attributes["__fid"], near, far]
            if bands:
                for band, geom in dori_bands(cam, fov):
                    rows.append((_multi(geom), base + [geom.area, band]))
            else:
                rows.append((_multi(fov), base + [0.0 if fov is None else fov.area, dori or ""]))
        sink, dest = self._sink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, source.sourceCrs())
        back = QgsCoordinateTransform(crs, source.sourceCrs(), context.transformContext())
        write_features(sink, fields, rows, back, feedback)
        report.summary()
        return {self.OUTPUT: dest}


class CoverageAlgorithm(_CoverageBase):
    ALG_ID = "coverage"
    ALG_NAME = "Camera coverage and blind spots"
    HELP = (
        "Which part of the TARGET polygons (street space, squares, entrances) the cameras see, taking building "
        "footprints as obstacles. COVERAGE is the seen part (dissolved; one feature per grid when GRIDS are given), "
        "BLIND_SPOTS the target minus coverage minus buildings as single polygons with their area and grid, "
        "GRID_STATS per grid the target area (without buildings), covered area, ratio, number of blind spots and "
        "the area watched by two or more cameras. Only online cameras count unless 'planned coverage' is ticked "
        "(then online, offline, faulty and planned cameras count; obstructed ones never do)."
    )
    CAMERAS = "CAMERAS"
    OBSTACLES = "OBSTACLES"
    TARGET = "TARGET"
    GRIDS = "GRIDS"
    GRID_ID_FIELD = "GRID_ID_FIELD"
    PLANNED = "PLANNED"
    TILE_SIZE = "TILE_SIZE"
    MIN_BLIND_AREA = "MIN_BLIND_AREA"
    COVERAGE = "COVERAGE"
    BLIND_SPOTS = "BLIND_SPOTS"
    GRID_STATS = "GRID_STATS"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.CAMERAS, self.tr("Cameras"), [QgsProcessing.TypeVectorPoint])
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.OBSTACLES,
                self.tr("Obstacles (building footprints)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.TARGET, self.tr("Target area (street space, squares...)"), [QgsProcessing.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.GRIDS, self.tr("Grids"), [QgsProcessing.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.GRID_ID_FIELD, self.tr("Grid id field"), "grid_code", self.GRIDS, optional=True
            )
        )
        self._add_camera_fields(self.CAMERAS)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.PLANNED, self.tr("Planned coverage (count offline, faulty and planned cameras too)"), False
            )
        )
        self._add_dori()
        self._add_defaults()
        for name, label, default in (
            (self.TILE_SIZE, self.tr("Tile size without grids (m)"), 500.0),
            (self.MIN_BLIND_AREA, self.tr("Smallest blind spot reported (m2)"), 1.0),
        ):
            p = QgsProcessingParameterNumber(name, label, QgsProcessingParameterNumber.Double, default, False, 0.0)
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.COVERAGE, self.tr("Coverage"), QgsProcessing.TypeVectorPolygon)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.BLIND_SPOTS, self.tr("Blind spots"), QgsProcessing.TypeVectorPolygon)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.GRID_STATS,
                self.tr("Coverage per grid"),
                QgsProcessing.TypeVectorPolygon,
                optional=True,  # coverage of an area without GRIDS needs no per-grid table
                createByDefault=True,
            )
        )
        for name, label in (
            ("TARGET_M2", self.tr("Target area (m2)")),
            ("COVERED_M2", self.tr("Covered area (m2)")),
            ("RATIO", self.tr("Coverage ratio")),
            ("BLIND_COUNT", self.tr("Number of blind spots")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def processAlgorithm(self, parameters, context, feedback):
        report = _Reporter(feedback)
        target_src = self._source(parameters, self.TARGET, context)
        cam_src = self._source(parameters, self.CAMERAS, context)
        grid_src = self._source(parameters, self.GRIDS, context, required=False)
        crs = self._metric(target_src, self.tr("target"))
        feedback.pushInfo(self.tr("Working in {0}.", crs.authid()))
        obstacles = self._read_obstacles(parameters, context, feedback, crs, report)
        cams, _ = self._read_cameras(parameters, context, feedback, cam_src, crs, report)
        planned = self.parameterAsBoolean(parameters, self.PLANNED, context)
        counted = [c for c in cams if c.counts(planned)]
        if len(counted) < len(cams):
            feedback.pushInfo(self.tr("{0} of {1} cameras count toward coverage (status).", len(counted), len(cams)))
        dori = self._dori(parameters, context)
        if dori:
            self._warn_no_resolution(counted, report)
        engine = FovEngine(obstacles, self._sweep_options(parameters, context, dori))
        self._announce_jit(len(counted), feedback)
        fovs, msgs = engine.fovs(counted, progress=self._progress(feedback, 5, 45))
        for m in msgs:
            report(m.level, m.text)
        if feedback.isCanceled():
            return {}
        targets = _read(target_src, crs, [], feedback, report, self.tr("Target"))
        for fid, reason in targets.skipped:
            report("warning", self.tr("Target feature {0} could not be transformed: {1}", fid, reason))
        if not any(g is not None and not g.is_empty for g in targets.geoms):
            raise QgsProcessingException(self.tr("The target layer has no polygons."))
        if not counted:
            report("warning", self.tr("No camera counts toward coverage: the whole target is blind."))
        grids = grid_ids = None
        if grid_src is not None:
            id_field = self.parameterAsString(parameters, self.GRID_ID_FIELD, context)
            if id_field and grid_src.fields().lookupField(id_field) < 0:
                report("warning", self.tr("The grid layer has no field {0}; feature ids are used.", id_field))
                id_field = ""
            garr = _read(grid_src, crs, [id_field] if id_field else [], feedback, report, self.tr("Grid"))
            grids = garr.geoms
            grid_ids = [
                str(a[id_field]) if id_field and a[id_field] is not None else str(int(f))
                for a, f in zip(garr.attributes, garr.fids)
            ]
        result = compute_coverage(
            fovs,
            targets.geoms,
            obstacles,
            grids,
            tile_size=self.parameterAsDouble(parameters, self.TILE_SIZE, context) or 500.0,
            min_blind_area=self.parameterAsDouble(parameters, self.MIN_BLIND_AREA, context),
            progress=self._progress(feedback, 50, 45),
        )
        if result.canceled or feedback.isCanceled():
            return {}
        for i in result.invalid_targets:
            report(
                "warning", self.tr("Target feature {0} has an invalid geometry; it was repaired.", int(targets.fids[i]))
            )
        if grids is not None:
            for i in result.invalid_grids:
                report("warning", self.tr("Grid feature {0} has an invalid geometry; it was repaired.", grid_ids[i]))

        def gname(g):
            return None if g is None or grid_ids is None else grid_ids[g]

        out_crs = target_src.sourceCrs()
        back = QgsCoordinateTransform(crs, out_crs, context.transformContext())
        cf = QgsFields()
        cf.append(QgsField("grid", QVariant.String))
        cf.append(QgsField("area_m2", QVariant.Double))
        bf = QgsFields()
        bf.append(QgsField("id", QVariant.Int))
        bf.append(QgsField("area_m2", QVariant.Double))
        bf.append(QgsField("grid", QVariant.String))
        sf = QgsFields()
        sf.append(QgsField("grid", QVariant.String))
        for name, kind in (
            ("target_m2", QVariant.Double),
            ("covered_m2", QVariant.Double),
            ("ratio", QVariant.Double),
            ("blind_count", QVariant.Int),
            ("blind_m2", QVariant.Double),
            ("multi_m2", QVariant.Double),
            ("cameras", QVariant.Int),
        ):
            sf.append(QgsField(name, kind))
        blind = sorted(result.blind_spots, key=lambda b: -b.area)
        sink, cov_dest = self._sink(parameters, self.COVERAGE, context, cf, QgsWkbTypes.MultiPolygon, out_crs)
        write_features(
            sink,
            cf,
            (
                (_multi(g), [gname(gid), 0.0 if g is None else g.area])
                for g, gid in result.coverage
                if g is not None and not g.is_empty
            ),
            back,
            feedback,
        )
        sink, blind_dest = self._sink(parameters, self.BLIND_SPOTS, context, bf, QgsWkbTypes.Polygon, out_crs)
        write_features(
            sink, bf, ((b.geom, [i + 1, b.area, gname(b.grid)]) for i, b in enumerate(blind)), back, feedback
        )
        if parameters.get(self.GRID_STATS):
            sink, stats_dest = self._sink(parameters, self.GRID_STATS, context, sf, QgsWkbTypes.MultiPolygon, out_crs)
        else:  # optional output not asked for
            sink, stats_dest = _Discard(), None
        write_features(
            sink,
            sf,
            (
                (
                    _multi(s.geom),
                    [
                        gname(s.grid) if s.grid is not None else None,
                        s.target_m2,
                        s.covered_m2,
                        s.ratio,
                        s.blind_count,
                        s.blind_m2,
                        s.multi_m2,
                        s.cameras,
                    ],
                )
                for s in result.grid_stats
            ),
            back,
            feedback,
        )
        total, covered = result.target_m2, result.covered_m2
        feedback.pushInfo(
            self.tr(
                "Covered {0:.0f} of {1:.0f} m2 ({2:.1%}); {3} blind spots.",
                covered,
                total,
                covered / total if total else 0.0,
                len(blind),
            )
        )
        report.summary()
        return {
            self.COVERAGE: cov_dest,
            self.BLIND_SPOTS: blind_dest,
            self.GRID_STATS: stats_dest,
            "TARGET_M2": total,
            "COVERED_M2": covered,
            "RATIO": covered / total if total else 0.0,
            "BLIND_COUNT": len(blind),
        }


class SuggestCamerasAlgorithm(_CoverageBase):
    ALG_ID = "suggestcameras"
    ALG_NAME = "Suggest camera positions"
    HELP = (
        "Suggests COUNT new cameras (with the default lens, range and height) that add the most coverage of the "
        "TARGET not yet seen by the existing CAMERAS. Mount points come from CANDIDATES or, when absent, are "
        "generated along building facades and street edges every 'site spacing' metres; each is tried with "
        "several azimuths. The target is sampled on a lattice; WEIGHTS points (e.g. past events) make nearby "
        "ground count more. A lazy greedy choice (within 1 - 1/e of the optimum) is always made; on small "
        "instances the exact optimum is found with a MILP as well and the better choice is kept. The log reports "
        "the gain and, where solved, the optimum."
    )
    TARGET = "TARGET"
    OBSTACLES = "OBSTACLES"
    CAMERAS = "CAMERAS"
    CANDIDATES = "CANDIDATES"
    WEIGHTS = "WEIGHTS"
    WEIGHT_FIELD = "WEIGHT_FIELD"
    AREA = "AREA"
    COUNT = "COUNT"
    PLANNED = "PLANNED"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.TARGET, self.tr("Target area (street space, squares...)"), [QgsProcessing.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.OBSTACLES,
                self.tr("Obstacles (building footprints)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.CAMERAS, self.tr("Existing cameras"), [QgsProcessing.TypeVectorPoint], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.CANDIDATES, self.tr("Candidate mount points"), [QgsProcessing.TypeVectorPoint], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.WEIGHTS,
                self.tr("Weight points (e.g. past events)"),
                [QgsProcessing.TypeVectorPoint],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.WEIGHT_FIELD,
                self.tr("Weight field (empty: 1 per point)"),
                None,
                self.WEIGHTS,
                QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AREA,
                self.tr("Only inside this area (a community, grids...): target, mount points and weights"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.COUNT, self.tr("Number of cameras to suggest"), QgsProcessingParameterNumber.Integer, 10, False, 1
            )
        )
        self._add_camera_fields(self.CAMERAS)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.PLANNED, self.tr("Existing coverage includes offline, faulty and planned cameras"), False
            )
        )
        self._add_defaults(90.0, 50.0, 6.0)
        self._add_dori()
        for name, label, default, kind in (
            (
                "SITE_SPACING",
                self.tr("Spacing of generated mount points (m)"),
                10.0,
                QgsProcessingParameterNumber.Double,
            ),
            (
                "SAMPLE_SPACING",
                self.tr("Spacing of target sample points (m)"),
                2.0,
                QgsProcessingParameterNumber.Double,
            ),
            ("AZIMUTHS", self.tr("Azimuths tried per mount point"), 5, QgsProcessingParameterNumber.Integer),
            (
                "WEIGHT_RADIUS",
                self.tr("Radius of influence of a weight point (m)"),
                20.0,
                QgsProcessingParameterNumber.Double,
            ),
            (
                "EXACT_MAX_OPTIONS",
                self.tr("Solve exactly up to this many options"),
                400,
                QgsProcessingParameterNumber.Integer,
            ),
        ):
            p = QgsProcessingParameterNumber(name, label, kind, default, False, 0)
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        p = QgsProcessingParameterBoolean("ONE_PER_SITE", self.tr("At most one camera per mount point"), False)
        p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Suggested cameras"), QgsProcessing.TypeVectorPoint)
        )
        for name, label in (
            ("WEIGHT_POINTS", self.tr("Weight points used")),
            ("GAIN_M2", self.tr("Added coverage (weighted m2)")),
            ("OPTIMUM_M2", self.tr("Exact optimum (weighted m2)")),
            ("RATIO_TO_OPTIMUM", self.tr("Gain / optimum")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def processAlgorithm(self, parameters, context, feedback):
        report = _Reporter(feedback)
        target_src = self._source(parameters, self.TARGET, context)
        crs = self._metric(target_src, self.tr("target"))
        feedback.pushInfo(self.tr("Working in {0}.", crs.authid()))
        obstacles = self._read_obstacles(parameters, context, feedback, crs, report)
        dori = self._dori(parameters, context)
        engine = FovEngine(obstacles, self._sweep_options(parameters, context, dori))
        existing = np.empty(0, dtype=object)
        cam_src = self._source(parameters, self.CAMERAS, context, required=False)
        if cam_src is not None:
            cams, _ = self._read_cameras(parameters, context, feedback, cam_src, crs, report)
            planned = self.parameterAsBoolean(parameters, self.PLANNED, context)
            existing, msgs = engine.fovs([c for c in cams if c.counts(planned)])
            for m in msgs:
                report(m.level, m.text)
        targets = _read(target_src, crs, [], feedback, report, self.tr("Target"))
        target = shapely.union_all(polygonal(targets.geoms)[0]) if len(targets) else None
        if target is None or target.is_empty:
            raise QgsProcessingException(self.tr("The target layer has no polygons."))
        area = None
        area_src = self._source(parameters, self.AREA, context, required=False)
        if area_src is not None:
            aarr = _read(area_src, crs, [], feedback, report, self.tr("Area to place cameras in"))
            area = shapely.union_all(polygonal(aarr.geoms)[0]) if len(aarr) else None
            if area is None or area.is_empty:
                raise QgsProcessingException(self.tr("The area layer has no polygons."))
            target = shapely.intersection(target, area)
            if target.is_empty:
                raise QgsProcessingException(self.tr("The target has nothing inside the area."))
        sites = None
        cand_src = self._source(parameters, self.CANDIDATES, context, required=False)
        if cand_src is not None:
            carr = read_source(cand_src, crs, [], feedback)
            sites = [Site(g.x, g.y, None, "given") for g in carr.geoms if g is not None and g.geom_type == "Point"]
            if not sites:
                raise QgsProcessingException(self.tr("The candidate layer has no points."))
        if area is not None:
            # mount points inside the area only: a facade across the boundary road belongs to the
            # next community, and its cameras are not this community's to plan
            spacing = self.parameterAsDouble(parameters, "SITE_SPACING", context) or 10.0
            if sites is None:
                sites = facade_sites(obstacles, target, spacing) + street_sites(target, spacing)
            inside = shapely.covers(area, shapely.points([(s.x, s.y) for s in sites])) if sites else []
            dropped = len(sites) - int(np.count_nonzero(inside))
            sites = [s for s, ok in zip(sites, inside) if ok]
            feedback.pushInfo(self.tr("{0} mount points inside the area ({1} outside left out).", len(sites), dropped))
            if not sites:
                raise QgsProcessingException(self.tr("There is no mount point inside the area."))
        events = None
        n_weights = 0
        w_src = self._source(parameters, self.WEIGHTS, context, required=False)
        if w_src is not None:
            wfield = self.parameterAsString(parameters, self.WEIGHT_FIELD, context)
            warr = read_source(w_src, crs, [wfield] if wfield else [], feedback)
            ok = [i for i, g in enumerate(warr.geoms) if g is not None and g.geom_type == "Point"]
            if area is not None and ok:
                ok = [i for i, k in zip(ok, shapely.covers(area, np.array([warr.geoms[i] for i in ok]))) if k]
            feedback.pushInfo(self.tr("{0} weight points.", len(ok)))
            n_weights = len(ok)
            ex = np.array([warr.geoms[i].x for i in ok])
            ey = np.array([warr.geoms[i].y for i in ok])
            ew = None
            if wfield:
                ew = np.array(
                    [warr.attributes[i][wfield] if warr.attributes[i][wfield] is not None else np.nan for i in ok],
                    dtype=float,
                )
            events = (ex, ey, ew)
        template = Camera(
            0.0,
            0.0,
            hfov=self.parameterAsDouble(parameters, "DEFAULT_HFOV", context),
            range_m=self.parameterAsDouble(parameters, "DEFAULT_RANGE", context),
            height_m=self.parameterAsDouble(parameters, "DEFAULT_HEIGHT", context),
        )
        count = self.parameterAsInt(parameters, self.COUNT, context)
        result = suggest_cameras(
            target,
            obstacles,
            existing,
            count,
            template,
            sites=sites,
            events=events,
            sample_spacing=self.parameterAsDouble(parameters, "SAMPLE_SPACING", context) or 2.0,
            site_spacing=self.parameterAsDouble(parameters, "SITE_SPACING", context) or 10.0,
            azimuths_per_site=max(1, self.parameterAsInt(parameters, "AZIMUTHS", context)),
            one_per_site=self.parameterAsBoolean(parameters, "ONE_PER_SITE", context),
            exact_max_options=self.parameterAsInt(parameters, "EXACT_MAX_OPTIONS", context),
            weight_radius=self.parameterAsDouble(parameters, "WEIGHT_RADIUS", context),
            engine=engine,
            progress=self._progress(feedback, 10, 70),
        )
        if feedback.isCanceled():
            return {}
        feedback.pushInfo(
            self.tr(
                "{0} mount points, {1} options, {2} sample points of unseen target.",
                result.n_sites,
                result.n_options,
                result.n_samples,
            )
        )
        if not result.suggestions:
            report("warning", self.tr("No camera adds coverage; nothing suggested."))
        out_crs = cam_src.sourceCrs() if cam_src is not None else target_src.sourceCrs()
        fields = QgsFields()
        for name, kind in (
            ("rank", QVariant.Int),
            ("azimuth", QVariant.Double),
            ("direction", QVariant.String),
            ("hfov", QVariant.Double),
            ("range_m", QVariant.Double),
            ("height_m", QVariant.Double),
            ("status", QVariant.String),
            ("site_kind", QVariant.String),
            ("gain_m2", QVariant.Double),
            ("gain_weight", QVariant.Double),
            ("cum_share", QVariant.Double),
            ("method", QVariant.String),
        ):
            fields.append(QgsField(name, kind))
        rows = []
        cum = 0.0
        for rank, s in enumerate(result.suggestions, 1):
            cum += s.gain
            c = s.camera
            rows.append(
                (
                    shapely.Point(c.x, c.y),
                    [
                        rank,
                        c.azimuth,
                        compass_word(c.azimuth if c.hfov < 360 else None) or self.tr("all round"),
                        c.hfov,
                        c.range_m,
                        c.height_m,
                        "planned",
                        s.site_kind,
                        s.gain_m2,
                        s.gain,
                        cum / result.target_weight if result.target_weight else 0.0,
                        result.method,
                    ],
                )
            )
        sink, dest = self._sink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point, out_crs)
        write_features(sink, fields, rows, QgsCoordinateTransform(crs, out_crs, context.transformContext()), feedback)
        ratio = result.ratio_to_optimum
        feedback.pushInfo(
            self.tr(
                "Suggested {0} cameras adding {1:.0f} (weighted m2) by {2}.",
                len(result.suggestions),
                result.total_gain,
                result.method,
            )
        )
        if result.optimum is not None:
            feedback.pushInfo(
                self.tr(
                    "Exact optimum {0:.0f}; the suggestion reaches {1:.1%} of it.",
                    result.optimum,
                    ratio if ratio is not None else 1.0,
                )
            )
        report.summary()
        return {
            self.OUTPUT: dest,
            "WEIGHT_POINTS": n_weights,
            "GAIN_M2": result.total_gain,
            "OPTIMUM_M2": result.optimum if result.optimum is not None else -1.0,
            "RATIO_TO_OPTIMUM": ratio if ratio is not None else -1.0,
        }


ALGORITHMS = [CameraFovAlgorithm, CoverageAlgorithm, SuggestCamerasAlgorithm]
