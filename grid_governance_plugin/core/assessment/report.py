"""Rankings as CSV and as a PDF report (考核排名报告) with a map per street.

Both are documents for the city's offices, in the user's language through tr() (Chinese for
Chinese users). The CSV is UTF-8 with a BOM so that Excel opens it correctly. The PDF is a
QGIS print layout: the rankings in tables (continued over pages as needed), then one page per
street with its grids on a map, coloured by patrol coverage, and its communities' rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from ..i18n import N_, tr
from .engine import Score

UNIT_KINDS = {
    "street": N_("Street"),
    "community": N_("Community"),
    "department": N_("Department"),
    "worker": N_("Grid worker"),
}
# (field name, header, type): the Processing output takes the names and types, CSV and PDF the headers
COLUMNS = (
    ("rank", N_("Rank"), int),
    ("previous_rank", N_("Previous rank"), int),
    ("rank_change", N_("Rank change"), str),
    ("unit_kind", N_("Unit type"), str),
    ("unit_code", N_("Code"), str),
    ("unit_name", N_("Name"), str),
    ("cases", N_("Cases"), int),
    ("response_rate", N_("Response rate"), float),
    ("resolution_rate", N_("Resolution rate"), float),
    ("satisfaction_rate", N_("Satisfaction rate"), float),
    ("on_time_rate", N_("Handled on time"), float),
    ("cases_found", N_("Cases found"), int),
    ("returned_share", N_("Returned rate"), float),
    ("patrol_coverage", N_("Patrol coverage"), float),
    ("score", N_("Score"), float),
    ("max_score", N_("Full score"), float),
    ("score_pct", N_("Score rate"), float),
    ("previous_score_pct", N_("Previous score rate"), float),
)
COLUMN_NAMES = tuple(c[0] for c in COLUMNS)
FONT = "WenQuanYi Micro Hei"


def _pct(v: float | None) -> str:
    return "" if v is None else f"{100.0 * v:.1f}%"


def _num(v: float | None, digits: int = 1) -> str:
    return "" if v is None else f"{v:.{digits}f}"


def _pct100(v: float | None) -> float | None:
    return None if v is None else round(100.0 * v, 2)


def values(kind: str, scores: list[Score]) -> list[list[Any]]:
    """Typed rows in COLUMNS order (rates in percent, None where there is no data)."""
    out = []
    for s in scores:
        m = s.measures
        change = s.rank_change
        out.append(
            [
                s.rank,
                s.previous_rank,
                None if change is None else (f"↑{change}" if change > 0 else (f"↓{-change}" if change < 0 else "—")),
                kind,
                m.unit,
                m.name,
                m.cases,
                _pct100(m.response_rate),
                _pct100(m.resolution_rate),
                _pct100(m.satisfaction_rate),
                _pct100(m.on_time_rate),
                m.found,
                _pct100(m.returned_share),
                _pct100(m.patrol_coverage),
                None if s.total is None else round(s.total, 2),
                None if s.maximum is None else round(s.maximum, 1),
                None if s.percent is None else round(s.percent, 2),
                None if s.previous_percent is None else round(s.previous_percent, 2),
            ]
        )
    return out


def rows(kind: str, scores: list[Score]) -> list[list[str]]:
    """The rows as people read them: labels for codes, rates as percentages."""
    out = []
    for s in scores:
        m = s.measures
        change = s.rank_change
        out.append(
            [
                "" if s.rank is None else str(s.rank),
                "" if s.previous_rank is None else str(s.previous_rank),
                "" if change is None else (f"↑{change}" if change > 0 else (f"↓{-change}" if change < 0 else "—")),
                tr(UNIT_KINDS[kind]) if kind in UNIT_KINDS else kind,
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


def headers() -> list[str]:
    return [tr(label) for _, label, _ in COLUMNS]


def write_csv(path: str | Path, rankings: dict[str, list[Score]]) -> int:
    """Every ranking (unit kind -> scores) into one CSV; returns the number of data rows."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(headers())
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


# the PDF's ranking tables: these columns of COLUMNS
TABLE_COLUMNS = (
    "rank",
    "rank_change",
    "unit_name",
    "cases",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "on_time_rate",
    "cases_found",
    "returned_share",
    "patrol_coverage",
    "score_pct",
)


def _table_header() -> list[str]:
    labels = dict((name, label) for name, label, _ in COLUMNS)
    return [tr(labels[c]) for c in TABLE_COLUMNS]


def _short(kind: str, scores: list[Score]) -> list[list[str]]:
    full = rows(kind, scores)
    idx = [COLUMN_NAMES.index(c) for c in TABLE_COLUMNS]
    out = []
    for r, s in zip(full, scores):
        r = list(r)
        r[COLUMN_NAMES.index("unit_name")] = s.measures.name or s.measures.unit
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
    title: str | None = None,
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
    beijing = dt.timezone(dt.timedelta(hours=8))
    period = tr(
        "{0} to {1}",
        start.astimezone(beijing).date(),
        (end - dt.timedelta(seconds=1)).astimezone(beijing).date(),
    )
    _label(layout, title or tr("Grid management assessment and rankings"), 15, 10, 260, 12, 18, True)
    generated = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    _label(layout, tr("Period: {0}    Generated: {1}", period, generated), 15, 23, 260, 7, 9)
    _label(
        layout,
        tr(
            "Response rate: share of cases accepted (registered) on time; resolution rate: share of cases closed "
            "and not reopened within the period; satisfaction rate: weighted share of satisfied callbacks "
            "(basically satisfied counts 0.8); handled on time: share of cases due for handling in the period that "
            "were handled on time; score rate: weighted score of the enabled items / weighted full score of the "
            "items with data."
        ),
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
        _label(layout, tr("Ranking of units: {0}", tr(UNIT_KINDS[kind])), 15, y, 200, 8, 12, True)
        _table(layout, _table_header(), _short(kind, rankings[kind]), 15, y + 9, 267, 195 - y)

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
                    ("low", "#d7191c", tr("Patrol coverage {0}", "<50%")),
                    ("mid", "#fdae61", "50–80%"),
                    ("high", "#1a9641", "≥80%"),
                ):
                    if codes[key]:
                        quoted = ",".join("'" + c.replace("'", "''") + "'" for c in codes[key])
                        sym = QgsFillSymbol.createSimple({"color": color, "outline_color": "#404040"})
                        root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, f'"grid_code" IN ({quoted})', label))
                sym = QgsFillSymbol.createSimple({"color": "#eeeeee", "outline_color": "#808080"})
                root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, "ELSE", tr("No patrol data")))
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
            heading = tr("{0} ({1})  rank {2}  score rate {3}", name, code, s.rank or "—", _num(s.percent, 1))
            _label(layout, heading, 15, 10, 260, 9, 13, True)
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
            none = tr("(no community data in this street)")
            body = _short("community", members) if members else [["", "", none] + [""] * 9]
            header = [tr("Rank"), tr("Change"), tr("Community")] + _table_header()[3:]
            _table(layout, header, body, 170, 22, 112, 175)
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
        raise RuntimeError(tr("The PDF could not be written: {0}", exporter.errorMessage() or str(result)))
    return Path(path)


def grid_shares(rows_: list[Any]) -> dict[str, float]:
    """grid_code -> coverage share of its own worker (from core/patrol/coverage rows)."""
    return {r.grid_code: r.share for r in rows_ if r.assigned and r.share is not None}
