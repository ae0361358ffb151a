"""A dock's layer pickers follow the project that is opened (File > Open after QGIS started)."""

from __future__ import annotations

from qgis.core import QgsProject, QgsVectorLayer

from grid_governance_plugin.core.store import gpkg
from grid_governance_plugin.gui.coverage_dock import CoverageDock


def _project(tmp_path):
    """A project file reading a store's cameras, buildings and grids."""
    store = tmp_path / "store.gpkg"
    gpkg.create_store(store)
    project = QgsProject.instance()
    project.clear()
    for table, name in (("camera", "摄像头"), ("building", "建筑"), ("grid", "网格")):
        layer = QgsVectorLayer(f"{store}|layername={table}", name, "ogr")
        assert layer.isValid(), table
        project.addMapLayer(layer)
    path = tmp_path / "city.qgz"
    assert project.write(str(path))
    project.clear()
    return path


def _by_name(name: str):
    return QgsProject.instance().mapLayersByName(name)[0]


def test_a_dock_made_before_the_project_is_opened_picks_its_layers(qgis_iface, qgis_new_project, tmp_path):
    path = _project(tmp_path)
    dock = CoverageDock(qgis_iface)  # the plugin starts with QGIS, before any project
    try:
        assert dock.cameras.currentLayer() is None and dock.grids.currentLayer() is None
        assert QgsProject.instance().read(str(path))
        assert dock.cameras.currentLayer() is _by_name("摄像头")
        assert dock.obstacles.currentLayer() is _by_name("建筑")
        assert dock.grids.currentLayer() is _by_name("网格")
        first = dock.cameras.currentLayer().id()
        # opened again: the new project's layers, not the ones that went with the old project
        assert QgsProject.instance().read(str(path))
        assert dock.cameras.currentLayer() is _by_name("摄像头") and dock.cameras.currentLayer().id() == first
        assert dock.grids.currentLayer() is _by_name("网格")
    finally:
        dock.deleteLater()
        QgsProject.instance().clear()
