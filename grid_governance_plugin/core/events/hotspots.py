"""Event hotspots: counts per cell and the Getis-Ord Gi* statistic (PySAL esda).

Pure logic on numpy/shapely (metric coordinates); the Processing algorithm
``gridgov:hotspots`` reads layers and writes the result.

Choices, documented in docs/events.md:

* Cells are the given grid polygons (网格) or a regular square grid of ``cell_size``
  metres over the extent of *all* events (before filtering, so a filter does not
  move the study area). Its origin is snapped to multiples of the cell size so two
  runs over similar data produce the same cells.
* Weights: binary queen contiguity. Grid polygons are irregular and vary in size,
  so contiguity adapts to the local cell size where a distance band would give large
  cells no neighbours and small ones dozens. Hand-digitised grids have slivers and
  gaps, so polygons within ``tolerance`` metres count as neighbours. A cell without
  any neighbour (an island) is linked to its nearest cell. Rook contiguity and a
  binary distance band (default: the smallest distance giving every cell a neighbour)
  are options.
* Gi* (star=True, self weight 1, binary transform) per cell; ``gi_z`` is the
  analytical z-score, ``gi_p`` the two-sided permutation pseudo p-value
  (``min(1, 2 * p_sim)``: esda's ``p_sim`` is folded one-sided, doubling it makes
  "99 %" mean what it means in ArcGIS's hot spot analysis). Classes need both the
  sign of ``gi_z`` and ``gi_p`` below 0.01 / 0.05 / 0.10.
* FDR: Benjamini-Hochberg per confidence level (esda.fdr). With n cells the smallest
  reachable p is 2 / (permutations + 1), so FDR at 99 % over many cells needs many
  permutations; the result says which cut-offs were used.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..i18n import tr

CLASSES = ("hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "not_significant")
# (alpha, confidence tag), strictest first so a cell gets its highest confidence.
LEVELS = ((0.01, "99"), (0.05, "95"), (0.10, "90"))
WEIGHTS = ("queen", "rook", "distance")
MAX_CELLS = 2_000_000


class HotspotError(ValueError):
    """The input cannot be analysed (too few cells, bad cell size ...)."""


@dataclass
class Cells:
    """Analysis cells: polygons (metric CRS) and, for a regular grid, its layout."""

    geoms: np.ndarray
    ids: list[str]
    rows: np.ndarray | None = None
    cols: np.ndarray | None = None
    origin: tuple[float, float] | None = None  # (minx, maxy) of a regular grid
    cell_size: float | None = None
    shape: tuple[int, int] | None = None  # (nrows, ncols)

    def __len__(self) -> int:
        return len(self.geoms)


@dataclass
class HotspotResult:
    cells: Cells
    counts: np.ndarray
    z: np.ndarray
    p: np.ndarray
    classes: list[str]
    n_events: int  # events counted (after filters, inside cells)
    n_filtered_out: int  # events dropped by the time/category filters or without geometry
    n_outside: int  # events passing the filters but in no cell
    cutoffs: dict[str, float] = field(default_factory=dict)  # confidence tag -> p cut-off used
    islands: list[int] = field(default_factory=list)  # cells linked to their nearest cell
    weights: str = "queen"

    def class_counts(self) -> dict[str, int]:
        return {c: int(sum(1 for k in self.classes if k == c)) for c in CLASSES}


# --------------------------------------------------------------------------- inputs


def point_coords(geoms: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N, 2) coordinates of event geometries and a mask of those present.

    Points give their coordinates; other geometries their point on surface; None or
    empty geometries are marked absent (coordinates NaN).
    """
    arr = np.asarray(geoms, dtype=object)
    xy = np.full((len(arr), 2), np.nan)
    present = np.array([g is not None and not g.is_empty for g in arr], dtype=bool)
    if present.any():
        sub = arr[present]
        is_point = shapely.get_type_id(sub) == 0
        pts = np.where(is_point, sub, shapely.point_on_surface(sub))
        xy[present] = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])
    return xy, present


def _as_utc(value: Any) -> dt.datetime | None:
    """Dates, naive datetimes (taken as UTC) and aware datetimes as aware UTC datetimes."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, str) and value:
        try:
            return _as_utc(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def event_filter(
    n: int,
    times: Sequence[Any] | None = None,
    categories: Sequence[Any] | None = None,
    start: Any = None,
    end: Any = None,
    category: str | Iterable[str] | None = None,
) -> np.ndarray:
    """Mask of events inside [start, end) whose category is in ``category``.

    ``category`` is one code, a comma-separated list or an iterable; None/empty keeps
    all. With a time window, events without a readable time are excluded.
    """
    mask = np.ones(n, dtype=bool)
    t0, t1 = _as_utc(start), _as_utc(end)
    if (t0 is not None or t1 is not None) and times is not None:
        for i, t in enumerate(times):
            ut = _as_utc(t)
            if ut is None or (t0 is not None and ut < t0) or (t1 is not None and ut >= t1):
                mask[i] = False
    wanted = _category_set(category)
    if wanted and categories is not None:
        mask &= np.array([c is not None and str(c).strip() in wanted for c in categories], dtype=bool)
    return mask


def _category_set(category: str | Iterable[str] | None) -> set[str]:
    if category is None:
        return set()
    if isinstance(category, str):
        category = category.split(",")
    return {str(c).strip() for c in category if str(c).strip()}


# --------------------------------------------------------------------------- cells


def square_grid(bounds: tuple[float, float, float, float], cell_size: float) -> Cells:
    """A regular grid of ``cell_size`` squares covering ``bounds`` (minx, miny, maxx, maxy).

    The origin is snapped to multiples of the cell size. Row 0 is the northern row;
    cell ids are ``R{row}C{col}``.
    """
    if not cell_size or cell_size <= 0 or not np.isfinite(cell_size):
        raise HotspotError(tr("The cell size must be a positive number of metres."))
    minx, miny, maxx, maxy = bounds
    if not all(np.isfinite(v) for v in bounds):
        raise HotspotError(tr("There are no events to build a grid over."))
    # Snap the lower-left corner to the cell size; a point on the top or right edge
    # of the last cell belongs to the next one, hence the + 1.
    x0 = np.floor(minx / cell_size) * cell_size
    y0 = np.floor(miny / cell_size) * cell_size
    ncols = max(int(np.floor((maxx - x0) / cell_size)) + 1, 1)
    nrows = max(int(np.floor((maxy - y0) / cell_size)) + 1, 1)
    y1 = y0 + nrows * cell_size
    if nrows * ncols > MAX_CELLS:
        raise HotspotError(
            tr(
                "A cell size of {0} m gives {1} cells (at most {2}); choose a larger cell size.",
                cell_size,
                nrows * ncols,
                MAX_CELLS,
            )
        )
    rows, cols = np.divmod(np.arange(nrows * ncols), ncols)
    xmin = x0 + cols * cell_size
    ymax = y1 - rows * cell_size
    geoms = shapely.box(xmin, ymax - cell_size, xmin + cell_size, ymax)
    ids = [f"R{r}C{c}" for r, c in zip(rows, cols)]
    return Cells(geoms, ids, rows, cols, (float(x0), float(y1)), float(cell_size), (nrows, ncols))


def polygon_cells(geoms: Sequence[Any] | np.ndarray, ids: Sequence[Any] | None = None) -> Cells:
    """Cells from grid polygons (metric CRS); cells without geometry stay with no events."""
    arr = np.asarray(geoms, dtype=object)
    if ids is None:
        ids = [str(i) for i in range(len(arr))]
    return Cells(arr, [str(i) for i in ids])


def count_in_cells(xy: np.ndarray, cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """Events per cell and, per event, its cell index (-1 outside every cell).

    A point on the border of two polygons counts once, in the cell listed first.
    """
    n = len(cells)
    cell_of = np.full(len(xy), -1, dtype=np.int64)
    ok = np.isfinite(xy).all(axis=1)
    if cells.shape is not None:
        nrows, ncols = cells.shape
        x0, y1 = cells.origin
        size = cells.cell_size
        c = np.floor((xy[ok, 0] - x0) / size).astype(np.int64)
        r = nrows - 1 - np.floor((xy[ok, 1] - (y1 - nrows * size)) / size).astype(np.int64)
        inside = (r >= 0) & (r < nrows) & (c >= 0) & (c < ncols)
        idx = np.where(ok)[0]
        cell_of[idx[inside]] = r[inside] * ncols + c[inside]
    elif ok.any():
        valid = np.array([g is not None and not g.is_empty for g in cells.geoms], dtype=bool)
        geoms = np.where(valid, cells.geoms, None)
        tree = shapely.STRtree(geoms)
        pts = shapely.points(xy[ok])
        pi, ci = tree.query(pts, predicate="intersects")
        if len(pi):
            order = np.lexsort((ci, pi))
            pi, ci = pi[order], ci[order]
            first = np.unique(pi, return_index=True)[1]
            cell_of[np.where(ok)[0][pi[first]]] = ci[first]
    counts = np.bincount(cell_of[cell_of >= 0], minlength=n).astype(np.int64)
    return counts, cell_of


# --------------------------------------------------------------------------- weights


def spatial_weights(cells: Cells, method: str = "queen", tolerance: float = 1.0, distance: float | None = None):
    """Binary libpysal weights (a Graph) between cells (see the module doc); returns (graph, islands).

    ``islands`` lists cells that had no neighbour and were linked to their nearest cell.
    """
    from libpysal.graph import Graph

    method = method.lower()
    if method not in WEIGHTS:
        raise HotspotError(tr("Unknown weights '{0}'; use one of {1}.", method, ", ".join(WEIGHTS)))
    n = len(cells)
    neighbors: dict[int, set[int]] = {i: set() for i in range(n)}
    valid = np.array([g is not None and not g.is_empty for g in cells.geoms], dtype=bool)
    if method == "distance":
        cent = shapely.centroid(np.where(valid, cells.geoms, None))
        if distance is None or distance <= 0:
            distance = _min_threshold(cent, valid)
        tree = shapely.STRtree(cent)
        a, b = tree.query(cent, predicate="dwithin", distance=distance)
        pairs = [(i, j) for i, j in zip(a.tolist(), b.tolist()) if i != j]
    elif cells.shape is not None:
        pairs = _lattice_pairs(cells.shape, rook=(method == "rook"))
    else:
        pairs = _contiguity_pairs(cells.geoms, valid, rook=(method == "rook"), tolerance=tolerance)
    for i, j in pairs:
        neighbors[i].add(j)
        neighbors[j].add(i)
    islands = [i for i in range(n) if not neighbors[i] and valid[i]]
    if islands and valid.sum() > 1:
        tree = shapely.STRtree(np.where(valid, cells.geoms, None))
        for i in islands:
            near = tree.query_nearest(cells.geoms[i], exclusive=True, all_matches=False)
            if len(near):
                j = int(near[0])
                neighbors[i].add(j)
                neighbors[j].add(i)
    # A libpysal Graph, not a W: esda builds the sparse matrix of a W three times in pure
    # Python (seconds for 5,500 cells), a Graph's in milliseconds; results are identical.
    focal: list[int] = []
    neighbor: list[int] = []
    weight: list[float] = []
    for i in range(n):
        if neighbors[i]:
            for j in sorted(neighbors[i]):
                focal.append(i)
                neighbor.append(j)
                weight.append(1.0)
        else:  # Graph's way of keeping an isolate (a cell without geometry): a zero self-loop
            focal.append(i)
            neighbor.append(i)
            weight.append(0.0)
    w = Graph.from_arrays(np.asarray(focal), np.asarray(neighbor), np.asarray(weight))
    return w, islands


def _min_threshold(cent: np.ndarray, valid: np.ndarray) -> float:
    """The largest nearest-neighbour distance: every cell gets at least one neighbour."""
    pts = cent[valid]
    if len(pts) < 2:
        return 0.0
    tree = shapely.STRtree(pts)
    idx, dist = tree.query_nearest(pts, exclusive=True, return_distance=True, all_matches=False)
    per = np.full(len(pts), np.inf)
    np.minimum.at(per, idx[0], dist)
    return float(per.max()) * 1.000001


def _lattice_pairs(shape: tuple[int, int], rook: bool) -> list[tuple[int, int]]:
    nrows, ncols = shape
    ids = np.arange(nrows * ncols).reshape(nrows, ncols)
    parts = [(ids[:, :-1], ids[:, 1:]), (ids[:-1, :], ids[1:, :])]
    if not rook:
        parts += [(ids[:-1, :-1], ids[1:, 1:]), (ids[:-1, 1:], ids[1:, :-1])]
    out: list[tuple[int, int]] = []
    for a, b in parts:
        out.extend(zip(a.ravel().tolist(), b.ravel().tolist()))
    return out


def _contiguity_pairs(geoms: np.ndarray, valid: np.ndarray, rook: bool, tolerance: float) -> list[tuple[int, int]]:
    g = np.where(valid, geoms, None)
    tree = shapely.STRtree(g)
    if tolerance and tolerance > 0:
        a, b = tree.query(g, predicate="dwithin", distance=tolerance)
    else:
        a, b = tree.query(g, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    if not rook or not len(a):
        return list(zip(a.tolist(), b.tolist()))
    # Rook: the shared border is a line, not a corner point. Measure the length of one
    # boundary inside the other polygon grown by the tolerance.
    tol = max(tolerance, 1e-6)
    shared = shapely.length(shapely.intersection(shapely.boundary(g[a]), shapely.buffer(g[b], tol)))
    ok = shared > 4 * tol
    return list(zip(a[ok].tolist(), b[ok].tolist()))


# --------------------------------------------------------------------------- statistic


def getis_ord_star(
    counts: np.ndarray,
    w,
    permutations: int = 999,
    fdr: bool = False,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, float]]:
    """Gi* z-scores, two-sided permutation p-values, classes and the p cut-offs used."""
    from esda.getisord import G_Local

    y = np.asarray(counts, dtype=float)
    n = len(y)
    if n < 3:
        raise HotspotError(tr("Hot spot analysis needs at least 3 cells, got {0}.", n))
    if permutations < 9:
        raise HotspotError(tr("Use at least 9 permutations (999 is usual)."))
    if np.allclose(y, y[0]):  # no variation: Gi* is undefined, nothing can be a hot spot
        return np.zeros(n), np.ones(n), ["not_significant"] * n, {tag: a for a, tag in LEVELS}
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        # esda warns that crand's default alternative will change in its next major
        # release; G_Local does not expose it yet. The doubling below assumes the
        # current folded ("directed") p_sim; test_events_hotspots checks the range.
        warnings.simplefilter("ignore", DeprecationWarning)
        # n_jobs=1: joblib worker processes would start new QGIS executables inside QGIS.
        kernels = numba_kernels()
        g = G_Local(
            y,
            w,
            transform="B",
            permutations=0 if kernels else int(permutations),
            star=True,
            keep_simulations=False,
            n_jobs=1,
            seed=seed,
        )
        p_sim = _cached_p_sim(kernels, y, g, int(permutations), seed) if kernels else g.p_sim
    z = np.nan_to_num(np.asarray(g.Zs, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    p = np.minimum(1.0, 2.0 * np.asarray(p_sim, dtype=float))
    classes, cutoffs = classify(z, p, fdr=fdr)
    return z, p, classes, cutoffs


def numba_cache_dir(profile: str | Path | None = None) -> Path:
    """Where numba keeps the compiled Gi* kernels: the plugin's folder, per numba and esda version."""
    import esda
    import numba

    try:
        from ..deps import data_dir

        base = data_dir(profile)
    except Exception:  # outside QGIS
        base = Path(tempfile.gettempdir()) / "grid_governance_plugin"
    return base / "numba-cache" / f"numba-{numba.__version__}_esda-{esda.__version__}"


def warm_up_kernels(profile: str | Path) -> Path:
    """Compile the Gi* kernels into the cache of the QGIS profile ``profile`` (run after an install)."""
    import numba

    folder = numba_cache_dir(profile)
    folder.mkdir(parents=True, exist_ok=True)
    numba.config.CACHE_DIR = str(folder)
    from . import _gistar_kernels

    _gistar_kernels.warm_up()
    return folder


def numba_kernels():
    """The cached Gi* kernels, or None without numba (esda then runs its pure-Python loops)."""
    try:
        import numba
    except ImportError:
        return None
    if "_gistar_kernels" not in globals():
        if not os.environ.get("NUMBA_CACHE_DIR"):  # a cache folder the user chose wins
            folder = numba_cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            numba.config.CACHE_DIR = str(folder)
        try:
            from . import _gistar_kernels
        except ImportError:  # an esda without these functions: its own (uncached) path still works
            _gistar_kernels = None

        globals()["_gistar_kernels"] = _gistar_kernels
    return globals()["_gistar_kernels"]


def _cached_p_sim(kernels, y: np.ndarray, g, permutations: int, seed: int | None) -> np.ndarray:
    """esda.crand.crand's serial path for Gi*, through the cached kernels (same p_sim for the same seed)."""
    adj = g.w.sparse.tocsr(copy=True)
    self_weights = adj.diagonal()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adj.setdiag(0)
        adj.eliminate_zeros()
    other_weights = adj.data.astype(y.dtype)
    cardinalities = np.array((adj != 0).sum(1)).flatten()
    if seed is None:
        seed = np.random.randint(12345, 12345000)
    ids = kernels.permuted_ids(cardinalities.max(), len(y), permutations, seed)
    observed = np.asarray(g.Gs, dtype=float)
    larger = kernels.gstar_larger(y, observed, cardinalities, self_weights, other_weights, ids, y.sum(), 0.0)
    # esda's "directed" p_sim: the smaller tail, folded
    low = (permutations - larger) < larger
    larger[low] = permutations - larger[low]
    return (larger + 1.0) / (permutations + 1.0)


def classify(z: np.ndarray, p: np.ndarray, fdr: bool = False) -> tuple[list[str], dict[str, float]]:
    """Hot/cold classes at 99/95/90 % from z signs and p-values (optionally BH-FDR)."""
    from esda import fdr as esda_fdr

    z = np.asarray(z, dtype=float)
    p = np.asarray(p, dtype=float)
    out = np.array(["not_significant"] * len(p), dtype=object)
    cutoffs: dict[str, float] = {}
    done = np.zeros(len(p), dtype=bool)
    for alpha, tag in LEVELS:
        if fdr:
            cut = float(esda_fdr(p, alpha))
            sig = p < cut  # esda's cut-off is a strict bound
        else:
            cut = alpha
            sig = p <= cut
        cutoffs[tag] = cut
        new = sig & ~done
        out[new & (z > 0)] = f"hot_{tag}"
        out[new & (z < 0)] = f"cold_{tag}"
        done |= new & (z != 0)
    return out.tolist(), cutoffs


def hotspots(
    event_geoms: Sequence[Any] | np.ndarray,
    cells: Cells | None = None,
    cell_size: float | None = None,
    times: Sequence[Any] | None = None,
    categories: Sequence[Any] | None = None,
    start: Any = None,
    end: Any = None,
    category: str | Iterable[str] | None = None,
    permutations: int = 999,
    fdr: bool = False,
    weights: str = "queen",
    tolerance: float = 1.0,
    distance: float | None = None,
    seed: int | None = None,
) -> HotspotResult:
    """Count filtered events per cell and classify cells by Getis-Ord Gi*.

    ``event_geoms`` are shapely geometries in a metric CRS (or an (N, 2) array of
    coordinates). Give ``cells`` (grid polygons, same CRS) or ``cell_size`` for a
    regular grid over all events.
    """
    if isinstance(event_geoms, np.ndarray) and event_geoms.dtype != object and event_geoms.ndim == 2:
        xy = np.asarray(event_geoms, dtype=float)
        present = np.isfinite(xy).all(axis=1)
    else:
        xy, present = point_coords(event_geoms)
    if cells is None:
        if not present.any():
            raise HotspotError(tr("There are no events to build a grid over."))
        pts = xy[present]
        cells = square_grid((pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()), cell_size or 0)
    keep = present & event_filter(len(xy), times, categories, start, end, category)
    sel = np.where(keep, 0, np.nan)[:, None] + xy  # NaN rows are skipped by the counter
    counts, cell_of = count_in_cells(sel, cells)
    w, islands = spatial_weights(cells, weights, tolerance=tolerance, distance=distance)
    z, p, classes, cutoffs = getis_ord_star(counts, w, permutations=permutations, fdr=fdr, seed=seed)
    for i, g in enumerate(cells.geoms):
        if g is None or g.is_empty:  # no position, no neighbours: nothing to test
            z[i], p[i], classes[i] = 0.0, 1.0, "not_significant"
    n_in = int((cell_of >= 0).sum())
    return HotspotResult(
        cells=cells,
        counts=counts,
        z=z,
        p=p,
        classes=classes,
        n_events=n_in,
        n_filtered_out=int((~keep).sum()),
        n_outside=int(keep.sum()) - n_in,
        cutoffs=cutoffs,
        islands=islands,
        weights=weights,
    )
