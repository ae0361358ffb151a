"""The working calendar's Python mirror and the shipped State Council schedule."""

from __future__ import annotations

import datetime as dt

import pytest

from grid_governance_plugin.core import worktime, worktime_cn
from grid_governance_plugin.core.worktime import BEIJING, CalendarRangeError, WorkCalendar


def bj(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return worktime.official_calendar()


def test_shipped_schedule_agrees_with_chinese_calendar_every_day_2004_2026(cal):
    chinese_calendar = pytest.importorskip("chinese_calendar")
    d, wrong = dt.date(2004, 1, 1), []
    while d <= dt.date(2026, 12, 31):
        if cal.is_working_day(d) != chinese_calendar.is_workday(d):
            wrong.append(d)
        d += dt.timedelta(days=1)
    assert not wrong, wrong[:20]
    assert worktime_cn.FIRST_YEAR == 2004 and worktime_cn.LAST_YEAR >= 2026


def test_every_notice_names_its_holidays_and_makeup_days():
    days = list(worktime_cn.official_days())
    assert len({d for d, *_ in days}) == len(days)  # no day listed twice
    national_2024 = [d for d, kind, name, y in days if name == "国庆节" and y == 2024]
    assert national_2024 == [dt.date(2024, 10, i) for i in range(1, 8)]
    makeup = [(d, name) for d, kind, name, y in days if kind == "workday" and y == 2024 and d.month >= 9]
    assert makeup == [
        (dt.date(2024, 9, 14), "中秋节调休上班"),
        (dt.date(2024, 9, 29), "国庆节调休上班"),
        (dt.date(2024, 10, 12), "国庆节调休上班"),
    ]
    assert worktime_cn.OFFICIAL[2015].title == "国务院办公厅关于2015年部分节假日安排的通知"


def test_eve_of_national_day_deadline_is_after_the_holiday(cal):
    reported = bj(2024, 9, 30, 17, 0)
    assert cal.add_working_hours(reported, 1) == bj(2024, 9, 30, 18, 0)
    assert cal.add_working_hours(reported, 2) == bj(2024, 10, 8, 10, 0)
    assert cal.add_working_hours(reported, 24) == bj(2024, 10, 10, 17, 0)  # 1 + 8 + 8 + 7
    # in the middle of the holiday the case has used one working hour only
    assert cal.working_hours_between(reported, bj(2024, 10, 4, 15, 0)) == 1.0
    assert cal.add_working_days(reported, 1) == bj(2024, 10, 8, 18, 0)


def test_makeup_saturday_is_a_working_day(cal):
    assert cal.is_working_day(dt.date(2024, 10, 12))  # 国庆节调休上班, a Saturday
    assert not cal.is_working_day(dt.date(2024, 10, 13))
    assert cal.add_working_hours(bj(2024, 10, 11, 17, 0), 2) == bj(2024, 10, 12, 10, 0)
    assert cal.add_working_days(bj(2024, 10, 11, 9, 0), 1) == bj(2024, 10, 12, 18, 0)
    assert cal.working_hours_between(bj(2024, 10, 12, 0, 0), bj(2024, 10, 13, 0, 0)) == 8.0


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (bj(2024, 3, 5, 11, 30), 1, bj(2024, 3, 5, 13, 30)),  # over lunch
        (bj(2024, 3, 5, 12, 20), 0.5, bj(2024, 3, 5, 13, 30)),  # reported during lunch
        (bj(2024, 3, 5, 17, 30), 1, bj(2024, 3, 6, 9, 30)),  # over the evening
        (bj(2024, 3, 5, 22, 0), 1, bj(2024, 3, 6, 10, 0)),  # reported at night
        (bj(2024, 3, 8, 17, 0), 2, bj(2024, 3, 11, 10, 0)),  # Friday over the weekend
        (bj(2024, 3, 9, 11, 0), 1, bj(2024, 3, 11, 10, 0)),  # reported on Saturday
        (bj(2024, 3, 5, 17, 0), 1, bj(2024, 3, 5, 18, 0)),  # exactly at closing: today, not tomorrow 09:00
        (bj(2024, 3, 5, 10, 0), 0, bj(2024, 3, 5, 10, 0)),
        (bj(2024, 3, 11, 10, 0), -2, bj(2024, 3, 8, 17, 0)),  # backwards over the weekend
        (bj(2024, 3, 11, 9, 0), -8, bj(2024, 3, 8, 9, 0)),
    ],
)
def test_hours_over_lunch_evening_and_weekend(cal, start, hours, due):
    assert cal.add_working_hours(start, hours) == due
    if hours:
        assert cal.working_hours_between(start, due) == pytest.approx(hours)


def test_aware_instants_of_any_zone_are_beijing_time(cal):
    utc = dt.datetime(2024, 3, 5, 3, 30, tzinfo=dt.timezone.utc)  # 11:30 in Beijing
    assert cal.add_working_hours(utc, 1) == bj(2024, 3, 5, 13, 30)
    with pytest.raises(ValueError):
        cal.add_working_hours(dt.datetime(2024, 3, 5, 11, 30), 1)


def test_working_days_count_from_the_next_day_and_end_at_closing(cal):
    assert cal.add_working_days(bj(2024, 3, 5, 10, 0), 3) == bj(2024, 3, 8, 18, 0)
    assert cal.add_working_days(bj(2024, 3, 8, 10, 0), 1) == bj(2024, 3, 11, 18, 0)
    assert cal.add_working_days(bj(2024, 3, 9, 10, 0), 1) == bj(2024, 3, 11, 18, 0)  # from a Saturday
    assert cal.add_working_days(bj(2024, 3, 11, 10, 0), -1) == bj(2024, 3, 8, 18, 0)
    assert cal.add_working_days(bj(2024, 3, 10, 10, 0), -1) == bj(2024, 3, 8, 18, 0)  # from a Sunday


def test_local_edits_and_seasonal_office_hours():
    summer = (
        (10, 4, dt.time(9), dt.time(12)),
        (10, 4, dt.time(13, 30), dt.time(17, 30)),
        (5, 9, dt.time(9), dt.time(12)),
        (5, 9, dt.time(14, 30), dt.time(18)),
    )
    cal = WorkCalendar({dt.date(2024, 3, 6): "holiday"}, summer)
    assert cal.add_working_hours(bj(2024, 3, 5, 17, 0), 1) == bj(2024, 3, 7, 9, 30)  # winter hours, local holiday
    assert cal.add_working_hours(bj(2024, 6, 4, 11, 30), 1) == bj(2024, 6, 4, 15, 0)  # summer lunch
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar({}, ((1, 12, dt.time(9), dt.time(12)), (1, 12, dt.time(11), dt.time(13))))
    with pytest.raises(ValueError, match="month 5"):
        WorkCalendar({}, ((10, 4, dt.time(9), dt.time(12)),))


def test_outside_the_calendar_is_an_error(cal):
    with pytest.raises(CalendarRangeError):
        cal.add_working_hours(bj(1999, 12, 31, 10), 1)
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(bj(2099, 12, 30, 10), 5)
