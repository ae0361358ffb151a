"""The live balance panel follows edits (through the layer's signals) and agrees with gridgov:gridstats."""

from __future__ import annotations

import math

import pytest
import shapely
from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer

from grid_governance_plugin.core.grids import synth
from grid_governance_plugin.gui import grid_tools
from grid_governance_plugin.gui.balance_adapter import run_gridstats
from grid_governance_plugin.gui.balance_panel import BalancePanel
from tests.helpers import wait_until

CRS = "EPSG:4547"


@pytest.fixture(scope="module")
def provider(qgis_app, qgis_processing):
    """gridgov's provider for this module only (the plugin tests register their own)."""
    from grid_governance_plugin.processing.provider import GridGovProvider

    registry = QgsApplication.processingRegistry()
    added = None
    if registry.providerById("gridgov") is None:
        added = GridGovProvider()
        registry.addProvider(added)
    assert registry.algorithmById("gridgov:gridstats") is not None
    yield registry.providerById("gridgov")
    if added is not None:
        registry.removeProvider(added)


def memory(kind: str, fields: str, rows: list[tuple], name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs={CRS}&{fields}", name, "memory")
    feats = []
    for geom, attrs in rows:
        f = QgsFeature(layer.fields())
        g = QgsGeometry()
        g.fromWkb(shapely.to_wkb(geom))
        f.setGeometry(g)
        f.setAttributes(list(attrs))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer


def city_layers():
    city = synth.make_city(communities_x=2, communities_y=1, grid_cols=3, grid_rows=2, buildings_per_grid=9)
    grids = memory(
        "MultiPolygon",
        "field=grid_code:string&field=community_code:string&field=worker_id:string&field=note:string",
        [
            (shapely.multipolygons([g]), (c, city.community_codes[k], None, None))
            for g, c, k in zip(city.grid_geoms, city.grid_codes, city.grid_community)
        ],
        "grids",
    )
    blds = memory(
        "MultiPolygon",
        "field=households:integer&field=population:integer",
        [
            (shapely.multipolygons([b]), (int(h), int(p)))
            for b, h, p in zip(city.building_geoms, city.households, city.population)
        ],
        "buildings",
    )
    # events: a couple per grid at building centres
    pts = shapely.centroid(city.building_geoms[::4])
    events = memory("Point", "field=kind:string", [(p, ("x",)) for p in pts], "events")
    return city, grids, blds, events


def assert_panel_matches_gridstats(panel, grids, blds, events, fids):
    stats = run_gridstats(grids, blds, events)
    assert fids
    for fid in fids:
        code = grids.getFeature(fid)["grid_code"]
        mine, ref = panel.figures[fid], stats[code]
        for k in ("households", "population", "buildings", "events"):
            assert mine[k] == ref[k], (code, k, mine[k], ref[k])
        assert math.isclose(round(mine["deviation"], 2), ref["deviation"], abs_tol=0.011), (code, mine, ref)
        assert math.isclose(mine["area"], ref["area"], abs_tol=0.01)


def _refreshed(panel):
    """A function that waits for the panel's next (debounced) refresh."""
    count = [0]
    panel.refreshed.connect(lambda: count.__setitem__(0, count[0] + 1))

    def wait() -> None:
        seen = count[0]
        assert wait_until(lambda: count[0] > seen), "the panel did not refresh"

    return wait


def test_panel_follows_split_and_paint(provider, qgis_new_project):
    city, grids, blds, events = city_layers()
    QgsProject.instance().addMapLayers([grids, blds, events])
    panel = BalancePanel(lambda: grids, lambda: blds, lambda: events)
    assert panel.start()
    refreshed = _refreshed(panel)
    grids.startEditing()
    gl, gb, gr, gt = city.grid_geoms[0].bounds
    # split grid 1 at x = +110 m (through a building, off its point on surface: a point exactly on a new
    # boundary goes to the lowest index, which depends on feature order); signals reach the panel debounced
    line = QgsGeometry.fromPolylineXY([QgsPointXY(gl + 110, gt + 5), QgsPointXY(gl + 110, gb - 5)])
    new = grid_tools.split_grid(grids, 1, line)
    refreshed()
    assert {1, *new} <= set(panel.figures), panel.figures.keys()
    assert panel.table.rowCount() >= 6  # the changed grids and the rest of their community
    assert_panel_matches_gridstats(panel, grids, blds, events, [1, *new, 2, 3])
    # paint: the south-west building of grid 2 (east of grid 1) moves into the part of grid 1 touching it
    g2 = shapely.from_wkb(bytes(grids.getFeature(2).geometry().asWkb()))
    target = next(
        f
        for f in (1, *new)
        if shapely.from_wkb(bytes(grids.getFeature(f).geometry().asWkb())).intersection(g2).length > 1
    )
    west = sorted(
        (
            f
            for f in blds.getFeatures()
            if g2.contains(shapely.point_on_surface(shapely.from_wkb(bytes(f.geometry().asWkb()))))
        ),
        key=lambda f: (f.geometry().boundingBox().xMinimum(), f.geometry().boundingBox().yMinimum()),
    )[0]
    before = panel.figures[target]["households"]
    assert grid_tools.paint_buildings(grids, blds, [west.id()], target) == 2
    refreshed()
    assert panel.figures[target]["households"] == before + west["households"]
    assert_panel_matches_gridstats(panel, grids, blds, events, [1, *new, 2, 3])
    # undo goes through the same signals
    grids.undoStack().undo()
    refreshed()
    assert panel.figures[target]["households"] == before
    assert_panel_matches_gridstats(panel, grids, blds, events, [1, *new, 2])
    grids.rollBack()
    panel.stop()


def test_panel_colours_broken_and_unbalanced_grids(provider, qgis_new_project):
    city, grids, blds, events = city_layers()
    QgsProject.instance().addMapLayers([grids, blds, events])
    panel = BalancePanel(lambda: grids, lambda: blds, lambda: events)
    assert panel.start()
    refreshed = _refreshed(panel)
    grids.startEditing()
    # make grid 1 two pieces by hand (a QGIS edit outside our tools): the panel flags it
    g1 = shapely.from_wkb(bytes(grids.getFeature(1).geometry().asWkb()))
    x0, y0, x1, y1 = g1.bounds
    two = shapely.MultiPolygon([shapely.box(x0, y0, x0 + 50, y1), shapely.box(x0 + 150, y0, x1, y1)])
    qg = QgsGeometry()
    qg.fromWkb(shapely.to_wkb(two))
    grids.beginEditCommand("hand edit")
    grids.changeGeometry(1, qg)
    grids.endEditCommand()
    refreshed()
    assert not panel.figures[1]["contiguous"]
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == city.grid_codes[0])
    from grid_governance_plugin.gui.balance_panel import NOT_CONTIGUOUS, OUT_OF_TOLERANCE

    assert panel.table.item(row, 1).background().color() == NOT_CONTIGUOUS
    assert abs(panel.figures[1]["deviation"]) > 20  # half its buildings gone
    others = [r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() != city.grid_codes[0]]
    coloured = [r for r in others if panel.table.item(r, 1).background().color() == OUT_OF_TOLERANCE]
    devs = [abs(panel.figures[panel.table.item(r, 0).data(0x0100)]["deviation"]) for r in coloured]
    assert all(d > 20 for d in devs)
    grids.rollBack()
    panel.stop()


def test_adapter_rebuilds_when_the_engine_cannot_grow(provider, qgis_new_project, monkeypatch):
    """A split adds a grid; if the index cannot grow in place (engine internals moved) it is rebuilt."""
    from grid_governance_plugin.gui.balance_adapter import LiveBalance

    city, grids, blds, events = city_layers()
    live = LiveBalance(grids, blds, events)
    grids.startEditing()
    gl, gb, gr, gt = city.grid_geoms[0].bounds
    new = grid_tools.split_grid(
        grids, 1, QgsGeometry.fromPolylineXY([QgsPointXY(gl + 110, gt + 5), QgsPointXY(gl + 110, gb - 5)])
    )
    monkeypatch.setattr(LiveBalance, "_add_slot", lambda *a: (_ for _ in ()).throw(AttributeError("moved")))
    figs = live.update([1, *new])
    stats = run_gridstats(grids, blds, events)
    for fid in (1, *new):
        assert figs[fid]["households"] == stats[grids.getFeature(fid)["grid_code"]]["households"]
    grids.rollBack()


def test_removing_the_grid_layer_stops_the_panel(provider, qgis_new_project, monkeypatch):
    """An edit's refresh still pending when the layer goes (removed, or a new project): the panel
    stops instead of reading the deleted layer (which raised in the real desktop)."""
    import sys

    raised = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: raised.append(exc))
    city, grids, blds, events = city_layers()
    QgsProject.instance().addMapLayers([grids, blds, events])
    panel = BalancePanel(lambda: grids, lambda: blds, lambda: events)
    assert panel.start() and panel.start_button.isChecked()
    grids.startEditing()
    gl, gb, gr, gt = city.grid_geoms[0].bounds
    line = QgsGeometry.fromPolylineXY([QgsPointXY(gl + 110, gt + 5), QgsPointXY(gl + 110, gb - 5)])
    grid_tools.split_grid(grids, 1, line)
    assert panel.pending and panel.timer.isActive()  # the debounced refresh is due
    QgsProject.instance().removeMapLayer(grids.id())
    assert panel.live is None and not panel.timer.isActive() and not panel.start_button.isChecked()
    wait_until(lambda: False, 0.3)  # past the debounce: nothing fires
    assert raised == []
