"""Patrol algorithms: gridgov:patrolcoverage and gridgov:importpatroltracks (issue 12).

Ids and the parameter names TRACKS, GRIDS, ROADS, START, END and OUTPUT are a public interface;
docs/patrols.md describes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDateTime, QVariant

from ..core.crs import CrsError, metric_crs_for
from ..core.events.coords import COORD_SYSTEMS
from ..core.i18n import tr
from ..core.patrol import coverage as cov
from ..core.patrol import tracks as trk
from ..core.store.qgsio import read_source, write_features
from .base import GridGovAlgorithm

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
WORKER_GUESSES = trk.WORKER_KEYS
TIME_GUESSES = trk.TIME_KEYS
GRID_CODE_GUESSES = ("grid_code", "code", "网格编码")


def _fields(spec: list[tuple[str, Any]]) -> QgsFields:
    fields = QgsFields()
    for name, kind in spec:
        fields.append(QgsField(name, kind))
    return fields


def _guess(source, wanted: str, guesses, what: str, required: bool = True) -> str | None:
    names = [f.name() for f in source.fields()]
    if wanted:
        if wanted not in names:
            raise QgsProcessingException(tr("The {0} layer has no field '{1}'.", what, wanted))
        return wanted
    lower = {n.lower(): n for n in names}
    for g in guesses:
        if g.lower() in lower:
            return lower[g.lower()]
    if required:
        raise QgsProcessingException(
            tr(
                "The {0} layer needs one of the fields {1}; choose the field in the parameters.",
                what,
                ", ".join(guesses),
            )
        )
    return None


def _aware(value: Any) -> Any:
    """A QDateTime attribute as an aware datetime (PyQt's toPyDateTime drops the zone)."""
    if isinstance(value, QDateTime):
        if not value.isValid():
            return None
        if value.timeSpec() == 0:  # Qt.LocalTime: a field without zone, taken as Beijing time
            d, t = value.date(), value.time()
            return dt.datetime(
                d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec() * 1000, tzinfo=trk.BEIJING
            )
        utc = value.toUTC()
        d, t = utc.date(), utc.time()
        return dt.datetime(
            d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec() * 1000, tzinfo=dt.timezone.utc
        )
    return value


def read_track_layer(source, worker_field: str, time_field: str, feedback=None) -> trk.ReadResult:
    """Fixes from a point layer; a ``coord_sys`` field (GCJ-02/BD-09 from phones) converts each row."""
    out = trk.ReadResult()
    sys_field = next((f.name() for f in source.fields() if f.name().lower() in trk.SYS_KEYS), None)
    if sys_field and not source.sourceCrs().isGeographic():
        sys_field = None  # projected coordinates carry no GCJ-02 offset
    to_wgs = QgsCoordinateTransform(source.sourceCrs(), WGS84, QgsProject.instance())
    request = QgsFeatureRequest().setSubsetOfAttributes(
        [n for n in (worker_field, time_field, sys_field) if n], source.fields()
    )
    total = max(source.featureCount(), 1)
    for i, f in enumerate(source.getFeatures(request)):
        if feedback is not None:
            if feedback.isCanceled():
                break
            if i % 5000 == 0:
                feedback.setProgress(20.0 * i / total)
        label = tr("feature {0}", f.id())
        g = f.geometry()
        if g.isNull() or QgsWkbTypes.geometryType(g.wkbType()) != QgsWkbTypes.PointGeometry:
            out.problems.append(tr("{0}: not a point.", label))
            continue
        p = g.asPoint() if not g.isMultipart() else g.asMultiPoint()[0]
        try:
            p = p if sys_field else to_wgs.transform(QgsPointXY(p))
        except Exception as exc:  # QgsCsException
            out.problems.append(tr("{0}: {1}", label, str(exc)))
            continue
        fix, problem = trk.fix_from_values(
            f[worker_field],
            _aware(f[time_field]),
            p.x(),
            p.y(),
            f[sys_field] if sys_field else "wgs84",
            label,
        )
        if fix is not None:
            out.fixes.append(fix)
        else:
            out.problems.append(problem)
    return out


def _projector(metric: QgsCoordinateReferenceSystem):
    xform = QgsCoordinateTransform(WGS84, metric, QgsProject.instance())

    def project(lon: np.ndarray, lat: np.ndarray):
        xs, ys = np.empty(len(lon)), np.empty(len(lat))
        for k, (x, y) in enumerate(zip(lon, lat)):
            q = xform.transform(QgsPointXY(float(x), float(y)))
            xs[k], ys[k] = q.x(), q.y()
        return xs, ys

    return project


class _Style(QgsProcessingLayerPostProcessorInterface):
    """Styles an output layer once QGIS loads it (tracks, unvisited streets, stays, coverage)."""

    keep: list = []  # QGIS holds only a raw pointer: keep the Python objects alive

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        from ..core.patrol.styles import apply_style

        apply_style(layer, self.kind)

    @classmethod
    def attach(cls, context, dest: str, kind: str) -> None:
        if context.willLoadLayerOnCompletion(dest):
            post = cls(kind)
            cls.keep.append(post)
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(post)


def _clean_params(alg, cfg=None) -> list:
    params = [
        QgsProcessingParameterNumber(
            "MAX_SPEED",
            tr("Fastest plausible speed (m/s); faster fixes are GPS jumps"),
            QgsProcessingParameterNumber.Double,
            defaultValue=15.0,
            minValue=0.5,
        ),
        QgsProcessingParameterNumber(
            "MAX_GAP",
            tr("Longest silence (minutes) before the track is split"),
            QgsProcessingParameterNumber.Double,
            defaultValue=10.0,
            minValue=0.1,
        ),
    ]
    for p in params:
        p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return params


def _report(reports: list[trk.CleanReport], problems: list[str], feedback) -> dict[str, int]:
    for r in reports:
        feedback.pushInfo(r.summary())
    for p in problems[:50]:
        feedback.pushWarning(p)
    if len(problems) > 50:
        feedback.pushWarning(tr("... and {0} more rows that could not be read.", len(problems) - 50))
    return {
        "UNREADABLE": len(problems),
        "DUPLICATES": sum(r.duplicates for r in reports),
        "JUMPS": sum(r.jumps for r in reports),
        "INVALID": sum(r.invalid for r in reports),
        "UNSORTED": sum(r.unsorted for r in reports),
        "GAPS": sum(r.gaps for r in reports),
    }


COUNT_OUTPUTS = (
    ("UNREADABLE", "Rows that could not be read"),
    ("DUPLICATES", "Duplicate fixes dropped"),
    ("JUMPS", "GPS jumps dropped"),
    ("INVALID", "Invalid fixes dropped"),
    ("UNSORTED", "Fixes out of order (sorted)"),
    ("GAPS", "Gaps that split a track"),
)


class PatrolCoverageAlgorithm(GridGovAlgorithm):
    ALG_ID = "patrolcoverage"
    ALG_NAME = "Patrol coverage"
    GROUP_ID = "patrol"
    GROUP = "Patrols"
    HELP = (
        "Grid workers' patrols (巡查) over a period: for every grid and every worker who patrolled in it (and the "
        "grid's own worker even without a single fix), the length of the grid's streets, the part walked within "
        "BUFFER metres of the worker's cleaned track and its share, the time inside the grid, and the stays of at "
        "least STAY_MINUTES minutes. TRACKS is a point layer with a worker id and a time field (a coord_sys field "
        "with gcj02 or bd09 converts phone coordinates); GRIDS are the grid polygons with grid_code and worker_id; "
        "ROADS the street centre lines. Tracks are cleaned first: duplicates, GPS jumps and invalid fixes are "
        "dropped, unsorted fixes sorted, and a track is split where the phone was silent while the worker moved; "
        "the log says what was dropped per worker. Optional outputs: the streets nobody walked, the cleaned "
        "tracks and the stays, styled on the map."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "TRACKS", self.tr("Patrol tracks (GPS points)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource("GRIDS", self.tr("Grids"), [QgsProcessing.TypeVectorPolygon])
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "ROADS", self.tr("Streets (centre lines)"), [QgsProcessing.TypeVectorLine]
            )
        )
        self.addParameter(QgsProcessingParameterDateTime("START", self.tr("From")))
        self.addParameter(QgsProcessingParameterDateTime("END", self.tr("Until (exclusive)")))
        self.addParameter(
            QgsProcessingParameterNumber(
                "BUFFER",
                self.tr("A street counts as walked within (metres)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=30.0,
                minValue=1.0,
                maxValue=500.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "STAY_MINUTES",
                self.tr("Stays longer than (minutes)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=10.0,
                minValue=0.5,
            )
        )
        advanced = [
            QgsProcessingParameterNumber(
                "STAY_RADIUS",
                self.tr("Stay radius (metres)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=50.0,
                minValue=1.0,
            ),
            QgsProcessingParameterField(
                "WORKER_FIELD",
                self.tr("Worker id field (default: worker_id)"),
                parentLayerParameterName="TRACKS",
                type=QgsProcessingParameterField.Any,
                optional=True,
            ),
            QgsProcessingParameterField(
                "TIME_FIELD",
                self.tr("Time field (default: time)"),
                parentLayerParameterName="TRACKS",
                type=QgsProcessingParameterField.Any,
                optional=True,
            ),
            QgsProcessingParameterField(
                "GRID_CODE_FIELD",
                self.tr("Grid code field (default: grid_code)"),
                parentLayerParameterName="GRIDS",
                type=QgsProcessingParameterField.Any,
                optional=True,
            ),
            QgsProcessingParameterField(
                "GRID_WORKER_FIELD",
                self.tr("Grid's worker field (default: worker_id)"),
                parentLayerParameterName="GRIDS",
                type=QgsProcessingParameterField.Any,
                optional=True,
            ),
        ]
        for p in advanced:
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        for p in _clean_params(self):
            self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Patrol coverage"), QgsProcessing.TypeVectorPolygon)
        )
        for name, label, kind in (
            ("UNVISITED", "Streets not walked", QgsProcessing.TypeVectorLine),
            ("CLEAN_TRACKS", "Cleaned tracks", QgsProcessing.TypeVectorLine),
            ("STAYS", "Stays", QgsProcessing.TypeVectorPoint),
        ):
            self.addParameter(QgsProcessingParameterFeatureSink(name, self.tr(label), kind, optional=True))
        for name, label in COUNT_OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

    def processAlgorithm(self, parameters, context, feedback):
        from ..processing.alg_events import _pydatetime

        tracks = self.parameterAsSource(parameters, "TRACKS", context)
        grids = self.parameterAsSource(parameters, "GRIDS", context)
        roads = self.parameterAsSource(parameters, "ROADS", context)
        for src, key in ((tracks, "TRACKS"), (grids, "GRIDS"), (roads, "ROADS")):
            if src is None:
                raise QgsProcessingException(self.invalidSourceError(parameters, key))
        start = _pydatetime(self.parameterAsDateTime(parameters, "START", context))
        end = _pydatetime(self.parameterAsDateTime(parameters, "END", context))
        if start is None or end is None or not start < end:
            raise QgsProcessingException(self.tr("The period needs a start before its end."))
        worker_f = _guess(
            tracks, self.parameterAsString(parameters, "WORKER_FIELD", context) or "", WORKER_GUESSES, self.tr("tracks")
        )
        time_f = _guess(
            tracks, self.parameterAsString(parameters, "TIME_FIELD", context) or "", TIME_GUESSES, self.tr("tracks")
        )
        code_f = _guess(
            grids,
            self.parameterAsString(parameters, "GRID_CODE_FIELD", context) or "",
            GRID_CODE_GUESSES,
            self.tr("grids"),
        )
        gw_f = _guess(
            grids,
            self.parameterAsString(parameters, "GRID_WORKER_FIELD", context) or "",
            ("worker_id",),
            self.tr("grids"),
            required=False,
        )
        try:
            metric = metric_crs_for(grids.sourceCrs(), grids.sourceExtent())
        except CrsError as exc:
            raise QgsProcessingException(str(exc)) from exc

        feedback.pushInfo(self.tr("Reading and cleaning the tracks..."))
        read = read_track_layer(tracks, worker_f, time_f, feedback)
        segments, reports = trk.clean(
            read.fixes,
            max_speed=self.parameterAsDouble(parameters, "MAX_SPEED", context),
            max_gap=60.0 * self.parameterAsDouble(parameters, "MAX_GAP", context),
            stay_radius=self.parameterAsDouble(parameters, "STAY_RADIUS", context),
        )
        counts = _report(reports, read.problems, feedback)
        if feedback.isCanceled():
            return {}
        segs = cov.to_segments(segments, _projector(metric), start, end)
        if not segs:
            feedback.pushWarning(self.tr("No track fix falls in the period; every grid is reported as not patrolled."))
        feedback.setProgress(25)
        g = read_source(grids, metric, [code_f] + ([gw_f] if gw_f else []))
        r = read_source(roads, metric, [])
        grid_rows = []
        for geom, attrs, fid in zip(g.geoms, g.attributes, g.fids):
            code = attrs.get(code_f)
            if geom is None or code in (None, ""):
                feedback.pushWarning(self.tr("Grid feature {0} has no geometry or no code; skipped.", int(fid)))
                continue
            worker = attrs.get(gw_f) if gw_f else None
            grid_rows.append((str(code), geom, str(worker) if worker not in (None, "") else None))
        feedback.pushInfo(self.tr("Computing coverage of {0} grids...", len(grid_rows)))
        res = cov.coverage(
            segs,
            grid_rows,
            [x for x in r.geoms if x is not None],
            buffer_m=self.parameterAsDouble(parameters, "BUFFER", context),
            stay_min=self.parameterAsDouble(parameters, "STAY_MINUTES", context),
            stay_radius_m=self.parameterAsDouble(parameters, "STAY_RADIUS", context),
            feedback=feedback,
        )
        results: dict[str, Any] = dict(counts)
        geom_by_code = {c: p for c, p, _w in grid_rows}

        fields = _fields(
            [
                ("grid_code", QVariant.String),
                ("worker_id", QVariant.String),
                ("assigned", QVariant.Bool),
                ("street_m", QVariant.Double),
                ("walked_m", QVariant.Double),
                ("share", QVariant.Double),
                ("inside_min", QVariant.Double),
                ("stays", QVariant.Int),
                ("stay_min", QVariant.Double),
                ("fixes", QVariant.Int),
            ]
        )
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, metric)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        write_features(
            sink,
            fields,
            (
                (
                    geom_by_code[x.grid_code],
                    [
                        x.grid_code,
                        x.worker_id,
                        x.assigned,
                        round(x.street_m, 1),
                        round(x.walked_m, 1),
                        None if x.share is None else round(x.share, 4),
                        round(x.inside_s / 60.0, 1),
                        x.stays,
                        round(x.stay_min, 1),
                        x.fixes,
                    ],
                )
                for x in res.rows
            ),
        )
        del sink
        results["OUTPUT"] = dest
        _Style.attach(context, dest, "coverage")

        if parameters.get("UNVISITED") is not None:
            uf = _fields([("grid_code", QVariant.String), ("length_m", QVariant.Double)])
            sink, d = self.parameterAsSink(parameters, "UNVISITED", context, uf, QgsWkbTypes.MultiLineString, metric)
            if sink is not None:
                write_features(sink, uf, ((geom, [code, round(float(geom.length), 1)]) for code, geom in res.unvisited))
                del sink
                results["UNVISITED"] = d
                _Style.attach(context, d, "unvisited")
        if parameters.get("CLEAN_TRACKS") is not None:
            tf = _fields(
                [
                    ("worker_id", QVariant.String),
                    ("start", QVariant.String),
                    ("end", QVariant.String),
                    ("fixes", QVariant.Int),
                    ("length_m", QVariant.Double),
                ]
            )
            sink, d = self.parameterAsSink(parameters, "CLEAN_TRACKS", context, tf, QgsWkbTypes.LineString, metric)
            if sink is not None:

                def iso(t: float) -> str:
                    return dt.datetime.fromtimestamp(t, tz=trk.BEIJING).isoformat(timespec="seconds")

                write_features(
                    sink,
                    tf,
                    (
                        (
                            s.line,
                            [
                                s.worker_id,
                                iso(s.times[0]),
                                iso(s.times[-1]),
                                len(s.times),
                                round(float(s.line.length), 1),
                            ],
                        )
                        for s in res.tracks
                        if len(s.times) >= 2
                    ),
                )
                del sink
                results["CLEAN_TRACKS"] = d
                _Style.attach(context, d, "tracks")
        if parameters.get("STAYS") is not None:
            sf = _fields(
                [
                    ("worker_id", QVariant.String),
                    ("grid_code", QVariant.String),
                    ("start", QVariant.String),
                    ("minutes", QVariant.Double),
                ]
            )
            sink, d = self.parameterAsSink(parameters, "STAYS", context, sf, QgsWkbTypes.Point, metric)
            if sink is not None:
                import shapely

                write_features(
                    sink,
                    sf,
                    (
                        (
                            shapely.Point(s.x, s.y),
                            [
                                s.worker_id,
                                s.grid_code,
                                dt.datetime.fromtimestamp(s.start, tz=trk.BEIJING).isoformat(timespec="seconds"),
                                round(s.minutes, 1),
                            ],
                        )
                        for s in res.stays
                    ),
                )
                del sink
                results["STAYS"] = d
                _Style.attach(context, d, "stays")
        feedback.setProgress(100)
        return results


class ImportPatrolTracksAlgorithm(GridGovAlgorithm):
    ALG_ID = "importpatroltracks"
    ALG_NAME = "Import patrol tracks"
    GROUP_ID = "patrol"
    GROUP = "Patrols"
    HELP = (
        "Reads patrol tracks from the grid workers' app - GPX files, or CSV/GeoJSON with worker_id, time, lon, lat "
        "and coord_sys - converts GCJ-02 and BD-09 coordinates to CGCS2000/WGS84, cleans them (duplicates, GPS "
        "jumps, invalid fixes dropped, unsorted fixes sorted; the log says what was dropped per worker) and writes "
        "the kept fixes to OUTPUT and, with a database connection, into gridgov.patrol_fix (a fix already stored "
        "for the same worker and instant is kept: importing a file twice changes nothing). A GPX file has no "
        "worker id: give WORKER_ID, or the file's author or track name is used. A time without a zone is Beijing time."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterMultipleLayers("INPUT", self.tr("Track files"), QgsProcessing.TypeFile))
        self.addParameter(
            QgsProcessingParameterString("WORKER_ID", self.tr("Worker id (for GPX files)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                "COORD_SYS",
                self.tr("Coordinates of rows without coord_sys"),
                options=list(COORD_SYSTEMS),
                defaultValue=0,
            )
        )
        for p in _clean_params(self):
            self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterProviderConnection(
                "DATABASE", self.tr("Store in database (optional)"), "postgres", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Patrol fixes"), QgsProcessing.TypeVectorPoint)
        )
        self.addOutput(QgsProcessingOutputNumber("FIXES", self.tr("Fixes kept")))
        self.addOutput(QgsProcessingOutputNumber("STORED", self.tr("Fixes newly stored")))
        for name, label in COUNT_OUTPUTS:
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

    def processAlgorithm(self, parameters, context, feedback):
        paths = [p for p in (self.parameterAsFileList(parameters, "INPUT", context) or []) if p]
        if not paths:
            raise QgsProcessingException(self.tr("Choose at least one track file."))
        worker = (self.parameterAsString(parameters, "WORKER_ID", context) or "").strip() or None
        default_sys = COORD_SYSTEMS[self.parameterAsEnum(parameters, "COORD_SYS", context)]
        fixes, problems = [], []
        for path in paths:
            try:
                got = trk.read_tracks(path, worker, default_sys)
            except (OSError, ValueError, RuntimeError, UnicodeDecodeError) as exc:
                feedback.reportError(self.tr("{0} was not read: {1}", path, str(exc)), fatalError=False)
                continue
            fixes += got.fixes
            problems += got.problems
        segments, reports = trk.clean(
            fixes,
            max_speed=self.parameterAsDouble(parameters, "MAX_SPEED", context),
            max_gap=60.0 * self.parameterAsDouble(parameters, "MAX_GAP", context),
        )
        results: dict[str, Any] = _report(reports, problems, feedback)
        kept = [f for segs in segments.values() for s in segs for f in s]
        fields = _fields([("worker_id", QVariant.String), ("time", QVariant.DateTime), ("segment", QVariant.Int)])
        crs = QgsCoordinateReferenceSystem("EPSG:4490")
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.Point, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        import shapely

        from ..processing.alg_events import _qdatetime

        write_features(
            sink,
            fields,
            (
                (shapely.Point(f.lon, f.lat), [w, _qdatetime(f.at), k])
                for w, segs in segments.items()
                for k, s in enumerate(segs)
                for f in s
            ),
        )
        del sink
        results["OUTPUT"] = dest
        results["FIXES"] = len(kept)
        results["STORED"] = 0
        name = self.parameterAsConnectionName(parameters, "DATABASE", context) if parameters.get("DATABASE") else ""
        if name:
            from ..core.patrol.store import store_fixes
            from ..core.store import db

            try:
                conn = db.connect(name, application_name="gridgov-importpatrol")
            except db.ConnectionError_ as exc:
                raise QgsProcessingException(str(exc)) from exc
            try:
                stored, unknown = store_fixes(conn, kept, source=",".join(p.rsplit("/", 1)[-1] for p in paths)[:200])
            except Exception as exc:
                raise QgsProcessingException(self.tr("The fixes could not be stored: {0}", str(exc).strip())) from exc
            finally:
                conn.close()
            results["STORED"] = stored
            feedback.pushInfo(self.tr("{0} new fixes stored ({1} were already there).", stored, len(kept) - stored))
            if unknown:
                feedback.pushWarning(self.tr("Workers not in the worker list: {0}", ", ".join(unknown)))
        _Style.attach(context, dest, "fixes")
        return results


ALGORITHMS = [PatrolCoverageAlgorithm, ImportPatrolTracksAlgorithm]
