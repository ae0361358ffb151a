#!/usr/bin/env python3
"""`make demo`: generate the demo district, run the analyses, build a styled project, open QGIS.

  make_demo.py --out dist/demo [--scale demo|city|FACTOR] [--seed 42] [--db gpkg|postgis] [--no-qgis]

The analyses run headless through the gridgov Processing algorithms (exactly what a
user runs from the toolbox) and each result goes into its own GeoPackage under dist/demo/results/.
Then the built plugin zip is installed into a fresh QGIS profile and QGIS opens the
project in Chinese; without a display it runs under Xvfb, saves dist/demo.png and quits.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for p in ("/usr/share/qgis/python/plugins", "/usr/share/qgis/python"):
    if p not in sys.path:
        sys.path.append(p)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayerTreeGroup,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)

SUMMARY: list[str] = []
DEMO_LOCALE = "zh-Hans"


def say(line: str) -> None:
    SUMMARY.append(line)
    print(line, flush=True)


def start_qgis(locale: str = "zh_CN") -> QgsApplication:
    app = QgsApplication([], False)
    app.initQgis()
    from qgis.PyQt.QtCore import QTranslator

    qm = ROOT / "i18n" / f"grid_governance_plugin_{locale}.qm"
    sources = list((ROOT / "i18n" / "zh_CN").glob("*.tsv"))
    if not qm.exists() or any(t.stat().st_mtime > qm.stat().st_mtime for t in sources):  # stale: rebuild
        subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile", str(qm.parent)], check=True)
    translator = QTranslator()
    if translator.load(str(qm)):
        app.installTranslator(translator)
        app._gridgov_translator = translator  # keep it alive
    from processing.core.Processing import Processing

    Processing.initialize()
    from grid_governance_plugin.processing.provider import GridGovProvider

    provider = GridGovProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    app._gridgov_provider = provider  # keep it alive
    return app


def gpkg_layer(path: Path, name: str, title: str | None = None, subset: str = "") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{path}|layername={name}", title or name, "ogr")
    if subset:
        layer.setSubsetString(subset)
    return layer


def dept_layer(city: Path, department: str) -> QgsVectorLayer:
    """One department's grids of the city's dept_grid table, as a memory layer."""
    from qgis.core import QgsExpression, QgsFeatureRequest

    request = QgsFeatureRequest().setFilterExpression(f'"department" = {QgsExpression.quotedValue(department)}')
    layer = gpkg_layer(city, "dept_grid").materialize(request)
    layer.setName(department)
    return layer


def result_layer(results: Path, name: str, title: str | None = None) -> QgsVectorLayer:
    """One analysis result: one GeoPackage per result under dist/demo/results/."""
    return QgsVectorLayer(str(results / f"{name}.gpkg"), title or name, "ogr")


def field_values(layer: QgsVectorLayer, *names: str) -> list:
    """Values of the first of ``names`` the layer has (result fields may be renamed)."""
    idx = next((layer.fields().lookupField(n) for n in names if layer.fields().lookupField(n) >= 0), -1)
    return [] if idx < 0 else [f.attributes()[idx] for f in layer.getFeatures()]


def run_alg(alg_id: str, params: dict) -> dict | None:
    """Run one analysis; a failure is reported and the demo goes on with the rest."""
    import processing
    from qgis.core import QgsProcessingFeedback

    if QgsApplication.processingRegistry().algorithmById(alg_id) is None:
        say(f"  - {alg_id}: not available in this build")
        return None
    t0 = time.time()
    try:
        res = processing.run(alg_id, params, feedback=QgsProcessingFeedback())
    except Exception as exc:  # keep the demo going
        say(f"  - {alg_id}: failed: {str(exc).strip().splitlines()[-1] if str(exc).strip() else exc!r}")
        traceback.print_exc()
        return None
    res["_seconds"] = time.time() - t0
    return res


def street_space(city_gpkg: Path) -> None:
    """The area cameras should watch: road corridors (buffered by half their width) minus buildings."""
    import shapely
    from osgeo import ogr

    from grid_governance_plugin.core.store.gpkg import write_layer
    from grid_governance_plugin.core.store.schema import LayerSpec

    ds = ogr.Open(str(city_gpkg))
    roads = ds.GetLayerByName("road")
    geoms, widths = [], []
    for f in roads:
        g = f.GetGeometryRef()
        geoms.append(shapely.from_wkb(bytes(g.ExportToWkb())))
        widths.append(f.GetField("width_m") or 8.0)
    ds = None
    # storage is geographic; buffer in metres in the local metric zone
    from pyproj import Transformer

    from grid_governance_plugin.core.crs import metric_epsg_for_lonlat

    c = shapely.union_all(shapely.centroid(geoms[:50])).centroid
    epsg = metric_epsg_for_lonlat(c.x, c.y)
    fwd = Transformer.from_crs(4490, epsg, always_xy=True)
    back = Transformer.from_crs(epsg, 4490, always_xy=True)
    metric = shapely.transform(shapely.from_wkb(shapely.to_wkb(geoms)), lambda xy: _tx(fwd, xy))
    space = shapely.union_all(shapely.buffer(metric, [w / 2 + 3 for w in widths], cap_style="flat"))
    space = shapely.transform(space, lambda xy: _tx(back, xy))
    parts = list(getattr(space, "geoms", [space]))
    spec = LayerSpec("street_space", "MultiPolygon", (("name", "text"),))
    write_layer(city_gpkg, "street_space", parts, [("street space",) for _ in parts], spec=spec)


def _tx(t, xy):
    import numpy as np

    x, y = t.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def analyses(city: Path, results: Path) -> dict[str, str]:
    """Run the demo's analyses; returns result layer name -> style kind."""
    out: dict[str, str] = {}

    results.mkdir(parents=True, exist_ok=True)

    def dest(name: str) -> str:
        return str(results / f"{name}.gpkg")

    cams, blds, grid = (gpkg_layer(city, n) for n in ("camera", "building", "grid"))
    target, comm, events = gpkg_layer(city, "street_space"), gpkg_layer(city, "community"), gpkg_layer(city, "event")
    # each department's grids as a memory copy, filtered by expression: an OGR layer with a subset
    # string on this GeoPackage makes every later connection to it in this process fail with
    # "unable to open database file" (the departmental layers came back empty or partial)
    depts = {d: dept_layer(city, d) for d in ("综治", "城管", "党建")}
    zz, district = depts["综治"], gpkg_layer(city, "district")
    say("Analyses:")
    r = run_alg("gridgov:camerafov", {"INPUT": cams, "OBSTACLES": blds, "OUTPUT": dest("fov")})
    if r:
        out["fov"] = "fov"
        # what was written, not what was asked for: an empty output must not read as success
        fov = result_layer(results, "fov")
        seen = sum(1 for f in fov.getFeatures() if f.hasGeometry() and not f.geometry().isEmpty())
        say(
            f"  - fields of view: {fov.featureCount()} written for {cams.featureCount()} cameras, {seen} with "
            f"visible ground, occluded by {blds.featureCount()} buildings ({r['_seconds']:.1f} s)"
        )
    r = run_alg(
        "gridgov:coverage",
        {
            "CAMERAS": cams,
            "OBSTACLES": blds,
            "TARGET": target,
            "GRIDS": grid,
            "COVERAGE": dest("coverage"),
            "BLIND_SPOTS": dest("blind_spots"),
            "GRID_STATS": dest("grid_coverage"),
        },
    )
    if r:
        out.update({"grid_coverage": "coverage_ratio", "coverage": "coverage", "blind_spots": "blind_spots"})
        stats = result_layer(results, "grid_coverage")
        ratios = [v for v in field_values(stats, "coverage_ratio", "ratio") if v is not None]
        spots = result_layer(results, "blind_spots").featureCount()
        mean = sum(ratios) / len(ratios) if ratios else 0
        say(f"  - coverage: mean street coverage per grid {mean:.0%}, {spots} blind spots ({r['_seconds']:.1f} s)")
    r = run_alg("gridgov:validategrids", {"GRIDS": grid, "PARENTS": comm, "OUTPUT": dest("grid_problems")})
    if r:
        out["grid_problems"] = "grid_problems"
        say(
            f"  - grid check: {result_layer(results, 'grid_problems').featureCount()} problems in "
            f"{grid.featureCount()} grids ({r['_seconds']:.1f} s)"
        )
    # the 综治 departmental grids carry the mistakes hand-drawn grids have (core/democity.DEPT_FAULTS):
    # this check shows a planner what each problem looks like
    r = run_alg(
        "gridgov:validategrids",
        {"GRIDS": zz, "PARENTS": district, "CODE_FIELD": "", "OUTPUT": dest("dept_grid_problems")},
    )
    if r:
        out["dept_grid_problems"] = "grid_problems"
        say(
            f"  - check of the 综治 departmental grids: "
            f"{result_layer(results, 'dept_grid_problems').featureCount()} problems ({r['_seconds']:.1f} s)"
        )
    r = run_alg("gridgov:gridstats", {"GRIDS": grid, "BUILDINGS": blds, "EVENTS": events, "OUTPUT": dest("grid_stats")})
    if r:
        out["grid_stats"] = "grid_stats"
        say(f"  - grid workload statistics ({r['_seconds']:.1f} s)")
    r = run_alg(
        "gridgov:unifygrids",
        {
            "INPUTS": list(depts.values()),
            "TOLERANCE": 5,
            "OUTPUT": dest("unified_grid"),
            "SLIVERS": dest("slivers"),
            "TAKEOVER": dest("takeover"),
        },
    )
    if r:
        out["unified_grid"] = "grid"
        say(
            f"  - unified grid from 3 departmental grids: {result_layer(results, 'unified_grid').featureCount()} grids "
            f"({r['_seconds']:.1f} s)"
        )
    r = run_alg("gridgov:hotspots", {"EVENTS": events, "GRIDS": grid, "PERMUTATIONS": 999, "OUTPUT": dest("hotspots")})
    if r:
        out["hotspots"] = "hotspots"
        hot = sum(1 for v in field_values(result_layer(results, "hotspots"), "class") if str(v).startswith("hot"))
        say(f"  - event hotspots (Getis-Ord Gi*): {hot} hot grids ({r['_seconds']:.1f} s)")
    open_cases = [f for f in events.getFeatures() if f["status"] not in ("closed", "void")]
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    overdue = 0
    for f in open_cases:
        d = f["deadline_at"]
        if d is not None and hasattr(d, "toPyDateTime"):
            d = d.toPyDateTime()
            if d.tzinfo is None:
                d = d.replace(tzinfo=timezone.utc)
            overdue += d < now
    say(f"  - case board: {len(open_cases)} open cases, {overdue} overdue")
    return out


def build_project(
    city: Path, results: Path, result_styles: dict[str, str], project_path: Path, pg_service: str | None
) -> None:
    from grid_governance_plugin.core.i18n import tr
    from grid_governance_plugin.gui import results as result_kinds
    from grid_governance_plugin.gui import roles, styles

    project = QgsProject.instance()
    project.clear()
    project.setTitle(tr("Grid governance demo district"))
    if pg_service:
        # the project carries its store's connection (a name, never a password): the events dock,
        # the supervision board and the live layer act on the PostGIS store at once
        from grid_governance_plugin.core import settings as plugin_settings

        project.writeEntry(plugin_settings.PREFIX, "connection", f"service={pg_service}")
    root = project.layerTreeRoot()

    def source(name: str, title: str) -> QgsVectorLayer:
        if pg_service:
            from qgis.core import QgsDataSourceUri

            uri = QgsDataSourceUri()
            uri.setConnection(pg_service, "", "", "")
            spec_geom = "geom"
            uri.setDataSource("gridgov", name, spec_geom)
            lyr = QgsVectorLayer(uri.uri(False), title, "postgres")
            if lyr.isValid():
                return lyr
        return gpkg_layer(city, name, title)

    # group and layer names never repeat (the results' groups are gui/results.py's)
    events_group, coverage_group, grids_group = (
        tr(result_kinds.GROUP_EVENTS),
        tr(result_kinds.GROUP_COVERAGE),
        tr(result_kinds.GROUP_GRIDS),
    )
    groups = [
        (events_group, [("event", tr("Open cases"), "event"), ("event", tr("All events"), "event")]),
        (coverage_group, [("camera", tr("Cameras"), "camera")]),
        (grids_group, [("grid", tr("Grids"), "grid"), ("dept_grid", tr("Departmental grids"), "dept_grid")]),
        (
            tr("Administrative areas"),
            [("community", tr("Communities"), "community"), ("street", tr("Streets (jiedao)"), "street")],
        ),
        (
            tr("Base map"),
            [
                ("building", tr("Buildings"), "building"),
                ("road", tr("Roads"), "road"),
                ("street_space", tr("Street space"), "street_space"),
            ],
        ),
    ]
    group_nodes: dict[str, QgsLayerTreeGroup] = {}
    group_keys = {events_group: "events", coverage_group: "coverage", grids_group: "grids"}
    for gname, layers in groups:
        node = root.addGroup(gname)
        if gname in group_keys:
            node.setCustomProperty(result_kinds.GROUP_PROPERTY, group_keys[gname])  # found whatever the language
        group_nodes[gname] = node
        for table, title, kind in layers:
            lyr = source(table, title)
            if not lyr.isValid() or result_kinds.is_empty(lyr):
                continue  # never a layer without features: it has no extent
            styles.apply(lyr, kind)
            project.addMapLayer(lyr, False)
            node.addLayer(lyr)
            if table == "event" and title == tr("Open cases"):
                lyr.setSubsetString("\"status\" NOT IN ('closed', 'void')")
                lyr.setCustomProperty(roles.KIND_PROPERTY, "open_cases")
            if table == "event" and title == tr("All events"):
                lyr.setCustomProperty(roles.KIND_PROPERTY, "events")
                tp = lyr.temporalProperties()
                tp.setIsActive(True)
                tp.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
                tp.setStartField("reported_at")
                heat = source("event", tr("Event heatmap (last 30 days)"))
                heat.setSubsetString(
                    "\"reported_at\" >= datetime('now', '-30 days')"
                    if not pg_service
                    else "reported_at >= now() - interval '30 days'"
                )
                styles.apply(heat, "heatmap")
                heat.setCustomProperty(roles.KIND_PROPERTY, "heatmap")
                if not result_kinds.is_empty(heat):
                    project.addMapLayer(heat, False)
                    node.addLayer(heat)
    for name in result_styles:
        kind = name if name in result_kinds.RESULT_KINDS else None
        if kind is None:
            continue
        lyr = result_layer(results, name, result_kinds.title(kind))
        if not lyr.isValid() or result_kinds.is_empty(lyr):
            say(f"  ({result_kinds.title(kind)}: no features, not added to the project)")
            continue
        styles.apply(lyr, result_kinds.style(kind))
        lyr.setCustomProperty(result_kinds.RESULT_PROPERTY, kind)
        project.addMapLayer(lyr, False)
        group_nodes[result_kinds.group(kind)].insertLayer(0, lyr)
    # a map theme per role; the demo opens in the analyst's (the coverage dock is shown first)
    for role in ("planner", "supervisor", "analyst"):
        roles.apply_view(role, project)
    grid = next((lyr for lyr in project.mapLayers().values() if styles.table_name(lyr) == "grid"), None)
    extent_layer = grid or next(iter(project.mapLayers().values()))
    from grid_governance_plugin.core.crs import metric_crs_for

    crs = metric_crs_for(extent_layer.crs(), extent_layer.extent())
    project.setCrs(QgsCoordinateReferenceSystem(crs))
    from qgis.core import QgsCoordinateTransform, QgsReferencedRectangle

    ext = QgsCoordinateTransform(extent_layer.crs(), crs, project).transformBoundingBox(extent_layer.extent())
    ext.scale(1.05)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(ext, crs))
    project.write(str(project_path))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "dist" / "demo")
    ap.add_argument("--scale", default="demo")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--db", choices=("gpkg", "postgis"), default="gpkg")
    ap.add_argument("--no-qgis", action="store_true", help="build the project only")
    args = ap.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    scale = args.scale if args.scale in ("demo", "city") else float(args.scale)
    app = start_qgis()
    from grid_governance_plugin.core import democity
    from grid_governance_plugin.core.store import gpkg

    t0 = time.time()
    from datetime import datetime, timezone

    # events relative to today so the case board shows current overdue cases
    city = democity.generate(seed=args.seed, scale=scale, as_of=datetime.now(timezone.utc))
    city_gpkg = out / "demo_city.gpkg"
    results = out / "results"
    if city_gpkg.exists():
        city_gpkg.unlink()
    if results.exists():
        import shutil

        shutil.rmtree(results)
    gpkg.write_city(city, city_gpkg)
    street_space(city_gpkg)
    counts = {n: gpkg_layer(city_gpkg, n).featureCount() for n in ("community", "grid", "building", "camera", "event")}
    say(
        f"Demo district (seed {args.seed}, scale {args.scale}) in {time.time() - t0:.1f} s: "
        f"{counts['community']} communities, {counts['grid']} grids, {counts['building']} buildings, "
        f"{counts['camera']} cameras, {counts['event']} events -> {city_gpkg}"
    )
    server = None
    service = None
    try:
        if args.db == "postgis":
            server, service = load_postgis(city, out)
            offline_copy(city, out, service)
        styles_map = analyses(city_gpkg, results)
        project_path = out / "demo.qgz"
        build_project(city_gpkg, results, styles_map, project_path, service)
        say(f"Project: {project_path}")
        app.exitQgis()
        if args.no_qgis:
            return 0
        return open_qgis(project_path, out)
    finally:
        if server is not None:
            server.stop()


def load_postgis(city, out: Path):
    """A throw-away PostGIS (tests/pgserver.py), schema by gridgov:installschema, city by COPY."""
    import psycopg2

    from grid_governance_plugin.core.store import pgload
    from tests.pgserver import PgServer

    server = PgServer.start()
    conn = psycopg2.connect(server.dsn())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE gridgov_demo")
    conn.close()
    service_file = out / "pg_service.conf"
    service_file.write_text(
        f"[gridgov_demo]\nhost={server.host}\nport={server.port}\nuser={server.user}\ndbname=gridgov_demo\n"
    )
    os.environ["PGSERVICEFILE"] = str(service_file)
    res = run_alg("gridgov:installschema", {"DATABASE": "service=gridgov_demo"})
    if res is None:
        raise SystemExit("the schema could not be installed")
    conn = psycopg2.connect(server.dsn("gridgov_demo"))
    pgload.load_city(conn, city)
    conn.commit()
    conn.close()
    say(
        f"PostGIS: schema version {res['VERSION']} installed, district loaded (service 'gridgov_demo', "
        f"port {server.port}; the server stops when QGIS closes)"
    )
    return server, "gridgov_demo"


def offline_copy(city, out: Path, service: str) -> Path | None:
    """The first street checked out into a GeoPackage (gridgov:checkout): the demo's case flow on an
    offline working copy. Choose its 事件 layer in the events dock; Sync sends it back."""
    code = str(city.tables["street"].columns["code"][0])
    name = str(city.tables["street"].columns["name"][0])
    path = out / f"offline_{code}.gpkg"
    for stale in out.glob("offline_*.gpkg"):
        stale.unlink()
    res = run_alg("gridgov:checkout", {"DATABASE": f"service={service}", "AREA": code, "OUTPUT": str(path)})
    if res is None:
        say("Offline copy: the checkout failed (see above); the demo goes on without it")
        return None
    say(f"Offline copy of {name} ({code}): {path}, {res['FEATURES']} features; open its event layer in the events dock")
    return path


def open_qgis(project_path: Path, out: Path) -> int:
    headless = not os.environ.get("DISPLAY")
    shot = ROOT / "dist" / "demo.png"
    env = [
        f"GRIDGOV_ZIP={ROOT / 'dist' / 'grid_governance_plugin.zip'}",
        f"GRIDGOV_SCREENSHOT={shot}",
        "GRIDGOV_SHOW_DOCK=GridGovCoverageDock",
        f"GRIDGOV_REPORT={out / 'qgis_report.json'}",
    ]
    if headless:
        env.append("GRIDGOV_QUIT=1")
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "qgis_run.py"),
        "--profiles",
        str(out / "profiles"),
        "--locale",
        # QGIS 3.22 ships its Simplified Chinese as zh-Hans (what 简体中文 in Options sets): with
        # zh_CN QGIS itself stays English; the plugin follows either (core/translators.py)
        DEMO_LOCALE,
        "--code",
        str(ROOT / "scripts" / "qgis_probe.py"),
        "--project",
        str(project_path),
        "--timeout",
        "600" if headless else "86400",
    ]
    for e in env:
        cmd += ["--env", e]
    rc = subprocess.run(cmd).returncode
    if headless:
        if shot.exists():
            print(f"Screenshot: {shot}")
        print("Summary:\n" + "\n".join(SUMMARY))
    return rc


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # PyQGIS standalone scripts can crash in interpreter teardown after exitQgis(); all
    # files are written and closed by now, so leave without it
    os._exit(code)
