"""The supervision board (督办): overdue and soon-overdue cases, on-time rates, grid worker assessment.

Numbers come from core/events/board.py (definitions there and in docs/live-events.md).
Each tab exports to CSV (UTF-8 with BOM, so spreadsheet programs read Chinese names); the
whole board exports as a PDF report through QTextDocument and QPrinter.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from ..core.events import board, cases
from ..core.i18n import N_, tr
from ..core.labels import label
from . import live_layer as ll
from .case_card import _pg_message, fmt_time
from .report_pdf import Table, write_report

UTC = dt.timezone.utc
GROUP_LABELS = {
    "grid": N_("Grid"),
    "community": N_("Community"),
    "street": N_("Street"),
    "department": N_("Department"),
}


@dataclass
class Section:
    """One table of the board: what a tab shows and what the exports write."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    ids: list[Any] = field(default_factory=list)  # the case behind each row (never printed)
    note: str = ""


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %"


def _grid_names(conn, codes: list[str]) -> dict[str, str]:
    """Grid code -> name, from the published plan first (a code may live on in archived plans)."""
    codes = [c for c in codes if c]
    if not codes:
        return {}
    with conn.cursor() as cur:
        cur.execute(
            """SELECT DISTINCT ON (g.grid_code) g.grid_code, g.name
               FROM gridgov.grid g LEFT JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id
               WHERE g.grid_code = ANY(%s) AND g.name IS NOT NULL
               ORDER BY g.grid_code, (p.status = 'published') DESC NULLS LAST, g.plan_id DESC""",
            (codes,),
        )
        return dict(cur.fetchall())


def _worker_names(conn, ids: list[str]) -> dict[str, str]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    with conn.cursor() as cur:
        cur.execute("SELECT worker_id, name FROM gridgov.grid_worker WHERE worker_id = ANY(%s)", (ids,))
        return {k: v for k, v in cur.fetchall() if v}


def _named(code: Any, name: Any) -> str:
    """What a reader sees for a coded place or person: the name, with the code after it."""
    if not code:
        return tr("(none)")
    return f"{name} ({code})" if name and name != code else str(code)


def collect(
    conn,
    start: dt.datetime,
    end: dt.datetime,
    by: str = "grid",
    horizon_hours: float = 4.0,
    at: dt.datetime | None = None,
) -> list[Section]:
    """The board's sections for a period (on-time, workers) and a moment (overdue)."""
    at = at or dt.datetime.now(UTC)
    group = tr(GROUP_LABELS[by])
    out = []
    summary = board.overdue_summary(conn, by, at, horizon_hours)
    listed = board.overdue_cases(conn, at, horizon_hours)
    rates = board.on_time_rates(conn, start, end, by, at)
    grids = _grid_names(conn, [r["key"] for r in summary + rates] if by == "grid" else [])
    grids.update(_grid_names(conn, [r["grid_code"] for r in listed]))
    workers_named = _worker_names(conn, [r["worker_id"] for r in listed])

    def key_name(r: dict) -> str:
        if by == "grid":
            return grids.get(r["key"] or "", "")
        if by == "department":
            return (r["name"] or label("department", r["key"])) if r["key"] else ""
        return r["name"] or ""

    out.append(
        Section(
            "overdue",
            tr("Overdue and soon overdue by {0}", group.lower()),
            [
                group,
                tr("Name"),
                tr("Overdue"),
                tr("Due within {0} working h", f"{horizon_hours:g}"),
                tr("Most overdue (working h)"),
                tr("Escalated to you"),
            ],
            [
                [
                    r["key"] or tr("(none)"),
                    key_name(r),
                    r["overdue"],
                    r["soon"],
                    "" if r["max_hours_overdue"] is None else f"{r['max_hours_overdue']:.1f}",
                    r.get("escalated_to_me") or 0,
                ]
                for r in summary
            ],
        )
    )
    out.append(
        Section(
            "cases",
            tr("Overdue and soon overdue cases"),
            [
                tr("Category"),
                tr("Status"),
                tr("Level"),
                tr("Department"),
                tr("Grid"),
                tr("Grid worker"),
                tr("Reported at"),
                tr("Deadline"),
                tr("Working hours overdue"),
                tr("Escalated"),
            ],
            [
                [
                    r["minor"] or r["category_code"] or "",
                    cases.state_label(r["status"]),
                    label("level", r["level"]),
                    r["department_name"] or label("department", r["department"]),
                    _named(r["grid_code"], grids.get(r["grid_code"] or "")) if r["grid_code"] else "",
                    workers_named.get(r["worker_id"] or "", r["worker_id"] or ""),
                    fmt_time(r.get("reported_at")),
                    fmt_time(r["deadline_at"]),
                    f"{r['hours_overdue']:.1f}" if r["overdue"] else "",
                    (tr("to you") if r.get("escalated_to_me") else tr("yes")) if r.get("escalated_at") else "",
                ]
                for r in listed
            ],
            ids=[r["id"] for r in listed],
        )
    )
    out.append(
        Section(
            "on_time",
            tr("Handled on time by {0}", group.lower()),
            [group, tr("Name"), tr("Due"), tr("On time"), tr("Late"), tr("Pending"), tr("On-time rate")],
            [
                [
                    r["key"] or tr("(none)"),
                    key_name(r),
                    r["due"],
                    r["on_time"],
                    r["late"],
                    r["pending"],
                    _pct(r["rate"]),
                ]
                for r in rates
            ],
            note=tr("A case counts in the period its handling was due in; on time when handled by its deadline."),
        )
    )
    workers = board.worker_assessment(conn, start, end, at)
    out.append(
        Section(
            "workers",
            tr("Grid worker assessment"),
            [
                tr("Worker"),
                tr("Name"),
                tr("Cases reported"),
                tr("Reports voided"),
                tr("Handling due"),
                tr("Handled on time"),
                tr("Late"),
                tr("Returned"),
                tr("On-time rate"),
            ],
            [
                [
                    r["worker_id"],
                    r["name"] or "",
                    r["reported"],
                    r["voided"],
                    r["assigned_due"],
                    r["on_time"],
                    r["late"],
                    r["returned"],
                    _pct(r["rate"]),
                ]
                for r in workers
            ],
        )
    )
    return out


def summarize(sections: list[Section]) -> list[tuple[str, str]]:
    """The figures a reader wants first: overdue now, due soon, on time in the period, workers."""
    by = {s.key: s for s in sections}
    out: list[tuple[str, str]] = []
    if "overdue" in by:
        rows = by["overdue"].rows
        overdue = sum(int(r[2]) for r in rows)
        soon = sum(int(r[3]) for r in rows)
        out.append((tr("Overdue now"), tr("{0} case(s)", overdue)))
        out.append((tr("Due soon"), tr("{0} case(s)", soon)))
        worst = max(rows, key=lambda r: (int(r[2]), int(r[3])), default=None)
        if worst is not None and int(worst[2]) > 0:
            out.append((tr("Most overdue cases in"), f"{worst[1] or worst[0]} ({worst[0]}) – {worst[2]}"))
    if "on_time" in by:
        rows = by["on_time"].rows
        on_time = sum(int(r[3]) for r in rows)
        late = sum(int(r[4]) for r in rows)
        judged = on_time + late
        rate = _pct(on_time / judged if judged else None)
        out.append((tr("Handled on time in the period"), tr("{0} ({1} of {2})", rate, on_time, judged)))
    if "workers" in by:
        out.append((tr("Grid workers assessed"), str(len(by["workers"].rows))))
    return out


def write_csv(section: Section, path: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(section.headers)
        w.writerows(section.rows)


def report_html(sections: list[Section], title: str, subtitle: str) -> str:
    """The board as HTML (every value escaped), for a mail or a web page."""
    e = html.escape
    parts = [
        "<html><head><meta charset='utf-8'><style>"
        "body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;font-size:9pt}"
        "h1{font-size:15pt} h2{font-size:11pt;margin-top:14pt}"
        "table{border-collapse:collapse} th{background:#e0e0e0} td,th{border:1px solid #999;padding:2px 4px}"
        "</style></head><body>",
        f"<h1>{e(title)}</h1><p>{e(subtitle)}</p>",
    ]
    for s in sections:
        parts.append(f"<h2>{e(s.title)}</h2>")
        if not s.rows:
            parts.append(f"<p>{e(tr('Nothing to report.'))}</p>")
            continue
        parts.append("<table cellspacing='0'><tr>" + "".join(f"<th>{e(str(h))}</th>" for h in s.headers) + "</tr>")
        for row in s.rows:
            parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pdf(sections: list[Section], path: str, title: str, subtitle: str) -> int:
    """The board as a paginated PDF: summary first, rows never split, page n of N; the page count."""
    tables = [Table(s.title, [str(h) for h in s.headers], s.rows, s.note) for s in sections]
    return write_report(path, title, subtitle, summarize(sections), tables)


class SupervisionBoard(QDialog):
    """The board as a dialog; ``refresh()`` reads, ``export_csv``/``export_pdf`` write."""

    def __init__(self, connection: str, parent=None):
        super().__init__(parent)
        self.setObjectName("GridGovSupervisionBoard")
        self.setWindowTitle(tr("Supervision board"))
        self.resize(980, 620)
        self.connection = connection
        self._conn = None
        self.sections: list[Section] = []
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(-30))
        self.end = QDateEdit(today)
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.group = QComboBox()
        for key, text in GROUP_LABELS.items():
            self.group.addItem(tr(text), key)
        self.horizon = QDoubleSpinBox()
        self.horizon.setRange(0, 24 * 14)
        self.horizon.setValue(4)
        self.horizon.setSuffix(tr(" working h"))
        self.horizon.setToolTip(tr("Working hours of the city's calendar: nights, weekends and holidays do not count."))
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        for w in (
            QLabel(tr("Period")),
            self.start,
            QLabel("–"),
            self.end,
            QLabel(tr("by")),
            self.group,
            QLabel(tr("Soon overdue within")),
            self.horizon,
            refresh,
        ):
            top.addWidget(w)
        top.addStretch(1)
        lay.addLayout(top)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        # is escalation running by itself? (pg_cron or a scheduled qgis_process, docs/deployment.md)
        self.escalation = QLabel("")
        self.escalation.setObjectName("escalation_status")
        self.escalation.setWordWrap(True)
        lay.addWidget(self.escalation)
        bottom = QHBoxLayout()
        self.status = QLabel("")
        csv_button = QPushButton(tr("Export tab as CSV…"))
        csv_button.clicked.connect(lambda: self.export_csv())
        pdf_button = QPushButton(tr("Export report as PDF…"))
        pdf_button.clicked.connect(lambda: self.export_pdf())
        bottom.addWidget(self.status, 1)
        bottom.addWidget(csv_button)
        bottom.addWidget(pdf_button)
        lay.addLayout(bottom)
        self.tables: dict[str, QTableWidget] = {}

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        """[start day 00:00, end day + 1 00:00) in local time, as aware datetimes."""

        def local(d: QDate) -> dt.datetime:
            return dt.datetime(d.year(), d.month(), d.day()).astimezone()

        return local(self.start.date()), local(self.end.date().addDays(1))

    def conn(self):
        if self._conn is None or self._conn.closed:
            self._conn = ll.open_connection(self.connection, "gridgov-board")
        return self._conn

    def refresh(self, at: dt.datetime | None = None) -> bool:
        start, end = self.period()
        try:
            conn = self.conn()
            self.sections = collect(conn, start, end, self.group.currentData(), self.horizon.value(), at)
            self.escalation.setText(escalation_text(board.escalation_status(conn)))
            conn.rollback()
        except Exception as exc:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self.status.setText(tr("Could not read the board: {0}", _pg_message(exc)))
            return False
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.tables = {}
        for s in self.sections:
            table = QTableWidget(len(s.rows), len(s.headers))
            table.setObjectName(f"board_{s.key}")
            table.setHorizontalHeaderLabels([str(h) for h in s.headers])
            table.setEditTriggers(QAbstractItemView.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            for r, row in enumerate(s.rows):
                for c, v in enumerate(row):
                    item = QTableWidgetItem()
                    item.setData(Qt.DisplayRole, v)  # numbers sort as numbers
                    table.setItem(r, c, item)
            table.setSortingEnabled(True)
            self.tables[s.key] = table
            self.tabs.addTab(table, s.title)
        if current >= 0:
            self.tabs.setCurrentIndex(current)
        self.status.setText(tr("Updated {0}.", dt.datetime.now().strftime("%H:%M:%S")))
        return True

    def section(self, key: str | None = None) -> Section | None:
        if key is None:
            idx = self.tabs.currentIndex()
            return self.sections[idx] if 0 <= idx < len(self.sections) else None
        return next((s for s in self.sections if s.key == key), None)

    def _subtitle(self) -> str:
        start, end = self.period()
        return tr(
            "Period {0} – {1}; overdue as of {2}.",
            start.strftime("%Y-%m-%d"),
            (end - dt.timedelta(days=1)).strftime("%Y-%m-%d"),
            dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        )

    def export_csv(self, path: str | None = None, key: str | None = None) -> str | None:
        s = self.section(key)
        if s is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("Export tab as CSV"), _file_name(f"{tr('Supervision board')} {s.title}", "csv"), "CSV (*.csv)"
            )
            if not path:
                return None
        write_csv(s, path)
        self.status.setText(tr("Saved {0}.", path))
        return path

    def export_pdf(self, path: str | None = None) -> str | None:
        if not self.sections:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("Export report as PDF"), _file_name(tr("Supervision board"), "pdf"), "PDF (*.pdf)"
            )
            if not path:
                return None
        pages = write_pdf(self.sections, path, tr("Supervision board"), self._subtitle())
        self.status.setText(tr("Saved {0} ({1} pages).", path, pages))
        return path

    def done(self, result: int) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        super().done(result)


def escalation_text(last: dict | None, now: dt.datetime | None = None) -> str:
    """What the board says about automatic escalation: when it last ran, how, and whether that looks alive."""
    if last is not None and last.get("readable") is False:
        return ""
    if last is None:
        return tr(
            "Automatic escalation has never run on this database: schedule it with pg_cron or run "
            "gridgov:escalateoverdue from cron or a Windows scheduled task (docs/deployment.md)."
        )
    now = now or dt.datetime.now(UTC)
    text = tr(
        "Automatic escalation last ran {0} ({1}, login {2}): {3} case(s) escalated.",
        fmt_time(last["at"]),
        last.get("via") or tr("unknown client"),
        last.get("login") or "",
        last.get("escalated", 0),
    )
    if now - last["at"] > dt.timedelta(hours=1):
        text += " " + tr("That is more than an hour ago: is the schedule still running?")
    return text


def _file_name(title: str, ext: str) -> str:
    """A default file name a user recognises: the translated title and today's date (督办看板_2026-03-01.pdf)."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", title).strip("_")
    return f"{safe}_{dt.date.today().isoformat()}.{ext}"
