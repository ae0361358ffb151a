"""Grid editing on top of QGIS's own editing: split, merge, move a shared boundary, paint.

Every operation is one edit command in the grid layer's edit buffer, so QGIS's undo/redo
and Save/Rollback handle it like any native edit. The operations are plain functions
(``split_grid``, ``merge_grids``, ``move_boundary``, ``paint_buildings``) that the map
tools call and the tests drive directly; they refuse with ``ToolError`` (a translated
message) and leave the buffer untouched when a result would be invalid or a grid would
fall apart into several pieces. With the project's topological editing on, new vertices
are added to the neighbours too (QgsVectorLayer.addTopologicalPoints), as QGIS does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointLocator,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
    QgsTolerance,
    QgsTracer,
    QgsVectorLayer,
    QgsVectorLayerUtils,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvasTracer, QgsMapTool, QgsRubberBand, QgsSnapIndicator
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QAction
from shapely.geometry.base import BaseGeometry
from shapely.ops import split as shapely_split

from ..core import settings
from ..core.grids import edits
from ..core.i18n import tr
from . import styles

CODE = "grid_code"
COMMUNITY = "community_code"
NOTE = "note"
RENUMBER = "renumber"  # note flag on new parts: gridgov:gridcodes gives them codes
SLIVER_SHARE = 1e-9  # parts smaller than this share of a grid are overlay noise, not pieces
SNAP_M = 0.05  # boundaries closer than this (metres) to a neighbour's are the same boundary
MIN_GRID_M2 = 1.0  # a piece smaller than this (m²) is a sliver, never a grid of its own


class ToolError(ValueError):
    """An edit refused; the message is translated and names the grids."""


# ---------------------------------------------------------------------------- helpers
def to_shapely(geom: QgsGeometry) -> BaseGeometry | None:
    if geom is None or geom.isNull() or geom.isEmpty():
        return None
    return shapely.from_wkb(bytes(geom.asWkb()))


def qgs_geometry(geom: BaseGeometry) -> QgsGeometry:
    """shapely -> QgsGeometry. The WKB dimension is explicit: inside QGIS shapely may run on QGIS's
    older GEOS (same soname), which rejects the default of shapely built for GEOS >= 3.12."""
    g = QgsGeometry()
    if geom is not None and not geom.is_empty:
        g.fromWkb(shapely.to_wkb(geom, output_dimension=3 if shapely.has_z(geom) else 2))
    return g


def to_qgs(geom: BaseGeometry, layer: QgsVectorLayer) -> QgsGeometry:
    g = qgs_geometry(geom)
    if QgsWkbTypes.isMultiType(layer.wkbType()):
        g.convertToMultiType()
    else:
        g.convertToSingleType()
    return g


def _feature(layer: QgsVectorLayer, fid: int) -> QgsFeature:
    feat = layer.getFeature(fid)
    if not feat.isValid():
        raise ToolError(tr("Grid {0} does not exist.", fid))
    return feat


def label(layer: QgsVectorLayer, fid: int) -> str:
    """A grid's code for messages, its feature id when it has none."""
    feat = layer.getFeature(fid)
    if feat.isValid() and layer.fields().lookupField(CODE) >= 0 and feat[CODE]:
        return str(feat[CODE])
    return str(fid)


def _clean(geom: BaseGeometry, reference_area: float) -> BaseGeometry:
    """Drop overlay slivers (parts far below a grid's size) and non-polygon debris."""
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) == 3]
    keep = [p for p in parts if p.area > reference_area * SLIVER_SHARE]
    if not keep:
        return shapely.Polygon()
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


def _single(geom: BaseGeometry) -> bool:
    return not geom.is_empty and shapely.get_type_id(geom) in (3, 6) and shapely.get_num_geometries(geom) == 1


def _ensure_editable(layer: QgsVectorLayer) -> None:
    if layer is None:
        raise ToolError(tr("Choose a grid layer first."))
    if not layer.isEditable():
        raise ToolError(tr("Start editing the layer {0} first.", layer.name()))


class _Command:
    """``with _Command(layer, text):`` one undoable edit; destroyed on any error."""

    def __init__(self, layer: QgsVectorLayer, text: str) -> None:
        self.layer, self.text = layer, text

    def __enter__(self):
        self.layer.beginEditCommand(self.text)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.layer.endEditCommand()
        else:
            self.layer.destroyEditCommand()
        return False


def _topological(layer: QgsVectorLayer, geoms: Iterable[QgsGeometry]) -> None:
    if QgsProject.instance().topologicalEditing():
        for g in geoms:
            layer.addTopologicalPoints(g)


def _change(layer: QgsVectorLayer, fid: int, geom: BaseGeometry) -> QgsGeometry:
    qg = to_qgs(geom, layer)
    if not layer.changeGeometry(fid, qg):
        raise ToolError(tr("The geometry of grid {0} could not be changed.", label(layer, fid)))
    return qg


def _tolerances(layer: QgsVectorLayer, geom: BaseGeometry) -> tuple[float, float]:
    """(snap distance, smallest grid area) in the layer's units."""
    scale = edits.metric_scale(geom, layer.crs().isGeographic())
    return SNAP_M / scale, MIN_GRID_M2 / (scale * scale)


def _neighbours(layer: QgsVectorLayer, around: BaseGeometry, exclude: set[int], tol: float) -> dict[int, BaseGeometry]:
    """The other grids within ``tol`` of ``around`` (layer CRS), by feature id."""
    x0, y0, x1, y1 = around.bounds
    rect = QgsRectangle(x0 - tol, y0 - tol, x1 + tol, y1 + tol)
    out = {}
    for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect).setNoAttributes()):
        if f.id() in exclude:
            continue
        g = to_shapely(f.geometry())
        if g is not None and shapely.dwithin(g, around, tol):
            out[f.id()] = g
    return out


def _conform(
    layer: QgsVectorLayer, before: dict[int, BaseGeometry], after: dict[int, BaseGeometry]
) -> tuple[dict[int, BaseGeometry], dict[int, BaseGeometry]]:
    """Fit an edit to its neighbours (core/grids/edits.conform): (edited grids, neighbours that
    take the edit's vertices on their boundaries). Refused with ToolError."""
    ground = shapely.union_all(list(before.values()))
    tol, min_area = _tolerances(layer, ground)
    near = _neighbours(layer, ground, set(before) | set(after), tol)
    names = {k: label(layer, k) for k in before if k >= 0}
    try:
        out = edits.conform(before, after, near, tol, min_area, names, MIN_GRID_M2 / min_area)
    except edits.EditError as exc:
        raise ToolError(str(exc)) from exc
    shared = {}
    for fid, g in near.items():
        if not shapely.dwithin(g, ground, tol):
            continue
        h = edits.shared_vertices(g, list(out.values()), tol / 50.0)
        if h is not None:
            shared[fid] = h
    return out, shared


def _write_shared(layer: QgsVectorLayer, shared: dict[int, BaseGeometry]) -> None:
    """With the project's topological editing on, neighbours take the edit's vertices on their
    boundaries (their shape does not change): a boundary keeps one set of vertices, so moving it
    later moves both sides. Off, the neighbours stay untouched, as the user chose."""
    if not QgsProject.instance().topologicalEditing():
        return
    for fid, g in shared.items():
        _change(layer, fid, g)


def _new_codes(layer: QgsVectorLayer, feat: QgsFeature, count: int) -> list[str | None]:
    """Standard codes for grids cut from ``feat``: its community's next free serials."""
    fields = layer.fields()
    if fields.lookupField(CODE) < 0:
        return [None] * count
    comm = edits.community_of(feat[CODE], feat[COMMUNITY] if fields.lookupField(COMMUNITY) >= 0 else None)
    if comm is None:
        return [None] * count  # no standard code to extend: gridgov:gridcodes gives one (note 'renumber')
    existing = [f[CODE] for f in layer.getFeatures(QgsFeatureRequest().setSubsetOfAttributes([CODE], fields))]
    try:
        return edits.next_codes(existing, comm, count)
    except edits.EditError as exc:
        raise ToolError(str(exc)) from exc


# ------------------------------------------------------------------------- operations
def grid_at(layer: QgsVectorLayer, point: QgsPointXY) -> int | None:
    """Feature id of the grid holding ``point`` (layer CRS), lowest id on a boundary."""
    rect = QgsRectangle(point.x(), point.y(), point.x(), point.y())
    pt = QgsGeometry.fromPointXY(point)
    hits = [
        f.id()
        for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect))
        if f.hasGeometry() and f.geometry().intersects(pt)
    ]
    return min(hits) if hits else None


def _reach_boundary(cut: BaseGeometry, poly: BaseGeometry, tol: float) -> BaseGeometry:
    """The split line with an end that stops within ``tol`` of the grid's boundary (a click snapped
    to a vertex in another CRS lands a hair inside or outside) put on a boundary vertex, or
    carried ``2 tol`` on across the boundary."""
    coords = shapely.get_coordinates(cut)
    if len(coords) < 2 or shapely.get_type_id(cut) != 1:
        return cut
    edge = poly.boundary
    verts = shapely.get_coordinates(edge)
    for end, prev in ((0, 1), (len(coords) - 1, len(coords) - 2)):
        p = shapely.Point(coords[end])
        if edge.distance(p) > tol:
            continue
        d = np.hypot(verts[:, 0] - coords[end, 0], verts[:, 1] - coords[end, 1])
        if d.min() <= tol:
            coords[end] = verts[int(np.argmin(d))]
            continue
        step = coords[end] - coords[prev]
        length = float(np.hypot(*step))
        if length > 0:
            coords[end] = coords[end] + step / length * 2 * tol
    return shapely.LineString(coords)


def split_grid(layer: QgsVectorLayer, fid: int, line: QgsGeometry) -> list[int]:
    """Split grid ``fid`` along ``line`` (layer CRS); returns the ids of the new parts.

    The largest part keeps the feature (id, code, worker); the others are new grids with the
    same attributes and the next free standard codes of the grid's community (note 'renumber'
    so gridgov:gridcodes can put them in the standard order). Slivers the line would cut off
    stay with the piece they border; the pieces are fitted to the neighbours (no gap, no overlap).
    """
    _ensure_editable(layer)
    feat = _feature(layer, fid)
    poly = to_shapely(feat.geometry())
    cut = to_shapely(line)
    if poly is None or cut is None:
        raise ToolError(tr("Nothing to split."))
    tol, min_area = _tolerances(layer, poly)
    cut = _reach_boundary(cut, poly, tol)
    pieces: list[BaseGeometry] = []
    for part in shapely.get_parts(poly):
        pieces.extend(shapely.get_parts(shapely_split(part, cut)))
    pieces = edits.absorb_slivers([p for p in pieces if p.area > poly.area * SLIVER_SHARE], tol, min_area)
    if len(pieces) < 2:
        raise ToolError(tr("The line does not cross grid {0} from side to side.", label(layer, fid)))
    after = {fid: pieces[0], **{-k: p for k, p in enumerate(pieces[1:], start=1)}}
    after, shared = _conform(layer, {fid: poly}, after)
    fields = layer.fields()
    pk = set(layer.primaryKeyAttributes())
    codes = _new_codes(layer, feat, len(pieces) - 1)
    new_ids: list[int] = []
    with _Command(layer, tr("Split grid {0}", label(layer, fid))):
        _change(layer, fid, after[fid])
        for k in range(1, len(pieces)):
            attrs = {i: feat.attribute(i) for i in range(fields.count()) if i not in pk}
            if fields.lookupField(CODE) >= 0:
                attrs[fields.lookupField(CODE)] = codes[k - 1]
            if fields.lookupField(NOTE) >= 0:
                attrs[fields.lookupField(NOTE)] = RENUMBER
            qg = to_qgs(after[-k], layer)
            new = QgsVectorLayerUtils.createFeature(layer, qg, attrs)
            for i in pk:
                # NULL, not the provider's 'Autogenerate' clause: the store numbers it on save, and
                # Processing sinks (gridstats on the edited layer) cannot take text in an integer field
                new.setAttribute(i, None)
            if not layer.addFeature(new):
                raise ToolError(tr("The new part of grid {0} could not be added.", label(layer, fid)))
            new_ids.append(new.id())
        _write_shared(layer, shared)
    return new_ids


def merge_grids(layer: QgsVectorLayer, fids: Iterable[int]) -> int:
    """Merge grids into the largest of them (it keeps its id, code and worker); returns its id."""
    _ensure_editable(layer)
    fids = sorted(set(fids))
    if len(fids) < 2:
        raise ToolError(tr("Select at least two grids to merge."))
    feats = [_feature(layer, f) for f in fids]
    if layer.fields().lookupField(COMMUNITY) >= 0:
        comms = {f[COMMUNITY] for f in feats}
        if len(comms) > 1:
            raise ToolError(
                tr(
                    "Grids {0} belong to different communities and cannot be merged.",
                    ", ".join(label(layer, f) for f in fids),
                )
            )
    geoms = [to_shapely(f.geometry()) for f in feats]
    areas = [g.area if g is not None else 0.0 for g in geoms]
    merged = _clean(shapely.union_all([g for g in geoms if g is not None]), max(areas))
    if not _single(merged):
        raise ToolError(
            tr("Grids {0} do not form one contiguous area; merge refused.", ", ".join(label(layer, f) for f in fids))
        )
    keep = fids[int(np.argmax(areas))]
    fitted, shared = _conform(layer, dict(zip(fids, geoms)), {keep: merged})
    with _Command(layer, tr("Merge grids {0}", ", ".join(label(layer, f) for f in fids))):
        _change(layer, keep, fitted[keep])
        for f in fids:
            if f != keep and not layer.deleteFeature(f):
                raise ToolError(tr("Grid {0} could not be deleted.", label(layer, f)))
        _write_shared(layer, shared)
    return keep


def move_boundary(layer: QgsVectorLayer, points: list[QgsPointXY], dx: float, dy: float, tolerance: float) -> list[int]:
    """Move the boundary vertices at ``points`` (a vertex, or a segment's two ends) by (dx, dy)
    in every grid that has them, so neighbours keep sharing the boundary.

    Refused if a grid becomes invalid, splits, or overlaps another grid. Returns the ids
    of the grids changed.
    """
    _ensure_editable(layer)
    rect = QgsRectangle()
    for p in points:
        rect.combineExtentWith(QgsRectangle(p.x() - tolerance, p.y() - tolerance, p.x() + tolerance, p.y() + tolerance))
    moved: dict[int, BaseGeometry] = {}
    for feat in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
        geom = to_shapely(feat.geometry())
        if geom is None:
            continue
        coords = shapely.get_coordinates(geom)
        hit = np.zeros(len(coords), dtype=bool)
        for p in points:
            hit |= np.hypot(coords[:, 0] - p.x(), coords[:, 1] - p.y()) <= tolerance
        if hit.any():
            coords = coords.copy()
            coords[hit] += (dx, dy)
            moved[feat.id()] = shapely.set_coordinates(geom, coords)
    if not moved:
        raise ToolError(tr("There is no grid boundary vertex here."))
    for fid, geom in moved.items():
        if not geom.is_valid or not _single(geom):
            raise ToolError(tr("Moving this boundary would make grid {0} invalid; refused.", label(layer, fid)))
    # the moved grids must not run over a grid that does not share the boundary
    union = shapely.union_all(list(moved.values()))
    box = QgsRectangle(*union.bounds)
    for feat in layer.getFeatures(QgsFeatureRequest().setFilterRect(box)):
        if feat.id() in moved:
            continue
        other = to_shapely(feat.geometry())
        for fid, geom in moved.items():
            if other is not None and shapely.intersection(geom, other).area > geom.area * 1e-9:
                raise ToolError(
                    tr(
                        "Moving this boundary would make grid {0} overlap grid {1}; refused.",
                        label(layer, fid),
                        label(layer, feat.id()),
                    )
                )
    with _Command(layer, tr("Move grid boundary")):
        _topological(layer, [_change(layer, fid, geom) for fid, geom in moved.items()])
    return sorted(moved)


def _buildings_in(buildings: QgsVectorLayer, rect: QgsRectangle, transform) -> tuple[list[int], list[BaseGeometry]]:
    req = QgsFeatureRequest()
    if transform is not None:
        rect = transform.transformBoundingBox(rect, QgsCoordinateTransform.ReverseTransform)
    req.setFilterRect(rect).setNoAttributes()
    fids, geoms = [], []
    for f in buildings.getFeatures(req):
        g = f.geometry()
        if g.isNull():
            continue
        if transform is not None:
            g.transform(transform)
        fids.append(f.id())
        geoms.append(to_shapely(g))
    return fids, geoms


def paint_buildings(
    layer: QgsVectorLayer, buildings: QgsVectorLayer, building_fids: Iterable[int], target_fid: int
) -> int | None:
    """Move buildings (and the ground around them) from their grid into ``target_fid``.

    The ground moved is the buildings' footprints plus their Voronoi cells among the
    buildings of the source grid, minus the footprints of the buildings that stay, so no
    building is cut. Both grids must stay single contiguous polygons. Returns the source
    grid's id (None when the buildings already are in the target).
    """
    _ensure_editable(layer)
    transform = None
    if buildings.crs() != layer.crs():
        transform = QgsCoordinateTransform(buildings.crs(), layer.crs(), QgsProject.instance())
    target = to_shapely(_feature(layer, target_fid).geometry())
    painted = []
    for bf in set(building_fids):
        f = buildings.getFeature(bf)
        if f.isValid() and f.hasGeometry():
            g = QgsGeometry(f.geometry())
            if transform is not None:
                g.transform(transform)
            painted.append((bf, to_shapely(g)))
    if not painted:
        raise ToolError(tr("No building to move."))
    # source: the grid holding the first building not already in the target (point on surface rule)
    source_fid = None
    for _bf, g in painted:
        pt = shapely.point_on_surface(g)
        owner = grid_at(layer, QgsPointXY(pt.x, pt.y))
        if owner is not None and owner != target_fid:
            source_fid = owner
            break
    if source_fid is None:
        return None
    source = to_shapely(_feature(layer, source_fid).geometry())
    bfids, bgeoms = _buildings_in(buildings, QgsRectangle(*source.bounds), transform)
    pts = shapely.point_on_surface(np.array(bgeoms, dtype=object)) if bgeoms else np.array([], dtype=object)
    inside = shapely.intersects(source, pts) if len(pts) else np.array([], dtype=bool)
    bfids = [b for b, k in zip(bfids, inside) if k]
    bgeoms = [g for g, k in zip(bgeoms, inside) if k]
    pts = pts[inside] if len(pts) else pts
    moving = {bf for bf, g in painted if bf in set(bfids)}
    if not moving:
        return None
    if len(moving) == len(bfids):
        raise ToolError(
            tr("Moving every building would leave grid {0} empty; merge the grids instead.", label(layer, source_fid))
        )
    cells = _voronoi_cells(pts, source)
    take = [i for i, b in enumerate(bfids) if b in moving]
    stay = [i for i, b in enumerate(bfids) if b not in moving]
    ground = shapely.union_all([cells[i] for i in take] + [bgeoms[i] for i in take])
    ground = shapely.difference(ground, shapely.union_all([bgeoms[i] for i in stay]))
    ground = shapely.intersection(ground, source)
    new_source = _clean(shapely.difference(source, ground), source.area)
    new_target = _clean(shapely.union(target, ground), target.area)
    if not _single(new_source):
        raise ToolError(tr("Grid {0} would fall apart into several pieces; move refused.", label(layer, source_fid)))
    if not _single(new_target):
        raise ToolError(
            tr(
                "The buildings do not border grid {0}; it would not be one piece. Move refused.",
                label(layer, target_fid),
            )
        )
    fitted, shared = _conform(
        layer, {source_fid: source, target_fid: target}, {source_fid: new_source, target_fid: new_target}
    )
    with _Command(
        layer,
        tr(
            "Move {0} building(s) from grid {1} to grid {2}",
            len(moving),
            label(layer, source_fid),
            label(layer, target_fid),
        ),
    ):
        _change(layer, source_fid, fitted[source_fid])
        _change(layer, target_fid, fitted[target_fid])
        _write_shared(layer, shared)
    return source_fid


def _voronoi_cells(points: np.ndarray, area: BaseGeometry) -> list[BaseGeometry]:
    """Voronoi cell (within ``area``) of each point, in the order of ``points``."""
    if len(points) == 1:
        return [area]
    env = area.envelope.buffer(max(area.bounds[2] - area.bounds[0], area.bounds[3] - area.bounds[1]))
    unique, inverse = np.unique(shapely.get_coordinates(points), axis=0, return_inverse=True)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(unique), extend_to=env))
    tree = shapely.STRtree(cells)
    upts = shapely.points(unique)
    pi, ci = tree.query(upts, predicate="within")
    cell_of = dict(zip(pi.tolist(), ci.tolist()))
    out = []
    for k in np.ravel(inverse).tolist():
        c = cells[cell_of[k]] if k in cell_of else shapely.Polygon()
        out.append(shapely.intersection(c, area))
    return out


# --------------------------------------------------------------------------- map tools
class _GridTool(QgsMapTool):
    """Base: the grid layer to edit (from the dock), snapping indicator, messages."""

    def __init__(self, canvas, layer_getter: Callable[[], QgsVectorLayer | None], notify: Callable[[str, bool], None]):
        super().__init__(canvas)
        self.layer_getter = layer_getter
        self.notify = notify
        self.snap = QgsSnapIndicator(canvas)
        self.band = QgsRubberBand(canvas, QgsWkbTypes.LineGeometry)
        self.band.setColor(QColor(230, 80, 0, 200))
        self.band.setWidth(2)
        self.setCursor(Qt.CrossCursor)

    def layer(self) -> QgsVectorLayer | None:
        layer = self.layer_getter()
        if layer is not None and not layer.isEditable():
            layer.startEditing()  # the tools edit through the buffer; Save/Rollback stay QGIS's
        return layer

    def snapped(self, e) -> QgsPointXY:
        # the event's map point, not its pixel: QGIS's advanced digitizing (and scripted
        # sessions) set an exact point there that the pixel can only approximate
        point = e.mapPoint()
        match = self.canvas().snappingUtils().snapToMap(point)
        self.snap.setMatch(match)
        return QgsPointXY(match.point()) if match.isValid() else QgsPointXY(point)

    def to_layer(self, layer, point: QgsPointXY) -> QgsPointXY:
        return self.toLayerCoordinates(layer, point)

    def run(self, fn, *args):
        try:
            result = fn(*args)
        except ToolError as exc:
            self.notify(str(exc), True)
            return None
        self.canvas().refresh()
        return result

    def reset(self) -> None:
        self.band.reset(QgsWkbTypes.LineGeometry)

    def deactivate(self) -> None:
        self.reset()
        self.snap.setMatch(QgsPointLocator.Match())
        super().deactivate()

    def keyPressEvent(self, e):  # noqa: N802 - Qt override
        if e.key() == Qt.Key_Escape:
            self.reset()


class SplitTool(_GridTool):
    """Left clicks draw a line (snapped), right click or Enter splits the grid the line crosses.

    With tracing on (QGIS's own "Enable Tracing" action, the ``grid/split_tracing`` setting or
    ``set_tracing``) and a reference line layer known (``set_reference_layer``, else the
    project's roads), the line between two clicks follows the shortest path along the roads,
    as QGIS's digitizing tracing does; clicks near a road are snapped onto it (vertex first).
    Where no path is found the segment stays straight and the status bar says so.
    """

    def __init__(
        self, canvas, layer_getter, notify, reference_getter: Callable[[], QgsVectorLayer | None] | None = None
    ):
        super().__init__(canvas, layer_getter, notify)
        self.points: list[QgsPointXY] = []  # the clicked points (map CRS)
        self.path: list[QgsPointXY] = []  # the line so far through them, traced or straight (map CRS)
        self.reference_getter = reference_getter
        self._reference: QgsVectorLayer | None = None
        self._tracing: bool | None = None  # None: follow QGIS's tracing action and the setting
        self._tracer: QgsTracer | None = None
        self._tracer_key: tuple | None = None
        self.message = ""  # the last fallback message (also shown in the status bar)

    # -- tracing configuration
    def set_tracing(self, enabled: bool | None) -> None:
        """Force tracing on or off for this tool; None follows QGIS's action and the setting."""
        self._tracing = enabled

    def tracing_enabled(self) -> bool:
        if self._tracing is not None:
            return self._tracing
        canvas_tracer = QgsMapCanvasTracer.tracerForCanvas(self.canvas())
        action = canvas_tracer.actionEnableTracing() if canvas_tracer is not None else None
        if action is not None and action.isChecked():
            return True
        return bool(settings.value("grid/split_tracing", False, bool))

    def set_reference_layer(self, layer: QgsVectorLayer | None) -> None:
        """The line layer to trace along (roads); None falls back to the project's roads layer."""
        self._reference = layer
        self._tracer, self._tracer_key = None, None

    def reference_layer(self) -> QgsVectorLayer | None:
        candidates = [self._reference]
        if self.reference_getter is not None:
            candidates.append(self.reference_getter())
        role_id = settings.layer_for_role("roads")
        candidates.append(QgsProject.instance().mapLayer(role_id) if role_id else None)
        candidates.append(styles.find_layer_for_role("roads"))
        for layer in candidates:
            if (
                isinstance(layer, QgsVectorLayer)
                and layer.isValid()
                and layer.geometryType() == QgsWkbTypes.LineGeometry
            ):
                return layer
        return None

    def tracer(self) -> QgsTracer | None:
        """A tracer over the reference layer in the canvas CRS and extent (rebuilt when they change);
        without a reference layer, the canvas's own tracer (QGIS's snapping layers) when there is one."""
        roads = self.reference_layer()
        if roads is None:
            return QgsMapCanvasTracer.tracerForCanvas(self.canvas())
        ms = self.canvas().mapSettings()
        extent = self.canvas().extent()
        key = (roads.id(), ms.destinationCrs(), QgsRectangle(extent))
        if self._tracer is None or self._tracer_key != key:
            tracer = QgsTracer()
            tracer.setLayers([roads])
            tracer.setDestinationCrs(ms.destinationCrs(), ms.transformContext())
            tracer.setExtent(extent)  # as QGIS: the graph covers what is on screen
            tracer.setMaxFeatureCount(
                QgsSettings().value("/qgis/digitizing/tracing_max_feature_count", 10000, type=int)
            )
            self._tracer, self._tracer_key = tracer, key
        return self._tracer

    def snap_to_reference(self, point: QgsPointXY) -> QgsPointXY:
        """``point`` (map CRS) moved onto the nearest reference line vertex, else onto the nearest
        line, within the vertex search radius (pixels, as QGIS's vertex tool); unchanged when
        no line is that close."""
        roads = self.reference_layer()
        if roads is None:
            return point
        ms = self.canvas().mapSettings()
        tol = QgsTolerance.vertexSearchRadius(ms)
        xf = QgsCoordinateTransform(roads.crs(), ms.destinationCrs(), QgsProject.instance())
        rect = QgsRectangle(point.x() - tol, point.y() - tol, point.x() + tol, point.y() + tol)
        try:
            layer_rect = xf.transformBoundingBox(rect, QgsCoordinateTransform.ReverseTransform)
        except QgsCsException:
            return point
        best_vertex, best_edge = (tol * tol, None), (tol * tol, None)
        for f in roads.getFeatures(QgsFeatureRequest().setFilterRect(layer_rect).setNoAttributes()):
            g = QgsGeometry(f.geometry())
            if g.isNull():
                continue
            if not xf.isShortCircuited():
                g.transform(xf)
            vpt, _at, _b, _a, sqr = g.closestVertex(point)
            if sqr <= best_vertex[0]:
                best_vertex = (sqr, QgsPointXY(vpt))
            sqr, ept, _after, _left = g.closestSegmentWithContext(point)
            if 0 <= sqr <= best_edge[0]:
                best_edge = (sqr, QgsPointXY(ept))
        return best_vertex[1] or best_edge[1] or point

    def segment(self, a: QgsPointXY, b: QgsPointXY, commit: bool = False) -> list[QgsPointXY]:
        """The points from ``a`` to ``b``: traced along the reference lines when tracing is on
        and a path exists, else straight (with a status bar message when ``commit``)."""
        if not self.tracing_enabled() or a == b:
            return [a, b]
        tracer = self.tracer()
        if tracer is None:
            self.status(tr("Tracing needs a roads layer; the segment is straight."), commit)
            return [a, b]
        points, error = tracer.findShortestPath(a, b)
        if error == QgsTracer.ErrNone and len(points) >= 2:
            return [QgsPointXY(p) for p in points]
        if error == QgsTracer.ErrTooManyFeatures:
            text = tr("Too many road features on screen to trace; zoom in. The segment is straight.")
        else:
            text = tr("No road path between these points; the segment is straight.")
        self.status(text, commit)
        return [a, b]

    def status(self, text: str, commit: bool) -> None:
        """On a click (``commit``), a transient message in QGIS's status bar; without one, the
        tool's notify. The live band while the mouse moves falls back silently."""
        if not commit:
            return
        self.message = text
        try:
            from qgis.utils import iface

            iface.statusBarIface().showMessage(text, 5000)
        except AttributeError:
            self.notify(text, False)

    def _click_point(self, e) -> QgsPointXY:
        p = self.snapped(e)
        return self.snap_to_reference(p) if self.tracing_enabled() else p

    # -- events
    def canvasMoveEvent(self, e):  # noqa: N802
        p = self._click_point(e)
        if self.points:
            self.band.reset(QgsWkbTypes.LineGeometry)
            for q in [*self.path, *self.segment(self.points[-1], p)[1:]]:
                self.band.addPoint(q, False)
            self.band.updatePosition()
            self.band.update()

    def canvasReleaseEvent(self, e):  # noqa: N802
        if e.button() == Qt.LeftButton:
            self.add_point(self._click_point(e))
            return
        self._finish_path()

    def add_point(self, p: QgsPointXY) -> None:
        """Add a clicked point (map CRS): the path grows by the traced or straight segment to it."""
        if self.points:
            self.path.extend(self.segment(self.points[-1], p, commit=True)[1:])
        else:
            self.path, self.message = [p], ""
        self.points.append(p)
        self.band.reset(QgsWkbTypes.LineGeometry)
        for q in self.path:
            self.band.addPoint(q, False)
        self.band.updatePosition()
        self.band.update()

    def _finish_path(self) -> list[int] | None:
        result = self.finish(self.path) if len(self.points) >= 2 else None
        self.reset()
        return result

    def reset(self) -> None:
        self.points, self.path = [], []
        super().reset()

    def keyPressEvent(self, e):  # noqa: N802
        if e.key() in (Qt.Key_Return, Qt.Key_Enter) and len(self.points) >= 2:
            self._finish_path()  # as a right click: keyboard users and scripted sessions
            e.accept()
            return
        super().keyPressEvent(e)

    def finish(self, map_points: list[QgsPointXY]) -> list[int] | None:
        """Split the grid the polyline through ``map_points`` (map CRS) crosses."""
        layer = self.layer()
        if layer is None:
            self.notify(tr("Choose a grid layer first."), True)
            return None
        pts = [self.to_layer(layer, p) for p in map_points]
        line = QgsGeometry.fromPolylineXY(pts)
        fid = _grid_crossed(layer, line)
        if fid is None:
            self.notify(tr("Draw the line across a grid."), True)
            return None
        return self.run(split_grid, layer, fid, line)


def _grid_crossed(layer: QgsVectorLayer, line: QgsGeometry) -> int | None:
    """The grid under the line's middle; when the middle is on a boundary (a traced road often
    is one) or outside, the grid whose inside the line runs through longest."""
    mid = QgsPointXY(line.interpolate(line.length() / 2).asPoint())
    pt = QgsGeometry.fromPointXY(mid)
    rect = QgsRectangle(mid.x(), mid.y(), mid.x(), mid.y())
    hits = [
        f.id()
        for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect))
        if f.hasGeometry() and f.geometry().intersects(pt)
    ]
    if len(hits) == 1:
        return hits[0]
    cut = to_shapely(line)
    best, best_len = None, 0.0
    for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(line.boundingBox()).setNoAttributes()):
        poly = to_shapely(f.geometry())
        if poly is None or cut is None:
            continue
        inside = shapely.intersection(cut, poly).length - shapely.intersection(cut, poly.boundary).length
        if inside > best_len * (1 + 1e-9) or (
            best is not None and abs(inside - best_len) <= best_len * 1e-9 and f.id() < best
        ):
            best, best_len = f.id(), inside
    if best is not None and best_len > 0:
        return best
    return min(hits) if hits else None


class MoveBoundaryTool(_GridTool):
    """Drag a boundary vertex (or a segment) of the grids; all grids sharing it follow."""

    def __init__(self, canvas, layer_getter, notify):
        super().__init__(canvas, layer_getter, notify)
        self.start: QgsPointXY | None = None
        self.grab: list[QgsPointXY] = []

    def canvasPressEvent(self, e):  # noqa: N802
        layer = self.layer()
        if layer is None:
            return
        self.start = self.snapped(e)
        p = self.to_layer(layer, self.start)
        tol = self.searchRadiusMU(self.canvas())
        self.grab = []
        rect = QgsRectangle(p.x() - tol, p.y() - tol, p.x() + tol, p.y() + tol)
        for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
            vpt, _at, _b, _a, sqr = f.geometry().closestVertex(p)
            if sqr <= tol * tol:
                self.grab = [vpt]
                break
            sqr_seg, _pt, after, _left = f.geometry().closestSegmentWithContext(p)
            if sqr_seg <= tol * tol and after > 0:
                self.grab = [f.geometry().vertexAt(after - 1), f.geometry().vertexAt(after)]
                self.grab = [QgsPointXY(v.x(), v.y()) for v in self.grab]
                break

    def canvasMoveEvent(self, e):  # noqa: N802
        p = self.snapped(e)
        if self.start is not None and self.grab:
            self.band.reset(QgsWkbTypes.LineGeometry)
            self.band.addPoint(self.start)
            self.band.addPoint(p)

    def canvasReleaseEvent(self, e):  # noqa: N802
        layer = self.layer_getter()
        if self.start is None or not self.grab or layer is None:
            self.start = None
            return
        a, b = self.to_layer(layer, self.start), self.to_layer(layer, self.snapped(e))
        tol = self.searchRadiusMU(self.canvas()) * 1e-6  # grabbed points are exact vertex copies
        self.run(move_boundary, layer, self.grab, b.x() - a.x(), b.y() - a.y(), tol)
        self.start, self.grab = None, []
        self.reset()


class PaintTool(_GridTool):
    """Click or drag over buildings to move them into the target grid.

    The target is the selected grid (one); Shift+click a grid to make it the target.
    """

    def __init__(self, canvas, layer_getter, notify, buildings_getter: Callable[[], QgsVectorLayer | None]):
        super().__init__(canvas, layer_getter, notify)
        self.buildings_getter = buildings_getter
        self.stroke: set[int] = set()
        self.painting = False

    def target(self, layer) -> int | None:
        sel = layer.selectedFeatureIds()
        return sel[0] if len(sel) == 1 else None

    def _buildings_at(self, e) -> set[int]:
        blds = self.buildings_getter()
        if blds is None:
            return set()
        p = self.toLayerCoordinates(blds, e.mapPoint())
        pt = QgsGeometry.fromPointXY(p)
        rect = QgsRectangle(p.x(), p.y(), p.x(), p.y())
        return {
            f.id()
            for f in blds.getFeatures(QgsFeatureRequest().setFilterRect(rect).setNoAttributes())
            if f.geometry().intersects(pt)
        }

    def canvasPressEvent(self, e):  # noqa: N802
        layer = self.layer()
        if layer is None:
            return
        if e.modifiers() & Qt.ShiftModifier:
            fid = grid_at(layer, self.to_layer(layer, e.mapPoint()))
            if fid is not None:
                layer.selectByIds([fid])
                self.notify(tr("Target grid: {0}", label(layer, fid)), False)
            return
        self.painting = True
        self.stroke = self._buildings_at(e)

    def canvasMoveEvent(self, e):  # noqa: N802
        if self.painting:
            self.stroke |= self._buildings_at(e)

    def canvasReleaseEvent(self, e):  # noqa: N802
        if not self.painting:
            return
        self.painting = False
        self.stroke |= self._buildings_at(e)
        self.paint(self.stroke)
        self.stroke = set()

    def paint(self, building_fids: Iterable[int]) -> int | None:
        layer, blds = self.layer(), self.buildings_getter()
        if layer is None or blds is None:
            self.notify(tr("Choose the grid and building layers first."), True)
            return None
        target = self.target(layer)
        if target is None:
            self.notify(tr("Select the target grid first (Shift+click a grid)."), True)
            return None
        if not building_fids:
            return None
        return self.run(paint_buildings, layer, blds, list(building_fids), target)


def merge_action(parent, layer_getter, notify) -> QAction:
    """Merge the selected grids (not a map tool: it acts on the selection)."""
    action = QAction(tr("Merge selected grids"), parent)
    action.setObjectName("GridGovMergeGrids")

    def run():
        layer = layer_getter()
        if layer is None:
            notify(tr("Choose a grid layer first."), True)
            return
        if not layer.isEditable():
            layer.startEditing()
        try:
            merge_grids(layer, layer.selectedFeatureIds())
        except ToolError as exc:
            notify(str(exc), True)

    action.triggered.connect(run)
    return action
