"""The Camera coverage dock: coverage for the view, a grid, a community or everything; blind spots
largest first; per-grid ratios; cameras that are not online; fields of view, DORI bands,
placement suggestions, camera import and the camera map tool.

All long work runs as Processing algorithms in QgsTasks (gui/tasks.run_algorithm).
"""

from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsCoordinateTransform,
    QgsExpression,
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

from ..core.compass import describe
from ..core.i18n import N_, tr
from ..core.log import get_logger
from ..core.paths import icon_path
from ..processing.alg_coverage import DORI_CHOICES, DORI_LEVEL_LABELS
from . import camera_fov_adapter as fov
from .live_coverage import LiveCoverageController
from .results import in_project
from .task_progress import TaskProgress
from .tasks import failure_text, run_algorithm, take_result
from .why import set_available
from .widgets import BaseDock, ResultTable, layer_box

log = get_logger("coverage_dock")

DORI_LEVEL_TIPS = (
    N_("Full range: ground counts as seen as far as the camera's range (its complete monitoring distance)."),
    N_("Detect: you can tell that a person is there (25 pixels per metre)."),
    N_("Observe: you can see what a person is doing (62.5 pixels per metre)."),
    N_("Recognise: you can recognise a person you know (125 pixels per metre)."),
    N_("Identify: you can identify a stranger beyond doubt (250 pixels per metre)."),
)
SITE_KINDS = {"facade": N_("on a facade"), "street": N_("at the kerb"), "given": N_("candidate point")}
SCOPES = (
    ("all", N_("Everything")),
    ("view", N_("Current map view")),
    ("grid", N_("Selected grids")),
    ("community", N_("A community")),
)


class CoverageDock(BaseDock):
    OBJECT_NAME = "GridGovCoverageDock"
    TITLE = "Camera coverage"
    CAPABILITIES = ("coverage", "excel")

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
        self.target.setToolTip(
            tr("The ground cameras should see: street space, squares, entrances (not roofs or courtyards).")
        )
        self.obstacles.setToolTip(tr("Buildings and walls that block the view."))
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
        # two rows a Chinese user would both read as 社区: say which is the layer, which the choice
        form.addRow(tr("Community layer"), self.communities)
        self.community = QComboBox()
        self.community.setObjectName("GridGovCommunity")
        form.addRow(tr("Which community"), self.community)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.communities.layerChanged.connect(self._fill_communities)
        self._fill_communities()
        self.dori_level = QComboBox()
        self.dori_level.setObjectName("GridGovDoriLevel")
        for i, label in enumerate(DORI_LEVEL_LABELS):
            self.dori_level.addItem(tr(label), i)
            self.dori_level.setItemData(i, tr(DORI_LEVEL_TIPS[i]), Qt.ToolTipRole)
        self.dori_level.setToolTip(
            tr(
                "Count ground as seen only where the image is this detailed (cameras need a resolution field). "
                "DORI (IEC 62676-4): detect a person at 25 pixels per metre, observe at 62.5, recognise a known "
                "face at 125, identify a stranger at 250."
            )
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
        self.fov_button.setToolTip(
            tr("The ground each camera really sees: its wedge of view, with what buildings hide cut away.")
        )
        self.fov_button.clicked.connect(lambda: self.run_fov(False))
        self.dori_button = QPushButton(tr("DORI bands"))
        self.dori_button.setObjectName("GridGovDoriButton")
        self.dori_button.setToolTip(
            tr(
                "Each field of view cut into DORI bands (IEC 62676-4) by the image's detail: identify (faces of "
                "strangers), recognise (known faces), observe (what people do), detect (that someone is there), "
                "and beyond, the full monitoring range. Needs the cameras' horizontal resolution."
            )
        )
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
        form = QFormLayout()
        self.events = layer_box("events", QgsMapLayerProxyModel.PointLayer)
        self.events.setObjectName("GridGovSuggestEvents")
        self.weight_events = QCheckBox(tr("Weight by past events (last 12 months)"))
        self.weight_events.setObjectName("GridGovWeightEvents")
        self.weight_events.setChecked(True)
        self.weight_events.setToolTip(
            tr(
                "Ground near the cases of the last 12 months in the chosen area counts more, so new cameras go "
                "where incidents happen. Untick to weigh all unseen ground alike."
            )
        )
        self.weight_events.toggled.connect(lambda on: set_available(self.events, on, tr("Weighting is off.")))
        form.addRow(self.weight_events)
        form.addRow(tr("Events"), self.events)
        self.layout_.addLayout(form)
        self.layout_.addWidget(QLabel(tr("Suggested cameras, best first (click to zoom)")))
        self.suggestions = ResultTable(
            iface, [tr("Rank"), tr("Direction"), tr("New coverage (m²)"), tr("Share of the unseen target"), tr("Mount")]
        )
        self.suggestions.setObjectName("GridGovSuggestions")
        self.layout_.addWidget(self.suggestions)
        self.progress = TaskProgress()
        self.layout_.addWidget(self.progress)

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
        self._scope_changed()

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
        set_available(self.run_button, False, tr("Coverage is being computed; cancel it below."))

        def done(ok, results, context):
            set_available(self.run_button, True)
            self._keep = []
            if not ok:
                self.status.setText(
                    tr("Coverage was cancelled.")
                    if self.progress.cancelled
                    else tr("Coverage failed: {0}", failure_text(context))
                )
                return
            added = {}
            for key, kind in (
                ("GRID_STATS", "grid_coverage"),
                ("COVERAGE", "coverage"),
                ("BLIND_SPOTS", "blind_spots"),
            ):
                if not results.get(key):
                    continue
                # the choropleth per grid is a by-product: shown only where the view shows it
                layer = take_result(context, results[key], kind, visible=None if kind == "grid_coverage" else True)
                if layer is None:
                    continue
                added[key] = in_project(layer)
                if added[key]:
                    self.result_layers[key] = layer
                if key == "BLIND_SPOTS":
                    grid_field = fov.blind_grid_field(layer) or "grid"
                    self.blind_spots.fill(layer, [fov.BLIND_AREA_FIELD, grid_field], order_by=fov.BLIND_AREA_FIELD)
            ratio = results.get("RATIO")
            if not added.get("COVERAGE"):
                # nothing seen: no layer was added, and the dock must not call that done
                self.status.setText(
                    tr(
                        "Coverage finished, but no camera sees any of the area to watch: check that the cameras "
                        "are online and lie in or next to the area."
                    )
                )
            elif ratio is not None:
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
        self.progress.watch(self.last_task, tr("Camera coverage"))

    def fill_down_cameras(self) -> None:
        layer = self.cameras.currentLayer()
        if layer is None or layer.fields().lookupField("status") < 0:
            self.down_cameras.setRowCount(0)
            return
        statuses = ", ".join(f"'{s}'" for s in fov.not_counting_statuses())
        request = QgsFeatureRequest().setFilterExpression(f'lower("status") IN ({statuses})')
        fields = [f for f in ("name", "device_id", "status")]
        self.down_cameras.fill(layer, fields, request=request, kinds={"status": "camera_status"})

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
                self.status.setText(tr("{0} failed: {1}", name, failure_text(context)))
                return
            layer = take_result(context, results["OUTPUT"], "dori" if dori else "fov")
            if not in_project(layer):
                # an empty result is not added; never report it as done
                self.status.setText(
                    tr("{0}: none of the cameras sees any ground, so nothing was added; the log says why.", name)
                )
                return
            self.result_layers["DORI" if dori else "FOV"] = layer
            seen = sum(1 for f in layer.getFeatures() if f.hasGeometry() and not f.geometry().isEmpty())
            self.status.setText(
                tr("{0} done: {1} polygons, {2} with visible ground.", name, layer.featureCount(), seen)
            )

        self.status.setText(tr("Computing {0}...", name))
        self.last_task = run_algorithm(fov.ALG_FOV, params, done, name)
        self.progress.watch(self.last_task, name)

    def _scope_changed(self, *_args) -> None:
        needs = self.scope.currentData() == "community"
        set_available(self.community, needs, tr("Choose “A community” under “Compute for” first."))

    def scope_layer(self, crs) -> QgsVectorLayer | None:
        """The chosen scope as a one-polygon memory layer in ``crs`` (None: everything);
        ValueError with the reason when the scope is incomplete."""
        area = self.scope_geometry(crs)
        if area is None:
            return None
        layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}", tr("Scope"), "memory")
        if not crs.authid():
            layer.setCrs(crs)
        f = QgsFeature(layer.fields())
        g = QgsGeometry(area)
        g.convertToMultiType()
        f.setGeometry(g)
        layer.dataProvider().addFeatures([f])
        layer.updateExtents()
        return layer

    def past_events(self, days: int = 365) -> tuple[QgsVectorLayer | None, str]:
        """The events of the last ``days`` for weighting (the algorithm keeps those in the scope),
        and what the weighting is, in words."""
        if not self.weight_events.isChecked():
            return None, tr("not weighted by past events (switched off)")
        events = self.events.currentLayer()
        if not isinstance(events, QgsVectorLayer) or not events.isValid():
            return None, tr("not weighted: no events layer is chosen")
        since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
        field = next((f for f in ("reported_at", "occurred_at", "time") if events.fields().lookupField(f) >= 0), None)
        if field is None:
            return events, tr("weighted by all events of {0} (it has no report time)", events.name())
        if events.providerType() in ("ogr", "postgres", "spatialite"):
            # the provider filters: only the last year's rows travel
            layer = QgsVectorLayer(events.source(), events.name(), events.providerType())
            stamp = since.strftime("%Y-%m-%dT%H:%M:%S")
            where = f"\"{field}\" >= '{stamp}'"
            old = events.subsetString()
            layer.setSubsetString(f"({old}) AND {where}" if old else where)
            if layer.isValid():
                return layer, tr("weighted by the events of the last 12 months")
        request = QgsFeatureRequest().setFilterExpression(
            f'"{field}" >= to_datetime({QgsExpression.quotedValue(since.isoformat())})'
        )
        return events.materialize(request), tr("weighted by the events of the last 12 months")

    def run_suggest(self) -> None:
        """Suggest cameras inside the chosen scope, weighted by past events, as a ranked list."""
        if not self._engine_ok():
            return
        target = self.target.currentLayer()
        if target is None:
            self.status.setText(tr("Choose the area to watch first."))
            return
        if self.progress.running():
            self.status.setText(tr("A computation is running; wait for it or cancel it."))
            return
        try:
            area = self.scope_layer(target.crs())
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        weights, how = self.past_events()
        params = fov.suggest_params(
            target, self.count.value(), self.cameras.currentLayer(), self.obstacles.currentLayer()
        )
        if area is not None:
            params["AREA"] = area
        if weights is not None:
            params["WEIGHTS"] = weights
        self._keep = [area, weights]
        set_available(self.suggest_button, False, tr("Looking for camera positions; cancel below."))
        self.suggestions.setRowCount(0)

        def done(ok, results, context):
            set_available(self.suggest_button, True)
            self._keep = []
            if self.progress.cancelled:
                self.status.setText(tr("Suggesting cameras was cancelled."))
                return
            if not ok or not results.get("OUTPUT"):
                self.status.setText(tr("Suggesting cameras failed: {0}", failure_text(context)))
                return
            layer = take_result(context, results["OUTPUT"], "suggested_cameras")
            if not in_project(layer):
                self.status.setText(tr("No camera position adds coverage here; nothing was added."))
                return
            self.result_layers["SUGGESTED"] = layer
            self.fill_suggestions(layer)
            n_weights = int(results.get("WEIGHT_POINTS") or 0)
            self.status.setText(
                tr(
                    "{0} cameras suggested, adding {1:.0f} m² of coverage.",
                    layer.featureCount(),
                    float(results.get("GAIN_M2") or 0.0),
                )
                + " "
                + (tr("{0} ({1} events in the area).", how, n_weights) if weights is not None else how + ".")
            )

        self.status.setText(tr("Looking for camera positions..."))
        self.last_task = run_algorithm(fov.ALG_SUGGEST, params, done, tr("Suggest cameras"))
        self.progress.watch(self.last_task, tr("Suggest cameras"))

    def fill_suggestions(self, layer: QgsVectorLayer) -> None:
        """The ranked list: rank, direction (compass word and degrees), new coverage, share, mount."""
        request = QgsFeatureRequest()
        request.addOrderBy("rank", True)
        self.suggestions.fill(layer, ["rank", "direction", "gain_m2", "cum_share", "site_kind"], request=request)
        for r in range(self.suggestions.rowCount()):
            fid = self.suggestions.item(r, 0).data(Qt.UserRole)
            f = layer.getFeature(fid)
            az = None if (f["hfov"] or 360) >= 360 else f["azimuth"]
            self.suggestions.item(r, 1).setText(describe(az))
            self.suggestions.item(r, 2).setText(f"{float(f['gain_m2'] or 0):.0f}")
            self.suggestions.item(r, 3).setText(f"{float(f['cum_share'] or 0):.0%}")
            self.suggestions.item(r, 4).setText(tr(SITE_KINDS.get(f["site_kind"], f["site_kind"] or "")))

    # -- import and the map tool --------------------------------------------------------------
    def import_cameras(self, path: str | None = None, show_report: bool = True):
        from .camera_import_dialog import import_cameras_interactive

        try:
            out = import_cameras_interactive(self.iface, self, path, show_report, self.cameras.currentLayer())
        except Exception as exc:  # unreadable file, a store that refuses: say so, keep the dock usable
            self.status.setText(tr("Import failed: {0}", str(exc)))
            log.warning(tr("Import failed: {0}", str(exc)))
            return None
        if out is not None:
            layer, result, dialog = out
            self.cameras.setLayer(layer)
            self.status.setText(
                tr(
                    "{0} cameras imported into {1}; {2} rows skipped.",
                    len(result.cameras),
                    layer.name(),
                    len(result.unusable()),
                )
                + " "
                + dialog.where.text()
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
