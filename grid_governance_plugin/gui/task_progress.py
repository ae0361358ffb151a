"""A progress bar with a Cancel button for the task a dock is running (QgsTask or anything
with progressChanged / cancel): the work stays watchable and stoppable where it was started,
not only in QGIS's task manager."""

from __future__ import annotations

from qgis.core import QgsTask
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ..core.i18n import tr


class TaskProgress(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("GridGovTaskProgress")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("GridGovTaskCancel")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.task: QgsTask | None = None
        self.cancelled = False
        self.setVisible(False)

    def watch(self, task: QgsTask, text: str) -> None:
        """Show ``task``'s progress until it ends."""
        self.task = task
        self.cancelled = False
        self.label.setText(text)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        task.progressChanged.connect(self._progress)
        task.taskCompleted.connect(self._ended)
        task.taskTerminated.connect(self._ended)
        self.setVisible(True)

    def _progress(self, value: float) -> None:
        self.bar.setValue(int(value))

    def _ended(self) -> None:
        self.task = None
        self.setVisible(False)

    def cancel(self) -> None:
        """Ask the running task to stop (the algorithm stops at its next check)."""
        if self.task is not None:
            self.cancelled = True
            self.cancel_button.setEnabled(False)
            self.label.setText(tr("Cancelling…"))
            self.task.cancel()

    def running(self) -> bool:
        return self.task is not None
