"""Generated test data: a city of communities tiled by grids, with buildings and roads.

Used by the tests and the benchmark; deterministic for a given seed. Coordinates are
metres in a made-up local frame (put them in any metric CRS, e.g. EPSG:4547).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

COUNTY = "310101"
ORIGIN = (500000.0, 3450000.0)


@dataclass
class City:
    community_geoms: np.ndarray
    community_codes: list[str]
    grid_geoms: np.ndarray
    grid_codes: list[str]
    grid_community: np.ndarray  # index into communities
    building_geoms: np.ndarray
    households: np.ndarray
    population: np.ndarray


def community_code(street: int, community: int, county: str = COUNTY) -> str:
    return f"{county}{street:03d}{community:03d}"


def make_city(
    communities_x: int = 5,
    communities_y: int = 4,
    grid_cols: int = 3,
    grid_rows: int = 2,
    grid_size: float = 200.0,
    buildings_per_grid: int = 16,
    seed: int = 1,
) -> City:
    """Communities of grid_cols x grid_rows square grids, buildings on a lattice in each grid.

    Grid codes follow the rule (serials west->east, north->south) so the city is clean.
    """
    rng = np.random.default_rng(seed)
    x0, y0 = ORIGIN
    cw, ch = grid_cols * grid_size, grid_rows * grid_size
    comm_geoms, comm_codes, grids, gcodes, gcomm = [], [], [], [], []
    side = int(np.ceil(np.sqrt(buildings_per_grid)))
    cell = grid_size / side
    bx, by = np.meshgrid(np.arange(side), np.arange(side))
    bx, by = bx.ravel()[:buildings_per_grid], by.ravel()[:buildings_per_grid]
    blds = []
    for cy in range(communities_y):
        for cx in range(communities_x):
            k = len(comm_geoms)
            street = 1 + k // 20
            code = community_code(street, 1 + k % 20)
            left, top = x0 + cx * cw, y0 - cy * ch
            comm_geoms.append(shapely.box(left, top - ch, left + cw, top))
            comm_codes.append(code)
            serial = 0
            for r in range(grid_rows):
                for c in range(grid_cols):
                    serial += 1
                    gl, gt = left + c * grid_size, top - r * grid_size
                    grids.append(shapely.box(gl, gt - grid_size, gl + grid_size, gt))
                    gcodes.append(f"{code}{serial:03d}")
                    gcomm.append(k)
                    blds.append(np.column_stack([gl + bx * cell, gt - (by + 1) * cell]))
    corners = np.concatenate(blds)
    margin = cell * 0.2
    b = shapely.box(
        corners[:, 0] + margin, corners[:, 1] + margin, corners[:, 0] + cell - margin, corners[:, 1] + cell - margin
    )
    hh = rng.integers(5, 45, len(b))
    pop = (hh * rng.uniform(2.0, 3.2, len(b))).round().astype(int)
    return City(
        np.array(comm_geoms, dtype=object),
        comm_codes,
        np.array(grids, dtype=object),
        gcodes,
        np.array(gcomm),
        b,
        hh,
        pop,
    )


@dataclass
class Community:
    geom: Polygon
    roads: list[LineString]
    buildings: np.ndarray
    households: np.ndarray


def make_community(
    width: float = 900.0,
    height: float = 600.0,
    n_buildings: int = 600,
    road_x: tuple[float, ...] = (300.0, 600.0),
    road_y: tuple[float, ...] = (300.0,),
    seed: int = 7,
) -> Community:
    """A rectangular community crossed by straight roads, random buildings kept off the roads.

    A couple of buildings straddle a road centreline on purpose (as in OSM, where roads
    are centrelines and buildings pass over them), to check that none is ever cut.
    """
    rng = np.random.default_rng(seed)
    x0, y0 = ORIGIN
    geom = shapely.box(x0, y0, x0 + width, y0 + height)
    roads = [LineString([(x0 + x, y0 - 20), (x0 + x, y0 + height + 20)]) for x in road_x]
    roads += [LineString([(x0 - 20, y0 + y), (x0 + width + 20, y0 + y)]) for y in road_y]
    road_zone = shapely.union_all([r.buffer(8) for r in roads])
    # Jittered lattice: cells off the roads, one building per cell, so buildings never overlap.
    free = geom.area - road_zone.intersection(geom).area
    spacing = np.sqrt(free / (n_buildings * 1.15))
    while True:
        xs = np.arange(x0 + 1, x0 + width - spacing, spacing)
        ys = np.arange(y0 + 1, y0 + height - spacing, spacing)
        cx, cy = (a.ravel() for a in np.meshgrid(xs, ys))
        w = spacing * rng.uniform(0.45, 0.8, len(cx))
        h = spacing * rng.uniform(0.45, 0.8, len(cx))
        ox = rng.uniform(0, spacing - w)
        oy = rng.uniform(0, spacing - h)
        boxes = shapely.box(cx + ox, cy + oy, cx + ox + w, cy + oy + h)
        boxes = boxes[~shapely.intersects(boxes, road_zone)]
        if len(boxes) >= n_buildings or spacing < 3:
            break
        spacing *= 0.95
    blds = list(boxes[np.sort(rng.permutation(len(boxes))[:n_buildings])])
    # Two buildings across road centrelines.
    if road_x:
        rx = x0 + road_x[0]
        blds.append(shapely.box(rx - 12, y0 + 40, rx + 12, y0 + 60))
    if road_y:
        ry = y0 + road_y[0]
        blds.append(shapely.box(x0 + 100, ry - 10, x0 + 125, ry + 10))
    blds = np.array(blds, dtype=object)
    hh = rng.integers(4, 40, len(blds))
    return Community(geom, roads, blds, hh)
