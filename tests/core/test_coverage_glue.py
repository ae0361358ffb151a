"""Gluing blind-spot pieces across tile borders gives the polygons GEOS's union gives."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.coverage import glue as glue_module
from grid_governance_plugin.core.coverage.glue import adjacent_pairs, components, glue


@pytest.fixture
def no_fallback(monkeypatch):
    """Fail if gluing hands a component to GEOS's union instead of linking the rings itself."""

    def refuse(arr):
        raise AssertionError(f"fell back to union_all for {len(arr)} pieces")

    monkeypatch.setattr(glue_module, "_union_parts", refuse)


def _tiles(geom, size: float):
    """Pieces of ``geom`` cut by a square grid of ``size`` (with each piece's cell) and the interior grid lines."""
    x0, y0, bx1, by1 = geom.bounds
    nx = max(1, math.ceil((bx1 - x0) / size))
    ny = max(1, math.ceil((by1 - y0) / size))
    pieces, cells = [], []
    for ix in range(nx):
        for iy in range(ny):
            clip = shapely.clip_by_rect(
                geom, x0 + ix * size, y0 + iy * size, x0 + (ix + 1) * size, y0 + (iy + 1) * size
            )
            for p in shapely.get_parts(clip):
                if shapely.get_type_id(p) == 3 and p.area > 0:
                    pieces.append(p)
                    cells.append((ix, iy))
    arr = np.empty(len(pieces), dtype=object)
    arr[:] = pieces
    xl = np.array([x0 + k * size for k in range(1, nx)])
    yl = np.array([y0 + k * size for k in range(1, ny)])
    return arr, np.array(cells), xl, yl


def _glue_all(pieces, cells, xl, yl):
    i, j = adjacent_pairs(pieces, cells, xl, yl)
    labels = components(len(pieces), i, j)
    out = []
    for c in np.unique(labels):
        out.extend(glue(pieces[labels == c], xl, yl))
    return out


def _street_network(seed: int):
    """A street-like blind region: a grid of streets with diagonal ones, minus seen wedges and discs."""
    rng = np.random.default_rng(seed)
    streets = [shapely.box(0, y, 400, y + 12) for y in range(0, 400, 60)]
    streets += [shapely.box(x, 0, x + 10, 400) for x in range(0, 400, 70)]
    streets += [shapely.LineString([(0, 0), (400, 330)]).buffer(6, quad_segs=2)]
    space = shapely.union_all(streets)
    seen = [shapely.Point(*rng.uniform(0, 400, 2)).buffer(rng.uniform(5, 30), quad_segs=4) for _ in range(60)]
    # touching-at-a-point configurations, the kind that makes GEOS output pinched rings
    seen += [shapely.box(118, 0, 130, 6), shapely.box(130, 6, 142, 12)]
    return shapely.difference(space, shapely.union_all(seen))


@pytest.mark.parametrize("seed,size", [(1, 37.0), (2, 50.0), (3, 100.0), (4, 23.0)])
def test_glue_equals_union(seed, size, no_fallback):
    blind = _street_network(seed)
    pieces, cells, xl, yl = _tiles(blind, size)
    assert len(pieces) > 50
    glued = _glue_all(pieces, cells, xl, yl)
    ref = [p for p in shapely.get_parts(shapely.union_all(pieces)) if p.area > 0]
    assert len(glued) == len(ref)
    assert all(g.is_valid and g.geom_type == "Polygon" for g in glued)
    assert sorted(g.area for g in glued) == pytest.approx(sorted(p.area for p in ref), rel=1e-9, abs=1e-6)
    assert shapely.symmetric_difference(shapely.union_all(glued), blind).area < 1e-6
    # the same rings: number of holes of each glued polygon matches the union's
    assert sorted(len(g.interiors) for g in glued) == sorted(len(p.interiors) for p in ref)


def test_pieces_touching_at_a_point_only_stay_apart():
    # two squares meeting at one corner on the tile border: two blind spots, as union_all gives
    a = shapely.box(0, 0, 10, 10)
    b = shapely.box(10, 10, 20, 20)
    pieces, cells, xl, yl = _tiles(shapely.union_all([a, b]), 10.0)
    glued = _glue_all(pieces, cells, xl, yl)
    assert sorted(g.area for g in glued) == [100.0, 100.0]


def test_ring_closed_by_gluing_becomes_a_hole(no_fallback):
    ring = shapely.box(0, 0, 30, 30).difference(shapely.box(10, 10, 20, 20))
    pieces, cells, xl, yl = _tiles(ring, 15.0)
    glued = _glue_all(pieces, cells, xl, yl)
    assert len(glued) == 1 and len(glued[0].interiors) == 1
    assert glued[0].area == pytest.approx(800.0)
    assert glued[0].equals(ring)


def test_sliver_a_few_ulps_wide_is_oriented_and_glued(no_fallback):
    """GEOS leaves slivers whose border stretch is one ulp long; their orientation must come out
    right (an area sum would only see rounding noise) or the whole component falls back."""
    x = 3698.670769938584
    x_ulp = float(np.nextafter(x, 0.0))
    below = shapely.Polygon(
        [(3690.0, 6990.0), (3710.0, 6990.0), (3710.0, 7000.0), (x, 7000.0), (x_ulp, 7000.0), (3690.0, 7000.0)]
    )
    sliver = shapely.Polygon([(x, 7000.0), (x_ulp, 7000.0), (3696.578352909183, 7000.886732349403)])
    above = shapely.box(3700.0, 7000.0, 3705.0, 7005.0)
    pieces = np.empty(3, dtype=object)
    pieces[:] = [below, sliver, above]
    cells = np.array([(0, 0), (0, 1), (0, 1)])
    glued = _glue_all(pieces, cells, np.empty(0), np.array([7000.0]))
    assert len(glued) == 1 and glued[0].is_valid
    assert glued[0].area == pytest.approx(below.area + sliver.area + above.area, rel=1e-12)
