"""A small city for the permission tests: one district, two streets (A and B), a published grid in each.

Works on every schema version from 001 on (plain inserts as the superuser).
"""

from __future__ import annotations

CITY = "110000"
DISTRICT = "110101"
A = {
    "street": "110101001",
    "community": "110101001001",
    "grid": "110101001001001",
    "worker": "WA",
    "phone": "13800000001",
    "lon": 116.400,
    "lat": 39.910,
    "x0": 116.39,
}
B = {
    "street": "110101002",
    "community": "110101002001",
    "grid": "110101002001001",
    "worker": "WB",
    "phone": "13800000002",
    "lon": 116.420,
    "lat": 39.910,
    "x0": 116.41,
}
OUTSIDE = (116.46, 39.97)  # in the city's box, in no grid or community


def square(x0: float, y0: float, size: float = 0.02) -> str:
    return f"SRID=4490;MULTIPOLYGON((({x0} {y0},{x0 + size} {y0},{x0 + size} {y0 + size},{x0} {y0 + size},{x0} {y0})))"


def seed(conn) -> None:
    """City, district, streets A and B with a community, a grid, a grid worker and a camera each; plan 1 published."""
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES (%s, '北京', %s)", (CITY, square(116.3, 39.8, 0.2))
        )
        cur.execute("INSERT INTO gridgov.district (code, name, city_code) VALUES (%s, '东城区', %s)", (DISTRICT, CITY))
        cur.execute("INSERT INTO gridgov.grid_plan (plan_id, name, status) VALUES (1, 'v1', 'published')")
        for s, name in ((A, "东华门街道"), (B, "景山街道")):
            cur.execute(
                "INSERT INTO gridgov.street (code, name, district_code, geom) VALUES (%s, %s, %s, %s)",
                (s["street"], name, DISTRICT, square(s["x0"], 39.90)),
            )
            cur.execute(
                "INSERT INTO gridgov.community (code, name, street_code, geom) VALUES (%s, %s, %s, %s)",
                (s["community"], name + "社区", s["street"], square(s["x0"], 39.90)),
            )
            cur.execute(
                "INSERT INTO gridgov.grid_worker (worker_id, name, phone) VALUES (%s, %s, %s)",
                (s["worker"], "网格员" + s["worker"], s["phone"]),
            )
            cur.execute(
                "INSERT INTO gridgov.grid (plan_id, grid_code, name, community_code, street_code, district_code,"
                " worker_id, geom) VALUES (1, %s, %s, %s, %s, %s, %s, %s)",
                (
                    s["grid"],
                    name + "一网格",
                    s["community"],
                    s["street"],
                    DISTRICT,
                    s["worker"],
                    square(s["x0"], 39.90),
                ),
            )
            cur.execute(
                "INSERT INTO gridgov.camera (name, system, grid_code, geom)"
                " VALUES (%s, '雪亮', %s, ST_SetSRID(ST_MakePoint(%s, %s), 4490))",
                ("路口" + s["worker"], s["grid"], s["lon"] + 0.001, s["lat"]),
            )
    if not conn.autocommit:
        conn.commit()


def table_checksums(cur) -> dict[str, tuple[int, str]]:
    """(row count, md5 of the rows in a stable order) of every table of schema gridgov; run as the superuser."""
    cur.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'gridgov'::regnamespace AND c.relkind = 'r' ORDER BY 1"
    )
    out = {}
    for (name,) in cur.fetchall():
        cur.execute(
            f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM gridgov.{name} t"
        )
        out[name] = cur.fetchone()
    return out


def catalog_checksum(cur) -> str:
    """md5 of what defines the database: schemas, relations, functions, roles, grants, policies, triggers."""
    cur.execute(
        "SELECT md5(concat_ws('#',"
        " (SELECT string_agg(concat(nspname, nspacl), ',' ORDER BY nspname) FROM pg_namespace),"
        " (SELECT string_agg(concat(oid::regclass, relkind, relacl), ',' ORDER BY oid)"
        "  FROM pg_class WHERE relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)"
        "  AND relpersistence <> 't'),"
        " (SELECT string_agg(concat(oid::regprocedure, md5(prosrc), proacl), ',' ORDER BY oid)"
        "  FROM pg_proc WHERE pronamespace <> 'pg_catalog'::regnamespace),"
        " (SELECT string_agg(concat(rolname, rolsuper, rolcanlogin, rolconnlimit), ',' ORDER BY rolname) FROM pg_roles),"
        " (SELECT string_agg(concat(polname, polrelid), ',' ORDER BY polname) FROM pg_policy),"
        " (SELECT string_agg(concat(tgname, tgrelid, tgenabled), ',' ORDER BY tgname, tgrelid) FROM pg_trigger)))"
    )
    return cur.fetchone()[0]
