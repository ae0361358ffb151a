"""The engine on real OpenStreetMap footprints (Manhattan midtown, Shanghai Bund): invalid rings, real cameras."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core.coverage.brute import seen_by
from grid_governance_plugin.core.coverage.camera import CameraDefaults, parse_camera
from grid_governance_plugin.core.coverage.coverage import compute_coverage
from grid_governance_plugin.core.coverage.obstacles import Obstacles
from grid_governance_plugin.core.coverage.visibility import FovEngine


def _read(path, layer_name: str, epsg: int, attributes: bool = True):
    """Geometries (shapely, projected to ``epsg``) and attribute dicts of an OGR layer."""
    from osgeo import ogr, osr

    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName(layer_name)
    src = layer.GetSpatialRef()
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(epsg)
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    geoms, rows = [], []
    for feat in layer:
        g = feat.GetGeometryRef()
        if g is None:
            continue
        g = g.Clone()
        g.Transform(ct)
        # OSM extracts hold rings GEOS refuses to read (fewer than 4 points): let shapely repair them
        geoms.append(shapely.from_wkb(bytes(g.ExportToWkb()), on_invalid="fix"))
        if attributes:
            rows.append(feat.items())
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    return arr, rows


@pytest.fixture(scope="module")
def manhattan(realdata):
    gpkg = realdata / "nyc_midtown" / "nyc_midtown_osm.gpkg"
    buildings, _ = _read(gpkg, "buildings", 32618, attributes=False)
    cam_geoms, cam_rows = _read(gpkg, "cameras", 32618)
    return buildings, cam_geoms, cam_rows


def test_manhattan_invalid_rings_are_repaired(manhattan):
    buildings, _, _ = manhattan
    assert len(buildings) == 7998
    obstacles = Obstacles.build(buildings)
    assert len(obstacles.invalid) >= 10  # the README counts 14 invalid footprints
    assert shapely.is_valid(obstacles.polys).all()
    assert 7000 < len(obstacles) <= 8100  # overlapping footprints merged, repaired multi-parts split


def test_manhattan_osm_cameras_against_brute_force(manhattan):
    buildings, cam_geoms, cam_rows = manhattan
    obstacles = Obstacles.build(buildings)
    cams, defaulted = [], 0
    for g, row in zip(cam_geoms, cam_rows):
        direction = row.get("camera_direction") or row.get("direction")
        try:
            az = float(direction) if direction not in (None, "") else None
        except ValueError:
            az = None  # compass letters: the OSM import handles those; here: unknown
        cam, msgs = parse_camera(
            g.x,
            g.y,
            {"device_id": None, "azimuth": az, "status": None},
            CameraDefaults(hfov=90, range_m=40, height_m=5),
            label=row["osm_id"],
        )
        assert cam is not None
        defaulted += any(m.level == "info" for m in msgs)
        cams.append(cam)
    assert len(cams) == 120 and defaulted == 120  # no OSM node has a field of view or a height
    fovs, msgs = FovEngine(obstacles).fovs(cams)
    assert shapely.is_valid(fovs).all()
    seeing = [i for i, f in enumerate(fovs) if not f.is_empty]
    # OSM puts many cameras (Penn Station's 23) inside station and building footprints: indoor cameras
    # see no street; each is reported, the others go on
    inside = {m.camera_id for m in msgs}
    assert len(seeing) >= 60 and len(inside) == 120 - len(seeing)
    assert all(fovs[i].is_empty for i, c in enumerate(cams) if c.id in inside)
    # the engine against the literal rules on 20 cameras x 800 points around each
    rng = np.random.default_rng(7)
    raw_tree = shapely.STRtree(buildings)
    checked = wrong = 0
    for i in seeing[::5][:20]:
        cam, fov = cams[i], fovs[i]
        near = raw_tree.query(shapely.Point(cam.x, cam.y).buffer(60))
        px = cam.x + rng.uniform(-45, 45, 800)
        py = cam.y + rng.uniform(-45, 45, 800)
        truth = seen_by(cam, px, py, buildings[near])
        got = shapely.contains_xy(fov, px, py)
        away = shapely.distance(shapely.boundary(fov), shapely.points(px, py)) > 0.5
        checked += away.sum()
        wrong += ((truth != got) & away).sum()
    assert checked > 10000
    assert wrong / checked < 0.005


def test_shanghai_bund_coverage(realdata):
    gpkg = realdata / "shanghai_bund" / "shanghai_bund_osm.gpkg"
    from osgeo import ogr

    ds = ogr.Open(str(gpkg))  # keep the dataset alive while its layers are used (GDAL would crash)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    ds = None
    layer = "buildings" if "buildings" in names else names[0]
    buildings, _ = _read(gpkg, layer, 4549, attributes=False)  # CGCS2000 3-degree GK, CM 120E
    obstacles = Obstacles.build(buildings)
    union_bounds = shapely.total_bounds(obstacles.polys)
    cx, cy = (union_bounds[0] + union_bounds[2]) / 2, (union_bounds[1] + union_bounds[3]) / 2
    window = shapely.box(cx - 300, cy - 300, cx + 300, cy + 300)
    # cameras on the facades of the window's buildings, looking outward
    from grid_governance_plugin.core.coverage.camera import Camera
    from grid_governance_plugin.core.coverage.placement import facade_sites

    sites = facade_sites(obstacles, window.difference(shapely.union_all(obstacles.polys)), 40.0)
    assert len(sites) > 20
    cams = [Camera(s.x, s.y, azimuth=s.hint, hfov=90, range_m=50) for s in sites[:200]]
    fovs, msgs = FovEngine(obstacles).fovs(cams)
    assert not msgs  # facade cameras are never "inside"
    assert all(not f.is_empty for f in fovs)
    res = compute_coverage(fovs, np.array([window], dtype=object), obstacles, None, tile_size=200)
    assert 0.05 < res.covered_m2 / res.target_m2 < 1.0
    assert res.blind_spots
