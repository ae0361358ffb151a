"""Logins, channels and areas as a city sets them up; databases at 005 upgrading in place."""

from __future__ import annotations

import uuid

import psycopg2
import pytest

from grid_governance_plugin.core.store import migrations
from tests.db import city
from tests.helpers import login_dsn, report_event

pytestmark = pytest.mark.postgis


def _rows(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def test_a_channel_reports_under_its_sources_only(gridgov_db, logins, db):
    ch = logins("channel", sources=["app", "app-ios"])
    c = ch.connect()
    evil = "'); DELETE FROM gridgov.event; --"  # text is data
    eid = report_event(c, "CH-1", source="app", description=evil, reporter="<b>市民</b>")
    assert report_event(c, "CH-1", source="app") == eid  # idempotent
    assert report_event(c, "CH-1", source="app-ios") != eid  # another source, another key
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="not registered") as err:
        report_event(c, "CH-2", source="12345")
    assert "register_channel" in err.value.diag.message_hint
    c.close()
    assert _rows(db, "SELECT description, reporter FROM gridgov.event WHERE id = %s", (eid,)) == [(evil, "<b>市民</b>")]
    assert _rows(db, "SELECT login, actor FROM gridgov.event_history WHERE event_id = %s", (eid,)) == [
        (ch.name, ch.name)
    ]


def test_admins_manage_logins_areas_and_channels(gridgov_db, logins, db):
    from psycopg2.extensions import encrypt_password

    admin = logins("admin", areas=[city.DISTRICT])
    a = admin.connect()
    name = f"t_li_{uuid.uuid4().hex[:8]}"
    logins.names.append(name)  # dropped with the test's logins
    verifier = encrypt_password("s3cret-李", name, a, "scram-sha-256")
    _rows(a, "SELECT gridgov.create_login(%s, 'supervisor', %s, %s)", (name, "110101001", verifier))
    assert _rows(db, "SELECT rolcanlogin, rolconnlimit, rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid"
                     " WHERE rolname = %s", (name,)) == [(True, 15, True)]  # fmt: skip
    assert _rows(db, "SELECT pg_has_role(%s, 'gridgov_supervisor', 'MEMBER')", (name,)) == [(True,)]
    assert _rows(db, "SELECT area_code, granted_by FROM gridgov.login_area WHERE login = %s", (name,)) == [
        ("110101001", admin.name)
    ]
    for args, state in (
        ((name + "x", "supervisor", "110101001", "cleartext"), "28P01"),  # no cleartext passwords
        (("Robert'); DROP TABLE x;--", "supervisor", "110101001", None), "42602"),
        ((name + "y", "superuser", "110101001", None), "22023"),
        ((name + "z", "owner", "110101001", None), "22023"),
        ((name + "w", "supervisor", "110102", None), "42501"),  # outside the admin's own district
        ((name, "supervisor", "110101001", None), "42710"),  # exists
    ):
        with pytest.raises(psycopg2.Error) as err:
            _rows(a, "SELECT gridgov.create_login(%s, %s, %s, %s)", args)
        assert err.value.pgcode == state, (args, err.value)
    _rows(a, "SELECT gridgov.revoke_area(%s, '110101001')", (name,))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _rows(a, "SELECT gridgov.grant_area(%s, %s)", (name, city.CITY))  # a district admin cannot give the city
    ch, ch2 = logins("channel"), logins("channel")
    _rows(a, "SELECT gridgov.register_channel(%s, 'sensor:river-7')", (ch.name,))
    _rows(a, "SELECT gridgov.register_channel(%s, 'sensor:river-7')", (ch.name,))  # again: nothing changes
    with pytest.raises(psycopg2.errors.UniqueViolation, match=ch.name):
        _rows(a, "SELECT gridgov.register_channel(%s, 'sensor:river-7')", (ch2.name,))  # one source, one login
    with pytest.raises(psycopg2.errors.InvalidParameterValue):
        _rows(a, "SELECT gridgov.register_channel(%s, 'x')", (name,))  # a supervisor is no channel
    a.close()
    sup = psycopg2.connect(login_dsn(gridgov_db, name))
    assert _rows(sup, "SELECT count(*) FROM gridgov.event") == [(0,)]  # no area left: sees nothing
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _rows(sup, "SELECT gridgov.grant_area(%s, %s)", (name, city.CITY))
    sup.close()


def test_roles_are_shared_by_databases_of_one_cluster(gridgov_db, fresh_db, logins):
    """The second database's migration finds the roles; privileges, areas and channels are per database."""
    ch = logins("channel", sources=["shared"])
    conn = psycopg2.connect(fresh_db)
    migrations.migrate(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT gridgov.register_channel(%s, 'shared')", (ch.name,))
    conn.commit()
    conn.close()
    for dsn in (gridgov_db, fresh_db):
        c = psycopg2.connect(login_dsn(dsn, ch.name))
        c.autocommit = True
        report_event(c, "SHARED-1", source="shared")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _rows(c, "SELECT 1 FROM gridgov.event")
        c.close()


def test_a_database_at_005_upgrades_in_place(fresh_db, pg_server):
    """Members of 004's reader and supervisor keep working, with the city as their area; nothing moves."""
    conn = psycopg2.connect(fresh_db)
    migrations.migrate(conn, target=5)
    conn.autocommit = True
    city.seed(conn)
    tag = uuid.uuid4().hex[:8]
    reader, sup, chan = f"t_old_reader_{tag}", f"t_old_sup_{tag}", f"t_old_ch_{tag}"
    names = (reader, sup, chan)
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE ROLE {reader} LOGIN IN ROLE gridgov_reader")
            cur.execute(f"CREATE ROLE {sup} LOGIN IN ROLE gridgov_supervisor")
            cur.execute(f"CREATE ROLE {chan} LOGIN IN ROLE gridgov_channel")
        ids = [report_event(conn, f"OLD-{i}", lon=city.A["lon"], lat=city.A["lat"], reporter="王五") for i in range(3)]
        with conn.cursor() as cur:
            cur.execute("SELECT gridgov.transition(%s, 'registered', 'desk', '旧')", (ids[0],))
        before = {}
        with conn.cursor() as cur:
            for t in ("event", "event_history", "grid", "camera", "grid_worker", "grid_plan"):
                cur.execute(f"SELECT count(*) FROM gridgov.{t}")
                before[t] = cur.fetchone()[0]
        conn.autocommit = False
        applied = migrations.migrate(conn)
        conn.autocommit = True
        assert [m.version for m in applied] == [m.version for m in migrations.available() if m.version > 5]
        with conn.cursor() as cur:
            for t, n in before.items():
                cur.execute(f"SELECT count(*) FROM gridgov.{t}")
                assert cur.fetchone()[0] == n, t  # nothing moved
            cur.execute(
                "SELECT login, area_code FROM gridgov.login_area WHERE login IN (%s, %s) ORDER BY 1", (reader, sup)
            )
            assert cur.fetchall() == sorted([(reader, city.CITY), (sup, city.CITY)])
            cur.execute("SELECT login FROM gridgov.event_history WHERE event_id = %s ORDER BY id", (ids[0],))
            assert cur.fetchall() == [(None,), (None,)]  # nobody knows who any more: not invented
        r = psycopg2.connect(login_dsn(fresh_db, reader))
        assert _rows(r, "SELECT count(*) FROM gridgov.event") == [(3,)]
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _rows(r, "SELECT reporter FROM gridgov.event")  # a reader is an analyst now
        r.close()
        s = psycopg2.connect(login_dsn(fresh_db, sup))
        s.autocommit = True
        _rows(s, "SELECT gridgov.transition(%s, 'dispatched', NULL, '升级后')", (ids[0],))
        assert _rows(s, "SELECT reporter FROM gridgov.event WHERE id = %s", (ids[0],)) == [("王五",)]
        s.close()
        c = psycopg2.connect(login_dsn(fresh_db, chan))
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="register_channel|not registered"):
            report_event(c, "NEW-1", source="app", lon=city.A["lon"], lat=city.A["lat"])
        c.close()
        with conn.cursor() as cur:
            cur.execute("SELECT rolconnlimit FROM pg_roles WHERE rolname = %s", (chan,))
            assert cur.fetchone()[0] == 20  # the channel's limits came with the upgrade
    finally:
        with conn.cursor() as cur:
            for n in names:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (n,))
                cur.execute(f"DROP OWNED BY {n}")
                cur.execute(f"DROP ROLE {n}")
        conn.close()


def test_a_migration_with_an_unpinned_definer_function_is_refused(fresh_db, tmp_path, monkeypatch):
    """The convention for later migrations is enforced: they run as the owner, definer functions pin their path."""
    sql = tmp_path / "sql"
    sql.mkdir()
    for mig in migrations.available():
        (sql / mig.path.name).write_text(mig.sql())
    n = len(migrations.available()) + 1
    (sql / f"{n:03d}_later.sql").write_text(
        "CREATE TABLE gridgov.later (a int);\n"
        "CREATE FUNCTION gridgov.later_fn() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';\n"
    )
    monkeypatch.setattr(migrations, "SQL_DIR", sql)
    conn = psycopg2.connect(fresh_db)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="later_fn"):
        migrations.migrate(conn)
    conn.rollback()
    assert migrations.applied(conn) == list(range(1, n))
    (sql / f"{n:03d}_later.sql").write_text(
        "CREATE TABLE gridgov.later (a int);\n"
        "CREATE FUNCTION gridgov.later_fn() RETURNS int LANGUAGE sql SECURITY DEFINER"
        " SET search_path = pg_catalog, pg_temp AS 'SELECT 1';\n"
    )
    migrations.migrate(conn)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT c.relowner::regrole::text, p.proowner::regrole::text, has_function_privilege('public', p.oid, 'EXECUTE')"
            " FROM pg_class c, pg_proc p WHERE c.oid = 'gridgov.later'::regclass AND p.proname = 'later_fn'"
        )
        assert cur.fetchone() == ("gridgov_owner", "gridgov_owner", False)
    conn.close()


def test_installing_an_up_to_date_schema_needs_no_rights(gridgov_db, logins):
    """A supervisor clicking 'Install or upgrade' on a current database is told it is current, not refused."""
    conn = logins("supervisor").connect(autocommit=False)
    assert migrations.migrate(conn) == []
    assert migrations.applied(conn) == [m.version for m in migrations.available()]
    conn.close()
