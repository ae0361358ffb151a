"""Grid plans: drafts beside the published plan, the diff of two plans, publishing.

The pure part (``diff_plans``, ``inherit_workers``, ``point_owners``) works on shapely
geometries. The store part applies it to the GeoPackage (OGR, one transaction) and to
PostGIS, where publishing is the SQL function ``gridgov.publish_plan`` of migration 005;
both follow the same rules:

* a draft is a copy of the grids of a plan (default: the published one) under a new id;
* publishing archives the published plan (its grids stay, readable), publishes the
  draft, gives grids without a worker the worker of the old grid they overlap most,
  re-codes every camera and every open event (not closed/void) by the new grid holding
  it; a point on a shared boundary goes to the grid with the lowest id (as gridstats).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .grids.gridstats import owners
from .i18n import tr
from .labels import label

CLOSED_STATES = ("closed", "void")


class PlanError(ValueError):
    """A plan operation that cannot be done (unknown plan, not a draft, empty plan)."""


@dataclass
class PlanGrid:
    code: str
    geom: BaseGeometry | None
    worker_id: str | None = None
    community_code: str | None = None
    street_code: str | None = None
    fid: int | None = None


@dataclass
class ChangedArea:
    """A piece of ground that belongs to another grid code in the new plan."""

    geom: BaseGeometry
    from_code: str | None  # None: not covered by the old plan
    to_code: str | None  # None: not covered by the new plan
    area: float
    renumbered: bool = False  # the grid kept its shape and only its code changed


@dataclass
class CodeChange:
    old_code: str | None
    new_code: str | None
    kind: str  # renumbered, reshaped, added, removed


@dataclass
class PlanDiff:
    areas: list[ChangedArea] = field(default_factory=list)
    codes: list[CodeChange] = field(default_factory=list)

    def moved_area(self) -> float:
        return float(sum(a.area for a in self.areas if not a.renumbered))


def _geoms(grids: Sequence[PlanGrid]) -> np.ndarray:
    arr = np.empty(len(grids), dtype=object)
    for i, g in enumerate(grids):
        geom = g.geom
        if geom is not None and not geom.is_valid:
            geom = shapely.make_valid(geom)
        arr[i] = geom
    return arr


def diff_plans(
    old: Sequence[PlanGrid], new: Sequence[PlanGrid], min_share: float = 1e-6, same_shape: float = 0.99
) -> PlanDiff:
    """What changed from ``old`` to ``new``.

    Areas: every piece of ground whose grid code differs between the plans (slivers under
    ``min_share`` of the median grid area are dropped: they are digitising noise). Codes:
    a grid of the same shape (intersection over union >= ``same_shape``) under another code
    is *renumbered*; a code in both plans with another shape is *reshaped*; others are
    *added* or *removed*.
    """
    og, ng = _geoms(old), _geoms(new)
    areas = [a for a in np.r_[shapely.area(og[~shapely.is_missing(og)]), shapely.area(ng[~shapely.is_missing(ng)])]]
    eps = float(np.median(areas)) * min_share if areas else 0.0
    diff = PlanDiff()
    tree = shapely.STRtree(ng)
    oi, ni = tree.query(og, predicate="intersects") if len(og) and len(ng) else (np.array([], int), np.array([], int))
    renumbered: dict[int, int] = {}
    for o, n in zip(oi.tolist(), ni.tolist()):
        inter = shapely.intersection(og[o], ng[n])
        union_area = shapely.union(og[o], ng[n]).area
        if union_area > 0 and inter.area / union_area >= same_shape and old[o].code != new[n].code:
            renumbered[o] = n
    for o, n in zip(oi.tolist(), ni.tolist()):
        if old[o].code == new[n].code:
            continue
        inter = shapely.intersection(og[o], ng[n])
        if inter.area > eps:
            diff.areas.append(
                ChangedArea(_polygonal(inter), old[o].code, new[n].code, inter.area, renumbered.get(o) == n)
            )
    if len(ng):
        new_union = shapely.union_all(ng[~shapely.is_missing(ng)])
        for o, g in enumerate(og):
            if g is not None:
                rest = shapely.difference(g, new_union)
                if rest.area > eps:
                    diff.areas.append(ChangedArea(_polygonal(rest), old[o].code, None, rest.area))
    if len(og):
        old_union = shapely.union_all(og[~shapely.is_missing(og)])
        for n, g in enumerate(ng):
            if g is not None:
                rest = shapely.difference(g, old_union)
                if rest.area > eps:
                    diff.areas.append(ChangedArea(_polygonal(rest), None, new[n].code, rest.area))
    old_codes = {g.code: i for i, g in enumerate(old)}
    new_codes = {g.code: i for i, g in enumerate(new)}
    renamed_old = {old[o].code for o in renumbered}
    renamed_new = {new[n].code for n in renumbered.values()}
    for o, n in sorted(renumbered.items()):
        diff.codes.append(CodeChange(old[o].code, new[n].code, "renumbered"))
    for code, o in old_codes.items():
        if code in new_codes:
            a, b = og[o], ng[new_codes[code]]
            if a is not None and b is not None and shapely.symmetric_difference(a, b).area > eps:
                diff.codes.append(CodeChange(code, code, "reshaped"))
        elif code not in renamed_old:
            diff.codes.append(CodeChange(code, None, "removed"))
    for code in new_codes:
        if code not in old_codes and code not in renamed_new:
            diff.codes.append(CodeChange(None, code, "added"))
    return diff


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of an overlay result (drops touching lines and points)."""
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    return shapely.union_all(parts) if parts else geom


def inherit_workers(old: Sequence[PlanGrid], new: Sequence[PlanGrid]) -> list[str | None]:
    """Worker per new grid: its own if set, else the worker of the old grid it overlaps most."""
    og, ng = _geoms(old), _geoms(new)
    out: list[str | None] = [g.worker_id or None for g in new]
    if not len(og) or not len(ng):
        return out
    tree = shapely.STRtree(og)
    best: dict[int, tuple[float, int]] = {}
    ni, oi = tree.query(ng, predicate="intersects")
    for n, o in zip(ni.tolist(), oi.tolist()):
        if out[n] or not old[o].worker_id:
            continue
        share = shapely.intersection(ng[n], og[o]).area
        if share > 0 and (n not in best or share > best[n][0] or (share == best[n][0] and o < best[n][1])):
            best[n] = (share, o)
    for n, (_share, o) in best.items():
        out[n] = old[o].worker_id
    return out


def point_owners(grids: Sequence[PlanGrid], points: Sequence[BaseGeometry | None]) -> list[int | None]:
    """Index (into ``grids``, ordered by id) of the grid holding each point, None outside all."""
    g = _geoms(grids)
    pts = np.empty(len(points), dtype=object)
    pts[:] = list(points)
    present = ~shapely.is_missing(pts)
    result: list[int | None] = [None] * len(points)
    if present.any() and len(g):
        own = owners(g, pts[present])
        for k, i in enumerate(np.flatnonzero(present).tolist()):
            result[i] = int(own[k]) if own[k] >= 0 else None
    return result


# ------------------------------------------------------------------------- GeoPackage
def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _open(path: str, update: bool = False):
    from osgeo import ogr

    ds = ogr.Open(str(path), 1 if update else 0)
    if ds is None:
        raise PlanError(tr("Cannot open the GeoPackage {0}.", path))
    return ds


def _layer(ds, name: str):
    layer = ds.GetLayerByName(name)
    if layer is None:
        raise PlanError(tr("The GeoPackage has no layer '{0}'.", name))
    return layer


def _text(feat, name: str) -> str | None:
    idx = feat.GetFieldIndex(name)
    if idx < 0 or not feat.IsFieldSetAndNotNull(idx):
        return None
    return feat.GetFieldAsString(idx)


def _shapely(feat) -> BaseGeometry | None:
    geom = feat.GetGeometryRef()
    return None if geom is None else shapely.from_wkb(bytes(geom.ExportToIsoWkb()))


def gpkg_plans(path: str) -> list[dict]:
    """The plans of a GeoPackage, newest first."""
    ds = _open(path)
    rows = []
    for f in _layer(ds, "grid_plan"):
        rows.append(
            {k: f.GetField(k) for k in ("plan_id", "name", "status", "based_on", "created_at", "published_at", "note")}
        )
    return sorted(rows, key=lambda r: -(r["plan_id"] or 0))


def gpkg_read_plan(path: str, plan_id: int) -> list[PlanGrid]:
    """Grids of one plan ordered by id (geometries in the layer's CRS)."""
    ds = _open(path)
    layer = _layer(ds, "grid")
    layer.SetAttributeFilter(f"plan_id = {int(plan_id)}")
    out = [
        PlanGrid(
            _text(f, "grid_code") or "",
            _shapely(f),
            _text(f, "worker_id"),
            _text(f, "community_code"),
            _text(f, "street_code"),
            f.GetFID(),
        )
        for f in layer
    ]
    return sorted(out, key=lambda g: g.fid)


def _published(plan_layer) -> int | None:
    plan_layer.SetAttributeFilter("status = 'published'")
    ids = [f.GetField("plan_id") for f in plan_layer]
    plan_layer.SetAttributeFilter(None)
    return ids[0] if ids else None


def gpkg_new_draft(path: str, name: str, based_on: int | None = None, note: str | None = None) -> int:
    """A new draft plan copying ``based_on`` (default: the published plan); its id."""
    from osgeo import ogr

    ds = _open(path, update=True)
    plans, grids = _layer(ds, "grid_plan"), _layer(ds, "grid")
    ds.StartTransaction()
    try:
        existing = {f.GetField("plan_id") for f in plans}
        base = based_on if based_on is not None else _published(plans)
        if based_on is not None and based_on not in existing:
            raise PlanError(tr("There is no plan {0}.", based_on))
        new_id = max(existing, default=0) + 1
        plan = ogr.Feature(plans.GetLayerDefn())
        for k, v in (
            ("plan_id", new_id),
            ("name", name),
            ("status", "draft"),
            ("based_on", base),
            ("created_at", _now()),
            ("note", note),
        ):
            if v is not None:
                plan.SetField(k, v)
        plans.CreateFeature(plan)
        if base is not None:
            grids.SetAttributeFilter(f"plan_id = {int(base)}")
            copies = []
            for f in grids:
                c = ogr.Feature(grids.GetLayerDefn())
                c.SetFrom(f)
                c.SetFID(-1)
                c.SetField("plan_id", new_id)
                copies.append(c)
            grids.SetAttributeFilter(None)
            for c in copies:
                grids.CreateFeature(c)
        ds.CommitTransaction()
    except Exception:
        ds.RollbackTransaction()
        raise
    return new_id


def gpkg_publish(path: str, plan_id: int) -> dict:
    """Publish a draft of the GeoPackage in one transaction (see the module doc)."""
    ds = _open(path, update=True)
    plans, grids = _layer(ds, "grid_plan"), _layer(ds, "grid")
    status = {f.GetField("plan_id"): (f.GetFID(), f.GetField("status")) for f in plans}
    if plan_id not in status:
        raise PlanError(tr("There is no plan {0}.", plan_id))
    if status[plan_id][1] != "draft":
        raise PlanError(
            tr("Plan {0} is {1}: only a draft can be published.", plan_id, label("plan_status", status[plan_id][1]))
        )
    new = gpkg_read_plan(path, plan_id)
    if not new:
        raise PlanError(tr("Plan {0} has no grids.", plan_id))
    old_id = next((p for p, (_fid, s) in status.items() if s == "published"), None)
    old = gpkg_read_plan(path, old_id) if old_id is not None else []
    workers = inherit_workers(old, new)
    counts = {"archived": old_id, "workers": 0, "cameras": 0, "events": 0}
    ds.StartTransaction()
    try:
        for pid, (fid, _s) in status.items():
            if pid in (old_id, plan_id):
                f = plans.GetFeature(fid)
                f.SetField("status", "archived" if pid == old_id else "published")
                if pid == plan_id:
                    f.SetField("published_at", _now())
                plans.SetFeature(f)
        for g, w in zip(new, workers):
            if w and not g.worker_id:
                f = grids.GetFeature(g.fid)
                f.SetField("worker_id", w)
                grids.SetFeature(f)
                counts["workers"] += 1
        counts["cameras"] = _relink_points(ds, "camera", new, lambda f: True, ("grid_code",))
        counts["events"] = _relink_points(
            ds,
            "event",
            new,
            lambda f: (_text(f, "status") or "") not in CLOSED_STATES,
            ("grid_code", "community_code", "street_code"),
        )
        ds.CommitTransaction()
    except Exception:
        ds.RollbackTransaction()
        raise
    return counts


def _relink_points(ds, name: str, grids: list[PlanGrid], wanted, fields: tuple[str, ...]) -> int:
    layer = ds.GetLayerByName(name)
    if layer is None:
        return 0
    feats = [f for f in layer if wanted(f)]
    own = point_owners(grids, [_shapely(f) for f in feats])
    changed = 0
    for f, o in zip(feats, own):
        g = grids[o] if o is not None else None
        values = {
            "grid_code": g.code if g else None,
            "community_code": g.community_code if g else None,
            "street_code": g.street_code if g else None,
        }
        dirty = False
        for k in fields:
            if layer.GetLayerDefn().GetFieldIndex(k) < 0:
                continue
            v = values[k]
            if v is None and k != "grid_code":
                continue  # outside all grids: keep the community/street the case had
            if _text(f, k) != v:
                if v is None:
                    f.SetFieldNull(k)
                else:
                    f.SetField(k, v)
                dirty = True
        if dirty:
            layer.SetFeature(f)
            changed += 1
    return changed


# ---------------------------------------------------------------------------- PostGIS
def pg_plans(conn) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT plan_id, name, status, based_on, created_at, published_at, note "
            "FROM gridgov.grid_plan ORDER BY plan_id DESC"
        )
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


def pg_read_plan(conn, plan_id: int) -> list[PlanGrid]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, grid_code, worker_id, community_code, street_code, ST_AsBinary(geom) "
            "FROM gridgov.grid WHERE plan_id = %s ORDER BY id",
            (plan_id,),
        )
        return [
            PlanGrid(code, shapely.from_wkb(bytes(wkb)) if wkb is not None else None, w, c, s, fid)
            for fid, code, w, c, s, wkb in cur.fetchall()
        ]


def pg_new_draft(conn, name: str, based_on: int | None = None, note: str | None = None) -> int:
    with conn, conn.cursor() as cur:
        cur.execute("SELECT gridgov.new_draft_plan(%s, %s, %s)", (name, based_on, note))
        return cur.fetchone()[0]


def pg_publish(conn, plan_id: int) -> dict:
    with conn, conn.cursor() as cur:
        cur.execute("SELECT gridgov.publish_plan(%s)", (plan_id,))
        return cur.fetchone()[0]
