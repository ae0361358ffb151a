"""The three docks: Grid planning, Camera coverage, Events and cases.

Docks only collect choices and show results; the work runs as Processing algorithms
in QgsTasks (gui/tasks.py) so the map never freezes.
"""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsDockWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import settings
from ..core.i18n import tr
from . import styles
from .tasks import run_algorithm, take_layer


def _layer_box(role: str, filt) -> QgsMapLayerComboBox:
    box = QgsMapLayerComboBox()
    box.setFilters(filt)
    box.setAllowEmptyLayer(True)
    layer = QgsProject.instance().mapLayer(settings.layer_for_role(role))
    if layer is None:
        # fall back to a layer named after the role (the demo project's names)
        layer = styles.find_layer_for_role(role)
    box.setLayer(layer)
    return box


class ResultTable(QTableWidget):
    """A table of features of a result layer; clicking a row zooms the map to it."""

    def __init__(self, iface, headers: list[str], parent=None):
        super().__init__(0, len(headers), parent)
        self.iface = iface
        self.layer: QgsVectorLayer | None = None
        self.setHorizontalHeaderLabels(headers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.cellClicked.connect(self._zoom)

    def fill(
        self,
        layer: QgsVectorLayer,
        fields: list[str],
        order_by: str | None = None,
        limit: int = 500,
        request: QgsFeatureRequest | None = None,
    ) -> None:
        self.layer = layer
        request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
        if order_by:
            request.addOrderBy(order_by, False)
        request.setLimit(limit)
        rows = list(layer.getFeatures(request))
        self.setRowCount(len(rows))
        for r, feat in enumerate(rows):
            for c, name in enumerate(fields):
                value = feat[name] if name in feat.fields().names() else ""
                item = QTableWidgetItem("" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value)))
                item.setData(Qt.UserRole, feat.id())
                self.setItem(r, c, item)

    def _zoom(self, row: int, _col: int) -> None:
        if self.layer is None:
            return
        fid = self.item(row, 0).data(Qt.UserRole)
        self.layer.selectByIds([fid])
        canvas = self.iface.mapCanvas()
        canvas.zoomToSelected(self.layer)
        canvas.refresh()


class _Dock(QgsDockWidget):
    OBJECT_NAME = ""
    TITLE = ""

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(tr(self.TITLE))
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.setWidget(self.body)
        self.status = QLabel("")
        self.status.setWordWrap(True)

    def _finish(self) -> None:
        self.layout_.addWidget(self.status)
        self.layout_.addStretch(1)


class GridPlanningDock(_Dock):
    OBJECT_NAME = "GridGovGridPlanningDock"
    TITLE = "Grid planning"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        form = QFormLayout()
        self.grids = _layer_box("grids", QgsMapLayerProxyModel.PolygonLayer)
        self.parents = _layer_box("communities", QgsMapLayerProxyModel.PolygonLayer)
        self.buildings = _layer_box("buildings", QgsMapLayerProxyModel.PolygonLayer)
        form.addRow(tr("Grids"), self.grids)
        form.addRow(tr("Communities"), self.parents)
        form.addRow(tr("Buildings"), self.buildings)
        self.layout_.addLayout(form)
        row = QHBoxLayout()
        self.validate_button = QPushButton(tr("Check grids"))
        self.validate_button.setObjectName("GridGovValidateButton")
        self.validate_button.clicked.connect(self.validate)
        row.addWidget(self.validate_button)
        self.stats_button = QPushButton(tr("Workload statistics"))
        self.stats_button.clicked.connect(self.stats)
        row.addWidget(self.stats_button)
        self.layout_.addLayout(row)
        self.problems = ResultTable(iface, [tr("Problem"), tr("Grids"), tr("Message")])
        self.layout_.addWidget(self.problems)
        self._finish()

    def validate(self) -> None:
        grids = self.grids.currentLayer()
        if grids is None:
            self.status.setText(tr("Choose a grid layer first."))
            return
        params = {"GRIDS": grids, "OUTPUT": "TEMPORARY_OUTPUT"}
        if self.parents.currentLayer() is not None:
            params["PARENTS"] = self.parents.currentLayer()
        self.status.setText(tr("Checking grids..."))

        def done(ok, results, context):
            if not ok:
                self.status.setText(tr("The check failed; see the log."))
                return
            layer = take_layer(context, results["OUTPUT"], tr("Grid problems"))
            if layer is not None:
                styles.apply(layer, "grid_problems")
                self.problems.fill(layer, ["error_type", "codes", "message"])
                self.status.setText(tr("{0} problem(s) found.", layer.featureCount()))

        run_algorithm("gridgov:validategrids", params, done, tr("Checking grids"))

    def stats(self) -> None:
        grids, buildings = self.grids.currentLayer(), self.buildings.currentLayer()
        if grids is None or buildings is None:
            self.status.setText(tr("Choose the grid and building layers first."))
            return

        def done(ok, results, context):
            if ok:
                layer = take_layer(context, results["OUTPUT"], tr("Grid workload"))
                if layer is not None:
                    styles.apply(layer, "grid_stats")
                    self.status.setText(tr("Workload statistics for {0} grid(s).", layer.featureCount()))

        run_algorithm(
            "gridgov:gridstats", {"GRIDS": grids, "BUILDINGS": buildings, "OUTPUT": "TEMPORARY_OUTPUT"}, done,
            tr("Grid workload statistics"),
        )


class CoverageDock(_Dock):
    OBJECT_NAME = "GridGovCoverageDock"
    TITLE = "Camera coverage"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        form = QFormLayout()
        self.cameras = _layer_box("cameras", QgsMapLayerProxyModel.PointLayer)
        self.obstacles = _layer_box("buildings", QgsMapLayerProxyModel.PolygonLayer)
        self.target = _layer_box("target", QgsMapLayerProxyModel.PolygonLayer)
        self.grids = _layer_box("grids", QgsMapLayerProxyModel.PolygonLayer)
        form.addRow(tr("Cameras"), self.cameras)
        form.addRow(tr("Obstacles"), self.obstacles)
        form.addRow(tr("Area to watch"), self.target)
        form.addRow(tr("Grids"), self.grids)
        self.layout_.addLayout(form)
        self.run_button = QPushButton(tr("Run coverage"))
        self.run_button.setObjectName("GridGovRunCoverageButton")
        self.run_button.clicked.connect(self.run_coverage)
        self.layout_.addWidget(self.run_button)
        self.layout_.addWidget(QLabel(tr("Blind spots, largest first (click to zoom)")))
        self.blind_spots = ResultTable(iface, [tr("Area (m²)"), tr("Grid")])
        self.layout_.addWidget(self.blind_spots)
        self._finish()

    def run_coverage(self) -> None:
        cams, target = self.cameras.currentLayer(), self.target.currentLayer()
        if cams is None or target is None:
            self.status.setText(tr("Choose the camera layer and the area to watch first."))
            return
        params = {
            "CAMERAS": cams,
            "TARGET": target,
            "COVERAGE": "TEMPORARY_OUTPUT",
            "BLIND_SPOTS": "TEMPORARY_OUTPUT",
            "GRID_STATS": "TEMPORARY_OUTPUT",
        }
        if self.obstacles.currentLayer() is not None:
            params["OBSTACLES"] = self.obstacles.currentLayer()
        if self.grids.currentLayer() is not None:
            params["GRIDS"] = self.grids.currentLayer()
        self.status.setText(tr("Computing coverage..."))

        def done(ok, results, context):
            if not ok:
                self.status.setText(tr("Coverage failed; see the log."))
                return
            for key, name, style in (
                ("GRID_STATS", tr("Coverage by grid"), "coverage_ratio"),
                ("COVERAGE", tr("Camera coverage"), "coverage"),
                ("BLIND_SPOTS", tr("Blind spots"), "blind_spots"),
            ):
                if results.get(key):
                    layer = take_layer(context, results[key], name)
                    if layer is not None:
                        styles.apply(layer, style)
                        if key == "BLIND_SPOTS":
                            self.blind_spots.fill(layer, ["area_m2", "grid_code"], order_by="area_m2")
            self.status.setText(tr("Coverage done."))

        run_algorithm("gridgov:coverage", params, done, tr("Camera coverage"))


class EventsDock(_Dock):
    OBJECT_NAME = "GridGovEventsDock"
    TITLE = "Events and cases"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        form = QFormLayout()
        self.events = _layer_box("events", QgsMapLayerProxyModel.PointLayer)
        form.addRow(tr("Events"), self.events)
        self.layout_.addLayout(form)
        self.cases = ResultTable(iface, [tr("Category"), tr("Status"), tr("Deadline"), tr("Grid")])
        self.layout_.addWidget(QLabel(tr("Open cases past their deadline")))
        self.layout_.addWidget(self.cases)
        self.refresh_button = QPushButton(tr("Show overdue cases"))
        self.refresh_button.clicked.connect(self.show_overdue)
        self.layout_.addWidget(self.refresh_button)
        self._finish()

    def show_overdue(self) -> None:
        layer = self.events.currentLayer()
        if layer is None:
            self.status.setText(tr("Choose the events layer first."))
            return
        request = QgsFeatureRequest().setFilterExpression(
            "status NOT IN ('closed', 'void') AND deadline_at < now()"
        )
        self.cases.fill(layer, ["category_code", "status", "deadline_at", "grid_code"], request=request)
        self.status.setText(tr("{0} overdue case(s) shown.", self.cases.rowCount()))
