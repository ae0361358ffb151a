"""grid_stats and the incremental BalanceIndex."""

import math

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.grids import BalanceIndex, grid_stats, synth


@pytest.fixture
def city():
    return synth.make_city(communities_x=3, communities_y=2, grid_cols=3, grid_rows=2, buildings_per_grid=9)


def brute(grids, buildings, values):
    pts = shapely.point_on_surface(buildings)
    out = []
    for g in grids:
        inside = shapely.intersects(g, pts)
        out.append(values[inside].sum())
    return np.array(out)


def comm_keys(city):
    return [city.community_codes[k] for k in city.grid_community]


def test_figures_match_brute_force(city):
    s = grid_stats(city.grid_geoms, city.building_geoms, city.households, city.population, community=comm_keys(city))
    np.testing.assert_array_equal(s.households, brute(city.grid_geoms, city.building_geoms, city.households))
    np.testing.assert_array_equal(s.population, brute(city.grid_geoms, city.building_geoms, city.population))
    assert s.buildings.sum() == len(city.building_geoms)
    assert s.households.sum() == city.households.sum()
    np.testing.assert_allclose(s.area, 200.0 * 200.0)
    np.testing.assert_allclose(s.compactness, math.pi / 4)  # square
    # deviation: mean 0 within each community, and defined from the community mean
    keys = np.array(comm_keys(city))
    for k in set(keys):
        m = s.households[keys == k].mean()
        np.testing.assert_allclose(s.deviation[keys == k], (s.households[keys == k] - m) / m * 100)
        assert abs(s.deviation[keys == k].sum()) < 1e-9


def test_building_on_boundary_counted_once(city):
    g0 = city.grid_geoms[0]
    x0, y0, x1, y1 = g0.bounds
    straddle = shapely.box(x1 - 30, y1 - 60, x1 + 10, y1 - 40)  # mostly in grid 0, across into grid 1
    s = grid_stats(city.grid_geoms, np.array([straddle], dtype=object), [7], [20])
    assert s.households.sum() == 7 and s.households[0] == 7 and s.buildings.sum() == 1


def test_events_and_workers(city):
    c = city.grid_geoms[2].centroid
    events = [c, shapely.Point(c.x + 1, c.y), shapely.Point(0, 0)]  # last one outside all grids
    workers = [None] * len(city.grid_geoms)
    workers[2] = "W1"
    workers[3] = "W_UNKNOWN"
    s = grid_stats(
        city.grid_geoms, city.building_geoms, city.households, events=events, worker_ids=workers, known_workers={"W1"}
    )
    assert s.events[2] == 2 and s.events.sum() == 2
    assert s.worker_assigned[2] and not s.worker_assigned[3] and s.worker_assigned.sum() == 1


def test_missing_households_gives_zero(city):
    s = grid_stats(city.grid_geoms, city.building_geoms)
    assert s.households.sum() == 0 and s.buildings.sum() == len(city.building_geoms)
    assert np.isnan(s.deviation).all()


def test_balance_index_matches_full_recompute(city):
    keys = comm_keys(city)
    idx = BalanceIndex(city.grid_geoms, city.building_geoms, city.households, city.population, community=keys)
    g0, g1 = city.grid_geoms[0], city.grid_geoms[1]
    x0, y0, x1, y1 = g1.bounds
    strip = shapely.box(x0, y0, x0 + 70, y1)  # move a strip of grid 1 to grid 0
    new0, new1 = g0.union(strip), g1.difference(strip)
    figures = idx.update({0: new0, 1: new1})
    geoms = city.grid_geoms.copy()
    geoms[0], geoms[1] = new0, new1
    full = grid_stats(geoms, city.building_geoms, city.households, city.population, community=keys)
    assert set(figures) == {i for i, k in enumerate(keys) if k == keys[0]}  # the whole community is refreshed
    for i, f in figures.items():
        assert f["households"] == full.households[i]
        assert f["population"] == full.population[i]
        assert f["buildings"] == full.buildings[i]
        assert f["deviation"] == pytest.approx(full.deviation[i])
        assert f["compactness"] == pytest.approx(full.compactness[i])
    assert figures[0]["households"] > full.households[2]  # grid 0 grew


def test_balance_index_delete_and_contiguity(city):
    idx = BalanceIndex(city.grid_geoms, city.building_geoms, city.households)
    total = idx.households.sum()
    far = shapely.box(0, 0, 1, 1)
    f = idx.update({4: shapely.MultiPolygon([city.grid_geoms[4], far]), 5: None})
    assert not f[4]["contiguous"]
    assert 5 not in f
    assert (
        idx.households.sum()
        == total - grid_stats(city.grid_geoms[5:6], city.building_geoms, city.households).households[0]
    )


def test_balance_index_split_adds_a_grid(city):
    keys = comm_keys(city)
    idx = BalanceIndex(city.grid_geoms, city.building_geoms, city.households, city.population, community=keys)
    g = city.grid_geoms[3]
    x0, y0, x1, y1 = g.bounds
    west, east = shapely.box(x0, y0, (x0 + x1) / 2, y1), shapely.box((x0 + x1) / 2, y0, x1, y1)
    new = idx.add_grid(keys[3])
    figures = idx.update({3: west, new: east})
    geoms = list(city.grid_geoms)
    geoms[3] = west
    full = grid_stats(geoms + [east], city.building_geoms, city.households, city.population, community=keys + [keys[3]])
    assert figures[3]["households"] == full.households[3] and figures[new]["households"] == full.households[-1]
    assert (
        figures[3]["households"] + figures[new]["households"]
        == grid_stats(city.grid_geoms[3:4], city.building_geoms, city.households).households[0]
    )
    assert figures[new]["deviation"] == pytest.approx(full.deviation[-1])
