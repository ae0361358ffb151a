"""Bulk-loading the generated demo city into PostGIS gives the same rows as the generator."""

from __future__ import annotations

import psycopg2
import pytest

from grid_governance_plugin.core import democity
from grid_governance_plugin.core.store import pgload

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def city():
    return democity.generate(seed=7, scale="demo")


def test_load_city_gives_the_same_counts(gridgov_db, city):
    conn = psycopg2.connect(gridgov_db)
    try:
        loaded = pgload.load_city(conn, city)
        in_db = pgload.table_counts(conn)
        expected = city.counts()
        for name in pgload.LOAD_ORDER:
            if name in pgload.SHARED:
                # migrations may have seeded these already; the city's rows must all be there
                assert in_db[name] >= expected[name], name
            else:
                assert loaded[name] == expected[name], name
                assert in_db[name] == expected[name], name
        with conn.cursor() as cur:
            cur.execute("SELECT code FROM gridgov.event_category")
            codes = {r[0] for r in cur.fetchall()}
            assert set(city["event"].columns["category_code"]) <= codes
            # geometries arrive in the storage CRS, valid and inside the district
            cur.execute(
                "SELECT count(*) FROM gridgov.grid g JOIN gridgov.district d ON ST_Within(ST_PointOnSurface(g.geom), d.geom)"
            )
            assert cur.fetchone()[0] == expected["grid"]
            cur.execute("SELECT DISTINCT ST_SRID(geom) FROM gridgov.event")
            assert [r[0] for r in cur.fetchall()] == [4490]
            cur.execute("SELECT count(*) FROM gridgov.building WHERE NOT ST_IsValid(geom)")
            assert cur.fetchone()[0] == 0
            # events keep their ids, timestamps and history
            cur.execute(
                "SELECT count(*) FROM gridgov.event e WHERE NOT EXISTS "
                "(SELECT 1 FROM gridgov.event_history h WHERE h.event_id = e.id AND h.to_status = e.status)"
            )
            assert cur.fetchone()[0] == 0
            cur.execute("SELECT min(reported_at), max(reported_at) FROM gridgov.event")
            lo, hi = cur.fetchone()
            assert hi <= city.as_of and (hi - lo).days >= 700
            # the grid_code of every camera is the grid it stands in
            cur.execute(
                "SELECT count(*) FROM gridgov.camera c JOIN gridgov.grid g ON g.grid_code = c.grid_code "
                "WHERE ST_Intersects(g.geom, c.geom)"
            )
            assert cur.fetchone()[0] == expected["camera"]
    finally:
        conn.close()


def test_reload_with_truncate_and_awkward_text(gridgov_db, city):
    desc = city["event"].columns["description"]
    old = desc[0]
    desc[0] = "tab\there\nnew line \\N back\\slash 中文"
    conn = psycopg2.connect(gridgov_db)
    try:
        pgload.load_city(conn, city)
        pgload.load_city(conn, city, truncate=True)
        in_db = pgload.table_counts(conn, ["grid", "event", "event_history", "camera"])
        assert in_db == {k: city.counts()[k] for k in in_db}
        with conn.cursor() as cur:
            cur.execute("SELECT description FROM gridgov.event WHERE id = %s", (city["event"].columns["id"][0],))
            assert cur.fetchone()[0] == desc[0]
    finally:
        desc[0] = old
        conn.close()


def _indexes(conn) -> set:
    with conn.cursor() as cur:
        cur.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'gridgov'")
        return set(cur.fetchall())


def test_bulk_index_rebuild_leaves_the_same_indexes(gridgov_db, city, monkeypatch):
    """Big tables load with their plain indexes dropped and rebuilt: the schema must not change."""
    monkeypatch.setattr(pgload, "BULK_INDEX_ROWS", 1000)
    conn = psycopg2.connect(gridgov_db)
    try:
        before = _indexes(conn)
        assert any(t == "event" and "gist" in d for t, _n, d in before)
        pgload.load_city(conn, city)
        assert _indexes(conn) == before
        with conn.cursor() as cur:  # and the rebuilt indexes answer queries
            cur.execute("SET enable_seqscan = off")
            cur.execute(
                "SELECT count(*) FROM gridgov.event WHERE status IN "
                "('reported', 'registered', 'dispatched', 'handled', 'verified')"
            )
            assert cur.fetchone()[0] == sum(1 for s in city["event"].columns["status"] if s not in ("closed", "void"))
    finally:
        conn.close()
