"""The case card's closed-loop buttons as a supervisor presses them: 挂账 (suspend) and 恢复办理 (resume),
延期 (more time), 吹哨 (escalate by hand), and a refusal that reads as Chinese (issue #9, #12).

A real PostGIS, a real supervisor login limited to its street, the events dock in Chinese. Each
button is pressed and its dialog filled and confirmed as the user does it (the real QInputDialog);
the card and the database must then show what happened.
"""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from grid_governance_plugin.core.events import board, cases
from grid_governance_plugin.gui.case_card import fmt_time
from grid_governance_plugin.gui.events_dock import EventsDock
from tests.db import city
from tests.e2e.visible_text import english_words
from tests.helpers import report_event

pytestmark = pytest.mark.postgis
UTC = dt.timezone.utc


class Answers:
    """The user fills the dialogs the next click opens, one after the other, and presses OK in each:
    a text (a reason, a note) or a number (how much more time)."""

    def __init__(self, *replies):
        self.left = list(replies)
        self.seen: list[tuple[str, str]] = []  # (title, label) of each dialog answered
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QInputDialog) and self.left and dialog.isVisible():
            reply = self.left.pop(0)
            self.seen.append((dialog.windowTitle(), dialog.labelText()))
            if isinstance(reply, float):
                dialog.setDoubleValue(reply)
            else:
                dialog.setTextValue(reply)
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
        if self.left:
            QTimer.singleShot(10, self._poll)

    def done(self) -> list[tuple[str, str]]:
        left, self.left = self.left, []  # no poll outlives the click
        assert left == [], f"these dialogs did not open: {left}"
        return self.seen


@pytest.fixture
def town(db):
    """Street A of tests/db/city.py with three cases being handled (dispatched) at community level."""
    city.seed(db)
    ids = {}
    for name in ("suspend", "extend", "whistle"):
        eid = report_event(db, name, lon=city.A["lon"], lat=city.A["lat"], description="人行道上堆放建筑垃圾")
        with db.cursor() as cur:
            cur.execute("SELECT gridgov.transition(%s, 'registered', 'desk', NULL)", (eid,))
            cur.execute("SELECT gridgov.transition(%s, 'dispatched', 'desk', NULL)", (eid,))
        ids[name] = eid
    return ids


@pytest.fixture
def supervisor(qgis_iface, town, logins, chinese):
    """The events dock of a real supervisor login of street A, in Chinese, listing the town's cases."""
    login = logins("supervisor", areas=[city.A["street"]])
    dock = EventsDock(qgis_iface, None, connection=login.dsn)
    dock.period.setCurrentIndex(dock.period.findData("all"))
    dock.refresh()
    dock.login = login
    yield dock
    dock.cleanup()
    dock.deleteLater()


def _row(db, sql: str, *args):
    with db.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()


def _press(dock, button, *replies) -> list[tuple[str, str]]:
    """Press a card button (enabled, as the user finds it) and answer the dialogs it opens."""
    assert button.isVisible() or button.isVisibleTo(dock.card), button.objectName()
    assert button.isEnabled(), (button.objectName(), button.toolTip())
    answers = Answers(*replies)
    button.click()
    return answers.done()


def test_suspend_stops_the_clock_and_resume_restarts_it(supervisor, town, db):
    dock, eid = supervisor, town["suspend"]
    assert dock.select_case(eid)
    card = dock.card
    # 挂账: the reason in its dialog
    seen = _press(dock, card.loop_buttons["suspend"], "等待燃气公司施工许可")
    assert seen == [("申请挂账", "理由（必填，记入案件历史）：")]
    request, kind, reason, decision = _row(
        db, "SELECT id, kind, reason, decision FROM gridgov.case_request WHERE event_id = %s", eid
    )
    assert (kind, reason, decision) == ("suspend", "等待燃气公司施工许可", None)
    assert card.request_box.isVisibleTo(card) and "等待燃气公司施工许可" in card.request_label.text()
    assert dock.login.name in card.request_label.text()  # who asked
    assert "已申请挂账" in card.confirmation.text()
    # a supervisor approves it: the clock stops, the working time left is kept
    _press(dock, card.approve_button, "同意挂账")
    status, left, approved = _row(
        db,
        "SELECT e.status, r.remaining_hours, r.decision FROM gridgov.event e JOIN gridgov.case_request r"
        " ON r.event_id = e.id WHERE r.id = %s",
        request,
    )
    assert (status, approved) == ("suspended", "approved") and left > 0
    assert _row(db, "SELECT gridgov.is_overdue(status, deadline_at, now() + interval '365 days') FROM gridgov.event"
                " WHERE id = %s", eid)[0] is False  # fmt: skip
    assert card.case["status"] == "suspended"
    assert card.facts["status"].text() == cases.state_label("suspended")
    assert card.facts["deadline_at"].text() == "已挂账：停止计时"
    assert not card.request_box.isVisibleTo(card)
    assert card.loop_buttons["resume"].isVisibleTo(card) and not card.loop_buttons["suspend"].isVisibleTo(card)
    row = next(r for r in range(dock.proxy.rowCount()) if dock.proxy.index(r, 0).data(dock.model.ID_ROLE) == eid)
    assert dock.proxy.index(row, dock.model.column("deadline_at")).data() == "已挂账"  # the list too
    # 恢复办理: the clock runs again with the time that was left
    before = dt.datetime.now(UTC)
    _press(dock, card.loop_buttons["resume"], "许可已批，继续处置")
    status, deadline, resumed = _row(
        db,
        "SELECT e.status, e.deadline_at, r.resumed_at FROM gridgov.event e JOIN gridgov.case_request r"
        " ON r.event_id = e.id WHERE r.id = %s",
        request,
    )
    assert status == "dispatched" and resumed is not None and deadline > before
    expected = _row(db, "SELECT gridgov.add_working_hours(%s, %s)", resumed, left)[0]
    assert abs((deadline - expected).total_seconds()) < 1
    assert card.case["status"] == "dispatched" and card.facts["deadline_at"].text().startswith(fmt_time(deadline))
    assert card.loop_buttons["suspend"].isVisibleTo(card) and not card.loop_buttons["resume"].isVisibleTo(card)
    assert "已恢复办理" in card.confirmation.text()
    notes = [card.history.item(r, 3).text() for r in range(card.history.rowCount())]
    assert any("等待燃气公司施工许可" in n for n in notes) and any("许可已批，继续处置" in n for n in notes), notes


def test_more_time_moves_the_deadline(supervisor, town, db):
    dock, eid = supervisor, town["extend"]
    old = _row(db, "SELECT deadline_at FROM gridgov.event WHERE id = %s", eid)[0]
    assert dock.select_case(eid)
    card = dock.card
    # 延期: how much more, in the category's unit, then why
    seen = _press(dock, card.loop_buttons["extend"], 6.0, "需协调供电公司停电后施工")
    assert [title for title, _label in seen] == ["申请延期", "申请延期"]
    assert seen[0][1].startswith("延长时间") and seen[1][1].startswith("理由")
    request, amount = _row(db, "SELECT id, amount FROM gridgov.case_request WHERE event_id = %s", eid)
    assert amount == 6.0
    assert "需协调供电公司停电后施工" in card.request_label.text() and "6" in card.request_label.text()
    _press(dock, card.approve_button, "")
    new, decision = _row(
        db,
        "SELECT e.deadline_at, r.decision FROM gridgov.event e JOIN gridgov.case_request r ON r.event_id = e.id"
        " WHERE r.id = %s",
        request,
    )
    expected = _row(
        db,
        "SELECT gridgov.add_case_time(%s, 6, c.time_unit) FROM gridgov.event_category c WHERE c.code = 'SJ0102'",
        old,
    )[0]
    assert decision == "approved" and new == expected and new > old
    assert card.facts["deadline_at"].text().startswith(fmt_time(new))
    assert "延期已批准" in card.confirmation.text() and not card.request_box.isVisibleTo(card)
    assert card.case["status"] == "dispatched"


def test_whistle_sends_the_case_up_with_its_reason(supervisor, town, db):
    dock, eid = supervisor, town["whistle"]
    assert dock.select_case(eid)
    card = dock.card
    assert card.facts["level"].text() == "社区" and not card.facts["escalated"].isVisibleTo(card)
    seen = _press(dock, card.loop_buttons["escalate"], "占道经营反复发生，需街道城管执法队联合执法")
    assert seen == [("吹哨报到", "理由（必填，记入案件历史）：")]
    level, escalated_at = _row(db, "SELECT level, escalated_at FROM gridgov.event WHERE id = %s", eid)
    assert level == "street" and escalated_at is not None
    assert _row(db, "SELECT from_level, to_level, kind, reason, login FROM gridgov.case_escalation WHERE event_id = %s",
                eid) == ("community", "street", "manual", "占道经营反复发生，需街道城管执法队联合执法",
                         dock.login.name)  # fmt: skip
    assert card.facts["level"].text() == "街道"
    assert card.facts["escalated"].isVisibleTo(card) and fmt_time(escalated_at) in card.facts["escalated"].text()
    assert card.confirmation.text() == "✓ 已吹哨：案件升至街道级。"
    notes = [card.history.item(r, 3).text() for r in range(card.history.rowCount())]
    assert any("占道经营反复发生" in n for n in notes), notes


def test_an_action_the_database_refuses_says_why_in_chinese(supervisor, town, db, logins):
    """The card shows no request; meanwhile the grid worker asks to suspend the case. The supervisor's
    延期 is refused: the dock says so in Chinese, and the card then shows the worker's request."""
    dock, eid = supervisor, town["extend"]
    assert dock.select_case(eid)
    card = dock.card
    worker = logins("worker", areas=[city.A["grid"]])
    conn = psycopg2.connect(worker.dsn)
    try:
        board.request_suspension(conn, eid, "雨天无法施工")
    finally:
        conn.close()
    failed = []
    card.failed.connect(failed.append)
    _press(dock, card.loop_buttons["extend"], 4.0, "再给半天")
    assert len(failed) == 1 and failed[0] == dock.status.text()
    msg = failed[0]
    assert msg.startswith("申请延期：数据库拒绝：") and "仍在等待指挥员审批" in msg and "刷新" in msg, msg
    assert english_words(msg) == [], msg
    assert _row(db, "SELECT count(*) FROM gridgov.case_request WHERE event_id = %s", eid)[0] == 1  # nothing added
    # the card shows the case as it is now: the worker's request, for the supervisor to decide
    assert card.request_box.isVisibleTo(card) and "雨天无法施工" in card.request_label.text()
    assert worker.name in card.request_label.text()
    assert card.approve_button.isEnabled() and not card.loop_buttons["extend"].isEnabled()
