"""Escalation that runs by itself: migration 009 schedules gridgov.escalate_overdue with pg_cron.

tests/pgserver.py preloads pg_cron (where Debian's postgresql-15-cron is installed) with
``cron.database_name`` = CRON_DB, an empty database made at start. This test migrates that database
as an installer would, reports a case, lets its deadline pass and then waits, without calling
anything, until the schedule has escalated it. pg_cron 1.4 runs once a minute: the wait is on the
condition, with a generous deadline (the machine is shared).
"""

from __future__ import annotations

import time

import psycopg2
import pytest

from grid_governance_plugin.core.store import migrations
from tests.db import city
from tests.helpers import report_event, set_deadline
from tests.pgserver import CRON_DB

pytestmark = pytest.mark.postgis

JOB = "gridgov-escalate-overdue"


@pytest.fixture
def cron_db(pg_server):
    if not pg_server.cron:
        pytest.skip("pg_cron is not installed (Debian: postgresql-15-cron, scripts/bootstrap.sh)")
    conn = psycopg2.connect(pg_server.dsn(CRON_DB))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        cur.execute("SELECT to_regclass('gridgov.city') IS NULL")
        fresh = cur.fetchone()[0]
    migrations.migrate(conn)
    if fresh:
        city.seed(conn)
    yield conn
    conn.close()


def test_the_migration_schedules_escalation_and_it_runs_by_itself(cron_db):
    with cron_db.cursor() as cur:
        cur.execute("SELECT schedule, command, database FROM cron.job WHERE jobname = %s", (JOB,))
        assert cur.fetchall() == [("* * * * *", "SELECT count(*) FROM gridgov.escalate_overdue()", CRON_DB)]
        eid = report_event(cur, lon=city.A["lon"], lat=city.A["lat"])
        for step in ("registered", "dispatched"):
            cur.execute("SELECT gridgov.transition(%s, %s)", (eid, step))
        cur.execute("SELECT now() - interval '1 hour'")
        missed = cur.fetchone()[0]
        set_deadline(cur, eid, missed)  # the deadline passed an hour ago; nobody acts from here on
    level = "community"
    give_up = time.monotonic() + 300  # two runs of the schedule at most, on a loaded machine
    while level == "community" and time.monotonic() < give_up:
        time.sleep(2)
        with cron_db.cursor() as cur:
            cur.execute("SELECT level FROM gridgov.event WHERE id = %s", (eid,))
            level = cur.fetchone()[0]
    assert level == "street", "pg_cron did not escalate the overdue case"
    with cron_db.cursor() as cur:
        cur.execute(
            "SELECT from_level, to_level, kind, missed_deadline FROM gridgov.case_escalation WHERE event_id = %s",
            (eid,),
        )
        assert cur.fetchall() == [("community", "street", "overdue", missed)]
        cur.execute("SELECT count(*) FROM gridgov.escalation_run")
        assert cur.fetchone()[0] >= 1
        cur.execute(
            "SELECT status FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = %s"
            " ORDER BY d.runid",
            (JOB,),
        )
        assert "succeeded" in {r[0] for r in cur.fetchall()}
