"""The plugin object QGIS creates: menu, toolbar, docks, settings and the provider."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from .core import translators
from .core.i18n import tr
from .core.log import get_logger
from .core.paths import i18n_dir, icon_path

log = get_logger()


class GridGovernancePlugin:
    MENU_OBJECT_NAME = "GridGovMenu"
    TOOLBAR_OBJECT_NAME = "GridGovToolbar"

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translators = []
        self.actions: list[QAction] = []
        self.docks: dict = {}
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
        self.initProcessing()
        from .gui.coverage_dock import CoverageDock
        from .gui.events_dock import EventsDock
        from .gui.grid_dock import GridPlanningDock

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

        for key, cls, icon in (
            ("grids", GridPlanningDock, "grid.svg"),
            ("coverage", CoverageDock, "camera.svg"),
            ("events", EventsDock, "events.svg"),
        ):
            dock = cls(self.iface, mw)
            self.iface.addDockWidget(Qt.RightDockWidgetArea, dock)
            dock.hide()
            self.docks[key] = dock
            action = dock.toggleViewAction()
            action.setIcon(QIcon(icon_path(icon)))
            action.setObjectName(f"GridGovToggle_{key}")
            self.menu.addAction(action)
            self.toolbar.addAction(action)
            self.actions.append(action)
        # tools that live in the docks also get toolbar buttons and menu entries
        for dock in self.docks.values():
            extra = getattr(dock, "actions", None)
            tools = extra() if callable(extra) else []
            if tools:
                self.menu.addSeparator()
            for action in tools:
                self.toolbar.addAction(action)
                self.menu.addAction(action)
                self.actions.append(action)
        # tabify so the three docks share one column like QGIS's own panels
        first = self.docks["grids"]
        for key in ("coverage", "events"):
            mw.tabifyDockWidget(first, self.docks[key])

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
        log.info(tr("Grid governance plugin loaded."))

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

        SettingsDialog(self.iface.mainWindow()).exec_()

    def unload(self) -> None:
        self._store_hooks(False)
        if self.roles is not None:
            self.roles.unload()
            self.roles = None
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
