"""The Events and cases dock: filters, case list, case card, actions, live layer, heatmap.

Works on the PostGIS store (the connection in the plugin settings) with the case flow's
actions; on an offline copy (gridgov:checkout) as a full working copy whose actions
gridgov:syncoffline sends up; read-only on any other events layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsPointXY,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAction,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
)

from ..core import labels, settings
from ..core.events import board, cases
from ..core.i18n import N_, tr
from ..core.labels import label as code_label
from ..core.log import get_logger
from ..core.store.access import Access
from . import live_layer as ll
from . import styles
from .case_card import (
    CaseCard,
    _pg_message,
    department_text,
    fmt_time,
    overdue_text,
    plain_tooltip,
    working_late_text,
)
from .why import set_available
from .widgets import BaseDock, layer_box

log = get_logger("events")
UTC = dt.timezone.utc
OPEN = cases.OPEN_STATES
# what an offline copy says of the actions only the server can take
NEEDS_CONNECTION = N_("Needs the connection: escalate and grade cases once you are back online (then sync the copy).")


# ---------------------------------------------------------------------------------------
# where the cases come from
# ---------------------------------------------------------------------------------------
class DbCases:
    """The PostGIS store: read and act (transition, assign, merge) through gridgov functions."""

    read_only = False

    def __init__(self, ref: str):
        self.ref = ref
        self._conn = None
        self._actor: str | None = None
        self._access: Access | None = None
        self._access_conn = None

    def describe(self) -> str:
        return tr("PostGIS connection '{0}'", self.ref if not ll._is_dsn(self.ref) else tr("(test DSN)"))

    def conn(self):
        if self._conn is None or self._conn.closed:
            self._conn = ll.open_connection(self.ref, "gridgov-cases")
            self._actor = None
        return self._conn

    def _run(self, fn, *args, **kwargs):
        """Call a board function; after a dropped connection, reconnect once and retry reads."""
        import psycopg2

        try:
            return fn(self.conn(), *args, **kwargs)
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            self.close()
            return fn(self.conn(), *args, **kwargs)
        finally:
            if self._conn is not None and not self._conn.closed and self._conn.status != 1:  # not STATUS_READY
                self._conn.rollback()  # end read transactions: no idle-in-transaction snapshots

    def actor(self) -> str:
        if self._actor is None:
            self._actor = self._run(board.db_user)
        return self._actor

    def access(self) -> Access:
        """What the login may do, asked once per connection (docs/roles.md)."""
        if self._access is None or self._access_conn is not self._conn:
            self._access = self._run(Access.load)
            self._access_conn = self._conn
        return self._access

    def restrict_actions(self, card) -> None:
        """Grey out the card's steps and assignment the login may not make, with the reason."""
        restrict_card(card, self.access())

    def list(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        return self._run(board.list_cases, filters)

    def detail(self, event_id: str) -> dict[str, Any] | None:
        return self._run(board.case_detail, event_id)

    def history(self, event_id: str) -> list[dict[str, Any]]:
        return self._run(board.case_history, event_id)

    def cameras(self, event_id: str) -> list[dict[str, Any]]:
        return self._run(board.cameras_seeing, event_id)

    def lookups(self) -> dict[str, list[tuple[str, str]]]:
        try:
            return self._run(board.lookups)
        except Exception as exc:
            log.warning(tr("Could not read the lists of categories and departments: {0}", _pg_message(exc)))
            return {}

    def transition(self, event_id: str, to_status: str, note: str | None = None, seen_version: int | None = None):
        return board.transition(self.conn(), event_id, to_status, self.actor(), note, seen_version)

    def assign(
        self,
        event_id: str,
        department: str | None,
        worker: str | None,
        note: str | None = None,
        seen_version: int | None = None,
    ) -> None:
        board.assign(self.conn(), event_id, department, worker, self.actor(), note, seen_version)

    def escalate(self, event_id: str, reason: str) -> str:
        return board.escalate_case(self.conn(), event_id, reason)

    def set_grade(self, event_id: str, grade: str, note: str | None = None):
        return board.set_grade(self.conn(), event_id, grade, note)

    def request_suspension(self, event_id: str, reason: str) -> int:
        return board.request_suspension(self.conn(), event_id, reason)

    def request_extension(self, event_id: str, reason: str, amount: float) -> int:
        return board.request_extension(self.conn(), event_id, reason, amount)

    def decide(self, request_id: int, approve: bool, note: str | None = None):
        return board.decide_request(self.conn(), request_id, approve, note)

    def resume(self, event_id: str, note: str | None = None):
        return board.resume_case(self.conn(), event_id, note)

    def duplicates(self, distance_m: float, window_hours: float) -> list[dict[str, Any]]:
        return self._run(board.suggest_duplicates, distance_m, window_hours)

    def merge(self, keep: str, dups: list[str], note: str | None = None) -> int:
        return board.merge(self.conn(), keep, dups, self.actor(), note)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
        self._conn = None


def restrict_card(card, acc: Access) -> None:
    """Grey out the card's steps and assignment ``acc``'s login may not make, with the reason."""
    c = card.case
    for to, button in card.transition_buttons.items():
        if to and c is not None:
            ok, why = acc.can_step(c["status"], to)
            set_available(button, ok, why)
    set_available(card.assign_button, acc.can("assign"), acc.why_not("assign"))
    # the closed loop's buttons: only those the case's state allows are enabled already; the login may
    # still lack the role (a worker cannot escalate, grade or decide)
    for key, action in (
        ("escalate", "escalate_case"),
        ("grade", "set_grade"),
        ("suspend", "request_change"),
        ("extend", "request_change"),
        ("resume", "resume"),
    ):
        button = card.loop_buttons[key]
        if button.isEnabled() and not acc.can(action):
            set_available(button, False, acc.why_not(action))
    for button in (card.approve_button, card.refuse_button):
        set_available(button, acc.can("decide_request"), acc.why_not("decide_request"))


def _py(value: Any) -> Any:
    """QVariant values of a feature as Python values (QDateTime -> aware UTC datetime)."""
    from qgis.PyQt.QtCore import QDateTime, QVariant

    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        if not value.isValid():
            return None
        return value.toUTC().toPyDateTime().replace(tzinfo=UTC)
    return value


class LayerCases:
    """A GeoPackage (or any) events layer: read only; history and cameras from the same store."""

    read_only = True

    def __init__(self, layer: QgsVectorLayer):
        self.layer = layer

    def describe(self) -> str:
        return tr("layer '{0}' (read-only)", self.layer.name())

    def _sibling(self, table: str) -> QgsVectorLayer | None:
        src = self.layer.source()
        if self.layer.providerType() != "ogr" or "layername=" not in src:
            return None
        sib = QgsVectorLayer(src.split("|")[0] + f"|layername={table}", table, "ogr")
        return sib if sib.isValid() else None

    @staticmethod
    def expression(filters: dict[str, Any], now: dt.datetime | None = None) -> str:
        q = QgsExpression.quotedValue
        parts = []
        if filters.get("start"):
            parts.append(f'"reported_at" >= to_datetime({q(filters["start"].astimezone(UTC).isoformat())})')
        if filters.get("end"):
            parts.append(f'"reported_at" < to_datetime({q(filters["end"].astimezone(UTC).isoformat())})')
        for key, field in (("category", "category_code"), ("grid", "grid_code"), ("department", "department")):
            if filters.get(key):
                parts.append(f'"{field}" = {q(filters[key])}')
        status = filters.get("status")
        open_list = ", ".join(q(s) for s in OPEN)
        if status == "open":
            parts.append(f'"status" IN ({open_list})')
        elif isinstance(status, (list, tuple)) and status:
            parts.append(f'"status" IN ({", ".join(q(s) for s in status)})')
        elif status:
            parts.append(f'"status" = {q(status)}')
        if filters.get("overdue"):
            at = (now or dt.datetime.now(UTC)).astimezone(UTC).isoformat()
            parts.append(f'"status" IN ({open_list}) AND "deadline_at" < to_datetime({q(at)})')
        return " AND ".join(parts) if parts else "TRUE"

    def _row(self, feat) -> dict[str, Any]:
        row = {name: _py(feat[name]) for name in feat.fields().names()}
        for key, value in row.items():  # times kept as ISO text (an offline copy, an export of one)
            if key.endswith("_at") and isinstance(value, str) and value:
                try:
                    row[key] = dt.datetime.fromisoformat(value)
                except ValueError:
                    pass
        if row.get("id") is not None:
            row["id"] = str(row["id"]).strip("{}")
        row.setdefault("minor", None)
        now = dt.datetime.now(UTC)
        row["overdue"] = bool(row.get("status") in OPEN and row.get("deadline_at") and row["deadline_at"] < now)
        return row

    def list(self, filters: dict[str, Any], limit: int = 2000) -> list[dict[str, Any]]:
        req = QgsFeatureRequest().setFilterExpression(self.expression(filters))
        req.addOrderBy("reported_at", False)
        req.setLimit(limit)
        return [self._row(f) for f in self.layer.getFeatures(req)]

    def _feature(self, event_id: str):
        req = QgsFeatureRequest().setFilterExpression(f'"id" = {QgsExpression.quotedValue(event_id)}')
        return next(self.layer.getFeatures(req), None)

    def detail(self, event_id: str) -> dict[str, Any] | None:
        feat = self._feature(event_id)
        if feat is None:
            return None
        row = self._row(feat)
        pt = self._lonlat(feat.geometry())
        row["lon"], row["lat"] = (pt.x(), pt.y()) if pt else (None, None)
        return row

    def _lonlat(self, geom: QgsGeometry) -> QgsPointXY | None:
        if geom is None or geom.isNull():
            return None
        g = QgsGeometry(geom)
        g.transform(
            QgsCoordinateTransform(self.layer.crs(), QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())
        )
        return g.asPoint()

    def history(self, event_id: str) -> list[dict[str, Any]]:
        hist = self._sibling("event_history")
        if hist is None:
            return []
        req = QgsFeatureRequest().setFilterExpression(f'"event_id" = {QgsExpression.quotedValue(event_id)}')
        req.addOrderBy("at", True)
        return [
            {n: _py(f[n]) for n in ("at", "actor", "from_status", "to_status", "note")} for f in hist.getFeatures(req)
        ]

    def cameras(self, event_id: str, search_m: float = 500.0) -> list[dict[str, Any]]:
        """As DbCases: the store's cameras and buildings in the place's local frame, then core."""
        import shapely

        from ..core.coverage.sight import cameras_seeing_place, local_proj

        cams = self._sibling("camera")
        detail = self.detail(event_id)
        if cams is None or detail is None or detail.get("lon") is None:
            return []
        local = QgsCoordinateReferenceSystem.fromProj(local_proj(detail["lon"], detail["lat"]))
        area = QgsRectangle(-search_m, -search_m, search_m, search_m)

        def near(layer: QgsVectorLayer, reach: float):
            """(feature, geometry in the local frame) within ``reach`` m of the place."""
            xf = QgsCoordinateTransform(layer.crs(), local, QgsProject.instance())
            try:
                box = xf.transformBoundingBox(area.buffered(reach - search_m), QgsCoordinateTransform.ReverseTransform)
            except QgsCsException:
                return
            for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(box)):
                g = QgsGeometry(f.geometry())
                if g.isNull() or g.transform(xf) != 0:
                    continue
                if g.distance(QgsGeometry.fromPointXY(QgsPointXY(0, 0))) <= reach:
                    yield f, g

        rows = []
        for f, g in near(cams, search_m):
            row = {n: _py(f[n]) for n in f.fields().names()}
            row.setdefault("id", f.id())
            pt = g.asPoint()
            row["x"], row["y"] = pt.x(), pt.y()
            rows.append(row)
        blds = self._sibling("building")
        buildings = []
        if blds is not None:
            buildings = [shapely.from_wkb(bytes(g.asWkb())) for _f, g in near(blds, search_m + 5.0)]
        return cameras_seeing_place(rows, buildings)

    def lookups(self) -> dict[str, list[tuple[str, str]]]:
        out = {}
        for key, field in (("category", "category_code"), ("department", "department"), ("grid", "grid_code")):
            idx = self.layer.fields().indexOf(field)
            values = (
                sorted(str(v) for v in self.layer.uniqueValues(idx, 5000) if _py(v) is not None) if idx >= 0 else []
            )
            out[key] = [(v, v) for v in values]
        return out


def offline_copy_of(layer) -> str:
    """The GeoPackage of ``layer`` when it is the ``event`` table of an offline copy made by
    gridgov:checkout (recognised by the copy's own sync tables), else ''."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return ""
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, name = parts.get("path") or "", parts.get("layerName") or ""
    if not path.lower().endswith(".gpkg") or name != "event":
        return ""
    from ..core.sync import offline

    return path if offline.is_checkout(path) else ""


def is_geopackage(layer) -> bool:
    return (
        isinstance(layer, QgsVectorLayer)
        and layer.providerType() == "ogr"
        and layer.source().split("|")[0].lower().endswith(".gpkg")
    )


class OfflineCases(LayerCases):
    """An offline copy (gridgov:checkout) as a full working copy of its cases.

    Steps (立案/派遣/处置/核查/结案, return, void), assignment, asking to suspend or for more time,
    a supervisor's decision and resuming are checked against the copy's own table of steps (the
    database's ``case_transition``, copied at checkout) and kept as deltas that gridgov:syncoffline
    sends up through the same database functions, as the login that syncs. What the login may do
    was recorded at checkout; the card greys out the rest with the reason. Escalation and grades
    need the connection.
    """

    read_only = False

    def __init__(self, layer: QgsVectorLayer, path: str):
        super().__init__(layer)
        self.path = path
        self._access: Access | None = None
        self._names: dict[str, dict[str, Any]] | None = None

    def describe(self) -> str:
        from ..core.sync import offline

        waiting = sum(offline.unsynced_cases(self.path).values())
        text = tr("offline copy '{0}'", self.path.replace("\\", "/").rsplit("/", 1)[-1])
        if waiting:
            text += " " + tr("({0} case action(s) not yet synced)", waiting)
        return text

    def access(self) -> Access:
        """What the login that checked the copy out may do (the server checks again at sync)."""
        from ..core.sync import offline

        if self._access is None:
            self._access = offline.checkout_access(self.path) or Access.everything()
        return self._access

    def restrict_actions(self, card) -> None:
        restrict_card(card, self.access())
        online = tr(NEEDS_CONNECTION)
        for key in ("escalate", "grade"):
            set_available(card.loop_buttons[key], False, online)

    # -- the copy's own rules (core/sync/offline.py) -----------------------------------
    def allowed_transitions(self, status: str) -> list[str]:
        from ..core.sync import offline

        return offline.allowed_steps(self.path, status)

    def step_allowed(self, status: str, kind: str) -> bool:
        from ..core.sync import offline

        return offline.step_target(self.path, status, kind) is not None

    # -- reading -----------------------------------------------------------------------
    def _tables(self) -> dict[str, dict[str, Any]]:
        """Names of categories, departments and workers, and the categories' time units, from the copy."""
        if self._names is None:
            import sqlite3

            db = sqlite3.connect(self.path)
            try:
                cols = {r[1] for r in db.execute("PRAGMA table_info(event_category)")}
                unit = "time_unit" if "time_unit" in cols else "NULL"
                cats = {
                    c: (major, minor, u)
                    for c, major, minor, u in db.execute(f"SELECT code, major, minor, {unit} FROM event_category")
                }
                self._names = {
                    "category": cats,
                    "department": dict(db.execute("SELECT code, name FROM department")),
                    "worker": dict(db.execute("SELECT worker_id, name FROM grid_worker")),
                }
            finally:
                db.close()
        return self._names

    def _row(self, feat) -> dict[str, Any]:
        row = super()._row(feat)
        names = self._tables()
        major, minor, unit = names["category"].get(row.get("category_code"), (None, None, None))
        row.update(major=major, minor=minor, time_unit=unit or "working_hours")
        row["department_name"] = names["department"].get(row.get("department"))
        row["worker_name"] = names["worker"].get(row.get("worker_id"))
        now = dt.datetime.now(UTC)
        deadline = row.get("deadline_at")
        row["overdue"] = bool(
            row.get("status") in cases.RUNNING_STATES and isinstance(deadline, dt.datetime) and deadline < now
        )
        return row

    def list(self, filters: dict[str, Any], limit: int = 2000) -> list[dict[str, Any]]:
        # the copy changes under the layer (the card's actions, a sync): read it again
        self.layer.dataProvider().reloadData()
        rows = [r for r in (self._row(f) for f in self.layer.getFeatures()) if self._matches(r, filters)]
        far = dt.datetime.min.replace(tzinfo=UTC)
        rows.sort(key=lambda r: r.get("reported_at") or far, reverse=True)
        return rows[:limit]

    @staticmethod
    def _matches(r: dict[str, Any], f: dict[str, Any]) -> bool:
        at = r.get("reported_at")
        if f.get("start") and not (isinstance(at, dt.datetime) and at >= f["start"]):
            return False
        if f.get("end") and not (isinstance(at, dt.datetime) and at < f["end"]):
            return False
        for key, column in (("category", "category_code"), ("grid", "grid_code"), ("department", "department")):
            if f.get(key) and r.get(column) != f[key]:
                return False
        status = f.get("status")
        if status == "open" and r.get("status") not in OPEN:
            return False
        if isinstance(status, (list, tuple)) and status and r.get("status") not in status:
            return False
        if isinstance(status, str) and status != "open" and r.get("status") != status:
            return False
        if f.get("overdue") and not r.get("overdue"):
            return False
        if f.get("escalated") and not (r.get("escalated_at") and r.get("status") in OPEN):
            return False
        return True

    def detail(self, event_id: str) -> dict[str, Any] | None:
        from ..core.sync import offline

        row = super().detail(event_id)
        if row is None:
            return None
        request = offline.open_request(self.path, event_id)
        if request:
            row.update(
                request_id=request["id"],
                request_kind=request["kind"],
                request_reason=request["reason"],
                request_amount=request["amount"],
                requested_by=request["requested_by"],
                requested_at=request["requested_at"],
            )
        waiting = offline.unsynced_cases(self.path).get(event_id, 0)
        row["unsynced"] = waiting
        # steps taken here get their deadline from the server's working calendar at sync
        row["deadline_pending"] = bool(waiting) and row.get("status") in cases.RUNNING_STATES
        return row

    def history(self, event_id: str) -> list[dict[str, Any]]:
        from ..core.sync import offline

        return offline.case_history(self.path, event_id)

    def lookups(self) -> dict[str, list[tuple[str, str]]]:
        names = self._tables()
        out = super().lookups()
        out["category"] = sorted(
            ((code, minor or code) for code, (_major, minor, _u) in names["category"].items()), key=lambda x: x[0]
        )
        out["department"] = sorted(names["department"].items())
        out["worker"] = sorted(names["worker"].items())
        return out

    # -- acting ------------------------------------------------------------------------
    def _changed(self) -> None:
        self.layer.dataProvider().reloadData()
        self.layer.triggerRepaint()

    def _run(self, fn, *args, **kwargs):
        try:
            return fn(self.path, *args, **kwargs)
        finally:
            self._changed()

    def transition(self, event_id: str, to_status: str, note: str | None = None, seen_version: int | None = None):
        from ..core.sync import offline

        self._run(offline.transition, event_id, to_status, note, seen_version)

    def assign(
        self,
        event_id: str,
        department: str | None,
        worker: str | None,
        note: str | None = None,
        seen_version: int | None = None,
    ) -> None:
        from ..core.sync import offline

        self._run(offline.assign, event_id, department, worker, note, seen_version)

    def request_suspension(self, event_id: str, reason: str) -> str:
        from ..core.sync import offline

        return self._run(offline.request_suspension, event_id, reason)

    def request_extension(self, event_id: str, reason: str, amount: float) -> str:
        from ..core.sync import offline

        return self._run(offline.request_extension, event_id, reason, amount)

    def decide(self, request_id: str, approve: bool, note: str | None = None) -> None:
        from ..core.sync import offline

        self._run(offline.decide_request, request_id, approve, note)

    def resume(self, event_id: str, note: str | None = None) -> None:
        from ..core.sync import offline

        self._run(offline.resume_case, event_id, note)

    def escalate(self, event_id: str, reason: str) -> str:
        raise RuntimeError(tr(NEEDS_CONNECTION))

    def set_grade(self, event_id: str, grade: str, note: str | None = None):
        raise RuntimeError(tr(NEEDS_CONNECTION))


def store_reference_of(layer) -> str:
    """The connection of a layer reading the store's ``gridgov.event`` in PostGIS, else ''."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "postgres":
        return ""
    from qgis.core import QgsDataSourceUri

    from ..core.store import db

    uri = QgsDataSourceUri(layer.source())
    if (uri.schema(), uri.table()) != ("gridgov", "event"):
        return ""
    return db.reference_for_layer(layer)


# ---------------------------------------------------------------------------------------
# the case list
# ---------------------------------------------------------------------------------------
def fmt_short_time(value: Any, now: dt.datetime | None = None) -> str:
    """Local time as the list shows it: '12-05 14:30' this year, '2023-12-05' before (fmt_time in full)."""
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone()
    if local.year != (now or dt.datetime.now(UTC)).astimezone().year:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%m-%d %H:%M")


class CaseTableModel(QAbstractTableModel):
    """The case list: what a supervisor scans first on the left (category, status, deadline, overdue, grid).

    Short headers and compact cells, so that these columns fit a docked panel without scrolling
    (:class:`CaseColumns` sizes them); the full texts are in the tooltips.
    """

    COLUMNS = (
        ("category_code", N_("Category")),
        ("status", N_("Status")),
        ("deadline_at", N_("Deadline")),
        ("overdue", N_("Overdue")),
        ("grid_code", N_("Grid")),
        ("department", N_("Department")),
        ("level", N_("Level")),
        ("reported_at", N_("Reported at")),
    )
    HEADER_TIPS = {
        "deadline_at": N_("The deadline of the case's current step."),
        "overdue": N_("How long past its deadline an open case is (working hours where the database counts them)."),
        "grid_code": N_("The grid the case is in (its name, or its code)."),
    }
    ID_ROLE = Qt.UserRole + 1
    SORT_ROLE = Qt.UserRole + 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.now: dt.datetime | None = None  # None: the clock (tests fix it)

    def column(self, key: str) -> int:
        return [k for k, _ in self.COLUMNS].index(key)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal:
            return None
        if role == Qt.DisplayRole:
            return tr(self.COLUMNS[section][1])
        if role == Qt.ToolTipRole:
            tip = self.HEADER_TIPS.get(self.COLUMNS[section][0])
            return tr(tip) if tip else tr(self.COLUMNS[section][1])
        return None

    def late_hours(self, row: dict[str, Any]) -> float | None:
        """Hours past the deadline (negative: time left); working hours when the database gave them."""
        if row.get("status") == "suspended" or not cases.is_open(row.get("status") or ""):
            return None
        if "hours_left" in row:
            return None if row["hours_left"] is None else -float(row["hours_left"])
        deadline = row.get("deadline_at")
        if not isinstance(deadline, dt.datetime):
            return None
        if deadline.tzinfo is None:
            deadline = deadline.replace(tzinfo=UTC)
        return ((self.now or dt.datetime.now(UTC)) - deadline).total_seconds() / 3600

    def late_text(self, row: dict[str, Any]) -> str:
        """The overdue column: '3.5 工时' (working hours) or '2天4小时' (calendar time); '' when in time."""
        late = self.late_hours(row)
        if late is None or late <= 0:
            return ""
        if "hours_left" in row:  # a tenth of an hour while it is short, whole hours after
            return tr("{0} wh", f"{late:.1f}" if late < 10 else f"{late:.0f}") if late >= 0.1 else tr("< 0.1 wh")
        days, hours = int(late // 24), int(late % 24)
        if days:
            return tr("{0}d {1}h", days, hours)
        return tr("{0}h", hours) if hours else tr("< 1h")

    def deadline_tip(self, row: dict[str, Any]) -> str:
        if row.get("status") == "suspended":
            return tr("Suspended: the clock is stopped")
        late = (
            working_late_text(row.get("hours_left"))
            if "hours_left" in row
            else overdue_text(row.get("deadline_at"), row.get("status"), self.now)
        )
        return " ".join(t for t in (fmt_time(row.get("deadline_at")), late) if t)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        value = row.get(key)
        if role == Qt.DisplayRole:
            if key == "status":
                return cases.state_label(value or "")
            if key == "reported_at":
                return fmt_short_time(value, self.now)
            if key == "deadline_at":
                if row.get("status") == "suspended":
                    return tr("Suspended")
                return fmt_short_time(value, self.now)
            if key == "overdue":
                return self.late_text(row)
            if key == "category_code":
                text = str(row.get("minor") or code_label("category", value) or "")
                return f"⚑ {text}" if row.get("escalated_to_me") else text  # escalated to you (吹哨报到)
            if key == "grid_code":
                return str(row.get("grid_name") or value or "")
            if key == "department":
                return department_text(value, row.get("department_name")) if value else ""
            if key == "level":
                return labels.label("level", value)
            return "" if value is None else str(value)
        if role == self.SORT_ROLE:
            if key == "overdue":
                late = self.late_hours(row)
                return float("-inf") if late is None else late
            if isinstance(value, dt.datetime):
                return value.timestamp()
            if key == "deadline_at":
                return float("inf")  # no deadline: last when the most urgent come first
            if key == "status":
                return cases.STATES.index(value) if value in cases.STATES else 99
            return "" if value is None else (int(value) if isinstance(value, bool) else str(value))
        if role == self.ID_ROLE:
            return row.get("id")
        if role == Qt.ForegroundRole and row.get("overdue"):
            return QColor("#c00000")
        if role == Qt.ToolTipRole:
            # what a channel wrote is shown as text, never rendered; the cells are short, the tooltips whole
            if key == "category_code":
                name = str(row.get("minor") or code_label("category", value) or "")
                if row.get("escalated_to_me"):
                    name = tr("Escalated to you (吹哨报到)") + "\n" + name
                return plain_tooltip("\n".join(t for t in (name, row.get("description")) if t)) or None
            if key in ("deadline_at", "overdue"):
                return plain_tooltip(self.deadline_tip(row)) or None
            if key == "department":  # the name, in full where the column is narrow (not the bare code)
                return plain_tooltip(department_text(row.get(key), row.get("department_name"))) or None
            if key == "grid_code":
                name, code = row.get("grid_name"), row.get("grid_code")
                return plain_tooltip(f"{name} ({code})" if name and code else (name or code)) or None
            if key == "reported_at":
                return fmt_time(value) or None
        return None


class ElidingDelegate(QStyledItemDelegate):
    """Draws a cell elided in its own mode (a grid's name keeps its number: 和平里…第3网格)."""

    def __init__(self, mode, parent=None):
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        option.textElideMode = self.mode


class CaseColumns(QObject):
    """Sizes the case list's columns to its viewport, so that a docked panel shows without scrolling
    what a supervisor needs first: category, status, deadline, overdue and grid.

    The compact columns (status, deadline, overdue, level, time of report) get their texts' width;
    category, grid and department share what is left, elided with the full text in the tooltip.
    Where even their narrowest widths do not fit, the optional columns step aside (level first,
    then the time of report, then the department: the card shows them) rather than pushing the
    others past the edge. Sized again when the rows or the viewport's width change.
    """

    NEEDED = ("category_code", "status", "deadline_at", "overdue", "grid_code")
    OPTIONAL = ("department", "reported_at", "level")  # the last steps aside first
    ELASTIC = ("category_code", "grid_code", "department")  # elided to share the room; the rest in full
    MIN_CHARS = {"category_code": 3, "grid_code": 4, "department": 2}
    MAX_CHARS = 16  # a longer name is elided even when there is room

    def __init__(self, table: QTableView, model: CaseTableModel):
        super().__init__(table)
        self.table, self.model = table, model
        self._natural: dict[int, int] = {}
        self._width = -1
        # optional columns the user chose not to see (header's context menu), kept across sessions
        self.unwanted = {k for k in settings.value("case_list/hidden", "").split(",") if k in self.OPTIONAL}
        table.viewport().installEventFilter(self)
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(self._reset)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.column_menu().exec_(header.mapToGlobal(pos)))

    def column_menu(self) -> QMenu:
        """Which optional columns to show. A chosen one that does not fit the dock's width is still
        left out, and says so: the columns a supervisor needs first always stay."""
        menu = QMenu(self.table)
        menu.setToolTipsVisible(True)
        keys = [k for k, _ in self.model.COLUMNS]
        for key in self.OPTIONAL:
            col = keys.index(key)
            act = menu.addAction(str(self.model.headerData(col, Qt.Horizontal)))
            act.setCheckable(True)
            act.setChecked(key not in self.unwanted)
            act.setData(key)
            if key not in self.unwanted and self.table.isColumnHidden(col):
                act.setToolTip(tr("Chosen, but the dock is too narrow for it: widen the dock or hide another column."))
            act.toggled.connect(lambda on, k=key: self.set_wanted(k, on))
        return menu

    def set_wanted(self, key: str, on: bool) -> None:
        (self.unwanted.discard if on else self.unwanted.add)(key)
        settings.set_value("case_list/hidden", ",".join(sorted(self.unwanted)))
        self.fit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Resize and self.table.viewport().width() != self._width:
            self.fit()
        return False

    def _text_width(self, text: str) -> int:
        return self.table.fontMetrics().horizontalAdvance(text)

    def _reset(self, *_args) -> None:
        self._natural = {}
        self.fit()

    def natural(self, col: int) -> int:
        """The width that shows the column's header and every cell in full (kept until the rows change)."""
        if col not in self._natural:
            self._natural[col] = self._measure(col)
        return self._natural[col]

    def _measure(self, col: int) -> int:
        key = self.model.COLUMNS[col][0]
        style = self.table.style()
        header = self.table.horizontalHeader()
        margin = 2 * (style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, self.table) + 1) + 6
        head = (
            header.fontMetrics().horizontalAdvance(self.model.headerData(col, Qt.Horizontal))
            + 2 * style.pixelMetric(QStyle.PM_HeaderMargin, None, header)
            + style.pixelMetric(QStyle.PM_HeaderMarkSize, None, header)  # the sort arrow
            + 4
        )
        cells = 0
        for r in range(self.model.rowCount()):
            text = self.model.index(r, col).data(Qt.DisplayRole)
            if text:
                cells = max(cells, self._text_width(text))
        if key in self.ELASTIC:
            cells = min(cells, self._text_width("中" * self.MAX_CHARS))
        return max(head, cells + margin)

    def minimum(self, col: int) -> int:
        """An elastic column's narrowest: a few characters and the ellipsis (never wider than it needs)."""
        key = self.model.COLUMNS[col][0]
        return min(self.natural(col), self._text_width("中" * self.MIN_CHARS.get(key, 2) + "…") + 8)

    def fit(self) -> None:
        keys = [k for k, _ in self.model.COLUMNS]
        avail = self.table.viewport().width()
        self._width = avail

        def least(c: int) -> int:
            return self.minimum(c) if keys[c] in self.ELASTIC else self.natural(c)

        shown = [keys.index(k) for k in self.NEEDED + self.OPTIONAL if k not in self.unwanted]
        for key in reversed(self.OPTIONAL):  # make room: the optional ones step aside, last first
            if sum(least(c) for c in shown) <= avail:
                break
            if keys.index(key) in shown:
                shown.remove(keys.index(key))
        widths = {c: self.natural(c) for c in shown}
        elastic = [c for c in shown if keys[c] in self.ELASTIC]
        room = avail - sum(w for c, w in widths.items() if c not in elastic)
        want = sum(widths[c] for c in elastic)
        if want > room:  # elide the names, each keeping its minimum and a share of the rest
            low = {c: least(c) for c in elastic}
            spare = max(0, room - sum(low.values()))
            give = sum(widths[c] - low[c] for c in elastic)
            for c in elastic:
                widths[c] = low[c] + (int((widths[c] - low[c]) * spare / give) if give else 0)
        header = self.table.horizontalHeader()
        for c in range(len(keys)):
            self.table.setColumnHidden(c, c not in widths)
            if c in widths:
                header.resizeSection(c, widths[c])


class DuplicatesDialog(QDialog):
    """Suggested duplicate pairs; the checked ones are merged into the earlier report."""

    def __init__(self, backend: DbCases, parent=None):
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle(tr("Suggested duplicates"))
        lay = QVBoxLayout(self)
        form = QHBoxLayout()
        self.distance = QDoubleSpinBox()
        self.distance.setRange(1, 5000)
        self.distance.setValue(50)
        self.distance.setSuffix(" m")
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.1, 24 * 30)
        self.hours.setValue(24)
        self.hours.setSuffix(" h")
        search = QPushButton(tr("Search"))
        search.clicked.connect(self.search)
        form.addWidget(QLabel(tr("Within")))
        form.addWidget(self.distance)
        form.addWidget(QLabel(tr("and")))
        form.addWidget(self.hours)
        form.addWidget(search)
        lay.addLayout(form)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [tr("Merge"), tr("Keep (earlier)"), tr("Duplicate"), tr("Category"), tr("Distance (m)")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.merge_button = buttons.addButton(tr("Merge checked"), QDialogButtonBox.ActionRole)
        self.merge_button.clicked.connect(self.merge_checked)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.status = QLabel("")
        lay.addWidget(self.status)
        self.pairs: list[dict[str, Any]] = []
        self.merged = 0

    def search(self) -> None:
        self.pairs = self.backend.duplicates(self.distance.value(), self.hours.value())
        self.table.setRowCount(len(self.pairs))
        for r, p in enumerate(self.pairs):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled)
            check.setCheckState(Qt.Checked)
            self.table.setItem(r, 0, check)
            for c, text in enumerate(
                (p["event_id"][:8], p["duplicate_id"][:8], p["category_code"], f"{p['distance']:.0f}"), start=1
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.status.setText(tr("{0} suggested pair(s).", len(self.pairs)))

    def merge_checked(self) -> int:
        groups: dict[str, list[str]] = {}
        for r, p in enumerate(self.pairs):
            if self.table.item(r, 0).checkState() == Qt.Checked:
                groups.setdefault(p["event_id"], []).append(p["duplicate_id"])
        done, errors = 0, []
        merged: set[str] = set()
        for keep, dups in groups.items():
            dups = [d for d in dups if d not in merged and d not in groups]  # a kept case is not merged away
            if not dups or keep in merged:
                continue
            try:
                done += self.backend.merge(keep, dups, tr("merged as duplicates from the case dock"))
                merged.update(dups)
            except Exception as exc:
                errors.append(_pg_message(exc))
        self.merged += done
        self.status.setText(tr("{0} report(s) merged.", done) + ("  " + "; ".join(errors) if errors else ""))
        self.search()
        return done


# ---------------------------------------------------------------------------------------
# the dock
# ---------------------------------------------------------------------------------------
PERIODS = (
    ("all", N_("Any time")),
    ("1", N_("Last 24 hours")),
    ("7", N_("Last 7 days")),
    ("30", N_("Last 30 days")),
    ("custom", N_("Between…")),
)


class EventsDock(BaseDock):
    OBJECT_NAME = "GridGovEventsDock"
    TITLE = "Events and cases"
    CAPABILITIES = ("database",)

    def __init__(self, iface, parent=None, connection: str | None = None):
        super().__init__(iface, parent)
        self.backend: DbCases | LayerCases | OfflineCases | None = None
        self.live: ll.LiveEventsLayer | None = None
        self._connection_override = connection
        self._actions: list[QAction] = []
        self._board = None
        self.live_factory = None  # listener factory for the live layer (None: core.events.live)

        # source
        src = QHBoxLayout()  # one row: the layer, and where the cases come from beside it
        src.setContentsMargins(0, 0, 0, 0)
        self.events = layer_box("events", QgsMapLayerProxyModel.PointLayer)
        self.events.layerChanged.connect(lambda _l: self.reload_source() if hasattr(self, "_source_ref") else None)
        src.addWidget(QLabel(tr("Events layer")))
        src.addWidget(self.events, 1)
        self.source_label = QLabel("")
        self.source_label.setObjectName("source_label")
        self.source_label.setStyleSheet("color: #555555")
        self.source_label.setTextFormat(Qt.PlainText)
        self.layout_.addLayout(src)

        # filters: two columns, the dates only when asked for, collapsible to give the card room
        fbox = QgsCollapsibleGroupBox(tr("Filters"))
        fbox.setObjectName("GridGovCaseFilters")
        fbox.setSaveCollapsedState(True)
        self.filter_box = fbox
        grid = QGridLayout(fbox)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setVerticalSpacing(2)
        self.period = QComboBox()
        for key, label in PERIODS:
            self.period.addItem(tr(label), key)
        self.period.setCurrentIndex(3)
        self.date_from = QDateTimeEdit()
        self.date_to = QDateTimeEdit()
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd HH:mm")
        now = ll.to_qdatetime(dt.datetime.now(UTC)).toLocalTime()
        self.date_from.setDateTime(now.addDays(-7))
        self.date_to.setDateTime(now.addDays(1))
        self.category = QComboBox()
        self.status_box = QComboBox()
        self.status_box.addItem(tr("Any status"), None)
        self.status_box.addItem(tr("Open (not closed or void)"), "open")
        for s_ in cases.STATES:
            self.status_box.addItem(cases.state_label(s_), s_)
        self.grid_box = QComboBox()
        self.grid_box.setEditable(True)
        self.department = QComboBox()
        self.overdue = QCheckBox(tr("Overdue only"))
        self.escalated = QCheckBox(tr("Escalated to me"))
        self.escalated.setObjectName("filter_escalated")
        self.escalated.setToolTip(tr("Open cases escalated (吹哨报到) to the level you work at."))
        for box in (self.period, self.category, self.status_box, self.grid_box, self.department):
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
        grid.addWidget(QLabel(tr("Reported")), 0, 0)
        grid.addWidget(self.period, 0, 1)
        grid.addWidget(QLabel(tr("Status")), 0, 2)
        grid.addWidget(self.status_box, 0, 3)
        grid.addWidget(self.date_from, 1, 1)
        grid.addWidget(self.date_to, 1, 3)
        grid.addWidget(QLabel(tr("Category")), 2, 0)
        grid.addWidget(self.category, 2, 1)
        grid.addWidget(QLabel(tr("Department")), 2, 2)
        grid.addWidget(self.department, 2, 3)
        grid.addWidget(QLabel(tr("Grid")), 3, 0)
        grid.addWidget(self.grid_box, 3, 1)
        grid.addWidget(self.overdue, 3, 2)
        grid.addWidget(self.escalated, 3, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.layout_.addWidget(fbox)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(250)  # one query after a burst of filter edits
        self._refresh_timer.timeout.connect(self.refresh)
        for sig in (
            self.period.currentIndexChanged,
            self.category.currentIndexChanged,
            self.status_box.currentIndexChanged,
            self.department.currentIndexChanged,
            self.grid_box.currentTextChanged,
            self.overdue.toggled,
            self.escalated.toggled,
            self.date_from.dateTimeChanged,
            self.date_to.dateTimeChanged,
        ):
            sig.connect(lambda *_: self._refresh_timer.start(250))
        self.period.currentIndexChanged.connect(self._period_changed)
        self._period_changed()

        # list and card: the card gets the larger share, the list at least about eight rows
        split = QSplitter(Qt.Vertical)
        split.setObjectName("GridGovCaseSplitter")
        split.setChildrenCollapsible(False)
        self.splitter = split
        self.model = CaseTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(CaseTableModel.SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("case_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.model.column("reported_at"), Qt.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(24)
        # a grid's name keeps its number when elided (和平里…第3网格)
        self._grid_delegate = ElidingDelegate(Qt.ElideMiddle, self.table)
        self.table.setItemDelegateForColumn(self.model.column("grid_code"), self._grid_delegate)
        self.columns = CaseColumns(self.table, self.model)  # what a supervisor needs fits the panel
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        split.addWidget(self.table)
        self.card = CaseCard()
        self.card.changed.connect(self._case_changed)
        self.card.failed.connect(self._warn)
        self.card.confirmed.connect(self._confirm)
        scroll = QScrollArea()  # only a very small dock scrolls; the facts fit at 1600×1000
        scroll.setObjectName("GridGovCaseCardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.card)
        self.card_scroll = scroll
        split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        # at least eight rows under the header, whatever the style's margins
        rows_h = 8 * self.table.verticalHeader().defaultSectionSize()
        header_h = self.table.horizontalHeader().sizeHint().height()
        scroll_h = self.table.horizontalScrollBar().sizeHint().height()  # when the columns overflow
        self.table.setMinimumHeight(rows_h + header_h + scroll_h + 2 * self.table.frameWidth() + 4)
        self.layout_.addWidget(split, 1)

        # the actions in one row, the source and the live state in another: the list and card get the room
        row = QHBoxLayout()
        row.setSpacing(2)
        self.refresh_button = QToolButton()
        self.refresh_button.setText(tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.bulk_button = QToolButton()
        self.bulk_button.setText(tr("Selected cases"))
        self.bulk_button.setPopupMode(QToolButton.InstantPopup)
        self.bulk_menu = QMenu(self.bulk_button)
        self.bulk_menu.setToolTipsVisible(True)  # greyed-out steps say why
        self.bulk_menu.aboutToShow.connect(self._fill_bulk_menu)
        self.bulk_button.setMenu(self.bulk_menu)
        self.dup_button = QToolButton()
        self.dup_button.setText(tr("Duplicates…"))
        self.dup_button.clicked.connect(self.show_duplicates)
        self.live_button = QToolButton()
        self.live_button.setText(tr("Live layer"))
        self.live_button.setCheckable(True)
        self.live_button.toggled.connect(self.set_live)
        self.live_status = QLabel("")
        self.live_status.setObjectName("live_status")
        self.heatmap_button = QToolButton()
        self.heatmap_button.setText(tr("Heatmap"))
        self.heatmap_button.clicked.connect(lambda: self.add_heatmap())
        self.kde_button = QToolButton()
        self.kde_button.setText(tr("Density raster"))
        self.kde_button.clicked.connect(lambda: self.density_raster())
        self.sync_button = QToolButton()  # only for an offline copy: its way back to the server
        self.sync_button.setText(tr("Sync…"))
        self.sync_button.setObjectName("GridGovSyncCopy")
        self.sync_button.setToolTip(tr("Send this copy's changes to the server and bring the server's changes down."))
        self.sync_button.clicked.connect(lambda: self.sync_copy())
        self.sync_button.setVisible(False)
        self._sync_dialog = None
        self._sync_task = None
        for w in (
            self.refresh_button,
            self.sync_button,
            self.bulk_button,
            self.dup_button,
            self.live_button,
            self.heatmap_button,
            self.kde_button,
        ):
            row.addWidget(w)
        row.addStretch(1)
        self.layout_.addLayout(row)
        row2 = QHBoxLayout()
        row2.addWidget(self.source_label, 1)
        row2.addWidget(self.live_status)
        self.layout_.addLayout(row2)
        self._show_live_state(ll.STATE_STOPPED, "")
        self.status.setObjectName("GridGovEventsStatus")
        self._finish(stretch=False)  # no trailing stretch: the list and the card take the room
        self._sized = False
        self.update_availability()
        QgsProject.instance().readProject.connect(self._project_read)
        if connection is not None:
            self.reload_source()
        # else on first show: QGIS starts without waiting for a database that may be far away

    # -- source ------------------------------------------------------------------------
    def connection(self) -> str:
        """The override, else the plugin's connection (the project's own first), else the connection of
        the events layer when it is the store's gridgov.event table in PostGIS."""
        if self._connection_override is not None:
            return self._connection_override
        return settings.connection_name() or store_reference_of(self.events.currentLayer())

    def reload_source(self) -> None:
        """The chosen events layer when it is an offline copy (a working copy, synced later), else
        PostGIS when a connection is set and reachable, else the chosen events layer read-only."""
        if isinstance(self.backend, DbCases):
            self.backend.close()
        self.backend = None
        self._source_problem = ""
        ref = self.connection()
        self._source_ref = ref
        copy = offline_copy_of(self.events.currentLayer())
        if copy:  # chosen by the user: work on the copy, online or not
            self.backend = OfflineCases(self.events.currentLayer(), copy)
        elif ref:
            backend = DbCases(ref)
            try:
                backend.conn()
                self.backend = backend
            except Exception as exc:
                self._source_problem = tr("the database {0} cannot be reached: {1}", ref, _pg_message(exc))
                self._warn(tr("Cannot use the database ({0}); showing the events layer read-only.", _pg_message(exc)))
        if self.backend is None:
            layer = self.events.currentLayer()
            if isinstance(layer, QgsVectorLayer) and layer.isValid():
                self.backend = LayerCases(layer)
        text = (
            tr("Cases from {0}", self.backend.describe())
            if self.backend
            else tr("No PostGIS connection and no events layer.")
        )
        reason = self.read_only_reason()
        self.source_label.setText(text + (f"\n{reason}" if self.backend is not None and reason else ""))
        self.source_label.setToolTip(plain_tooltip(reason))
        self._fill_lookups()
        self.card.read_only_reason = reason
        self.card.set_backend(self.backend)
        self.update_availability()
        self._apply_access()
        self.refresh()

    def sync_copy(self):
        """Sync this offline copy with gridgov:syncoffline: in the background with the dock's
        connection when one is set (progress and cancel in QGIS's task manager), else in Processing's
        dialog to choose one. The dock then reads the copy again and opens the conflicts, if any."""
        if not isinstance(self.backend, OfflineCases):
            return None
        registry = QgsApplication.processingRegistry()
        alg = registry.createAlgorithmById("gridgov:syncoffline")
        if alg is None:  # the provider is not loaded (a missing dependency): say so
            self._warn(
                tr("Syncing needs the plugin's Processing algorithms; see Grid governance › Python dependencies…")
            )
            return None
        path, ref = self.backend.path, self.connection()
        if not ref:
            from processing import createAlgorithmDialog

            dialog = createAlgorithmDialog("gridgov:syncoffline", {"PACKAGE": path})
            # Processing's dialog hides QDialog.finished: read the copy after each run and on closing
            dialog.algorithmFinished.connect(lambda *_args: self.reload_source())
            dialog.rejected.connect(self.reload_source)
            self._sync_dialog = dialog
            dialog.show()
            return dialog
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        feedback = QgsProcessingFeedback()
        task = QgsProcessingAlgRunnerTask(alg, {"DATABASE": ref, "PACKAGE": path}, context, feedback)
        self._sync_task = (task, context, feedback)  # kept alive until it has run
        task.executed.connect(lambda ok, results: self._synced(path, ok, results, feedback))
        set_available(self.sync_button, False, tr("Syncing…"))
        QgsApplication.taskManager().addTask(task)
        return task

    def _synced(self, path: str, ok: bool, results: dict, feedback: QgsProcessingFeedback) -> None:
        self._sync_task = None
        set_available(self.sync_button, True)  # its own tooltip comes back with it
        self.reload_source()
        if not ok:  # the batch rolled back: the copy keeps every change; say why
            self._warn(
                tr("The sync stopped; your offline changes are kept. Try again: {0}", feedback.textLog().strip())
            )
            return
        conflicts = int(results.get("CONFLICTS") or 0)
        self._say(
            tr(
                "Synced: {0} change(s) sent, {1} received, {2} conflict(s), {3} refused.",
                int(results.get("APPLIED") or 0),
                int(results.get("RECEIVED") or 0),
                conflicts,
                int(results.get("REFUSED") or 0),
            )
        )
        from ..core.sync import offline

        if offline.conflicts(path):
            from .conflicts import OfflineConflictDialog

            self._sync_dialog = OfflineConflictDialog(path, self)
            self._sync_dialog.finished.connect(lambda _r: self.reload_source())
            self._sync_dialog.show()

    def read_only_reason(self) -> str:
        """Why the cases cannot be acted on here ('' when they can): what a greyed-out action says."""
        if isinstance(self.backend, (DbCases, OfflineCases)):
            return ""
        ref = getattr(self, "_source_ref", None)
        ref = self.connection() if ref is None else ref
        if getattr(self, "_source_problem", ""):
            return tr("Read-only because {0}.", self._source_problem)
        if not ref and isinstance(self.backend, LayerCases) and is_geopackage(self.backend.layer):
            return tr(
                "Read-only: this GeoPackage is not an offline copy and no PostGIS connection is set. Choose the "
                "connection in Grid governance › Settings…, or check out an area (Processing: “Check out an area "
                "for offline work”) and choose the copy's event layer to act on its cases without a connection."
            )
        if not ref:
            return tr(
                "Read-only: no PostGIS connection is set, so cases are read from a layer. Choose the connection in "
                "Grid governance › Settings… to act on cases."
            )
        return tr("Read-only: the PostGIS connection {0} has not been opened yet.", ref)

    def connection_reason(self) -> str:
        """Why an action that needs the database is unavailable ('' when a connection is set)."""
        if self.connection():
            if getattr(self, "_source_problem", ""):
                return tr("Unavailable because {0}.", self._source_problem)
            return ""
        return tr("Needs the PostGIS connection: choose it in Grid governance › Settings….")

    def update_availability(self) -> None:
        """Enable what the source allows; everything else greyed out with its reason on hover."""
        db_ok = isinstance(self.backend, DbCases)
        reason = self.read_only_reason()
        if isinstance(self.backend, OfflineCases):
            reason = tr("Not in an offline copy: duplicates and the live layer need the PostGIS store.")
        self.sync_button.setVisible(isinstance(self.backend, OfflineCases))
        set_available(self.dup_button, db_ok, reason)
        set_available(self.live_button, db_ok or self.live is not None, reason)
        set_available(self.bulk_button, self.backend is not None, tr("No PostGIS connection and no events layer."))
        needs_db = self.connection_reason()
        for act in self._actions:
            if act.objectName() in ("GridGovSupervisionBoard", "GridGovResponsibilityList"):
                set_available(act, not needs_db, needs_db)
            elif act.objectName() == "GridGovLiveEvents":
                set_available(act, db_ok or self.live is not None or (bool(self.connection()) and not needs_db), reason)

    def settings_changed(self) -> None:
        """The plugin settings were saved: follow the connection chosen there."""
        self._project_read()

    def _project_read(self, *_args) -> None:
        """A project may name its own connection (the PostGIS demo does): follow it."""
        if self.isVisible():
            self._ensure_source()
        self.update_availability()

    def _apply_access(self) -> None:
        """Grey out, with the reason, what the login may not do; show who is logged in."""
        if isinstance(self.backend, OfflineCases):  # the login that checked the copy out
            self.source_label.setText(
                tr("Cases from {0}", self.backend.describe()) + "\n" + self.backend.access().describe()
            )
            return
        if not isinstance(self.backend, DbCases):
            return
        try:
            acc = self.backend.access()
        except Exception as exc:  # the database decides anyway; the controls stay as they are
            log.warning(tr("Could not read what this login may do: {0}", _pg_message(exc)))
            return
        self.source_label.setText(self.backend.describe() + "\n" + acc.describe())
        set_available(self.dup_button, acc.can("merge"), acc.why_not("merge"))
        set_available(self.live_button, acc.can("read_cases"), acc.why_not("read_cases"))

    # the width the case list and card need to show their facts without scrolling
    COMFORTABLE_WIDTH = 520

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        # the connection may have been chosen in the settings since: follow it
        self._ensure_source()
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._give_room)

    def _give_room(self) -> None:
        """Widen a narrow docked panel once: the card is the supervisor's main view."""
        mw = self.parent()
        try:
            if not self.isFloating() and self.width() < self.COMFORTABLE_WIDTH and hasattr(mw, "resizeDocks"):
                mw.resizeDocks([self], [self.COMFORTABLE_WIDTH], Qt.Horizontal)
        except RuntimeError:  # closed meanwhile
            pass

    def _fill_lookups(self) -> None:
        looks = self.backend.lookups() if self.backend else {}
        for box, key, any_label in (
            (self.category, "category", N_("Any category")),
            (self.department, "department", N_("Any department")),
            (self.grid_box, "grid", N_("Any grid")),
        ):
            box.blockSignals(True)
            box.clear()
            box.addItem(tr(any_label), None)
            for code, label in looks.get(key, []):
                if key == "department" and (not label or label == code):
                    label = labels.label("department", code)
                # names, not codes; the code stays the item's data and its tooltip
                box.addItem(str(label) if label else str(code), code)
                if key != "department":  # a department's code means nothing to its reader
                    box.setItemData(box.count() - 1, str(code), Qt.ToolTipRole)
            box.blockSignals(False)

    # -- filters and list ----------------------------------------------------------------
    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        for w in (self.date_from, self.date_to):
            set_available(w, custom, tr("Choose “Between…” to set the dates."))
            w.setVisible(custom)  # two rows less for the card unless the dates are wanted

    def filters(self) -> dict[str, Any]:
        f: dict[str, Any] = {}
        key = self.period.currentData()
        now = dt.datetime.now(UTC)
        if key == "custom":
            f["start"] = _py(self.date_from.dateTime())
            f["end"] = _py(self.date_to.dateTime())
        elif key and key != "all":
            f["start"] = now - dt.timedelta(days=float(key))
        f["category"] = self.category.currentData()
        f["status"] = self.status_box.currentData()
        grid = self.grid_box.currentData()
        text = self.grid_box.currentText().strip()
        if grid is None and text and text != tr("Any grid"):
            grid = text.split(" ")[0]  # typed by hand
        f["grid"] = grid
        f["department"] = self.department.currentData()
        f["overdue"] = self.overdue.isChecked()
        f["escalated"] = self.escalated.isChecked()
        return {k: v for k, v in f.items() if v not in (None, "", False)}

    def refresh(self) -> None:
        self._refresh_timer.stop()
        current = self.card.case["id"] if self.card.case else None
        if self.backend is None:
            self.model.set_rows([])
            return
        try:
            rows = self.backend.list(self.filters())
        except Exception as exc:
            self._warn(tr("Could not read the cases: {0}", _pg_message(exc)))
            return
        if isinstance(self.backend, OfflineCases):
            self._apply_access()  # how many actions wait to be synced
        self._keep_card = current  # the card stays on its case while the list is rebuilt
        try:
            self.model.set_rows(rows)
            n_over = sum(1 for r in rows if r.get("overdue"))
            self.status.setText(tr("{0} case(s), {1} overdue.", len(rows), n_over))
            if current and not self.select_case(current):
                # a step can take a case out of the filters: keep it on the card, and say so
                self.card.show_case(current, keep_confirmation=True)
                if self.card.case is not None:
                    self.status.setText(
                        self.status.text() + " " + tr("The case on the card no longer matches the filters.")
                    )
        finally:
            self._keep_card = None

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) for r in range(self.proxy.rowCount())]

    def selected_ids(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) for r in sorted(rows)]

    def select_case(self, event_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) == event_id:
                self.table.selectRow(r)
                self.table.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    def _selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        keep = getattr(self, "_keep_card", None)
        if not ids and keep:
            return  # the list is being rebuilt: refresh() decides what the card shows
        if len(ids) == 1 and keep == ids[0] and self.card.case and self.card.case.get("id") == keep:
            self.card.show_case(keep, keep_confirmation=True)  # same case, fresh facts, message kept
            return
        self.card.show_case(ids[0] if len(ids) == 1 else None)
        if len(ids) == 1:
            self.zoom_to_case()
        else:
            self._unmark_case()

    # the scale the map zooms in to for a case, when it is further out (a street block or two)
    CASE_SCALE = 4000.0

    def zoom_to_case(self) -> bool:
        """Centre the map on the case on the card (zooming in when further out) and flash it."""
        c = self.card.case
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if not c or c.get("lon") is None or canvas is None:
            return False
        try:
            geom = QgsGeometry.fromPointXY(QgsPointXY(c["lon"], c["lat"]))
            crs4490 = QgsCoordinateReferenceSystem("EPSG:4490")
            to_map = QgsCoordinateTransform(crs4490, canvas.mapSettings().destinationCrs(), QgsProject.instance())
            point = to_map.transform(QgsPointXY(c["lon"], c["lat"]))
            canvas.setCenter(point)
            if canvas.scale() > self.CASE_SCALE * 1.5:
                canvas.zoomScale(self.CASE_SCALE)
            canvas.refresh()
            canvas.flashGeometries([geom], crs4490)
            self._mark_case(canvas, point)
            return True
        except Exception:  # a mock canvas in tests, or no map yet
            return False

    def _mark_case(self, canvas, point) -> None:
        """A ring that stays on the case on the card (the flash is gone after a second)."""
        from qgis.gui import QgsVertexMarker

        marker = getattr(self, "_case_marker", None)
        if marker is None:
            marker = QgsVertexMarker(canvas)
            marker.setIconType(QgsVertexMarker.ICON_CIRCLE)
            marker.setIconSize(26)
            marker.setPenWidth(4)
            marker.setColor(QColor("#00e5ff"))
            marker.setZValue(900)
            self._case_marker = marker
            self._case_marker_canvas = canvas
        marker.setCenter(point)
        marker.show()

    def _unmark_case(self) -> None:
        marker = getattr(self, "_case_marker", None)
        if marker is not None:
            try:
                marker.hide()
            except RuntimeError:  # the canvas is gone
                self._case_marker = None

    # -- actions -----------------------------------------------------------------------
    def _case_changed(self, event_id: str) -> None:
        self.refresh()
        self.select_case(event_id)
        for layer in QgsProject.instance().mapLayers().values():
            # the map's case layers show the new status too
            if isinstance(layer, QgsVectorLayer) and styles.table_name(layer) == "event":
                layer.triggerRepaint()

    def _confirm(self, message: str) -> None:
        c = self.card.case
        if c is not None and c.get("id") not in self.visible_ids():
            message += " " + tr("The case on the card no longer matches the filters.")
        self.status.setText(message)
        try:
            self.iface.messageBar().pushSuccess(tr("Events and cases"), message)
        except Exception:  # test ifaces without a message bar
            pass

    def common_transitions(self, ids: list[str] | None = None) -> list[str]:
        """Target states allowed for every selected case (bulk actions offer only these)."""
        ids = self.selected_ids() if ids is None else ids
        statuses = {r["status"] for r in self.model.rows if r.get("id") in set(ids)}
        if not statuses:
            return []
        common = None
        for s in statuses:
            # same target and same kind: 'registered' is a step forward from reported but a return
            # (退回) from dispatched, and one click must not mean both
            allowed = [(t, cases.transition_kind(s, t)) for t in cases.allowed_transitions(s)]
            common = allowed if common is None else [t for t in common if t in allowed]
        return [t for t, _kind in common or []]

    def _fill_bulk_menu(self) -> None:
        self.bulk_menu.clear()
        ids = self.selected_ids()
        read_only = self.backend is None or self.backend.read_only
        statuses = {r["status"] for r in self.model.rows if r.get("id") in set(ids)}
        reason = self.read_only_reason() if read_only else ""
        for to in self.common_transitions(ids):
            label = cases.action_label(next(iter(statuses)), to) if len(statuses) == 1 else cases.state_label(to)
            act = self.bulk_menu.addAction(tr("{0} ({1} cases)", label, len(ids)))
            act.setData(to)  # the target the per-login check below reads
            set_available(act, not read_only, reason)
            act.triggered.connect(lambda _=False, target=to: self.bulk_transition(target))
        if not self.bulk_menu.actions():
            set_available(
                self.bulk_menu.addAction(tr("No common step for the selection")),
                False,
                tr("Select cases first.") if not ids else tr("The selected cases are at steps with no step in common."),
            )
        self.bulk_menu.addSeparator()
        act = self.bulk_menu.addAction(tr("Assign to the department / worker chosen in the card…"))
        set_available(act, not read_only and bool(ids), reason or tr("Select cases first."))
        act.triggered.connect(lambda: self.bulk_assign())
        if isinstance(self.backend, (DbCases, OfflineCases)):
            acc = self.backend.access()
            for a in self.bulk_menu.actions()[:-2]:  # the steps: only what the login may make
                target = a.data()
                if a.isEnabled() and target:
                    checks = [acc.can_step(s, target) for s in statuses]
                    set_available(a, all(ok for ok, _ in checks), next((w for ok, w in checks if not ok), ""))
            set_available(act, act.isEnabled() and acc.can("assign"), acc.why_not("assign"))
        if isinstance(self.backend, DbCases):  # the audit trail is on the server
            acc = self.backend.access()
            hist = self.bulk_menu.addAction(tr("History of this case…"))
            hist.setObjectName("GridGovCaseHistory")
            set_available(
                hist,
                len(ids) == 1 and acc.can("read_history"),
                acc.why_not("read_history") or tr("Select one case."),
            )
            hist.triggered.connect(lambda: self.show_history(ids[0]))

    def bulk_transition(
        self, to_status: str, ids: list[str] | None = None, note: str | None = None
    ) -> tuple[int, list]:
        ids = self.selected_ids() if ids is None else ids
        if not ids or self.backend is None or self.backend.read_only:
            return 0, []
        if note is None:
            ok, note = self.card.ask_note(self, tr("{0} {1} cases", cases.state_label(to_status), len(ids)))
            if not ok:
                return 0, []
        done, errors = 0, []
        for eid in ids:
            try:
                self.backend.transition(eid, to_status, note or None)
                done += 1
            except Exception as exc:
                errors.append((eid, _pg_message(exc)))
        self._report_bulk(done, errors)
        return done, errors

    def bulk_assign(
        self,
        ids: list[str] | None = None,
        department: str | None = None,
        worker: str | None = None,
        note: str | None = None,
    ) -> tuple[int, list]:
        ids = self.selected_ids() if ids is None else ids
        department = department if department is not None else self.card.department_box.currentData()
        worker = worker if worker is not None else self.card.worker_box.currentData()
        if not ids or self.backend is None or self.backend.read_only or (department is None and worker is None):
            return 0, []
        if note is None:
            ok, note = self.card.ask_note(self, tr("Assign {0} cases", len(ids)))
            if not ok:
                return 0, []
        done, errors = 0, []
        for eid in ids:
            try:
                self.backend.assign(eid, department, worker, note or None)
                done += 1
            except Exception as exc:
                errors.append((eid, _pg_message(exc)))
        self._report_bulk(done, errors)
        return done, errors

    def _report_bulk(self, done: int, errors: list) -> None:
        self.refresh()
        msg = tr("{0} case(s) updated.", done)
        if errors:
            msg += " " + tr("{0} refused: {1}", len(errors), errors[0][1])
            self._warn(msg)
        else:
            self.status.setText(msg)

    def show_history(self, event_id: str):
        """The case's steps and every other change, with who and when (docs/roles.md)."""
        from .history_dialog import HistoryDialog

        if not isinstance(self.backend, DbCases):
            return None
        try:
            dlg = HistoryDialog(
                lambda: ll.open_connection(self.backend.ref, "gridgov-history"),
                "event",
                event_id,
                tr("History of case {0}", event_id[:8]),
                self,
            )
        except Exception as exc:
            self._warn(tr("The history could not be opened: {0}", _pg_message(exc)))
            return None
        dlg.show()
        return dlg

    def show_duplicates(self) -> None:
        if not isinstance(self.backend, DbCases):
            return
        dlg = DuplicatesDialog(self.backend, self)
        dlg.search()
        dlg.exec_()
        if dlg.merged:
            self.refresh()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        log.info(text)
        try:
            self.iface.messageBar().pushSuccess(tr("Events and cases"), text)
        except Exception:
            pass

    def _warn(self, text: str) -> None:
        self.status.setText(text)
        log.warning(text)
        try:
            self.iface.messageBar().pushWarning(tr("Events and cases"), text)
        except Exception:
            pass

    # -- live layer, heatmap, temporal -----------------------------------------------------
    def set_live(self, on: bool) -> None:
        if on and self.live is None:
            ref = self.connection()
            if not ref:
                self.live_button.setChecked(False)
                self._warn(tr("Set a PostGIS connection in the plugin settings for the live layer."))
                return
            canvas = self.iface.mapCanvas() if self.iface is not None else None
            self.live = ll.LiveEventsLayer(ref, listener_factory=self.live_factory, parent=self, canvas=canvas)
            self.live.statusChanged.connect(self._show_live_state)
            self.live.batchApplied.connect(self._list_follows_live)
            self.live.layer.setCustomProperty("gridgov/kind", "live_events")  # for the role views
            QgsProject.instance().addMapLayer(self.live.layer)
            self.live.layer.willBeDeleted.connect(self._live_layer_removed)
            self.live.start()
        elif not on and self.live is not None:
            live, self.live = self.live, None
            live.stop()
            try:
                QgsProject.instance().removeMapLayer(live.layer.id())
            except RuntimeError:
                pass
            self._show_live_state(ll.STATE_STOPPED, "")
        self._sync_live_toggles(self.live is not None)

    def _sync_live_toggles(self, on: bool) -> None:
        for w in [self.live_button, *[a for a in self._actions if a.isCheckable()]]:
            if w.isChecked() != on:
                w.blockSignals(True)
                w.setChecked(on)
                w.blockSignals(False)

    def _list_follows_live(self, *_args) -> None:
        # at most one list query per second under a stream of batches (restarting the timer
        # on every batch would postpone it for as long as the stream lasts)
        if not self._refresh_timer.isActive():
            self._refresh_timer.start(1000)

    def _live_layer_removed(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
            self._sync_live_toggles(False)
            self._show_live_state(ll.STATE_STOPPED, "")

    def _show_live_state(self, state: str, message: str) -> None:
        colours = {
            ll.STATE_LIVE: "#1a9641",
            ll.STATE_CONNECTING: "#fdae61",
            ll.STATE_RECONNECTING: "#d7191c",
            ll.STATE_ERROR: "#d7191c",
            ll.STATE_STOPPED: "#999999",
        }
        names = {
            ll.STATE_LIVE: tr("Live"),
            ll.STATE_CONNECTING: tr("Connecting"),
            ll.STATE_RECONNECTING: tr("Reconnecting"),
            ll.STATE_ERROR: tr("Error"),
            ll.STATE_STOPPED: tr("Live layer off"),
        }
        text = names.get(state, state) + (f" – {message}" if message and message != names.get(state) else "")
        self.live_status.setText(
            f'<span style="color:{colours.get(state, "#999999")}">●</span> ' + text.replace("<", "&lt;")
        )
        self.live_status.setToolTip(message)

    def _ensure_source(self) -> None:
        if getattr(self, "_source_ref", None) != self.connection():
            self.reload_source()

    def events_layer_for_views(self) -> QgsVectorLayer | None:
        """The whole store for heatmaps when connected (server-side window), else the chosen layer."""
        self._ensure_source()
        if isinstance(self.backend, DbCases):
            layer = ll.postgis_events_layer(self.backend.ref, tr("Events"))
            if layer.isValid():
                return layer
        if self.live is not None:
            return self.live.layer
        layer = self.events.currentLayer()
        return layer if isinstance(layer, QgsVectorLayer) else None

    def add_heatmap(self, days: float = 30.0) -> QgsVectorLayer | None:
        source = self.events_layer_for_views()
        if source is None:
            self._warn(tr("Choose the events layer first."))
            return None
        f = self.filters()
        end = f.get("end") or dt.datetime.now(UTC)
        start = f.get("start") or end - dt.timedelta(days=days)
        view = ll.heatmap_view(source, start, end)
        if QgsProject.instance().mapLayer(view.id()) is None:
            self._warn(tr("No events in the time window."))  # and no empty layer on the map
        else:
            self.status.setText(tr("Heatmap of {0} event(s) added.", view.featureCount()))
        return view

    def density_raster(self, radius_m: float = 200.0, pixel_m: float = 20.0):
        view = self.add_heatmap()
        if view is None:
            return None
        if view.featureCount() == 0:
            self._warn(tr("No events in the time window."))
            return None
        self.status.setText(tr("Computing the kernel density in the background…"))
        return ll.kernel_density(
            view,
            radius_m,
            pixel_m,
            on_done=lambda out: self.status.setText(
                tr("Density raster added.") if out else tr("The density raster failed.")
            ),
        )

    def play_last_month(self, days: int = 30) -> QgsVectorLayer | None:
        """The last ``days`` days of events on the map, one day per frame, playing, the date shown."""
        from . import playback

        source = self.events_layer_for_views()
        if source is None:
            self._warn(tr("Choose the events layer first."))
            return None
        end = dt.datetime.now(UTC)
        start = end - dt.timedelta(days=days)
        if self.live is not None:
            ll.set_temporal(self.live.layer)  # the live layer follows the same clock
        layer = playback.add_playback_layer(source, start, end)
        if layer is None:
            self._warn(tr("No events were reported in the last {0} days: there is nothing to play.", days))
            return None
        canvas = self.iface.mapCanvas()
        if getattr(self, "_date_overlay", None) is None:
            self._date_overlay = playback.DateOverlay(canvas)
        playback.play(canvas.temporalController(), start, end)
        playback.show_temporal_dock(self.iface.mainWindow())
        self.status.setText(
            tr(
                "Playing {0} event(s) of the last {1} days, one day per frame; the other event layers are "
                "hidden until the playback layer is removed.",
                layer.featureCount(),
                days,
            )
        )
        return layer

    def show_board(self) -> None:
        from .supervision_board import SupervisionBoard

        ref = self.connection()
        if not ref:
            self._warn(tr("The supervision board needs the PostGIS connection (plugin settings)."))
            return
        self._board = SupervisionBoard(ref, self.iface.mainWindow() if self.iface else None)
        self._board.show()
        self._board.refresh()

    def show_responsibility_list(self) -> None:
        from .responsibility_dialog import ResponsibilityDialog

        ref = self.connection()
        if not ref:
            self._warn(
                tr(
                    "The responsibility list is stored in PostGIS: choose a PostgreSQL connection in the "
                    "plugin settings first."
                )
            )
            return
        old = getattr(self, "_responsibility_dialog", None)
        try:
            if old is not None and old.isVisible() and old.connection == ref:
                old.raise_()
                old.activateWindow()
                return
        except RuntimeError:  # its Qt object is gone
            pass
        dlg = ResponsibilityDialog(ref, self.iface.mainWindow() if self.iface else None)
        if dlg.load_error:
            self._warn(dlg.load_error)
            dlg.close_connection()
            dlg.deleteLater()
            return
        self._responsibility_dialog = dlg
        dlg.show()

    def show_work_calendar(self) -> None:
        from .work_calendar_dialog import WorkCalendarDialog

        ref = self.connection()
        if not ref:
            self._warn(
                tr(
                    "The working calendar is stored in PostGIS: choose a PostgreSQL connection in the plugin settings first."
                )
            )
            return
        dlg = WorkCalendarDialog(ref, self.iface.mainWindow() if self.iface else None)
        if dlg.load_error:
            self._warn(dlg.load_error)
            dlg.close_connection()
            dlg.deleteLater()
            return
        self._work_calendar_dialog = dlg
        dlg.show()

    def show_assessment_items(self) -> None:
        from .assessment_items_dialog import AssessmentItemsDialog

        ref = self.connection()
        if not ref:
            self._warn(
                tr(
                    "The assessment items are stored in PostGIS: choose a PostgreSQL connection in the plugin settings first."
                )
            )
            return
        dlg = AssessmentItemsDialog(ref, self.iface.mainWindow() if self.iface else None)
        if dlg.load_error:
            self._warn(dlg.load_error)
            dlg.close_connection()
            dlg.deleteLater()
            return
        self._assessment_items_dialog = dlg
        dlg.show()

    def actions(self) -> list[QAction]:
        """Actions for the plugin's menu and toolbar (the lead adds them in plugin.py)."""
        if self._actions:
            return self._actions
        parent = self.iface.mainWindow() if self.iface is not None else self
        spec = (
            ("GridGovSupervisionBoard", tr("Supervision board…"), self.show_board, False),
            ("GridGovLiveEvents", tr("Live events layer"), None, True),
            ("GridGovEventHeatmap", tr("Event heatmap (last 30 days)"), lambda: self.add_heatmap(), False),
            ("GridGovEventDensity", tr("Event density raster…"), lambda: self.density_raster(), False),
            ("GridGovPlayLastMonth", tr("Play the last month"), lambda: self.play_last_month(), False),
            ("GridGovResponsibilityList", tr("Responsibility list…"), self.show_responsibility_list, False),
            ("GridGovWorkCalendar", tr("Working calendar…"), self.show_work_calendar, False),
            ("GridGovAssessmentItems", tr("Assessment items…"), self.show_assessment_items, False),
        )
        for name, text, slot, checkable in spec:
            act = QAction(text, parent)
            act.setObjectName(name)
            if checkable:
                act.setCheckable(True)
                act.setChecked(self.live is not None)
                act.toggled.connect(self.set_live)
            else:
                act.triggered.connect(slot)
            self._actions.append(act)
        self.update_availability()
        return self._actions

    def cleanup(self) -> None:
        """Stop the listener and close the connection (plugin unload)."""
        try:
            QgsProject.instance().readProject.disconnect(self._project_read)
        except (TypeError, RuntimeError):
            pass
        self.set_live(False)
        marker = getattr(self, "_case_marker", None)
        if marker is not None:
            try:
                self._case_marker_canvas.scene().removeItem(marker)
            except RuntimeError:  # the canvas is gone
                pass
            self._case_marker = None
        overlay = getattr(self, "_date_overlay", None)
        if overlay is not None:
            try:
                overlay.canvas.scene().removeItem(overlay)
            except RuntimeError:  # the canvas is gone
                pass
            self._date_overlay = None
        if isinstance(self.backend, DbCases):
            self.backend.close()

    def deleteLater(self) -> None:  # noqa: N802 - plugin.unload calls it: stop the listener thread first
        self.cleanup()
        super().deleteLater()
