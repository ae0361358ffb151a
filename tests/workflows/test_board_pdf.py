"""Issue 9 item 10: the supervision board PDF a supervisor files, checked by its text (pdftotext)."""

from __future__ import annotations

import datetime as dt
import re

import psycopg2
import pytest

from grid_governance_plugin.gui.supervision_board import SupervisionBoard
from tests.workflows.pdftext import UUID, pages, squeeze

pytestmark = pytest.mark.postgis
UTC = dt.timezone.utc
N_CASES = 90


@pytest.fixture
def busy_store(gridgov_db):
    """A street with many overdue cases: long grid names that wrap, a worker named by a channel."""
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    now = dt.datetime.now(UTC)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', '张三'), ('W2', '<b>李四</b>')")
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, '2024 年网格方案', 'published')")
        for i in range(N_CASES):
            code = f"3101010010010{i:02d}"
            cur.execute(
                "INSERT INTO gridgov.grid (plan_id, grid_code, name) VALUES (1, %s, %s) ON CONFLICT DO NOTHING",
                (code, f"起{i:02d}号网格（和平路以东、解放路以北、人民公园以西的居民区）止{i:02d}"),
            )
            cur.execute(
                "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, level, department,"
                " grid_code, worker_id, deadline_at, geom) VALUES ('t', %s, 'SJ0102', %s, 'dispatched', 'community',"
                " 'HW', %s, %s, %s, ST_SetSRID(ST_MakePoint(116.4, 39.9), 4490))",
                (
                    f"e{i}",
                    now - dt.timedelta(days=2),
                    code,
                    "W2" if i % 3 == 0 else "W1",
                    now - dt.timedelta(hours=1 + i),
                ),
            )
    conn.close()
    return gridgov_db


def test_board_pdf_reads_right_in_chinese(qgis_app, busy_store, tmp_path, zh, artifacts_dir):
    dlg = SupervisionBoard(busy_store)
    try:
        assert dlg.refresh()
        path = dlg.export_pdf(str(tmp_path / "board.pdf"))
        (artifacts_dir / "workflows_board.pdf").write_bytes((tmp_path / "board.pdf").read_bytes())
    finally:
        dlg.done(0)
    text_pages = pages(tmp_path / "board.pdf")
    n = len(text_pages)
    assert n >= 3  # 90 cases do not fit on one page
    assert path and f"{n}" in dlg.status.text()
    whole = "\n".join(text_pages)
    flat = squeeze(whole)
    # Chinese labels: title, sections, status, level and department names, not codes
    for label in ("督办看板", "超期及即将超期案件", "网格员考核", "已派遣", "社区", "环卫所"):
        assert label in flat, label
    assert not re.search(r"\bcommunity\b|\bdispatched\b", whole)
    # names, not ids: the worker by name, the grid by name, no UUID anywhere
    assert "张三" in flat and "起00号网格" in flat
    assert not UUID.search(whole)
    # a value a person typed is printed as written (plain text, never markup)
    assert "<b>李四</b>" in flat
    # a summary with the figures, on the first page
    first = squeeze(text_pages[0])
    assert "超期" in first and f"{N_CASES}件" in first
    # page n of N on every page
    for k, page in enumerate(text_pages, start=1):
        assert f"第{k}页，共{n}页" in squeeze(page), (k, page[-200:])
    # no row split across pages: both ends of every wrapped grid name are on one page
    for i in range(N_CASES):
        where = [k for k, page in enumerate(text_pages) if f"起{i:02d}号" in squeeze(page)]
        ends = [k for k, page in enumerate(text_pages) if f"止{i:02d}" in squeeze(page)]
        assert where and where == ends, (i, where, ends)
    # a table continuing on the next page repeats its header
    cont = [p for p in text_pages[1:] if "超期及即将超期案件（续）" in squeeze(p)]
    assert cont and all("时限" in squeeze(p) and "上报时间" in squeeze(p) for p in cont)
