"""Paginated table reports as PDF, drawn with QPainter: what a supervisor prints and files.

A report is a title, a subtitle, a summary (label, value) list and sections of tables. Rows
are measured before anything is drawn, so a row is never split across pages, a table that
continues repeats its header, and every page carries "page n of N". Text is drawn as text
(searchable, and what ``pdftotext`` reads), never as HTML: values written by a field channel
or a person are shown exactly as they were written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qgis.PyQt.QtCore import QMarginsF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from ..core.i18n import tr

FONT_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei")
RESOLUTION = 300  # dots per inch of the PDF's coordinate space


@dataclass
class Table:
    """One table of a report."""

    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""  # a line under the title (what the figures mean)


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILIES[0])
    if hasattr(font, "setFamilies"):  # Qt >= 5.13: the first CJK font installed wins
        font.setFamilies(list(FONT_FAMILIES))
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _numeric(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    text = _text(value).replace("%", "").replace(" ", "").replace(",", "")
    if text.isdigit() and len(text) >= 6:
        return False  # a code (grid, device), read left to right like a name
    try:
        float(text)
        return True
    except ValueError:
        return False


class _Layout:
    """Measures and places everything on pages; the same plan is drawn once the page count is known."""

    def __init__(self, writer: QPdfWriter):
        self.writer = writer
        self.dpi = writer.resolution()
        rect = writer.pageLayout().paintRectPixels(self.dpi)
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.pad = self.mm(1.2)
        self.footer = self.mm(8)
        self.pages: list[list[Callable[[QPainter], None]]] = [[]]
        self.y = 0.0
        self.fonts = {
            "title": _font(16, True),
            "subtitle": _font(9.5),
            "h2": _font(11.5, True),
            "note": _font(8.5),
            "th": _font(8.5, True),
            "td": _font(8.5),
            "summary": _font(10),
            "footer": _font(8),
        }

    def mm(self, value: float) -> float:
        return value / 25.4 * self.dpi

    def metrics(self, key: str) -> QFontMetricsF:
        return QFontMetricsF(self.fonts[key], self.writer)

    @property
    def bottom(self) -> float:
        return self.height - self.footer

    def new_page(self) -> None:
        self.pages.append([])
        self.y = 0.0

    def ensure(self, height: float) -> bool:
        """Room for ``height`` on this page, else a new page; True when a page was started."""
        if self.y + height <= self.bottom or self.y == 0.0:
            return False
        self.new_page()
        return True

    def draw(self, op: Callable[[QPainter], None]) -> None:
        self.pages[-1].append(op)

    def text_height(self, key: str, text: str, width: float) -> float:
        r = self.metrics(key).boundingRect(QRectF(0, 0, width, 1e7), int(Qt.TextWordWrap | Qt.AlignLeft), text)
        return r.height()

    def paragraph(self, key: str, text: str, gap_after: float = 0.0, colour: str = "#000000") -> None:
        h = self.text_height(key, text, self.width)
        self.ensure(h)
        y, font = self.y, self.fonts[key]

        def op(p: QPainter, y=y, text=text, font=font, h=h) -> None:
            p.setFont(font)
            p.setPen(QColor(colour))
            p.drawText(QRectF(0, y, self.width, h), int(Qt.TextWordWrap | Qt.AlignLeft), text)

        self.draw(op)
        self.y += h + gap_after

    # -- summary ------------------------------------------------------------------------
    def summary(self, items: Sequence[tuple[str, str]]) -> None:
        if not items:
            return
        fm = self.metrics("summary")
        label_w = max(fm.horizontalAdvance(label) for label, _v in items) + self.mm(4)
        line = fm.height() * 1.35
        box_h = line * len(items) + 2 * self.mm(2)
        self.ensure(box_h)
        y0 = self.y

        def op(p: QPainter) -> None:
            p.setPen(QPen(QColor("#7f8c8d"), self.mm(0.25)))
            p.setBrush(QColor("#f4f6f7"))
            p.drawRect(QRectF(0, y0, self.width, box_h))
            p.setFont(self.fonts["summary"])
            p.setPen(QColor("#000000"))
            for i, (label, value) in enumerate(items):
                top = y0 + self.mm(2) + i * line
                p.drawText(QRectF(self.mm(3), top, label_w, line), int(Qt.AlignLeft | Qt.AlignVCenter), label)
                p.drawText(
                    QRectF(self.mm(3) + label_w, top, self.width - label_w - self.mm(6), line),
                    int(Qt.AlignLeft | Qt.AlignVCenter),
                    value,
                )

        self.draw(op)
        self.y += box_h + self.mm(4)

    # -- tables -------------------------------------------------------------------------
    def column_widths(self, table: Table) -> list[float]:
        th, td = self.metrics("th"), self.metrics("td")
        n = len(table.headers)
        natural = [th.horizontalAdvance(h) for h in table.headers]
        for row in table.rows[:500]:
            for c in range(n):
                natural[c] = max(natural[c], td.horizontalAdvance(_text(row[c]) if c < len(row) else ""))
        cap = self.width * 0.35
        natural = [min(w, cap) + 2 * self.pad + 2 for w in natural]
        total = sum(natural)
        return [w * self.width / total for w in natural]

    def row_height(self, cells: list[str], widths: list[float], key: str) -> float:
        fm = self.metrics(key)
        h = fm.height()
        for text, w in zip(cells, widths):
            r = fm.boundingRect(QRectF(0, 0, w - 2 * self.pad, 1e7), int(Qt.TextWordWrap), text)
            h = max(h, r.height())
        return min(h + 2 * self.pad, self.bottom - self.mm(20))  # a monster cell is cut, never split

    def row(self, cells: list[str], widths: list[float], key: str, height: float, align: list[int]) -> None:
        y, font = self.y, self.fonts[key]
        header = key == "th"

        def op(p: QPainter) -> None:
            x = 0.0
            p.setFont(font)
            for text, w, a in zip(cells, widths, align):
                rect = QRectF(x, y, w, height)
                p.setPen(QPen(QColor("#95a5a6"), self.mm(0.2)))
                p.setBrush(QColor("#dfe6e9") if header else Qt.NoBrush)
                p.drawRect(rect)
                p.setPen(QColor("#000000"))
                p.drawText(rect.adjusted(self.pad, self.pad, -self.pad, -self.pad), int(Qt.TextWordWrap | a), text)
                x += w

        self.draw(op)
        self.y += height

    def table(self, table: Table, empty_text: str, continued: str) -> None:
        h2 = self.text_height("h2", table.title, self.width) + self.mm(1.5)
        widths = self.column_widths(table)
        headers = [str(h) for h in table.headers]
        head_h = self.row_height(headers, widths, "th")
        rows = [[_text(v) for v in r] for r in table.rows]
        first_h = self.row_height(rows[0], widths, "td") if rows else self.metrics("td").height()
        # the title stays with its header and first row
        self.ensure(h2 + head_h + first_h + self.mm(2))
        self.paragraph("h2", table.title, self.mm(1.5))
        if table.note:
            self.paragraph("note", table.note, self.mm(1), "#555555")
        if not rows:
            self.paragraph("td", empty_text, self.mm(5))
            return
        align = [
            int(Qt.AlignRight | Qt.AlignTop)
            if all(_numeric(r[c]) or r[c] in ("", "–") for r in table.rows if c < len(r)) and table.rows
            else int(Qt.AlignLeft | Qt.AlignTop)
            for c in range(len(headers))
        ]
        head_align = [int(Qt.AlignLeft | Qt.AlignVCenter)] * len(headers)
        self.row(headers, widths, "th", head_h, head_align)
        for cells in rows:
            h = self.row_height(cells, widths, "td")
            if self.y + h > self.bottom:
                self.new_page()
                self.paragraph("h2", f"{table.title} {continued}", self.mm(1.5))
                self.row(headers, widths, "th", head_h, head_align)
            self.row(cells, widths, "td", h, align)
        self.y += self.mm(5)


def write_report(
    path: str,
    title: str,
    subtitle: str,
    summary: Sequence[tuple[str, str]],
    tables: Sequence[Table],
    landscape: bool = True,
) -> int:
    """Write the report to ``path``; returns the number of pages."""
    writer = QPdfWriter(path)
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(tr("Grid governance"))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.A4),
            QPageLayout.Landscape if landscape else QPageLayout.Portrait,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Millimeter,
        )
    )
    lay = _Layout(writer)
    lay.paragraph("title", title, lay.mm(1.5))
    lay.paragraph("subtitle", subtitle, lay.mm(3), "#333333")
    lay.summary(summary)
    for t in tables:
        lay.table(t, tr("Nothing to report."), tr("(continued)"))
    total = len(lay.pages)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(tr("The PDF {0} cannot be written.", path))
    try:
        for n, ops in enumerate(lay.pages, start=1):
            if n > 1:
                writer.newPage()
            for op in ops:
                op(painter)
            painter.setFont(lay.fonts["footer"])
            painter.setPen(QColor("#555555"))
            foot = QRectF(0, lay.height - lay.mm(5), lay.width, lay.mm(5))
            painter.drawText(foot, int(Qt.AlignLeft | Qt.AlignVCenter), title)
            painter.drawText(foot, int(Qt.AlignHCenter | Qt.AlignVCenter), tr("Page {0} of {1}", n, total))
            painter.drawText(foot, int(Qt.AlignRight | Qt.AlignVCenter), tr("Printed {0}", stamp))
    finally:
        painter.end()
    return total
