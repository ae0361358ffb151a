"""What a user reads for each code the store keeps: one table per kind of code.

The store keeps codes (``reported``, ``street``, ``faulty``, ``GA``); every screen, legend,
tooltip, CSV meant for people and PDF shows ``label(kind, code)`` instead. An unknown code is
shown as it is, so a value a newer schema or a field channel adds is never hidden.
"""

from __future__ import annotations

from .categories import DEPARTMENTS
from .i18n import N_, tr

CASE_STATUS = {
    "reported": N_("Reported"),
    "registered": N_("Registered"),
    "dispatched": N_("Dispatched"),
    "handled": N_("Handled"),
    "verified": N_("Verified"),
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

KINDS: dict[str, dict[str, str]] = {
    "case_status": CASE_STATUS,
    "level": LEVEL,
    "camera_status": CAMERA_STATUS,
    "grid_problem": GRID_PROBLEM,
    "event_source": EVENT_SOURCE,
    "plan_status": PLAN_STATUS,
    "role": ROLE,
}

_DEPARTMENT_NAMES = {code: name for code, name, _level in DEPARTMENTS}


def label(kind: str, code: object) -> str:
    """The translated label of ``code`` in ``kind``; the code itself when it has none."""
    if code is None:
        return ""
    text = str(code)
    if kind == "department":
        return _DEPARTMENT_NAMES.get(text, text)
    source = KINDS[kind].get(text)
    return tr(source) if source else text


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, translated label) pairs of ``kind``, in the table's order (for combo boxes)."""
    if kind == "department":
        return list(_DEPARTMENT_NAMES.items())
    return [(code, tr(text)) for code, text in KINDS[kind].items()]
