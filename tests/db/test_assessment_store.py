"""The assessment read from PostGIS: history-derived rates, callback results when the column exists, patrols."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QVariant

from grid_governance_plugin.core.assessment import loader
from tests.helpers import run_alg

pytestmark = pytest.mark.postgis
BJ = dt.timezone(dt.timedelta(hours=8))


def t(d, h, m=0):
    return dt.datetime(2024, 3, d, h, m, tzinfo=BJ)


def seed(cur):
    cur.execute(
        "INSERT INTO gridgov.district (code, name) VALUES ('110101', '东城区');"
        "INSERT INTO gridgov.street (code, name, district_code) VALUES ('110101001', '东华门街道', '110101');"
        "INSERT INTO gridgov.community (code, name, street_code) VALUES ('110101001001', '多福巷社区', '110101001');"
        "INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', '张三');"
        "INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, 'p', 'published');"
        "INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, worker_id, geom) VALUES"
        " (1, 'G1', '110101001001', '110101001', 'W1',"
        "  ST_Multi(ST_MakeEnvelope(116.40, 39.90, 116.41, 39.91, 4490)));"
        "INSERT INTO gridgov.road (name, geom) VALUES ('r',"
        " ST_Multi(ST_SetSRID(ST_MakeLine(ST_MakePoint(116.40, 39.905), ST_MakePoint(116.41, 39.905)), 4490)))"
    )
    # SJ0102: 立案 1 h, 派遣 1 h, 处置 4 h
    events = {
        "e1": (
            "closed",
            t(5, 8),
            t(5, 14),
            [
                ("reported", "registered", t(5, 8, 30)),
                ("registered", "dispatched", t(5, 9)),
                ("dispatched", "handled", t(5, 12)),
                ("handled", "verified", t(5, 13)),
                ("verified", "closed", t(5, 14)),
            ],
        ),
        "e2": (
            "dispatched",
            t(6, 8),
            None,
            [
                ("reported", "registered", t(6, 10)),
                ("registered", "dispatched", t(6, 10, 30)),
                ("dispatched", "registered", t(6, 11)),
                ("registered", "dispatched", t(6, 11, 30)),
            ],
        ),
    }
    ids = {}
    for ext, (status, received, closed, hist) in events.items():
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, received_at, status, level,"
            " department, worker_id, grid_code, community_code, street_code, closed_at, reporter, geom)"
            " VALUES ('app', %s, 'SJ0102', %s, %s, %s, 'community', 'HW', 'W1', 'G1', '110101001001', '110101001', %s,"
            " 'W1', ST_SetSRID(ST_MakePoint(116.405, 39.905), 4490)) RETURNING id::text",
            (ext, received, received, status, closed),
        )
        ids[ext] = cur.fetchone()[0]
        for a, b, at in hist:
            cur.execute(
                "INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status) VALUES (%s, %s, 't', %s, %s)",
                (ids[ext], at, a, b),
            )
    # W1 walks the west half of the street, 1.2 m/s, a fix every 10 s
    kx = 111320.0 * math.cos(math.radians(39.905))
    half = 0.005 * kx
    n = int(half / 12)
    cur.execute(
        "INSERT INTO gridgov.patrol_fix (worker_id, at, geom)"
        " SELECT 'W1', %s + k * interval '10 seconds', ST_SetSRID(ST_MakePoint(116.40 + 0.005 * k / %s, 39.905), 4490)"
        " FROM generate_series(0, %s) k",
        (t(7, 9), n, n),
    )
    return ids


def test_rates_from_history_and_callbacks(db, logins):
    """The three rates from the store, by hand, with deadlines in working time (09:00-12:00, 13:00-18:00).

    SJ0102: 受理 1 working hour, 处置 4 working hours. 5 and 6 March 2024 are a Tuesday and a Wednesday.
    e1: received 08:00, due 10:00 (the office opens at 9), accepted 08:30: on time; dispatched 09:00, handling
        due 09:00 + 3 h to 12:00 + 1 h after lunch = 14:00, handled 12:00: on time; closed: resolved.
    e2: received 08:00, due 10:00, accepted 10:00: on time (at the deadline); first dispatched 10:30, handling
        due 10:30 + 1.5 h to 12:00 + 2.5 h = 15:30, not handled by as_of: late and unresolved; returned once.
    The hotline's callback on e1 (满意), through gridgov.report_satisfaction, is the only one: 100 %.
    """
    with db.cursor() as cur:
        ids = seed(cur)
    start, end, as_of = t(1, 0), dt.datetime(2024, 4, 1, tzinfo=BJ), dt.datetime(2024, 4, 10, tzinfo=BJ)
    data = loader.load(db, start, end)
    assert data.satisfaction_column == "satisfaction"
    cases = {c.id: c for c in data.cases}
    assert cases[ids["e1"]].response_due == t(5, 10) and cases[ids["e2"]].returns == [t(6, 11)]
    assert cases[ids["e1"]].handling_due == t(5, 14)
    assert cases[ids["e2"]].handling_due == t(6, 15, 30)  # from the first dispatch, not the re-dispatch
    ranking = loader.assess_store(db, "street", start, end, as_of)
    s = ranking[0].measures
    assert (s.unit, s.name, s.cases) == ("110101001", "东华门街道", 2)
    assert (s.response_rate, s.resolution_rate, s.on_time_rate, s.returned_share) == (1.0, 0.5, 0.5, 0.5)
    assert s.satisfaction_rate is None and ranking[0].items["satisfaction"] is None
    assert s.found == 2 and s.workers == 1
    # the street is 853 m; W1 walked its west half, and 30 m more count within the buffer
    assert s.patrol_coverage == pytest.approx(0.5 + 30 / (0.01 * 111320.0 * math.cos(math.radians(39.905))), abs=2e-3)

    hotline = logins("channel", sources=["app"])
    with hotline.connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT gridgov.report_satisfaction('app', 'e1', '满意', %s)", (t(6, 9),))
    ranking = loader.assess_store(db, "street", start, end, as_of, with_patrol=False)
    assert ranking[0].measures.satisfaction_rate == 1.0
    assert ranking[0].measures.callbacks == 1


def _qdt(d: dt.datetime) -> QDateTime:
    u = d.astimezone(dt.timezone.utc)
    return QDateTime(QDate(u.year, u.month, u.day), QTime(u.hour, u.minute), Qt.UTC)


def test_assessment_algorithm_writes_table_csv_and_pdf(qgis_app, qgis_processing, db, pg_service, tmp_path, chinese):
    from grid_governance_plugin.processing.alg_assessment import AssessmentAlgorithm

    with db.cursor() as cur:
        seed(cur)
    params = {
        "DATABASE": f"service={pg_service}",
        "START": _qdt(t(1, 0)),
        "END": _qdt(dt.datetime(2024, 4, 1, tzinfo=BJ)),
        "OUTPUT": "TEMPORARY_OUTPUT",
        "CSV": str(tmp_path / "r.csv"),
        "PDF": str(tmp_path / "r.pdf"),
    }
    results, layers, fb = run_alg(AssessmentAlgorithm, params)
    out = layers["OUTPUT"]
    assert out.fields().field("response_rate").type() == QVariant.Double
    rows = [f.attributes() for f in out.getFeatures()]
    kinds = {r[3] for r in rows}
    assert kinds == {"street", "community", "department", "worker"}
    street = next(r for r in rows if r[3] == "street")
    assert street[5] == "东华门街道" and street[7] == 100.0  # response in working time: both on time (see above)
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("排名")
    assert (tmp_path / "r.pdf").stat().st_size > 10_000
    # migration 009 stores callback results: no warning that the database lacks them
    assert not any("满意率不计入得分" in w for w in fb.warnings)
