"""Events algorithms: gridgov:hotspots, gridgov:overduecases, gridgov:importopen311, gridgov:escalateoverdue.

Ids and parameter names are a public interface (issue 5); docs/events.md describes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QVariant

from ..core import dberrors
from ..core.crs import CrsError, metric_crs_for
from ..core.i18n import tr
from ..core.lazy import LazyModule
from ..core.store import db
from ..core.store.qgsio import read_source, write_features
from .base import GridGovAlgorithm

# hotspots needs shapely, esda and libpysal; overduecases and importopen311 in this module do not
shapely = LazyModule("shapely")
hs = LazyModule(__package__.rpartition(".")[0] + ".core.events.hotspots")

TIME_FIELD_GUESSES = ("reported_at", "requested_datetime", "date", "created_at", "time")
CATEGORY_FIELD_GUESSES = ("category_code", "category", "service_code")
RESULT_FIELDS = ("count", "gi_z", "gi_p", "class")


# ----------------------------------------------------------------------------- helpers
def _fields(spec: list[tuple[str, Any]]) -> QgsFields:
    fields = QgsFields()
    for name, kind in spec:
        fields.append(QgsField(name, kind))
    return fields


def _qdatetime(value: Any) -> QDateTime | None:
    """An aware datetime as a UTC QDateTime (PyQt would drop the zone)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second, value.microsecond // 1000),
        Qt.UTC,
    )


def _pydatetime(value: QDateTime | None) -> dt.datetime | None:
    """A QDateTime parameter as an aware UTC datetime; None when not set."""
    if value is None or not value.isValid():
        return None
    utc = value.toUTC()
    d, t = utc.date(), utc.time()
    return dt.datetime(
        d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec() * 1000, tzinfo=dt.timezone.utc
    )


def _guess_field(source, wanted: str, guesses: tuple[str, ...]) -> str | None:
    names = [f.name() for f in source.fields()]
    if wanted:
        if wanted not in names:
            raise QgsProcessingException(tr("The events have no field '{0}'.", wanted))
        return wanted
    lower = {n.lower(): n for n in names}
    for g in guesses:
        if g in lower:
            return lower[g]
    return None


def _connection_name(alg, parameters, context) -> str:
    name = alg.parameterAsConnectionName(parameters, "DATABASE", context)
    if not name:
        raise QgsProcessingException(tr("Choose a database connection."))
    return name


def _connect(name: str, application_name: str):
    try:
        return db.connect(name, application_name=application_name)
    except db.ConnectionError_ as exc:
        raise QgsProcessingException(str(exc)) from exc


def _database_parameter() -> QgsProcessingParameterProviderConnection:
    return QgsProcessingParameterProviderConnection("DATABASE", tr("Database connection"), "postgres")


# ----------------------------------------------------------------------------- hotspots
class HotspotsAlgorithm(GridGovAlgorithm):
    ALG_ID = "hotspots"
    ALG_NAME = "Event hot spots (Getis-Ord Gi*)"
    GROUP_ID = "events"
    GROUP = "Events and cases"
    HELP = (
        "Counts events per cell - the given grid polygons, or a regular square grid of CELL_SIZE metres over the "
        "events' extent - optionally only those in a time window and of some categories, and classes every cell "
        "by the Getis-Ord Gi* statistic (PySAL esda) with permutation inference: hot or cold at 99, 95 or 90 % "
        "confidence, or not significant. gi_z is the Gi* z-score, gi_p the two-sided permutation p-value. "
        "Neighbours are cells sharing a border or corner (queen contiguity, with a 1 m tolerance for digitising "
        "gaps); rook contiguity or a distance band can be chosen. With FDR, the Benjamini-Hochberg false discovery "
        "rate correction is applied per confidence level (use more permutations then). The first run in a QGIS "
        "session compiles the statistics code (about 20 s)."
    )
    WEIGHT_OPTIONS = ("queen", "rook", "distance")

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource("EVENTS", self.tr("Events"), [QgsProcessing.TypeVectorPoint])
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "GRIDS",
                self.tr("Grid polygons (leave empty for a regular grid)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "CELL_SIZE",
                self.tr("Cell size of the regular grid (metres)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=500.0,
                minValue=1.0,
            )
        )
        self.addParameter(QgsProcessingParameterDateTime("START", self.tr("From (reported time)"), optional=True))
        self.addParameter(
            QgsProcessingParameterDateTime("END", self.tr("Until (reported time, exclusive)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString(
                "CATEGORY", self.tr("Categories (codes, comma-separated; empty = all)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "PERMUTATIONS",
                self.tr("Permutations"),
                QgsProcessingParameterNumber.Integer,
                defaultValue=999,
                minValue=99,
                maxValue=99999,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean("FDR", self.tr("False discovery rate correction"), defaultValue=False)
        )
        advanced = [
            QgsProcessingParameterField(
                "TIME_FIELD",
                self.tr("Time field (default: reported_at or date)"),
                parentLayerParameterName="EVENTS",
                type=QgsProcessingParameterField.Any,
                optional=True,
            ),
            QgsProcessingParameterField(
                "CATEGORY_FIELD",
                self.tr("Category field (default: category_code)"),
                parentLayerParameterName="EVENTS",
                type=QgsProcessingParameterField.Any,
                optional=True,
            ),
            QgsProcessingParameterEnum(
                "WEIGHTS",
                self.tr("Neighbours"),
                options=[self.tr("Queen contiguity"), self.tr("Rook contiguity"), self.tr("Distance band")],
                defaultValue=0,
            ),
            QgsProcessingParameterNumber(
                "SEED",
                self.tr("Random seed (empty: random)"),
                QgsProcessingParameterNumber.Integer,
                optional=True,
                minValue=0,
            ),
        ]
        for p in advanced:
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Hot spots"), QgsProcessing.TypeVectorPolygon)
        )

    def processAlgorithm(self, parameters, context, feedback):
        events = self.parameterAsSource(parameters, "EVENTS", context)
        if events is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "EVENTS"))
        grids = self.parameterAsSource(parameters, "GRIDS", context)
        cell_size = self.parameterAsDouble(parameters, "CELL_SIZE", context)
        start = (
            _pydatetime(self.parameterAsDateTime(parameters, "START", context))
            if parameters.get("START") not in (None, "")
            else None
        )
        end = (
            _pydatetime(self.parameterAsDateTime(parameters, "END", context))
            if parameters.get("END") not in (None, "")
            else None
        )
        category = (self.parameterAsString(parameters, "CATEGORY", context) or "").strip()
        permutations = self.parameterAsInt(parameters, "PERMUTATIONS", context)
        fdr = self.parameterAsBool(parameters, "FDR", context)
        weights = self.WEIGHT_OPTIONS[self.parameterAsEnum(parameters, "WEIGHTS", context)]
        seed = self.parameterAsInt(parameters, "SEED", context) if parameters.get("SEED") not in (None, "") else None
        time_field = _guess_field(
            events, self.parameterAsString(parameters, "TIME_FIELD", context) or "", TIME_FIELD_GUESSES
        )
        category_field = _guess_field(
            events, self.parameterAsString(parameters, "CATEGORY_FIELD", context) or "", CATEGORY_FIELD_GUESSES
        )
        if (start or end) and not time_field:
            raise QgsProcessingException(
                self.tr("A time window needs a time field; the events have none of {0}.", ", ".join(TIME_FIELD_GUESSES))
            )
        if category and not category_field:
            raise QgsProcessingException(
                self.tr(
                    "A category filter needs a category field; the events have none of {0}.",
                    ", ".join(CATEGORY_FIELD_GUESSES),
                )
            )
        try:
            metric = metric_crs_for(events.sourceCrs(), events.sourceExtent())
        except CrsError as exc:
            raise QgsProcessingException(str(exc)) from exc

        feedback.pushInfo(self.tr("Reading events..."))
        ev = read_source(events, metric, [category_field] if category_field else [], feedback)
        if feedback.isCanceled():
            return {}
        times = self._read_times(events, time_field, ev.fids) if time_field and (start or end) else None
        cats = [a.get(category_field) for a in ev.attributes] if category_field else None

        grid_feats: list[QgsFeature] = []
        if grids is not None:
            feedback.pushInfo(self.tr("Reading grids..."))
            cells, grid_feats = self._read_grids(grids, metric, feedback)
            if feedback.isCanceled():
                return {}
        else:
            cells = None
        feedback.setProgress(40)
        feedback.pushInfo(self.tr("Computing Gi* with {0} permutations...", permutations))
        try:
            res = hs.hotspots(
                ev.geoms,
                cells=cells,
                cell_size=cell_size,
                times=times,
                categories=cats,
                start=start,
                end=end,
                category=category or None,
                permutations=permutations,
                fdr=fdr,
                weights=weights,
                seed=seed,
            )
        except hs.HotspotError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.setProgress(90)
        self._report(res, feedback)

        if grids is not None:
            fields = QgsFields(grids.fields())
            for name in RESULT_FIELDS:
                if fields.lookupField(name) >= 0:
                    raise QgsProcessingException(
                        self.tr("The grids already have a field '{0}'; rename it first.", name)
                    )
            self._add_result_fields(fields)
            sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, grids.wkbType(), grids.sourceCrs())
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
            for i, f in enumerate(grid_feats):
                if feedback.isCanceled():
                    break
                out = QgsFeature(fields)
                out.setGeometry(f.geometry())
                out.setAttributes(list(f.attributes()) + self._values(res, i))
                sink.addFeature(out, QgsFeatureSink.FastInsert)
        else:
            fields = _fields([("cell_id", QVariant.String), ("row", QVariant.Int), ("col", QVariant.Int)])
            self._add_result_fields(fields)
            sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.Polygon, metric)
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
            c = res.cells
            rows = (
                (c.geoms[i], [c.ids[i], int(c.rows[i]), int(c.cols[i])] + self._values(res, i)) for i in range(len(c))
            )
            write_features(sink, fields, rows, feedback=feedback)
        # close the writer now: esda/numba can keep this frame alive (a stored traceback),
        # and a GeoPackage sink not yet closed leaves QGIS loading an empty result
        del sink
        feedback.setProgress(100)
        return {"OUTPUT": dest}

    @staticmethod
    def _read_times(events, field: str, fids: np.ndarray) -> list[Any]:
        """Times per event in ``fids`` order, in UTC: QDateTime.toPyDateTime() would drop the time zone."""
        request = (
            QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([field], events.fields())
        )
        idx = events.fields().lookupField(field)
        by_fid: dict[int, Any] = {}
        for f in events.getFeatures(request):
            v = f.attributes()[idx]
            if isinstance(v, QDateTime):
                v = _pydatetime(v)
            elif isinstance(v, QDate):
                v = v.toPyDate() if v.isValid() else None
            elif isinstance(v, QVariant):  # NULL
                v = None
            by_fid[f.id()] = v
        return [by_fid.get(int(fid)) for fid in fids]

    @staticmethod
    def _add_result_fields(fields: QgsFields) -> None:
        fields.append(QgsField("count", QVariant.Int))
        fields.append(QgsField("gi_z", QVariant.Double))
        fields.append(QgsField("gi_p", QVariant.Double))
        fields.append(QgsField("class", QVariant.String))

    @staticmethod
    def _values(res: hs.HotspotResult, i: int) -> list[Any]:
        return [int(res.counts[i]), round(float(res.z[i]), 6), round(float(res.p[i]), 6), res.classes[i]]

    def _read_grids(self, grids, metric, feedback) -> tuple[hs.Cells, list[QgsFeature]]:
        """Grid features (kept as they are, for the output) and their cells in the metric CRS."""
        transform = None
        if grids.sourceCrs() != metric:
            transform = QgsCoordinateTransform(grids.sourceCrs(), metric, QgsProject.instance())
        feats: list[QgsFeature] = []
        wkbs: list[bytes | None] = []
        total = max(grids.featureCount(), 1)
        request = QgsFeatureRequest()
        for i, f in enumerate(grids.getFeatures(request)):
            if feedback.isCanceled():
                break
            if i % 500 == 0:
                feedback.setProgress(30 + 10 * i / total)
            feats.append(QgsFeature(f))
            g = QgsGeometry(f.geometry())
            if g.isNull():
                wkbs.append(None)
                continue
            g.convertToStraightSegment()  # curve polygons (e.g. Zürich's quarters): shapely reads no curves
            if transform is not None:
                g.transform(transform)
            wkbs.append(bytes(g.asWkb()))
        geoms = np.empty(len(wkbs), dtype=object)
        present = [i for i, w in enumerate(wkbs) if w is not None]
        if present:
            geoms[present] = shapely.make_valid(shapely.from_wkb([wkbs[i] for i in present]))
        return hs.polygon_cells(geoms, [str(f.id()) for f in feats]), feats

    def _report(self, res: hs.HotspotResult, feedback) -> None:
        counts = res.class_counts()
        feedback.pushInfo(
            self.tr(
                "{0} events in {1} cells; {2} left out by the filters, {3} outside every cell.",
                res.n_events,
                len(res.cells),
                res.n_filtered_out,
                res.n_outside,
            )
        )
        feedback.pushInfo(", ".join(f"{k}: {v}" for k, v in counts.items()))
        feedback.pushInfo(
            self.tr("p-value cut-offs used: {0}", ", ".join(f"{k} %: {v:.6g}" for k, v in res.cutoffs.items()))
        )
        if res.islands:
            feedback.pushWarning(
                self.tr("{0} cells have no neighbour and were linked to their nearest cell.", len(res.islands))
            )


# ----------------------------------------------------------------------------- overdue cases
OVERDUE_FIELDS: list[tuple[str, Any]] = [
    ("id", QVariant.String),
    ("category_code", QVariant.String),
    ("major", QVariant.String),
    ("minor", QVariant.String),
    ("status", QVariant.String),
    ("level", QVariant.String),
    ("department", QVariant.String),
    ("department_name", QVariant.String),
    ("worker_id", QVariant.String),
    ("grid_code", QVariant.String),
    ("community_code", QVariant.String),
    ("community_name", QVariant.String),
    ("street_code", QVariant.String),
    ("street_name", QVariant.String),
    ("reported_at", QVariant.DateTime),
    ("deadline_at", QVariant.DateTime),
    ("hours_overdue", QVariant.Double),
    ("hours_left", QVariant.Double),
    ("overdue", QVariant.Bool),
    ("grade", QVariant.String),
    ("escalated_at", QVariant.DateTime),
    ("escalated_to_me", QVariant.Bool),
]
_OVERDUE_COLUMNS = ", ".join(f"b.{n}" for n, _ in OVERDUE_FIELDS)
_BOARD_SQL = (
    f"SELECT {_OVERDUE_COLUMNS}, ST_X(e.geom), ST_Y(e.geom)"
    " FROM gridgov.case_board_at(%(at)s, make_interval(secs => %(horizon)s)) b JOIN gridgov.event e ON e.id = b.id"
    " ORDER BY b.deadline_at"
)


class OverdueCasesAlgorithm(GridGovAlgorithm):
    ALG_ID = "overduecases"
    ALG_NAME = "Overdue cases"
    GROUP_ID = "events"
    GROUP = "Events and cases"
    HELP = (
        "Open cases (reported, registered, dispatched, handled or verified) past their current step's deadline at "
        "the time AT (default: now), or due within HORIZON working hours of it, with their grid, community, street, "
        "department and hours overdue (negative: hours left). Deadlines and hours count in working time (the city's "
        "working calendar; calendar hours for round-the-clock categories). escalated_to_me marks cases escalated "
        "(吹哨报到) to the level of the login's area. Reads the case board of the gridgov schema."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(_database_parameter())
        self.addParameter(QgsProcessingParameterDateTime("AT", self.tr("At (default: now)"), optional=True))
        self.addParameter(
            QgsProcessingParameterNumber(
                "HORIZON",
                self.tr("Also cases due within (working hours)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=4.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Overdue cases"), QgsProcessing.TypeVectorPoint)
        )
        self.addOutput(QgsProcessingOutputNumber("OVERDUE", self.tr("Cases overdue")))

    def processAlgorithm(self, parameters, context, feedback):
        name = _connection_name(self, parameters, context)
        at = (
            _pydatetime(self.parameterAsDateTime(parameters, "AT", context))
            if parameters.get("AT") not in (None, "")
            else None
        )
        at = at or dt.datetime.now(dt.timezone.utc)
        horizon = self.parameterAsDouble(parameters, "HORIZON", context) * 3600.0
        conn = _connect(name, "gridgov-overduecases")
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT to_regprocedure('gridgov.case_board_at(timestamptz, interval)') IS NOT NULL,"
                    " to_regclass('gridgov.event') IS NOT NULL"
                )
                has_board, has_events = cur.fetchone()
                if not has_events:
                    raise QgsProcessingException(self.tr("The database has no gridgov schema; install it first."))
                if not has_board:  # overdue is defined once, in the database (migration 002 on)
                    raise QgsProcessingException(
                        self.tr(
                            "The database's gridgov schema is too old for the case board; upgrade it with "
                            "'Install or upgrade the database schema'."
                        )
                    )
                cur.execute(_BOARD_SQL, {"at": at, "horizon": horizon})
                rows = cur.fetchall()
        except QgsProcessingException:
            raise
        except Exception as exc:  # psycopg2.Error
            raise QgsProcessingException(self.tr("Reading the open cases failed: {0}", dberrors.explain(exc))) from exc
        finally:
            conn.close()
        fields = _fields(OVERDUE_FIELDS)
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, QgsWkbTypes.Point, QgsCoordinateReferenceSystem("EPSG:4490")
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        overdue = 0
        total = max(len(rows), 1)
        for i, r in enumerate(rows):
            if feedback.isCanceled():
                break
            if i % 1000 == 0:
                feedback.setProgress(100.0 * i / total)
            values = list(r[: len(OVERDUE_FIELDS)])
            values[0] = str(values[0])
            values[14], values[15], values[20] = _qdatetime(values[14]), _qdatetime(values[15]), _qdatetime(values[20])
            overdue += bool(values[18])
            f = QgsFeature(fields)
            f.setAttributes(values)
            if r[-2] is not None:
                f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(r[-2], r[-1])))
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        feedback.pushInfo(
            self.tr(
                "{0} open cases overdue at {1}, {2} more due within {3} working hours.",
                overdue,
                at.isoformat(timespec="seconds"),
                len(rows) - overdue,
                round(horizon / 3600, 2),
            )
        )
        return {"OUTPUT": dest, "OVERDUE": overdue}


# ----------------------------------------------------------------------------- Open311 import
def open311_status_defaults() -> list[tuple[str, str]]:
    """The status map's rows as the algorithm's dialog shows them first (editable)."""
    from ..core.events import open311

    return sorted(open311.DEFAULT_STATUS_MAP.items(), key=lambda kv: (kv[1], kv[0]))


class ImportOpen311Algorithm(GridGovAlgorithm):
    ALG_ID = "importopen311"
    ALG_NAME = "Import Open311 service requests"
    GROUP_ID = "events"
    GROUP = "Events and cases"
    HELP = (
        "Imports the service requests of an Open311 GeoReport v2 server (ENDPOINT, e.g. "
        "https://host/open311/v2/) requested between START and END into the events store through "
        "gridgov.report_event, with source 'open311:<host>' and the service_request_id as external id, so running "
        "it again adds nothing twice. Requests are fetched in windows of at most 90 days, page by page, with "
        "retries on server errors. SERVICE_MAP maps service codes to event categories: a JSON object or "
        "'service_code=category' lines; '*' maps every other code; codes that already are category codes map "
        "to themselves. Requests that cannot be taken (unknown service code, no coordinates, bad date, refused "
        "by the database) are listed in the REPORT table. Each request's status is applied too: a request already "
        "closed at the source is imported closed, at its updated_datetime, and running the import again closes or "
        "reopens the cases whose status changed at the source, each change in the case history with the source's "
        "time. STATUS_MAP maps the statuses a server reports to open, closed or ignore (GeoReport v2 has open and "
        "closed; other servers report acknowledged, in_progress, resolved...). Only requests requested between "
        "START and END are taken, even from a server that ignores the dates it is asked for."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString("ENDPOINT", self.tr("GeoReport v2 endpoint URL")))
        self.addParameter(QgsProcessingParameterDateTime("START", self.tr("Requested from")))
        self.addParameter(
            QgsProcessingParameterDateTime("END", self.tr("Requested until (default: now)"), optional=True)
        )
        self.addParameter(_database_parameter())
        self.addParameter(
            QgsProcessingParameterString(
                "SERVICE_MAP", self.tr("Service code to category map"), multiLine=True, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterMatrix(
                "STATUS_MAP",
                self.tr("Status map (the server's status → open, closed or ignore)"),
                hasFixedNumberRows=False,
                headers=[self.tr("Status at the source"), self.tr("Case flow")],
                defaultValue=[v for pair in open311_status_defaults() for v in pair],
                optional=True,
            )
        )
        jur = QgsProcessingParameterString("JURISDICTION", self.tr("jurisdiction_id"), optional=True)
        jur.setFlags(jur.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(jur)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "REPORT",
                self.tr("Requests not imported"),
                QgsProcessing.TypeVector,
                optional=True,
                createByDefault=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("CREATED", self.tr("New events")))
        self.addOutput(QgsProcessingOutputNumber("EXISTING", self.tr("Already imported")))
        self.addOutput(QgsProcessingOutputNumber("REJECTED", self.tr("Not imported")))
        self.addOutput(QgsProcessingOutputNumber("CLOSED", self.tr("Closed at the source")))
        self.addOutput(QgsProcessingOutputNumber("REOPENED", self.tr("Reopened at the source")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.events import open311

        endpoint = (self.parameterAsString(parameters, "ENDPOINT", context) or "").strip()
        start = _pydatetime(self.parameterAsDateTime(parameters, "START", context))
        end = (
            _pydatetime(self.parameterAsDateTime(parameters, "END", context))
            if parameters.get("END") not in (None, "")
            else None
        )
        end = end or dt.datetime.now(dt.timezone.utc)
        if start is None:
            raise QgsProcessingException(self.tr("Give the start of the import period."))
        name = _connection_name(self, parameters, context)
        try:
            client = open311.Open311Client(
                endpoint, jurisdiction_id=(self.parameterAsString(parameters, "JURISDICTION", context) or None)
            )
            service_map = open311.parse_service_map(self.parameterAsString(parameters, "SERVICE_MAP", context))
            status_map = open311.parse_status_map(self.parameterAsMatrix(parameters, "STATUS_MAP", context))
            open311.windows(start, end)  # validates the period before anything is fetched
        except open311.Open311Error as exc:
            raise QgsProcessingException(str(exc)) from exc

        conn = _connect(name, "gridgov-open311")
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT to_regprocedure('gridgov.report_event(text, text, text, timestamptz, double "
                    "precision, double precision, text, text, text, text)') IS NOT NULL"
                )
                if not cur.fetchone()[0]:
                    raise QgsProcessingException(
                        self.tr("The database has no gridgov.report_event; install or upgrade the schema first.")
                    )
                try:
                    cur.execute("SELECT code FROM gridgov.event_category")
                    categories = {r[0] for r in cur.fetchall()}
                except Exception:  # a channel role may not read the list: no identity mapping then
                    conn.rollback()
                    categories = set()
            conn.commit()
            # codes that are category codes already map to themselves; the given map wins
            service_map = {**{c: c for c in categories}, **service_map}
            self._check_services(client, service_map, feedback)
            report = open311.import_requests(
                client, conn, start, end, service_map, feedback=feedback, status_map=status_map
            )
        except open311.Open311Error as exc:
            raise QgsProcessingException(
                self.tr(
                    "The Open311 import stopped: {0} (what was imported before stays; running again continues safely)",
                    str(exc),
                )
            ) from exc
        finally:
            conn.close()

        feedback.pushInfo(report.summary())
        results: dict[str, Any] = {
            "CREATED": report.created,
            "EXISTING": report.existing,
            "REJECTED": len(report.rejected),
            "CLOSED": report.closed,
            "REOPENED": report.reopened,
        }
        fields = _fields(
            [
                ("service_request_id", QVariant.String),
                ("service_code", QVariant.String),
                ("reason", QVariant.String),
                ("message", QVariant.String),
            ]
        )
        sink, dest = self.parameterAsSink(parameters, "REPORT", context, fields, QgsWkbTypes.NoGeometry)
        if sink is not None:
            for rej in report.rejected:
                f = QgsFeature(fields)
                f.setAttributes(rej.as_row())
                sink.addFeature(f, QgsFeatureSink.FastInsert)
            results["REPORT"] = dest
        if report.rejected:
            feedback.pushWarning(self.tr("{0} requests were not imported; see the report.", len(report.rejected)))
        return results

    def _check_services(self, client, service_map, feedback) -> None:
        """List the server's services and name those without a category (a hint, not an error)."""
        from ..core.events import open311

        try:
            services = client.services(feedback)
        except open311.Open311Error as exc:
            feedback.pushWarning(self.tr("The service list could not be read: {0}", str(exc)))
            return
        unmapped = [
            f"{s.get('service_code')} ({s.get('service_name', '')})"
            for s in services
            if str(s.get("service_code")) not in service_map
        ]
        feedback.pushInfo(self.tr("{0} services offered.", len(services)))
        if unmapped and open311.DEFAULT_KEY not in service_map:
            feedback.pushWarning(
                self.tr(
                    "Services without a category (their requests will be reported, not imported): {0}",
                    ", ".join(unmapped),
                )
            )


# ----------------------------------------------------------------------------- escalation
ESCALATED_FIELDS: list[tuple[str, Any]] = [
    ("id", QVariant.String),
    ("status", QVariant.String),
    ("from_level", QVariant.String),
    ("to_level", QVariant.String),
    ("deadline_at", QVariant.DateTime),
    ("category_code", QVariant.String),
    ("grid_code", QVariant.String),
    ("street_code", QVariant.String),
]


class EscalateOverdueAlgorithm(GridGovAlgorithm):
    ALG_ID = "escalateoverdue"
    ALG_NAME = "Escalate overdue cases"
    GROUP_ID = "events"
    GROUP = "Events and cases"
    HELP = (
        "吹哨报到 on a schedule: every open case not yet handled whose step deadline (in working time) has passed "
        "moves up one level, community to street, street to district, with a fresh deadline for the level above, "
        "each recorded with the level it left and the level it reached; a case is never escalated twice for one "
        "missed deadline, however often this runs. Run it from cron or a Windows scheduled task with qgis_process "
        "where the database server has no pg_cron (docs/deployment.md), e.g. every 5 minutes: "
        "qgis_process run gridgov:escalateoverdue -- DATABASE=gridgov. The login needs the supervisor role; it "
        "escalates within its area. AT escalates as of an earlier time (never a later one)."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(_database_parameter())
        at = QgsProcessingParameterDateTime("AT", self.tr("As of (default: now)"), optional=True)
        at.setFlags(at.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(at)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT",
                self.tr("Escalated cases"),
                QgsProcessing.TypeVectorPoint,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("ESCALATED", self.tr("Cases escalated")))

    def processAlgorithm(self, parameters, context, feedback):
        name = _connection_name(self, parameters, context)
        at = (
            _pydatetime(self.parameterAsDateTime(parameters, "AT", context))
            if parameters.get("AT") not in (None, "")
            else None
        )
        conn = _connect(name, "gridgov:escalateoverdue")
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT to_regclass('gridgov.case_escalation') IS NOT NULL")
                if not cur.fetchone()[0]:
                    raise QgsProcessingException(
                        self.tr(
                            "The database's gridgov schema is too old for scheduled escalation; upgrade it with "
                            "'Install or upgrade the database schema'."
                        )
                    )
                cur.execute(
                    "SELECT m.event_id::text, m.status, m.from_level, m.to_level, m.deadline_at, e.category_code,"
                    " e.grid_code, e.street_code, ST_X(e.geom), ST_Y(e.geom)"
                    " FROM gridgov.escalate_overdue(coalesce(%s, now())) m JOIN gridgov.event e ON e.id = m.event_id",
                    (at,),
                )
                rows = cur.fetchall()
            conn.commit()
        except QgsProcessingException:
            conn.rollback()
            raise
        except Exception as exc:  # psycopg2.Error: a login without the role, a future AT...
            conn.rollback()
            raise QgsProcessingException(self.tr("Escalation failed: {0}", dberrors.explain(exc))) from exc
        finally:
            conn.close()
        results: dict[str, Any] = {"ESCALATED": len(rows)}
        fields = _fields(ESCALATED_FIELDS)
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, QgsWkbTypes.Point, QgsCoordinateReferenceSystem("EPSG:4490")
        )
        if sink is not None:
            for r in rows:
                f = QgsFeature(fields)
                values = list(r[: len(ESCALATED_FIELDS)])
                values[4] = _qdatetime(values[4])
                f.setAttributes(values)
                if r[-2] is not None:
                    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(r[-2], r[-1])))
                sink.addFeature(f, QgsFeatureSink.FastInsert)
            results["OUTPUT"] = dest
        for r in rows:
            feedback.pushInfo(self.tr("Case {0} escalated from {1} to {2}.", r[0], r[2], r[3]))
        feedback.pushInfo(self.tr("{0} overdue cases escalated.", len(rows)))
        return results


ALGORITHMS = [HotspotsAlgorithm, OverdueCasesAlgorithm, ImportOpen311Algorithm, EscalateOverdueAlgorithm]
