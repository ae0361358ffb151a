"""The cameras that really see a place (core/coverage/sight.py): occlusion as gridgov:coverage
computes it, checked against the brute-force rules, and the status split the case card shows."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.coverage.brute import seen_by
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.scene import random_scene
from grid_governance_plugin.core.coverage.sight import cameras_seeing_place, local_proj
from grid_governance_plugin.core.coverage.visibility import FovEngine

# a building 10-20 m east of the place, 20 m long north-south
WALL = shapely.box(10, -10, 20, 10)


def _row(name, x, y, azimuth, status="online", hfov=60.0, range_m=50.0, **kw):
    return {"id": name, "name": name, "x": x, "y": y, "azimuth": azimuth, "hfov": hfov, "range_m": range_m,
            "status": status, **kw}  # fmt: skip


HAND = [
    _row("south_clear", 0, -30, 0),  # looks north at the place: sees it
    _row("east_behind_wall", 30, 0, 270),  # looks west at the place, through the building
    _row("on_the_wall", 9.5, 2, 260),  # on the building's west facade, looking out at the place
    _row("west_faulty", -25, 0, 90, "faulty"),  # would see it
    _row("north_offline", 0, 40, 180, "offline"),  # would see it
    _row("east_offline_behind_wall", 35, 3, 270, "offline"),  # would not, and is down anyway
    _row("north_obstructed", 3, 20, 180, "obstructed"),
    _row("south_planned", 0, -10, 0, "planned"),  # not built yet
    _row("looks_away", 0, -20, 180),
    _row("too_far", -70, 0, 90),  # 50 m range
    _row("dome_northwest", -20, 20, None, hfov=360.0),  # no azimuth: all round
]


def test_a_camera_behind_a_building_is_not_offered_and_statuses_are_apart():
    seen = cameras_seeing_place(HAND, [WALL])
    assert [c["name"] for c in seen] == [
        "on_the_wall",  # 9.7 m
        "dome_northwest",  # 28.3 m
        "south_clear",  # 30 m
        "north_obstructed",  # the rest cannot give footage: after the working ones, nearest first
        "west_faulty",
        "north_offline",
    ]
    assert [c["available"] for c in seen] == [True, True, True, False, False, False]
    by_name = {c["name"]: c for c in seen}
    assert by_name["west_faulty"]["status_label"] == "Faulty"
    assert by_name["north_offline"]["status_label"] == "Offline"
    assert by_name["north_obstructed"]["status_label"] == "Obstructed"
    assert by_name["south_clear"]["status_label"] == "Online"
    assert by_name["south_clear"]["distance_m"] == pytest.approx(30.0)
    assert by_name["south_clear"]["bearing"] == pytest.approx(0.0)  # camera -> place: north
    assert by_name["west_faulty"]["bearing"] == pytest.approx(90.0)
    # without the building, the camera behind it is offered: the building is what hides it
    assert "east_behind_wall" in [c["name"] for c in cameras_seeing_place(HAND, [])]


def test_each_listed_camera_has_a_clear_line_of_sight():
    seen = {c["name"] for c in cameras_seeing_place(HAND, [WALL])}
    for r in HAND:
        sight = shapely.LineString([(r["x"], r["y"]), (0, 0)])
        blocked = shapely.relate_pattern(sight, WALL, "T********")  # crosses the building's inside
        if r["name"] in seen:
            assert not blocked, r["name"]


def test_deep_inside_a_building_a_camera_sees_nothing():
    inside = [_row("in_the_hall", 15, 0, 270, hfov=360.0)]  # 5 m from every wall (facade tolerance 1 m)
    assert cameras_seeing_place(inside, [WALL]) == []
    assert [c["name"] for c in cameras_seeing_place(inside, [])] == ["in_the_hall"]


@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_the_brute_force_rules_on_random_towns(seed):
    """The same verdict as the literal visibility rules (brute.seen_by) for every camera and place,
    away from the edges of the fields of view (where a centimetre decides)."""
    scene = random_scene(seed=seed, size=300.0, n_buildings=50, n_cameras=30)
    engine = FovEngine(Obstacles.build(scene.buildings))
    fovs, _ = engine.fovs(scene.cameras)
    edges = shapely.union_all([shapely.boundary(f) for f in fovs if f is not None and not f.is_empty])
    rng = np.random.default_rng(seed)
    union = shapely.union_all(scene.buildings)
    checked = agreed = 0
    for px, py in rng.uniform(0, 300, (120, 2)):
        place = shapely.Point(px, py)
        if union.contains(place) or edges.distance(place) < 0.05:
            continue
        rows = [
            {"id": c.id, "name": c.id, "x": c.x - px, "y": c.y - py, "azimuth": c.azimuth, "hfov": c.hfov,
             "range_m": c.range_m, "height_m": c.height_m, "tilt": c.tilt, "vfov": c.vfov, "status": "online"}
            for c in scene.cameras
        ]  # fmt: skip
        local = shapely.transform(scene.buildings, lambda xy, px=px, py=py: xy - (px, py))
        got = {c["name"] for c in cameras_seeing_place(rows, local)}
        expected = {c.id for c in scene.cameras if seen_by(c, [px], [py], scene.buildings)[0]}
        checked += 1
        agreed += got == expected
        assert got == expected, (px, py, got ^ expected)
    assert checked > 60 and agreed == checked


def test_local_frame_is_centred_on_the_place():
    assert local_proj(116.3975, 39.9087) == (
        "+proj=aeqd +lat_0=39.908700000 +lon_0=116.397500000 +ellps=GRS80 +units=m +no_defs"
    )
