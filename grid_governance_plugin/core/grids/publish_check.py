"""Which problems of a draft plan stop its publication, and which a planner may accept.

A published plan is what field channels, cameras and open cases are re-linked to, so:

* refused: invalid geometries, overlaps (a case on the overlap would belong to two grids),
  duplicate codes (ambiguous), grids in several pieces, and sliver gaps (a gap under
  ``SLIVER_GAP_M2`` is a digitising error, never a park or a river);
* asked: larger gaps (ground deliberately outside every grid), grids reaching outside their
  community, and non-standard codes (gridgov:gridcodes renumbers them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..labels import label

REFUSE_TYPES = frozenset({"invalid", "overlap", "duplicate_code", "multipart"})
SLIVER_GAP_M2 = 10.0


@dataclass
class Verdict:
    refuse: list[tuple[str, float, str]] = field(default_factory=list)  # (type, m², message)
    ask: list[tuple[str, float, str]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.refuse and not self.ask

    @staticmethod
    def summary(rows: list[tuple[str, float, str]]) -> str:
        """ "重叠 2, 缝隙 1": what a planner reads first."""
        counts = Counter(r[0] for r in rows)
        return ", ".join(f"{label('grid_problem', k)} {n}" for k, n in sorted(counts.items()))


def judge(problems: Iterable[tuple[str, float, str]]) -> Verdict:
    """Sort the check's problems (error type, area in m², message) into refused and asked."""
    verdict = Verdict()
    for kind, area, message in problems:
        sliver = kind == "gap" and (area or 0.0) < SLIVER_GAP_M2
        (verdict.refuse if kind in REFUSE_TYPES or sliver else verdict.ask).append((kind, area or 0.0, message))
    return verdict
