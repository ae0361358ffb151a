"""The case card: one case's facts, history, photo link, cameras that see it, and its actions.

Actions are built from ``cases.allowed_transitions(status)``: only steps the database will
accept get a button (the database still checks, whoever calls). Every action asks for a note
and is recorded with the database user as actor.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.events import cases
from ..core.i18n import N_, tr

NoteAsker = Callable[[QWidget, str], "tuple[bool, str]"]


def ask_note(parent: QWidget, title: str) -> tuple[bool, str]:
    """The note dialog: (accepted, text)."""
    text, ok = QInputDialog.getMultiLineText(parent, title, tr("Note (recorded in the case history):"))
    return ok, text


def fmt_time(value: Any) -> str:
    """Local time, minutes: what a supervisor reads."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return str(value)


def photo_html(url: str | None) -> str:
    """A clickable link for web media only (no file: or javascript: links from field channels)."""
    if not url:
        return tr("No photo")
    safe = html.escape(url, quote=True)
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{safe}">{html.escape(tr("Open photo / media"))}</a>'
    return safe


class CaseCard(QWidget):
    """Shows one case; emits ``changed(event_id)`` after an action succeeded."""

    changed = pyqtSignal(str)
    failed = pyqtSignal(str)

    FACTS = (
        ("category", N_("Category")),
        ("status", N_("Status")),
        ("level", N_("Level")),
        ("reported_at", N_("Reported")),
        ("deadline_at", N_("Deadline")),
        ("department", N_("Department")),
        ("worker", N_("Grid worker")),
        ("place", N_("Grid / community / street")),
        ("source", N_("Source")),
        ("reporter", N_("Reporter")),
        ("description", N_("Description")),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend = None
        self.case: dict[str, Any] | None = None
        self.ask_note: NoteAsker = ask_note
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(tr("No case selected"))
        self.title.setStyleSheet("font-weight: bold")
        lay.addWidget(self.title)
        form = QFormLayout()
        self.facts: dict[str, QLabel] = {}
        for key, label in self.FACTS:
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setObjectName(f"fact_{key}")
            self.facts[key] = value
            form.addRow(tr(label), value)
        self.photo = QLabel("")
        self.photo.setObjectName("photo_link")
        self.photo.setTextFormat(Qt.RichText)
        self.photo.setOpenExternalLinks(True)
        form.addRow(tr("Photo"), self.photo)
        lay.addLayout(form)

        self.actions_box = QGroupBox(tr("Actions"))
        self.actions_row = QHBoxLayout(self.actions_box)
        lay.addWidget(self.actions_box)
        self.transition_buttons: dict[str, QPushButton] = {}

        assign_box = QGroupBox(tr("Assignment"))
        arow = QHBoxLayout(assign_box)
        self.department_box = QComboBox()
        self.department_box.setObjectName("assign_department")
        self.worker_box = QComboBox()
        self.worker_box.setObjectName("assign_worker")
        self.assign_button = QPushButton(tr("Assign"))
        self.assign_button.setObjectName("assign_button")
        self.assign_button.clicked.connect(self.do_assign)
        arow.addWidget(self.department_box, 1)
        arow.addWidget(self.worker_box, 1)
        arow.addWidget(self.assign_button)
        lay.addWidget(assign_box)
        self.assign_group = assign_box

        lay.addWidget(QLabel(tr("History")))
        self.history = QTableWidget(0, 4)
        self.history.setObjectName("case_history")
        self.history.setHorizontalHeaderLabels([tr("Time"), tr("Who"), tr("Step"), tr("Note")])
        self.history.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.history)
        lay.addWidget(QLabel(tr("Cameras that see this place")))
        self.cameras = QListWidget()
        self.cameras.setObjectName("case_cameras")
        self.cameras.setToolTip(
            tr("Cameras whose view of this place no building blocks, as the coverage analysis sees it.")
        )
        self.cameras.setMaximumHeight(90)
        lay.addWidget(self.cameras)
        self.set_backend(None)

    # -- data --------------------------------------------------------------------------
    def set_backend(self, backend) -> None:
        self.backend = backend
        self.department_box.clear()
        self.worker_box.clear()
        self.department_box.addItem(tr("(department unchanged)"), None)
        self.worker_box.addItem(tr("(worker unchanged)"), None)
        if backend is not None:
            looks = backend.lookups()
            for code, name in looks.get("department", []):
                self.department_box.addItem(f"{code} {name or ''}".strip(), code)
            for wid, name in looks.get("worker", []):
                self.worker_box.addItem(f"{wid} {name or ''}".strip(), wid)
        self.show_case(None)

    def show_case(self, event_id: str | None) -> None:
        """Load and show a case (None: empty card)."""
        self.case = self.backend.detail(event_id) if (self.backend is not None and event_id) else None
        c = self.case
        for label in self.facts.values():
            label.setText("")
        self.history.setRowCount(0)
        self.cameras.clear()
        self._build_actions()
        if c is None:
            self.title.setText(tr("No case selected"))
            self.photo.setText("")
            return
        self.title.setText(f"{c.get('minor') or c.get('category_code') or ''} · {cases.state_label(c['status'])}")
        overdue = (
            c.get("deadline_at") is not None
            and cases.is_open(c["status"])
            and c["deadline_at"] < dt.datetime.now(dt.timezone.utc)
        )
        values = {
            "category": " / ".join(str(v) for v in (c.get("category_code"), c.get("major"), c.get("minor")) if v),
            "status": cases.state_label(c["status"]),
            "level": c.get("level") or "",
            "reported_at": fmt_time(c.get("reported_at")),
            "deadline_at": fmt_time(c.get("deadline_at")) + ("  " + tr("OVERDUE") if overdue else ""),
            "department": " ".join(str(v) for v in (c.get("department"), c.get("department_name")) if v),
            "worker": " ".join(str(v) for v in (c.get("worker_id"), c.get("worker_name")) if v),
            "place": " / ".join(
                str(v or "–") for v in (c.get("grid_code"), c.get("community_code"), c.get("street_code"))
            ),
            "source": " ".join(str(v) for v in (c.get("source"), c.get("external_id")) if v),
            "reporter": c.get("reporter") or "",
            "description": c.get("description") or "",
        }
        for key, text in values.items():
            self.facts[key].setText(text)
        self.facts["deadline_at"].setStyleSheet("color: #c00000; font-weight: bold" if overdue else "")
        self.photo.setText(photo_html(c.get("media_url")))
        for h in self.backend.history(c["id"]):
            r = self.history.rowCount()
            self.history.insertRow(r)
            step = (
                f"{cases.state_label(h['from_status'])} → {cases.state_label(h['to_status'])}"
                if h.get("from_status") and h["from_status"] != h["to_status"]
                else cases.state_label(h["to_status"])
            )
            for col, text in enumerate((fmt_time(h.get("at")), h.get("actor") or "", step, h.get("note") or "")):
                self.history.setItem(r, col, QTableWidgetItem(text))
        try:
            seen = self.backend.cameras(c["id"])
        except Exception as exc:  # cameras are a help, not a reason to hide the case
            seen = []
            self.cameras.addItem(tr("Cameras could not be read: {0}", str(exc).strip()))
        self.show_cameras(seen)

    def show_cameras(self, seen: list[dict[str, Any]]) -> None:
        """Working cameras first; offline, faulty and obstructed ones apart, under a heading."""
        working = [c for c in seen if c.get("available")]
        others = [c for c in seen if not c.get("available")]
        for cam in working:
            self._camera_item(cam)
        if others:
            heading = QListWidgetItem(tr("Not working now, no footage:"))
            heading.setFlags(Qt.NoItemFlags)
            self.cameras.addItem(heading)
            for cam in others:
                self._camera_item(cam).setForeground(QColor("#999999"))
        if not seen and self.cameras.count() == 0:
            self.cameras.addItem(tr("No camera sees this place."))

    def _camera_item(self, cam: dict[str, Any]) -> QListWidgetItem:
        item = QListWidgetItem(
            tr(
                "{0} ({1}, {2}) – {3} m",
                cam.get("name") or cam.get("device_id") or cam.get("id"),
                cam.get("system") or "–",
                cam.get("status_label") or cam.get("status") or "–",
                f"{cam.get('distance_m') or 0:.0f}",
            )
        )
        item.setData(Qt.UserRole, cam.get("id"))
        item.setToolTip(cam.get("device_id") or "")
        self.cameras.addItem(item)
        return item

    def _build_actions(self) -> None:
        for button in self.transition_buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.transition_buttons = {}
        c = self.case
        read_only = self.backend is None or getattr(self.backend, "read_only", True)
        self.assign_group.setEnabled(bool(c) and not read_only and cases.is_open(c["status"]))
        if c is None:
            return
        for to in cases.allowed_transitions(c["status"]):
            button = QPushButton(cases.action_label(c["status"], to))
            button.setObjectName(f"transition_{to}")
            button.setEnabled(not read_only)
            if read_only:
                button.setToolTip(tr("Read-only: connect to the PostGIS store to act on cases."))
            button.clicked.connect(lambda _=False, target=to: self.do_transition(target))
            self.actions_row.addWidget(button)
            self.transition_buttons[to] = button
        if not self.transition_buttons:
            label = QLabel(tr("No further step: the case is {0}.", cases.state_label(c["status"])))
            label.setObjectName("transition_none")
            self.actions_row.addWidget(label)
            self.transition_buttons[""] = label

    # -- actions -----------------------------------------------------------------------
    def do_transition(self, to_status: str) -> bool:
        c = self.case
        if c is None or self.backend is None or self.backend.read_only:
            return False
        ok, note = self.ask_note(self, cases.action_label(c["status"], to_status))
        if not ok:
            return False
        try:
            self.backend.transition(c["id"], to_status, note or None)
        except Exception as exc:
            self.failed.emit(tr("The database refused the step: {0}", _pg_message(exc)))
            self.show_case(c["id"])
            return False
        self.show_case(c["id"])
        self.changed.emit(c["id"])
        return True

    def do_assign(self) -> bool:
        c = self.case
        dept, worker = self.department_box.currentData(), self.worker_box.currentData()
        if c is None or self.backend is None or self.backend.read_only or (dept is None and worker is None):
            return False
        ok, note = self.ask_note(self, tr("Assign"))
        if not ok:
            return False
        try:
            self.backend.assign(c["id"], dept, worker, note or None)
        except Exception as exc:
            self.failed.emit(tr("The assignment failed: {0}", _pg_message(exc)))
            return False
        self.show_case(c["id"])
        self.changed.emit(c["id"])
        return True


def _pg_message(exc: Exception) -> str:
    """The first line of a database error (its primary message), else the exception text."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    return (primary or str(exc)).strip().splitlines()[0] if (primary or str(exc)).strip() else type(exc).__name__
