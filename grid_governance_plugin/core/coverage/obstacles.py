"""Obstacle footprints prepared once for many cameras: repaired polygons, an STRtree and
flat numpy edge arrays (the sweep in :mod:`.visibility` reads edges, not geometries)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def polygonal(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repair geometries and split them into single polygons.

    Returns (polygons, index of the input each polygon came from, input indices that were invalid).
    """
    geoms = np.asarray(geoms, dtype=object)
    present = np.array([g is not None for g in geoms], dtype=bool)
    valid = np.ones(len(geoms), dtype=bool)
    valid[present] = shapely.is_valid(geoms[present])
    invalid = np.flatnonzero(present & ~valid)
    fixed = geoms.copy()
    if len(invalid):
        fixed[invalid] = shapely.make_valid(geoms[invalid])
    idx = np.flatnonzero(present)
    parts, where = shapely.get_parts(fixed[idx], return_index=True)
    # make_valid can return collections with lines and points: keep the areas
    nested_parts, nested_where = shapely.get_parts(parts, return_index=True) if len(parts) else (parts, where)
    where = where[nested_where] if len(parts) else where
    parts = nested_parts
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    return parts[keep], idx[where[keep]], invalid


@dataclass
class Obstacles:
    """Building footprints (metric CRS) ready for visibility sweeps.

    ``polys`` are single, valid, counter-clockwise polygons; polygons whose interiors overlap
    are merged so that edges never cross (the sweep relies on it). Edge k of the
    flat arrays runs from (ax, ay) to (bx, by) with the obstacle's interior on its left.
    """

    polys: np.ndarray
    source: list[np.ndarray]  # per polygon: indices of the input geometries it came from
    invalid: np.ndarray  # indices of input geometries that were invalid and repaired
    ax: np.ndarray = field(repr=False)
    ay: np.ndarray = field(repr=False)
    bx: np.ndarray = field(repr=False)
    by: np.ndarray = field(repr=False)
    edge_start: np.ndarray = field(repr=False)  # polygon i owns edges edge_start[i]:edge_start[i+1]
    tree: shapely.STRtree = field(repr=False)
    # input geometries that were given but keep no area (all points on a line, a ring of two
    # points): nothing of them blocks a view, so callers must say they were dropped
    dropped: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @classmethod
    def build(cls, geoms, merge_overlaps: bool = True) -> Obstacles:
        geoms = np.asarray(geoms, dtype=object) if geoms is not None else np.empty(0, object)
        parts, origin, invalid = polygonal(geoms)
        given = np.flatnonzero([g is not None and not g.is_empty for g in geoms])
        dropped = np.setdiff1d(given, origin)
        sources = [np.array([o]) for o in origin]
        if merge_overlaps and len(parts) > 1:
            parts, sources = _merge_overlapping(parts, sources)
        parts = shapely.orient_polygons(parts) if len(parts) else parts
        ax, ay, bx, by, start = edges_of(parts)
        tree = shapely.STRtree(parts)
        return cls(parts, sources, invalid, ax, ay, bx, by, start, tree, dropped)

    @classmethod
    def empty(cls) -> Obstacles:
        return cls.build(np.empty(0, dtype=object))

    def __len__(self) -> int:
        return len(self.polys)

    def edge_indices(self, poly_ids: np.ndarray) -> np.ndarray:
        """Indices of all edges of the given polygons."""
        if len(poly_ids) == 0:
            return np.empty(0, dtype=np.int64)
        starts = self.edge_start[poly_ids]
        counts = self.edge_start[poly_ids + 1] - starts
        total = int(counts.sum())
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
        return offsets + np.arange(total)


def edges_of(polys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Flat edge arrays of polygons (all rings) and per-polygon edge offsets."""
    if len(polys) == 0:
        z = np.empty(0)
        return z, z, z, z, np.zeros(1, dtype=np.int64)
    rings, ring_owner = shapely.get_rings(polys, return_index=True)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    same = ring_idx[:-1] == ring_idx[1:]  # consecutive vertices of one closed ring form an edge
    a = coords[:-1][same]
    b = coords[1:][same]
    owner = ring_owner[ring_idx[:-1][same]]
    start = np.zeros(len(polys) + 1, dtype=np.int64)
    np.add.at(start, owner + 1, 1)
    return a[:, 0].copy(), a[:, 1].copy(), b[:, 0].copy(), b[:, 1].copy(), np.cumsum(start)


def _merge_overlapping(parts: np.ndarray, sources: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Union groups of polygons whose interiors overlap (touching ones stay apart: row houses
    sharing walls would otherwise become costly block-sized unions)."""
    tree = shapely.STRtree(parts)
    i, j = tree.query(parts, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    if len(i):
        inner = ~shapely.touches(parts[i], parts[j])
        i, j = i[inner], j[inner]
    if len(i) == 0:
        return parts, sources
    n = len(parts)
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    ncomp, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    out: list = []
    out_src: list[np.ndarray] = []
    for group in np.split(order, bounds):
        if len(group) == 1:
            out.append(parts[group[0]])
            out_src.append(sources[group[0]])
            continue
        merged = shapely.make_valid(shapely.union_all(parts[group]))
        for p in shapely.get_parts(merged):
            if shapely.get_type_id(p) == 3 and p.area > 0:
                out.append(p)
                out_src.append(np.unique(np.concatenate([sources[g] for g in group])))
    arr = np.empty(len(out), dtype=object)
    arr[:] = out
    return arr, out_src
