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
