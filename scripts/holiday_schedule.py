#!/usr/bin/env python3
"""Lay out the State Council's holiday notices as data, and write them into the migration.

  holiday_schedule.py python   print core/worktime_cn.py's OFFICIAL table from the chinese-calendar package
  holiday_schedule.py sql      print the INSERT block of the working-calendar migration from OFFICIAL

Each year's 国务院办公厅关于部分节假日安排的通知 lists holidays as ranges (放假调休) and the
make-up working days (上班). ``python`` groups chinese-calendar's days back into that form; it was
run once to write OFFICIAL (2004-2026), which is then shipped and edited like any source: a new
year's notice is added by hand (or in the plugin's calendar dialog). ``sql`` keeps the migration's
rows identical to OFFICIAL (a test checks both, and both against chinese-calendar day by day).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _notice_year(day: dt.date, name: str) -> int:
    # a New Year holiday or make-up day in late December belongs to the next year's notice
    return day.year + 1 if name == "元旦" and day.month == 12 else day.year


def from_package() -> dict[int, dict]:
    from chinese_calendar.constants import holidays, workdays

    years: dict[int, dict] = {}
    run: list[dt.date] = []
    run_name = None

    def flush():
        if run:
            y = _notice_year(run[0], run_name)
            years.setdefault(y, {"holidays": [], "workdays": []})["holidays"].append((run_name, run[0], run[-1]))

    for day in sorted(holidays):
        name = NAMES_ZH[holidays[day].value if hasattr(holidays[day], "value") else holidays[day]]
        if run and (day - run[-1]).days == 1 and name == run_name:
            run.append(day)
            continue
        flush()
        run, run_name = [day], name
    flush()
    for day in sorted(workdays):
        name = NAMES_ZH[workdays[day].value if hasattr(workdays[day], "value") else workdays[day]]
        years.setdefault(_notice_year(day, name), {"holidays": [], "workdays": []})["workdays"].append((day, name))
    return years


def print_python() -> None:
    years = from_package()
    print("OFFICIAL: dict[int, Notice] = {")
    for y in sorted(years):
        print(f"    {y}: Notice(")
        print(f"        {y},")
        print("        (")
        for name, a, b in years[y]["holidays"]:
            print(f'            ("{name}", "{a.isoformat()}", "{b.isoformat()}"),')
        print("        ),")
        print("        (")
        for d, name in years[y]["workdays"]:
            print(f'            ("{d.isoformat()}", "{name}"),')
        print("        ),")
        print("    ),")
    print("}")


def sql_rows() -> str:
    from grid_governance_plugin.core import worktime_cn

    lines = []
    for day, kind, name, year in worktime_cn.official_days():
        lines.append(f"    ('{day.isoformat()}', '{kind}', '{name}', {year})")
    return ",\n".join(lines)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "sql"
    if what == "python":
        print_python()
    else:
        print(sql_rows())
