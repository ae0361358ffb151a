"""Small geometry helpers shared by the grid modules."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

# Snap-rounding grid (m) for overlay results that must tile exactly: with one fixed
# precision GEOS nodes shared edges identically, so unions of neighbours leave no
# micro gaps. 1 µm: far below survey accuracy, slivers it leaves stay under 0.01 m².
GRID_SIZE = 1e-6


def as_geoms(values) -> np.ndarray:
    """A 1-d object array of geometries; an object ndarray is returned as is (no copy:
    callers never write into it), anything else is copied in."""
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """The polygonal part of ``geom`` (drops points/lines a make_valid or overlay left)."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, (Polygon, MultiPolygon))]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def polygonal_array(geoms: np.ndarray) -> np.ndarray:
    """``polygonal`` over an object array, fast path for arrays already polygonal."""
    out = np.array(geoms, dtype=object, copy=True)
    types = shapely.get_type_id(out)
    # 3 Polygon, 6 MultiPolygon; -1 None
    bad = ~np.isin(types, (3, 6, -1))
    for i in np.flatnonzero(bad):
        out[i] = polygonal(out[i])
    empty = shapely.is_empty(out) & (types != -1)
    out[empty] = None
    return out


def make_valid_array(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(valid polygonal geometries, mask of inputs that were invalid)."""
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    valid = shapely.is_valid(geoms) | missing
    fixed = geoms.copy()
    bad = np.flatnonzero(~valid)
    if len(bad):
        fixed[bad] = shapely.make_valid(geoms[bad])
    return polygonal_array(fixed), ~valid


def largest_part(geom: BaseGeometry) -> Polygon:
    parts = shapely.get_parts(geom)
    return parts[int(np.argmax(shapely.area(parts)))]


def shared_length(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Length of the common boundary of polygon pairs (0 for corner or no touch)."""
    inter = shapely.intersection(shapely.boundary(a), shapely.boundary(b), grid_size=GRID_SIZE)
    return shapely.length(inter)


def marker(point: BaseGeometry, size: float = 0.5) -> Polygon:
    """A small square around a point so point-like problems fit a polygon layer."""
    x, y = point.x, point.y
    return shapely.box(x - size, y - size, x + size, y + size)


def segment_adjacency(faces: np.ndarray, ref_lines: BaseGeometry | None = None):
    """(i, j, shared length, shared length off reference lines) for faces sharing edges.

    Faces of one polygonize (or of one overlay) share their edges vertex for vertex, so
    adjacency comes from matching ring segments: exact there, and far faster than pairwise
    boundary intersections. Neighbours meeting at a T-junction (no common segment) are not
    found; callers that can have those complete the result with GEOS.
    """
    rings, ring_face = shapely.get_rings(faces, return_index=True)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    same = ring_idx[1:] == ring_idx[:-1]
    p0, p1 = coords[:-1][same], coords[1:][same]
    seg_face = ring_face[ring_idx[:-1][same]]
    q0 = np.round(p0 / GRID_SIZE).astype(np.int64)
    q1 = np.round(p1 / GRID_SIZE).astype(np.int64)
    swap = (q0[:, 0] > q1[:, 0]) | ((q0[:, 0] == q1[:, 0]) & (q0[:, 1] > q1[:, 1]))
    k0 = np.where(swap[:, None], q1, q0)
    k1 = np.where(swap[:, None], q0, q1)
    order = np.lexsort((k1[:, 1], k1[:, 0], k0[:, 1], k0[:, 0]))
    key = np.column_stack([k0, k1])[order]
    eq = np.all(key[1:] == key[:-1], axis=1)
    s0, s1 = order[:-1][eq], order[1:][eq]
    fa, fb = seg_face[s0], seg_face[s1]
    ok = fa != fb
    s0, fa, fb = s0[ok], fa[ok], fb[ok]
    seg_len = np.hypot(*(p1[s0] - p0[s0]).T)
    on_ref = np.zeros(len(s0), dtype=bool)
    if ref_lines is not None and len(s0):
        mid = shapely.points((p0[s0] + p1[s0]) / 2.0)
        ref_parts = shapely.get_parts(ref_lines)
        hit, _ = shapely.STRtree(ref_parts).query(mid, predicate="dwithin", distance=GRID_SIZE * 5)
        on_ref[hit] = True
    lo, hi = np.minimum(fa, fb), np.maximum(fa, fb)
    pair, inv = np.unique(lo * len(faces) + hi, return_inverse=True)
    length = np.bincount(inv, weights=seg_len, minlength=len(pair))
    free = np.bincount(inv, weights=np.where(on_ref, 0.0, seg_len), minlength=len(pair))
    keep = length > GRID_SIZE
    return (pair // len(faces))[keep], (pair % len(faces))[keep], length[keep], free[keep]
