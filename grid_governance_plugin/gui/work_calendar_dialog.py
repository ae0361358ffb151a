"""Edit the city's working calendar: one year's holidays and make-up working days, and the office hours.

Reads and saves through core/worktime.py in one transaction; the database rebuilds its working
clock at commit and refuses impossible office hours, so every client's deadlines change together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from qgis.PyQt.QtCore import QDate, Qt, QTime
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
)

from ..core import worktime
from ..core.i18n import N_, tr
from ..core.log import get_logger
from . import live_layer as ll
from .case_card import _pg_message

log = get_logger("workcalendar")

KIND_LABELS = (("holiday", N_("Holiday (rest)")), ("workday", N_("Make-up working day")))
DAY_COLUMNS = (N_("Date"), N_("Kind"), N_("Name"), N_("Note"), N_("Source"))
HOUR_COLUMNS = (N_("From month"), N_("To month"), N_("Opens"), N_("Closes"))


class WorkCalendarDialog(QDialog):
    def __init__(
        self, connection: str, parent=None, connect: Callable[[str], Any] | None = None, year: int | None = None
    ):
        super().__init__(parent)
        self.setObjectName("GridGovWorkCalendarDialog")
        self.setWindowTitle(tr("Working calendar"))
        self.resize(820, 640)
        self.connection = connection
        self._connect = connect or (lambda ref: ll.open_connection(ref, "gridgov-workcalendar"))
        self._conn = None
        self.load_error: str | None = None
        self.dirty = False

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Year")))
        self.year = QSpinBox()
        self.year.setRange(2000, 2099)
        self.year.setValue(year or dt.date.today().year)
        self.year.valueChanged.connect(self._year_changed)
        top.addWidget(self.year)
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        top.addWidget(self.coverage, 1)
        lay.addLayout(top)

        days_box = QGroupBox(tr("Holidays and make-up working days"))
        dl = QVBoxLayout(days_box)
        self.days = QTableWidget(0, len(DAY_COLUMNS))
        self.days.setHorizontalHeaderLabels([tr(c) for c in DAY_COLUMNS])
        self.days.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.days.verticalHeader().setVisible(False)
        self.days.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.days.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.days.itemChanged.connect(self._mark_dirty)
        dl.addWidget(self.days)
        row = QHBoxLayout()
        self.add_day_button = QPushButton(tr("Add day"))
        self.add_day_button.clicked.connect(lambda: self.add_day())
        self.delete_day_button = QPushButton(tr("Delete day"))
        self.delete_day_button.clicked.connect(lambda: self.delete_days())
        row.addWidget(self.add_day_button)
        row.addWidget(self.delete_day_button)
        row.addStretch(1)
        dl.addLayout(row)
        lay.addWidget(days_box, 3)

        hours_box = QGroupBox(tr("Office hours of a working day"))
        hl = QVBoxLayout(hours_box)
        self.hours = QTableWidget(0, len(HOUR_COLUMNS))
        self.hours.setHorizontalHeaderLabels([tr(c) for c in HOUR_COLUMNS])
        self.hours.verticalHeader().setVisible(False)
        self.hours.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        hl.addWidget(self.hours)
        row = QHBoxLayout()
        add_period = QPushButton(tr("Add period"))
        add_period.clicked.connect(lambda: self.add_period())
        del_period = QPushButton(tr("Delete period"))
        del_period.clicked.connect(self._delete_period)
        row.addWidget(add_period)
        row.addWidget(del_period)
        row.addStretch(1)
        hl.addLayout(row)
        lay.addWidget(hours_box, 2)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.Close).setText(tr("Close"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.finished.connect(lambda _r: self.close_connection())
        self._shown_year = self.year.value()
        self.load()

    # -- connection ----------------------------------------------------------------------
    def conn(self):
        if self._conn is None or self._conn.closed:
            self._conn = self._connect(self.connection)
        return self._conn

    def close_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
        self._conn = None

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> bool:
        year = self.year.value()
        try:
            conn = self.conn()
            days = worktime.load_year(conn, year)
            hours = worktime.load_office_hours(conn)
            notices = worktime.notice_years(conn)
            conn.rollback()  # no snapshot held while the user edits
        except Exception as exc:
            self.load_error = tr("Could not read the working calendar: {0}", _pg_message(exc))
            log.warning(self.load_error)
            self._show(self.load_error, error=True)
            self.buttons.button(QDialogButtonBox.Save).setEnabled(False)
            return False
        self.load_error = None
        self.days.blockSignals(True)
        self.days.setRowCount(0)
        for d in days:
            self._append_day(d)
        self.days.blockSignals(False)
        self.hours.setRowCount(0)
        for p in hours:
            self.add_period(p)
        self._shown_year = year
        if year in notices:
            self.coverage.setText(tr("The State Council's schedule for {0} is loaded.", year))
        else:
            self.coverage.setText(
                tr(
                    "No official schedule for {0} yet: enter its holidays and make-up days when the State Council "
                    "publishes them. Until then only weekends rest.",
                    year,
                )
            )
        self.coverage.setStyleSheet("" if year in notices else "color: #b05000;")
        self.dirty = False
        self._show(tr("{0} days in {1}.", len(days), year))
        self.buttons.button(QDialogButtonBox.Save).setEnabled(True)
        return True

    def _year_changed(self, year: int) -> None:
        if self.dirty and year != self._shown_year and not self.confirm_discard():
            self.year.blockSignals(True)
            self.year.setValue(self._shown_year)
            self.year.blockSignals(False)
            return
        self.load()

    def _append_day(self, d: worktime.CalendarDay) -> int:
        r = self.days.rowCount()
        self.days.insertRow(r)
        date = QDateEdit(QDate(d.day.year, d.day.month, d.day.day))
        date.setCalendarPopup(True)
        date.setDisplayFormat("yyyy-MM-dd ddd")
        date.dateChanged.connect(self._mark_dirty)
        self.days.setCellWidget(r, 0, date)
        kind = QComboBox()
        for data, label in KIND_LABELS:
            kind.addItem(tr(label), data)
        kind.setCurrentIndex(max(kind.findData(d.kind), 0))
        kind.currentIndexChanged.connect(self._mark_dirty)
        self.days.setCellWidget(r, 1, kind)
        self.days.setItem(r, 2, QTableWidgetItem(d.name))
        self.days.setItem(r, 3, QTableWidgetItem(d.note))
        source = QTableWidgetItem(tr("Notice {0}", d.notice_year) if d.notice_year else tr("Local"))
        source.setFlags(source.flags() & ~Qt.ItemIsEditable)
        self.days.setItem(r, 4, source)
        return r

    def add_day(self, day: dt.date | None = None, kind: str = "holiday", name: str = "") -> int:
        year = self.year.value()
        if day is None:
            today = dt.date.today()
            day = today if today.year == year else dt.date(year, 1, 1)
        self.days.blockSignals(True)
        r = self._append_day(worktime.CalendarDay(day, kind, name))
        self.days.blockSignals(False)
        self.days.setCurrentCell(r, 2)
        self.dirty = True
        return r

    def delete_days(self, rows: list[int] | None = None) -> int:
        if rows is None:
            rows = [i.row() for i in self.days.selectionModel().selectedRows()] or (
                [self.days.currentRow()] if self.days.currentRow() >= 0 else []
            )
        for r in sorted(set(rows), reverse=True):
            self.days.removeRow(r)
        if rows:
            self.dirty = True
        return len(rows)

    def add_period(self, period: worktime.OfficePeriod | None = None) -> int:
        m0, m1, a, b = period or (1, 12, dt.time(9), dt.time(12))
        r = self.hours.rowCount()
        self.hours.insertRow(r)
        for c, value in ((0, m0), (1, m1)):
            spin = QSpinBox()
            spin.setRange(1, 12)
            spin.setValue(int(value))
            spin.valueChanged.connect(self._mark_dirty)
            self.hours.setCellWidget(r, c, spin)
        for c, value in ((2, a), (3, b)):
            edit = QTimeEdit(QTime(value.hour, value.minute))
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(self._mark_dirty)
            self.hours.setCellWidget(r, c, edit)
        self.dirty = self.dirty or period is None
        return r

    def _delete_period(self) -> None:
        r = self.hours.currentRow()
        if r >= 0:
            self.hours.removeRow(r)
            self.dirty = True

    def _mark_dirty(self, *_args) -> None:
        self.dirty = True

    # -- values and saving -----------------------------------------------------------------
    def day_rows(self) -> list[worktime.CalendarDay]:
        out = []
        for r in range(self.days.rowCount()):
            q = self.days.cellWidget(r, 0).date()
            out.append(
                worktime.CalendarDay(
                    dt.date(q.year(), q.month(), q.day()),
                    self.days.cellWidget(r, 1).currentData(),
                    (self.days.item(r, 2).text() if self.days.item(r, 2) else "").strip(),
                    (self.days.item(r, 3).text() if self.days.item(r, 3) else "").strip(),
                )
            )
        return out

    def office_hours(self) -> list[worktime.OfficePeriod]:
        out = []
        for r in range(self.hours.rowCount()):
            a, b = self.hours.cellWidget(r, 2).time(), self.hours.cellWidget(r, 3).time()
            out.append(
                (
                    self.hours.cellWidget(r, 0).value(),
                    self.hours.cellWidget(r, 1).value(),
                    dt.time(a.hour(), a.minute()),
                    dt.time(b.hour(), b.minute()),
                )
            )
        return out

    def save(self) -> bool:
        try:
            problems = worktime.save_year(self.conn(), self.year.value(), self.day_rows(), self.office_hours())
        except Exception as exc:
            problems = [tr("Could not save the working calendar: {0}", _pg_message(exc))]
        if problems:
            self._show(tr("Not saved: {0}", " ".join(problems)), error=True)
            return False
        self.dirty = False
        self.load()
        self._show(tr("Working calendar saved; deadlines computed from now on use it."))
        return True

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c00000;" if error else "")

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            tr("Working calendar"),
            tr("Discard the unsaved changes to the working calendar?"),
            QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Cancel,
        )
        return answer == QMessageBox.Discard

    def reject(self) -> None:
        if self.dirty and not self.confirm_discard():
            return
        super().reject()
