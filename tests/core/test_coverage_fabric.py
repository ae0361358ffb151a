"""The real-fabric benchmark city: deterministic, real footprints, cameras where cameras go."""

from __future__ import annotations

import numpy as np
import shapely

from grid_governance_plugin.core.coverage.fabric import fabric_city


def test_fabric_city_is_deterministic_and_real(realdata):
    a = fabric_city(realdata, n_buildings=3000, n_cameras=300, seed=3, window=800.0)
    b = fabric_city(realdata, n_buildings=3000, n_cameras=300, seed=3, window=800.0)
    assert len(a.buildings) == 3000 and len(a.cameras) == 300
    assert all(x.equals_exact(y, 0) for x, y in zip(a.buildings, b.buildings))
    assert all(x.equals_exact(y, 0) for x, y in zip(a.target, b.target))
    assert [(c.x, c.y, c.azimuth, c.hfov, c.range_m) for c in a.cameras] == [
        (c.x, c.y, c.azimuth, c.hfov, c.range_m) for c in b.cameras
    ]
    other = fabric_city(realdata, n_buildings=3000, n_cameras=300, seed=4, window=800.0)
    assert not all(x.equals_exact(y, 0) for x, y in zip(a.buildings, other.buildings))
    # real OSM footprints: irregular (more than rectangles' 5 coordinates on average), inside the city
    assert shapely.get_num_coordinates(a.buildings).mean() > 6
    x0, y0, x1, y1 = a.extent
    bx = shapely.bounds(a.buildings)
    assert (bx[:, 0] >= x0).all() and (bx[:, 2] <= x1).all() and (bx[:, 1] >= y0).all() and (bx[:, 3] <= y1).all()
    # street space buffered from the real roads, between the footprints
    assert shapely.area(a.target).sum() > 0.1 * (x1 - x0) * (y1 - y0)
    # half the cameras on facades (within a metre of a footprint), the others on street edges, none inside one
    pts = shapely.points([(c.x, c.y) for c in a.cameras])
    tree = shapely.STRtree(a.buildings)
    on_facade = np.zeros(len(pts), dtype=bool)
    on_facade[tree.query(pts, predicate="dwithin", distance=1e-6)[0]] = True
    assert on_facade[:150].all()
    assert not len(tree.query(pts[150:], predicate="within")[0])
    assert a.grids is not None and len(a.grids) > 4
