"""The Camera coverage dock: run coverage, blind spots largest first, cameras not online."""

from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel
from qgis.PyQt.QtWidgets import QFormLayout, QLabel, QPushButton

from ..core.i18n import tr
from . import styles
from .tasks import run_algorithm, take_layer
from .widgets import BaseDock, ResultTable, layer_box


class CoverageDock(BaseDock):
    OBJECT_NAME = "GridGovCoverageDock"
    TITLE = "Camera coverage"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        form = QFormLayout()
        self.cameras = layer_box("cameras", QgsMapLayerProxyModel.PointLayer)
        self.obstacles = layer_box("buildings", QgsMapLayerProxyModel.PolygonLayer)
        self.target = layer_box("target", QgsMapLayerProxyModel.PolygonLayer)
        self.grids = layer_box("grids", QgsMapLayerProxyModel.PolygonLayer)
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
