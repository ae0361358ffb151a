"""Every gridgov algorithm through `qgis_process.bin run` on small real data: exit status 0.

And without the plugin's Python packages (QGIS as a user has it, no project venv),
`qgis_process list` still lists every algorithm, says which are unavailable and why, and
running one fails with that reason instead of a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg2
import pytest

from grid_governance_plugin.processing.provider import ALGORITHM_INDEX

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
N_ALGORITHMS = sum(len(entries) for entries in ALGORITHM_INDEX.values())
sys.path.insert(0, str(ROOT / "scripts"))
from qgis_run import qgis_env  # noqa: E402

sys.path.pop(0)


@pytest.fixture(scope="session")
def qp_config(built_zip, tmp_path_factory) -> Path:
    """A QGIS configuration folder with the built plugin installed and enabled."""
    cfg = tmp_path_factory.mktemp("qgis_process")
    profile = cfg / "profiles" / "default"
    (profile / "python" / "plugins").mkdir(parents=True)
    (profile / "QGIS").mkdir()
    (profile / "QGIS" / "QGIS3.ini").write_text("[PythonPlugins]\ngrid_governance_plugin=true\n")
    with zipfile.ZipFile(built_zip) as zf:
        zf.extractall(profile / "python" / "plugins")
    return cfg


def qgis_process(cfg: Path, *args: str, stock: bool = False, env: dict | None = None, timeout: float = 900):
    e = qgis_env(env, stock=stock)
    e["QT_QPA_PLATFORM"] = "offscreen"
    e["QGIS_CUSTOM_CONFIG_PATH"] = str(cfg)
    return subprocess.run(["qgis_process.bin", *args], env=e, capture_output=True, text=True, timeout=timeout)


def test_without_the_packages_list_says_what_is_unavailable_and_why(qp_config):
    res = qgis_process(qp_config, "list", stock=True)
    assert res.returncode == 0, res.stderr
    lines = dict(re.findall(r"^\t(gridgov:\w+)\t(.*)$", res.stdout, re.M))
    assert len(lines) == N_ALGORITHMS  # nothing vanishes
    unavailable = {k for k, v in lines.items() if v.endswith("(unavailable)")}
    assert unavailable == {
        f"gridgov:{a}"
        for a in ("camerafov", "coverage", "suggestcameras", "validategrids", "gridstats", "unifygrids",
                  "partitiongrids", "gridcodes", "hotspots", "generatedemo", "patrolcoverage", "importpatroltracks",
                  "assessment")
    }  # fmt: skip
    assert lines["gridgov:overduecases"] == "Overdue cases"
    # why, where a script's author reads it
    assert f"{len(unavailable)} of the gridgov algorithms are unavailable" in res.stderr
    assert (
        "gridgov:hotspots: Needs Python packages that are not installed: shapely ≥ 2.0, geopandas ≥ 0.14, "
        "libpysal ≥ 4.9, esda ≥ 2.5." in res.stderr
    )
    help_ = qgis_process(qp_config, "help", "gridgov:coverage", stock=True)
    assert "shapely ≥ 2.0" in help_.stdout
    run = qgis_process(qp_config, "run", "gridgov:hotspots", "--", "CELL_SIZE=100", stock=True)
    assert run.returncode != 0
    assert "esda ≥ 2.5" in run.stdout + run.stderr and "Traceback" not in run.stdout + run.stderr


def _algorithms(data: Path, realdata: Path, out: Path) -> dict[str, list[str]]:
    d = lambda layer: f"{data}|layername={layer}"  # noqa: E731
    o = lambda name: str(out / f"{name}.gpkg")  # noqa: E731
    return {
        "camerafov": [f"INPUT={d('cameras')}", f"OBSTACLES={d('buildings')}", f"OUTPUT={o('fov')}"],
        # without GRIDS and without a GRID_STATS destination (issue 8)
        "coverage": [f"CAMERAS={d('cameras')}", f"OBSTACLES={d('buildings')}", f"TARGET={d('target')}",
                     f"COVERAGE={o('coverage')}", f"BLIND_SPOTS={o('blind')}"],
        "suggestcameras": [f"TARGET={d('target')}", f"OBSTACLES={d('buildings')}", f"CAMERAS={d('cameras')}",
                           "COUNT=3", f"OUTPUT={o('suggest')}"],
        "importcameras": [f"INPUT={realdata / 'zurich' / 'zurich_city_osm_surveillance.geojson'}", "FORMAT=3",
                          f"OUTPUT={o('cameras')}", f"REPORT={o('camera_report')}"],
        "validategrids": [f"GRIDS={d('grids')}", f"PARENTS={d('target')}", f"OUTPUT={o('problems')}"],
        "gridstats": [f"GRIDS={d('grids')}", f"BUILDINGS={d('buildings')}", f"EVENTS={d('events')}",
                      f"OUTPUT={o('stats')}"],
        "unifygrids": [f"INPUTS={d('grids')}", f"INPUTS={d('target')}", f"OUTPUT={o('unified')}",
                       f"TAKEOVER={o('takeover')}", f"SLIVERS={o('slivers')}"],
        "partitiongrids": [f"AREAS={d('target')}", f"BUILDINGS={d('buildings')}", "COUNT=3",
                           f"OUTPUT={o('partition')}"],
        "gridcodes": [f"GRIDS={d('grids')}", "COMMUNITY_FIELD=community_code", f"OUTPUT={o('codes')}",
                      f"REPORT={o('codes_report')}"],
        # loads libpysal -> geopandas -> pyproj's own PROJ: used to abort at exit with status 134
        "hotspots": [f"EVENTS={realdata / 'zurich' / 'zwn_reports.gpkg'}", "CELL_SIZE=250", "PERMUTATIONS=99",
                     "SEED=1", f"OUTPUT={o('hotspots')}"],
        "generatedemo": ["SEED=3", "SCALE_FACTOR=0.05", f"OUTPUT={out / 'demo.gpkg'}"],
        "patrolcoverage": [f"TRACKS={d('tracks')}", f"GRIDS={d('grids')}", f"ROADS={d('roads')}",
                           "START=2024-03-01T00:00:00", "END=2024-03-02T00:00:00", f"OUTPUT={o('patrol')}"],
    }  # fmt: skip


FILE_ALGORITHMS = sorted(_algorithms(Path("x"), Path("x"), Path("x")))


@pytest.mark.parametrize("alg", FILE_ALGORITHMS)
def test_every_file_algorithm_exits_with_status_0(alg, qp_config, small_realdata, realdata, tmp_path):
    args = _algorithms(small_realdata, realdata, tmp_path)[alg]
    res = qgis_process(qp_config, "run", f"gridgov:{alg}", "--", *args)
    assert res.returncode == 0, (res.returncode, res.stdout[-2000:], res.stderr[-3000:])
    outputs = [a.split("=", 1)[1] for a in args if a.split("=", 1)[0] in ("OUTPUT", "COVERAGE", "BLIND_SPOTS")]
    assert outputs and all(Path(p).exists() for p in outputs)


@pytest.mark.postgis
def test_database_algorithms_exit_with_status_0(qp_config, pg_service, fresh_db, tmp_path):
    """installschema, then overduecases, importopen311, importpatroltracks and assessment on the schema it made."""
    from tests.db.test_open311 import SERVICE_MAP, Open311Server

    env = {"PGSERVICEFILE": os.environ["PGSERVICEFILE"]}
    db = f"DATABASE=service={pg_service}"
    res = qgis_process(qp_config, "run", "gridgov:installschema", "--", db, env=env)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    res = qgis_process(
        qp_config, "run", "gridgov:overduecases", "--", db, f"OUTPUT={tmp_path / 'overdue.gpkg'}", env=env
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    conn = psycopg2.connect(fresh_db)
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES ('nyc', 'Midtown test area',"
            " ST_Multi(ST_MakeEnvelope(-74.0126, 40.7360, -73.9630, 40.7590, 4490)))"
        )
    conn.close()
    server = Open311Server()
    try:
        mapping = json.dumps(SERVICE_MAP)  # a JSON object is one of the accepted forms
        res = qgis_process(qp_config, "run", "gridgov:importopen311", "--", f"ENDPOINT={server.endpoint}",
                           "START=2022-04-01T00:00:00", "END=2023-03-01T00:00:00", db,
                           f"SERVICE_MAP={mapping}", env=env)  # fmt: skip
    finally:
        server.close()
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    conn = psycopg2.connect(fresh_db)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.event")
        assert cur.fetchone()[0] > 0
    conn.close()
    track = tmp_path / "w1.csv"
    track.write_text("worker_id,time,lon,lat,coord_sys\nW1,2024-03-01T09:00:00+08:00,-73.99,40.75,wgs84\n"
                     "W1,2024-03-01T09:00:10+08:00,-73.9901,40.7501,wgs84\n", encoding="utf-8")  # fmt: skip
    res = qgis_process(qp_config, "run", "gridgov:importpatroltracks", "--", f"INPUT={track}", db,
                       f"OUTPUT={tmp_path / 'fixes.gpkg'}", env=env)  # fmt: skip
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    res = qgis_process(qp_config, "run", "gridgov:assessment", "--", db, "START=2022-04-01T00:00:00",
                       "END=2023-03-01T00:00:00", f"OUTPUT={tmp_path / 'ranks.gpkg'}", env=env)  # fmt: skip
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
