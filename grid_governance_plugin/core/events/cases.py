"""The case flow (上报 → 受理/立案 → 派遣 → 处置 → 核查 → 结案, 退回, 作废), mirrored from migration 002.

The database enforces the rules (table ``gridgov.case_transition`` and a trigger); this
module lets the GUI show only the buttons that will succeed. A test checks that both agree.
"""

from __future__ import annotations

from ..i18n import tr
from ..labels import label

STATES: tuple[str, ...] = ("reported", "registered", "dispatched", "handled", "verified", "closed", "void")
OPEN_STATES: tuple[str, ...] = ("reported", "registered", "dispatched", "handled", "verified")
TERMINAL_STATES: tuple[str, ...] = ("closed", "void")

# (from, to, kind): kind is forward, return (退回, one step back) or void (作废)
TRANSITIONS: tuple[tuple[str, str, str], ...] = (
    ("reported", "registered", "forward"),
    ("registered", "dispatched", "forward"),
    ("dispatched", "handled", "forward"),
    ("handled", "verified", "forward"),
    ("verified", "closed", "forward"),
    ("registered", "reported", "return"),
    ("dispatched", "registered", "return"),
    ("handled", "dispatched", "return"),
    ("verified", "handled", "return"),
    ("reported", "void", "void"),
    ("registered", "void", "void"),
)

# Chinese terms of the 数字城管 flow, for exports and documents that are always Chinese.
STATE_NAMES_ZH: dict[str, str] = {
    "reported": "上报",
    "registered": "立案",
    "dispatched": "派遣",
    "handled": "处置",
    "verified": "核查",
    "closed": "结案",
    "void": "作废",
}


def allowed_transitions(status: str) -> list[str]:
    """Target states reachable from ``status`` in one step, forward first (GUI button order)."""
    order = {"forward": 0, "return": 1, "void": 2}
    found = [(order[kind], to) for frm, to, kind in TRANSITIONS if frm == status]
    return [to for _, to in sorted(found)]


def transition_kind(from_status: str, to_status: str) -> str | None:
    """forward, return or void; None if the database would refuse the transition."""
    for frm, to, kind in TRANSITIONS:
        if frm == from_status and to == to_status:
            return kind
    return None


def is_open(status: str) -> bool:
    return status in OPEN_STATES


def state_label(status: str) -> str:
    """Translated name of a state (zh_CN: 已上报, 已立案, ...), from the one table in core/labels.py."""
    return label("case_status", status or "")


def action_label(from_status: str, to_status: str) -> str:
    """Translated button text for a transition (zh_CN: 立案, 派遣, 处置, 核查, 结案, 退回, 作废)."""
    kind = transition_kind(from_status, to_status)
    if kind == "return":
        return tr("Return")
    if kind == "void":
        return tr("Void")
    actions = {
        "registered": tr("Register"),
        "dispatched": tr("Dispatch"),
        "handled": tr("Mark handled"),
        "verified": tr("Verify"),
        "closed": tr("Close case"),
    }
    return actions.get(to_status, to_status)
