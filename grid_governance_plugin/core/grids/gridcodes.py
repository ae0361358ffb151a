"""Assigning grid codes: county (6) + street (3) + community (3) + serial (3).

Ordering rule (DB11/T 2157: west→east, north→south within a community), made exact:

1. Each grid is represented by its centroid (its point on surface when the centroid
   falls outside the grid, e.g. an L shape).
2. Grids are sorted north→south by that point. A *row* starts at the northernmost
   grid not yet placed; every grid whose point lies less than ``row_factor`` × the
   median grid height (bounding box) below the row's first point joins the row. So
   grids at similar northings form one row even when their centres wobble a little.
3. Rows are numbered north→south, grids in a row west→east; serials run 001, 002, …

Stability: a grid that did not change keeps its code. Each new grid is matched to
the old grid it overlaps most; when their intersection-over-union is at least
``min_iou`` (0.95) and the old code is valid for the grid's community (and not taken
by a better match) the code is kept. The other grids get the free serials of their
community in the order above, so unchanged neighbours never move. The report lists
every grid (kept / renumbered / new) and old codes that no grid took (retired).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..i18n import tr
from ._geom import as_geoms, make_valid_array
from .coderule import CODE_LENGTH, COMMUNITY_CODE_LENGTH, code_problem, county_problem, normalise

__all__ = ["CodeAssignment", "assign_codes", "code_problem", "spatial_order"]


@dataclass
class CodeAssignment:
    codes: list[str]
    old_codes: list[str]  # code of the best-matching old grid ('' when none)
    status: list[str]  # kept | renumbered | new | error
    retired: list[str] = field(default_factory=list)  # old codes no grid took
    problems: list[tuple[int, str]] = field(default_factory=list)  # (grid index, message)

    def renumbered(self) -> list[tuple[int, str, str]]:
        """(index, old, new) for grids whose code changed."""
        return [
            (i, o, c) for i, (o, c, s) in enumerate(zip(self.old_codes, self.codes, self.status)) if s == "renumbered"
        ]


def spatial_order(geoms: Sequence[BaseGeometry], row_factor: float = 0.5) -> list[int]:
    """Indices of ``geoms`` in row order: rows north→south, west→east within a row."""
    geoms = as_geoms(geoms)
    if len(geoms) == 0:
        return []
    pts = shapely.centroid(geoms)
    outside = ~shapely.within(pts, geoms)
    if outside.any():
        pts[outside] = shapely.point_on_surface(geoms[outside])
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    b = shapely.bounds(geoms)
    band = row_factor * float(np.median(b[:, 3] - b[:, 1]))
    order = list(np.argsort(-y, kind="stable"))
    result: list[int] = []
    k = 0
    while k < len(order):
        top = y[order[k]]
        row = []
        while k < len(order) and y[order[k]] >= top - band:
            row.append(order[k])
            k += 1
        result.extend(sorted(row, key=lambda i: (x[i], -y[i])))
    return [int(i) for i in result]


def _prefix(community: object, county: str | None) -> str | None:
    """The 12-digit code prefix for a grid of ``community`` (12 digits, or 6 with a county)."""
    c = normalise(community)
    if not c.isdigit():
        return None
    if county:
        if len(c) in (COMMUNITY_CODE_LENGTH, 6):
            return county + c[-6:]
        return None
    return c if len(c) == COMMUNITY_CODE_LENGTH else None


def assign_codes(
    geoms: Sequence[BaseGeometry | None],
    communities: Sequence[object],
    county: str | None = None,
    old_geoms: Sequence[BaseGeometry | None] | None = None,
    old_codes: Sequence[object] | None = None,
    min_iou: float = 0.95,
    row_factor: float = 0.5,
    keep_existing: bool = True,
) -> CodeAssignment:
    """Codes for ``geoms`` (metric CRS).

    ``communities``: per grid the community code (12 digits; or street 3 + community 3
    when ``county`` is given, which then also replaces the county part of 12-digit codes).
    ``old_geoms``/``old_codes``: the previous grids; when ``old_geoms`` is None the grids
    themselves are the old ones and ``old_codes`` their current codes.
    """
    g, _ = make_valid_array(as_geoms(geoms))
    n = len(g)
    if county is not None:
        county = normalise(county)
        why = county_problem(county)
        if why:
            raise ValueError(why)
    prefixes = [_prefix(c, county) for c in communities]
    result = CodeAssignment([""] * n, [""] * n, ["new"] * n)
    for i, p in enumerate(prefixes):
        if p is None:
            result.status[i] = "error"
            result.problems.append(
                (
                    i,
                    tr(
                        "The community code '{0}' must have 12 digits (or 6 with a county code).",
                        normalise(communities[i]),
                    ),
                )
            )
        elif g[i] is None:
            result.status[i] = "error"
            result.problems.append((i, tr("The grid has no geometry.")))

    # --- match old grids -----------------------------------------------------------
    if old_geoms is None:
        og, ocodes = g, [normalise(c) for c in (old_codes if old_codes is not None else [""] * n)]
    else:
        og, _ = make_valid_array(as_geoms(old_geoms))
        ocodes = [normalise(c) for c in (old_codes if old_codes is not None else [""] * len(og))]
    taken: set[str] = set()
    if len(og) and n:
        present = np.flatnonzero(~shapely.is_missing(g))
        tree = shapely.STRtree(og)
        gi, oi = tree.query(g[present], predicate="intersects")
        gi = present[gi]
        inter = shapely.area(shapely.intersection(g[gi], og[oi]))
        union = shapely.area(g[gi]) + shapely.area(og[oi]) - inter
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0)
        # best old match per grid (for the report)
        best: dict[int, tuple[float, int]] = {}
        for a, o, v in zip(gi, oi, inter):
            if ocodes[o] and v > 0.01 and (a not in best or v > best[a][0]):  # touching is no match
                best[a] = (v, o)
        for a, (_, o) in best.items():
            result.old_codes[a] = ocodes[o]
        if keep_existing:
            for k in np.argsort(-iou, kind="stable"):
                a, o = int(gi[k]), int(oi[k])
                code = ocodes[o]
                if iou[k] < min_iou or not code or result.codes[a] or code in taken or prefixes[a] is None:
                    continue
                if code_problem(code, prefixes[a]) is None:
                    result.codes[a] = code
                    taken.add(code)

    # --- fresh serials in spatial order per community ---------------------------------------
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prefixes):
        if p is not None and g[i] is not None:
            by_prefix[p].append(i)
    for p, members in by_prefix.items():
        used = {int(c[COMMUNITY_CODE_LENGTH:]) for c in taken if c.startswith(p) and len(c) == CODE_LENGTH}
        serial = 0
        for local in spatial_order(g[members], row_factor):
            i = members[local]
            if result.codes[i]:
                continue
            serial += 1
            while serial in used:
                serial += 1
            if serial > 999:
                result.status[i] = "error"
                result.problems.append((i, tr("Community {0} has more than 999 grids.", p)))
                continue
            result.codes[i] = f"{p}{serial:03d}"
    for i in range(n):
        if result.status[i] == "error":
            continue
        old = result.old_codes[i]
        result.status[i] = "new" if not old else ("kept" if old == result.codes[i] else "renumbered")
    result.retired = sorted({c for c in ocodes if c} - set(result.codes))
    return result
