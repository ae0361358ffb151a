"""The plugin shell: menu, toolbar, docks, provider; unload leaves nothing behind."""

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

import grid_governance_plugin

DOCKS = ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock")


@pytest.fixture(autouse=True)
def no_foreign_provider(qgis_app):
    """Other test modules register the provider for their algorithms; these tests need the plugin's own."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("gridgov")
    if existing is not None:
        registry.removeProvider(existing)
    yield
    if existing is not None and registry.providerById("gridgov") is None:
        from grid_governance_plugin.processing.provider import GridGovProvider

        _KEEP.append(GridGovProvider())
        registry.addProvider(_KEEP[-1])


_KEEP: list = []


def test_a_provider_registered_elsewhere_is_left_alone(qgis_iface):
    from grid_governance_plugin.processing.provider import GridGovProvider

    registry = QgsApplication.processingRegistry()
    foreign = GridGovProvider()
    _KEEP.append(foreign)
    assert registry.addProvider(foreign)
    plugin = _start(qgis_iface)
    try:
        assert plugin.provider is None
        assert registry.providerById("gridgov") is foreign
    finally:
        plugin.unload()
    assert registry.providerById("gridgov") is foreign
    registry.removeProvider(foreign)


def _start(iface):
    # what earlier unloads left to deleteLater() goes first: findChild must not find a dead menu
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
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
        assert {"gridgov:checkout", "gridgov:syncoffline"} <= ids  # offline copies (docs/sync.md)
    finally:
        plugin.unload()
    assert QgsApplication.processingRegistry().providerById("gridgov") is None


def test_unload_removes_docks(qgis_iface):
    plugin = _start(qgis_iface)
    mw = qgis_iface.mainWindow()
    docks = dict(plugin.docks)
    assert {d.objectName() for d in docks.values()} == set(DOCKS)
    assert all(mw.findChild(QDockWidget, d.objectName()) is d for d in docks.values())
    plugin.unload()
    # what deleteLater() left for the event loop: the docks, the menu and the toolbar
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert plugin.docks == {} and plugin.actions == []
    for key, dock in docks.items():
        assert sip.isdeleted(dock), key
    for name in DOCKS:
        assert mw.findChild(QDockWidget, name) is None, name
    assert mw.findChild(QMenu, "GridGovMenu") is None and mw.findChild(QToolBar, "GridGovToolbar") is None


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
