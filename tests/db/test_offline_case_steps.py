"""Case actions in an offline copy (issue #11): the copy's rules are the database's, action by action,
and suspension, extension, resumption and decisions taken offline meet the server's own moves as
conflicts, never as a second step. Real PostGIS, real logins of each job."""

from __future__ import annotations

import shutil
from contextlib import closing

import psycopg2
import pytest

from grid_governance_plugin.core.events import cases
from grid_governance_plugin.core.sync import offline
from tests.db import city
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


def _q(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def _case(cur, status: str) -> str:
    """A case in street A moved to ``status`` through the database's own functions (as the superuser)."""
    eid = report_event(cur, lon=city.A["lon"], lat=city.A["lat"])
    path = {
        "reported": [],
        "registered": ["registered"],
        "dispatched": ["registered", "dispatched"],
        "handled": ["registered", "dispatched", "handled"],
        "verified": ["registered", "dispatched", "handled", "verified"],
        "closed": ["registered", "dispatched", "handled", "verified", "closed"],
        "void": ["void"],
        "suspended": ["registered", "dispatched"],
    }[status]
    for step in path:
        cur.execute("SELECT gridgov.transition(%s, %s)", (eid, step))
    if status == "suspended":
        cur.execute("SELECT gridgov.request_suspension(%s, '等许可')", (eid,))
        cur.execute("SELECT gridgov.decide_request(%s, true)", (cur.fetchone()[0],))
    return eid


def _server_accepts(cur, sql: str, args: tuple) -> bool:
    """Whether the server takes the action (rolled back either way); a permission refusal fails the test."""
    cur.execute("SAVEPOINT probe")
    try:
        cur.execute(sql, args)
        return True
    except psycopg2.errors.InsufficientPrivilege:
        raise
    except psycopg2.Error:
        return False
    finally:
        cur.execute("ROLLBACK TO SAVEPOINT probe")


def _copy_accepts(pkg, tmp_path, action) -> bool:
    """Whether the copy takes the action, tried on a throwaway copy of the package."""
    trial = tmp_path / "trial.gpkg"
    shutil.copy(pkg, trial)
    try:
        action(trial)
        return True
    except offline.SyncError:
        return False


def test_the_copys_case_rules_are_the_databases_for_every_status(db, logins, tmp_path):
    """Every move a person makes, offline and online, from every status: the same answer. Suspension,
    resumption and extension included (009_closed_loop.sql: request_suspension, resume_case,
    request_extension and the kinds of gridgov.case_transition they read)."""
    city.seed(db)
    with db.cursor() as cur:
        ids = {s: _case(cur, s) for s in cases.STATES}
    sup = logins("supervisor", areas=[city.A["street"]])
    pkg = tmp_path / "rules.gpkg"
    with closing(sup.connect()) as conn:
        offline.checkout(conn, pkg, area=city.A["street"])
    # the copy holds the database's own table of steps
    db_table = set(_q(db, "SELECT from_status, to_status, kind FROM gridgov.case_transition"))
    import sqlite3

    copy = sqlite3.connect(pkg)
    assert set(copy.execute("SELECT from_status, to_status, kind FROM case_transition")) == db_table
    checked_out = {r[0] for r in copy.execute("SELECT id FROM event")}
    copy.close()
    assert checked_out == {ids[s] for s in offline.OPEN}  # a suspended case too: it can be resumed offline

    conn = sup.connect(autocommit=False)
    compared = 0
    with conn.cursor() as cur:
        for status, eid in ids.items():
            steps = {t for t in cases.STATES if _server_accepts(cur, "SELECT gridgov.transition(%s, %s)", (eid, t))}
            assert offline.allowed_steps(pkg, status) == cases.allowed_transitions(status), status
            assert set(offline.allowed_steps(pkg, status)) == steps, status
            server = {
                "suspend": _server_accepts(cur, "SELECT gridgov.request_suspension(%s, '天气')", (eid,)),
                "extend": _server_accepts(cur, "SELECT gridgov.request_extension(%s, '材料', 2)", (eid,)),
                "resume": _server_accepts(cur, "SELECT gridgov.resume_case(%s)", (eid,)),
            }
            for kind, ok in server.items():
                assert (offline.step_target(pkg, status, kind) is not None) == ok, (status, kind)
            if eid not in checked_out:
                continue
            # and the copy's own functions, on the case itself
            copy_says = {
                "suspend": _copy_accepts(pkg, tmp_path, lambda p, e=eid: offline.request_suspension(p, e, "天气")),
                "extend": _copy_accepts(pkg, tmp_path, lambda p, e=eid: offline.request_extension(p, e, "材料", 2)),
                "resume": _copy_accepts(pkg, tmp_path, lambda p, e=eid: offline.resume_case(p, e)),
            }
            assert copy_says == server, status
            for target in cases.STATES:
                taken = _copy_accepts(pkg, tmp_path, lambda p, e=eid, t=target: offline.transition(p, e, t))
                assert taken == (target in steps), (status, target)
            compared += 1
    conn.rollback()
    conn.close()
    assert compared == len(offline.OPEN)


@pytest.fixture
def street(db, logins):
    city.seed(db)
    with db.cursor() as cur:
        cases_ = {name: _case(cur, "dispatched") for name in ("moved", "asked", "decided", "ok")}
        cases_["paused"] = _case(cur, "suspended")
    worker = logins("worker", areas=[city.A["grid"]])
    with closing(worker.connect()) as conn:  # a worker asks before the supervisor goes offline
        (rid,) = _q(conn, "SELECT gridgov.request_extension(%s, '等吊车', 8)", (cases_["decided"],))[0]
    field = logins("supervisor", areas=[city.A["street"]])
    desk = logins("supervisor", areas=[city.A["street"]])
    return cases_, rid, field, desk


def test_suspension_extension_and_decisions_offline_meet_online_moves_as_conflicts(db, street, tmp_path):
    c, rid, field, desk = street
    pkg = tmp_path / "field.gpkg"
    fc = field.connect()
    offline.checkout(fc, pkg, area=city.A["street"])
    assert offline.open_request(pkg, c["decided"])["id"] == f"srv:{rid}"  # the worker's request came along

    # ---- offline ----
    ext = offline.request_extension(pkg, c["moved"], "材料未到", 4)
    offline.decide_request(pkg, ext, True, "同意")
    offline.request_suspension(pkg, c["asked"], "等占道许可")
    offline.decide_request(pkg, f"srv:{rid}", True)
    offline.resume_case(pkg, c["paused"], "许可已到")
    sus = offline.request_suspension(pkg, c["ok"], "暴雨")
    offline.decide_request(pkg, sus, True)
    offline.resume_case(pkg, c["ok"])
    with pytest.raises(offline.SyncError, match="waiting"):
        offline.request_suspension(pkg, c["asked"], "再问一次")  # one request waiting at a time, as online

    # ---- meanwhile online ----
    with closing(desk.connect()) as dc:
        _q(dc, "SELECT gridgov.transition(%s, 'handled')", (c["moved"],))  # moved on: the extension is stale
        _q(dc, "SELECT gridgov.request_suspension(%s, '桌面也申请')", (c["asked"],))  # asked there too
        _q(dc, "SELECT gridgov.decide_request(%s, false, '不批')", (rid,))  # decided there first

    before = _q(db, "SELECT count(*) FROM gridgov.case_request")[0][0]
    report = offline.sync(fc, pkg)
    assert report.refused == 0, report.messages
    assert report.conflicts == 3, report.messages
    found = {x.uid: x for x in offline.conflicts(pkg)}
    assert set(found) == {c["moved"], c["asked"], c["decided"]}
    assert desk.name in found[c["moved"]].message and found[c["moved"]].ours["action"] == "request_extension"
    assert found[c["decided"]].ours["action"] == "decide" and desk.name in found[c["decided"]].message
    # no second step: the server has the desk's moves only, for the three cases in conflict
    assert _q(db, "SELECT status FROM gridgov.event WHERE id = %s", (c["moved"],)) == [("handled",)]
    assert _q(db, "SELECT count(*) FROM gridgov.case_request WHERE event_id = %s", (c["moved"],)) == [(0,)]
    assert _q(db, "SELECT requested_by FROM gridgov.case_request WHERE event_id = %s", (c["asked"],)) == [(desk.name,)]
    assert _q(db, "SELECT decision, decided_by FROM gridgov.case_request WHERE id = %s", (rid,)) == [
        ("refused", desk.name)
    ]
    assert _q(db, "SELECT count(*) FROM gridgov.case_request")[0][0] == before + 1  # c["ok"]'s suspension only
    # the rest went through the real functions, as the field login
    assert _q(
        db,
        "SELECT requested_by, decision, decided_by, resumed_by FROM gridgov.case_request WHERE event_id = %s",
        (c["paused"],),
    ) == [("postgres", "approved", "postgres", field.name)]
    assert _q(
        db,
        "SELECT kind, requested_by, decision, decided_by, resumed_by FROM gridgov.case_request WHERE event_id = %s",
        (c["ok"],),
    ) == [("suspend", field.name, "approved", field.name, field.name)]
    assert _q(db, "SELECT status FROM gridgov.event WHERE id = ANY(%s::uuid[])", ([c["paused"], c["ok"]],)) == [
        ("dispatched",),
        ("dispatched",),
    ]
    # the decision after the stale request waits, blocked, and is kept
    states = dict(
        (kind, state)
        for kind, state in sqlite_rows(pkg, "SELECT kind, state FROM sync_case_action WHERE event_id = ?", c["moved"])
    )
    assert states == {"request_extension": "conflict", "decide": "blocked"}

    # ---- idempotent ----
    audit = _q(db, "SELECT count(*), max(id) FROM gridgov.audit_log")[0]
    again = offline.sync(fc, pkg)
    assert (again.applied, again.conflicts, again.refused) == (0, 0, 0)
    assert _q(db, "SELECT count(*), max(id) FROM gridgov.audit_log")[0] == audit

    # ---- resolve: the stale extension is dropped; the suspension asked again once the desk's is refused ----
    offline.resolve(pkg, found[c["moved"]].id, "theirs")
    with closing(desk.connect()) as dc:
        (desk_rid,) = _q(dc, "SELECT id FROM gridgov.case_request WHERE event_id = %s", (c["asked"],))[0]
        _q(dc, "SELECT gridgov.decide_request(%s, false)", (desk_rid,))
    offline.sync(fc, pkg)  # brings the refusal down
    offline.resolve(pkg, found[c["asked"]].id, "ours")
    with pytest.raises(offline.SyncError, match="could not be taken again"):
        offline.resolve(pkg, found[c["decided"]].id, "ours")  # that request is decided: nothing to approve
    final = offline.sync(fc, pkg)
    assert (final.applied, final.conflicts, final.refused) == (1, 0, 0), final.messages
    assert _q(
        db,
        "SELECT requested_by, decision FROM gridgov.case_request WHERE event_id = %s ORDER BY id",
        (c["asked"],),
    ) == [(desk.name, "refused"), (field.name, None)]
    assert _q(db, "SELECT count(*) FROM gridgov.case_request WHERE event_id = %s", (c["moved"],)) == [(0,)]
    assert offline.conflicts(pkg) == []
    fc.close()


def sqlite_rows(pkg, sql, *args):
    import sqlite3

    con = sqlite3.connect(pkg)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()
