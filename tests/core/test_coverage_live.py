"""Live coverage: after moves, adds, re-aims and removals the incremental state equals a full run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.coverage.camera import Camera
from grid_governance_plugin.core.coverage.coverage import compute_coverage
from grid_governance_plugin.core.coverage.live import LiveCoverage
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.scene import random_scene
from grid_governance_plugin.core.coverage.visibility import FovEngine


def _edits(live: LiveCoverage, rng: np.random.Generator, extent, n: int = 40) -> list:
    """A random sequence of moves, re-aims, adds and removals applied to ``live``."""
    x0, y0, x1, y1 = extent
    updates = []
    next_key = 10_000
    for step in range(n):
        keys = list(live.cameras)
        kind = step % 4
        if kind == 0 and keys:  # move
            key = keys[int(rng.integers(len(keys)))]
            cam = dataclasses.replace(live.cameras[key], x=float(rng.uniform(x0, x1)), y=float(rng.uniform(y0, y1)))
        elif kind == 1 and keys:  # re-aim and widen
            key = keys[int(rng.integers(len(keys)))]
            cam = dataclasses.replace(
                live.cameras[key], azimuth=float(rng.uniform(0, 360)), hfov=float(rng.choice([45.0, 90.0, 360.0]))
            )
        elif kind == 2:  # add
            key, next_key = next_key, next_key + 1
            cam = Camera(
                float(rng.uniform(x0, x1)),
                float(rng.uniform(y0, y1)),
                azimuth=float(rng.uniform(0, 360)),
                hfov=90.0,
                range_m=float(rng.uniform(30, 90)),
                id=key,
            )
        else:  # offline / deleted
            key = keys[int(rng.integers(len(keys)))]
            cam = None
        updates.append(live.set_camera(key, cam))
    return updates


def _assert_same(live: LiveCoverage, full, engine: FovEngine):
    got = live.result()
    assert len(got.grid_stats) == len(full.grid_stats)
    for a, b in zip(got.grid_stats, full.grid_stats):
        assert a.grid == b.grid
        assert a.target_m2 == pytest.approx(b.target_m2, rel=1e-9, abs=1e-6)
        assert a.covered_m2 == pytest.approx(b.covered_m2, rel=1e-9, abs=1e-6)
        assert a.multi_m2 == pytest.approx(b.multi_m2, rel=1e-9, abs=1e-6)
        assert a.blind_m2 == pytest.approx(b.blind_m2, rel=1e-9, abs=1e-6)
        assert (a.blind_count, a.cameras) == (b.blind_count, b.cameras)
    assert sorted(b.area for b in got.blind_spots) == pytest.approx(
        sorted(b.area for b in full.blind_spots), rel=1e-9, abs=1e-6
    )
    assert shapely.symmetric_difference(
        shapely.union_all([b.geom for b in got.blind_spots]), shapely.union_all([b.geom for b in full.blind_spots])
    ).area == pytest.approx(0.0, abs=1e-6)
    assert live.ratio == pytest.approx(full.covered_m2 / full.target_m2, rel=1e-9)
    # the running figures agree with the assembled ones, without gluing any polygon
    none_stat = (
        next(s for s in full.grid_stats if s.grid is None) if any(s.grid is None for s in full.grid_stats) else None
    )
    if none_stat is not None:
        count, area = live.blind_summary()
        assert count == none_stat.blind_count and area == pytest.approx(none_stat.blind_m2, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("use_grids", [False, True])
def test_incremental_equals_full_recomputation(use_grids):
    scene = random_scene(21, size=500, n_buildings=90, n_cameras=40)
    obstacles = Obstacles.build(scene.buildings)
    engine = FovEngine(obstacles)
    # grids cover only part of the target: the rest is tiled, so both kinds of region change
    grids = scene.grids[:3] if use_grids else None
    target = np.array([scene.target], dtype=object)
    live = LiveCoverage.build(
        [(c.id, c) for c in scene.cameras], target, obstacles, grids, tile_size=70.0, engine=engine
    )
    updates = _edits(live, np.random.default_rng(3), scene.extent)
    assert all(u.regions for u in updates if u.camera in live.fovs)
    # the blind spots an update touched are those of the full result that lie in its regions
    last = updates[-1]
    touched = live.blind_spots_touched(last)
    assert all(b.area >= live.min_blind_area for b in touched)
    regions = shapely.union_all([live.setup.regions[k][0] for k in last.regions])
    for b in touched:
        assert b.geom.area == pytest.approx(b.area, rel=1e-9)
        assert b.geom.intersects(regions)
    # an edit recomputes the camera's neighbourhood, not the city
    assert max(len(u.regions) for u in updates) < len(live.setup) / 3
    keys = list(live.cameras)
    fovs, _ = engine.fovs([live.cameras[k] for k in keys])
    full = compute_coverage(fovs, target, obstacles, grids, tile_size=70.0)
    _assert_same(live, full, engine)


def test_incremental_on_real_fabric(realdata):
    from grid_governance_plugin.core.coverage.fabric import fabric_city

    scene = fabric_city(realdata, n_buildings=2500, n_cameras=250, seed=4, window=800.0)
    obstacles = Obstacles.build(scene.buildings)
    engine = FovEngine(obstacles)
    live = LiveCoverage.build([(c.id, c) for c in scene.cameras], scene.target, obstacles, None, 200.0, engine=engine)
    before = live.result()
    assert len(before.blind_spots) > 20
    _edits(live, np.random.default_rng(8), scene.extent, n=24)
    fovs, _ = engine.fovs([live.cameras[k] for k in live.cameras])
    full = compute_coverage(fovs, scene.target, obstacles, None, tile_size=200.0)
    _assert_same(live, full, engine)


def test_taking_a_camera_offline_uncovers_its_ground():
    scene = random_scene(5, size=300, n_buildings=30, n_cameras=15)
    obstacles = Obstacles.build(scene.buildings)
    live = LiveCoverage.build([(c.id, c) for c in scene.cameras], [scene.target], obstacles, scene.grids)
    busiest = max(live.fovs, key=lambda k: live.fovs[k].area)
    gid = live.region_of(live.cameras[busiest].x, live.cameras[busiest].y)
    before_city, before_grid = live.ratio, live.grid_stat(gid).ratio if gid is not None and gid < 4 else None
    update = live.set_camera(busiest, None)
    assert update.covered_m2_change < 0 and live.ratio < before_city
    if before_grid is not None:
        assert live.grid_stat(gid).ratio <= before_grid
    assert busiest not in live.cameras
    back = live.set_camera(busiest, next(c for c in scene.cameras if c.id == busiest))
    assert back.covered_m2_change == pytest.approx(-update.covered_m2_change, rel=1e-9)
    assert live.ratio == pytest.approx(before_city, rel=1e-12)
