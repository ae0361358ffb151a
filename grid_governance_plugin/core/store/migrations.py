"""Numbered SQL migrations of the ``gridgov`` schema.

Files ``sql/NNN_name.sql`` run in order, each in its own transaction, and are recorded
in ``gridgov.schema_migrations``; running again applies only what is missing, so
installing on an installed database is a no-op. A transaction-level advisory lock keeps
two installers (two QGIS users clicking at once) from racing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr

SQL_DIR = Path(__file__).resolve().parent.parent.parent / "sql"
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x67726964  # 'grid'


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available() -> list[Migration]:
    """All migrations shipped with the plugin, in order."""
    found = []
    for path in sorted(SQL_DIR.glob("*.sql")):
        m = _NAME.match(path.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1..n without gaps, found {versions}")
    return found


def applied(conn) -> list[int]:
    """Versions already applied on ``conn`` (psycopg2 connection)."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('gridgov.schema_migrations') IS NOT NULL")
        if not cur.fetchone()[0]:
            return []
        cur.execute("SELECT version FROM gridgov.schema_migrations ORDER BY version")
        return [r[0] for r in cur.fetchall()]


def migrate(conn, feedback=None, target: int | None = None) -> list[Migration]:
    """Apply the missing migrations up to ``target`` (default: all); return those applied.

    Each migration commits on its own, so a failure leaves the database at the last good
    version with nothing of the failing one written.
    """
    done: list[Migration] = []
    for mig in available():
        if target is not None and mig.version > target:
            break
        with conn:  # one transaction per migration
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                cur.execute("CREATE SCHEMA IF NOT EXISTS gridgov")
                cur.execute(
                    "CREATE TABLE IF NOT EXISTS gridgov.schema_migrations ("
                    " version integer PRIMARY KEY, name text NOT NULL,"
                    " applied_at timestamptz NOT NULL DEFAULT now())"
                )
                cur.execute("SELECT 1 FROM gridgov.schema_migrations WHERE version = %s", (mig.version,))
                if cur.fetchone():
                    continue
                if feedback is not None:
                    feedback.pushInfo(tr("Applying migration {0:03d} {1}…", mig.version, mig.name))
                cur.execute(mig.sql())
                cur.execute(
                    "INSERT INTO gridgov.schema_migrations (version, name) VALUES (%s, %s)",
                    (mig.version, mig.name),
                )
        done.append(mig)
    return done
