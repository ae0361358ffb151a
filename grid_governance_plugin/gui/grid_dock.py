"""The Grid planning dock: checks, workload statistics, plans."""

from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel
from qgis.PyQt.QtWidgets import QFormLayout, QHBoxLayout, QPushButton

from ..core.i18n import tr
from . import styles
from .tasks import run_algorithm, take_layer
from .widgets import BaseDock, ResultTable, layer_box


class GridPlanningDock(BaseDock):
    OBJECT_NAME = "GridGovGridPlanningDock"
    TITLE = "Grid planning"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        form = QFormLayout()
        self.grids = layer_box("grids", QgsMapLayerProxyModel.PolygonLayer)
        self.parents = layer_box("communities", QgsMapLayerProxyModel.PolygonLayer)
        self.buildings = layer_box("buildings", QgsMapLayerProxyModel.PolygonLayer)
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
