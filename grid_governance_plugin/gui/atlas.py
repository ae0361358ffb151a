"""A per-grid PDF atlas: one A4 sheet per grid (QgsPrintLayout + QgsLayoutAtlas over the grid layer).

Each sheet: the grid's code and name, its worker by name, households and buildings (buildings
whose point on surface lies in the grid, the gridstats rule), cameras, area, the plan's name
and the date; a map in a metric CRS with the grid highlighted among its neighbours, a legend,
a scale bar and a north arrow, all inside the page. The figures are QGIS expressions
evaluated per atlas page, so the atlas also works from the layout designer.

The export runs on the main thread (layouts are not thread safe), one sheet per event-loop
turn, behind a task in QGIS's task manager (:func:`progress_task`): progress, cancel there or in
the dock, and QGIS stays responsive while it runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsProxyProgressTask,
    QgsRenderContext,
    QgsRuleBasedRenderer,
    QgsTask,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMarginsF, QObject, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from ..core.crs import metric_crs_for
from ..core.i18n import N_, tr

LAYOUT_NAME = N_("Grid atlas")  # translated where used: tr(LAYOUT_NAME)
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 10.0  # A4 portrait, mm
MAP_TOP, MAP_BOTTOM = 66.0, 240.0
NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _field_expr(layer: QgsVectorLayer, name: str, fallback: str = "''") -> str:
    return f"coalesce(\"{name}\", '')" if layer.fields().lookupField(name) >= 0 else fallback


def _label(
    layout: QgsPrintLayout, text: str, x: float, y: float, w: float, h: float, size: float = 11, bold: bool = False
) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    font = QFont("WenQuanYi Micro Hei")
    font.setPointSizeF(size)
    font.setBold(bold)
    item.setFont(font)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


def sibling_table(layer: QgsVectorLayer | None, table: str) -> QgsVectorLayer | None:
    """Another table of the store ``layer`` reads (a GeoPackage layer, or gridgov.* in PostGIS)."""
    if layer is None or not layer.isValid():
        return None
    if layer.providerType() == "ogr":
        path = layer.source().split("|", 1)[0]
        if not path.lower().endswith(".gpkg"):
            return None
        sib = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    elif layer.providerType() == "postgres":
        uri = QgsDataSourceUri(layer.source())
        uri.setDataSource(uri.schema() or "gridgov", table, None, "", "")
        sib = QgsVectorLayer(uri.uri(False), table, "postgres")
    else:
        return None
    return sib if sib.isValid() and sib.fields().count() else None


def _lookup(layer: QgsVectorLayer | None, key: str, value: str) -> dict[str, str]:
    """key -> value of a table (worker id -> name), text keys; {} without the table or fields."""
    if layer is None or layer.fields().lookupField(key) < 0 or layer.fields().lookupField(value) < 0:
        return {}
    out = {}
    request = (
        QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([key, value], layer.fields())
    )
    for f in layer.getFeatures(request):
        k, v = f[key], f[value]
        if k is not None and v not in (None, "") and not (hasattr(v, "isNull") and v.isNull()):
            out[str(k)] = str(v)
    return out


def highlight_layer(grids: QgsVectorLayer) -> QgsVectorLayer:
    """The grids once more, drawn for the atlas: the sheet's grid bold and tinted, its neighbours grey."""
    layer = QgsVectorLayer(grids.source(), tr("Grid of this sheet"), grids.providerType())
    if not layer.isValid():  # a memory layer cannot be opened twice: share it
        layer = grids.clone()
    layer.setSubsetString(grids.subsetString())
    root = QgsRuleBasedRenderer.Rule(None)
    this = QgsRuleBasedRenderer.Rule(
        QgsFillSymbol.createSimple({"color": "255,200,0,70", "outline_color": "220,30,30,255", "outline_width": "0.9"}),
        0,
        0,
        "$id = @atlas_featureid",
        tr("This grid"),
    )
    others = QgsRuleBasedRenderer.Rule(
        QgsFillSymbol.createSimple(
            {"color": "255,255,255,0", "outline_color": "110,110,110,255", "outline_width": "0.3"}
        ),
        0,
        0,
        "",
        tr("Other grids"),
    )
    others.setIsElse(True)
    root.appendChild(this)
    root.appendChild(others)
    layer.setRenderer(QgsRuleBasedRenderer(root))
    return layer


def build_atlas_layout(
    grids: QgsVectorLayer,
    buildings: QgsVectorLayer | None = None,
    cameras: QgsVectorLayer | None = None,
    workers: QgsVectorLayer | None = None,
    project: QgsProject | None = None,
    households_field: str = "households",
    plan_name: str | None = None,
) -> QgsPrintLayout:
    """A print layout whose atlas runs over ``grids`` (not added to the project's layout manager).

    ``workers`` (worker_id, name) and the plan's name default to the tables of the grid layer's
    own store; ``plan_name`` overrides the plan read per grid from its ``plan_id``.
    """
    project = project or QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(PAGE_W, PAGE_H, QgsUnitTypes.LayoutMillimeters))
    layout.setName(tr(LAYOUT_NAME))
    keep: list = []  # layers the layout reads that no project owns: alive as long as the layout
    atlas = layout.atlas()
    atlas.setCoverageLayer(grids)
    atlas.setEnabled(True)
    code = _field_expr(grids, "grid_code", "$id")
    atlas.setPageNameExpression(code)
    atlas.setFilenameExpression(f"'grid_' || {code}")
    if grids.fields().lookupField("grid_code") >= 0:
        atlas.setSortFeatures(True)
        atlas.setSortExpression('"grid_code"')

    width = PAGE_W - 2 * MARGIN
    name = _field_expr(grids, "name", "''")
    title = tr("Grid {0}", f"[% {code} %]") + f"[% if({name} <> '', '  ' || {name}, '') %]"
    _label(layout, title, MARGIN, 8, width, 11, 17, bold=True)

    workers = workers if workers is not None else sibling_table(grids, "grid_worker")
    lines = []
    worker = _field_expr(grids, "worker_id")
    names = _lookup(workers, "worker_id", "name")
    if names:
        # the worker's name (a layout variable holding JSON: layout variables are text); the id only when
        # the worker list has no name for it
        QgsExpressionContextUtils.setLayoutVariable(layout, "gridgov_worker_names", json.dumps(names))
        worker = f'coalesce(map_get(json_to_map(@gridgov_worker_names), "worker_id"), {worker})'
    lines.append(tr("Grid worker: {0}", f"[% {worker} %]"))
    if buildings is not None:
        inside = "intersects(point_on_surface($geometry), geometry(@parent))"
        hh = (
            "0"
            if buildings.fields().lookupField(households_field) < 0
            else f"coalesce(aggregate({_quote(buildings.id())}, 'sum', \"{households_field}\", {inside}), 0)"
        )
        lines.append(tr("Households: {0}", f"[% {hh} %]"))
        lines.append(
            tr("Buildings: {0}", f"[% coalesce(aggregate({_quote(buildings.id())}, 'count', $id, {inside}), 0) %]")
        )
    if cameras is not None:
        lines.append(
            tr(
                "Cameras: {0}",
                f"[% coalesce(aggregate({_quote(cameras.id())}, 'count', $id, "
                "intersects($geometry, geometry(@parent))), 0) %]",
            )
        )
    # $area is ellipsoidal (the project's ellipsoid), so square metres in geographic CRSs too
    lines.append(tr("Area: {0} ha", "[% round($area / 10000, 2) %]"))
    plans = {} if plan_name else _lookup(sibling_table(grids, "grid_plan"), "plan_id", "name")
    if plan_name:
        plan = _quote(plan_name)
    elif plans and grids.fields().lookupField("plan_id") >= 0:
        QgsExpressionContextUtils.setLayoutVariable(layout, "gridgov_plan_names", json.dumps(plans))
        plan = "coalesce(map_get(json_to_map(@gridgov_plan_names), to_string(\"plan_id\")), '')"
    else:
        plan = "''"
    lines.append(tr("Plan: {0}", f"[% {plan} %]"))
    lines.append(tr("Date: {0}", "[% format_date(now(), 'yyyy-MM-dd') %]"))
    _label(layout, "\n".join(lines[:4]), MARGIN, 21, width / 2, 42, 10.5)
    _label(layout, "\n".join(lines[4:]), MARGIN + width / 2, 21, width / 2, 42, 10.5)

    # the map: metric CRS (EPSG:4490 drawn as degrees is squashed), inside the page
    crs = QgsCoordinateReferenceSystem(metric_crs_for(grids.crs(), grids.extent()))
    hi = highlight_layer(grids)
    keep.append(hi)
    item = QgsLayoutItemMap(layout)
    item.setCrs(crs)
    extent = QgsCoordinateTransform(grids.crs(), crs, project).transformBoundingBox(grids.extent())
    # size and extent before the move: moving an item without an extent makes its extent NaN, and
    # the atlas then resizes the map to the grid's shape (it ran off the bottom of the page)
    item.attemptResize(QgsLayoutSize(width, MAP_BOTTOM - MAP_TOP, QgsUnitTypes.LayoutMillimeters))
    item.zoomToExtent(extent)
    item.attemptMove(QgsLayoutPoint(MARGIN, MAP_TOP, QgsUnitTypes.LayoutMillimeters))
    item.setFrameEnabled(True)
    layers = [lyr for lyr in (cameras, hi, buildings) if lyr is not None]
    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.setAtlasDriven(True)
    item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    item.setAtlasMargin(0.15)
    layout.addLayoutItem(item)
    item.setId("map")

    arrow = QgsLayoutItemPicture(layout)
    arrow.setPicturePath(NORTH_ARROW)
    arrow.attemptMove(QgsLayoutPoint(PAGE_W - MARGIN - 14, MAP_TOP + 3, QgsUnitTypes.LayoutMillimeters))
    arrow.attemptResize(QgsLayoutSize(11, 15, QgsUnitTypes.LayoutMillimeters))
    arrow.setLinkedMap(item)
    arrow.setNorthMode(QgsLayoutItemPicture.GridNorth)
    arrow.setId("north_arrow")
    layout.addLayoutItem(arrow)

    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(item)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel(tr("m"))
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(1)  # fit segment width: round numbers at any atlas scale
    bar.setMinimumBarWidth(25)
    bar.setMaximumBarWidth(60)
    bar.setTextFormat(QgsTextFormat.fromQFont(QFont("WenQuanYi Micro Hei", 8)))
    bar.attemptMove(QgsLayoutPoint(PAGE_W - MARGIN - 75, MAP_BOTTOM + 5, QgsUnitTypes.LayoutMillimeters))
    bar.setId("scale_bar")
    layout.addLayoutItem(bar)
    bar.applyDefaultSize()
    bar.setUnitLabel(tr("m"))  # after applyDefaultSize, which sets the unit's own label

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(tr("Legend"))
    legend.setAutoUpdateModel(False)
    legend.setLinkedMap(item)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for lyr in layers:
        root.addLayer(lyr)
    legend.setResizeToContents(True)
    legend.setColumnCount(2)  # short: it must stay above the footer
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
        legend.rstyle(style).setFont(QFont("WenQuanYi Micro Hei", 10 if style == QgsLegendStyle.Title else 8))
    legend.attemptMove(QgsLayoutPoint(MARGIN, MAP_BOTTOM + 3, QgsUnitTypes.LayoutMillimeters))
    legend.setId("legend")
    layout.addLayoutItem(legend)
    legend.adjustBoxSize()
    _label(
        layout,
        tr("Printed {0}", "[% format_date(now(), 'yyyy-MM-dd') %]") + "    [% @atlas_pagename %]",
        MARGIN,
        PAGE_H - MARGIN - 4,
        width,
        5,
        8,
    )
    layout._gridgov_keep = keep  # noqa: SLF001 - the layers die with the layout
    return layout


def items_outside_page(layout: QgsPrintLayout) -> list[str]:
    """Ids (or kinds) of the layout items that run off the page (what a printout would cut)."""
    page = layout.pageCollection().page(0)
    rect = page.sceneBoundingRect()
    out = []
    for it in layout.items():
        if it is page or not hasattr(it, "uuid") or it.__class__.__name__ == "QgsLayoutItemPage":
            continue
        r = it.sceneBoundingRect()
        if r.width() == 0 and r.height() == 0:
            continue
        if not rect.adjusted(-0.01, -0.01, 0.01, 0.01).contains(r):
            out.append(it.id() or it.__class__.__name__)
    return out


def _pdf_settings() -> QgsLayoutExporter.PdfExportSettings:
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.rasterizeWholeImage = False
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText  # searchable text, not outlines
    return settings


def export_atlas(layout: QgsPrintLayout, path: str, per_grid: bool = False) -> tuple[bool, str]:
    """Export in one call (scripts, the toolbox): one PDF (``path``) or one per grid (folder ``path``).

    The dock uses :func:`start_atlas_export`, which keeps QGIS responsive.
    """
    settings = _pdf_settings()
    atlas = layout.atlas()
    if per_grid:
        Path(path).mkdir(parents=True, exist_ok=True)
        result, error = QgsLayoutExporter.exportToPdfs(atlas, str(Path(path) / "grid.pdf"), settings)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        result, error = QgsLayoutExporter.exportToPdf(atlas, str(path), settings)
    if result != QgsLayoutExporter.Success:
        return False, tr("The atlas could not be exported: {0}", error or str(result))
    return True, tr("Atlas of {0} grid(s) written to {1}.", atlas.count(), path)


class WaitingTask(QgsTask):
    """Work done on the main thread, as QGIS's task manager shows it before 3.26: progress, and a
    cancel button that works (QgsProxyProgressTask can be cancelled there only from 3.26).

    Its worker thread only waits: for :meth:`finalize` (the work ended) or for a cancel from the
    task manager (``QgsTask.cancel``), looking every ``WAKE_S`` seconds without holding Python's
    lock. The owner finalizes it however the work ends, and at QGIS's shutdown too
    (:meth:`AtlasExporter.abandon`), so it never outlives the work.
    """

    WAKE_S = 0.05

    def __init__(self, description: str):
        super().__init__(description, QgsTask.CanCancel)
        self._ended = threading.Event()
        self._ok = False
        # the worker thread is in run() / has left it (status() says so only once the main thread
        # has turned its event loop, which it no longer does at QGIS's shutdown)
        self.started = threading.Event()
        self.returned = threading.Event()

    def run(self) -> bool:
        self.started.set()
        try:
            while not self._ended.wait(self.WAKE_S):
                if self.isCanceled():
                    return False
            return self._ok and not self.isCanceled()
        finally:
            self.returned.set()

    def wait_returned(self, seconds: float = 5.0) -> bool:
        """On the main thread: wait (without Python's lock) until run() has returned, if it started."""
        return not self.started.is_set() or self.returned.wait(seconds)

    def setProxyProgress(self, progress: float) -> None:  # noqa: N802 - QgsProxyProgressTask's name
        self.setProgress(progress)

    def finalize(self, ok: bool) -> None:
        """The work ended (``ok``: done): the task ends too."""
        self._ok = ok
        self._ended.set()


def progress_task(description: str) -> QgsTask:
    """The task QGIS's task manager shows for work done on the main thread: it carries the
    progress (``setProxyProgress``), can be cancelled there, and ends with ``finalize``. From QGIS
    3.26 a QgsProxyProgressTask (no Python in its thread); before, a :class:`WaitingTask`."""
    if Qgis.QGIS_VERSION_INT >= 32600:
        return QgsProxyProgressTask(description, True)
    return WaitingTask(description)


class AtlasExporter(QObject):
    """Draws the atlas one sheet per event-loop turn into one PDF (or one PDF per grid)."""

    pageDone = pyqtSignal(int, int)  # noqa: N815 - Qt signal naming; (sheets done, sheets in all)
    finished = pyqtSignal(bool, str)  # (ok, message)

    def __init__(self, layout: QgsPrintLayout, path: str, per_grid: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.layout, self.path, self.per_grid = layout, str(path), per_grid
        self.task = progress_task(tr("Grid atlas PDF"))
        self._cancelled = False
        self.count = 0
        self.index = 0
        self.files: list[str] = []
        self._writer = None
        self._painter = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)
        self.message = ""
        self.running = False
        self.running_task = False

    def start(self) -> None:
        atlas = self.layout.atlas()
        self.count = atlas.updateFeatures()
        if self.count == 0:
            self._finish(False, tr("The grid layer has no grids to print."))
            return
        ctx = self.layout.renderContext()
        ctx.setTextRenderFormat(QgsRenderContext.TextFormatAlwaysText)
        if not atlas.beginRender():
            self._finish(False, tr("The atlas could not start."))
            return
        if self.per_grid:
            Path(self.path).mkdir(parents=True, exist_ok=True)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._writer = QPdfWriter(self.path)
            dpi = int(ctx.dpi())
            self._writer.setResolution(dpi)
            self._writer.setTitle(tr("Grid atlas"))
            self._writer.setCreator(tr("Grid governance"))
            self._writer.setPageLayout(
                QPageLayout(
                    QPageSize(QgsLayoutSize(PAGE_W, PAGE_H).toQSizeF(), QPageSize.Millimeter),
                    QPageLayout.Portrait,
                    QMarginsF(0, 0, 0, 0),
                    QPageLayout.Millimeter,
                )
            )
        self.running = True
        QgsApplication.instance().aboutToQuit.connect(self.abandon)
        # cancelled in the task manager: the task ends (and is deleted); the next sheet stops the export
        self.task.taskTerminated.connect(self._task_ended)
        self.task.taskCompleted.connect(self._task_ended)
        QgsApplication.taskManager().addTask(self.task)
        self.running_task = True
        self._timer.start(0)

    def cancel(self) -> None:
        self._cancelled = True

    def _task_ended(self) -> None:
        self.running_task = False  # the task manager deletes it now
        if self.running:
            self._cancelled = True

    def abandon(self) -> None:
        """QGIS is closing: stop now (no event loop is left to draw the next sheet), keep nothing, and
        wait for the task's thread to end, so that nothing runs on when QGIS has gone."""
        if self.running:
            self._finish(False, tr("The atlas export was cancelled; nothing was kept."))
        if isinstance(self.task, WaitingTask):  # a QgsProxyProgressTask runs no Python in its thread
            self.task.wait_returned()

    def _step(self) -> None:
        if not self.running:  # ended meanwhile (QGIS closing)
            return
        if self._cancelled or (self.running_task and self.task.isCanceled()):
            self._finish(False, tr("The atlas export was cancelled; nothing was kept."))
            return
        atlas = self.layout.atlas()
        try:
            if not atlas.seekTo(self.index):
                raise RuntimeError(tr("Sheet {0} could not be prepared.", self.index + 1))
            if self.per_grid:
                name = atlas.currentFilename() or f"grid_{self.index + 1}"
                target = str(Path(self.path) / f"{name}.pdf")
                result = QgsLayoutExporter(self.layout).exportToPdf(target, _pdf_settings())
                if result != QgsLayoutExporter.Success:
                    raise RuntimeError(tr("{0} could not be written.", target))
                self.files.append(target)
            else:
                if self._painter is None:
                    self._painter = QPainter()
                    if not self._painter.begin(self._writer):
                        raise RuntimeError(tr("The PDF {0} cannot be written.", self.path))
                else:
                    self._writer.newPage()
                QgsLayoutExporter(self.layout).renderPage(self._painter, 0)
        except Exception as exc:  # a broken sheet stops the export and says which
            self._finish(False, tr("The atlas could not be exported: {0}", str(exc)))
            return
        self.index += 1
        if self.running_task:
            self.task.setProxyProgress(100.0 * self.index / self.count)
        self.pageDone.emit(self.index, self.count)
        if self.index >= self.count:
            self._finish(True, tr("Atlas of {0} grid(s) written to {1}.", self.count, self.path))
        else:
            self._timer.start(0)  # the next sheet after the events waiting now

    def _finish(self, ok: bool, message: str) -> None:
        self._timer.stop()  # no next sheet
        if self._painter is not None:
            self._painter.end()
            self._painter = None
        self._writer = None
        if self.running:
            self.layout.atlas().endRender()
        self.running = False
        if not ok:
            for f in [self.path] if not self.per_grid else self.files:
                try:
                    Path(f).unlink()
                except OSError:
                    pass
        self.message = message
        if self.running_task:
            self.task.finalize(ok)
            self.running_task = False
        self.finished.emit(ok, message)
        # let go of the layout now: left to the garbage collector at exit, a layout outlives QGIS
        self.layout = None


_running: set = set()  # exporters alive until they finish


def start_atlas_export(
    layout: QgsPrintLayout,
    path: str,
    per_grid: bool = False,
    on_done: Callable[[bool, str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> AtlasExporter:
    """Export the atlas without freezing QGIS; ``on_done(ok, message)`` when it ends."""
    exporter = AtlasExporter(layout, path, per_grid)
    _running.add(exporter)

    def done(ok: bool, message: str) -> None:
        _running.discard(exporter)
        if on_done is not None:
            on_done(ok, message)
        exporter.deleteLater()  # frees the connections that hold this closure (a cycle the GC cannot see)

    exporter.finished.connect(done)
    if on_progress is not None:
        exporter.pageDone.connect(on_progress)
    exporter.start()
    return exporter


__all__ = [
    "WaitingTask",
    "progress_task",
    "AtlasExporter",
    "build_atlas_layout",
    "export_atlas",
    "items_outside_page",
    "sibling_table",
    "start_atlas_export",
]
