"""The plugin object QGIS creates: menu, toolbar, docks, settings and the provider."""

from __future__ import annotations

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from .core.i18n import tr
from .core.log import get_logger
from .core.paths import i18n_dir, icon_path

log = get_logger()


def _locale() -> str:
    """QGIS's UI locale (Settings > Options > General), e.g. 'zh_CN'."""
    s = QgsSettings()
    if s.value("locale/overrideFlag", False, type=bool):
        return s.value("locale/userLocale", "", type=str) or QLocale().name()
    return QLocale().name()


class GridGovernancePlugin:
    MENU_OBJECT_NAME = "GridGovMenu"
    TOOLBAR_OBJECT_NAME = "GridGovToolbar"

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translator = None
        self.actions: list[QAction] = []
        self.docks: dict = {}
        self.menu = None
        self.toolbar = None
        self._install_translator()

    def _install_translator(self) -> None:
        locale = _locale()
        for name in (locale, locale.split("_")[0]):
            path = i18n_dir() / f"grid_governance_plugin_{name}.qm"
            if path.exists():
                self.translator = QTranslator()
                if self.translator.load(str(path)):
                    QCoreApplication.installTranslator(self.translator)
                    return
        self.translator = None

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
        log.info(tr("Grid governance plugin loaded."))

    def _alg_dialog(self, alg_id: str) -> None:
        import processing

        processing.execAlgorithmDialog(alg_id, {})

    def show_settings(self) -> None:
        from .gui.settings_dialog import SettingsDialog

        if SettingsDialog(self.iface.mainWindow()).exec_():
            # the docks follow a new connection at once (the events dock's actions say why they are greyed out)
            for dock in self.docks.values():
                hook = getattr(dock, "settings_changed", None)
                if callable(hook):
                    hook()

    def unload(self) -> None:
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
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
