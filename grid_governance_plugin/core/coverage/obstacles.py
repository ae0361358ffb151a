"""Obstacle footprints prepared once for many cameras: repaired polygons, an STRtree and
flat numpy edge arrays (the sweep in :mod:`.visibility` reads edges, not geometries)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .forking import fork_map, state


def polygonal(geoms: np.ndarray, workers: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repair geometries and split them into single polygons.

    Returns (polygons, index of the input each polygon came from, input indices that were invalid).
    ``workers`` > 1 checks validity in forked processes when there is much to check.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = np.array([g is not None for g in geoms], dtype=bool)
    valid = np.ones(len(geoms), dtype=bool)
    valid[present] = _is_valid(geoms[present], workers)
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


PARALLEL_VERTICES = 500_000  # vertices from which a validity check with workers forks them


def _is_valid(geoms: np.ndarray, workers: int) -> np.ndarray:
    """``shapely.is_valid``, over chunks of about equal vertex counts in ``workers`` processes."""
    if workers <= 1 or not len(geoms):
        return shapely.is_valid(geoms)
    size = np.cumsum(shapely.get_num_coordinates(geoms))
    if size[-1] < PARALLEL_VERTICES:
        return shapely.is_valid(geoms)
    cuts = np.searchsorted(size, np.linspace(0, size[-1], 4 * workers + 1)[1:-1])
    chunks = [c for c in np.split(np.arange(len(geoms)), np.unique(cuts)) if len(c)]
    return np.concatenate(fork_map(_valid_chunk, chunks, workers, geoms))


def _valid_chunk(idx: np.ndarray) -> np.ndarray:
    return shapely.is_valid(state()[idx])


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
    # per polygon: it may touch another (False: it surely does not; None: not known). A set of
    # polygons none of which touches another is a valid MultiPolygon without any union.
    meets: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def build(cls, geoms, merge_overlaps: bool = True, workers: int = 1) -> Obstacles:
        """``workers`` > 1 forks processes for the overlap search and merging (batch runs only)."""
        geoms = np.asarray(geoms, dtype=object) if geoms is not None else np.empty(0, object)
        parts, origin, invalid = polygonal(geoms, workers)
        given = np.flatnonzero([g is not None and not g.is_empty for g in geoms])
        dropped = np.setdiff1d(given, origin)
        sources = [np.array([o]) for o in origin]
        meets = None  # unknown: any footprint may touch another
        if merge_overlaps and len(parts) > 1:
            parts, sources, meets = _merge_overlapping(parts, sources, workers)
        parts = shapely.orient_polygons(parts) if len(parts) else parts
        ax, ay, bx, by, start = edges_of(parts)
        tree = shapely.STRtree(parts)
        return cls(parts, sources, invalid, ax, ay, bx, by, start, tree, dropped, meets)

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


PARALLEL_MIN = 20_000  # footprints from which a build with workers forks them


def _merge_overlapping(
    parts: np.ndarray, sources: list[np.ndarray], workers: int = 1
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """Union groups of polygons whose interiors overlap (touching ones stay apart: row houses
    sharing walls would otherwise become costly block-sized unions)."""
    tree = shapely.STRtree(parts)
    n = len(parts)
    workers = workers if n >= PARALLEL_MIN else 1
    chunks = np.array_split(np.arange(n), max(1, 4 * workers)) if workers > 1 else [np.arange(n)]
    found = fork_map(_overlap_pairs, chunks, workers, (parts, tree))
    i = np.concatenate([f[0] for f in found])
    j = np.concatenate([f[1] for f in found])
    meets = np.zeros(n, dtype=bool)
    for f in found:
        meets[f[2]] = True
    if len(i) == 0:
        return parts, sources, meets
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    ncomp, labels = connected_components(graph, directed=False)
    size = np.bincount(labels, minlength=ncomp)
    order = np.argsort(labels, kind="stable")
    multi = order[size[labels[order]] > 1]
    groups = np.split(multi, np.flatnonzero(np.diff(labels[multi])) + 1) if len(multi) else []
    merged = [m for chunk in fork_map(_union_groups, _chunked(groups, workers), workers, parts) for m in chunk]
    # output in component order: a component's polygons where its first member was
    first = order[np.r_[0, np.flatnonzero(np.diff(labels[order])) + 1]]  # first member per label
    count = np.ones(ncomp, dtype=np.int64)
    group_label = [int(labels[g[0]]) for g in groups]
    for lab, polys in zip(group_label, merged):
        count[lab] = len(polys)
    offset = np.cumsum(count) - count
    arr = np.empty(int(count.sum()), dtype=object)
    out_src: list = [None] * len(arr)
    single = size == 1
    arr[offset[single]] = parts[first[single]]
    for pos, k in zip(offset[single].tolist(), first[single].tolist()):
        out_src[pos] = sources[k]
    out_meets = np.zeros(len(arr), dtype=bool)
    out_meets[offset[single]] = meets[first[single]]
    for lab, group, polys in zip(group_label, groups, merged):
        src = np.unique(np.concatenate([sources[g] for g in group]))
        for q, poly in enumerate(polys):
            arr[offset[lab] + q] = poly
            out_src[offset[lab] + q] = src
            out_meets[offset[lab] + q] = True  # conservatively: it may touch a neighbour
    if (count == 0).any():  # a merged group that left no area
        keep = np.array([g is not None for g in arr], dtype=bool)
        arr, out_meets = arr[keep], out_meets[keep]
        out_src = [s for s, k in zip(out_src, keep) if k]
    return arr, out_src, out_meets


def _chunked(groups: list, workers: int) -> list[list]:
    if workers <= 1:
        return [groups]
    k = max(1, 4 * workers)
    step = -(-len(groups) // k)
    return [groups[c : c + step] for c in range(0, len(groups), step)]


def _overlap_pairs(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) among ``idx`` x all parts whose interiors overlap, and the parts that meet any other."""
    parts, tree = state()
    q, j = tree.query(parts[idx], predicate="intersects")
    i = idx[q]
    keep = i != j
    meets = np.unique(i[keep])
    keep = i < j
    i, j = i[keep], j[keep]
    if len(i):
        inner = ~shapely.touches(parts[i], parts[j])
        i, j = i[inner], j[inner]
    return i, j, meets


def _union_groups(groups: list[np.ndarray]) -> list[list]:
    parts = state()
    out = []
    for group in groups:
        merged = shapely.make_valid(shapely.union_all(parts[group]))
        out.append([p for p in shapely.get_parts(merged) if shapely.get_type_id(p) == 3 and p.area > 0])
    return out
