"""The role x table x operation matrix of docs/roles.md, checked cell by cell as a real login of each role.

The matrix is read from the document itself, so the document and the database cannot drift
apart: a table, view or function missing from it fails the first test.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg2
import pytest

pytestmark = pytest.mark.postgis

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
ROLES = ("channel", "worker", "supervisor", "analyst", "planner", "admin", "reader")
PERSONAL = {"event": {"reporter"}, "grid_worker": {"phone"}}


def matrix(kind: str) -> dict[str, dict[str, str]]:
    """{object: {role: cell}} of the ``<!-- matrix:kind -->`` table in docs/roles.md."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- matrix:{kind} -->\n(.*?)<!-- /matrix -->", text, re.S)
    assert m, f"docs/roles.md has no matrix:{kind}"
    rows = [r.strip().strip("|").split("|") for r in m.group(1).strip().splitlines()]
    header = [c.strip() for c in rows[0]]
    assert tuple(header[1:]) == ROLES, header
    return {r[0].strip(" ‡"): dict(zip(ROLES, (c.strip() for c in r[1:]))) for r in rows[2:]}


def optional(kind: str) -> set[str]:
    """Objects of another issue's migration (marked ‡), present only once it has run."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- matrix:{kind} -->\n(.*?)<!-- /matrix -->", text, re.S)
    return {line.strip("| ").split(" ‡")[0] for line in m.group(1).splitlines() if " ‡" in line}


def table_cell(cell: str) -> dict:
    """'S U(name,note)' -> {'select': 'all', 'insert': False, 'update': {'name', 'note'}, 'delete': False}."""
    out = {"select": None, "insert": False, "update": set(), "delete": False}
    if cell in ("–", "-", ""):
        return out
    for token in cell.split():
        if token == "S'":
            out["select"] = "some"
        elif token.startswith("U("):
            out["update"] = {c.strip() for c in token[2:-1].split(",")}
        else:
            assert set(token) <= set("SIUD"), token
            out["select"] = "all" if "S" in token else out["select"]
            out["insert"] |= "I" in token
            out["delete"] |= "D" in token
            if "U" in token:
                out["update"] = {"*"}
    return out


def _allowed(cur, sql: str, args=()) -> bool:
    """Whether the login may run ``sql``: only 'permission denied' counts as no (not constraints or RLS)."""
    cur.execute("SAVEPOINT probe")
    try:
        cur.execute(sql, args)
        return True
    except psycopg2.errors.InsufficientPrivilege as exc:
        return "permission denied" not in str(exc)
    except psycopg2.Error:
        return True  # a NOT NULL, check or function's own error: the privilege was there
    finally:
        cur.execute("ROLLBACK TO SAVEPOINT probe")


def _columns(cur, table: str) -> list[str]:
    cur.execute(
        "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0"
        " AND NOT a.attisdropped ORDER BY a.attnum",
        (f"gridgov.{table}",),
    )
    return [r[0] for r in cur.fetchall()]


_DUMMY = {
    "text": "'x'",
    "name": "'x'",
    "double precision": "0::double precision",
    "integer": "0",
    "bigint": "0::bigint",
    "uuid": "'00000000-0000-0000-0000-000000000000'::uuid",
    "timestamp with time zone": "'2020-01-01 00:00+00'::timestamptz",
    "interval": "'1 hour'::interval",
    "date": "'2020-01-01'::date",
    "double precision[]": "'{0,0}'::double precision[]",
    "text[]": "'{}'::text[]",
    "uuid[]": "'{}'::uuid[]",
}


def _dummy(pg_type: str) -> str:
    return _DUMMY[pg_type]


def test_the_matrix_lists_every_table_view_and_function(db):
    with db.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gridgov'")
        tables = {r[0] for r in cur.fetchall()}
        cur.execute("SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'gridgov'::regnamespace")
        functions = {r[0] for r in cur.fetchall()}
    for kind, found in (("tables", tables), ("functions", functions)):
        listed = set(matrix(kind))
        assert found - listed == set(), f"{kind} missing from docs/roles.md"
        assert listed - found <= optional(kind), f"{kind} in docs/roles.md but not in the database"


def test_the_owner_owns_everything_and_logs_in_never(db):
    with db.cursor() as cur:
        cur.execute("SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'gridgov_owner'")
        assert cur.fetchone() == (False, False, False)
        cur.execute(
            "SELECT c.relname, c.relowner::regrole::text FROM pg_class c WHERE c.relnamespace = 'gridgov'::regnamespace"
            " AND c.relowner <> 'gridgov_owner'::regrole"
        )
        assert cur.fetchall() == []
        cur.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'gridgov'::regnamespace"
            " AND (p.proowner <> 'gridgov_owner'::regrole OR (p.prosecdef AND NOT EXISTS ("
            "   SELECT 1 FROM unnest(p.proconfig) c WHERE c = 'search_path=pg_catalog, pg_temp')))"
        )
        assert cur.fetchall() == []  # definer functions: owned by the owner, search path pinned
        cur.execute("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'gridgov'")
        assert cur.fetchone()[0] == "gridgov_owner"
        for role in ROLES:
            cur.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (f"gridgov_{role}",))
            assert cur.fetchone() == (False,), role


@pytest.mark.parametrize("role", ROLES)
def test_every_cell_as_a_real_login(role, logins, db):
    login = logins(role)
    conn = login.connect(autocommit=False)
    wrong: list[str] = []
    with db.cursor() as su:
        su.execute("SELECT relname FROM pg_class WHERE relnamespace = 'gridgov'::regnamespace")
        present = {r[0] for r in su.fetchall()}
        columns = {t: _columns(su, t) for t in matrix("tables") if t in present}
        su.execute(
            "SELECT p.proname, p.oid::regprocedure::text, p.prorettype = 'trigger'::regtype,"
            " coalesce((SELECT array_agg(format_type(t, NULL) ORDER BY o)"
            "           FROM unnest(p.proargtypes) WITH ORDINALITY u(t, o)), '{}'), p.provariadic <> 0, p.proisstrict"
            " FROM pg_proc p WHERE p.pronamespace = 'gridgov'::regnamespace"
        )
        functions = su.fetchall()
        su.execute("SELECT relname FROM pg_class WHERE relnamespace = 'gridgov'::regnamespace AND relkind = 'v'")
        views = {r[0] for r in su.fetchall()}
    with conn.cursor() as cur:
        for table, cells in matrix("tables").items():
            if table not in columns:
                continue  # another issue's table, not in this database
            want = table_cell(cells[role])
            cols = columns[table]
            every = _allowed(cur, f"SELECT * FROM gridgov.{table} WHERE false")
            some = _allowed(
                cur, f"SELECT {', '.join(c for c in cols if c not in PERSONAL.get(table, ()))} FROM gridgov.{table}"
            )
            got = "all" if every else ("some" if some else None)
            if got != want["select"]:
                wrong.append(f"{table} select: {got} (matrix: {want['select']})")
            if got == "some":
                for c in PERSONAL[table]:
                    if _allowed(cur, f"SELECT {c} FROM gridgov.{table}"):
                        wrong.append(f"{table}.{c} readable")
            if table in views:
                continue  # not updatable: reading is what matters
            ins = _allowed(cur, f"INSERT INTO gridgov.{table} DEFAULT VALUES")
            if ins != want["insert"]:
                wrong.append(f"{table} insert: {ins}")
            dele = _allowed(cur, f"DELETE FROM gridgov.{table} WHERE false")
            if dele != want["delete"]:
                wrong.append(f"{table} delete: {dele}")
            for c in cols:
                upd = _allowed(cur, f"UPDATE gridgov.{table} SET {c} = DEFAULT WHERE false")
                expect = "*" in want["update"] or c in want["update"]
                if upd != expect:
                    wrong.append(f"{table}.{c} update: {upd}")
            if _allowed(cur, f"TRUNCATE gridgov.{table}"):
                wrong.append(f"{table} truncate allowed")
        fcells = matrix("functions")
        for name, signature, is_trigger, types, variadic, strict in functions:
            expect = fcells[name][role] == "✓"
            cur.execute("SELECT has_function_privilege(%s::regprocedure, 'EXECUTE')", (signature,))
            got = cur.fetchone()[0]  # what the server says this login may do
            if not is_trigger:  # a trigger function cannot be called directly
                # NULLs, but values for a STRICT function: the planner folds f(NULL) without calling it
                args = [_dummy(t) if strict else "NULL::" + ("text" if t.startswith("any") else t) for t in types]
                if variadic and args:
                    args[-1] = "VARIADIC " + args[-1]
                called = _allowed(cur, f"SELECT gridgov.{name}({', '.join(args)})")
                if called != got:
                    wrong.append(f"execute {signature}: called {called}, has_function_privilege {got}")
            if got != expect:
                wrong.append(f"execute {signature}: {got}")
        analysis = _allowed(cur, "CREATE TABLE gridgov_analysis.t_probe (a int)")
        if analysis != (role in ("analyst", "reader", "supervisor")):
            wrong.append(f"create in gridgov_analysis: {analysis}")
        for schema in ("gridgov", "public"):
            if _allowed(cur, f"CREATE TABLE {schema}.t_probe (a int)"):
                wrong.append(f"create in {schema}")
    conn.rollback()
    conn.close()
    assert wrong == [], f"{role} differs from docs/roles.md"
