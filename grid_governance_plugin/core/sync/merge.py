"""Column-wise three-way merge of one row, as Mergin Maps' geodiff rebases and Kart merges.

``base`` is the row as the user read it, ``ours`` the columns the user changed (new values),
``theirs`` the row as the server has it now (``None``: deleted meanwhile). A column only the
others changed keeps their value (we do not write it); a column only we changed takes ours;
the same new value on both sides is no conflict (geodiff #152); different new values on
both sides are a conflict holding base, theirs and ours (geodiff #146). Nothing is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# columns the database keeps itself: never merged, never a conflict
SYSTEM_COLUMNS = frozenset({"version", "base_version", "uid", "updated_at"})


def same(a: Any, b: Any) -> bool:
    """Equality for stored values: NULLs equal, floats within 1e-9, bytes and memoryviews by content."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, memoryview):
        a = bytes(a)
    if isinstance(b, memoryview):
        b = bytes(b)
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return a == b


@dataclass
class ColumnConflict:
    column: str
    base: Any
    ours: Any
    theirs: Any


@dataclass
class RowMerge:
    """What to write (``apply``), what both sides changed alike (``identical``), what collides."""

    apply: dict[str, Any] = field(default_factory=dict)
    identical: list[str] = field(default_factory=list)
    conflicts: list[ColumnConflict] = field(default_factory=list)
    theirs_changed: list[str] = field(default_factory=list)
    deleted: bool = False

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.deleted


def merge_row(
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any] | None,
    equal: Callable[[Any, Any], bool] = same,
) -> RowMerge:
    """Merge the user's changed columns ``ours`` onto ``theirs`` (see the module doc)."""
    out = RowMerge()
    if theirs is None:
        out.deleted = True
        out.conflicts = [ColumnConflict(c, base.get(c), v, None) for c, v in ours.items() if c not in SYSTEM_COLUMNS]
        return out
    out.theirs_changed = [
        c for c in theirs if c not in SYSTEM_COLUMNS and c in base and not equal(base.get(c), theirs.get(c))
    ]
    for col, mine in ours.items():
        if col in SYSTEM_COLUMNS:
            continue
        other = theirs.get(col)
        if equal(other, base.get(col)):
            out.apply[col] = mine
        elif equal(other, mine):
            out.identical.append(col)
        else:
            out.conflicts.append(ColumnConflict(col, base.get(col), mine, other))
    return out
