"""Greyed-out actions say why: one way for every dock to enable or disable a control."""

from __future__ import annotations

_ORIGINAL_TIP = "gridgov_original_tooltip"


def set_available(target, available: bool, reason: str = "") -> None:
    """Enable ``target`` (a QWidget or QAction), or disable it with ``reason`` as its tooltip.

    The control's own tooltip is kept and comes back when it is enabled again.
    """
    original = target.property(_ORIGINAL_TIP)
    if original is None:
        original = target.toolTip()
        target.setProperty(_ORIGINAL_TIP, original)
    target.setEnabled(bool(available))
    if available or not reason:
        target.setToolTip(original)
    else:
        target.setToolTip(f"{original}\n{reason}" if original else reason)
