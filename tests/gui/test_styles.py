"""Every style the plugin applies fits the layer it is applied to (issue #9, item 4).

Each style of gui/styles.py is applied to a layer produced the way the plugin produces it: the
store's tables of the demo district, or the output of the algorithm the style belongs to. The
renderer must read fields the layer has, its classes must hold the values present, and the
layer must draw pixels where it has features. (The workload map classified 'deviation_pct'
while gridstats writes 'hh_dev_pct', and drew nothing.)
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, QSize, Qt
from qgis.PyQt.QtGui import QColor

from grid_governance_plugin.gui import styles
from grid_governance_plugin.processing.alg_camera_import import ImportCamerasAlgorithm
from grid_governance_plugin.processing.alg_coverage import (
    CameraFovAlgorithm,
    CoverageAlgorithm,
    SuggestCamerasAlgorithm,
)
from grid_governance_plugin.processing.alg_events import HotspotsAlgorithm
from grid_governance_plugin.processing.alg_grids import GridStatsAlgorithm, UnifyGridsAlgorithm, ValidateGridsAlgorithm
from tests.helpers import run_alg

ROOT = Path(__file__).resolve().parents[2]


def _gpkg(path: Path, name: str, subset: str = "") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid(), name
    if subset:
        layer.setSubsetString(subset)
    return layer


def _out(path: Path) -> QgsVectorLayer:
    layer = QgsVectorLayer(str(path), path.stem, "ogr")
    if not layer.isValid():  # say what the file is like: missing, empty, or a table not yet written
        from osgeo import gdal

        gdal.UseExceptions()
        try:
            info = gdal.VectorInfo(str(path)) if hasattr(gdal, "VectorInfo") else gdal.OpenEx(str(path)).GetLayerCount()
        except Exception as exc:  # noqa: BLE001 - reported, not handled
            info = repr(exc)
        raise AssertionError(
            f"{path}: exists={path.exists()} size={path.stat().st_size if path.exists() else 0}: {info}"
        )
    return layer


def _faulty_grids(city: Path, out: Path) -> QgsVectorLayer:
    """The demo's grids with the faults a planner meets: an overlap, a gap and a non-standard code."""
    src = _gpkg(city, "grid")
    layer = QgsVectorLayer(f"MultiPolygon?crs={src.crs().authid()}", "grids", "memory")
    layer.dataProvider().addAttributes(src.fields().toList())
    layer.updateFields()
    feats = []
    for i, f in enumerate(src.getFeatures()):
        nf = QgsFeature(layer.fields())
        nf.setAttributes(f.attributes())
        g = QgsGeometry(f.geometry())
        if i == 0:
            g = g.buffer(0.0002, 4)  # spills into its neighbours: overlaps
        elif i == 5:
            g = g.buffer(-0.0002, 4)  # shrinks from them: gaps
        elif i == 9:
            nf["grid_code"] = "310101001002008-1"
        g.convertToMultiType()
        nf.setGeometry(g)
        feats.append(nf)
    layer.dataProvider().addFeatures(feats)
    return layer


@pytest.fixture(scope="module")
def produced(qgis_app, qgis_processing, tmp_path_factory):
    """style kind -> [(what, layer)] for every way the plugin produces a layer it styles."""
    from grid_governance_plugin.core import democity
    from grid_governance_plugin.core.store import gpkg

    tmp = tmp_path_factory.mktemp("styles")
    city = tmp / "city.gpkg"
    gpkg.write_city(democity.generate(seed=42, scale="demo"), city)
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "scripts" / "make_demo.py")
    make_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_demo)
    make_demo.street_space(city)  # the demo's area to watch

    cams, blds, grid = (_gpkg(city, n) for n in ("camera", "building", "grid"))
    target, comm, events = _gpkg(city, "street_space"), _gpkg(city, "community"), _gpkg(city, "event")

    def run(alg, params, *outputs):
        params = {**params, **{o: str(tmp / f"{alg.ALG_ID}_{o}.gpkg") for o in outputs}}
        run_alg(alg, params)
        return [_out(Path(params[o])) for o in outputs]

    (fov,) = run(CameraFovAlgorithm, {"INPUT": cams, "OBSTACLES": blds}, "OUTPUT")
    (dori,) = run(CameraFovAlgorithm, {"INPUT": cams, "OBSTACLES": blds, "DORI_BANDS": True}, "OUTPUT")
    cov, blind, ratio = run(
        CoverageAlgorithm,
        {"CAMERAS": cams, "OBSTACLES": blds, "TARGET": target, "GRIDS": grid},
        "COVERAGE",
        "BLIND_SPOTS",
        "GRID_STATS",
    )
    (problems,) = run(ValidateGridsAlgorithm, {"GRIDS": _faulty_grids(city, tmp), "PARENTS": comm}, "OUTPUT")
    (stats,) = run(GridStatsAlgorithm, {"GRIDS": grid, "BUILDINGS": blds, "EVENTS": events}, "OUTPUT")
    depts = [_gpkg(city, "dept_grid", f"\"department\" = '{d}'") for d in ("综治", "城管", "党建")]
    unified, _slivers, _takeover = run(
        UnifyGridsAlgorithm, {"INPUTS": depts, "TOLERANCE": 5}, "OUTPUT", "SLIVERS", "TAKEOVER"
    )
    (hot,) = run(HotspotsAlgorithm, {"EVENTS": events, "GRIDS": grid, "PERMUTATIONS": 99, "SEED": 1}, "OUTPUT")
    one_community = _gpkg(city, "community")
    first = next(one_community.getFeatures())
    small_target = QgsVectorLayer(f"MultiPolygon?crs={target.crs().authid()}", "t", "memory")
    clip = QgsFeature()
    clip.setGeometry(first.geometry())
    small_target.dataProvider().addFeatures([clip])
    (suggested,) = run(SuggestCamerasAlgorithm, {"TARGET": small_target, "COUNT": 3}, "OUTPUT")
    csv = tmp / "devices.csv"
    shutil.copy(ROOT / "tests" / "data" / "cameras" / "sample_devices_zh.csv", csv)
    imp = ImportCamerasAlgorithm().create()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    res, ok = imp.run(
        {"INPUT": str(csv), "FORMAT": 0, "OUTPUT": "TEMPORARY_OUTPUT", "REPORT": "TEMPORARY_OUTPUT"},
        context,
        QgsProcessingFeedback(),
    )
    assert ok
    imported = context.takeResultLayer(res["OUTPUT"])

    from grid_governance_plugin.gui import live_layer as ll

    live = ll.make_memory_layer("live")
    f = QgsFeature(live.fields())
    f.setGeometry(QgsGeometry.fromWkt("POINT(116.39 39.91)"))
    f["status"] = "reported"
    live.dataProvider().addFeatures([f])

    out = {
        "grid": [("store grid", grid), ("gridgov:unifygrids", unified)],
        "community": [("store community", comm)],
        "street": [("store street", _gpkg(city, "street"))],
        "dept_grid": [("store dept_grid", _gpkg(city, "dept_grid"))],
        "building": [("store building", blds)],
        "road": [("store road", _gpkg(city, "road"))],
        "street_space": [("demo street space", target)],
        "camera": [("store camera", cams), ("gridgov:importcameras", imported)],
        "suggested_cameras": [("gridgov:suggestcameras", suggested)],
        "fov": [("gridgov:camerafov", fov)],
        "dori": [("gridgov:camerafov DORI bands", dori)],
        "coverage": [("gridgov:coverage COVERAGE", cov)],
        "blind_spots": [("gridgov:coverage BLIND_SPOTS", blind)],
        "coverage_ratio": [("gridgov:coverage GRID_STATS", ratio)],
        "grid_problems": [("gridgov:validategrids", problems)],
        "grid_stats": [("gridgov:gridstats", stats)],
        "event": [("store event", events), ("live layer", live)],
        "heatmap": [("store event", _gpkg(city, "event"))],
        "hotspots": [("gridgov:hotspots", hot)],
    }
    yield out
    # free the layers while QGIS runs: collected at exit, after exitQgis, they crash it
    out.clear()
    del imp, context, imported, live
    import gc

    gc.collect()


def drawn_pixels(layer: QgsVectorLayer, size: int = 300) -> int:
    """Pixels the layer draws alone over its own extent (white background)."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    extent = layer.extent()
    extent.scale(1.05)
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    white = QColor(255, 255, 255).rgb()
    return sum(img.pixel(x, y) != white for y in range(0, size, 2) for x in range(0, size, 2)) * 4


STYLE_KINDS = [
    "grid",
    "community",
    "street",
    "dept_grid",
    "building",
    "road",
    "street_space",
    "camera",
    "suggested_cameras",
    "fov",
    "dori",
    "coverage",
    "blind_spots",
    "coverage_ratio",
    "grid_problems",
    "grid_stats",
    "event",
    "heatmap",
    "hotspots",
]


def test_every_style_kind_is_covered_here():
    """A style added to styles.apply gets a test here (its kinds are the branches of apply)."""
    import inspect
    import re

    kinds = set(re.findall(r'kind (?:==|in) \(?"([a-z_]+)"', inspect.getsource(styles.apply)))
    kinds |= {
        k
        for group in re.findall(r"kind in \(([^)]*)\)", inspect.getsource(styles.apply))
        for k in re.findall(r'"([a-z_]+)"', group)
    }
    # live_events: test_live_events_rings_overdue_soon_and_escalated_to_you below
    assert kinds - {"district", "city", "live_events"} <= set(STYLE_KINDS), kinds - set(STYLE_KINDS)


def test_live_events_rings_overdue_soon_and_escalated_to_you(qgis_app):
    """The live layer's rules (009): a ring for overdue and soon overdue, a star for "escalated to you"."""
    from qgis.core import QgsExpressionContext, QgsExpressionContextScope, QgsFeature, QgsRenderContext

    layer = QgsVectorLayer(
        "Point?crs=EPSG:4490&field=status:string&field=deadline_at:datetime&field=escalated_at:datetime"
        "&field=level:string",
        "live",
        "memory",
    )
    styles.apply(layer, "live_events")
    renderer = layer.renderer()
    keys = {r.ruleKey() for r in renderer.rootRule().children()}
    assert {"overdue", "soon", "escalated_to_me"} <= keys
    scope = QgsExpressionContextScope()
    scope.setVariable("gridgov_now", "2024-10-08T10:00:00")
    scope.setVariable("gridgov_soon_until", "2024-10-08T14:00:00")
    scope.setVariable("gridgov_my_level", "street")
    ctx = QgsRenderContext()
    expressions = QgsExpressionContext()
    expressions.appendScope(scope)  # the context owns the scope from here
    ctx.setExpressionContext(expressions)
    renderer.startRender(ctx, layer.fields())
    try:

        def rules(status, deadline, escalated, level):
            f = QgsFeature(layer.fields())
            f.setAttributes([status, QDateTime.fromString(deadline, Qt.ISODate), escalated, level])
            return {r.ruleKey() for r in renderer.rootRule().children() if r.willRenderFeature(f, ctx)}

        assert "overdue" in rules("dispatched", "2024-10-08T09:00:00", None, "community")
        assert "soon" in rules("dispatched", "2024-10-08T12:00:00", None, "community")
        late_closed = rules("closed", "2024-10-08T09:00:00", None, "community")
        assert not late_closed & {"overdue", "soon"}
        escalated = QDateTime.fromString("2024-10-08T09:30:00", Qt.ISODate)
        assert "escalated_to_me" in rules("dispatched", "2024-10-09T12:00:00", escalated, "street")
        assert "escalated_to_me" not in rules("dispatched", "2024-10-09T12:00:00", escalated, "district")
    finally:
        renderer.stopRender(ctx)


@pytest.mark.parametrize("kind", STYLE_KINDS)
def test_style_fits_the_layers_it_is_applied_to(produced, kind):
    for what, layer in produced[kind]:
        # (featureCount() may be unknown, -1, for a GeoPackage table whose count OGR has not stored)
        assert any(True for _ in layer.getFeatures()), f"{what} produced no features: the style cannot be checked"
        styles.apply(layer, kind)
        assert styles.value_problems(layer) == [], f"style {kind} on {what}"
        if kind == "road":
            continue  # white roads are drawn on the street space, not on white paper
        n = sum(1 for _ in layer.getFeatures())
        assert drawn_pixels(layer) >= min(400, 40 * n), f"style {kind} on {what} draws (almost) nothing"


def test_workload_map_classifies_gridstats_field_with_readable_legend(produced):
    ((_what, layer),) = produced["grid_stats"]
    styles.apply(layer, "grid_stats")
    r = layer.renderer()
    assert r.classAttribute() == "hh_dev_pct"
    labels = [rg.label() for rg in r.ranges()]
    assert not any("1000" in text for text in labels), labels
    values = [f["hh_dev_pct"] for f in layer.getFeatures()]
    used = {next(i for i, rg in enumerate(r.ranges()) if rg.lowerValue() <= v <= rg.upperValue()) for v in values}
    assert len(used) >= 3  # the demo's grids fall into several classes: the map says something


def test_a_style_that_reads_a_missing_field_is_reported(produced):
    ((_what, layer),) = produced["coverage"]
    from qgis.core import QgsFeatureRequest, QgsGraduatedSymbolRenderer

    clone = layer.materialize(QgsFeatureRequest())
    clone.setRenderer(QgsGraduatedSymbolRenderer("deviation_pct"))
    assert styles.field_problems(clone) and styles.value_problems(clone)
