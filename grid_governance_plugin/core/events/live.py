"""Live events: LISTEN on ``gridgov_events`` and deliver the changed rows, nothing more.

Migration 004 notifies an event id per changed row at commit (a ``since:<timestamp>``
marker instead when one statement changes more than 50 rows). ``EventListener`` runs a
plain thread that:

* waits with select() on the connection socket (and a wake-up pipe, so stop() is
  immediate), collects notified ids and fetches only those rows, at most every
  ``batch_interval`` (200 ms): a lone event goes out at once, a burst in batches;
* treats a notification as a hint only (issue #10, finding 6): an event id names a row to
  read again, with the reader's own rights; anything else (a bulk statement's
  ``since:<time>`` marker, or a payload any connected role could forge) only wakes a
  catch-up from the listener's own watermark, never from a time named in a payload;
* keeps a watermark (the newest ``updated_at`` it delivered); after connecting or
  reconnecting it LISTENs first and then reads ``updated_at > watermark - overlap``,
  so everything committed while it was away arrives, and rows already delivered
  (same id and updated_at) are not sent twice. ``overlap`` covers transactions that
  started before the watermark but committed after it (updated_at is transaction
  start time); a bulk statement in a transaction longer than ``overlap`` is caught by
  reloading the layer;
* reads any date the database holds (a report dated 44 BC must not stop the feed:
  ``store.pgtypes``);
* reconnects by itself with exponential backoff after a lost connection, checking an
  idle connection every ``keepalive`` seconds so a silently dead one is noticed.

Callbacks run on the listener thread. In QGIS use ``QtEventListener``: its signals are
delivered on the thread its QObject lives in (the main thread), where layers may be
edited. Rows are dicts: the ``gridgov.event`` columns (uuid as str) plus ``lon``/``lat``
(EPSG:4490). Ids that no longer exist are passed to ``on_deleted``; deletes made while the
listener was away are caught up from their tombstones (``gridgov.tombstone``, issue #11)
with the same watermark and overlap.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import select
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg2
import psycopg2.extensions
import psycopg2.extras

from .. import dberrors
from ..i18n import tr
from ..labels import label
from ..log import get_logger
from ..store.pgtypes import tolerant_timestamps
from ..store.schema import LAYERS_BY_NAME

LOG = get_logger("live")
CHANNEL = "gridgov_events"
# the event layer's fields, in the store's order (core/store/schema.py)
COLUMNS = tuple(LAYERS_BY_NAME["event"].field_names())


def select_sql(hidden: frozenset[str] | set[str] = frozenset()) -> str:
    """The row query; columns the login may not read (an analyst: ``reporter``) come back as NULL."""
    cols = ", ".join(f"NULL::text AS {c}" if c in hidden else f"e.{c}" for c in COLUMNS)
    return f"SELECT {cols}, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat FROM gridgov.event e"


_SELECT = select_sql()
CATCHUP_PAGE = 5000

# states passed to on_status(state, message)
CONNECTING = "connecting"
LISTENING = "listening"
DISCONNECTED = "disconnected"
STOPPED = "stopped"

RowsCallback = Callable[[list[dict[str, Any]]], None]
StatusCallback = Callable[[str, str], None]
DeletedCallback = Callable[[list[str]], None]


def resolve_dsn(dsn_or_connection_name: str) -> str:
    """A libpq DSN as is (``key=value ...``, ``service=NAME`` or a URI); else a QGIS connection name."""
    text = dsn_or_connection_name.strip()
    if "=" in text or text.startswith(("postgres://", "postgresql://")):
        return text
    from ..store.db import dsn_for  # QGIS: read on the calling (main) thread, with the auth database expanded

    return dsn_for(text)


class EventListener:
    """LISTEN/NOTIFY client that delivers changed ``gridgov.event`` rows in batches.

    ``since``: deliver rows changed after this time on the first connect (e.g. when the
    layer was loaded); None starts from the moment of the first connect.
    """

    def __init__(
        self,
        dsn_or_connection_name: str,
        on_rows: RowsCallback,
        on_status: StatusCallback | None = None,
        on_deleted: DeletedCallback | None = None,
        since: dt.datetime | None = None,
        batch_interval: float = 0.2,
        reconnect_min: float = 0.5,
        reconnect_max: float = 30.0,
        overlap: dt.timedelta = dt.timedelta(seconds=120),
        keepalive: float = 10.0,
        channel: str = CHANNEL,
    ) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", channel):
            raise ValueError(tr("'{0}' is not a valid channel name.", channel))
        self._dsn = resolve_dsn(dsn_or_connection_name)
        self.on_rows = on_rows
        self.on_status = on_status
        self.on_deleted = on_deleted
        self.batch_interval = batch_interval
        self.reconnect_min = reconnect_min
        self.reconnect_max = reconnect_max
        self.overlap = overlap
        self.keepalive = keepalive
        self.channel = channel
        self._watermark: dt.datetime | None = since
        self._delivered: dict[str, dt.datetime] = {}  # id -> updated_at delivered within the overlap
        self._gone: dict[int, dt.datetime] = {}  # tombstone seq -> deleted_at passed to on_deleted
        self._tombstones = False
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None
        self._conn = None
        self._select = _SELECT
        self.state = STOPPED
        self.reconnects = 0
        self.batches = 0

    # ----------------------------------------------------------------- public API

    def start(self) -> None:
        """Start the listener thread (no-op when running)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gridgov-event-listener", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread; safe to call twice."""
        self._stop.set()
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def close(self) -> None:
        """stop() and release the wake-up pipe; the listener cannot be restarted."""
        self.stop()
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def watermark(self) -> dt.datetime | None:
        """The newest updated_at delivered (or the start point)."""
        return self._watermark

    # ----------------------------------------------------------------- thread

    def _status(self, state: str, message: str = "") -> None:
        self.state = state
        LOG.info(tr("Live events: {0}. {1}", label("live_state", state), message).strip())
        if self.on_status is not None:
            try:
                self.on_status(state, message)
            except Exception:  # a callback bug must not kill the listener
                LOG.exception(tr("Live events: showing the listener's state failed."))

    def _run(self) -> None:
        delay = self.reconnect_min
        while not self._stop.is_set():
            self._status(CONNECTING, "")
            try:
                self._connect()
                delay = self.reconnect_min  # a good connection resets the backoff
                self._listen_loop()
            except Exception as exc:  # psycopg2.Error, OSError; anything else is a bug, but keep listening
                if not isinstance(exc, (psycopg2.Error, OSError)):
                    LOG.exception(tr("Live events: unexpected error; reconnecting."))
                msg = dberrors.explain(exc)
                self._close_conn()
                if self._stop.is_set():
                    break
                self._status(DISCONNECTED, tr("Connection lost ({0}); reconnecting in {1:.1f} s.", msg, delay))
                self.reconnects += 1
                self._wait(delay)
                delay = min(delay * 2, self.reconnect_max)
        self._close_conn()
        self._status(STOPPED, "")

    def _wait(self, seconds: float) -> None:
        """Sleep, but wake at once on stop()."""
        r, _, _ = select.select([self._wake_r], [], [], seconds)
        if r:
            os.read(self._wake_r, 64)

    def _connect(self) -> None:
        conn = psycopg2.connect(
            self._dsn,
            application_name="gridgov-live",
            connect_timeout=5,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        conn.autocommit = True  # LISTEN takes effect at once; notifications arrive between queries
        tolerant_timestamps(conn)
        self._conn = conn
        from_now = False
        with conn.cursor() as cur:
            cur.execute(
                "SELECT coalesce(array_agg(c), '{}') FROM unnest(%s::text[]) c"
                " WHERE NOT has_column_privilege('gridgov.event', c, 'SELECT')",
                (list(COLUMNS),),
            )
            self._select = select_sql(set(cur.fetchone()[0]))
            cur.execute(
                "SELECT to_regclass('gridgov.tombstone') IS NOT NULL"
                " AND has_table_privilege('gridgov.tombstone', 'SELECT')"
            )
            self._tombstones = bool(cur.fetchone()[0])  # a schema before issue #11 has none
            cur.execute(f"LISTEN {self.channel}")  # first LISTEN, then catch up: no gap between them
            if self._watermark is None:
                cur.execute("SELECT now()")
                self._watermark = cur.fetchone()[0]
                from_now = True
        self._status(LISTENING, "")
        if not from_now:  # a given start point, or back after a lost connection
            self._catch_up(self._watermark - self.overlap)

    def _listen_loop(self) -> None:
        conn = self._conn
        pending: set[str] = set()
        wake = False
        last_emit = 0.0
        last_traffic = time.monotonic()
        while not self._stop.is_set():
            # Notifications that came in while a query ran (catch-up, fetch, keepalive) were
            # read off the socket by psycopg2 already: take them before waiting on it again.
            wake = self._drain(conn, pending) or wake
            now = time.monotonic()
            if pending or wake:
                timeout = max(0.0, last_emit + self.batch_interval - now)
            else:
                timeout = max(0.05, last_traffic + self.keepalive - now)
            r, _, _ = select.select([conn, self._wake_r], [], [], timeout)
            if self._wake_r in r:
                os.read(self._wake_r, 64)
                continue
            if conn in r:
                conn.poll()
                last_traffic = time.monotonic()
                wake = self._drain(conn, pending) or wake
            elif not pending and not wake and time.monotonic() - last_traffic >= self.keepalive:
                with conn.cursor() as cur:  # raises when the server went away silently
                    cur.execute("SELECT 1")
                last_traffic = time.monotonic()
            if (pending or wake) and time.monotonic() >= last_emit + self.batch_interval:
                ids = set(pending)
                pending.clear()
                if wake:
                    wake = False
                    ids -= self._catch_up(self._resume_point())  # rows the catch-up just read
                if ids:
                    self._fetch_ids(sorted(ids))
                last_emit = time.monotonic()

    def _drain(self, conn, pending: set[str]) -> bool:
        """Move queued notifications into ``pending`` ids; whether any other payload asks for a catch-up."""
        wake = False
        while conn.notifies:
            payload = conn.notifies.pop(0).payload.strip()
            if _is_uuid(payload):
                pending.add(payload)
            else:  # 'since:<time>' of a bulk statement, or anything: a wake-up, its contents ignored
                wake = True
        return wake

    def _resume_point(self) -> dt.datetime:
        """Where a catch-up starts: the listener's own watermark (minus the overlap), never a payload's time."""
        if self._watermark is None:
            return dt.datetime.now(dt.timezone.utc) - self.overlap
        return self._watermark - self.overlap

    # ----------------------------------------------------------------- fetching

    def _fetch_ids(self, ids: list[str]) -> None:
        with self._conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(self._select + " WHERE e.id = ANY(%s::uuid[])", (ids,))
            rows = [_plain(r) for r in cur.fetchall()]
        found = {r["id"] for r in rows}
        self._deliver(rows, force=True)
        gone = [i for i in ids if i not in found]
        if gone and self.on_deleted is not None:
            for i in gone:
                self._delivered.pop(i, None)
            try:
                self.on_deleted(gone)
            except Exception:
                LOG.exception(tr("Live events: removing deleted events from the layer failed."))

    def _catch_up(self, after: dt.datetime) -> set[str]:
        """Deliver rows with updated_at > after, in pages ordered by (updated_at, id); their ids."""
        seen: set[str] = set()
        key: tuple[dt.datetime, str] | None = None
        while not self._stop.is_set():
            with self._conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                if key is None:
                    cur.execute(
                        self._select + " WHERE e.updated_at > %s ORDER BY e.updated_at, e.id LIMIT %s",
                        (after, CATCHUP_PAGE),
                    )
                else:
                    cur.execute(
                        self._select
                        + " WHERE (e.updated_at, e.id) > (%s, %s::uuid) ORDER BY e.updated_at, e.id LIMIT %s",
                        (key[0], key[1], CATCHUP_PAGE),
                    )
                rows = [_plain(r) for r in cur.fetchall()]
            if not rows:
                break
            self._deliver(rows, force=False)
            seen.update(r["id"] for r in rows)
            key = (rows[-1]["updated_at"], rows[-1]["id"])
            if len(rows) < CATCHUP_PAGE:
                break
        self._catch_up_deletes(after)
        return seen

    def _catch_up_deletes(self, after: dt.datetime) -> None:
        """Events deleted since ``after`` (their tombstones), each passed to ``on_deleted`` once."""
        if not getattr(self, "_tombstones", False) or self.on_deleted is None:
            return
        with self._conn.cursor() as cur:
            cur.execute(
                "SELECT seq, uid::text, deleted_at FROM gridgov.tombstone"
                " WHERE table_name = 'event' AND deleted_at > %s ORDER BY seq",
                (after,),
            )
            rows = [r for r in cur.fetchall() if r[0] not in self._gone]
        if not rows:
            return
        for seq, _, at in rows:
            self._gone[seq] = at
        horizon = after - self.overlap
        self._gone = {k: v for k, v in self._gone.items() if v > horizon}
        ids = [r[1] for r in rows]
        for i in ids:
            self._delivered.pop(i, None)
        try:
            self.on_deleted(ids)
        except Exception:
            LOG.exception(tr("Live events: removing deleted events from the layer failed."))

    def _deliver(self, rows: list[dict[str, Any]], force: bool) -> None:
        """Send rows not delivered before (same id and updated_at), advance the watermark."""
        fresh = rows if force else [r for r in rows if self._delivered.get(r["id"]) != r["updated_at"]]
        if not rows:
            return
        newest = max((r["updated_at"] for r in rows if r["updated_at"] is not None), default=None)
        if newest is not None and (self._watermark is None or newest > self._watermark):
            self._watermark = newest
        for r in rows:
            self._delivered[r["id"]] = r["updated_at"]
        if len(self._delivered) > 1000 and self._watermark is not None:
            horizon = self._watermark - self.overlap  # older entries can no longer come back through a catch-up
            self._delivered = {k: v for k, v in self._delivered.items() if v is not None and v > horizon}
        if fresh:
            self.batches += 1
            try:
                self.on_rows(fresh)
            except Exception:
                LOG.exception(tr("Live events: adding new events to the layer failed."))

    def _close_conn(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k in ("id", "duplicate_of"):
        if out.get(k) is not None:
            out[k] = str(out[k])
    return out


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


try:  # the Qt adaptor: optional so the core runs without PyQt (benchmarks, scripts)
    from qgis.PyQt.QtCore import QObject, pyqtSignal

    class QtEventListener(QObject):
        """EventListener whose callbacks become Qt signals, received on this object's thread.

        rowsChanged(list of dict), rowsDeleted(list of str), statusChanged(state, message).
        """

        rowsChanged = pyqtSignal(list)
        rowsDeleted = pyqtSignal(list)
        statusChanged = pyqtSignal(str, str)

        def __init__(self, dsn_or_connection_name: str, parent: QObject | None = None, **kwargs: Any) -> None:
            super().__init__(parent)
            self._listener = EventListener(
                dsn_or_connection_name,
                on_rows=self.rowsChanged.emit,
                on_status=self.statusChanged.emit,
                on_deleted=self.rowsDeleted.emit,
                **kwargs,
            )

        @property
        def listener(self) -> EventListener:
            return self._listener

        def start(self) -> None:
            self._listener.start()

        def stop(self) -> None:
            self._listener.stop()

except ImportError:  # pragma: no cover
    pass
