"""The plugin object QGIS creates: menu, toolbar, docks, settings and the provider."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from .core import deps, translators
from .core.i18n import N_, tr
from .core.log import get_logger
from .core.paths import i18n_dir, icon_path

log = get_logger()
# key, module, class, object name, title, icon, capabilities: enough to stand in for a dock whose
# module cannot be imported yet (its Python packages are missing) and to bring it in afterwards
DOCKS = (
    ("grids", "grid_dock", "GridPlanningDock", "GridGovGridPlanningDock", N_("Grid planning"), "grid.svg", ("grids",)),
    ("coverage", "coverage_dock", "CoverageDock", "GridGovCoverageDock", N_("Camera coverage"), "camera.svg",
     ("coverage",)),
    ("events", "events_dock", "EventsDock", "GridGovEventsDock", N_("Events and cases"), "events.svg", ("database",)),
)  # fmt: skip


class GridGovernancePlugin:
    MENU_OBJECT_NAME = "GridGovMenu"
    TOOLBAR_OBJECT_NAME = "GridGovToolbar"

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translators = []
        self.actions: list[QAction] = []
        self.docks: dict = {}
        self.dependency_message = None
        self._told = None
        self.menu = None
        self.toolbar = None
        self.roles = None
        self._install_translator()

    def _install_translator(self) -> None:
        # every Chinese variant QGIS can be set to (zh-Hans, zh_CN, zh, zh_TW…), plus Qt's
        # own dialogs and buttons where QGIS did not load Qt's catalogue (core/translators.py)
        self.translators = translators.install(translators.qgis_locale(), i18n_dir())

    def initProcessing(self) -> None:  # noqa: N802 - QGIS calls this name
        from .processing.provider import GridGovProvider

        registry = QgsApplication.processingRegistry()
        if registry.providerById("gridgov") is not None:
            # another copy of the plugin (or a script) registered it: keep theirs
            log.warning(tr("A gridgov Processing provider is already registered; this copy does not add another."))
            return
        provider = GridGovProvider()
        # on failure the registry deletes the provider: never keep a dead wrapper
        self.provider = provider if registry.addProvider(provider) else None

    def initGui(self) -> None:  # noqa: N802
        from .gui import deps_ui

        self.initProcessing()
        mw = self.iface.mainWindow()
        self.menu = QMenu(tr("Grid governance"), mw)
        self.menu.setObjectName(self.MENU_OBJECT_NAME)
        menubar = mw.menuBar()
        help_menu = next((a for a in menubar.actions() if a.menu() and a.menu().objectName() == "mHelpMenu"), None)
        if help_menu is not None:
            menubar.insertMenu(help_menu, self.menu)
        else:
            menubar.addMenu(self.menu)
        self.toolbar = self.iface.addToolBar(tr("Grid governance"))
        self.toolbar.setObjectName(self.TOOLBAR_OBJECT_NAME)

        for spec in DOCKS:
            self._add_dock(spec)
        # tabify so the three docks share one column like QGIS's own panels
        first = self.docks["grids"]
        for key in ("coverage", "events"):
            mw.tabifyDockWidget(first, self.docks[key])
        deps_action = QAction(tr("Python dependencies…"), mw)
        deps_action.setObjectName("GridGovDependencies")
        deps_action.triggered.connect(lambda: deps_ui.open_dialog(mw))
        self.menu.addAction(deps_action)
        self.actions.append(deps_action)

        # a map each role can read (gui/roles.py)
        from .gui.roles import RoleSwitcher

        self.roles = RoleSwitcher(self.iface, self.docks, mw)
        self.menu.addSeparator()
        self.menu.addMenu(self.roles.menu)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.roles.combo)

        self.menu.addSeparator()
        settings_action = QAction(QIcon(icon_path("icon.svg")), tr("Settings…"), mw)
        settings_action.setObjectName("GridGovSettings")
        settings_action.triggered.connect(self.show_settings)
        self.menu.addAction(settings_action)
        self.actions.append(settings_action)
        schema_action = QAction(tr("Install or upgrade the database schema…"), mw)
        schema_action.setObjectName("GridGovInstallSchema")
        schema_action.triggered.connect(lambda: self._alg_dialog("gridgov:installschema"))
        self.menu.addAction(schema_action)
        self.actions.append(schema_action)
        # offline working copies (docs/sync.md)
        for name, text, slot in (
            (
                "GridGovCheckout",
                tr("Check out an area for offline work…"),
                lambda: self._alg_dialog("gridgov:checkout"),
            ),
            ("GridGovSyncOffline", tr("Sync an offline copy…"), lambda: self._alg_dialog("gridgov:syncoffline")),
            ("GridGovOfflineConflicts", tr("Resolve offline conflicts…"), self.show_offline_conflicts),
        ):
            action = QAction(text, mw)
            action.setObjectName(name)
            action.triggered.connect(slot)
            self.menu.addAction(action)
            self.actions.append(action)
        self._store_hooks(True)
        deps_ui.state().changed.connect(self._dependencies_changed)
        self.dependency_message = deps_ui.show_message_bar(self.iface)
        log.info(tr("Grid governance plugin loaded."))

    # -- docks, real or standing in until their Python packages are installed ------------------
    def _add_dock(self, spec, replace=None) -> None:
        import importlib

        from .gui.widgets import BaseDock

        key, module, cls_name, object_name, title, icon, caps = spec
        mw = self.iface.mainWindow()
        try:
            cls = getattr(importlib.import_module(f"{__package__}.gui.{module}"), cls_name)
            dock = cls(self.iface, mw)
        except Exception as exc:  # a missing package: the dock says so instead of failing
            if all(deps.check().available(c) for c in caps):
                log.error(tr("The {0} panel cannot be loaded: {1}", tr(title), str(exc)))
            placeholder = type(cls_name, (BaseDock,), {"OBJECT_NAME": object_name, "TITLE": title,
                                                       "CAPABILITIES": caps, "placeholder": True})  # fmt: skip
            dock = placeholder(self.iface, mw)
            dock._finish()
        old_action = replace.toggleViewAction() if replace is not None else None
        if replace is not None:
            area = mw.dockWidgetArea(replace)
            visible = replace.isVisible()
            self.iface.addDockWidget(area, dock)
            mw.tabifyDockWidget(replace, dock)
            self.iface.removeDockWidget(replace)
            replace.setObjectName("")  # findChild finds the real dock from now on
            replace.deleteLater()
            dock.setVisible(visible)
            if visible:
                dock.raise_()
        else:
            self.iface.addDockWidget(Qt.RightDockWidgetArea, dock)
            dock.hide()
        self.docks[key] = dock
        action = dock.toggleViewAction()
        action.setIcon(QIcon(icon_path(icon)))
        action.setObjectName(f"GridGovToggle_{key}")
        if old_action is not None:
            self.menu.insertAction(old_action, action)
            self.toolbar.insertAction(old_action, action)
            self.menu.removeAction(old_action)
            self.toolbar.removeAction(old_action)
            self.actions = [action if a is old_action else a for a in self.actions]
        else:
            self.menu.addAction(action)
            self.toolbar.addAction(action)
            self.actions.append(action)
        # tools that live in the docks also get toolbar buttons and menu entries
        extra = getattr(dock, "actions", None)
        tools = extra() if callable(extra) and not getattr(dock, "placeholder", False) else []
        if tools and old_action is None:
            self.menu.addSeparator()
        for tool in tools:
            self.toolbar.addAction(tool)
            self.menu.addAction(tool)
            self.actions.append(tool)

    def _dependencies_changed(self) -> None:
        """After an install: bring in the algorithms and docks whose packages are there now."""
        from .gui import deps_ui

        st = deps_ui.state()
        if st.installing:
            return
        if self.provider is not None:
            self.provider.refreshAlgorithms()
        for spec in DOCKS:
            dock = self.docks.get(spec[0])
            if getattr(dock, "placeholder", False) and all(st.report.available(c) for c in spec[6]):
                self._add_dock(spec, replace=dock)
        if st.last_outcome is None or st.last_outcome is self._told:
            return
        self._told = st.last_outcome  # say it once per install
        bar = self.iface.messageBar()
        if self.dependency_message is not None:
            try:
                bar.popWidget(self.dependency_message)
            except RuntimeError:  # already closed by the user
                pass
            self.dependency_message = None
        if not st.last_outcome.ok:
            if not st.last_outcome.cancelled:
                bar.pushWarning(tr("Grid governance"), st.last_outcome.message.splitlines()[0])
        else:
            if st.restart_reasons:
                bar.pushWarning(tr("Grid governance"), tr("Restart QGIS: {0}", " ".join(st.restart_reasons)))
            else:
                bar.pushSuccess(
                    tr("Grid governance"), tr("The Python packages are installed; everything is available now.")
                )

    def _store_hooks(self, on: bool) -> None:
        """ "History…" on gridgov grids, cameras and cases; exact feature counts on gridgov layers (docs/roles.md)."""
        from qgis.core import QgsProject
        from qgis.gui import QgsGui

        from .gui.conflicts import unwatch_all, watch_layers
        from .gui.history_dialog import HistoryAction
        from .gui.store_layers import without_estimates

        registry = QgsGui.mapLayerActionRegistry()
        if on:
            self.history_action = HistoryAction(self.iface.mainWindow(), self.iface)
            registry.addMapLayerAction(self.history_action)
            QgsProject.instance().layersAdded.connect(without_estimates)
            without_estimates(QgsProject.instance().mapLayers().values())
            QgsProject.instance().layersAdded.connect(watch_layers)  # versioned saves (docs/sync.md)
            watch_layers(QgsProject.instance().mapLayers().values())
        elif getattr(self, "history_action", None) is not None:
            registry.removeMapLayerAction(self.history_action)
            self.history_action = None
            try:
                QgsProject.instance().layersAdded.disconnect(without_estimates)
                QgsProject.instance().layersAdded.disconnect(watch_layers)
            except TypeError:  # not connected
                pass
            unwatch_all()

    def _alg_dialog(self, alg_id: str) -> None:
        import processing

        processing.execAlgorithmDialog(alg_id, {})

    def show_offline_conflicts(self) -> None:
        from qgis.PyQt.QtWidgets import QFileDialog

        from .gui.conflicts import OfflineConflictDialog

        path, _ = QFileDialog.getOpenFileName(
            self.iface.mainWindow(), tr("Offline copy (GeoPackage)"), "", tr("GeoPackage (*.gpkg)")
        )
        if path:
            OfflineConflictDialog(path, self.iface.mainWindow()).exec_()

    def show_settings(self) -> None:
        from .gui.settings_dialog import SettingsDialog

        if SettingsDialog(self.iface.mainWindow()).exec_():
            # the docks follow a new connection at once (the events dock's actions say why they are greyed out)
            for dock in self.docks.values():
                hook = getattr(dock, "settings_changed", None)
                if callable(hook):
                    hook()

    def unload(self) -> None:
        self._store_hooks(False)
        if self.roles is not None:
            self.roles.unload()
            self.roles = None
        from .gui import deps_ui

        try:
            deps_ui.state().changed.disconnect(self._dependencies_changed)
        except (TypeError, RuntimeError):
            pass
        deps_ui.close_dialog()
        for dock in self.docks.values():
            self.iface.removeDockWidget(dock)
            dock.deleteLater()
        self.docks = {}
        for action in self.actions:
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
        if self.toolbar is not None:
            self.toolbar.deleteLater()
        if self.menu is not None:
            self.menu.deleteLater()
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        translators.remove(self.translators)
        self.translators = []
