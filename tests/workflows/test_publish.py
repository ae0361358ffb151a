"""Issue 9 item 9: publishing checks the draft, refuses slivers, asks about the rest, names the plan."""

from __future__ import annotations

import shapely
from osgeo import ogr
from qgis.core import QgsProject, QgsVectorLayer

from grid_governance_plugin.gui.grid_dock import GridPlanningDock
from tests.core.test_plans import COMM, code, rows, two_plans_store
from tests.helpers import memory_layer
from tests.workflows.conftest import wait_for


def _dock(qgis_iface, path):
    grids = QgsVectorLayer(f"{path}|layername=grid", "grids", "ogr")
    comm = memory_layer(
        "MultiPolygon", [shapely.box(0, 0, 200, 100)], grids.crs().authid(), "code:string", [(COMM,)], "communities"
    )
    QgsProject.instance().addMapLayers([grids, comm])
    dock = GridPlanningDock(qgis_iface)
    dock.grids.setLayer(grids)
    dock.parents.setLayer(comm)
    asked = []
    dock.ask_text = lambda title, text, default: (asked.append((title, text, default)), (True, "2026 年网格调整方案"))[
        1
    ]
    confirmed = []
    dock.confirm = lambda title, text: (confirmed.append(text), True)[1]
    return dock, asked, confirmed


def _draft(dock, boxes, name="2026 年网格调整方案") -> int:
    dock.list_plans()
    dock.plan_table.selectRow(0)
    plan = dock.new_draft(name)
    path = dock.grids.currentLayer().source().split("|")[0]
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayerByName("grid")
    lyr.SetAttributeFilter(f"plan_id = {plan}")
    for f in list(lyr):
        g = shapely.multipolygons([boxes[f["grid_code"]]])
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
        lyr.SetFeature(f)
    ds = None
    dock.list_plans()
    row = next(r for r in range(dock.plan_table.rowCount()) if dock.plan_table.item(r, 0).text() == str(plan))
    dock.plan_table.selectRow(row)
    return plan


def _publish(dock) -> str:
    assert dock.publish_plan()
    wait_for(lambda: dock.publish_result is not None)
    return dock.publish_result


def _status(path, plan) -> str:
    return next(r["status"] for r in rows(path, "grid_plan") if r["plan_id"] == plan)


def test_a_sliver_overlap_is_refused_and_shown(qgis_iface, qgis_new_project, tmp_path, provider, zh):
    path = two_plans_store(tmp_path)
    dock, _asked, confirmed = _dock(qgis_iface, path)
    # grid 1 reaches 2 mm into grid 2 (0.2 m²): what a careless edit leaves
    plan = _draft(dock, {code(1): shapely.box(0, 0, 100.002, 100), code(2): shapely.box(100, 0, 200, 100)})
    assert _publish(dock) == "refused"
    assert _status(path, plan) == "draft" and not confirmed
    assert "重叠" in dock.status.text() and "未发布" in dock.status.text()
    # the planner sees the problem: in the Check tab (translated type) and on the map
    assert dock.tabs.currentIndex() == 0 and dock.problems.rowCount() == 1
    assert dock.problems.item(0, 0).text() in ("overlap", "重叠")
    layer = dock.problems.layer
    assert layer is not None and layer.featureCount() == 1 and QgsProject.instance().mapLayer(layer.id())


def test_a_sliver_gap_is_refused(qgis_iface, qgis_new_project, tmp_path, provider):
    path = two_plans_store(tmp_path)
    dock, _asked, confirmed = _dock(qgis_iface, path)
    plan = _draft(dock, {code(1): shapely.box(0, 0, 99.99, 100), code(2): shapely.box(100, 0, 200, 100)})
    assert _publish(dock) == "refused" and _status(path, plan) == "draft" and not confirmed


def test_a_large_gap_is_asked_and_the_answer_is_kept(qgis_iface, qgis_new_project, tmp_path, provider):
    path = two_plans_store(tmp_path)
    dock, _asked, confirmed = _dock(qgis_iface, path)
    # 10 m x 100 m between the grids: maybe a canal left out on purpose; the planner decides
    plan = _draft(dock, {code(1): shapely.box(0, 0, 90, 100), code(2): shapely.box(100, 0, 200, 100)})
    dock.confirm = lambda title, text: (confirmed.append(text), False)[1]
    assert _publish(dock) == "cancelled" and _status(path, plan) == "draft"
    assert "Gap" in confirmed[-1]
    dock.confirm = lambda title, text: (confirmed.append(text), True)[1]
    assert _publish(dock) == "published" and _status(path, plan) == "published"


def test_a_clean_draft_is_confirmed_and_keeps_its_name(qgis_iface, qgis_new_project, tmp_path, provider):
    path = two_plans_store(tmp_path)
    dock, asked, confirmed = _dock(qgis_iface, path)
    plan = _draft(dock, {code(1): shapely.box(0, 0, 80, 100), code(2): shapely.box(80, 0, 200, 100)})
    assert _publish(dock) == "published"
    assert len(confirmed) == 1 and "no problem" in confirmed[0] and "2026 年网格调整方案" in confirmed[0]
    row = next(r for r in rows(path, "grid_plan") if r["plan_id"] == plan)
    assert row["status"] == "published" and row["name"] == "2026 年网格调整方案"
    assert not asked  # it had a name
    assert dock.publish_counts["events"] == 1


def test_drafts_get_a_name(qgis_iface, qgis_new_project, tmp_path, provider):
    path = two_plans_store(tmp_path)
    dock, asked, _confirmed = _dock(qgis_iface, path)
    dock.list_plans()
    dock.plan_table.selectRow(0)
    plan = dock.new_draft()  # the planner is asked
    assert asked and "Name" in asked[0][1] and asked[0][2]  # a sensible default is offered
    assert next(r["name"] for r in rows(path, "grid_plan") if r["plan_id"] == plan) == "2026 年网格调整方案"
    dock.ask_text = lambda *_a: (True, "   ")
    assert dock.new_draft() is None and "name" in dock.status.text()


def test_a_draft_still_called_draft_is_named_when_published(qgis_iface, qgis_new_project, tmp_path, provider):
    path = two_plans_store(tmp_path)
    dock, asked, _confirmed = _dock(qgis_iface, path)
    plan = _draft(dock, {code(1): shapely.box(0, 0, 80, 100), code(2): shapely.box(80, 0, 200, 100)}, name="Draft")
    assert _publish(dock) == "published"
    assert asked and "Draft" in asked[-1][1]
    assert next(r["name"] for r in rows(path, "grid_plan") if r["plan_id"] == plan) == "2026 年网格调整方案"
