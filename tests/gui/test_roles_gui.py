"""The plugin reads the login's roles and areas when it connects, greys out what the login may not do
(saying why on hover), shows a grid's or camera's history and restores an earlier version, and lets an
admin create logins. Every login is a real LOGIN role of the test PostGIS.
"""

from __future__ import annotations

import psycopg2
import pytest
from qgis.core import QgsProject, QgsVectorLayer

from grid_governance_plugin.core.store import db as store_db
from grid_governance_plugin.gui.events_dock import EventsDock
from tests.db import city
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


@pytest.fixture
def town(db):
    city.seed(db)
    ids = {f"a{i}": report_event(db, f"a{i}", lon=city.A["lon"], lat=city.A["lat"], reporter="王五") for i in range(2)}
    with db.cursor() as cur:
        cur.execute("SELECT gridgov.transition(%s, 'registered', 'desk', NULL)", (ids["a1"],))
        cur.execute("SELECT gridgov.transition(%s, 'dispatched', 'desk', NULL)", (ids["a1"],))
    return ids


def _dock(qgis_iface, login) -> EventsDock:
    d = EventsDock(qgis_iface, None, connection=login.dsn)
    d.period.setCurrentIndex(d.period.findData("all"))
    d.refresh()
    return d


def _card_for(dock, eid):
    assert dock.select_case(eid)
    return dock.card


def test_the_case_card_greys_out_what_the_login_may_not_do(qgis_iface, town, logins):
    sup = _dock(qgis_iface, logins("supervisor", areas=[city.A["street"]]))
    worker = _dock(qgis_iface, logins("worker", areas=[city.A["grid"]]))
    analyst = _dock(qgis_iface, logins("analyst", areas=[city.A["street"]]))
    try:
        card = _card_for(sup, town["a0"])
        assert all(b.isEnabled() for b in card.transition_buttons.values())
        assert card.assign_button.isEnabled()
        assert "东华门街道" in sup.source_label.text() and "Supervisor" in sup.source_label.text()

        card = _card_for(worker, town["a0"])  # reported: 立案 is the desk's
        button = card.transition_buttons["registered"]
        assert not button.isEnabled() and "gridgov_supervisor" in button.toolTip()
        assert not card.assign_button.isEnabled() and "gridgov_supervisor" in card.assign_button.toolTip()
        card = _card_for(worker, town["a1"])  # dispatched: 处置 is the worker's
        assert card.transition_buttons["handled"].isEnabled()
        assert not card.transition_buttons["registered"].isEnabled()  # a return is the desk's
        assert not worker.dup_button.isEnabled() and "merge" in worker.dup_button.toolTip()
        # the bulk menu keeps to the same rules: 立案 of a reported case is the desk's, 处置 the worker's
        for eid, step, allowed in ((town["a0"], "registered", False), (town["a1"], "handled", True)):
            assert worker.select_case(eid)
            worker.bulk_menu.aboutToShow.emit()
            [act] = [a for a in worker.bulk_menu.actions() if a.data() == step]
            assert act.isEnabled() is allowed, (step, act.toolTip())
            assert allowed or "gridgov_supervisor" in act.toolTip()

        card = _card_for(analyst, town["a0"])
        assert not any(b.isEnabled() for b in card.transition_buttons.values())
        assert card.facts["reporter"].text() == ""  # no personal data for an analyst
        assert len(analyst.model.rows) == 2
        sup_card = _card_for(sup, town["a0"])
        assert sup_card.facts["reporter"].text() == "王五"
    finally:
        for d in (sup, worker, analyst):
            d.cleanup()
            d.deleteLater()


def test_a_worker_reports_handling_through_the_card(qgis_iface, town, logins, db):
    w = logins("worker", areas=[city.A["grid"]])
    dock = _dock(qgis_iface, w)
    try:
        dock.card.ask_note = lambda parent, title: (True, "已清理")
        card = _card_for(dock, town["a1"])
        assert card.do_transition("handled")
        with db.cursor() as cur:
            cur.execute(
                "SELECT login, to_status, note FROM gridgov.event_history WHERE event_id = %s ORDER BY id DESC LIMIT 1",
                (town["a1"],),
            )
            assert cur.fetchone() == (w.name, "handled", "已清理")
    finally:
        dock.cleanup()
        dock.deleteLater()


def test_history_of_a_grid_and_restore_this_version(qgis_iface, town, logins, db):
    from grid_governance_plugin.gui.history_dialog import HistoryAction

    planner = logins("planner", areas=[city.A["street"]])
    sup = logins("supervisor", areas=[city.A["street"]])
    p = planner.connect()
    with p.cursor() as cur:
        cur.execute("SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
        gid = cur.fetchone()[0]
        cur.execute("UPDATE gridgov.grid SET name = '第二版', note = '<b>调整</b>' WHERE id = %s", (gid,))
        cur.execute(f"UPDATE gridgov.grid SET geom = '{city.square(city.A['x0'], 39.90, 0.012)}' WHERE id = %s", (gid,))
    p.close()
    layer = QgsVectorLayer(store_db.layer_uri(planner.dsn, "grid", key="id").uri(False), "grids", "postgres")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    action = HistoryAction(None, qgis_iface)
    try:
        assert action.canRunUsingLayer(layer)
        feature = next(layer.getFeatures())
        area_now = feature.geometry().area()
        dlg = action.open_for(layer, feature)
        assert [e.op for e in dlg.entries] == ["INSERT", "UPDATE", "UPDATE"]
        assert dlg.list.item(1, 1).text() == planner.name  # the login, from the server
        assert "name: 东华门街道一网格 → 第二版" in dlg.list.item(1, 4).text()
        assert dlg.list.item(2, 4).text() == "geometry changed"
        assert not dlg.restore_button.isEnabled()  # the last entry is the current version
        dlg.select_entry(dlg.entries[0].id)
        assert dlg.restore_button.isEnabled()
        dlg.confirm = lambda text: True
        assert dlg.restore_selected() == ["geom", "name", "note"]
        restored = next(layer.getFeatures())
        assert restored["name"] == "东华门街道一网格" and restored.geometry().area() > area_now
        assert [e.op for e in dlg.entries][-1] == "UPDATE" and dlg.entries[-1].note.startswith("restored")
        dlg.close()
        # a supervisor may look, not restore: the button says why
        layer_s = QgsVectorLayer(store_db.layer_uri(sup.dsn, "grid", key="id").uri(False), "grids", "postgres")
        dlg = action.open_for(layer_s, next(layer_s.getFeatures()))
        dlg.select_entry(dlg.entries[0].id)
        assert not dlg.restore_button.isEnabled() and "gridgov_planner" in dlg.restore_button.toolTip()
        assert dlg.details.toPlainText()  # plain text, whatever the values hold
        dlg.close()
        # not a gridgov layer: no history action
        mem = QgsVectorLayer("Point?crs=EPSG:4490&field=id:integer", "other", "memory")
        assert not action.canRunUsingLayer(mem)
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_a_case_history_joins_its_steps_and_its_changes(qgis_iface, town, logins):
    sup = logins("supervisor", areas=[city.A["street"]])
    s = sup.connect()
    with s.cursor() as cur:
        cur.execute("SELECT gridgov.assign(%s, 'SZ', NULL, NULL, '转市政')", (town["a0"],))
    s.close()
    dock = _dock(qgis_iface, sup)
    try:
        dlg = dock.show_history(town["a0"])
        ops = [(e.op, e.login) for e in dlg.entries]
        assert ops[0] == ("STEP", "gridgov_test_channel")  # reported, by the channel login
        assert ("UPDATE", sup.name) in ops and ("STEP", sup.name) in ops
        assert not dlg.restore_button.isEnabled() and "steps" in dlg.restore_button.toolTip()
        dlg.close()
    finally:
        dock.cleanup()
        dock.deleteLater()


def test_the_grid_dock_follows_the_login(qgis_iface, town, logins):
    from grid_governance_plugin.gui.grid_dock import GridPlanningDock

    dock = GridPlanningDock(qgis_iface)
    layers = []
    try:
        for role, allowed in (("planner", True), ("supervisor", False)):
            login = logins(role, areas=[city.A["street"]])
            layer = QgsVectorLayer(store_db.layer_uri(login.dsn, "grid", key="id").uri(False), role, "postgres")
            QgsProject.instance().addMapLayer(layer)
            layers.append(layer)
            dock.grids.setLayer(layer)
            acc = dock.apply_access()
            assert acc.login == login.name
            for name in ("GridGovPlanDraft", "GridGovPlanPublish", "GridGovWorkerAssign"):
                from qgis.PyQt.QtWidgets import QPushButton

                button = dock.findChild(QPushButton, name)
                assert button.isEnabled() == allowed, (role, name)
                if not allowed:
                    assert "gridgov_planner" in button.toolTip()
    finally:
        for layer in layers:
            QgsProject.instance().removeMapLayer(layer.id())
        dock.deleteLater()


def test_an_admin_creates_a_login_in_the_settings(qgis_iface, town, logins, tmp_path, monkeypatch, pg_server):
    from grid_governance_plugin.gui.login_dialog import LoginDialog
    from grid_governance_plugin.gui.settings_dialog import SettingsDialog

    admin = logins("admin", areas=[city.DISTRICT])
    sup = logins("supervisor", areas=[city.A["street"]])
    dbname = admin.dsn.rsplit("dbname=", 1)[1]
    service = tmp_path / "pg_service.conf"
    service.write_text(
        "".join(
            f"[{n}]\nhost={pg_server.host}\nport={pg_server.port}\nuser={login.name}\ndbname={dbname}\n"
            for n, login in (("t_admin", admin), ("t_sup", sup))
        )
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    dlg = SettingsDialog()
    for name, allowed in (("service=t_sup", False), ("service=t_admin", True)):
        dlg.connection.addItem(name, name)
        dlg.connection.setCurrentIndex(dlg.connection.findData(name))
        dlg.refresh_login_info()
        assert dlg.create_login_button.isEnabled() == allowed
    assert "Administrator" in dlg.login_info.text()
    dlg.connection.setCurrentIndex(dlg.connection.findData("service=t_sup"))
    dlg.refresh_login_info()
    assert "gridgov_admin" in dlg.create_login_button.toolTip()
    dlg.deleteLater()

    conn = admin.connect(autocommit=False)
    form = LoginDialog(conn)
    codes = [form.area.itemData(i) for i in range(form.area.count())]
    assert city.A["street"] in codes and city.A["grid"] in codes and city.CITY not in codes  # the admin's district
    name = "t_zhao_liu"
    logins.names.append(name)
    form.login.setText(name)
    form.role.setCurrentIndex(form.role.findData("worker"))
    form.area.setCurrentIndex(form.area.findData(city.A["grid"]))
    form.password.setText("短")
    form.repeat.setText("短")
    assert not form.create() and "Password" in form.message.text()
    form.password.setText("网格员-赵六-2026")
    form.repeat.setText("网格员-赵六-2026")
    assert form.create(), form.message.text()
    conn.close()
    w = psycopg2.connect(
        f"host={pg_server.host} port={pg_server.port} user={name} password=网格员-赵六-2026 dbname={dbname}"
    )
    with w.cursor() as cur:
        cur.execute("SELECT area_code FROM gridgov.my_areas()")
        assert cur.fetchall() == [(city.A["grid"],)]
        cur.execute(
            "SELECT pg_has_role('gridgov_worker', 'MEMBER'), rolconnlimit FROM pg_roles WHERE rolname = %s", (name,)
        )
        assert cur.fetchone() == (True, 5)
    w.close()


def test_an_analysts_live_layer_reads_the_area_without_reporters(qgis_iface, town, logins):
    from qgis.PyQt.QtCore import QVariant

    from grid_governance_plugin.gui import live_layer as ll

    analyst = logins("analyst", areas=[city.A["street"]])
    live = ll.LiveEventsLayer(analyst.dsn, load_days=None)
    try:
        assert live.load() == 2
        reporters = [f["reporter"] for f in live.layer.getFeatures()]
        assert all(r is None or (isinstance(r, QVariant) and r.isNull()) for r in reporters), reporters
    finally:
        live.stop()


def test_gridgov_layers_added_with_estimated_metadata_count_for_real(qgis_iface, town, logins, db):
    """A layer from a QGIS connection with 'use estimated table metadata' is switched to exact counts."""
    from qgis.core import QgsDataSourceUri

    from grid_governance_plugin.gui.store_layers import without_estimates

    with db.cursor() as cur:
        cur.execute("ANALYZE gridgov.event")
    sup = logins("supervisor", areas=[city.B["street"]])  # street B has no case
    uri = QgsDataSourceUri(sup.dsn)
    uri.setDataSource("gridgov", "event", "geom", "", "id")
    uri.setUseEstimatedMetadata(True)
    layer = QgsVectorLayer(uri.uri(False), "events", "postgres")
    other = QgsVectorLayer("Point?crs=EPSG:4490", "memory", "memory")
    assert layer.featureCount() != 0  # the table's estimate, not what this login sees
    assert without_estimates([layer, other]) == [layer]
    assert layer.isValid() and layer.featureCount() == 0
    assert not QgsDataSourceUri(layer.source()).useEstimatedMetadata()


def test_a_case_moved_meanwhile_is_refused_on_the_card_naming_who_moved_it(qgis_iface, town, logins, db, chinese):
    """Two supervisors look at the same reported case; B registers it; A, on the stale card, voids
    it: refused, in Chinese, naming B and the step B took; nothing changes."""
    a_login, b_login = logins("supervisor", areas=[city.A["street"]]), logins("supervisor", areas=[city.A["street"]])
    a, b = _dock(qgis_iface, a_login), _dock(qgis_iface, b_login)
    try:
        for d in (a, b):
            d.card.ask_note = lambda parent, title: (True, "")
        card_a = _card_for(a, town["a0"])
        errors = []
        card_a.failed.connect(errors.append)
        assert _card_for(b, town["a0"]).do_transition("registered")
        assert card_a.do_transition("void") is False
        assert errors and b_login.name in errors[0] and "已上报 → 已立案" in errors[0], errors
        with db.cursor() as cur:
            cur.execute("SELECT status FROM gridgov.event WHERE id = %s", (town["a0"],))
            assert cur.fetchone()[0] == "registered"
        assert card_a.case["status"] == "registered"  # the card shows the case as it is now
        assert card_a.do_transition("void")  # on a fresh view the same step goes through
    finally:
        for d in (a, b):
            d.cleanup()
            d.deleteLater()
