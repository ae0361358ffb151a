"""Two planners edit the same features through real QGIS layers (postgres provider, edit buffer,
commitChanges): different columns are both kept, the same column is a conflict the database
refuses, shown with base, theirs and ours, and resolved without losing anything (issue #11)."""

from __future__ import annotations

import time

import psycopg2
import pytest
from qgis.core import QgsGeometry, QgsPointXY, QgsVectorLayer

from grid_governance_plugin.core import labels
from grid_governance_plugin.core.store import db as store_db
from grid_governance_plugin.core.sync.layers import VersionedEditing
from tests.db import city

pytestmark = pytest.mark.postgis


def _layer(login, table):
    layer = QgsVectorLayer(store_db.layer_uri(login.dsn, table, key="id").uri(False), table, "postgres")
    assert layer.isValid(), layer.error().summary()
    return layer, VersionedEditing(layer)


def _fid(layer, grid_code):
    return next(f.id() for f in layer.getFeatures() if f["grid_code"] == grid_code)


@pytest.fixture
def planners(db, logins):
    city.seed(db)
    return logins("planner", areas=[city.A["street"]]), logins("planner", areas=[city.A["street"]])


def test_different_columns_are_both_kept_the_same_column_is_refused_and_resolved(db, planners, artifacts_dir):
    a, b = planners
    la, va = _layer(a, "grid")
    lb, vb = _layer(b, "grid")
    fid = _fid(la, city.A["grid"])
    assert la.startEditing() and lb.startEditing()
    # both open the same grid; A renames it, B writes a note: different columns
    la.changeAttributeValue(fid, la.fields().indexOf("name"), "甲改名")
    lb.changeAttributeValue(fid, lb.fields().indexOf("note"), "乙备注")
    assert la.commitChanges(), la.commitErrors()
    assert lb.commitChanges(), lb.commitErrors()  # rebased onto A's version: both kept
    with db.cursor() as cur:
        cur.execute("SELECT name, note, version FROM gridgov.grid WHERE id = %s", (fid,))
        assert cur.fetchone() == ("甲改名", "乙备注", 3)

    # same column: A saves first, B's save is refused by the database and nothing is lost
    assert la.startEditing() and lb.startEditing()
    la.changeAttributeValue(fid, la.fields().indexOf("name"), "甲二改")
    lb.changeAttributeValue(fid, lb.fields().indexOf("name"), "乙改名")
    new_geom = QgsGeometry.fromWkt(
        f"MultiPolygon((({city.A['x0']} 39.9, {city.A['x0'] + 0.03} 39.9, {city.A['x0'] + 0.03} 39.93, {city.A['x0']} 39.9)))"
    )
    lb.changeGeometry(fid, new_geom)
    assert la.commitChanges(), la.commitErrors()
    assert not lb.commitChanges()
    assert any("GG409" in e or "changed since you read" in e for e in lb.commitErrors()), lb.commitErrors()
    assert lb.isEditable()  # the edit buffer keeps B's edits
    conflict = vb.conflicts[fid]
    [col] = conflict.conflicts
    assert (col.column, col.base, col.theirs, col.ours) == ("name", "甲改名", "甲二改", "乙改名")
    with db.cursor() as cur:
        cur.execute("SELECT name, version FROM gridgov.grid WHERE id = %s", (fid,))
        assert cur.fetchone() == ("甲二改", 4)
    # B sees both side by side (table and map) and merges by hand; the geometry (only B changed it) goes along
    from qgis.core import QgsProject

    from grid_governance_plugin.gui.conflicts import ConflictDialog

    dialog = ConflictDialog(vb)
    table = dialog.table
    assert table.rowCount() == 1
    cells = [table.item(0, j).text() for j in range(table.columnCount())]
    assert cells[1:5] == [labels.label("field", "name"), "甲改名", "甲二改", "乙改名"]
    assert dialog.map_layer is None  # no geometry in conflict: nothing to draw
    table.item(0, 5).setText("甲乙合名")
    dialog.show()
    dialog.grab().save(str(artifacts_dir / "sync_conflict_dialog.png"))
    dialog.merge.click()
    assert dialog.result() == dialog.Accepted and not vb.conflicts
    assert not QgsProject.instance().mapLayersByName("Conflicts in grid")
    assert lb.commitChanges(), lb.commitErrors()
    conn = b.connect()
    assert vb.record_resolutions(conn, "grid") == 1
    with db.cursor() as cur:
        cur.execute("SELECT name, version, ST_Area(geom) > 0.0004 FROM gridgov.grid WHERE id = %s", (fid,))
        assert cur.fetchone() == ("甲乙合名", 5, True)
        cur.execute(
            "SELECT login, note FROM gridgov.audit_log WHERE table_name = 'grid' AND row_key = %s ORDER BY id DESC LIMIT 1",
            (str(fid),),
        )
        login, note = cur.fetchone()
    assert login == b.name and '"merge"' in note and "name" in note
    conn.close()


def test_identical_changes_are_no_conflict_and_theirs_can_be_taken(db, planners):
    a, b = planners
    la, _ = _layer(a, "grid")
    lb, vb = _layer(b, "grid")
    fid = _fid(la, city.A["grid"])
    assert la.startEditing() and lb.startEditing()
    for layer in (la, lb):
        layer.changeAttributeValue(fid, layer.fields().indexOf("note"), "同样")
    assert la.commitChanges() and lb.commitChanges(), lb.commitErrors()  # geodiff #152
    assert la.startEditing() and lb.startEditing()
    la.changeAttributeValue(fid, la.fields().indexOf("note"), "甲")
    lb.changeAttributeValue(fid, lb.fields().indexOf("note"), "乙")
    assert la.commitChanges()
    assert not lb.commitChanges()
    vb.resolve(fid, "theirs")
    assert lb.commitChanges(), lb.commitErrors()
    with db.cursor() as cur:
        cur.execute("SELECT note FROM gridgov.grid WHERE id = %s", (fid,))
        assert cur.fetchone() == ("甲",)


def test_a_channel_sets_the_status_while_a_planner_moves_the_camera_both_kept(db, logins, planners):
    a, _ = planners
    ch = logins("channel", sources=["sensor:cam"])
    with db.cursor() as cur:
        cur.execute(
            "UPDATE gridgov.camera SET device_id = '11010100001320000009' WHERE grid_code = %s", (city.A["grid"],)
        )
    layer, vl = _layer(a, "camera")
    [fid] = [f.id() for f in layer.getFeatures()]
    assert layer.startEditing()
    layer.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(city.A["lon"] + 0.002, city.A["lat"] + 0.001)))
    conn = psycopg2.connect(ch.dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT gridgov.set_camera_status('11010100001320000009', 'offline')")
    conn.close()
    assert layer.commitChanges(), layer.commitErrors()
    with db.cursor() as cur:
        cur.execute("SELECT status, round(ST_X(geom)::numeric, 4), version FROM gridgov.camera WHERE id = %s", (fid,))
        status, x, version = cur.fetchone()
    assert status == "offline" and float(x) == round(city.A["lon"] + 0.002, 4) and version == 4


def test_an_edit_of_a_feature_deleted_meanwhile_is_kept_as_a_conflict(db, planners):
    a, b = planners
    la, _ = _layer(a, "camera")
    lb, vb = _layer(b, "camera")
    [fid] = [f.id() for f in la.getFeatures()]
    assert lb.startEditing()
    lb.changeAttributeValue(fid, lb.fields().indexOf("name"), "乙改")
    assert la.startEditing() and la.deleteFeature(fid) and la.commitChanges()
    lb.commitChanges()
    conflict = vb.conflicts[fid]
    assert conflict.deleted and conflict.conflicts[0].ours == "乙改"
    assert conflict.as_json()["columns"]["name"]["ours"] == "乙改"


def test_a_geometry_conflict_is_drawn_on_the_map_both_versions(db, planners):
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication

    from grid_governance_plugin.gui.conflicts import DIALOGS, ConflictDialog, unwatch_all, watch_layers

    a, b = planners
    la, _ = _layer(a, "camera")
    # B's layer as the plugin has it: watched when added, the choice recorded once saved
    lb = QgsVectorLayer(store_db.layer_uri(b.dsn, "camera", key="id").uri(False), "camera", "postgres")
    [vb] = watch_layers([lb])
    [fid] = [f.id() for f in la.getFeatures()]
    assert la.startEditing() and lb.startEditing()
    la.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(city.A["lon"] + 0.003, city.A["lat"])))
    lb.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(city.A["lon"] - 0.003, city.A["lat"])))
    assert la.commitChanges() and not lb.commitChanges()
    # the refused save opens the conflict dialog by itself (not modal: the map stays usable)
    deadline = time.monotonic() + 60
    while lb.id() not in DIALOGS and time.monotonic() < deadline:
        QCoreApplication.processEvents()
    dialog = DIALOGS[lb.id()]
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible() and not dialog.isModal()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == labels.label("field", "geom")
    layer = dialog.map_layer
    assert layer is not None and layer.featureCount() == 2
    lid = layer.id()
    assert QgsProject.instance().mapLayer(lid) is layer
    dialog.theirs.click()
    assert QgsProject.instance().mapLayer(lid) is None and dialog.map_layer is None
    assert lb.id() not in DIALOGS
    assert lb.commitChanges(), lb.commitErrors()
    with db.cursor() as cur:
        cur.execute("SELECT round(ST_X(geom)::numeric, 4) FROM gridgov.camera WHERE id = %s", (fid,))
        assert float(cur.fetchone()[0]) == round(city.A["lon"] + 0.003, 4)
        cur.execute(
            "SELECT login, note FROM gridgov.audit_log WHERE table_name = 'camera' AND row_key = %s ORDER BY id DESC LIMIT 1",
            (str(fid),),
        )
        login, note = cur.fetchone()
    assert login == b.name and '"theirs"' in note and "geom" in note and not vb.resolutions
    unwatch_all()
