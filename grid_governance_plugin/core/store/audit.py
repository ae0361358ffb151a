"""The audit trail of migration 008: who changed what and when; earlier versions; restore.

``history`` lists the entries of one row (row-level security shows a login only its area's),
``version`` gives the row as it was right after an entry, ``restore`` puts that version back as
a new edit by the login (audited like any other). A case's history joins its status steps
(``event_history``) to the audit of its other changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, tr

RESTORABLE = ("grid", "camera", "building", "dept_grid", "grid_worker")  # gridgov.row_version's tables
KEY = {"grid": "id", "camera": "id", "building": "id", "dept_grid": "id", "grid_worker": "worker_id", "event": "id"}
# bookkeeping columns, not what a user changed (version, base_version, uid: 010_versions.sql)
HIDDEN = frozenset({"updated_at", "version", "base_version", "uid"})
OPS = {"INSERT": N_("Created"), "UPDATE": N_("Changed"), "DELETE": N_("Deleted"), "TRUNCATE": N_("Emptied")}


@dataclass
class Entry:
    """One audit entry (or, for a case, one step of its history)."""

    id: int | None  # audit_log.id; None for a case's status step
    at: dt.datetime | None
    login: str | None
    actor: str | None
    op: str
    old: dict[str, Any]
    new: dict[str, Any]
    note: str | None = None

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(column, before, after) of the columns this entry changed (all of a created or deleted row)."""
        cols = sorted((set(self.old) | set(self.new)) - HIDDEN)
        return [(c, self.old.get(c), self.new.get(c)) for c in cols]

    def summary(self) -> str:
        """'name: 东华门一网格 → 东华门一网格（调整）; geometry changed' — plain text for a table cell."""
        if self.op == "STEP":
            return self.note or ""
        if self.op in ("INSERT", "DELETE"):
            return tr(OPS[self.op])
        parts = []
        for col, before, after in self.changes():
            if col == "geom":
                parts.append(tr("geometry changed"))
            else:
                parts.append(f"{col}: {show(before)} → {show(after)}")
        return "; ".join(parts)


def show(value: Any) -> str:
    """A stored value as plain text for people (NULL as an empty mark)."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def history(conn: Any, table: str, key: Any) -> list[Entry]:
    """The entries of ``table`` row ``key`` the login may read, oldest first."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, at, login, actor, op, coalesce(old, '{}'), coalesce(new, '{}'), note FROM gridgov.audit_log"
            " WHERE table_name = %s AND row_key = %s ORDER BY id",
            (table, str(key)),
        )
        out = [Entry(*r) for r in cur.fetchall()]
        if table == "event":
            cur.execute(
                "SELECT at, coalesce(login, actor), actor, from_status, to_status, note FROM gridgov.event_history"
                " WHERE event_id = %s ORDER BY id",
                (str(key),),
            )
            steps = [
                Entry(None, at, login, actor, "STEP", {"status": f}, {"status": t}, note)
                for at, login, actor, f, t, note in cur.fetchall()
            ]
            out = sorted(out + steps, key=lambda e: e.at or dt.datetime.min.replace(tzinfo=dt.timezone.utc))
    if not conn.autocommit:
        conn.rollback()  # no idle transaction left behind a dialog
    return out


def version(conn: Any, table: str, key: Any, audit_id: int) -> dict[str, Any] | None:
    """The row as it was right after entry ``audit_id`` (None: it did not exist then)."""
    with conn.cursor() as cur:
        cur.execute("SELECT gridgov.row_version(%s, %s, %s)", (table, str(key), int(audit_id)))
        row = cur.fetchone()[0]
    if not conn.autocommit:
        conn.rollback()
    return row


def restore(conn: Any, table: str, key: Any, audit_id: int, actor: str | None = None) -> list[str]:
    """Put the version after ``audit_id`` back as a new, audited edit; the columns it changed. Commits."""
    try:
        with conn.cursor() as cur:
            if actor:
                cur.execute("SELECT set_config('gridgov.actor', %s, true)", (actor,))
            cur.execute("SELECT gridgov.restore_version(%s, %s, %s)", (table, str(key), int(audit_id)))
            cols = list(cur.fetchone()[0] or [])
        conn.commit()
        return cols
    except Exception:
        conn.rollback()
        raise
