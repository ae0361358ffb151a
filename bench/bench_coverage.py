"""Camera coverage benchmark: a generated city at scale, the live single-camera redraw, baselines.

    .venv/bin/python bench/bench_coverage.py                    # 50,000 cameras, 500,000 buildings, 2 workers
    .venv/bin/python bench/bench_coverage.py --scale 0.1        # a tenth (quick look)
    .venv/bin/python bench/bench_coverage.py --grass 5          # also GRASS r.viewshed on 5 cameras

Timings are wall-clock seconds on this machine; CPU seconds are printed next to them because
other processes share the two cores. The naive baseline casts one shapely ray every 0.25
degree per camera (on a sample, extrapolated); the GRASS baseline runs r.viewshed on a 0.5 m
building raster around a few cameras (extrapolated). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grid_governance_plugin.core.coverage.camera import Camera  # noqa: E402
from grid_governance_plugin.core.coverage.coverage import compute_coverage  # noqa: E402
from grid_governance_plugin.core.coverage.fabric import fabric_city  # noqa: E402
from grid_governance_plugin.core.coverage.glue import STATS as glue_stats  # noqa: E402
from grid_governance_plugin.core.coverage.live import LiveCoverage  # noqa: E402
from grid_governance_plugin.core.coverage.obstacles import Obstacles  # noqa: E402
from grid_governance_plugin.core.coverage.scene import block_city  # noqa: E402
from grid_governance_plugin.core.coverage.visibility import FovEngine  # noqa: E402


class Timer:
    def __init__(self, label: str, results: dict):
        self.label, self.results = label, results

    def __enter__(self):
        self.t, self.c = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc):
        wall, cpu = time.perf_counter() - self.t, _cpu() - self.c
        self.results[self.label] = wall
        print(f"  {self.label:<34} {wall:8.2f} s wall {cpu:8.2f} s cpu (incl. workers)", flush=True)


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def peak_child_rss_mb() -> float:
    """Largest peak of the finished worker processes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} cores"


REALDATA = next(
    (p for p in (ROOT.parent / "shared" / "realdata", Path("/work/shared/realdata")) if p.exists()),
    ROOT.parent / "shared" / "realdata",
)


def naive_fov(cam: Camera, blockers, step_deg: float = 0.25):
    """One shapely ray every ``step_deg`` degrees, cut at the first obstacle; the polygon of the ray ends."""
    near, far = cam.near_far()
    if cam.hfov >= 360:
        angles = np.arange(0.0, 360.0, step_deg)
    else:
        angles = np.arange(cam.azimuth - cam.hfov / 2, cam.azimuth + cam.hfov / 2 + 1e-9, step_deg)
    ends = []
    origin = shapely.Point(cam.x, cam.y)
    for a in np.radians(angles):
        ray = shapely.LineString([(cam.x, cam.y), (cam.x + far * math.sin(a), cam.y + far * math.cos(a))])
        cut = ray.difference(blockers) if blockers is not None else ray
        if cut.is_empty:
            ends.append((cam.x, cam.y))
            continue
        parts = list(cut.geoms) if hasattr(cut, "geoms") else [cut]
        first = min(parts, key=lambda p: p.distance(origin))
        ends.append(first.coords[-1])
    ring = ends if cam.hfov >= 360 else [(cam.x, cam.y)] + ends
    return shapely.Polygon(ring)


def run_grass(cams: list[Camera], obstacles: Obstacles, height_default: float = 20.0) -> float | None:
    """Seconds per camera for GRASS r.viewshed on a 0.5 m raster of building heights around each camera."""
    grass = shutil.which("grass")
    gdal_rasterize = shutil.which("gdal_rasterize")
    if not grass or not gdal_rasterize:
        print("  GRASS or gdal_rasterize not found; GRASS baseline skipped")
        return None
    from osgeo import ogr, osr

    per_cam = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, cam in enumerate(cams):
            r = cam.range_m
            x0, y0, x1, y1 = cam.x - r, cam.y - r, cam.x + r, cam.y + r
            near = obstacles.tree.query(shapely.box(x0, y0, x1, y1))
            shp = os.path.join(tmp, f"b{k}.gpkg")
            drv = ogr.GetDriverByName("GPKG")
            ds = drv.CreateDataSource(shp)
            srs = osr.SpatialReference()
            srs.ImportFromEPSG(3857)
            lyr = ds.CreateLayer("b", srs, ogr.wkbPolygon)
            lyr.CreateField(ogr.FieldDefn("h", ogr.OFTReal))
            for g in obstacles.polys[near]:
                f = ogr.Feature(lyr.GetLayerDefn())
                f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
                f.SetField("h", height_default)
                lyr.CreateFeature(f)
            ds = None
            tif = os.path.join(tmp, f"dsm{k}.tif")
            subprocess.run(
                [
                    gdal_rasterize,
                    "-q",
                    "-a",
                    "h",
                    "-init",
                    "0",
                    "-tr",
                    "0.5",
                    "0.5",
                    "-te",
                    str(x0),
                    str(y0),
                    str(x1),
                    str(y1),
                    "-ot",
                    "Float32",
                    shp,
                    tif,
                ],
                check=True,
            )
            script = (
                f"r.in.gdal -o input={tif} output=dsm --q && g.region raster=dsm && "
                f"r.viewshed input=dsm output=vs coordinates={cam.x},{cam.y} observer_elevation={cam.height_m} "
                f"max_distance={r} -b --q --o"
            )
            t = time.perf_counter()
            proc = subprocess.run(
                [grass, "--tmp-location", "EPSG:3857", "--exec", "bash", "-c", script], capture_output=True, text=True
            )
            dt = time.perf_counter() - t
            if proc.returncode != 0:
                print("  r.viewshed failed:", proc.stderr.strip()[-300:])
                return None
            per_cam.append(dt)
    return float(np.median(per_cam))


def manhattan_redraw(n: int = 200) -> None:
    """Single-camera redraw latency among real Manhattan footprints (the live map tool's work)."""
    gpkg = ROOT.parent / "shared" / "realdata" / "nyc_midtown" / "nyc_midtown_osm.gpkg"
    if not gpkg.exists():
        gpkg = Path("/work/shared/realdata/nyc_midtown/nyc_midtown_osm.gpkg")
    if not gpkg.exists():
        return
    from osgeo import ogr, osr

    ds = ogr.Open(str(gpkg))
    layer = ds.GetLayerByName("buildings")
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(32618)
    src = layer.GetSpatialRef()
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    wkbs = []
    for feat in layer:
        g = feat.GetGeometryRef().Clone()
        g.Transform(ct)
        wkbs.append(bytes(g.ExportToWkb()))
    t = time.perf_counter()
    obstacles = Obstacles.build(shapely.from_wkb(wkbs, on_invalid="fix"))
    build = time.perf_counter() - t
    engine = FovEngine(obstacles)
    rng = np.random.default_rng(2)
    x0, y0, x1, y1 = shapely.total_bounds(obstacles.polys)
    lat = []
    while len(lat) < n:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        cam = Camera(x, y, azimuth=float(rng.uniform(0, 360)), hfov=90.0, range_m=100.0)
        t = time.perf_counter()
        fov, msgs = engine.fov(cam)
        if not msgs:
            lat.append(time.perf_counter() - t)
    print(
        f"  Manhattan ({len(wkbs):,} OSM footprints, index {build:.2f} s): single-camera redraw, 100 m range: "
        f"median {1000 * np.median(lat):.2f} ms, p95 {1000 * np.percentile(lat, 95):.2f} ms (goal 50 ms)"
    )


STAGES = ("obstacles (repair, merge, index)", "fields of view", "coverage + blind spots")


def run_city(name: str, scene, workers: int) -> dict:
    """Obstacles, fields of view, coverage of one city; figures printed and returned."""
    res: dict = {}
    n_target = int(shapely.get_num_coordinates(scene.target).sum())
    print(
        f"{name}: {len(scene.cameras):,} cameras, {len(scene.buildings):,} buildings "
        f"({shapely.get_num_coordinates(scene.buildings).mean():.1f} vertices each), "
        f"{scene.extent[2] / 1000:.1f} km x {scene.extent[3] / 1000:.1f} km, target {n_target:,} vertices; {load()}",
        flush=True,
    )
    with Timer(STAGES[0], res):
        obstacles = Obstacles.build(scene.buildings, workers=workers)
    engine = FovEngine(obstacles)
    with Timer(STAGES[1], res):
        fovs, msgs = engine.fovs(scene.cameras, workers=workers)
    timings: dict[str, float] = {}
    glue_stats.update(linked=0, fallback=0, fallback_pieces=0)
    with Timer(STAGES[2], res):
        result = compute_coverage(fovs, scene.target, obstacles, None, workers=workers, timings=timings)
    res["total"] = sum(res[s] for s in STAGES)
    res["glue"] = timings.get("glue", 0.0)
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items() if k not in ("glue", "dissolve"))
    print(f"  coverage phases, summed over the workers (wall): {phases}")
    res["blind"] = len(result.blind_spots)
    res["ratio"] = result.covered_m2 / max(result.target_m2, 1.0)
    res["target_vertices"] = n_target
    res["invalid"] = len(obstacles.invalid)
    res["peak_mb"] = peak_rss_mb()
    res["child_mb"] = peak_child_rss_mb()
    print(
        f"  TOTAL (obstacles + FOVs + coverage)  {res['total']:8.2f} s wall; {load()}\n"
        f"  of which gluing blind spots across tiles {res['glue']:.2f} s (main process): "
        f"{glue_stats['linked']:,} blind spots linked, {glue_stats['fallback']:,} left to GEOS's union "
        f"({glue_stats['fallback_pieces']:,} pieces)\n"
        f"  coverage {res['ratio']:.1%} of {result.target_m2 / 1e6:.2f} km2, {res['blind']:,} blind spots, "
        f"{len(msgs)} camera messages, {res['invalid']} invalid footprints repaired, "
        f"peak RSS {res['peak_mb']:,.0f} MB main / {res['child_mb']:,.0f} MB per worker",
        flush=True,
    )
    res.update(obstacles=obstacles, engine=engine, fovs=fovs, result=result)
    return res


def run_live(scene, fovs, engine, workers: int, moves: int, seed: int = 5) -> None:
    """Build the live state from the computed views, then time ``moves`` single-camera updates."""
    t = time.perf_counter()
    live = LiveCoverage.build(
        [(c.id, c) for c in scene.cameras],
        scene.target,
        engine.obstacles,
        scene.grids,
        engine=engine,
        fovs=fovs,
        workers=workers,
    )
    print(
        f"  live state built in {time.perf_counter() - t:.1f} s ({len(live.setup):,} regions: "
        f"{len(scene.grids):,} grids), city coverage {live.ratio:.2%}; peak RSS {peak_rss_mb():,.0f} MB",
        flush=True,
    )
    rng = np.random.default_rng(seed)
    keys = list(live.cameras)
    lat, regions = [], []
    for _ in range(moves):
        key = keys[int(rng.integers(len(keys)))]
        cam = live.cameras[key]
        d, a = rng.uniform(0, 40), rng.uniform(0, 2 * math.pi)
        moved = Camera(
            cam.x + d * math.sin(a),
            cam.y + d * math.cos(a),
            azimuth=float(rng.uniform(0, 360)),
            hfov=cam.hfov,
            range_m=cam.range_m,
            height_m=cam.height_m,
            id=key,
        )
        t = time.perf_counter()
        update = live.set_camera(key, moved)
        touched = live.blind_spots_touched(update)  # the blind spots of the regions that changed
        for gid in update.grids:  # every changed grid's figures; the dock shows one and the city's
            if gid is not None:
                live.grid_stat(gid)
        _ = live.ratio, len(touched)
        lat.append(1000 * (time.perf_counter() - t))
        regions.append(len(update.regions))
    print(
        f"  live city-wide update after a camera moves ({moves} random cameras, coverage + blind spots + "
        f"grid figures): median {np.median(lat):.1f} ms, p95 {np.percentile(lat, 95):.1f} ms, "
        f"max {np.max(lat):.1f} ms (goal 200 ms); {np.mean(regions):.1f} regions per update; {load()}",
        flush=True,
    )


def check_against_before(scene, obstacles, fovs, name: str) -> None:
    """Today's engine (before issue 13) and the current one on the same views: areas per grid, blind spots."""
    import coverage_before

    for grids, label in ((None, "no grids"), (scene.grids, f"{len(scene.grids):,} grids")):
        t = time.perf_counter()
        old = coverage_before.compute_coverage(fovs, scene.target, obstacles, grids, workers=2)
        t_old = time.perf_counter() - t
        t = time.perf_counter()
        new = compute_coverage(fovs, scene.target, obstacles, grids, workers=2)
        t_new = time.perf_counter() - t
        a = {s.grid: s for s in old.grid_stats}
        b = {s.grid: s for s in new.grid_stats}
        worst = max(max(abs(a[g].covered_m2 - b[g].covered_m2), abs(a[g].target_m2 - b[g].target_m2)) for g in a)
        same_counts = a.keys() == b.keys() and all(a[g].blind_count == b[g].blind_count for g in a)
        old_areas = np.sort([x.area for x in old.blind_spots if x.area >= 1.0])
        new_areas = np.sort([x.area for x in new.blind_spots if x.area >= 1.0])
        blind_diff = float(np.abs(old_areas - new_areas).max()) if len(old_areas) == len(new_areas) else float("nan")
        print(
            f"  check {name}, {label}: before {t_old:.1f} s, now {t_new:.1f} s; largest per-grid area difference "
            f"{worst:.2e} m2; blind spots {len(old_areas):,} / {len(new_areas):,}, same counts per grid: "
            f"{same_counts}, largest area difference {blind_diff:.2e} m2",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 50,000 cameras and 500,000 buildings")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cities", default="block,fabric", help="block, fabric or both (comma-separated)")
    ap.add_argument("--moves", type=int, default=200, help="live updates timed in the real-fabric city")
    ap.add_argument("--check", action="store_true", help="compare with the engine before issue 13")
    ap.add_argument("--naive-sample", type=int, default=40)
    ap.add_argument("--grass", type=int, default=0, help="cameras for the GRASS r.viewshed baseline (0: skip)")
    args = ap.parse_args()
    n_cam, n_bld = int(50_000 * args.scale), int(500_000 * args.scale)
    print(f"Cities of {n_cam:,} cameras and {n_bld:,} buildings, {args.workers} workers; {load()}")
    cities = [c.strip() for c in args.cities.split(",") if c.strip()]
    done: dict[str, dict] = {}
    for city in cities:
        t = time.perf_counter()
        if city == "block":
            scene = block_city(n_bld, n_cam)
        else:
            scene = fabric_city(REALDATA, n_bld, n_cam)
        print(f"generated {city} city in {time.perf_counter() - t:.1f} s")
        res = run_city("block city" if city == "block" else "real-fabric city", scene, args.workers)
        if args.check:
            sys.path.insert(0, str(ROOT / "bench"))
            check_against_before(scene, res["obstacles"], res["fovs"], city)
        if city == "fabric" and args.moves:
            res.pop("result")  # the live state is built anew: do not hold both
            gc.collect()
            run_live(scene, res["fovs"], res["engine"], args.workers, args.moves)
        if city == "block":  # the other measurements run on the block city; then it is freed
            extras(scene, res["obstacles"], res["engine"], args)
        done[city] = {k: v for k, v in res.items() if k not in ("obstacles", "engine", "fovs", "result")}
        del res, scene
        gc.collect()
    if len(done) == 2:
        b, f = done["block"], done["fabric"]
        print("\n| stage | block city | real-fabric city | ratio |\n|---|---:|---:|---:|")
        for stage in (*STAGES, "total"):
            print(f"| {stage} | {b[stage]:.1f} s | {f[stage]:.1f} s | x{f[stage] / max(b[stage], 1e-9):.1f} |")
        print(f"| target vertices | {b['target_vertices']:,} | {f['target_vertices']:,} | |")
        print(f"| blind spots | {b['blind']:,} | {f['blind']:,} | |")
        print(f"| peak memory (main) | {b['peak_mb']:,.0f} MB | {f['peak_mb']:,.0f} MB | |")
        print(f"{load()}\n")


def extras(scene, obstacles, engine, args) -> None:
    """The single-camera redraw, the naive and GRASS baselines (block city) and Manhattan's redraw."""
    n_cam = len(scene.cameras)
    # live redraw: one camera in a dense block, the engine (obstacle index) already built
    rng = np.random.default_rng(1)
    idx = rng.choice(len(scene.cameras), min(200, n_cam), replace=False)
    lat = []
    for i in idx:
        c = scene.cameras[i]
        cam = Camera(c.x, c.y, azimuth=float(rng.uniform(0, 360)), hfov=90, range_m=80)
        t = time.perf_counter()
        engine.fov(cam)
        lat.append(time.perf_counter() - t)
    print(
        f"  single-camera redraw: median {1000 * np.median(lat):.2f} ms, max {1000 * np.max(lat):.2f} ms (goal 50 ms)"
    )

    # naive baseline on a sample
    # street cameras only (the first half): the naive caster knows nothing of the facade rule
    sample = [scene.cameras[i] for i in idx if i < n_cam // 2][: args.naive_sample]
    t = time.perf_counter()
    ours, _ = engine.fovs(sample)
    ours_t = (time.perf_counter() - t) / len(sample)
    t = time.perf_counter()
    diffs = []
    for cam, mine in zip(sample, ours):
        near = obstacles.tree.query(shapely.Point(cam.x, cam.y).buffer(cam.range_m))
        blockers = shapely.union_all(obstacles.polys[near]) if len(near) else None
        ref = naive_fov(cam, blockers)
        if not mine.is_empty and ref.is_valid:
            diffs.append(ref.symmetric_difference(mine).area / mine.area)
    naive_t = (time.perf_counter() - t) / len(sample)
    print(
        f"  naive 0.25-degree shapely rays: {1000 * naive_t:.1f} ms/camera vs ours {1000 * ours_t:.2f} ms/camera "
        f"(single process): x{naive_t / ours_t:.0f}; extrapolated to {n_cam:,} cameras {naive_t * n_cam:,.0f} s; "
        f"median area difference {100 * np.median(diffs):.2f} %"
    )
    manhattan_redraw()
    if args.grass:
        g = run_grass(sample[: args.grass], obstacles)
        if g is not None:
            print(
                f"  GRASS r.viewshed (0.5 m raster, per camera incl. import): {g:.2f} s/camera: x{g / ours_t:.0f}; "
                f"extrapolated to {n_cam:,} cameras {g * n_cam / 3600:,.1f} h"
            )


if __name__ == "__main__":
    main()
