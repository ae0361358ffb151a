"""The case flow (上报 → 受理/立案 → 派遣 → 处置 → 核查 → 结案, 退回, 作废, 挂账, 延期, 重办), mirrored
from the database.

The database enforces the rules (table ``gridgov.case_transition``, migrations 002 and the
closed-loop one, and a trigger); this module lets the GUI show only the buttons that will
succeed. A test checks that both agree.

Kinds of step: ``forward``, ``return`` (退回, one step back) and ``void`` (作废) and ``reopen``
(重办) are buttons that call ``gridgov.transition``; ``suspend`` (挂账) and ``extend`` (延期) are
approved requests (``gridgov.request_suspension``/``request_extension`` then ``decide_request``),
``resume`` restarts a suspended case's clock (``gridgov.resume_case``) and ``external`` is an
upstream system closing its request (``gridgov.report_status``).
"""

from __future__ import annotations

from ..i18n import tr
from ..labels import label

STATES: tuple[str, ...] = (
    "reported",
    "registered",
    "dispatched",
    "handled",
    "verified",
    "suspended",
    "closed",
    "void",
)
# not closed or void: still to be done (a suspended case too, its clock stopped)
OPEN_STATES: tuple[str, ...] = ("reported", "registered", "dispatched", "handled", "verified", "suspended")
# with a running deadline: what the board (督办) and escalation look at
RUNNING_STATES: tuple[str, ...] = ("reported", "registered", "dispatched", "handled", "verified")
TERMINAL_STATES: tuple[str, ...] = ("closed", "void")
BUTTON_KINDS: tuple[str, ...] = ("forward", "return", "void", "reopen")  # through gridgov.transition

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
    ("dispatched", "suspended", "suspend"),
    ("suspended", "dispatched", "resume"),
    ("dispatched", "dispatched", "extend"),
    ("reported", "closed", "external"),
    ("registered", "closed", "external"),
    ("dispatched", "closed", "external"),
    ("handled", "closed", "external"),
    ("suspended", "closed", "external"),
    ("closed", "registered", "reopen"),
)

# Chinese terms of the 数字城管 flow, for exports and documents that are always Chinese.
STATE_NAMES_ZH: dict[str, str] = {
    "reported": "上报",
    "registered": "立案",
    "dispatched": "派遣",
    "handled": "处置",
    "verified": "核查",
    "suspended": "挂账",
    "closed": "结案",
    "void": "作废",
}


def allowed_transitions(status: str) -> list[str]:
    """Target states a person reaches from ``status`` with ``gridgov.transition``, forward first (button order)."""
    order = {kind: i for i, kind in enumerate(BUTTON_KINDS)}
    found = [(order[kind], to) for frm, to, kind in TRANSITIONS if frm == status and kind in order]
    return [to for _, to in sorted(found)]


def trigger_allows(status: str) -> list[str]:
    """Every state the database's trigger lets a case move to from ``status`` (any kind of step)."""
    return [to for frm, to, _kind in TRANSITIONS if frm == status and to != frm]


def step_allowed(status: str, kind: str) -> bool:
    """Whether a step of ``kind`` (suspend, resume, extend...) starts from ``status``."""
    return any(frm == status and k == kind for frm, _to, k in TRANSITIONS)


def can_suspend(status: str) -> bool:
    return step_allowed(status, "suspend")


def can_extend(status: str) -> bool:
    return step_allowed(status, "extend")


def can_resume(status: str) -> bool:
    return step_allowed(status, "resume")


def has_deadline(status: str) -> bool:
    """Whether a case in ``status`` has a running deadline (can be overdue, can be escalated)."""
    return status in RUNNING_STATES


def transition_kind(from_status: str, to_status: str) -> str | None:
    """forward, return or void; None if the database would refuse the transition."""
    for frm, to, kind in TRANSITIONS:
        if frm == from_status and to == to_status:
            return kind
    return None


def is_open(status: str) -> bool:
    """Not closed or void (a suspended case is open, its clock stopped)."""
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
    if kind == "reopen":
        return tr("Reopen")
    actions = {
        "registered": tr("Register"),
        "dispatched": tr("Dispatch"),
        "handled": tr("Mark handled"),
        "verified": tr("Verify"),
        "closed": tr("Close case"),
    }
    return actions.get(to_status, to_status)
