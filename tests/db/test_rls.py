"""Row-level security by area: two street supervisors, each sees and acts only on their own street.

Every login here is a real LOGIN role connecting over the network, as a city's staff do.
"""

from __future__ import annotations

import psycopg2
import pytest

from grid_governance_plugin.core.events import board
from tests.db import city
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


@pytest.fixture
def town(db, logins):
    """The two-street city with cases in A, in B and outside every grid; logins per job and area."""
    city.seed(db)
    with db.cursor() as cur:
        cur.execute("UPDATE gridgov.event_category SET register_hours = 0 WHERE code = 'SJ0104'")  # born due
    ids = {}
    for side, s in (("a", city.A), ("b", city.B)):
        for i in range(3):
            ids[f"{side}{i}"] = report_event(db, f"{side}{i}", lon=s["lon"], lat=s["lat"])
        ids[f"{side}_due"] = report_event(db, f"{side}_due", "SJ0104", lon=s["lon"], lat=s["lat"])
    ids["outside"] = report_event(db, "outside", lon=city.OUTSIDE[0], lat=city.OUTSIDE[1])
    who = {
        "sup_a": logins("supervisor", areas=[city.A["street"]]),
        "sup_b": logins("supervisor", areas=[city.B["street"]]),
        "district": logins("supervisor", areas=[city.DISTRICT]),
        "city": logins("supervisor", areas=[city.CITY]),
        "nowhere": logins("supervisor", areas=[]),
        "planner_a": logins("planner", areas=[city.A["street"]]),
        "worker_a": logins("worker", areas=[city.A["grid"]]),
        "analyst_a": logins("analyst", areas=[city.A["street"]]),
    }
    return ids, who


def _one(conn, sql, args=()):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def test_each_street_supervisor_sees_only_their_street(town):
    ids, who = town
    a, b = who["sup_a"].connect(), who["sup_b"].connect()
    for conn, mine, other in ((a, city.A, city.B), (b, city.B, city.A)):
        side = "a" if mine is city.A else "b"
        seen = {r[0] for r in _one(conn, "SELECT id::text FROM gridgov.event")}
        assert seen == {ids[f"{side}{i}"] for i in range(3)} | {ids[f"{side}_due"]}
        assert _one(conn, "SELECT DISTINCT street_code FROM gridgov.event_history h JOIN gridgov.event e"
                    " ON e.id = h.event_id") == [(mine["street"],)]  # fmt: skip
        assert {r[0] for r in _one(conn, "SELECT count(*) FROM gridgov.event_history")} == {4}
        assert _one(conn, "SELECT grid_code FROM gridgov.grid") == [(mine["grid"],)]
        assert _one(conn, "SELECT grid_code FROM gridgov.camera") == [(mine["grid"],)]
        assert _one(conn, "SELECT worker_id, phone FROM gridgov.grid_worker") == [(mine["worker"], mine["phone"])]
        assert {r[0] for r in _one(conn, "SELECT street_code FROM gridgov.case_board")} == {mine["street"]}
        assert {r[0] for r in _one(conn, "SELECT street_code FROM gridgov.case_board_at(now(), NULL)")} == {
            mine["street"]
        }
        # the plugin's own queries see the same
        assert {r["street_code"] for r in board.overdue_cases(conn, horizon_hours=None)} == {mine["street"]}
        assert [r["key"] for r in board.overdue_summary(conn, "street", horizon_hours=1e6)] == [mine["street"]]
        assert len(board.list_cases(conn)) == 4
        assert board.case_detail(conn, ids[f"{'b' if side == 'a' else 'a'}0"]) is None
        assert _one(conn, "SELECT area_code, level FROM gridgov.my_areas()") == [(mine["street"], "street")]
        assert other["street"] not in str(_one(conn, "SELECT * FROM gridgov.login_area"))
    a.close()
    b.close()


def test_wider_narrower_and_no_area(town):
    ids, who = town
    district = who["district"].connect()
    assert len(_one(district, "SELECT 1 FROM gridgov.event")) == 8  # both streets, not the case outside
    city_wide = who["city"].connect()
    assert len(_one(city_wide, "SELECT 1 FROM gridgov.event")) == 9  # a city-level login sees it too
    nowhere = who["nowhere"].connect()
    for t in ("event", "event_history", "grid", "camera", "grid_worker", "grid_plan", "case_board", "audit_log"):
        assert _one(nowhere, f"SELECT count(*) FROM gridgov.{t}") == [(0,)], t
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _one(nowhere, "SELECT gridgov.transition(%s, 'registered', NULL, NULL)", (ids["a0"],))
    for c in (district, city_wide, nowhere):
        c.close()


def test_acting_outside_ones_street_is_refused_by_the_database(town, db):
    ids, who = town
    a = who["sup_a"].connect()
    assert _one(a, "SELECT gridgov.transition(%s, 'registered', NULL, '受理')", (ids["a0"],))[0][0] is not None
    for sql, args in (
        ("SELECT gridgov.transition(%s, 'registered', NULL, NULL)", (ids["b0"],)),
        ("SELECT gridgov.assign(%s, 'HW', NULL, NULL, NULL)", (ids["b1"],)),
        ("SELECT gridgov.report_back(%s, '到场', NULL, NULL)", (ids["b1"],)),
        ("SELECT gridgov.merge_events(%s, ARRAY[%s]::uuid[], NULL, NULL)", (ids["a1"], ids["b1"])),
        ("SELECT gridgov.merge_events(%s, ARRAY[%s]::uuid[], NULL, NULL)", (ids["b1"], ids["a1"])),
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="outside the area"):
            _one(a, sql, args)
    # escalation as of now touches only the street's own overdue case
    moved = {r[0] for r in _one(a, "SELECT event_id::text FROM gridgov.escalate_overdue(now())")}
    assert moved == {ids["a_due"]}
    assert _one(db, "SELECT level FROM gridgov.event WHERE id = %s", (ids["b_due"],)) == [("community",)]  # as reported
    a.close()


def test_a_grid_worker_reports_handling_on_their_grid_only(town, db):
    ids, who = town
    with db.cursor() as cur:
        for eid in (ids["a0"], ids["b0"]):
            cur.execute("SELECT gridgov.transition(%s, 'registered', 'desk', NULL)", (eid,))
            cur.execute("SELECT gridgov.transition(%s, 'dispatched', 'desk', NULL)", (eid,))
    w = who["worker_a"].connect()
    assert {r[0] for r in _one(w, "SELECT id::text FROM gridgov.event")} >= {ids["a0"]}
    assert ids["b0"] not in {r[0] for r in _one(w, "SELECT id::text FROM gridgov.event")}
    _one(w, "SELECT gridgov.report_back(%s, '已接单', NULL, NULL)", (ids["a0"],))
    _one(w, "SELECT gridgov.report_back(%s, '已清理', 'https://media.example/p/1.jpg', 'handled')", (ids["a0"],))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="may not move"):
        _one(w, "SELECT gridgov.transition(%s, 'closed', NULL, NULL)", (ids["a1"],))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="outside the area"):
        _one(w, "SELECT gridgov.report_back(%s, '已清理', NULL, 'handled')", (ids["b0"],))
    with pytest.raises(psycopg2.errors.InvalidParameterValue):
        _one(w, "SELECT gridgov.report_back(%s, '照片', 'javascript:alert(1)', NULL)", (ids["a0"],))
    hist = _one(
        db,
        "SELECT login, from_status, to_status, note, media_url FROM gridgov.event_history WHERE event_id = %s"
        " ORDER BY id",
        (ids["a0"],),
    )
    assert hist[-2:] == [
        (who["worker_a"].name, "dispatched", "dispatched", "已接单", None),
        (who["worker_a"].name, "dispatched", "handled", "已清理", "https://media.example/p/1.jpg"),
    ]
    w.close()


def test_a_planner_edits_only_within_their_street(town, db):
    _ids, who = town
    p = who["planner_a"].connect()
    _one(p, "UPDATE gridgov.grid SET name = '新名' WHERE grid_code = %s", (city.A["grid"],))
    assert _one(p, "UPDATE gridgov.grid SET name = '越界' WHERE grid_code = %s RETURNING id", (city.B["grid"],)) == []
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
        _one(
            p,
            "INSERT INTO gridgov.grid (plan_id, grid_code, street_code, geom) VALUES (1, %s, %s, %s)",
            (city.B["grid"][:-1] + "9", city.B["street"], city.square(city.B["x0"], 39.95)),
        )
    # a camera takes the grid it stands in: in A it is the planner's, in B it is refused
    ((code,),) = _one(
        p,
        "INSERT INTO gridgov.camera (name, geom) VALUES ('新装', ST_SetSRID(ST_MakePoint(%s, %s), 4490))"
        " RETURNING grid_code",
        (city.A["lon"], city.A["lat"] + 0.005),
    )
    assert code == city.A["grid"]
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
        _one(
            p,
            "INSERT INTO gridgov.camera (name, grid_code, geom) VALUES ('伪装', %s, ST_SetSRID(ST_MakePoint(%s, %s), 4490))",
            (city.A["grid"], city.B["lon"], city.B["lat"] + 0.005),
        )
    # a draft that changes only the planner's street is theirs to publish; one that changes B is not
    ((draft,),) = _one(p, "SELECT gridgov.new_draft_plan('A 调整', NULL, NULL)")
    _one(p, "UPDATE gridgov.grid SET note = '调整' WHERE plan_id = %s AND grid_code = %s", (draft, city.A["grid"]))
    with db.cursor() as cur:  # someone city-wide changed B in the same draft
        cur.execute(
            "UPDATE gridgov.grid SET note = 'B 也改' WHERE plan_id = %s AND grid_code = %s", (draft, city.B["grid"])
        )
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match=city.B["grid"]):
        _one(p, "SELECT gridgov.publish_plan(%s)", (draft,))
    with db.cursor() as cur:
        cur.execute(
            "UPDATE gridgov.grid SET note = NULL WHERE plan_id = %s AND grid_code = %s", (draft, city.B["grid"])
        )
    assert _one(p, "SELECT gridgov.publish_plan(%s) ->> 'archived'", (draft,)) == [("1",)]
    p.close()


def test_an_analyst_reads_the_area_without_personal_data(town):
    _ids, who = town
    an = who["analyst_a"].connect()
    assert _one(an, "SELECT count(*), count(DISTINCT street_code) FROM gridgov.event") == [(4, 1)]
    assert _one(an, "SELECT worker_id, name FROM gridgov.grid_worker") == [(city.A["worker"], "网格员WA")]
    for sql in (
        "SELECT reporter FROM gridgov.event",
        "SELECT phone FROM gridgov.grid_worker",
        "SELECT * FROM gridgov.event",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _one(an, sql)
    _one(an, "CREATE TABLE gridgov_analysis.hot_a AS SELECT grid_code, count(*) AS n FROM gridgov.event GROUP BY 1")
    assert _one(an, "SELECT n FROM gridgov_analysis.hot_a") == [(4,)]
    an.close()


def test_qgis_layers_count_what_the_login_sees(town, db, qgis_app):
    """QGIS's estimated metadata would report the table's row estimate; the plugin's layers count for real."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    from grid_governance_plugin.core.store import db as store

    _ids, who = town
    with db.cursor() as cur:
        cur.execute("ANALYZE gridgov.event")
    dsn = who["sup_a"].dsn
    layer = QgsVectorLayer(store.layer_uri(dsn, "event", key="id").uri(False), "events", "postgres")
    assert layer.isValid(), layer.error().summary()
    assert layer.featureCount() == 4
    assert {f["street_code"] for f in layer.getFeatures()} == {city.A["street"]}
    estimated = QgsDataSourceUri(dsn)
    estimated.setDataSource("gridgov", "event", "geom", "", "id")
    estimated.setUseEstimatedMetadata(True)
    naive = QgsVectorLayer(estimated.uri(False), "events", "postgres")
    assert naive.isValid()
    assert naive.featureCount() != 4  # why the plugin turns it off: the estimate is the whole table's
