"""Issue 9, smaller points: compass words in device lists, an honest import report, imports into
the camera store, named and coded new cameras, and why the worker lists are empty."""

from __future__ import annotations

import csv

import shapely
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer

from grid_governance_plugin.core.coverage import importers as im
from grid_governance_plugin.core.coverage.camera import valid_gb28181
from grid_governance_plugin.core.coverage.device_ids import next_device_id
from grid_governance_plugin.core.store import gpkg
from grid_governance_plugin.gui.camera_import_dialog import ImportReportDialog, import_cameras_interactive

HEADER = ["设备编码", "名称", "经度", "纬度", "状态", "方位角"]


def _csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def test_chinese_compass_words_are_directions_and_the_report_tells_the_truth(qgis_app, tmp_path, zh):
    path = _csv(
        tmp_path / "d.csv",
        [
            ["44030000001320000001", "东北角", "114.05", "22.54", "在线", "东北"],
            ["44030000001320000002", "西南角", "114.06", "22.55", "在线", "西南"],
            ["44030000001320000003", "北门", "114.07", "22.56", "在线", "北偏东30°"],
            ["44030000001320000004", "乱写", "114.08", "22.57", "在线", "那边"],
            ["44030000001320000005", "反了", "22.59", "114.09", "在线", "90"],
        ],
    )
    res = im.import_device_list(path)
    az = {c["name"]: c["azimuth"] for c in res.cameras}
    assert (az["东北角"], az["西南角"], az["北门"], az["乱写"]) == (45.0, 225.0, 30.0, None)
    by = {(m.ref, m.level) for m in res.report}
    # the words were converted (said so), the junk was not used (said so), the swap was corrected
    assert (2, "info") in by and (5, "warning") in by and (6, "corrected") in by
    assert not any(m.level == "warning" for m in res.report if m.ref in (2, 3, 4))
    junk = next(m for m in res.report if m.ref == 5 and m.level == "warning")
    assert "那边" in junk.text and "方位词" in junk.text
    dialog = ImportReportDialog(res)
    text = dialog.summary.text()
    assert "更正 1 个值" in text and "1 个值未采用或需核对" in text  # not "corrected" for what was dropped
    rows = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 2).text()) for r in range(dialog.table.rowCount())}
    assert ("5", "未采用/请核对") in rows and ("6", "已更正") in rows


def _store(tmp_path):
    path = tmp_path / "store.gpkg"
    gpkg.create_store(path)
    gpkg.write_layer(
        path,
        "camera",
        [shapely.Point(114.0, 22.5)],
        [("44030000001320000001", "旧名", "天网", "offline", 10.0) + (None,) * 8],
    )
    layer = QgsVectorLayer(f"{path}|layername=camera", "摄像机", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return path, layer


def test_imported_cameras_go_into_the_camera_store(qgis_iface, qgis_new_project, tmp_path):
    path, layer = _store(tmp_path)
    csv_path = _csv(
        tmp_path / "d.csv",
        [
            ["44030000001320000001", "南门", "114.05", "22.54", "在线", "90"],  # already in the store: updated
            ["44030000001320000002", "北门", "114.06", "22.55", "在线", "东北"],
        ],
    )
    layer_out, result, dialog = import_cameras_interactive(qgis_iface, None, str(csv_path), show_report=False)
    assert layer_out is layer and not layer.isEditable()  # committed
    reread = QgsVectorLayer(f"{path}|layername=camera", "c", "ogr")  # what every other user sees
    rows = {f["device_id"]: f for f in reread.getFeatures()}
    assert set(rows) == {"44030000001320000001", "44030000001320000002"}
    assert rows["44030000001320000001"]["name"] == "南门" and rows["44030000001320000001"]["status"] == "online"
    assert rows["44030000001320000002"]["azimuth"] == 45.0
    assert rows["44030000001320000002"].geometry().asPoint().x() == 114.06
    assert "1" in dialog.where.text() and layer.name() in dialog.where.text()
    # no temporary layer was added
    assert [lyr.name() for lyr in QgsProject.instance().mapLayers().values()] == ["摄像机"]


def test_without_a_store_the_temporary_layer_says_so(qgis_iface, qgis_new_project, tmp_path):
    csv_path = _csv(tmp_path / "d.csv", [["44030000001320000002", "北门", "114.06", "22.55", "在线", "东"]])
    layer, _result, dialog = import_cameras_interactive(qgis_iface, None, str(csv_path), show_report=False)
    assert layer.providerType() == "memory" and "temporary" in dialog.where.text()


def test_a_new_camera_gets_a_name_and_a_device_code(qgis_canvas, qgis_new_project):
    from grid_governance_plugin.core import settings
    from grid_governance_plugin.gui.camera_tool import CameraMapTool

    crs = "EPSG:4547"
    x0, y0 = 500_000.0, 2_500_000.0
    grids = QgsVectorLayer(f"Polygon?crs={crs}&field=grid_code:string&field=name:string", "grids", "memory")
    f = QgsFeature(grids.fields())
    f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0 - 100, y0 - 100, x0 + 100, y0 + 100)))
    f.setAttributes(["440305004002003", "南山第3网格"])
    grids.dataProvider().addFeatures([f])
    roads = QgsVectorLayer(f"LineString?crs={crs}&field=name:string", "roads", "memory")
    r = QgsFeature(roads.fields())
    r.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(x0 - 100, y0 + 20), QgsPointXY(x0 + 100, y0 + 20)]))
    r.setAttributes(["科技南路"])
    roads.dataProvider().addFeatures([r])
    cams = QgsVectorLayer(
        f"Point?crs={crs}&field=device_id:string&field=name:string&field=system:string&field=status:string"
        "&field=azimuth:double&field=hfov:double&field=range_m:double&field=height_m:double&field=grid_code:string",
        "cameras",
        "memory",
    )
    QgsProject.instance().addMapLayers([grids, roads, cams])
    settings.set_layer_for_role("grids", grids.id())
    settings.set_layer_for_role("roads", roads.id())
    settings.set_value("camera/system", "雪亮")
    try:
        tool = CameraMapTool(qgis_canvas, cams, None)
        cams.startEditing()
        ids = []
        for dx in (0.0, 30.0):
            tool._state = tool._new_state(QgsPointXY(x0 + dx, y0))
            fid = tool._add_camera(QgsPointXY(x0 + dx, y0))
            ids.append(fid)
        a, b = (cams.getFeature(i) for i in ids)
        # county 440305 and street 004 of the grid, industry 01 (雪亮), type 132, network 0, serials 1 and 2
        assert a["device_id"] == "44030504011320000001" and b["device_id"] == "44030504011320000002"
        assert valid_gb28181(a["device_id"]) and a["grid_code"] == "440305004002003"
        assert a["name"].startswith("科技南路") and a["name"].endswith("0001")
        # outside every grid: the centre of the nearest coded camera, the next serial
        code = tool.identity(QgsPointXY(x0 + 500, y0 + 500), "雪亮")
        assert code["device_id"] == "44030504011320000003"
    finally:
        cams.rollBack()
        settings.set_layer_for_role("grids", "")
        settings.set_layer_for_role("roads", "")
        settings.set_value("camera/system", "")
    assert next_device_id(["44030504011320000009", "x"], "44030504", "雪亮") == "44030504011320000010"


def test_load_workers_says_why_a_list_is_empty(qgis_iface, qgis_new_project, tmp_path):
    from grid_governance_plugin.gui.grid_dock import GridPlanningDock

    grids = QgsVectorLayer("Polygon?crs=EPSG:4547&field=grid_code:string&field=worker_id:string", "g", "memory")
    QgsProject.instance().addMapLayer(grids)
    dock = GridPlanningDock(qgis_iface)
    dock.grids.setLayer(grids)
    assert dock.load_workers() == 0
    assert dock.worker_box.count() == 0 and "grid_worker" in dock.worker_info.text()
    # a store: its worker table is found through the grid layer, and an empty one is named
    path = tmp_path / "s.gpkg"
    gpkg.create_store(path)
    gpkg.write_layer(path, "grid_worker", None, [("W1", "张三", None, None, False)])
    store_grids = QgsVectorLayer(f"{path}|layername=grid", "grid", "ogr")
    QgsProject.instance().addMapLayer(store_grids)
    dock.grids.setLayer(store_grids)
    assert dock.load_workers() == 0 and "none of them active" in dock.worker_info.text()
    gpkg.write_layer(path, "grid_worker", None, [("W2", "李四", None, None, True)])
    assert dock.load_workers() == 1
    assert dock.worker_box.itemText(0) == "李四 (W2)" and dock.worker_box.itemData(0) == "W2"
