"""City-wide coverage kept up to date while cameras are moved, added, re-aimed or taken offline.

Each region's coverage (a grid, or a square tile where no grid is) is a pure function of its
prepared target (target minus obstacles, which no camera changes) and of the fields of view that
reach it. :class:`LiveCoverage` keeps every region's prepared target and result; changing one
camera recomputes its field of view and only the regions its old and new views touch, so an edit
costs what that neighbourhood costs, not what the city costs.

Blind spots cut at tile borders are kept as pieces with a graph of which pieces share a stretch
of border; a blind spot's area is the sum of its pieces' (they are disjoint), and its polygon is
glued (:mod:`.glue`) only when asked for: :meth:`LiveCoverage.result` gives exactly what
:func:`.coverage.compute_coverage` gives for the same cameras.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from .camera import Camera
from .coverage import CoverageResult, CoverageSetup, GridStat, _RegionOut, assemble
from .glue import adjacent_pairs, components, glue
from .obstacles import Obstacles
from .visibility import FovEngine


@dataclass
class LiveUpdate:
    """What one camera change did."""

    camera: Hashable
    regions: list[int]  # regions recomputed
    grids: list[Any]  # grid ids among them (None: the target outside every grid / without grids)
    ms: float  # wall-clock milliseconds the update took
    covered_m2_change: float = 0.0
    messages: list[str] = field(default_factory=list)  # e.g. a camera deep inside a building


@dataclass
class LiveBlindSpot:
    """A blind spot of the live state: its area and grid now, its polygon glued on demand."""

    area: float
    grid: Any
    pieces: list
    live: Any = field(repr=False, default=None)

    @property
    def geom(self):
        if len(self.pieces) == 1:
            return self.pieces[0]
        setup = self.live.setup
        glued = glue(self.pieces, setup.xlines, setup.ylines)
        return glued[0] if len(glued) == 1 else shapely.union_all(glued)


@dataclass
class _Seam:
    """Blind-spot pieces cut at tile borders, and which of them share a stretch of border."""

    pieces: dict[int, tuple[int, Any, float]] = field(default_factory=dict)  # id -> (region, polygon, area)
    by_region: dict[int, list[int]] = field(default_factory=dict)
    edges: dict[int, set[int]] = field(default_factory=dict)
    next_id: int = 0


class LiveCoverage:
    """Coverage of a city's target by its cameras, updated camera by camera.

    Build it with :meth:`build`; then :meth:`set_camera` (move, add, re-aim: a new
    :class:`Camera` for a key; take offline: ``None``) returns what changed, and
    :attr:`ratio`, :meth:`grid_stat` and :meth:`blind_summary` read the current state.
    """

    def __init__(self, setup: CoverageSetup, engine: FovEngine, min_blind_area: float = 1.0):
        self.setup = setup
        self.engine = engine
        self.min_blind_area = float(min_blind_area)
        self.cameras: dict[Hashable, Camera] = {}
        self.fovs: dict[Hashable, Any] = {}  # key -> non-empty field of view
        self.order: dict[Hashable, int] = {}  # key -> position (a full run unions views in this order)
        self._next = 0
        n = len(setup)
        self.region_cams: list[set[Hashable]] = [set() for _ in range(n)]
        self.targets: list[Any] = [None] * n
        self.outs: list[_RegionOut] = [_RegionOut(g, t) for _r, g, t in setup.regions]
        self.target_m2 = 0.0
        self.covered_m2 = 0.0
        self._seam = _Seam()

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        cameras: Iterable[tuple[Hashable, Camera]],
        targets,
        obstacles: Obstacles | None = None,
        grids=None,
        tile_size: float = 500.0,
        min_blind_area: float = 1.0,
        engine: FovEngine | None = None,
        fovs: np.ndarray | None = None,
        workers: int = 1,
        progress: Callable[[int, int], bool] | None = None,
    ) -> LiveCoverage | None:
        """The state for ``cameras`` ((key, camera) pairs; only those that count toward coverage are
        given); ``fovs`` (one per camera, in order) when they are already computed. None if canceled."""
        obstacles = obstacles if obstacles is not None else Obstacles.empty()
        engine = engine or FovEngine(obstacles)
        setup = CoverageSetup(targets, obstacles, grids, tile_size, workers)
        live = cls(setup, engine, min_blind_area)
        pairs = list(cameras)
        if fovs is None:
            fovs, _msgs = engine.fovs([c for _k, c in pairs], workers=workers)
        seeing = []
        for (key, cam), fov in zip(pairs, fovs):
            live.cameras[key] = cam
            live.order[key] = live._next
            live._next += 1
            if fov is not None and not fov.is_empty:
                live.fovs[key] = fov
                seeing.append(key)
        if seeing:
            views = np.empty(len(seeing), dtype=object)
            views[:] = [live.fovs[key] for key in seeing]
            cam_idx, region_idx = setup.region_tree.query(views, predicate="intersects")
            for c, k in zip(cam_idx, region_idx):
                live.region_cams[k].add(seeing[c])
        outs = _prepare_all(live, workers, progress)
        if outs is None:
            return None
        for k, (target, out) in enumerate(outs):
            live._set_region(k, target, out)
        return live

    def target(self, k: int):
        if self.targets[k] is None:
            self.targets[k] = self.setup.target(k)
        return self.targets[k]

    def _evaluate(self, k: int) -> _RegionOut:
        target = self.target(k)
        keys = sorted(self.region_cams[k], key=self.order.__getitem__)
        if keys and not target.is_empty:
            arr = np.empty(len(keys), dtype=object)
            arr[:] = [self.fovs[c] for c in keys]
            hit = shapely.intersects(target, arr)
            arr = arr[hit]
            keys = [c for c, h in zip(keys, hit) if h]
        else:
            arr, keys = np.empty(0, dtype=object), []
        out = self.setup.evaluate(k, target, arr, np.arange(len(keys)), self.min_blind_area)
        out.cameras = keys
        return out

    def _set_region(self, k: int, target, out: _RegionOut) -> None:
        old = self.outs[k]
        self.targets[k] = target
        self.target_m2 += out.target_m2 - old.target_m2
        self.covered_m2 += out.covered_m2 - old.covered_m2
        self.outs[k] = out
        if out.is_tile:
            self._replace_seam(k, out.seam)

    # -- seams ----------------------------------------------------------------------------
    def _replace_seam(self, k: int, pieces: list) -> None:
        s = self._seam
        for pid in s.by_region.pop(k, []):
            for other in s.edges.pop(pid, ()):
                s.edges[other].discard(pid)
            del s.pieces[pid]
        if not pieces:
            return
        ids = []
        for p in pieces:
            s.pieces[s.next_id] = (k, p, p.area)
            s.edges[s.next_id] = set()
            ids.append(s.next_id)
            s.next_id += 1
        s.by_region[k] = ids
        # neighbours across the four borders of this tile
        ix, iy = self.setup.cells[k]
        near = [pid for n in self._neighbours(ix, iy) for pid in s.by_region.get(n, [])]
        if not near:
            return
        allids = ids + near
        arr = np.empty(len(allids), dtype=object)
        arr[:] = [s.pieces[i][1] for i in allids]
        cells = np.array([self.setup.cells[s.pieces[i][0]] for i in allids], dtype=np.int64)
        i, j = adjacent_pairs(arr, cells, self.setup.xlines, self.setup.ylines)
        for a, b in zip(i, j):
            pa, pb = allids[a], allids[b]
            if pa in ids or pb in ids:
                s.edges[pa].add(pb)
                s.edges[pb].add(pa)

    def _neighbours(self, ix: int, iy: int) -> list[int]:
        cell_region = self._cell_region()
        return [cell_region[c] for c in ((ix - 1, iy), (ix + 1, iy), (ix, iy - 1), (ix, iy + 1)) if c in cell_region]

    def _cell_region(self) -> dict[tuple[int, int], int]:
        if not hasattr(self, "_cells_inv"):
            self._cells_inv = {c: k for k, c in self.setup.cells.items()}
        return self._cells_inv

    def _seam_components(self) -> tuple[list[int], np.ndarray]:
        s = self._seam
        ids = list(s.pieces)
        index = {pid: n for n, pid in enumerate(ids)}
        i = [index[a] for a, nb in s.edges.items() for b in nb if a < b]
        j = [index[b] for a, nb in s.edges.items() for b in nb if a < b]
        return ids, components(len(ids), np.array(i, dtype=np.int64), np.array(j, dtype=np.int64))

    # -- changes --------------------------------------------------------------------------
    def set_camera(self, key: Hashable, camera: Camera | None) -> LiveUpdate:
        """Move, add or re-aim camera ``key`` (a camera that counts toward coverage), or take it
        out of the coverage (``None``: offline, faulty, deleted)."""
        start = time.perf_counter()
        old = self.fovs.pop(key, None)
        messages: list[str] = []
        new = None
        if camera is None:
            self.cameras.pop(key, None)
            self.order.pop(key, None)
        else:
            if key not in self.order:
                self.order[key] = self._next
                self._next += 1
            self.cameras[key] = camera
            geom, msgs = self.engine.fov(camera)
            messages = [m.text for m in msgs]
            if geom is not None and not geom.is_empty:
                new = geom
                self.fovs[key] = new
        touched: set[int] = set()
        tree = self.setup.region_tree
        if old is not None:
            for k in tree.query(old, predicate="intersects"):
                self.region_cams[k].discard(key)
                touched.add(int(k))
        if new is not None:
            for k in tree.query(new, predicate="intersects"):
                self.region_cams[k].add(key)
                touched.add(int(k))
        before = self.covered_m2
        for k in sorted(touched):
            self._set_region(k, self.target(k), self._evaluate(k))
        grids = sorted({self.setup.regions[k][1] for k in touched}, key=lambda g: (g is None, g))
        return LiveUpdate(
            key, sorted(touched), grids, (time.perf_counter() - start) * 1000.0, self.covered_m2 - before, messages
        )

    def remove_camera(self, key: Hashable) -> LiveUpdate:
        return self.set_camera(key, None)

    # -- reading --------------------------------------------------------------------------
    @property
    def ratio(self) -> float:
        """Covered share of the whole target (city-wide)."""
        return self.covered_m2 / self.target_m2 if self.target_m2 > 0 else 0.0

    def region_of(self, x: float, y: float) -> int | None:
        """The region (grid first, else tile) holding a point."""
        hits = self.setup.region_tree.query(shapely.Point(x, y), predicate="intersects")
        if not len(hits):
            return None
        grids = [int(k) for k in hits if not self.setup.regions[int(k)][2]]
        return grids[0] if grids else int(hits[0])

    def grid_stat(self, gid: Any) -> GridStat:
        """Figures of one grid (its index in the grids given), or of the target outside every
        grid (``None``; the whole city without grids)."""
        if gid is not None:
            k = gid  # grid regions come first, in the grids' order
            region, g, is_tile = self.setup.regions[k]
            if is_tile or g != gid:
                raise KeyError(gid)
            o = self.outs[k]
            return GridStat(
                g,
                region,
                o.target_m2,
                o.covered_m2,
                len(o.blind),
                sum(p.area for p in o.blind),
                o.multi_m2,
                len(o.cameras),
            )
        stat = GridStat(None, None)
        cams: set = set()
        for o in self.outs:
            if o.is_tile and not o.empty:
                stat.target_m2 += o.target_m2
                stat.covered_m2 += o.covered_m2
                stat.multi_m2 += o.multi_m2
                cams.update(o.cameras)
        count, area = self.blind_summary()
        stat.blind_count, stat.blind_m2, stat.cameras = count, area, len(cams)
        return stat

    def blind_summary(self) -> tuple[int, float]:
        """Number and area of the blind spots outside grids (all of them without grids), glued
        across tile borders, without building their polygons."""
        count, area = 0, 0.0
        for o in self.outs:
            if o.is_tile:
                count += len(o.blind)
                area += sum(p.area for p in o.blind)
        ids, labels = self._seam_components()
        if ids:
            sums = np.bincount(labels, weights=[self._seam.pieces[i][2] for i in ids])
            big = sums >= self.min_blind_area
            count += int(big.sum())
            area += float(sums[big].sum())
        return count, area

    def blind_spots_touched(self, update: LiveUpdate) -> list[LiveBlindSpot]:
        """The blind spots (at least the minimum area) in the regions an update recomputed: those
        of its grids, and those of its tiles glued across tile borders (as pieces; their polygons
        are glued when asked for)."""
        out: list[LiveBlindSpot] = []
        touched = set(update.regions)
        for k in update.regions:
            o = self.outs[k]
            out.extend(LiveBlindSpot(p.area, o.gid, [p], self) for p in o.blind)
        s = self._seam
        mine = [pid for k in touched for pid in s.by_region.get(k, [])]
        if mine:
            ids, labels = self._seam_components()
            index = {pid: n for n, pid in enumerate(ids)}
            wanted = {labels[index[pid]] for pid in mine}
            groups: dict[int, list[int]] = {}
            for n, pid in enumerate(ids):
                if labels[n] in wanted:
                    groups.setdefault(labels[n], []).append(pid)
            for pids in groups.values():
                area = sum(s.pieces[pid][2] for pid in pids)
                if area >= self.min_blind_area:
                    out.append(LiveBlindSpot(area, None, [s.pieces[pid][1] for pid in pids], self))
        return out

    def result(self, dissolve: bool | None = None) -> CoverageResult:
        """Everything :func:`compute_coverage` returns for the current cameras (blind spots glued)."""
        for k in range(len(self.setup)):
            if self.targets[k] is None:  # regions never evaluated (nothing changed there): fill in
                self._set_region(k, self.target(k), self._evaluate(k))
        return assemble(self.setup, self.outs, self.min_blind_area, dissolve)


def _prepare_all(live: LiveCoverage, workers: int, progress) -> list | None:
    """Every region's prepared target and result; worker processes when ``workers`` > 1."""
    n = len(live.setup)
    if workers <= 1 or n < 4:
        out = []
        for k in range(n):
            if progress is not None and progress(k, n):
                return None
            target = live.target(k)
            out.append((target, live._evaluate(k)))
        return out
    import multiprocessing as mp
    import pickle

    global _LIVE
    _LIVE = live
    chunks = [list(range(k, min(n, k + 8))) for k in range(0, n, 8)]
    out: list = []
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for c, data in enumerate(pool.imap(_prepare_chunk, chunks)):
                if progress is not None and progress(c * 8, n):
                    pool.terminate()
                    return None
                for target, o in pickle.loads(data):
                    o.covered = shapely.from_wkb(o.covered) if o.covered is not None else None
                    o.blind = list(shapely.from_wkb(o.blind)) if o.blind else []
                    o.seam = list(shapely.from_wkb(o.seam)) if o.seam else []
                    out.append((shapely.from_wkb(target), o))
    finally:
        _LIVE = None
    return out


_LIVE: LiveCoverage | None = None


def _prepare_chunk(ks: list[int]) -> bytes:
    import pickle

    res = []
    for k in ks:
        target = _LIVE.target(k)
        o = _LIVE._evaluate(k)
        o.covered = shapely.to_wkb(o.covered) if o.covered is not None else None
        o.blind = [shapely.to_wkb(g) for g in o.blind]
        o.seam = [shapely.to_wkb(g) for g in o.seam]
        res.append((shapely.to_wkb(target), o))
    return pickle.dumps(res)
