"""gridgov:checkout and gridgov:syncoffline as a field login (planner + supervisor of one street),
through a pg_service entry as a user has it: round trip, a conflict reported, a second sync a no-op."""

from __future__ import annotations

import psycopg2
import pytest
from osgeo import ogr

from grid_governance_plugin.core import labels
from grid_governance_plugin.processing.alg_sync import CheckoutAlgorithm, SyncOfflineAlgorithm
from tests.db import city
from tests.helpers import report_event, run_alg

pytestmark = pytest.mark.postgis


@pytest.fixture
def field_service(db, logins, tmp_path, monkeypatch):
    city.seed(db)
    report_event(db, "alg-off-1", lon=city.A["lon"], lat=city.A["lat"])
    field = logins("planner", "supervisor", areas=[city.A["street"]])
    desk = logins("planner", areas=[city.A["street"]])
    params = dict(kv.split("=", 1) for kv in field.dsn.split())
    service = tmp_path / "pg_service.conf"
    service.write_text("[gridgov_field]\n" + "".join(f"{k}={v}\n" for k, v in params.items()))
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    return "service=gridgov_field", desk


def _set_name(pkg, table, name):
    ds = ogr.Open(str(pkg), 1)
    layer = ds.GetLayerByName(table)
    f = next(iter(layer))
    uid = f.GetField("uid")
    f.SetField("name", name)
    layer.SetFeature(f)
    ds = None
    return uid


def test_check_out_edit_and_sync_back_with_a_conflict_reported(field_service, tmp_path, db):
    service, desk = field_service
    pkg = tmp_path / "a.gpkg"
    res, _, fb = run_alg(CheckoutAlgorithm, {"DATABASE": service, "AREA": city.A["street"], "OUTPUT": str(pkg)})
    assert pkg.exists() and res["FEATURES"] > 0
    uid = _set_name(pkg, "grid", "离线改名")
    # meanwhile at the desk, the same grid's name is changed too: a conflict, not an overwrite
    d = psycopg2.connect(desk.dsn)
    with d, d.cursor() as cur:
        cur.execute("UPDATE gridgov.grid SET name = '桌面改名' WHERE uid = %s", (uid,))
    d.close()
    res, _, fb = run_alg(SyncOfflineAlgorithm, {"DATABASE": service, "PACKAGE": str(pkg)})
    assert res["CONFLICTS"] == 1 and res["APPLIED"] == 0
    assert any(uid in e for e in fb.errors), fb.errors
    with db.cursor() as cur:
        cur.execute("SELECT name FROM gridgov.grid WHERE uid = %s", (uid,))
        assert cur.fetchone()[0] == "桌面改名"
    # a second run changes nothing more and still reports the open conflict
    res, _, _ = run_alg(SyncOfflineAlgorithm, {"DATABASE": service, "PACKAGE": str(pkg)})
    assert res["APPLIED"] == 0
    # the user sees the three values side by side and merges by hand; the next sync sends it
    from grid_governance_plugin.gui.conflicts import OfflineConflictDialog

    dialog = OfflineConflictDialog(str(pkg))
    rows = [[dialog.table.item(r, j).text() for j in range(6)] for r in range(dialog.table.rowCount())]
    assert [r[1:5] for r in rows] == [[labels.label("field", "name"), "东华门街道一网格", "桌面改名", "离线改名"]], rows
    dialog.table.item(0, 5).setText("合并名")
    dialog.merge.click()
    assert dialog.table.rowCount() == 0 and dialog.result() == dialog.Accepted
    res, _, _ = run_alg(SyncOfflineAlgorithm, {"DATABASE": service, "PACKAGE": str(pkg)})
    assert res["APPLIED"] == 1 and res["CONFLICTS"] == 0
    with db.cursor() as cur:
        cur.execute("SELECT name FROM gridgov.grid WHERE uid = %s", (uid,))
        assert cur.fetchone()[0] == "合并名"


def test_checkout_needs_an_area(field_service, tmp_path):
    service, _ = field_service
    _, _, fb = run_alg(CheckoutAlgorithm, {"DATABASE": service, "OUTPUT": str(tmp_path / "x.gpkg")}, expect_ok=False)
    assert any("code of a street" in e for e in fb.errors), fb.errors
