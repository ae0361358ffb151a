"""Missing packages in the GUI: placeholders, banner, message bar, and an install that brings everything in."""

from __future__ import annotations

import importlib
import time

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QDockWidget, QFrame, QLabel, QPushButton

import grid_governance_plugin
from grid_governance_plugin.core import deps, pipinstall
from grid_governance_plugin.gui import deps_ui
from grid_governance_plugin.processing.provider import UnavailableAlgorithm
from tests.core.test_pipinstall import _wheel


def _wait(condition, timeout=300.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        QgsApplication.processEvents()
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def own_provider(qgis_app):
    """The plugin under test registers its own provider (as in tests/test_plugin.py)."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("gridgov")
    if existing is not None:
        registry.removeProvider(existing)
    deps_ui.reset_state()
    yield
    deps_ui.reset_state()
    if registry.providerById("gridgov") is None:
        from grid_governance_plugin.processing.provider import GridGovProvider

        _KEEP.append(GridGovProvider())
        registry.addProvider(_KEEP[-1])


_KEEP: list = []


_REAL_CHECK = deps.check


def _without(*modules):
    report = _REAL_CHECK()
    for m in modules:
        report.found[m] = deps.Found(deps.BY_MODULE[m], deps.MISSING)
    return report


def test_stock_qgis_gets_placeholders_and_a_message_then_everything_after_install(qgis_iface, monkeypatch):
    complete = deps.check()
    stock = _without("shapely", "esda", "libpysal", "geopandas")
    current = [stock]
    monkeypatch.setattr(deps, "check", lambda *a, **k: current[0])
    real_import = importlib.import_module

    def import_module(name, *a, **k):  # the docks that import shapely fail as in a stock QGIS
        if current[0] is stock and name.endswith((".grid_dock", ".coverage_dock")):
            raise ModuleNotFoundError("No module named 'shapely'", name="shapely")
        return real_import(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", import_module)
    plugin = grid_governance_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        mw = qgis_iface.mainWindow()
        grid = mw.findChild(QDockWidget, "GridGovGridPlanningDock")
        cov = mw.findChild(QDockWidget, "GridGovCoverageDock")
        assert getattr(grid, "placeholder", False) and getattr(cov, "placeholder", False)
        assert cov.windowTitle() == "Camera coverage"
        text = cov.findChild(QLabel, "GridGovDependencyText").text()
        assert "Camera coverage" in text and "shapely ≥ 2.0" in text
        assert not cov.findChild(QFrame, "GridGovDependencyBanner").isHidden()
        # the events dock is real and shows no banner: what it needs is there
        events = mw.findChild(QDockWidget, "GridGovEventsDock")
        assert not getattr(events, "placeholder", False)
        assert events.findChild(QFrame, "GridGovDependencyBanner").isHidden()
        # the message bar names what is missing and offers Install
        assert plugin.dependency_message is not None
        assert "shapely ≥ 2.0" in plugin.dependency_message.text()
        assert plugin.dependency_message.findChild(QPushButton, "GridGovMessageInstall") is not None
        unavailable = [a.id() for a in plugin.provider.algorithms() if isinstance(a, UnavailableAlgorithm)]
        from grid_governance_plugin.processing.provider import ALGORITHM_INDEX

        assert len(plugin.provider.algorithms()) == sum(len(algs) for algs in ALGORITHM_INDEX.values())
        # all but the database ones and the camera import need shapely and friends
        assert "gridgov:overduecases" not in unavailable
        assert {"gridgov:coverage", "gridgov:hotspots", "gridgov:assessment"} <= set(unavailable)

        # the install finished: the same session gets the real docks and algorithms
        current[0] = complete
        st = deps_ui.state()
        st.last_outcome = pipinstall.Outcome(True, "Installed: shapely-2")
        st.refresh()
        grid = mw.findChild(QDockWidget, "GridGovGridPlanningDock")
        cov = mw.findChild(QDockWidget, "GridGovCoverageDock")
        assert type(grid).__name__ == "GridPlanningDock" and type(cov).__name__ == "CoverageDock"
        assert len(mw.findChildren(QDockWidget, "GridGovCoverageDock")) == 1
        assert not [a for a in plugin.provider.algorithms() if isinstance(a, UnavailableAlgorithm)]
        toggles = [a.objectName() for a in plugin.menu.actions()]
        assert toggles.count("GridGovToggle_coverage") == 1
        assert any(a.objectName() == "GridGovCameraTool" for a in plugin.toolbar.actions())
    finally:
        plugin.unload()


def test_banner_follows_the_state(qgis_app, monkeypatch):
    current = [_without("openpyxl")]
    monkeypatch.setattr(deps, "check", lambda *a, **k: current[0])
    banner = deps_ui.DependencyBanner(("coverage", "excel"))
    assert not banner.isHidden() and "openpyxl" in banner.label.text()
    assert "Camera coverage" not in banner.label.text()
    current[0] = _without()
    deps_ui.state().refresh()
    assert banner.isHidden()


def test_install_from_a_wheel_folder_through_the_dialog(qgis_app, tmp_path, monkeypatch):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "gridgov_probe_a", "1.0", ("gridgov_probe_b",))
    _wheel(wheels, "gridgov_probe_b", "2.1")
    req = deps.Requirement("gridgov_probe_a", "gridgov_probe_a", "1.0", why="a test")
    monkeypatch.setattr(deps, "REQUIREMENTS", (*deps.REQUIREMENTS, req))
    monkeypatch.setitem(deps.BY_MODULE, "gridgov_probe_a", req)
    base = tmp_path / "profile"
    monkeypatch.setattr(deps, "prefix_dir", lambda b=None: deps.data_dir(base) / "py")
    real_check = deps.check
    monkeypatch.setattr(deps, "check", lambda *a, **k: real_check((*deps.REQUIREMENTS,)))
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    dialog = deps_ui.open_dialog()
    try:
        assert "gridgov_probe_a" in dialog.summary.text()
        dialog.wheels.setChecked(True)
        dialog.wheel_dir.setText(str(wheels))
        dialog.start()
        st = deps_ui.state()
        assert st.installing and not dialog.install_button.isEnabled() and dialog.cancel_button.isEnabled()
        _wait(lambda: not st.installing)
        assert st.last_outcome.ok, st.last_outcome.message
        assert "gridgov_probe_a-1.0" in st.last_outcome.installed
        assert st.report.ok("gridgov_probe_a") and st.restart_reasons == []
        assert "no restart is needed" in dialog.outcome.text()
        assert dialog.progress.value() == 100
        assert "Successfully installed" in dialog.log_view.toPlainText()
        assert deps_ui.saved_source() == pipinstall.Source(pipinstall.WHEELS, str(wheels))
    finally:
        deps_ui.close_dialog()


def test_a_loaded_old_version_means_a_restart():
    req = deps.BY_MODULE["shapely"]
    before = deps.Report({"shapely": deps.Found(req, deps.TOO_OLD, "1.8.5", "/usr/lib/python3/dist-packages", True)})
    after = deps.Report({"shapely": deps.Found(req, deps.OK, "2.1.2", "/p", False)})
    reasons = deps_ui.restart_reasons(before, after)
    assert reasons and "shapely 1.8.5 is already loaded" in reasons[0]
