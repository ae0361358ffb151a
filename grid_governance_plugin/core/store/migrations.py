"""Numbered SQL migrations of the ``gridgov`` schema.

Files ``sql/NNN_name.sql`` run in order, each in its own transaction, and are recorded
in ``gridgov.schema_migrations``; running again applies only what is missing, so
installing on an installed database is a no-op. A transaction-level advisory lock keeps
two installers (two QGIS users clicking at once) from racing.

How a migration runs (docs/roles.md, "For migration authors"):

* the installing login is a superuser (or a member of ``gridgov_owner`` with CREATEROLE);
* every migration after ``NNN_roles.sql`` runs as ``gridgov_owner`` (``SET LOCAL ROLE``), so what
  it creates belongs to the owner, and new functions are executable by nobody until granted;
  a file whose first line is ``-- gridgov: run as installer`` runs as the installing login
  (``NNN_roles.sql``, which creates the roles, is one);
* ``@postgis@`` in a file is replaced by the quoted name of the schema PostGIS lives in:
  SECURITY DEFINER functions pin ``search_path = pg_catalog, pg_temp`` and call PostGIS by
  that schema;
* after the file, still in its transaction, ``gridgov._after_migration()`` hands anything
  not owned by ``gridgov_owner`` to it, takes EXECUTE on gridgov functions from PUBLIC and
  refuses SECURITY DEFINER functions whose search path is not pinned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr

SQL_DIR = Path(__file__).resolve().parent.parent.parent / "sql"
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x67726964  # 'grid'
OWNER = "gridgov_owner"
OWNER_MIGRATION = "roles"  # NNN_roles.sql creates gridgov_owner; migrations after it run as the owner
INSTALLER_MARK = "-- gridgov: run as installer"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        """The file's text as written (with ``@postgis@`` placeholders)."""
        return self.path.read_text(encoding="utf-8")

    def runs_as_installer(self) -> bool:
        return self.version < owner_from() or self.sql().lstrip().startswith(INSTALLER_MARK)


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


def owner_from() -> int:
    """The first version that runs as gridgov_owner: the one after NNN_roles.sql (which creates it)."""
    roles = [m.version for m in available() if m.name == OWNER_MIGRATION]
    return roles[0] + 1 if roles else len(available()) + 1


def applied(conn) -> list[int]:
    """Versions already applied on ``conn`` (psycopg2 connection)."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('gridgov.schema_migrations') IS NOT NULL")
        if not cur.fetchone()[0]:
            return []
        cur.execute("SELECT version FROM gridgov.schema_migrations ORDER BY version")
        return [r[0] for r in cur.fetchall()]


def postgis_schema(conn) -> str | None:
    """The schema PostGIS is installed in (None before it is)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace"
            " WHERE x.extname = 'postgis'"
        )
        row = cur.fetchone()
    return row[0] if row else None


def _with_postgis(sql: str, conn) -> str:
    if "@postgis@" not in sql:
        return sql
    from psycopg2.extensions import quote_ident

    schema = postgis_schema(conn)
    if schema is None:
        raise RuntimeError("PostGIS is not installed in this database")
    return sql.replace("@postgis@", quote_ident(schema, conn))


def _notices(conn, feedback, start: int) -> None:
    """Pass the server's warnings (e.g. a PostGIS schema writable by PUBLIC) to the user."""
    if feedback is None:
        return
    for line in conn.notices[start:]:
        if line.startswith("WARNING"):
            feedback.pushWarning(line.strip())


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
                cur.execute("SELECT to_regclass('gridgov.schema_migrations') IS NOT NULL")
                if not cur.fetchone()[0]:  # (a login that may not create there can still see it is up to date)
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
                seen = len(conn.notices)
                if not mig.runs_as_installer():
                    cur.execute(f"SET LOCAL ROLE {OWNER}")
                cur.execute(_with_postgis(mig.sql(), conn))
                cur.execute("RESET ROLE")
                cur.execute(
                    "INSERT INTO gridgov.schema_migrations (version, name) VALUES (%s, %s)",
                    (mig.version, mig.name),
                )
                cur.execute("SELECT to_regprocedure('gridgov._after_migration()') IS NOT NULL")
                if cur.fetchone()[0]:
                    cur.execute("SELECT gridgov._after_migration()")
                _notices(conn, feedback, seen)
        done.append(mig)
    return done
