"""Real logins for the permission tests: one LOGIN role per person or channel, as a city has them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg2
import pytest


@dataclass
class Login:
    """A LOGIN role of a test, in one database."""

    name: str
    dsn: str

    def connect(self, autocommit: bool = True):
        conn = psycopg2.connect(self.dsn)
        conn.autocommit = autocommit
        return conn


def login_dsn(dsn: str, name: str) -> str:
    """``dsn`` (the superuser's, as conftest builds it) for login ``name``."""
    assert "user=postgres" in dsn, dsn
    return dsn.replace("user=postgres", f"user={name}")


class Logins:
    """Creates LOGIN roles in gridgov group roles; drops them at the end (roles are cluster-wide)."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.names: list[str] = []
        self.admin = psycopg2.connect(dsn)
        self.admin.autocommit = True

    def __call__(
        self,
        *roles: str,
        areas: tuple[str, ...] | list[str] = ("*",),
        sources: tuple[str, ...] | list[str] = (),
        name: str | None = None,
        limits: bool = False,
    ) -> Login:
        """A login in ``gridgov_<role>`` for each role, with ``areas`` (people) and ``sources`` (channels)."""
        name = name or f"t_{'_'.join(roles)}_{uuid.uuid4().hex[:8]}"
        groups = ", ".join(f"gridgov_{r}" for r in roles)
        with self.admin.cursor() as cur:
            cur.execute(f"CREATE ROLE {name} LOGIN IN ROLE {groups}")
            self.names.append(name)
            if roles != ("channel",):
                for area in areas:
                    cur.execute("SELECT gridgov.grant_area(%s, %s)", (name, area))
            for source in sources:
                cur.execute("SELECT gridgov.register_channel(%s, %s)", (name, source))
            if limits:
                cur.execute("SELECT gridgov._apply_login_limits(%s)", (name,))
        return Login(name, login_dsn(self.dsn, name))

    def close(self) -> None:
        with self.admin.cursor() as cur:
            for name in self.names:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
                cur.execute(f"DROP OWNED BY {name}")
                cur.execute(f"DROP ROLE {name}")
        self.admin.close()


@pytest.fixture
def logins(gridgov_db):
    """Factory of real logins in the migrated test database: ``logins("supervisor", areas=["110101001"])``."""
    made = Logins(gridgov_db)
    yield made
    made.close()
