"""Assessment and rankings (考核与排名): the three rates, configurable items, scores and ranks.

Pure Python over case records read from the store (core/assessment/loader.py), so every figure
can be checked by hand. Definitions, the same as docs/assessment.md:

Cohort: the cases *received* in the period [start, end), void ones (作废) left out.

- **response rate** (响应率): a case is answered on time when its first 受理 (reported →
  registered) came at or before its response deadline; late when after it, or not yet while the
  deadline has passed at ``as_of``; otherwise pending and not counted. on time / (on time + late).
- **resolution rate** (解决率): resolved = closed (结案) by ``as_of`` and not reopened within
  ``reopen_days`` of closing; unresolved = reopened within those days, or still open although its
  handling deadline has passed; open cases still in time are pending. resolved / (resolved + unresolved).
- **satisfaction rate** (满意率): over cases of the cohort with a callback result, the mean of
  1 (满意), ``basically_weight`` (基本满意, default 0.8) and 0 (不满意). No callbacks: absent.
- **handled on time** (按期处置率): as the supervision board: cases whose handling was due in the
  period; on time when first 处置 came by the deadline.
- **cases found** (发现案件): cases reported by grid workers (reporter = worker id) received in the
  period, invalid reports (voided, not as duplicates) left out; for a community or street per grid
  worker of its grids.
- **cases returned** (退回率): cases of the unit first dispatched in the period that were returned
  (退回) at least once, over those dispatched.
- **patrol coverage** (巡查覆盖率): walked street length / street length over the unit's grids, each
  grid walked by its own worker (core/patrol/coverage.py).

Scores: each enabled item scores ``full_score × measure`` (found: × min(1, found / target per
30 days); returned: × max(0, 1 − share / target); patrol: × min(1, coverage / target)), is
weighted, and the total is Σ weight·score; the percentage divides by Σ weight·full over the
items that have a value, so a unit is never penalised for an item it has no data for (e.g. no
callbacks yet). Ranks by percentage, ties share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

UNIT_KINDS = ("street", "community", "department", "worker")
ITEMS = ("response", "resolution", "satisfaction", "on_time", "found", "returned", "patrol")
SATISFACTION_VALUES = {
    "satisfied": "satisfied",
    "满意": "satisfied",
    "非常满意": "satisfied",
    "basically_satisfied": "basically_satisfied",
    "基本满意": "basically_satisfied",
    "dissatisfied": "dissatisfied",
    "不满意": "dissatisfied",
}


@dataclass
class Case:
    id: str
    received_at: dt.datetime
    status: str
    department: str | None = None
    community: str | None = None
    street: str | None = None
    grid: str | None = None
    worker: str | None = None  # assigned grid worker
    reporter: str | None = None
    duplicate_of: str | None = None
    response_due: dt.datetime | None = None  # deadline of 受理
    accepted_at: dt.datetime | None = None  # first reported -> registered
    dispatched_at: dt.datetime | None = None  # first 派遣
    handling_due: dt.datetime | None = None
    handled_at: dt.datetime | None = None  # first dispatched -> handled after the first dispatch
    closed_at: dt.datetime | None = None
    reopened_at: dt.datetime | None = None  # first step out of 'closed' after closing
    returns: list[dt.datetime] = field(default_factory=list)  # 退回 times
    satisfaction: str | None = None  # satisfied | basically_satisfied | dissatisfied

    def unit(self, kind: str) -> str | None:
        return {
            "street": self.street,
            "community": self.community,
            "department": self.department,
            "worker": self.worker,
        }[kind]


@dataclass
class Item:
    code: str
    enabled: bool = True
    weight: float = 1.0
    full_score: float = 10.0
    target: float | None = None


DEFAULT_ITEMS: tuple[Item, ...] = (
    Item("response", True, 1.0, 15.0),
    Item("resolution", True, 1.0, 20.0),
    Item("satisfaction", True, 1.0, 20.0),
    Item("on_time", True, 1.0, 15.0),
    Item("found", True, 1.0, 10.0, 20.0),
    Item("returned", True, 1.0, 5.0, 0.2),
    Item("patrol", True, 1.0, 15.0, 0.8),
)


@dataclass
class Measures:
    """Counts and rates of one unit for one period (None: no data)."""

    unit: str
    name: str = ""
    cases: int = 0
    response_on_time: int = 0
    response_late: int = 0
    resolved: int = 0
    unresolved: int = 0
    callbacks: int = 0
    satisfaction_sum: float = 0.0
    handled_on_time: int = 0
    handled_late: int = 0
    found: int = 0
    dispatched: int = 0
    returned: int = 0
    workers: int = 0  # grid workers of the unit (for per-worker figures)
    street_m: float = 0.0
    walked_m: float = 0.0

    @staticmethod
    def _rate(a: float, b: float) -> float | None:
        return a / b if b else None

    @property
    def response_rate(self) -> float | None:
        return self._rate(self.response_on_time, self.response_on_time + self.response_late)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.resolved, self.resolved + self.unresolved)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfaction_sum, self.callbacks)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.handled_on_time, self.handled_on_time + self.handled_late)

    @property
    def returned_share(self) -> float | None:
        return self._rate(self.returned, self.dispatched)

    @property
    def patrol_coverage(self) -> float | None:
        return self._rate(self.walked_m, self.street_m)


@dataclass
class Score:
    measures: Measures
    items: dict[str, float | None]  # item code -> score (None: no data or disabled)
    total: float
    maximum: float
    rank: int | None = None
    previous_rank: int | None = None
    previous_percent: float | None = None

    @property
    def percent(self) -> float | None:
        return 100.0 * self.total / self.maximum if self.maximum > 0 else None

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        return None if self.rank is None or self.previous_rank is None else self.previous_rank - self.rank

    @property
    def percent_change(self) -> float | None:
        p = self.percent
        return None if p is None or self.previous_percent is None else p - self.previous_percent


def _in(t: dt.datetime | None, start: dt.datetime, end: dt.datetime) -> bool:
    return t is not None and start <= t < end


def measure(
    cases: list[Case],
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime,
    reopen_days: float = 7.0,
    basically_weight: float = 0.8,
    patrol: dict[str, tuple[float, float]] | None = None,
    workers: dict[str, set[str]] | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Measures]:
    """Measures per unit of ``kind`` for [start, end) as known at ``as_of``.

    ``patrol``: unit -> (street_m, walked_m) of its grids; ``workers``: unit -> grid worker ids of
    its grids (to count cases found per worker); ``names``: unit -> display name.
    """
    if kind not in UNIT_KINDS:
        raise ValueError(f"unknown unit kind {kind!r}; use one of {', '.join(UNIT_KINDS)}")
    out: dict[str, Measures] = {}
    all_workers = set().union(*workers.values()) if workers else set()

    def m(unit: str) -> Measures:
        if unit not in out:
            out[unit] = Measures(unit, (names or {}).get(unit, ""))
        return out[unit]

    reopen = dt.timedelta(days=reopen_days)
    for c in cases:
        unit = c.unit(kind)
        if unit is None:
            continue
        if c.status != "void" and _in(c.received_at, start, end):
            mm = m(unit)
            mm.cases += 1
            # response
            if c.accepted_at is not None and c.response_due is not None and c.accepted_at <= as_of:
                if c.accepted_at <= c.response_due:
                    mm.response_on_time += 1
                else:
                    mm.response_late += 1
            elif c.response_due is not None and c.response_due < as_of:
                mm.response_late += 1
            # resolution
            if c.closed_at is not None and c.closed_at <= as_of:
                if c.reopened_at is not None and c.reopened_at <= c.closed_at + reopen and c.reopened_at <= as_of:
                    mm.unresolved += 1
                else:
                    mm.resolved += 1
            elif c.handling_due is not None and c.handling_due < as_of:
                mm.unresolved += 1
            # satisfaction
            s = SATISFACTION_VALUES.get(str(c.satisfaction).strip()) if c.satisfaction is not None else None
            if s is not None:
                mm.callbacks += 1
                mm.satisfaction_sum += {"satisfied": 1.0, "basically_satisfied": basically_weight}.get(s, 0.0)
        # handled on time: cohort by handling deadline
        if c.status != "void" and _in(c.handling_due, start, end):
            mm = m(unit)
            if c.handled_at is not None and c.handled_at <= as_of:
                if c.handled_at <= c.handling_due:
                    mm.handled_on_time += 1
                else:
                    mm.handled_late += 1
            elif c.handling_due < as_of:
                mm.handled_late += 1
        # returns: cohort by first dispatch
        if _in(c.dispatched_at, start, end) and c.dispatched_at <= as_of:
            mm = m(unit)
            mm.dispatched += 1
            if any(c.dispatched_at <= t <= as_of for t in c.returns):
                mm.returned += 1
        # found: by the reporter (a grid worker), invalid reports left out
        if c.reporter and _in(c.received_at, start, end) and not (c.status == "void" and c.duplicate_of is None):
            if kind == "worker":
                if not all_workers or c.reporter in all_workers:
                    m(c.reporter).found += 1
            elif kind != "department" and c.reporter in all_workers:
                m(unit).found += 1
    for unit, ws in (workers or {}).items():
        if kind == "worker":
            continue
        if unit in out or ws:
            m(unit).workers = len(ws)
    if kind == "worker":
        for unit in sorted(all_workers):
            m(unit).workers = 1
    for unit, (street_m, walked_m) in (patrol or {}).items():
        mm = m(unit)
        mm.street_m, mm.walked_m = street_m, walked_m
    return out


def score(mm: Measures, items: list[Item] | tuple[Item, ...], kind: str, days: float) -> Score:
    """The weighted score of one unit's measures."""
    values: dict[str, float | None] = {}
    total = maximum = 0.0
    for it in items:
        v: float | None = None
        if it.enabled:
            if it.code == "response":
                r = mm.response_rate
                v = None if r is None else it.full_score * r
            elif it.code == "resolution":
                r = mm.resolution_rate
                v = None if r is None else it.full_score * r
            elif it.code == "satisfaction":
                r = mm.satisfaction_rate
                v = None if r is None else it.full_score * r
            elif it.code == "on_time":
                r = mm.on_time_rate
                v = None if r is None else it.full_score * r
            elif it.code == "found":
                if kind != "department" and mm.workers and it.target:
                    expected = it.target * days / 30.0
                    v = it.full_score * min(1.0, (mm.found / mm.workers) / expected)
            elif it.code == "returned":
                r = mm.returned_share
                if r is not None and it.target:
                    v = it.full_score * max(0.0, 1.0 - r / it.target)
            elif it.code == "patrol":
                r = mm.patrol_coverage
                if r is not None and kind != "department":
                    v = it.full_score * min(1.0, r / (it.target or 1.0))
        values[it.code] = v
        if v is not None:
            total += it.weight * v
            maximum += it.weight * it.full_score
    return Score(mm, values, total, maximum)


def rank(scores: list[Score]) -> list[Score]:
    """Sorted best first, with competition ranks on the percentage (units without any score last, unranked)."""
    ranked = sorted(scores, key=lambda s: (s.percent is None, -(s.percent or 0.0), s.measures.unit))
    prev, r = None, 0
    for i, s in enumerate(ranked, start=1):
        if s.percent is None:
            s.rank = None
            continue
        key = round(s.percent, 6)
        if key != prev:
            r, prev = i, key
        s.rank = r
    return ranked


def assess(
    cases: list[Case],
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime | None = None,
    items: list[Item] | tuple[Item, ...] = DEFAULT_ITEMS,
    reopen_days: float = 7.0,
    basically_weight: float = 0.8,
    patrol: dict[str, tuple[float, float]] | None = None,
    previous_patrol: dict[str, tuple[float, float]] | None = None,
    workers: dict[str, set[str]] | None = None,
    names: dict[str, str] | None = None,
) -> list[Score]:
    """The ranking of ``kind`` units for [start, end), with ranks and scores of the period before (same length)."""
    as_of = as_of or dt.datetime.now(dt.timezone.utc)
    days = (end - start).total_seconds() / 86400.0
    kw: dict[str, Any] = dict(reopen_days=reopen_days, basically_weight=basically_weight, workers=workers, names=names)
    now = rank(
        [score(mm, items, kind, days) for mm in measure(cases, kind, start, end, as_of, patrol=patrol, **kw).values()]
    )
    pstart = start - (end - start)
    before = rank(
        [
            score(mm, items, kind, days)
            for mm in measure(cases, kind, pstart, start, as_of, patrol=previous_patrol, **kw).values()
        ]
    )
    by_unit = {s.measures.unit: s for s in before}
    for s in now:
        p = by_unit.get(s.measures.unit)
        if p is not None:
            s.previous_rank, s.previous_percent = p.rank, p.percent
    return now
