"""Placement suggestions: greedy vs exact MILP, lazy greedy correctness, weights, candidates."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from scipy import sparse

from grid_governance_plugin.core.coverage.camera import Camera
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.placement import (
    Site,
    exact_max_coverage,
    facade_sites,
    greedy_max_coverage,
    sample_target,
    street_sites,
    suggest_cameras,
)
from grid_governance_plugin.core.coverage.visibility import FovEngine


def _town():
    blocks = [shapely.box(x, y, x + 40, y + 40) for x in range(0, 200, 55) for y in range(0, 200, 55)]
    obs = Obstacles.build(np.array(blocks, dtype=object))
    target = shapely.box(-10, -10, 210, 210).difference(shapely.union_all(blocks))
    return obs, target


def _plain_greedy(cover, w, k):
    cover = sparse.csc_matrix(cover)
    covered = np.zeros(cover.shape[0], bool)
    chosen = []
    for _ in range(k):
        gains = [
            w[cover.indices[cover.indptr[j] : cover.indptr[j + 1]]][
                ~covered[cover.indices[cover.indptr[j] : cover.indptr[j + 1]]]
            ].sum()
            for j in range(cover.shape[1])
        ]
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break
        chosen.append(j)
        covered[cover.indices[cover.indptr[j] : cover.indptr[j + 1]]] = True
    return chosen, w[covered].sum()


def test_lazy_greedy_equals_plain_greedy_and_respects_bound():
    rng = np.random.default_rng(0)
    for trial in range(5):
        cover = sparse.random(120, 25, density=0.1, random_state=trial, format="csc") > 0
        w = rng.uniform(0.5, 2.0, 120)
        chosen, gains = greedy_max_coverage(cover, w, 4)
        plain, value = _plain_greedy(cover, w, 4)
        assert sum(gains) == pytest.approx(value)
        opt, opt_value, proven = exact_max_coverage(cover, w, 4)
        assert proven and len(opt) <= 4
        assert opt_value >= sum(gains) - 1e-9
        assert sum(gains) >= (1 - 1 / np.e) * opt_value


def test_exact_solver_beats_greedy_on_the_classic_trap():
    # greedy takes the big middle set first; two sets cover everything
    cover = np.zeros((6, 3), dtype=bool)
    cover[[0, 1, 2], 0] = True
    cover[[3, 4, 5], 1] = True
    cover[[1, 2, 3, 4], 2] = True
    w = np.array([1, 1, 1.1, 1.1, 1, 1], dtype=float)
    chosen, gains = greedy_max_coverage(sparse.csc_matrix(cover), w, 2)
    assert chosen[0] == 2
    opt, value, proven = exact_max_coverage(sparse.csc_matrix(cover), w, 2)
    assert sorted(opt) == [0, 1] and value == pytest.approx(w.sum()) and proven
    assert sum(gains) < value


def test_one_per_site():
    cover = sparse.csc_matrix(np.eye(4, dtype=bool))
    chosen, _ = greedy_max_coverage(cover, np.array([4.0, 3, 2, 1]), 3, np.array([0, 0, 1, 1]), one_per_site=True)
    assert chosen == [0, 2]
    opt, value, _ = exact_max_coverage(cover, np.array([4.0, 3, 2, 1]), 3, np.array([0, 0, 1, 1]), one_per_site=True)
    assert sorted(opt) == [0, 2] and value == 6.0


def test_suggestions_reach_90_percent_of_the_exact_optimum():
    obs, target = _town()
    res = suggest_cameras(
        target,
        obs,
        None,
        4,
        Camera(0, 0, hfov=70, range_m=45, height_m=6),
        site_spacing=25,
        azimuths_per_site=3,
        sample_spacing=4,
        exact_max_options=3000,
    )
    assert res.optimum is not None and res.optimum_proven
    greedy_only, gains = _greedy_value(target, obs)
    assert greedy_only >= 0.9 * res.optimum
    assert res.total_gain == pytest.approx(max(greedy_only, res.optimum))
    assert len(res.suggestions) == 4
    # gains are what each camera adds, in order, and the new cameras really see that ground
    assert [s.gain for s in res.suggestions] == sorted([s.gain for s in res.suggestions], reverse=True)
    for s in res.suggestions:
        assert s.fov.area > 0 and s.camera.status == "planned"
        assert not obs.tree.query(shapely.Point(s.camera.x, s.camera.y), predicate="within").size


def _greedy_value(target, obs):
    res = suggest_cameras(
        target,
        obs,
        None,
        4,
        Camera(0, 0, hfov=70, range_m=45, height_m=6),
        site_spacing=25,
        azimuths_per_site=3,
        sample_spacing=4,
        exact_max_options=0,
    )
    assert res.method == "greedy" and res.optimum is None
    return res.total_gain, [s.gain for s in res.suggestions]


def test_existing_cameras_and_weights_steer_the_choice():
    target = shapely.box(0, 0, 200, 20)
    sites = [Site(10, 10), Site(190, 10)]
    template = Camera(0, 0, hfov=360, range_m=15)
    # an existing camera already watches the west end: the east site wins
    existing, _ = FovEngine().fovs([Camera(10, 10, hfov=360, range_m=15)])
    res = suggest_cameras(target, Obstacles.empty(), existing, 1, template, sites=sites, sample_spacing=1)
    assert res.suggestions[0].camera.x == 190
    # without it the tie is broken by event weights near the west end
    ev = (np.array([12.0, 8.0]), np.array([10.0, 11.0]), None)
    res = suggest_cameras(target, Obstacles.empty(), None, 1, template, sites=sites, events=ev, sample_spacing=1)
    assert res.suggestions[0].camera.x == 10
    assert res.suggestions[0].gain > res.suggestions[0].gain_m2  # weighted above plain area


def test_candidate_generation():
    obs, target = _town()
    f = facade_sites(obs, target, 10.0)
    s = street_sites(target, 10.0)
    assert len(f) > 50 and len(s) > 20
    union = shapely.union_all(obs.polys)
    for site in f[:50]:
        p = shapely.Point(site.x, site.y)
        assert not union.contains(p) and union.distance(p) < 0.5
        # the hint looks away from the wall
        probe = shapely.Point(site.x + 3 * np.sin(np.radians(site.hint)), site.y + 3 * np.cos(np.radians(site.hint)))
        assert not union.contains(probe)
    for site in s[:50]:
        probe = shapely.Point(site.x + 3 * np.sin(np.radians(site.hint)), site.y + 3 * np.cos(np.radians(site.hint)))
        assert target.contains(probe)


def test_samples_avoid_buildings():
    obs, target = _town()
    smp = sample_target(target, 5.0, obs)
    assert len(smp.x) > 100
    assert not shapely.contains_xy(shapely.union_all(obs.polys), smp.x, smp.y).any()
    assert smp.weight.sum() == pytest.approx(target.area, rel=0.05)
