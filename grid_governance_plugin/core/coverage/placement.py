"""Where to put the next cameras: candidate mounts, a sample-point model of the target and
maximal-coverage selection (lazy greedy, and an exact MILP for small instances).

The target (minus obstacles and minus what existing cameras already see) is replaced by
sample points on a square lattice; each sample weighs its cell's area, raised near
WEIGHTS points (past events): w = cell area * (1 + sum of event weights within
``weight_radius``). Choosing k camera options to maximise the weight they newly see is
maximum coverage: the greedy choice is within (1 - 1/e) of the optimum (Nemhauser,
Wolsey & Fisher 1978) when any number of options may share one mount; with
``one_per_site`` the constraint becomes a partition matroid and the bound is 1/2.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.spatial import cKDTree

from .camera import Camera
from .obstacles import Obstacles, polygonal
from .visibility import FovEngine


@dataclass
class Samples:
    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    cell_area: float


def sample_target(target, spacing: float, obstacles: Obstacles | None = None, max_points: int = 200_000) -> Samples:
    """Lattice points (cell centres) inside ``target`` minus obstacles; spacing grows to respect ``max_points``."""
    if target is None or target.is_empty:
        return Samples(np.empty(0), np.empty(0), np.empty(0), spacing**2)
    x0, y0, x1, y1 = target.bounds
    spacing = max(spacing, math.sqrt(target.area / max_points))
    xs = np.arange(x0 + spacing / 2, x1, spacing)
    ys = np.arange(y0 + spacing / 2, y1, spacing)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    shapely.prepare(target)
    keep = shapely.contains_xy(target, gx, gy)
    gx, gy = gx[keep], gy[keep]
    if obstacles is not None and len(obstacles) and len(gx):
        pts = shapely.points(gx, gy)
        hit = obstacles.tree.query(pts, predicate="within")
        inside = np.zeros(len(gx), dtype=bool)
        inside[hit[0]] = True
        gx, gy = gx[~inside], gy[~inside]
    return Samples(gx, gy, np.full(len(gx), spacing * spacing), spacing * spacing)


def add_event_weights(samples: Samples, ex, ey, ew=None, radius: float = 20.0) -> None:
    """Raise sample weights near event points: w *= 1 + sum of event weights within ``radius``."""
    if len(samples.x) == 0 or len(ex) == 0:
        return
    ew = np.ones(len(ex)) if ew is None else np.nan_to_num(np.asarray(ew, dtype=float), nan=1.0)
    tree = cKDTree(np.column_stack((samples.x, samples.y)))
    boost = np.zeros(len(samples.x))
    for i, idx in enumerate(tree.query_ball_point(np.column_stack((ex, ey)), radius)):
        if idx:
            boost[idx] += ew[i]
    samples.weight = samples.weight * (1.0 + boost)


@dataclass
class Site:
    x: float
    y: float
    hint: float | None = None  # azimuth (deg) facing away from the wall / into the street
    kind: str = "given"


def facade_sites(obstacles: Obstacles, target, spacing: float, offset: float = 0.2) -> list[Site]:
    """Mount points every ``spacing`` m along facades that face the target, just outside the wall."""
    if not len(obstacles) or target is None or target.is_empty:
        return []
    polys = obstacles.tree.query(shapely.buffer(target, 2.0), predicate="intersects")
    e = obstacles.edge_indices(polys)
    return _along_edges(
        obstacles.ax[e],
        obstacles.ay[e],
        obstacles.bx[e],
        obstacles.by[e],
        spacing,
        offset,
        outward=True,
        target=target,
        kind="facade",
    )


def street_sites(target, spacing: float, offset: float = 0.2) -> list[Site]:
    """Mount points every ``spacing`` m along the target's edges (kerbs), just inside."""
    if target is None or target.is_empty:
        return []
    from .obstacles import edges_of

    parts, _, _ = polygonal(np.array([target], dtype=object))
    ax, ay, bx, by, _ = edges_of(shapely.orient_polygons(parts))
    return _along_edges(ax, ay, bx, by, spacing, offset, outward=False, target=target, kind="street")


def _along_edges(ax, ay, bx, by, spacing, offset, outward, target, kind) -> list[Site]:
    ex, ey = bx - ax, by - ay
    length = np.hypot(ex, ey)
    ok = length > 1e-9
    ax, ay, ex, ey, length = ax[ok], ay[ok], ex[ok], ey[ok], length[ok]
    n = np.maximum(1, np.floor(length / spacing).astype(int))
    edge = np.repeat(np.arange(len(ax)), n)
    k = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    frac = (k + 0.5) / n[edge]
    # interior lies left of each edge (CCW shells): the right normal points outward
    nx, ny = ey[edge] / length[edge], -ex[edge] / length[edge]
    if not outward:
        nx, ny = -nx, -ny
    px = ax[edge] + frac * ex[edge] + offset * nx
    py = ay[edge] + frac * ey[edge] + offset * ny
    az = np.degrees(np.arctan2(nx, ny)) % 360.0
    if outward:
        # keep facades that open onto the target
        keep = shapely.dwithin(target, shapely.points(px + 2.0 * nx, py + 2.0 * ny), 0.5)
    else:
        keep = shapely.contains_xy(target, px, py)
    return [Site(float(x), float(y), float(a), kind) for x, y, a in zip(px[keep], py[keep], az[keep])]


@dataclass
class Option:
    site: int
    x: float
    y: float
    azimuth: float


def site_options(sites: list[Site], hfov: float, per_site: int = 5) -> list[Option]:
    """Azimuths to try at each site: spread over the half-plane in front of a wall, or all round."""
    out: list[Option] = []
    for i, s in enumerate(sites):
        if hfov >= 360.0:
            azs = [0.0]
        elif s.hint is not None:
            spread = max(0.0, 90.0 - hfov / 2.0)
            azs = (
                list(np.linspace(s.hint - spread, s.hint + spread, per_site))
                if per_site > 1 and spread > 0
                else [s.hint]
            )
        else:
            azs = list(np.arange(per_site) * (360.0 / per_site))
        out.extend(Option(i, s.x, s.y, float(a) % 360.0) for a in azs)
    return out


def cover_matrix(fovs: np.ndarray, samples: Samples) -> sparse.csc_matrix:
    """Boolean samples x options matrix: which samples each option's field of view contains."""
    n_s, n_o = len(samples.x), len(fovs)
    if n_s == 0 or n_o == 0:
        return sparse.csc_matrix((n_s, n_o), dtype=bool)
    tree = cKDTree(np.column_stack((samples.x, samples.y)))
    rows, cols = [], []
    for j, f in enumerate(fovs):
        if f is None or f.is_empty:
            continue
        x0, y0, x1, y1 = f.bounds
        cand = tree.query_ball_point([(x0 + x1) / 2, (y0 + y1) / 2], math.hypot(x1 - x0, y1 - y0) / 2 + 1e-6)
        if not cand:
            continue
        cand = np.asarray(cand)
        inside = cand[shapely.contains_xy(f, samples.x[cand], samples.y[cand])]
        rows.append(inside)
        cols.append(np.full(len(inside), j))
    if not rows:
        return sparse.csc_matrix((n_s, n_o), dtype=bool)
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sparse.csc_matrix((np.ones(len(r), dtype=bool), (r, c)), shape=(n_s, n_o))


def greedy_max_coverage(
    cover: sparse.csc_matrix,
    weight: np.ndarray,
    k: int,
    sites: np.ndarray | None = None,
    one_per_site: bool = False,
) -> tuple[list[int], list[float]]:
    """Lazy greedy: pick up to ``k`` columns maximising the weight of covered rows.

    Returns the chosen columns and the weight each added. Gains only shrink as rows get
    covered (submodularity), so a stale heap entry that still tops the heap after being
    refreshed is the true best.
    """
    cover = sparse.csc_matrix(cover)
    covered = np.zeros(cover.shape[0], dtype=bool)
    indptr, indices = cover.indptr, cover.indices

    def gain(j: int) -> float:
        rows = indices[indptr[j] : indptr[j + 1]]
        return float(weight[rows[~covered[rows]]].sum())

    heap = [(-gain(j), j) for j in range(cover.shape[1])]
    heapq.heapify(heap)
    chosen: list[int] = []
    gains: list[float] = []
    used_sites: set[int] = set()
    while heap and len(chosen) < k:
        neg, j = heapq.heappop(heap)
        if one_per_site and sites is not None and int(sites[j]) in used_sites:
            continue
        g = gain(j)
        if heap and g < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-g, j))
            continue
        if g <= 0:
            break
        chosen.append(j)
        gains.append(g)
        covered[indices[indptr[j] : indptr[j + 1]]] = True
        if sites is not None:
            used_sites.add(int(sites[j]))
    return chosen, gains


def exact_max_coverage(
    cover: sparse.csc_matrix,
    weight: np.ndarray,
    k: int,
    sites: np.ndarray | None = None,
    one_per_site: bool = False,
    time_limit: float = 60.0,
) -> tuple[list[int], float, bool]:
    """Optimal choice by MILP (scipy/HiGHS): max sum w_e y_e, y_e <= sum_{j covers e} x_j, sum x <= k.

    Rows with identical option sets are merged first. Returns (chosen, value, proven optimal).
    """
    cover = sparse.csr_matrix(cover)
    useful = np.flatnonzero(np.diff(cover.indptr) > 0)
    if len(useful) == 0 or k <= 0:
        return [], 0.0, True
    sub = cover[useful]
    keys = {}
    elem_w: list[float] = []
    elem_rows: list[np.ndarray] = []
    for r in range(sub.shape[0]):
        cols = sub.indices[sub.indptr[r] : sub.indptr[r + 1]]
        key = tuple(np.sort(cols))
        if key in keys:
            elem_w[keys[key]] += weight[useful[r]]
        else:
            keys[key] = len(elem_w)
            elem_w.append(float(weight[useful[r]]))
            elem_rows.append(np.sort(cols))
    n_o, n_e = cover.shape[1], len(elem_w)
    c = np.concatenate((np.zeros(n_o), -np.asarray(elem_w)))
    # y_e - sum x_j <= 0
    rr = np.concatenate([np.full(len(cols), e) for e, cols in enumerate(elem_rows)])
    cc = np.concatenate(elem_rows)
    a_cov = sparse.hstack(
        [
            sparse.csr_matrix((-np.ones(len(rr)), (rr, cc)), shape=(n_e, n_o)),
            sparse.identity(n_e, format="csr"),
        ]
    )
    cons = [
        LinearConstraint(a_cov, -np.inf, 0.0),
        LinearConstraint(sparse.hstack([sparse.csr_matrix(np.ones((1, n_o))), sparse.csr_matrix((1, n_e))]), 0, k),
    ]
    if one_per_site and sites is not None:
        usites, sidx = np.unique(sites, return_inverse=True)
        a_site = sparse.hstack(
            [
                sparse.csr_matrix((np.ones(n_o), (sidx, np.arange(n_o))), shape=(len(usites), n_o)),
                sparse.csr_matrix((len(usites), n_e)),
            ]
        )
        cons.append(LinearConstraint(a_site, 0, 1))
    integrality = np.concatenate((np.ones(n_o), np.zeros(n_e)))
    res = milp(
        c,
        constraints=cons,
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "disp": False},
    )
    if res.x is None:
        return [], 0.0, False
    chosen = [int(j) for j in np.flatnonzero(res.x[:n_o] > 0.5)]
    covered = np.asarray(cover[:, chosen].sum(axis=1)).ravel() > 0
    return chosen, float(weight[covered].sum()), res.status == 0


@dataclass
class Suggestion:
    camera: Camera
    site_kind: str
    gain: float  # weighted gain (area-equivalent m2)
    gain_m2: float  # plain area newly seen (sample cells)
    fov: object = None


@dataclass
class SuggestResult:
    suggestions: list[Suggestion] = field(default_factory=list)
    total_gain: float = 0.0
    target_weight: float = 0.0  # weight of samples nobody sees yet
    optimum: float | None = None  # exact solver value when it ran
    optimum_proven: bool = False
    method: str = "greedy"
    n_sites: int = 0
    n_options: int = 0
    n_samples: int = 0

    @property
    def ratio_to_optimum(self) -> float | None:
        if self.optimum is None or self.optimum <= 0:
            return None
        return self.total_gain / self.optimum


def suggest_cameras(
    target,
    obstacles: Obstacles,
    existing_fovs: np.ndarray,
    count: int,
    template: Camera,
    sites: list[Site] | None = None,
    events: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None,
    sample_spacing: float = 2.0,
    site_spacing: float = 10.0,
    azimuths_per_site: int = 5,
    one_per_site: bool = False,
    exact_max_options: int = 400,
    weight_radius: float = 20.0,
    engine: FovEngine | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> SuggestResult:
    """Choose up to ``count`` new cameras (``template``'s lens and mount) maximising newly seen target.

    ``sites`` default to points along facades and street edges every ``site_spacing`` m.
    When the options are at most ``exact_max_options``, the MILP runs too; its choice is
    kept when it beats the greedy one.
    """
    tparts, _, _ = polygonal(np.array([target], dtype=object) if not isinstance(target, np.ndarray) else target)
    target = shapely.union_all(tparts) if len(tparts) else shapely.Polygon()
    samples = sample_target(target, sample_spacing, obstacles)
    if events is not None and len(events[0]):
        add_event_weights(samples, events[0], events[1], events[2], weight_radius)
    existing = np.asarray(existing_fovs, dtype=object) if existing_fovs is not None else np.empty(0, dtype=object)
    existing = existing[[f is not None and not f.is_empty for f in existing]] if len(existing) else existing
    if len(existing) and len(samples.x):
        seen = np.asarray(cover_matrix(existing, samples).sum(axis=1)).ravel() > 0
        samples = Samples(samples.x[~seen], samples.y[~seen], samples.weight[~seen], samples.cell_area)
    result = SuggestResult(target_weight=float(samples.weight.sum()), n_samples=len(samples.x))
    if sites is None:
        sites = facade_sites(obstacles, target, site_spacing) + street_sites(target, site_spacing)
    options = site_options(sites, template.hfov, azimuths_per_site)
    result.n_sites, result.n_options = len(sites), len(options)
    if not options or not len(samples.x) or count <= 0:
        return result
    engine = engine or FovEngine(obstacles)
    cams = [_camera_at(template, o.x, o.y, o.azimuth) for o in options]
    fovs, _ = engine.fovs(cams, progress=progress)
    cover = cover_matrix(fovs, samples)
    site_of = np.array([o.site for o in options])
    chosen, gains = greedy_max_coverage(cover, samples.weight, count, site_of, one_per_site)
    result.total_gain = float(sum(gains))
    if len(options) <= exact_max_options:
        opt, value, proven = exact_max_coverage(cover, samples.weight, count, site_of, one_per_site)
        result.optimum, result.optimum_proven = value, proven
        if value > result.total_gain + 1e-9:
            # order the exact choice greedily so each suggestion's gain is meaningful
            sub_chosen, sub_gains = greedy_max_coverage(cover[:, opt], samples.weight, len(opt))
            chosen = [opt[j] for j in sub_chosen]
            gains = sub_gains
            result.total_gain = float(sum(gains))
            result.method = "milp"
    covered = np.zeros(len(samples.x), dtype=bool)
    cover = sparse.csc_matrix(cover)
    for j, g in zip(chosen, gains):
        rows = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
        new = rows[~covered[rows]]
        covered[new] = True
        result.suggestions.append(
            Suggestion(cams[j], sites[options[j].site].kind, g, len(new) * samples.cell_area, fovs[j])
        )
    return result


def _camera_at(template: Camera, x: float, y: float, azimuth: float) -> Camera:
    return Camera(
        x=x,
        y=y,
        azimuth=azimuth,
        hfov=template.hfov,
        range_m=template.range_m,
        height_m=template.height_m,
        tilt=template.tilt,
        vfov=template.vfov,
        hres_px=template.hres_px,
        status="planned",
    )
