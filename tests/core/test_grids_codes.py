"""assign_codes: spatial order, stability of unchanged grids, renumbering report."""

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.grids import assign_codes, synth, validate_grids
from grid_governance_plugin.core.grids.gridcodes import spatial_order

COMM = "310101001001"


def wobbly_rows():
    """3 rows x 4 columns of cells whose heights and centres wobble by up to 20 % of a row."""
    rng = np.random.default_rng(3)
    geoms, expected = [], []
    x0, y0 = synth.ORIGIN
    for r in range(3):
        for c in range(4):
            top = y0 - r * 100 + rng.uniform(-15, 15)
            h = rng.uniform(70, 100)
            geoms.append(shapely.box(x0 + c * 100, top - h, x0 + c * 100 + 100, top))
            expected.append(r * 4 + c)
    # shuffle input order so the numbering cannot come from it
    perm = rng.permutation(len(geoms))
    return [geoms[i] for i in perm], [expected[i] for i in perm]


def test_order_west_east_north_south():
    geoms, expected = wobbly_rows()
    order = spatial_order(geoms)
    assert [expected[i] for i in order] == list(range(12))
    res = assign_codes(geoms, [COMM] * 12)
    for i, e in enumerate(expected):
        assert res.codes[i] == f"{COMM}{e + 1:03d}"
    assert res.status == ["new"] * 12


def test_county_replaces_prefix_and_codes_validate():
    city = synth.make_city(communities_x=2, communities_y=1)
    comm6 = [city.community_codes[k][6:] for k in city.grid_community]  # street 3 + community 3
    res = assign_codes(city.grid_geoms, comm6, county="310105")
    assert all(c.startswith("310105") and len(c) == 15 for c in res.codes)
    parents = ["310105" + c[6:] for c in city.community_codes]
    assert validate_grids(city.grid_geoms, res.codes, parents=city.community_geoms, parent_codes=parents) == []


def test_bad_county_rejected():
    with pytest.raises(ValueError):
        assign_codes([shapely.box(0, 0, 1, 1)], ["001001"], county="3101")


def test_unchanged_grids_keep_codes_after_split():
    city = synth.make_city(communities_x=1, communities_y=1, grid_cols=3, grid_rows=2)
    old_codes = list(city.grid_codes)
    comms = [city.community_codes[0]] * len(old_codes)
    # planner swapped two codes by hand long ago: stability must keep them as they are
    old_codes[0], old_codes[1] = old_codes[1], old_codes[0]
    first = assign_codes(city.grid_geoms, comms, old_codes=old_codes)
    assert first.codes == old_codes and set(first.status) == {"kept"}
    # split grid 4 (bottom middle) in two halves
    g = city.grid_geoms[4]
    x0, y0, x1, y1 = g.bounds
    halves = [shapely.box(x0, y0, (x0 + x1) / 2, y1), shapely.box((x0 + x1) / 2, y0, x1, y1)]
    new = list(city.grid_geoms[:4]) + halves + [city.grid_geoms[5]]
    res = assign_codes(new, [city.community_codes[0]] * 7, old_geoms=city.grid_geoms, old_codes=old_codes)
    for i in (0, 1, 2, 3):
        assert res.codes[i] == old_codes[i] and res.status[i] == "kept"
    assert res.codes[6] == old_codes[5] and res.status[6] == "kept"
    # the halves: old serial 005 retired (reused by the west half, in spatial order), new one 007
    assert res.codes[4] == f"{city.community_codes[0]}005" and res.codes[5] == f"{city.community_codes[0]}007"
    assert res.old_codes[4] == old_codes[4] and res.status[5] == "renumbered"
    assert len(set(res.codes)) == 7


def test_moved_grid_is_renumbered_and_report():
    city = synth.make_city(communities_x=1, communities_y=1, grid_cols=2, grid_rows=1)
    comms = [city.community_codes[0]] * 2
    g0, g1 = city.grid_geoms
    x0, y0, x1, y1 = g0.bounds
    # move the shared boundary 60 m east: both grids change a lot (IoU < 0.95)
    n0 = shapely.box(x0, y0, x1 + 60, y1)
    n1 = g1.difference(n0)
    old = ["310101001001002", "310101001001001"]  # deliberately against the spatial order
    res = assign_codes([n0, n1], comms, old_geoms=[g0, g1], old_codes=old)
    assert res.codes == ["310101001001001", "310101001001002"]
    assert res.renumbered() == [(0, old[0], res.codes[0]), (1, old[1], res.codes[1])]
    assert res.retired == []


def test_invalid_community_code_reported():
    res = assign_codes([shapely.box(0, 0, 1, 1)], ["12"])
    assert res.status == ["error"] and res.problems and res.codes == [""]
