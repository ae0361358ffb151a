"""The assessment engine against figures computed by hand on a small seeded set of cases."""

from __future__ import annotations

import datetime as dt

import pytest

from grid_governance_plugin.core.assessment import engine as ae

BJ = dt.timezone(dt.timedelta(hours=8))


def t(m, d, h=10):
    return dt.datetime(2024, m, d, h, tzinfo=BJ)


START, END, AS_OF = t(3, 1, 0), t(4, 1, 0), t(4, 10)
WORKERS_BY_STREET = {"S1": {"W1", "W2"}, "S2": {"W3"}}
WORKERS = {w: {w} for w in ("W1", "W2", "W3")}


def cases():
    C = ae.Case
    return [
        # c1: everything on time, satisfied
        C(
            "c1",
            t(3, 5, 8),
            "closed",
            "HW",
            "C1",
            "S1",
            "G1",
            "W1",
            "W1",
            response_due=t(3, 5, 10),
            accepted_at=t(3, 5, 9),
            dispatched_at=t(3, 5, 10),
            handling_due=t(3, 6, 10),
            handled_at=t(3, 6, 9),
            closed_at=t(3, 7),
            satisfaction="满意",
        ),
        # c2: accepted late, handled late, returned once, closed and reopened within 7 days, dissatisfied
        C(
            "c2",
            t(3, 10, 8),
            "handled",
            "HW",
            "C1",
            "S1",
            "G1",
            "W1",
            "市民",
            response_due=t(3, 10, 10),
            accepted_at=t(3, 10, 11),
            dispatched_at=t(3, 10, 12),
            handling_due=t(3, 11, 12),
            handled_at=t(3, 12),
            closed_at=t(3, 13),
            reopened_at=t(3, 15),
            returns=[t(3, 11)],
            satisfaction="dissatisfied",
        ),
        # c3: dispatched, never handled
        C(
            "c3",
            t(3, 19, 8),
            "dispatched",
            "SZ",
            "C2",
            "S1",
            "G2",
            "W2",
            "W2",
            response_due=t(3, 19, 10),
            accepted_at=t(3, 19, 9),
            dispatched_at=t(3, 20),
            handling_due=t(3, 21),
        ),
        # c4: handling due in April (not in March's on-time cohort), closed in April, basically satisfied
        C(
            "c4",
            t(3, 29, 8),
            "closed",
            "SZ",
            "C3",
            "S2",
            "G3",
            "W3",
            "W3",
            response_due=t(3, 29, 10),
            accepted_at=t(3, 29, 9),
            dispatched_at=t(3, 30),
            handling_due=t(4, 2),
            handled_at=t(4, 1),
            closed_at=t(4, 3),
            satisfaction="基本满意",
        ),
        # c5: an invalid report (voided): in no rate, not found
        C("c5", t(3, 12), "void", "HW", "C3", "S2", "G3", "W3", "W3"),
        # c6: a duplicate (voided into c4): in no rate, but the worker found it
        C("c6", t(3, 29, 9), "void", "HW", "C3", "S2", "G3", "W3", "W3", duplicate_of="c4"),
        # c7: February, all on time (the previous period)
        C(
            "c7",
            t(2, 20, 8),
            "closed",
            "HW",
            "C1",
            "S1",
            "G1",
            "W1",
            "W1",
            response_due=t(2, 20, 10),
            accepted_at=t(2, 20, 9),
            dispatched_at=t(2, 21),
            handling_due=t(2, 22),
            handled_at=t(2, 22, 9),
            closed_at=t(2, 23),
            satisfaction="satisfied",
        ),
        # c8: received late on 31 March, accepted in time in April, not yet dispatched: pending resolution
        C(
            "c8",
            t(3, 31, 20),
            "registered",
            "SZ",
            "C3",
            "S2",
            "G3",
            "W3",
            "W3",
            response_due=t(4, 1, 10),
            accepted_at=t(4, 1, 9),
        ),
    ]


def test_three_rates_by_street_by_hand():
    m = ae.measure(cases(), "street", START, END, AS_OF, workers=WORKERS_BY_STREET)
    s1, s2 = m["S1"], m["S2"]
    assert s1.cases == 3 and s2.cases == 2
    assert s1.response_rate == pytest.approx(2 / 3) and s2.response_rate == 1.0
    assert s1.resolution_rate == pytest.approx(1 / 3) and s2.resolution_rate == 1.0  # c8 pending
    assert s1.satisfaction_rate == 0.5 and s2.satisfaction_rate == pytest.approx(0.8)
    assert s1.on_time_rate == pytest.approx(1 / 3) and s2.on_time_rate is None
    assert (s1.returned, s1.dispatched, s2.returned, s2.dispatched) == (1, 3, 0, 1)
    assert (s1.found, s1.workers, s2.found, s2.workers) == (2, 2, 3, 1)


def test_scores_and_ranking_by_hand():
    patrol = {"S1": (2000.0, 1500.0), "S2": (1000.0, 900.0)}
    ranking = ae.assess(cases(), "street", START, END, AS_OF, patrol=patrol, workers=WORKERS_BY_STREET)
    by = {s.measures.unit: s for s in ranking}
    expected_found = 20 * 31 / 30  # cases per worker for the full score in March
    s1 = by["S1"]
    assert s1.items == pytest.approx(
        {
            "response": 10.0,
            "resolution": 20 / 3,
            "satisfaction": 10.0,
            "on_time": 5.0,
            "found": 10 * 1 / expected_found,
            "returned": 0.0,
            "patrol": 15 * 0.75 / 0.8,
        }
    )
    assert s1.total == pytest.approx(46.21301, abs=1e-4) and s1.maximum == 100
    s2 = by["S2"]
    assert s2.items["on_time"] is None  # nothing was due: left out of the maximum, not scored zero
    assert s2.total == pytest.approx(15 + 20 + 16 + 10 * 3 / expected_found + 5 + 15)
    assert s2.maximum == 85 and s2.percent == pytest.approx(72.45161 / 0.85, abs=1e-3)
    assert [(s.measures.unit, s.rank) for s in ranking] == [("S2", 1), ("S1", 2)]
    # February: S1 had c7 only (no patrol data), S2 nothing but its worker's 0 cases found
    assert s1.previous_rank == 1 and s1.rank_change == -1
    assert s1.previous_percent == pytest.approx((75 + 10 * 0.5 / expected_found) / 85 * 100)
    assert s2.previous_rank == 2 and s2.rank_change == 1 and s2.previous_percent == 0.0


def test_worker_scores_and_switched_off_items():
    patrol = {"W1": (1000.0, 500.0)}
    ranking = ae.assess(cases(), "worker", START, END, AS_OF, patrol=patrol, workers=WORKERS)
    w1 = next(s for s in ranking if s.measures.unit == "W1")
    assert w1.items["returned"] == 0.0  # half of its dispatched cases were returned: past the 20 % target
    assert w1.total == pytest.approx(7.5 + 10 + 10 + 7.5 + 10 / (20 * 31 / 30) + 0 + 15 * 0.5 / 0.8)
    items = [
        ae.Item(
            i.code, i.code in ("response", "resolution"), 2.0 if i.code == "response" else 1.0, i.full_score, i.target
        )
        for i in ae.DEFAULT_ITEMS
    ]
    ranking = ae.assess(cases(), "worker", START, END, AS_OF, items=items, workers=WORKERS)
    w1 = next(s for s in ranking if s.measures.unit == "W1")
    assert w1.items["satisfaction"] is None and w1.maximum == 2 * 15 + 20
    assert w1.total == pytest.approx(2 * 7.5 + 10)


def test_ties_share_a_rank_and_empty_units_are_unranked():
    ms = [
        ae.Measures("A", response_on_time=1),
        ae.Measures("B", response_on_time=1),
        ae.Measures("C", response_late=1),
        ae.Measures("D"),
    ]
    ranking = ae.rank([ae.score(m, ae.DEFAULT_ITEMS, "department", 30) for m in ms])
    assert [(s.measures.unit, s.rank) for s in ranking] == [("A", 1), ("B", 1), ("C", 3), ("D", None)]
    with pytest.raises(ValueError):
        ae.measure([], "district", START, END, AS_OF)


def test_csv_and_pdf_report_in_chinese(qgis_app, tmp_path, artifacts_dir, chinese):
    import csv
    import shutil
    import subprocess

    import shapely

    from grid_governance_plugin.core.assessment import report
    from tests.helpers import memory_layer

    workers = {
        "street": {"110101001": {"W1", "W2"}, "110101002": {"W3"}},
        "worker": WORKERS,
        "community": {"110101001001": {"W1"}, "110101001002": {"W2"}, "110101002001": {"W3"}},
    }
    codes = {"S1": "110101001", "S2": "110101002", "C1": "110101001001", "C2": "110101001002", "C3": "110101002001"}
    recoded = []
    for c in cases():
        c.street, c.community = codes[c.street], codes[c.community]
        recoded.append(c)
    names = {
        "street": {"110101001": "东华门街道", "110101002": "景山街道"},
        "community": {"110101001001": "多福巷社区", "110101001002": "智德社区", "110101002001": "吉祥社区"},
    }
    rankings = {
        kind: ae.assess(recoded, kind, START, END, AS_OF, workers=workers[kind], names=names.get(kind))
        for kind in ("street", "community", "worker")
    }
    out_csv = tmp_path / "rank.csv"
    assert report.write_csv(out_csv, rankings) == 2 + 3 + 3
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    table = list(csv.reader(out_csv.open(encoding="utf-8-sig")))
    assert table[0][:3] == ["排名", "上期排名", "排名变化"]
    first = table[1]
    assert first[0] == "1" and first[5] == "景山街道" and first[2] == "↑1"

    streets = memory_layer(
        "Polygon",
        [shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)],
        "EPSG:4548",
        "code:string",
        [("110101001",), ("110101002",)],
    )
    grids = memory_layer(
        "Polygon",
        [shapely.box(0, 0, 500, 1000), shapely.box(500, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)],
        "EPSG:4548",
        "grid_code:string",
        [("G1",), ("G2",), ("G3",)],
    )
    pdf = report.write_pdf(tmp_path / "rank.pdf", rankings, START, END, streets, grids, {"G1": 0.9, "G2": 0.3})
    assert pdf.stat().st_size > 10_000
    shutil.copy(pdf, artifacts_dir / "assessment_report.pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        # table cells are drawn as outlines (not extractable text): the labels are checked here, the cells below
        for words in (
            "网格化管理考核排名报告",
            "街道排名",
            "景山街道",
            "东华门街道",
            "网格员排名",
            "2024-03-01 至 2024-03-31",
        ):
            assert words in text, words
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "Pages:" in pages and int(pages.split("Pages:")[1].split()[0]) >= 5  # 3 rankings + 2 streets

    short = report._short("community", rankings["community"])
    assert [r[2] for r in short] == ["吉祥社区", "多福巷社区", "智德社区"]
