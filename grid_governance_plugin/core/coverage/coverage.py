"""Coverage of target areas by fields of view: covered part, blind spots, per-grid figures.

Work goes region by region (grids, or square tiles when no grids are given) so that
memory grows with the size of one region, not the city. Targets are first cut into
pieces of bounded size so clipping a city-wide street polygon stays cheap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from .glue import adjacent_pairs, components, glue_components
from .obstacles import Obstacles, polygonal


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


class CoverageSetup:
    """The camera-independent half of a coverage run: targets cut into regions (grids, or square
    tiles of ``tile_size`` metres where no grid is), each region's target minus the obstacles.

    A region's coverage is a pure function of its prepared target and the fields of view that
    reach it: :meth:`evaluate` is all a live update (core/coverage/live.py) has to redo.
    """

    def __init__(
        self, targets, obstacles: Obstacles | None = None, grids=None, tile_size: float = 500.0, workers: int = 1
    ):
        self.obstacles = obstacles if obstacles is not None else Obstacles.empty()
        tparts, _, self.invalid_targets = polygonal(np.asarray(targets, dtype=object), workers)
        # (cutting on the tile grid instead would make tiles ~25 % cheaper to prepare, but moves
        # vertices by an ulp, and GEOS then splits blind spots that touch at a point differently)
        self.tparts = split_by_size(tparts)
        self.target_tree = shapely.STRtree(self.tparts)
        self.tile_size = float(tile_size)
        self.invalid_grids = np.empty(0, dtype=np.int64)
        self.regions: list[tuple[Any, Any, bool]] = []  # (geometry, grid id, is a tile)
        self.cells: dict[int, tuple[int, int]] = {}  # tile region -> (column, row)
        self.gparts = None
        self.has_grids = grids is not None and len(grids) > 0
        if self.has_grids:
            garr = np.asarray(grids, dtype=object)
            gpolys, gorigin, self.invalid_grids = polygonal(garr)
            for gid in range(len(garr)):
                sel = gpolys[gorigin == gid]
                self.regions.append((_union(list(sel)) if len(sel) else None, gid, False))
            self.gparts = gpolys
        self.grid_tree = shapely.STRtree(self.gparts) if self.gparts is not None and len(self.gparts) else None
        self.xlines = self.ylines = np.empty(0)
        self.n_tiles = 0
        if len(self.tparts):
            x0, y0, x1, y1 = shapely.total_bounds(self.tparts)
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
                    self.cells[len(self.regions)] = (ix, iy)
                    self.regions.append((box, None, True))
            # the interior tile borders, computed as the boxes' coordinates are
            self.xlines = np.array([x0 + ix * tile_size for ix in range(1, nx)])
            self.ylines = np.array([y0 + iy * tile_size for iy in range(1, ny)])
            self.n_tiles = nx * ny
        geoms = np.array([g if g is not None else shapely.Polygon() for g, _, _ in self.regions] + [None], dtype=object)
        self.region_tree = shapely.STRtree(geoms[:-1])

    def __len__(self) -> int:
        return len(self.regions)

    def target(self, k: int):
        """Region ``k``'s target: the target polygons inside it, minus obstacles (and grids, for tiles)."""
        region, _gid, is_tile = self.regions[k]
        if region is None or region.is_empty:
            return shapely.Polygon()
        target = _clip_target(self.tparts, self.target_tree, region, is_tile)
        if is_tile and self.grid_tree is not None and not target.is_empty:
            near = self.grid_tree.query(region, predicate="intersects")
            if len(near):
                target = _overlay(
                    shapely.difference, target, _union(shapely.clip_by_rect(self.gparts[near], *region.bounds))
                )
        if not target.is_empty and len(self.obstacles):
            blocks = _obstacles_in(self.obstacles, target, region.bounds)
            if blocks is not None:
                target = _overlay(shapely.difference, target, blocks)
        return _area_only(target)

    def evaluate(
        self, k: int, target, fovs: np.ndarray, ids: np.ndarray, min_blind_area: float, timings=None
    ) -> _RegionOut:
        """Coverage of region ``k`` (prepared ``target``) by the fields of view ``fovs`` (camera ``ids``)
        that intersect it."""
        region, gid, is_tile = self.regions[k]
        out = _RegionOut(gid, is_tile)
        if target is None or target.is_empty or target.area <= 0:
            return out
        clock = _Clock(timings)
        out.empty = False
        n = len(fovs)
        clipped = shapely.clip_by_rect(fovs, *target.bounds) if n else np.empty(0, dtype=object)
        seen = _union(list(clipped)) if n else shapely.Polygon()
        covered = _area_only(_overlay(shapely.intersection, target, seen)) if n else shapely.Polygon()
        clock("covered")
        if n > 1:
            ltree = shapely.STRtree(clipped)
            i, j = ltree.query(clipped, predicate="intersects")
            keep = i < j
            if keep.any():
                inter = _overlay(shapely.intersection, clipped[i[keep]], clipped[j[keep]])
                out.multi_m2 = _area_only(_overlay(shapely.intersection, target, _union(list(inter)))).area
        clock("multi")
        blind = _area_only(_overlay(shapely.difference, target, seen)) if n else target
        pieces = [p for p in shapely.get_parts(blind) if shapely.get_type_id(p) == 3 and p.area > 0]
        out.target_m2 = target.area
        out.covered_m2 = covered.area
        out.cameras = [int(c) for c in ids]
        out.covered = covered
        if is_tile:
            border = region.boundary
            for p in pieces:
                if p.intersects(border):
                    out.seam.append(p)
                elif p.area >= min_blind_area:
                    out.blind.append(p)
        else:
            out.blind = [p for p in pieces if p.area >= min_blind_area]
        clock("blind")
        return out

    def glue_seams(self, seam: list, cells: list[tuple[int, int]], min_blind_area: float) -> list:
        """Blind spots of the pieces cut at tile borders, glued back together (see :mod:`.glue`)."""
        if not seam:
            return []
        pieces = _as_array(seam)
        cell = np.array(cells, dtype=np.int64).reshape(len(seam), 2)
        i, j = adjacent_pairs(pieces, cell, self.xlines, self.ylines)
        labels = components(len(pieces), i, j)
        glued = glue_components(pieces, labels, self.xlines, self.ylines)
        return [p for polys in glued for p in polys if p.area >= min_blind_area]


def _as_array(geoms) -> np.ndarray:
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    return arr


def _obstacles_in(obstacles: Obstacles, target, bounds):
    """The obstacles meeting ``target`` inside ``bounds``, clipped and dissolved into one valid geometry.

    Footprints that touch (row houses) make an invalid MultiPolygon; when their shared walls share
    vertices (OSM ways share nodes) a coverage union dissolves them in linear time, else GEOS unions.
    """
    near = obstacles.tree.query(shapely.box(*bounds))
    if not len(near):
        return None
    shapely.prepare(target)
    near = near[shapely.intersects(target, obstacles.polys[near])]
    if not len(near):
        return None
    parts = shapely.get_parts(shapely.clip_by_rect(obstacles.polys[near], *bounds))
    parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)]
    if not len(parts):
        return None
    if len(parts) == 1:
        return parts[0]
    if obstacles.meets is not None and not obstacles.meets[near].any():
        return shapely.multipolygons(parts)  # no two of them touch: valid as it is
    try:
        merged = shapely.coverage_union_all(parts)
        if merged.is_valid:
            return merged
    except shapely.errors.GEOSException:
        pass
    return _disjoint_union(parts)


class _Job:
    """Everything the regions need, shared by the worker processes through fork."""

    def __init__(self, setup: CoverageSetup, fovs, min_blind_area, timings):
        self.setup = setup
        self.fovs = fovs
        self.fov_tree = shapely.STRtree(fovs)
        self.min_blind_area = min_blind_area
        self.timings = timings

    def run(self, k: int) -> _RegionOut:
        clock = _Clock(self.timings)
        target = self.setup.target(k)
        clock("target")
        sel = self.fov_tree.query(target, predicate="intersects") if not target.is_empty else np.empty(0, dtype=int)
        sel = np.sort(sel)  # views unioned in camera order, as a live update does
        return self.setup.evaluate(k, target, self.fovs[sel], sel, self.min_blind_area, self.timings)


_JOB: _Job | None = None


def _run_chunk(ks: list[int]) -> bytes:
    import pickle

    timings = {} if _JOB.timings is not None else None
    _JOB.timings = timings  # this process's copy: its phases travel back with the results
    outs = [_JOB.run(k) for k in ks]
    for o in outs:  # geometries travel as WKB
        o.covered = shapely.to_wkb(o.covered) if o.covered is not None else None
        o.blind = [shapely.to_wkb(g) for g in o.blind]
        o.seam = [shapely.to_wkb(g) for g in o.seam]
    return pickle.dumps((outs, timings))


def _map_regions(job: _Job, workers: int, progress) -> list[_RegionOut] | None:
    n = len(job.setup)
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
                chunk_outs, chunk_timings = pickle.loads(data)
                for phase, seconds in (chunk_timings or {}).items():  # summed over the workers
                    job.timings[phase] = job.timings.get(phase, 0.0) + seconds
                for o in chunk_outs:
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
    fovs = np.asarray(fovs, dtype=object)
    fovs = fovs[[f is not None and not f.is_empty for f in fovs]] if len(fovs) else fovs
    setup = CoverageSetup(targets, obstacles, grids, tile_size, workers)
    job = _Job(setup, fovs, min_blind_area, timings)
    outs = _map_regions(job, workers, progress)
    if outs is None:
        result = CoverageResult(invalid_targets=setup.invalid_targets, invalid_grids=setup.invalid_grids)
        result.canceled = True
        return result
    return assemble(setup, outs, min_blind_area, dissolve, timings)


def assemble(
    setup: CoverageSetup,
    outs: list[_RegionOut],
    min_blind_area: float,
    dissolve: bool | None = None,
    timings: dict[str, float] | None = None,
) -> CoverageResult:
    """The result of all regions' outputs: per-grid figures, coverage, blind spots glued across tiles."""
    result = CoverageResult(invalid_targets=setup.invalid_targets, invalid_grids=setup.invalid_grids)
    clock = _Clock(timings)
    tile_stat = GridStat(None, None)
    tile_cams: set[int] = set()
    tile_cover: list = []
    seam: list = []
    seam_cells: list[tuple[int, int]] = []
    for k, ((region, _gid, _t), o) in enumerate(zip(setup.regions, outs)):
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
        seam_cells.extend([setup.cells[k]] * len(o.seam))
        if o.covered is not None and not o.covered.is_empty:
            tile_cover.append(o.covered)
    result.blind_spots.extend(BlindSpot(p, p.area, None) for p in setup.glue_seams(seam, seam_cells, min_blind_area))
    clock("glue")
    # with grids, target left outside them only counts when it is more than reprojection noise
    if tile_stat.target_m2 > (max(min_blind_area, 1e-6) if setup.has_grids else 0.0):
        tile_blind = [b for b in result.blind_spots if b.grid is None]
        tile_stat.blind_count = len(tile_blind)
        tile_stat.blind_m2 = sum(b.area for b in tile_blind)
        tile_stat.cameras = len(tile_cams)
        result.grid_stats.append(tile_stat)
        if dissolve or (dissolve is None and setup.n_tiles <= 100):
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
