"""What the login may do, read from the database when the plugin connects (docs/roles.md).

The database decides (privileges, row-level security, the functions' own checks); the plugin
only asks it, once per connection, so that it can grey out what the login cannot do and say
why on hover, instead of letting a click end in "permission denied". Nothing here is a
security measure: a control enabled by mistake still meets the database's refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, tr
from ..labels import label

# action -> (what the database must allow, the role that gives it, what the user tries to do)
# "fn:<name>" needs EXECUTE on gridgov.<name>; "<privilege>:<table>" a table privilege.
ACTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "read_cases": (("SELECT:event",), "gridgov_supervisor", N_("read the cases")),
    "transition": (("fn:transition",), "gridgov_supervisor", N_("move a case to its next step")),
    "report_back": (("fn:report_back",), "gridgov_worker", N_("report back on a case")),
    "assign": (("fn:assign",), "gridgov_supervisor", N_("assign a case")),
    "merge": (("fn:merge_events", "fn:suggest_duplicates"), "gridgov_supervisor", N_("merge duplicate reports")),
    "escalate": (("fn:escalate_overdue",), "gridgov_supervisor", N_("escalate overdue cases")),
    "escalate_case": (("fn:escalate_case",), "gridgov_supervisor", N_("escalate a case by hand (吹哨)")),
    "set_grade": (("fn:set_grade",), "gridgov_supervisor", N_("grade a case")),
    "request_change": (
        ("fn:request_suspension", "fn:request_extension"),
        "gridgov_worker",
        N_("ask to suspend a case or for more time"),
    ),
    "decide_request": (("fn:decide_request",), "gridgov_supervisor", N_("approve or refuse a request")),
    "resume": (("fn:resume_case",), "gridgov_worker", N_("resume a suspended case")),
    "new_draft_plan": (("fn:new_draft_plan",), "gridgov_planner", N_("create a draft plan")),
    "publish_plan": (("fn:publish_plan",), "gridgov_planner", N_("publish a plan")),
    "edit_grids": (("UPDATE:grid",), "gridgov_planner", N_("edit grids")),
    "edit_cameras": (("UPDATE:camera",), "gridgov_planner", N_("edit cameras")),
    "edit_workers": (("UPDATE:grid",), "gridgov_planner", N_("assign grid workers")),
    "edit_responsibility": (("UPDATE:event_category",), "gridgov_admin", N_("change the responsibility list")),
    "manage_logins": (("fn:create_login", "fn:grant_area"), "gridgov_admin", N_("create logins")),
    "read_history": (("SELECT:audit_log",), "gridgov_supervisor", N_("read the change history")),
    "restore": (("fn:restore_version",), "gridgov_planner", N_("restore an earlier version")),
}
# a grid worker may report these steps on the cases of their own grids; the rest needs a supervisor
WORKER_STEPS = frozenset({("dispatched", "handled"), ("handled", "verified")})


@dataclass
class Access:
    """The login's roles, areas and privileges in one gridgov database."""

    login: str
    superuser: bool = False
    roles: frozenset[str] = frozenset()
    areas: tuple[tuple[str, str, str], ...] = ()  # (code, level, name)
    functions: frozenset[str] = frozenset()  # gridgov functions the login may execute
    tables: dict[str, frozenset[str]] = field(default_factory=dict)  # table -> SELECT/INSERT/UPDATE/DELETE
    area_rules: bool = False  # the schema limits logins to areas (migration 007 on)

    @classmethod
    def everything(cls, login: str = "") -> Access:
        """No database to ask (a GeoPackage store): nothing is greyed out for lack of a role."""
        return cls(login=login, superuser=True)

    @classmethod
    def load(cls, conn: Any) -> Access:
        """Ask the database behind ``conn`` (psycopg2); ends the read transaction it opens."""
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT session_user::text, rolsuper FROM pg_roles WHERE rolname = session_user")
                login, superuser = cur.fetchone()
                cur.execute(
                    "SELECT r.rolname FROM pg_roles r WHERE r.rolname LIKE 'gridgov\\_%%' AND NOT r.rolcanlogin"
                    " AND pg_has_role(session_user, r.oid, 'MEMBER')"
                )
                roles = frozenset(r[0] for r in cur.fetchall())
                cur.execute("SELECT to_regnamespace('gridgov') IS NOT NULL")
                if not cur.fetchone()[0]:
                    return cls(login=login, superuser=superuser, roles=roles)
                cur.execute(
                    "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'gridgov'::regnamespace"
                    " AND has_function_privilege(p.oid, 'EXECUTE')"
                )
                functions = frozenset(r[0] for r in cur.fetchall())
                cur.execute(
                    "SELECT c.relname, array_remove(ARRAY["
                    " CASE WHEN has_any_column_privilege(c.oid, 'SELECT') THEN 'SELECT' END,"
                    " CASE WHEN has_table_privilege(c.oid, 'INSERT') THEN 'INSERT' END,"
                    " CASE WHEN has_any_column_privilege(c.oid, 'UPDATE') THEN 'UPDATE' END,"
                    " CASE WHEN has_table_privilege(c.oid, 'DELETE') THEN 'DELETE' END], NULL)"
                    " FROM pg_class c WHERE c.relnamespace = 'gridgov'::regnamespace AND c.relkind IN ('r', 'v')"
                )
                tables = {name: frozenset(privs) for name, privs in cur.fetchall()}
                areas: tuple = ()
                area_rules = "my_areas" in functions or (superuser and "login_area" in tables)
                if "my_areas" in functions:
                    cur.execute("SELECT area_code, level, coalesce(name, '') FROM gridgov.my_areas()")
                    areas = tuple(cur.fetchall())
            return cls(login, superuser, roles, areas, functions, tables, area_rules)
        finally:
            if not conn.autocommit:
                conn.rollback()

    # ------------------------------------------------------------------ questions
    def _has(self, need: str) -> bool:
        if self.superuser:
            return True
        kind, name = need.split(":", 1)
        if kind == "fn":
            return name in self.functions
        return kind in self.tables.get(name, frozenset())

    def can(self, action: str) -> bool:
        needs, _role, _what = ACTIONS[action]
        return all(self._has(n) for n in needs) and (action == "read_cases" or self.has_area())

    def has_area(self) -> bool:
        """Whether the login sees anything under row-level security."""
        return self.superuser or not self.area_rules or bool(self.areas)

    def why_not(self, action: str) -> str:
        """The reason ``action`` is unavailable, for a tooltip; '' when it is available."""
        needs, role, what = ACTIONS[action]
        if not all(self._has(n) for n in needs):
            return tr(
                "Your login '{0}' may not {1}: that needs the role {2} ({3}). Ask an administrator.",
                self.login,
                tr(what),
                label("role", role),
                role,
            )
        if not self.has_area():
            return tr("Your login '{0}' has no area yet: an administrator gives it one.", self.login)
        return ""

    def can_step(self, from_status: str, to_status: str) -> tuple[bool, str]:
        """Whether the login may move a case from one status to another, and why not."""
        if self.superuser or "gridgov_supervisor" in self.roles:
            return self.can("transition"), self.why_not("transition")
        if "gridgov_worker" in self.roles and (from_status, to_status) in WORKER_STEPS:
            return self.can("transition"), self.why_not("transition")
        return False, tr(
            "Your login '{0}' may not {1}: that needs the role {2} ({3}). Ask an administrator.",
            self.login,
            tr(ACTIONS["transition"][2]),
            label("role", "gridgov_supervisor"),
            "gridgov_supervisor",
        )

    def describe(self) -> str:
        """'li_si — Supervisor; area: 110101001 东华门街道' for the dock and the settings."""
        if self.superuser:
            return tr("{0} — superuser: every role, the whole database", self.login)
        roles = ", ".join(label("role", r) for r in sorted(self.roles)) or tr("no gridgov role")
        if not self.area_rules:
            return tr("{0} — {1}", self.login, roles)
        areas = "; ".join(f"{code} {name}".strip() for code, _level, name in self.areas) or tr("none")
        return tr("{0} — {1}; area: {2}", self.login, roles, areas)
