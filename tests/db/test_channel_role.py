"""Roles of migration 004: a field channel can call report_event and nothing else; supervisors and readers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg2
import pytest

from tests.helpers import connect_as, report_event

pytestmark = pytest.mark.postgis

REPORT = "SELECT gridgov.report_event(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
REPORT_SIG = (
    "report_event(text,text,text,timestamp with time zone,double precision,double precision,text,text,text,text)"
)


def _tables(cur) -> list[str]:
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gridgov' ORDER BY 1")
    return [r[0] for r in cur.fetchall()]


def _report(cur, external_id: str, description: str | None = None) -> str:
    ago = datetime.now(timezone.utc) - timedelta(minutes=1)
    return report_event(
        cur,
        external_id,
        "SJ0102",
        116.4,
        39.9,
        reported_at=ago,
        source="app",
        coord_sys="gcj02",
        description=description,
        reporter="市民",
    )


def _denied(cur, sql: str, args=()) -> None:
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute(sql, args)


def test_channel_can_report(gridgov_db, logins):
    ch = connect_as(gridgov_db, logins["channel"])
    with ch.cursor() as cur:
        evil = "'); DELETE FROM gridgov.event; --"  # text is data
        eid = _report(cur, "CH-1", description=evil)
        assert _report(cur, "CH-1") == eid  # idempotent for the channel too
    ch.close()
    admin = psycopg2.connect(gridgov_db)
    with admin.cursor() as cur:
        cur.execute("SELECT description FROM gridgov.event WHERE id = %s", (eid,))
        assert cur.fetchone()[0] == evil
        cur.execute("SELECT actor FROM gridgov.event_history WHERE event_id = %s", (eid,))
        assert cur.fetchone()[0] == logins["channel"]  # the login role, not the function's owner
    admin.close()


def test_channel_cannot_read_or_change_any_table(gridgov_db, logins):
    admin = psycopg2.connect(gridgov_db)
    with admin.cursor() as cur:
        tables = _tables(cur)
        cur.execute("SELECT table_name FROM information_schema.views WHERE table_schema = 'gridgov'")
        views = {r[0] for r in cur.fetchall()}
        cur.execute("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'gridgov'")
        sequences = [r[0] for r in cur.fetchall()]
    admin.close()
    assert {"event", "event_history", "event_category", "grid", "case_transition", "case_board"} <= set(tables)
    ch = connect_as(gridgov_db, logins["channel"])
    with ch.cursor() as cur:
        _report(cur, "CH-2")  # so that there is something to touch
        for t in tables:
            _denied(cur, f"SELECT * FROM gridgov.{t} LIMIT 1")
            _denied(cur, f"SELECT count(*) FROM gridgov.{t}")
            if t in views:  # not updatable at all; reading is what matters
                continue
            _denied(cur, f"INSERT INTO gridgov.{t} DEFAULT VALUES")
            _denied(cur, f"DELETE FROM gridgov.{t}")
            _denied(
                cur,
                f"UPDATE gridgov.{t} SET {'status' if t == 'event' else 'note'} = NULL"
                if t in ("event", "grid", "grid_plan")
                else f"DELETE FROM gridgov.{t} WHERE false",
            )
            _denied(cur, f"TRUNCATE gridgov.{t}")
        _denied(cur, "UPDATE gridgov.event SET status = 'closed'")
        _denied(cur, "COPY gridgov.event TO STDOUT")
        for s in sequences:
            _denied(cur, f"SELECT nextval('gridgov.{s}')")
        _denied(cur, "CREATE TABLE gridgov.mine (a int)")
        _denied(
            cur, "CREATE FUNCTION public.st_setsrid(geometry, integer) RETURNS geometry LANGUAGE sql AS 'SELECT $1'"
        )  # no shadowing PostGIS through public
    ch.close()


def test_channel_can_execute_report_event_and_no_other_function(gridgov_db, logins):
    admin = psycopg2.connect(gridgov_db)
    with admin.cursor() as cur:
        cur.execute(
            "SELECT p.oid::regprocedure::text, has_function_privilege(%s, p.oid, 'EXECUTE')"
            " FROM pg_proc p WHERE p.pronamespace = 'gridgov'::regnamespace",
            (logins["channel"],),
        )
        rows = dict(cur.fetchall())
    admin.close()
    assert len(rows) > 10
    assert [f for f, ok in rows.items() if ok] == ["gridgov." + REPORT_SIG]
    ch = connect_as(gridgov_db, logins["channel"])
    with ch.cursor() as cur:
        eid = _report(cur, "CH-3")
        _denied(cur, "SELECT gridgov.transition(%s, 'registered', 'me', NULL)", (eid,))
        _denied(cur, "SELECT gridgov.assign(%s, 'HW')", (eid,))
        _denied(cur, "SELECT gridgov.merge_events(%s, ARRAY[%s]::uuid[])", (eid, eid))
        _denied(cur, "SELECT * FROM gridgov.escalate_overdue()")
        _denied(cur, "SELECT * FROM gridgov.suggest_duplicates(50, '1 day')")
        _denied(cur, "SELECT * FROM gridgov.case_board_at()")
        _denied(cur, "SELECT gridgov.gcj02_to_wgs84(116.4, 39.9)")
    ch.close()


def test_supervisor_reads_and_moves_cases_only_through_the_functions(gridgov_db, logins):
    sup = connect_as(gridgov_db, logins["supervisor"])
    with sup.cursor() as cur:
        eid = _report(cur, "SUP-1")
        cur.execute("SELECT status FROM gridgov.event WHERE id = %s", (eid,))
        assert cur.fetchone()[0] == "reported"
        cur.execute("SELECT gridgov.transition(%s, 'registered', NULL, '受理')", (eid,))
        cur.execute(
            "SELECT actor, to_status FROM gridgov.event_history WHERE event_id = %s ORDER BY id DESC LIMIT 1", (eid,)
        )
        assert cur.fetchone() == (logins["supervisor"], "registered")
        cur.execute("SELECT gridgov.assign(%s, 'HW', NULL, NULL, NULL)", (eid,))
        cur.execute("SELECT count(*) FROM gridgov.escalate_overdue()")
        cur.execute("SELECT count(*) FROM gridgov.case_board_at(now(), NULL)")
        assert cur.fetchone()[0] == 1
        _denied(cur, "UPDATE gridgov.event SET status = 'dispatched' WHERE id = %s", (eid,))
        _denied(cur, "DELETE FROM gridgov.event")
        _denied(cur, "INSERT INTO gridgov.event_history (event_id, to_status) VALUES (%s, 'closed')", (eid,))
        # the state machine still applies to supervisors
        with pytest.raises(psycopg2.errors.CheckViolation):
            cur.execute("SELECT gridgov.transition(%s, 'closed', NULL, NULL)", (eid,))
    sup.close()


def test_reader_reads_but_changes_nothing(gridgov_db, logins):
    admin = psycopg2.connect(gridgov_db)
    admin.autocommit = True
    with admin.cursor() as cur:
        eid = _report(cur, "RD-1")
        tables = _tables(cur)
    admin.close()
    rd = connect_as(gridgov_db, logins["reader"])
    with rd.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT count(*) FROM gridgov.{t}")
        cur.execute("SELECT count(*) FROM gridgov.case_board_at(now(), NULL)")
        assert cur.fetchone()[0] == 1
        cur.execute("SELECT gridgov.gcj02_to_wgs84(116.4, 39.9)")
        _denied(cur, "SELECT gridgov.transition(%s, 'registered', NULL, NULL)", (eid,))
        _denied(cur, "SELECT gridgov.report_event('x', 'y', 'SJ0102', now(), 116.4, 39.9)")
        _denied(cur, "UPDATE gridgov.event SET status = 'registered'")
        _denied(cur, "DELETE FROM gridgov.event_history")
    rd.close()


def test_roles_are_shared_by_databases_of_one_cluster(gridgov_db, fresh_db, logins):
    """The second database's migration finds the roles and grants its own privileges."""
    from grid_governance_plugin.core.store import migrations

    conn = psycopg2.connect(fresh_db)
    migrations.migrate(conn)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('gridgov_channel', 'gridgov_supervisor', 'gridgov_reader')"
        )
        assert cur.fetchone()[0] == 3
        cur.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'gridgov_channel'")
        assert cur.fetchone()[0] is False
    conn.close()
    for dsn in (gridgov_db, fresh_db):
        ch = connect_as(dsn, logins["channel"])
        with ch.cursor() as cur:
            _report(cur, "SHARED-1")
            _denied(cur, "SELECT 1 FROM gridgov.event")
        ch.close()
