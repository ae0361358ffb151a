"""The live-events listener against a real PostgreSQL: latency, batching, restart and catch-up."""

from __future__ import annotations

import datetime as dt
import threading
import time

import psycopg2
import pytest

from grid_governance_plugin.core.events import live
from tests.helpers import gated_listener

pytestmark = pytest.mark.postgis

# inside the default served area (China's bounding box: no city polygon in these databases)
LON, LAT = 116.3975, 39.9087
# how long a test waits for something that should happen: generous, because eight sessions may
# share two cores; the latency itself is measured by bench/bench_live.py, not asserted here
WAIT = 60.0


class Recorder:
    """Collects what the listener delivers, with arrival times."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: dict[str, dict] = {}
        self.arrived: dict[str, float] = {}
        self.batches: list[tuple[float, int]] = []
        self.deleted: list[str] = []
        self.states: list[str] = []
        self.cond = threading.Condition(self.lock)

    def on_rows(self, rows):
        with self.cond:
            now = time.monotonic()
            self.batches.append((now, len(rows)))
            for r in rows:
                self.rows[r["id"]] = r
                self.arrived.setdefault(r["id"] + "@" + r["status"], now)
            self.cond.notify_all()

    def on_status(self, state, message):
        with self.cond:
            self.states.append(state)
            self.cond.notify_all()

    def on_deleted(self, ids):
        with self.cond:
            self.deleted.extend(ids)
            self.cond.notify_all()

    def wait(self, predicate, timeout: float) -> bool:
        with self.cond:
            return self.cond.wait_for(predicate, timeout)


class Writer:
    """Another client (a field channel); reconnects after the server restarts."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.conn = None
        self.n = 0

    def _cur(self):
        if self.conn is None or self.conn.closed:
            self.conn = psycopg2.connect(self.dsn)
            self.conn.autocommit = True
        return self.conn.cursor()

    def execute(self, sql, args=None):
        for attempt in range(20):
            try:
                with self._cur() as cur:
                    cur.execute(sql, args)
                    return cur.fetchall() if cur.description else None
            except psycopg2.OperationalError:  # the server restarted under us: new connection
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                time.sleep(0.25 * (attempt + 1))
        raise RuntimeError("cannot reach the server")

    def report(self, category: str = "SJ0102") -> str:
        self.n += 1
        return self.execute(
            "SELECT gridgov.report_event(%s, %s, %s, now(), %s, %s)::text",
            ("test-app", f"r{self.n}-{time.time_ns()}", category, LON + self.n * 1e-5, LAT),
        )[0][0]

    def close(self):
        if self.conn is not None:
            self.conn.close()


@pytest.fixture
def writer(gridgov_db):
    w = Writer(gridgov_db)
    yield w
    w.close()


@pytest.fixture
def restart_writer(gridgov_db):
    w = Writer(gridgov_db)
    yield w
    w.close()


def _start(dsn: str, rec: Recorder, cls=live.EventListener, **kw) -> live.EventListener:
    lst = cls(dsn, rec.on_rows, rec.on_status, rec.on_deleted, **kw)
    lst.start()
    assert rec.wait(lambda: live.LISTENING in rec.states, WAIT), rec.states
    return lst


def test_insert_by_another_connection_arrives(gridgov_db, writer):
    rec = Recorder()
    lst = _start(gridgov_db, rec)
    try:
        for _ in range(5):
            eid = writer.report()  # autocommit: committed when this returns
            assert rec.wait(lambda eid=eid: eid in rec.rows, WAIT), "not delivered"
            time.sleep(0.25)  # one notification each, not one batch
        row = rec.rows[eid]
        assert row["status"] == "reported" and row["category_code"] == "SJ0102"
        assert row["lon"] == pytest.approx(LON + 5e-5) and row["lat"] == pytest.approx(LAT)
        assert row["department"] == "HW" and row["deadline_at"] is not None

        # a change (立案) arrives as the changed row
        writer.execute("SELECT gridgov.transition(%s::uuid, 'registered', 'tester', 'ok')", (eid,))
        assert rec.wait(lambda: rec.rows[eid]["status"] == "registered", WAIT)

        # a deleted row is reported by id (history is append-only, so: a row without history)
        gone = writer.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, geom)"
            " VALUES ('direct', 'gone', 'SJ0102', now(), ST_SetSRID(ST_MakePoint(%s, %s), 4490)) RETURNING id::text",
            (LON, LAT),
        )[0][0]
        assert rec.wait(lambda: gone in rec.rows, WAIT)
        writer.execute("DELETE FROM gridgov.event WHERE id = %s::uuid", (gone,))
        assert rec.wait(lambda: gone in rec.deleted, WAIT)
    finally:
        thread = lst._thread
        lst.stop()  # joins for up to 5 s; without the wake-up the thread would sit in select() for 10 s
        assert not thread.is_alive() and not lst.running
        lst.close()
    assert rec.states[-1] == live.STOPPED


def test_a_burst_comes_in_batches_at_most_every_200_ms(gridgov_db, writer):
    rec = Recorder()
    lst = _start(gridgov_db, rec)
    try:
        ids = [writer.report() for _ in range(150)]
        assert rec.wait(lambda: all(i in rec.rows for i in ids), WAIT)
        assert len(rec.batches) < 150 / 3  # batched, not one callback per event
        # ~200 ms between batches: a busy machine can delay a single callback (so no one gap is
        # checked), but never makes batches more frequent on the whole
        span = rec.batches[-1][0] - rec.batches[0][0]
        assert len(rec.batches) - 1 <= span / 0.15, [round(b[0] - rec.batches[0][0], 3) for b in rec.batches]
    finally:
        lst.close()


def test_bulk_statement_sends_a_since_marker_and_every_row_arrives(gridgov_db, writer):
    rec = Recorder()
    lst = _start(gridgov_db, rec)
    try:
        # one statement changing more than 50 rows: migration 004 sends 'since:<time>' instead of ids
        got = writer.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, geom)"
            " SELECT 'bulk', 'b' || g, 'SJ0102', now(), ST_SetSRID(ST_MakePoint(116.4, 39.9), 4490)"
            " FROM generate_series(1, 120) g RETURNING id::text"
        )
        ids = {r[0] for r in got}
        assert rec.wait(lambda: ids <= set(rec.rows), WAIT)
    finally:
        lst.close()


def test_server_restart_reconnects_and_catches_up_with_nothing_missed(pg_server, gridgov_db, restart_writer):
    writer = restart_writer
    rec = Recorder()
    gated, gate = gated_listener()
    lst = _start(gridgov_db, rec, cls=gated, reconnect_min=0.2, reconnect_max=1.0)
    try:
        before = writer.report()
        assert rec.wait(lambda: before in rec.rows, WAIT)
        listening_before = rec.states.count(live.LISTENING)

        pg_server.restart()  # kills every connection, the listener's and the writer's

        # written right after the restart, while the listener waits to reconnect (until the gate opens)
        missed = [writer.report() for _ in range(3)]
        assert rec.wait(lambda: live.DISCONNECTED in rec.states, WAIT)
        assert rec.states.count(live.LISTENING) == listening_before  # still away
        gate.set()
        assert rec.wait(lambda: rec.states.count(live.LISTENING) > listening_before, WAIT), rec.states
        assert rec.wait(lambda: all(i in rec.rows for i in missed), WAIT), "catch-up missed rows"
        assert lst.reconnects >= 1

        # and it keeps listening afterwards
        after = writer.report()
        assert rec.wait(lambda: after in rec.rows, WAIT)
        # a row delivered before the restart is not delivered again by the catch-up
        assert sum(n for _, n in rec.batches) == len(rec.rows)
    finally:
        lst.close()


def test_server_down_for_a_while_then_back(pg_server, gridgov_db, restart_writer):
    """The server stays down over several reconnect attempts; rows written once it is back arrive."""
    writer = restart_writer
    rec = Recorder()
    lst = _start(gridgov_db, rec, reconnect_min=0.2, reconnect_max=1.0)
    try:
        pg_server._run([f"{live_pg_bin()}/pg_ctl", "-D", pg_server.datadir, "-m", "fast", "-w", "stop"])
        assert rec.wait(lambda: live.DISCONNECTED in rec.states, WAIT)
        assert rec.wait(lambda: rec.states.count(live.DISCONNECTED) >= 2, WAIT)  # several failed attempts
        pg_server.restart()  # pg_ctl restart also starts a stopped server
        eid = writer.report()
        assert rec.wait(lambda: eid in rec.rows, WAIT)
    finally:
        lst.close()


def live_pg_bin() -> str:
    from tests.pgserver import PG_BIN

    return PG_BIN


def test_since_delivers_rows_changed_before_start(gridgov_db, writer):
    t0 = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    early = writer.report()
    rec = Recorder()
    lst = _start(gridgov_db, rec, since=t0, overlap=dt.timedelta(0))
    try:
        assert rec.wait(lambda: early in rec.rows, WAIT)
    finally:
        lst.close()


def test_resolve_dsn_keeps_libpq_strings():
    assert live.resolve_dsn("host=x dbname=y") == "host=x dbname=y"
    assert live.resolve_dsn("service=gridgov_test") == "service=gridgov_test"
    assert live.resolve_dsn("postgresql://u@h/db") == "postgresql://u@h/db"


def test_listener_through_a_pg_service(pg_service, writer):
    rec = Recorder()
    lst = _start(f"service={pg_service}", rec)
    try:
        eid = writer.report()
        assert rec.wait(lambda: eid in rec.rows, WAIT)
    finally:
        lst.close()


def test_a_notification_read_during_a_query_is_not_lost(gridgov_db, writer):
    """psycopg2 queues notifications it reads while a query runs; the loop must take them
    before it waits on the socket again (regression: the row stayed undelivered)."""
    rec = Recorder()
    written: list[str] = []

    class Racing(live.EventListener):
        def _catch_up(self, after):
            seen = super()._catch_up(after)
            if not written:
                written.append(writer.report())  # committed after the catch-up's snapshot
                with self._conn.cursor() as cur:
                    cur.execute("SELECT pg_sleep(0.3)")  # its NOTIFY is read off the socket here
            return seen

    lst = Racing(gridgov_db, rec.on_rows, rec.on_status, rec.on_deleted, since=dt.datetime.now(dt.timezone.utc))
    lst.start()
    try:
        assert rec.wait(lambda: bool(written) and written[0] in rec.rows, WAIT)
    finally:
        lst.close()
