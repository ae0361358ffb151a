"""validate_grids: a clean tiling gives nothing; each planted fault is found at its place, alone."""

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from grid_governance_plugin.core.grids import synth, validate_grids
from grid_governance_plugin.core.grids.coderule import code_problem


@pytest.fixture
def city():
    return synth.make_city(communities_x=3, communities_y=2, grid_cols=3, grid_rows=2)


def run(city, geoms=None, codes=None, parents=True):
    geoms = city.grid_geoms if geoms is None else geoms
    codes = city.grid_codes if codes is None else codes
    if parents:
        return validate_grids(geoms, codes, parents=city.community_geoms, parent_codes=city.community_codes)
    return validate_grids(geoms, codes)


def only(problems, error_type):
    assert [p.error_type for p in problems] == [error_type], [(p.error_type, p.message) for p in problems]
    return problems[0]


def test_clean_tiling_is_empty(city):
    assert run(city) == []
    assert run(city, parents=False) == []


def test_zero_area_touch_is_not_overlap(city):
    # Grids that only share edges and corners: many touches, no overlap.
    assert not [p for p in run(city) if p.error_type == "overlap"]


def test_invalid_spike(city):
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[4].bounds
    mx = (x0 + x1) / 2
    spike = Polygon([(x0, y0), (x1, y0), (x1, y1), (mx, y1), (mx, y1 - 40), (mx, y1), (x0, y1)])
    assert not spike.is_valid
    geoms[4] = spike
    p = only(run(city, geoms), "invalid")
    assert p.codes == [city.grid_codes[4]] and p.fids == [4]
    assert p.geometry.distance(shapely.LineString([(mx, y1), (mx, y1 - 40)])) < 1.0
    assert "invalid" in p.message


def test_overlap_is_the_shared_area(city):
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[0].bounds
    geoms[0] = shapely.box(x0, y0, x1 + 10, y1)  # 10 m into grid 1
    p = only(run(city, geoms), "overlap")
    assert sorted(p.codes) == sorted([city.grid_codes[0], city.grid_codes[1]])
    assert p.geometry.symmetric_difference(shapely.box(x1, y0, x1 + 10, y1)).area < 1e-6
    assert p.area == pytest.approx(10 * (y1 - y0))


def test_gap_inside_parent(city):
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[0].bounds
    geoms[0] = shapely.box(x0, y0, x1 - 10, y1)  # strip between grid 0 and grid 1 left empty
    p = only(run(city, geoms), "gap")
    assert p.geometry.symmetric_difference(shapely.box(x1 - 10, y0, x1, y1)).area < 1e-6
    assert city.grid_codes[0] in p.codes and city.grid_codes[1] in p.codes


def test_hole_without_parents(city):
    geoms = city.grid_geoms.copy()
    c = geoms[7].centroid
    hole = shapely.box(c.x - 5, c.y - 5, c.x + 5, c.y + 5)
    geoms[7] = geoms[7].difference(hole)
    p = only(run(city, geoms, parents=False), "gap")
    assert p.geometry.symmetric_difference(hole).area < 1e-6
    assert p.codes == [city.grid_codes[7]]
    # with parents the same hole is a gap of the community
    p = only(run(city, geoms), "gap")
    assert p.geometry.symmetric_difference(hole).area < 1e-6


def test_outside_parent(city):
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[0].bounds  # north-west corner of the city: nothing north of it
    geoms[0] = shapely.box(x0, y0, x1, y1 + 15)
    p = only(run(city, geoms), "outside_parent")
    assert p.geometry.symmetric_difference(shapely.box(x0, y1, x1, y1 + 15)).area < 1e-6
    assert p.codes == [city.grid_codes[0]]


def test_multipart(city):
    geoms = list(city.grid_geoms)
    codes = list(city.grid_codes)
    # grid 0 (north-west) takes grid 4 (south-east of it, touching at one corner)
    geoms[0] = shapely.MultiPolygon([geoms[0], geoms[4]])
    del geoms[4], codes[4]
    p = only(run(city, np.array(geoms, dtype=object), codes), "multipart")
    assert p.codes == [codes[0]]
    assert p.geometry.area == pytest.approx(city.grid_geoms[0].area)
    assert p.geometry.equals(city.grid_geoms[4]) or p.geometry.equals(city.grid_geoms[0])


def test_duplicate_code(city):
    codes = list(city.grid_codes)
    codes[2] = codes[1]
    p = only(run(city, codes=codes), "duplicate_code")
    assert p.codes == [codes[1]] and sorted(p.fids) == [1, 2]
    assert p.geometry.equals(shapely.union_all([city.grid_geoms[1], city.grid_geoms[2]]))


@pytest.mark.parametrize(
    "bad", ["31010100100", "", None, "3101010010010A1", "310101002001001", "990101001001001", "310101001001000"]
)
def test_bad_code(city, bad):
    codes = list(city.grid_codes)
    codes[3] = bad
    p = only(run(city, codes=codes), "bad_code")
    assert p.fids == [3] and p.geometry.equals(city.grid_geoms[3])


def test_bad_code_rule_without_parent():
    assert code_problem("310101001001001") is None
    assert code_problem("310101001001001", "310101001001") is None
    assert code_problem("310101001001001", "310101001002") is not None
    assert code_problem(310101001001001) is None  # numbers from sloppy layers


def test_missing_geometry_named(city):
    geoms = city.grid_geoms.copy()
    geoms[5] = None
    problems = run(city, geoms)
    kinds = sorted(p.error_type for p in problems)
    assert kinds == ["gap", "invalid"]
    inv = [p for p in problems if p.error_type == "invalid"][0]
    assert inv.fids == [5] and inv.geometry is None
    gap = [p for p in problems if p.error_type == "gap"][0]
    assert gap.geometry.symmetric_difference(city.grid_geoms[5]).area < 1e-6


def test_input_not_modified(city):
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[0].bounds
    geoms[0] = Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x1, y0 + 1)])  # invalid
    before = [g.wkb for g in geoms]
    run(city, geoms)
    assert [g.wkb for g in geoms] == before
