"""The Grid planning dock: checks, statistics, editing tools with the live balance, plans, workers, atlas."""

from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsDataSourceUri,
    QgsFeature,
    QgsField,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtWidgets import (
    QAction,
    QActionGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import dberrors, labels
from ..core import plans as plan_store
from ..core import workers as wk
from ..core.grids.publish_check import judge
from ..core.i18n import N_, tr
from ..core.labels import label
from ..core.log import get_logger
from ..core.store.access import Access
from . import balance_adapter as engine
from . import grid_tools, styles
from . import results as result_layers
from .balance_panel import BalancePanel
from .results import in_project
from .tasks import failure_text, run_algorithm, take_layer, take_result
from .why import set_available
from .widgets import BaseDock, ResultTable, layer_box

log = get_logger("grid_dock")
PLAN_STATUS = labels.PLAN_STATUS
CHANGE_KINDS = {
    "renumbered": N_("renumbered"),
    "reshaped": N_("reshaped"),
    "added": N_("added"),
    "removed": N_("removed"),
}


def _store_of(layer: QgsVectorLayer | None) -> tuple[str, str] | None:
    """('gpkg', path) or ('postgres', dsn) of the store a grid layer reads, None otherwise."""
    if layer is None:
        return None
    if layer.providerType() == "ogr":
        path = layer.source().split("|", 1)[0]
        return ("gpkg", path) if path.lower().endswith(".gpkg") else None
    if layer.providerType() == "postgres":
        return "postgres", QgsDataSourceUri(layer.source()).connectionInfo(True)
    return None


def _rename_gpkg(path: str, plan: int, name: str) -> None:
    from osgeo import ogr

    ds = ogr.Open(path, 1)
    layer = ds.GetLayerByName("grid_plan")
    layer.SetAttributeFilter(f"plan_id = {int(plan)}")
    for f in layer:
        f.SetField("name", name)
        layer.SetFeature(f)
    ds = None


def _rename_pg(conn, plan: int, name: str) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("UPDATE gridgov.grid_plan SET name = %s WHERE plan_id = %s AND status = 'draft'", (name, plan))


def _worker_layer(grids: QgsVectorLayer | None = None) -> QgsVectorLayer | None:
    """The grid worker table: a project layer reading it, else the table of the grid layer's store."""
    for layer in QgsProject.instance().mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and styles.table_name(layer) == "grid_worker":
            return layer
    if grids is not None:
        from .atlas import sibling_table

        return sibling_table(grids, "grid_worker")
    return None


class GridPlanningDock(BaseDock):
    OBJECT_NAME = "GridGovGridPlanningDock"
    TITLE = "Grid planning"
    CAPABILITIES = ("grids",)

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        # dialogs as hooks, so that tests (and scripts) can answer them
        self.ask_text = self._ask_text
        self.confirm = self._confirm
        self.publish_result: str | None = None
        self.publish_counts: dict | None = None
        form = QFormLayout()
        self.grids = layer_box("grids", QgsMapLayerProxyModel.PolygonLayer)
        self.parents = layer_box("communities", QgsMapLayerProxyModel.PolygonLayer)
        self.buildings = layer_box("buildings", QgsMapLayerProxyModel.PolygonLayer)
        self.events = layer_box("events", QgsMapLayerProxyModel.PointLayer)
        self.cameras = layer_box("cameras", QgsMapLayerProxyModel.PointLayer)
        form.addRow(tr("Grids"), self.grids)
        form.addRow(tr("Communities"), self.parents)
        form.addRow(tr("Buildings"), self.buildings)
        form.addRow(tr("Events"), self.events)
        form.addRow(tr("Cameras"), self.cameras)
        self.layout_.addLayout(form)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("GridGovGridTabs")
        self.layout_.addWidget(self.tabs)
        self._tab_check()
        self._tab_edit()
        self._tab_plans()
        self._tab_workers()
        self._finish()
        self.grids.layerChanged.connect(lambda _layer: self.apply_access())

    def apply_access(self):
        """On a PostGIS grid layer, grey out (with the reason) what the login may not do; its Access."""
        store = _store_of(self.grids.currentLayer())
        acc = Access.everything()
        if store is not None and store[0] == "postgres":
            try:
                acc = self._call(None, Access.load)
            except Exception as exc:  # the database decides anyway
                log.warning(tr("Could not read what this login may do: {0}", str(exc).strip()))
        for name, action in (
            ("GridGovPlanDraft", "new_draft_plan"),
            ("GridGovPlanPublish", "publish_plan"),
            ("GridGovWorkerAssign", "edit_workers"),
            ("GridGovWorkerReassign", "edit_workers"),
        ):
            button = self.findChild(QPushButton, name)
            if button is not None:
                set_available(button, acc.can(action), acc.why_not(action))
        return acc

    # ------------------------------------------------------------------- layout
    def _page(self, title: str) -> QVBoxLayout:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.tabs.addTab(page, title)
        return layout

    def _tab_check(self) -> None:
        page = self._page(tr("Check"))
        row = QHBoxLayout()
        self.validate_button = QPushButton(tr("Check grids"))
        self.validate_button.setObjectName("GridGovValidateButton")
        self.validate_button.clicked.connect(self.validate)
        row.addWidget(self.validate_button)
        self.stats_button = QPushButton(tr("Workload statistics"))
        self.stats_button.setObjectName("GridGovStatsButton")
        self.stats_button.clicked.connect(self.stats)
        row.addWidget(self.stats_button)
        page.addLayout(row)
        self.problems = ResultTable(self.iface, [tr("Problem"), tr("Grids"), tr("Message")])
        page.addWidget(self.problems)
        row = QHBoxLayout()
        for text, alg, name in (
            (tr("Partition…"), engine.PARTITION_ALG, "GridGovPartition"),
            (tr("Unify…"), engine.UNIFY_ALG, "GridGovUnify"),
            (tr("Codes…"), engine.CODES_ALG, "GridGovCodes"),
        ):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(lambda _=False, a=alg: self._alg_dialog(a))
            row.addWidget(b)
        self.atlas_button = QPushButton(tr("Atlas PDF…"))
        self.atlas_button.setObjectName("GridGovAtlasButton")
        self.atlas_button.clicked.connect(lambda: self.atlas())
        row.addWidget(self.atlas_button)
        page.addLayout(row)
        row = QHBoxLayout()
        self.atlas_exporter = None
        self.atlas_progress = QProgressBar()
        self.atlas_progress.setObjectName("GridGovAtlasProgress")
        self.atlas_progress.setVisible(False)
        self.atlas_cancel = QPushButton(tr("Cancel"))
        self.atlas_cancel.setObjectName("GridGovAtlasCancel")
        self.atlas_cancel.setVisible(False)
        self.atlas_cancel.clicked.connect(self.cancel_atlas)
        row.addWidget(self.atlas_progress, 1)
        row.addWidget(self.atlas_cancel)
        page.addLayout(row)

    def _tab_edit(self) -> None:
        page = self._page(tr("Edit"))
        canvas = self.iface.mapCanvas()
        layer, blds = self.grids.currentLayer, self.buildings.currentLayer
        self.split_tool = grid_tools.SplitTool(canvas, layer, self.notify)
        self.move_tool = grid_tools.MoveBoundaryTool(canvas, layer, self.notify)
        self.paint_tool = grid_tools.PaintTool(canvas, layer, self.notify, blds)
        self._actions: list[QAction] = []
        group = QActionGroup(self)
        row = QHBoxLayout()
        for tool, text, name, tip in (
            (
                self.split_tool,
                tr("Split grid"),
                "GridGovSplitTool",
                tr("Click points of a line across a grid (snapping on); right click or Enter splits it."),
            ),
            (
                self.move_tool,
                tr("Move boundary"),
                "GridGovMoveBoundaryTool",
                tr("Drag a boundary vertex or segment; the grids sharing it follow."),
            ),
            (
                self.paint_tool,
                tr("Paint buildings"),
                "GridGovPaintTool",
                tr("Shift+click the target grid, then click or drag over buildings to move them into it."),
            ),
        ):
            action = QAction(text, self)
            action.setObjectName(name)
            action.setToolTip(tip)
            action.setCheckable(True)
            action.triggered.connect(lambda checked, t=tool: self._use_tool(t, checked))
            tool.setAction(action)
            group.addAction(action)
            self._actions.append(action)
            button = QToolButton()
            button.setDefaultAction(action)
            row.addWidget(button)
        self.merge_action = grid_tools.merge_action(self, layer, self.notify)
        self._actions.append(self.merge_action)
        button = QToolButton()
        button.setDefaultAction(self.merge_action)
        row.addWidget(button)
        page.addLayout(row)
        self.balance = BalancePanel(layer, blds, self.events.currentLayer, self)
        page.addWidget(self.balance)

    def _tab_plans(self) -> None:
        page = self._page(tr("Plans"))
        self.plan_table = QTableWidget(0, 3)
        self.plan_table.setObjectName("GridGovPlanTable")
        self.plan_table.setHorizontalHeaderLabels([tr("Plan"), tr("Name"), tr("Status")])
        self.plan_table.setSelectionBehavior(QTableWidget.SelectRows)
        self.plan_table.setEditTriggers(QTableWidget.NoEditTriggers)
        page.addWidget(self.plan_table)
        row = QHBoxLayout()
        for text, slot, name in (
            (tr("Refresh"), self.list_plans, "GridGovPlansRefresh"),
            (tr("Show"), self.show_plan, "GridGovPlanShow"),
            (tr("New draft…"), lambda: self.new_draft(), "GridGovPlanDraft"),
            (tr("Diff with published"), self.diff_plan, "GridGovPlanDiff"),
            (tr("Check and publish…"), self.publish_plan, "GridGovPlanPublish"),
        ):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            row.addWidget(b)
            if name == "GridGovPlanPublish":
                self.publish_button = b
                b.setToolTip(tr("Checks the draft with the grid check, then asks before publishing it."))
        page.addLayout(row)

    def _tab_workers(self) -> None:
        page = self._page(tr("Workers"))
        form = QFormLayout()
        self.worker_box = QComboBox()
        self.worker_box.setObjectName("GridGovWorkerBox")
        self.worker_box.setEditable(True)
        form.addRow(tr("Grid worker"), self.worker_box)
        self.from_worker_box = QComboBox()
        self.from_worker_box.setEditable(True)
        form.addRow(tr("Take over the grids of"), self.from_worker_box)
        page.addLayout(form)
        row = QHBoxLayout()
        buttons = {}
        for text, slot, name in (
            (tr("Load workers"), self.load_workers, "GridGovWorkersLoad"),
            (tr("Assign to selected grids"), self.assign_selected, "GridGovWorkerAssign"),
            (tr("Reassign"), self.reassign, "GridGovWorkerReassign"),
            (tr("Grids without a worker"), self.list_unassigned, "GridGovWorkerUnassigned"),
        ):
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            row.addWidget(b)
            buttons[name] = b
        self.assign_button = buttons["GridGovWorkerAssign"]
        self.reassign_button = buttons["GridGovWorkerReassign"]
        page.addLayout(row)
        self.worker_info = QLabel("")
        self.worker_info.setWordWrap(True)
        page.addWidget(self.worker_info)

    # ------------------------------------------------------------------ helpers
    def actions(self) -> list[QAction]:
        """The editing tools, for the plugin's toolbar."""
        return list(self._actions)

    def notify(self, text: str, warning: bool = False) -> None:
        self.status.setText(text)
        try:
            bar = self.iface.messageBar()
            (bar.pushWarning if warning else bar.pushInfo)(tr("Grid planning"), text)
        except AttributeError:  # test ifaces without a message bar
            pass

    def _use_tool(self, tool, checked: bool) -> None:
        canvas = self.iface.mapCanvas()
        if checked:
            if self.grids.currentLayer() is None:
                self.notify(tr("Choose a grid layer first."), True)
                tool.action().setChecked(False)
                return
            canvas.setMapTool(tool)
        elif canvas.mapTool() is tool:
            canvas.unsetMapTool(tool)

    def _alg_dialog(self, alg_id: str) -> None:
        import processing

        params = {}
        if alg_id == engine.CODES_ALG and self.grids.currentLayer() is not None:
            params = {"GRIDS": self.grids.currentLayer()}
        processing.execAlgorithmDialog(alg_id, params)

    # ------------------------------------------------------------ check, stats
    def validate(self) -> None:
        grids = self.grids.currentLayer()
        if grids is None:
            self.status.setText(tr("Choose a grid layer first."))
            return
        self.status.setText(tr("Checking grids..."))

        def done(ok, results, context):
            if not ok:
                self.status.setText(tr("The check failed: {0}", failure_text(context)))
                return
            layer = take_result(context, results["OUTPUT"], "grid_problems")
            if layer is None:
                self.status.setText(tr("The check's result could not be read; see the log."))
                return
            self.problems.fill(layer, ["error_type", "grid_codes", "message"], kinds={"error_type": "grid_problem"})
            n = layer.featureCount()
            if n == 0:
                # no layer is added for no problems: an empty layer would only confuse the map
                self.status.setText(tr("No problems found in {0} grid(s).", grids.featureCount()))
            else:
                self.status.setText(tr("{0} problem(s) found.", n))

        run_algorithm(
            engine.VALIDATE_ALG, engine.validate_params(grids, self.parents.currentLayer()), done, tr("Checking grids")
        )

    def stats(self) -> None:
        grids, buildings = self.grids.currentLayer(), self.buildings.currentLayer()
        if grids is None or buildings is None:
            self.status.setText(tr("Choose the grid and building layers first."))
            return
        params = {"GRIDS": grids, "BUILDINGS": buildings, "OUTPUT": "TEMPORARY_OUTPUT"}
        if self.events.currentLayer() is not None:
            params["EVENTS"] = self.events.currentLayer()

        def done(ok, results, context):
            if not ok:
                self.status.setText(tr("The workload statistics failed: {0}", failure_text(context)))
                return
            layer = take_result(context, results["OUTPUT"], "grid_stats")
            if not in_project(layer):
                self.status.setText(tr("The workload statistics have no grid to show; nothing was added."))
                return
            self.status.setText(tr("Workload statistics for {0} grid(s).", layer.featureCount()))

        run_algorithm(engine.STATS_ALG, params, done, tr("Grid workload statistics"))

    # -------------------------------------------------------------------- plans
    def _store(self):
        store = _store_of(self.grids.currentLayer())
        if store is None:
            self.notify(
                tr("Plans are stored in the GeoPackage or PostGIS grid layer; choose it as the grid layer."), True
            )
        return store

    def _call(self, gpkg_fn, pg_fn, *args):
        kind, where = self._store()
        if kind == "gpkg":
            return gpkg_fn(where, *args)
        import psycopg2

        conn = psycopg2.connect(where, application_name="gridgov-qgis")
        try:
            return pg_fn(conn, *args)
        finally:
            conn.close()

    def _selected_plan(self) -> int | None:
        rows = self.plan_table.selectionModel().selectedRows() if self.plan_table.selectionModel() else []
        if not rows:
            return None
        return int(self.plan_table.item(rows[0].row(), 0).text())

    def list_plans(self) -> list[dict]:
        if self._store() is None:
            return []
        try:
            rows = self._call(plan_store.gpkg_plans, plan_store.pg_plans)
        except Exception as exc:
            self.notify(tr("The plans could not be read: {0}", dberrors.explain(exc)), True)
            return []
        self.plan_table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            for c, v in enumerate((p["plan_id"], p["name"], tr(PLAN_STATUS.get(p["status"], p["status"] or "")))):
                self.plan_table.setItem(r, c, QTableWidgetItem(str(v)))
        return rows

    def show_plan(self) -> None:
        layer, plan = self.grids.currentLayer(), self._selected_plan()
        if layer is None or plan is None:
            self.notify(tr("Select a plan first."), True)
            return
        if layer.isEditable():
            self.notify(tr("Save or discard the grid edits first."), True)
            return
        layer.setSubsetString(f'"plan_id" = {plan}')
        self.notify(tr("The grid layer shows plan {0}.", plan))

    def new_draft(self, name: str | None = None) -> int | None:
        """A new draft copying the selected plan (default: the published one), under a name the
        planner gives it (a plan is known by its name once published)."""
        if self._store() is None:
            return None
        if name is None:
            ok, name = self.ask_text(
                tr("New draft plan"),
                tr("Name of the new plan (kept when it is published):"),
                tr("Grid plan {0}", dt.date.today().isoformat()),
            )
            if not ok:
                return None
        name = (name or "").strip()
        if not name:
            self.notify(tr("A plan needs a name; no draft was created."), True)
            return None
        try:
            plan = self._call(plan_store.gpkg_new_draft, plan_store.pg_new_draft, name, self._selected_plan())
        except Exception as exc:
            self.notify(tr("No draft was created: {0}", dberrors.explain(exc)), True)
            return None
        self.list_plans()
        self.notify(tr("Draft plan {0} “{1}” created; show it to edit it.", plan, name))
        return plan

    def _ask_text(self, title: str, text: str, default: str) -> tuple[bool, str]:
        value, ok = QInputDialog.getText(self, title, text, QLineEdit.Normal, default)
        return ok, value

    def _confirm(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.Cancel, self)
        box.setDefaultButton(QMessageBox.Cancel)
        box.button(QMessageBox.Yes).setText(tr("Publish"))
        return box.exec_() == QMessageBox.Yes

    def diff_plan(self) -> QgsVectorLayer | None:
        plan = self._selected_plan()
        if plan is None or self._store() is None:
            self.notify(tr("Select a plan first."), True)
            return None
        try:
            rows = self._call(plan_store.gpkg_plans, plan_store.pg_plans)
            published = next((p["plan_id"] for p in rows if p["status"] == "published"), None)
            if published is None:
                self.notify(tr("There is no published plan to compare with."), True)
                return None
            old = self._call(plan_store.gpkg_read_plan, plan_store.pg_read_plan, published)
            new = self._call(plan_store.gpkg_read_plan, plan_store.pg_read_plan, plan)
        except Exception as exc:
            self.notify(tr("The plans could not be read: {0}", dberrors.explain(exc)), True)
            return None
        diff = plan_store.diff_plans(old, new)
        layer = QgsVectorLayer(
            f"MultiPolygon?crs={self.grids.currentLayer().crs().authid()}",
            tr("Changes plan {0} → {1}", published, plan),
            "memory",
        )
        layer.dataProvider().addAttributes(
            [
                QgsField("from_code", QVariant.String),
                QgsField("to_code", QVariant.String),
                QgsField("renumbered", QVariant.Bool),
            ]
        )
        layer.updateFields()
        feats = []
        for a in diff.areas:
            f = QgsFeature(layer.fields())
            g = grid_tools.qgs_geometry(a.geom)
            g.convertToMultiType()
            f.setGeometry(g)
            f.setAttributes([a.from_code, a.to_code, a.renumbered])
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        layer.updateExtents()
        # one comparison layer at a time, and none when nothing changes (it would have no extent)
        added = result_layers.add_result(layer, "plan_diff", tr(result_layers.GROUP_GRIDS))
        codes = ", ".join(
            f"{c.old_code or '-'}→{c.new_code or '-'} ({tr(CHANGE_KINDS.get(c.kind, c.kind))})" for c in diff.codes[:20]
        )
        if not added and not diff.codes:
            self.notify(tr("Plans {0} and {1} do not differ.", published, plan))
            return layer
        self.notify(tr("{0} area(s) change grid; code changes: {1}", len(diff.areas), codes or tr("none")))
        return layer

    def publish_plan(self) -> bool:
        """Check the selected draft with gridgov:validategrids, then publish it after a confirmation.

        Refused while the draft has overlaps, slivers, invalid or split grids or duplicate codes
        (they are listed in the Check tab and on the map); other problems are shown and the
        planner decides. Runs in the background; ``publish_result`` holds the outcome
        ('published', 'refused', 'cancelled', 'failed') and ``publish_counts`` the re-linking.
        """
        plan, layer = self._selected_plan(), self.grids.currentLayer()
        if plan is None or self._store() is None:
            self.notify(tr("Select a draft plan first."), True)
            return False
        if layer.isEditable() and layer.isModified():
            self.notify(tr("Save or discard the grid edits first."), True)
            return False
        try:
            info = next(p for p in self._call(plan_store.gpkg_plans, plan_store.pg_plans) if p["plan_id"] == plan)
        except Exception as exc:
            self.notify(tr("The plans could not be read: {0}", str(exc)), True)
            return False
        if info["status"] != "draft":
            self.notify(
                tr("Plan {0} is {1}: only a draft can be published.", plan, label("plan_status", info["status"])), True
            )
            return False
        draft = QgsVectorLayer(layer.source(), tr("Plan {0}", plan), layer.providerType())
        draft.setSubsetString(f'"plan_id" = {int(plan)}')
        self.publish_result, self.publish_counts = None, None
        set_available(self.publish_button, False, tr("Plan {0} is being checked before publishing.", plan))
        self.status.setText(tr("Checking plan {0} before publishing…", plan))

        def checked(ok, results, context):
            set_available(self.publish_button, True)
            self._keep_draft = None  # the draft's layer lives only while it is checked
            if not ok:
                self.publish_result = "failed"
                self.notify(tr("The check of plan {0} failed; nothing was published.", plan), True)
                return
            problems = take_layer(context, results["OUTPUT"], tr("Problems of plan {0}", plan))
            rows = []
            if problems is not None:
                rows = [(f["error_type"], f["area_m2"] or 0.0, f["message"]) for f in problems.getFeatures()]
                if rows:
                    styles.apply(problems, "grid_problems")
                    self.problems.fill(
                        problems, ["error_type", "grid_codes", "message"], kinds={"error_type": "grid_problem"}
                    )
                else:
                    QgsProject.instance().removeMapLayer(problems.id())  # nothing to show: no empty layer
            self._decide(plan, info, judge(rows))

        self._keep_draft = draft
        run_algorithm(
            engine.VALIDATE_ALG,
            engine.validate_params(draft, self.parents.currentLayer()),
            checked,
            tr("Checking plan {0} before publishing", plan),
        )
        return True

    def _decide(self, plan: int, info: dict, verdict) -> None:
        name = info.get("name") or ""
        if verdict.refuse:
            self.publish_result = "refused"
            self.tabs.setCurrentIndex(0)
            self.notify(
                tr(
                    "Plan {0} was not published: {1}. Fix them (listed in the Check tab) and publish again.",
                    plan,
                    verdict.summary(verdict.refuse),
                ),
                True,
            )
            return
        if not name.strip() or name.strip() in (tr("Draft"), "Draft", "草稿"):
            ok, name = self.ask_text(
                tr("Publish plan {0}", plan),
                tr("The plan is still called “{0}”. Name it as it will be known:", name),
                tr("Grid plan {0}", dt.date.today().isoformat()),
            )
            if not ok or not name.strip():
                self.publish_result = "cancelled"
                self.notify(tr("Plan {0} was not published.", plan))
                return
            try:
                self._call(_rename_gpkg, _rename_pg, plan, name.strip())
            except Exception as exc:
                self.publish_result = "failed"
                self.notify(tr("Plan {0} could not be renamed: {1}", plan, dberrors.explain(exc)), True)
                return
        text = tr(
            "Publish plan {0} “{1}”? It replaces the published plan; workers, cameras and open cases are re-linked to its grids.",
            plan,
            name.strip(),
        )
        if verdict.ask:
            text += "\n\n" + tr(
                "The check found problems you may accept: {0}. They are listed in the Check tab.",
                verdict.summary(verdict.ask),
            )
            self.tabs.setCurrentIndex(0)
        else:
            text += "\n\n" + tr("The check found no problem.")
        if not self.confirm(tr("Publish plan {0}", plan), text):
            self.publish_result = "cancelled"
            self.notify(tr("Plan {0} was not published.", plan))
            return
        try:
            counts = self._call(plan_store.gpkg_publish, plan_store.pg_publish, plan)
        except Exception as exc:
            self.publish_result = "failed"
            self.notify(tr("Plan {0} was not published: {1}", plan, dberrors.explain(exc)), True)
            return
        layer = self.grids.currentLayer()
        layer.reload()
        layer.triggerRepaint()
        self.list_plans()
        self.publish_result, self.publish_counts = "published", counts
        self.notify(
            tr(
                "Plan {0} published: {1} grid worker(s), {2} camera(s) and {3} open event(s) re-linked.",
                plan,
                counts["workers"],
                counts["cameras"],
                counts["events"],
            )
        )

    # ------------------------------------------------------------------ workers
    def _staff(self) -> dict[str, wk.Worker] | None:
        layer = _worker_layer(self.grids.currentLayer())
        return wk.layer_workers(layer) if layer is not None else None

    def load_workers(self) -> int:
        """Fill the worker lists with the active workers; say why when there is none. Their number."""
        layer = _worker_layer(self.grids.currentLayer())
        staff = wk.layer_workers(layer) if layer is not None else {}
        for box in (self.worker_box, self.from_worker_box):
            box.clear()
            for w in sorted(staff.values(), key=lambda w: w.worker_id):
                if w.active:
                    box.addItem(f"{w.name} ({w.worker_id})" if w.name else w.worker_id, w.worker_id)
        active = sum(w.active for w in staff.values())
        if layer is None:
            why = tr(
                "No grid worker list found: add the store's grid_worker table to the project, or choose the "
                "store's grid layer (GeoPackage or PostGIS) as the grid layer."
            )
        elif not staff:
            why = tr("The grid worker list {0} is empty: add the workers there first.", layer.name())
        elif not active:
            why = tr("The grid worker list {0} has {1} worker(s), none of them active.", layer.name(), len(staff))
        else:
            why = ""
        self.worker_info.setText(why or tr("{0} active grid worker(s).", active))
        if why:
            self.notify(why, True)
        return active

    def _worker(self, box: QComboBox) -> str | None:
        data = box.currentData()
        return data if data else (box.currentText().strip() or None)

    def assign_selected(self) -> int:
        layer = self.grids.currentLayer()
        if layer is None or not layer.selectedFeatureIds():
            self.notify(tr("Select the grids to assign first."), True)
            return 0
        try:
            changes = wk.assign(
                wk.layer_assignments(layer), layer.selectedFeatureIds(), self._worker(self.worker_box), self._staff()
            )
            n = wk.apply_to_layer(layer, changes)
        except wk.WorkerError as exc:
            self.notify(str(exc), True)
            return 0
        self.notify(tr("{0} grid(s) assigned; save the layer to keep it.", n))
        return n

    def reassign(self) -> int:
        layer = self.grids.currentLayer()
        if layer is None:
            return 0
        try:
            changes = wk.reassign(
                wk.layer_assignments(layer),
                self._worker(self.from_worker_box),
                self._worker(self.worker_box),
                self._staff(),
            )
            n = wk.apply_to_layer(layer, changes)
        except wk.WorkerError as exc:
            self.notify(str(exc), True)
            return 0
        self.notify(tr("{0} grid(s) reassigned; save the layer to keep it.", n))
        return n

    def list_unassigned(self) -> list[int]:
        layer = self.grids.currentLayer()
        if layer is None:
            return []
        fids = wk.unassigned(wk.layer_assignments(layer), self._staff())
        layer.selectByIds(fids)
        self.worker_info.setText(tr("{0} grid(s) without a worker are selected.", len(fids)))
        return fids

    # -------------------------------------------------------------------- atlas
    def atlas(self, path: str | None = None):
        """Export the grid atlas in the background (progress and cancel here and in QGIS's task
        manager); returns the running exporter, None when nothing was started."""
        from .atlas import build_atlas_layout, start_atlas_export

        grids = self.grids.currentLayer()
        if grids is None:
            self.notify(tr("Choose a grid layer first."), True)
            return None
        if self.atlas_exporter is not None:
            self.notify(tr("An atlas export is already running."), True)
            return None
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Save the grid atlas"), "", tr("PDF files (*.pdf)"))
            if not path:
                return None
        layout = build_atlas_layout(
            grids, self.buildings.currentLayer(), self.cameras.currentLayer(), _worker_layer(grids)
        )
        self.atlas_progress.setValue(0)
        self.atlas_progress.setVisible(True)
        self.atlas_cancel.setVisible(True)
        set_available(self.atlas_button, False, tr("An atlas export is running; cancel it or wait for it."))
        self.status.setText(tr("Exporting the atlas…"))

        def progress(done: int, total: int) -> None:
            self.atlas_progress.setMaximum(total)
            self.atlas_progress.setValue(done)
            self.status.setText(tr("Atlas sheet {0} of {1}…", done, total))

        def done(ok: bool, message: str) -> None:
            self.atlas_exporter = None
            self.atlas_progress.setVisible(False)
            self.atlas_cancel.setVisible(False)
            set_available(self.atlas_button, True)
            self.notify(message, not ok)

        self.atlas_exporter = start_atlas_export(layout, path, on_done=done, on_progress=progress)
        return self.atlas_exporter

    def cancel_atlas(self) -> None:
        if self.atlas_exporter is not None:
            self.atlas_exporter.cancel()
