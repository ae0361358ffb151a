"""Fixtures of the end-to-end tests: the plugin zip, built once per session, and one shared QGIS start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent

# test module -> the extra it needs in the shared QGIS (tests/e2e/*_extra.py), in the order they run
EXTRAS = {
    "test_camera_tool_desktop": "camera_tool_extra.py",
    "test_live_coverage_desktop": "live_coverage_extra.py",
    "test_grid_tools_desktop": "grid_tools_extra.py",
    "test_live_desktop": "live_extra.py",
}


@pytest.fixture(scope="session")
def built_zip(tmp_path_factory) -> Path:
    """The plugin zip, built into a private directory (dist/ may be shared with another run)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_zip
    finally:
        sys.path.pop(0)
    out = tmp_path_factory.mktemp("zip")
    path = build_zip.make_zip(build_zip.stage(out / "build"), out / "grid_governance_plugin.zip")
    assert build_zip.check_zip(path) == []
    return path


@pytest.fixture(scope="session")
def desktop(request, built_zip, tmp_path_factory, artifacts_dir) -> dict:
    """One start of the real qgis binary for every end-to-end check of the session.

    Under Xvfb, with a fresh profile in zh_CN (as the first users have it), the plugin installed
    from the built zip and the demo project open, the probe (scripts/qgis_probe.py) reports the
    desktop; then each selected check's extra runs in turn in an empty project. Starting QGIS
    costs more than most checks, so they share it. Returns {"report": the probe's report (one
    extra_errors entry per extra), "city": the grid tools' city, "missed": the ids the live
    check reported while QGIS was disconnected}.
    """
    from tests.e2e.qgis import qgis_command

    wanted = {Path(str(item.fspath)).stem for item in request.session.items}
    extras = [name for module, name in EXTRAS.items() if module in wanted]
    tmp = tmp_path_factory.mktemp("desktop")
    report_path = tmp / "report.json"
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_REPORT": str(report_path),
        "GRIDGOV_QUIT": "1",
        "GRIDGOV_SCREENSHOT": str(artifacts_dir / "e2e_desktop.png"),
        "GRIDGOV_SHOW_DOCK": "GridGovCoverageDock",
        "GRIDGOV_EXTRA": os.pathsep.join(str(E2E / e) for e in extras),
        "GRIDGOV_EXTRA_FRESH": "1",
    }
    out: dict = {"city": None, "missed": []}
    demo = any("demo_project" in getattr(item, "fixturenames", ()) for item in request.session.items)
    project = request.getfixturevalue("demo_project") if demo else None
    if "grid_tools_extra.py" in extras:
        from tests.e2e.scenes import city_gpkg

        gpkg = tmp / "city.gpkg"
        out["city"] = city_gpkg(gpkg)
        env.update(
            GRIDGOV_GRID_GPKG=str(gpkg),
            GRIDGOV_SPLIT_CODE=out["city"].grid_codes[0],
            GRIDGOV_NEIGHBOUR_CODE=out["city"].grid_codes[1],
            GRIDGOV_TOOLS_SHOT=str(artifacts_dir / "e2e_grid_tools_dock.png"),
        )
    if "camera_tool_extra.py" in extras:
        env["GRIDGOV_CAMERA_SHOT"] = str(artifacts_dir / "e2e_camera_tool.png")
    if "live_coverage_extra.py" in extras:
        env["GRIDGOV_LIVE_COVERAGE_SHOT"] = str(artifacts_dir / "e2e_live_coverage.png")
    handshake = tmp / "handshake"
    live = None
    if "live_extra.py" in extras:
        pg_server = request.getfixturevalue("pg_server")
        live = _live_store(pg_server, tmp)
        handshake.mkdir()
        env.update(
            PGSERVICEFILE=str(live["service_file"]),
            GRIDGOV_LIVE_SERVICE="gridgov_live",
            GRIDGOV_LIVE_DIR=str(handshake),
            GRIDGOV_LIVE_SHOT=str(artifacts_dir / "e2e_live.png"),
        )
    timeout = 900
    proc = subprocess.Popen(qgis_command(tmp / "profiles", env, timeout, locale="zh_CN", project=project))
    try:
        if live is not None:
            # the live check asks for a server restart and reports while QGIS is away
            while not (handshake / "restart").exists() and proc.poll() is None:
                time.sleep(0.05)
            if (handshake / "restart").exists():
                pg_server.restart()
                out["missed"] = _report_events(live["dsn"], 20)
                (handshake / "inserted.tmp").write_text(json.dumps(out["missed"]))
                (handshake / "inserted.tmp").rename(handshake / "inserted")
        proc.wait(timeout=timeout + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
        trace = tmp / "report.json.steps"
        if trace.exists():
            print(trace.read_text())
    assert report_path.exists(), "QGIS did not write its report"
    out["report"] = json.loads(report_path.read_text(encoding="utf-8"))
    (artifacts_dir / "e2e_desktop_report.json").write_text(json.dumps(out["report"], indent=1, ensure_ascii=False))
    yield out
    if live is not None:
        live["drop"]()


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    """A wheel folder for this machine's QGIS Python, as `make wheelhouse` builds it.

    Built once and kept under .cache/wheelhouse/<hash of requirements and installed packages>,
    so a later `make test` reuses it.
    """
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import wheelhouse as wh
    finally:
        sys.path.pop(0)
    return wh.cached(ROOT / ".cache" / "wheelhouse")


@pytest.fixture(scope="session")
def small_realdata(realdata, tmp_path_factory) -> Path:
    """A GeoPackage of real data cut small: 340 x 330 m of Midtown Manhattan (OSM buildings and
    cameras), that area as the target, four grids over it, and NYC 311 requests as events."""
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    out = tmp_path_factory.mktemp("small") / "small.gpkg"
    bbox = (-73.994, 40.7505, -73.990, 40.7535)
    src = str(realdata / "nyc_midtown" / "nyc_midtown_osm.gpkg")
    for layer in ("buildings", "cameras", "roads"):
        gdal.VectorTranslate(
            str(out), src, layers=[layer], spatFilter=bbox, accessMode="append" if out.exists() else None
        )
    gdal.VectorTranslate(
        str(out),
        str(realdata / "nyc_midtown" / "nyc311_sample_in_midtown_bbox.geojson"),
        layerName="events",
        accessMode="append",
    )
    ds = ogr.Open(str(out), 1)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x0, y0, x1, y1 = bbox
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    for name, cells in (
        ("target", [("T", (x0, y0, x1, y1))]),
        ("grids", [("G1", (x0, y0, xm, ym)), ("G2", (xm, y0, x1, ym)), ("G3", (x0, ym, xm, y1)), ("G4", (xm, ym, x1, y1))]),
    ):  # fmt: skip
        lyr = ds.CreateLayer(name, srs, ogr.wkbPolygon)
        lyr.CreateField(ogr.FieldDefn("grid_code", ogr.OFTString))
        lyr.CreateField(ogr.FieldDefn("community_code", ogr.OFTString))
        for code, (a, b, c, d) in cells:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("grid_code", code)
            f.SetField("community_code", "110101001001")  # GB/T 10114 county + street + community
            f.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON(({a} {b},{c} {b},{c} {d},{a} {d},{a} {b}))"))
            lyr.CreateFeature(f)
    # a grid worker's patrol along the block, one fix every 10 s on 2024-03-01 (Beijing time)
    tracks = ds.CreateLayer("tracks", srs, ogr.wkbPoint)
    tracks.CreateField(ogr.FieldDefn("worker_id", ogr.OFTString))
    tracks.CreateField(ogr.FieldDefn("time", ogr.OFTString))
    for i in range(60):
        f = ogr.Feature(tracks.GetLayerDefn())
        f.SetField("worker_id", "W1")
        f.SetField("time", f"2024-03-01T09:{i // 6:02d}:{(i % 6) * 10:02d}+08:00")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({x0 + (x1 - x0) * i / 60} {ym})"))
        tracks.CreateFeature(f)
    ds = None
    return out


def extra_report(desktop: dict, extra: str) -> dict:
    """The shared report, checked to hold the extra's run: it ran to its end, without an exception."""
    r = desktop["report"]
    errors = r.get("extra_errors", {})
    assert extra in errors, f"{extra} did not run (QGIS stopped before it?)"
    assert errors[extra] == [], errors[extra]
    return r


def _live_store(pg_server, tmp: Path) -> dict:
    """A migrated database and a pg_service file naming it (survives the server restart)."""
    import psycopg2

    from grid_governance_plugin.core.store import migrations

    name = "t_e2e_" + uuid.uuid4().hex[:10]

    def admin(sql: str, *args) -> None:
        conn = psycopg2.connect(pg_server.dsn())
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql, args)
        conn.close()

    admin(f"CREATE DATABASE {name} TEMPLATE template_gridgov")
    conn = psycopg2.connect(pg_server.dsn(name))
    migrations.migrate(conn)
    conn.close()
    service_file = tmp / "pg_service.conf"
    service_file.write_text(
        f"[gridgov_live]\nhost={pg_server.host}\nport={pg_server.port}\nuser={pg_server.user}\ndbname={name}\n"
    )

    def drop() -> None:
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", name)
        admin(f"DROP DATABASE IF EXISTS {name}")

    return {"dsn": pg_server.dsn(name), "service_file": service_file, "drop": drop}


def _report_events(dsn: str, n: int) -> list[str]:
    """``n`` reports through gridgov.report_event, as soon as the restarted server takes connections."""
    import psycopg2

    deadline = time.monotonic() + 120
    while True:
        try:
            conn = psycopg2.connect(dsn)
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    conn.autocommit = True
    ids = []
    with conn.cursor() as cur:
        for i in range(n):
            cur.execute(
                "SELECT gridgov.report_event('e2e', %s, 'SJ0301', now() - interval '1 minute', %s, %s)",
                (f"missed-{i}", 116.3975 + i * 1e-4, 39.9100),
            )
            ids.append(str(cur.fetchone()[0]))
    conn.close()
    return ids
