"""Keeping grid edits sliver-free: the geometry side of split, merge and paint (no QGIS here).

An edit replaces some grids (``before``) by new geometries (``after``) over the same ground.
:func:`conform` makes the result fit its surroundings exactly:

1. the edited grids cover exactly the ground they covered before: anything outside is cut
   off, a sliver left uncovered goes to the edited grid it borders most;
2. a hairline overlap with a neighbour (thinner than ``tol``, or under ``min_area``) is taken
   off the edited grid, so it ends on the neighbour's boundary; the neighbour never moves;
3. pieces smaller than ``min_area`` are not grids of their own (they join the edited grid
   they border most) and holes smaller than ``min_area`` that were not there before are filled.

It refuses (:class:`EditError`) when a grid would be invalid or fall apart, or when the
ground covered would still differ by more than ``min_area``. :func:`shared_vertices` gives
a neighbour the vertices the edit put on its boundary, so shared boundaries share vertices.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..i18n import tr


class EditError(ValueError):
    """The edit cannot be made sliver-free; the message says which grid and why."""


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    parts = [q for p in parts for q in shapely.get_parts(p)]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _boundaries(geoms: list) -> BaseGeometry:
    lines = [shapely.boundary(g) for g in geoms if g is not None and not g.is_empty]
    return shapely.union_all(lines) if lines else shapely.LineString()


def _is_sliver(part: BaseGeometry, tol: float, min_area: float) -> bool:
    """A part too small or too thin (nothing left after shrinking it by ``tol``) to be meant."""
    return part.area < min_area or shapely.buffer(part, -tol).is_empty


def _fill_small_holes(geom: BaseGeometry, min_area: float, keep: BaseGeometry | None) -> BaseGeometry:
    """Fill interior rings smaller than ``min_area`` unless they were holes of ``keep`` too."""
    out = []
    for poly in shapely.get_parts(geom):
        rings = []
        for ring in poly.interiors:
            hole = shapely.Polygon(ring)
            if hole.area >= min_area or (keep is not None and not keep.covers(hole.representative_point())):
                rings.append(ring)
        out.append(shapely.Polygon(poly.exterior, rings))
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def conform(
    before: Mapping[int, BaseGeometry],
    after: Mapping[int, BaseGeometry],
    neighbours: Mapping[int, BaseGeometry],
    tol: float,
    min_area: float,
    names: Mapping[int, str] | None = None,
    m2_per_unit2: float = 1.0,
) -> dict[int, BaseGeometry]:
    """The edited grids fitted to their neighbours and to the ground they covered (module doc).

    ``before``: the grids the edit replaces; ``after``: their new geometries by id (new grids
    with negative ids); ``neighbours``: the other grids near them. All in one CRS; ``tol`` and
    ``min_area`` in its units.
    """
    names = names or {}

    def name(k: int) -> str:
        return names.get(k, str(k))

    others = [g for g in neighbours.values() if g is not None and not g.is_empty]
    ground = shapely.union_all([_polygonal(g) for g in before.values()])
    near_ground = [g for g in others if shapely.dwithin(g, ground, tol)]
    others_union = shapely.union_all(near_ground) if near_ground else shapely.Polygon()
    out: dict[int, BaseGeometry] = {}
    removed = []  # hairline overlaps with neighbours taken off the edited grids
    for k, g in after.items():
        g = _polygonal(shapely.intersection(_polygonal(g), ground))
        if not others_union.is_empty:
            over = _polygonal(shapely.intersection(g, others_union))
            slivers = [p for p in shapely.get_parts(over) if not p.is_empty and _is_sliver(p, tol, min_area)]
            if slivers:
                cut = shapely.union_all(slivers)
                removed.append(cut)
                g = _polygonal(shapely.difference(g, cut))
        out[k] = g
    expected = _polygonal(shapely.difference(ground, shapely.union_all(removed))) if removed else ground
    # ground the edit would leave uncovered: to the edited grid it borders most
    covered = shapely.union_all(list(out.values()))
    missing = _polygonal(shapely.difference(expected, covered))
    for part in shapely.get_parts(missing):
        if part.is_empty:
            continue
        best = max(out, key=lambda k, p=part: shapely.intersection(shapely.boundary(out[k]), p.buffer(tol)).length)
        out[best] = _polygonal(shapely.union(out[best], part))
    # pieces too small to be grids join the edited grid they border most
    for k in list(out):
        parts = list(shapely.get_parts(out[k]))
        if len(parts) <= 1:
            continue
        parts.sort(key=lambda p: -p.area)
        keep, small = parts[0], parts[1:]
        rest = []
        for p in small:
            if p.area >= min_area:
                rest.append(p)
                continue
            hosts = [j for j in out if j != k and shapely.dwithin(out[j], p, tol)]
            if hosts:
                j = max(hosts, key=lambda j, p=p: shapely.intersection(shapely.boundary(out[j]), p.buffer(tol)).length)
                out[j] = _polygonal(shapely.union(out[j], p))
        out[k] = _polygonal(shapely.union_all([keep, *rest]))
    for k in list(out):
        out[k] = _fill_small_holes(out[k], min_area, ground) if not out[k].is_empty else out[k]
    # the checks a planner relies on
    for k, g in out.items():
        if g.is_empty or g.area < min_area:
            raise EditError(tr("Grid {0} would be left with no ground; edit refused.", name(k)))
        if not g.is_valid:
            raise EditError(tr("Grid {0} would be invalid; edit refused.", name(k)))
        if shapely.get_num_geometries(g) > 1:
            raise EditError(tr("Grid {0} would fall apart into several pieces; edit refused.", name(k)))
    diff = shapely.symmetric_difference(shapely.union_all(list(out.values())), expected).area
    if diff > min_area:
        raise EditError(
            tr(
                "The edit would leave {0} m² of ground uncovered or covered twice; refused.",
                f"{diff * m2_per_unit2:.2f}",
            )
        )
    return out


def shared_vertices(neighbour: BaseGeometry, edited: list[BaseGeometry], tol: float) -> BaseGeometry | None:
    """``neighbour`` with the vertices of ``edited`` that lie on its boundary (within ``tol``)
    inserted; None when it has none to take. The shape does not change."""
    if neighbour is None or neighbour.is_empty or not edited:
        return None
    pts = shapely.multipoints(shapely.get_coordinates(_boundaries(edited)))
    snapped = _polygonal(shapely.snap(neighbour, pts, tol))
    if shapely.get_num_coordinates(snapped) <= shapely.get_num_coordinates(neighbour):
        return None
    if not snapped.is_valid or shapely.symmetric_difference(snapped, neighbour).area > tol * tol:
        return None
    return snapped


def metric_scale(geom: BaseGeometry, geographic: bool) -> float:
    """Metres per CRS unit near ``geom`` (1 in a metric CRS; about 111 km per degree, by latitude)."""
    if not geographic or geom is None or geom.is_empty:
        return 1.0
    lat = shapely.centroid(geom).y
    mx, my = 111_320.0 * max(np.cos(np.radians(lat)), 0.05), 110_574.0
    return float(np.sqrt(mx * my))  # the geometric mean of the x and y scales


def absorb_slivers(pieces: list[BaseGeometry], tol: float, min_area: float) -> list[BaseGeometry]:
    """Pieces of a cut, with the slivers (too small or too thin to be grids) joined to the piece
    they border most; largest first."""
    pieces = sorted((_polygonal(p) for p in pieces if p is not None and not p.is_empty), key=lambda p: -p.area)
    keep = [p for p in pieces if not _is_sliver(p, tol, min_area)]
    if not keep:
        return pieces[:1]
    for p in pieces:
        if not _is_sliver(p, tol, min_area):
            continue
        j = max(range(len(keep)), key=lambda j, p=p: shapely.intersection(keep[j].boundary, p.buffer(tol)).length)
        keep[j] = _polygonal(shapely.union(keep[j], p))
    return keep


def community_of(code: object, community_code: object = None) -> str | None:
    """The 12-digit community code a grid belongs to: its community field, else its code's prefix."""
    from .coderule import COMMUNITY_CODE_LENGTH, code_problem, normalise

    comm = normalise(community_code)
    if len(comm) == COMMUNITY_CODE_LENGTH and comm.isdigit():
        return comm
    text = normalise(code)
    if text and code_problem(text) is None:
        return text[:COMMUNITY_CODE_LENGTH]
    return None


def next_codes(existing: list[object], community: str, count: int) -> list[str]:
    """``count`` new standard 15-digit codes of ``community`` after the highest serial in use:
    a retired serial is never given to other ground."""
    from .coderule import CODE_LENGTH, normalise

    used = [
        int(t[len(community) :])
        for t in (normalise(c) for c in existing)
        if len(t) == CODE_LENGTH and t.startswith(community) and t.isdigit()
    ]
    start = max(used, default=0) + 1
    if start + count - 1 > 999:
        raise EditError(tr("Community {0} has no free grid serial left (001-999).", community))
    return [f"{community}{n:03d}" for n in range(start, start + count)]
