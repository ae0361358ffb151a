"""The assessment items dialog: switch an item off, reweight, save; the ranking uses it."""

from __future__ import annotations

import psycopg2
import pytest

from grid_governance_plugin.core import settings
from grid_governance_plugin.core.assessment import loader
from grid_governance_plugin.core.store import migrations
from grid_governance_plugin.gui.assessment_items_dialog import AssessmentItemsDialog

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


def _row(dlg, code):
    return next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).data(0x0100) == code)


def test_switch_off_and_reweight(service_db):
    dlg = AssessmentItemsDialog(settings.connection_name())
    try:
        assert dlg.load_error is None and dlg.table.rowCount() == 7
        assert "100" in dlg.message.text()
        r = _row(dlg, "satisfaction")
        dlg.table.cellWidget(r, 1).setChecked(False)
        dlg.table.cellWidget(_row(dlg, "response"), 2).setValue(2.0)
        assert "95" in dlg.message.text()  # 100 - 20 + 15
        assert dlg.save(), dlg.message.text()
        conn = psycopg2.connect(service_db)
        items = {i.code: i for i in loader.load_items(conn)}
        conn.close()
        assert items["satisfaction"].enabled is False and items["response"].weight == 2.0
        assert items["patrol"].target == pytest.approx(0.8)
        for r in range(dlg.table.rowCount()):
            dlg.table.cellWidget(r, 1).setChecked(False)
        assert not dlg.save() and "at least one" in dlg.message.text()
    finally:
        dlg.close_connection()
        dlg.deleteLater()


def test_events_dock_action_opens_the_dialog(qgis_iface, service_db):
    from grid_governance_plugin.gui.events_dock import EventsDock

    dock = EventsDock(qgis_iface, None)
    try:
        next(a for a in dock.actions() if a.objectName() == "GridGovAssessmentItems").trigger()
        dlg = dock._assessment_items_dialog
        assert dlg.objectName() == "GridGovAssessmentItemsDialog" and dlg.table.rowCount() == 7
        dlg.close_connection()
        dlg.deleteLater()
    finally:
        dock.cleanup()
        dock.deleteLater()
