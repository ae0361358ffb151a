"""Occluded fields of view: the three rules, the mount rule, domes, DORI bands; engine vs brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.coverage.brute import seen_by
from grid_governance_plugin.core.coverage.camera import Camera
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.scene import random_scene
from grid_governance_plugin.core.coverage.visibility import FovEngine, SweepOptions, dori_bands, sweep


def _engine(*polys, **opts):
    return FovEngine(Obstacles.build(np.array(list(polys) + [None], dtype=object)[:-1]), SweepOptions(**opts))


def _sees(fov, x, y) -> bool:
    return bool(shapely.contains_xy(fov, x, y))


def test_wedge_without_obstacles_is_a_sector():
    fov, msgs = FovEngine().fov(Camera(0, 0, azimuth=90, hfov=60, range_m=50))
    assert not msgs
    assert fov.area == pytest.approx(math.pi * 50**2 / 6, rel=1e-3)
    assert _sees(fov, 40, 0) and _sees(fov, 40, 20) and not _sees(fov, 40, 25)  # 30 deg half-angle: tan = 0.577
    assert not _sees(fov, -10, 0) and not _sees(fov, 51, 0)
    # azimuth is clockwise from north: 0 looks along +y
    north, _ = FovEngine().fov(Camera(0, 0, azimuth=0, hfov=20, range_m=10))
    assert _sees(north, 0, 9) and not _sees(north, 9, 0)


def test_wedge_across_north():
    fov, _ = FovEngine().fov(Camera(0, 0, azimuth=350, hfov=40, range_m=10))
    assert _sees(fov, 0, 9) and _sees(fov, -2, 9) and _sees(fov, 1, 9) and not _sees(fov, 5, 5)


def test_dome_is_a_disc():
    fov, _ = FovEngine().fov(Camera(5, 5, azimuth=123, hfov=360, range_m=20))
    assert fov.area == pytest.approx(math.pi * 400, rel=1e-3)
    assert all(_sees(fov, 5 + 19 * math.sin(a), 5 + 19 * math.cos(a)) for a in np.linspace(0, 6.2, 50))


def test_near_and_far_from_tilt():
    cam = Camera(0, 0, azimuth=0, hfov=90, range_m=100, height_m=6, tilt=30, vfov=20)
    near, far = cam.near_far()
    fov, _ = FovEngine().fov(cam)
    assert not _sees(fov, 0, near - 0.3) and _sees(fov, 0, near + 0.3)
    assert _sees(fov, 0, far - 0.3) and not _sees(fov, 0, far + 0.3)
    assert fov.area == pytest.approx(math.pi * (far**2 - near**2) / 4, rel=2e-3)


def test_occlusion_behind_a_building():
    eng = _engine(shapely.box(10, -5, 20, 5))
    fov, _ = eng.fov(Camera(0, 0, azimuth=90, hfov=90, range_m=50))
    assert _sees(fov, 9, 0) and not _sees(fov, 15, 0) and not _sees(fov, 30, 0)  # inside, behind
    assert _sees(fov, 30, 20)  # beside the shadow
    # exact area: quarter disc minus the shadow (sector of 2 atan(0.5) minus the triangle in front)
    sector = 0.5 * 50**2 * 2 * math.atan(0.5)
    assert fov.area == pytest.approx(math.pi * 50**2 / 4 - (sector - 50.0), rel=1e-3)


def test_touching_a_corner_does_not_block():
    # a diamond whose top corner (15, 0) lies on the sight line y = 0
    diamond = shapely.Polygon([(10, -5), (15, 0), (20, -5), (15, -10)])
    cam = Camera(0, 0, azimuth=90, hfov=90, range_m=60)
    fov, _ = _engine(diamond).fov(cam)
    assert _sees(fov, 30, 0.05)  # just past the corner on the open side
    assert not _sees(fov, 30, -0.05)  # in the diamond's shadow
    assert seen_by(cam, [30.0], [0.0], np.array([diamond], dtype=object))[0]  # the touching line itself
    # the boundary of the view runs along the sight line through the corner
    assert shapely.LineString([(15.5, 0), (50, 0)]).within(fov.boundary.buffer(1e-4))
    # two boxes meeting at one corner: the brute-force rule sees along the diagonal through it; that line has
    # no area, so the polygon (both sides in shadow) differs from it only on a set of measure zero
    boxes = np.array([shapely.box(10, 0, 20, 10), shapely.box(0, 10, 10, 20)], dtype=object)
    cam2 = Camera(0, 0, azimuth=45, hfov=90, range_m=60)
    assert seen_by(cam2, [30.0], [30.0], boxes)[0]
    assert not seen_by(cam2, [30.0], [30.5], boxes)[0]


def test_camera_on_a_facade_sees_outward_only():
    building = shapely.box(0, 0, 20, 20)
    eng = _engine(building)
    cam = Camera(10, 20, azimuth=0, hfov=360, range_m=30)  # on the north wall, all-round
    fov, msgs = eng.fov(cam)
    assert not msgs
    assert _sees(fov, 10, 40) and _sees(fov, 25, 21) and _sees(fov, -5, 21)  # outward, along the wall
    assert not _sees(fov, 10, 15)  # inside its own building
    assert not _sees(fov, 10, -5)  # beyond the building
    assert fov.intersection(building).area < 1e-6
    # a camera a little inside (digitising error) behaves the same
    fov_in, msgs = eng.fov(Camera(10, 19.6, azimuth=0, hfov=360, range_m=30))
    assert not msgs and _sees(fov_in, 10, 40) and not _sees(fov_in, 10, -5)
    # the building's other wing still blocks: L-shaped house, camera on the inner wall
    ell = shapely.box(0, 0, 30, 10).union(shapely.box(0, 0, 10, 30))
    fov_l, _ = _engine(ell).fov(Camera(20, 10, azimuth=0, hfov=360, range_m=40))
    assert _sees(fov_l, 20, 25) and not _sees(fov_l, 5, 20) and not _sees(fov_l, -5, 25)


def test_camera_deep_inside_a_building_sees_nothing_and_is_reported():
    eng = _engine(shapely.box(0, 0, 20, 20))
    fov, msgs = eng.fov(Camera(10, 10, azimuth=0, hfov=360, range_m=30, id="cam-x"))
    assert fov.is_empty
    assert len(msgs) == 1 and msgs[0].camera_id == "cam-x" and "inside" in msgs[0].text


def test_invalid_obstacles_are_repaired_and_reported():
    bowtie = shapely.Polygon([(10, -5), (20, 5), (20, -5), (10, 5)])
    obstacles = Obstacles.build(np.array([shapely.box(-30, -30, -20, -20), bowtie], dtype=object))
    assert list(obstacles.invalid) == [1]
    fov, _ = FovEngine(obstacles).fov(Camera(0, 0, azimuth=90, hfov=90, range_m=50))
    assert fov.is_valid and _sees(fov, 9, 0) and not _sees(fov, 30, 0.5)


def test_courtyard_building():
    ring = shapely.box(0, 0, 60, 60).difference(shapely.box(20, 20, 40, 40))
    eng = _engine(ring)
    fov, msgs = eng.fov(Camera(30, 30, hfov=360, range_m=100))
    assert not msgs
    assert fov.area == pytest.approx(400, rel=1e-6)


def test_sweep_matches_dense_ray_casting():
    """The exact sweep against a literal 0.05 degree ray cast for one crowded scene."""
    scene = random_scene(4, size=200, n_buildings=40, n_cameras=0)
    obs = Obstacles.build(scene.buildings)
    cam = Camera(100, 100, hfov=360, range_m=80)
    assert shapely.union_all(scene.buildings).distance(shapely.Point(100, 100)) >= 1  # the camera stands in the open
    fov, _ = FovEngine(obs).fov(cam)
    rays = [
        shapely.LineString([(100, 100), (100 + 80 * math.sin(a), 100 + 80 * math.cos(a))])
        for a in np.radians(np.arange(0, 360, 0.05))
    ]
    blockers = shapely.union_all(scene.buildings)
    ends = []
    for r in rays:
        cut = r.difference(blockers)
        first = cut.geoms[0] if hasattr(cut, "geoms") else cut
        ends.append(first.coords[-1])
    ref = shapely.Polygon(ends)
    assert abs(ref.area - fov.area) / fov.area < 0.01
    assert ref.symmetric_difference(fov).area / fov.area < 0.01


@pytest.mark.parametrize("seed", [1, 2])
def test_engine_agrees_with_brute_force(seed):
    scene = random_scene(seed, size=300, n_buildings=45, n_cameras=20)
    obs = Obstacles.build(scene.buildings)
    fovs, _ = FovEngine(obs).fovs(scene.cameras)
    rng = np.random.default_rng(seed)
    px, py = rng.uniform(0, 300, (2, 3000))
    pts = shapely.points(px, py)
    checked = wrong = 0
    for cam, fov in zip(scene.cameras, fovs):
        truth = seen_by(cam, px, py, scene.buildings)
        got = shapely.contains_xy(fov, px, py) if not fov.is_empty else np.zeros(len(px), bool)
        away = shapely.distance(shapely.boundary(fov), pts) > 0.5 if not fov.is_empty else np.ones(len(px), bool)
        checked += away.sum()
        wrong += ((truth != got) & away).sum()
    assert checked > 40000
    assert wrong / checked < 0.001


def test_dori_bands_partition_the_view():
    cam = Camera(0, 0, azimuth=0, hfov=90, range_m=80, hres_px=1920)
    fov, _ = FovEngine().fov(cam)
    bands = dori_bands(cam, fov)
    assert [b for b, _ in bands] == ["identify", "recognise", "observe", "detect", "monitor"]
    assert sum(g.area for _, g in bands) == pytest.approx(fov.area, rel=1e-3)
    recog = dict(bands)["recognise"]
    assert _sees(recog, 0, 5.0) and not _sees(recog, 0, 3.0) and not _sees(recog, 0, 8.0)  # 3.84 .. 7.68 m
    # DORI level cap: coverage only where faces are recognisable
    capped, _ = FovEngine(options=SweepOptions(dori_level="recognise")).fov(cam)
    assert capped.area == pytest.approx(math.pi * 7.68**2 / 4, rel=1e-3)


def test_sweep_ring_is_star_shaped_for_a_dome():
    ring = sweep(0.0, 360.0, 10.0, np.array([3.0]), np.array([1.0]), np.array([3.0]), np.array([-1.0]))
    poly = shapely.Polygon(ring)
    assert poly.is_valid and not poly.contains(shapely.Point(5, 0)) and poly.contains(shapely.Point(-5, 0))


def test_memory_bounded_chunks_give_the_same_view(monkeypatch):
    import grid_governance_plugin.core.coverage.visibility as vis

    scene = random_scene(5, size=300, n_buildings=60, n_cameras=6)
    engine = FovEngine(Obstacles.build(scene.buildings))
    whole, _ = engine.fovs(scene.cameras)
    monkeypatch.setattr(vis, "MAX_PAIRS", 50)
    chunked, _ = engine.fovs(scene.cameras)
    for a, b in zip(whole, chunked):
        assert a.symmetric_difference(b).area < 1e-6
