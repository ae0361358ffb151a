"""Coverage engine as it was before issue #13 (commit 738c160), kept verbatim as the baseline that
bench_coverage.py --check compares the current engine with (same areas per grid, same blind spots).
Not used by the plugin."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from grid_governance_plugin.core.coverage.obstacles import Obstacles, polygonal


@dataclass
class BlindSpot:
    geom: Any
    area: float
    grid: Any  # grid id (index into the grids given), None outside every grid / without grids


@dataclass
class GridStat:
    grid: Any
    geom: Any
    target_m2: float = 0.0
    covered_m2: float = 0.0
    blind_count: int = 0
    blind_m2: float = 0.0
    multi_m2: float = 0.0
    cameras: int = 0

    @property
    def ratio(self) -> float:
        return self.covered_m2 / self.target_m2 if self.target_m2 > 0 else 0.0


@dataclass
class CoverageResult:
    coverage: list[tuple[Any, Any]] = field(default_factory=list)  # (geometry, grid id or None)
    blind_spots: list[BlindSpot] = field(default_factory=list)
    grid_stats: list[GridStat] = field(default_factory=list)
    invalid_targets: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    invalid_grids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    canceled: bool = False

    @property
    def target_m2(self) -> float:
        return sum(s.target_m2 for s in self.grid_stats)

    @property
    def covered_m2(self) -> float:
        return sum(s.covered_m2 for s in self.grid_stats)


def split_by_size(geoms: np.ndarray, max_vertices: int = 2000, depth: int = 0) -> np.ndarray:
    """Cut polygons into quadrants until each piece has at most ``max_vertices`` vertices."""
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        if shapely.get_num_coordinates(g) <= max_vertices or depth > 12:
            out.append(g)
            continue
        x0, y0, x1, y1 = g.bounds
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        quads = [
            shapely.clip_by_rect(g, *r)
            for r in ((x0, y0, xm, ym), (xm, y0, x1, ym), (x0, ym, xm, y1), (xm, ym, x1, y1))
        ]
        quads = [q for q in quads if not q.is_empty and q.area > 0]
        out.extend(split_by_size(np.array(quads + [None], dtype=object)[:-1], max_vertices, depth + 1))
    arr = np.empty(len(out), dtype=object)
    arr[:] = out
    return arr


def _union(geoms) -> Any:
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return shapely.Polygon()
    if len(geoms) == 1:
        return geoms[0]
    arr = np.array(geoms + [None], dtype=object)[:-1]
    try:
        return shapely.union_all(arr)
    except shapely.errors.GEOSException:
        # robustness fallback: repair, then snap-round to 0.1 mm
        return shapely.union_all(shapely.make_valid(arr), grid_size=1e-4)


def _overlay(op, a, b):
    """``a.intersection(b)`` / ``a.difference(b)`` with the same fallback as ``_union``."""
    try:
        return op(a, b)
    except shapely.errors.GEOSException:
        return op(shapely.make_valid(a), shapely.make_valid(b), grid_size=1e-4)


def _disjoint_union(geoms) -> Any:
    """Union of non-overlapping polygons (merged obstacles): a MultiPolygon when that is valid
    (they meet at most in points), else a real union (they share walls)."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    if len(parts) == 0:
        return shapely.Polygon()
    multi = shapely.multipolygons(parts)
    return multi if multi.is_valid else _union(list(parts))


def _area_only(g) -> Any:
    if g is None or g.is_empty:
        return shapely.Polygon()
    tid = shapely.get_type_id(g)
    if tid in (3, 6):
        return g
    parts = [p for p in shapely.get_parts(g) if shapely.get_type_id(p) in (3, 6)]
    return _union(parts)


@dataclass
class _RegionOut:
    """What one region contributes; plain data so that worker processes can send it back."""

    gid: Any
    is_tile: bool
    target_m2: float = 0.0
    covered_m2: float = 0.0
    multi_m2: float = 0.0
    cameras: list[int] = field(default_factory=list)
    covered: Any = None
    blind: list = field(default_factory=list)  # finished single polygons
    seam: list = field(default_factory=list)  # tile pieces touching the tile border
    empty: bool = True


class _Job:
    """Everything the regions need, shared by the worker processes through fork."""

    def __init__(self, fovs, tparts, obstacles, gparts, regions, min_blind_area, timings):
        self.fovs = fovs
        self.fov_tree = shapely.STRtree(fovs)
        self.tparts = tparts
        self.target_tree = shapely.STRtree(tparts)
        self.obstacles = obstacles
        self.gparts = gparts
        self.grid_tree = shapely.STRtree(gparts) if gparts is not None and len(gparts) else None
        self.regions = regions
        self.min_blind_area = min_blind_area
        self.timings = timings

    def run(self, k: int) -> _RegionOut:
        region, gid, is_tile = self.regions[k]
        out = _RegionOut(gid, is_tile)
        if region is None or region.is_empty:
            return out
        clock = _Clock(self.timings)
        target = _clip_target(self.tparts, self.target_tree, region, is_tile)
        if is_tile and self.grid_tree is not None and not target.is_empty:
            near = self.grid_tree.query(region, predicate="intersects")
            if len(near):
                target = _overlay(
                    shapely.difference, target, _union(shapely.clip_by_rect(self.gparts[near], *region.bounds))
                )
        obstacles = self.obstacles
        if not target.is_empty and len(obstacles):
            # only obstacles whose interior meets the target: facades merely touching the street change nothing
            near = np.union1d(
                obstacles.tree.query(target, predicate="overlaps"), obstacles.tree.query(target, predicate="contains")
            )
            if len(near):
                target = _overlay(
                    shapely.difference,
                    target,
                    _disjoint_union(shapely.clip_by_rect(obstacles.polys[near], *region.bounds)),
                )
        target = _area_only(target)
        clock("target")
        if target.is_empty or target.area <= 0:
            return out
        out.empty = False
        sel = self.fov_tree.query(target, predicate="intersects")
        clipped = shapely.clip_by_rect(self.fovs[sel], *target.bounds) if len(sel) else np.empty(0, dtype=object)
        seen = _union(list(clipped)) if len(sel) else shapely.Polygon()
        covered = _area_only(_overlay(shapely.intersection, target, seen)) if len(sel) else shapely.Polygon()
        clock("covered")
        if len(sel) > 1:
            ltree = shapely.STRtree(clipped)
            i, j = ltree.query(clipped, predicate="intersects")
            keep = i < j
            if keep.any():
                inter = _overlay(shapely.intersection, clipped[i[keep]], clipped[j[keep]])
                out.multi_m2 = _area_only(_overlay(shapely.intersection, target, _union(list(inter)))).area
        clock("multi")
        blind = _area_only(_overlay(shapely.difference, target, seen)) if len(sel) else target
        pieces = [p for p in shapely.get_parts(blind) if shapely.get_type_id(p) == 3 and p.area > 0]
        out.target_m2 = target.area
        out.covered_m2 = covered.area
        out.cameras = sel.tolist()
        out.covered = covered
        if is_tile:
            border = region.boundary
            for p in pieces:
                if p.intersects(border):
                    out.seam.append(p)
                elif p.area >= self.min_blind_area:
                    out.blind.append(p)
        else:
            out.blind = [p for p in pieces if p.area >= self.min_blind_area]
        clock("blind")
        return out


_JOB: _Job | None = None


def _run_chunk(ks: list[int]) -> bytes:
    import pickle

    outs = [_JOB.run(k) for k in ks]
    for o in outs:  # geometries travel as WKB
        o.covered = shapely.to_wkb(o.covered) if o.covered is not None else None
        o.blind = [shapely.to_wkb(g) for g in o.blind]
        o.seam = [shapely.to_wkb(g) for g in o.seam]
    return pickle.dumps(outs)


def _map_regions(job: _Job, workers: int, progress) -> list[_RegionOut] | None:
    n = len(job.regions)
    if workers <= 1 or n < 4:
        outs = []
        for k in range(n):
            if progress is not None and progress(k, n):
                return None
            outs.append(job.run(k))
        return outs
    import multiprocessing as mp
    import pickle

    global _JOB
    _JOB = job
    chunks = [list(range(k, min(n, k + 8))) for k in range(0, n, 8)]
    outs: list[_RegionOut] = []
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for c, data in enumerate(pool.imap(_run_chunk, chunks)):
                if progress is not None and progress(c * 8, n):
                    pool.terminate()
                    return None
                for o in pickle.loads(data):
                    o.covered = shapely.from_wkb(o.covered) if o.covered is not None else None
                    o.blind = list(shapely.from_wkb(o.blind)) if o.blind else []
                    o.seam = list(shapely.from_wkb(o.seam)) if o.seam else []
                    outs.append(o)
    finally:
        _JOB = None
    return outs


def compute_coverage(
    fovs: np.ndarray,
    targets: np.ndarray,
    obstacles: Obstacles | None = None,
    grids: np.ndarray | None = None,
    tile_size: float = 500.0,
    min_blind_area: float = 1.0,
    progress: Callable[[int, int], bool] | None = None,
    timings: dict[str, float] | None = None,
    dissolve: bool | None = None,
    workers: int = 1,
) -> CoverageResult:
    """Coverage of ``targets`` (minus obstacles) by the union of ``fovs``.

    With ``grids`` every grid is one region (stats, coverage and blind spots per grid,
    blind spots cut at grid borders) and target outside all grids forms one more region
    (grid None) handled by tiles. Without grids the target is processed in tiles of
    ``tile_size`` metres; blind spots cut by tile borders are glued back together.
    The tiles' coverage is dissolved into one geometry when ``dissolve`` is True (None:
    when there are at most 100 tiles; a city-wide dissolve costs more than the rest).
    ``progress(i, n)`` returning True cancels. Blind spots smaller than ``min_blind_area``
    m2 (slivers along sight lines) are dropped. ``workers`` > 1 forks worker processes
    (not for use inside the QGIS GUI).
    """
    result = CoverageResult()
    fovs = np.asarray(fovs, dtype=object)
    fovs = fovs[[f is not None and not f.is_empty for f in fovs]] if len(fovs) else fovs
    tparts, _, result.invalid_targets = polygonal(np.asarray(targets, dtype=object))
    tparts = split_by_size(tparts)
    obstacles = obstacles if obstacles is not None else Obstacles.empty()

    regions: list[tuple[Any, Any, bool]] = []  # (geometry, grid id, is a tile)
    gparts_all = None
    if grids is not None and len(grids):
        garr = np.asarray(grids, dtype=object)
        gpolys, gorigin, result.invalid_grids = polygonal(garr)
        for gid in range(len(garr)):
            sel = gpolys[gorigin == gid]
            geom = _union(list(sel)) if len(sel) else None
            regions.append((geom, gid, False))
        gparts_all = gpolys
    n_tiles = 0
    if len(tparts):
        x0, y0, x1, y1 = shapely.total_bounds(tparts)
        nx = max(1, math.ceil((x1 - x0) / tile_size))
        ny = max(1, math.ceil((y1 - y0) / tile_size))
        for ix in range(nx):
            for iy in range(ny):
                box = shapely.box(
                    x0 + ix * tile_size,
                    y0 + iy * tile_size,
                    min(x1, x0 + (ix + 1) * tile_size),
                    min(y1, y0 + (iy + 1) * tile_size),
                )
                regions.append((box, None, True))
                n_tiles += 1
    job = _Job(fovs, tparts, obstacles, gparts_all, regions, min_blind_area, timings)
    outs = _map_regions(job, workers, progress)
    if outs is None:
        result.canceled = True
        return result

    clock = _Clock(timings)
    tile_stat = GridStat(None, None)
    tile_cams: set[int] = set()
    tile_cover: list = []
    seam: list = []
    for (region, _gid, _t), o in zip(regions, outs):
        if not o.is_tile:
            stat = GridStat(
                o.gid,
                region,
                o.target_m2,
                o.covered_m2,
                len(o.blind),
                sum(p.area for p in o.blind),
                o.multi_m2,
                len(o.cameras),
            )
            result.grid_stats.append(stat)
            result.blind_spots.extend(BlindSpot(p, p.area, o.gid) for p in o.blind)
            if not o.empty:
                result.coverage.append((o.covered, o.gid))
            continue
        if o.empty:
            continue
        tile_stat.target_m2 += o.target_m2
        tile_stat.covered_m2 += o.covered_m2
        tile_stat.multi_m2 += o.multi_m2
        tile_cams.update(o.cameras)
        result.blind_spots.extend(BlindSpot(p, p.area, None) for p in o.blind)
        seam.extend(o.seam)
        if o.covered is not None and not o.covered.is_empty:
            tile_cover.append(o.covered)
    if seam:
        for p in shapely.get_parts(_union(seam)):
            if shapely.get_type_id(p) == 3 and p.area >= min_blind_area:
                result.blind_spots.append(BlindSpot(p, p.area, None))
    # with grids, target left outside them only counts when it is more than reprojection noise
    if tile_stat.target_m2 > (max(min_blind_area, 1e-6) if grids is not None and len(grids) else 0.0):
        tile_blind = [b for b in result.blind_spots if b.grid is None]
        tile_stat.blind_count = len(tile_blind)
        tile_stat.blind_m2 = sum(b.area for b in tile_blind)
        tile_stat.cameras = len(tile_cams)
        result.grid_stats.append(tile_stat)
        if dissolve or (dissolve is None and n_tiles <= 100):
            result.coverage.append((_union(tile_cover), None))
        else:
            result.coverage.extend((g, None) for g in tile_cover)
    clock("dissolve")
    return result


class _Clock:
    """Adds elapsed seconds per phase into ``timings`` (for the benchmark)."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.t = time.perf_counter()

    def __call__(self, phase: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self.t
            self.t = now


def _clip_target(tparts: np.ndarray, tree: shapely.STRtree, region, is_tile: bool):
    sel = tree.query(region, predicate="intersects")
    if not len(sel):
        return shapely.Polygon()
    if is_tile:
        pieces = shapely.clip_by_rect(tparts[sel], *region.bounds)
    else:
        pieces = _overlay(shapely.intersection, tparts[sel], region)
    return _area_only(_union(list(pieces)))
