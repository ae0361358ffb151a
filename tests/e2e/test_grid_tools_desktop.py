"""End-to-end: the real qgis under Xvfb drives the split and paint tools; the balance panel agrees with gridstats."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from osgeo import ogr, osr

from grid_governance_plugin.core.grids import synth
from tests.e2e.qgis import run_qgis

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def city_gpkg(path: Path):
    city = synth.make_city(communities_x=2, communities_y=1, grid_cols=3, grid_rows=2, buildings_per_grid=9)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    grid = ds.CreateLayer("grid", srs, ogr.wkbMultiPolygon, ["FID=id"])
    for name in ("grid_code", "community_code", "worker_id", "note"):
        grid.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for g, code, k in zip(city.grid_geoms, city.grid_codes, city.grid_community):
        f = ogr.Feature(grid.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.multipolygons([g]))))
        f.SetField("grid_code", code)
        f.SetField("community_code", city.community_codes[k])
        grid.CreateFeature(f)
    bl = ds.CreateLayer("building", srs, ogr.wkbMultiPolygon, ["FID=id"])
    for name in ("households", "population"):
        bl.CreateField(ogr.FieldDefn(name, ogr.OFTInteger))
    for b, h, p in zip(city.building_geoms, city.households, city.population):
        f = ogr.Feature(bl.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.multipolygons([b]))))
        f.SetField("households", int(h))
        f.SetField("population", int(p))
        bl.CreateFeature(f)
    ds = None
    return city


def test_split_and_paint_in_real_qgis(built_zip, tmp_path, artifacts_dir):
    gpkg = tmp_path / "city.gpkg"
    city = city_gpkg(gpkg)
    shot = artifacts_dir / "e2e_grid_tools_dock.png"
    env = {
        "GRIDGOV_ZIP": str(built_zip),
        "GRIDGOV_EXTRA": str(ROOT / "tests" / "e2e" / "grid_tools_extra.py"),
        "GRIDGOV_GRID_GPKG": str(gpkg),
        "GRIDGOV_SPLIT_CODE": city.grid_codes[0],
        "GRIDGOV_NEIGHBOUR_CODE": city.grid_codes[1],
        "GRIDGOV_TOOLS_SHOT": str(shot),
    }
    try:
        r = run_qgis(tmp_path, env, timeout=90)
    finally:
        trace = tmp_path / "report.json.steps"
        print(trace.read_text() if trace.exists() else "no steps")
    assert r["errors"] == [], r["errors"]
    t = r["grid_tools"]
    assert t["actions"] == ["GridGovSplitTool", "GridGovMoveBoundaryTool", "GridGovPaintTool", "GridGovMergeGrids"]
    assert t["split_tool_active"] and t["paint_tool_active"], t
    # split: 12 grids -> 13, one undoable command
    assert t["features_after_split"] == len(city.grid_geoms) + 1, t
    assert t["undo_after_split"] == 1, t
    # paint: the building and its households moved into the target, one more command
    assert t["target_selected"], t
    assert t["undo_after_paint"] == 2, t
    assert t["target_households_after"] == t["target_households_before"] + t["painted_households"], t
    # the panel's figures equal gridstats for every grid it shows (changed grids and their community)
    assert t["mismatches"] == [], t["mismatches"]
    # the new grid has the community's next standard 15-digit code, never CODE-1
    community = city.grid_codes[0][:12]
    serials = [int(c[12:]) for c in city.grid_codes if c.startswith(community)]
    assert t["new_code"] == f"{community}{max(serials) + 1:03d}", t
    assert {city.grid_codes[0], t["new_code"], city.grid_codes[1]} <= set(t["compared"]), t
    assert set(t["codes_changed"]) == {city.grid_codes[0], t["new_code"], city.grid_codes[1]}, t
