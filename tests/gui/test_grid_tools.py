"""The grid editing operations behind the map tools, on memory layers in a metric CRS."""

from __future__ import annotations

import pytest
import shapely
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer

from grid_governance_plugin.gui import grid_tools
from grid_governance_plugin.gui.grid_tools import ToolError

X0, Y0 = 500000.0, 3450000.0
COMM = "310101001001"


def shp(geom: QgsGeometry):
    return shapely.from_wkb(bytes(geom.asWkb()))


def qgs(geom) -> QgsGeometry:
    g = QgsGeometry()
    g.fromWkb(shapely.to_wkb(geom))
    return g


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def grid_layer(boxes: list[tuple], codes: list[str] | None = None, comms: list[str] | None = None) -> QgsVectorLayer:
    layer = QgsVectorLayer(
        "MultiPolygon?crs=EPSG:4547&field=grid_code:string&field=community_code:string"
        "&field=worker_id:string&field=note:string",
        "grids",
        "memory",
    )
    feats = []
    for i, b in enumerate(boxes):
        f = QgsFeature(layer.fields())
        g = qgs(shapely.multipolygons([box(*b)]) if isinstance(b, tuple) else b)
        f.setGeometry(g)
        f.setAttributes(
            [
                (codes or [f"{COMM}{i + 1:03d}" for i in range(len(boxes))])[i],
                (comms or [COMM] * len(boxes))[i],
                f"W{i + 1}",
                None,
            ]
        )
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer


def building_layer(rows: list[tuple[tuple, int]]) -> QgsVectorLayer:
    layer = QgsVectorLayer(
        "MultiPolygon?crs=EPSG:4547&field=households:integer&field=population:integer", "buildings", "memory"
    )
    feats = []
    for b, hh in rows:
        f = QgsFeature(layer.fields())
        f.setGeometry(qgs(shapely.multipolygons([box(*b)])))
        f.setAttributes([hh, hh * 3])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def two_grids():
    """Grid 1 = [0,100]x[0,100] with a 3x3 block of buildings, grid 2 = [100,200]x[0,100] with 2 buildings."""
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100)])
    rows = []
    for i in range(3):
        for j in range(3):
            x, y = 10 + 30 * i, 10 + 30 * j
            rows.append(((x, y, x + 15, y + 15), 10 + i * 3 + j))
    rows += [((130, 20, 150, 40), 50), ((130, 60, 150, 80), 60)]
    return grids, building_layer(rows)


def fids(layer):
    return sorted(f.id() for f in layer.getFeatures())


def owner_households(grids, buildings):
    out = {}
    for g in grids.getFeatures():
        geom = shp(g.geometry())
        out[g["grid_code"]] = sum(
            b["households"]
            for b in buildings.getFeatures()
            if geom.intersects(shapely.point_on_surface(shp(b.geometry())))
        )
    return out


@pytest.fixture
def layers(qgis_app):
    grids, blds = two_grids()
    QgsProject.instance().addMapLayers([grids, blds])
    grids.startEditing()
    yield grids, blds
    grids.rollBack()
    QgsProject.instance().removeMapLayers([grids.id(), blds.id()])


def test_split_makes_two_grids_and_undo_restores_one(layers):
    grids, _ = layers
    line = QgsGeometry.fromPolylineXY([QgsPointXY(X0 - 5, Y0 + 50), QgsPointXY(X0 + 105, Y0 + 50)])
    # the line crosses grid 2's corner region only outside; split grid 1
    new = grid_tools.split_grid(grids, 1, line)
    assert len(new) == 1 and grids.featureCount() == 3
    a, b = shp(grids.getFeature(1).geometry()), shp(grids.getFeature(new[0]).geometry())
    assert abs(a.area - 5000) < 1e-6 and abs(b.area - 5000) < 1e-6 and a.intersection(b).area < 1e-6
    nf = grids.getFeature(new[0])
    assert nf["grid_code"] == f"{COMM}003" and nf["note"] == grid_tools.RENUMBER and nf["worker_id"] == "W1"
    assert grids.getFeature(1)["grid_code"] == f"{COMM}001"
    grids.undoStack().undo()
    assert fids(grids) == [1, 2] and abs(shp(grids.getFeature(1).geometry()).area - 10000) < 1e-6
    grids.undoStack().redo()
    assert grids.featureCount() == 3


def test_split_refuses_a_line_that_does_not_cross(layers):
    grids, _ = layers
    line = QgsGeometry.fromPolylineXY([QgsPointXY(X0 + 10, Y0 + 50), QgsPointXY(X0 + 60, Y0 + 50)])
    with pytest.raises(ToolError):
        grid_tools.split_grid(grids, 1, line)
    assert grids.featureCount() == 2 and grids.undoStack().count() == 0


def test_paint_moves_buildings_cell_and_households_follow(layers):
    grids, blds = layers
    before = owner_households(grids, blds)
    assert before == {f"{COMM}001": sum(range(10, 19)), f"{COMM}002": 110}
    # the building at x 70..85, y 40..55 (households 10 + 2*3 + 1 = 17) borders grid 2's side
    moved_fid = next(f.id() for f in blds.getFeatures() if f["households"] == 17)
    src = grid_tools.paint_buildings(grids, blds, [moved_fid], 2)
    assert src == 1
    after = owner_households(grids, blds)
    assert after == {f"{COMM}001": before[f"{COMM}001"] - 17, f"{COMM}002": 127}
    g1, g2 = shp(grids.getFeature(1).geometry()), shp(grids.getFeature(2).geometry())
    for g in (g1, g2):
        assert g.is_valid and len(g.geoms) == 1  # one piece each
    assert g1.intersection(g2).area < 1e-6
    assert abs(g1.area + g2.area - 20000) < 1e-3  # no gap: the ground changed owner
    # no building is cut by the new boundary
    for b in blds.getFeatures():
        bg = shp(b.geometry())
        assert bg.intersection(g1).area < 1e-6 or bg.intersection(g2).area < 1e-6
    grids.undoStack().undo()
    assert owner_households(grids, blds) == before


def test_paint_refuses_when_the_source_would_fall_apart(layers):
    grids, blds = layers
    # the middle column of grid 1 (x 40..55) cuts grid 1 in two if all three move ... to a non-neighbour:
    # moving the middle building alone leaves a hole-free but the target does not touch it
    middle = next(f.id() for f in blds.getFeatures() if f["households"] == 14)  # i=1, j=1
    with pytest.raises(ToolError):
        grid_tools.paint_buildings(grids, blds, [middle], 2)
    # the middle column moved to grid 2 together with the east column would still split grid 1? no:
    # moving the whole middle and east column leaves the west column: fine. Moving the middle column
    # only makes grid 2 non-contiguous: refused.
    column = [f.id() for f in blds.getFeatures() if f["households"] in (13, 14, 15)]
    with pytest.raises(ToolError):
        grid_tools.paint_buildings(grids, blds, column, 2)
    assert grids.undoStack().count() == 0


def test_merge_and_contiguity_refusal(qgis_app):
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100), (300, 0, 400, 100)])
    grids.startEditing()
    with pytest.raises(ToolError):
        grid_tools.merge_grids(grids, [1, 3])  # not touching
    keep = grid_tools.merge_grids(grids, [1, 2])
    assert grids.featureCount() == 2
    merged = shp(grids.getFeature(keep).geometry())
    assert len(merged.geoms) == 1 and abs(merged.area - 20000) < 1e-6
    grids.undoStack().undo()
    assert grids.featureCount() == 3
    grids.rollBack()


def test_merge_refuses_two_communities(qgis_app):
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100)], comms=[COMM, "310101001002"])
    grids.startEditing()
    with pytest.raises(ToolError):
        grid_tools.merge_grids(grids, [1, 2])
    grids.rollBack()


def test_move_shared_boundary_moves_both_neighbours(qgis_app):
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100)])
    grids.startEditing()
    # move the shared segment (100,0)-(100,100) 20 m west
    changed = grid_tools.move_boundary(grids, [QgsPointXY(X0 + 100, Y0), QgsPointXY(X0 + 100, Y0 + 100)], -20, 0, 1e-6)
    assert changed == [1, 2]
    a, b = shp(grids.getFeature(1).geometry()), shp(grids.getFeature(2).geometry())
    assert abs(a.area - 8000) < 1e-6 and abs(b.area - 12000) < 1e-6 and a.intersection(b).area < 1e-9
    # moving a vertex so far that a grid turns inside out is refused
    with pytest.raises(ToolError):
        grid_tools.move_boundary(grids, [QgsPointXY(X0 + 80, Y0 + 100)], 150, 0, 1e-6)
    grids.undoStack().undo()
    assert abs(shp(grids.getFeature(1).geometry()).area - 10000) < 1e-6
    grids.rollBack()


def test_paint_refuses_cutting_the_source_in_two(qgis_app):
    # grid 3 lies north of grid 1: taking grid 1's middle column (bottom to top) into it would cut grid 1 in two
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100), (0, 100, 100, 200)])
    _, blds = two_grids()
    grids.startEditing()
    column = [f.id() for f in blds.getFeatures() if f["households"] in (13, 14, 15)]
    with pytest.raises(ToolError, match="pieces"):
        grid_tools.paint_buildings(grids, blds, column, 3)
    # the top row of grid 1 can go north
    top = [f.id() for f in blds.getFeatures() if f["households"] in (12, 15, 18)]
    assert grid_tools.paint_buildings(grids, blds, top, 3) == 1
    assert len(shp(grids.getFeature(3).geometry()).geoms) == 1
    grids.rollBack()


def test_split_with_topological_editing_adds_the_vertex_to_the_neighbour(layers):
    grids, _ = layers
    project = QgsProject.instance()
    before = project.topologicalEditing()
    project.setTopologicalEditing(True)
    try:
        line = QgsGeometry.fromPolylineXY([QgsPointXY(X0 - 5, Y0 + 50), QgsPointXY(X0 + 105, Y0 + 50)])
        grid_tools.split_grid(grids, 1, line)
        coords = shapely.get_coordinates(shp(grids.getFeature(2).geometry()))
        assert any(abs(x - (X0 + 100)) < 1e-6 and abs(y - (Y0 + 50)) < 1e-6 for x, y in coords)
        grids.undoStack().undo()  # one command: the neighbour's new vertex goes too
        coords = shapely.get_coordinates(shp(grids.getFeature(2).geometry()))
        assert not any(abs(y - (Y0 + 50)) < 1e-6 for _x, y in coords)
    finally:
        project.setTopologicalEditing(before)
