"""Creating a login for a person or a channel, as an admin does from the settings dialog.

The password never leaves the admin's machine in clear text: psycopg2 computes the
SCRAM-SHA-256 verifier (the same as ``\\password`` in psql), and ``gridgov.create_login`` only
accepts verifiers, so no statement holding a password can land in a server log.
"""

from __future__ import annotations

import re
from typing import Any

from ..i18n import N_, tr

ROLES = ("supervisor", "worker", "analyst", "planner", "admin", "channel")
ROLE_HELP = {
    "supervisor": N_("case steps, assignment, merging and escalation in the area"),
    "worker": N_("the cases of the area's grids: accept, 处置 and 核查 with photos"),
    "analyst": N_("reads the area without personal data; writes analyses"),
    "planner": N_("grids, plans, cameras, buildings and grid workers of the area"),
    "admin": N_("logins, areas, channels and the responsibility list"),
    "channel": N_("a field channel: reports events under its registered sources only"),
}
LOGIN_RE = re.compile(r"^[a-z_][a-z0-9_]{2,62}$")
MIN_PASSWORD = 10


def check(login: str, role: str, area: str | None, password: str, repeat: str, sources: list[str]) -> list[str]:
    """What is wrong with the form, as messages naming the field; empty when it can be sent."""
    errors = []
    if not LOGIN_RE.match(login or "") or login.startswith(("pg_", "gridgov_")):
        errors.append(
            tr("Login name: 3 to 63 lowercase letters, digits or _, starting with a letter, not pg_ or gridgov_.")
        )
    if role not in ROLES:
        errors.append(tr("Role: choose one."))
    if role != "channel" and not (area or "").strip():
        errors.append(tr("Area: a person's login needs an area (district, street, community or grid)."))
    if role == "channel" and not sources:
        errors.append(tr("Sources: a channel needs at least one source, e.g. app or 12345."))
    if len(password or "") < MIN_PASSWORD:
        errors.append(tr("Password: at least {0} characters.", MIN_PASSWORD))
    elif password != repeat:
        errors.append(tr("Password: the two entries differ."))
    return errors


def area_choices(conn: Any) -> list[tuple[str, str]]:
    """(code, label) of the areas an admin may hand out: their own and everything under them."""
    with conn.cursor() as cur:
        cur.execute(
            "WITH mine AS (SELECT area_code FROM gridgov.my_areas()),"
            " places AS ("
            "   SELECT code, name, 1 AS k FROM gridgov.city"
            "   UNION ALL SELECT code, name, 2 FROM gridgov.district"
            "   UNION ALL SELECT code, name, 3 FROM gridgov.street"
            "   UNION ALL SELECT code, name, 4 FROM gridgov.community"
            "   UNION ALL SELECT g.grid_code, g.name, 5 FROM gridgov.grid g"
            "             JOIN gridgov.grid_plan p ON p.plan_id = g.plan_id AND p.status = 'published')"
            " SELECT p.code, p.name FROM places p"
            " WHERE gridgov._area_all()"
            "    OR (p.k > 1 AND EXISTS (SELECT 1 FROM mine m WHERE p.code LIKE m.area_code || '%%'))"
            " ORDER BY p.k, p.code"
        )
        rows = [(code, f"{code} {name or ''}".strip()) for code, name in cur.fetchall()]
    if not conn.autocommit:
        conn.rollback()
    return rows


def create(conn: Any, login: str, role: str, area: str | None, password: str, sources: list[str] = ()) -> None:
    """Create the login with its role, area (people) or sources (channels); one transaction. Commits."""
    from psycopg2.extensions import encrypt_password

    verifier = encrypt_password(password, login, conn, "scram-sha-256")
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT gridgov.create_login(%s, %s, %s, %s)",
                (login, role, None if role == "channel" else (area or "").strip() or None, verifier),
            )
            for source in sources:
                cur.execute("SELECT gridgov.register_channel(%s, %s)", (login, source))
        conn.commit()
    except Exception:
        conn.rollback()
        raise
