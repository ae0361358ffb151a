"""The case flow of migration 002 against a real PostGIS: rules, history, deadlines, escalation, duplicates, board."""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest

from grid_governance_plugin.core.categories import CATEGORIES, DEPARTMENTS
from grid_governance_plugin.core.events import cases
from grid_governance_plugin.core.store.schema import CASE_STATES

pytestmark = pytest.mark.postgis

CATS = {row[0]: row for row in CATEGORIES}
HOURS = {"reported": 6, "registered": 7, "dispatched": 8, "handled": 9, "verified": 6}  # column per waiting state


def _insert(
    cur,
    status: str = "reported",
    category: str = "SJ0102",
    lon: float = 116.4,
    lat: float = 39.9,
    level: str = "community",
    reported_at=None,
    deadline_at=None,
) -> str:
    """A case in any state: direct inserts are not transitions, so any status is accepted."""
    cur.execute(
        "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, level, deadline_at, geom)"
        " VALUES ('test', %s, %s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4490)) RETURNING id",
        (uuid.uuid4().hex, category, reported_at or datetime.now(timezone.utc), status, level, deadline_at, lon, lat),
    )
    return cur.fetchone()[0]


def _history(cur, eid) -> list[tuple]:
    cur.execute(
        "SELECT actor, from_status, to_status, note FROM gridgov.event_history WHERE event_id = %s ORDER BY id", (eid,)
    )
    return cur.fetchall()


def test_seed_equals_the_python_responsibility_list(db):
    with db.cursor() as cur:
        cur.execute("SELECT code, name, level FROM gridgov.department ORDER BY code")
        assert cur.fetchall() == sorted(DEPARTMENTS)
        cur.execute(
            "SELECT code, kind, major, minor, department, level, register_hours, dispatch_hours, handle_hours,"
            " verify_hours FROM gridgov.event_category ORDER BY code"
        )
        assert cur.fetchall() == sorted(tuple(r[:6]) + tuple(float(h) for h in r[6:]) for r in CATEGORIES)
        # every category's department exists
        cur.execute(
            "SELECT count(*) FROM gridgov.event_category c LEFT JOIN gridgov.department d"
            " ON d.code = c.department WHERE d.code IS NULL"
        )
        assert cur.fetchone()[0] == 0


def test_seed_keeps_rows_edited_in_the_plugin(gridgov_db):
    from grid_governance_plugin.core.store import migrations

    conn = psycopg2.connect(gridgov_db)
    with conn, conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event_category SET handle_hours = 99 WHERE code = 'SJ0102'")
        seed = next(m for m in migrations.available() if m.version == 3).sql()
        cur.execute(seed)  # re-running the seed must not overwrite local edits
        cur.execute("SELECT handle_hours FROM gridgov.event_category WHERE code = 'SJ0102'")
        assert cur.fetchone()[0] == 99
    conn.close()


def test_python_transition_table_equals_the_database(db):
    with db.cursor() as cur:
        cur.execute("SELECT from_status, to_status, kind FROM gridgov.case_transition")
        assert set(cur.fetchall()) == set(cases.TRANSITIONS)
    assert cases.STATES == CASE_STATES


def test_every_pair_is_accepted_exactly_when_python_allows_it(db):
    """Try every (from, to) pair directly on the table: the trigger decides, whoever updates."""
    accepted: set[tuple[str, str]] = set()
    with db.cursor() as cur:
        for frm in CASE_STATES:
            for to in CASE_STATES:
                if frm == to:
                    continue
                eid = _insert(cur, frm)
                try:
                    cur.execute("UPDATE gridgov.event SET status = %s WHERE id = %s", (to, eid))
                except psycopg2.Error as e:
                    assert e.pgcode == "23514"
                    assert f"illegal case transition {frm} -> {to}" in e.diag.message_primary
                    assert e.diag.message_hint.startswith(f"allowed from {frm}: ")
                    cur.execute("SELECT status FROM gridgov.event WHERE id = %s", (eid,))
                    assert cur.fetchone()[0] == frm
                    assert _history(cur, eid) == []
                    continue
                accepted.add((frm, to))
                assert _history(cur, eid) == [("postgres", frm, to, None)]
    # the state machine of gridgov.case_transition: button steps, suspension, upstream close, 重办 (009)
    expected = {(frm, to) for frm, to, _kind in cases.TRANSITIONS if frm != to}  # extend keeps the status
    assert accepted == expected
    reopen = {(frm, to) for frm, to, kind in cases.TRANSITIONS if kind == "reopen"}
    assert {(frm, to) for frm, to in accepted if frm in ("closed", "void")} == reopen


def test_the_full_loop_with_actor_note_deadlines_and_closed_at(db):
    cat = CATS["SJ0102"]
    with db.cursor() as cur:
        eid = _insert(cur)
        steps = ["registered", "dispatched", "handled", "verified", "closed"]
        for step in steps:
            cur.execute("SELECT gridgov.transition(%s, %s, %s, %s)", (eid, step, "王科长", f"to {step}"))
            deadline = cur.fetchone()[0]
            cur.execute("SELECT deadline_at, updated_at, closed_at FROM gridgov.event WHERE id = %s", (eid,))
            stored, updated, closed = cur.fetchone()
            assert stored == deadline
            assert datetime.now(timezone.utc) - updated < timedelta(seconds=5)
            if step == "closed":
                assert deadline is None and closed == updated
            else:
                assert closed is None
                # SJ0102's steps count in working hours (009)
                cur.execute("SELECT gridgov.add_working_hours(%s, %s)", (updated, cat[HOURS[step]]))
                assert deadline == cur.fetchone()[0]
        assert _history(cur, eid) == [
            ("王科长", frm, to, f"to {to}") for frm, to in zip(["reported", *steps[:-1]], steps)
        ]
        # transition() leaves no actor/note behind for later statements of the session
        cur.execute("SELECT current_setting('gridgov.actor', true), current_setting('gridgov.note', true)")
        assert cur.fetchone() in ((None, None), ("", ""))


def test_return_and_void_and_terminal_states_through_the_function(db):
    with db.cursor() as cur:
        eid = _insert(cur, "handled")
        cur.execute("SELECT gridgov.transition(%s, 'dispatched', NULL, '整改不到位')", (eid,))  # 退回
        cur.execute("SELECT status FROM gridgov.event WHERE id = %s", (eid,))
        assert cur.fetchone()[0] == "dispatched"
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.transition(%s, 'void', NULL, NULL)", (eid,))  # too late to void
        assert exc.value.pgcode == "23514" and "dispatched -> void" in exc.value.diag.message_primary
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.transition(%s, 'dispatched', NULL, NULL)", (eid,))
        assert exc.value.pgcode == "23514" and "already" in exc.value.diag.message_primary
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.transition(%s, 'registered', NULL, NULL)", (str(uuid.uuid4()),))
        assert exc.value.pgcode == "P0002"
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.transition(%s, 'bogus', NULL, NULL)", (eid,))
        assert exc.value.pgcode == "23514"
        v = _insert(cur, "registered")
        cur.execute("SELECT gridgov.transition(%s, 'void', 'desk', '无效上报')", (v,))
        assert cur.fetchone()[0] is None
        for to in CASE_STATES:
            if to != "void":
                with pytest.raises(psycopg2.Error):
                    cur.execute("SELECT gridgov.transition(%s, %s, NULL, NULL)", (v, to))
        assert _history(cur, v) == [("desk", "registered", "void", "无效上报")]


def test_session_settings_name_actor_and_note_for_direct_updates(db):
    with db.cursor() as cur:
        eid = _insert(cur)
        cur.execute("SET gridgov.actor = '李四'")
        cur.execute("SET gridgov.note = '电话受理'")
        cur.execute("UPDATE gridgov.event SET status = 'registered' WHERE id = %s", (eid,))
        cur.execute("RESET gridgov.actor")
        cur.execute("RESET gridgov.note")
        assert _history(cur, eid) == [("李四", "reported", "registered", "电话受理")]


def test_assign_records_history_and_rejects_unknown_departments(db):
    with db.cursor() as cur:
        eid = _insert(cur, "registered")
        cur.execute("SELECT gridgov.assign(%s, 'CGZF', 'W9', 'desk', '跨部门')", (eid,))
        cur.execute("SELECT department, worker_id FROM gridgov.event WHERE id = %s", (eid,))
        assert cur.fetchone() == ("CGZF", "W9")
        assert _history(cur, eid) == [("desk", "registered", "registered", "assigned to CGZF / W9: 跨部门")]
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.assign(%s, 'NOPE')", (eid,))
        assert exc.value.pgcode == "23503"


def test_escalation_moves_overdue_cases_up_one_level_at_a_time(db):
    # sweeps "as of" past moments (escalate_overdue refuses a future one): three days ago, ...
    now = datetime.now(timezone.utc) - timedelta(days=3)
    cat = CATS["SJ0102"]
    with db.cursor() as cur:
        late = _insert(cur, "dispatched", deadline_at=now - timedelta(hours=1))
        on_time = _insert(cur, "dispatched", deadline_at=now + timedelta(hours=1))
        handled = _insert(cur, "handled", deadline_at=now - timedelta(hours=1))  # handled: not escalated
        closed = _insert(cur, "closed")
        cur.execute("SELECT event_id, status, from_level, to_level FROM gridgov.escalate_overdue(%s)", (now,))
        assert cur.fetchall() == [(late, "dispatched", "community", "street")]  # not on_time, handled, closed
        cur.execute("SELECT level, deadline_at FROM gridgov.event WHERE id = %s", (late,))
        level, deadline = cur.fetchone()
        assert level == "street"
        cur.execute("SELECT gridgov.add_working_hours(%s, %s)", (now, cat[8]))
        assert deadline == cur.fetchone()[0]  # fresh handle_hours from `at`, in working hours
        assert _history(cur, late) == [
            ("postgres", "dispatched", "dispatched", "escalated community -> street (吹哨报到): deadline passed")
        ]
        # still not handled at the new deadline: street -> district
        later = deadline + timedelta(minutes=1)
        cur.execute("SELECT event_id, from_level, to_level FROM gridgov.escalate_overdue(%s)", (later,))
        assert (late, "street", "district") in cur.fetchall()
        # district is the top (a sweep as of now: both earlier deadlines have passed)
        cur.execute("SELECT count(*) FROM gridgov.escalate_overdue(now()) WHERE event_id = %s", (late,))
        assert cur.fetchone()[0] == 0
        # handled and closed cases never move; the one on time moved only once its deadline passed too
        cur.execute(
            "SELECT id, level FROM gridgov.event WHERE id = ANY(%s::uuid[])",
            ([str(on_time), str(handled), str(closed)],),
        )
        levels = dict(cur.fetchall())
        assert (levels[handled], levels[closed]) == ("community", "community")
        # on_time passed its deadline before `later`; whether its street deadline (4 working hours after
        # `later`) has passed by now depends on the hour the test runs, in working time
        assert levels[on_time] in ("street", "district")
        cur.execute(
            "SELECT count(*) FROM gridgov.case_escalation WHERE event_id = %s AND missed_deadline = %s",
            (on_time, now + timedelta(hours=1)),
        )
        assert cur.fetchone()[0] == 1


def test_suggest_duplicates_and_merge(db):
    t0 = datetime.now(timezone.utc) - timedelta(hours=3)
    with db.cursor() as cur:
        first = _insert(cur, "registered", reported_at=t0)
        near = _insert(cur, reported_at=t0 + timedelta(minutes=20), lon=116.4002, lat=39.9001)  # ~20 m
        near2 = _insert(cur, reported_at=t0 + timedelta(minutes=40), lon=116.3999, lat=39.8999)  # ~14 m
        other_cat = _insert(cur, category="SJ0503", reported_at=t0 + timedelta(minutes=5))
        far = _insert(cur, reported_at=t0 + timedelta(minutes=5), lon=116.41, lat=39.9)  # ~850 m
        too_late = _insert(cur, reported_at=t0 + timedelta(hours=2, minutes=30), lon=116.4001)
        cur.execute("SELECT event_id, duplicate_id, distance, time_apart FROM gridgov.suggest_duplicates(50, '1 hour')")
        pairs = {(a, b): (d, dt) for a, b, d, dt in cur.fetchall()}
        assert set(pairs) == {(first, near), (first, near2), (near, near2)}
        assert 15 < pairs[(first, near)][0] < 30 and pairs[(first, near)][1] == timedelta(minutes=20)
        assert not {other_cat, far, too_late} & {x for p in pairs for x in p}

        cur.execute(
            "SELECT gridgov.merge_events(%s, %s::uuid[], '赵主任', '同一处垃圾')", (first, [str(near), str(near2)])
        )
        assert cur.fetchone()[0] == 2
        cur.execute("SELECT id, status, duplicate_of FROM gridgov.event WHERE id IN (%s, %s)", (near, near2))
        assert {r[1:] for r in cur.fetchall()} == {("void", first)}
        assert _history(cur, near) == [("赵主任", "reported", "void", f"duplicate of {first}: 同一处垃圾")]
        assert _history(cur, first)[-1][:3] == ("赵主任", "registered", "registered")
        assert "merged 2 duplicate(s)" in _history(cur, first)[-1][3]
        cur.execute("SELECT count(*) FROM gridgov.suggest_duplicates(50, '1 hour')")
        assert cur.fetchone()[0] == 0  # merged reports are no longer suggested

        # only reported/registered reports can be merged, all-or-nothing
        dispatched = _insert(cur, "dispatched")
        fresh = _insert(cur)
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.merge_events(%s, %s::uuid[])", (first, [str(fresh), str(dispatched)]))
        assert exc.value.pgcode == "23514" and "only reported/registered" in exc.value.diag.message_primary
        cur.execute("SELECT status, duplicate_of FROM gridgov.event WHERE id = %s", (fresh,))
        assert cur.fetchone() == ("reported", None)
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.merge_events(%s, %s::uuid[])", (near, [str(fresh)]))  # into a void one
        assert exc.value.pgcode == "22023"
        with pytest.raises(psycopg2.Error) as exc:
            cur.execute("SELECT gridgov.merge_events(%s, %s::uuid[])", (fresh, [str(fresh)]))
        assert exc.value.pgcode == "22023"


def test_case_board_lists_open_cases_with_hours(db):
    # Tuesday 5 March 2024, 16:00 Beijing: 3 working hours after 13:00, 2 before the office closes at 18:00
    now = datetime(2024, 3, 5, 8, tzinfo=timezone.utc)
    with db.cursor() as cur:
        cur.execute("INSERT INTO gridgov.district (code, name) VALUES ('110101', '东城区')")
        cur.execute(
            "INSERT INTO gridgov.street (code, name, district_code) VALUES ('110101001', '东华门街道', '110101')"
        )
        cur.execute(
            "INSERT INTO gridgov.community (code, name, street_code) VALUES ('110101001001', '多福巷社区', '110101001')"
        )
        late = _insert(cur, "dispatched", deadline_at=now - timedelta(hours=3))
        cur.execute(
            "UPDATE gridgov.event SET department = 'HW', grid_code = 'G1', community_code = '110101001001',"
            " street_code = '110101001' WHERE id = %s",
            (late,),
        )
        soon = _insert(cur, "registered", deadline_at=now + timedelta(hours=2))
        _insert(cur, "registered", deadline_at=now + timedelta(days=5))  # beyond the horizon
        _insert(cur, "closed", deadline_at=now - timedelta(hours=3))  # closed: never on the board
        cur.execute(
            "SELECT id, hours_overdue, hours_left, overdue, department_name, community_name, street_name,"
            " grid_code FROM gridgov.case_board_at(%s, '24 hours')",
            (now,),
        )
        rows = cur.fetchall()
        assert [r[0] for r in rows] == [late, soon]
        assert rows[0][1:] == (
            pytest.approx(3, abs=0.01),
            pytest.approx(-3, abs=0.01),
            True,
            "环卫所",
            "多福巷社区",
            "东华门街道",
            "G1",
        )
        assert rows[1][2] == pytest.approx(2, abs=0.01) and rows[1][3] is False
        cur.execute("SELECT count(*) FROM gridgov.case_board_at(%s, NULL)", (now,))
        assert cur.fetchone()[0] == 3
        cur.execute("SELECT count(*), count(*) FILTER (WHERE overdue) FROM gridgov.case_board")
        assert cur.fetchone() == (3, 3)  # the view is as of now: every 2024 deadline has passed


def test_case_board_is_fast_with_millions_of_events(db):
    """The overdue board reads the covering partial index on open cases: < 200 ms at 2,000,000 events.

    The default run loads 500,000 events (~30 s); GRIDGOV_BOARD_EVENTS=2000000 checks the
    full size (~2 min to load; measured 105 ms function / 69 ms view on the dev box).
    """
    n = int(os.environ.get("GRIDGOV_BOARD_EVENTS", "500000"))
    with db.cursor() as cur:
        # load fast: without per-row FK/notify triggers, and with the secondary indexes rebuilt
        # afterwards from their own definitions (a bulk build, as a restore would do)
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'gridgov' AND tablename = 'event'"
            " AND indexname NOT IN ('event_pkey', 'event_source_external_id_key')"
        )
        indexes = cur.fetchall()
        assert "event_open_deadline_idx" in dict(indexes)
        for name, _ in indexes:
            cur.execute(f"DROP INDEX gridgov.{name}")
        cur.execute("SET session_replication_role = replica")
        # 99 % closed history, 1 % open (20,000 cases at 2M) with deadlines from 1 day late to
        # 4 days ahead; one statement (and so one 'since:' notification, no per-row work)
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, level, department,"
            " grid_code, community_code, street_code, deadline_at, closed_at, geom)"
            " SELECT 'load', i::text, 'SJ0102', now() - (i %% 8760) * interval '1 hour',"
            "  CASE WHEN i %% 100 = 0 THEN (ARRAY['reported','registered','dispatched','handled','verified'])[1 + i %% 5]"
            "       ELSE 'closed' END,"
            "  'community', 'HW', 'G' || (i %% 5500), '110101001001', '110101001',"
            "  CASE WHEN i %% 100 = 0 THEN now() + ((i %% 121) - 24) * interval '1 hour' END,"
            "  CASE WHEN i %% 100 <> 0 THEN now() END,"
            "  ST_SetSRID(ST_MakePoint(116.2 + (i %% 1000) * 0.0004, 39.8 + (i / 1000 %% 1000) * 0.0004), 4490)"
            " FROM generate_series(1, %s) i",
            (n,),
        )
        cur.execute("RESET session_replication_role")
        for _, indexdef in indexes:
            cur.execute(indexdef)
        cur.execute("VACUUM ANALYZE gridgov.event")  # as autovacuum would: sets the visibility map
        timings = []
        for _ in range(5):
            t0 = time.perf_counter()
            cur.execute("SELECT * FROM gridgov.case_board_at(now(), '4 hours')")
            rows = cur.fetchall()
            timings.append(time.perf_counter() - t0)
        # the board's horizon is in working hours since 009: the view filtered the same way
        horizon = "deadline_at < gridgov.add_working_hours(now(), 4)"
        cur.execute(f"EXPLAIN SELECT * FROM gridgov.case_board WHERE {horizon}")
        plan = "\n".join(r[0] for r in cur.fetchall())
        t0 = time.perf_counter()
        cur.execute(f"SELECT * FROM gridgov.case_board WHERE {horizon}")
        view_rows = cur.fetchall()
        view_time = time.perf_counter() - t0
    print(
        f"case board: {len(rows)} rows of {n} events in {min(timings) * 1000:.0f} ms (view {view_time * 1000:.0f} ms)"
    )
    assert len(rows) == len(view_rows) > 0
    # what keeps the board fast at 2M events is the partial index on open cases; the time
    # itself (goal < 200 ms) is a benchmark figure (bench/RESULTS.md), not a test assertion
    assert "event_open_deadline_idx" in plan
