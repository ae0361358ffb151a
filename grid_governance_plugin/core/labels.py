"""What a user reads for each code the store keeps: one table per kind of code.

The store keeps codes (``reported``, ``street``, ``faulty``, ``GA``); every screen, legend,
tooltip, CSV meant for people and PDF shows ``label(kind, code)`` instead. An unknown code is
shown as it is, so a value a newer schema or a field channel adds is never hidden.
"""

from __future__ import annotations

from .categories import CATEGORIES, DEPARTMENTS
from .i18n import N_, tr

CASE_STATUS = {
    "reported": N_("Reported"),
    "registered": N_("Registered"),
    "dispatched": N_("Dispatched"),
    "handled": N_("Handled"),
    "verified": N_("Verified"),
    "suspended": N_("Suspended"),
    "closed": N_("Closed"),
    "void": N_("Void"),
}
LEVEL = {
    "city": N_("City"),
    "district": N_("District"),
    "street": N_("Street"),
    "community": N_("Community"),
    "grid": N_("Grid"),
}
CAMERA_STATUS = {
    "online": N_("Online"),
    "offline": N_("Offline"),
    "faulty": N_("Faulty"),
    "obstructed": N_("Obstructed"),
    "planned": N_("Planned"),
}
GRID_PROBLEM = {
    "invalid": N_("Invalid geometry"),
    "overlap": N_("Overlap"),
    "gap": N_("Gap"),
    "outside_parent": N_("Outside its community"),
    "multipart": N_("Multipart grid"),
    "duplicate_code": N_("Duplicate code"),
    "bad_code": N_("Non-standard code"),
}
EVENT_SOURCE = {
    "grid_app": N_("Grid worker app"),
    "app": N_("Grid worker app"),
    "citizen_photo": N_("Citizen photo report"),
    "hotline_12345": N_("12345 hotline"),
    "12345": N_("12345 hotline"),
    "sensor": N_("Sensor"),
    "open311": N_("Open311 import"),
}
ROLE = {  # the gridgov group roles (docs/roles.md)
    "gridgov_owner": N_("Schema owner"),
    "gridgov_channel": N_("Field channel"),
    "gridgov_worker": N_("Grid worker"),
    "gridgov_supervisor": N_("Supervisor"),
    "gridgov_analyst": N_("Analyst"),
    "gridgov_planner": N_("Planner"),
    "gridgov_admin": N_("Administrator"),
    "gridgov_reader": N_("Reader (analyst)"),
}
PLAN_STATUS = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "archived": N_("Archived"),
}
# who did a step: a login the plugin knows by role (any other login is shown as it is)
ACTOR = {
    "postgres": N_("Database administrator"),
    "gridgov_channel": N_("Field channel"),
    "gridgov_escalation": N_("Automatic escalation"),
}
LIVE_STATE = {
    "connecting": N_("Connecting"),
    "listening": N_("Listening"),
    "disconnected": N_("Disconnected"),
    "stopped": N_("Stopped"),
}
# the database's columns, as a user calls them (database errors name the column they refuse)
FIELD = {
    "status": N_("Status"),
    "level": N_("Level"),
    "department": N_("Department"),
    "category": N_("Category"),
    "category_code": N_("Category"),
    "reported_at": N_("Report time"),
    "deadline_at": N_("Deadline"),
    "lon": N_("Longitude"),
    "lat": N_("Latitude"),
    "coord_sys": N_("Coordinate system"),
    "source": N_("Source"),
    "external_id": N_("Channel's case number"),
    "description": N_("Description"),
    "reporter": N_("Reporter"),
    "media_url": N_("Photo link"),
    "device_id": N_("Device code (GB/T 28181)"),
    "grid_code": N_("Grid code"),
    "code": N_("Code"),
    "name": N_("Name"),
    "worker_id": N_("Grid worker"),
    "geom": N_("Geometry"),
    "plan_id": N_("Plan"),
    "action": N_("Action"),
    "version": N_("Version"),
}
# kinds of database object a permission error names
DB_OBJECT = {
    "table": N_("table"),
    "relation": N_("table"),
    "view": N_("view"),
    "function": N_("function"),
    "procedure": N_("procedure"),
    "schema": N_("schema"),
    "sequence": N_("sequence"),
    "column": N_("column"),
    "database": N_("database"),
}

ASSESSMENT_ITEM = {
    "response": N_("Response rate"),
    "resolution": N_("Resolution rate"),
    "satisfaction": N_("Satisfaction rate"),
    "on_time": N_("Handled on time"),
    "found": N_("Cases found"),
    "returned": N_("Cases returned"),
    "patrol": N_("Patrol coverage"),
}
GRADE = {  # case grades 简易/一般/突出/重大 (gridgov.case_grade)
    "simple": N_("Simple"),
    "ordinary": N_("Ordinary"),
    "prominent": N_("Prominent"),
    "major": N_("Major"),
}
TIME_UNIT = {  # the unit of a category's deadlines in the responsibility list
    "working_hours": N_("Working hours"),
    "working_days": N_("Working days"),
    "calendar_hours": N_("Calendar hours"),
}
ESCALATION_KIND = {
    "overdue": N_("Deadline passed"),
    "manual": N_("By hand (吹哨)"),
    "grade": N_("Grade"),
}
REQUEST_KIND = {
    "suspend": N_("Suspension"),
    "extend": N_("Extension"),
}
REQUEST_DECISION = {
    "approved": N_("Approved"),
    "refused": N_("Refused"),
}
CASE_ACTION = {  # what an offline copy did to a case (core/sync/offline.py, sync_case_action.kind)
    "step": N_("Step"),
    "assign": N_("Assigned to a department or worker"),
    "request_suspension": N_("Request to suspend"),
    "request_extension": N_("Request for more time"),
    "decide": N_("Decision on a request"),
    "resume": N_("Resumption"),
}
SATISFACTION = {
    "satisfied": N_("Satisfied"),
    "basically_satisfied": N_("Basically satisfied"),
    "dissatisfied": N_("Dissatisfied"),
}

KINDS: dict[str, dict[str, str]] = {
    "case_status": CASE_STATUS,
    "level": LEVEL,
    "camera_status": CAMERA_STATUS,
    "grid_problem": GRID_PROBLEM,
    "event_source": EVENT_SOURCE,
    "plan_status": PLAN_STATUS,
    "assessment_item": ASSESSMENT_ITEM,
    "satisfaction": SATISFACTION,
    "grade": GRADE,
    "time_unit": TIME_UNIT,
    "escalation_kind": ESCALATION_KIND,
    "request_kind": REQUEST_KIND,
    "request_decision": REQUEST_DECISION,
    "case_action": CASE_ACTION,
    "actor": ACTOR,
    "live_state": LIVE_STATE,
    "field": FIELD,
    "db_object": DB_OBJECT,
    "role": ROLE,
}

_DEPARTMENT_NAMES = {code: name for code, name, _level in DEPARTMENTS}
# names from the responsibility list (data in Chinese, not translated): department, category
_NAMES = {"department": _DEPARTMENT_NAMES, "category": {row[0]: row[3] for row in CATEGORIES}}


def label(kind: str, code: object) -> str:
    """The translated label of ``code`` in ``kind``; the code itself when it has none."""
    if code is None:
        return ""
    text = str(code)
    if kind == "actor" and text not in ACTOR:
        # a history's actor is a login, a channel's source or a department (demo and 002's notes)
        if text in EVENT_SOURCE:
            return tr(EVENT_SOURCE[text])
        return _DEPARTMENT_NAMES.get(text, text)
    if kind in _NAMES:
        return _NAMES[kind].get(text, text)
    source = KINDS[kind].get(text)
    return tr(source) if source else text


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, translated label) pairs of ``kind``, in the table's order (for combo boxes)."""
    if kind in _NAMES:
        return list(_NAMES[kind].items())
    return [(code, tr(text)) for code, text in KINDS[kind].items()]


# notes the database itself writes into a case's history (002_case_flow.sql), in English;
# (pattern, message, label kind per group); what follows ': ' is the person's own note
HISTORY_NOTES = (
    (r"^assigned to (\S+?)(?: / (\S+))?$", N_("Assigned to {0} {1}"), ("department", None)),
    (
        r"^escalated (\w+) -> (\w+) \(吹哨报到\): deadline passed$",
        N_("Deadline passed: escalated from {0} to {1} (吹哨报到)"),
        ("level", "level"),
    ),
    (
        r"^escalated (\w+) -> (\w+) \(吹哨报到\) by hand$",
        N_("Escalated by hand from {0} to {1} (吹哨报到)"),
        ("level", "level"),
    ),
    (r"^grade (\w+) -> (\w+)$", N_("Grade changed from {0} to {1}"), ("grade", "grade")),
    (
        r"^grade (\w+) -> (\w+), level (\w+) -> (\w+)$",
        N_("Grade changed from {0} to {1}; the case goes from {2} to {3}"),
        ("grade", "grade", "level", "level"),
    ),
    (r"^asked to suspend \(request (\d+)\)$", N_("Asked to suspend the case (request {0})"), (None,)),
    (
        r"^asked to extend by ([0-9.]+) (\w+) \(request (\d+)\)$",
        N_("Asked for {0} more {1} (request {2})"),
        (None, "time_unit", None),
    ),
    (r"^suspension refused \(request (\d+)\)$", N_("Suspension refused (request {0})"), (None,)),
    (r"^extension refused \(request (\d+)\)$", N_("Extension refused (request {0})"), (None,)),
    (
        r"^deadline extended \(延期\) by ([0-9.]+) (\w+) \(request (\d+)\)$",
        N_("Deadline extended (延期) by {0} {1} (request {2})"),
        (None, "time_unit", None),
    ),
    (r"^suspended \(挂账, request (\d+)\)$", N_("Suspended (挂账, request {0}): the clock stops"), (None,)),
    (r"^resumed$", N_("Resumed: the clock runs again"), ()),
    (r"^closed upstream \((\S+)\)$", N_("Closed at the source ({0})"), ("event_source",)),
    (r"^reopened upstream \((\S+)\)$", N_("Reopened at the source ({0})"), ("event_source",)),
    (r"^callback: (\w+)$", N_("Callback: {0}"), ("satisfaction",)),
    (r"^duplicate of (\S+)$", N_("Duplicate of case {0}"), (None,)),
    (r"^merged (\d+) duplicate\(s\): (.*)$", N_("{0} duplicate(s) merged into this case: {1}"), (None, None)),
)


def history_note(note: object) -> str:
    """A history note as a user reads it: the database's own English notes translated."""
    import re

    if note is None:
        return ""
    text = str(note)
    for pattern, message, kinds in HISTORY_NOTES:
        head, sep, rest = text.partition(": ") if "deadline passed" not in pattern else (text, "", "")
        for candidate, tail in ((text, ""), (head, rest if sep else "")):
            m = re.match(pattern, candidate)
            if m:
                values = [label(k, g) if k else (g or "") for k, g in zip(kinds, m.groups())]
                shown = tr(message, *values).strip()
                return f"{shown}: {tail}" if tail else shown
    return text
