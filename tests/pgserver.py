"""A throw-away PostgreSQL 15 + PostGIS server for the test session.

Runs initdb in a temporary directory and starts the server on a free loopback port
with a private socket directory. PostgreSQL refuses to run as root, so as root the
server runs as the ``postgres`` system user (created by Debian's package).

Where pg_cron is installed (Debian's ``postgresql-15-cron``, scripts/bootstrap.sh), the server
preloads it with ``cron.database_name`` = ``CRON_DB``, in background-worker mode (no
connection of its own to authenticate), and creates that database empty: a test that needs
the schedule migrates it (tests/db/test_escalation.py).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass

PG_BIN = "/usr/lib/postgresql/15/bin"
PG_LIB = "/usr/lib/postgresql/15/lib"
CRON_DB = "gridgov_cron"


def has_pg_cron() -> bool:
    return os.path.exists(f"{PG_LIB}/pg_cron.so")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    datadir: str
    port: int
    user: str = "postgres"
    host: str = "127.0.0.1"
    cron: bool = False  # pg_cron preloaded, scheduling in database CRON_DB

    def _options(self) -> str:
        base = os.path.dirname(self.datadir)
        opts = f"-p {self.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        if self.cron:
            opts += (
                f" -c shared_preload_libraries=pg_cron -c cron.database_name={CRON_DB}"
                " -c cron.use_background_workers=on -c max_worker_processes=16"
            )
        return opts

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def _run(self, args: list[str]) -> subprocess.CompletedProcess:
        cmd = args
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(cmd, check=True, capture_output=True, text=True)

    @classmethod
    def start(cls) -> PgServer:
        if not os.path.exists(f"{PG_BIN}/initdb"):
            raise RuntimeError("PostgreSQL 15 is not installed: run scripts/bootstrap.sh (make test does)")
        base = tempfile.mkdtemp(prefix="gridgov-pg-")
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(base, pw.pw_uid, pw.pw_gid)
        server = cls(datadir=os.path.join(base, "data"), port=_free_port(), cron=has_pg_cron())
        server._run(
            [
                f"{PG_BIN}/initdb",
                "-D",
                server.datadir,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        server._run(
            [
                f"{PG_BIN}/pg_ctl",
                "-D",
                server.datadir,
                "-o",
                server._options(),
                "-l",
                os.path.join(base, "log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection((server.host, server.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        if server.cron:  # pg_cron's launcher waits in this database until a test installs the extension
            import psycopg2

            conn = psycopg2.connect(server.dsn())
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE {CRON_DB}")
            conn.close()
        return server

    def stop(self) -> None:
        try:
            self._run([f"{PG_BIN}/pg_ctl", "-D", self.datadir, "-m", "fast", "-w", "stop"])
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(os.path.dirname(self.datadir), ignore_errors=True)

    def restart(self) -> None:
        """Stop and start again on the same port (used by reconnect tests)."""
        base = os.path.dirname(self.datadir)
        self._run(
            [
                f"{PG_BIN}/pg_ctl",
                "-D",
                self.datadir,
                "-o",
                self._options(),
                "-l",
                os.path.join(base, "log"),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "restart",
            ]
        )
