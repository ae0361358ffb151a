"""The supervision board dialog: tables from the store, CSV and PDF exports."""

from __future__ import annotations

import csv
import datetime as dt

import psycopg2
import pytest

from grid_governance_plugin.gui.supervision_board import SupervisionBoard, collect, report_html
from tests.workflows.pdftext import UUID, pages

pytestmark = pytest.mark.postgis
UTC = dt.timezone.utc


@pytest.fixture
def dsn(gridgov_db):
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    now = dt.datetime.now(UTC)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', '张三')")
        for ext, status, grid, dl in (
            ("a", "dispatched", "G1", -3),
            ("b", "registered", "G1", 2),
            ("c", "reported", "G2", -1),
            ("d", "reported", "G2", 30),
        ):
            cur.execute(
                "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, department,"
                " grid_code, worker_id, deadline_at, geom) VALUES ('t', %s, 'SJ0102', %s, %s, 'HW', %s, 'W1', %s,"
                " ST_SetSRID(ST_MakePoint(116.4, 39.9), 4490)) RETURNING id",
                (ext, now - dt.timedelta(days=1), status, grid, now + dt.timedelta(hours=dl)),
            )
            eid = cur.fetchone()[0]
            if status == "dispatched":  # dispatched 10 days ago, 4 working hours to handle: late at any hour
                cur.execute(
                    "INSERT INTO gridgov.event_history (event_id, at, from_status, to_status)"
                    " VALUES (%s, %s, 'registered', 'dispatched')",
                    (eid, now - dt.timedelta(days=10)),
                )
    conn.close()
    return gridgov_db


def test_board_tables_and_exports(qgis_app, dsn, tmp_path):
    dlg = SupervisionBoard(dsn)
    assert dlg.refresh()
    assert set(dlg.tables) == {"overdue", "cases", "on_time", "workers"}
    over = dlg.section("overdue")
    by_grid = {row[0]: row for row in over.rows}
    assert (by_grid["G1"][2], by_grid["G1"][3]) == (1, 1)  # overdue, soon
    assert (by_grid["G2"][2], by_grid["G2"][3]) == (1, 0)
    assert dlg.tables["overdue"].rowCount() == 2
    assert len(dlg.section("cases").rows) == 3
    workers = {row[0]: row for row in dlg.section("workers").rows}
    assert workers["W1"][4:7] == [1, 0, 1]  # handling due, on time, late
    rates = dlg.section("on_time").rows
    assert rates and rates[0][-1] == "0.0 %"

    path = dlg.export_csv(str(tmp_path / "workers.csv"), "workers")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] and rows[1][:2] == ["W1", "张三"]
    pdf = dlg.export_pdf(str(tmp_path / "board.pdf"))
    # read as a person reads it (tests/workflows/test_board_pdf.py checks it in Chinese at length)
    text = pages(pdf)
    assert "Supervision board" in text[0] and "Overdue now" in text[0]
    assert "Page 1 of" in text[0] and "张三" in "".join(text) and not UUID.search("".join(text))
    dlg.done(0)


def test_group_by_department_and_html(qgis_app, dsn):
    conn = psycopg2.connect(dsn)
    now = dt.datetime.now(UTC)
    sections = collect(conn, now - dt.timedelta(days=30), now + dt.timedelta(days=1), by="department")
    conn.close()
    over = sections[0]
    assert [(r[0], r[1], r[2], r[3]) for r in over.rows] == [("HW", "环卫所", 2, 1)]
    text = report_html(sections, "Board <x>", "sub")
    assert "Board &lt;x&gt;" in text and "环卫所" in text
