"""The working calendar dialog: an admin edits a year's holidays and the office hours; deadlines follow."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest
from qgis.PyQt.QtCore import QDate, QTime

from grid_governance_plugin.core import settings
from grid_governance_plugin.core.store import migrations
from grid_governance_plugin.core.worktime import BEIJING
from grid_governance_plugin.gui.work_calendar_dialog import WorkCalendarDialog

pytestmark = pytest.mark.postgis


@pytest.fixture
def service_db(qgis_app, pg_service, fresh_db):
    conn = psycopg2.connect(fresh_db)
    migrations.migrate(conn)
    conn.close()
    previous = settings.connection_name()
    settings.set_connection_name(f"service={pg_service}")
    yield fresh_db
    settings.set_connection_name(previous)


@pytest.fixture
def dialog(service_db):
    dlg = WorkCalendarDialog(settings.connection_name(), year=2024)
    dlg.confirm_discard = lambda: True
    yield dlg
    dlg.close_connection()
    dlg.deleteLater()


def _due(dsn, start, hours):
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT gridgov.add_working_hours(%s, %s)", (start, hours))
            return cur.fetchone()[0]
    finally:
        conn.close()


def test_shows_the_official_year_and_warns_about_a_missing_one(dialog):
    assert dialog.load_error is None
    rows = dialog.day_rows()
    assert len(rows) == 36  # 2024: 28 holiday days and 8 make-up days
    assert "2024" in dialog.coverage.text() and "No official" not in dialog.coverage.text()
    assert dialog.days.item(0, 4).text() != ""  # where the day comes from
    dialog.year.setValue(2031)
    assert dialog.day_rows() == []
    assert "2031" in dialog.coverage.text() and dialog.coverage.styleSheet()


def test_a_local_holiday_moves_deadlines_after_save(dialog, service_db):
    start = dt.datetime(2024, 3, 5, 17, 0, tzinfo=BEIJING)
    assert _due(service_db, start, 2) == dt.datetime(2024, 3, 6, 10, 0, tzinfo=BEIJING)
    r = dialog.add_day(dt.date(2024, 3, 6), "holiday", "暴雪停工")
    assert dialog.days.cellWidget(r, 0).date() == QDate(2024, 3, 6)
    assert dialog.save(), dialog.message.text()
    assert _due(service_db, start, 2) == dt.datetime(2024, 3, 7, 10, 0, tzinfo=BEIJING)
    assert "暴雪停工" in [d.name for d in dialog.day_rows()]  # reloaded


def test_office_hours_edit_and_refusal_keeps_edits(dialog, service_db):
    # lunch ends at 13:30 instead of 13:00
    dialog.hours.cellWidget(1, 2).setTime(QTime(13, 30))
    assert dialog.save(), dialog.message.text()
    start = dt.datetime(2024, 3, 5, 11, 30, tzinfo=BEIJING)
    assert _due(service_db, start, 1) == dt.datetime(2024, 3, 5, 14, 0, tzinfo=BEIJING)
    # overlapping periods are refused, nothing is written, the edit stays on screen
    dialog.hours.cellWidget(1, 2).setTime(QTime(11, 0))
    assert not dialog.save()
    assert "overlap" in dialog.message.text().lower() or "重叠" in dialog.message.text()
    assert dialog.hours.cellWidget(1, 2).time() == QTime(11, 0)
    assert _due(service_db, start, 1) == dt.datetime(2024, 3, 5, 14, 0, tzinfo=BEIJING)


def test_a_day_of_another_year_is_refused(dialog):
    dialog.add_day(dt.date(2025, 1, 2), "holiday", "x")
    assert not dialog.save()
    assert "2025-01-02" in dialog.message.text()


def test_events_dock_action_opens_the_dialog(qgis_iface, service_db):
    from grid_governance_plugin.gui.events_dock import EventsDock

    dock = EventsDock(qgis_iface, None)
    try:
        act = next(a for a in dock.actions() if a.objectName() == "GridGovWorkCalendar")
        act.trigger()
        dlg = dock._work_calendar_dialog
        assert dlg.objectName() == "GridGovWorkCalendarDialog" and dlg.load_error is None
        dlg.close_connection()
        dlg.deleteLater()
    finally:
        dock.cleanup()
        dock.deleteLater()
