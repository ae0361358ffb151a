"""gridgov:escalateoverdue as a cron job runs it: `qgis_process.bin run` with the built plugin, as a
supervisor login named by a pg_service entry, on a database where nobody else touches the case.
"""

from __future__ import annotations

import zipfile
from contextlib import closing

import psycopg2
import pytest

from tests.db import city
from tests.helpers import report_event, set_deadline
from tests.test_packaging import _qgis_process, plugin_zip  # noqa: F401 - plugin_zip is a fixture

pytestmark = pytest.mark.postgis


def test_qgis_process_escalates_an_overdue_case(plugin_zip, tmp_path, pg_server, gridgov_db, logins):  # noqa: F811
    bot = logins("supervisor", areas=[city.CITY])
    with closing(psycopg2.connect(gridgov_db)) as db:
        db.autocommit = True
        city.seed(db)
        with db.cursor() as cur:
            late = report_event(cur, lon=city.A["lon"], lat=city.A["lat"])
            fresh = report_event(cur, lon=city.A["lon"], lat=city.A["lat"])
            for eid in (late, fresh):
                cur.execute("SELECT gridgov.transition(%s, 'registered')", (eid,))
                cur.execute("SELECT gridgov.transition(%s, 'dispatched')", (eid,))
            cur.execute("SELECT now() - interval '2 hours', now() + interval '2 days'")
            missed, later = cur.fetchone()
            set_deadline(cur, late, missed)
            set_deadline(cur, fresh, later)
    dbname = gridgov_db.rsplit("dbname=", 1)[1]
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[gridgov_escalation]\nhost={pg_server.host}\nport={pg_server.port}\nuser={bot.name}\ndbname={dbname}\n"
    )
    plugins = tmp_path / "plugins"
    with zipfile.ZipFile(plugin_zip) as zf:
        zf.extractall(plugins)
    config = tmp_path / "config"
    enabled = _qgis_process(["plugins", "enable", "grid_governance_plugin"], plugins, config)
    assert enabled.returncode == 0, enabled.stderr
    env = {"PGSERVICEFILE": str(services)}
    args = ["run", "gridgov:escalateoverdue", "--", "DATABASE=service=gridgov_escalation"]
    run = _qgis_process(args, plugins, config, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ESCALATED:\t1" in run.stdout, run.stdout
    with closing(psycopg2.connect(gridgov_db)) as db, db.cursor() as cur:
        cur.execute("SELECT id::text, level FROM gridgov.event WHERE id = ANY(%s::uuid[])", ([late, fresh],))
        assert dict(cur.fetchall()) == {late: "street", fresh: "community"}
        cur.execute("SELECT from_level, to_level, kind, login FROM gridgov.case_escalation")
        assert cur.fetchall() == [("community", "street", "overdue", bot.name)]
    # the next run of the schedule: the missed deadline is not escalated twice
    again = _qgis_process(args, plugins, config, env)
    assert again.returncode == 0, again.stdout + again.stderr
    with closing(psycopg2.connect(gridgov_db)) as db, db.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.case_escalation")
        assert cur.fetchone()[0] == 1
