"""The responsibility list (权责清单) in PostGIS: read, validate and save ``gridgov.event_category``.

A category maps to the department that handles it, the level (community, street, district)
that takes it first, and the deadline of each step (立案 register, 派遣 dispatch, 处置 handle,
核查 verify) in the category's unit: working hours (工作时), whole working days (工作日) or, for
round-the-clock emergencies, calendar hours (自然时). The case flow computes each new step's
deadline from these (``gridgov.step_deadline``), so a change applies to the next step of every
open case. The case grades (简易/一般/突出/重大, ``gridgov.case_grade``) multiply the steps after
受理 and set the lowest level a case starts at.

Plain psycopg2, no GUI. Every statement is parameter-bound.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable

from psycopg2 import errors as pg_errors

from .. import dberrors
from ..i18n import N_, tr
from ..log import get_logger

log = get_logger("responsibility")

COLUMNS = (
    "code",
    "kind",
    "major",
    "minor",
    "department",
    "level",
    "time_unit",
    "register_hours",
    "dispatch_hours",
    "handle_hours",
    "verify_hours",
)
HOURS = ("register_hours", "dispatch_hours", "handle_hours", "verify_hours")
KINDS = ("component", "event")
LEVELS = ("community", "street", "district")
TIME_UNITS = ("working_hours", "working_days", "calendar_hours")
GRADES = ("simple", "ordinary", "prominent", "major")
MAX_FACTOR = 10.0
# BJ = 部件 (component), SJ = 事件 (event), then 2-digit major and 2-digit minor class (core/categories.py)
CODE_RE = re.compile(r"^(BJ|SJ)[0-9]{4}$")
CODE_PREFIX = {"component": "BJ", "event": "SJ"}
MAX_HOURS = 8760.0  # one year
MAX_TEXT = 100

# field -> label for messages (translated at run time)
FIELD_LABELS = {
    "code": N_("Code"),
    "kind": N_("Kind"),
    "major": N_("Major class"),
    "minor": N_("Minor class"),
    "department": N_("Department"),
    "level": N_("Level"),
    "time_unit": N_("Deadline unit"),
    "register_hours": N_("Register within"),
    "dispatch_hours": N_("Dispatch within"),
    "handle_hours": N_("Handle within"),
    "verify_hours": N_("Verify within"),
    "factor": N_("Deadline factor"),
    "min_level": N_("Starts at level"),
}


@dataclass(frozen=True)
class CategoryError:
    """A refused row: its index in ``rows`` (None for a deletion), code, field and message."""

    row: int | None
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class _Refused(Exception):
    """Internal: roll the transaction back and return these errors."""

    def __init__(self, errors: list[CategoryError]):
        super().__init__(len(errors))
        self.errors = errors


def field_label(field: str) -> str:
    return tr(FIELD_LABELS.get(field, field))


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def list_categories(conn) -> list[dict[str, Any]]:
    """Every category with its department's name (``department_name``), by code."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT c.code, c.kind, c.major, c.minor, c.department, d.name AS department_name, c.level, c.time_unit,"
            " c.register_hours, c.dispatch_hours, c.handle_hours, c.verify_hours"
            " FROM gridgov.event_category c LEFT JOIN gridgov.department d ON d.code = c.department"
            " ORDER BY c.code"
        )
        rows = _rows(cur)
    for r in rows:
        for h in HOURS:
            r[h] = float(r[h])
    return rows


def list_departments(conn) -> list[dict[str, Any]]:
    """Every department (code, name, level), by code."""
    with conn.cursor() as cur:
        cur.execute("SELECT code, name, level FROM gridgov.department ORDER BY code")
        return _rows(cur)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def normalise(row: dict[str, Any]) -> dict[str, Any]:
    """The row's columns with text stripped; hours left as given (validated later)."""
    out = {c: _text(row.get(c)) for c in COLUMNS if c not in HOURS}
    out["time_unit"] = out["time_unit"] or "working_hours"  # a row from before units: working hours
    for h in HOURS:
        out[h] = row.get(h)
    return out


def _hours(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        h = float(value)
    except (TypeError, ValueError):
        return None
    return h if math.isfinite(h) else None


def validate_row(row: dict[str, Any], departments: set[str], index: int | None = None) -> list[CategoryError]:
    """Errors of one normalised row (empty when valid); ``departments`` are the known codes."""
    code = row["code"]
    shown = code or tr("(row {0})", (index or 0) + 1)
    errs: list[CategoryError] = []

    def err(field: str, message: str) -> None:
        errs.append(CategoryError(index, code, field, message))

    if not CODE_RE.match(code):
        err("code", tr("{0}: {1} must be BJ or SJ followed by 4 digits (e.g. SJ0102).", shown, field_label("code")))
    if row["kind"] not in KINDS:
        err("kind", tr("{0}: {1} must be component or event, not '{2}'.", shown, field_label("kind"), row["kind"]))
    elif CODE_RE.match(code) and not code.startswith(CODE_PREFIX[row["kind"]]):
        err("kind", tr("{0}: {1} does not match the code (BJ = component, SJ = event).", shown, field_label("kind")))
    for f in ("major", "minor"):
        if not row[f]:
            err(f, tr("{0}: {1} is empty.", shown, field_label(f)))
        elif len(row[f]) > MAX_TEXT:
            err(f, tr("{0}: {1} is longer than {2} characters.", shown, field_label(f), MAX_TEXT))
    if not row["department"]:
        err("department", tr("{0}: {1} is empty.", shown, field_label("department")))
    elif row["department"] not in departments:
        err(
            "department",
            tr(
                "{0}: {1} '{2}' is not in the list of departments.", shown, field_label("department"), row["department"]
            ),
        )
    if row["level"] not in LEVELS:
        err(
            "level",
            tr("{0}: {1} must be community, street or district, not '{2}'.", shown, field_label("level"), row["level"]),
        )
    if row["time_unit"] not in TIME_UNITS:
        err(
            "time_unit",
            tr(
                "{0}: {1} must be working hours, working days or calendar hours, not '{2}'.",
                shown,
                field_label("time_unit"),
                row["time_unit"],
            ),
        )
    for h in HOURS:
        v = _hours(row[h])
        if v is None:
            err(h, tr("{0}: {1} is not a number.", shown, field_label(h)))
        elif row["time_unit"] == "working_days" and v != int(v):
            err(h, tr("{0}: {1} counts whole working days, not {2}.", shown, field_label(h), f"{v:g}"))
        elif not (0 < v <= MAX_HOURS):
            err(
                h,
                tr(
                    "{0}: {1} must be more than 0 and at most {2} hours, not {3}.",
                    shown,
                    field_label(h),
                    int(MAX_HOURS),
                    f"{v:g}",
                ),
            )
    return errs


def validate(rows: list[dict[str, Any]], departments: Iterable[str], delete: Iterable[str] = ()) -> list[CategoryError]:
    """Errors of all rows (and of codes both saved and deleted), in row order."""
    depts = set(departments)
    errs: list[CategoryError] = []
    seen: dict[str, int] = {}
    deleting = set(delete)
    for i, raw in enumerate(rows):
        row = normalise(raw)
        errs.extend(validate_row(row, depts, i))
        code = row["code"]
        if code and code in seen:
            errs.append(
                CategoryError(
                    i,
                    code,
                    "code",
                    tr("{0}: {1} appears twice (rows {2} and {3}).", code, field_label("code"), seen[code] + 1, i + 1),
                )
            )
        elif code:
            seen[code] = i
        if code in deleting:
            errs.append(CategoryError(i, code, "code", tr("{0}: the category is both saved and deleted.", code)))
    return errs


def save_categories(
    conn, rows: list[dict[str, Any]], actor: str | None = None, delete: Iterable[str] = ()
) -> list[CategoryError]:
    """Validate every row, then upsert them all (and delete the ``delete`` codes) in one transaction.

    Returns the errors, one per refused field (empty when saved). Nothing is written when any
    row is invalid or when a category to delete is still used by events. ``actor`` is the
    person making the change (``gridgov.actor`` for the transaction, and the log).
    """
    rows = [normalise(r) for r in rows]
    delete = sorted({_text(c) for c in delete if _text(c)})
    restore_autocommit = conn.autocommit
    if restore_autocommit:
        conn.autocommit = False  # one transaction, whatever the caller's mode
    try:
        with conn:  # commits, or rolls back on any exception
            with conn.cursor() as cur:
                if actor:
                    cur.execute("SELECT set_config('gridgov.actor', %s, true)", (actor,))
                cur.execute("SELECT code FROM gridgov.department")
                departments = {r[0] for r in cur.fetchall()}
                errors = validate(rows, departments, delete)
                if errors:
                    raise _Refused(errors)
                if delete:
                    # FOR UPDATE: an event referencing the category takes a key-share lock on it,
                    # so no new event can use it between the count and the delete
                    cur.execute(
                        "SELECT code FROM gridgov.event_category WHERE code = ANY(%s) ORDER BY code FOR UPDATE",
                        (delete,),
                    )
                    cur.execute(
                        "SELECT category_code, count(*) FROM gridgov.event WHERE category_code = ANY(%s)"
                        " GROUP BY category_code ORDER BY category_code",
                        (delete,),
                    )
                    used = cur.fetchall()
                    if used:
                        raise _Refused(
                            [
                                CategoryError(
                                    None,
                                    code,
                                    "code",
                                    tr("{0}: the category is used by {1} event(s) and cannot be deleted.", code, n),
                                )
                                for code, n in used
                            ]
                        )
                    cur.execute("DELETE FROM gridgov.event_category WHERE code = ANY(%s)", (delete,))
                for r in rows:
                    cur.execute(
                        "INSERT INTO gridgov.event_category (code, kind, major, minor, department, level,"
                        " time_unit, register_hours, dispatch_hours, handle_hours, verify_hours)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                        " ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, major = EXCLUDED.major,"
                        " minor = EXCLUDED.minor, department = EXCLUDED.department, level = EXCLUDED.level,"
                        " time_unit = EXCLUDED.time_unit,"
                        " register_hours = EXCLUDED.register_hours, dispatch_hours = EXCLUDED.dispatch_hours,"
                        " handle_hours = EXCLUDED.handle_hours, verify_hours = EXCLUDED.verify_hours"
                        " WHERE (event_category.kind, event_category.major, event_category.minor,"
                        " event_category.department, event_category.level, event_category.time_unit,"
                        " event_category.register_hours, event_category.dispatch_hours, event_category.handle_hours,"
                        " event_category.verify_hours)"
                        " IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.major, EXCLUDED.minor, EXCLUDED.department,"
                        " EXCLUDED.level, EXCLUDED.time_unit, EXCLUDED.register_hours, EXCLUDED.dispatch_hours,"
                        " EXCLUDED.handle_hours, EXCLUDED.verify_hours)",
                        tuple(r[c] if c not in HOURS else float(r[c]) for c in COLUMNS),
                    )
    except _Refused as refused:
        return refused.errors
    except pg_errors.InsufficientPrivilege as exc:
        return [
            CategoryError(None, "", "", tr("You may not change the responsibility list: {0}", dberrors.explain(exc)))
        ]
    finally:
        if restore_autocommit:
            conn.autocommit = True
    log.info(
        tr("Responsibility list saved by {0}: {1} row(s) saved, {2} deleted.", actor or "-", len(rows), len(delete))
    )
    return []


# ---------------------------------------------------------------------------------------
# Case grades (简易 / 一般 / 突出 / 重大): a factor on each step after 受理 and the lowest level
# ---------------------------------------------------------------------------------------
def list_grades(conn) -> list[dict[str, Any]]:
    """The four grades (code, name, factor, min_level), lowest first; [] before the closed-loop migration."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('gridgov.case_grade') IS NOT NULL")
        if not cur.fetchone()[0]:
            return []
        cur.execute("SELECT code, name, factor, min_level FROM gridgov.case_grade ORDER BY rank")
        rows = _rows(cur)
    for r in rows:
        r["factor"] = float(r["factor"])
    return rows


def validate_grades(rows: list[dict[str, Any]]) -> list[CategoryError]:
    errs: list[CategoryError] = []
    for i, r in enumerate(rows):
        code, name = _text(r.get("code")), _text(r.get("name"))
        if code not in GRADES:
            errs.append(CategoryError(i, code, "grade_code", tr("{0} is not a case grade.", code)))
            continue
        if not name or len(name) > 50:
            errs.append(
                CategoryError(i, code, "grade_name", tr("{0}: the name must be 1 to 50 characters.", name or code))
            )
        factor = _hours(r.get("factor"))
        if factor is None or not (0 < factor <= MAX_FACTOR):
            errs.append(
                CategoryError(
                    i,
                    code,
                    "grade_factor",
                    tr(
                        "{0}: {1} must be more than 0 and at most {2}.", name or code, field_label("factor"), MAX_FACTOR
                    ),
                )
            )
        if _text(r.get("min_level")) not in LEVELS:
            errs.append(
                CategoryError(
                    i,
                    code,
                    "grade_min_level",
                    tr("{0}: {1} must be community, street or district.", name, field_label("min_level")),
                )
            )
    return errs


def save_grades(conn, rows: list[dict[str, Any]], actor: str | None = None) -> list[CategoryError]:
    """Validate and write the grades' names, factors and levels in one transaction; the errors (empty: saved)."""
    errors = validate_grades(rows)
    if errors:
        return errors
    restore_autocommit = conn.autocommit
    if restore_autocommit:
        conn.autocommit = False
    try:
        with conn:
            with conn.cursor() as cur:
                if actor:
                    cur.execute("SELECT set_config('gridgov.actor', %s, true)", (actor,))
                for r in rows:
                    cur.execute(
                        "UPDATE gridgov.case_grade SET name = %s, factor = %s, min_level = %s WHERE code = %s"
                        " AND (name, factor, min_level) IS DISTINCT FROM (%s, %s, %s)",
                        (
                            _text(r["name"]),
                            float(r["factor"]),
                            _text(r["min_level"]),
                            _text(r["code"]),
                            _text(r["name"]),
                            float(r["factor"]),
                            _text(r["min_level"]),
                        ),
                    )
    except pg_errors.InsufficientPrivilege as exc:
        return [CategoryError(None, "", "", tr("You may not change the case grades: {0}", dberrors.explain(exc)))]
    finally:
        if restore_autocommit:
            conn.autocommit = True
    return []
