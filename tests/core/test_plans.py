"""Plans in the GeoPackage: draft, diff, publish (re-linking cameras, events, workers)."""

from __future__ import annotations

import shapely
from osgeo import ogr, osr

from grid_governance_plugin.core import plans
from grid_governance_plugin.core.plans import PlanGrid, diff_plans
from grid_governance_plugin.core.store import schema

OGR_TYPES = {
    "text": ogr.OFTString,
    "int": ogr.OFTInteger,
    "double": ogr.OFTReal,
    "bool": ogr.OFTInteger,
    "datetime": ogr.OFTDateTime,
    "date": ogr.OFTDate,
    "uuid": ogr.OFTString,
}
GEOM_TYPES = {"MultiPolygon": ogr.wkbMultiPolygon, "Point": ogr.wkbPoint, "MultiLineString": ogr.wkbMultiLineString}
COMM = "310101001001"


def make_gpkg(path, epsg: int = 4547) -> str:
    """An empty store GeoPackage built from schema.LAYERS (metric CRS so areas read easily)."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    for spec in schema.LAYERS:
        opts = [f"FID={spec.fid}"] if spec.fid else []
        if spec.geometry:
            lyr = ds.CreateLayer(spec.name, srs, GEOM_TYPES[spec.geometry], opts)
        else:
            lyr = ds.CreateLayer(spec.name, None, ogr.wkbNone, opts)
        for name, kind in spec.fields:
            if name == spec.fid:
                continue
            fd = ogr.FieldDefn(name, OGR_TYPES[kind])
            if kind == "bool":
                fd.SetSubType(ogr.OFSTBoolean)
            lyr.CreateField(fd)
    ds = None
    return str(path)


def add(path, layer: str, rows: list[dict]) -> None:
    ds = ogr.Open(str(path), 1)
    lyr = ds.GetLayerByName(layer)
    for row in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in row.items():
            if k == "geom":
                g = v if v.geom_type != "Polygon" else shapely.multipolygons([v])
                f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
            elif v is not None:
                f.SetField(k, v)
        lyr.CreateFeature(f)
    ds = None


def code(n: int) -> str:
    return f"{COMM}{n:03d}"


def two_plans_store(tmp_path):
    """Published plan 1: grids A|B (two 100 m squares). Cameras, events and workers on them."""
    path = make_gpkg(tmp_path / "store.gpkg")
    add(path, "grid_worker", [{"worker_id": "W1", "name": "Li"}, {"worker_id": "W2", "name": "Wang"}])
    add(path, "grid_plan", [{"plan_id": 1, "name": "2025", "status": "published"}])
    add(
        path,
        "grid",
        [
            {
                "plan_id": 1,
                "grid_code": code(1),
                "community_code": COMM,
                "worker_id": "W1",
                "geom": shapely.box(0, 0, 100, 100),
            },
            {
                "plan_id": 1,
                "grid_code": code(2),
                "community_code": COMM,
                "worker_id": "W2",
                "geom": shapely.box(100, 0, 200, 100),
            },
        ],
    )
    add(
        path,
        "camera",
        [
            {"name": "c1", "grid_code": code(1), "geom": shapely.Point(90, 60)},
            {"name": "c2", "grid_code": code(2), "geom": shapely.Point(150, 60)},
        ],
    )
    add(
        path,
        "event",
        [
            {
                "id": "e1",
                "source": "t",
                "external_id": "1",
                "status": "reported",
                "grid_code": code(1),
                "geom": shapely.Point(95, 10),
            },
            {
                "id": "e2",
                "source": "t",
                "external_id": "2",
                "status": "closed",
                "grid_code": code(1),
                "geom": shapely.Point(95, 20),
            },
        ],
    )
    return path


def rows(path, layer, where=None):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    if where:
        lyr.SetAttributeFilter(where)
    return [{**f.items(), "fid": f.GetFID()} for f in lyr]


def test_diff_finds_moved_area_and_codes():
    old = [
        PlanGrid(code(1), shapely.box(0, 0, 100, 100)),
        PlanGrid(code(2), shapely.box(100, 0, 200, 100)),
        PlanGrid(code(3), shapely.box(0, 100, 100, 200)),
    ]
    # boundary A|B moved 20 m west; grid 3 renumbered to 4 with the same shape; grid 5 added
    new = [
        PlanGrid(code(1), shapely.box(0, 0, 80, 100)),
        PlanGrid(code(2), shapely.box(80, 0, 200, 100)),
        PlanGrid(code(4), shapely.box(0, 100, 100, 200)),
        PlanGrid(code(5), shapely.box(100, 100, 200, 200)),
    ]
    d = diff_plans(old, new)
    moved = [a for a in d.areas if not a.renumbered]
    strip = [a for a in moved if a.from_code == code(1) and a.to_code == code(2)]
    assert len(strip) == 1 and abs(strip[0].area - 2000) < 1e-6
    assert strip[0].geom.equals(shapely.box(80, 0, 100, 100))
    assert any(a.from_code is None and a.to_code == code(5) and abs(a.area - 10000) < 1e-6 for a in moved)
    assert [a for a in d.areas if a.renumbered][0].from_code == code(3)
    kinds = {(c.old_code, c.new_code, c.kind) for c in d.codes}
    assert (code(3), code(4), "renumbered") in kinds
    assert (None, code(5), "added") in kinds
    assert (code(1), code(1), "reshaped") in kinds and (code(2), code(2), "reshaped") in kinds
    assert abs(d.moved_area() - 12000) < 1e-6


def test_diff_of_identical_plans_is_empty():
    g = [PlanGrid(code(1), shapely.box(0, 0, 100, 100)), PlanGrid(code(2), shapely.box(100, 0, 200, 100))]
    d = diff_plans(g, list(g))
    assert d.areas == [] and d.codes == []


def test_gpkg_draft_and_publish_relinks(tmp_path):
    path = two_plans_store(tmp_path)
    draft = plans.gpkg_new_draft(path, "2026 draft")
    assert draft == 2
    grids = plans.gpkg_read_plan(path, draft)
    assert [g.code for g in grids] == [code(1), code(2)]
    # move the boundary 20 m west in the draft and split off a new grid 3 in the north of B
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayerByName("grid")
    for g, geom, worker in (
        (grids[0], shapely.box(0, 0, 80, 100), "W1"),
        (grids[1], shapely.box(80, 0, 200, 50), None),
    ):
        f = lyr.GetFeature(g.fid)
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.multipolygons([geom]))))
        if worker is None:
            f.SetFieldNull("worker_id")
        lyr.SetFeature(f)
    ds = None
    add(
        path,
        "grid",
        [
            {
                "plan_id": draft,
                "grid_code": code(3),
                "community_code": COMM,
                "street_code": "310101001",
                "geom": shapely.box(80, 50, 200, 100),
            }
        ],
    )
    d = diff_plans(plans.gpkg_read_plan(path, 1), plans.gpkg_read_plan(path, draft))
    assert {(a.from_code, a.to_code) for a in d.areas} == {(code(1), code(2)), (code(1), code(3)), (code(2), code(3))}

    counts = plans.gpkg_publish(path, draft)
    assert counts["archived"] == 1
    status = {r["plan_id"]: r["status"] for r in rows(path, "grid_plan")}
    assert status == {1: "archived", 2: "published"}
    # the old plan stays readable
    assert [g.code for g in plans.gpkg_read_plan(path, 1)] == [code(1), code(2)]
    new = {r["grid_code"]: r for r in rows(path, "grid", f"plan_id = {draft}")}
    assert new[code(1)]["worker_id"] == "W1"  # kept
    assert new[code(2)]["worker_id"] == "W2"  # inherited from the old grid it overlaps most
    assert new[code(3)]["worker_id"] == "W2"  # 5000 of its 6000 m² lie in old B
    cams = {r["name"]: r["grid_code"] for r in rows(path, "camera")}
    assert cams == {"c1": code(3), "c2": code(3)}
    ev = {r["id"]: r for r in rows(path, "event")}
    assert ev["e1"]["grid_code"] == code(2)  # open case moves to the new grid holding it
    assert ev["e2"]["grid_code"] == code(1)  # closed case keeps its historic code
    assert counts == {"archived": 1, "workers": 2, "cameras": 2, "events": 1}


def test_gpkg_publish_refuses_non_draft(tmp_path):
    path = two_plans_store(tmp_path)
    import pytest

    with pytest.raises(plans.PlanError):
        plans.gpkg_publish(path, 1)
    with pytest.raises(plans.PlanError):
        plans.gpkg_publish(path, 99)


# ------------------------------------------------------------------------ grid workers
def test_workers_assign_reassign_unassigned():
    import pytest

    from grid_governance_plugin.core import workers as wk

    staff = wk.by_id([wk.Worker("W1", "Li"), wk.Worker("W2", "Wang"), wk.Worker("W3", "Zhao", active=False)])
    grids = {1: "W1", 2: "W1", 3: None, 4: "W9", 5: "W3", 6: " "}
    assert wk.unassigned(grids) == [3, 6]
    assert wk.unassigned(grids, staff) == [3, 4, 5, 6]  # unknown and inactive workers count as none
    assert wk.assign(grids, [3, 1], "W2", staff) == {3: "W2", 1: "W2"}
    assert wk.assign(grids, [1], "W1", staff) == {}  # already
    with pytest.raises(wk.WorkerError):
        wk.assign(grids, [3], "W3", staff)  # inactive
    with pytest.raises(wk.WorkerError):
        wk.assign(grids, [3], "nobody", staff)
    with pytest.raises(wk.WorkerError):
        wk.assign(grids, [42], "W1", staff)
    assert wk.reassign(grids, "W1", "W2", staff) == {1: "W2", 2: "W2"}
    assert wk.workload(grids) == {"W1": 2, "W9": 1, "W3": 1}


def test_gpkg_plans_on_the_store_geopackage_in_4490(tmp_path):
    """The same flow on a GeoPackage from core.store.gpkg.create_store (the shipped store, CGCS2000 degrees)."""
    from grid_governance_plugin.core.store import gpkg

    path = str(tmp_path / "store.gpkg")
    gpkg.create_store(path)

    def b(x0, y0, x1, y1):  # 1 unit = 1e-4 degree near Shanghai
        return shapely.box(121.4 + x0 * 1e-4, 31.2 + y0 * 1e-4, 121.4 + x1 * 1e-4, 31.2 + y1 * 1e-4)

    add(path, "grid_worker", [{"worker_id": "W1", "name": "Li"}])
    add(path, "grid_plan", [{"plan_id": 1, "name": "2025", "status": "published"}])
    add(path, "grid", [{"plan_id": 1, "grid_code": code(1), "worker_id": "W1", "geom": b(0, 0, 10, 10)}])
    add(path, "camera", [{"name": "c1", "geom": shapely.Point(121.4 + 5e-4, 31.2 + 5e-4)}])
    draft = plans.gpkg_new_draft(path, "draft")
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayerByName("grid")
    f = lyr.GetFeature(plans.gpkg_read_plan(path, draft)[0].fid)
    f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.multipolygons([b(0, 0, 4, 10)]))))
    f.SetField("grid_code", code(2))
    lyr.SetFeature(f)
    ds = None
    add(path, "grid", [{"plan_id": draft, "grid_code": code(3), "geom": b(4, 0, 10, 10)}])
    d = diff_plans(plans.gpkg_read_plan(path, 1), plans.gpkg_read_plan(path, draft))
    assert {(a.from_code, a.to_code) for a in d.areas} == {(code(1), code(2)), (code(1), code(3))}
    assert {c.kind for c in d.codes} == {"removed", "added"}
    counts = plans.gpkg_publish(path, draft)
    assert counts == {"archived": 1, "workers": 1, "cameras": 1, "events": 0}
    assert {r["grid_code"]: r["worker_id"] for r in rows(path, "grid", f"plan_id = {draft}")} == {
        code(2): "W1",
        code(3): "W1",
    }
    assert rows(path, "camera")[0]["grid_code"] == code(3)
    assert [p["status"] for p in plans.gpkg_plans(path)] == ["published", "archived"]
