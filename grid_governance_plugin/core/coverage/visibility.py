"""Occluded field of view of cameras: an exact angular sweep over obstacle edges in numpy.

Between two consecutive "critical" angles (obstacle vertices, crossings of an edge with
the far circle, the wedge's sides) the nearest visible edge does not change, because the
obstacles are merged so that no two edges cross. Casting one ray just before and one just
after every critical angle and joining the hits with straight lines therefore gives the
visibility polygon exactly; uniformly spaced rays (``arc_step`` degrees) only shape the
far arc (chord error far * (1 - cos(step/2)), 4 mm at 100 m for 1 degree).

Rays are tested only against the edges whose angular span contains them (a sparse
rays x edges product built with searchsorted), after dropping edges that face away
from the camera: seen from outside, a ray always reaches an obstacle through a front face.

Cameras inside or on an obstacle (the mount rule)
-------------------------------------------------
A camera within ``facade_tol`` metres of an obstacle's boundary (outside, on it, or inside
it) is taken to be mounted on that facade: for its rays the obstacle is replaced by the
obstacle minus a disc of radius ``facade_tol`` around the camera, so sight starts at the
facade and leaves it outward, while the rest of the building (other wings, the back
wall) still blocks. Ground inside the building itself is never seen. A camera deeper
than ``facade_tol`` inside an obstacle sees nothing and is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from ..i18n import tr
from . import sweep_jit
from .camera import DORI_LEVELS, Camera, CameraMessage
from .obstacles import Obstacles, edges_of

TWO_PI = 2.0 * math.pi
EPS_ANGLE = 1e-7  # radians either side of a vertex (0.05 mm at 500 m)
MAX_PAIRS = 2_000_000  # ray-edge pairs evaluated at once (~150 MB of temporaries)
CULL_START = 40.0  # m: edges nearer than this are always tested; farther rings are culled first
JIT_MIN_CAMERAS = 500  # batches this large use the compiled sweep
EMPTY = Polygon()


@dataclass
class SweepOptions:
    arc_step: float = 1.0  # degrees between rays along the far arc
    facade_tol: float = 1.0  # metres: cameras this close to a building are mounted on it
    disc_segments: int = 16  # quarter-circle segments of the near disc and the facade notch
    dori_level: str | None = None  # cap the far distance at a DORI level's d_max
    # optional extra simplification tolerance (m); collinear points along walls are always dropped
    simplify: float = 0.0


def camera_far(cam: Camera, opts: SweepOptions) -> tuple[float, float]:
    near, far = cam.near_far()
    if opts.dori_level:
        far = min(far, cam.dori_distance(opts.dori_level))
    return near, far


def sweep(
    az_deg: float,
    hfov_deg: float,
    far: float,
    ax: np.ndarray,
    ay: np.ndarray,
    bx: np.ndarray,
    by: np.ndarray,
    arc_step: float = 1.0,
) -> np.ndarray:
    """Ring (n x 2, camera at the origin, not closed) of the visibility polygon.

    Edges are relative to the camera and must have their obstacle's interior on the left;
    none may pass through the origin. For a wedge the ring starts with the origin.
    """
    dome = hfov_deg >= 360.0 - 1e-9
    span = TWO_PI if dome else math.radians(hfov_deg)
    start = 0.0 if dome else math.radians(az_deg - hfov_deg / 2.0)
    ex, ey = bx - ax, by - ay
    # front faces only (camera strictly right of the edge), and only edges within reach
    front = ey * ax - ex * ay < 0.0
    len2 = ex * ex + ey * ey
    s = np.clip(-(ax * ex + ay * ey) / np.where(len2 > 0, len2, 1.0), 0.0, 1.0)
    dist2 = (ax + s * ex) ** 2 + (ay + s * ey) ** 2
    keep = front & (dist2 < far * far)
    ax, ay, bx, by, ex, ey, len2 = ax[keep], ay[keep], bx[keep], by[keep], ex[keep], ey[keep], len2[keep]

    # relative angle phi in [0, 2pi) measured clockwise from the wedge's left side
    def rel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.mod(np.arctan2(x, y) - start, TWO_PI)

    n_arc = max(int(math.ceil(math.degrees(span) / arc_step)), 2 if not dome else 8)
    rays = [np.linspace(0.0, span, n_arc + 1)[: n_arc if dome else None]]
    pa, pb = rel(ax, ay), rel(bx, by)
    if len(ax):
        far2 = far * far
        for vx, vy, pv in ((ax, ay, pa), (bx, by, pb)):
            inside = vx * vx + vy * vy < far2
            v = pv[inside]
            rays.append(v - EPS_ANGLE)
            rays.append(v + EPS_ANGLE)
        # crossings of edges with the far circle: |a + s e| = far
        qa = len2
        qb = 2.0 * (ax * ex + ay * ey)
        qc = ax * ax + ay * ay - far2
        disc = qb * qb - 4.0 * qa * qc
        ok = (disc > 0) & (qa > 0)
        root = np.sqrt(np.where(ok, disc, 0.0))
        for sign in (-1.0, 1.0):
            sc = (-qb + sign * root) / np.where(ok, 2.0 * qa, 1.0)
            hit = ok & (sc > 0.0) & (sc < 1.0)
            rays.append(rel(ax[hit] + sc[hit] * ex[hit], ay[hit] + sc[hit] * ey[hit]))
    phi = np.concatenate(rays)
    if dome:
        phi = np.mod(phi, TWO_PI)
    else:
        phi = phi[(phi >= 0.0) & (phi <= span)]
    phi = np.unique(phi)
    n = len(phi)
    t = np.full(n, far)
    hit_edge = np.full(n, -1, dtype=np.int64)  # nearest edge per ray (-1: none within far)
    if len(ax):
        # angular interval of each edge (< pi wide); wrapping ones are split in two
        lo = np.minimum(pa, pb)
        hi = np.maximum(pa, pb)
        wrap = hi - lo > math.pi
        lo1 = np.where(wrap, hi, lo)
        hi1 = np.where(wrap, TWO_PI, hi)
        i0 = np.searchsorted(phi, lo1, "left")
        i1 = np.searchsorted(phi, hi1, "right")
        j0 = np.zeros_like(i0)
        j1 = np.where(wrap, np.searchsorted(phi, lo, "right"), 0)
        counts = (i1 - i0) + (j1 - j0)
        dist = np.sqrt(dist2[keep])
        # near edges first, in rings of doubling radius; an edge no nearer than the farthest current hit
        # over its whole angular span is hidden and skipped (long ranges in dense districts)
        order = np.argsort(dist, kind="stable")
        radius = CULL_START
        pos = 0
        while pos < len(order):
            stop = int(np.searchsorted(dist[order], radius, "left")) if radius < far else len(order)
            ring_edges = order[pos:stop]
            pos = stop
            radius *= 2.0
            if len(ring_edges) == 0:
                continue
            if np.isfinite(t).all() and pos > len(ring_edges):
                visible = _not_hidden(
                    t, dist[ring_edges], i0[ring_edges], i1[ring_edges], j0[ring_edges], j1[ring_edges]
                )
                ring_edges = ring_edges[visible]
            # bound memory: at most ~MAX_PAIRS ray-edge pairs at once
            cum = np.cumsum(counts[ring_edges])
            cuts = np.searchsorted(cum, np.arange(MAX_PAIRS, int(cum[-1]) if len(cum) else 0, MAX_PAIRS), "left")
            for chunk in np.split(ring_edges, np.unique(cuts)):
                if len(chunk) == 0:
                    continue
                tc, hc = _nearest_hits(phi, start, chunk, i0, i1, j0, j1, ax, ay, ex, ey, n)
                better = tc < t
                t[better] = tc[better]
                hit_edge[better] = hc[better]
    theta = phi + start
    ring = np.column_stack((t * np.sin(theta), t * np.cos(theta)))
    if len(ax) and n > 2:
        # hits on the same edge as both neighbours are collinear: drop them (fewer vertices, faster unions)
        prev, nxt = np.roll(hit_edge, 1), np.roll(hit_edge, -1)
        inner = (hit_edge >= 0) & (hit_edge == prev) & (hit_edge == nxt)
        if not dome:
            inner[0] = inner[-1] = False
        ring = ring[~inner]
    if not dome:
        ring = np.vstack(([0.0, 0.0], ring))
    return ring


def _range_max_table(t: np.ndarray) -> list[np.ndarray]:
    """Sparse table: level k holds the max of t over [i, i + 2**k)."""
    levels = [t]
    width = 1
    while 2 * width <= len(t):
        prev = levels[-1]
        levels.append(np.maximum(prev[:-width], prev[width:]))
        width *= 2
    return levels


def _range_max(levels: list[np.ndarray], lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """max(t[lo:hi]) per pair (-inf where empty)."""
    out = np.full(len(lo), -np.inf)
    size = hi - lo
    ok = size > 0
    if ok.any():
        k = np.floor(np.log2(np.maximum(size[ok], 1))).astype(int)
        a = np.empty(ok.sum())
        b = np.empty(ok.sum())
        lo_ok, hi_ok = lo[ok], hi[ok]
        for level in np.unique(k):
            sel = k == level
            arr = levels[level]
            a[sel] = arr[lo_ok[sel]]
            b[sel] = arr[hi_ok[sel] - (1 << int(level))]
        out[ok] = np.maximum(a, b)
    return out


def _not_hidden(t, dist, i0, i1, j0, j1) -> np.ndarray:
    """Edges that could still be the nearest hit of some ray in their span."""
    levels = _range_max_table(t)
    reach = np.maximum(_range_max(levels, i0, i1), _range_max(levels, j0, j1))
    return dist < reach


def _nearest_hits(phi, start, edges, i0, i1, j0, j1, ax, ay, ex, ey, n):
    """Nearest hit distance (inf: none) and edge per ray, for the given edges only."""
    t = np.full(n, np.inf)
    hit = np.full(n, -1, dtype=np.int64)
    i0, i1, j0, j1 = i0[edges], i1[edges], j0[edges], j1[edges]
    counts = (i1 - i0) + (j1 - j0)
    total = int(counts.sum())
    if not total:
        return t, hit
    edge = np.repeat(edges, counts)
    # ray index: first the [i0, i1) run, then the [j0, j1) run of each edge
    c1 = i1 - i0
    offset = np.repeat(np.cumsum(counts) - counts, counts)
    k = np.arange(total) - offset
    ray = np.where(k < np.repeat(c1, counts), np.repeat(i0, counts) + k, np.repeat(j0 - c1, counts) + k)
    theta = phi[ray] + start
    dx, dy = np.sin(theta), np.cos(theta)
    eex, eey = ex[edge], ey[edge]
    aax, aay = ax[edge], ay[edge]
    den = dx * eey - dy * eex
    good = np.abs(den) > 1e-15
    den = np.where(good, den, 1.0)
    tt = (aax * eey - aay * eex) / den
    ss = (aax * dy - aay * dx) / den
    good &= (ss >= 0.0) & (ss <= 1.0) & (tt > 0.0)
    ray, tt, edge = ray[good], tt[good], edge[good]
    np.minimum.at(t, ray, tt)
    first = tt == t[ray]
    hit[ray[first]] = edge[first]
    return t, hit


def _ring_polygon(ring: np.ndarray, cx: float, cy: float) -> Polygon:
    poly = shapely.polygons(ring + (cx, cy))
    if not poly.is_valid:
        poly = _ring_area(shapely.make_valid(poly))
    return poly


def _ring_area(geom):
    """The polygonal part of a repaired geometry."""
    parts = [g for g in shapely.get_parts(geom) if shapely.get_type_id(g) == 3 and g.area > 0]
    if not parts:
        return EMPTY
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


_UNIT_DISCS: dict[int, np.ndarray] = {}


def _unit_disc(segments: int) -> np.ndarray:
    unit = _UNIT_DISCS.get(segments)
    if unit is None:
        unit = _UNIT_DISCS[segments] = shapely.get_coordinates(
            shapely.buffer(shapely.Point(0.0, 0.0), 1.0, quad_segs=segments)
        )
    return unit


def disc(x: float, y: float, r: float, segments: int = 16):
    """``Point(x, y).buffer(r, quad_segs=segments)``, from cached unit-circle vertices (same coordinates)."""
    return shapely.polygons(_unit_disc(segments) * r + (x, y))


def disc_array(x: np.ndarray, y: np.ndarray, r, segments: int = 16) -> np.ndarray:
    """``disc`` for many centres (and radii) at once."""
    unit = _unit_disc(segments)
    r = np.broadcast_to(np.asarray(r, dtype=float), np.shape(x))
    coords = unit[None, :, :] * r[:, None, None] + np.stack([x, y], axis=1)[:, None, :]
    return shapely.polygons(coords)


class FovEngine:
    """Fields of view of many cameras against one obstacle set."""

    def __init__(self, obstacles: Obstacles | None = None, options: SweepOptions | None = None):
        self.obstacles = obstacles if obstacles is not None else Obstacles.empty()
        self.options = options or SweepOptions()

    def fov(self, cam: Camera) -> tuple[Polygon, list[CameraMessage]]:
        """The visible ground of one camera (for the live map tool)."""
        geoms, msgs = self.fovs([cam])
        return geoms[0], msgs

    def fovs(
        self, cams: list[Camera], progress=None, workers: int = 1, chunk: int = 2000, jit: bool | None = None
    ) -> tuple[np.ndarray, list[CameraMessage]]:
        """Visible ground of every camera (empty polygons where it sees nothing).

        ``workers`` > 1 forks that many processes over chunks of cameras (for batch runs and
        benchmarks; not inside the QGIS GUI, where forking the application is unsafe).
        ``jit`` uses the compiled sweep (:mod:`.sweep_jit`; None: for ``JIT_MIN_CAMERAS`` or more
        cameras, where its one-time compilation pays off).
        """
        use_jit = len(cams) >= JIT_MIN_CAMERAS if jit is None else jit
        kernel = sweep_jit.kernel() if use_jit else None  # compiled before any fork
        if workers > 1 and len(cams) > chunk:
            return self._fovs_parallel(cams, progress, workers, chunk, kernel)
        return self._fovs(cams, progress, kernel)

    def _fovs_parallel(self, cams, progress, workers, chunk, kernel=None):
        import multiprocessing as mp

        global _ENGINE, _CAMS, _KERNEL
        _ENGINE, _CAMS, _KERNEL = self, cams, kernel
        n = len(cams)
        starts = list(range(0, n, chunk))
        out = np.empty(n, dtype=object)
        msgs: list[CameraMessage] = []
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                for k, (wkb, m) in enumerate(pool.imap(_fov_chunk, [(s, min(n, s + chunk)) for s in starts])):
                    s0 = starts[k]
                    out[s0 : s0 + len(wkb)] = shapely.from_wkb(wkb)
                    msgs.extend(m)
                    if progress is not None and progress(s0 + len(wkb), n):
                        pool.terminate()
                        break
        finally:
            _ENGINE = _CAMS = _KERNEL = None
        return out, msgs

    def _fovs(self, cams: list[Camera], progress=None, kernel=None) -> tuple[np.ndarray, list[CameraMessage]]:
        opts = self.options
        obs = self.obstacles
        n = len(cams)
        out = np.empty(n, dtype=object)
        msgs: list[CameraMessage] = []
        if n == 0:
            return out, msgs
        xs = np.array([c.x for c in cams], dtype=float)
        ys = np.array([c.y for c in cams], dtype=float)
        nf = np.array([camera_far(c, opts) for c in cams], dtype=float).reshape(n, 2)
        near_d, far = nf[:, 0], nf[:, 1]
        sees = (far > near_d) & (far > 0)
        hosts_of: list[np.ndarray] = [_NO_HOSTS] * n
        cut_edges: dict[int, tuple] = {}
        if len(obs):
            pts = shapely.points(xs, ys)
            reach = np.maximum(far, opts.facade_tol)
            cand = obs.tree.query(shapely.box(xs - reach, ys - reach, xs + reach, ys + reach))
            cand_start = np.searchsorted(cand[0], np.arange(n + 1))
            near_pairs = obs.tree.query(pts, predicate="dwithin", distance=opts.facade_tol)
            if near_pairs.shape[1]:
                pc, pp = near_pairs
                inside = shapely.contains_xy(obs.polys[pp], xs[pc], ys[pc])
                deep = inside & (shapely.distance(shapely.boundary(obs.polys[pp]), pts[pc]) > opts.facade_tol)
                deep_cam = np.zeros(n, dtype=bool)
                deep_cam[pc[deep]] = True
                for i in np.flatnonzero(deep_cam & sees):
                    msgs.append(
                        CameraMessage(
                            cams[i].id,
                            "",
                            "warning",
                            tr(
                                "Camera {0} stands inside an obstacle more than {1} m from its wall; it sees nothing.",
                                cams[i].id,
                                opts.facade_tol,
                            ),
                        )
                    )
                sees &= ~deep_cam
                # mounted cameras: each host building minus a notch around the camera, all at once
                use = sees[pc]
                pc, pp = pc[use], pp[use]
                if len(pc):
                    notch = disc_array(xs[pc], ys[pc], opts.facade_tol, opts.disc_segments)
                    cut = shapely.orient_polygons(shapely.difference(obs.polys[pp], notch))
                    parts, pair = shapely.get_parts(cut, return_index=True)
                    ok = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
                    parts, pair = parts[ok], pair[ok]
                    hax, hay, hbx, hby, hstart = edges_of(parts)
                    cam_of_part = pc[pair]
                    first = np.searchsorted(cam_of_part, np.arange(n + 1))
                    for i in np.unique(pc):
                        e0, e1 = hstart[first[i]], hstart[first[i + 1]]
                        cut_edges[int(i)] = (hax[e0:e1], hay[e0:e1], hbx[e0:e1], hby[e0:e1])
                    host_start = np.searchsorted(pc, np.arange(n + 1))
                    for i in np.unique(pc):
                        hosts_of[i] = pp[host_start[i] : host_start[i + 1]]
        rings: list[np.ndarray] = []
        done: list[int] = []
        for i, cam in enumerate(cams):
            if progress is not None and i % 200 == 0 and progress(i, n):
                break
            if not sees[i]:
                out[i] = EMPTY
                continue
            cx, cy = xs[i], ys[i]
            if len(obs):
                polys = cand[1, cand_start[i] : cand_start[i + 1]]
                for h in hosts_of[i]:  # one or two hosts: cheaper than setdiff1d's sort
                    polys = polys[polys != h]
                e = obs.edge_indices(polys)
                ax, ay, bx, by = obs.ax[e] - cx, obs.ay[e] - cy, obs.bx[e] - cx, obs.by[e] - cy
                if i in cut_edges:
                    hax, hay, hbx, hby = cut_edges[i]
                    ax = np.concatenate((ax, hax - cx))
                    ay = np.concatenate((ay, hay - cy))
                    bx = np.concatenate((bx, hbx - cx))
                    by = np.concatenate((by, hby - cy))
            else:
                ax = ay = bx = by = np.empty(0)
            f = far[i]
            if kernel is not None:
                ring = kernel(float(cam.azimuth), float(cam.hfov), float(f), ax, ay, bx, by, float(opts.arc_step))
            else:
                ring = sweep(cam.azimuth, cam.hfov, f, ax, ay, bx, by, opts.arc_step)
            rings.append(ring + (cx, cy))
            done.append(i)
        if done:
            idx = np.array(done)
            out[idx] = _ring_polygons(rings)
            # ground nearer than the lowest ray is not seen
            cut = idx[near_d[idx] > 0]
            if len(cut):
                out[cut] = shapely.difference(
                    out[cut], disc_array(xs[cut], ys[cut], near_d[cut], max(opts.disc_segments, 32))
                )
            # ground inside the building a camera is mounted on is never seen
            mounted = [i for i in done if len(hosts_of[i])]
            if mounted:
                m = np.array(mounted)
                hosts = np.empty(len(m), dtype=object)
                hosts[:] = [
                    obs.polys[hosts_of[i][0]] if len(hosts_of[i]) == 1 else shapely.union_all(obs.polys[hosts_of[i]])
                    for i in m
                ]
                out[m] = shapely.difference(out[m], hosts)
        if opts.simplify > 0:
            ok = np.array([g is not None for g in out], dtype=bool)
            out[ok] = shapely.simplify(out[ok], opts.simplify)
        # keep every view valid: later unions fail on a single bad ring
        ok = np.flatnonzero([g is not None for g in out])
        bad = ok[~shapely.is_valid(out[ok])] if len(ok) else ok
        for k in bad:
            out[k] = _ring_area(shapely.make_valid(out[k]))
        return out, msgs


_NO_HOSTS = np.empty(0, dtype=np.int64)


def _ring_polygons(rings: list[np.ndarray]) -> np.ndarray:
    """Polygons of open rings (n x 2 each), repaired where a ring is not valid (``_ring_polygon`` for many)."""
    sizes = np.array([len(r) for r in rings])
    out = np.empty(len(rings), dtype=object)
    out[:] = EMPTY
    good = sizes >= 3
    if good.any():
        keep = np.flatnonzero(good)
        closed = [np.vstack((rings[k], rings[k][:1])) for k in keep]
        coords = np.concatenate(closed)
        ids = np.repeat(np.arange(len(keep)), [len(c) for c in closed])
        out[keep] = shapely.polygons(shapely.linearrings(coords, indices=ids))
    bad = np.flatnonzero(~good)
    for k in bad:  # fewer than three points: what shapely makes of them, repaired
        out[k] = _ring_polygon(rings[k] - 0.0, 0.0, 0.0) if len(rings[k]) else EMPTY
    invalid = np.flatnonzero(good)[~shapely.is_valid(out[good])] if good.any() else bad[:0]
    for k in invalid:
        out[k] = _ring_area(shapely.make_valid(out[k]))
    return out


_ENGINE: FovEngine | None = None
_CAMS: list[Camera] | None = None
_KERNEL = None


def _fov_chunk(span: tuple[int, int]):
    geoms, msgs = _ENGINE._fovs(_CAMS[span[0] : span[1]], kernel=_KERNEL)
    return shapely.to_wkb(geoms), msgs


def _polys_only(geoms) -> np.ndarray:
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    return parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)]


DORI_BANDS = ("identify", "recognise", "observe", "detect", "monitor")


def dori_bands(cam: Camera, fov, segments: int = 32) -> list[tuple[str, object]]:
    """Cut a field of view into DORI bands by distance (identify nearest, 'monitor' beyond detect).

    Without ``hres_px`` the whole field of view is one 'monitor' band.
    """
    if fov is None or fov.is_empty:
        return []
    if not cam.hres_px:
        return [("monitor", fov)]
    out = []
    inner = 0.0
    for name in DORI_BANDS:
        outer = cam.dori_distance(name) if name in DORI_LEVELS else math.inf
        if outer <= inner:
            continue
        band = fov
        if math.isfinite(outer):
            band = band.intersection(disc(cam.x, cam.y, outer, segments))
        if inner > 0:
            band = band.difference(disc(cam.x, cam.y, inner, segments))
        if not band.is_empty and band.area > 0:
            out.append((name, band))
        inner = outer
    return out
