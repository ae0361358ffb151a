"""The case card: one case's facts, history, photo link, cameras that see it, and its actions.

Actions are built from ``cases.allowed_transitions(status)``: only steps the database will
accept get a button (the database still checks, whoever calls). Every action asks for a note
and is recorded with the database user as actor.

The card is the supervisor's main view. Its facts come first, in a compact grid a dock of
about 400 px shows without scrolling; history, cameras and assignment share a tab row below.
It shows names (category, department, worker, grid, community, street) with codes as tooltips,
and everything a field channel or a person wrote (description, reporter, address, notes) as
plain text: a description holding HTML is shown literally, never rendered.
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
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import dberrors, labels
from ..core.events import cases
from ..core.i18n import N_, tr
from ..core.labels import history_note
from ..core.labels import label as code_label
from .why import set_available

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


def overdue_text(deadline: Any, status: str | None, now: dt.datetime | None = None) -> str:
    """'Overdue 3 d 4 h' for an open case past its deadline, '' otherwise."""
    if not isinstance(deadline, dt.datetime) or not cases.is_open(status or ""):
        return ""
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=dt.timezone.utc)
    late = (now or dt.datetime.now(dt.timezone.utc)) - deadline
    if late.total_seconds() <= 0:
        return ""
    days, hours = late.days, late.seconds // 3600
    if days:
        return tr("Overdue {0} d {1} h", days, hours)
    return tr("Overdue {0} h", hours) if hours else tr("Overdue < 1 h")


def plain_tooltip(text: str | None) -> str:
    """A tooltip that shows ``text`` literally (Qt renders tooltips that look like HTML as HTML)."""
    if not text:
        return ""
    return Qt.convertFromPlainText(str(text), Qt.WhiteSpaceNormal)


def plain_item(text: Any) -> QTableWidgetItem:
    """A read-only table cell for text someone wrote (item views do not render markup)."""
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    if text:
        item.setToolTip(plain_tooltip(text))
    return item


def photo_html(url: str | None) -> str:
    """A clickable link for web media only (no file: or javascript: links from field channels)."""
    if not url:
        return html.escape(tr("No photo"))
    safe = html.escape(url, quote=True)
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{safe}">{html.escape(tr("Open photo / media"))}</a>'
    return safe


def category_text(c: dict[str, Any]) -> str:
    """'Major / minor' names of the category, the code when it has none."""
    names = [str(v) for v in (c.get("major"), c.get("minor")) if v]
    return " / ".join(names) if names else str(c.get("category_code") or "")


def department_text(code: Any, name: Any = None) -> str:
    return str(name) if name else labels.label("department", code)


def place_text(c: dict[str, Any]) -> str:
    """Grid, community and street by name (code where the name is unknown)."""
    parts = []
    for name_key, code_key in (
        ("grid_name", "grid_code"),
        ("community_name", "community_code"),
        ("street_name", "street_code"),
    ):
        value = c.get(name_key) or c.get(code_key)
        if value:
            parts.append(str(value))
    return " · ".join(parts) if parts else "–"


class CaseCard(QWidget):
    """Shows one case; emits ``changed(event_id)`` after an action succeeded.

    ``confirmed(message)`` says what the action did ("Case 占道经营 dispatched"); the card also
    shows that line itself until another case is shown.
    """

    changed = pyqtSignal(str)
    failed = pyqtSignal(str)
    confirmed = pyqtSignal(str)

    # (key, label, spans both columns)
    FACTS = (
        ("category", N_("Category"), True),
        ("status", N_("Status"), False),
        ("level", N_("Level"), False),
        ("reported_at", N_("Reported"), False),
        ("deadline_at", N_("Deadline"), False),
        ("department", N_("Department"), False),
        ("worker", N_("Grid worker"), False),
        ("place", N_("Grid / community / street"), True),
        ("source", N_("Source"), False),
        ("reporter", N_("Reporter"), False),
        ("address", N_("Address"), True),
        ("description", N_("Description"), True),
    )
    # values typed by a person or a field channel: plain text, always
    CHANNEL_TEXT = ("reporter", "address", "description")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend = None
        self.case: dict[str, Any] | None = None
        self.ask_note: NoteAsker = ask_note
        # why the actions are greyed out when the source is read-only (the dock sets it)
        self.read_only_reason = tr("Read-only: connect to the PostGIS store to act on cases.")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(4)
        self.title = QLabel(tr("No case selected"))
        self.title.setObjectName("case_title")
        self.title.setTextFormat(Qt.PlainText)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt")
        lay.addWidget(self.title)
        self.confirmation = QLabel("")
        self.confirmation.setObjectName("case_confirmation")
        self.confirmation.setTextFormat(Qt.PlainText)
        self.confirmation.setWordWrap(True)
        self.confirmation.setStyleSheet("color: #1a7f37; font-weight: bold")
        self.confirmation.hide()
        lay.addWidget(self.confirmation)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.facts: dict[str, QLabel] = {}
        self.fact_labels: dict[str, QLabel] = {}
        row, col = 0, 0
        for key, label, wide in self.FACTS:
            name = QLabel(tr(label))
            name.setObjectName(f"fact_label_{key}")
            name.setStyleSheet("color: #555555")
            name.setAlignment(Qt.AlignLeft | Qt.AlignTop)
            value = QLabel("")
            value.setObjectName(f"fact_{key}")
            value.setTextFormat(Qt.PlainText)  # never render what a channel wrote
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # wrap, do not widen the dock
            value.setMinimumWidth(40)
            if wide:
                if col:
                    row, col = row + 1, 0
                grid.addWidget(name, row, 0)
                grid.addWidget(value, row, 1, 1, 3)
                row += 1
            else:
                grid.addWidget(name, row, col)
                grid.addWidget(value, row, col + 1)
                col += 2
                if col == 4:
                    row, col = row + 1, 0
            self.facts[key] = value
            self.fact_labels[key] = name
        if col:
            row += 1
        self.facts["description"].setMaximumHeight(16 * self.fontMetrics().height())
        photo_name = QLabel(tr("Photo"))
        photo_name.setStyleSheet("color: #555555")
        self.photo = QLabel("")
        self.photo.setObjectName("photo_link")
        self.photo.setTextFormat(Qt.RichText)  # our own markup around an escaped web link only
        self.photo.setOpenExternalLinks(True)
        grid.addWidget(photo_name, row, 0)
        grid.addWidget(self.photo, row, 1, 1, 3)
        lay.addLayout(grid)

        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(4)
        actions = QWidget()
        actions.setObjectName("case_actions")
        actions.setLayout(self.actions_row)
        lay.addWidget(actions)
        self.actions_box = actions
        self.transition_buttons: dict[str, QWidget] = {}

        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tabs.setDocumentMode(True)
        self.history = QTableWidget(0, 4)
        self.history.setObjectName("case_history")
        self.history.setHorizontalHeaderLabels([tr("Time"), tr("Who"), tr("Step"), tr("Note")])
        self.history.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        header = self.history.horizontalHeader()
        for col_ in range(3):
            header.setSectionResizeMode(col_, QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.history.setWordWrap(True)
        self.tabs.addTab(self.history, tr("History"))
        self.cameras = QListWidget()
        self.cameras.setObjectName("case_cameras")
        self.cameras.setToolTip(
            tr("Cameras whose view of this place no building blocks, as the coverage analysis sees it.")
        )
        self.tabs.addTab(self.cameras, tr("Cameras that see this place"))

        assign_page = QWidget()
        arow = QGridLayout(assign_page)
        self.department_box = QComboBox()
        self.department_box.setObjectName("assign_department")
        self.worker_box = QComboBox()
        self.worker_box.setObjectName("assign_worker")
        self.assign_button = QPushButton(tr("Assign"))
        self.assign_button.setObjectName("assign_button")
        self.assign_button.clicked.connect(self.do_assign)
        arow.addWidget(QLabel(tr("Department")), 0, 0)
        arow.addWidget(self.department_box, 0, 1)
        arow.addWidget(QLabel(tr("Grid worker")), 1, 0)
        arow.addWidget(self.worker_box, 1, 1)
        arow.addWidget(self.assign_button, 2, 1, Qt.AlignRight)
        arow.setRowStretch(3, 1)
        self.tabs.addTab(assign_page, tr("Assignment"))
        self.assign_group = assign_page
        self.tabs.setMinimumHeight(110)
        lay.addWidget(self.tabs, 1)
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
                self.department_box.addItem(department_text(code, name if name != code else None), code)
            for wid, name in looks.get("worker", []):
                self.worker_box.addItem(f"{name} ({wid})" if name and name != wid else str(wid), wid)
        self.show_case(None)

    def show_case(self, event_id: str | None, keep_confirmation: bool = False) -> None:
        """Load and show a case (None: empty card)."""
        self.case = self.backend.detail(event_id) if (self.backend is not None and event_id) else None
        c = self.case
        if not keep_confirmation:
            self.confirmation.hide()
            self.confirmation.setText("")
        for label in self.facts.values():
            label.setText("")
            label.setToolTip("")
        self.history.setRowCount(0)
        self.cameras.clear()
        self._build_actions()
        if c is None:
            self.title.setText(tr("No case selected"))
            self.photo.setText("")
            return
        late = overdue_text(c.get("deadline_at"), c.get("status"))
        self.title.setText(
            " · ".join(v for v in (c.get("minor") or category_text(c), cases.state_label(c["status"]), late) if v)
        )
        values = {
            "category": category_text(c),
            "status": cases.state_label(c["status"]),
            "level": labels.label("level", c.get("level")),
            "reported_at": fmt_time(c.get("reported_at")),
            "deadline_at": fmt_time(c.get("deadline_at")) + (f"  {late}" if late else ""),
            "department": department_text(c.get("department"), c.get("department_name")),
            "worker": str(c.get("worker_name") or c.get("worker_id") or ""),
            "place": place_text(c),
            "source": labels.label("event_source", c.get("source")),
            "reporter": str(c.get("reporter") or ""),
            "address": str(c.get("address") or ""),
            "description": str(c.get("description") or ""),
        }
        codes = {
            "category": c.get("category_code"),
            "worker": c.get("worker_id"),
            "place": " / ".join(str(c.get(k) or "–") for k in ("grid_code", "community_code", "street_code")),
            "source": c.get("external_id"),  # the channel's own id of the report, for a call back
        }
        for key, text in values.items():
            self.facts[key].setText(text)
            tip = codes.get(key) or (text if key in self.CHANNEL_TEXT else "")
            self.facts[key].setToolTip(plain_tooltip(tip))
        for key in ("address",):
            visible = bool(values[key])
            self.facts[key].setVisible(visible)
            self.fact_labels[key].setVisible(visible)
        self.facts["deadline_at"].setStyleSheet("color: #c00000; font-weight: bold" if late else "")
        self.photo.setText(photo_html(c.get("media_url")))
        for h in self.backend.history(c["id"]):
            r = self.history.rowCount()
            self.history.insertRow(r)
            step = (
                f"{cases.state_label(h['from_status'])} → {cases.state_label(h['to_status'])}"
                if h.get("from_status") and h["from_status"] != h["to_status"]
                else cases.state_label(h["to_status"])
            )
            actor = code_label("actor", h.get("actor"))
            for col, text in enumerate((fmt_time(h.get("at")), actor, step, history_note(h.get("note")))):
                self.history.setItem(r, col, plain_item(text))
        self.history.resizeRowsToContents()
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
        self.tabs.setTabText(1, tr("Cameras that see this place") + f" ({len(seen)})")

    def _camera_item(self, cam: dict[str, Any]) -> QListWidgetItem:
        item = QListWidgetItem(
            tr(
                "{0} ({1}, {2}) – {3} m",
                cam.get("name") or cam.get("device_id") or cam.get("id"),
                cam.get("system") or "–",
                cam.get("status_label") or labels.label("camera_status", cam.get("status")) or "–",
                f"{cam.get('distance_m') or 0:.0f}",
            )
        )
        item.setData(Qt.UserRole, cam.get("id"))
        item.setToolTip(cam.get("device_id") or "")
        self.cameras.addItem(item)
        return item

    def _build_actions(self) -> None:
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.transition_buttons = {}
        c = self.case
        read_only = self.backend is None or getattr(self.backend, "read_only", True)
        if c is None:
            set_available(self.assign_group, False, tr("Select a case first."))
            return
        if read_only:
            set_available(self.assign_group, False, self.read_only_reason)
        else:
            set_available(
                self.assign_group,
                cases.is_open(c["status"]),
                tr("The case is {0}: it can no longer be assigned.", cases.state_label(c["status"])),
            )
        for to in cases.allowed_transitions(c["status"]):
            button = QPushButton(cases.action_label(c["status"], to))
            button.setObjectName(f"transition_{to}")
            set_available(button, not read_only, self.read_only_reason)
            button.clicked.connect(lambda _=False, target=to: self.do_transition(target))
            self.actions_row.addWidget(button)
            self.transition_buttons[to] = button
        if not self.transition_buttons:
            label = QLabel(tr("No further step: the case is {0}.", cases.state_label(c["status"])))
            label.setObjectName("transition_none")
            self.actions_row.addWidget(label)
            self.transition_buttons[""] = label
        self.actions_row.addStretch(1)
        restrict = getattr(self.backend, "restrict_actions", None)
        if callable(restrict):  # grey out, with the reason, what the login may not do (docs/roles.md)
            restrict(self)

    def confirm(self, message: str) -> None:
        self.confirmation.setText("✓ " + message)
        self.confirmation.show()
        self.confirmed.emit(message)

    # -- actions -----------------------------------------------------------------------
    def do_transition(self, to_status: str) -> bool:
        c = self.case
        if c is None or self.backend is None or self.backend.read_only:
            return False
        action = cases.action_label(c["status"], to_status)
        ok, note = self.ask_note(self, action)
        if not ok:
            return False
        try:
            # the version the user is looking at: a case moved meanwhile is refused, saying by whom
            seen = {"seen_version": c["version"]} if c.get("version") is not None else {}
            self.backend.transition(c["id"], to_status, note or None, **seen)
        except Exception as exc:
            self.failed.emit(tr("The database refused the step: {0}", _pg_message(exc)))
            self.show_case(c["id"])
            return False
        self.show_case(c["id"])
        self.changed.emit(c["id"])  # the list follows first; then the card says what happened
        self.confirm(
            tr(
                "{0}: the case went from {1} to {2} at {3}.",
                action,
                cases.state_label(c["status"]),
                cases.state_label(to_status),
                dt.datetime.now().strftime("%H:%M"),
            )
        )
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
            seen = {"seen_version": c["version"]} if c.get("version") is not None else {}
            self.backend.assign(c["id"], dept, worker, note or None, **seen)
        except Exception as exc:
            self.failed.emit(tr("The assignment failed: {0}", _pg_message(exc)))
            return False
        who = ", ".join(
            box.currentText() for box, value in ((self.department_box, dept), (self.worker_box, worker)) if value
        )
        self.show_case(c["id"])
        self.changed.emit(c["id"])
        self.confirm(tr("Assigned to {0}.", who))
        return True


def _pg_message(exc: Exception) -> str:
    """A database error as a translated sentence that says what to do (core/dberrors.py)."""
    return dberrors.explain(exc)
