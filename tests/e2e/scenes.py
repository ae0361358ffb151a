"""Scenes the end-to-end checks load into the real QGIS."""

from __future__ import annotations

from pathlib import Path

import shapely
from osgeo import ogr, osr

from grid_governance_plugin.core.grids import synth


def city_gpkg(path: Path):
    """A small generated city (2 communities of 3x2 grids, 9 buildings each) as a GeoPackage
    with layers grid and building in EPSG:4547; the city."""
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
