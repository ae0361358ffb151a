"""gridgov:validategrids / gridstats / unifygrids / partitiongrids / gridcodes through Processing."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)

from grid_governance_plugin.core.grids import grid_stats, synth
from grid_governance_plugin.core.grids.unify import DeptLayer  # noqa: F401 - documents the engine used
from grid_governance_plugin.processing.alg_grids import (
    ALGORITHMS,
    GridCodesAlgorithm,
    GridStatsAlgorithm,
    PartitionGridsAlgorithm,
    UnifyGridsAlgorithm,
    ValidateGridsAlgorithm,
)
from tests.helpers import memory_layer
from tests.helpers import run_alg as _run

sys.path.append("/usr/share/qgis/python/plugins")

METRIC = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E: synth.ORIGIN lies at 120E 31N
GRID_FIELDS = "grid_code:string&field=community_code:string&field=worker_id:string"


def _layer(kind: str, crs: str, geoms, attrs=None, fields: str = "", name: str = "layer") -> QgsVectorLayer:
    return memory_layer(kind, geoms, crs, fields, attrs, name, source_crs=METRIC)


def _geoms(layer) -> list:
    tr = None
    if layer.crs().authid() != METRIC:
        tr = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem(METRIC), QgsProject.instance())
    out = []
    for f in layer.getFeatures():
        g = QgsGeometry(f.geometry())
        if tr is not None:
            g.transform(tr)
        out.append(None if g.isNull() else shapely.from_wkb(bytes(g.asWkb())))
    return out


def _snapshot(layer):
    return [(f.id(), f.geometry().asWkt(), f.attributes()) for f in layer.getFeatures()]


@pytest.fixture(scope="module")
def city():
    return synth.make_city(communities_x=3, communities_y=2, grid_cols=3, grid_rows=2, buildings_per_grid=9)


def _grid_layer(city, geoms=None, codes=None, crs=METRIC):
    geoms = city.grid_geoms if geoms is None else geoms
    codes = city.grid_codes if codes is None else codes
    attrs = [
        [codes[i], city.community_codes[city.grid_community[i]], f"W{i}" if i % 2 else None] for i in range(len(geoms))
    ]
    return _layer("MultiPolygon", crs, geoms, attrs, GRID_FIELDS, "grids")


def _parent_layer(city, crs=METRIC):
    return _layer(
        "MultiPolygon", crs, city.community_geoms, [[c] for c in city.community_codes], "code:string", "communities"
    )


def test_algorithms_are_exported():
    names = [a().create().name() for a in ALGORITHMS]
    assert names == ["validategrids", "gridstats", "unifygrids", "partitiongrids", "gridcodes"]
    for a in ALGORITHMS:
        alg = a().create()
        assert alg.groupId() == "grids" and alg.shortHelpString() and alg.displayName()


def test_validate_clean_is_empty(qgis_app, qgis_processing, city):
    _, layers, _ = _run(
        ValidateGridsAlgorithm,
        {"GRIDS": _grid_layer(city), "PARENTS": _parent_layer(city), "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    assert layers["OUTPUT"].featureCount() == 0


def test_validate_finds_planted_faults_without_changing_input(qgis_app, qgis_processing, city):
    geoms = city.grid_geoms.copy()
    codes = list(city.grid_codes)
    x0, y0, x1, y1 = geoms[0].bounds
    geoms[0] = shapely.box(x0, y0, x1 + 10, y1)  # overlap with grid 1
    codes[8] = codes[7]  # duplicate
    codes[10] = None  # missing code
    grids = _grid_layer(city, geoms, codes)
    before = _snapshot(grids)
    _, layers, fb = _run(
        ValidateGridsAlgorithm, {"GRIDS": grids, "PARENTS": _parent_layer(city), "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert _snapshot(grids) == before
    out = layers["OUTPUT"]
    rows = {f["error_type"]: f for f in out.getFeatures()}
    assert sorted(f["error_type"] for f in out.getFeatures()) == ["bad_code", "duplicate_code", "overlap"]
    ov = shapely.from_wkb(bytes(rows["overlap"].geometry().asWkb()))
    assert ov.symmetric_difference(shapely.box(x1, y0, x1 + 10, y1)).area < 0.01
    fids = [f.id() for f in grids.getFeatures()]
    assert rows["overlap"]["grid_fids"] == f"{fids[0]},{fids[1]}"
    assert f"#{fids[10]}" in rows["bad_code"]["message"]
    assert any("overlap" in m for m in fb.infos)


def test_validate_parents_in_other_crs(qgis_app, qgis_processing, city):
    geoms = city.grid_geoms.copy()
    x0, y0, x1, y1 = geoms[4].bounds
    geoms[4] = shapely.box(x0, y0, x1, y1 - 20)  # gap of 20 m at the north of grid 4
    _, layers, fb = _run(
        ValidateGridsAlgorithm,
        {"GRIDS": _grid_layer(city, geoms), "PARENTS": _parent_layer(city, "EPSG:4490"), "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    assert any("reprojected" in m for m in fb.infos)
    feats = list(layers["OUTPUT"].getFeatures())
    assert [f["error_type"] for f in feats] == ["gap"]
    gap = _geoms(layers["OUTPUT"])[0]
    assert abs(gap.area - 20 * (x1 - x0)) < 1.0  # reprojection noise only


def test_validate_invalid_geometry_named(qgis_app, qgis_processing, city):
    geoms = list(city.grid_geoms)
    x0, y0, x1, y1 = geoms[3].bounds
    mx = (x0 + x1) / 2
    geoms[3] = shapely.Polygon([(x0, y0), (x1, y0), (x1, y1), (mx, y1), (mx, y1 - 40), (mx, y1), (x0, y1)])
    grids = _grid_layer(city, np.array(geoms, dtype=object))
    _, layers, _ = _run(
        ValidateGridsAlgorithm, {"GRIDS": grids, "PARENTS": _parent_layer(city), "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    feats = list(layers["OUTPUT"].getFeatures())
    assert [f["error_type"] for f in feats] == ["invalid"]
    assert feats[0]["grid_fids"] == str([f.id() for f in grids.getFeatures()][3])


def test_gridstats_matches_engine(qgis_app, qgis_processing, city):
    blds = _layer(
        "Polygon",
        "EPSG:4490",
        city.building_geoms,
        [[int(h), int(p)] for h, p in zip(city.households, city.population)],
        "households:integer&field=population:integer",
        "buildings",
    )
    workers = QgsVectorLayer("None?field=worker_id:string", "workers", "memory")
    f = QgsFeature(workers.fields())
    f.setAttributes(["W1"])
    workers.dataProvider().addFeatures([f])
    events = _layer("Point", METRIC, [city.grid_geoms[1].centroid])
    _, layers, _ = _run(
        GridStatsAlgorithm,
        {
            "GRIDS": _grid_layer(city),
            "BUILDINGS": blds,
            "EVENTS": events,
            "WORKERS": workers,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = list(layers["OUTPUT"].getFeatures())
    comm = [city.community_codes[k] for k in city.grid_community]
    ref = grid_stats(city.grid_geoms, city.building_geoms, city.households, city.population, community=comm)
    assert [f["households"] for f in out] == ref.households.astype(int).tolist()
    assert [f["population"] for f in out] == ref.population.astype(int).tolist()
    assert [f["buildings"] for f in out] == ref.buildings.astype(int).tolist()
    assert [f["events"] for f in out][:3] == [0, 1, 0]
    np.testing.assert_allclose([f["hh_dev_pct"] for f in out], ref.deviation, atol=0.01)
    np.testing.assert_allclose([f["compactness"] for f in out], np.pi / 4, atol=1e-3)
    assert [f["worker_ok"] for f in out][:4] == [False, True, False, False]  # W3 is not a known worker
    assert out[0]["grid_code"] == city.grid_codes[0]  # input attributes kept


def test_gridstats_without_households_warns(qgis_app, qgis_processing, city):
    blds = _layer("Polygon", METRIC, city.building_geoms, name="buildings")
    _, layers, fb = _run(
        GridStatsAlgorithm, {"GRIDS": _grid_layer(city), "BUILDINGS": blds, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert any("households" in w for w in fb.warnings)
    out = list(layers["OUTPUT"].getFeatures())
    assert sum(f["households"] for f in out) == 0 and sum(f["buildings"] for f in out) == len(city.building_geoms)


def test_partition_output_validates(qgis_app, qgis_processing):
    c = synth.make_community(n_buildings=300, seed=5)
    area = _layer("MultiPolygon", "EPSG:4490", [c.geom], [["310101001001"]], "code:string", "areas")
    blds = _layer("Polygon", METRIC, c.buildings, [[int(h)] for h in c.households], "households:integer", "b")
    roads = _layer("LineString", METRIC, c.roads, name="roads")
    _, layers, fb = _run(
        PartitionGridsAlgorithm,
        {
            "AREAS": area,
            "BUILDINGS": blds,
            "ROADS": roads,
            "TARGET_HOUSEHOLDS": 400,
            "TOLERANCE": 10,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = layers["OUTPUT"]
    assert out.crs().authid() == "EPSG:4490"
    assert out.featureCount() == round(c.households.sum() / 400)
    assert all(f["within_tolerance"] and f["community_code"] == "310101001001" for f in out.getFeatures())
    assert sum(f["households"] for f in out.getFeatures()) == c.households.sum()
    _, vlayers, _ = _run(
        ValidateGridsAlgorithm, {"GRIDS": out, "PARENTS": area, "CODE_FIELD": "", "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert vlayers["OUTPUT"].featureCount() == 0


def test_partition_needs_households_or_count(qgis_app, qgis_processing):
    c = synth.make_community(n_buildings=50, seed=5)
    area = _layer("MultiPolygon", METRIC, [c.geom])
    blds = _layer("Polygon", METRIC, c.buildings)
    _, _, fb = _run(
        PartitionGridsAlgorithm, {"AREAS": area, "BUILDINGS": blds, "OUTPUT": "TEMPORARY_OUTPUT"}, expect_ok=False
    )
    assert any("households" in e for e in fb.errors)
    _, layers, _ = _run(
        PartitionGridsAlgorithm, {"AREAS": area, "BUILDINGS": blds, "COUNT": 3, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert layers["OUTPUT"].featureCount() == 3


def test_unify_three_departments(qgis_app, qgis_processing):
    x0, y0 = synth.ORIGIN
    comm = shapely.box(x0, y0, x0 + 800, y0 + 600)

    def dept(xs, ys, prefix):
        geoms, rows = [], []
        for i in range(len(xs) - 1):
            for j in range(len(ys) - 1):
                geoms.append(shapely.box(x0 + xs[i], y0 + ys[j], x0 + xs[i + 1], y0 + ys[j + 1]))
                rows.append([prefix, f"{prefix}{i}{j}"])
        return _layer("MultiPolygon", METRIC, geoms, rows, "department:string&field=code:string", prefix)

    layers_in = [
        dept([0, 200, 400, 600, 800], [0, 300, 600], "ZZ"),
        dept([0, 203, 398, 604, 800], [0, 297, 600], "CG"),
        dept([0, 198, 401, 597, 800], [0, 302, 600], "DJ"),
    ]
    parents = _layer("MultiPolygon", "EPSG:4490", [comm], [["310101001001"]], "code:string", "communities")
    _, layers, _ = _run(
        UnifyGridsAlgorithm,
        {
            "INPUTS": layers_in,
            "PARENTS": parents,
            "TOLERANCE": 10,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "TAKEOVER": "TEMPORARY_OUTPUT",
            "SLIVERS": "TEMPORARY_OUTPUT",
        },
    )
    out = layers["OUTPUT"]
    assert out.featureCount() == 8
    take = list(layers["TAKEOVER"].getFeatures())
    assert {f["department"] for f in take} == {"ZZ", "CG", "DJ"}
    assert layers["SLIVERS"].featureCount() > 0
    for uid in range(1, 9):
        zz = [f for f in take if f["unified_id"] == uid and f["department"] == "ZZ"]
        assert max(f["share_of_unified"] for f in zz) > 95
    _, vlayers, _ = _run(
        ValidateGridsAlgorithm, {"GRIDS": out, "PARENTS": parents, "CODE_FIELD": "", "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert vlayers["OUTPUT"].featureCount() == 0


def test_gridcodes_order_and_report(qgis_app, qgis_processing, city):
    # scramble codes of community 0, keep the others: community 0 is renumbered in spatial order
    codes = list(city.grid_codes)
    comm0 = [i for i, k in enumerate(city.grid_community) if k == 0]
    for i in comm0:
        codes[i] = None
    grids = _grid_layer(city, codes=codes)
    before = _snapshot(grids)
    _, layers, fb = _run(
        GridCodesAlgorithm,
        {"GRIDS": grids, "COUNTY_CODE": "310101", "OUTPUT": "TEMPORARY_OUTPUT", "REPORT": "TEMPORARY_OUTPUT"},
    )
    assert _snapshot(grids) == before
    out = list(layers["OUTPUT"].getFeatures())
    assert [f["grid_code"] for f in out] == city.grid_codes
    report = list(layers["REPORT"].getFeatures())
    status = [f["status"] for f in report]
    assert status.count("new") == len(comm0) and status.count("kept") == len(codes) - len(comm0)


def test_gridcodes_bad_county_fails(qgis_app, qgis_processing, city):
    _, _, fb = _run(
        GridCodesAlgorithm,
        {"GRIDS": _grid_layer(city), "COUNTY_CODE": "99", "OUTPUT": "TEMPORARY_OUTPUT", "REPORT": "TEMPORARY_OUTPUT"},
        expect_ok=False,
    )
    assert any("county" in e.lower() for e in fb.errors)


def test_validate_real_nyc_neighbourhoods(qgis_app, qgis_processing, realdata):
    """Real NTA polygons (EPSG:4326) as 'grids': islands and piers are multipart, codes break the rule."""
    path = realdata / "nyc_midtown" / "nyc_nta2010_intersecting_midtown.geojson"
    layer = QgsVectorLayer(str(path), "nta", "ogr")
    assert layer.isValid(), path
    before = _snapshot(layer)
    _, layers, fb = _run(
        ValidateGridsAlgorithm, {"GRIDS": layer, "CODE_FIELD": "NTACode", "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert _snapshot(layer) == before
    feats = list(layers["OUTPUT"].getFeatures())
    kinds = [f["error_type"] for f in feats]
    assert kinds.count("bad_code") == layer.featureCount()  # 'MN15' is not a 15-digit code
    multipart = [f for f in feats if f["error_type"] == "multipart"]
    assert len(multipart) == 3 and set(kinds) == {"bad_code", "multipart"}
    assert layers["OUTPUT"].crs().authid() == "EPSG:4326"
    # the reported pieces are the small ones (piers, islands), not whole neighbourhoods
    src = {f.id(): f for f in layer.getFeatures()}
    for f in multipart:
        whole = src[int(f["grid_fids"])].geometry().area()
        assert 0 < f.geometry().area() < 0.5 * whole


def test_partition_two_communities_nested(qgis_app, qgis_processing):
    c = synth.make_community(n_buildings=400, seed=9)
    x0, y0, x1, y1 = c.geom.bounds
    mid = (x0 + x1) / 2 + 37  # not on a road: the community edge cuts through a block
    halves = [shapely.box(x0, y0, mid, y1), shapely.box(mid, y0, x1, y1)]
    areas = _layer("MultiPolygon", METRIC, halves, [["310101001001"], ["310101001002"]], "code:string", "areas")
    blds = _layer("Polygon", METRIC, c.buildings, [[int(h)] for h in c.households], "households:integer", "b")
    roads = _layer("LineString", METRIC, c.roads, name="roads")
    _, layers, fb = _run(
        PartitionGridsAlgorithm,
        {
            "AREAS": areas,
            "BUILDINGS": blds,
            "ROADS": roads,
            "TARGET_HOUSEHOLDS": 350,
            "TOLERANCE": 12,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = layers["OUTPUT"]
    codes = [f["community_code"] for f in out.getFeatures()]
    assert set(codes) == {"310101001001", "310101001002"}
    for g, code in zip(_geoms(out), codes):
        parent = halves[0] if code.endswith("1") else halves[1]
        assert g.difference(parent).area < 0.01
    _, vlayers, _ = _run(
        ValidateGridsAlgorithm, {"GRIDS": out, "PARENTS": areas, "CODE_FIELD": "", "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert vlayers["OUTPUT"].featureCount() == 0


def test_unify_with_reference_lines(qgis_app, qgis_processing):
    x0, y0 = synth.ORIGIN
    a = [shapely.box(x0, y0, x0 + 203, y0 + 300), shapely.box(x0 + 203, y0, x0 + 400, y0 + 300)]
    b = [shapely.box(x0, y0, x0 + 196, y0 + 300), shapely.box(x0 + 196, y0, x0 + 400, y0 + 300)]
    la = _layer("MultiPolygon", METRIC, a, [["A1"], ["A2"]], "code:string", "zongzhi")
    lb = _layer("MultiPolygon", "EPSG:4490", b, [["B1"], ["B2"]], "code:string", "chengguan")
    road = _layer("LineString", METRIC, [shapely.LineString([(x0 + 200, y0 - 5), (x0 + 200, y0 + 305)])])
    _, layers, fb = _run(
        UnifyGridsAlgorithm,
        {
            "INPUTS": [la, lb],
            "REFERENCE": road,
            "TOLERANCE": 10,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "TAKEOVER": "TEMPORARY_OUTPUT",
            "SLIVERS": "TEMPORARY_OUTPUT",
        },
    )
    assert any("chengguan" in m for m in fb.infos)  # other CRS, reprojected
    geoms = sorted(_geoms(layers["OUTPUT"]), key=lambda g: g.bounds[0])
    assert len(geoms) == 2
    assert abs(geoms[0].bounds[2] - (x0 + 200)) < 0.01  # the shared boundary moved onto the road
    slivers = list(layers["SLIVERS"].getFeatures())
    assert len(slivers) == 2 and all("A" in f["detail"] and "B" in f["detail"] for f in slivers)


def test_gridcodes_previous_plan(qgis_app, qgis_processing, city):
    # the new plan merges grids 0 and 1 of community 0; the others are unchanged
    geoms = list(city.grid_geoms)
    merged = shapely.union_all(geoms[:2])
    new_geoms = [merged] + geoms[2:]
    comms = [city.community_codes[k] for k in city.grid_community]
    new = _layer("MultiPolygon", METRIC, new_geoms, [[None, c, None] for c in comms[1:]], GRID_FIELDS, "new")
    previous = _grid_layer(city)
    _, layers, _ = _run(
        GridCodesAlgorithm,
        {"GRIDS": new, "PREVIOUS": previous, "OUTPUT": "TEMPORARY_OUTPUT", "REPORT": "TEMPORARY_OUTPUT"},
    )
    codes = [f["grid_code"] for f in layers["OUTPUT"].getFeatures()]
    assert codes[1:] == city.grid_codes[2:]  # unchanged grids keep their codes
    assert codes[0] == city.grid_codes[0]  # serial 001 was freed: the merged grid (north-west) takes it
    report = {(f["status"], f["old_code"] or "") for f in layers["REPORT"].getFeatures()}
    assert ("retired", city.grid_codes[1]) in report


def test_gridcodes_community_from_parents(qgis_app, qgis_processing, city):
    # grids without any attribute: the community comes from the parents layer (in another CRS)
    grids = _layer("MultiPolygon", METRIC, city.grid_geoms, name="bare")
    _, layers, fb = _run(
        GridCodesAlgorithm,
        {
            "GRIDS": grids,
            "PARENTS": _parent_layer(city, "EPSG:4490"),
            "COMMUNITY_FIELD": "",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "REPORT": "TEMPORARY_OUTPUT",
        },
    )
    assert [f["grid_code"] for f in layers["OUTPUT"].getFeatures()] == city.grid_codes
    assert {f["status"] for f in layers["REPORT"].getFeatures()} == {"new"}


def test_partition_real_shanghai_layers(qgis_app, qgis_processing, realdata):
    """Real OSM layers in EPSG:4326 straight from the GeoPackage, no households: COUNT grids."""
    path = realdata / "shanghai_bund" / "shanghai_bund_osm.gpkg"
    blds = QgsVectorLayer(f"{path}|layername=buildings", "buildings", "ogr")
    roads = QgsVectorLayer(f"{path}|layername=roads", "roads", "ogr")
    assert blds.isValid() and roads.isValid(), path
    # a community: the street blocks around a point west of the Bund (EPSG:4549 metres)
    road_geoms = [g for g in _geoms(roads) if g is not None]
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(road_geoms))))
    centre = shapely.Point(641677.5, 3457337.1)
    sel = (shapely.distance(shapely.centroid(faces), centre) < 400) & (shapely.area(faces) < 200000)
    area_geom = max(shapely.get_parts(shapely.union_all(faces[sel])), key=lambda g: g.area)
    area = _layer("MultiPolygon", "EPSG:4326", [area_geom], [["310101002003"]], "code:string", "community")
    _, layers, fb = _run(
        PartitionGridsAlgorithm,
        {
            "AREAS": area,
            "BUILDINGS": blds,
            "ROADS": roads,
            "COUNT": 5,
            "HOUSEHOLDS_FIELD": "",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    out = layers["OUTPUT"]
    assert out.crs().authid() == "EPSG:4326" and out.featureCount() == 5
    _, vlayers, _ = _run(
        ValidateGridsAlgorithm, {"GRIDS": out, "PARENTS": area, "CODE_FIELD": "", "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert vlayers["OUTPUT"].featureCount() == 0, [f["message"] for f in vlayers["OUTPUT"].getFeatures()]
