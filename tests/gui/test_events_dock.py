"""The Events and cases dock against a real PostGIS store, and read-only on a GeoPackage."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorFileWriter, QgsVectorLayer
from qgis.PyQt.QtCore import QItemSelectionModel

from grid_governance_plugin.core.events import cases
from grid_governance_plugin.gui import live_layer as ll
from grid_governance_plugin.gui.events_dock import CaseTableModel, DuplicatesDialog, EventsDock
from tests.helpers import wait_until

pytestmark = pytest.mark.postgis
UTC = dt.timezone.utc
LON, LAT = 116.3975, 39.9087


def _insert(
    conn,
    ext: str,
    status: str = "reported",
    category: str = "SJ0102",
    grid: str = "G1",
    dept: str = "HW",
    deadline_h: float = 5.0,
    reported_days: float = 1.0,
    lon: float = LON,
    lat: float = LAT,
) -> str:
    now = dt.datetime.now(UTC)
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, department,"
            " grid_code, deadline_at, geom) VALUES ('test', %s, %s, %s, %s, %s, %s, %s,"
            " ST_SetSRID(ST_MakePoint(%s, %s), 4490)) RETURNING id::text",
            (
                ext,
                category,
                now - dt.timedelta(days=reported_days),
                status,
                dept,
                grid,
                None if status in ("closed", "void") else now + dt.timedelta(hours=deadline_h),
                lon,
                lat,
            ),
        )
        return cur.fetchone()[0]


@pytest.fixture
def store(gridgov_db):
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', '张三')")
    ids = {
        "a": _insert(conn, "a", "reported", grid="G1", dept="HW"),
        "b": _insert(conn, "b", "reported", grid="G1", dept="HW", deadline_h=-2),  # overdue
        "c": _insert(conn, "c", "dispatched", category="SJ0402", grid="G2", dept="SW", deadline_h=-1),  # overdue
        "d": _insert(conn, "d", "closed", grid="G2", dept="SW"),
        "e": _insert(conn, "e", "handled", grid="G1", dept="SW", reported_days=20),
    }
    yield gridgov_db, conn, ids
    conn.close()


@pytest.fixture
def dock(qgis_iface, store):
    d = EventsDock(qgis_iface, None, connection=store[0])
    d.period.setCurrentIndex(d.period.findData("all"))
    d.card.ask_note = lambda parent, title: (True, "checked on site")
    d.refresh()
    yield d
    d.cleanup()
    d.deleteLater()


def _deleted(obj) -> bool:
    from qgis.PyQt import sip

    return sip.isdeleted(obj)


def _set(box, data) -> None:
    box.setCurrentIndex(box.findData(data))


def test_filters(dock, store):
    _, _, ids = store
    assert not dock.backend.read_only
    assert set(dock.visible_ids()) == set(ids.values())
    _set(dock.status_box, "open")
    dock.refresh()
    assert set(dock.visible_ids()) == {ids["a"], ids["b"], ids["c"], ids["e"]}
    _set(dock.status_box, None)
    dock.overdue.setChecked(True)
    dock.refresh()
    assert set(dock.visible_ids()) == {ids["b"], ids["c"]}
    dock.overdue.setChecked(False)
    _set(dock.category, "SJ0402")
    dock.refresh()
    assert dock.visible_ids() == [ids["c"]]
    _set(dock.category, None)
    _set(dock.grid_box, "G2") if dock.grid_box.findData("G2") >= 0 else dock.grid_box.setEditText("G2")
    dock.refresh()
    assert set(dock.visible_ids()) == {ids["c"], ids["d"]}
    dock.grid_box.setCurrentIndex(0)
    _set(dock.department, "SW")
    dock.refresh()
    assert set(dock.visible_ids()) == {ids["c"], ids["d"], ids["e"]}
    _set(dock.department, None)
    _set(dock.period, "7")
    dock.refresh()
    assert ids["e"] not in dock.visible_ids() and len(dock.visible_ids()) == 4
    # the list sorts by any column
    dock.table.sortByColumn(1, 0)  # status, ascending in flow order
    statuses = [dock.proxy.index(r, 1).data() for r in range(dock.proxy.rowCount())]
    assert statuses[0] == cases.state_label("reported") and statuses[-1] == cases.state_label("closed")


def test_buttons_are_the_allowed_transitions(dock, store):
    _, conn, _ = store
    for status in cases.STATES:
        eid = _insert(conn, f"s-{status}", status)
        dock.refresh()
        assert dock.select_case(eid)
        assert dock.card.case["id"] == eid
        buttons = {k for k in dock.card.transition_buttons if k}
        assert buttons == set(cases.allowed_transitions(status)), status
        illegal = set(cases.STATES) - set(cases.allowed_transitions(status))
        assert not buttons & illegal
        if not cases.allowed_transitions(status):  # void; closed can be reopened (重办, 009)
            assert "" in dock.card.transition_buttons  # "no further step"
        if status in cases.TERMINAL_STATES:
            assert not dock.card.assign_group.isEnabled()


def test_transition_through_the_dock_is_recorded(dock, store):
    dsn, conn, ids = store
    assert dock.select_case(ids["a"])
    dock.card.transition_buttons["registered"].click()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT from_status, to_status, actor, note FROM gridgov.event_history WHERE event_id = %s", (ids["a"],)
        )
        assert cur.fetchall() == [("reported", "registered", "postgres", "checked on site")]
        cur.execute("SELECT status FROM gridgov.event WHERE id = %s", (ids["a"],))
        assert cur.fetchone()[0] == "registered"
    # the card follows: new buttons, the step in its history table
    assert dock.card.case["status"] == "registered"
    assert set(dock.card.transition_buttons) == set(cases.allowed_transitions("registered"))
    assert dock.card.history.rowCount() == 1 and dock.card.history.item(0, 3).text() == "checked on site"
    # cancelling the note dialog does nothing
    dock.card.ask_note = lambda parent, title: (False, "")
    dock.card.transition_buttons["dispatched"].click()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.event_history WHERE event_id = %s", (ids["a"],))
        assert cur.fetchone()[0] == 1


def test_a_stale_card_is_refused_by_the_database(dock, store):
    _, conn, ids = store
    assert dock.select_case(ids["b"])
    assert "registered" in dock.card.transition_buttons
    errors = []
    dock.card.failed.connect(errors.append)
    with conn.cursor() as cur:  # someone else voids it meanwhile
        cur.execute("SELECT gridgov.transition(%s::uuid, 'void', 'other desk', NULL)", (ids["b"],))
    assert dock.card.do_transition("registered") is False
    # the card states the version it shows (010_versions.sql): refused, saying what changed and who
    assert errors and "changed" in errors[0] and "other desk" in errors[0], errors
    assert dock.card.case["status"] == "void" and set(dock.card.transition_buttons) == {""}


def test_assignment_and_bulk_actions(dock, store):
    _, conn, ids = store
    # one case: assign through the card
    assert dock.select_case(ids["a"])
    _set(dock.card.department_box, "SW")
    _set(dock.card.worker_box, "W1")
    assert dock.card.do_assign()
    with conn.cursor() as cur:
        cur.execute("SELECT department, worker_id FROM gridgov.event WHERE id = %s", (ids["a"],))
        assert cur.fetchone() == ("SW", "W1")
    # bulk: two reported cases share their steps; reported + dispatched share none of the same kind
    assert dock.common_transitions([ids["a"], ids["b"]]) == ["registered", "void"]
    assert dock.common_transitions([ids["a"], ids["c"]]) == []
    done, errors = dock.bulk_transition("registered", [ids["a"], ids["b"], ids["d"]], note="bulk")
    assert (done, len(errors)) == (3, 0)  # the closed case is reopened (重办, 009) along with the others
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.event_history WHERE note = 'bulk' AND to_status = 'registered'")
        assert cur.fetchone()[0] == 3
    done, errors = dock.bulk_assign([ids["a"], ids["b"]], department="HW", note="bulk assign")
    assert (done, errors) == (2, [])
    # the bulk menu offers only the common steps
    dock.refresh()
    dock.table.clearSelection()
    for eid in (ids["a"], ids["b"]):
        for r in range(dock.proxy.rowCount()):
            if dock.proxy.index(r, 0).data(CaseTableModel.ID_ROLE) == eid:
                dock.table.selectionModel().select(
                    dock.proxy.index(r, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows
                )
    assert set(dock.selected_ids()) == {ids["a"], ids["b"]}
    dock._fill_bulk_menu()
    texts = [a.text() for a in dock.bulk_menu.actions() if a.text()]
    assert any(cases.action_label("registered", "dispatched") in t for t in texts)
    assert not any(cases.action_label("reported", "registered") in t for t in texts)


def test_duplicates_are_suggested_and_merged(dock, store):
    dsn, conn, _ = store
    with conn.cursor() as cur:
        for ext, dlon in (("dup1", 0.0), ("dup2", 0.0001)):  # ~9 m apart, minutes apart
            cur.execute(
                "SELECT gridgov.report_event('app', %s, 'SJ0301', now() - interval '10 minutes', %s, %s)",
                (ext, 117.0 + dlon, 40.0),
            )
    dlg = DuplicatesDialog(dock.backend)
    dlg.search()
    pairs = [p for p in dlg.pairs if p["category_code"] == "SJ0301"]
    assert len(pairs) == 1
    for r, p in enumerate(dlg.pairs):
        if p["category_code"] != "SJ0301":
            dlg.table.item(r, 0).setCheckState(0)
    assert dlg.merge_checked() == 1
    with conn.cursor() as cur:
        cur.execute("SELECT status, duplicate_of::text FROM gridgov.event WHERE id = %s", (pairs[0]["duplicate_id"],))
        assert cur.fetchone() == ("void", pairs[0]["event_id"])


def test_photo_link_and_cameras_on_the_card(dock, store):
    _, conn, ids = store
    with conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event SET media_url = 'https://media.example/p/1.jpg' WHERE id = %s", (ids["c"],))
        cur.execute(
            "INSERT INTO gridgov.camera (name, system, hfov, range_m, geom)"
            " VALUES ('dome', '雪亮', 360, 60, ST_SetSRID(ST_MakePoint(%s, %s), 4490))",
            (LON + 0.0002, LAT),
        )
    assert dock.select_case(ids["c"])
    assert 'href="https://media.example/p/1.jpg"' in dock.card.photo.text()
    assert dock.card.photo.openExternalLinks()
    assert dock.card.cameras.count() == 1 and "dome" in dock.card.cameras.item(0).text()
    # a non-web link is shown as text, never as a link
    with conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event SET media_url = 'javascript:alert(1)' WHERE id = %s", (ids["c"],))
    dock.card.show_case(ids["c"])
    assert "href" not in dock.card.photo.text()


def test_read_only_on_a_geopackage_layer(qgis_iface, tmp_path):
    src = ll.make_memory_layer("event")
    now = dt.datetime.now(UTC)
    feats = []
    for i, (status, days, dl) in enumerate((("reported", 1, 3), ("dispatched", 2, -3), ("closed", 40, None))):
        f = QgsFeature(src.fields())
        f["id"] = f"00000000-0000-0000-0000-00000000000{i}"
        f["category_code"] = "SJ0102"
        f["status"] = status
        f["grid_code"] = "G1"
        f["reported_at"] = ll.to_qdatetime(now - dt.timedelta(days=days))
        f["deadline_at"] = ll.to_qdatetime(now + dt.timedelta(hours=dl)) if dl is not None else None
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(LON, LAT)))
        feats.append(f)
    src.dataProvider().addFeatures(feats)
    path = str(tmp_path / "store.gpkg")
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.layerName = "event"
    QgsVectorFileWriter.writeAsVectorFormatV3(src, path, QgsProject.instance().transformContext(), opts)
    # the store's camera and history tables beside it
    cams = QgsVectorLayer(
        "Point?crs=EPSG:4490&field=name:string&field=status:string&field=azimuth:double"
        "&field=hfov:double&field=range_m:double",
        "camera",
        "memory",
    )
    for name, dlon, az in (("sees", -0.0003, 90.0), ("looks_away", -0.0003, 270.0)):
        c = QgsFeature(cams.fields())
        c.setAttributes([name, "online", az, 60.0, 80.0])
        c.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(LON + dlon, LAT)))
        cams.dataProvider().addFeature(c)
    hist = QgsVectorLayer(
        "None?field=event_id:string&field=at:datetime&field=actor:string&field=from_status:string"
        "&field=to_status:string&field=note:string",
        "event_history",
        "memory",
    )
    h = QgsFeature(hist.fields())
    h.setAttributes(
        ["00000000-0000-0000-0000-000000000001", ll.to_qdatetime(now), "desk", "registered", "dispatched", "sent out"]
    )
    hist.dataProvider().addFeature(h)
    for extra, name in ((cams, "camera"), (hist, "event_history")):
        o = QgsVectorFileWriter.SaveVectorOptions()
        o.layerName = name
        o.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
        QgsVectorFileWriter.writeAsVectorFormatV3(extra, path, QgsProject.instance().transformContext(), o)
    layer = QgsVectorLayer(f"{path}|layername=event", "events", "ogr")
    assert layer.isValid() and layer.featureCount() == 3
    QgsProject.instance().addMapLayer(layer)
    d = EventsDock(qgis_iface, None, connection="")
    d.events.setLayer(layer)
    d.period.setCurrentIndex(d.period.findData("all"))
    d.refresh()
    try:
        assert d.backend.read_only
        assert len(d.visible_ids()) == 3
        d.overdue.setChecked(True)
        d.refresh()
        assert d.visible_ids() == ["00000000-0000-0000-0000-000000000001"]
        assert d.select_case(d.visible_ids()[0])
        buttons = d.card.transition_buttons
        assert set(buttons) == set(cases.allowed_transitions("dispatched"))
        assert not any(b.isEnabled() for b in buttons.values())
        # history and cameras come from the same GeoPackage
        assert d.card.history.rowCount() == 1 and d.card.history.item(0, 3).text() == "sent out"
        assert d.card.cameras.count() == 1 and "sees" in d.card.cameras.item(0).text()
        assert not d.dup_button.isEnabled() and not d.live_button.isEnabled()
        d.overdue.setChecked(False)
        _set(d.period, "7")
        d.refresh()
        assert len(d.visible_ids()) == 2
        # the heatmap view of the GeoPackage layer filters the window in the provider
        view = ll.heatmap_view(layer, now - dt.timedelta(days=7), now + dt.timedelta(minutes=1), add_to_project=False)
        assert view.subsetString() and view.featureCount() == 2
        assert view.renderer().type() == "heatmapRenderer"
    finally:
        d.cleanup()
        QgsProject.instance().removeAllMapLayers()


def test_actions_for_the_menu(dock, store):
    _insert(store[1], "old", reported_days=40)  # outside the heatmap's 30 days
    names = {a.objectName() for a in dock.actions()}
    assert {"GridGovSupervisionBoard", "GridGovLiveEvents", "GridGovEventHeatmap", "GridGovPlayLastMonth"} <= names
    assert dock.actions() == dock.actions()  # created once
    acts = {a.objectName(): a for a in dock.actions()}
    acts["GridGovSupervisionBoard"].trigger()
    try:
        assert dock._board is not None and dock._board.section("overdue") is not None
        grids = {row[0] for row in dock._board.section("overdue").rows}
        assert {"G1", "G2"} <= grids
    finally:
        dock._board.done(0)
    before = set(QgsProject.instance().mapLayers())
    acts["GridGovEventHeatmap"].trigger()
    added = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
    try:
        # the window's points for close-ups and its server-binned cells for the overview, in one group
        assert len(added) == 2 and {a.providerType() for a in added} == {"postgres"}
        detail = next(a for a in added if a.subsetString())
        cells = next(a for a in added if a is not detail)
        assert detail.renderer().type() == cells.renderer().type() == "heatmapRenderer"
        assert "reported_at" in detail.subsetString()
        assert detail.featureCount() == 5  # the store's five, not the 40-day-old one
        assert sum(f["n"] for f in cells.getFeatures()) == 5
        root = QgsProject.instance().layerTreeRoot()
        parent = root.findLayer(cells.id()).parent()
        siblings = [c.layerId() for c in parent.children() if hasattr(c, "layerId")]
        assert abs(siblings.index(cells.id()) - siblings.index(detail.id())) == 1  # side by side
        # a second heatmap replaces the first pair instead of stacking a second one
        acts["GridGovEventHeatmap"].trigger()
        now_added = set(QgsProject.instance().mapLayers()) - before
        assert len(now_added) == 2 and not now_added & {a.id() for a in added if not _deleted(a)}
        added = [QgsProject.instance().mapLayer(i) for i in now_added]
    finally:
        QgsProject.instance().removeMapLayers([a.id() for a in added])


def test_live_toggle_adds_a_live_layer_and_the_list_follows(dock, store):
    dsn, conn, ids = store
    action = next(a for a in dock.actions() if a.objectName() == "GridGovLiveEvents")
    dock.live_button.click()
    try:
        assert dock.live is not None and action.isChecked()
        layer_id = dock.live.layer.id()
        assert layer_id in QgsProject.instance().mapLayers()
        assert wait_until(lambda: dock.live.state == ll.STATE_LIVE)
        # reported at once, while the listener's first catch-up may still be running: its
        # notification must not wait for the next wake-up of the listener
        assert "●" in dock.live_status.text()
        n = len(dock.visible_ids())
        with conn.cursor() as cur:
            cur.execute(
                "SELECT gridgov.report_event('app', 'live-1', 'SJ0102', now() - interval '1 minute', %s, %s)",
                (LON, LAT),
            )
            uid = str(cur.fetchone()[0])
        assert wait_until(lambda: dock.live.feature_id(uid) is not None)
        assert wait_until(lambda: uid in dock.visible_ids()) and len(dock.visible_ids()) == n + 1
    finally:
        action.trigger()  # off through the menu action
    assert dock.live is None and not dock.live_button.isChecked()
    assert layer_id not in QgsProject.instance().mapLayers()  # the live layer left the project
