"""The working calendar in PostGIS: add_working_hours/add_working_days, the official schedule, admin edits."""

from __future__ import annotations

import datetime as dt
import random

import psycopg2
import pytest

from grid_governance_plugin.core import worktime, worktime_cn
from grid_governance_plugin.core.worktime import BEIJING

pytestmark = pytest.mark.postgis


def bj(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


def one(cur, sql, args=()):
    cur.execute(sql, args)
    return cur.fetchone()[0]


def test_every_day_2004_2026_agrees_with_chinese_calendar(db):
    chinese_calendar = pytest.importorskip("chinese_calendar")
    with db.cursor() as cur:
        cur.execute("SELECT day, working FROM gridgov.work_day WHERE day BETWEEN '2004-01-01' AND '2026-12-31'")
        rows = cur.fetchall()
    assert len(rows) == (dt.date(2026, 12, 31) - dt.date(2004, 1, 1)).days + 1
    wrong = [d for d, working in rows if working != chinese_calendar.is_workday(d)]
    assert not wrong, wrong[:20]


def test_migration_ships_exactly_the_python_schedule(db):
    with db.cursor() as cur:
        cur.execute("SELECT day, kind, name, notice_year FROM gridgov.work_calendar ORDER BY day")
        assert cur.fetchall() == list(worktime_cn.official_days())
        cur.execute("SELECT min(year), max(year), count(*) FROM gridgov.work_calendar_notice")
        assert cur.fetchone() == (2004, worktime_cn.LAST_YEAR, worktime_cn.LAST_YEAR - 2004 + 1)


def test_case_reported_on_the_eve_of_national_day(db):
    with db.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")  # the client's zone must not matter
        reported = bj(2024, 9, 30, 17, 0)
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 2)", (reported,)) == bj(2024, 10, 8, 10, 0)
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 24)", (reported,)) == bj(2024, 10, 10, 17, 0)
        assert one(cur, "SELECT gridgov.add_working_days(%s, 1)", (reported,)) == bj(2024, 10, 8, 18, 0)
        # during the holiday the case has used one working hour: it is not overdue
        due = one(cur, "SELECT gridgov.add_working_hours(%s, 4)", (reported,))
        assert due > bj(2024, 10, 7, 23, 59)
        assert one(cur, "SELECT gridgov.working_hours_between(%s, %s)", (reported, bj(2024, 10, 4, 15))) == 1.0


def test_makeup_saturday_counts_as_a_working_day(db):
    with db.cursor() as cur:
        assert one(cur, "SELECT gridgov.is_working_day('2024-10-12')") is True
        assert one(cur, "SELECT gridgov.is_working_day('2024-10-13')") is False
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 2)", (bj(2024, 10, 11, 17),)) == bj(2024, 10, 12, 10)
        assert one(cur, "SELECT gridgov.add_working_days(%s, 1)", (bj(2024, 10, 11, 9),)) == bj(2024, 10, 12, 18)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (bj(2024, 3, 5, 11, 30), 1, bj(2024, 3, 5, 13, 30)),
        (bj(2024, 3, 5, 17, 30), 1, bj(2024, 3, 6, 9, 30)),
        (bj(2024, 3, 8, 17, 0), 2, bj(2024, 3, 11, 10, 0)),
        (bj(2024, 3, 5, 17, 0), 1, bj(2024, 3, 5, 18, 0)),
        (bj(2024, 3, 11, 10, 0), -2, bj(2024, 3, 8, 17, 0)),
    ],
)
def test_lunch_evening_weekend(db, start, hours, due):
    with db.cursor() as cur:
        assert one(cur, "SELECT gridgov.add_working_hours(%s, %s)", (start, hours)) == due


def test_sql_and_python_agree_on_random_instants(db):
    rng = random.Random(20241001)
    cal = worktime.from_database(db)
    t0 = bj(2004, 1, 1).timestamp()
    span = bj(2027, 12, 31).timestamp() - t0
    cases = []
    for _ in range(1500):
        start = dt.datetime.fromtimestamp(t0 + rng.random() * span, tz=BEIJING).replace(microsecond=0)
        if rng.random() < 0.2:  # land exactly on office boundaries too
            start = start.replace(hour=rng.choice((9, 12, 13, 18)), minute=0, second=0)
        hours = rng.choice((0.25, 0.5, 1, 2, 4, 8, 24, 72, 120, -1, -8, -30, rng.uniform(-50, 200)))
        cases.append((start, hours, rng.randint(-10, 30)))
    with db.cursor() as cur:
        cur.execute(
            "SELECT gridgov.add_working_hours(s, h), gridgov.add_working_days(s, d), gridgov.working_seconds_at(s)"
            " FROM unnest(%s::timestamptz[], %s::float8[], %s::int[]) AS x(s, h, d)",
            ([c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases]),
        )
        rows = cur.fetchall()
    for (start, hours, days), (due_h, due_d, w) in zip(cases, rows):
        assert abs((cal.add_working_hours(start, hours) - due_h).total_seconds()) < 1e-3, (start, hours)
        assert cal.add_working_days(start, days) == due_d, (start, days)
        assert cal.working_seconds_at(start) == pytest.approx(w, abs=1e-6)


def test_admin_edits_take_effect_at_once(db):
    with db.cursor() as cur:
        start = bj(2024, 3, 5, 17, 0)
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 2)", (start,)) == bj(2024, 3, 6, 10)
        cur.execute("INSERT INTO gridgov.work_calendar (day, kind, name) VALUES ('2024-03-06', 'holiday', '暴雪停工')")
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 2)", (start,)) == bj(2024, 3, 7, 10)
        assert one(cur, "SELECT updated_by FROM gridgov.work_calendar WHERE day = '2024-03-06'")
        cur.execute("DELETE FROM gridgov.work_calendar WHERE day = '2024-03-06'")
        # summer office hours from May to September
        cur.execute(
            "DELETE FROM gridgov.office_hours;"
            "INSERT INTO gridgov.office_hours (month_from, month_to, starts, ends) VALUES"
            " (10, 4, '09:00', '12:00'), (10, 4, '13:30', '17:30'), (5, 9, '09:00', '12:00'), (5, 9, '14:30', '18:00')"
        )
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 1)", (bj(2024, 6, 4, 11, 30),)) == bj(2024, 6, 4, 15)
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 1)", (bj(2024, 3, 5, 11, 30),)) == bj(2024, 3, 5, 14)


def test_bad_office_hours_are_refused_and_nothing_changes(db):
    with db.cursor() as cur:
        with pytest.raises(psycopg2.errors.CheckViolation, match="overlap"):
            cur.execute("INSERT INTO gridgov.office_hours (starts, ends) VALUES ('11:00', '14:00')")
        with pytest.raises(psycopg2.errors.CheckViolation, match="month 1 has no office hours"):
            cur.execute("DELETE FROM gridgov.office_hours")
        with pytest.raises(psycopg2.errors.CheckViolation):
            cur.execute("INSERT INTO gridgov.work_calendar (day, kind) VALUES ('2024-03-09', 'weekend')")
        assert one(cur, "SELECT count(*) FROM gridgov.office_hours") == 2
        assert one(cur, "SELECT gridgov.add_working_hours(%s, 1)", (bj(2024, 3, 5, 11, 30),)) == bj(2024, 3, 5, 13, 30)


def test_outside_the_calendar_raises_a_clear_error(db):
    with db.cursor() as cur:
        with pytest.raises(psycopg2.errors.DatetimeFieldOverflow, match="outside the working calendar"):
            cur.execute("SELECT gridgov.add_working_hours('1999-06-01 10:00+08', 1)")
        with pytest.raises(psycopg2.errors.InvalidParameterValue):
            cur.execute("SELECT gridgov.add_working_hours(now(), 'NaN')")
        assert one(cur, "SELECT gridgov.add_working_hours(NULL, 1)") is None


def test_functions_are_plain_stable_with_a_pinned_search_path(db):
    with db.cursor() as cur:
        cur.execute(
            "SELECT p.proname, p.prosecdef, p.provolatile, p.proconfig FROM pg_proc p"
            " WHERE p.pronamespace = 'gridgov'::regnamespace AND p.proname = ANY(%s)",
            (
                [
                    "add_working_hours",
                    "add_working_days",
                    "working_hours_between",
                    "working_seconds_at",
                    "is_working_day",
                ],
            ),
        )
        rows = cur.fetchall()
    assert len(rows) == 5
    for name, secdef, volatile, config in rows:
        assert (secdef, volatile, config) == (False, "s", ["search_path=pg_catalog, pg_temp"]), name


def test_board_in_working_time(db):
    """Overdue and hours left in working hours: a case due just before the holiday is 1 working hour late on 4 Oct."""
    from grid_governance_plugin.core.events import board
    from tests.helpers import report_event, set_deadline

    with db.cursor() as cur:
        late = report_event(cur, reported_at=bj(2024, 9, 30, 8))
        soon = report_event(cur, reported_at=bj(2024, 9, 30, 8))
        far = report_event(cur, reported_at=bj(2024, 9, 30, 8))
        for eid, due in ((late, bj(2024, 9, 30, 17)), (soon, bj(2024, 10, 8, 11)), (far, bj(2024, 10, 9, 12))):
            set_deadline(cur, eid, due)
    at = bj(2024, 10, 4, 15)  # in the middle of the National Day holiday
    rows = {str(r["id"]): r for r in board.overdue_cases(db, at=at, horizon_hours=4)}
    assert set(rows) == {late, soon}  # 4 working hours from the holiday reach 8 Oct 13:00
    assert rows[late]["overdue"] and rows[late]["hours_overdue"] == 1.0
    assert not rows[soon]["overdue"] and rows[soon]["hours_left"] == 2.0
    assert len(board.overdue_cases(db, at=at, horizon_hours=None)) == 3
    summary = board.overdue_summary(db, "grid", at=at, horizon_hours=4)
    assert [(r["overdue"], r["soon"], r["max_hours_overdue"]) for r in summary] == [(1, 1, 1.0)]


def test_at_most_four_office_periods(db):
    with db.cursor() as cur:
        with pytest.raises(psycopg2.errors.CheckViolation, match="more than 4"):
            cur.execute(
                "INSERT INTO gridgov.office_hours (starts, ends) VALUES ('06:00', '07:00'), ('07:30', '08:00'),"
                " ('19:00', '20:00')"
            )
