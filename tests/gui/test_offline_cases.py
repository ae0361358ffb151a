"""The events dock and the case card on an offline copy (issue #11): a full working copy of the case flow.

An area is checked out with gridgov:checkout as a real login, the case is driven through the dock and
the card with the connection gone (立案, 派遣, assignment, 挂账 asked and approved, resumed, 延期 asked
and approved, 处置, 核查, 结案), then gridgov:syncoffline sends it up as the same login: the server holds
each step, made by the real functions as that login, and the audit says so. A case the desk moved
meanwhile becomes a conflict; a GeoPackage that is not a checkout stays read-only, saying why.
"""

from __future__ import annotations

import time
from contextlib import closing

import pytest
from osgeo import gdal
from qgis.core import QgsProject, QgsVectorLayer

from grid_governance_plugin.core.events import cases
from grid_governance_plugin.gui.events_dock import EventsDock, LayerCases, OfflineCases
from grid_governance_plugin.processing.alg_sync import CheckoutAlgorithm, SyncOfflineAlgorithm
from tests.db import city
from tests.helpers import report_event, run_alg

pytestmark = pytest.mark.postgis
NOT_SYNCED = "not yet synced"


def _q(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


@pytest.fixture
def area(db, logins, tmp_path, monkeypatch):
    """Street A with a reported and a dispatched case; a field supervisor, a desk supervisor and a
    grid worker, each a real login; the field logins reachable through pg_service entries."""
    city.seed(db)
    reported = report_event(db, "off-loop", lon=city.A["lon"], lat=city.A["lat"])
    dispatched = report_event(db, "off-busy", lon=city.A["lon"], lat=city.A["lat"])
    _q(db, "SELECT gridgov.transition(%s, 'registered')", (dispatched,))
    _q(db, "SELECT gridgov.transition(%s, 'dispatched')", (dispatched,))
    field = logins("supervisor", areas=[city.A["street"]])
    desk = logins("supervisor", areas=[city.A["street"]])
    worker = logins("worker", areas=[city.A["grid"]])
    lines = []
    for name, login in (("gridgov_field", field), ("gridgov_worker", worker)):
        lines.append(f"[{name}]\n" + "".join(f"{kv}\n" for kv in login.dsn.split()))
    service = tmp_path / "pg_service.conf"
    service.write_text("".join(lines))
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    return {"reported": reported, "dispatched": dispatched, "field": field, "desk": desk, "worker": worker}


def _checkout(service: str, path) -> None:
    res, _, fb = run_alg(CheckoutAlgorithm, {"DATABASE": service, "AREA": city.A["street"], "OUTPUT": str(path)})
    assert res["FEATURES"] > 0, fb.errors


def _sync(service: str, path) -> dict:
    res, _, fb = run_alg(SyncOfflineAlgorithm, {"DATABASE": service, "PACKAGE": str(path)})
    return res


@pytest.fixture
def open_dock(qgis_iface):
    """The dock on a GeoPackage's event layer, with no PostGIS connection (offline)."""
    made = []

    def make(path) -> EventsDock:
        layer = QgsVectorLayer(f"{path}|layername=event", "离线事件", "ogr")
        assert layer.isValid()
        QgsProject.instance().addMapLayer(layer)
        dock = EventsDock(qgis_iface, None, connection="")
        dock.events.setLayer(layer)
        dock.reload_source()
        dock.period.setCurrentIndex(dock.period.findData("all"))
        dock.card.ask_note = lambda parent, title: (True, "现场核实")
        dock.card.ask_reason = lambda parent, title: (True, "等占道许可")
        dock.card.ask_amount = lambda parent, title, unit: (True, 4.0)
        dock.refresh()
        made.append(dock)
        return dock

    yield make
    for dock in made:
        dock.cleanup()
        dock.deleteLater()
    QgsProject.instance().removeAllMapLayers()


def _history(card) -> list[list[str]]:
    return [[card.history.item(r, c).text() for c in range(4)] for r in range(card.history.rowCount())]


def _pending_rows(card) -> int:
    return sum(NOT_SYNCED in row[2] for row in _history(card))


def test_a_full_case_loop_on_an_offline_copy_syncs_up_as_the_login(area, db, open_dock, tmp_path):
    eid, field = area["reported"], area["field"]
    pkg = tmp_path / "field.gpkg"
    _checkout("service=gridgov_field", pkg)
    (dept, dept_name), *_ = _q(db, "SELECT code, name FROM gridgov.department ORDER BY code DESC LIMIT 1")
    server_before = _q(db, "SELECT status, version FROM gridgov.event WHERE id = %s", (eid,))[0]
    audit_mark = _q(db, "SELECT max(id) FROM gridgov.audit_log")[0][0]
    history_before = _q(db, "SELECT count(*) FROM gridgov.event_history WHERE event_id = %s", (eid,))[0][0]

    dock = open_dock(pkg)
    assert isinstance(dock.backend, OfflineCases) and not dock.backend.read_only
    assert dock.read_only_reason() == "" and field.name in dock.source_label.text()
    assert set(dock.visible_ids()) == {eid, area["dispatched"]}
    card = dock.card

    def step(to: str) -> None:
        assert card.transition_buttons[to].isEnabled(), card.transition_buttons[to].toolTip()
        card.transition_buttons[to].click()
        assert card.case["status"] == to, card.confirmation.text()

    # ---- offline: 立案, 派遣, assignment ----
    assert dock.select_case(eid)
    assert [k for k in card.transition_buttons if k] == cases.allowed_transitions("reported")
    step("registered")
    step("dispatched")
    # escalating and grading need the server: greyed out, saying so
    assert not card.loop_buttons["escalate"].isEnabled() and "connection" in card.loop_buttons["escalate"].toolTip()
    card.department_box.setCurrentIndex(card.department_box.findData(dept))
    card.worker_box.setCurrentIndex(card.worker_box.findData(city.A["worker"]))
    card.assign_button.click()
    assert (card.case["department"], card.case["worker_id"]) == (dept, city.A["worker"])
    assert card.facts["department"].text() == dept_name

    # ---- 挂账: asked, approved, resumed ----
    assert card.loop_buttons["suspend"].isEnabled(), card.loop_buttons["suspend"].toolTip()
    card.loop_buttons["suspend"].click()
    assert card.request_box.isVisibleTo(card) and "等占道许可" in card.request_label.text()
    assert not card.loop_buttons["suspend"].isEnabled()  # one request at a time
    card.approve_button.click()
    assert card.case["status"] == "suspended"
    assert card.facts["deadline_at"].text() == "Suspended: the clock is stopped"
    assert card.loop_buttons["resume"].isVisibleTo(card) and card.loop_buttons["resume"].isEnabled()
    card.loop_buttons["resume"].click()
    assert card.case["status"] == "dispatched"

    # ---- 延期: asked for 4 more hours, approved ----
    card.loop_buttons["extend"].click()
    assert "4" in card.request_label.text()
    card.approve_button.click()
    assert not card.request_box.isVisibleTo(card)

    # ---- 处置, 核查, 结案 ----
    step("handled")
    step("verified")
    step("closed")

    # the card shows every step, marked as not synced yet; the server has none of it
    rows = _history(card)
    assert _pending_rows(card) == 11, rows
    notes = [r[3] for r in rows if NOT_SYNCED in r[2]]
    assert notes[2].startswith("Assigned to " + dept_name) and notes[3] == "Asked to suspend the case: 等占道许可"
    assert notes[4] == "Suspension approved: the clock stops: 现场核实"
    assert notes[6].startswith("Asked for 4 more") and notes[7].startswith("Extension approved")
    assert card.history.item(len(rows) - 1, 0).toolTip()  # what happens next, on hover
    assert _q(db, "SELECT status, version FROM gridgov.event WHERE id = %s", (eid,))[0] == server_before
    assert "11 case action(s) not yet synced" in dock.source_label.text()  # how much waits to be sent

    # ---- sync, as the field login ----
    res = _sync("service=gridgov_field", pkg)
    assert (res["APPLIED"], res["CONFLICTS"], res["REFUSED"]) == (11, 0, 0), res
    assert _q(db, "SELECT status, department, worker_id FROM gridgov.event WHERE id = %s", (eid,)) == [
        ("closed", dept, city.A["worker"])
    ]
    steps = _q(
        db,
        "SELECT login, from_status, to_status FROM gridgov.event_history WHERE event_id = %s ORDER BY id OFFSET %s",
        (eid, history_before),
    )
    assert [(f, t) for _, f, t in steps] == [
        ("reported", "registered"),
        ("registered", "dispatched"),
        ("dispatched", "dispatched"),  # assigned
        ("dispatched", "dispatched"),  # asked to suspend
        ("dispatched", "suspended"),  # suspended (挂账)
        ("suspended", "dispatched"),  # resumed
        ("dispatched", "dispatched"),  # asked to extend
        ("dispatched", "dispatched"),  # deadline extended (延期)
        ("dispatched", "handled"),
        ("handled", "verified"),
        ("verified", "closed"),
    ]
    assert {login for login, _, _ in steps} == {field.name}
    assert _q(
        db,
        "SELECT kind, amount, requested_by, decision, decided_by, resumed_by FROM gridgov.case_request"
        " WHERE event_id = %s ORDER BY id",
        (eid,),
    ) == [
        ("suspend", None, field.name, "approved", field.name, field.name),
        ("extend", 4.0, field.name, "approved", field.name, None),
    ]
    # the audit trail: every change of the case since the checkout is the field login's
    audit = _q(
        db,
        "SELECT login, new ->> 'status' FROM gridgov.audit_log WHERE table_name = 'event' AND row_key = %s"
        " AND id > %s ORDER BY id",
        (eid, audit_mark),
    )
    assert {login for login, _ in audit} == {field.name}, audit
    assert [s for _, s in audit if s] == ["registered", "dispatched", "suspended", "dispatched", "handled"] + [
        "verified",
        "closed",
    ], audit
    assert _q(db, "SELECT count(*) FROM gridgov.sync_applied WHERE login = %s", (field.name,)) == [(11,)]

    # the card shows the server's history now: nothing left to sync
    dock.refresh()
    assert dock.select_case(eid)
    assert card.case["status"] == "closed" and _pending_rows(card) == 0
    assert len(_history(card)) >= 11 + history_before
    assert "not yet synced" not in dock.source_label.text()
    # a second sync sends nothing
    res = _sync("service=gridgov_field", pkg)
    assert (res["APPLIED"], res["CONFLICTS"], res["REFUSED"]) == (0, 0, 0)


def test_a_case_moved_online_meanwhile_becomes_a_conflict(area, db, open_dock, tmp_path):
    eid = area["dispatched"]
    pkg = tmp_path / "field.gpkg"
    _checkout("service=gridgov_field", pkg)
    dock = open_dock(pkg)
    card = dock.card
    assert dock.select_case(eid)
    card.loop_buttons["extend"].click()
    card.approve_button.click()
    assert _pending_rows(card) == 2
    # meanwhile the desk reports it handled
    with closing(area["desk"].connect()) as dc:
        _q(dc, "SELECT gridgov.transition(%s, 'handled')", (eid,))
    res = _sync("service=gridgov_field", pkg)
    assert (res["APPLIED"], res["CONFLICTS"], res["REFUSED"]) == (0, 1, 0), res
    # one step on the server, the desk's: no extension asked or granted behind it
    assert _q(db, "SELECT status FROM gridgov.event WHERE id = %s", (eid,)) == [("handled",)]
    assert _q(db, "SELECT count(*) FROM gridgov.case_request WHERE event_id = %s", (eid,)) == [(0,)]
    # the card keeps both actions, saying what became of them
    dock.refresh()
    assert dock.select_case(eid)
    steps = [r[2] for r in _history(card)][-2:]
    assert "conflict at sync" in steps[0] and "waits for an earlier step in conflict" in steps[1], steps
    assert area["desk"].name in card.history.item(card.history.rowCount() - 2, 0).toolTip()
    # the conflict dialog names the case, the field, the statuses and the action as a user calls them
    from grid_governance_plugin.core import dberrors, labels
    from grid_governance_plugin.gui.conflicts import OfflineConflictDialog

    dialog = OfflineConflictDialog(str(pkg))
    cells = [[dialog.table.item(r, j).text() for j in range(6)] for r in range(dialog.table.rowCount())]
    by_field = {row[1]: row for row in cells}
    status = by_field[labels.label("field", "status")]
    assert status[3] == labels.label("case_status", "handled") and status[0].startswith(dberrors.row_kind("event"))
    assert by_field[labels.label("field", "action")][4] == labels.label("case_action", "request_extension")
    codes = {"status", "action", "handled", "dispatched", "request_extension", "event"}
    assert not codes & {word for row in cells for cell in row for word in cell.split()}, cells
    dialog.deleteLater()


def test_a_grid_worker_works_a_copy_within_the_workers_steps(area, db, open_dock, tmp_path):
    eid = area["dispatched"]
    pkg = tmp_path / "worker.gpkg"
    _checkout("service=gridgov_worker", pkg)
    dock = open_dock(pkg)
    card = dock.card
    assert dock.select_case(eid)
    buttons = card.transition_buttons
    assert buttons["handled"].isEnabled()
    assert not buttons["registered"].isEnabled() and "gridgov_supervisor" in buttons["registered"].toolTip()
    assert not card.assign_button.isEnabled()
    card.loop_buttons["suspend"].click()
    # deciding is a supervisor's: greyed out in the worker's copy, saying why
    assert not card.approve_button.isEnabled() and "gridgov_supervisor" in card.approve_button.toolTip()
    res = _sync("service=gridgov_worker", pkg)
    assert (res["APPLIED"], res["CONFLICTS"], res["REFUSED"]) == (1, 0, 0), res
    assert _q(db, "SELECT kind, requested_by, decision FROM gridgov.case_request WHERE event_id = %s", (eid,)) == [
        ("suspend", area["worker"].name, None)
    ]
    # the desk approves online; the next sync brings the suspended case down to the worker's copy
    with closing(area["desk"].connect()) as dc:
        _q(dc, "SELECT gridgov.decide_request(id, true) FROM gridgov.case_request WHERE event_id = %s", (eid,))
    _sync("service=gridgov_worker", pkg)
    dock.refresh()
    assert dock.select_case(eid)
    assert card.case["status"] == "suspended" and card.loop_buttons["resume"].isEnabled()


def test_a_geopackage_that_is_no_checkout_stays_read_only_saying_why(area, open_dock, tmp_path):
    pkg = tmp_path / "field.gpkg"
    _checkout("service=gridgov_field", pkg)
    plain = tmp_path / "export.gpkg"  # the same cases, exported: no sync book
    gdal.VectorTranslate(str(plain), str(pkg), layers=["event"])
    dock = open_dock(plain)
    assert isinstance(dock.backend, LayerCases) and not isinstance(dock.backend, OfflineCases)
    assert dock.backend.read_only
    why = dock.read_only_reason()
    assert "not an offline copy" in why and why in dock.source_label.text()
    assert dock.select_case(area["reported"])
    buttons = [b for k, b in dock.card.transition_buttons.items() if k]
    assert buttons and all(not b.isEnabled() and why in b.toolTip() for b in buttons)
    assert not dock.sync_button.isVisibleTo(dock)  # nothing to sync


@pytest.fixture
def provider(qgis_processing):
    from qgis.core import QgsApplication

    from grid_governance_plugin.processing.provider import GridGovProvider

    registry = QgsApplication.processingRegistry()
    added = None
    if registry.providerById("gridgov") is None:
        added = GridGovProvider()
        registry.addProvider(added)
    yield registry.providerById("gridgov")
    if added is not None:
        registry.removeProvider(added)


def test_the_dock_syncs_its_copy_from_a_button(area, db, open_dock, provider, tmp_path):
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication

    from grid_governance_plugin.gui.conflicts import OfflineConflictDialog

    eid, other = area["reported"], area["dispatched"]
    pkg = tmp_path / "field.gpkg"
    _checkout("service=gridgov_field", pkg)
    dock = open_dock(pkg)
    assert dock.sync_button.isVisibleTo(dock) and dock.sync_button.isEnabled()
    assert dock.select_case(eid)
    dock.card.transition_buttons["registered"].click()
    assert dock.select_case(other)
    dock.card.transition_buttons["handled"].click()
    assert "2 case action(s) not yet synced" in dock.source_label.text()
    with closing(area["desk"].connect()) as dc:  # the desk returns the other case meanwhile
        _q(dc, "SELECT gridgov.transition(%s, 'registered')", (other,))

    def wait_synced() -> None:
        deadline = time.monotonic() + 300  # a task in QGIS's task manager: wait for it to end
        while time.monotonic() < deadline:
            QCoreApplication.processEvents()
            if dock._sync_task is None and not QgsApplication.taskManager().countActiveTasks():
                return
            time.sleep(0.02)
        raise AssertionError("the sync task did not finish")

    # with the dock's connection, one click syncs in the background and says what happened
    dock._connection_override = "service=gridgov_field"
    task = dock.sync_copy()
    assert task is not None and not dock.sync_button.isEnabled()
    wait_synced()
    assert _q(db, "SELECT status FROM gridgov.event WHERE id = %s", (eid,)) == [("registered",)]
    assert "1 change(s) sent" in dock.status.text() and "1 conflict(s)" in dock.status.text(), dock.status.text()
    assert dock.sync_button.isEnabled()
    # the conflict (the other case, moved on both sides) opens for the user to resolve
    assert isinstance(dock._sync_dialog, OfflineConflictDialog) and dock._sync_dialog.table.rowCount() >= 1
    dock._sync_dialog.close()
    # the step that went up is no longer waiting; the one in conflict is kept in the copy, not dropped
    assert "1 case action(s) not yet synced" in dock.source_label.text(), dock.source_label.text()
