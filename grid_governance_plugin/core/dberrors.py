"""What a database refusal means for the user, in their language, and what to do about it.

The database says no in English ("illegal case transition dispatched -> closed (event …)",
"permission denied for function transition"), with a SQLSTATE and, where the schema sets them,
the column and constraint. Every place the plugin shows a database error (case card, bulk
actions, docks, dialogs, Processing algorithms) passes the exception to :func:`explain`, which
matches it against :data:`RULES` and returns a translated sentence that says what happened and
what to do. A refusal no rule knows is still shown, after a translated lead-in, so nothing is
hidden.

Extending: append a :class:`Rule` to :data:`RULES` (or call :func:`add_rule`, which puts it
first). A rule matches on the SQLSTATE (exact ``'42501'`` or a class ``'23'``), the constraint,
the column, and a regular expression over the message's fixed part; its groups fill ``{0}``,
``{1}``… of the message, each shown through ``core.labels.label`` when the rule names a kind
for it. Put more specific rules first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable

from . import labels
from .i18n import N_, tr


@dataclass(frozen=True)
class Rule:
    """One kind of refusal. ``message`` is marked with N_() and translated when shown."""

    message: str
    sqlstate: str | None = None  # '42501' exactly, or a class prefix such as '23'
    pattern: str | None = None  # searched in the primary message; groups become {0}, {1}…
    column: str | None = None
    constraint: str | None = None
    kinds: tuple[str | None, ...] = field(default_factory=tuple)  # label kind per group
    # values for {0}, {1}… computed from the whole error (instead of the pattern's groups)
    values: Callable[[DbError], tuple[str, ...]] | None = None

    def match(self, err: DbError) -> tuple[str, ...] | None:
        if self.sqlstate and not (err.sqlstate or "").startswith(self.sqlstate):
            return None
        if self.column and err.column != self.column:
            return None
        if self.constraint and err.constraint != self.constraint:
            return None
        if self.pattern is None:
            return ()
        m = re.search(self.pattern, err.primary)
        return tuple(g or "" for g in m.groups()) if m else None

    def render(self, groups: tuple[str, ...], err: DbError) -> str:
        if self.values is not None:
            return tr(self.message, *self.values(err))
        shown = [labels.label(k, g) if k else g for k, g in zip(self.kinds + (None,) * len(groups), groups)]
        return tr(self.message, *shown)


@dataclass
class DbError:
    """The parts of a database error the rules look at."""

    sqlstate: str | None
    primary: str
    detail: str = ""
    hint: str = ""
    column: str | None = None
    constraint: str | None = None
    table: str | None = None

    def column_label(self) -> str:
        """The refused column as a user calls it, found in the error's fields or its text."""
        column = self.column
        if column is None:
            m = (
                re.search(r'column "(\w+)"', self.primary)
                or re.search(r"Key \((\w+)\)=", self.detail)
                or re.search(r"^\w+: (\w+) is", self.primary)
            )
            column = m.group(1) if m else None
        if column is None and self.constraint:
            column = next((c for c in labels.FIELD if self.constraint.endswith(f"_{c}_check")), None)
        return labels.label("field", column) if column else tr("A value")


def parse(exc: BaseException) -> DbError | None:
    """The database error inside ``exc`` (psycopg2, or the text QGIS's providers pass on)."""
    diag = getattr(exc, "diag", None)
    pgcode = getattr(exc, "pgcode", None)
    if diag is not None and (pgcode or getattr(diag, "message_primary", None)):
        return DbError(
            sqlstate=pgcode or getattr(diag, "sqlstate", None),
            primary=(diag.message_primary or str(exc)).strip(),
            detail=(diag.message_detail or "").strip(),
            hint=(diag.message_hint or "").strip(),
            column=diag.column_name,
            constraint=diag.constraint_name,
            table=diag.table_name,
        )
    text = str(exc).strip()
    # a provider's or libpq's text: "ERROR:  <primary>\nDETAIL: …\nHINT: …"
    m = re.search(r"(?:^|\n)\s*(?:ERROR|FATAL):\s+(.+)", text)
    if m is None:
        return None
    hint = re.search(r"\n\s*HINT:\s+(.+)", text)
    detail = re.search(r"\n\s*DETAIL:\s+(.+)", text)
    return DbError(
        sqlstate=None,
        primary=m.group(1).strip(),
        detail=detail.group(1).strip() if detail else "",
        hint=hint.group(1).strip() if hint else "",
    )


# what a versioned table's row is to a user (the GG409 refusal names the table)
_ROW_KIND = {
    "grid": N_("grid"),
    "camera": N_("camera"),
    "event": N_("case"),
    "building": N_("building"),
    "grid_plan": N_("plan"),
    "grid_worker": N_("grid worker"),
    "dept_grid": N_("responsibility list entry"),
}

# stored codes shown by their label
_VALUE_KIND = {
    ("event", "status"): "case_status",
    ("event", "department"): "department",
    ("event", "level"): "level",
    ("camera", "status"): "camera_status",
    ("event", "action"): "case_action",
}


def row_kind(table: str) -> str:
    """What a row of a versioned ``table`` is to a user ("case" for event), translated."""
    kind = _ROW_KIND.get(str(table))
    return tr(kind) if kind else str(table)


def value_label(table: str, column: str, value: object) -> str:
    """A stored value as the user reads it: a code by its label, anything else as plain text."""
    if value is None:
        return tr("(empty)")
    kind = _VALUE_KIND.get((str(table), str(column)))
    return labels.label(kind, value) if kind else str(value)


def _stale(err: DbError) -> tuple[str, ...]:
    """GG409 (010_versions.sql): what changed since the user saw it, and who changed it.

    The DETAIL is JSON: table, key, the version seen, the version now and the audit's changes
    ({login, actor, columns: {column: [old, new]}}). Values are shown as plain text.
    """
    try:
        d = json.loads(err.detail or "{}")
    except ValueError:
        d = {}
    table = str(d.get("table") or err.table or "")
    what = f"{row_kind(table) if table else ''} {d.get('key') or ''}".strip()
    who: list[str] = []
    changed: list[str] = []
    for change in d.get("changes") or []:
        person = change.get("actor") or change.get("login")
        if person and person not in who:
            who.append(str(person))
        if change.get("op") == "DELETE":
            changed.append(tr("deleted it"))
        for column, values in (change.get("columns") or {}).items():
            text = labels.label("field", column)
            if isinstance(values, list) and len(values) == 2 and len(json.dumps(values, ensure_ascii=False)) <= 100:
                old, new = (value_label(str(d.get("table")), column, v) for v in values)
                text = f"{text} {old} → {new}"
            if text not in changed:
                changed.append(text)
    return (
        what,
        "、".join(who) if who else tr("someone else"),
        str(d.get("seen", "?")),
        str(d.get("version", "?")),
        "; ".join(changed) if changed else tr("see its history"),
    )


CASE = ("case_status", "case_status")
RULES: list[Rule] = [
    # --- versions (010_versions.sql): a save or a case action on a stale view ---
    Rule(
        N_(
            "{1} changed {0} after you read it (you saw version {2}, it is now {3}): {4}. Nothing of yours was "
            "saved or lost: look at it again, then act."
        ),
        sqlstate="GG409",
        values=_stale,
    ),
    # --- the case flow (002_case_flow.sql) ---
    Rule(
        N_("The case is already {0}: someone has done this step before you. Refresh the list."),
        pattern=r"illegal case transition (\w+) -> \w+ \(event [^)]*\): already in that status",
        kinds=("case_status",),
    ),
    Rule(
        N_(
            "A case that is {0} cannot be moved to {1}. Someone may have moved it on: refresh the case and choose "
            "one of the steps it offers."
        ),
        pattern=r"illegal case transition (\w+) -> (\w+)",
        kinds=CASE,
    ),
    Rule(
        N_("The case no longer exists (it may have been merged into another). Refresh the list."),
        pattern=r"^(?:transition|assign): no event",
    ),
    Rule(
        N_("The case is {0}: a closed or void case cannot be assigned. Reopen it or report a new case."),
        pattern=r"assign: event \S+ is (\w+) \(terminal\)",
        kinds=("case_status",),
    ),
    # --- the closed loop (009_closed_loop.sql): 吹哨, suspension, extension, decisions ---
    Rule(
        N_(
            "Request {0} on this case is still waiting for a supervisor's decision: it is decided first, then a "
            "new request can be made. Refresh the case."
        ),
        pattern=r"event \S+ has request (\d+) waiting for a decision",
    ),
    Rule(
        N_("The case is {0}: only a case being handled (dispatched) can be suspended or given more time."),
        pattern=r"event \S+ is (\w+); only a case being handled",
        kinds=("case_status",),
    ),
    Rule(
        N_("The case is {0}: only an open case with a running deadline can be escalated (吹哨)."),
        pattern=r"escalate_case: event \S+ is (\w+): only an open case",
        kinds=("case_status",),
    ),
    Rule(
        N_("The case is at district level already: there is no level above to escalate (吹哨) to. Refresh the case."),
        pattern=r"escalate_case: event \S+ is at district level already",
    ),
    Rule(
        N_("Request {0} was decided already ({1}, by {2}). Refresh the case."),
        pattern=r"decide_request: request (\d+) was (\w+) by (\S+) already",
        kinds=(None, "request_decision", None),
    ),
    Rule(
        N_("The case is {0} now: request {1} can only be refused."),
        pattern=r"decide_request: event \S+ is (\w+) now; the \w+ request (\d+) can only be refused",
        kinds=("case_status", None),
    ),
    Rule(
        N_("The case is {0}, not suspended: there is nothing to resume. Refresh the case."),
        pattern=r"resume_case: event \S+ is (\w+), not suspended",
        kinds=("case_status",),
    ),
    Rule(
        N_("A reason is required: say why (a permit awaited, the weather, several departments needed…)."),
        pattern=r"and a reason are required",
    ),
    Rule(
        N_("The case lies outside your area: your login may not act on it. Ask your administrator if it should."),
        pattern=r"event \S+ lies outside the area of login",
    ),
    Rule(
        N_(
            "Department {0} is not in the responsibility list. Choose another department, or ask an administrator "
            "to add it."
        ),
        pattern=r"unknown department (\S+)",
        kinds=("department",),
    ),
    Rule(N_("A case cannot be merged into itself. Choose a different case to keep."), pattern=r"merged into itself"),
    Rule(
        N_("The case to keep is void or itself a duplicate. Keep the live case instead."),
        pattern=r"merge_events: event \S+ is void or itself a duplicate",
    ),
    Rule(
        N_("A case that is {0} can no longer be merged; only reported or registered cases can."),
        pattern=r"merge_events: event \S+ is (\w+) and can no longer be merged",
        kinds=("case_status",),
    ),
    Rule(N_("A case to merge no longer exists. Refresh the list."), pattern=r"merge_events: no event"),
    # --- reports from field channels (004_field_channels.sql) ---
    Rule(
        N_(
            "Category {0} is not in the responsibility list. Use a category of the list, or ask an administrator "
            "to add it."
        ),
        pattern=r"unknown category '?([^' ]+)'?",
    ),
    Rule(
        N_("The report time {0} is in the future (server time {1}). Check the clock of the reporting device."),
        pattern=r"reported_at (.+) is in the future \(server time (.+)\)",
    ),
    Rule(
        N_("The coordinates ({0}, {1}) are not valid degrees. Check longitude and latitude."),
        pattern=r"lon/lat \(([^,]+), ([^)]+)\) are not valid degrees",
    ),
    Rule(
        N_(
            "The location ({0}, {1}) is outside the served area. Check the coordinates and their coordinate "
            "system ({2})."
        ),
        pattern=r"lon/lat \(([^,]+), ([^)]+)\) \[(\w+)\] are outside the served area",
    ),
    Rule(
        N_("Unknown coordinate system {0}: use WGS 84, CGCS2000, GCJ-02 or BD-09."),
        pattern=r"unknown coord_sys (\S+)",
    ),
    Rule(
        N_("Another report of the same case arrived at the same moment. Send it again."),
        pattern=r"concurrent report of",
    ),
    # --- plans (005_plans.sql) ---
    Rule(N_("The plan no longer exists. Refresh the list of plans."), pattern=r"there is no plan"),
    Rule(
        N_("The plan is {0}: only a draft can be published. Make a new draft from it."),
        pattern=r"publish_plan: plan \S+ is (\w+), only a draft",
        kinds=("plan_status",),
    ),
    Rule(N_("The plan has no grids: draw or copy grids into it before publishing."), pattern=r"has no grids"),
    # --- permissions (roles, row-level security) ---
    Rule(
        N_(
            "This record belongs to an area or department your login may not change. Ask your administrator if you "
            "should have access."
        ),
        sqlstate="42501",
        pattern=r"row-level security",
    ),
    Rule(
        N_("The channel {0} is not registered for your login. Ask your administrator to register it."),
        sqlstate="42501",
        pattern=r"source '?([^' ]+)'? is not registered",
    ),
    Rule(
        N_("Your login may not do this ({0} {1}). Ask your administrator for the role it needs."),
        sqlstate="42501",
        pattern=r"permission denied for (\w+) \"?([\w.]+)\"?",
        kinds=("db_object", None),
    ),
    Rule(
        N_("Your login may not do this. Ask your administrator for the role it needs."),
        sqlstate="42501",
    ),
    Rule(
        N_("Your login may not do this. Ask your administrator for the role it needs."),
        pattern=r"permission denied",
    ),
    # --- generic, by SQLSTATE class ---
    Rule(N_("{0} is required. Fill it in and try again."), sqlstate="23502", values=lambda e: (e.column_label(),)),
    Rule(N_("{0} is too long. Shorten it and try again."), sqlstate="22001", values=lambda e: (e.column_label(),)),
    Rule(
        N_("This value of {0} is not allowed. Correct it and try again."),
        sqlstate="23514",
        values=lambda e: (e.column_label(),),
    ),
    Rule(N_("This record already exists ({0})."), sqlstate="23505", values=lambda e: (_duplicate_key(e),)),
    Rule(
        N_("{0} refers to something that does not exist. Choose a value from the list."),
        sqlstate="23503",
        values=lambda e: (e.column_label(),),
    ),
    Rule(
        N_("A value of {0} is out of range. Correct it and try again."),
        sqlstate="22",
        values=lambda e: (e.column_label(),),
    ),
    Rule(
        N_("Someone else changed the same records at the same moment. Try again."),
        sqlstate="40",
    ),
    Rule(
        N_("The database stopped the query (cancelled or too slow). Try again with a smaller selection."),
        sqlstate="57014",
    ),
    Rule(
        N_("The connection to the database was lost. Check the network and try again."),
        sqlstate="08",
    ),
    Rule(
        N_("The database refused the login. Check the user name and password of the connection (Settings…)."),
        sqlstate="28",
    ),
    Rule(
        N_(
            "The database lacks part of the grid governance schema. Run “Install or upgrade the database schema…” "
            "from the Grid governance menu."
        ),
        sqlstate="42P01",
    ),
    Rule(
        N_(
            "The database lacks part of the grid governance schema. Run “Install or upgrade the database schema…” "
            "from the Grid governance menu."
        ),
        sqlstate="42883",
    ),
]


def add_rule(rule: Rule) -> None:
    """Put ``rule`` before the others (a migration's new refusal, a more specific wording)."""
    RULES.insert(0, rule)


def _duplicate_key(err: DbError) -> str:
    key = re.search(r"Key \((.+?)\)=\((.*)\) already exists", err.detail)
    if key:
        return f"{labels.label('field', key.group(1))} = {key.group(2)}"
    return err.column_label()


def explain(exc: BaseException) -> str:
    """A translated sentence for ``exc``: what the database refused and what to do.

    Anything that is not a database error is returned as its own text (it is already a
    message of the plugin or of QGIS).
    """
    err = parse(exc)
    if err is None:
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        if type(exc).__name__ in ("OperationalError", "InterfaceError"):
            # libpq's own words (refused, timed out, closed): no SQLSTATE, no server message
            return tr(
                "The database cannot be reached. Check the connection (Settings…) and that the server runs. ({0})",
                first,
            )
        return first
    for rule in RULES:
        groups = rule.match(err)
        if groups is None:
            continue
        return rule.render(groups, err)
    first = err.primary.splitlines()[0] if err.primary else ""
    return tr("The database refused: {0} ({1})", first, err.sqlstate or "?")
