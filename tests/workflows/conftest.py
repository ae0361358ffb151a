"""Fixtures of the workflow tests (issue 9, items 5, 9 and 10)."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from tests.workflows.zh import compile_catalogue


@pytest.fixture(scope="session")
def zh_qm(tmp_path_factory):
    return compile_catalogue(tmp_path_factory.mktemp("qm"))


@pytest.fixture
def zh(qgis_app, zh_qm):
    """The plugin speaks Chinese for this test."""
    translator = QTranslator()
    assert translator.load(str(zh_qm))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


@pytest.fixture
def clean_connection(qgis_app):
    """No connection in the settings or the project before and after the test."""
    from qgis.core import QgsProject

    from grid_governance_plugin.core import settings

    def clear():
        QgsProject.instance().removeEntry(settings.PREFIX, "connection")
        settings.set_connection_name("", False)

    clear()
    yield
    clear()


_KEEP: list = []


@pytest.fixture(scope="session")
def provider(qgis_app, qgis_processing):
    """gridgov's Processing provider (the docks run its algorithms)."""
    from qgis.core import QgsApplication

    from grid_governance_plugin.processing.provider import GridGovProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("gridgov") is None:
        _KEEP.append(GridGovProvider())  # the registry does not keep the Python wrapper alive
        registry.addProvider(_KEEP[-1])
    return registry.providerById("gridgov")


def wait_for(condition, seconds: float = 300.0) -> None:
    """Turn the event loop until ``condition()`` (background tasks finish on it)."""
    import time

    from qgis.core import QgsApplication

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QgsApplication.processEvents()
        time.sleep(0.005)
