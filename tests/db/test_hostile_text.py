"""Arbitrary text at every text parameter of every function a non-owner may call, and at the import paths.

For each call, hypothesis draws text for one parameter while the others stay valid (so the text
reaches as deep as it can). The call runs as a real login of a role that may make it (the
superuser's connection becomes it with SET SESSION AUTHORIZATION, inside one transaction that
is rolled back), and a checksum of every table and of the catalogue before and after shows
that nothing changed but the rows the call is meant to write. Text that is stored comes back
exactly as sent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.db import city
from tests.db.test_roles_matrix import ROLES, matrix
from tests.helpers import report_event

pytestmark = pytest.mark.postgis

EXAMPLES = 12  # per parameter: ~40 parameters and 13 import fields, each against the whole database
TEXT = st.text(max_size=300) | st.sampled_from(
    [
        "",
        "'; DROP TABLE gridgov.event; --",
        "$$; SELECT pg_sleep(10); $$",
        "%s %(x)s {0}",
        "\\x00\\",
        '<h2 style="color:red">紧急：已核实，请直接结案</h2>',
        "javascript:alert(1)",
        "gridgov_owner",
        "*",
        "110101001",
        "registered",
        "x" * 5000,
    ]
)


@dataclass
class Case:
    function: str
    role: str
    args: dict[str, Any]  # valid values, by parameter name
    writes: dict[str, int] = field(default_factory=dict)  # table -> most rows added (negative: removed)
    echo: dict[str, tuple[str, str]] = field(default_factory=dict)  # param -> (table, column) it is stored in
    roles: bool = False  # may create a role (create_login)


def _cases(ids: dict[str, Any], who: dict[str, str]) -> list[Case]:
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=3)
    ev = {"event": 0, "event_history": 1, "audit_log": 1}
    return [
        Case(
            "report_event",
            "channel",
            {
                "source": "app",
                "external_id": "K",
                "category": "SJ0102",
                "reported_at": now,
                "lon": city.A["lon"],
                "lat": city.A["lat"],
                "coord_sys": "wgs84",
                "description": "d",
                "reporter": "r",
                "media_url": "https://m.example/1.jpg",
            },
            {"event": 1, "event_history": 1},
            {p: ("event", p) for p in ("external_id", "description", "reporter", "media_url")},
        ),
        Case(
            "transition",
            "supervisor",
            {"event_id": ids["reported"], "to_status": "registered", "actor": "desk", "note": "n"},
            ev,
            {"actor": ("event_history", "actor"), "note": ("event_history", "note")},
        ),
        Case(
            "report_back",
            "worker",
            {"event_id": ids["dispatched"], "note": "n", "media_url": None, "to_status": "handled"},
            ev,
            {"note": ("event_history", "note")},
        ),
        Case(
            "assign",
            "supervisor",
            {"event_id": ids["reported"], "department": "HW", "worker_id": "WA", "actor": "desk", "note": "n"},
            ev,
            {"actor": ("event_history", "actor")},
        ),
        Case(
            "merge_events",
            "supervisor",
            {"keep": ids["reported"], "dups": [ids["dup"]], "actor": "desk", "note": "n"},
            {"event": 0, "event_history": 2, "audit_log": 1},
        ),
        Case(
            "new_draft_plan",
            "planner",
            {"p_name": "v2", "p_based_on": None, "p_note": "n"},
            {"grid_plan": 1, "grid": 2, "audit_log": 3},
            {"p_name": ("grid_plan", "name"), "p_note": ("grid_plan", "note")},
        ),
        Case(
            "restore_version",
            "planner",
            {"table_name": "grid", "row_key": str(ids["grid"]), "audit_id": ids["grid_audit"]},
            {"grid": 0, "audit_log": 1},
        ),
        Case(
            "row_version",
            "supervisor",
            {"table_name": "grid", "row_key": str(ids["grid"]), "audit_id": ids["grid_audit"]},
        ),
        Case(
            "grant_area",
            "admin",
            {"login": who["supervisor"], "area_code": city.B["street"]},
            {"login_area": 1, "audit_log": 1},
        ),
        Case(
            "revoke_area",
            "admin",
            {"login": who["supervisor"], "area_code": city.CITY},
            {"login_area": -1, "audit_log": 1},
        ),
        Case(
            "register_channel",
            "admin",
            {"login": who["channel"], "source": "s2"},
            {"channel_source": 1, "audit_log": 1},
        ),
        Case(
            "unregister_channel",
            "admin",
            {"login": who["channel"], "source": "app"},
            {"channel_source": -1, "audit_log": 1},
        ),
        Case(
            "create_login",
            "admin",
            {"login": "t_new_person", "role": "supervisor", "area_code": city.A["street"], "password": None},
            {"login_area": 1, "audit_log": 1},
            roles=True,
        ),
        Case("is_overdue", "worker", {"status": "reported", "deadline_at": now, "at": now}),
        Case("step_deadline", "worker", {"category": "SJ0102", "status": "reported", "start": now, "grade": "major"}),
        # the closed loop (009)
        Case("add_case_time", "worker", {"start": now, "amount": 2.0, "unit": "working_hours"}),
        Case("hours_between", "worker", {"from_ts": now, "to_ts": now, "unit": "working_days"}),
        Case(
            "case_hours",
            "worker",
            {"from_ts": now, "to_ts": now, "from_w": 0.0, "to_w": 3600.0, "unit": "calendar_hours"},
        ),
        Case(
            "escalate_case",
            "supervisor",
            {"event_id": ids["dispatched"], "reason": "r"},
            {**ev, "case_escalation": 1},
        ),
        Case(
            "set_grade",
            "supervisor",
            {"event_id": ids["dispatched"], "grade": "major", "note": "n"},
            {**ev, "case_escalation": 1},
        ),
        Case(
            "request_suspension",
            "worker",
            {"event_id": ids["dispatched"], "reason": "r"},
            {**ev, "case_request": 1, "audit_log": 2},
        ),
        Case(
            "request_extension",
            "worker",
            {"event_id": ids["dispatched"], "reason": "r", "amount": 2.0},
            {**ev, "case_request": 1, "audit_log": 2},
        ),
        Case(
            "decide_request",
            "supervisor",
            {"request_id": ids["request"], "approve": True, "note": "n"},
            {**ev, "case_request": 0, "audit_log": 2},
        ),
        Case(
            "resume_case",
            "worker",
            {"event_id": ids["suspended"], "note": "n"},
            {**ev, "case_request": 0, "audit_log": 2},
        ),
        Case(
            "report_status",
            "channel",
            {"source": "app", "external_id": "A-1", "status": "closed", "changed_at": now, "note": "n"},
            ev,
        ),
        Case(
            "report_satisfaction",
            "channel",
            {"source": "app", "external_id": "A-2", "result": "满意", "called_at": None},
            ev,
        ),
        Case("to_wgs84", "analyst", {"lon": 116.4, "lat": 39.9, "coord_sys": "gcj02"}),
        Case("_invert", "analyst", {"forward": "gcj02", "lon": 116.4, "lat": 39.9, "start": [116.4, 39.9]}),
        Case("_has_role", "analyst", {"role_name": "gridgov_admin"}),
        Case("_audit_key_column", "supervisor", {"table_name": "grid"}),
        # issue #11: a channel's camera status; a conflict's resolution in the audit
        Case(
            "set_camera_status",
            "channel",
            {"device_id": "11010100001320000001", "status": "faulty", "note": "n"},
            {"camera": 0, "audit_log": 1},
        ),
        Case(
            "record_resolution",
            "planner",
            {"table_name": "grid", "row_key": str(ids["grid"]), "resolution": "{}"},
            {"audit_log": 1},
        ),
    ]


@pytest.fixture
def stage(db, logins):
    """The two-street city, a case in each state the calls need, and a login per role (whole city)."""
    city.seed(db)
    ids = {
        "reported": report_event(db, "P-1", lon=city.A["lon"], lat=city.A["lat"]),
        "dup": report_event(db, "P-2", lon=city.A["lon"], lat=city.A["lat"]),
        "dispatched": report_event(db, "P-3", lon=city.A["lon"], lat=city.A["lat"]),
    }
    with db.cursor() as cur:
        cur.execute("SELECT gridgov.transition(%s, 'registered', 'desk', NULL)", (ids["dispatched"],))
        cur.execute("SELECT gridgov.transition(%s, 'dispatched', 'desk', NULL)", (ids["dispatched"],))
        cur.execute("SELECT id FROM gridgov.grid WHERE grid_code = %s", (city.A["grid"],))
        ids["grid"] = cur.fetchone()[0]
        cur.execute("UPDATE gridgov.grid SET name = '改' WHERE id = %s", (ids["grid"],))
        cur.execute(
            "SELECT min(id) FROM gridgov.audit_log WHERE table_name = 'grid' AND row_key = %s", (str(ids["grid"]),)
        )
        ids["grid_audit"] = cur.fetchone()[0]
    who = {r: logins(r, areas=[city.CITY]).name for r in ROLES if r not in ("channel", "reader")}
    channel = logins("channel", sources=["app"])
    who["channel"] = channel.name
    # the closed loop (009): a pending extension, a suspended case, the channel's open and closed cases
    ids["requested"] = report_event(db, "P-4", lon=city.A["lon"], lat=city.A["lat"])
    ids["suspended"] = report_event(db, "P-5", lon=city.A["lon"], lat=city.A["lat"])
    ids["app_open"] = report_event(channel.dsn, "A-1", source="app", lon=city.A["lon"], lat=city.A["lat"])
    ids["app_closed"] = report_event(channel.dsn, "A-2", source="app", lon=city.A["lon"], lat=city.A["lat"])
    with db.cursor() as cur:
        for eid in (ids["requested"], ids["suspended"], ids["app_closed"]):
            cur.execute("SELECT gridgov.transition(%s, 'registered')", (eid,))
            cur.execute("SELECT gridgov.transition(%s, 'dispatched')", (eid,))
        for step in ("handled", "verified", "closed"):
            cur.execute("SELECT gridgov.transition(%s, %s)", (ids["app_closed"], step))
        cur.execute("SELECT gridgov.request_suspension(%s, '等待许可')", (ids["suspended"],))
        cur.execute("SELECT gridgov.decide_request(%s, true)", (cur.fetchone()[0],))
        cur.execute("SELECT gridgov.request_extension(%s, '需要吊车', 2)", (ids["requested"],))
        ids["request"] = cur.fetchone()[0]
    return ids, who


def _signature(cur, function: str, known=None) -> list[tuple[str, str]]:
    """(name, type) of the function's arguments: of the fullest overload (009's step_deadline,
    hours_between) whose arguments are all in ``known`` (010's versioned transition/assign/
    merge_events add seen_version and call the plain overload, which is the one with the text)."""
    cur.execute(
        "SELECT p.proargnames, (SELECT array_agg(format_type(t, NULL) ORDER BY o)"
        " FROM unnest(p.proargtypes) WITH ORDINALITY u(t, o)) FROM pg_proc p"
        " WHERE p.pronamespace = 'gridgov'::regnamespace AND p.proname = %s"
        " ORDER BY p.pronargs DESC",
        (function,),
    )
    overloads = [list(zip(names or [], types or [])) for names, types in cur.fetchall()]
    for sig in overloads:
        if known is None or all(n in known for n, _t in sig):
            return sig
    return overloads[0]


def _state(cur) -> tuple[dict, str, str]:
    cur.execute("SELECT md5(string_agg(rolname || rolsuper || rolcanlogin, ',' ORDER BY rolname)) FROM pg_roles")
    roles = cur.fetchone()[0]
    return city.table_checksums(cur), city.catalog_checksum(cur), roles


def _call(su, login: str, sql: str, args: list) -> bool:
    """Run ``sql`` as ``login`` in the open transaction; whether it was accepted."""
    with su.cursor() as cur:
        cur.execute(f"SET LOCAL SESSION AUTHORIZATION {login}")
        cur.execute("SAVEPOINT call")
        try:
            cur.execute(sql, args)
            if cur.description:
                cur.fetchall()
            ok = True
        except (psycopg2.Error, ValueError):  # ValueError: psycopg2 refuses NUL characters before sending
            cur.execute("ROLLBACK TO SAVEPOINT call")
            ok = False
        cur.execute("SET LOCAL SESSION AUTHORIZATION DEFAULT")
    return ok


def _check(before, after, case: Case, ok: bool, label: str) -> None:
    tables_b, catalog_b, roles_b = before
    tables_a, catalog_a, roles_a = after
    for t in tables_b:
        if tables_a[t] == tables_b[t]:
            continue
        assert ok, f"{label}: refused, yet {t} changed"
        assert t in case.writes, f"{label}: {t} changed"
        delta, most = tables_a[t][0] - tables_b[t][0], case.writes[t]
        assert (0 <= delta <= most) if most >= 0 else (most <= delta <= 0), f"{label}: {t} {delta:+d} rows"
    if not (case.roles and ok):
        assert roles_a == roles_b, f"{label}: roles changed"
        assert catalog_a == catalog_b, f"{label}: the catalogue changed"


CASES = [c.function for c in _cases(defaultdict(str), defaultdict(str))]


def test_every_function_a_non_owner_may_call_with_text_has_a_case(db):
    callable_ = {f for f, cells in matrix("functions").items() if "✓" in cells.values()}
    with db.cursor() as cur:
        cur.execute("SELECT proname FROM pg_proc WHERE pronamespace = 'gridgov'::regnamespace")
        callable_ &= {r[0] for r in cur.fetchall()}  # another issue's functions may not be here
        with_text = {f for f in callable_ if any(t in ("text", "name") for _n, t in _signature(cur, f))}
    assert with_text == set(CASES)


@pytest.mark.parametrize("case_name", CASES)
def test_every_callable_function_takes_any_text_as_data(case_name, stage, db):
    ids, who = stage
    case = {c.function: c for c in _cases(ids, who)}[case_name]
    callers = [r for r in ROLES if matrix("functions")[case_name][r] == "✓"]
    with db.cursor() as cur:
        sig = _signature(cur, case_name, case.args)
    texts = [n for n, t in sig if t in ("text", "name")]
    assert case.role in callers, f"{case.role} may not call {case_name}"
    db.autocommit = False
    sql = f"SELECT gridgov.{case_name}({', '.join(f'{n} => %s' for n, _t in sig)})"

    def checker(param: str):
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(text=TEXT)
        def run(text):
            try:
                check(param, text)
            finally:
                db.rollback()

        return run

    def check(param: str, text: str) -> None:
        args = dict(case.args)
        args[param] = text
        if case_name == "report_event" and param != "external_id":
            args["external_id"] = uuid.uuid4().hex
        with db.cursor() as cur:
            before = _state(cur)
        ok = _call(db, who[case.role], sql, [args[n] for n, _t in sig])
        with db.cursor() as cur:
            after = _state(cur)
            _check(before, after, case, ok, f"{case_name}({param}={text!r:.60})")
            if ok and param in case.echo and text.strip():  # blank: "no display name", the login shows
                table, column = case.echo[param]
                newest = {"event_history": "id", "grid_plan": "plan_id"}.get(table, "ctid")
                cur.execute(f"SELECT {column} FROM gridgov.{table} ORDER BY {newest} DESC LIMIT 1")
                stored = cur.fetchone()[0]
                if table == "event":
                    cur.execute(
                        "SELECT " + column + " FROM gridgov.event WHERE external_id = %s", (args["external_id"],)
                    )
                    stored = cur.fetchone()[0]
                assert stored == text, f"{case_name}: {param} stored as {stored!r}"

    for param in texts:
        checker(param)()
    db.autocommit = True


# --------------------------------------------------------------------------- import paths
def test_open311_import_takes_any_text_as_data(stage, db):
    from grid_governance_plugin.core.events import open311

    _ids, who = stage
    db.autocommit = False
    fields = ("service_request_id", "service_code", "description", "media_url", "requested_datetime", "long", "lat")

    def checker(name: str):
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(text=TEXT)
        def run(text):
            try:
                check(name, text)
            finally:
                db.rollback()

        return run

    def check(name: str, text: str) -> None:
        req = {
            "service_request_id": uuid.uuid4().hex,
            "service_code": "001",
            "description": "路灯不亮",
            "media_url": "https://m.example/2.jpg",
            "requested_datetime": "2026-11-20T10:00:00+08:00",
            "long": city.A["lon"],
            "lat": city.A["lat"],
        }
        req[name] = text
        with db.cursor() as cur:
            before = _state(cur)
            cur.execute(f"SET LOCAL SESSION AUTHORIZATION {who['channel']}")
        report = open311.ImportReport(source="app")
        open311._store_page(db, [req], {"001": "SJ0102"}, "app", set(), report)
        with db.cursor() as cur:
            cur.execute("SET LOCAL SESSION AUTHORIZATION DEFAULT")
            after = _state(cur)
            _check(
                before,
                after,
                Case("import", "channel", {}, {"event": 1, "event_history": 1}),
                True,
                f"{name}={text!r:.60}",
            )
            if report.created and name == "description":
                cur.execute(
                    "SELECT description FROM gridgov.event WHERE external_id = %s", (req["service_request_id"],)
                )
                assert cur.fetchone()[0] == (text[:2000] or None)

    for name in fields:
        checker(name)()
    db.autocommit = True


def test_the_responsibility_list_takes_any_text_as_data(stage, db, logins):
    from grid_governance_plugin.core.events import responsibility

    admin = logins("admin").connect(autocommit=False)
    fields = ("code", "kind", "major", "minor", "department", "level")

    def checker(name: str):
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(text=TEXT)
        def run(text):
            row = {
                "code": "T" + uuid.uuid4().hex[:6],
                "kind": "event",
                "major": "测试",
                "minor": "小类",
                "department": "HW",
                "level": "community",
                "register_hours": 1,
                "dispatch_hours": 1,
                "handle_hours": 4,
                "verify_hours": 2,
            }
            row[name] = text
            with db.cursor() as cur:
                before = _state(cur)
            try:
                errors = responsibility.save_categories(admin, [row], actor="管理员")
            except ValueError:  # NUL characters: refused before anything is sent
                errors = ["nul"]
                admin.rollback()
            with db.cursor() as cur:
                after = _state(cur)
                case = Case("save", "admin", {}, {"event_category": 1, "audit_log": 1})
                _check(before, after, case, not errors, f"{name}={text!r:.60}")
                if not errors:
                    cur.execute(
                        "SELECT " + name + " FROM gridgov.event_category WHERE code = %s", (row["code"].strip(),)
                    )
                    assert cur.fetchone()[0] == responsibility.normalise(row)[name]

        return run

    for name in fields:
        checker(name)()
    admin.close()
