"""Per-grid workload figures and the incremental index behind the live balance panel.

A building belongs to the grid that holds its point on surface (never split between
grids); when that point lies exactly on a shared boundary the grid with the lowest
index wins, so every building is counted once. Events are points, same rule.

``grid_stats`` computes everything in bulk (one STRtree query for all points);
``BalanceIndex`` keeps the point trees and the ownership array so that a handful of
edited grids can be recomputed in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ._geom import as_geoms, make_valid_array


@dataclass
class GridStats:
    """Figures per grid, arrays aligned with the grids given."""

    households: np.ndarray
    population: np.ndarray
    buildings: np.ndarray
    events: np.ndarray
    area: np.ndarray
    compactness: np.ndarray  # Polsby-Popper 4*pi*A/P^2, 1 for a circle
    deviation: np.ndarray  # households vs the mean of the grid's community, %, NaN if mean is 0
    worker_assigned: np.ndarray

    def row(self, i: int) -> dict:
        return {k: getattr(self, k)[i].item() for k in self.__dataclass_fields__}


def owners(grids: np.ndarray, points: np.ndarray, tree: shapely.STRtree | None = None) -> np.ndarray:
    """Index of the grid holding each point (-1 outside all grids); lowest index on ties."""
    owner = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0 or len(grids) == 0:
        return owner
    tree = tree or shapely.STRtree(grids)
    pi, gi = tree.query(points, predicate="intersects")
    if len(pi):
        order = np.lexsort((gi, pi))
        pi, gi = pi[order], gi[order]
        first = np.r_[True, pi[1:] != pi[:-1]]  # lowest grid index per point
        owner[pi[first]] = gi[first]
    return owner


def representative_points(geoms: np.ndarray) -> np.ndarray:
    """Point on surface for polygons, the point itself for points."""
    geoms = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(geoms)
    out = geoms.copy()
    poly = np.isin(types, (3, 6, 7))
    if poly.any():
        out[poly] = shapely.point_on_surface(geoms[poly])
    multi = types == 4  # MultiPoint: first point
    if multi.any():
        out[multi] = shapely.get_geometry(geoms[multi], 0)
    return out


def _community_deviation(households: np.ndarray, community: Sequence[Hashable] | None) -> np.ndarray:
    hh = households.astype(float)
    if community is None:
        keys = np.zeros(len(hh), dtype=np.int64)
    else:
        _, keys = np.unique(np.array([str(c) if c is not None else "" for c in community]), return_inverse=True)
    sums = np.bincount(keys, weights=hh)
    counts = np.bincount(keys)
    mean = sums[keys] / counts[keys]
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.where(mean > 0, (hh - mean) / mean * 100.0, np.nan)
    return dev


def grid_stats(
    grids: Sequence[BaseGeometry | None],
    buildings: Sequence[BaseGeometry | None],
    households: Sequence[float] | None = None,
    population: Sequence[float] | None = None,
    events: Sequence[BaseGeometry | None] | None = None,
    community: Sequence[Hashable] | None = None,
    worker_ids: Sequence[object] | None = None,
    known_workers: set[str] | None = None,
) -> GridStats:
    """Bulk figures for all grids (metric CRS).

    ``community`` is a key per grid (its community code) for the deviation; None puts
    all grids in one community. A worker counts as assigned when ``worker_ids`` has a
    value and, when ``known_workers`` is given, that value is a known worker.
    """
    g, _ = make_valid_array(as_geoms(grids))
    n = len(g)
    tree = shapely.STRtree(g)
    shapely.prepare(g)
    bpts = representative_points(as_geoms(buildings))
    own = owners(g, bpts, tree)
    inside = own >= 0
    hh = np.zeros(len(bpts)) if households is None else np.nan_to_num(np.asarray(households, dtype=float))
    pop = np.zeros(len(bpts)) if population is None else np.nan_to_num(np.asarray(population, dtype=float))
    households_sum = np.bincount(own[inside], weights=hh[inside], minlength=n)
    population_sum = np.bincount(own[inside], weights=pop[inside], minlength=n)
    nbuild = np.bincount(own[inside], minlength=n)
    if events is not None and len(events):
        eown = owners(g, representative_points(as_geoms(events)), tree)
        nevents = np.bincount(eown[eown >= 0], minlength=n)
    else:
        nevents = np.zeros(n, dtype=np.int64)
    area = np.nan_to_num(shapely.area(g))
    perim = np.nan_to_num(shapely.length(g))
    with np.errstate(divide="ignore", invalid="ignore"):
        pp = np.where(perim > 0, 4 * np.pi * area / perim**2, 0.0)
    if worker_ids is None:
        assigned = np.zeros(n, dtype=bool)
    else:
        ids = [str(w).strip() if w is not None else "" for w in worker_ids]
        assigned = np.array([bool(w) and (known_workers is None or w in known_workers) for w in ids], dtype=bool)
    return GridStats(
        households_sum,
        population_sum,
        nbuild,
        nevents,
        area,
        pp,
        _community_deviation(households_sum, community),
        assigned,
    )


class BalanceIndex:
    """Prebuilt index for the live balance panel.

    Build once per editing session (bulk cost of ``grid_stats``); then ``update`` takes
    the grids whose geometry changed and returns fresh figures for them and the mean of
    their community, touching only the buildings near the changed grids.
    """

    def __init__(
        self,
        grids: Sequence[BaseGeometry | None],
        buildings: Sequence[BaseGeometry | None],
        households: Sequence[float] | None = None,
        population: Sequence[float] | None = None,
        community: Sequence[Hashable] | None = None,
        events: Sequence[BaseGeometry | None] | None = None,
    ) -> None:
        g, _ = make_valid_array(as_geoms(grids))
        self.grids = g
        n = len(g)
        self.points = representative_points(as_geoms(buildings))
        self.point_tree = shapely.STRtree(self.points)
        self.hh = (
            np.zeros(len(self.points)) if households is None else np.nan_to_num(np.asarray(households, dtype=float))
        )
        self.pop = (
            np.zeros(len(self.points)) if population is None else np.nan_to_num(np.asarray(population, dtype=float))
        )
        grid_tree = shapely.STRtree(g)
        shapely.prepare(g)
        self.owner = owners(g, self.points, grid_tree)
        inside = self.owner >= 0
        self.households = np.bincount(self.owner[inside], weights=self.hh[inside], minlength=n)
        self.population = np.bincount(self.owner[inside], weights=self.pop[inside], minlength=n)
        self.buildings = np.bincount(self.owner[inside], minlength=n)
        if events is not None and len(events):
            self.event_points = representative_points(as_geoms(events))
            self.event_tree = shapely.STRtree(self.event_points)
            self.event_owner = owners(g, self.event_points, grid_tree)
            ok = self.event_owner >= 0
            self.events = np.bincount(self.event_owner[ok], minlength=n)
        else:
            self.event_points = None
            self.events = np.zeros(n, dtype=np.int64)
        self.community = [None] * n if community is None else list(community)
        self.members: dict[Hashable, list[int]] = defaultdict(list)
        for i, c in enumerate(self.community):
            self.members[c].append(i)

    def add_grid(self, community: Hashable = None) -> int:
        """Room for a grid created while editing (a split); returns its index. Give it a
        geometry with ``update({index: geometry})``."""
        i = len(self.grids)
        self.grids = np.append(self.grids, np.array([None], dtype=object))
        for name in ("households", "population", "buildings", "events"):
            arr = getattr(self, name)
            setattr(self, name, np.append(arr, np.zeros(1, dtype=arr.dtype)))
        self.community.append(community)
        self.members[community].append(i)
        return i

    def _reown(self, tree, points, owner, changed: list[int]) -> np.ndarray:
        """Recompute owners of the points of/near the changed grids; returns touched points."""
        old = np.flatnonzero(np.isin(owner, changed))
        near = [tree.query(self.grids[i], predicate="intersects") for i in changed if self.grids[i] is not None]
        touched = np.unique(np.concatenate([old, *near])) if near else old
        owner[old] = -1
        for i in sorted(changed):  # ascending: the lowest index wins ties as in owners()
            g = self.grids[i]
            if g is None:
                continue
            cand = touched[(owner[touched] == -1) | (owner[touched] > i)]
            if len(cand):
                hit = shapely.intersects(g, points[cand])
                owner[cand[hit]] = i
        return touched

    def update(self, changes: dict[int, BaseGeometry | None]) -> dict[int, dict]:
        """Apply new geometries (None: grid deleted) and return figures of affected grids.

        Affected = changed grids, grids that lost or gained buildings, and the other
        grids of their communities (their deviation moves with the mean).
        """
        changed = sorted(changes)
        for i, geom in changes.items():
            fixed, _ = make_valid_array(np.array([geom], dtype=object))
            self.grids[i] = fixed[0]
            if fixed[0] is not None:
                shapely.prepare(fixed[0])
        before = self.owner.copy()
        touched = self._reown(self.point_tree, self.points, self.owner, changed)
        grids_hit = set(changed) | set(before[touched][before[touched] >= 0].tolist())
        grids_hit |= set(self.owner[touched][self.owner[touched] >= 0].tolist())
        hit = np.array(sorted(grids_hit), dtype=np.int64)
        mask = np.isin(self.owner, hit)
        sub_owner = self.owner[mask]
        n = len(self.grids)
        self.households[hit] = np.bincount(sub_owner, weights=self.hh[mask], minlength=n)[hit]
        self.population[hit] = np.bincount(sub_owner, weights=self.pop[mask], minlength=n)[hit]
        self.buildings[hit] = np.bincount(sub_owner, minlength=n)[hit]
        if self.event_points is not None:
            eb = self.event_owner.copy()
            et = self._reown(self.event_tree, self.event_points, self.event_owner, changed)
            ehit = (
                set(changed)
                | set(eb[et][eb[et] >= 0].tolist())
                | set(self.event_owner[et][self.event_owner[et] >= 0].tolist())
            )
            ehit_a = np.array(sorted(ehit), dtype=np.int64)
            emask = np.isin(self.event_owner, ehit_a)
            self.events[ehit_a] = np.bincount(self.event_owner[emask], minlength=n)[ehit_a]
        result: dict[int, dict] = {}
        for c in {self.community[i] for i in grids_hit}:
            idx = [i for i in self.members[c] if self.grids[i] is not None]
            mean = float(self.households[idx].mean()) if idx else 0.0
            for i in idx:
                result[i] = self.figures(i, mean)
        return result

    def figures(self, i: int, community_mean: float | None = None) -> dict:
        g = self.grids[i]
        if community_mean is None:
            idx = [k for k in self.members[self.community[i]] if self.grids[k] is not None]
            community_mean = float(self.households[idx].mean()) if idx else 0.0
        area = 0.0 if g is None else g.area
        perim = 0.0 if g is None else g.length
        hh = float(self.households[i])
        return {
            "households": hh,
            "population": float(self.population[i]),
            "buildings": int(self.buildings[i]),
            "events": int(self.events[i]),
            "area": area,
            "compactness": 4 * np.pi * area / perim**2 if perim > 0 else 0.0,
            "deviation": (hh - community_mean) / community_mean * 100.0 if community_mean > 0 else float("nan"),
            "community_mean": community_mean,
            "contiguous": g is not None and shapely.get_num_geometries(g) == 1,
        }
