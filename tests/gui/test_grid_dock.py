"""The Grid planning dock: tools exposed as actions, plans and workers on a GeoPackage store, atlas."""

from __future__ import annotations

import time

import shapely
from osgeo import ogr
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QPushButton

from grid_governance_plugin.gui.grid_dock import GridPlanningDock
from tests.core.test_plans import code, rows, two_plans_store
from tests.gui.test_grid_balance import provider  # noqa: F401 - publishing runs gridgov:validategrids


def store_layers(path):
    grids = QgsVectorLayer(f"{path}|layername=grid", "grids", "ogr")
    workers = QgsVectorLayer(f"{path}|layername=grid_worker", "workers", "ogr")
    cams = QgsVectorLayer(f"{path}|layername=camera", "cameras", "ogr")
    assert grids.isValid() and workers.isValid() and cams.isValid()
    QgsProject.instance().addMapLayers([grids, workers, cams])
    return grids, workers, cams


def test_dock_tools_plans_workers(qgis_iface, qgis_new_project, tmp_path, provider):  # noqa: F811
    path = two_plans_store(tmp_path)
    grids, workers, cams = store_layers(path)
    dock = GridPlanningDock(qgis_iface)
    dock.grids.setLayer(grids)
    dock.cameras.setLayer(cams)
    assert dock.objectName() == "GridGovGridPlanningDock"
    assert dock.findChild(QPushButton, "GridGovValidateButton") is not None
    names = [a.objectName() for a in dock.actions()]
    assert names == ["GridGovSplitTool", "GridGovMoveBoundaryTool", "GridGovPaintTool", "GridGovMergeGrids"]

    plans = dock.list_plans()
    assert [(p["plan_id"], p["status"]) for p in plans] == [(1, "published")]
    dock.plan_table.selectRow(0)
    dock.ask_text = lambda *_a: (True, "2026 调整方案")
    dock.confirm = lambda *_a: True
    draft = dock.new_draft()
    assert draft == 2 and dock.plan_table.rowCount() == 2
    # edit the draft outside QGIS: boundary moved 20 m west, then compare with the published plan
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayerByName("grid")
    lyr.SetAttributeFilter(f"plan_id = {draft}")
    for f in list(lyr):
        x0, x1 = (0, 80) if f["grid_code"] == code(1) else (80, 200)
        g = shapely.multipolygons([shapely.box(x0, 0, x1, 100)])
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
        lyr.SetFeature(f)
    ds = None
    row = next(r for r in range(dock.plan_table.rowCount()) if dock.plan_table.item(r, 0).text() == str(draft))
    dock.plan_table.selectRow(row)
    diff = dock.diff_plan()
    assert diff.featureCount() == 1
    f = next(diff.getFeatures())
    assert (f["from_code"], f["to_code"]) == (code(1), code(2)) and abs(f.geometry().area() - 2000) < 1e-6
    dock.show_plan()
    assert grids.featureCount() == 2 and grids.subsetString() == f'"plan_id" = {draft}'
    assert dock.publish_plan()  # checked first (in the background), then published
    deadline = time.monotonic() + 300
    while dock.publish_result is None:
        assert time.monotonic() < deadline
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert dock.publish_result == "published", dock.status.text()
    counts = dock.publish_counts
    assert counts == {"archived": 1, "workers": 0, "cameras": 1, "events": 1}  # c1 and e1 changed grid
    assert {r["plan_id"]: r["status"] for r in rows(path, "grid_plan")} == {1: "archived", 2: "published"}

    # workers: nobody unassigned, then take W2 off grid 2 and give its grids to W1
    dock.load_workers()
    assert dock.worker_box.count() == 2
    assert dock.list_unassigned() == []
    dock.worker_box.setCurrentIndex(dock.worker_box.findData("W1"))
    dock.from_worker_box.setCurrentIndex(dock.from_worker_box.findData("W2"))
    assert dock.reassign() == 1
    assert {f["grid_code"]: f["worker_id"] for f in grids.getFeatures()} == {code(1): "W1", code(2): "W1"}
    grids.undoStack().undo()
    assert {f["grid_code"]: f["worker_id"] for f in grids.getFeatures()} == {code(1): "W1", code(2): "W2"}
    grids.rollBack()

    # atlas of the published plan: one page per grid
    out = tmp_path / "atlas.pdf"
    exporter = dock.atlas(str(out))
    assert exporter is not None and not dock.atlas_cancel.isHidden()  # progress and cancel in the dock
    deadline = time.monotonic() + 300
    while dock.atlas_exporter is not None:  # in the background: wait for it, QGIS keeps running
        assert time.monotonic() < deadline
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert out.stat().st_size > 1000 and "2" in dock.status.text()
