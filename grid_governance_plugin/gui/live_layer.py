"""The live events layer: a memory layer kept in step with gridgov.event, feature by feature.

The listener (core/events/live.py) LISTENs on ``gridgov_events`` in a worker thread, fetches
the changed rows by id, catches up by ``updated_at`` after a reconnect and hands over batches.
Here the batches cross to the main thread through a queued Qt signal and are written into the
memory provider in place (add / change attributes / change geometry / delete) followed by one
repaint: no re-read of the table, no provider round trip, the map never waits on the database.
Why not QGIS's own "refresh layer on notification": docs/live-events.md.

Also here: the heatmap view of a time window, the kernel density raster through Processing,
and the temporal settings that let the Temporal Controller play the last month.
"""

from __future__ import annotations

import datetime as dt
import struct
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsDataSourceUri,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QObject, Qt, QTime, QTimer, QVariant, pyqtSignal

from ..core import dberrors
from ..core.i18n import tr
from ..core.log import get_logger
from ..core.store import db
from ..core.store.schema import LAYERS_BY_NAME
from . import styles

log = get_logger("live")

EVENT_CRS = "EPSG:4490"
STRING_FIELDS = (
    "id",
    "source",
    "external_id",
    "category_code",
    "description",
    "reporter",
    "media_url",
    "status",
    "level",
    "department",
    "worker_id",
    "grid_code",
    "community_code",
    "street_code",
    "duplicate_of",
)
TIME_FIELDS = (
    "reported_at",
    "received_at",
    "deadline_at",
    "closed_at",
    "updated_at",
    "escalated_at",
    "satisfaction_at",
)
SOON_HOURS = 4.0  # "soon overdue": due within this many working hours (the supervision board's default)
CLOCK_MS = 60_000  # how often the layer asks the database for now and the soon-overdue limit
FIELD_ORDER = tuple(LAYERS_BY_NAME["event"].field_names())  # the store's event fields (core/store/schema.py)
SELECT_COLUMNS = (
    ", ".join(f"e.{c}::text AS {c}" if c in ("id", "duplicate_of") else f"e.{c}" for c in FIELD_ORDER)
    + ", ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat"
)


def _readable_columns(cur) -> str:
    """SELECT_COLUMNS, with NULL for what the login may not read (an analyst: reporter; docs/roles.md)."""
    cur.execute(
        "SELECT coalesce(array_agg(c), '{}') FROM unnest(%s::text[]) c"
        " WHERE NOT has_column_privilege('gridgov.event', c, 'SELECT')",
        (list(FIELD_ORDER),),
    )
    hidden = set(cur.fetchone()[0])
    if not hidden:
        return SELECT_COLUMNS
    cols = [
        f"NULL::text AS {c}" if c in hidden else (f"e.{c}::text AS {c}" if c in ("id", "duplicate_of") else f"e.{c}")
        for c in FIELD_ORDER
    ]
    return ", ".join(cols) + ", ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat"


# More changes than this waiting for the next render are drawn by a render instead of as
# canvas items (each marker costs ~25 us to place and to remove on the main thread).
MAX_MARKERS = 500

# status of the connection as shown in the dock
STATE_CONNECTING, STATE_LIVE, STATE_RECONNECTING, STATE_STOPPED, STATE_ERROR = (
    "connecting",
    "live",
    "reconnecting",
    "stopped",
    "error",
)


# ---------------------------------------------------------------------------------------
# connections: a QGIS connection name, 'service=NAME', or (tests, bench) a libpq DSN
# ---------------------------------------------------------------------------------------
def _is_dsn(ref: str) -> bool:
    return not ref.startswith("service=") and any(k in ref for k in ("host=", "dbname=", "port="))


def open_connection(ref: str, application_name: str = "gridgov-qgis"):
    """psycopg2 connection for a connection reference (see module notes)."""
    if _is_dsn(ref):
        import psycopg2

        from ..core.store.pgtypes import tolerant_timestamps

        return tolerant_timestamps(psycopg2.connect(ref, application_name=application_name, connect_timeout=10))
    return db.connect(ref, application_name)


def datasource_uri(ref: str) -> QgsDataSourceUri:
    return QgsDataSourceUri(ref) if _is_dsn(ref) else db.uri_for(ref)


def postgis_events_layer(ref: str, name: str | None = None, subset: str = "") -> QgsVectorLayer:
    """gridgov.event as a QGIS PostGIS layer (heatmaps over the whole store, the bench's baseline)."""
    uri = datasource_uri(ref)
    uri.setDataSource("gridgov", "event", "geom", subset, "id")
    uri.setUseEstimatedMetadata(False)  # true feature counts under row-level security (docs/roles.md)
    uri.setSrid("4490")
    uri.setWkbType(Qgis.WkbType.Point if hasattr(Qgis, "WkbType") else 1)
    return QgsVectorLayer(uri.uri(False), name or tr("Events"), "postgres")


# ---------------------------------------------------------------------------------------
# row conversion
# ---------------------------------------------------------------------------------------
def to_qdatetime(value: Any) -> QDateTime | None:
    """UTC QDateTime from a datetime (aware or naive UTC) or an ISO string; None stays None."""
    if value is None or isinstance(value, QDateTime):
        return value
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return QDateTime(
            QDate(value.year, value.month, value.day),
            QTime(value.hour, value.minute, value.second, value.microsecond // 1000),
            Qt.UTC,
        )
    return None


def _point_from_ewkb(data: bytes) -> QgsPointXY | None:
    """x, y of a (E)WKB point; PostGIS's default text output of a geometry is hex EWKB."""
    if len(data) < 21:
        return None
    order = "<" if data[0] == 1 else ">"
    (gtype,) = struct.unpack(order + "I", data[1:5])
    offset = 9 if gtype & 0x20000000 else 5  # SRID flag: 4 more bytes
    if gtype & 0xFF != 1:
        return None
    x, y = struct.unpack(order + "dd", data[offset : offset + 16])
    return QgsPointXY(x, y)


def row_geometry(row: Mapping[str, Any]) -> QgsGeometry | None:
    """The point of a row: lon/lat (or x/y) columns, else geom as WKB bytes, hex EWKB or (E)WKT."""
    for kx, ky in (("lon", "lat"), ("x", "y")):
        if row.get(kx) is not None and row.get(ky) is not None:
            return QgsGeometry.fromPointXY(QgsPointXY(float(row[kx]), float(row[ky])))
    g = row.get("geom", row.get("wkt"))
    if g is None:
        return None
    if isinstance(g, QgsGeometry):
        return g
    if isinstance(g, (bytes, bytearray, memoryview)):
        pt = _point_from_ewkb(bytes(g))
        return QgsGeometry.fromPointXY(pt) if pt else None
    text = str(g).strip()
    if text[:1] in "0123456789abcdefABCDEF" and not text.upper().startswith(("POINT", "SRID")):
        try:
            pt = _point_from_ewkb(bytes.fromhex(text))
            return QgsGeometry.fromPointXY(pt) if pt else None
        except ValueError:
            return None
    if text.upper().startswith("SRID="):
        text = text.split(";", 1)[1]
    geom = QgsGeometry.fromWkt(text)
    return None if geom.isNull() else geom


def _as_dict(row: Any) -> dict[str, Any] | None:
    if isinstance(row, Mapping):
        return dict(row)
    if hasattr(row, "_asdict"):
        return dict(row._asdict())
    return None


def _deleted(row: Mapping[str, Any]) -> bool:
    return bool(row.get("deleted") or row.get("_deleted") or row.get("op") == "delete")


# ---------------------------------------------------------------------------------------
# the layer
# ---------------------------------------------------------------------------------------
def make_memory_layer(name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Point?crs={EVENT_CRS}", name, "memory")
    fields = [QgsField(n, QVariant.DateTime if n in TIME_FIELDS else QVariant.String) for n in FIELD_ORDER]
    layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    return layer


def set_temporal(layer: QgsVectorLayer, field: str = "reported_at", duration_hours: float = 24.0) -> None:
    """Each event is an instant at its reported time, shown for ``duration_hours`` of map time."""
    props = layer.temporalProperties()
    props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    props.setStartField(field)
    props.setFixedDuration(duration_hours)
    props.setDurationUnits(QgsUnitTypes.TemporalHours)
    props.setAccumulateFeatures(False)
    props.setIsActive(True)


def play_last_month(
    controller, days: int = 30, step_hours: float = 24.0, start_playing: bool = True, now: dt.datetime | None = None
) -> None:
    """Set the Temporal Controller to the last ``days`` days in ``step_hours`` frames, from the start."""
    from .playback import play

    end = now or dt.datetime.now(dt.timezone.utc)
    play(controller, end - dt.timedelta(days=days), end, step_hours / 24.0, start_playing=start_playing)


class LiveEventsLayer(QObject):
    """A memory layer of events updated in place from the listener's batches.

    ``listener_factory(ref, on_rows, on_status, on_deleted, since)`` must return an object with
    start()/stop() (core.events.live.EventListener by default); ``since`` is the load's snapshot
    time, from which the listener catches up so nothing committed during the load is lost. The
    callbacks may be called from any thread: they only emit queued signals.
    """

    _rows_in = pyqtSignal(object)
    _status_in = pyqtSignal(object, object)
    #: (added, changed, deleted) after each applied batch - main thread
    batchApplied = pyqtSignal(int, int, int)
    #: (state, message) - main thread; states: connecting, live, reconnecting, stopped, error
    statusChanged = pyqtSignal(str, str)

    def __init__(
        self,
        connection: str,
        name: str | None = None,
        load_days: float | None = 30.0,
        listener_factory: Callable[..., Any] | None = None,
        parent: QObject | None = None,
        canvas=None,
        repaint_interval_ms: int = 250,
        overlay: bool = True,
        consolidate_ms: int = 2000,
    ):
        super().__init__(parent)
        # A canvas restarts its render on every repaint request: at 50 events/s unthrottled
        # repaints would cancel each other and the map would never finish drawing. So: at most
        # one repaint per interval, and none while the canvas is still drawing the last one.
        self.canvas = canvas
        self.repaint_interval_ms = repaint_interval_ms
        self._repaint_timer = QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.timeout.connect(self._repaint_now)
        self._last_repaint = 0.0
        self.repaints = 0
        # Overlay: with a canvas, changed events show at once as canvas items (drawn over the map
        # image, no render job: the map's cost per event does not grow with the layer), and the
        # layer itself is redrawn when the canvas is idle, at most every ``consolidate_ms``; a
        # marker goes once a canvas render that started after it has finished.
        self.overlay = overlay
        self.consolidate_ms = consolidate_ms
        self._markers: dict[str, tuple[Any, float]] = {}  # event id -> (QgsVertexMarker, created)
        self._render_started = 0.0
        self._consolidate_timer = QTimer(self)
        self._consolidate_timer.setSingleShot(True)
        self._consolidate_timer.timeout.connect(self._request_repaint)
        if canvas is not None and overlay:
            canvas.renderStarting.connect(self._on_render_starting)
            canvas.mapCanvasRefreshed.connect(self._on_canvas_refreshed)
        self.connection = connection
        self.load_days = load_days
        self.layer = make_memory_layer(name or tr("Live events"))
        self.loaded_at: dt.datetime | None = None
        self.layer.setReadOnly(True)  # the store is the truth: edits go through the case flow
        self.layer.setCustomProperty("gridgov/live", True)
        styles.apply(self.layer, "live_events")
        # the rings' instants come from the database (working time), refreshed every minute
        self.soon_hours = SOON_HOURS
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_MS)
        self._clock_timer.timeout.connect(self.update_clock)
        set_temporal(self.layer)
        self._field_index = {n: self.layer.fields().indexOf(n) for n in FIELD_ORDER}
        self._fids: dict[str, int] = {}  # event uuid -> feature id of the memory layer
        self._listener = None
        self._factory = listener_factory
        self.state = STATE_STOPPED
        self.message = ""
        self.applied = 0
        self._rows_in.connect(self._apply, Qt.QueuedConnection)
        self._status_in.connect(self._on_status_main, Qt.QueuedConnection)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Load the recent and open events once, then follow the changes."""
        if self._listener is not None:
            return
        self._set_state(STATE_CONNECTING, tr("Connecting…"))
        try:
            self.load()
        except Exception as exc:  # the listener keeps trying; the map shows what it gets
            log.warning(tr("The live layer could not load the events: {0}", dberrors.explain(exc)))
        self.update_clock()
        self._clock_timer.start()
        if self.loaded_at is None:  # no snapshot (server down): let the catch-up bring the window
            days = self.load_days if self.load_days is not None else 36500
            self.loaded_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
        factory = self._factory or _default_listener_factory()
        self._listener = factory(
            self.connection, self._rows_from_thread, self._status_from_thread, self._deleted_from_thread, self.loaded_at
        )
        self._listener.start()

    def update_clock(self) -> bool:
        """Ask the database for now, the end of "soon overdue" in working time and the login's level.

        They become the layer variables the style's rings compare with (gui/styles.LIVE_RULES), so
        the map and the board agree on what is overdue, soon overdue and escalated to you. A
        database that cannot be reached leaves the last values.
        """
        from qgis.core import QgsExpressionContextUtils

        try:
            conn = open_connection(self.connection, "gridgov-live-clock")
            try:
                with conn.cursor() as cur:
                    cur.execute(
                        "SELECT now(), gridgov.add_working_hours(now(), %s::float8),"
                        " CASE WHEN to_regprocedure('gridgov.my_level()') IS NOT NULL"
                        "      AND has_function_privilege('gridgov.my_level()', 'EXECUTE')"
                        "      THEN gridgov.my_level() END",
                        (float(self.soon_hours),),
                    )
                    now, soon, level = cur.fetchone()
                conn.rollback()
            finally:
                conn.close()
        except Exception as exc:
            log.info(tr("The live layer could not read the clock: {0}", dberrors.explain(exc)))
            return False
        if _deleted_qobject(self.layer):
            return False
        for name, value in (
            ("gridgov_now", now.astimezone(dt.timezone.utc).isoformat()),
            ("gridgov_soon_until", soon.astimezone(dt.timezone.utc).isoformat()),
            ("gridgov_my_level", level or ""),
        ):
            QgsExpressionContextUtils.setLayerVariable(self.layer, name, value)
        self._request_repaint()
        return True

    def stop(self) -> None:
        self._clock_timer.stop()
        self._repaint_timer.stop()
        self._consolidate_timer.stop()
        for uid in list(self._markers):
            self._drop_marker(uid)
        if self._listener is not None:
            try:
                self._listener.stop()
            finally:
                self._listener = None
        self._set_state(STATE_STOPPED, tr("Stopped"))

    def is_running(self) -> bool:
        return self._listener is not None

    def load(self) -> int:
        """Read open events and those changed in the last ``load_days`` days (None: all)."""
        conn = open_connection(self.connection, "gridgov-live-load")
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT now()")  # the snapshot's time: the listener catches up from here
                snapshot = cur.fetchone()[0]
                sql = f"SELECT {_readable_columns(cur)} FROM gridgov.event e"
                params: tuple = ()
                if self.load_days is not None:
                    sql += (
                        " WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified', 'suspended')"
                        " OR e.updated_at >= now() - make_interval(secs => %s)"
                    )
                    params = (float(self.load_days) * 86400.0,)
                cur.execute(sql, params)
                names = [d[0] for d in cur.description]
                rows = [dict(zip(names, r)) for r in cur.fetchall()]
            conn.rollback()
        finally:
            conn.close()
        self.loaded_at = snapshot
        self._apply(rows, mark=False)  # the snapshot is drawn by a render, not as canvas items
        return len(rows)

    # -- from the listener's thread: only queue ------------------------------------------
    def _rows_from_thread(self, rows: Iterable[Any]) -> None:
        self._rows_in.emit(list(rows))

    def _status_from_thread(self, state: Any, message: Any = "") -> None:
        self._status_in.emit(state, message)

    def _deleted_from_thread(self, ids: Iterable[str]) -> None:
        self._rows_in.emit([{"id": str(i), "deleted": True} for i in ids])

    # -- main thread -------------------------------------------------------------------
    def _on_status_main(self, state: Any, message: Any) -> None:
        text = str(state or "").lower()
        if text in ("connected", "listening", "live", "ok", "caught_up", "catching_up"):
            self._set_state(STATE_LIVE, str(message or tr("Live")))
        elif text in ("reconnecting", "disconnected", "lost", "retry", "retrying"):
            self._set_state(STATE_RECONNECTING, str(message or tr("Connection lost, reconnecting…")))
        elif text in ("stopped", "closed"):
            self._set_state(STATE_STOPPED, str(message or tr("Stopped")))
        elif text in ("error", "failed"):
            self._set_state(STATE_ERROR, str(message or tr("Error")))
        else:
            self._set_state(self.state if self.state != STATE_STOPPED else STATE_CONNECTING, str(message or state))

    def _set_state(self, state: str, message: str) -> None:
        self.state, self.message = state, message
        self.statusChanged.emit(state, message)

    def _values(self, row: Mapping[str, Any]) -> dict[int, Any]:
        out = {}
        for name, idx in self._field_index.items():
            if name not in row or idx < 0:
                continue
            v = row[name]
            if name in TIME_FIELDS:
                v = to_qdatetime(v)
            elif v is not None:
                v = str(v)
            out[idx] = v
        return out

    def _apply(self, rows: list[Any], mark: bool = True) -> None:
        """Write one batch into the memory provider; show it as markers (``mark``) or repaint once."""
        if _deleted_qobject(self.layer):  # a batch still queued when the layer was removed
            return
        latest: dict[str, dict[str, Any]] = {}
        for raw in rows:
            row = _as_dict(raw)
            if row is None or row.get("id") is None:
                continue
            latest[str(row["id"])] = row  # the last version of an id in the batch wins
        if not latest:
            return
        prov = self.layer.dataProvider()
        fields = self.layer.fields()
        new: list[QgsFeature] = []
        attrs: dict[int, dict[int, Any]] = {}
        geoms: dict[int, QgsGeometry] = {}
        gone: list[int] = []
        for uid, row in latest.items():
            fid = self._fids.get(uid)
            if _deleted(row):
                if fid is not None:
                    gone.append(fid)
                    del self._fids[uid]
                continue
            geom = row_geometry(row)
            values = self._values(row)
            if fid is None:
                feat = QgsFeature(fields)
                attributes = [None] * len(fields)  # one call instead of one per field: loads are 2x faster
                for idx, v in values.items():
                    attributes[idx] = v
                feat.setAttributes(attributes)
                if geom is not None:
                    feat.setGeometry(geom)
                new.append(feat)
            else:
                attrs[fid] = values
                if geom is not None:
                    geoms[fid] = geom
        if new:
            ok, added = prov.addFeatures(new)
            id_idx = self._field_index["id"]
            for feat in added if ok else []:
                self._fids[str(feat.attribute(id_idx))] = feat.id()
        if attrs:
            prov.changeAttributeValues(attrs)
        if geoms:
            prov.changeGeometryValues(geoms)
        if gone:
            prov.deleteFeatures(gone)
        self.applied += len(latest)
        self.layer.updateExtents()
        # Markers are for the trickle of live changes. A snapshot or a catch-up burst goes to a
        # render: 100,000 canvas items would take seconds to place and to remove again.
        if mark and len(latest) + len(self._markers) <= MAX_MARKERS and self._overlay_active():
            for uid, row in latest.items():
                if _deleted(row):
                    self._drop_marker(uid)
                else:
                    self._mark(uid, row)
            if not self._consolidate_timer.isActive():
                self._consolidate_timer.start(self.consolidate_ms)
        else:
            self._request_repaint()
        self.batchApplied.emit(len(new), len(attrs), len(gone))

    # -- overlay -----------------------------------------------------------------------
    def _overlay_active(self) -> bool:
        if not self.overlay or self.canvas is None:
            return False
        try:
            if self.canvas.mapSettings().isTemporal():
                return False  # the Temporal Controller decides what shows: let the layer draw it
            return self.layer in self.canvas.layers()  # hidden or not on this canvas: no markers
        except RuntimeError:
            self.canvas = None
            return False

    def _mark(self, uid: str, row: Mapping[str, Any]) -> None:
        from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform
        from qgis.gui import QgsVertexMarker
        from qgis.PyQt.QtGui import QColor

        fid = self._fids.get(uid)
        if fid is None:
            return
        feat = self.layer.getFeature(fid)
        if not feat.hasGeometry():
            return
        pt = feat.geometry().asPoint()
        dest = self.canvas.mapSettings().destinationCrs()
        src = QgsCoordinateReferenceSystem(EVENT_CRS)
        if dest.isValid() and dest != src:
            pt = QgsCoordinateTransform(src, dest, QgsProject.instance()).transform(pt)
        marker = self._markers.get(uid, (None, 0.0))[0]
        if marker is None:
            marker = QgsVertexMarker(self.canvas)
            marker.setIconType(QgsVertexMarker.ICON_CIRCLE)
            marker.setIconSize(9)
            marker.setPenWidth(2)
        colour = QColor(styles.STATUS_COLOURS.get(str(feat["status"]), "#444444"))
        marker.setColor(QColor("white"))
        marker.setFillColor(colour)
        marker.setCenter(pt)
        marker.show()
        self._markers[uid] = (marker, time.monotonic())

    def _drop_marker(self, uid: str) -> None:
        marker = self._markers.pop(uid, (None, 0.0))[0]
        if marker is not None and self.canvas is not None:
            try:
                self.canvas.scene().removeItem(marker)
            except RuntimeError:
                pass

    def _on_render_starting(self) -> None:
        self._render_started = time.monotonic()

    def _on_canvas_refreshed(self) -> None:
        # this render read the layer as it was when it started: markers older than that are in it
        done = [uid for uid, (_m, t) in self._markers.items() if t < self._render_started]
        for uid in done:
            self._drop_marker(uid)
        if self._markers and not self._consolidate_timer.isActive():
            self._consolidate_timer.start(self.consolidate_ms)

    def marker_count(self) -> int:
        return len(self._markers)

    def _request_repaint(self) -> None:
        if self._repaint_timer.isActive():
            return  # one is coming and will show this batch too
        wait = self._last_repaint + self.repaint_interval_ms / 1000.0 - time.monotonic()
        self._repaint_timer.start(max(0, int(wait * 1000)))

    def _repaint_now(self) -> None:
        if _deleted_qobject(self.layer):
            return
        try:
            drawing = self.canvas is not None and self.canvas.isDrawing()
        except RuntimeError:  # the canvas is gone
            self.canvas, drawing = None, False
        if drawing:
            self._repaint_timer.start(max(20, self.repaint_interval_ms // 5))
            return
        self._last_repaint = time.monotonic()
        self.repaints += 1
        self.layer.triggerRepaint()

    # -- lookups -----------------------------------------------------------------------
    def feature_id(self, event_id: str) -> int | None:
        return self._fids.get(str(event_id))

    def event_ids(self) -> set[str]:
        return set(self._fids)


def _deleted_qobject(obj) -> bool:
    try:
        from qgis.PyQt import sip
    except ImportError:  # pragma: no cover
        import sip
    return sip.isdeleted(obj)


def _default_listener_factory() -> Callable[..., Any]:
    # the one place that names the listener's API (core/events/live.py)
    from ..core.events.live import EventListener

    def make(ref: str, on_rows, on_status, on_deleted, since):
        return EventListener(ref, on_rows, on_status, on_deleted=on_deleted, since=since)

    return make


# ---------------------------------------------------------------------------------------
# heatmap and kernel density
# ---------------------------------------------------------------------------------------
def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_window_subset(layer: QgsVectorLayer, start: dt.datetime, end: dt.datetime, field: str = "reported_at") -> str:
    """A provider subset string for start <= field < end (SQL for postgres/ogr)."""
    if layer.providerType() == "postgres":
        return f"\"{field}\" >= '{_iso(start)}'::timestamptz AND \"{field}\" < '{_iso(end)}'::timestamptz"
    # GeoPackage stores ISO 8601 text (and OGR compares it as such)
    return f"\"{field}\" >= '{_iso(start)[:-1]}' AND \"{field}\" < '{_iso(end)[:-1]}'"


# A city-wide heatmap of a month is ~100,000 points: fetching them through the postgres
# provider and drawing each kernel take ~1 s each. Zoomed out, the server bins the window
# into cells of ~50 m and the renderer draws one weighted kernel per cell. 50 m stays under
# a quarter of the kernel's radius (12 mm on screen) at 1:20,000 and beyond, so the two
# pictures do not differ; zoomed in further the window's own points are drawn.
HEAT_CELL_M = 50.0
HEAT_CELL_DEG = 0.0005  # ~50 m north-south, ~40 m east-west at 40 N
HEAT_DETAIL_SCALE = 20000.0


def heat_cells_layer(source: QgsVectorLayer, start: dt.datetime, end: dt.datetime, title: str) -> QgsVectorLayer | None:
    """The window of a PostGIS events layer binned on the server: one point per cell, weight ``n``."""
    if source.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(source.source())
    geom = uri.geometryColumn() or "geom"
    table = f'"{uri.schema()}"."{uri.table()}"' if uri.schema() else f'"{uri.table()}"'
    cell = HEAT_CELL_DEG if source.crs().isGeographic() else HEAT_CELL_M
    where = time_window_subset(source, start, end)
    if source.subsetString():
        where += f" AND ({source.subsetString()})"
    sql = (
        f'(SELECT (row_number() OVER ())::int AS uid, n, geom FROM (SELECT count(*)::int AS n, ST_SnapToGrid("{geom}",'
        f" {cell!r}) AS geom FROM {table} WHERE {where} GROUP BY 2) cells)"
    )
    uri.setDataSource("", sql, "geom", "", "uid")
    uri.setSrid(str(source.crs().postgisSrid()))
    uri.setWkbType(source.wkbType())
    uri.setUseEstimatedMetadata(True)
    uri.setParam("checkPrimaryKeyUnicity", "0")  # row_number() is unique; the check re-runs the query
    layer = QgsVectorLayer(uri.uri(False), title, "postgres")
    if not layer.isValid():
        log.warning(tr("The server could not bin the heatmap window: {0}", layer.error().summary()))
        return None
    styles.apply(layer, "heatmap")
    layer.renderer().setWeightExpression('"n"')
    layer.setScaleBasedVisibility(True)
    layer.setMaximumScale(HEAT_DETAIL_SCALE)  # drawn at 1:20,000 and further out
    return layer


def heatmap_view(
    source: QgsVectorLayer,
    start: dt.datetime,
    end: dt.datetime,
    name: str | None = None,
    add_to_project: bool = True,
    with_cells: bool = True,
) -> QgsVectorLayer:
    """A heatmap-styled view of ``source``'s events reported in [start, end).

    Database and GeoPackage layers get a provider filter (the server/SQLite reads only the window,
    with the reported_at index); a memory layer (the live layer) is copied for the window.
    For PostGIS the view is drawn zoomed in only; zoomed out its companion of server-binned
    cells (``heat_cells_layer``, id in the custom property ``gridgov/heatmap_cells``) is.
    Added to the project, it replaces the previous heatmap (gui/results.py, kind ``heatmap``);
    an empty window is not added.
    """
    from . import results

    title = name or tr("Event heatmap {0} – {1}", start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d"))
    cells = None
    if source.providerType() in ("postgres", "ogr"):
        view = QgsVectorLayer(source.source(), title, source.providerType())
        view.setSubsetString(time_window_subset(source, start, end))
        if with_cells:
            cells = heat_cells_layer(source, start, end, tr("{0} (overview)", title))
    else:
        expr = f"\"reported_at\" >= to_datetime('{_iso(start)}') AND \"reported_at\" < to_datetime('{_iso(end)}')"
        view = source.materialize(QgsFeatureRequest().setFilterExpression(expr))
        view.setName(title)
    styles.apply(view, "heatmap")
    view.setCustomProperty("gridgov/heatmap_window", f"{_iso(start)}/{_iso(end)}")
    if cells is not None:
        view.setScaleBasedVisibility(True)
        view.setMinimumScale(HEAT_DETAIL_SCALE)  # drawn closer than 1:20,000
        view.setName(tr("{0} (detail)", title))
        view.setCustomProperty("gridgov/heatmap_cells", cells.id())
        cells.setCustomProperty("gridgov/heatmap_window", f"{_iso(start)}/{_iso(end)}")
    if add_to_project:
        results.add_result(view, "heatmap", tr(results.GROUP_EVENTS), extra_layers=[cells] if cells else None)
    return view


def kde_parameters(layer_path: str, radius_m: float, pixel_m: float, output: str = "TEMPORARY_OUTPUT") -> dict:
    return {
        "INPUT": layer_path,
        "RADIUS": radius_m,
        "RADIUS_FIELD": None,
        "PIXEL_SIZE": pixel_m,
        "WEIGHT_FIELD": None,
        "KERNEL": 0,
        "DECAY": 0,
        "OUTPUT_VALUE": 0,
        "OUTPUT": output,
    }


def kernel_density(
    layer: QgsVectorLayer,
    radius_m: float = 200.0,
    pixel_m: float = 20.0,
    on_done: Callable[[Any], None] | None = None,
    run_async: bool = True,
    output: str = "TEMPORARY_OUTPUT",
):
    """Kernel density raster of ``layer``'s points (qgis:heatmapkerneldensityestimation).

    The points are first reprojected to the local metric CRS (radius and pixel in metres) into a
    temporary GeoPackage, so that the background task reads a file, not a live memory layer.
    """
    import processing

    from ..core.crs import metric_crs_for

    crs = metric_crs_for(layer.crs(), layer.extent())
    tmp = tempfile.NamedTemporaryFile(prefix="gridgov_kde_", suffix=".gpkg", delete=False).name
    processing.run("native:reprojectlayer", {"INPUT": layer, "TARGET_CRS": crs, "OUTPUT": tmp})
    params = kde_parameters(tmp, radius_m, pixel_m, output)
    title = tr("Event density ({0} m)", f"{radius_m:g}")
    if not run_async:
        result = processing.run("qgis:heatmapkerneldensityestimation", params)
        if on_done:
            on_done(result["OUTPUT"])
        return result["OUTPUT"]
    from .tasks import run_algorithm

    def done(ok: bool, results: dict, context) -> None:
        out = None
        if ok and results.get("OUTPUT"):
            from qgis.core import QgsRasterLayer

            out = QgsRasterLayer(results["OUTPUT"], title)
            if out.isValid():
                QgsProject.instance().addMapLayer(out)
        if on_done:
            on_done(out)

    return run_algorithm("qgis:heatmapkerneldensityestimation", params, done, title)


def theme_icon(name: str):
    return QgsApplication.getThemeIcon(name)
