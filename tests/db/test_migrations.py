"""The schema installs on a fresh PostGIS database and again on an installed one."""

import psycopg2
import pytest

from grid_governance_plugin.core.store import migrations, schema

pytestmark = pytest.mark.postgis


def _tables(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gridgov'")
        return {r[0] for r in cur.fetchall()}


def test_fresh_install_then_idempotent(fresh_db):
    conn = psycopg2.connect(fresh_db)
    first = migrations.migrate(conn)
    assert [m.version for m in first] == [m.version for m in migrations.available()]
    assert migrations.applied(conn) == [m.version for m in migrations.available()]
    before = _tables(conn)
    assert {spec.name for spec in schema.LAYERS} <= before
    second = migrations.migrate(conn)
    assert second == []
    assert _tables(conn) == before
    conn.close()


def test_every_geometry_has_a_spatial_index_and_storage_crs(gridgov_db):
    conn = psycopg2.connect(gridgov_db)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT f_table_name, f_geometry_column, srid FROM geometry_columns WHERE f_table_schema = 'gridgov'"
        )
        geoms = cur.fetchall()
        assert geoms
        for table, column, srid in geoms:
            assert srid == schema.STORAGE_EPSG, table
            cur.execute(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = 'gridgov' AND tablename = %s AND indexdef ILIKE %s",
                (table, f"%USING gist ({column})%"),
            )
            assert cur.fetchone()[0] >= 1, f"no spatial index on gridgov.{table}.{column}"
    conn.close()


_PG_KIND = {
    "text": {"text", "character varying"},
    "int": {"integer", "bigint", "smallint"},
    "double": {"double precision", "numeric", "real"},
    "bool": {"boolean"},
    "datetime": {"timestamp with time zone"},
    "date": {"date"},
    "uuid": {"uuid"},
}


def test_postgis_columns_match_the_layer_spec(gridgov_db):
    """The GeoPackage is built from schema.LAYERS: the PostGIS tables must carry the same fields."""
    conn = psycopg2.connect(gridgov_db)
    with conn.cursor() as cur:
        for spec in schema.LAYERS:
            cur.execute(
                "SELECT column_name, data_type, udt_name FROM information_schema.columns "
                "WHERE table_schema = 'gridgov' AND table_name = %s",
                (spec.name,),
            )
            cols = {name: (dtype, udt) for name, dtype, udt in cur.fetchall()}
            for name, kind in spec.fields:
                assert name in cols, f"{spec.name}.{name} missing in PostGIS"
                assert cols[name][0] in _PG_KIND[kind], f"{spec.name}.{name}: {cols[name]} is not {kind}"
            expected = (
                set(spec.field_names()) | ({"geom"} if spec.geometry else set()) | ({spec.fid} if spec.fid else set())
            )
            assert set(cols) == expected, f"{spec.name}: PostGIS has {sorted(set(cols) - expected)} extra"
    conn.close()


def test_a_failing_migration_leaves_nothing_half_written(fresh_db, tmp_path, monkeypatch):
    broken = tmp_path / "sql"
    broken.mkdir()
    for mig in migrations.available():
        (broken / mig.path.name).write_text(mig.sql())
    n = len(migrations.available()) + 1
    (broken / f"{n:03d}_broken.sql").write_text("CREATE TABLE gridgov.half (a int); SELECT no_such_function();")
    monkeypatch.setattr(migrations, "SQL_DIR", broken)
    conn = psycopg2.connect(fresh_db)
    with pytest.raises(psycopg2.Error):
        migrations.migrate(conn)
    conn.rollback()
    assert migrations.applied(conn) == list(range(1, n))
    assert "half" not in _tables(conn)
    conn.close()
