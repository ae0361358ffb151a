"""Fixtures of the end-to-end tests: the plugin zip, built once per session."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
