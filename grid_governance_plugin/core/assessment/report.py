"""Rankings as CSV and as a PDF report (考核排名报告) with a map per street.

Both are documents for the city's offices and are always Chinese, whatever the QGIS language
(like cases.STATE_NAMES_ZH). The CSV is UTF-8 with a BOM so that Excel opens it correctly.
The PDF is a QGIS print layout: the rankings in tables (continued over pages as needed), then
one page per street with its grids on a map, coloured by patrol coverage, and its communities'
and workers' rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from .engine import Score

UNIT_ZH = {"street": "街道", "community": "社区", "department": "部门", "worker": "网格员"}
COLUMNS_ZH = (
    "排名",
    "上期排名",
    "排名变化",
    "单位类型",
    "编码",
    "名称",
    "案件数",
    "响应率",
    "解决率",
    "满意率",
    "按期处置率",
    "发现案件",
    "退回率",
    "巡查覆盖率",
    "得分",
    "满分",
    "得分率",
    "上期得分率",
)
FONT = "WenQuanYi Micro Hei"


def _pct(v: float | None) -> str:
    return "" if v is None else f"{100.0 * v:.1f}%"


def _num(v: float | None, digits: int = 1) -> str:
    return "" if v is None else f"{v:.{digits}f}"


def rows(kind: str, scores: list[Score]) -> list[list[str]]:
    out = []
    for s in scores:
        m = s.measures
        change = s.rank_change
        out.append(
            [
                "" if s.rank is None else str(s.rank),
                "" if s.previous_rank is None else str(s.previous_rank),
                "" if change is None else (f"↑{change}" if change > 0 else (f"↓{-change}" if change < 0 else "—")),
                UNIT_ZH.get(kind, kind),
                m.unit,
                m.name,
                str(m.cases),
                _pct(m.response_rate),
                _pct(m.resolution_rate),
                _pct(m.satisfaction_rate),
                _pct(m.on_time_rate),
                str(m.found),
                _pct(m.returned_share),
                _pct(m.patrol_coverage),
                _num(s.total, 2),
                _num(s.maximum, 1),
                _num(s.percent, 2),
                _num(s.previous_percent, 2),
            ]
        )
    return out


def write_csv(path: str | Path, rankings: dict[str, list[Score]]) -> int:
    """Every ranking (unit kind -> scores) into one CSV; returns the number of data rows."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS_ZH)
        for kind, scores in rankings.items():
            for r in rows(kind, scores):
                w.writerow(r)
                n += 1
    return n


# ------------------------------------------------------------------------------------------ PDF
def _font(size: float, bold: bool = False):
    from qgis.PyQt.QtGui import QFont

    f = QFont(FONT)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def _label(layout, text: str, x: float, y: float, w: float, h: float, size: float = 10, bold: bool = False):
    from qgis.core import QgsLayoutItemLabel, QgsLayoutPoint, QgsLayoutSize, QgsUnitTypes

    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    item.setFont(_font(size, bold))
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=layout.pageCollection().pageCount() - 1)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    return item


def _table(layout, header: list[str], body: list[list[str]], x: float, y: float, w: float, h: float):
    """A manual table frame that continues on new pages until every row is placed."""
    from qgis.core import (
        QgsLayoutFrame,
        QgsLayoutItemManualTable,
        QgsLayoutMultiFrame,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsTableCell,
        QgsUnitTypes,
    )

    table = QgsLayoutItemManualTable.create(layout)
    table.setTableContents([[QgsTableCell(c) for c in header]] + [[QgsTableCell(c) for c in r] for r in body])
    table.setIncludeTableHeader(False)
    if hasattr(table, "setContentTextFormat"):  # QGIS >= 3.16; setContentFont is deprecated
        from qgis.core import QgsTextFormat

        fmt = QgsTextFormat()
        fmt.setFont(_font(6.5))
        fmt.setSize(6.5)
        table.setContentTextFormat(fmt)
    else:
        table.setContentFont(_font(6.5))
    table.setResizeMode(QgsLayoutMultiFrame.RepeatUntilFinished)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.attemptMove(
        QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=layout.pageCollection().pageCount() - 1
    )
    frame.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    table.addFrame(frame)
    table.recalculateFrameSizes()
    return table


def _new_page(layout):
    from qgis.core import QgsLayoutItemPage

    page = QgsLayoutItemPage(layout)
    page.setPageSize("A4", QgsLayoutItemPage.Landscape)
    layout.pageCollection().addPage(page)
    return page


TABLE_COLUMNS = (
    "排名",
    "排名变化",
    "名称",
    "案件数",
    "响应率",
    "解决率",
    "满意率",
    "按期处置率",
    "发现案件",
    "退回率",
    "巡查覆盖率",
    "得分率",
)


def _short(kind: str, scores: list[Score]) -> list[list[str]]:
    full = rows(kind, scores)
    idx = [COLUMNS_ZH.index(c) for c in TABLE_COLUMNS]
    out = []
    for r, s in zip(full, scores):
        r = list(r)
        r[COLUMNS_ZH.index("名称")] = s.measures.name or s.measures.unit
        out.append([r[i] for i in idx])
    return out


def write_pdf(
    path: str | Path,
    rankings: dict[str, list[Score]],
    start: dt.datetime,
    end: dt.datetime,
    streets_layer=None,
    grids_layer=None,
    grid_shares: dict[str, float] | None = None,
    title: str = "网格化管理考核排名报告",
) -> Path:
    """The report as a PDF. ``streets_layer`` (field ``code``) and ``grids_layer`` (field ``grid_code``) draw
    the map per street; ``grid_shares`` colours grids by patrol coverage; a street's page lists the communities
    whose codes extend the street's (GB/T 2260-style codes)."""
    from qgis.core import (
        QgsFeatureRequest,
        QgsFillSymbol,
        QgsLayoutExporter,
        QgsLayoutItemMap,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProject,
        QgsRuleBasedRenderer,
        QgsSingleSymbolRenderer,
        QgsUnitTypes,
    )

    project = QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize("A4", layout.pageCollection().page(0).Landscape)
    period = (
        f"{start.astimezone(dt.timezone(dt.timedelta(hours=8))).date()} 至 "
        f"{(end - dt.timedelta(seconds=1)).astimezone(dt.timezone(dt.timedelta(hours=8))).date()}"
    )
    _label(layout, title, 15, 10, 260, 12, 18, True)
    _label(layout, f"考核期间：{period}    生成时间：{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}", 15, 23, 260, 7, 9)
    _label(
        layout,
        "响应率：按时受理（立案）的案件占比；解决率：结案且期限内未重新打开的案件占比；满意率：回访满意（基本满意按0.8计）"
        "的加权占比；按期处置率：处置期限在本期的案件按期处置占比；得分率：启用的考核项加权得分 / 有数据考核项的加权满分。",
        15,
        30,
        267,
        12,
        7.5,
    )
    y = 44.0
    order = [k for k in ("street", "department", "community", "worker") if k in rankings]
    for i, kind in enumerate(order):
        if i > 0:
            _new_page(layout)
            y = 12.0
        _label(layout, f"{UNIT_ZH[kind]}排名", 15, y, 200, 8, 12, True)
        _table(layout, list(TABLE_COLUMNS), _short(kind, rankings[kind]), 15, y + 9, 267, 195 - y)

    street_scores = {s.measures.unit: s for s in rankings.get("street", [])}
    if streets_layer is not None and street_scores:
        grid_layer = None
        if grids_layer is not None:
            grid_layer = grids_layer.materialize(QgsFeatureRequest())  # a styled copy: the user's layer is untouched
            if grid_shares:
                # the coverage joined as a rule per class: no virtual join layer needed
                codes = {
                    k: [c for c, v in grid_shares.items() if lo <= v < hi]
                    for k, lo, hi in (("low", 0, 0.5), ("mid", 0.5, 0.8), ("high", 0.8, 9))
                }
                root = QgsRuleBasedRenderer.Rule(None)
                for key, color, label in (
                    ("low", "#d7191c", "巡查覆盖率 <50%"),
                    ("mid", "#fdae61", "50–80%"),
                    ("high", "#1a9641", "≥80%"),
                ):
                    if codes[key]:
                        quoted = ",".join("'" + c.replace("'", "''") + "'" for c in codes[key])
                        sym = QgsFillSymbol.createSimple({"color": color, "outline_color": "#404040"})
                        root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, f'"grid_code" IN ({quoted})', label))
                sym = QgsFillSymbol.createSimple({"color": "#eeeeee", "outline_color": "#808080"})
                root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, "ELSE", "无巡查数据"))
                grid_layer.setRenderer(QgsRuleBasedRenderer(root))
        street_layer = streets_layer.materialize(QgsFeatureRequest())
        sym = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "#202020", "outline_width": "0.8"})
        street_layer.setRenderer(QgsSingleSymbolRenderer(sym))
        keep = [lyr for lyr in (grid_layer, street_layer) if lyr is not None]
        for lyr in keep:  # the layout's maps render project layers; hidden from the legend, removed after
            project.addMapLayer(lyr, False)
        for code, s in sorted(street_scores.items(), key=lambda kv: (kv[1].rank or 10**9, kv[0])):
            feats = list(street_layer.getFeatures(f"\"code\" = '{code.replace(chr(39), chr(39) * 2)}'"))
            if not feats:
                continue
            _new_page(layout)
            name = s.measures.name or code
            _label(
                layout, f"{name}（{code}）  排名 {s.rank or '—'}  得分率 {_num(s.percent, 1)}", 15, 10, 260, 9, 13, True
            )
            m = QgsLayoutItemMap(layout)
            m.attemptMove(
                QgsLayoutPoint(15, 22, QgsUnitTypes.LayoutMillimeters), page=layout.pageCollection().pageCount() - 1
            )
            m.attemptResize(QgsLayoutSize(150, 175, QgsUnitTypes.LayoutMillimeters))
            m.setLayers(keep)
            m.setKeepLayerSet(True)
            m.setCrs(street_layer.crs())
            extent = feats[0].geometry().boundingBox()
            extent.scale(1.1)
            m.setExtent(extent)
            layout.addLayoutItem(m)
            m.setFrameEnabled(True)
            members = [c for c in rankings.get("community", []) if c.measures.unit.startswith(code)]
            body = _short("community", members) if members else [["", "", "（本街道无社区数据）"] + [""] * 9]
            _table(layout, ["排名", "变化", "社区"] + list(TABLE_COLUMNS[3:]), body, 170, 22, 112, 175)
    else:
        keep = []
    exporter = QgsLayoutExporter(layout)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.rasterizeWholeImage = False
    try:
        result = exporter.exportToPdf(str(path), settings)
    finally:
        for lyr in keep:
            project.removeMapLayer(lyr.id())
    if result != QgsLayoutExporter.Success:
        raise RuntimeError(f"the PDF could not be written ({exporter.errorMessage() or result})")
    return Path(path)


def grid_shares(rows_: list[Any]) -> dict[str, float]:
    """grid_code -> coverage share of its own worker (from core/patrol/coverage rows)."""
    return {r.grid_code: r.share for r in rows_ if r.assigned and r.share is not None}
