"""Issue 9 item 5: the PostGIS demo acts on cases; settings take a service name; greyed-out says why."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri, QgsProject, QgsVectorLayer

from grid_governance_plugin.core import settings
from grid_governance_plugin.core.store import db
from grid_governance_plugin.gui import live_layer as ll
from grid_governance_plugin.gui.events_dock import DbCases, EventsDock, LayerCases
from grid_governance_plugin.gui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.postgis
UTC = dt.timezone.utc


def _case(dsn: str) -> str:
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, grid_code,"
            " deadline_at, geom) VALUES ('test', 'x1', 'SJ0102', now() - interval '1 day', 'reported', 'G1',"
            " now() + interval '3 hours', ST_SetSRID(ST_MakePoint(116.3975, 39.9087), 4490)) RETURNING id::text"
        )
        eid = cur.fetchone()[0]
    conn.close()
    return eid


def _events_layer() -> QgsVectorLayer:
    layer = ll.make_memory_layer("event")
    layer.setName("在办案件")
    QgsProject.instance().addMapLayer(layer)
    return layer


def test_settings_offer_pg_services_and_take_a_typed_service_name(clean_connection, pg_service, gridgov_db):
    dlg = SettingsDialog()
    labels = [dlg.connection.itemText(i) for i in range(dlg.connection.count())]
    refs = [dlg.connection.itemData(i) for i in range(dlg.connection.count())]
    # not only "(GeoPackage only)": the pg_service the demo's project reads is offered
    assert f"service={pg_service}" in refs and len(labels) >= 2
    # a bare service name typed by hand is understood
    dlg.connection.setEditText(pg_service)
    assert dlg.reference() == f"service={pg_service}"
    assert dlg.test_connection()
    assert gridgov_db.rsplit("dbname=", 1)[1] in dlg.test_result.text()
    dlg.in_project.setChecked(True)
    dlg.accept()
    assert settings.connection_name() == f"service={pg_service}"
    assert settings.project_connection_name() == f"service={pg_service}"


def test_settings_list_a_qgis_connection_with_an_auth_configuration(clean_connection, pg_server, fresh_db):
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("gridgov-test-master", True)
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName("workflows test")
    cfg.setConfig("username", pg_server.user)
    cfg.setConfig("password", "not-in-settings")
    assert manager.storeAuthenticationConfig(cfg)
    uri = QgsDataSourceUri()
    dbname = fresh_db.rsplit("dbname=", 1)[1]
    uri.setConnection(pg_server.host, str(pg_server.port), dbname, "", "", QgsDataSourceUri.SslDisable, cfg.id())
    db.save_connection("workflows auth", uri)
    dlg = SettingsDialog()
    idx = dlg.connection.findData("workflows auth")
    assert idx >= 0
    dlg.connection.setCurrentIndex(idx)
    assert dlg.test_connection(), dlg.test_result.text()
    assert "authentication configuration" in db.describe_connection("workflows auth")


def test_unreachable_service_is_reported_by_the_test_button(clean_connection, tmp_path, monkeypatch):
    (tmp_path / "svc.conf").write_text("[nowhere]\nhost=127.0.0.1\nport=1\ndbname=x\n")
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "svc.conf"))
    dlg = SettingsDialog()
    dlg.connection.setEditText("nowhere")
    assert not dlg.test_connection()
    assert "nowhere" in dlg.test_result.text()


def test_the_project_connection_makes_the_events_dock_act(qgis_iface, clean_connection, pg_service, gridgov_db):
    eid = _case(gridgov_db)
    # what make_demo writes into the PostGIS demo's project
    QgsProject.instance().writeEntry(settings.PREFIX, "connection", f"service={pg_service}")
    _events_layer()
    dock = EventsDock(qgis_iface, None)
    try:
        actions = {a.objectName(): a for a in dock.actions()}
        dock.reload_source()
        assert isinstance(dock.backend, DbCases)
        assert "read-only" not in dock.source_label.text().lower()
        assert dock.dup_button.isEnabled() and dock.live_button.isEnabled()
        assert actions["GridGovSupervisionBoard"].isEnabled() and actions["GridGovLiveEvents"].isEnabled()
        dock.period.setCurrentIndex(dock.period.findData("all"))
        dock.refresh()
        assert dock.select_case(eid)
        buttons = dock.card.transition_buttons
        assert buttons and all(b.isEnabled() for b in buttons.values())
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()


def test_read_only_says_why_on_every_greyed_out_control(qgis_iface, clean_connection):
    layer = _events_layer()
    dock = EventsDock(qgis_iface, None)
    try:
        actions = {a.objectName(): a for a in dock.actions()}
        dock.events.setLayer(layer)
        dock.reload_source()
        assert isinstance(dock.backend, LayerCases)
        why = dock.read_only_reason()
        assert "Settings" in why
        assert why in dock.source_label.text()
        for w in (dock.dup_button, dock.live_button):
            assert not w.isEnabled() and why in w.toolTip()
        for name in ("GridGovSupervisionBoard", "GridGovResponsibilityList"):
            assert not actions[name].isEnabled() and "Settings" in actions[name].toolTip()
        assert not actions["GridGovLiveEvents"].isEnabled() and why in actions["GridGovLiveEvents"].toolTip()
        # the bulk menu's steps say it too
        dock.bulk_menu.aboutToShow.emit()
        greyed = [a for a in dock.bulk_menu.actions() if not a.isSeparator() and not a.isEnabled()]
        assert greyed and all(a.toolTip() and a.toolTip() != a.text() for a in greyed)
        # the custom dates are greyed out until "Between…" is chosen
        assert not dock.date_from.isEnabled() and dock.date_from.toolTip()
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()


def test_card_actions_say_why_when_read_only(qgis_iface, clean_connection):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    layer = _events_layer()
    f = QgsFeature(layer.fields())
    f["id"] = "00000000-0000-0000-0000-000000000001"
    f["category_code"] = "SJ0102"
    f["status"] = "reported"
    f["reported_at"] = ll.to_qdatetime(dt.datetime.now(UTC) - dt.timedelta(hours=2))
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(116.3975, 39.9087)))
    layer.dataProvider().addFeatures([f])
    dock = EventsDock(qgis_iface, None)
    try:
        dock.events.setLayer(layer)
        dock.reload_source()
        dock.period.setCurrentIndex(dock.period.findData("all"))
        dock.refresh()
        assert dock.select_case("00000000-0000-0000-0000-000000000001")
        why = dock.read_only_reason()
        buttons = dock.card.transition_buttons
        assert buttons and all(not b.isEnabled() and why in b.toolTip() for b in buttons.values())
        assert not dock.card.assign_group.isEnabled() and why in dock.card.assign_group.toolTip()
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()


def test_unreachable_database_is_the_reason(qgis_iface, clean_connection, tmp_path, monkeypatch):
    (tmp_path / "svc.conf").write_text("[gone]\nhost=127.0.0.1\nport=1\ndbname=x\nconnect_timeout=2\n")
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "svc.conf"))
    settings.set_connection_name("service=gone")
    layer = _events_layer()
    dock = EventsDock(qgis_iface, None)
    try:
        dock.events.setLayer(layer)
        dock.reload_source()
        assert isinstance(dock.backend, LayerCases)
        why = dock.read_only_reason()
        assert "service=gone" in why and "cannot be reached" in why
        assert not dock.dup_button.isEnabled() and why in dock.dup_button.toolTip()
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()


def test_chinese_reason_on_hover(qgis_iface, clean_connection, zh):
    layer = _events_layer()
    dock = EventsDock(qgis_iface, None)
    try:
        dock.events.setLayer(layer)
        dock.reload_source()
        tip = dock.dup_button.toolTip()
        assert "只读" in tip and "设置" in tip
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()


def test_a_postgis_events_layer_brings_its_connection(qgis_iface, clean_connection, pg_service, gridgov_db):
    """No connection set anywhere, but the events layer reads gridgov.event through a service."""
    _case(gridgov_db)
    layer = ll.postgis_events_layer(f"service={pg_service}", "在办案件")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    dock = EventsDock(qgis_iface, None)
    try:
        dock.events.setLayer(layer)
        dock.reload_source()
        assert isinstance(dock.backend, DbCases) and dock.backend.ref == f"service={pg_service}"
        assert dock.dup_button.isEnabled()
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()
