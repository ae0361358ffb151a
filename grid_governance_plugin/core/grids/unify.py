"""Proposing one unified grid from several departmental grids (多网融合).

Method:

1. **Overlay.** The boundaries of all departmental grids, of the communities (when
   given) and the reference lines (roads, rivers, walls) are noded together and
   polygonized into faces covering the study area: the communities, or else the
   union of all departmental grids with enclosed holes filled.
2. **Signature.** Each face records which grid of each department holds it (and its
   community). Adjacent faces with the same signature form a *piece*: where all
   departments agree, a piece is a grid they share; where they disagree by a few
   metres, thin pieces appear along the disputed boundaries.
3. **Slivers.** A piece narrower than TOLERANCE (a negative buffer of TOLERANCE/2
   empties it) is a sliver. Slivers are merged, smallest first, into the neighbouring
   piece of the same community with which they share the longest border, not
   counting border along reference lines: so a sliver between a departmental line
   and a road goes to the side away from the road and the boundary snaps to the road.
   Non-sliver neighbours are preferred; a merged sliver never crosses a community.
4. **Output.** Each remaining piece is a unified grid (one contiguous polygon: pieces
   grow only by merging rook neighbours). The takeover table gives for each unified
   grid and each departmental grid it overlaps the area and the shares (of the
   departmental grid, and of the unified grid). Every sliver is reported with the
   departmental grids that disagree there.

Where departments disagree by more than TOLERANCE the proposal keeps the finer
division; the table shows it, and the planner decides.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry.base import BaseGeometry

from ..i18n import tr
from ._geom import GRID_SIZE, as_geoms, make_valid_array, polygonal, segment_adjacency
from .gridstats import owners


@dataclass
class DeptLayer:
    name: str
    geoms: Sequence[BaseGeometry | None]
    codes: Sequence[object]


@dataclass
class Takeover:
    unified: int
    department: str
    dept_code: str
    area: float
    share_of_dept: float  # % of the departmental grid that goes to this unified grid
    share_of_unified: float  # % of the unified grid that came from this departmental grid


@dataclass
class Sliver:
    geom: BaseGeometry
    area: float
    merged_into: int  # unified grid index
    detail: str  # departmental grids involved


@dataclass
class UnifyResult:
    geoms: list[BaseGeometry]
    community: list[str]
    takeovers: list[Takeover]
    slivers: list[Sliver]
    messages: list[str] = field(default_factory=list)

    def sources(self, i: int) -> list[Takeover]:
        return [t for t in self.takeovers if t.unified == i]


def _narrow(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Narrower than ``tolerance`` everywhere (a negative buffer of half of it empties them)."""
    if tolerance <= 0:
        return np.zeros(len(geoms), dtype=bool)
    return shapely.is_empty(shapely.buffer(geoms, -tolerance / 2.0, quad_segs=2))


def _minor(areas: np.ndarray, sigs: np.ndarray, dept_areas: list[np.ndarray], min_share: float) -> np.ndarray:
    """Pieces that are no department's grid: in every department holding them they cover
    less than ``min_share`` of that department's grid (a strip where lines disagree, a
    corner cut off by another department's boundary). Pieces no department holds are not
    minor: they are reported instead."""
    out = np.zeros(len(areas), dtype=bool)
    if min_share <= 0:
        return out
    held_any = np.zeros(len(areas), dtype=bool)
    big_any = np.zeros(len(areas), dtype=bool)
    for d, darea in enumerate(dept_areas):
        k = sigs[:, d + 1]
        held = k >= 0
        held_any |= held
        big_any |= held & (areas >= min_share * np.nan_to_num(darea[np.maximum(k, 0)]))
    return held_any & ~big_any


def _piece_geoms(faces: np.ndarray, piece: np.ndarray, npieces: int) -> np.ndarray:
    """Union of the faces of each piece. Polygonize faces share their edges exactly, so
    the (much faster) coverage union applies."""
    pgeom = np.empty(npieces, dtype=object)
    order = np.argsort(piece, kind="stable")
    bounds = np.searchsorted(piece[order], np.arange(npieces + 1))
    for p in range(npieces):
        members = order[bounds[p] : bounds[p + 1]]
        if len(members) == 1:
            pgeom[p] = faces[members[0]]
        else:
            g = shapely.coverage_union_all(faces[members])
            if shapely.get_type_id(g) not in (3, 6) or not g.is_valid:  # not a clean coverage after all
                g = polygonal(shapely.union_all(faces[members], grid_size=GRID_SIZE))
            pgeom[p] = g
    return pgeom


def unify_grids(
    layers: Sequence[DeptLayer],
    tolerance: float = 5.0,
    reference: Sequence[BaseGeometry] | None = None,
    communities: Sequence[BaseGeometry | None] | None = None,
    community_codes: Sequence[object] | None = None,
    feedback=None,
    min_share: float = 0.5,
) -> UnifyResult:
    """Unify departmental grids (metric CRS); ``tolerance`` in metres.

    A piece that covers less than ``min_share`` of its grid in every department holding it
    is treated as a sliver too, so disagreements wider than TOLERANCE but small next to
    the grids do not become grids of their own (0 turns this off).
    """
    depts = []
    for layer in layers:
        g, _ = make_valid_array(as_geoms(layer.geoms))
        depts.append((layer.name, g, [("" if c is None else str(c)) for c in layer.codes]))
    all_dept = np.concatenate([d[1][~shapely.is_missing(d[1])] for d in depts]) if depts else np.empty(0)
    if len(all_dept) == 0:
        raise ValueError(tr("The departmental layers hold no polygons."))
    messages: list[str] = []
    dept_areas = [shapely.area(g) for _, g, _ in depts]
    if communities is not None:
        comm, _ = make_valid_array(as_geoms(communities))
        codes_in = community_codes if community_codes is not None else [""] * len(comm)
        ccodes = [("" if c is None else str(c)) for c in codes_in]
        keep = ~shapely.is_missing(comm)
        comm, ccodes = comm[keep], [c for c, k in zip(ccodes, keep) if k]
        study = shapely.union_all(comm, grid_size=GRID_SIZE)
    else:
        union = polygonal(shapely.union_all(all_dept, grid_size=GRID_SIZE))
        study = shapely.union_all(
            [shapely.polygons(shapely.get_exterior_ring(p)) for p in shapely.get_parts(union)], grid_size=GRID_SIZE
        )
        comm, ccodes = np.asarray(shapely.get_parts(study), dtype=object), None
    lines = [shapely.boundary(all_dept), shapely.boundary(comm)]
    ref_lines = None
    if reference is not None and len(reference):
        ref = as_geoms(reference)
        ref = ref[~shapely.is_missing(ref)]
        ref = shapely.intersection(ref, shapely.box(*study.bounds).buffer(1.0, quad_segs=1))
        ref = ref[~shapely.is_empty(ref)]
        if len(ref):
            ref_lines = shapely.union_all(ref, grid_size=GRID_SIZE)
            lines.append(np.array([ref_lines], dtype=object))
    if feedback is not None:
        feedback.setProgress(10)
    noded = shapely.union_all(np.concatenate(lines), grid_size=GRID_SIZE)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    pts = shapely.point_on_surface(faces)
    shapely.prepare(study)
    faces, pts = faces[shapely.contains(study, pts)], pts[shapely.contains(study, pts)]
    keep = shapely.area(faces) > 1e-9  # faces collapsed by snap-rounding
    faces, pts = faces[keep], pts[keep]
    nf = len(faces)
    if feedback is not None:
        feedback.setProgress(30)
    # --- signatures ------------------------------------------------------------------
    sig = np.empty((nf, len(depts) + 1), dtype=np.int64)
    sig[:, 0] = owners(comm, pts)
    for d, (_, g, _) in enumerate(depts):
        sig[:, d + 1] = owners(g, pts)
    farea = shapely.area(faces)
    # --- face adjacency, with border along reference lines discounted -----------------
    a, b, length, free_len = segment_adjacency(faces, ref_lines)
    # --- pieces: connected faces with the same signature --------------------------------
    same = np.all(sig[a] == sig[b], axis=1)
    graph = coo_matrix((np.ones(int(same.sum())), (a[same], b[same])), shape=(nf, nf))
    npieces, piece = connected_components(graph, directed=False)
    pgeom = _piece_geoms(faces, piece, npieces)
    psig = np.empty((npieces, sig.shape[1]), dtype=np.int64)
    psig[piece] = sig
    sliver = _narrow(pgeom, tolerance) | _minor(shapely.area(pgeom), psig, dept_areas, min_share)
    if ref_lines is not None:
        # A sliver crossed by a reference line is split back into its faces, so each side
        # merges on its own side of the line and the boundary lands on the reference.
        counts = np.bincount(piece, minlength=npieces)
        loose = sliver[piece] & (counts[piece] > 1)
        if loose.any():
            piece = piece.copy()
            piece[loose] = npieces + np.arange(int(loose.sum()))
            _, piece = np.unique(piece, return_inverse=True)
            npieces = int(piece.max()) + 1
            pgeom = _piece_geoms(faces, piece, npieces)
            psig = np.empty((npieces, sig.shape[1]), dtype=np.int64)
            psig[piece] = sig
            sliver = _narrow(pgeom, tolerance) | _minor(shapely.area(pgeom), psig, dept_areas, min_share)
    if feedback is not None:
        feedback.setProgress(50)
    # border lengths between pieces: (free length, total length)
    border: dict[int, dict[int, list[float]]] = defaultdict(dict)
    cross = piece[a] != piece[b]
    for i, j, fl, tl in zip(piece[a[cross]], piece[b[cross]], free_len[cross], length[cross]):
        if i == j:
            continue
        for x, y in ((i, j), (j, i)):
            e = border[x].setdefault(y, [0.0, 0.0])
            e[0] += fl
            e[1] += tl
    # --- merge slivers, smallest first -------------------------------------------------------
    parent = np.arange(npieces)
    area = shapely.area(pgeom)
    alive_sliver = sliver.copy()
    heap = [(area[p], p) for p in np.flatnonzero(sliver)]
    heapq.heapify(heap)
    merged_log: list[tuple[int, int]] = []  # (sliver piece, into piece)
    while heap:
        _, p = heapq.heappop(heap)
        if parent[p] != p or not alive_sliver[p]:
            continue
        cands = [(q, e) for q, e in border[p].items() if psig[q, 0] == psig[p, 0]]
        if not cands and area[p] < 1.0:
            # a snap-rounding crumb on a community edge: any neighbour will do
            cands = list(border[p].items())
        if not cands:
            alive_sliver[p] = False
            messages.append(
                tr("A sliver of {0} m² has no neighbour in its community and stays a grid.", f"{area[p]:.1f}")
            )
            continue
        # prefer non-slivers, then the neighbour held by the same grids in most departments
        # (a thin neck of a grid goes back to that grid), then the longest border off
        # reference lines, then the longest border
        q, _ = max(
            cands,
            key=lambda qe: (not alive_sliver[qe[0]], int((psig[qe[0], 1:] == psig[p, 1:]).sum()), qe[1][0], qe[1][1]),
        )
        merged_log.append((p, q))
        parent[p] = q
        alive_sliver[p] = False
        if alive_sliver[q]:  # only a growing sliver needs its geometry now (narrowness test)
            pgeom[q] = polygonal(shapely.union(polygonal(pgeom[q]), polygonal(pgeom[p]), grid_size=GRID_SIZE))
        area[q] += area[p]
        for r, e in border.pop(p, {}).items():
            if r == q:
                border[q].pop(p, None)
                continue
            border[r].pop(p, None)
            t = border[q].setdefault(r, [0.0, 0.0])
            t[0] += e[0]
            t[1] += e[1]
            border[r][q] = list(t)
        if alive_sliver[q]:
            # a sliver that grew may stop being one
            grown = np.array([pgeom[q]], dtype=object)
            if not (_narrow(grown, tolerance) | _minor(np.array([area[q]]), psig[q : q + 1], dept_areas, min_share))[0]:
                alive_sliver[q] = False
            else:
                heapq.heappush(heap, (area[q], q))
    if feedback is not None:
        feedback.setProgress(80)

    def root(p: int) -> int:
        while parent[p] != p:
            p = parent[p]
        return p

    # Pieces of the same grids in every department that now touch (a neck between them was
    # a sliver) become one unified grid again.
    for x in list(border):
        if parent[x] != x:
            continue
        for y in list(border.get(x, {})):
            rx, ry = root(x), root(y)
            if rx != ry and (psig[rx] == psig[ry]).all():
                parent[ry] = rx
    roots = sorted({root(p) for p in range(npieces)})
    index = {r: i for i, r in enumerate(roots)}
    face_unified = np.array([index[root(p)] for p in piece], dtype=np.int64)
    geoms = list(_piece_geoms(faces, face_unified, len(roots)))
    community = [ccodes[psig[r, 0]] if ccodes is not None and psig[r, 0] >= 0 else "" for r in roots]
    # --- takeover table from face areas ---------------------------------------------------------
    takeovers: list[Takeover] = []
    uarea = np.bincount(face_unified, weights=farea, minlength=len(roots))
    for d, (name, g, codes) in enumerate(depts):
        col = sig[:, d + 1]
        ok = col >= 0
        darea = shapely.area(g)
        pair_area: dict[tuple[int, int], float] = defaultdict(float)
        for u, k, ar in zip(face_unified[ok], col[ok], farea[ok]):
            pair_area[(int(u), int(k))] += ar
        for (u, k), ar in sorted(pair_area.items()):
            takeovers.append(
                Takeover(
                    u,
                    name,
                    codes[k],
                    float(ar),
                    float(100.0 * ar / darea[k]) if darea[k] > 0 else 0.0,
                    float(100.0 * ar / uarea[u]) if uarea[u] > 0 else 0.0,
                )
            )
    slivers: list[Sliver] = []
    for p, _q in merged_log:
        parts = []
        for d, (name, _g, codes) in enumerate(depts):
            k = psig[p, d + 1]
            parts.append(f"{name}: {codes[k] if k >= 0 else '-'}")
        slivers.append(
            Sliver(
                polygonal(pgeom[p]) if p not in index else pgeom[p],
                float(shapely.area(pgeom[p])),
                index[root(p)],
                "; ".join(parts),
            )
        )
    for i, r in enumerate(roots):
        if (psig[r, 1:] < 0).all():
            messages.append(
                tr(
                    "Unified grid {0} ({1} m²) is covered by no departmental grid.",
                    i + 1,
                    f"{shapely.area(geoms[i]):.0f}",
                )
            )
    for i, g in enumerate(geoms):
        if shapely.get_num_geometries(g) > 1:
            messages.append(tr("Unified grid {0} is in several pieces.", i + 1))
    if feedback is not None:
        feedback.setProgress(100)
    return UnifyResult(geoms, community, takeovers, slivers, messages)
