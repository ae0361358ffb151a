"""Edit the responsibility list (权责清单): category → department, level and deadline per step, and the grades.

Reads and saves through core/events/responsibility.py; the database computes new steps'
deadlines from these (``gridgov.step_deadline``: working hours, working days or calendar hours
per category, times the case grade's factor), so a saved change applies to every case's next
step. Refused saves keep the user's edits and mark the refused cells.
"""

from __future__ import annotations

from typing import Any, Callable

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from ..core import labels
from ..core.events import board
from ..core.events import responsibility as resp
from ..core.i18n import N_, tr
from ..core.log import get_logger
from . import live_layer as ll
from .case_card import _pg_message
from .why import set_available

log = get_logger("responsibility")

COLUMNS = resp.COLUMNS  # code, kind, major, minor, department, level, time unit, 4 x deadlines
COL = {name: i for i, name in enumerate(COLUMNS)}
KIND_LABELS = (("component", N_("Component")), ("event", N_("Event")))
LEVEL_LABELS = (("community", N_("Community")), ("street", N_("Street")), ("district", N_("District")))
UNIT_SUFFIX = {"working_hours": N_(" working h"), "working_days": N_(" working d"), "calendar_hours": N_(" h")}
GRADE_COLUMNS = ("code", "name", "factor", "min_level")
ORIGINAL_ROLE = Qt.UserRole + 1  # on the code item: the code as loaded (None for a new row)
ERROR_BG = QBrush(QColor("#f8c8c8"))


class _Spin(QDoubleSpinBox):
    """Ignores the mouse wheel unless focused: scrolling the table must not change hours."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.StrongFocus)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _Combo(QComboBox):
    """Ignores the mouse wheel unless focused, like _Spin."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.StrongFocus)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ResponsibilityDialog(QDialog):
    """The categories in a table; Save validates and writes all of them in one transaction."""

    def __init__(self, connection: str, parent=None, connect: Callable[[str], Any] | None = None):
        super().__init__(parent)
        self.setObjectName("GridGovResponsibilityDialog")
        self.setWindowTitle(tr("Responsibility list"))
        self.resize(1280, 640)
        self.connection = connection
        self._connect = connect or (lambda ref: ll.open_connection(ref, "gridgov-responsibility"))
        self._conn = None
        self.departments: list[dict[str, Any]] = []
        self.loaded: dict[str, dict[str, Any]] = {}  # code -> row as read
        self.deleted: set[str] = set()  # loaded codes removed from the table, deleted on Save
        self.errors: list[resp.CategoryError] = []
        self.load_error: str | None = None
        self.dirty = False

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("Filter by code, class or department…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        top.addWidget(QLabel(tr("Filter")))
        top.addWidget(self.filter, 1)
        self.add_button = QPushButton(tr("Add row"))
        self.add_button.clicked.connect(lambda: self.add_row())
        self.delete_button = QPushButton(tr("Delete row"))
        self.delete_button.clicked.connect(lambda: self.delete_rows())
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
        lay.addLayout(top)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([resp.field_label(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(COL["minor"], QHeaderView.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("responsibility_tabs")
        self.tabs.addTab(self.table, tr("Categories"))
        # the case grades: a factor on every step after 受理 and the level a case starts at
        self.grade_table = QTableWidget(0, len(GRADE_COLUMNS))
        self.grade_table.setObjectName("grade_table")
        self.grade_table.setHorizontalHeaderLabels(
            [tr("Grade"), tr("Name"), resp.field_label("factor"), resp.field_label("min_level")]
        )
        self.grade_table.verticalHeader().setVisible(False)
        self.grade_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.grade_table.horizontalHeader().setStretchLastSection(True)
        self.grade_table.itemChanged.connect(self._mark_dirty)
        grades_page = self._grades_page()
        self.tabs.addTab(grades_page, tr("Case grades"))
        lay.addWidget(self.tabs, 1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.error_list = QListWidget()
        self.error_list.setMaximumHeight(100)
        self.error_list.setVisible(False)
        self.error_list.itemActivated.connect(self._goto_error)
        self.error_list.itemClicked.connect(self._goto_error)
        lay.addWidget(self.error_list)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.finished.connect(lambda _r: self.close_connection())

        self.load()

    def _grades_page(self):
        from qgis.PyQt.QtWidgets import QWidget

        page = QWidget()
        v = QVBoxLayout(page)
        note = QLabel(
            tr(
                "A case's grade (set on the case card) multiplies every step's deadline after 受理 by its factor, "
                "and a grade may start the case at a higher level: 重大 (major) goes straight to the street."
            )
        )
        note.setWordWrap(True)
        v.addWidget(note)
        v.addWidget(self.grade_table, 1)
        return page

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

    def _end_read(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.rollback()  # no idle-in-transaction snapshot while the user edits

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> bool:
        """(Re)read departments and categories; False (and ``load_error``) when that failed."""
        try:
            conn = self.conn()
            self.departments = resp.list_departments(conn)
            rows = resp.list_categories(conn)
            grades = resp.list_grades(conn)
            self._end_read()
        except Exception as exc:
            self.load_error = tr("Could not read the responsibility list: {0}", _pg_message(exc))
            log.warning(self.load_error)
            self._show_message(self.load_error, error=True)
            for b in (self.buttons.button(QDialogButtonBox.Save), self.add_button, self.delete_button):
                set_available(b, False, self.load_error)
            return False
        self.load_error = None
        self.loaded = {r["code"]: r for r in rows}
        self.deleted.clear()
        self._clear_errors()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in rows:
            self._append(row, new=False)
        self.table.blockSignals(False)
        self._fill_grades(grades)
        self.dirty = False
        self.apply_filter()
        self._show_message(tr("{0} categories.", len(rows)))
        for b in (self.buttons.button(QDialogButtonBox.Save), self.add_button, self.delete_button):
            set_available(b, True)
        return True

    def _combo(self, items: list[tuple[str, str]], value: str | None) -> QComboBox:
        box = _Combo()
        for data, label in items:
            box.addItem(label, data)
        if value is not None and box.findData(value) < 0:  # keep an unknown value visible (validation names it)
            box.addItem(tr("{0} (unknown)", value), value)
        box.setCurrentIndex(max(box.findData(value), 0) if value is not None else 0)
        box.currentIndexChanged.connect(self._mark_dirty)
        return box

    def _spin(self, value: float, unit: str = "working_hours") -> QDoubleSpinBox:
        spin = _Spin()
        spin.setDecimals(2)
        spin.setRange(0.0, resp.MAX_HOURS)
        self._set_unit(spin, unit)
        spin.setValue(float(value))
        spin.setProperty("loaded", float(value))
        spin.valueChanged.connect(self._mark_dirty)
        return spin

    @staticmethod
    def _set_unit(spin: QDoubleSpinBox, unit: str) -> None:
        """Working days are whole days; hours go by half hours."""
        spin.setSuffix(tr(UNIT_SUFFIX.get(unit, UNIT_SUFFIX["working_hours"])))
        spin.setSingleStep(1.0 if unit == "working_days" else 0.5)
        spin.setToolTip(labels.label("time_unit", unit))

    def _unit_changed(self, box: QComboBox) -> None:
        for r in range(self.table.rowCount()):
            if self.table.cellWidget(r, COL["time_unit"]) is box:
                for h in resp.HOURS:
                    spin = self.table.cellWidget(r, COL[h])
                    if isinstance(spin, QDoubleSpinBox):
                        self._set_unit(spin, box.currentData())
                return

    def _fill_grades(self, grades: list[dict[str, Any]]) -> None:
        self.grade_table.blockSignals(True)
        self.grade_table.setRowCount(0)
        for g in grades:
            r = self.grade_table.rowCount()
            self.grade_table.insertRow(r)
            code = QTableWidgetItem(labels.label("grade", g["code"]))
            code.setData(Qt.UserRole, g["code"])
            code.setFlags(code.flags() & ~Qt.ItemIsEditable)
            self.grade_table.setItem(r, 0, code)
            self.grade_table.setItem(r, 1, QTableWidgetItem(g["name"]))  # the city's own word (简易…), as data
            spin = _Spin()
            spin.setDecimals(2)
            spin.setRange(0.01, resp.MAX_FACTOR)
            spin.setSingleStep(0.25)
            spin.setPrefix("× ")
            spin.setValue(float(g["factor"]))
            spin.valueChanged.connect(self._mark_dirty)
            self.grade_table.setCellWidget(r, 2, spin)
            self.grade_table.setCellWidget(r, 3, self._combo([(k, tr(lbl)) for k, lbl in LEVEL_LABELS], g["min_level"]))
        self.grade_table.blockSignals(False)
        self.tabs.setTabEnabled(1, bool(grades))

    def grade_rows(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.grade_table.rowCount()):
            out.append(
                {
                    "code": self.grade_table.item(r, 0).data(Qt.UserRole),
                    "name": self.grade_table.item(r, 1).text().strip(),
                    "factor": self.grade_table.cellWidget(r, 2).value(),
                    "min_level": self.grade_table.cellWidget(r, 3).currentData(),
                }
            )
        return out

    def _append(self, row: dict[str, Any], new: bool) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        code = QTableWidgetItem(row.get("code") or "")
        code.setData(ORIGINAL_ROLE, None if new else row.get("code"))
        if not new:  # a category's code is its key: existing codes are not renamed
            code.setFlags(code.flags() & ~Qt.ItemIsEditable)
            code.setToolTip(tr("Existing codes cannot be changed; add a new row instead."))
        self.table.setItem(r, COL["code"], code)
        self.table.setCellWidget(r, COL["kind"], self._combo([(k, tr(lbl)) for k, lbl in KIND_LABELS], row.get("kind")))
        for f in ("major", "minor"):
            self.table.setItem(r, COL[f], QTableWidgetItem(row.get(f) or ""))
        depts = [(d["code"], f"{d['code']} {d['name']}") for d in self.departments]
        self.table.setCellWidget(r, COL["department"], self._combo(depts, row.get("department")))
        self.table.setCellWidget(
            r, COL["level"], self._combo([(k, tr(lbl)) for k, lbl in LEVEL_LABELS], row.get("level"))
        )
        unit = row.get("time_unit") or "working_hours"
        unit_box = self._combo(labels.choices("time_unit"), unit)
        unit_box.setToolTip(
            tr(
                "Working hours and working days follow the city's working calendar (office hours, holidays, "
                "调休 days); calendar hours run round the clock (emergencies)."
            )
        )
        unit_box.currentIndexChanged.connect(lambda _i, b=unit_box: self._unit_changed(b))
        self.table.setCellWidget(r, COL["time_unit"], unit_box)
        for h in resp.HOURS:
            self.table.setCellWidget(r, COL[h], self._spin(row.get(h) or 0.0, unit))
        return r

    # -- editing ---------------------------------------------------------------------------
    def _mark_dirty(self, *_args) -> None:
        self.dirty = True

    def _item_changed(self, item) -> None:
        self.dirty = True
        if item.column() == COL["code"] and not item.data(ORIGINAL_ROLE):  # a new row: kind follows the code
            kind = {"BJ": "component", "SJ": "event"}.get(item.text().strip()[:2].upper())
            box = self.table.cellWidget(item.row(), COL["kind"])
            if kind and isinstance(box, QComboBox) and box.findData(kind) >= 0:
                box.setCurrentIndex(box.findData(kind))

    def add_row(self, row: dict[str, Any] | None = None) -> int:
        """A new category row (defaults like the table's), scrolled to and ready to edit."""
        defaults = {
            "code": "",
            "kind": "event",
            "major": "",
            "minor": "",
            "department": None,
            "level": "community",
            "time_unit": "working_hours",
            "register_hours": 2.0,
            "dispatch_hours": 2.0,
            "handle_hours": 24.0,
            "verify_hours": 4.0,
        }
        if self.departments:
            defaults["department"] = self.departments[0]["code"]
        self.table.blockSignals(True)
        r = self._append({**defaults, **(row or {})}, new=True)
        self.table.blockSignals(False)
        self.filter.clear()
        self.apply_filter()
        self.dirty = True
        self.table.scrollToItem(self.table.item(r, COL["code"]))
        self.table.setCurrentCell(r, COL["code"])
        return r

    def delete_rows(self, rows: list[int] | None = None) -> int:
        """Remove rows (default: the selected ones); loaded categories are deleted on Save."""
        if rows is None:
            rows = [i.row() for i in self.table.selectionModel().selectedRows()]
            if not rows and self.table.currentRow() >= 0:
                rows = [self.table.currentRow()]
        for r in sorted(set(rows), reverse=True):
            original = self.table.item(r, COL["code"]).data(ORIGINAL_ROLE)
            if original:
                self.deleted.add(original)
            self.table.removeRow(r)
        if rows:
            self.dirty = True
            self._clear_errors()
            self._show_message(tr("{0} row(s) removed; Save deletes them from the responsibility list.", len(rows)))
        return len(rows)

    def apply_filter(self, *_args) -> None:
        words = self.filter.text().strip().lower().split()
        for r in range(self.table.rowCount()):
            text = " ".join(self._row_text(r)).lower()
            self.table.setRowHidden(r, bool(words) and not all(w in text for w in words))

    def _row_text(self, r: int) -> list[str]:
        out = []
        for c in range(self.table.columnCount()):
            item = self.table.item(r, c)
            widget = self.table.cellWidget(r, c)
            if item is not None:
                out.append(item.text())
            elif isinstance(widget, QComboBox):
                out.extend([widget.currentText(), str(widget.currentData() or "")])
        return out

    def row_values(self, r: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in COLUMNS:
            item = self.table.item(r, COL[name])
            widget = self.table.cellWidget(r, COL[name])
            if isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QDoubleSpinBox):
                loaded = widget.property("loaded")
                # a value the box shows rounded (e.g. 0.125 h) is saved as it was, not as displayed
                unchanged = loaded is not None and abs(widget.value() - loaded) <= 0.5 * 10 ** -widget.decimals() + 1e-9
                values[name] = float(loaded) if unchanged else widget.value()
            else:
                values[name] = item.text().strip() if item is not None else ""
        return values

    def rows(self) -> list[dict[str, Any]]:
        return [self.row_values(r) for r in range(self.table.rowCount())]

    # -- saving ----------------------------------------------------------------------------
    def actor(self) -> str | None:
        try:
            return board.db_user(self.conn())
        except Exception:
            return None

    def save(self) -> bool:
        """Validate and write everything; on refusal show the errors and keep the edits."""
        self._clear_errors()
        rows = self.rows()
        # a loaded code deleted and re-added by hand is an update, not a delete
        deleted = sorted(self.deleted - {r["code"] for r in rows})
        try:
            errors = resp.save_categories(self.conn(), rows, self.actor(), delete=deleted)
        except Exception as exc:
            self._end_read_safe()
            errors = [
                resp.CategoryError(None, "", "", tr("Could not save the responsibility list: {0}", _pg_message(exc)))
            ]
        if not errors and self.grade_table.rowCount():
            try:
                errors = resp.save_grades(self.conn(), self.grade_rows(), self.actor())
            except Exception as exc:
                self._end_read_safe()
                errors = [resp.CategoryError(None, "", "", tr("Could not save the case grades: {0}", _pg_message(exc)))]
            if errors:
                self.tabs.setCurrentIndex(1)
        if errors:
            self.show_errors(errors)
            return False
        self._show_message(tr("Responsibility list saved."))
        self.dirty = False
        self.deleted.clear()
        self.accept()
        return True

    def _end_read_safe(self) -> None:
        try:
            self._end_read()
        except Exception:
            self.close_connection()

    def show_errors(self, errors: list[resp.CategoryError]) -> None:
        self.errors = list(errors)
        self.error_list.clear()
        # a refused deletion (a category events use): the row comes back as it was loaded
        for e in errors:
            if e.row is None and e.code in self.deleted and e.code in self.loaded:
                self.deleted.discard(e.code)
                self.table.blockSignals(True)
                self._append(self.loaded[e.code], new=False)
                self.table.blockSignals(False)
        for e in errors:
            self.error_list.addItem(e.message)
            r = e.row if e.row is not None else self._row_of(e.code)
            if r is not None and 0 <= r < self.table.rowCount() and e.field in COL:
                self._mark_cell(r, COL[e.field], e.message)
                self.table.setRowHidden(r, False)  # a refused row stays in view whatever the filter
        self.error_list.setVisible(True)
        if errors:
            self._goto_error(self.error_list.item(0))  # the first refused cell in view
        self._show_message(tr("Not saved: {0} problem(s). Correct them and save again.", len(errors)), error=True)

    def _row_of(self, code: str) -> int | None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, COL["code"]).text().strip() == code:
                return r
        return None

    def _mark_cell(self, r: int, c: int, message: str) -> None:
        item = self.table.item(r, c)
        widget = self.table.cellWidget(r, c)
        if widget is not None:
            widget.setStyleSheet("background-color: #f8c8c8;")
            widget.setToolTip(message)
        elif item is not None:
            self.table.blockSignals(True)
            item.setBackground(ERROR_BG)
            item.setToolTip(message)
            self.table.blockSignals(False)

    def _clear_errors(self) -> None:
        self.errors = []
        self.error_list.clear()
        self.error_list.setVisible(False)
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                widget = self.table.cellWidget(r, c)
                if widget is not None and widget.styleSheet():
                    widget.setStyleSheet("")
                    widget.setToolTip("")
                elif item is not None and item.background() == ERROR_BG:
                    item.setBackground(QBrush())
                    item.setToolTip(
                        ""
                        if c != COL["code"] or not item.data(ORIGINAL_ROLE)
                        else tr("Existing codes cannot be changed; add a new row instead.")
                    )
        self.table.blockSignals(False)

    def _goto_error(self, item) -> None:
        idx = self.error_list.row(item)
        if 0 <= idx < len(self.errors):
            e = self.errors[idx]
            r = e.row if e.row is not None else self._row_of(e.code)
            if r is not None and 0 <= r < self.table.rowCount():
                self.table.setCurrentCell(r, COL.get(e.field, 0))
                self.table.scrollToItem(self.table.item(r, COL["code"]))

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c00000;" if error else "")

    def confirm_discard(self) -> bool:
        """Asked on Cancel with unsaved edits (tests replace it)."""
        answer = QMessageBox.question(
            self,
            tr("Responsibility list"),
            tr("Discard the unsaved changes to the responsibility list?"),
            QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Cancel,
        )
        return answer == QMessageBox.Discard

    def reject(self) -> None:
        if self.dirty and not self.confirm_discard():
            return
        super().reject()
