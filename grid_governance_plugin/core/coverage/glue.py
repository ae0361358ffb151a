"""Gluing blind-spot pieces back together across tile borders.

Coverage is computed tile by tile (square tiles on a regular grid), so a blind spot that crosses
a tile border comes back as several pieces, one per tile. On a real street fabric most of the
unseen street space is one connected network: gluing it with ``shapely.union_all`` overlays
millions of vertices in one serial step (117 s of a 172 s city run). The pieces are disjoint
and only meet along the tile borders, which are axis-parallel lines known in advance, so the
same polygons can be rebuilt much more cheaply:

1. :func:`adjacent_pairs` finds the pieces that share a stretch of border (not just a point):
   an interval sweep along each border line, no geometry predicates;
2. :func:`glue` inserts into every border edge the vertices the piece across the line has on
   it (so both sides describe the shared stretch with the same vertices), drops the edges the
   two sides share, and links what remains of the outer rings into rings again. Holes of the
   pieces stay as they are; rings closed by the gluing become new holes.

The result is the polygon ``union_all`` gives (same rings, up to ring order and collinear
vertices on the borders). Where the linking is ambiguous (pieces that also touch at a single
point on a border) the component falls back to ``union_all``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

SLIVER_M2 = 1e-6  # rings of less area than this left over by the linking are dropped


def _line_intervals(pieces: np.ndarray, lines: np.ndarray, axis: int):
    """Edges of the pieces' outer rings lying on one of ``lines`` (x = c for axis 0, y = c for axis 1).

    Returns (line value, low, high, piece index) per edge.
    """
    rings = shapely.get_exterior_ring(pieces)
    coords, owner = shapely.get_coordinates(rings, return_index=True)
    a, b = coords[:-1], coords[1:]
    same = owner[:-1] == owner[1:]
    k, other = axis, 1 - axis
    on = same & (a[:, k] == b[:, k]) & np.isin(a[:, k], lines) & (a[:, other] != b[:, other])
    lo = np.minimum(a[on, other], b[on, other])
    hi = np.maximum(a[on, other], b[on, other])
    return a[on, k], lo, hi, owner[:-1][on]


def adjacent_pairs(
    pieces: np.ndarray, cell: np.ndarray, xlines: np.ndarray, ylines: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) of pieces from neighbouring cells that share a stretch of border line.

    ``cell`` holds each piece's (column, row) on the tile grid; ``xlines``/``ylines`` are the
    interior grid lines. Pieces of one cell are disjoint, so along a line the stretches of one
    side never overlap each other and a sorted sweep finds the overlapping pairs.
    """
    out_i, out_j = [], []
    for axis, lines in ((0, np.asarray(xlines, float)), (1, np.asarray(ylines, float))):
        if not len(lines) or not len(pieces):
            continue
        value, lo, hi, who = _line_intervals(pieces, lines, axis)
        if not len(value):
            continue
        line_no = np.searchsorted(lines, value)
        # a piece on the low side of line n sits in cell n (lines are the cells' upper borders)
        low_side = cell[who, axis] == line_no
        for n in np.unique(line_no):
            on = line_no == n
            left = on & low_side
            right = on & ~low_side
            if not left.any() or not right.any():
                continue
            r = np.flatnonzero(right)
            r = r[np.argsort(lo[r])]
            r_lo, r_hi = lo[r], hi[r]
            left_idx = np.flatnonzero(left)
            # right stretches overlapping [a, b] with positive length: hi > a and lo < b
            k0 = np.searchsorted(r_hi, lo[left_idx], "right")
            k1 = np.searchsorted(r_lo, hi[left_idx], "left")
            count = np.maximum(k1 - k0, 0)
            if not count.sum():
                continue
            li = np.repeat(left_idx, count)
            start = np.repeat(k0 - np.cumsum(count) + count, count)
            ri = r[start + np.arange(count.sum())]
            ok = (np.minimum(hi[li], hi[ri]) - np.maximum(lo[li], lo[ri])) > 0
            out_i.append(who[li[ok]])
            out_j.append(who[ri[ok]])
    if not out_i:
        z = np.empty(0, dtype=np.int64)
        return z, z
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    pairs = np.unique(np.column_stack([np.minimum(i, j), np.maximum(i, j)]), axis=0)
    return pairs[:, 0], pairs[:, 1]


def components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``n`` pieces given adjacent pairs (i, j)."""
    if n == 0:
        return np.empty(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def node_on_lines(pieces: np.ndarray, xlines: np.ndarray, ylines: np.ndarray) -> np.ndarray:
    """Insert into every edge lying on a grid line the vertices any piece has on that line inside it.

    After this, two pieces sharing a stretch of line describe it with the same vertices.
    """
    xlines = np.asarray(xlines, dtype=float)
    ylines = np.asarray(ylines, dtype=float)
    rings, ring_owner = shapely.get_rings(pieces, return_index=True)
    coords, ridx = shapely.get_coordinates(rings, return_index=True)
    x, y = coords[:, 0], coords[:, 1]
    onx, ony = np.isin(x, xlines), np.isin(y, ylines)
    stops: dict[tuple[int, float], np.ndarray] = {}
    for axis, on, key, along in ((0, onx, x, y), (1, ony, y, x)):
        k, a = key[on], along[on]
        order = np.lexsort((a, k))
        k, a = k[order], a[order]
        cut = np.flatnonzero(np.diff(k)) + 1
        for kk, aa in zip(np.split(k, cut), np.split(a, cut)):
            if len(kk):
                stops[(axis, float(kk[0]))] = np.unique(aa)
    same = ridx[:-1] == ridx[1:]
    vert = same & onx[:-1] & (x[:-1] == x[1:])
    horiz = same & ony[:-1] & (y[:-1] == y[1:])
    inserts: dict[int, np.ndarray] = {}
    for i in np.flatnonzero(vert | horiz):
        axis = 0 if vert[i] else 1
        fixed = x[i] if axis == 0 else y[i]
        a0, a1 = (y[i], y[i + 1]) if axis == 0 else (x[i], x[i + 1])
        line = stops[(axis, float(fixed))]
        lo, hi = (a0, a1) if a0 < a1 else (a1, a0)
        s = line[np.searchsorted(line, lo, "right") : np.searchsorted(line, hi, "left")]
        if not len(s):
            continue
        if a1 < a0:
            s = s[::-1]
        f = np.full(len(s), fixed)
        inserts[i] = np.column_stack([f, s] if axis == 0 else [s, f])
    if not inserts:
        return pieces
    starts = np.searchsorted(ridx, np.arange(len(rings) + 1))
    first_ring = np.searchsorted(ring_owner, np.arange(len(pieces) + 1))
    out = pieces.copy()
    at = np.array(sorted(inserts))
    for p in np.unique(ring_owner[ridx[at]]):
        new_rings = []
        for r in range(first_ring[p], first_ring[p + 1]):
            s0, s1 = starts[r], starts[r + 1]
            parts, prev = [], s0
            for i in at[(at >= s0) & (at < s1)]:
                parts.append(coords[prev : i + 1])
                parts.append(inserts[int(i)])
                prev = i + 1
            parts.append(coords[prev:s1])
            new_rings.append(np.concatenate(parts))
        out[p] = shapely.Polygon(new_rings[0], new_rings[1:])
    return out


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _link(pieces: np.ndarray, xlines: np.ndarray, ylines: np.ndarray):
    """The glued polygon of one component, or None when the linking is ambiguous."""
    shells = shapely.get_exterior_ring(pieces)
    coords, owner = shapely.get_coordinates(shells, return_index=True)
    n = len(coords)
    start = np.searchsorted(owner, np.arange(len(pieces) + 1))
    x, y = coords[:, 0], coords[:, 1]
    same = np.zeros(n, dtype=bool)
    same[:-1] = owner[:-1] == owner[1:]  # edge e runs from vertex e to e + 1
    onx, ony = np.isin(x, xlines), np.isin(y, ylines)
    cand = np.flatnonzero(
        same & ((onx & np.roll(onx, -1) & (x == np.roll(x, -1))) | (ony & np.roll(ony, -1) & (y == np.roll(y, -1))))
    )
    # an edge a->b on a line is shared when another piece has b->a
    key = {(x[e], y[e], x[e + 1], y[e + 1]): e for e in cand}
    removed = np.zeros(n, dtype=bool)
    for e in cand:
        if (x[e + 1], y[e + 1], x[e], y[e]) in key:
            removed[e] = True
    if not removed.any():
        return None
    # chains: maximal runs of kept edges along each ring, between two removed edges (cyclically)
    chains = []  # (coordinate slices, first point, last point)
    for p in range(len(pieces)):
        s0 = start[p]
        m = start[p + 1] - s0 - 1  # edges of the ring; vertex m repeats vertex 0
        r = np.flatnonzero(removed[s0 : s0 + m])
        if not len(r):
            return None  # a piece of the component shares nothing: not what the adjacency found
        for a, b in zip(r, np.roll(r, -1)):
            if a < b:  # edges a+1 .. b-1, vertices a+1 .. b
                sl = [coords[s0 + a + 1 : s0 + b + 1]]
            else:  # around the ring's end: vertices a+1 .. m, then 1 .. b
                sl = [coords[s0 + a + 1 : s0 + m + 1], coords[s0 + 1 : s0 + b + 1]]
            sl = [c for c in sl if len(c)]
            if sum(len(c) for c in sl) < 2:
                continue  # two removed edges in a row
            chains.append((sl, tuple(sl[0][0]), tuple(sl[-1][-1])))
    by_start: dict[tuple, list[int]] = {}
    for c, (_sl, first, _last) in enumerate(chains):
        by_start.setdefault(first, []).append(c)
    # link the chains into rings; where several chains leave one point (pieces that also touch
    # there) any pairing will do: the rings are split at repeated points below
    used = np.zeros(len(chains), dtype=bool)
    rings = []
    for c0 in range(len(chains)):
        if used[c0]:
            continue
        parts, c = [], c0
        used[c] = True
        while True:
            sl, _first, last = chains[c]
            parts.extend(sl)
            if last == chains[c0][1]:
                break  # back at the start (checked first: the start's list is already used up)
            free = [k for k in by_start.get(last, ()) if not used[k]]
            if not free:
                return None
            c = free[0]
            used[c] = True
        ring = np.concatenate(parts)
        keep = np.ones(len(ring), dtype=bool)
        keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)  # joints repeat a point
        rings.extend(_split_loops(ring[keep]))
    areas = np.array([_signed_area(r) for r in rings])
    # loops of no area: the two sides of a hair-thin gap GEOS left between pieces of one tile
    outer = np.flatnonzero(areas > SLIVER_M2)
    if len(outer) != 1:
        return None
    new_holes = [rings[k] for k in np.flatnonzero(areas < -SLIVER_M2)]
    old_holes = [ring for p in pieces for ring in p.interiors]
    out = shapely.Polygon(rings[outer[0]], [*new_holes, *old_holes])
    total = float(shapely.area(pieces).sum())
    if abs(out.area - total) > 1e-9 * total + 1e-6:
        return None  # not the pieces' union: let GEOS do it
    return out


def _split_loops(ring: np.ndarray) -> list[np.ndarray]:
    """A closed ring that passes a point more than once, as the simple loops it is made of.

    Occurrences p1 < p2 < ... < pk of one point close the loops [p1, p2), ..., [p(k-1), pk) and
    the rest of the ring jumps from p1 to pk; re-pointing those successors turns the ring's
    cycle into one cycle per loop.
    """
    pts = np.ascontiguousarray(ring[:-1])
    m = len(pts)
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    s = pts[order]
    dup = np.flatnonzero(np.all(s[1:] == s[:-1], axis=1))
    if not len(dup):
        return [ring]
    nxt = {}
    group_start = np.flatnonzero(np.r_[True, np.any(s[1:] != s[:-1], axis=1)])
    group_end = np.r_[group_start[1:], m]
    for g0, g1 in zip(group_start, group_end):
        if g1 - g0 < 2:
            continue
        pos = np.sort(order[g0:g1])
        for t in range(len(pos) - 1):
            nxt[int(pos[t + 1] - 1) % m] = int(pos[t])
        nxt[int(pos[0] - 1) % m] = int(pos[-1])
    breaks = np.array(sorted(nxt))
    loops, done = [], set()
    for b0 in breaks:
        start = nxt[int(b0)]
        if start in done:
            continue
        parts, at = [], start
        while True:
            done.add(at)
            k = int(np.searchsorted(breaks, at))
            end = int(breaks[k]) if k < len(breaks) else int(breaks[0])
            if end >= at:
                parts.append(pts[at : end + 1])
            else:
                parts.append(pts[at:])
                parts.append(pts[: end + 1])
            at = nxt[end]
            if at == start:
                break
        loop = np.concatenate(parts)
        loops.append(np.vstack([loop, loop[:1]]))
    return loops


def glue(pieces: Sequence, xlines: np.ndarray, ylines: np.ndarray) -> list:
    """The polygons ``union_all(pieces)`` makes of one component of edge-adjacent pieces."""
    arr = np.asarray(pieces, dtype=object)
    if len(arr) == 1:
        return [arr[0]]
    xlines = np.asarray(xlines, dtype=float)
    ylines = np.asarray(ylines, dtype=float)
    noded = node_on_lines(shapely.orient_polygons(arr), xlines, ylines)
    out = _link(noded, xlines, ylines)
    if out is not None:
        return [out]
    return _union_parts(arr)


def _union_parts(arr: np.ndarray) -> list:
    """The fallback: GEOS's union, split into polygons."""
    merged = shapely.union_all(arr)
    return [p for p in shapely.get_parts(merged) if shapely.get_type_id(p) == 3]
