"""The closed loop of issue #12 in PostGIS: deadlines in working time from the responsibility list, grades,
escalation recorded level by level (and never twice for one missed deadline), 吹哨 by hand, suspension
and extension as transitions of the one state machine, the hotline's callback and upstream status.

Everything people do runs as real logins of their role (tests/helpers.py ``logins``); instants are
fixed Beijing times wherever the server's clock would otherwise decide.
"""

from __future__ import annotations

import datetime as dt
from contextlib import closing

import psycopg2
import pytest

from grid_governance_plugin.core.events import board, cases
from grid_governance_plugin.core.worktime import BEIJING
from tests.db import city
from tests.helpers import report_event, set_deadline

pytestmark = pytest.mark.postgis


def bj(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


def one(cur, sql, args=()):
    cur.execute(sql, args)
    return cur.fetchone()[0]


@pytest.fixture
def town(db):
    city.seed(db)
    return db


def new_case(cur, status: str = "reported", category: str = "SJ0102", where=city.A) -> str:
    """A case reported in street A's grid (community level), moved to ``status`` by the superuser."""
    eid = report_event(cur, category=category, lon=where["lon"], lat=where["lat"])
    path = ["registered", "dispatched", "handled", "verified"]
    if status != "reported":
        for step in path[: path.index(status) + 1]:
            cur.execute("SELECT gridgov.transition(%s, %s)", (eid, step))
    return eid


def row(cur, eid: str, *cols: str):
    cur.execute(f"SELECT {', '.join(cols)} FROM gridgov.event WHERE id = %s", (eid,))
    return cur.fetchone()


def history(cur, eid: str) -> list[tuple]:
    cur.execute(
        "SELECT login, from_status, to_status, note, source_at FROM gridgov.event_history WHERE event_id = %s"
        " ORDER BY id",
        (eid,),
    )
    return cur.fetchall()


# ------------------------------------------------------------------------------- deadlines
def test_step_deadlines_count_in_the_categorys_unit_and_grade(db):
    friday_eve = bj(2024, 9, 30, 17)  # the eve of the National Day holiday
    with db.cursor() as cur:
        # SJ0102 暴露垃圾: working hours; 处置 4 h
        assert one(cur, "SELECT gridgov.step_deadline('SJ0102', 'dispatched', %s)", (friday_eve,)) == bj(
            2024, 10, 8, 12
        )
        # the grade's factor: 重大 x2 (8 working hours), 简易 x0.5 (2)
        assert one(cur, "SELECT gridgov.step_deadline('SJ0102', 'dispatched', %s, 'major')", (friday_eve,)) == bj(
            2024, 10, 8, 17
        )
        assert one(cur, "SELECT gridgov.step_deadline('SJ0102', 'dispatched', %s, 'simple')", (friday_eve,)) == bj(
            2024, 10, 8, 10
        )
        # 受理 comes before grading: the grade does not change it (1 working hour: the close of office)
        assert one(cur, "SELECT gridgov.step_deadline('SJ0102', 'reported', %s, 'major')", (friday_eve,)) == bj(
            2024, 9, 30, 18
        )
        # SJ0403 燃气管道破裂: an emergency, round the clock in calendar hours (处置 2 h)
        assert one(cur, "SELECT time_unit FROM gridgov.event_category WHERE code = 'SJ0403'") == "calendar_hours"
        assert one(cur, "SELECT gridgov.step_deadline('SJ0403', 'dispatched', %s)", (friday_eve,)) == bj(
            2024, 9, 30, 19
        )
        # working days: the close of office on the n-th working day after the start's day
        cur.execute(
            "UPDATE gridgov.event_category SET time_unit = 'working_days', handle_hours = 3 WHERE code = 'SJ0101'"
        )
        assert one(cur, "SELECT gridgov.step_deadline('SJ0101', 'dispatched', %s)", (friday_eve,)) == bj(
            2024, 10, 10, 18
        )
        with pytest.raises(psycopg2.errors.CheckViolation):  # working days are whole days
            cur.execute("UPDATE gridgov.event_category SET handle_hours = 2.5 WHERE code = 'SJ0101'")


def test_report_and_transitions_take_their_deadlines_from_step_deadline(db):
    with db.cursor() as cur:
        eid = report_event(cur, category="SJ0102")
        received, deadline = row(cur, eid, "received_at", "deadline_at")
        assert deadline == one(cur, "SELECT gridgov.step_deadline('SJ0102', 'reported', %s)", (received,))
        cur.execute("SELECT gridgov.transition(%s, 'registered')", (eid,))
        updated, deadline = row(cur, eid, "updated_at", "deadline_at")
        assert deadline == one(cur, "SELECT gridgov.add_working_hours(%s, 1)", (updated,))
        gas = report_event(cur, category="SJ0403")
        received, deadline = row(cur, gas, "received_at", "deadline_at")
        assert deadline - received == dt.timedelta(minutes=15)  # 0.25 calendar hours


def test_a_case_reported_on_the_eve_of_a_holiday_is_not_overdue_during_it(town):
    """Received at 17:30 on 30 September 2024: its 受理 (1 working hour) falls due at 09:30 on 8 October."""
    with town.cursor() as cur:
        eid = new_case(cur)
        received = bj(2024, 9, 30, 17, 30)
        cur.execute("UPDATE gridgov.event SET received_at = %s WHERE id = %s", (received, eid))
        # what report_event computes from the receipt (test_report_and_transitions_...: the same function)
        set_deadline(cur, eid, one(cur, "SELECT gridgov.step_deadline('SJ0102', 'reported', %s)", (received,)))
        assert row(cur, eid, "deadline_at")[0] == bj(2024, 10, 8, 9, 30)
        for at in (bj(2024, 10, 1, 12), bj(2024, 10, 4, 15), bj(2024, 10, 7, 23, 59)):
            cur.execute("SELECT overdue, hours_left FROM gridgov.case_board_at(%s, NULL) WHERE id = %s", (at, eid))
            overdue, left = cur.fetchone()
            assert not overdue and left == 0.5, at  # the whole holiday: half a working hour left
            cur.execute("SELECT count(*) FROM gridgov.escalate_overdue(%s)", (at,))
            assert cur.fetchone()[0] == 0
        late = bj(2024, 10, 8, 11)
        cur.execute("SELECT overdue, hours_overdue FROM gridgov.case_board_at(%s, NULL) WHERE id = %s", (late, eid))
        assert cur.fetchone() == (True, 1.5)
        cur.execute("SELECT from_level, to_level FROM gridgov.escalate_overdue(%s)", (late,))
        assert cur.fetchall() == [("community", "street")]


def test_a_makeup_saturday_counts_as_a_working_day(town):
    """12 October 2024 is a 调休 Saturday: a case due at 10:00 that day is overdue at 11:00, not on Monday."""
    with town.cursor() as cur:
        eid = new_case(cur)
        due = one(cur, "SELECT gridgov.add_working_hours(%s, 2)", (bj(2024, 10, 11, 17),))
        assert due == bj(2024, 10, 12, 10)
        set_deadline(cur, eid, due)
        cur.execute(
            "SELECT overdue, hours_overdue FROM gridgov.case_board_at(%s, NULL) WHERE id = %s",
            (bj(2024, 10, 12, 11), eid),
        )
        assert cur.fetchone() == (True, 1.0)
        # Sunday 13 October is a day of rest again: the Saturday's 7 working hours late, nothing more
        cur.execute(
            "SELECT hours_overdue FROM gridgov.case_board_at(%s, NULL) WHERE id = %s", (bj(2024, 10, 13, 16), eid)
        )
        assert cur.fetchone() == (7.0,)
        cur.execute("SELECT event_id::text FROM gridgov.escalate_overdue(%s)", (bj(2024, 10, 12, 11),))
        assert cur.fetchall() == [(eid,)]


def test_hours_between_and_the_board_share_one_working_clock(db):
    """working_clock (inlined in the board) and working_seconds_at (one call) are the same W."""
    with db.cursor() as cur:
        cur.execute(
            "SELECT t, gridgov.working_seconds_at(t), (SELECT w FROM gridgov.working_clock(t))"
            " FROM generate_series(%s::timestamptz, %s::timestamptz, interval '97 minutes') t",
            (bj(2024, 9, 27), bj(2024, 10, 15)),
        )
        for t, a, b in cur.fetchall():
            assert a == pytest.approx(b), t
        # 17:00-18:00 on the eve of 国庆, the holiday 1-7 Oct counts nothing, 09:00-10:00 on the 8th
        assert one(cur, "SELECT gridgov.hours_between(%s, %s)", (bj(2024, 9, 30, 17), bj(2024, 10, 8, 10))) == 2.0
        assert (
            one(
                cur,
                "SELECT gridgov.hours_between(%s, %s, 'calendar_hours')",
                (bj(2024, 9, 30, 17), bj(2024, 10, 1, 10)),
            )
            == 17.0
        )


# ------------------------------------------------------------------------------- escalation
def test_escalation_records_the_levels_and_never_twice_for_one_missed_deadline(town, logins):
    street_sup = logins("supervisor", areas=[city.A["street"]])
    community_sup = logins("supervisor", areas=[city.A["community"]])
    with town.cursor() as cur:
        eid = new_case(cur, "dispatched")
        missed = bj(2024, 10, 8, 12)
        set_deadline(cur, eid, missed)
    at = bj(2024, 10, 9, 9, 30)
    with community_sup.connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT event_id::text, status, from_level, to_level, deadline_at FROM gridgov.escalate_overdue(%s)", (at,)
        )
        (got,) = cur.fetchall()
    assert got[:4] == (eid, "dispatched", "community", "street")
    with town.cursor() as cur:
        assert got[4] == one(cur, "SELECT gridgov.step_deadline('SJ0102', 'dispatched', %s)", (at,))
        cur.execute(
            "SELECT from_level, to_level, kind, missed_deadline, login FROM gridgov.case_escalation WHERE event_id = %s",
            (eid,),
        )
        assert cur.fetchall() == [("community", "street", "overdue", missed, community_sup.name)]
        assert history(cur, eid)[-1][:4] == (
            community_sup.name,
            "dispatched",
            "dispatched",
            "escalated community -> street (吹哨报到): deadline passed",
        )
        level, escalated_at = row(cur, eid, "level", "escalated_at")
        assert level == "street" and escalated_at is not None
        cur.execute("SELECT as_of, login, escalated FROM gridgov.escalation_run ORDER BY id")
        assert cur.fetchall() == [(at, community_sup.name, 1)]
        # the same missed deadline again (its deadline put back): no second escalation
        set_deadline(cur, eid, missed)
        cur.execute("SELECT count(*) FROM gridgov.escalate_overdue(%s)", (at,))
        assert cur.fetchone()[0] == 0
        assert row(cur, eid, "level")[0] == "street"
        with pytest.raises(psycopg2.errors.UniqueViolation):
            cur.execute(
                "INSERT INTO gridgov.case_escalation (event_id, from_level, to_level, kind, missed_deadline)"
                " VALUES (%s, 'street', 'district', 'overdue', %s)",
                (eid, missed),
            )
        # a new missed deadline: the street's, and the case goes up to the district
        set_deadline(cur, eid, bj(2024, 10, 10, 12))
        cur.execute("SELECT from_level, to_level FROM gridgov.escalate_overdue(%s)", (bj(2024, 10, 10, 15),))
        assert cur.fetchall() == [("street", "district")]
    # escalated to you: the street's supervisor saw it arrive; the community's did not
    with town.cursor() as cur:
        set_deadline(cur, eid, bj(2024, 10, 9, 12))
        cur.execute("UPDATE gridgov.event SET level = 'street' WHERE id = %s", (eid,))
    for login, mine in ((street_sup, True), (community_sup, False)):
        with login.connect() as conn:
            rows = {str(r["id"]): r for r in board.overdue_cases(conn, at=at, horizon_hours=None)}
            assert rows[eid]["escalated_to_me"] is mine, login.name
            listed = board.list_cases(conn, {"escalated": True})
            assert [r["id"] for r in listed] == ([eid] if mine else [])


def test_two_sweeps_at_once_escalate_a_case_once(town, logins):
    sup = logins("supervisor")
    with town.cursor() as cur:
        eid = new_case(cur, "registered")
        set_deadline(cur, eid, bj(2024, 10, 8, 12))
    first, second = sup.connect(autocommit=False), sup.connect(autocommit=False)
    try:
        with first.cursor() as c1, second.cursor() as c2:
            c1.execute("SELECT count(*) FROM gridgov.escalate_overdue(%s)", (bj(2024, 10, 9, 10),))
            assert c1.fetchone()[0] == 1
            c2.execute("SELECT count(*) FROM gridgov.escalate_overdue(%s)", (bj(2024, 10, 9, 10),))
            assert c2.fetchone()[0] == 0  # the first holds the case: skipped, not waited for
            first.commit()
            c2.execute("SELECT count(*) FROM gridgov.escalate_overdue(%s)", (bj(2024, 10, 9, 10),))
            assert c2.fetchone()[0] == 0
            second.commit()
    finally:
        first.close()
        second.close()
    with town.cursor() as cur:
        assert one(cur, "SELECT count(*) FROM gridgov.case_escalation WHERE event_id = %s", (eid,)) == 1


def test_escalate_overdue_refuses_a_future_moment(db):
    with db.cursor() as cur:
        with pytest.raises(psycopg2.errors.DatetimeFieldOverflow):
            cur.execute("SELECT * FROM gridgov.escalate_overdue(now() + interval '1 day')")


def test_a_supervisor_blows_the_whistle_by_hand(town, logins):
    sup = logins("supervisor", areas=[city.A["street"]])
    worker = logins("worker", areas=[city.A["grid"]])
    with town.cursor() as cur:
        eid = new_case(cur, "dispatched")
        deadline = row(cur, eid, "deadline_at")[0]
    with worker.connect() as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT gridgov.escalate_case(%s, '需要街道协调')", (eid,))
    with sup.connect() as conn:
        with pytest.raises(psycopg2.errors.NullValueNotAllowed):
            board.escalate_case(conn, eid, "  ")
        assert board.escalate_case(conn, eid, "占道经营反复, 需城管执法") == "street"
        assert board.escalate_case(conn, eid, "街道协调不了") == "district"
        with pytest.raises(psycopg2.errors.CheckViolation, match="district level already"):
            board.escalate_case(conn, eid, "再吹一次")
        detail = board.case_detail(conn, eid)
        assert detail["level"] == "district" and detail["escalated_at"] is not None
        assert detail["deadline_at"] == deadline  # not overdue: escalating does not buy time
        assert [(e["from_level"], e["to_level"], e["kind"], e["reason"]) for e in board.escalations(conn, eid)] == [
            ("community", "street", "manual", "占道经营反复, 需城管执法"),
            ("street", "district", "manual", "街道协调不了"),
        ]
    with town.cursor() as cur:
        assert history(cur, eid)[-1][3] == "escalated street -> district (吹哨报到) by hand: 街道协调不了"


# ------------------------------------------------------------------------------- grades
def test_grades_set_the_deadlines_and_a_major_case_goes_to_the_street(town, logins):
    sup = logins("supervisor", areas=[city.A["street"]])
    with town.cursor() as cur:
        eid = new_case(cur, "dispatched")
        set_deadline(cur, eid, bj(2024, 10, 8, 12))  # 4 working hours after 08 Oct 09:00
    with sup.connect() as conn:
        # 重大: twice as long (4 more working hours), and straight to the street
        assert board.set_grade(conn, eid, "major", "涉及多部门") == bj(2024, 10, 8, 17)
        detail = board.case_detail(conn, eid)
        assert (detail["grade"], detail["level"]) == ("major", "street")
        # 简易: half as long as 一般 (2 working hours): 6 hours less than 重大
        assert board.set_grade(conn, eid, "simple") == bj(2024, 10, 8, 10)
        assert board.case_detail(conn, eid)["level"] == "street"  # a lower grade never takes a case down
        with pytest.raises(psycopg2.errors.InvalidParameterValue):
            board.set_grade(conn, eid, "huge")
        assert [e["kind"] for e in board.escalations(conn, eid)] == ["grade"]
    with town.cursor() as cur:
        notes = [h[3] for h in history(cur, eid)[-2:]]
        assert notes == ["grade ordinary -> major, level community -> street: 涉及多部门", "grade major -> simple"]
        # the next step's deadline follows the grade too: 核查 2 working hours x 0.5
        cur.execute("SELECT gridgov.transition(%s, 'handled')", (eid,))
        updated, deadline = row(cur, eid, "updated_at", "deadline_at")
        assert deadline == one(cur, "SELECT gridgov.add_working_hours(%s, 1)", (updated,))


# ------------------------------------------------------------------------------- suspension and extension
def test_suspension_stops_the_clock(town, logins):
    worker = logins("worker", areas=[city.A["grid"]])
    sup = logins("supervisor", areas=[city.A["street"]])
    with town.cursor() as cur:
        eid = new_case(cur, "dispatched")
        deadline = row(cur, eid, "deadline_at")[0]
        left_before = one(cur, "SELECT gridgov.working_hours_between(now(), %s)", (deadline,))
    with worker.connect() as conn:
        with pytest.raises(psycopg2.errors.NullValueNotAllowed):
            board.request_suspension(conn, eid, "")
        rid = board.request_suspension(conn, eid, "等待占道施工许可")
        with pytest.raises(psycopg2.errors.UniqueViolation):  # one open request at a time
            board.request_extension(conn, eid, "再给两小时", 2)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # the handler does not approve its own
            board.decide_request(conn, rid, True)
    with sup.connect() as conn:
        assert [r["id"] for r in board.pending_requests(conn)] == [rid]
        assert board.decide_request(conn, rid, True, "同意挂账") is None
        detail = board.case_detail(conn, eid)
        assert (detail["status"], detail["deadline_at"], detail["request_id"]) == ("suspended", None, None)
        # off the board and never escalated while suspended, however long it waits
        assert eid not in {str(r["id"]) for r in board.overdue_cases(conn, at=bj(2099, 1, 1), horizon_hours=None)}
        assert board.escalate_overdue(conn) == []
        with pytest.raises(psycopg2.errors.CheckViolation, match="transition"):  # not a button step
            board.transition(conn, eid, "dispatched")
    with town.cursor() as cur:
        left = one(cur, "SELECT remaining_hours FROM gridgov.case_request WHERE id = %s", (rid,))
        assert left == pytest.approx(left_before, abs=0.01)
        # a month goes by while it waits for the permit: the clock stood still
        cur.execute(
            "SET LOCAL ROLE gridgov_owner; UPDATE gridgov.case_request SET decided_at = decided_at - interval '30 days'"
            " WHERE id = %s",
            (rid,),
        )
    with worker.connect() as conn:
        new_deadline = board.resume_case(conn, eid, "许可已批")
    with town.cursor() as cur:
        status, updated = row(cur, eid, "status", "updated_at")
        assert status == "dispatched"
        assert one(cur, "SELECT gridgov.working_hours_between(%s, %s)", (updated, new_deadline)) == pytest.approx(
            left, abs=0.01
        )
        steps = [(h[1], h[2]) for h in history(cur, eid) if h[1] != h[2]]
        assert steps[-2:] == [("dispatched", "suspended"), ("suspended", "dispatched")]
        notes = [h[3] for h in history(cur, eid)[-3:]]
        assert notes[0].startswith("asked to suspend (request ") and notes[0].endswith("等待占道施工许可")
        assert notes[1] == f"suspended (挂账, request {rid}): 等待占道施工许可: 同意挂账"
        assert notes[2] == "resumed: 许可已批"
        # the handling deadline of the assessment moves by the suspended working time (a month of it)
        # (the suspension was approved a month ago: as handling_due sees it, the case was dispatched before that)
        first_dispatch = one(
            cur,
            "SELECT min(at) - interval '31 days' FROM gridgov.event_history WHERE event_id = %s"
            " AND to_status = 'dispatched'",
            (eid,),
        )
        decided, resumed = row_request(cur, rid)
        expect = one(
            cur,
            "SELECT gridgov.add_working_hours(gridgov.step_deadline('SJ0102', 'dispatched', %s),"
            " gridgov.working_hours_between(%s, %s))",
            (first_dispatch, decided, resumed),
        )
        assert one(cur, "SELECT gridgov.handling_due(%s, %s)", (eid, first_dispatch)) == expect
        plain = one(cur, "SELECT gridgov.step_deadline('SJ0102', 'dispatched', %s)", (first_dispatch,))
        assert expect - plain > dt.timedelta(days=28)


def row_request(cur, rid: int):
    cur.execute("SELECT decided_at, resumed_at FROM gridgov.case_request WHERE id = %s", (rid,))
    return cur.fetchone()


def test_extension_is_asked_for_and_approved_or_refused(town, logins):
    worker = logins("worker", areas=[city.A["grid"]])
    sup = logins("supervisor", areas=[city.A["street"]])
    with town.cursor() as cur:
        eid = new_case(cur, "dispatched")
        set_deadline(cur, eid, bj(2024, 10, 8, 12))
        reported = new_case(cur)
    with worker.connect() as conn:
        with pytest.raises(psycopg2.errors.CheckViolation, match="dispatched"):
            board.request_extension(conn, reported, "还没派遣", 2)
        with pytest.raises(psycopg2.errors.InvalidParameterValue):
            board.request_extension(conn, eid, "要很久", 0)
        refused = board.request_extension(conn, eid, "材料未到", 8)
    with sup.connect() as conn:
        assert board.decide_request(conn, refused, False, "今天必须处理") == bj(2024, 10, 8, 12)
        with pytest.raises(psycopg2.errors.CheckViolation, match="already"):
            board.decide_request(conn, refused, True)
    with worker.connect() as conn:
        approved = board.request_extension(conn, eid, "需要吊车", 4)
    with sup.connect() as conn:
        assert board.decide_request(conn, approved, True) == bj(2024, 10, 8, 17)  # 4 more working hours
    with town.cursor() as cur:
        notes = [h[3] for h in history(cur, eid)[-4:]]
        assert notes == [
            f"asked to extend by 8 working_hours (request {refused}): 材料未到",
            f"extension refused (request {refused}): 今天必须处理",
            f"asked to extend by 4 working_hours (request {approved}): 需要吊车",
            f"deadline extended (延期) by 4 working_hours (request {approved}): 需要吊车",
        ]


def test_the_state_machine_table_matches_python_and_transition_takes_only_button_steps(town, logins):
    sup = logins("supervisor")
    with town.cursor() as cur:
        cur.execute("SELECT from_status, to_status, kind FROM gridgov.case_transition")
        assert set(cur.fetchall()) == set(cases.TRANSITIONS)
        eid = new_case(cur, "dispatched")
        closed = new_case(cur, "verified")
        cur.execute("SELECT gridgov.transition(%s, 'closed')", (closed,))
    with sup.connect() as conn:
        for target, hint in (("suspended", "request_suspension"), ("closed", "report_status")):
            with pytest.raises(psycopg2.errors.CheckViolation) as exc:
                board.transition(conn, eid, target)
            assert hint in exc.value.diag.message_hint
        # 重办: a supervisor reopens a closed case; it waits for dispatch again, with a deadline
        assert cases.allowed_transitions("closed") == ["registered"]
        assert board.transition(conn, closed, "registered", note="市民回访不满意") is not None
        detail = board.case_detail(conn, closed)
        assert (detail["status"], detail["closed_at"]) == ("registered", None)


# ------------------------------------------------------------------------------- channels
def test_upstream_status_closes_and_reopens_with_the_sources_time(town, logins):
    channel = logins("channel", sources=["open311:example.org"])
    other = logins("channel", sources=["app2"])
    with closing(channel.connect()) as conn, conn.cursor() as cur:
        eid = report_event(
            cur,
            "SR-1",
            source="open311:example.org",
            lon=city.A["lon"],
            lat=city.A["lat"],
            reported_at=bj(2024, 3, 1, 9),
        )
        closed_at = bj(2024, 3, 2, 16, 30)
        assert (
            one(cur, "SELECT gridgov.report_status('open311:example.org', 'SR-1', 'closed', %s)", (closed_at,))
            == "closed"
        )
        assert one(cur, "SELECT gridgov.report_status('open311:example.org', 'SR-1', 'closed', now())") == "closed"
        with pytest.raises(psycopg2.errors.InvalidParameterValue):
            cur.execute("SELECT gridgov.report_status('open311:example.org', 'SR-1', 'in_progress', now())")
        with pytest.raises(psycopg2.errors.NoDataFound):
            cur.execute("SELECT gridgov.report_status('open311:example.org', 'SR-404', 'closed', now())")
    with closing(other.connect()) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # not its source
            cur.execute("SELECT gridgov.report_status('open311:example.org', 'SR-1', 'open', now())")
    with town.cursor() as cur:
        assert row(cur, eid, "status", "closed_at", "deadline_at") == ("closed", closed_at, None)
        assert history(cur, eid)[-1] == (
            channel.name,
            "reported",
            "closed",
            "closed upstream (open311:example.org)",
            closed_at,
        )
    reopened_at = bj(2024, 3, 5, 10)
    with closing(channel.connect()) as conn, conn.cursor() as cur:
        assert (
            one(cur, "SELECT gridgov.report_status('open311:example.org', 'SR-1', 'open', %s)", (reopened_at,))
            == "registered"
        )
    with town.cursor() as cur:
        status, closed, deadline = row(cur, eid, "status", "closed_at", "deadline_at")
        assert (status, closed) == ("registered", None) and deadline is not None
        assert history(cur, eid)[-1][1:] == (
            "closed",
            "registered",
            "reopened upstream (open311:example.org)",
            reopened_at,
        )


def test_the_hotline_sets_the_satisfaction_of_a_closed_case(town, logins):
    hotline = logins("channel", sources=["12345"])
    other = logins("channel", sources=["app2"])
    with closing(hotline.connect()) as conn, conn.cursor() as cur:
        eid = report_event(cur, "BJ-20240301-001", source="12345", lon=city.A["lon"], lat=city.A["lat"])
        with pytest.raises(psycopg2.errors.CheckViolation, match="closed"):  # 回访 comes after 结案
            cur.execute("SELECT gridgov.report_satisfaction('12345', 'BJ-20240301-001', '满意')")
    with town.cursor() as cur:
        for step in ("registered", "dispatched", "handled", "verified", "closed"):
            cur.execute("SELECT gridgov.transition(%s, %s)", (eid, step))
    with closing(hotline.connect()) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InvalidParameterValue):
            cur.execute("SELECT gridgov.report_satisfaction('12345', 'BJ-20240301-001', 'great')")
        assert one(cur, "SELECT gridgov.report_satisfaction('12345', 'BJ-20240301-001', '基本满意')::text") == eid
        cur.execute("SELECT gridgov.report_satisfaction('12345', 'BJ-20240301-001', 'dissatisfied')")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # a channel reads nothing
            cur.execute("SELECT satisfaction FROM gridgov.event")
    with closing(other.connect()) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT gridgov.report_satisfaction('12345', 'BJ-20240301-001', '满意')")
    with town.cursor() as cur:
        assert row(cur, eid, "satisfaction")[0] == "dissatisfied"
        assert [h[3] for h in history(cur, eid)[-2:]] == ["callback: basically_satisfied", "callback: dissatisfied"]
        assert {h[0] for h in history(cur, eid)[-2:]} == {hotline.name}
