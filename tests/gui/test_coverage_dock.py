"""The Camera coverage dock runs gridgov:coverage as a QgsTask on a small scene and fills its tables."""

from __future__ import annotations

import math

import pytest
import shapely
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtWidgets import QPushButton

from grid_governance_plugin.gui.coverage_dock import CoverageDock
from tests.helpers import memory_layer, wait_until

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 2_500_000.0
CAMERA_FIELDS = (
    "field=device_id:string&field=name:string&field=system:string&field=status:string"
    "&field=azimuth:double&field=hfov:double&field=range_m:double&field=height_m:double"
)


_KEEP: list = []


@pytest.fixture(scope="module")
def provider(qgis_app, qgis_processing):
    from grid_governance_plugin.processing.provider import GridGovProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("gridgov") is None:
        _KEEP.append(GridGovProvider())  # the registry does not keep the Python wrapper alive
        registry.addProvider(_KEEP[-1])
    assert registry.algorithmById("gridgov:coverage") is not None
    return registry.providerById("gridgov")


def _layer(kind: str, geoms, fields: str = "", attrs=None, name: str = "") -> QgsVectorLayer:
    return memory_layer(kind, geoms, CRS, fields, attrs, name, offset=(X0, Y0))


@pytest.fixture
def scene(qgis_new_project, provider):
    buildings = _layer("Polygon", [shapely.box(40, 40, 60, 60), shapely.box(140, 10, 160, 30)], name="buildings")
    target = _layer(
        "Polygon",
        [shapely.box(0, 0, 200, 100).difference(shapely.box(40, 40, 60, 60)).difference(shapely.box(140, 10, 160, 30))],
        name="street_space",
    )
    grids = _layer(
        "Polygon",
        [shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
        "field=grid_code:string",
        [["G1"], ["G2"]],
        name="grids",
    )
    cams = _layer(
        "Point",
        [
            shapely.Point(10, 50),
            shapely.Point(190, 90),
            shapely.Point(100, 5),
            shapely.Point(120, 60),
            shapely.Point(30, 90),
        ],
        CAMERA_FIELDS,
        [
            ["44030000001320000001", "west", "天网", "online", 90, 90, 60, 5],
            ["44030000001320000002", "north-east", "雪亮", "online", 225, 60, 80, 5],
            ["44030000001320000003", "south", "天网", "online", 0, 120, 40, 5],
            ["44030000001320000004", "broken", "天网", "faulty", 0, 90, 40, 5],
            ["44030000001320000005", "dark", "天网", "offline", 180, 90, 40, 5],
        ],
        name="cameras",
    )
    communities = _layer(
        "Polygon", [shapely.box(0, 0, 100, 100)], "field=name:string", [["东社区"]], name="communities"
    )
    QgsProject.instance().addMapLayers([buildings, target, grids, cams, communities])
    return {"buildings": buildings, "target": target, "grids": grids, "cameras": cams, "communities": communities}


@pytest.fixture
def dock(qgis_iface, scene):
    d = CoverageDock(qgis_iface)
    d.cameras.setLayer(scene["cameras"])
    d.obstacles.setLayer(scene["buildings"])
    d.target.setLayer(scene["target"])
    d.grids.setLayer(scene["grids"])
    d.communities.setLayer(scene["communities"])
    yield d
    if d.tool is not None:
        qgis_iface.mapCanvas().unsetMapTool(d.tool)
    d.deleteLater()


def _wait(qgis_app, dock, key: str):
    """Process events until the dock has the result layer ``key``; fail at once if its task failed."""

    def done() -> bool:
        failed = (
            dock.last_task is not None
            and QgsApplication.taskManager().countActiveTasks() == 0
            and "failed" in dock.status.text()
        )
        return failed or (key in dock.result_layers and dock.run_button.isEnabled())

    wait_until(done, 300)
    if key in dock.result_layers and dock.run_button.isEnabled():
        return dock.result_layers[key]
    pytest.fail(f"no {key} result: {dock.status.text()}")


def _areas(table) -> list[float]:
    return [float(table.item(r, 0).text()) for r in range(table.rowCount())]


def test_dock_keeps_its_names_and_actions(dock):
    assert dock.objectName() == "GridGovCoverageDock"
    assert dock.findChild(QPushButton, "GridGovRunCoverageButton") is dock.run_button
    names = [a.objectName() for a in dock.actions()]
    assert names == ["GridGovCameraTool", "GridGovImportCameras"]
    assert dock.tool_action.isCheckable()
    assert dock.community.count() == 1 and dock.community.currentText() == "东社区"


def test_run_coverage_everything_fills_blind_spots_largest_first(qgis_app, dock, scene):
    dock.scope.setCurrentIndex(dock.scope.findData("all"))
    dock.run_button.click()
    blind = _wait(qgis_app, dock, "BLIND_SPOTS")
    assert "GRID_STATS" in dock.result_layers and "COVERAGE" in dock.result_layers
    areas = _areas(dock.blind_spots)
    assert len(areas) == blind.featureCount() >= 2
    assert areas == sorted(areas, reverse=True)
    assert areas[0] == pytest.approx(max(f["area_m2"] for f in blind.getFeatures()), abs=0.1)
    grids_in_table = {dock.blind_spots.item(r, 1).text() for r in range(dock.blind_spots.rowCount())}
    assert grids_in_table <= {"G1", "G2"} and grids_in_table
    # clicking a row selects that blind spot
    dock.blind_spots._zoom(0, 0)
    assert blind.selectedFeatureCount() == 1
    assert next(blind.getSelectedFeatures())["area_m2"] == pytest.approx(areas[0], abs=0.1)
    # per-grid ratios carry the field the choropleth classifies
    stats = dock.result_layers["GRID_STATS"]
    ratios = sorted(f["ratio"] for f in stats.getFeatures())
    assert len(ratios) == 2 and all(0.0 < r < 1.0 for r in ratios)
    assert stats.renderer().type() == "graduatedSymbol" and stats.renderer().classAttribute() == "ratio"
    # styles classify stored fields: a virtual field crashes QGIS 3.22's render thread now and then
    assert not any(
        stats.fields().fieldOrigin(i) == stats.fields().OriginExpression for i in range(stats.fields().count())
    )
    # offline and faulty cameras are listed, online ones are not
    listed = sorted(dock.down_cameras.item(r, 2).text() for r in range(dock.down_cameras.rowCount()))
    assert listed == ["Faulty", "Offline"]  # their labels (core/labels.py), not the stored codes
    # coverage + blind spots + buildings = the whole target
    covered = sum(f.geometry().area() for f in dock.result_layers["COVERAGE"].getFeatures())
    total = 200 * 100 - 2 * 400
    assert covered + sum(areas) == pytest.approx(total, rel=0.01)


def test_scope_community_and_view_clip_the_target(qgis_app, qgis_iface, dock, scene):
    dock.scope.setCurrentIndex(dock.scope.findData("community"))
    dock.run_button.click()
    blind = _wait(qgis_app, dock, "BLIND_SPOTS")
    xs = [f.geometry().boundingBox().xMaximum() - X0 for f in blind.getFeatures()]
    assert xs and max(xs) <= 100.01  # only the west half (the community) was analysed
    stats = dock.result_layers["GRID_STATS"]
    assert [f["grid"] for f in stats.getFeatures()] == ["G1"]

    dock.result_layers.clear()
    canvas = qgis_iface.mapCanvas()
    from qgis.core import QgsCoordinateReferenceSystem

    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(CRS))
    canvas.setExtent(QgsRectangle(X0 + 130, Y0 + 30, X0 + 270, Y0 + 70))  # the offscreen canvas is wide
    view = canvas.extent()
    dock.scope.setCurrentIndex(dock.scope.findData("view"))
    dock.run_button.click()
    blind = _wait(qgis_app, dock, "BLIND_SPOTS")
    assert all(f.geometry().boundingBox().xMinimum() >= view.xMinimum() - 0.01 for f in blind.getFeatures())
    total = sum(f["target_m2"] for f in dock.result_layers["GRID_STATS"].getFeatures())
    street = (
        shapely.box(0, 0, 200, 100).difference(shapely.box(40, 40, 60, 60)).difference(shapely.box(140, 10, 160, 30))
    )
    rect = shapely.box(view.xMinimum() - X0, view.yMinimum() - Y0, view.xMaximum() - X0, view.yMaximum() - Y0)
    expected = street.intersection(rect).area
    assert expected < 0.8 * street.area  # the view really cuts the target
    assert total == pytest.approx(expected, rel=0.02)


def test_selected_grid_scope_needs_a_selection(dock, scene):
    dock.scope.setCurrentIndex(dock.scope.findData("grid"))
    dock.run_button.click()
    assert "Select one or more grids" in dock.status.text()
    assert dock.last_task is None


def test_fields_of_view_button(qgis_app, dock, scene):
    dock.fov_button.click()
    fovs = _wait(qgis_app, dock, "FOV")
    assert fovs.featureCount() == 5
    west = next(f for f in fovs.getFeatures() if f["name"] == "west")
    assert west.geometry().area() == pytest.approx(math.pi * 60**2 / 4, rel=0.35)  # a building takes its share


def test_import_from_the_dock(qgis_app, dock, tmp_path):
    path = tmp_path / "devices.csv"
    path.write_text(
        "国标编码,名称,经度,纬度,状态\n44030000001320000001,甲,114.05,22.54,在线\n"
        "44030000001320000002,乙,,22.55,在线\n",
        encoding="utf-8",
    )
    layer, result, dialog = dock.import_cameras(str(path), show_report=False)
    assert layer.featureCount() == 1 and dock.cameras.currentLayer() is layer
    assert layer.id() in QgsProject.instance().mapLayers()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "3"
    dialog.show_info.setChecked(True)
    assert dialog.table.rowCount() > 1
    # one camera in, the row without a longitude skipped: the dock says both
    status = dock.status.text()
    assert status.startswith(f"1 cameras imported into {layer.name()}; 1 rows skipped. ")
    # no camera store in this project: the user is told the import went to a temporary layer
    assert "temporary layer" in status and layer.name() in status.split("skipped.", 1)[1]


def test_tool_toggle_sets_the_map_tool(qgis_iface, dock):
    dock.tool_action.setChecked(True)
    canvas = qgis_iface.mapCanvas()
    assert canvas.mapTool() is dock.tool and dock.tool.layer is dock.cameras.currentLayer()
    assert len(dock.tool.live.obstacles) == 2
    dock.tool_action.setChecked(False)
    assert canvas.mapTool() is not dock.tool


def test_dori_and_suggest_buttons(qgis_app, dock, scene):
    dock.dori_button.click()
    bands = _wait(qgis_app, dock, "DORI")
    assert bands.featureCount() >= 5 and bands.renderer().classAttribute() == "dori"
    assert {f["dori"] for f in bands.getFeatures()} == {"monitor"}  # no resolution field: one band per camera
    dock.count.setValue(2)
    dock.suggest_button.click()
    suggested = _wait(qgis_app, dock, "SUGGESTED")
    assert suggested.featureCount() == 2
    assert all(f["gain_m2"] > 0 for f in suggested.getFeatures())
    assert "2 cameras suggested" in dock.status.text()


def test_detail_level_and_planned_coverage_reach_the_algorithm(qgis_app, dock, scene):
    """Coverage at 'Identify' counts only ground where faces are identifiable; 'planned' counts every camera."""
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    cams = scene["cameras"]
    cams.dataProvider().addAttributes([QgsField("hres_px", QVariant.Int)])
    cams.updateFields()
    idx = cams.fields().indexOf("hres_px")
    cams.dataProvider().changeAttributeValues({f.id(): {idx: 1920} for f in cams.getFeatures()})

    def covered() -> float:
        dock.result_layers.pop("BLIND_SPOTS", None)
        dock.run_button.click()
        _wait(qgis_app, dock, "BLIND_SPOTS")
        return sum(f.geometry().area() for f in dock.result_layers["COVERAGE"].getFeatures())

    full = covered()
    assert dock.dori_level.objectName() == "GridGovDoriLevel" and dock.dori_level.count() == 5
    dock.dori_level.setCurrentIndex(4)  # Identify, 250 px/m: 1920 px over 90 degrees reach 3.8 m
    identify = covered()
    assert 0 < identify < 0.05 * full
    dock.dori_level.setCurrentIndex(0)
    dock.planned.setChecked(True)  # the faulty and the offline camera count too
    assert covered() > full + 100


def _wait_idle(qgis_app, dock, rounds: int = 6000) -> None:
    """Process events until the dock's last task has finished and its result is handled."""
    from qgis.core import QgsTask

    for _ in range(rounds):
        qgis_app.processEvents()
        task = dock.last_task
        try:
            status = task.status() if task is not None else QgsTask.Complete
        except RuntimeError:  # the task manager deleted it: finished
            status = QgsTask.Complete
        if status in (QgsTask.Complete, QgsTask.Terminated) and not dock.status.text().endswith("..."):
            qgis_app.processEvents()
            return
        QgsApplication.instance().thread().msleep(5)
    pytest.fail(f"the task did not finish: {dock.status.text()}")


def _named(name: str) -> list:
    return [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == name]


def test_fields_of_view_again_replace_the_previous_layer(qgis_app, dock, scene):
    from grid_governance_plugin.gui import results

    dock.fov_button.click()
    first_id = _wait(qgis_app, dock, "FOV").id()
    dock.result_layers.clear()
    dock.fov_button.click()
    second = _wait(qgis_app, dock, "FOV")
    fovs = results.results_of("fov")
    assert fovs == [second] and first_id not in QgsProject.instance().mapLayers()
    assert len(_named(second.name())) == 1
    assert "5" in dock.status.text()  # says how many it drew


def test_no_done_over_an_empty_field_of_view(qgis_app, dock, scene):
    """A camera deep inside a building sees nothing: nothing is added and the dock does not say done."""
    walled = _layer(
        "Point",
        [shapely.Point(50, 50)],
        CAMERA_FIELDS,
        [["44030000001320000009", "inside", "天网", "online", 0, 90, 5, 5]],
    )
    QgsProject.instance().addMapLayer(walled)
    dock.cameras.setLayer(walled)
    before = set(QgsProject.instance().mapLayers())
    dock.fov_button.click()
    _wait_idle(qgis_app, dock)
    assert "FOV" not in dock.result_layers
    assert set(QgsProject.instance().mapLayers()) == before  # no empty layer without extent
    text = dock.status.text()
    assert "done" not in text.lower() and "nothing was added" in text, text


def test_a_failed_run_says_why(qgis_app, dock):
    """The algorithm's own error reaches the dock, not just 'see the log'."""
    # a CRS in US feet: the engine works in metres and refuses it with a reason
    nowhere = QgsVectorLayer("Point?crs=EPSG:2263&field=device_id:string", "feet", "memory")
    f = QgsFeature(nowhere.fields())
    f.setGeometry(QgsGeometry.fromWkt("POINT(1 1)"))
    nowhere.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(nowhere)
    dock.cameras.setLayer(nowhere)
    dock.fov_button.click()
    _wait_idle(qgis_app, dock)
    text = dock.status.text()
    assert "failed" in text and "see the log" not in text and len(text) > len("Fields of view failed: "), text
