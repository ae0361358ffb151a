"""partition_area on a generated community and on the real Shanghai Bund street fabric."""

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.grids import partition_area, synth, validate_grids


def assert_clean_partition(area, res, buildings):
    # exact cover, no overlap, one piece each: the validator finds nothing
    problems = validate_grids(res.geoms, [""] * len(res.geoms), parents=[area], check_codes=False)
    assert problems == [], [(p.error_type, p.message) for p in problems]
    assert all(shapely.get_num_geometries(g) == 1 for g in res.geoms)
    assert abs(shapely.union_all(res.geoms).area - area.area) < 0.01
    # no building cut: every building lies in exactly one grid (beyond 0.01 m² of snap-rounding noise)
    grids = np.asarray(res.geoms, dtype=object)
    tree = shapely.STRtree(grids)
    bi, gi = tree.query(buildings, predicate="intersects")
    inner = shapely.area(shapely.intersection(buildings[bi], grids[gi])) > 0.01
    counts = np.bincount(bi[inner], minlength=len(buildings))
    inside = shapely.contains(area, shapely.point_on_surface(buildings))
    assert (counts[inside] == 1).all(), np.flatnonzero(counts[inside] != 1)


@pytest.fixture(scope="module")
def community():
    return synth.make_community()


def test_generated_community(community):
    c = community
    res = partition_area(c.geom, c.buildings, c.households, c.roads, target=400, tolerance=10)
    assert len(res.geoms) == round(c.households.sum() / 400)
    assert_clean_partition(c.geom, res, c.buildings)
    assert res.out_of_tolerance == [] and res.messages == []
    assert np.abs(res.deviation()).max() <= 10.0
    assert res.households.sum() == c.households.sum()


def test_road_crossing_buildings_are_not_cut(community):
    # the synthetic community has two buildings straddling road centrelines (last two)
    c = community
    res = partition_area(c.geom, c.buildings, c.households, c.roads, count=6, tolerance=10)
    assert len(res.geoms) == 6
    assert_clean_partition(c.geom, res, c.buildings)


def test_count_and_no_roads(community):
    c = community
    res = partition_area(c.geom, c.buildings, c.households, None, count=5, tolerance=10)
    assert len(res.geoms) == 5
    assert_clean_partition(c.geom, res, c.buildings)
    assert np.abs(res.deviation()).max() <= 10.0


def test_heavy_building_reported():
    c = synth.make_community(n_buildings=200, seed=3)
    hh = c.households.copy()
    hh[0] = 5000  # one tower with more households than a grid may hold
    res = partition_area(c.geom, c.buildings, hh, c.roads, target=400, tolerance=10)
    assert_clean_partition(c.geom, res, c.buildings)
    heavy = [g for g in range(len(res.geoms)) if res.geoms[g].intersects(shapely.point_on_surface(c.buildings[0]))]
    assert heavy[0] in res.out_of_tolerance
    assert any("5000" in m for m in res.messages)


def test_no_households_needs_count(community):
    c = community
    with pytest.raises(ValueError):
        partition_area(c.geom, c.buildings, np.zeros(len(c.buildings)), c.roads)
    res = partition_area(c.geom, c.buildings, np.zeros(len(c.buildings)), c.roads, count=4)
    assert len(res.geoms) == 4
    assert_clean_partition(c.geom, res, c.buildings)


@pytest.fixture(scope="module")
def shanghai(realdata):
    import geopandas as gpd

    path = realdata / "shanghai_bund" / "shanghai_bund_osm.gpkg"
    b = gpd.read_file(path, layer="buildings").to_crs(4549)
    r = gpd.read_file(path, layer="roads").to_crs(4549)
    roads = r[r.kind.isin(["major_road", "minor_road"])].geometry.values
    blds = b[b.kind == "building"]
    lines = shapely.union_all(roads)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    # a "community": the street blocks within 700 m of a point west of the Bund
    centre = shapely.Point(641677.5, 3457337.1)
    sel = (shapely.distance(shapely.centroid(faces), centre) < 700) & (shapely.area(faces) < 200000)
    area = max(shapely.get_parts(shapely.union_all(faces[sel])), key=lambda g: g.area)
    geoms = blds.geometry.values
    inside = shapely.contains(area, shapely.point_on_surface(geoms))
    geoms = geoms[inside]
    height = blds.height_m.fillna(15).values[inside]
    # households: floor area (height / 3 m floors) at 100 m² per household, 30 % residential
    hh = np.maximum(1, np.round(shapely.area(geoms) * np.maximum(1, height / 3) / 100 * 0.3)).astype(int)
    return area, geoms, hh, roads, lines


def test_shanghai_follows_roads(shanghai):
    area, geoms, hh, roads, lines = shanghai
    assert len(geoms) > 300
    res = partition_area(area, geoms, hh, roads, target=400, tolerance=15)
    assert_clean_partition(area, res, geoms)
    assert len(res.geoms) == round(hh.sum() / 400)
    assert res.out_of_tolerance == [], res.messages
    # boundaries between grids (not the community edge) run along roads for most of their length
    edge = area.boundary.buffer(0.5, quad_segs=2)
    internal = shapely.difference(shapely.union_all([g.boundary for g in res.geoms]), edge)
    near = shapely.intersection(lines, shapely.box(*area.bounds))
    on_roads = shapely.intersection(internal, near.buffer(1.0, quad_segs=2)).length
    assert on_roads / internal.length > 0.6, on_roads / internal.length


def test_community_in_two_pieces():
    c = synth.make_community(width=600, height=300, n_buildings=200, road_x=(300.0,), road_y=(), seed=4)
    x0, y0, x1, y1 = c.geom.bounds
    island = shapely.box(x1 + 50, y0, x1 + 250, y0 + 200)  # across a river: not connected
    rng = np.random.default_rng(1)
    extra = [
        shapely.box(x1 + 60 + 20 * i, y0 + 20 + 20 * j, x1 + 72 + 20 * i, y0 + 32 + 20 * j)
        for i in range(9)
        for j in range(9)
    ]
    area = shapely.MultiPolygon([c.geom, island])
    blds = np.concatenate([c.buildings, np.array(extra, dtype=object)])
    hh = np.concatenate([c.households, rng.integers(4, 40, len(extra))])
    res = partition_area(area, blds, hh, c.roads, target=500, tolerance=15)
    assert_clean_partition(area, res, blds)
    on_island = [g for g in res.geoms if g.intersects(island.buffer(-1))]
    assert on_island and all(g.within(island.buffer(0.01)) for g in on_island)
    assert res.messages == [] and res.out_of_tolerance == []
