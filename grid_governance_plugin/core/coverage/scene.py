"""Generated scenes for tests and benchmarks: random buildings and cameras, and a city-sized block grid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity

from .camera import Camera


@dataclass
class Scene:
    buildings: np.ndarray  # shapely polygons
    cameras: list[Camera]
    target: object  # polygon to be watched
    grids: np.ndarray
    extent: tuple[float, float, float, float]


def random_scene(
    seed: int = 0, size: float = 400.0, n_buildings: int = 60, n_cameras: int = 25, x0: float = 0.0, y0: float = 0.0
) -> Scene:
    """Rotated rectangles and L shapes (some overlapping) in a square, cameras in the open and on facades."""
    rng = np.random.default_rng(seed)
    blds = []
    for i in range(n_buildings):
        cx, cy = rng.uniform(20, size - 20, 2)
        w, h = rng.uniform(6, 35, 2)
        b = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        if i % 4 == 1:
            b = b.union(shapely.box(cx - w / 2, cy, cx + w, cy + h / 3))  # L shape
        if i % 3 == 0:
            b = affinity.rotate(b, rng.uniform(0, 90))
        blds.append(affinity.translate(b, x0, y0))
    buildings = np.empty(len(blds), dtype=object)
    buildings[:] = blds
    union = shapely.union_all(buildings)
    cams: list[Camera] = []
    while len(cams) < n_cameras:
        k = len(cams)
        if k % 5 == 4:  # on a facade
            b = blds[int(rng.integers(len(blds)))]
            p = b.exterior.interpolate(float(rng.uniform(0, 1)), normalized=True)
            x, y = p.x, p.y
        else:
            x, y = rng.uniform(0, size, 2) + (x0, y0)
            if union.contains(shapely.Point(x, y)):
                continue
        hfov = float(rng.choice([45.0, 60.0, 90.0, 120.0, 360.0]))
        tilt = vfov = None
        if k % 3 == 1:
            tilt, vfov = float(rng.uniform(10, 30)), float(rng.uniform(20, 40))
        cams.append(
            Camera(
                x,
                y,
                azimuth=float(rng.uniform(0, 360)),
                hfov=hfov,
                range_m=float(rng.uniform(30, 120)),
                height_m=float(rng.uniform(3, 10)),
                tilt=tilt,
                vfov=vfov,
                id=f"cam{k}",
            )
        )
    target = shapely.box(x0, y0, x0 + size, y0 + size).difference(
        shapely.box(x0 + size * 0.4, y0 + size * 0.4, x0 + size * 0.55, y0 + size * 0.55)
    )  # a hole: not a target
    half = size / 2
    grids = np.array(
        [
            shapely.box(x0 + i * half, y0 + j * half, x0 + (i + 1) * half, y0 + (j + 1) * half)
            for i in range(2)
            for j in range(2)
        ]
        + [None],
        dtype=object,
    )[:-1]
    return Scene(buildings, cams, target, grids, (x0, y0, x0 + size, y0 + size))


def block_city(
    n_buildings: int, n_cameras: int, seed: int = 0, block: float = 100.0, street: float = 20.0, per_block: int = 12
) -> Scene:
    """A city on a square block grid: ``per_block`` buildings along each block's edges, cameras on streets and facades.

    The target is the street space (the city square minus the blocks), built per block row so
    that it stays made of moderately sized polygons.
    """
    rng = np.random.default_rng(seed)
    n_blocks = max(1, n_buildings // per_block)
    side = int(np.ceil(np.sqrt(n_blocks)))
    pitch = block + street
    bx0, by0 = np.meshgrid(np.arange(side) * pitch + street, np.arange(side) * pitch + street)
    bx0, by0 = bx0.ravel()[:n_blocks], by0.ravel()[:n_blocks]
    # buildings: per_block boxes around the block perimeter, depth 15-25 m, random widths
    k = per_block // 4
    seg = block / k
    xs, ys, ws, hs = [], [], [], []
    for side_i in range(4):
        for j in range(k):
            depth = rng.uniform(12, 25, n_blocks)
            width = seg - rng.uniform(1, 4, n_blocks)
            off = j * seg
            if side_i == 0:  # south
                x, y, w, h = bx0 + off, by0, width, depth
            elif side_i == 1:  # north
                x, y, w, h = bx0 + off, by0 + block - depth, width, depth
            elif side_i == 2:  # west, between the south and north rows so that nothing overlaps
                short = (block - 50.0) / k
                x, y, w, h = bx0, by0 + 25.0 + j * short, depth, short - (seg - width)
            else:  # east
                short = (block - 50.0) / k
                x, y, w, h = bx0 + block - depth, by0 + 25.0 + j * short, depth, short - (seg - width)
            xs.append(x)
            ys.append(y)
            ws.append(w)
            hs.append(h)
    x, y, w, h = (np.concatenate(a) for a in (xs, ys, ws, hs))
    buildings = shapely.box(x, y, x + w, y + h)[:n_buildings]
    extent = (0.0, 0.0, side * pitch + street, side * pitch + street)
    # cameras: half on the street centre lines, half on facades (south/north walls)
    n_street = n_cameras // 2
    along = rng.uniform(0, extent[2], n_street)
    line = rng.integers(0, side + 1, n_street) * pitch + street / 2
    horiz = rng.random(n_street) < 0.5
    cx = np.where(horiz, along, line)
    cy = np.where(horiz, line, along)
    pick = rng.integers(0, len(buildings), n_cameras - n_street)
    bb = shapely.bounds(buildings[pick])
    fx = rng.uniform(bb[:, 0], bb[:, 2])
    fy = np.where(rng.random(len(pick)) < 0.5, bb[:, 1], bb[:, 3])
    cx, cy = np.concatenate((cx, fx)), np.concatenate((cy, fy))
    az = rng.uniform(0, 360, n_cameras)
    hfov = rng.choice([60.0, 90.0, 120.0, 360.0], n_cameras)
    rng_m = rng.uniform(30, 80, n_cameras)
    cams = [
        Camera(float(a), float(b), azimuth=float(c), hfov=float(d), range_m=float(e), height_m=6.0, id=i)
        for i, (a, b, c, d, e) in enumerate(zip(cx, cy, az, hfov, rng_m))
    ]
    # street space per row of blocks: a strip minus its blocks, plus the horizontal streets
    rows = []
    blocks = shapely.box(bx0, by0, bx0 + block, by0 + block)
    for r in range(side):
        y_lo = r * pitch + street
        strip = shapely.box(0, y_lo, extent[2], y_lo + block)
        in_row = blocks[(by0 == y_lo)]
        rows.append(strip.difference(shapely.union_all(in_row)) if len(in_row) else strip)
        rows.append(shapely.box(0, r * pitch, extent[2], r * pitch + street))
    rows.append(shapely.box(0, side * pitch, extent[2], side * pitch + street))
    target = np.empty(len(rows), dtype=object)
    target[:] = rows
    g = 4
    gs = extent[2] / g
    grids = np.array(
        [shapely.box(i * gs, j * gs, (i + 1) * gs, (j + 1) * gs) for i in range(g) for j in range(g)] + [None],
        dtype=object,
    )[:-1]
    return Scene(buildings, cams, target, grids, extent)
