"""Patrol coverage per grid and worker for a period (巡查覆盖率), in a metric CRS.

For each grid and each worker who patrolled in it (and the grid's own worker, even without a
single fix), over [start, end):

- ``street_m``: length of the streets (ROADS) inside the grid;
- ``walked_m`` / ``share``: the part of those streets within ``buffer_m`` of the worker's cleaned
  track, and its share of ``street_m`` (None when the grid has no streets);
- ``inside_s``: time inside the grid, summed over the track's legs in proportion to the part of
  each leg inside (legs across a gap or a relocation do not count: the track is split there);
- ``stays``: stays of at least ``stay_min`` minutes within ``stay_radius_m`` of where they began,
  in the grid (with their total minutes);
- the streets of the grid that no worker's track came within ``buffer_m`` of (*unvisited*).

Tracks come from core/patrol/tracks.py (cleaned segments of fixes in WGS84); ``project`` maps
lon/lat arrays to the metric CRS of the grids and roads. Definitions: docs/patrols.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import shapely

from .tracks import Fix


@dataclass
class Segment:
    worker_id: str
    times: np.ndarray  # float epoch seconds
    xy: np.ndarray  # (n, 2) metric

    @property
    def line(self):
        if len(self.xy) >= 2:
            return shapely.linestrings(self.xy)
        return shapely.points(self.xy[0])


@dataclass
class Stay:
    worker_id: str
    start: float
    end: float
    x: float
    y: float
    grid_code: str | None = None

    @property
    def minutes(self) -> float:
        return (self.end - self.start) / 60.0


@dataclass
class GridCoverage:
    grid_code: str
    worker_id: str
    assigned: bool
    street_m: float
    walked_m: float
    inside_s: float = 0.0
    stays: int = 0
    stay_min: float = 0.0
    fixes: int = 0

    @property
    def share(self) -> float | None:
        return self.walked_m / self.street_m if self.street_m > 0 else None


@dataclass
class CoverageResult:
    rows: list[GridCoverage] = field(default_factory=list)
    unvisited: list[tuple[str, object]] = field(default_factory=list)  # (grid_code, shapely lines)
    tracks: list[Segment] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)


def _epoch(t: dt.datetime) -> float:
    return t.timestamp()


def to_segments(
    segments: dict[str, list[list[Fix]]],
    project: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[Segment]:
    """Cleaned fix segments cut to [start, end) and projected; empty ones are left out."""
    t0 = _epoch(start) if start else -np.inf
    t1 = _epoch(end) if end else np.inf
    out = []
    for worker, segs in segments.items():
        for seg in segs:
            times = np.array([_epoch(f.at) for f in seg], dtype=float)
            keep = (times >= t0) & (times < t1)
            if not keep.any():
                continue
            lon = np.array([f.lon for f, k in zip(seg, keep) if k])
            lat = np.array([f.lat for f, k in zip(seg, keep) if k])
            x, y = project(lon, lat)
            out.append(Segment(worker, times[keep], np.column_stack([x, y])))
    return out


def find_stays(seg: Segment, min_minutes: float, radius_m: float) -> list[Stay]:
    """Runs of fixes that stay within ``radius_m`` of the run's first fix for at least ``min_minutes``."""
    stays, i, n = [], 0, len(seg.times)
    while i < n:
        j = i + 1
        while j < n and np.hypot(*(seg.xy[j] - seg.xy[i])) <= radius_m:
            j += 1
        # the run is i..j-1; it lasts until the last fix still inside
        if seg.times[j - 1] - seg.times[i] >= min_minutes * 60.0:
            c = seg.xy[i:j].mean(axis=0)
            stays.append(Stay(seg.worker_id, float(seg.times[i]), float(seg.times[j - 1]), float(c[0]), float(c[1])))
            i = j
        else:
            i += 1
    return stays


def coverage(
    tracks: list[Segment],
    grids: list[tuple[str, object, str | None]],
    roads: list[object],
    buffer_m: float = 30.0,
    stay_min: float = 10.0,
    stay_radius_m: float = 50.0,
    feedback=None,
) -> CoverageResult:
    """Coverage rows per (grid, worker); ``grids`` are (grid_code, polygon, assigned worker id or None)."""
    res = CoverageResult(tracks=list(tracks))
    road_arr = np.array([r for r in roads if r is not None and not r.is_empty], dtype=object)
    road_tree = shapely.STRtree(road_arr) if len(road_arr) else None
    grid_polys = np.array([g[1] for g in grids], dtype=object)
    grid_tree = shapely.STRtree(grid_polys) if len(grid_polys) else None

    # legs (consecutive fixes of one segment) with their worker and duration
    leg_lines, leg_secs, leg_worker = [], [], []
    for seg in tracks:
        if len(seg.xy) >= 2:
            leg_lines.append(shapely.linestrings(np.stack([seg.xy[:-1], seg.xy[1:]], axis=1)))
            leg_secs.append(np.diff(seg.times))
            leg_worker += [seg.worker_id] * (len(seg.xy) - 1)
    legs = np.concatenate(leg_lines) if leg_lines else np.array([], dtype=object)
    secs = np.concatenate(leg_secs) if leg_secs else np.array([], dtype=float)
    leg_worker = np.array(leg_worker, dtype=object)
    leg_len = shapely.length(legs) if len(legs) else np.array([])
    leg_tree = shapely.STRtree(legs) if len(legs) else None

    # every fix, for counts and for grids visited only by single fixes
    fix_pts = [shapely.points(seg.xy) for seg in tracks]
    fix_workers = np.array([seg.worker_id for seg in tracks for _ in range(len(seg.xy))], dtype=object)
    pts = np.concatenate(fix_pts) if fix_pts else np.array([], dtype=object)
    pt_tree = shapely.STRtree(pts) if len(pts) else None

    # each worker's walked buffer (one union per worker)
    walked: dict[str, object] = {}
    for seg in tracks:
        walked.setdefault(seg.worker_id, []).append(shapely.buffer(seg.line, buffer_m))
    walked = {w: shapely.union_all(b) for w, b in walked.items()}
    anyone = shapely.union_all(list(walked.values())) if walked else None
    for g in walked.values():
        shapely.prepare(g)

    stays: list[Stay] = []
    for seg in tracks:
        stays += find_stays(seg, stay_min, stay_radius_m)
    if grid_tree is not None and stays:
        stay_pts = shapely.points([(s.x, s.y) for s in stays])
        for si, gi in zip(*grid_tree.query(stay_pts, predicate="intersects")):
            if stays[si].grid_code is None:
                stays[si].grid_code = grids[gi][0]
    res.stays = stays

    for k, (code, poly, assigned) in enumerate(grids):
        if feedback is not None:
            if feedback.isCanceled():
                break
            if k % 50 == 0:
                feedback.setProgress(100.0 * k / max(len(grids), 1))
        if poly is None or poly.is_empty:
            continue
        shapely.prepare(poly)
        streets = None
        if road_tree is not None:
            idx = road_tree.query(poly, predicate="intersects")
            if len(idx):
                streets = shapely.union_all(shapely.intersection(road_arr[idx], poly))
        street_m = float(shapely.length(streets)) if streets is not None else 0.0
        inside: dict[str, float] = {}
        if leg_tree is not None:
            li = leg_tree.query(poly, predicate="intersects")
            if len(li):
                part = shapely.length(shapely.intersection(legs[li], poly))
                frac = np.where(leg_len[li] > 0, part / np.where(leg_len[li] > 0, leg_len[li], 1), 1.0)
                for w, s in zip(leg_worker[li], secs[li] * frac):
                    inside[w] = inside.get(w, 0.0) + float(s)
        nfix: dict[str, int] = {}
        if pt_tree is not None:
            for w in fix_workers[pt_tree.query(poly, predicate="intersects")]:
                nfix[w] = nfix.get(w, 0) + 1
        workers = set(inside) | set(nfix) | ({assigned} if assigned else set())
        for w in sorted(workers):
            walked_m = 0.0
            if streets is not None and w in walked and street_m > 0:
                walked_m = float(shapely.length(shapely.intersection(streets, walked[w])))
            st = [s for s in stays if s.worker_id == w and s.grid_code == code]
            res.rows.append(
                GridCoverage(
                    code,
                    w,
                    w == assigned,
                    street_m,
                    min(walked_m, street_m),
                    inside.get(w, 0.0),
                    len(st),
                    sum(s.minutes for s in st),
                    nfix.get(w, 0),
                )
            )
        if streets is not None and street_m > 0:
            rest = shapely.difference(streets, anyone) if anyone is not None else streets
            if rest is not None and not rest.is_empty and shapely.length(rest) > 0.01:
                res.unvisited.append((code, rest))
    return res


def worker_shares(res: CoverageResult) -> dict[str, float]:
    """Each worker's coverage of their *own* grids: walked street length / street length over those grids."""
    street: dict[str, float] = {}
    walked: dict[str, float] = {}
    for r in res.rows:
        if r.assigned and r.street_m > 0:
            street[r.worker_id] = street.get(r.worker_id, 0.0) + r.street_m
            walked[r.worker_id] = walked.get(r.worker_id, 0.0) + r.walked_m
    return {w: walked[w] / street[w] for w in street}
