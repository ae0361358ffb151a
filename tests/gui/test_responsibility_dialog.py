"""The responsibility list dialog (权责清单) against a fresh PostGIS reached through a pg_service name."""

from __future__ import annotations

import psycopg2
import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QComboBox, QDoubleSpinBox

from grid_governance_plugin.core import settings
from grid_governance_plugin.core.events import responsibility as resp
from grid_governance_plugin.core.store import migrations
from grid_governance_plugin.gui.responsibility_dialog import COL, ResponsibilityDialog

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
    dlg = ResponsibilityDialog(settings.connection_name())
    dlg.confirm_discard = lambda: True
    yield dlg
    dlg.close_connection()
    dlg.deleteLater()


def _db_rows(dsn: str) -> dict[str, dict]:
    conn = psycopg2.connect(dsn)
    try:
        return {r["code"]: r for r in resp.list_categories(conn)}
    finally:
        conn.close()


def _row(dlg: ResponsibilityDialog, code: str) -> int:
    r = dlg._row_of(code)
    assert r is not None, code
    return r


def test_loads_the_seeded_categories(dialog):
    assert dialog.objectName() == "GridGovResponsibilityDialog"
    assert dialog.load_error is None
    assert dialog.table.rowCount() == 46
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers[:2] == [resp.field_label("code"), resp.field_label("kind")]
    r = _row(dialog, "SJ0102")
    assert dialog.table.item(r, COL["minor"]).text() == "暴露垃圾"
    dept = dialog.table.cellWidget(r, COL["department"])
    assert isinstance(dept, QComboBox) and dept.currentData() == "HW" and dept.count() == 13
    level = dialog.table.cellWidget(r, COL["level"])
    assert level.currentData() == "community" and level.count() == 3
    handle = dialog.table.cellWidget(r, COL["handle_hours"])
    assert isinstance(handle, QDoubleSpinBox) and handle.value() == 4
    assert not dialog.table.item(r, COL["code"]).flags() & Qt.ItemIsEditable  # codes are keys
    # the filter narrows the rows without touching them
    dialog.filter.setText("垃圾")
    shown = [dialog.table.item(i, COL["code"]).text() for i in range(46) if not dialog.table.isRowHidden(i)]
    assert "SJ0102" in shown and "BJ0101" not in shown and len(shown) < 46
    dialog.filter.clear()
    assert not any(dialog.table.isRowHidden(i) for i in range(46))


def test_edit_and_save_persists(dialog, service_db):
    before = _db_rows(service_db)
    r = _row(dialog, "SJ0102")
    dialog.table.cellWidget(r, COL["handle_hours"]).setValue(6.5)
    dialog.table.item(r, COL["minor"]).setText("暴露垃圾（含大件）")
    level = dialog.table.cellWidget(r, COL["level"])
    level.setCurrentIndex(level.findData("street"))
    dept = dialog.table.cellWidget(r, COL["department"])
    dept.setCurrentIndex(dept.findData("CGZF"))
    assert dialog.dirty
    new = dialog.add_row({"code": "SJ0701", "major": "其他事件", "minor": "高空抛物"})
    dialog.table.cellWidget(new, COL["dispatch_hours"]).setValue(0.5)
    assert dialog.save() is True
    assert dialog.errors == []
    rows = _db_rows(service_db)
    assert len(rows) == 47
    got = rows["SJ0102"]
    assert (got["handle_hours"], got["minor"], got["level"], got["department"]) == (
        6.5,
        "暴露垃圾（含大件）",
        "street",
        "CGZF",
    )
    assert rows["SJ0701"]["dispatch_hours"] == 0.5 and rows["SJ0701"]["kind"] == "event"
    assert {k: v for k, v in rows.items() if k not in ("SJ0102", "SJ0701")} == {
        k: v for k, v in before.items() if k != "SJ0102"
    }
    # a typed BJ code makes a new row a component
    new = dialog.add_row()
    dialog.table.item(new, COL["code"]).setText("BJ0701")
    assert dialog.table.cellWidget(new, COL["kind"]).currentData() == "component"


def test_invalid_value_shows_an_error_and_persists_nothing(dialog, service_db):
    before = _db_rows(service_db)
    r = _row(dialog, "SJ0102")
    dialog.table.cellWidget(r, COL["handle_hours"]).setValue(12)  # valid, but must not be stored alone
    bad = _row(dialog, "SJ0103")
    dialog.table.cellWidget(bad, COL["verify_hours"]).setValue(0)  # hours must be > 0
    dialog.table.item(bad, COL["minor"]).setText("")
    assert dialog.save() is False
    assert {(e.code, e.field) for e in dialog.errors} == {("SJ0103", "verify_hours"), ("SJ0103", "minor")}
    assert dialog.error_list.isVisibleTo(dialog) and dialog.error_list.count() == 2
    assert "SJ0103" in dialog.error_list.item(0).text()
    assert dialog.message.text()
    assert _db_rows(service_db) == before
    # the edits are still there to correct
    assert dialog.table.cellWidget(r, COL["handle_hours"]).value() == 12
    assert dialog.table.cellWidget(bad, COL["verify_hours"]).value() == 0
    assert dialog.table.cellWidget(bad, COL["verify_hours"]).styleSheet()
    dialog.table.cellWidget(bad, COL["verify_hours"]).setValue(3)
    dialog.table.item(bad, COL["minor"]).setText("积存垃圾")
    assert dialog.save() is True
    after = _db_rows(service_db)
    assert after["SJ0102"]["handle_hours"] == 12 and after["SJ0103"]["verify_hours"] == 3


def test_delete_rows(dialog, service_db):
    conn = psycopg2.connect(service_db)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT gridgov.report_event('test', 'x1', 'SJ0104', now(), 121.47, 31.23)")
    conn.close()
    dialog.delete_rows([_row(dialog, "SJ0104"), _row(dialog, "SJ0105")])
    assert dialog.table.rowCount() == 44
    assert dialog.save() is False  # SJ0104 is used by an event
    assert [e.code for e in dialog.errors] == ["SJ0104"] and "1" in dialog.errors[0].message
    assert dialog._row_of("SJ0104") is not None  # back in the table
    assert set(_db_rows(service_db)) >= {"SJ0104", "SJ0105"}
    assert dialog.save() is True  # SJ0105 alone goes
    rows = _db_rows(service_db)
    assert "SJ0105" not in rows and "SJ0104" in rows and len(rows) == 45


def test_events_dock_action_opens_the_dialog(qgis_iface, service_db):
    from grid_governance_plugin.gui.events_dock import EventsDock

    dock = EventsDock(qgis_iface, None)
    try:
        act = next(a for a in dock.actions() if a.objectName() == "GridGovResponsibilityList")
        act.trigger()
        dlg = dock._responsibility_dialog
        assert dlg.objectName() == "GridGovResponsibilityDialog" and dlg.table.rowCount() == 46
        dlg.close_connection()
        dlg.deleteLater()
    finally:
        dock.cleanup()
        dock.deleteLater()


def test_events_dock_action_without_connection(qgis_iface, qgis_app):
    from grid_governance_plugin.gui.events_dock import EventsDock

    previous = settings.connection_name()
    settings.set_connection_name("")
    dock = EventsDock(qgis_iface, None)
    try:
        act = next(a for a in dock.actions() if a.objectName() == "GridGovResponsibilityList")
        act.trigger()
        assert getattr(dock, "_responsibility_dialog", None) is None
        assert "PostgreSQL connection" in dock.status.text()
    finally:
        settings.set_connection_name(previous)
        dock.cleanup()
        dock.deleteLater()


def test_hours_the_boxes_round_are_saved_unchanged(service_db):
    conn = psycopg2.connect(service_db)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event_category SET register_hours = 0.125 WHERE code = 'SJ0403'")
    conn.close()
    dlg = ResponsibilityDialog(settings.connection_name())
    try:
        r = dlg._row_of("SJ0403")
        dlg.table.item(r, COL["minor"]).setText("燃气管道泄漏")
        assert dlg.save() is True
        got = _db_rows(service_db)["SJ0403"]
        assert (got["register_hours"], got["minor"]) == (0.125, "燃气管道泄漏")
    finally:
        dlg.close_connection()
        dlg.deleteLater()
