"""Issue 9 item 10 and issue 12: camera suggestions in the chosen community, weighted by the last
12 months of events there, as a ranked list with directions, with progress and cancel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import shapely
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, Qt

from grid_governance_plugin.core.compass import compass_word, describe, parse_compass
from grid_governance_plugin.gui.coverage_dock import CoverageDock
from tests.helpers import memory_layer
from tests.workflows.conftest import wait_for

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 2_500_000.0
UTC = dt.timezone.utc


def _layer(kind, geoms, fields="", attrs=None, name=""):
    return memory_layer(kind, geoms, CRS, fields, attrs, name, offset=(X0, Y0))


def _blocks(x0, x1):
    return [shapely.box(x, y, x + 30, y + 50) for x in range(x0, x1, 40) for y in (10, 80, 170, 240)]


@pytest.fixture
def scene(qgis_new_project, provider):
    """Two communities either side of a north-south road (x = 100); an east-west road at y = 150."""
    buildings = _layer("Polygon", _blocks(5, 85) + _blocks(115, 195), name="buildings")
    roads = shapely.union_all([shapely.box(85, 0, 115, 300), shapely.box(0, 135, 200, 165)])
    target = _layer("Polygon", [roads], name="street_space")
    communities = _layer(
        "Polygon",
        [shapely.box(0, 0, 100, 300), shapely.box(100, 0, 200, 300)],
        "field=name:string&field=code:string",
        [["西社区", "310101001001"], ["东社区", "310101001002"]],
        name="communities",
    )
    events = QgsVectorLayer(
        f"Point?crs={CRS}&field=reported_at:datetime&field=category_code:string", "events", "memory"
    )
    now = dt.datetime.now(UTC)
    feats = []
    # recent cases: 6 in the west community near (60, 150), 9 in the east one; and 4 old ones in the west
    for x, y, days in (
        [(60 + i, 150, 10 + i) for i in range(6)]
        + [(150 + i, 150, 5) for i in range(9)]
        + [(20 + i, 150, 500) for i in range(4)]
    ):
        f = QgsFeature(events.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0 + x, Y0 + y)))
        f["reported_at"] = QDateTime.fromSecsSinceEpoch(int((now - dt.timedelta(days=days)).timestamp()), Qt.UTC)
        f["category_code"] = "SJ0102"
        feats.append(f)
    events.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayers([buildings, target, communities, events])
    return {"buildings": buildings, "target": target, "communities": communities, "events": events}


@pytest.fixture
def dock(qgis_iface, scene):
    d = CoverageDock(qgis_iface)
    d.cameras.setLayer(None)
    d.obstacles.setLayer(scene["buildings"])
    d.target.setLayer(scene["target"])
    d.grids.setLayer(None)
    d.communities.setLayer(scene["communities"])
    d.events.setLayer(scene["events"])
    yield d
    d.deleteLater()


def _suggest(dock, community: str, count: int):
    dock.scope.setCurrentIndex(dock.scope.findData("community"))
    dock.community.setCurrentIndex(dock.community.findText(community))
    dock.count.setValue(count)
    dock.result_layers.pop("SUGGESTED", None)
    dock.suggest_button.click()
    assert not dock.progress.isHidden() and dock.progress.task is not None  # progress with Cancel
    wait_for(lambda: dock.suggest_button.isEnabled() and not dock.progress.running())


def test_suggestions_stay_in_the_chosen_community_ranked_with_directions(dock, scene):
    _suggest(dock, "西社区", 4)
    layer = dock.result_layers["SUGGESTED"]
    assert layer.featureCount() == 4
    # every suggested camera stands inside the west community (x <= 100), none across the road
    xs = [f.geometry().asPoint().x() - X0 for f in layer.getFeatures()]
    assert all(x <= 100.0 for x in xs), xs
    # the ranked list a planner reads: rank 1..4, direction as a word and degrees, gains decreasing
    table = dock.suggestions
    assert table.rowCount() == 4
    assert [table.item(r, 0).text() for r in range(4)] == ["1", "2", "3", "4"]
    for r in range(4):
        assert re.fullmatch(r"(north|south|east|west)(-(east|west))? \(\d+°\)|all round", table.item(r, 1).text())
    gains = [float(table.item(r, 2).text()) for r in range(4)]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert table.item(3, 3).text().endswith("%")
    # a click on a row zooms to that camera
    table._zoom(0, 0)
    assert layer.selectedFeatureCount() == 1
    # weighted by default with this community's cases of the last 12 months: 6 (not the 4 old, not the east's)
    assert "weighted by the events of the last 12 months (6 events in the area)" in dock.status.text()


def test_weighting_can_be_switched_off(dock, scene):
    dock.weight_events.setChecked(False)
    assert not dock.events.isEnabled() and dock.events.toolTip()
    _suggest(dock, "东社区", 2)
    assert "not weighted" in dock.status.text()
    xs = [f.geometry().asPoint().x() - X0 for f in dock.result_layers["SUGGESTED"].getFeatures()]
    assert xs and all(x >= 100.0 for x in xs)


def test_weights_pull_the_first_camera_to_where_cases_happen(dock, scene):
    _suggest(dock, "西社区", 1)
    first = next(dock.result_layers["SUGGESTED"].getFeatures()).geometry().asPoint()
    assert abs(first.y() - (Y0 + 150)) < 60  # it watches the east-west road where the cases are


def test_cancel_stops_the_suggestion(dock, scene):
    dock.scope.setCurrentIndex(dock.scope.findData("all"))
    dock.count.setValue(200)
    dock.suggest_button.click()
    assert not dock.suggest_button.isEnabled() and "Looking" in dock.suggest_button.toolTip()
    dock.progress.cancel_button.click()
    wait_for(lambda: dock.suggest_button.isEnabled())
    assert "cancelled" in dock.status.text() and "SUGGESTED" not in dock.result_layers


def test_the_dock_reads_right_in_chinese(qgis_iface, scene, zh):
    d = CoverageDock(qgis_iface)
    try:
        from qgis.PyQt.QtWidgets import QFormLayout

        labels = []
        for form in d.findChildren(QFormLayout):
            for r in range(form.rowCount()):
                item = form.itemAt(r, QFormLayout.LabelRole)
                if item is not None and item.widget() is not None:
                    labels.append(item.widget().text())
        assert labels.count("社区") == 0 and "社区图层" in labels and "选择社区" in labels
        # jargon explains itself on hover
        full = d.dori_level.itemData(0, Qt.ToolTipRole)
        assert d.dori_level.itemText(0) == "完整监视距离" and "视距" in full
        assert "DORI" in d.dori_button.toolTip() and "识别" in d.dori_button.toolTip()
        assert d.weight_events.isChecked() and "12" in d.weight_events.text()
        assert describe(45) == "东北 (45°)" and compass_word(225) == "西南"
    finally:
        d.deleteLater()


def test_compass_words():
    assert [parse_compass(w) for w in ("东北", "西南", "正北", "朝东", "东南方向", "北偏东30°", "西偏南15度")] == [
        45.0,
        225.0,
        0.0,
        90.0,
        135.0,
        30.0,
        255.0,
    ]
    assert parse_compass("北边那个") is None and parse_compass("90") is None
