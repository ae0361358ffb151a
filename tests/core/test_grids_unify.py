"""unify_grids: three departments that disagree by a few metres become one valid grid."""

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString

from grid_governance_plugin.core.grids import synth, unify_grids, validate_grids
from grid_governance_plugin.core.grids.unify import DeptLayer

X0, Y0 = synth.ORIGIN
COMM = shapely.box(X0, Y0, X0 + 800, Y0 + 600)


def tiling(xs, ys, prefix):
    geoms, codes = [], []
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            geoms.append(shapely.box(X0 + xs[i], Y0 + ys[j], X0 + xs[i + 1], Y0 + ys[j + 1]))
            codes.append(f"{prefix}{i}{j}")
    return DeptLayer(prefix, geoms, codes)


@pytest.fixture
def departments():
    zongzhi = tiling([0, 200, 400, 600, 800], [0, 300, 600], "ZZ")
    chengguan = tiling([0, 203, 398, 604, 800], [0, 297, 600], "CG")
    # the third also drew its outer edge 2 m short on the east: a gap the others cover
    dangjian = tiling([0, 198, 401, 597, 798], [0, 302, 600], "DJ")
    return [zongzhi, chengguan, dangjian]


def test_three_departments_become_one_valid_grid(departments):
    res = unify_grids(departments, tolerance=10, communities=[COMM], community_codes=["310101001001"])
    assert len(res.geoms) == 8
    assert validate_grids(res.geoms, [""] * 8, parents=[COMM], check_codes=False) == []
    assert all(shapely.get_num_geometries(g) == 1 for g in res.geoms)
    assert set(res.community) == {"310101001001"}
    assert res.slivers and all(s.area > 0 for s in res.slivers)
    assert all(shapely.buffer(s.geom, -5).is_empty for s in res.slivers)  # slivers are narrower than 10 m
    # each unified grid takes over mostly one grid of each department
    for i in range(8):
        for dept in ("ZZ", "CG", "DJ"):
            main = max((t for t in res.sources(i) if t.department == dept), key=lambda t: t.share_of_unified)
            assert main.share_of_unified > 95
    # shares of each departmental grid add up to its area inside the community
    for dept in departments:
        for code, g in zip(dept.codes, dept.geoms):
            total = sum(t.share_of_dept for t in res.takeovers if t.dept_code == code)
            assert total == pytest.approx(100 * g.intersection(COMM).area / g.area)


def test_reference_lines_snap_boundaries(departments):
    refs = [
        LineString([(X0 + 200, Y0 - 10), (X0 + 200, Y0 + 610)]),
        LineString([(X0 - 10, Y0 + 300), (X0 + 810, Y0 + 300)]),
    ]
    res = unify_grids(departments, tolerance=10, reference=refs, communities=[COMM])
    assert validate_grids(res.geoms, [""] * len(res.geoms), parents=[COMM], check_codes=False) == []
    internal = shapely.difference(shapely.union_all([g.boundary for g in res.geoms]), COMM.boundary.buffer(0.01))
    # along the two references, boundaries lie on them (no departmental line at 198/203 or 297/302 survives)
    for x in (198, 203):
        assert internal.intersection(LineString([(X0 + x, Y0 + 1), (X0 + x, Y0 + 599)])).length < 10
    for y in (297, 302):
        assert internal.intersection(LineString([(X0 + 1, Y0 + y), (X0 + 799, Y0 + y)])).length < 10  # corner jogs
    assert internal.intersection(refs[0].buffer(0.01)).length > 590


def test_without_communities_covers_union(departments):
    res = unify_grids(departments, tolerance=10)
    union = shapely.union_all([g for d in departments for g in d.geoms])
    assert validate_grids(res.geoms, [""] * len(res.geoms), check_codes=False) == []
    assert abs(shapely.union_all(res.geoms).area - union.area) < 0.01
    assert len(res.geoms) == 8


def test_real_disagreement_is_kept(departments):
    # a department splitting one grid in two halves (a 100 m difference): not a sliver, kept
    zz = departments[0]
    g = zz.geoms[0]
    x0, y0, x1, y1 = g.bounds
    halves = [shapely.box(x0, y0, x1, (y0 + y1) / 2), shapely.box(x0, (y0 + y1) / 2, x1, y1)]
    split = DeptLayer("ZZ", halves + list(zz.geoms[1:]), ["ZZa", "ZZb"] + list(zz.codes[1:]))
    res = unify_grids([split, *departments[1:]], tolerance=10, communities=[COMM])
    assert len(res.geoms) == 9
    assert validate_grids(res.geoms, [""] * 9, parents=[COMM], check_codes=False) == []
    assert np.isclose(sorted(shapely.area(res.geoms))[:2], 30000, rtol=0.05).all()
    # the halves are each a whole grid of one department: kept by default too
    assert len(unify_grids([split, *departments[1:]], tolerance=10, communities=[COMM]).geoms) == 9


@pytest.fixture(scope="module")
def shanghai_depts(realdata):
    """Three departments' versions of grids on the real Bund street fabric.

    Department A: grids drawn by partition_area along the OSM roads; B and C: the same
    grids digitised with offsets of a few metres (and C simplified), as happens when
    each department traces its own map.
    """
    import geopandas as gpd
    from shapely import affinity

    from grid_governance_plugin.core.grids import partition_area

    shanghai = realdata / "shanghai_bund" / "shanghai_bund_osm.gpkg"
    b = gpd.read_file(shanghai, layer="buildings").to_crs(4549)
    r = gpd.read_file(shanghai, layer="roads").to_crs(4549)
    roads = r[r.kind.isin(["major_road", "minor_road"])].geometry.values
    blds = b[b.kind == "building"]
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(roads))))
    centre = shapely.Point(641677.5, 3457337.1)
    sel = (shapely.distance(shapely.centroid(faces), centre) < 700) & (shapely.area(faces) < 200000)
    area = max(shapely.get_parts(shapely.union_all(faces[sel])), key=lambda g: g.area)
    geoms = blds.geometry.values
    inside = shapely.contains(area, shapely.point_on_surface(geoms))
    height = blds.height_m.fillna(15).values[inside]
    hh = np.maximum(1, np.round(shapely.area(geoms[inside]) * np.maximum(1, height / 3) / 100 * 0.3))
    res = partition_area(area, geoms[inside], hh, roads, target=400, tolerance=15)
    a = res.geoms
    b_ = [affinity.translate(g, 3, -2) for g in a]
    c = [affinity.translate(g, -2, 3).simplify(2) for g in a]
    depts = [
        DeptLayer(name, gs, [f"{name}{i}" for i in range(len(gs))]) for name, gs in (("A", a), ("B", b_), ("C", c))
    ]
    roads_near = roads[shapely.intersects(roads, shapely.box(*area.bounds))]
    return area, depts, roads_near


def test_shanghai_unify_follows_roads(shanghai_depts):
    area, depts, roads = shanghai_depts
    res = unify_grids(depts, tolerance=8, reference=roads, communities=[area])
    n = len(depts[0].geoms)
    assert len(res.geoms) == n
    assert validate_grids(res.geoms, [""] * n, parents=[area], check_codes=False) == []
    # each unified grid is one departmental grid of each department (the same one)
    for i in range(n):
        main = {t.department: t.dept_code for t in res.sources(i) if t.share_of_unified > 90}
        assert set(main) == {"A", "B", "C"} and len({code[1:] for code in main.values()}) == 1
    lines = shapely.union_all(roads)
    edge = area.boundary.buffer(0.5, quad_segs=2)
    internal = shapely.difference(shapely.union_all([g.boundary for g in res.geoms]), edge)
    on_roads = shapely.intersection(internal, lines.buffer(1.0, quad_segs=2)).length
    assert on_roads / internal.length > 0.6


def test_demo_city_departments_become_one_valid_grid():
    """The demo's 综治, 城管 and 党建 layers (own lattices, shifted and wobbled boundaries,
    城管 cells straight across communities) give one grid tiling every community once."""
    from grid_governance_plugin.core import democity

    city = democity.generate(42, "demo")
    dept = city["dept_grid"]
    names = dept.columns["department"]
    layers = [DeptLayer(n, dept.geoms[names == n], dept.columns["code"][names == n]) for n in ("综治", "城管", "党建")]
    comm = city["community"]
    res = unify_grids(
        layers, tolerance=20, reference=city["road"].geoms, communities=comm.geoms, community_codes=comm.columns["code"]
    )
    n = len(res.geoms)
    assert validate_grids(res.geoms, [""] * n, parents=comm.geoms, check_codes=False) == []
    assert all(shapely.get_num_geometries(g) == 1 for g in res.geoms)
    assert set(res.community) == set(comm.columns["code"])
    # about the granularity of the finest department (综治), not a patchwork finer than all
    assert 0.8 * len(layers[0].geoms) <= n <= 1.2 * len(layers[0].geoms)
    assert res.slivers and res.messages == []
