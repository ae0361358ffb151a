"""The Events and cases dock: filters, case list, case card, actions, live layer, heatmap.

Works on the PostGIS store (the connection in the plugin settings) with the case flow's
actions, and falls back to read-only on a GeoPackage events layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer
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
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
)

from ..core import settings
from ..core.events import board, cases
from ..core.i18n import N_, tr
from ..core.log import get_logger
from . import live_layer as ll
from .case_card import CaseCard, _pg_message, fmt_time
from .widgets import BaseDock, layer_box

log = get_logger("events")
UTC = dt.timezone.utc
OPEN = cases.OPEN_STATES


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
            log.warning(tr("Could not read the lists of categories and departments: {0}", str(exc).strip()))
            return {}

    def transition(self, event_id: str, to_status: str, note: str | None = None):
        return board.transition(self.conn(), event_id, to_status, self.actor(), note)

    def assign(self, event_id: str, department: str | None, worker: str | None, note: str | None = None) -> None:
        board.assign(self.conn(), event_id, department, worker, self.actor(), note)

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


# ---------------------------------------------------------------------------------------
# the case list
# ---------------------------------------------------------------------------------------
class CaseTableModel(QAbstractTableModel):
    COLUMNS = (
        ("category_code", N_("Category")),
        ("status", N_("Status")),
        ("level", N_("Level")),
        ("department", N_("Department")),
        ("grid_code", N_("Grid")),
        ("reported_at", N_("Reported")),
        ("deadline_at", N_("Deadline")),
        ("overdue", N_("Overdue")),
    )
    ID_ROLE = Qt.UserRole + 1
    SORT_ROLE = Qt.UserRole + 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return tr(self.COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        value = row.get(key)
        if role == Qt.DisplayRole:
            if key == "status":
                return cases.state_label(value or "")
            if key in ("reported_at", "deadline_at"):
                return fmt_time(value)
            if key == "overdue":
                return tr("Yes") if value else ""
            if key == "category_code" and row.get("minor"):
                return f"{value} {row['minor']}"
            return "" if value is None else str(value)
        if role == self.SORT_ROLE:
            if isinstance(value, dt.datetime):
                return value.timestamp()
            if key == "status":
                return cases.STATES.index(value) if value in cases.STATES else 99
            return "" if value is None else (int(value) if isinstance(value, bool) else str(value))
        if role == self.ID_ROLE:
            return row.get("id")
        if role == Qt.ForegroundRole and row.get("overdue"):
            return QColor("#c00000")
        if role == Qt.ToolTipRole:
            return row.get("description") or None
        return None


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

    def __init__(self, iface, parent=None, connection: str | None = None):
        super().__init__(iface, parent)
        self.backend: DbCases | LayerCases | None = None
        self.live: ll.LiveEventsLayer | None = None
        self._connection_override = connection
        self._actions: list[QAction] = []
        self._board = None
        self.live_factory = None  # listener factory for the live layer (None: core.events.live)

        # source
        src = QFormLayout()
        self.events = layer_box("events", QgsMapLayerProxyModel.PointLayer)
        self.events.layerChanged.connect(lambda _l: self.reload_source() if hasattr(self, "_source_ref") else None)
        src.addRow(tr("Events layer"), self.events)
        self.source_label = QLabel("")
        self.source_label.setObjectName("source_label")
        self.source_label.setWordWrap(True)
        src.addRow(tr("Cases from"), self.source_label)
        self.layout_.addLayout(src)

        # filters
        fbox = QGroupBox(tr("Filters"))
        grid = QGridLayout(fbox)
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
        for s in cases.STATES:
            self.status_box.addItem(cases.state_label(s), s)
        self.grid_box = QComboBox()
        self.grid_box.setEditable(True)
        self.department = QComboBox()
        self.overdue = QCheckBox(tr("Overdue only"))
        grid.addWidget(QLabel(tr("Reported")), 0, 0)
        grid.addWidget(self.period, 0, 1)
        grid.addWidget(self.date_from, 1, 0)
        grid.addWidget(self.date_to, 1, 1)
        grid.addWidget(QLabel(tr("Category")), 2, 0)
        grid.addWidget(self.category, 2, 1)
        grid.addWidget(QLabel(tr("Status")), 3, 0)
        grid.addWidget(self.status_box, 3, 1)
        grid.addWidget(QLabel(tr("Grid")), 4, 0)
        grid.addWidget(self.grid_box, 4, 1)
        grid.addWidget(QLabel(tr("Department")), 5, 0)
        grid.addWidget(self.department, 5, 1)
        grid.addWidget(self.overdue, 6, 0, 1, 2)
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
            self.date_from.dateTimeChanged,
            self.date_to.dateTimeChanged,
        ):
            sig.connect(lambda *_: self._refresh_timer.start(250))
        self.period.currentIndexChanged.connect(self._period_changed)
        self._period_changed()

        # list and card
        split = QSplitter(Qt.Vertical)
        self.model = CaseTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(CaseTableModel.SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("case_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        split.addWidget(self.table)
        self.card = CaseCard()
        self.card.changed.connect(self._case_changed)
        self.card.failed.connect(self._warn)
        scroll = QScrollArea()  # the card is long; the list keeps its room
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.card)
        split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.table.setMinimumHeight(160)
        self.layout_.addWidget(split, 1)

        # buttons
        row = QHBoxLayout()
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.bulk_button = QToolButton()
        self.bulk_button.setText(tr("Selected cases"))
        self.bulk_button.setPopupMode(QToolButton.InstantPopup)
        self.bulk_menu = QMenu(self.bulk_button)
        self.bulk_menu.aboutToShow.connect(self._fill_bulk_menu)
        self.bulk_button.setMenu(self.bulk_menu)
        self.dup_button = QPushButton(tr("Duplicates…"))
        self.dup_button.clicked.connect(self.show_duplicates)
        for w in (self.refresh_button, self.bulk_button, self.dup_button):
            row.addWidget(w)
        self.layout_.addLayout(row)
        row2 = QHBoxLayout()
        self.live_button = QPushButton(tr("Live layer"))
        self.live_button.setCheckable(True)
        self.live_button.toggled.connect(self.set_live)
        self.live_status = QLabel("")
        self.live_status.setObjectName("live_status")
        self.heatmap_button = QPushButton(tr("Heatmap"))
        self.heatmap_button.clicked.connect(lambda: self.add_heatmap())
        self.kde_button = QPushButton(tr("Density raster"))
        self.kde_button.clicked.connect(lambda: self.density_raster())
        for w in (self.live_button, self.heatmap_button, self.kde_button):
            row2.addWidget(w)
        self.layout_.addLayout(row2)
        self.layout_.addWidget(self.live_status)
        self._show_live_state(ll.STATE_STOPPED, "")
        self._finish()
        if connection is not None:
            self.reload_source()
        # else on first show: QGIS starts without waiting for a database that may be far away

    # -- source ------------------------------------------------------------------------
    def connection(self) -> str:
        return self._connection_override if self._connection_override is not None else settings.connection_name()

    def reload_source(self) -> None:
        """PostGIS when a connection is set and reachable, else the chosen events layer read-only."""
        if isinstance(self.backend, DbCases):
            self.backend.close()
        self.backend = None
        ref = self.connection()
        self._source_ref = ref
        if ref:
            backend = DbCases(ref)
            try:
                backend.conn()
                self.backend = backend
            except Exception as exc:
                self._warn(tr("Cannot use the database ({0}); showing the events layer read-only.", str(exc).strip()))
        if self.backend is None:
            layer = self.events.currentLayer()
            if isinstance(layer, QgsVectorLayer) and layer.isValid():
                self.backend = LayerCases(layer)
        self.source_label.setText(
            self.backend.describe() if self.backend else tr("No PostGIS connection and no events layer.")
        )
        self._fill_lookups()
        self.card.set_backend(self.backend)
        self.dup_button.setEnabled(bool(self.backend) and not self.backend.read_only)
        self.live_button.setEnabled(isinstance(self.backend, DbCases))
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        # the connection may have been chosen in the settings since: follow it
        self._ensure_source()
        super().showEvent(event)

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
                box.addItem(code if label == code else f"{code} {label or ''}".strip(), code)
            box.blockSignals(False)

    # -- filters and list ----------------------------------------------------------------
    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)

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
        self.model.set_rows(rows)
        n_over = sum(1 for r in rows if r.get("overdue"))
        self.status.setText(tr("{0} case(s), {1} overdue.", len(rows), n_over))
        if current:
            self.select_case(current)

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) for r in range(self.proxy.rowCount())]

    def selected_ids(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) for r in sorted(rows)]

    def select_case(self, event_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) == event_id:
                self.table.selectRow(r)
                return True
        return False

    def _selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        self.card.show_case(ids[0] if len(ids) == 1 else None)
        if len(ids) == 1:
            self._flash(ids[0])

    def _flash(self, event_id: str) -> None:
        c = self.card.case
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if not c or c.get("lon") is None or canvas is None:
            return
        try:
            geom = QgsGeometry.fromPointXY(QgsPointXY(c["lon"], c["lat"]))
            canvas.flashGeometries([geom], QgsCoordinateReferenceSystem("EPSG:4490"))
        except Exception:  # a mock canvas in tests, or no map yet
            pass

    # -- actions -----------------------------------------------------------------------
    def _case_changed(self, event_id: str) -> None:
        self.status.setText(tr("Case updated."))
        self.refresh()
        self.select_case(event_id)

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
        for to in self.common_transitions(ids):
            label = cases.action_label(next(iter(statuses)), to) if len(statuses) == 1 else cases.state_label(to)
            act = self.bulk_menu.addAction(tr("{0} ({1} cases)", label, len(ids)))
            act.setEnabled(not read_only)
            act.triggered.connect(lambda _=False, target=to: self.bulk_transition(target))
        if not self.bulk_menu.actions():
            self.bulk_menu.addAction(tr("No common step for the selection")).setEnabled(False)
        self.bulk_menu.addSeparator()
        act = self.bulk_menu.addAction(tr("Assign to the department / worker chosen in the card…"))
        act.setEnabled(not read_only and bool(ids))
        act.triggered.connect(lambda: self.bulk_assign())

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

    def show_duplicates(self) -> None:
        if not isinstance(self.backend, DbCases):
            return
        dlg = DuplicatesDialog(self.backend, self)
        dlg.search()
        dlg.exec_()
        if dlg.merged:
            self.refresh()

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
        return ll.heatmap_view(source, start, end)

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

    def play_last_month(self) -> None:
        """Temporal Controller over the last 30 days, one day per frame, playing."""
        layer = self.live.layer if self.live is not None else self.events.currentLayer()
        if isinstance(layer, QgsVectorLayer):
            ll.set_temporal(layer)
        ll.play_last_month(self.iface.mapCanvas().temporalController())
        try:
            from qgis.PyQt.QtWidgets import QDockWidget

            dock = self.iface.mainWindow().findChild(QDockWidget, "TemporalControllerDock")
            if dock is not None:
                dock.show()
        except Exception:
            pass

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
            ("GridGovPlayLastMonth", tr("Play the last month"), self.play_last_month, False),
            ("GridGovResponsibilityList", tr("Responsibility list…"), self.show_responsibility_list, False),
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
        return self._actions

    def cleanup(self) -> None:
        """Stop the listener and close the connection (plugin unload)."""
        self.set_live(False)
        if isinstance(self.backend, DbCases):
            self.backend.close()

    def deleteLater(self) -> None:  # noqa: N802 - plugin.unload calls it: stop the listener thread first
        self.cleanup()
        super().deleteLater()
