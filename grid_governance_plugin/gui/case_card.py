"""The case card: one case's facts, history, photo link, cameras that see it, and its actions.

Actions are built from ``cases.allowed_transitions(status)``: only steps the database will
accept get a button (the database still checks, whoever calls). Every action asks for a note
and is recorded with the database user as actor.

The closed loop's actions (issue #12) sit in a second row: 吹哨 (escalate now, with a reason),
the case grade, asking to suspend (挂账) or for more time (延期), resuming a suspended case, and
a supervisor's approval or refusal of a pending request (shown as a banner with its reason).
Which of them apply follows ``gridgov.case_transition`` (``core/events/cases.py``); what the
login may do greys the rest out with the reason.

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
    QFrame,
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


def ask_reason(parent: QWidget, title: str) -> tuple[bool, str]:
    """A reason that must be given (吹哨, suspension, extension): (accepted, text)."""
    text, ok = QInputDialog.getMultiLineText(parent, title, tr("Reason (required, recorded in the case history):"))
    return ok, text


def ask_amount(parent: QWidget, title: str, unit: str) -> tuple[bool, float]:
    """How much more time, in the category's unit: (accepted, amount)."""
    days = unit == "working_days"
    value, ok = QInputDialog.getDouble(
        parent,
        title,
        tr("More time, in {0}:", labels.label("time_unit", unit).lower()),
        1.0 if days else 4.0,
        1.0 if days else 0.25,
        8760.0,
        0 if days else 2,
    )
    return ok, value


def ask_choice(parent: QWidget, title: str, items: list[tuple[str, str]], current: str | None) -> tuple[bool, str]:
    """One of ``items`` (code, label): (accepted, code)."""
    names = [text for _code, text in items]
    codes = [code for code, _text in items]
    index = codes.index(current) if current in codes else 0
    text, ok = QInputDialog.getItem(parent, title, tr("Grade:"), names, index, False)
    return ok, codes[names.index(text)] if ok and text in names else ""


def working_late_text(hours_left: Any) -> str:
    """'Overdue 3.5 working h' from the database's hours left (negative: late), '' when in time."""
    if hours_left is None:
        return ""
    late = -float(hours_left)
    if late <= 0:
        return ""
    return tr("Overdue {0} working h", f"{late:.1f}") if late >= 0.1 else tr("Overdue < 0.1 working h")


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
        ("grade", N_("Grade"), False),
        ("escalated", N_("Escalated"), False),
        ("department", N_("Department"), False),
        ("worker", N_("Grid worker"), False),
        ("place", N_("Grid / community / street"), True),
        ("source", N_("Source"), False),
        ("reporter", N_("Reporter"), False),
        ("address", N_("Address"), True),
        ("description", N_("Description"), True),
        ("satisfaction", N_("Callback"), False),
    )
    # values typed by a person or a field channel: plain text, always
    CHANNEL_TEXT = ("reporter", "address", "description")
    # facts shown only when they have a value
    OPTIONAL = ("address", "escalated", "satisfaction")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend = None
        self.case: dict[str, Any] | None = None
        self.ask_note: NoteAsker = ask_note
        # why the actions are greyed out when the source is read-only (the dock sets it)
        self.read_only_reason = tr("Read-only: connect to the PostGIS store to act on cases.")
        self.ask_reason: NoteAsker = ask_reason
        self.ask_amount = ask_amount
        self.ask_choice = ask_choice
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

        # a pending suspension or extension request: its reason and, for a supervisor, the decision
        self.request_box = QFrame()
        self.request_box.setObjectName("case_request")
        self.request_box.setFrameShape(QFrame.StyledPanel)
        self.request_box.setStyleSheet("#case_request { background: #fff4ce; }")
        rlay = QHBoxLayout(self.request_box)
        rlay.setContentsMargins(4, 2, 4, 2)
        self.request_label = QLabel("")
        self.request_label.setObjectName("request_text")
        self.request_label.setTextFormat(Qt.PlainText)  # the handler's reason, as written
        self.request_label.setWordWrap(True)
        rlay.addWidget(self.request_label, 1)
        self.approve_button = QPushButton(tr("Approve"))
        self.approve_button.setObjectName("approve_button")
        self.approve_button.clicked.connect(lambda: self.do_decide(True))
        self.refuse_button = QPushButton(tr("Refuse"))
        self.refuse_button.setObjectName("refuse_button")
        self.refuse_button.clicked.connect(lambda: self.do_decide(False))
        rlay.addWidget(self.approve_button)
        rlay.addWidget(self.refuse_button)
        self.request_box.hide()
        lay.addWidget(self.request_box)

        # the closed loop's actions: 吹哨, grade, 挂账, 延期, resume
        loop = QWidget()
        loop.setObjectName("case_loop_actions")
        loop_row = QHBoxLayout(loop)
        loop_row.setContentsMargins(0, 0, 0, 0)
        loop_row.setSpacing(4)
        self.loop_buttons: dict[str, QPushButton] = {}
        for key, text, tip, slot in (
            (
                "escalate",
                N_("Escalate (吹哨)…"),
                N_("Send the case to the level above now, with a reason."),
                self.do_escalate,
            ),
            (
                "grade",
                N_("Grade…"),
                N_("简易/一般/突出/重大: the grade sets the deadlines; 重大 goes to the street."),
                self.do_grade,
            ),
            (
                "suspend",
                N_("Ask to suspend…"),
                N_("挂账: the clock stops while the case waits (a permit, the weather, a court)."),
                self.do_suspend,
            ),
            (
                "extend",
                N_("Ask for more time…"),
                N_("延期: ask a supervisor for a later deadline, with a reason."),
                self.do_extend,
            ),
            ("resume", N_("Resume"), N_("The case runs again with the working time it had left."), self.do_resume),
        ):
            button = QPushButton(tr(text))
            button.setObjectName(f"{key}_button")
            button.setToolTip(tr(tip))
            button.clicked.connect(lambda _=False, f=slot: f())
            loop_row.addWidget(button)
            self.loop_buttons[key] = button
        loop_row.addStretch(1)
        lay.addWidget(loop)
        self.loop_box = loop

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
        if "hours_left" in c:  # the database's figure, in working hours (core/events/board.case_detail)
            late = working_late_text(c.get("hours_left")) if cases.has_deadline(c.get("status") or "") else ""
        else:  # a GeoPackage layer: no working calendar to ask
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
            "grade": labels.label("grade", c.get("grade") or "ordinary"),
            "escalated": escalated_text(c),
            "satisfaction": labels.label("satisfaction", c.get("satisfaction")),
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
        for key in self.OPTIONAL:
            visible = bool(values[key])
            self.facts[key].setVisible(visible)
            self.fact_labels[key].setVisible(visible)
        self.facts["deadline_at"].setStyleSheet("color: #c00000; font-weight: bold" if late else "")
        self.facts["escalated"].setStyleSheet("color: #b35806; font-weight: bold" if c.get("escalated_to_me") else "")
        if c.get("deadline_pending"):  # a step taken offline: the server's working calendar sets it
            self.facts["deadline_at"].setText(
                " ".join(t for t in (values["deadline_at"], tr("(the server sets the deadline at the next sync)")) if t)
            )
        if c.get("status") == "suspended":
            self.facts["deadline_at"].setText(tr("Suspended: the clock is stopped"))
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
            note = history_note(h.get("note"))
            if h.get("source_at") is not None:  # an upstream system's own time of the change
                note = tr("{0} (at the source: {1})", note, fmt_time(h.get("source_at")))
            state = h.get("sync_state")  # an action taken in an offline copy, not on the server yet
            if state:
                step = f"{step} · {sync_state_text(state)}"
            for col, text in enumerate((fmt_time(h.get("at")), actor, step, note)):
                item = plain_item(text)
                if state:
                    item.setBackground(QColor("#fde2e1" if state in ("conflict", "refused") else "#fff4ce"))
                    item.setToolTip(plain_tooltip(sync_state_tip(state, h.get("sync_message"))))
                self.history.setItem(r, col, item)
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

    def _build_loop_actions(self, c: dict[str, Any] | None, read_only: bool) -> None:
        """Show the closed loop's buttons that apply to the case; grey out, saying why, what does not."""
        self.loop_box.setVisible(c is not None and not read_only and cases.is_open(c["status"]))
        request = c.get("request_id") if c else None
        self.request_box.setVisible(bool(request) and not read_only)
        if c is None or read_only:
            return
        if request:
            kind = c.get("request_kind")
            what = (
                tr("{0} asks to suspend the case: {1}", c.get("requested_by") or "", c.get("request_reason") or "")
                if kind == "suspend"
                else tr(
                    "{0} asks for {1} more {2}: {3}",
                    c.get("requested_by") or "",
                    f"{float(c.get('request_amount') or 0):g}",
                    labels.label("time_unit", c.get("time_unit") or "working_hours").lower(),
                    c.get("request_reason") or "",
                )
            )
            self.request_label.setText(what)
            for b in (self.approve_button, self.refuse_button):
                set_available(b, True)
        status = c["status"]
        can = self._step_allowed
        b = self.loop_buttons
        set_available(
            b["escalate"],
            cases.has_deadline(status) and c.get("level") != "district",
            tr("The case is at district level: there is no level above.")
            if c.get("level") == "district"
            else tr("Only an open case with a running deadline can be escalated."),
        )
        set_available(b["grade"], cases.is_open(status), "")
        pending = tr("A request is waiting for a supervisor's decision.")
        set_available(
            b["suspend"],
            can(status, "suspend") and not request,
            pending if request else tr("Only a case being handled (dispatched) can be suspended."),
        )
        set_available(
            b["extend"],
            can(status, "extend") and not request,
            pending if request else tr("Only a case being handled (dispatched) can be given more time."),
        )
        b["resume"].setVisible(can(status, "resume"))
        b["suspend"].setVisible(not can(status, "resume"))
        b["extend"].setVisible(not can(status, "resume"))

    # the rules the buttons follow: the backend's own (an offline copy's table of steps) when it
    # has them, else the mirror of the database's in core/events/cases.py
    def _allowed_transitions(self, status: str) -> list[str]:
        own = getattr(self.backend, "allowed_transitions", None)
        return own(status) if callable(own) else cases.allowed_transitions(status)

    def _step_allowed(self, status: str, kind: str) -> bool:
        own = getattr(self.backend, "step_allowed", None)
        return own(status, kind) if callable(own) else cases.step_allowed(status, kind)

    def _build_actions(self) -> None:
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.transition_buttons = {}
        c = self.case
        read_only = self.backend is None or getattr(self.backend, "read_only", True)
        self._build_loop_actions(c, read_only)
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
        for to in self._allowed_transitions(c["status"]):
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

    # -- the closed loop ----------------------------------------------------------------
    def _act(self, what: str, call: Callable[[], Any], done: str) -> bool:
        """Run one closed-loop action; refresh and confirm, or say what the database refused."""
        c = self.case
        try:
            call()
        except Exception as exc:
            self.failed.emit(tr("{0}: the database refused: {1}", what, _pg_message(exc)))
            self.show_case(c["id"])
            return False
        self.show_case(c["id"])
        self.changed.emit(c["id"])
        self.confirm(done)
        return True

    def _ready(self) -> dict[str, Any] | None:
        if self.case is None or self.backend is None or getattr(self.backend, "read_only", True):
            return None
        return self.case

    def do_escalate(self) -> bool:
        c = self._ready()
        if c is None:
            return False
        ok, reason = self.ask_reason(self, tr("Escalate (吹哨)"))
        if not ok:
            return False
        if not reason.strip():
            self.failed.emit(tr("Escalating needs a reason: say why the level above must act."))
            return False
        return self._escalate_with(c, reason.strip())

    def _escalate_with(self, c: dict[str, Any], reason: str) -> bool:
        try:
            level = self.backend.escalate(c["id"], reason)
        except Exception as exc:
            self.failed.emit(tr("{0}: the database refused: {1}", tr("Escalate"), _pg_message(exc)))
            self.show_case(c["id"])
            return False
        self.show_case(c["id"])
        self.changed.emit(c["id"])
        self.confirm(tr("Escalated (吹哨): the case went to the {0} level.", labels.label("level", level).lower()))
        return True

    def do_grade(self) -> bool:
        c = self._ready()
        if c is None:
            return False
        ok, grade = self.ask_choice(self, tr("Grade"), labels.choices("grade"), c.get("grade"))
        if not ok or not grade or grade == c.get("grade"):
            return False
        return self._act(
            tr("Grade"),
            lambda: self.backend.set_grade(c["id"], grade),
            tr("Graded {0}: the deadlines follow the grade.", labels.label("grade", grade)),
        )

    def do_suspend(self) -> bool:
        c = self._ready()
        if c is None:
            return False
        ok, reason = self.ask_reason(self, tr("Ask to suspend (挂账)"))
        if not ok:
            return False
        if not reason.strip():
            self.failed.emit(tr("Asking to suspend needs a reason (a permit, the weather, a court…)."))
            return False
        return self._act(
            tr("Ask to suspend"),
            lambda: self.backend.request_suspension(c["id"], reason.strip()),
            tr("Asked to suspend the case; a supervisor decides."),
        )

    def do_extend(self) -> bool:
        c = self._ready()
        if c is None:
            return False
        unit = c.get("time_unit") or "working_hours"
        ok, amount = self.ask_amount(self, tr("Ask for more time (延期)"), unit)
        if not ok:
            return False
        ok, reason = self.ask_reason(self, tr("Ask for more time (延期)"))
        if not ok:
            return False
        if not reason.strip():
            self.failed.emit(tr("Asking for more time needs a reason."))
            return False
        return self._act(
            tr("Ask for more time"),
            lambda: self.backend.request_extension(c["id"], reason.strip(), amount),
            tr("Asked for {0} more {1}; a supervisor decides.", f"{amount:g}", labels.label("time_unit", unit).lower()),
        )

    def do_decide(self, approve: bool) -> bool:
        c = self._ready()
        if c is None or not c.get("request_id"):
            return False
        title = tr("Approve the request") if approve else tr("Refuse the request")
        ok, note = self.ask_note(self, title)
        if not ok:
            return False
        kind = labels.label("request_kind", c.get("request_kind"))
        return self._act(
            title,
            lambda: self.backend.decide(c["request_id"], approve, note or None),
            tr("{0} approved.", kind) if approve else tr("{0} refused.", kind),
        )

    def do_resume(self) -> bool:
        c = self._ready()
        if c is None:
            return False
        ok, note = self.ask_note(self, tr("Resume"))
        if not ok:
            return False
        return self._act(
            tr("Resume"),
            lambda: self.backend.resume(c["id"], note or None),
            tr("Resumed: the clock runs again with the working time the case had left."),
        )


def sync_state_text(state: str) -> str:
    """How a history row of an offline copy stands with the server, in a few words."""
    return {
        "pending": tr("not yet synced"),
        "conflict": tr("conflict at sync"),
        "refused": tr("refused at sync"),
        "blocked": tr("waits for an earlier step in conflict"),
    }.get(state, state)


def sync_state_tip(state: str, message: str | None) -> str:
    """The tooltip of such a row: what happens to it next, and the server's words if any."""
    if state == "pending":
        text = tr("Taken in this offline copy: “Sync an offline copy” sends it to the server.")
    elif state == "conflict":
        text = tr("The case was moved on the server too: resolve the conflict in the offline copy, then sync again.")
    elif state == "refused":
        text = tr("The server refused this action; it is kept here and sent again at the next sync.")
    else:
        text = tr("Sent once the earlier step of this case in conflict is resolved.")
    return f"{text}\n{message}" if message else text


def escalated_text(c: dict[str, Any]) -> str:
    """'Escalated to you 10:05' / 'Escalated 10:05' for a case sent up (吹哨报到), '' otherwise."""
    at = c.get("escalated_at")
    if at is None or not cases.is_open(c.get("status") or ""):
        return ""
    if c.get("escalated_to_me"):
        return tr("Escalated to you, {0}", fmt_time(at))
    return tr("Escalated to {0}, {1}", labels.label("level", c.get("level")).lower(), fmt_time(at))


def _pg_message(exc: Exception) -> str:
    """A database error as a translated sentence that says what to do (core/dberrors.py)."""
    return dberrors.explain(exc)
