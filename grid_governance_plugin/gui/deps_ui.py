"""Missing Python packages in the GUI: the message bar, the docks' banner, the dialog and the install task.

One :class:`DepsState` per QGIS session holds the last check (core/deps.py) and says when it
changes; everything here redraws from it. Install runs core/pipinstall.py in a QgsTask
(progress and cancel in QGIS's task manager and in the dialog). Afterwards the packages'
folder is put on sys.path and the check runs again: the plugin then brings the missing
algorithms and docks in without a restart, or says which package needs one and why.
"""

from __future__ import annotations

import sys

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
)

from ..core import deps, pipinstall, settings
from ..core.i18n import tr
from ..core.log import get_logger

log = get_logger("deps")
SOURCE_KIND, SOURCE_LOCATION = "deps/source_kind", "deps/source_location"


def saved_source() -> pipinstall.Source:
    kind = settings.value(SOURCE_KIND, pipinstall.PYPI)
    if kind not in (pipinstall.PYPI, pipinstall.INDEX, pipinstall.WHEELS):
        kind = pipinstall.PYPI
    return pipinstall.Source(kind, settings.value(SOURCE_LOCATION, ""))


def save_source(source: pipinstall.Source) -> None:
    settings.set_value(SOURCE_KIND, source.kind)
    settings.set_value(SOURCE_LOCATION, source.location)


class InstallTask(QgsTask):
    """pip in a worker thread; ``line`` carries its output to the dialog (queued to the GUI thread)."""

    line = pyqtSignal(str)

    def __init__(self, job: pipinstall.PipInstall) -> None:
        super().__init__(tr("Installing Python packages for Grid governance"), QgsTask.CanCancel)
        self.job = job
        self.outcome: pipinstall.Outcome | None = None

    def run(self) -> bool:
        try:
            self.outcome = self.job.run(progress=self.setProgress, line=self.line.emit, is_canceled=self.isCanceled)
        except Exception as exc:  # never let an exception escape into QGIS's task manager
            self.outcome = pipinstall.Outcome(False, str(exc))
        return self.outcome.ok

    def cancel(self) -> None:
        self.job.cancel()
        super().cancel()


class DepsState(QObject):
    """The session's dependency state; ``changed`` after every check and at install start/end."""

    changed = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self.report = deps.check()
        self.task: InstallTask | None = None
        self.last_outcome: pipinstall.Outcome | None = None
        self.restart_reasons: list[str] = []

    def refresh(self) -> deps.Report:
        deps.activate()
        self.report = deps.check()
        self.changed.emit()
        return self.report

    @property
    def installing(self) -> bool:
        return self.task is not None

    def install(self, source: pipinstall.Source | None = None) -> InstallTask | None:
        """Start installing what is missing (one install at a time); None when nothing is missing."""
        if self.task is not None:
            return self.task
        report = deps.check()
        todo = report.to_install()
        if not todo:
            self.refresh()
            return None
        upgrade = [f.req for f in report.missing() if f.status == deps.TOO_OLD and f.location]
        want_numba = any(r.module in ("numba", "esda", "libpysal") for r in todo)  # hotspots became possible
        job = pipinstall.PipInstall(
            [r for r in todo if r not in upgrade] or todo,
            source or saved_source(),
            upgrade=upgrade,
            warm_up_profile=QgsApplication.qgisSettingsDirPath() if want_numba else None,
        )
        self._before = report
        task = InstallTask(job)
        task.taskCompleted.connect(lambda: self._done(task))
        task.taskTerminated.connect(lambda: self._done(task))
        self.task = task
        QgsApplication.taskManager().addTask(task)
        self.changed.emit()
        return task

    def _done(self, task: InstallTask) -> None:
        if self.task is not task:
            return
        self.task = None
        self.last_outcome = task.outcome or pipinstall.Outcome(False, tr("The install was cancelled."), cancelled=True)
        before = self._before
        report = self.refresh_quietly()
        self.restart_reasons = restart_reasons(before, report) if self.last_outcome.ok else []
        if self.last_outcome.ok:
            still = [f.req.label() for f in report.missing()]
            if still:
                self.last_outcome.ok = False
                self.last_outcome.message = tr(
                    "pip finished but these packages still cannot be found: {0}.", ", ".join(still)
                )
            log.info(self.last_outcome.message)
        else:
            log.warning(self.last_outcome.message)
        self.changed.emit()

    def refresh_quietly(self) -> deps.Report:
        deps.activate()
        self.report = deps.check()
        return self.report


def restart_reasons(before: deps.Report, after: deps.Report) -> list[str]:
    """Why the packages just installed cannot all be used before QGIS restarts."""
    out = []
    for f in before.missing():
        if f.loaded:  # an older copy is already imported: Python cannot swap a loaded library
            out.append(
                tr(
                    "{0} {1} is already loaded in this QGIS session; the new version is used after a restart.",
                    f.req.module,
                    f.version,
                )
            )
    if not before.ok("numba") and after.ok("numba") and "esda" in sys.modules:
        out.append(tr("esda was loaded before numba was installed; hotspots get faster after a restart."))
    return out


_STATE: DepsState | None = None


def state() -> DepsState:
    global _STATE
    if _STATE is None:
        _STATE = DepsState()
    return _STATE


def reset_state() -> None:
    """Forget the session's state (plugin unload, tests)."""
    global _STATE
    _STATE = None


# ----------------------------------------------------------------------------- the banner


class DependencyBanner(QFrame):
    """A dock's notice of missing packages for ``capabilities``, with Install and Details; hidden otherwise.

    Add it to a dock with one line; it follows :func:`state` by itself.
    """

    def __init__(self, capabilities: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GridGovDependencyBanner")
        self.capabilities = tuple(capabilities)
        self.setFrameShape(QFrame.StyledPanel)
        self.setStyleSheet("#GridGovDependencyBanner { background: #fff4ce; border: 1px solid #e0b400; }")
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setObjectName("GridGovDependencyText")
        layout.addWidget(self.label)
        row = QHBoxLayout()
        self.install_button = QPushButton(tr("Install"))
        self.install_button.setObjectName("GridGovDependencyInstall")
        self.install_button.clicked.connect(lambda: open_dialog(self.window(), start=True))
        self.details_button = QPushButton(tr("Details…"))
        self.details_button.clicked.connect(lambda: open_dialog(self.window()))
        row.addWidget(self.install_button)
        row.addWidget(self.details_button)
        row.addStretch(1)
        layout.addLayout(row)
        state().changed.connect(self.update_state)
        self.update_state()

    def missing(self) -> list[deps.Requirement]:
        report = state().report
        out: list[deps.Requirement] = []
        for key in self.capabilities:
            out += [r for r in report.capability_missing(key) if r not in out]
        return out

    def update_state(self) -> None:
        report = state().report
        missing = self.missing()
        if not missing and not state().restart_reasons:
            self.hide()
            return
        lines = []
        for key in self.capabilities:
            need = report.capability_missing(key)
            if need:
                cap = deps.CAPABILITY[key]
                lines.append(tr("{0} needs {1}.", tr(cap.label), ", ".join(r.label() for r in need)))
        if state().installing:
            lines.append(tr("Installing… (see the task manager)"))
        lines += state().restart_reasons
        self.label.setText("\n".join(lines))
        self.install_button.setEnabled(bool(missing) and not state().installing)
        self.show()


# ----------------------------------------------------------------------------- the dialog


class DependencyDialog(QDialog):
    """Every package: needed, found, where, used for; where to install from; Install with progress and log."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GridGovDependencyDialog")
        self.setWindowTitle(tr("Grid governance: Python dependencies"))
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("GridGovDependencySummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("GridGovDependencyTable")
        self.table.setHorizontalHeaderLabels([tr("Package"), tr("Needed"), tr("Found"), tr("Used for"), tr("Where")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.table)

        layout.addWidget(QLabel(tr("Install from:")))
        grid = QGridLayout()
        self.kinds = QButtonGroup(self)
        self.pypi = QRadioButton(tr("The Internet (PyPI)"))
        self.index = QRadioButton(tr("A pip index address (a mirror on the intranet)"))
        self.wheels = QRadioButton(tr("A folder of wheels (made with 'make wheelhouse')"))
        for i, (button, kind) in enumerate(
            ((self.pypi, pipinstall.PYPI), (self.index, pipinstall.INDEX), (self.wheels, pipinstall.WHEELS))
        ):
            button.setProperty("kind", kind)
            self.kinds.addButton(button, i)
            grid.addWidget(button, i, 0)
        self.index_url = QLineEdit()
        self.index_url.setObjectName("GridGovIndexUrl")
        self.index_url.setPlaceholderText(tr("e.g. {0}", "https://mirror.example.cn/pypi/simple"))
        grid.addWidget(self.index_url, 1, 1)
        self.wheel_dir = QLineEdit()
        self.wheel_dir.setObjectName("GridGovWheelFolder")
        browse = QToolButton()
        browse.setText("…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.wheel_dir)
        row.addWidget(browse)
        grid.addLayout(row, 2, 1)
        layout.addLayout(grid)
        source = saved_source()
        {pipinstall.PYPI: self.pypi, pipinstall.INDEX: self.index, pipinstall.WHEELS: self.wheels}[
            source.kind
        ].setChecked(True)
        (self.index_url if source.kind == pipinstall.INDEX else self.wheel_dir).setText(source.location)

        self.where = QLabel(tr("Packages go into {0} (inside your QGIS profile; nothing of QGIS's is changed).",
                               str(deps.prefix_dir())))  # fmt: skip
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.progress = QProgressBar()
        self.progress.setObjectName("GridGovDependencyProgress")
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress)
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("GridGovDependencyLog")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        layout.addWidget(self.log_view)
        self.outcome = QLabel()
        self.outcome.setObjectName("GridGovDependencyOutcome")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)

        buttons = QDialogButtonBox()
        self.install_button = buttons.addButton(tr("Install"), QDialogButtonBox.ActionRole)
        self.install_button.setObjectName("GridGovDependencyDialogInstall")
        self.install_button.clicked.connect(self.start)
        self.cancel_button = buttons.addButton(tr("Cancel install"), QDialogButtonBox.ActionRole)
        self.cancel_button.clicked.connect(self.cancel)
        close = buttons.addButton(QDialogButtonBox.Close)
        close.clicked.connect(self.close)
        layout.addWidget(buttons)
        state().changed.connect(self.update_state)
        self._task = None
        self.update_state()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Folder of wheels"), self.wheel_dir.text())
        if folder:
            self.wheel_dir.setText(folder)
            self.wheels.setChecked(True)

    def source(self) -> pipinstall.Source:
        kind = self.kinds.checkedButton().property("kind") if self.kinds.checkedButton() else pipinstall.PYPI
        location = {pipinstall.INDEX: self.index_url.text().strip(), pipinstall.WHEELS: self.wheel_dir.text().strip()}
        return pipinstall.Source(kind, location.get(kind, ""))

    def start(self) -> None:
        source = self.source()
        problem = source.problem()
        if problem:
            self.outcome.setText(problem)
            return
        save_source(source)
        self.log_view.clear()
        self.outcome.setText("")
        task = state().install(source)
        self._attach(task)

    def _attach(self, task: InstallTask | None) -> None:
        if task is None or task is self._task:
            return
        self._task = task
        task.progressChanged.connect(lambda p: self.progress.setValue(int(p)))
        task.line.connect(self.log_view.appendPlainText)

    def cancel(self) -> None:
        if state().task is not None:
            state().task.cancel()

    def update_state(self) -> None:
        st = state()
        report = st.report
        self.summary.setText(deps.summary(report))
        self.table.setRowCount(len(report.found))
        for row, f in enumerate(report.found.values()):
            found = f.version if f.status != deps.MISSING else tr("missing")
            if f.status == deps.TOO_OLD:
                found = tr("{0} (too old)", f.version)
            cells = [f.req.module, f.req.label(), found, tr(f.req.why) if f.req.why else "", f.location]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not f.ok:
                    item.setForeground(Qt.darkRed if not f.req.optional else Qt.darkYellow)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._attach(st.task)
        self.install_button.setEnabled(not st.installing and bool(report.to_install()))
        self.cancel_button.setEnabled(st.installing)
        if not st.installing and st.last_outcome is not None:
            text = st.last_outcome.message
            if st.restart_reasons:
                text += "\n" + tr("Restart QGIS: {0}", " ".join(st.restart_reasons))
            elif st.last_outcome.ok:
                text += "\n" + tr("Everything is available now; no restart is needed.")
            self.outcome.setText(text)
            if st.last_outcome.ok:
                self.progress.setValue(100)


_DIALOG: DependencyDialog | None = None


def open_dialog(parent=None, start: bool = False) -> DependencyDialog:
    """Show the (single) dependency dialog; ``start`` begins installing from the saved source."""
    global _DIALOG
    if _DIALOG is None:
        _DIALOG = DependencyDialog(parent)
        _DIALOG.destroyed.connect(_forget_dialog)
    _DIALOG.show()
    _DIALOG.raise_()
    if start and not state().installing:
        _DIALOG.start()
    return _DIALOG


def _forget_dialog(*_args) -> None:
    global _DIALOG
    _DIALOG = None


def close_dialog() -> None:
    global _DIALOG
    if _DIALOG is not None:
        _DIALOG.close()
        _DIALOG.deleteLater()
        _DIALOG = None


# ----------------------------------------------------------------------------- the message bar


def show_message_bar(iface) -> object | None:
    """The start-up notice of missing packages with Install and Details (None when nothing is missing)."""
    report = state().report
    text = deps.short_message(report)
    if not text:
        return None
    bar = iface.messageBar()
    item = bar.createMessage(tr("Grid governance"), text)
    item.setObjectName("GridGovDependencyMessage")
    install = QPushButton(tr("Install"))
    install.setObjectName("GridGovMessageInstall")
    install.clicked.connect(lambda: (open_dialog(iface.mainWindow(), start=True), bar.popWidget(item)))
    details = QPushButton(tr("Details…"))
    details.clicked.connect(lambda: open_dialog(iface.mainWindow()))
    item.layout().addWidget(install)
    item.layout().addWidget(details)
    level = Qgis.Warning if not report.complete else Qgis.Info
    bar.pushWidget(item, level, 0)
    return item
