"""The Camera coverage dock: coverage for the view, a grid, a community or everything; blind spots
largest first; per-grid ratios; cameras that are not online; fields of view, DORI bands,
placement suggestions, camera import and the camera map tool.

All long work runs as Processing algorithms in QgsTasks (gui/tasks.run_algorithm).
"""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QAction,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
)

from ..core.i18n import N_, tr
from ..core.log import get_logger
from ..core.paths import icon_path
from ..processing.alg_coverage import DORI_CHOICES, DORI_LEVEL_LABELS
from . import camera_fov_adapter as fov
from . import styles
from .live_coverage import LiveCoverageController
from .tasks import run_algorithm, take_layer
from .widgets import BaseDock, ResultTable, layer_box

log = get_logger("coverage_dock")

SCOPES = (
    ("all", N_("Everything")),
    ("view", N_("Current map view")),
    ("grid", N_("Selected grids")),
    ("community", N_("A community")),
)


class CoverageDock(BaseDock):
    OBJECT_NAME = "GridGovCoverageDock"
    TITLE = "Camera coverage"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        self.tool = None
        self.last_task = None
        self.result_layers: dict[str, QgsVectorLayer] = {}
        self._keep: list = []  # scope layers a running task reads

        form = QFormLayout()
        self.cameras = layer_box("cameras", QgsMapLayerProxyModel.PointLayer)
        self.obstacles = layer_box("buildings", QgsMapLayerProxyModel.PolygonLayer)
        self.target = layer_box("target", QgsMapLayerProxyModel.PolygonLayer)
        self.grids = layer_box("grids", QgsMapLayerProxyModel.PolygonLayer)
        self.communities = layer_box("communities", QgsMapLayerProxyModel.PolygonLayer)
        form.addRow(tr("Cameras"), self.cameras)
        form.addRow(tr("Obstacles"), self.obstacles)
        form.addRow(tr("Area to watch"), self.target)
        form.addRow(tr("Grids"), self.grids)
        self.scope = QComboBox()
        self.scope.setObjectName("GridGovCoverageScope")
        for key, label in SCOPES:
            self.scope.addItem(tr(label), key)
        form.addRow(tr("Compute for"), self.scope)
        form.addRow(tr("Communities"), self.communities)
        self.community = QComboBox()
        self.community.setObjectName("GridGovCommunity")
        form.addRow(tr("Community"), self.community)
        self.communities.layerChanged.connect(self._fill_communities)
        self._fill_communities()
        self.dori_level = QComboBox()
        self.dori_level.setObjectName("GridGovDoriLevel")
        for i, label in enumerate(DORI_LEVEL_LABELS):
            self.dori_level.addItem(tr(label), i)
        self.dori_level.setToolTip(
            tr("Count ground as seen only where the image is this detailed (cameras need a resolution field).")
        )
        form.addRow(tr("Detail needed"), self.dori_level)
        self.planned = QCheckBox(tr("Planned coverage (count offline, faulty and planned cameras too)"))
        self.planned.setObjectName("GridGovPlannedCoverage")
        form.addRow(self.planned)
        self.layout_.addLayout(form)

        self.run_button = QPushButton(tr("Run coverage"))
        self.run_button.setObjectName("GridGovRunCoverageButton")
        self.run_button.clicked.connect(self.run_coverage)
        self.layout_.addWidget(self.run_button)
        # live city-wide figures while the camera map tool is on (gui/live_coverage.py)
        self.live_label = QLabel()
        self.live_label.setObjectName("GridGovLiveCoverage")
        self.live_label.setWordWrap(True)
        self.live_label.hide()
        self.layout_.addWidget(self.live_label)
        self.live = LiveCoverageController(self)
        self.live.changed.connect(self._show_live)

        row = QHBoxLayout()
        self.fov_button = QPushButton(tr("Fields of view"))
        self.fov_button.setObjectName("GridGovFovButton")
        self.fov_button.clicked.connect(lambda: self.run_fov(False))
        self.dori_button = QPushButton(tr("DORI bands"))
        self.dori_button.setObjectName("GridGovDoriButton")
        self.dori_button.clicked.connect(lambda: self.run_fov(True))
        row.addWidget(self.fov_button)
        row.addWidget(self.dori_button)
        self.layout_.addLayout(row)

        row = QHBoxLayout()
        self.count = QSpinBox()
        self.count.setObjectName("GridGovSuggestCount")
        self.count.setRange(1, 500)
        self.count.setValue(10)
        self.suggest_button = QPushButton(tr("Suggest cameras"))
        self.suggest_button.setObjectName("GridGovSuggestButton")
        self.suggest_button.clicked.connect(self.run_suggest)
        row.addWidget(QLabel(tr("Number")))
        row.addWidget(self.count)
        row.addWidget(self.suggest_button)
        self.layout_.addLayout(row)

        self.tool_action = QAction(QIcon(icon_path("camera.svg")), tr("Place and aim cameras"), self)
        self.tool_action.setObjectName("GridGovCameraTool")
        self.tool_action.setCheckable(True)
        self.tool_action.setToolTip(
            tr(
                "Click to place a camera, drag to aim it, shift+drag or the wheel to change "
                "its field of view; the occluded view redraws live."
            )
        )
        self.tool_action.toggled.connect(self.toggle_tool)
        self.import_action = QAction(tr("Import cameras…"), self)
        self.import_action.setObjectName("GridGovImportCameras")
        self.import_action.triggered.connect(lambda: self.import_cameras())
        row = QHBoxLayout()
        for action in (self.tool_action, self.import_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
            row.addWidget(button)
        self.layout_.addLayout(row)

        self.layout_.addWidget(QLabel(tr("Blind spots, largest first (click to zoom)")))
        self.blind_spots = ResultTable(iface, [tr("Area (m²)"), tr("Grid")])
        self.blind_spots.setObjectName("GridGovBlindSpots")
        self.layout_.addWidget(self.blind_spots)
        self.layout_.addWidget(QLabel(tr("Cameras offline, faulty or obstructed (click to zoom)")))
        self.down_cameras = ResultTable(iface, [tr("Name"), tr("Device id"), tr("Status")])
        self.down_cameras.setObjectName("GridGovDownCameras")
        self.layout_.addWidget(self.down_cameras)
        self._finish()

    # -- for the lead's toolbar ---------------------------------------------------------------
    def actions(self) -> list[QAction]:  # noqa: D401 - overrides QWidget.actions on purpose
        """The map-tool toggle and the import action, for the plugin toolbar."""
        return [self.tool_action, self.import_action]

    # -- scope --------------------------------------------------------------------------------
    def _fill_communities(self, *_args) -> None:
        self.community.clear()
        layer = self.communities.currentLayer()
        if layer is None:
            return
        names = layer.fields().names()
        label = next((f for f in ("name", "code") if f in names), None)
        for feat in layer.getFeatures():
            self.community.addItem(str(feat[label]) if label else str(feat.id()), feat.id())

    def scope_geometry(self, crs) -> QgsGeometry | None:
        """The area the chosen scope covers, in ``crs``; None for everything."""
        key = self.scope.currentData()
        proj = QgsProject.instance()
        if key == "view":
            canvas = self.iface.mapCanvas()
            geom = QgsGeometry.fromRect(canvas.extent())
            src = canvas.mapSettings().destinationCrs()
        elif key == "grid":
            layer = self.grids.currentLayer()
            if layer is None or not layer.selectedFeatureCount():
                raise ValueError(tr("Select one or more grids on the map first."))
            geom = QgsGeometry.unaryUnion([f.geometry() for f in layer.selectedFeatures()])
            src = layer.crs()
        elif key == "community":
            layer = self.communities.currentLayer()
            fid = self.community.currentData()
            if layer is None or fid is None:
                raise ValueError(tr("Choose the community layer and a community first."))
            geom = QgsGeometry(layer.getFeature(fid).geometry())
            src = layer.crs()
        else:
            return None
        if src != crs:
            geom.transform(QgsCoordinateTransform(src, crs, proj))
        return geom

    @staticmethod
    def clipped(layer: QgsVectorLayer, area: QgsGeometry, clip: bool = True) -> QgsVectorLayer:
        """A memory copy of the features of ``layer`` within ``area`` (same CRS), cut to it when ``clip``."""
        kind = QgsWkbTypes.displayString(QgsWkbTypes.multiType(layer.wkbType()))
        out = QgsVectorLayer(f"{kind}?crs={layer.crs().authid()}", layer.name(), "memory")
        if not layer.crs().authid():
            out.setCrs(layer.crs())
        out.dataProvider().addAttributes(layer.fields().toList())
        out.updateFields()
        engine = QgsGeometry.createGeometryEngine(area.constGet())
        engine.prepareGeometry()
        feats = []
        for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(area.boundingBox())):
            g = f.geometry()
            if g.isNull() or not engine.intersects(g.constGet()):
                continue
            if clip:
                g = g.intersection(area)
                if g.isEmpty():
                    continue
            else:
                inner = g.pointOnSurface()  # keep the geometry alive while GEOS reads it
                if not engine.contains(inner.constGet()):
                    continue  # grids: only those lying inside
            g.convertToMultiType()
            nf = QgsFeature(out.fields())
            nf.setGeometry(g)
            nf.setAttributes(f.attributes())
            feats.append(nf)
        out.dataProvider().addFeatures(feats)
        out.updateExtents()
        return out

    def _engine_ok(self) -> bool:
        """Refuse to start the shapely engine where it would crash QGIS (see engine_problem)."""
        problem = fov.engine_problem()
        if problem:
            self.status.setText(problem)
            log.error(problem)
        return problem is None

    # -- coverage -----------------------------------------------------------------------------
    def run_coverage(self) -> None:
        if not self._engine_ok():
            return
        cams, target = self.cameras.currentLayer(), self.target.currentLayer()
        if cams is None or target is None:
            self.status.setText(tr("Choose the camera layer and the area to watch first."))
            return
        try:
            area = self.scope_geometry(target.crs())
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        grids = self.grids.currentLayer()
        target_in = target
        grids_in = grids
        if area is not None:
            target_in = self.clipped(target, area)
            if target_in.featureCount() == 0:
                self.status.setText(tr("The area to watch has nothing in this scope."))
                return
            if grids is not None:
                if self.scope.currentData() == "grid":
                    grids_in = QgsProcessingFeatureSourceDefinition(grids.id(), True)
                else:
                    garea = QgsGeometry(area)
                    if grids.crs() != target.crs():
                        garea.transform(QgsCoordinateTransform(target.crs(), grids.crs(), QgsProject.instance()))
                    grids_in = self.clipped(grids, garea, clip=False)
            self._keep = [target_in, grids_in]
        params = fov.coverage_params(
            cams,
            target_in,
            self.obstacles.currentLayer(),
            grids_in,
            planned=self.planned.isChecked(),
            dori_level=int(self.dori_level.currentData() or 0),
        )
        self.fill_down_cameras()
        self.status.setText(tr("Computing coverage..."))
        self.run_button.setEnabled(False)

        def done(ok, results, context):
            self.run_button.setEnabled(True)
            self._keep = []
            if not ok:
                self.status.setText(tr("Coverage failed; see the log."))
                return
            for key, name, style in (
                ("GRID_STATS", tr("Coverage by grid"), "coverage_ratio"),
                ("COVERAGE", tr("Camera coverage"), "coverage"),
                ("BLIND_SPOTS", tr("Blind spots"), "blind_spots"),
            ):
                if not results.get(key):
                    continue
                layer = take_layer(context, results[key], name)
                if layer is None:
                    continue
                styles.apply(layer, style)
                self.result_layers[key] = layer
                if key == "BLIND_SPOTS":
                    grid_field = fov.blind_grid_field(layer) or "grid"
                    self.blind_spots.fill(layer, [fov.BLIND_AREA_FIELD, grid_field], order_by=fov.BLIND_AREA_FIELD)
            ratio = results.get("RATIO")
            if ratio is not None:
                self.status.setText(
                    tr(
                        "Coverage done: {0:.1%} of the area seen, {1} blind spots.",
                        ratio,
                        int(results.get("BLIND_COUNT", 0)),
                    )
                )
            else:
                self.status.setText(tr("Coverage done."))

        self.last_task = run_algorithm(fov.ALG_COVERAGE, params, done, tr("Camera coverage"))

    def fill_down_cameras(self) -> None:
        layer = self.cameras.currentLayer()
        if layer is None or layer.fields().lookupField("status") < 0:
            self.down_cameras.setRowCount(0)
            return
        statuses = ", ".join(f"'{s}'" for s in fov.not_counting_statuses())
        request = QgsFeatureRequest().setFilterExpression(f'lower("status") IN ({statuses})')
        fields = [f for f in ("name", "device_id", "status")]
        self.down_cameras.fill(layer, fields, request=request)

    # -- fields of view, DORI, suggestions ----------------------------------------------------
    def run_fov(self, dori: bool) -> None:
        if not self._engine_ok():
            return
        cams = self.cameras.currentLayer()
        if cams is None:
            self.status.setText(tr("Choose the camera layer first."))
            return
        params = fov.fov_params(cams, self.obstacles.currentLayer(), dori)
        name = tr("DORI bands") if dori else tr("Fields of view")

        def done(ok, results, context):
            if not ok or not results.get("OUTPUT"):
                self.status.setText(tr("Fields of view failed; see the log."))
                return
            layer = take_layer(context, results["OUTPUT"], name)
            if layer is not None:
                styles.apply(layer, "dori" if dori else "fov")
                self.result_layers["DORI" if dori else "FOV"] = layer
            self.status.setText(tr("{0} done.", name))

        self.status.setText(tr("Computing {0}...", name))
        self.last_task = run_algorithm(fov.ALG_FOV, params, done, name)

    def run_suggest(self) -> None:
        if not self._engine_ok():
            return
        target = self.target.currentLayer()
        if target is None:
            self.status.setText(tr("Choose the area to watch first."))
            return
        params = fov.suggest_params(
            target, self.count.value(), self.cameras.currentLayer(), self.obstacles.currentLayer()
        )

        def done(ok, results, context):
            if not ok or not results.get("OUTPUT"):
                self.status.setText(tr("Suggesting cameras failed; see the log."))
                return
            layer = take_layer(context, results["OUTPUT"], tr("Suggested cameras"))
            if layer is not None:
                styles.apply(layer, "camera")
                self.result_layers["SUGGESTED"] = layer
            self.status.setText(
                tr(
                    "{0} cameras suggested, adding {1:.0f} m² of coverage.",
                    layer.featureCount() if layer else 0,
                    float(results.get("GAIN_M2") or 0.0),
                )
            )

        self.status.setText(tr("Looking for camera positions..."))
        self.last_task = run_algorithm(fov.ALG_SUGGEST, params, done, tr("Suggest cameras"))

    # -- import and the map tool --------------------------------------------------------------
    def import_cameras(self, path: str | None = None, show_report: bool = True):
        from .camera_import_dialog import import_cameras_interactive

        try:
            out = import_cameras_interactive(self.iface, self, path, show_report)
        except Exception as exc:  # unreadable file: say so in the dock, keep the dock usable
            self.status.setText(tr("Import failed: {0}", str(exc)))
            log.warning(tr("Import failed: {0}", str(exc)))
            return None
        if out is not None:
            layer, result, _dialog = out
            self.cameras.setLayer(layer)
            self.status.setText(
                tr(
                    "{0} cameras imported into {1}; {2} rows skipped.",
                    len(result.cameras),
                    layer.name(),
                    len(result.unusable()),
                )
            )
        return out

    def toggle_tool(self, on: bool) -> None:
        from .camera_tool import CameraMapTool

        canvas = self.iface.mapCanvas()
        if on:
            cams = self.cameras.currentLayer()
            if cams is None:
                self.status.setText(tr("Choose the camera layer first."))
                self.tool_action.setChecked(False)
                return
            if self.tool is None:
                self.tool = CameraMapTool(canvas, cams, self.obstacles.currentLayer())
                self.tool.setAction(self.tool_action)
                self.tool.viewUpdated.connect(lambda: self.live.preview(self.tool))
            else:
                self.tool.set_layers(cams, self.obstacles.currentLayer())
            canvas.setMapTool(self.tool)
            if self.tool.problem:
                self.status.setText(self.tool.problem)
                canvas.unsetMapTool(self.tool)
                self.tool_action.setChecked(False)
                return
            self.status.setText(
                tr("Click to place a camera, drag to aim it; shift+drag or the wheel widens it; Esc releases it.")
            )
            self.start_live()
        else:
            self.live.stop()
            if self.tool is not None and canvas.mapTool() is self.tool:
                canvas.unsetMapTool(self.tool)

    # -- live coverage ------------------------------------------------------------------------
    def start_live(self) -> bool:
        """Compute the city's coverage for the chosen layers; the map tool's edits then update it."""
        return self.live.start(
            self.cameras.currentLayer(),
            self.target.currentLayer(),
            self.obstacles.currentLayer(),
            self.grids.currentLayer(),
            planned=self.planned.isChecked(),
            dori_level=DORI_CHOICES[int(self.dori_level.currentData() or 0)],
        )

    def _show_live(self) -> None:
        text = self.live.text()
        self.live_label.setText(text)
        self.live_label.setVisible(bool(text))
