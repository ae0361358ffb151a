"""Issue #10's findings 1-9, each a check that fails on a database at migrations 001-005 and passes now.

Every ``finding_N`` runs against an ``Env``: a database migrated to a given version, with
real logins made as that version allows. ``test_fixed`` runs each on the current schema;
``test_fails_on_001_005`` runs the same check on a database stopped at migration 005 and
requires it to fail with an AssertionError (the fault shows), not with a setup error.
Findings 4 and 6 also have a client side (the live listener), shown the same way against the
listener as it was. Finding 7 (rich text in the case card) is the case card's, tested there.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import psycopg2
import pytest

from grid_governance_plugin.core.events import live
from grid_governance_plugin.core.store import migrations
from tests.db import city
from tests.helpers import login_dsn, report_event

pytestmark = pytest.mark.postgis

ROLES7 = ("owner", "channel", "worker", "supervisor", "analyst", "planner", "admin")


class Env:
    """A database at migration ``version`` (None: all), its superuser connection and its test logins."""

    def __init__(self, dsn: str, version: int | None):
        conn = psycopg2.connect(dsn)
        migrations.migrate(conn, target=version)
        conn.close()
        self.dsn = dsn
        self.version = version
        self.su = psycopg2.connect(dsn)
        self.su.autocommit = True
        city.seed(self.su)
        self.names: list[str] = []

    def has(self, function: str) -> bool:
        with self.su.cursor() as cur:
            cur.execute("SELECT to_regproc(%s) IS NOT NULL", (f"gridgov.{function}",))
            return cur.fetchone()[0]

    def sql(self, sql: str, args=()):
        with self.su.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall() if cur.description else None

    def login(self, role: str, areas=(city.CITY,), sources=()):
        """A LOGIN role in gridgov_<role>, set up as this version allows (areas, sources, limits)."""
        if not self.sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"gridgov_{role}",)):
            raise AssertionError(f"there is no role gridgov_{role}")
        name = f"t_{role}_{uuid.uuid4().hex[:8]}"
        self.sql(f"CREATE ROLE {name} LOGIN IN ROLE gridgov_{role}")
        self.names.append(name)
        if role != "channel" and self.has("grant_area"):
            for a in areas:
                self.sql("SELECT gridgov.grant_area(%s, %s)", (name, a))
        if self.has("register_channel"):
            for s in sources:
                self.sql("SELECT gridgov.register_channel(%s, %s)", (name, s))
        if self.has("_apply_login_limits"):  # what gridgov.create_login does
            self.sql("SELECT gridgov._apply_login_limits(%s)", (name,))
        return name

    def connect(self, name: str, autocommit: bool = True):
        conn = psycopg2.connect(login_dsn(self.dsn, name))
        conn.autocommit = autocommit
        return conn

    def close(self) -> None:
        for name in self.names:
            self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
            self.sql(f"DROP OWNED BY {name}")
            self.sql(f"DROP ROLE {name}")
        self.su.close()


def _report(conn, key=None, **kw) -> str:
    kw.setdefault("lon", city.A["lon"])
    kw.setdefault("lat", city.A["lat"])
    kw.setdefault("source", "app")
    return report_event(conn, key or uuid.uuid4().hex, **kw)


def _refused(fn) -> bool:
    try:
        fn()
    except psycopg2.Error:
        return True
    return False


# --------------------------------------------------------------------------- the findings
def finding_1(env: Env) -> None:
    """A channel plants public.st_expand(geometry, numeric); report_event must not run it as its owner."""
    ch = env.login("channel", sources=["app"])
    env.sql("GRANT CREATE ON SCHEMA public TO PUBLIC")  # as in every database upgraded from PostgreSQL < 15
    env.sql("CREATE TABLE public.planted_ran (who text)")
    env.sql("GRANT INSERT ON public.planted_ran TO PUBLIC")
    conn = env.connect(ch)
    with conn.cursor() as cur:
        cur.execute(
            """CREATE FUNCTION public.st_expand(g geometry, d numeric) RETURNS geometry LANGUAGE plpgsql AS $$
               BEGIN
                   INSERT INTO public.planted_ran VALUES (current_user);
                   BEGIN
                       EXECUTE format('ALTER ROLE %I SUPERUSER', session_user);
                   EXCEPTION WHEN others THEN NULL;
                   END;
                   RETURN public.st_expand(g, d::double precision);
               END $$"""
        )
    try:
        _report(conn, "PLANT-1")
    except psycopg2.Error:
        pass  # refused is fine; what matters is what ran
    conn.close()
    assert env.sql("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (ch,)) == [(False,)], "the channel is superuser"
    assert env.sql("SELECT who FROM public.planted_ran") == [], "the planted function ran inside report_event"


def finding_2(env: Env) -> None:
    """A channel cannot claim another source's key; a known key answers only a valid report."""
    app = env.login("channel", sources=["app"])
    hotline = env.login("channel", sources=["12345"])
    a = env.connect(app)
    forged = not _refused(lambda: _report(a, "H-1", source="12345", description="forged by the app"))
    probe = not _refused(lambda: _report(a, "H-1", source="12345"))
    a.close()
    h = env.connect(hotline)
    eid = _report(h, "H-1", source="12345", category="SJ0403", description="燃气泄漏")  # the real gas leak
    stored = env.sql("SELECT category_code, description FROM gridgov.event WHERE id = %s", (eid,))
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    invalid = {
        "category": _refused(lambda: _report(h, "H-1", source="12345", category="NOPE")),
        "time": _refused(lambda: _report(h, "H-1", source="12345", reported_at=future)),
        "coordinates": _refused(lambda: _report(h, "H-1", source="12345", lon=10.0, lat=50.0)),
    }
    h.close()
    assert not forged, "the app reported under the hotline's source"
    assert not probe, "the app learnt the id of the hotline's key"
    assert stored == [("SJ0403", "燃气泄漏")], "the hotline's report was swallowed"
    assert all(invalid.values()), f"a known key answered an invalid report: {invalid}"


def finding_3(env: Env) -> None:
    """Who did it is the login, whatever actor a channel or supervisor names."""
    ch = env.login("channel", sources=["app"])
    sup = env.login("supervisor")
    c = env.connect(ch)
    with c.cursor() as cur:
        cur.execute("SET gridgov.actor = 'ps_sup'")
        eid = _report(cur, "ACT-1")
    c.close()
    s = env.connect(sup)
    with s.cursor() as cur:
        cur.execute("SELECT gridgov.transition(%s, 'registered', '区长 (forged)', '受理')", (eid,))
    s.close()
    cols = {
        r[0] for r in env.sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'event_history'")
    }
    assert "login" in cols, "no column keeps the login"
    rows = env.sql("SELECT login, actor FROM gridgov.event_history WHERE event_id = %s ORDER BY id", (eid,))
    assert [r[0] for r in rows] == [ch, sup], rows
    # and no caller sets it, not even one allowed to insert (the superuser here)
    env.sql(
        "INSERT INTO gridgov.event_history (event_id, to_status, login) VALUES (%s, 'registered', 'someone else')",
        (eid,),
    )
    assert env.sql("SELECT login FROM gridgov.event_history WHERE event_id = %s ORDER BY id DESC LIMIT 1", (eid,)) == [
        ("postgres",)
    ]


def finding_4(env: Env) -> None:
    """A report dated 44 BC (or before 2000) is refused."""
    ch = env.login("channel", sources=["app"])
    c = env.connect(ch)
    bc = _refused(lambda: _report(c, "BC-1", reported_at="0044-03-15 12:00:00+00 BC"))
    y1999 = _refused(lambda: _report(c, "OLD-1", reported_at="1999-12-31 23:00:00+00"))
    ok = _report(c, "NEW-1", reported_at="2000-01-02 00:00:00+00")
    c.close()
    assert bc and y1999, "a report from before 2000 was accepted"
    assert ok


def finding_5(env: Env) -> None:
    """escalate_overdue('2100-01-01') changes nothing."""
    ch = env.login("channel", sources=["app"])
    sup = env.login("supervisor")
    c = env.connect(ch)
    for i in range(3):
        _report(c, f"ESC-{i}")
    c.close()
    before = city.table_checksums(env.su.cursor())
    s = env.connect(sup)
    refused = _refused(lambda: s.cursor().execute("SELECT count(*) FROM gridgov.escalate_overdue('2100-01-01')"))
    s.close()
    after = city.table_checksums(env.su.cursor())
    changed = [t for t in before if before[t] != after[t]]
    assert refused and changed == [], f"escalation as of 2100 changed {changed}"


def finding_8(env: Env) -> None:
    """A channel login has a connection limit and timeouts; a frozen channel holding a key blocks no retry for ever."""
    ch = env.login("channel", sources=["app"])
    limit = env.sql("SELECT rolconnlimit FROM pg_roles WHERE rolname = %s", (ch,))[0][0]
    settings = env.sql(
        "SELECT coalesce(setconfig, '{}') FROM pg_db_role_setting WHERE setrole = %s::regrole AND setdatabase = 0",
        (ch,),
    )
    settings = dict(s.split("=", 1) for s in (settings[0][0] if settings else []))
    assert 0 < limit <= 20, f"connection limit {limit}"
    for key in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"):
        assert settings.get(key, "0") not in ("0", ""), f"{key} is not set for channel logins"
    frozen = env.connect(ch, autocommit=False)
    _report(frozen, "FROZEN-1")  # holds the key, never commits
    result: dict = {}

    def retry():
        c = env.connect(ch)
        try:
            _report(c, "FROZEN-1")
            result["ok"] = True
        except psycopg2.Error as exc:
            result["error"] = exc.pgcode
        finally:
            c.close()

    t = threading.Thread(target=retry, daemon=True)
    t.start()
    t.join(60)  # generous: the lock timeout is seconds
    frozen.rollback()
    frozen.close()
    t.join(10)
    assert result.get("error") in ("55P03", "57014"), f"the retry waited on the frozen channel: {result}"
    conns, refused = [], None
    try:
        for _ in range(limit + 1):
            conns.append(env.connect(ch))
    except psycopg2.OperationalError as exc:
        refused = str(exc)
    finally:
        for c in conns:
            c.close()
    assert refused and "too many connections" in refused, "the limit did not hold"


def finding_9(env: Env) -> None:
    """A role for each job; no personal data for readers; planners plan; history stays; areas limit."""
    for r in ROLES7:
        assert env.sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"gridgov_{r}",)), f"no role gridgov_{r}"
    reader = env.connect(env.login("reader"))
    for sql in ("SELECT reporter FROM gridgov.event", "SELECT phone FROM gridgov.grid_worker"):
        assert _refused(lambda sql=sql: reader.cursor().execute(sql)), f"a reader may run {sql}"
    reader.close()
    planner = env.connect(env.login("planner"))
    with planner.cursor() as cur:
        cur.execute("SELECT gridgov.new_draft_plan('v2', NULL, NULL)")
        draft = cur.fetchone()[0]
        cur.execute(
            "UPDATE gridgov.grid SET name = '改名' WHERE plan_id = %s AND grid_code = %s", (draft, city.A["grid"])
        )
        cur.execute("SELECT gridgov.publish_plan(%s)", (draft,))
    planner.close()
    admin = env.connect(env.login("admin"))
    for sql in ("DELETE FROM gridgov.event_history", "ALTER TABLE gridgov.event DISABLE TRIGGER USER"):
        assert _refused(lambda sql=sql: admin.cursor().execute(sql)), f"an admin may run {sql}"
    admin.close()
    ch = env.connect(env.login("channel", sources=["app"]))
    _report(ch, "IN-A")
    _report(ch, "IN-B", lon=city.B["lon"], lat=city.B["lat"])
    ch.close()
    street_a = env.connect(env.login("supervisor", areas=[city.A["street"]]))
    with street_a.cursor() as cur:
        cur.execute("SELECT DISTINCT street_code FROM gridgov.event")
        assert cur.fetchall() == [(city.A["street"],)], "a street supervisor sees other streets"
    street_a.close()


FINDINGS = {1: finding_1, 2: finding_2, 3: finding_3, 4: finding_4, 5: finding_5, 8: finding_8, 9: finding_9}


@pytest.fixture
def env_at(fresh_db):
    made = []

    def at(version: int | None) -> Env:
        made.append(Env(fresh_db, version))
        return made[-1]

    yield at
    for e in made:
        e.close()


@pytest.mark.parametrize("n", FINDINGS)
def test_fixed(n, env_at):
    FINDINGS[n](env_at(None))


@pytest.mark.parametrize("n", FINDINGS)
def test_fails_on_001_005(n, env_at):
    with pytest.raises(AssertionError):
        FINDINGS[n](env_at(5))


# --------------------------------------------------------------------------- the listener's side
class LegacyListener(live.EventListener):
    """The listener as it was: it caught up from a time named in a 'since:' payload."""

    def _drain(self, conn, pending):
        wake = False
        while conn.notifies:
            payload = conn.notifies.pop(0).payload.strip()
            if payload.startswith("since:"):
                self._named = dt.datetime.fromisoformat(payload[6:].replace("Z", "+00:00"))
                wake = True
            elif live._is_uuid(payload):
                pending.add(payload)
        return wake

    def _resume_point(self):
        return self._named - self.overlap


class Recorder:
    def __init__(self):
        self.rows: dict[str, dict] = {}
        self.states: list[str] = []
        self.lock = threading.Lock()

    def on_rows(self, rows):
        with self.lock:
            for r in rows:
                self.rows[r["id"]] = r

    def on_status(self, state, _message):
        self.states.append(state)

    def wait(self, cond, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if cond():
                    return True
            time.sleep(0.02)
        return False


def _listen(dsn, cls=live.EventListener, **kw):
    rec = Recorder()
    lst = cls(dsn, rec.on_rows, rec.on_status, **kw)
    lst.start()
    assert rec.wait(lambda: live.LISTENING in rec.states, 30), rec.states
    return lst, rec


def check_forged_notify(dsn: str, cls) -> None:
    """Finding 6: a forged NOTIFY 'since:1970-01-01' does not make the listener re-read the table."""
    su = psycopg2.connect(dsn)
    su.autocommit = True
    with su.cursor() as cur:  # yesterday's cases
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, received_at, updated_at, geom)"
            " SELECT 'old', 'OLD-' || i, 'SJ0102', now() - interval '1 day', now() - interval '1 day',"
            "        now() - interval '1 day', ST_SetSRID(ST_MakePoint(116.40, 39.91), 4490)"
            " FROM generate_series(1, 40) i RETURNING id::text"
        )
        old = [r[0] for r in cur.fetchall()]
    lst, rec = _listen(dsn, cls)
    try:
        with su.cursor() as cur:
            cur.execute("NOTIFY gridgov_events, 'since:1970-01-01T00:00:00Z'")  # any connected role can send this
        new = report_event(su, "NEW-1")
        assert rec.wait(lambda: new in rec.rows, 30), "the new report did not arrive"
        time.sleep(0.5)  # let a re-read, if any, finish delivering
        with rec.lock:
            reread = [i for i in old if i in rec.rows]
        assert reread == [], f"{len(reread)} old rows re-read after a forged notification"
    finally:
        lst.close()
        su.close()


def test_a_forged_notification_only_wakes_the_listener(gridgov_db):
    check_forged_notify(gridgov_db, live.EventListener)


def test_the_listener_as_it_was_re_read_the_table(gridgov_db):
    with pytest.raises(AssertionError):
        check_forged_notify(gridgov_db, LegacyListener)


def check_bc_row(dsn: str, tolerant: bool, monkeypatch) -> None:
    """Finding 4, client side: a row dated 44 BC, kept from before 007, does not stop the feed."""
    if not tolerant:
        monkeypatch.setattr(live, "tolerant_timestamps", lambda conn: conn)
    conn = psycopg2.connect(dsn)
    migrations.migrate(conn, target=5)
    conn.autocommit = True
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    bc = report_event(conn, "BC-1", reported_at="0044-03-15 12:00:00+00 BC")  # 005 accepted it
    conn.autocommit = False
    migrations.migrate(conn)  # the upgrade keeps it (NOT VALID bound)
    conn.autocommit = True
    lst, rec = _listen(dsn, since=start, reconnect_min=0.1, reconnect_max=0.2)
    try:
        after = report_event(conn, "AFTER-1")
        assert rec.wait(lambda: after in rec.rows and bc in rec.rows, 20), "the feed stopped at the row from 44 BC"
        assert rec.rows[bc]["reported_at"].year == 1  # read as the earliest time Python has
    finally:
        lst.close()
        conn.close()


def test_the_listener_reads_a_row_dated_44_bc(fresh_db, monkeypatch):
    check_bc_row(fresh_db, True, monkeypatch)


def test_the_listener_without_tolerant_dates_stops_at_44_bc(fresh_db, monkeypatch):
    with pytest.raises(AssertionError):
        check_bc_row(fresh_db, False, monkeypatch)
