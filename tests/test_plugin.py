"""The plugin shell: menu, toolbar, docks, provider; unload leaves nothing behind."""

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

import grid_governance_plugin

DOCKS = ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock")


def _start(iface):
    plugin = grid_governance_plugin.classFactory(iface)
    plugin.initGui()
    return plugin


def test_init_gui_creates_menu_toolbar_docks_and_provider(qgis_iface):
    plugin = _start(qgis_iface)
    try:
        mw = qgis_iface.mainWindow()
        menu = mw.findChild(QMenu, "GridGovMenu")
        assert menu is not None and menu.title() == "Grid governance"
        assert mw.findChild(QToolBar, "GridGovToolbar") is not None
        for name in DOCKS:
            assert mw.findChild(QDockWidget, name) is not None, name
        provider = QgsApplication.processingRegistry().providerById("gridgov")
        assert provider is not None
        ids = {a.id() for a in provider.algorithms()}
        assert {"gridgov:installschema", "gridgov:generatedemo"} <= ids
    finally:
        plugin.unload()
    assert QgsApplication.processingRegistry().providerById("gridgov") is None


def test_unload_removes_docks(qgis_iface):
    plugin = _start(qgis_iface)
    docks = list(plugin.docks.values())
    plugin.unload()
    assert plugin.docks == {} and plugin.actions == []
    for dock in docks:
        assert qgis_iface.mainWindow().findChild(QDockWidget, dock.objectName()) in (None, dock)


def test_zh_cn_locale_translates_the_ui(qgis_iface):
    s = QgsSettings()
    s.setValue("locale/overrideFlag", True)
    s.setValue("locale/userLocale", "zh_CN")
    try:
        plugin = _start(qgis_iface)
        try:
            menu = qgis_iface.mainWindow().findChild(QMenu, "GridGovMenu")
            assert menu.title() == "网格治理"
            assert plugin.docks["coverage"].windowTitle() == "摄像头覆盖"
        finally:
            plugin.unload()
    finally:
        s.setValue("locale/overrideFlag", False)
        s.remove("locale/userLocale")
