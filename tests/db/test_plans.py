"""Plans in PostGIS: migration 005's new_draft_plan / publish_plan, and the diff of stored plans."""

from __future__ import annotations

import psycopg2
import pytest

from grid_governance_plugin.core import plans

COMM = "310101001001"


def code(n: int) -> str:
    return f"{COMM}{n:03d}"


def box(x0, y0, x1, y1):
    """A 4490 MultiPolygon around Shanghai; x/y in 1e-4 degrees (~10 m) from 121.4E 31.2N."""
    s = 1e-4
    return f"ST_Multi(ST_MakeEnvelope({121.4 + x0 * s}, {31.2 + y0 * s}, {121.4 + x1 * s}, {31.2 + y1 * s}, 4490))"


def pt(x, y):
    return f"ST_SetSRID(ST_MakePoint({121.4 + x * 1e-4}, {31.2 + y * 1e-4}), 4490)"


@pytest.fixture
def store(gridgov_db):
    conn = psycopg2.connect(gridgov_db)
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO gridgov.grid_worker (worker_id, name) VALUES ('W1', 'Li'), ('W2', 'Wang')")
        cur.execute(
            "INSERT INTO gridgov.event_category (code, kind, major, minor, department) "
            "VALUES ('X', 'event', 'm', 'n', 'd')"
        )
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, '2025', 'published')")
        cur.execute(
            f"INSERT INTO gridgov.grid (plan_id, grid_code, community_code, worker_id, geom) VALUES "
            f"(1, '{code(1)}', '{COMM}', 'W1', {box(0, 0, 10, 10)}),"
            f"(1, '{code(2)}', '{COMM}', 'W2', {box(10, 0, 20, 10)})"
        )
        cur.execute(
            f"INSERT INTO gridgov.camera (name, grid_code, geom) VALUES "
            f"('c1', '{code(1)}', {pt(9, 6)}), ('c2', '{code(2)}', {pt(15, 6)}), ('c3', '{code(2)}', {pt(19, 2)})"
        )
        cur.execute(
            f"INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, grid_code, "
            f"community_code, geom) VALUES "
            f"('t', '1', 'X', now(), 'reported', '{code(1)}', '{COMM}', {pt(9.5, 1)}),"
            f"('t', '2', 'X', now(), 'closed', '{code(1)}', '{COMM}', {pt(9.5, 2)})"
        )
    yield conn
    conn.close()


def q(conn, sql, *args):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def test_draft_copy_edit_publish(store):
    conn = store
    draft = plans.pg_new_draft(conn, "2026 draft")
    assert draft == 2
    assert [g.code for g in plans.pg_read_plan(conn, draft)] == [code(1), code(2)]
    with conn, conn.cursor() as cur:
        # boundary 2 units west; B's north half becomes a new grid 3 without a worker
        cur.execute(
            f"UPDATE gridgov.grid SET geom = {box(0, 0, 8, 10)} WHERE plan_id = %s AND grid_code = %s", (draft, code(1))
        )
        cur.execute(
            f"UPDATE gridgov.grid SET geom = {box(8, 0, 20, 5)}, worker_id = NULL "
            "WHERE plan_id = %s AND grid_code = %s",
            (draft, code(2)),
        )
        cur.execute(
            f"INSERT INTO gridgov.grid (plan_id, grid_code, community_code, street_code, geom) "
            f"VALUES (%s, %s, %s, '310101001', {box(8, 5, 20, 10)})",
            (draft, code(3), COMM),
        )
    d = plans.diff_plans(plans.pg_read_plan(conn, 1), plans.pg_read_plan(conn, draft))
    assert {(a.from_code, a.to_code) for a in d.areas} == {(code(1), code(2)), (code(1), code(3)), (code(2), code(3))}
    assert {(c.new_code, c.kind) for c in d.codes} >= {(code(3), "added"), (code(1), "reshaped")}

    counts = plans.pg_publish(conn, draft)
    assert counts == {"archived": 1, "workers": 2, "cameras": 2, "events": 1}  # rows changed: c3 stays in grid 2
    assert dict(q(conn, "SELECT plan_id, status FROM gridgov.grid_plan")) == {1: "archived", 2: "published"}
    assert q(conn, "SELECT published_at IS NOT NULL FROM gridgov.grid_plan WHERE plan_id = 2") == [(True,)]
    # old plan still readable, unchanged
    assert q(conn, "SELECT grid_code, worker_id FROM gridgov.grid WHERE plan_id = 1 ORDER BY id") == [
        (code(1), "W1"),
        (code(2), "W2"),
    ]
    assert dict(q(conn, "SELECT grid_code, worker_id FROM gridgov.grid WHERE plan_id = 2")) == {
        code(1): "W1",
        code(2): "W2",
        code(3): "W2",
    }
    assert dict(q(conn, "SELECT name, grid_code FROM gridgov.camera")) == {"c1": code(3), "c2": code(3), "c3": code(2)}
    assert dict(q(conn, "SELECT external_id, grid_code FROM gridgov.event")) == {"1": code(2), "2": code(1)}


def test_publish_refuses_non_draft_and_keeps_state(store):
    conn = store
    with pytest.raises(psycopg2.Error):
        plans.pg_publish(conn, 1)
    with pytest.raises(psycopg2.Error):
        plans.pg_publish(conn, 42)
    assert q(conn, "SELECT plan_id, status FROM gridgov.grid_plan") == [(1, "published")]


def test_two_publications_keep_one_published(store):
    conn = store
    a = plans.pg_new_draft(conn, "a")
    plans.pg_publish(conn, a)
    b = plans.pg_new_draft(conn, "b")
    assert q(conn, "SELECT based_on FROM gridgov.grid_plan WHERE plan_id = %s", b) == [(a,)]
    plans.pg_publish(conn, b)
    assert q(conn, "SELECT plan_id, status FROM gridgov.grid_plan ORDER BY plan_id") == [
        (1, "archived"),
        (a, "archived"),
        (b, "published"),
    ]
    assert [p["plan_id"] for p in plans.pg_plans(conn)] == [b, a, 1]
