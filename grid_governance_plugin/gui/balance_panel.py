"""The live balance panel: workload figures of the grids being edited and their community.

It listens to the grid layer's edit signals, collects the ids of changed grids and,
50 ms after the last signal (a drag or an undo emits many), recomputes only those
grids through the prebuilt building index (``LiveBalance``), so a refresh stays within
about 100 ms at city scale. Rows are coloured for households outside the tolerance
(setting ``grid_tolerance_pct``, default 20 %) and for grids that fell apart.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import settings
from ..core.i18n import tr
from ..core.log import get_logger
from .balance_adapter import LiveBalance

log = get_logger("balance")
DEBOUNCE_MS = 50
OUT_OF_TOLERANCE = QColor(253, 174, 97)
NOT_CONTIGUOUS = QColor(194, 165, 207)


def tolerance_pct() -> float:
    return float(settings.value("grid_tolerance_pct", 20.0, float))


class BalancePanel(QWidget):
    refreshed = pyqtSignal()  # after each refresh (tests and the e2e probe wait on it)

    COLUMNS = ("code", "households", "population", "buildings", "events", "deviation", "contiguous")

    def __init__(
        self,
        grids_getter: Callable[[], QgsVectorLayer | None],
        buildings_getter: Callable[[], QgsVectorLayer | None],
        events_getter: Callable[[], QgsVectorLayer | None] | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("GridGovBalancePanel")
        self.grids_getter, self.buildings_getter = grids_getter, buildings_getter
        self.events_getter = events_getter or (lambda: None)
        self.layer: QgsVectorLayer | None = None
        self.live: LiveBalance | None = None
        self.pending: set[int] = set()
        self.touched: set[int] = set()  # every grid changed since the panel started
        self.figures: dict[int, dict] = {}  # latest figures by feature id
        self.last_ms = 0.0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.start_button = QPushButton(tr("Start live balance"))
        self.start_button.setObjectName("GridGovBalanceStart")
        self.start_button.setCheckable(True)
        self.start_button.toggled.connect(self._toggled)
        row.addWidget(self.start_button)
        self.summary = QLabel(tr("Live balance is off."))
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("GridGovBalanceTable")
        self.table.setHorizontalHeaderLabels(
            [
                tr("Grid"),
                tr("Households"),
                tr("Population"),
                tr("Buildings"),
                tr("Events"),
                tr("Deviation %"),
                tr("One piece"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        layout.addWidget(self.table)

    # -- lifecycle
    def _toggled(self, on: bool) -> None:
        if on:
            if not self.start():
                self.start_button.blockSignals(True)
                self.start_button.setChecked(False)
                self.start_button.blockSignals(False)
        else:
            self.stop()

    def start(self) -> bool:
        """Build the index for the chosen layers and follow the grid layer's edits."""
        grids, buildings = self.grids_getter(), self.buildings_getter()
        if grids is None or buildings is None:
            self.summary.setText(tr("Choose the grid and building layers first."))
            return False
        self.stop()
        t0 = time.perf_counter()
        try:
            self.live = LiveBalance(grids, buildings, self.events_getter())
        except Exception as exc:  # a CRS error, an unreadable layer: say so, keep QGIS running
            log.warning(str(exc))
            self.summary.setText(tr("The live balance could not start: {0}", str(exc)))
            return False
        self.layer = grids
        for sig in (grids.geometryChanged, grids.featureAdded, grids.featureDeleted):
            sig.connect(self._changed)
        grids.editCommandEnded.connect(self.timer.start)
        grids.afterRollBack.connect(self._rebuild)
        grids.afterCommitChanges.connect(self._rebuild)
        # removed from the project (or a new project opened): nothing left to follow, and a
        # pending refresh must not read the deleted layer
        grids.willBeDeleted.connect(self.stop)
        self.summary.setText(
            tr(
                "Live balance on {0} grid(s), ready in {1} ms. Edit the grids to see figures.",
                len(self.live.fids),
                int((time.perf_counter() - t0) * 1000),
            )
        )
        if not self.start_button.isChecked():
            self.start_button.blockSignals(True)
            self.start_button.setChecked(True)
            self.start_button.blockSignals(False)
        return True

    def stop(self) -> None:
        if self.layer is not None:
            try:
                for sig in (self.layer.geometryChanged, self.layer.featureAdded, self.layer.featureDeleted):
                    sig.disconnect(self._changed)
                self.layer.editCommandEnded.disconnect(self.timer.start)
                self.layer.afterRollBack.disconnect(self._rebuild)
                self.layer.afterCommitChanges.disconnect(self._rebuild)
                self.layer.willBeDeleted.disconnect(self.stop)
            except (TypeError, RuntimeError):  # already gone with the layer
                pass
        self.layer, self.live = None, None
        self.pending.clear()
        self.touched.clear()
        self.timer.stop()
        self.summary.setText(tr("Live balance is off."))
        if self.start_button.isChecked():  # stopped by the layer's removal: the button says so too
            self.start_button.blockSignals(True)
            self.start_button.setChecked(False)
            self.start_button.blockSignals(False)

    def _rebuild(self) -> None:
        # ids of added features change on commit and a rollback drops them: start over
        QTimer.singleShot(0, self.start)

    def _changed(self, fid, *_args) -> None:
        self.pending.add(int(fid))
        self.timer.start()  # restart: debounce

    # -- figures
    def refresh(self) -> None:
        if self.live is None or not self.pending:
            return
        t0 = time.perf_counter()
        changed, self.pending = self.pending, set()
        self.touched |= changed
        result = self.live.update(changed)
        self.figures.update(result)
        for fid in changed:
            if fid not in result and self.live.figures(fid) is None:
                self.figures.pop(fid, None)  # deleted
        self.last_ms = (time.perf_counter() - t0) * 1000
        self._show({f: self.figures[f] for f in result})
        self.refreshed.emit()

    def refresh_now(self) -> None:
        """Refresh without waiting for the debounce (tests, scripted edits)."""
        self.timer.stop()
        self.refresh()

    def _show(self, rows: dict[int, dict]) -> None:
        tol = tolerance_pct()
        order = sorted(rows, key=lambda f: (f not in self.touched, str(self.live.code(f) or f)))
        self.table.setRowCount(len(order))
        bold = QFont()
        bold.setBold(True)
        out, broken = 0, 0
        for r, fid in enumerate(order):
            fig = rows[fid]
            dev = fig["deviation"]
            bad_dev = dev is not None and not math.isnan(dev) and abs(dev) > tol
            out += bad_dev
            broken += not fig["contiguous"]
            values = [
                self.live.code(fid) or str(fid),
                f"{fig['households']:.0f}",
                f"{fig['population']:.0f}",
                str(fig["buildings"]),
                str(fig["events"]),
                "" if dev is None or math.isnan(dev) else f"{dev:+.1f}",
                tr("yes") if fig["contiguous"] else tr("no"),
            ]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.UserRole, fid)
                if c:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if fid in self.touched:
                    item.setFont(bold)
                if not fig["contiguous"]:
                    item.setBackground(QBrush(NOT_CONTIGUOUS))
                elif bad_dev:
                    item.setBackground(QBrush(OUT_OF_TOLERANCE))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        mean = next(iter(rows.values()))["community_mean"] if rows else 0.0
        self.summary.setText(
            tr(
                "Community mean {0:.0f} households; {1} grid(s) outside ±{2:.0f} %, {3} not in one "
                "piece. Refreshed in {4:.0f} ms.",
                mean,
                out,
                tol,
                broken,
                self.last_ms,
            )
        )
