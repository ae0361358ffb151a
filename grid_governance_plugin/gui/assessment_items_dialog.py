"""Edit the assessment items (考核项): switch each on or off, give it a weight, a full score and a target.

Saved into gridgov.assessment_item, so every supervisor's ranking (gridgov:assessment) uses the
same configuration. Definitions of the items: docs/assessment.md.
"""

from __future__ import annotations

from typing import Any, Callable

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.assessment import engine as ae
from ..core.assessment import loader
from ..core.i18n import N_, tr
from ..core.labels import label
from . import live_layer as ll
from .case_card import _pg_message

COLUMNS = (N_("Item"), N_("Assessed"), N_("Weight"), N_("Full score"), N_("Target"))
TARGET_HINTS = {
    "found": N_("cases per worker per 30 days for the full score"),
    "returned": N_("share of dispatched cases returned at which the score is 0"),
    "patrol": N_("street coverage for the full score"),
}


class AssessmentItemsDialog(QDialog):
    def __init__(self, connection: str, parent=None, connect: Callable[[str], Any] | None = None):
        super().__init__(parent)
        self.setObjectName("GridGovAssessmentItemsDialog")
        self.setWindowTitle(tr("Assessment items"))
        self.resize(760, 380)
        self.connection = connection
        self._connect = connect or (lambda ref: ll.open_connection(ref, "gridgov-assessment-items"))
        self._conn = None
        self.load_error: str | None = None
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        lay.addWidget(self.table)
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
        self.load()

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

    def load(self) -> bool:
        try:
            items = loader.load_items(self.conn())
        except Exception as exc:
            self.load_error = tr("Could not read the assessment items: {0}", _pg_message(exc))
            self.message.setText(self.load_error)
            self.buttons.button(QDialogButtonBox.Save).setEnabled(False)
            return False
        self.load_error = None
        self.table.setRowCount(0)
        for it in items:
            self._append(it)
        self._update_total()
        return True

    def _spin(self, value: float | None, lo: float, hi: float, step: float, decimals: int = 2) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(lo, hi)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setValue(float(value or 0.0))
        spin.valueChanged.connect(self._update_total)
        return spin

    def _append(self, it: ae.Item) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        name = QTableWidgetItem(label("assessment_item", it.code))
        name.setData(Qt.UserRole, it.code)
        name.setFlags(name.flags() & ~Qt.ItemIsEditable)
        self.table.setItem(r, 0, name)
        box = QCheckBox()
        box.setChecked(bool(it.enabled))
        box.toggled.connect(self._update_total)
        self.table.setCellWidget(r, 1, box)
        self.table.setCellWidget(r, 2, self._spin(it.weight, 0.0, 100.0, 0.5))
        self.table.setCellWidget(r, 3, self._spin(it.full_score, 0.5, 1000.0, 1.0, 1))
        if it.code in TARGET_HINTS:
            target = self._spin(it.target, 0.01, 1000.0, 0.05)
            target.setToolTip(tr(TARGET_HINTS[it.code]))
            self.table.setCellWidget(r, 4, target)
        else:
            none = QTableWidgetItem("—")
            none.setFlags(Qt.ItemIsEnabled)
            self.table.setItem(r, 4, none)

    def items(self) -> list[ae.Item]:
        out = []
        for r in range(self.table.rowCount()):
            target = self.table.cellWidget(r, 4)
            out.append(
                ae.Item(
                    self.table.item(r, 0).data(Qt.UserRole),
                    self.table.cellWidget(r, 1).isChecked(),
                    self.table.cellWidget(r, 2).value(),
                    self.table.cellWidget(r, 3).value(),
                    target.value() if isinstance(target, QDoubleSpinBox) else None,
                )
            )
        return out

    def _update_total(self, *_args) -> None:
        total = sum(i.weight * i.full_score for i in self.items() if i.enabled)
        self.message.setStyleSheet("")
        self.message.setText(tr("Weighted full score of the items switched on: {0}", f"{total:g}"))

    def save(self) -> bool:
        items = self.items()
        if not any(i.enabled and i.weight > 0 for i in items):
            self.message.setText(tr("Not saved: switch on at least one item with a weight above 0."))
            self.message.setStyleSheet("color: #c00000;")
            return False
        try:
            loader.save_items(self.conn(), items)
        except Exception as exc:
            self.message.setText(tr("Could not save the assessment items: {0}", _pg_message(exc)))
            self.message.setStyleSheet("color: #c00000;")
            return False
        self.message.setText(tr("Assessment items saved."))
        return True
