"""Coverage, blind spots and per-grid figures against the brute-force rules."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.coverage.brute import seen_count
from grid_governance_plugin.core.coverage.coverage import compute_coverage, split_by_size
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.scene import random_scene
from grid_governance_plugin.core.coverage.visibility import FovEngine


@pytest.fixture(scope="module")
def scene_result():
    scene = random_scene(11, size=400, n_buildings=70, n_cameras=30)
    obs = Obstacles.build(scene.buildings)
    fovs, _ = FovEngine(obs).fovs(scene.cameras)
    rng = np.random.default_rng(5)
    px, py = rng.uniform(0, 400, (2, 4000))
    count = seen_count(scene.cameras, px, py, scene.buildings)
    return scene, obs, fovs, px, py, count


@pytest.mark.parametrize("use_grids", [False, True])
def test_coverage_matches_brute_force(scene_result, use_grids):
    scene, obs, fovs, px, py, count = scene_result
    res = compute_coverage(
        fovs, np.array([scene.target], dtype=object), obs, scene.grids if use_grids else None, tile_size=130.0
    )
    cov = shapely.union_all([g for g, _ in res.coverage])
    blind = shapely.union_all([b.geom for b in res.blind_spots])
    pts = shapely.points(px, py)
    in_target = shapely.contains_xy(scene.target, px, py)
    in_building = shapely.contains_xy(shapely.union_all(scene.buildings), px, py)
    truth = (count > 0) & in_target
    away = (shapely.distance(shapely.boundary(cov), pts) > 0.5) & (shapely.distance(scene.target.boundary, pts) > 0.5)
    agree = (shapely.contains_xy(cov, px, py) == truth)[away].mean()
    assert away.sum() > 3000 and agree >= 0.995
    # blind spots: target points nobody sees and not inside a building (slivers < 1 m2 aside)
    bl_truth = in_target & (count == 0) & ~in_building
    away_b = away & (shapely.distance(shapely.boundary(blind), pts) > 0.5)
    assert (shapely.contains_xy(blind, px, py) == bl_truth)[away_b].mean() >= 0.995
    # the pieces do not overlap coverage and are single polygons with their area
    assert shapely.intersection(blind, cov).area < 1e-3
    assert all(b.geom.geom_type == "Polygon" and b.area == pytest.approx(b.geom.area) for b in res.blind_spots)
    # areas add up: coverage + blind spots (+ dropped slivers) = target without buildings
    target_m2 = scene.target.difference(shapely.union_all(scene.buildings)).area
    assert res.target_m2 == pytest.approx(target_m2, rel=1e-6)
    assert cov.area + blind.area == pytest.approx(target_m2, rel=2e-3)
    assert res.covered_m2 == pytest.approx(cov.area, rel=1e-6)


def test_grid_stats(scene_result):
    scene, obs, fovs, px, py, count = scene_result
    res = compute_coverage(fovs, np.array([scene.target], dtype=object), obs, scene.grids)
    assert [s.grid for s in res.grid_stats] == [0, 1, 2, 3]  # the target lies inside the grids
    rng = np.random.default_rng(9)
    qx, qy = rng.uniform(0, 400, (2, 20000))
    cnt = seen_count(scene.cameras, qx, qy, scene.buildings)
    in_target = shapely.contains_xy(scene.target, qx, qy) & ~shapely.contains_xy(
        shapely.union_all(scene.buildings), qx, qy
    )
    cell = 400.0 * 400.0 / len(qx)
    for s in res.grid_stats:
        g = scene.grids[s.grid]
        inside = shapely.contains_xy(g, qx, qy) & in_target
        # Monte Carlo estimates of the exact areas (tolerance ~ 4 sigma)
        assert s.target_m2 == pytest.approx(inside.sum() * cell, rel=0.06)
        assert s.covered_m2 == pytest.approx((inside & (cnt > 0)).sum() * cell, rel=0.1, abs=300)
        assert s.multi_m2 == pytest.approx((inside & (cnt > 1)).sum() * cell, rel=0.15, abs=300)
        assert 0 <= s.ratio <= 1 and s.multi_m2 <= s.covered_m2 + 1e-6
        assert s.blind_count == sum(1 for b in res.blind_spots if b.grid == s.grid)
    # every blind spot lies in the grid it is assigned to
    for b in res.blind_spots:
        assert b.geom.difference(scene.grids[b.grid]).area < 1e-6


def test_blind_spots_are_glued_across_tiles():
    # no cameras: the whole target is one blind spot however small the tiles
    target = shapely.box(0, 0, 300, 100).difference(shapely.box(100, 40, 120, 60))
    res = compute_coverage(np.empty(0, dtype=object), np.array([target], dtype=object), None, None, tile_size=37.0)
    assert len(res.blind_spots) == 1
    assert res.blind_spots[0].area == pytest.approx(target.area)
    assert res.covered_m2 == 0 and res.target_m2 == pytest.approx(target.area)


def test_invalid_target_is_repaired_and_reported():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    fov, _ = FovEngine().fov(
        __import__("grid_governance_plugin.core.coverage.camera", fromlist=["Camera"]).Camera(
            5, 2, azimuth=0, hfov=360, range_m=100
        )
    )
    res = compute_coverage(np.array([fov], dtype=object), np.array([bowtie], dtype=object))
    assert list(res.invalid_targets) == [0]
    assert res.covered_m2 == pytest.approx(50.0, rel=1e-6)


def test_split_by_size_keeps_area():
    big = shapely.Point(0, 0).buffer(100, quad_segs=2000).difference(shapely.box(-10, -10, 10, 10))
    parts = split_by_size(np.array([big], dtype=object), max_vertices=500)
    assert len(parts) > 4
    assert all(shapely.get_num_coordinates(p) <= 520 for p in parts)
    assert sum(p.area for p in parts) == pytest.approx(big.area, rel=1e-9)


def test_worker_processes_give_the_same_result(scene_result):
    scene, obs, fovs, px, py, count = scene_result
    engine = FovEngine(obs)
    many = scene.cameras * 3
    serial, msgs1 = engine.fovs(many)
    parallel, msgs2 = engine.fovs(many, workers=2, chunk=25)
    assert len(msgs1) == len(msgs2)
    assert all(a.equals(b) for a, b in zip(serial, parallel))
    one = compute_coverage(fovs, np.array([scene.target], dtype=object), obs, None, tile_size=90.0)
    two = compute_coverage(fovs, np.array([scene.target], dtype=object), obs, None, tile_size=90.0, workers=2)
    assert two.covered_m2 == pytest.approx(one.covered_m2)
    assert sorted(round(b.area, 6) for b in two.blind_spots) == sorted(round(b.area, 6) for b in one.blind_spots)
