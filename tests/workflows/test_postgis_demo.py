"""Issue 9 item 5: the PostGIS demo's project opens with its connection, and cases can be acted on."""

from __future__ import annotations

import sys

import psycopg2
import pytest
from qgis.core import QgsProject

from grid_governance_plugin.core import democity, settings
from grid_governance_plugin.core.store import gpkg, pgload
from grid_governance_plugin.gui.events_dock import DbCases, EventsDock
from tests.conftest import ROOT

pytestmark = pytest.mark.postgis


@pytest.fixture
def demo(gridgov_db):
    """scripts/make_demo.py and its district, loaded into the test PostGIS as `make demo DB=postgis` does."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_demo
    finally:
        sys.path.pop(0)
    city = democity.generate(seed=42, scale="demo")
    conn = psycopg2.connect(gridgov_db)
    pgload.load_city(conn, city)
    conn.commit()
    conn.close()
    return make_demo, city


def test_the_postgis_demo_project_names_its_store(qgis_iface, clean_connection, pg_service, demo, tmp_path):
    make_demo, city = demo
    city_gpkg = tmp_path / "demo_city.gpkg"
    gpkg.write_city(city, city_gpkg)
    project_path = tmp_path / "demo.qgz"
    # what `make demo DB=postgis` builds (the analyses' results aside)
    make_demo.build_project(city_gpkg, tmp_path / "results", {}, project_path, pg_service)
    QgsProject.instance().clear()
    assert QgsProject.instance().read(str(project_path))
    assert settings.connection_name() == f"service={pg_service}"
    open_cases = next(lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.providerType() == "postgres")
    assert open_cases.isValid()
    dock = EventsDock(qgis_iface, None)
    try:
        actions = {a.objectName(): a for a in dock.actions()}
        dock.reload_source()
        # not 案件来源 图层“在办案件”（只读）: the cases come from the database and can be acted on
        assert isinstance(dock.backend, DbCases) and not dock.backend.read_only
        assert dock.dup_button.isEnabled() and dock.live_button.isEnabled()
        assert actions["GridGovSupervisionBoard"].isEnabled()
        dock.period.setCurrentIndex(dock.period.findData("all"))
        dock.status_box.setCurrentIndex(dock.status_box.findData("open"))
        dock.refresh()
        ids = dock.visible_ids()
        assert ids and dock.select_case(ids[0])
        assert dock.card.transition_buttons and all(
            b.isEnabled() for b in dock.card.transition_buttons.values() if hasattr(b, "isEnabled")
        )
    finally:
        dock.cleanup()
        QgsProject.instance().clear()


def test_the_demo_case_flow_runs_on_its_offline_copy(
    qgis_iface, clean_connection, provider, pg_service, gridgov_db, demo, tmp_path
):
    """Issue #11: the demo's offline copy (make_demo.offline_copy, `make demo DB=postgis`) is a full
    working copy: a case goes 立案 → 派遣 → 处置 → 核查 → 结案 in the dock with no connection, and Sync
    sends it to the demo's PostGIS."""
    from qgis.core import QgsVectorLayer

    from grid_governance_plugin.gui.events_dock import OfflineCases
    from tests.workflows.conftest import wait_for

    make_demo, city = demo
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    path = make_demo.offline_copy(city, tmp_path, pg_service)
    assert path is not None and path.exists()
    layer = QgsVectorLayer(f"{path}|layername=event", "离线在办案件", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    QgsProject.instance().addMapLayer(layer)
    dock = EventsDock(qgis_iface, None, connection="")
    try:
        dock.events.setLayer(layer)
        dock.reload_source()
        assert isinstance(dock.backend, OfflineCases) and dock.read_only_reason() == ""
        dock.period.setCurrentIndex(dock.period.findData("all"))
        dock.status_box.setCurrentIndex(dock.status_box.findData("open"))
        dock.refresh()
        reported = [r["id"] for r in dock.model.rows if r.get("status") == "reported"]
        assert reported, "the demo street has a newly reported case"
        eid = reported[0]
        assert dock.select_case(eid)
        card = dock.card
        card.ask_note = lambda parent, title: (True, "演示")
        for to in ("registered", "dispatched", "handled", "verified", "closed"):
            button = card.transition_buttons[to]
            assert button.isEnabled(), (to, button.toolTip())
            button.click()
            assert card.case["status"] == to, card.confirmation.text()
        assert "5 case action(s) not yet synced" in dock.source_label.text()
        dock._connection_override = f"service={pg_service}"
        assert dock.sync_copy() is not None
        wait_for(lambda: dock._sync_task is None)
        with conn.cursor() as cur:
            cur.execute("SELECT status FROM gridgov.event WHERE id = %s", (eid,))
            assert cur.fetchone() == ("closed",)
        assert "5 change(s) sent" in dock.status.text(), dock.status.text()
        assert "not yet synced" not in dock.source_label.text()
    finally:
        conn.close()
        dock.cleanup()
        QgsProject.instance().clear()
