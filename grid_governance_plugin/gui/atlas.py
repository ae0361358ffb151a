"""A per-grid PDF atlas: one page per grid (QgsPrintLayout + QgsLayoutAtlas over the grid layer).

Each page: a map zoomed to the grid, its code, its worker, households and buildings
(buildings whose point on surface lies in the grid, the gridstats rule) and cameras in
it. The figures are QGIS expressions evaluated per atlas page, so the atlas also works
from the layout designer after the plugin built it.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemMap,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QFont

from ..core.i18n import N_, tr

LAYOUT_NAME = N_("Grid atlas")  # translated where used: tr(LAYOUT_NAME)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _field_expr(layer: QgsVectorLayer, name: str, fallback: str = "''") -> str:
    return f"coalesce(\"{name}\", '')" if layer.fields().lookupField(name) >= 0 else fallback


def _label(
    layout: QgsPrintLayout, html: str, x: float, y: float, w: float, h: float, size: int = 11, bold: bool = False
) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setText(html)
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    item.setFont(font)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


def build_atlas_layout(
    grids: QgsVectorLayer,
    buildings: QgsVectorLayer | None = None,
    cameras: QgsVectorLayer | None = None,
    workers: QgsVectorLayer | None = None,
    project: QgsProject | None = None,
    households_field: str = "households",
) -> QgsPrintLayout:
    """A print layout whose atlas runs over ``grids`` (not added to the project's layout manager)."""
    project = project or QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()  # one A4 page
    layout.setName(tr(LAYOUT_NAME))
    atlas = layout.atlas()
    atlas.setCoverageLayer(grids)
    atlas.setEnabled(True)
    code = _field_expr(grids, "grid_code", "$id")
    atlas.setPageNameExpression(code)
    atlas.setFilenameExpression(f"'grid_' || {code}")
    if grids.fields().lookupField("grid_code") >= 0:
        atlas.setSortFeatures(True)
        atlas.setSortExpression('"grid_code"')

    page = layout.pageCollection().page(0).pageSize()
    width = page.width()
    _label(layout, tr("Grid {0}", f"[% {code} %]"), 10, 8, width - 20, 12, 18, bold=True)
    lines = []
    worker = _field_expr(grids, "worker_id")
    if workers is not None and workers.fields().lookupField("name") >= 0:
        worker = (
            f"coalesce(attribute(get_feature({_quote(workers.id())}, 'worker_id', \"worker_id\"), 'name') "
            f"|| ' (' || \"worker_id\" || ')', {worker})"
        )
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
    _label(layout, "\n".join(lines), 10, 22, width - 20, 40, 11)

    item = QgsLayoutItemMap(layout)
    item.attemptMove(QgsLayoutPoint(10, 65, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(width - 20, page.height() - 80, QgsUnitTypes.LayoutMillimeters))
    item.setFrameEnabled(True)
    layers = [lyr for lyr in (cameras, buildings, grids) if lyr is not None]
    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.setCrs(grids.crs())
    item.setExtent(grids.extent())
    item.setAtlasDriven(True)
    item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    item.setAtlasMargin(0.15)
    layout.addLayoutItem(item)
    return layout


def export_atlas(layout: QgsPrintLayout, path: str, per_grid: bool = False) -> tuple[bool, str]:
    """Export to one PDF (``path``) or one PDF per grid (into the folder ``path``); (ok, message)."""
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.rasterizeWholeImage = False
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
