"""The case list in a docked panel of a 1600×1000 window: what a supervisor needs, without scrolling (issue #9).

The dock at its default width (EventsDock.COMFORTABLE_WIDTH, what it widens itself to), in
Chinese, filled with cases as the PostGIS store lists them: long Chinese grid and department
names, channel texts, overdue and in-time cases. Category, status, deadline, overdue and grid
must all be inside the viewport; the deadline and overdue cells in full, the long names elided
with the whole text in the tooltip.
"""

from __future__ import annotations

import datetime as dt

import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication, QMainWindow, QStyle, QWidget

from grid_governance_plugin.gui.events_dock import CaseTableModel, EventsDock, fmt_short_time

UTC = dt.timezone.utc
NOW = dt.datetime(2025, 6, 18, 10, 0, tzinfo=UTC)
NEEDED = ("category_code", "status", "deadline_at", "overdue", "grid_code")

CATEGORIES = ("暴露垃圾", "占道经营", "乱堆物料", "道路破损", "自来水管破裂", "井盖缺失", "违章搭建", "噪声扰民")
GRIDS = (
    "东华门街道多福巷社区第12网格",
    "景山街道黄化门社区第3网格",
    "交道口街道菊儿社区第7网格",
    "安定门街道国子监社区第15网格",
)
DEPARTMENTS = ("区城市管理和综合执法局", "区水务局", "区住房和城乡建设委员会", "街道办事处")
STATUSES = ("reported", "registered", "dispatched", "handled", "suspended", "dispatched")


def realistic_rows(n: int = 40) -> list[dict]:
    """Rows as core.events.board.list_cases gives them (hours_left: the database's working hours)."""
    rows = []
    for i in range(n):
        status = STATUSES[i % len(STATUSES)]
        hours_left = (-1) ** i * (0.05 + 37.25 * (i % 9))  # overdue by up to ~300 working hours, or in time
        rows.append(
            {
                "id": f"00000000-0000-0000-0000-{i:012d}",
                "category_code": f"SJ{i:04d}",
                "minor": CATEGORIES[i % len(CATEGORIES)],
                "status": status,
                "level": ("community", "street", "district")[i % 3],
                "department": f"D{i % 4}",
                "department_name": DEPARTMENTS[i % len(DEPARTMENTS)],
                "worker_id": "W1",
                "grid_code": f"110101001{i % 4 + 1:03d}{i % 20 + 1:03d}",
                "grid_name": GRIDS[i % len(GRIDS)],
                "reported_at": NOW - dt.timedelta(days=i % 30, hours=i),
                "deadline_at": None if status == "suspended" else NOW + dt.timedelta(hours=hours_left),
                "overdue": status != "suspended" and hours_left < 0,
                "source": "12345",
                "description": "市民来电反映：小区东门外人行道上长期堆放建筑垃圾和废旧家具，影响通行，夜间无照明，存在安全隐患，"
                "请尽快派人清理。<b>来电人要求回访</b>",
                "grade": "ordinary",
                "escalated_at": None,
                "escalated_to_me": i == 3,
                "hours_left": None if status == "suspended" else hours_left,
            }
        )
    return rows


@pytest.fixture
def docked(qgis_iface, chinese):
    """In Chinese (tests/conftest.py), the events dock at its default width on the right of a 1600×1000 main window."""
    mw = QMainWindow()
    mw.resize(1600, 1000)
    mw.setCentralWidget(QWidget())  # the map's place
    dock = EventsDock(qgis_iface, None, connection="")  # no store: the rows are given below
    mw.addDockWidget(Qt.RightDockWidgetArea, dock)
    mw.show()
    dock.show()
    mw.resizeDocks([dock], [dock.COMFORTABLE_WIDTH], Qt.Horizontal)
    settle()
    yield mw, dock
    mw.removeDockWidget(dock)
    dock.cleanup()
    dock.setParent(None)
    dock.deleteLater()
    mw.close()


def settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def _fill(dock: EventsDock, rows: list[dict]) -> None:
    dock.model.now = NOW
    dock.model.set_rows(rows)
    settle()


def _cell_margin(table) -> int:
    return 2 * (table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, table) + 1)


def test_deadline_overdue_and_grid_fit_the_default_dock_without_scrolling(docked):
    mw, dock = docked
    assert abs(dock.width() - dock.COMFORTABLE_WIDTH) <= 10, dock.width()
    rows = realistic_rows()
    _fill(dock, rows)
    table, model = dock.table, dock.model
    view = table.viewport().width()
    assert table.verticalScrollBar().isVisible()  # 40 rows: the vertical bar takes its share too
    for key in NEEDED:
        c = model.column(key)
        left, width = table.columnViewportPosition(c), table.columnWidth(c)
        assert not table.isColumnHidden(c) and left >= 0 and left + width <= view, (key, left, width, view)
    # nothing to scroll to: every column is in the panel
    assert table.horizontalScrollBar().maximum() == 0, table.horizontalScrollBar().maximum()
    # deadline and overdue in full, never elided
    fm = table.fontMetrics()
    for key in ("deadline_at", "overdue"):
        c = model.column(key)
        texts = [model.index(r, c).data() for r in range(model.rowCount())]
        widest = max(fm.horizontalAdvance(t) for t in texts if t)
        assert widest + _cell_margin(table) <= table.columnWidth(c), (key, widest, table.columnWidth(c))
    # what they show: a compact date, the lateness in working hours, the clock stopped for a suspended case
    d, o = model.column("deadline_at"), model.column("overdue")
    late = next(r for r, row in enumerate(rows) if row["overdue"] and row["hours_left"] < -100)
    assert model.index(late, d).data() == fmt_short_time(rows[late]["deadline_at"], NOW)
    assert len(model.index(late, d).data()) <= 11  # "06-05 14:00"
    assert model.index(late, o).data() == f"{-rows[late]['hours_left']:.0f} 工时"  # whole hours past 10
    tip = model.index(late, o).data(Qt.ToolTipRole)
    assert "已超期" in tip and rows[late]["deadline_at"].astimezone().strftime("%Y-%m-%d") in tip
    in_time = next(r for r, row in enumerate(rows) if row["hours_left"] and row["hours_left"] > 0)
    assert model.index(in_time, o).data() == ""
    suspended = next(r for r, row in enumerate(rows) if row["status"] == "suspended")
    assert model.index(suspended, d).data() == "已挂账" and model.index(suspended, o).data() == ""
    # the long names: shown by name (elided in the narrow column), in full in the tooltip with the code
    g = model.column("grid_code")
    assert model.index(0, g).data() == GRIDS[0]
    assert GRIDS[0] in model.index(0, g).data(Qt.ToolTipRole) and rows[0]["grid_code"] in model.index(0, g).data(
        Qt.ToolTipRole
    )
    cat = model.column("category_code")
    assert "人行道" in model.index(0, cat).data(Qt.ToolTipRole)
    assert "&lt;b&gt;" in model.index(0, cat).data(Qt.ToolTipRole)  # the channel's text as text
    # short Chinese headers, each explained on hover
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers[:5] == ["类别", "状态", "时限", "超期", "网格"], headers
    assert model.headerData(o, Qt.Horizontal, Qt.ToolTipRole).startswith("未办结案件")


def test_the_columns_follow_the_panel(docked):
    mw, dock = docked
    _fill(dock, realistic_rows())
    table, model = dock.table, dock.model
    g = model.column("grid_code")
    narrow = table.columnWidth(g)
    # a wider panel: every column, the names get more room, nothing runs past the edge
    mw.resizeDocks([dock], [900], Qt.Horizontal)
    settle()
    assert not any(table.isColumnHidden(c) for c in range(model.columnCount()))
    assert table.columnWidth(g) > narrow
    assert table.horizontalScrollBar().maximum() == 0
    # back to the default: still no scrolling
    mw.resizeDocks([dock], [dock.COMFORTABLE_WIDTH], Qt.Horizontal)
    settle()
    assert table.horizontalScrollBar().maximum() == 0
    for key in NEEDED:
        c = model.column(key)
        assert table.columnViewportPosition(c) + table.columnWidth(c) <= table.viewport().width(), key


def test_sorting_by_overdue_puts_the_latest_first(docked):
    _mw, dock = docked
    rows = realistic_rows()
    _fill(dock, rows)
    o = dock.model.column("overdue")
    dock.table.sortByColumn(o, Qt.DescendingOrder)
    first = dock.proxy.index(0, 0).data(CaseTableModel.ID_ROLE)
    latest = min(r["hours_left"] for r in rows if r["hours_left"] is not None)
    assert next(r for r in rows if r["id"] == first)["hours_left"] == latest


def test_the_header_menu_chooses_the_optional_columns(docked):
    from grid_governance_plugin.core import settings

    mw, dock = docked
    _fill(dock, realistic_rows())
    mw.resizeDocks([dock], [600], Qt.Horizontal)  # room for the department, not for all three
    settle()
    table, model, sizer = dock.table, dock.model, dock.columns
    hidden = lambda key: table.isColumnHidden(model.column(key))  # noqa: E731
    try:
        menu = {a.data(): a for a in sizer.column_menu().actions()}
        assert set(menu) == {"department", "reported_at", "level"} and all(a.isChecked() for a in menu.values())
        assert not hidden("department") and hidden("reported_at") and hidden("level")
        # a chosen column the dock has no room for says so on hover
        assert all((menu[k].toolTip() != menu[k].text()) == hidden(k) for k in menu)  # unset: the text
        # not wanting the department leaves its room to the time of report, and is remembered
        menu["department"].setChecked(False)
        settle()
        assert hidden("department") and not hidden("reported_at")
        assert settings.value("case_list/hidden") == "department"
        assert table.horizontalScrollBar().maximum() == 0
        for key in NEEDED:
            assert not hidden(key), key
        # a new dock reads the choice
        again = {a.data(): a for a in type(sizer)(table, model).column_menu().actions()}
        assert not again["department"].isChecked() and again["level"].isChecked()
        # shown again from the same menu
        menu = {a.data(): a for a in sizer.column_menu().actions()}
        menu["department"].setChecked(True)
        settle()
        assert not hidden("department") and hidden("reported_at") and settings.value("case_list/hidden") == ""
    finally:
        settings.set_value("case_list/hidden", "")
