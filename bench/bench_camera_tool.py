"""Per-redraw time of the camera map tool (budget: 50 ms while dragging). Not a test: nothing asserts.

    .venv/bin/python bench/bench_camera_tool.py                 # demo city + Manhattan midtown (real OSM)
    .venv/bin/python bench/bench_camera_tool.py --cameras 40 --steps 36

For each sampled camera the canvas is zoomed to it (500 m), the tool prepares its obstacles
(timed apart: once per activation), then the camera is turned through ``steps`` azimuths; each
redraw is timed end to end (engine view + QGIS geometry + transform + rubber band) and the
engine part alone (LiveFov.last_ms).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas  # noqa: E402

REALDATA = Path("/work/shared/realdata")


def _stats(values) -> str:
    v = np.asarray(values, dtype=float)
    return f"median {np.median(v):6.2f} ms  p95 {np.percentile(v, 95):6.2f} ms  max {v.max():6.2f} ms"


def run_scene(name: str, canvas, buildings: QgsVectorLayer, cams_xy: np.ndarray, metric: str, steps: int) -> None:
    from grid_governance_plugin.core import settings
    from grid_governance_plugin.gui.camera_tool import CameraMapTool

    settings.set_value("camera/range_m", 60.0)
    layer = QgsVectorLayer(
        f"Point?crs={buildings.crs().authid()}&field=azimuth:double&field=hfov:double", "cameras", "memory"
    )
    tool = CameraMapTool(canvas, layer, buildings)
    to_canvas = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(metric), canvas.mapSettings().destinationCrs(), QgsProject.instance()
    )
    full, engine, prep, n_obs = [], [], [], []
    for x, y in cams_xy:
        box = to_canvas.transformBoundingBox(QgsRectangle(x - 250, y - 250, x + 250, y + 250))
        canvas.setExtent(box)
        t0 = time.perf_counter()
        tool.prepare()
        prep.append(1000 * (time.perf_counter() - t0))
        n_obs.append(len(tool.live.obstacles))
        p = tool._canvas_to_metric.transform(to_canvas.transform(QgsPointXY(x, y)))
        tool._state = {
            "x": p.x(),
            "y": p.y(),
            "azimuth": 0.0,
            "hfov": 90.0,
            "range_m": 60.0,
            "height_m": 6.0,
            "tilt": None,
            "vfov": None,
        }
        for az in np.linspace(0, 360, steps, endpoint=False):
            tool._state["azimuth"] = float(az)
            t0 = time.perf_counter()
            tool.redraw()
            full.append(1000 * (time.perf_counter() - t0))
            engine.append(tool.live.last_ms)
    print(f"{name}: {len(cams_xy)} cameras x {steps} azimuths, {int(np.median(n_obs))} obstacles prepared (median)")
    print(f"  prepare (once per activation): {_stats(prep)}")
    print(f"  redraw, end to end:            {_stats(full)}   (budget 50 ms; {np.mean(np.array(full) > 50):.1%} over)")
    print(f"  of which the engine's view:    {_stats(engine)}")


def demo_scene(canvas, n: int, steps: int, rng) -> None:
    from grid_governance_plugin.core import democity

    city = democity.generate(42, "demo")
    metric = f"EPSG:{city.metric_epsg}"
    b = city["building"].geoms
    layer = QgsVectorLayer(f"MultiPolygon?crs={metric}", "buildings", "memory")
    feats = []
    from grid_governance_plugin.core.store.qgsio import to_qgs

    for g in b:
        f = QgsFeature()
        f.setGeometry(to_qgs(g))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(metric))
    xy = city["camera"].xy
    pick = xy[rng.choice(len(xy), size=min(n, len(xy)), replace=False)]
    run_scene(f"demo city ({len(b)} buildings, {len(xy)} cameras, {metric})", canvas, layer, pick, metric, steps)


def manhattan_scene(canvas, n: int, steps: int, rng) -> None:
    gpkg = REALDATA / "nyc_midtown" / "nyc_midtown_osm.gpkg"
    if not gpkg.exists():
        print("Manhattan data not found; skipped")
        return
    blds = QgsVectorLayer(f"{gpkg}|layername=buildings", "buildings", "ogr")
    cams = QgsVectorLayer(f"{gpkg}|layername=cameras", "cameras", "ogr")
    metric = "EPSG:32618"
    to_m = QgsCoordinateTransform(cams.crs(), QgsCoordinateReferenceSystem(metric), QgsProject.instance())
    xy = np.array([[p.x(), p.y()] for p in (to_m.transform(f.geometry().asPoint()) for f in cams.getFeatures())])
    pick = xy[rng.choice(len(xy), size=min(n, len(xy)), replace=False)]
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    run_scene(
        f"Manhattan midtown OSM ({blds.featureCount()} buildings, EPSG:4326 layers, canvas EPSG:3857)",
        canvas,
        blds,
        pick,
        metric,
        steps,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cameras", type=int, default=25)
    ap.add_argument("--steps", type=int, default=36)
    args = ap.parse_args()
    app = QgsApplication([], True)
    app.initQgis()
    canvas = QgsMapCanvas()
    canvas.resize(1200, 900)
    rng = np.random.default_rng(7)
    demo_scene(canvas, args.cameras, args.steps, rng)
    manhattan_scene(canvas, args.cameras, args.steps, rng)


if __name__ == "__main__":
    main()
