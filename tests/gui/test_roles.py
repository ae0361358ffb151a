"""A map each role can read (issue #9, item 8): role views, their order, their map themes."""

from __future__ import annotations

import pytest
from qgis.core import QgsFeatureRequest, QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtWidgets import QWidget

from grid_governance_plugin.gui import results, roles, styles


@pytest.fixture(scope="module")
def city(qgis_app, tmp_path_factory):
    from grid_governance_plugin.core import democity
    from grid_governance_plugin.core.store import gpkg

    path = tmp_path_factory.mktemp("roles") / "city.gpkg"
    gpkg.write_city(democity.generate(seed=42, scale="demo"), path)
    return path


def _store(city, table: str, name: str, kind: str | None = None, subset: str = "") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{city}|layername={table}", name, "ogr")
    assert layer.isValid()
    layer.setSubsetString(subset)
    styles.apply(layer, kind or table)
    if kind == "heatmap":
        layer.setCustomProperty(roles.KIND_PROPERTY, "heatmap")
    return layer


def _result(source: QgsVectorLayer, kind: str) -> QgsVectorLayer:
    layer = source.materialize(QgsFeatureRequest().setLimit(20))
    layer.setName(results.title(kind))
    styles.apply(layer, results.style(kind))
    assert results.add_result(layer, kind, results.group(kind))
    return layer


@pytest.fixture
def demo_like(qgis_new_project, city):
    """The demo project's shape: groups of store layers and results of every role, all switched on."""
    project = QgsProject.instance()
    root = project.layerTreeRoot()
    spec = [
        (
            "Events",
            [
                ("event", "Open cases", "event", "\"status\" NOT IN ('closed', 'void')"),
                ("event", "Heat", "heatmap", ""),
            ],
        ),
        ("Coverage", [("camera", "Cameras", None, "")]),
        ("Grid planning", [("grid", "Grids", None, "")]),
        ("Areas", [("community", "Communities", None, ""), ("street", "Streets", None, "")]),
        ("Base", [("building", "Buildings", None, ""), ("road", "Roads", None, "")]),
    ]
    for gname, layers in spec:
        group = root.addGroup(gname)
        for table, name, kind, subset in layers:
            layer = _store(city, table, name, kind, subset)
            project.addMapLayer(layer, False)
            group.addLayer(layer)
    grid = next(lyr for lyr in project.mapLayers().values() if styles.table_name(lyr) == "grid")
    for kind in ("blind_spots", "coverage", "grid_coverage", "grid_stats", "hotspots", "fov"):
        _result(grid, kind)
    for node in root.findLayers():
        node.setItemVisibilityChecked(True)
    return project


def _visible(project) -> list:
    return [n.layer() for n in project.layerTreeRoot().findLayers() if n.isVisible()]


@pytest.mark.parametrize("role", list(roles.ROLE_VIEWS))
def test_each_role_sees_its_layers_on_top_and_nothing_else(demo_like, role):
    visible_ids = roles.apply_view(role)
    visible = _visible(demo_like)
    assert [lyr.id() for lyr in visible] == visible_ids and visible
    kinds = [roles.layer_kind(lyr) for lyr in visible]
    allowed = roles.ROLE_VIEWS[role]
    assert set(kinds) <= set(allowed), kinds
    # in the role's order, top first (the layer tree's order is the drawing order)
    assert kinds == sorted(kinds, key=allowed.index), kinds
    assert not demo_like.layerTreeRoot().hasCustomLayerOrder()
    # never red on red, never an empty layer
    assert not ({"heatmap", "blind_spots"} <= set(kinds))
    assert all(not results.is_empty(lyr) for lyr in visible)
    # kept as a map theme of the same layers
    theme = demo_like.mapThemeCollection().mapThemeVisibleLayerIds(roles.tr(roles.THEMES[role]))
    assert set(theme) == set(visible_ids)


def test_role_views_put_the_jobs_layers_first(demo_like):
    def first(role):
        roles.apply_view(role)
        return roles.layer_kind(_visible(demo_like)[0])

    assert first("planner") == "grid"
    assert first("analyst") == "camera"
    assert first("supervisor") == "open_cases"
    roles.apply_view("planner")
    assert "grid_stats" in [roles.layer_kind(lyr) for lyr in _visible(demo_like)]  # the workload map
    roles.apply_view("analyst")
    assert {"blind_spots", "coverage"} <= {roles.layer_kind(lyr) for lyr in _visible(demo_like)}
    roles.apply_view("supervisor")
    assert "heatmap" in {roles.layer_kind(lyr) for lyr in _visible(demo_like)}


def test_a_result_computed_again_replaces_the_old_one(demo_like):
    grid = next(lyr for lyr in demo_like.mapLayers().values() if styles.table_name(lyr) == "grid")
    before = results.results_of("grid_stats")
    node = demo_like.layerTreeRoot().findLayer(before[0].id())
    parent, index = node.parent(), node.parent().children().index(node)
    new = _result(grid, "grid_stats")
    assert results.results_of("grid_stats") == [new]
    moved = demo_like.layerTreeRoot().findLayer(new.id())
    assert moved.parent() is parent and parent.children().index(moved) == index  # same place
    names = [lyr.name() for lyr in demo_like.mapLayers().values()]
    assert len(names) == len(set(names)), names


def test_an_empty_result_is_not_added(demo_like):
    grid = next(lyr for lyr in demo_like.mapLayers().values() if styles.table_name(lyr) == "grid")
    empty = grid.materialize(QgsFeatureRequest().setFilterExpression("FALSE"))
    n = len(demo_like.mapLayers())
    assert not results.add_result(empty, "grid_problems", results.group("grid_problems"))
    assert len(demo_like.mapLayers()) == n


def test_the_role_box_applies_and_remembers(qgis_iface, demo_like):
    docks = {key: QWidget() for key in ("grids", "coverage", "events")}
    switcher = roles.RoleSwitcher(qgis_iface, docks)
    try:
        switcher.combo.setCurrentIndex(switcher.combo.findData("supervisor"))
        assert QgsSettings().value(roles.SETTINGS_KEY) == "supervisor"
        assert roles.layer_kind(_visible(demo_like)[0]) == "open_cases"
        assert not docks["events"].isHidden()  # its dock opens
        assert switcher.role_actions["supervisor"].isChecked()
        switcher.role_actions["planner"].trigger()
        assert switcher.combo.currentData() == "planner"
        assert roles.layer_kind(_visible(demo_like)[0]) == "grid"
    finally:
        QgsSettings().remove(roles.SETTINGS_KEY)
        switcher.unload()


def test_a_result_computed_in_a_view_takes_its_place_in_the_drawing_order(demo_like):
    roles.apply_view("analyst")
    grid = next(lyr for lyr in demo_like.mapLayers().values() if styles.table_name(lyr) == "grid")
    dori = _result(grid, "dori")  # what the analyst asked for: shown, under the cameras, over the coverage
    order = [roles.layer_kind(n.layer()) for n in demo_like.layerTreeRoot().findLayers()]
    assert order.index("camera") < order.index("dori") < order.index("coverage")
    assert demo_like.layerTreeRoot().findLayer(dori.id()).isVisible()
