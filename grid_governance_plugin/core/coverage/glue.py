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
# components glued by linking rings / handed to GEOS's union (and their pieces), for the benchmark
STATS = {"linked": 0, "fallback": 0, "fallback_pieces": 0}


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


def _shells_ccw(pieces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Outer-ring coordinates of the pieces (closed, counter-clockwise) and each vertex's piece.

    GEOS orients the rings (its orientation test is exact: a sliver a few ulps wide still gets
    the right side, where a shoelace sum would only see rounding noise).
    """
    shells = shapely.get_exterior_ring(shapely.orient_polygons(pieces))
    return shapely.get_coordinates(shells, return_index=True)


def _node(coords: np.ndarray, owner: np.ndarray, xlines: np.ndarray, ylines: np.ndarray):
    """Insert into every edge lying on a grid line the vertices any ring has on that line inside it.

    After this, two pieces sharing a stretch of line describe it with the same vertices.
    """
    x, y = coords[:, 0], coords[:, 1]
    same = owner[:-1] == owner[1:]
    at_list, val_list = [], []
    for axis, lines in ((0, xlines), (1, ylines)):
        fixed, along = (x, y) if axis == 0 else (y, x)
        on = np.isin(fixed, lines)
        edge = np.flatnonzero(same & on[:-1] & (fixed[:-1] == fixed[1:]) & (along[:-1] != along[1:]))
        if not len(edge):
            continue
        for value in np.unique(fixed[edge]):
            stops = np.unique(along[on & (fixed == value)])
            e = edge[fixed[edge] == value]
            a0, a1 = along[e], along[e + 1]
            lo, hi = np.minimum(a0, a1), np.maximum(a0, a1)
            k0 = np.searchsorted(stops, lo, "right")
            count = np.maximum(np.searchsorted(stops, hi, "left") - k0, 0)
            total = int(count.sum())
            if not total:
                continue
            step = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            up = np.repeat(a1 > a0, count)
            k = np.where(up, np.repeat(k0, count) + step, np.repeat(k0 + count - 1, count) - step)
            v = stops[k]
            f = np.full(total, value)
            at_list.append(np.repeat(e + 1, count))
            val_list.append(np.column_stack([f, v] if axis == 0 else [v, f]))
    if not at_list:
        return coords, owner
    at = np.concatenate(at_list)
    order = np.argsort(at, kind="stable")
    at, vals = at[order], np.concatenate(val_list)[order]
    return np.insert(coords, at, vals, axis=0), np.insert(owner, at, owner[at])


def node_on_lines(pieces: np.ndarray, xlines: np.ndarray, ylines: np.ndarray) -> np.ndarray:
    """The pieces with their outer rings noded along the grid lines (see :func:`_node`)."""
    coords, owner = _shells_ccw(pieces)
    coords, owner = _node(coords, owner, np.asarray(xlines, float), np.asarray(ylines, float))
    rings = shapely.linearrings(coords, indices=owner)
    holes, hole_owner = _holes(pieces)
    out = np.empty(len(pieces), dtype=object)
    for p in range(len(pieces)):
        out[p] = shapely.polygons(rings[p], holes[hole_owner == p])
    return out


def _holes(pieces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rings, owner = shapely.get_rings(pieces, return_index=True)
    first = np.r_[True, owner[1:] != owner[:-1]]
    return rings[~first], owner[~first]


def _shared_edges(coords: np.ndarray, owner: np.ndarray, xlines: np.ndarray, ylines: np.ndarray) -> np.ndarray:
    """Edges (by start vertex) on a grid line that another ring runs the other way: shared, to drop."""
    x, y = coords[:, 0], coords[:, 1]
    same = owner[:-1] == owner[1:]
    on_x = np.isin(x, xlines)
    on_y = np.isin(y, ylines)
    cand = np.flatnonzero(
        same
        & ((on_x[:-1] & (x[:-1] == x[1:])) | (on_y[:-1] & (y[:-1] == y[1:])))
        & np.any(coords[:-1] != coords[1:], 1)
    )
    removed = np.zeros(len(coords), dtype=bool)
    if not len(cand):
        return removed
    fwd = np.column_stack([coords[cand], coords[cand + 1]])
    rev = np.column_stack([coords[cand + 1], coords[cand]])
    both = np.ascontiguousarray(np.vstack([fwd, rev]))
    _, inv = np.unique(both.view(np.dtype((np.void, both.dtype.itemsize * 4))), return_inverse=True)
    inv = inv.ravel()
    removed[cand[np.isin(inv[len(cand) :], inv[: len(cand)])]] = True
    return removed


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _link(pieces: np.ndarray, comp: np.ndarray, n_comp: int, xlines: np.ndarray, ylines: np.ndarray) -> list:
    """The glued polygon of every component (``comp``: each piece's component, 0 .. n_comp - 1, every
    component of two or more pieces), or None for a component whose linking fails."""
    failed = np.zeros(n_comp, dtype=bool)
    coords, owner = _shells_ccw(pieces)
    coords, owner = _node(coords, owner, xlines, ylines)
    removed = _shared_edges(coords, owner, xlines, ylines)
    start = np.searchsorted(owner, np.arange(len(pieces) + 1))
    # a piece that shares nothing is not what the adjacency found: its component goes to GEOS
    failed[comp[np.bincount(owner[removed], minlength=len(pieces)) == 0]] = True
    # chains: maximal runs of kept edges along each ring, from just after a removed edge to the
    # start of the piece's next removed edge (cyclically): vertices r + 1 .. r_next
    rem = np.flatnonzero(removed)
    piece = owner[rem]
    nxt = np.empty_like(rem)
    if len(rem):
        nxt[:-1] = rem[1:]
        last = np.r_[piece[1:] != piece[:-1], True]
        first = np.r_[True, piece[1:] != piece[:-1]]
        nxt[last] = rem[first]
    s0 = start[piece]
    end = start[piece + 1] - 1  # the closing vertex (repeats the ring's first)
    wrap = nxt <= rem
    size = np.where(wrap, (end - rem) + (nxt - s0), nxt - rem)
    keep = size >= 2  # else two removed edges in a row: nothing between them
    rem, nxt, s0, end, wrap, piece = rem[keep], nxt[keep], s0[keep], end[keep], wrap[keep], piece[keep]
    chains = []  # (component, coordinate slices, first point, last point)
    for r, q, a, z, w, c in zip(rem.tolist(), nxt.tolist(), s0.tolist(), end.tolist(), wrap.tolist(), comp[piece]):
        sl = [coords[r + 1 : z + 1], coords[a + 1 : q + 1]] if w else [coords[r + 1 : q + 1]]
        sl = [x for x in sl if len(x)]
        chains.append((int(c), sl, tuple(sl[0][0]), tuple(sl[-1][-1])))
    by_start: dict[tuple, list[int]] = {}
    for k, (c, _sl, first_pt, _last) in enumerate(chains):
        by_start.setdefault((c, first_pt), []).append(k)
    # link the chains into rings; where several chains leave one point (pieces that also touch
    # there) any pairing will do: the rings are split at repeated points below
    used = np.zeros(len(chains), dtype=bool)
    rings, ring_comp = [], []
    for k0 in range(len(chains)):
        c = chains[k0][0]
        if used[k0] or failed[c]:
            continue
        parts, k = [], k0
        used[k] = True
        while True:
            _c, sl, _first, last_pt = chains[k]
            parts.extend(sl)
            if last_pt == chains[k0][2]:
                break  # back at the start (checked first: the start's list is already used up)
            free = [j for j in by_start.get((c, last_pt), ()) if not used[j]]
            if not free:
                failed[c] = True
                break
            k = free[0]
            used[k] = True
        if failed[c]:
            continue
        ring = np.concatenate(parts)
        keep = np.ones(len(ring), dtype=bool)
        keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)  # joints repeat a point
        rings.append(ring[keep])
        ring_comp.append(c)
    rings, ring_comp = _split_pinched(rings, ring_comp)
    areas = np.array([_signed_area(r) for r in rings])
    ring_comp = np.asarray(ring_comp, dtype=np.int64)
    # loops of no area: the two sides of a hair-thin gap GEOS left between pieces of one tile
    outer = areas > SLIVER_M2
    inner = areas < -SLIVER_M2
    n_outer = np.bincount(ring_comp[outer], minlength=n_comp)
    failed |= n_outer != 1
    old_holes, hole_owner = _holes(pieces)
    hole_comp = comp[hole_owner]
    new_idx = np.flatnonzero(inner)
    made = np.empty(0, dtype=object)
    if len(new_idx):
        sizes = [len(rings[k]) for k in new_idx]
        made = shapely.linearrings(
            np.concatenate([rings[k] for k in new_idx]), indices=np.repeat(np.arange(len(new_idx)), sizes)
        )
    holes = np.concatenate([made, old_holes])
    holes_comp = np.concatenate([ring_comp[new_idx], hole_comp])
    order = np.argsort(holes_comp, kind="stable")
    holes, holes_comp = holes[order], holes_comp[order]
    h_start = np.searchsorted(holes_comp, np.arange(n_comp + 1))
    total = np.bincount(comp, weights=shapely.area(pieces), minlength=n_comp)
    out: list = [None] * n_comp
    for k in np.flatnonzero(outer):
        c = ring_comp[k]
        if failed[c]:
            continue
        poly = shapely.polygons(shapely.linearrings(rings[k]), holes[h_start[c] : h_start[c + 1]])
        if abs(poly.area - total[c]) <= 1e-9 * total[c] + 1e-6:
            out[c] = poly  # else not the pieces' union: GEOS does it
    return out


def _split_pinched(rings: list[np.ndarray], comps: list[int]) -> tuple[list[np.ndarray], list[int]]:
    """Rings (with their components) with :func:`_split_loops` applied to those that pass a point twice."""
    if not rings:
        return rings, comps
    pts = np.ascontiguousarray(np.concatenate([r[:-1] for r in rings]))
    rid = np.repeat(np.arange(len(rings)), [len(r) - 1 for r in rings])
    order = np.lexsort((pts[:, 1], pts[:, 0], rid))
    sp = pts[order]
    same = np.all(sp[1:] == sp[:-1], axis=1) & (rid[order][1:] == rid[order][:-1])
    if not same.any():
        return rings, comps
    pinched = set(rid[order][1:][same].tolist())
    out, out_comp = [], []
    for k, (r, c) in enumerate(zip(rings, comps)):
        loops = _split_loops(r) if k in pinched else [r]
        out.extend(loops)
        out_comp.extend([c] * len(loops))
    return out, out_comp


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
    return glue_components(arr, np.zeros(len(arr), dtype=np.int64), xlines, ylines)[0]


def glue_components(pieces: np.ndarray, labels: np.ndarray, xlines: np.ndarray, ylines: np.ndarray) -> list[list]:
    """:func:`glue` for every component at once (``labels``: each piece's component, 0 .. n - 1):
    one list of polygons per component, in label order."""
    pieces = np.asarray(pieces, dtype=object)
    labels = np.asarray(labels, dtype=np.int64)
    n = int(labels.max()) + 1 if len(labels) else 0
    out: list[list] = [[] for _ in range(n)]
    size = np.bincount(labels, minlength=n)
    for k in np.flatnonzero(size[labels] == 1):
        out[labels[k]] = [pieces[k]]
    multi = np.flatnonzero(size[labels] > 1)
    if len(multi):
        order = multi[np.argsort(labels[multi], kind="stable")]
        comps, comp_local = np.unique(labels[order], return_inverse=True)
        linked = _link(
            pieces[order], comp_local, len(comps), np.asarray(xlines, dtype=float), np.asarray(ylines, dtype=float)
        )
        for c, poly in zip(comps, linked):
            if poly is not None:
                out[c] = [poly]
                STATS["linked"] += 1
            else:
                out[c] = _union_parts(pieces[labels == c])
                STATS["fallback"] += 1
                STATS["fallback_pieces"] += int(size[c])
    return out


def _union_parts(arr: np.ndarray) -> list:
    """The fallback: GEOS's union, split into polygons."""
    merged = shapely.union_all(arr)
    return [p for p in shapely.get_parts(merged) if shapely.get_type_id(p) == 3]
