"""Reference evaluator: the three visibility rules applied literally, point by point.

Slow (one shapely predicate per point and obstacle) and independent of the sweep's
edge arithmetic; tests compare the engine against it.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from .camera import Camera
from .obstacles import polygonal


def seen_by(
    cam: Camera,
    px: np.ndarray,
    py: np.ndarray,
    obstacles=None,
    facade_tol: float = 1.0,
    far_cap: float | None = None,
) -> np.ndarray:
    """Boolean array: which points (px, py) camera ``cam`` sees under rules 1-3 and the mount rule."""
    px = np.asarray(px, dtype=float)
    py = np.asarray(py, dtype=float)
    near, far = cam.near_far()
    if far_cap is not None:
        far = min(far, far_cap)
    dx, dy = px - cam.x, py - cam.y
    dist = np.hypot(dx, dy)
    ok = (dist >= near) & (dist <= far)  # rule 1
    if cam.hfov < 360.0:  # rule 2
        bearing = np.degrees(np.arctan2(dx, dy)) % 360.0
        diff = np.abs((bearing - cam.azimuth + 180.0) % 360.0 - 180.0)
        ok &= diff <= cam.hfov / 2.0
    if obstacles is None or len(obstacles) == 0 or not ok.any():
        return ok
    polys, _, _ = polygonal(np.asarray(obstacles, dtype=object))
    cpt = shapely.points(cam.x, cam.y)
    hosts = shapely.dwithin(polys, cpt, facade_tol)
    if hosts.any():
        inside = shapely.contains(polys[hosts], cpt)
        if (inside & (shapely.distance(shapely.boundary(polys[hosts]), cpt) > facade_tol)).any():
            return np.zeros_like(ok)  # deep inside a building: sees nothing
    idx = np.flatnonzero(ok)
    pts = shapely.points(px[idx], py[idx])
    tree = shapely.STRtree(polys)
    # rule 3a: the point itself must not be inside an obstacle
    hit = tree.query(pts, predicate="intersects")
    covered = np.zeros(len(idx), dtype=bool)
    if hit.shape[1]:
        interior = shapely.relate_pattern(pts[hit[0]], polys[hit[1]], "T********")
        covered[hit[0][interior]] = True
    # rule 3b: the sight line must not cross an obstacle's interior; the mount building
    # only blocks outside a disc of facade_tol around the camera (sight starts at the facade)
    blockers = polys.copy()
    if hosts.any():
        notch = shapely.buffer(cpt, facade_tol, quad_segs=16)
        blockers[hosts] = shapely.difference(polys[hosts], notch)
    btree = shapely.STRtree(blockers)
    segs = shapely.linestrings(
        np.stack(
            [
                np.column_stack([np.full(len(idx), cam.x), np.full(len(idx), cam.y)]),
                np.column_stack([px[idx], py[idx]]),
            ],
            axis=1,
        )
    )
    pairs = btree.query(segs, predicate="intersects")
    blocked = np.zeros(len(idx), dtype=bool)
    if pairs.shape[1]:
        crosses = shapely.relate_pattern(segs[pairs[0]], blockers[pairs[1]], "T********")
        blocked[pairs[0][crosses]] = True
    ok[idx] = ~covered & ~blocked
    return ok


def seen_count(cams: list[Camera], px, py, obstacles=None, facade_tol: float = 1.0, far_cap=None) -> np.ndarray:
    """How many of ``cams`` see each point."""
    count = np.zeros(len(px), dtype=np.int32)
    for cam in cams:
        cap = far_cap(cam) if callable(far_cap) else far_cap
        count += seen_by(cam, px, py, obstacles, facade_tol, cap if cap is None or math.isfinite(cap) else None)
    return count
