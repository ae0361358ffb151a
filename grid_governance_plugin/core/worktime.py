"""Working time in the city's calendar: the Python mirror of the working-calendar migration.

The database is the reference (``gridgov.add_working_hours``, ``gridgov.add_working_days``,
``gridgov.working_hours_between``; docs/working-time.md); this mirror serves the GeoPackage store
and tests, and a test checks that both agree on many random instants.

The model, as in the database:

- a *day* is a working day when the calendar says so (a public holiday rests, a 调休 make-up day
  works), else Monday to Friday work and Saturday and Sunday rest;
- a working day has the office hours (办公时间) valid in its month, e.g. 09:00-12:00 and 13:00-18:00;
- all in Beijing time (Asia/Shanghai), whatever the client's zone;
- the *working clock* W(t) counts the working seconds from 2000-01-01 to t. It stands still at
  night, over lunch, at weekends and on holidays. Working hours between a and b are
  (W(b) - W(a)) / 3600;
- ``add_working_hours(start, h)`` is the earliest instant T >= start with W(T) = W(start) + h·3600
  (a case reported at 16:30 with one working hour is due at 17:30, not at 09:00 the next day);
- ``add_working_days(start, n)`` is the close of office hours of the n-th working day after the day
  of ``start``: the day of the start is not counted and a period ends when the office closes on
  its last day (民法典 第二百零一条、第二百零三条).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)

# month_from, month_to (inclusive, wrapping when from > to), starts, ends
OfficePeriod = tuple[int, int, dt.time, dt.time]
# 8 hours a day (国务院关于职工工作时间的规定), one hour for lunch
DEFAULT_OFFICE_HOURS: tuple[OfficePeriod, ...] = (
    (1, 12, dt.time(9, 0), dt.time(12, 0)),
    (1, 12, dt.time(13, 0), dt.time(18, 0)),
)


class CalendarRangeError(ValueError):
    """An instant outside the calendar's range (2000-2099)."""


def _secs(t: dt.time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def _in_months(month: int, m_from: int, m_to: int) -> bool:
    return m_from <= month <= m_to if m_from <= m_to else (month >= m_from or month <= m_to)


def office_periods(office_hours: Iterable[OfficePeriod], month: int) -> list[tuple[float, float]]:
    """The (start, end) seconds after midnight of the office periods of ``month``, sorted."""
    periods = sorted((_secs(a), _secs(b)) for m0, m1, a, b in office_hours if _in_months(month, m0, m1))
    if len(periods) > 4:  # the database's working clock (gridgov.working_clock) reads four
        raise ValueError(f"more than 4 office periods in month {month}")
    for (a0, b0), (a1, b1) in zip(periods, periods[1:]):
        if a1 < b0:
            raise ValueError(f"office hours overlap in month {month}: {a0}-{b0} and {a1}-{b1}")
    return periods


@dataclass
class WorkCalendar:
    """``days``: date -> 'holiday' | 'workday' (the exceptions); ``office_hours``: OfficePeriod rows."""

    days: dict[dt.date, str] = field(default_factory=dict)
    office_hours: tuple[OfficePeriod, ...] = DEFAULT_OFFICE_HOURS

    def __post_init__(self) -> None:
        by_month = {m: office_periods(self.office_hours, m) for m in range(1, 13)}
        for m, periods in by_month.items():
            if not periods:
                raise ValueError(f"no office hours in month {m}")
        n = (LAST_DAY - FIRST_DAY).days + 1
        self._periods: list[list[tuple[float, float]]] = []
        self._cum: list[float] = []  # working seconds before each day's midnight
        self._working: list[bool] = []
        self._work_no: list[int] = []  # working days up to and including each day
        total, count = 0.0, 0
        for i in range(n):
            d = FIRST_DAY + dt.timedelta(days=i)
            working = self.is_working_day(d)
            periods = by_month[d.month] if working else []
            self._cum.append(total)
            self._working.append(working)
            count += working
            self._work_no.append(count)
            self._periods.append(periods)
            total += sum(b - a for a, b in periods)
        self._total = total
        # working days only, for the searches
        self._wd_index = [i for i in range(n) if self._working[i]]
        self._wd_cum = [self._cum[i] for i in self._wd_index]

    # -- days --------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        kind = self.days.get(day)
        if kind == "holiday":
            return False
        if kind == "workday":
            return True
        return day.isoweekday() < 6

    def _index(self, day: dt.date) -> int:
        if not FIRST_DAY <= day <= LAST_DAY:
            raise CalendarRangeError(f"{day} is outside the working calendar ({FIRST_DAY.year}-{LAST_DAY.year})")
        return (day - FIRST_DAY).days

    @staticmethod
    def _local(t: dt.datetime) -> dt.datetime:
        if t.tzinfo is None:
            raise ValueError("working time needs an aware datetime (with a time zone)")
        return t.astimezone(BEIJING)

    @staticmethod
    def _instant(day: dt.date, secs: float) -> dt.datetime:
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING)
        return midnight + dt.timedelta(microseconds=round(secs * 1e6))

    # -- the working clock -------------------------------------------------------------------
    def working_seconds_at(self, t: dt.datetime) -> float:
        """W(t): working seconds from 2000-01-01 00:00 Beijing time to ``t``."""
        lt = self._local(t)
        i = self._index(lt.date())
        s = lt.hour * 3600 + lt.minute * 60 + lt.second + lt.microsecond / 1e6
        return self._cum[i] + sum(max(0.0, min(s, b) - a) for a, b in self._periods[i])

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working hours from ``a`` to ``b`` (negative when b is before a)."""
        return (self.working_seconds_at(b) - self.working_seconds_at(a)) / 3600.0

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The instant ``hours`` working hours after ``start`` (before it when negative), Beijing time."""
        if hours == 0:
            return start.astimezone(BEIJING)
        target = self.working_seconds_at(start) + hours * 3600.0
        if hours > 0:
            # the last working day that starts strictly before the target: the target is in (cum, cum + day]
            k = bisect.bisect_left(self._wd_cum, target) - 1
            if k < 0 or target > self._total:
                raise CalendarRangeError(f"{hours} working hours after {start} leave the working calendar")
            i = self._wd_index[k]
            off = target - self._cum[i]
            for a, b in self._periods[i]:
                if off <= b - a:
                    return self._instant(FIRST_DAY + dt.timedelta(days=i), a + off)
                off -= b - a
            a, b = self._periods[i][-1]
            return self._instant(FIRST_DAY + dt.timedelta(days=i), b)
        # backwards: the latest instant with that clock value (a period's start, not the previous close)
        k = bisect.bisect_right(self._wd_cum, target) - 1
        if k < 0:
            raise CalendarRangeError(f"{hours} working hours before {start} leave the working calendar")
        i = self._wd_index[k]
        off = target - self._cum[i]
        for a, b in self._periods[i]:
            if off < b - a:
                return self._instant(FIRST_DAY + dt.timedelta(days=i), a + off)
            off -= b - a
        return self._instant(FIRST_DAY + dt.timedelta(days=i), self._periods[i][-1][1])

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of office hours on the ``days``-th working day after the day of ``start`` (before, if negative)."""
        if days == 0:
            return start.astimezone(BEIJING)
        i0 = self._index(self._local(start).date())
        n0 = self._work_no[i0]
        if days > 0:
            want = n0 + days
        else:
            want = n0 + days + (0 if self._working[i0] else 1)
        k = want - 1  # work_no is 1-based over the working days
        if not 0 <= k < len(self._wd_index):
            raise CalendarRangeError(f"{days} working days from {start} leave the working calendar")
        i = self._wd_index[k]
        return self._instant(FIRST_DAY + dt.timedelta(days=i), self._periods[i][-1][1])


def official_calendar(office_hours: tuple[OfficePeriod, ...] = DEFAULT_OFFICE_HOURS) -> WorkCalendar:
    """The shipped schedule (core/worktime_cn.py) with the given office hours."""
    from .worktime_cn import official_days

    return WorkCalendar({d: kind for d, kind, _name, _year in official_days()}, office_hours)


def from_database(conn) -> WorkCalendar:
    """The calendar as the database has it (exceptions and office hours, as an admin edited them)."""
    with conn.cursor() as cur:
        cur.execute("SELECT day, kind FROM gridgov.work_calendar")
        days = dict(cur.fetchall())
        cur.execute("SELECT month_from, month_to, starts, ends FROM gridgov.office_hours ORDER BY starts")
        hours = tuple(cur.fetchall())
    return WorkCalendar(days, hours or DEFAULT_OFFICE_HOURS)


# ---------------------------------------------------------------------------------------------
# Editing the calendar in the database (the working calendar dialog)
# ---------------------------------------------------------------------------------------------
KINDS = ("holiday", "workday")


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    kind: str  # holiday | workday
    name: str = ""
    note: str = ""
    notice_year: int | None = None


def load_year(conn, year: int) -> list[CalendarDay]:
    """The exceptions of ``year`` as the database has them, in date order."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT day, kind, name, coalesce(note, ''), notice_year FROM gridgov.work_calendar"
            " WHERE day >= %s AND day < %s ORDER BY day",
            (dt.date(year, 1, 1), dt.date(year + 1, 1, 1)),
        )
        return [CalendarDay(*r) for r in cur.fetchall()]


def load_office_hours(conn) -> list[OfficePeriod]:
    with conn.cursor() as cur:
        cur.execute("SELECT month_from, month_to, starts, ends FROM gridgov.office_hours ORDER BY month_from, starts")
        return [tuple(r) for r in cur.fetchall()]


def notice_years(conn) -> list[int]:
    """Years whose official notice is loaded."""
    with conn.cursor() as cur:
        cur.execute("SELECT year FROM gridgov.work_calendar_notice ORDER BY year")
        return [r[0] for r in cur.fetchall()]


def validate_year(year: int, days: list[CalendarDay], office_hours: list[OfficePeriod]) -> list[str]:
    """Plain-language problems of an edited year and office hours (empty: fine to save)."""
    from .i18n import tr

    problems: list[str] = []
    seen: set[dt.date] = set()
    for d in days:
        if d.day.year != year:
            problems.append(tr("{0} is not in {1}.", d.day.isoformat(), year))
        if d.day in seen:
            problems.append(tr("{0} is listed twice.", d.day.isoformat()))
        seen.add(d.day)
        if d.kind not in KINDS:
            problems.append(tr("{0}: the kind must be a holiday or a working day.", d.day.isoformat()))
        if len(d.name) > 100:
            problems.append(tr("{0}: the name is longer than 100 characters.", d.day.isoformat()))
        if len(d.note) > 1000:
            problems.append(tr("{0}: the note is longer than 1000 characters.", d.day.isoformat()))
    for m0, m1, a, b in office_hours:
        if not (1 <= m0 <= 12 and 1 <= m1 <= 12):
            problems.append(tr("Office hours: months run from 1 to 12."))
        if not a < b:
            problems.append(tr("Office hours: {0} must be before {1}.", a.strftime("%H:%M"), b.strftime("%H:%M")))
    if not problems:
        try:
            WorkCalendar({}, tuple(office_hours))
        except ValueError as exc:
            msg = str(exc)
            if msg.startswith("no office hours in month"):
                problems.append(tr("Office hours: month {0} has none.", msg.rsplit(" ", 1)[1]))
            elif msg.startswith("more than 4"):
                problems.append(tr("Office hours: at most 4 periods a day (month {0}).", msg.rsplit(" ", 1)[1]))
            else:
                problems.append(tr("Office hours overlap: {0}", msg))
    return problems


def save_year(conn, year: int, days: list[CalendarDay], office_hours: list[OfficePeriod]) -> list[str]:
    """Replace ``year``'s exceptions and the office hours in one transaction; problems (nothing saved) or []."""
    problems = validate_year(year, days, office_hours)
    if problems:
        return problems
    try:
        with conn.cursor() as cur:
            cur.execute(
                "DELETE FROM gridgov.work_calendar WHERE day >= %s AND day < %s AND NOT (day = ANY(%s))",
                (dt.date(year, 1, 1), dt.date(year + 1, 1, 1), [d.day for d in days]),
            )
            for d in days:
                # a row edited here is local: it no longer comes from the notice (unless unchanged)
                cur.execute(
                    "INSERT INTO gridgov.work_calendar AS w (day, kind, name, note, notice_year)"
                    " VALUES (%s, %s, %s, nullif(%s, ''), NULL)"
                    " ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, note = EXCLUDED.note,"
                    "   notice_year = CASE WHEN (w.kind, w.name) = (EXCLUDED.kind, EXCLUDED.name) THEN w.notice_year END"
                    " WHERE (w.kind, w.name, coalesce(w.note, '')) IS DISTINCT FROM"
                    "       (EXCLUDED.kind, EXCLUDED.name, coalesce(EXCLUDED.note, ''))",
                    (d.day, d.kind, d.name, d.note),
                )
            if sorted(load_office_hours(conn)) != sorted(tuple(p) for p in office_hours):
                cur.execute("DELETE FROM gridgov.office_hours")
                cur.executemany(
                    "INSERT INTO gridgov.office_hours (month_from, month_to, starts, ends) VALUES (%s, %s, %s, %s)",
                    [tuple(p) for p in office_hours],
                )
        conn.commit()  # the working clock is rebuilt here, once (deferred trigger)
    except Exception:
        conn.rollback()
        raise
    return []
