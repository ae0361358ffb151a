"""The demo city generator: deterministic, and its layers make sense together."""

from __future__ import annotations

import collections
import math
import re
import time

import numpy as np
import pytest
import shapely

from grid_governance_plugin.core import categories, democity
from grid_governance_plugin.core.events import cases
from grid_governance_plugin.core.grids import coderule
from grid_governance_plugin.core.store import schema


@pytest.fixture(scope="module")
def city() -> democity.City:
    return democity.generate(seed=42, scale="demo")


def _cols(city: democity.City, name: str) -> dict:
    return city[name].columns


def _geoms(city: democity.City, name: str) -> np.ndarray:
    return city[name].metric_geoms()


def _same(a: democity.City, b: democity.City) -> bool:
    for name, ta in a.tables.items():
        tb = b.tables[name]
        if len(ta) != len(tb):
            return False
        for col, va in ta.columns.items():
            vb = tb.columns[col]
            if va.dtype.kind == "M":  # NaT != NaT, compare the raw values
                va, vb = va.view("int64"), vb.view("int64")
            if va.dtype.kind == "f":
                if not np.array_equal(va, vb, equal_nan=True):
                    return False
            elif not np.array_equal(va, vb):
                return False
        ga, gb = ta.metric_geoms(), tb.metric_geoms()
        if ga is not None and not np.array_equal(shapely.to_wkb(ga), shapely.to_wkb(gb)):
            return False
    return True


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_city_other_seed_other_city(city):
    assert _same(city, democity.generate(seed=42, scale="demo"))
    other = democity.generate(seed=43, scale="demo")
    assert not _same(city, other)
    assert not np.array_equal(shapely.to_wkb(_geoms(city, "grid")[:5]), shapely.to_wkb(_geoms(other, "grid")[:5]))


def test_every_layer_of_the_store_is_generated_with_its_fields(city):
    for spec in schema.LAYERS:
        table = city[spec.name]
        assert len(table) > 0, spec.name
        assert set(table.columns) == set(spec.field_names()), spec.name
        assert all(len(v) == len(table) for v in table.columns.values()), spec.name
        assert (table.geoms is not None or table.xy is not None) == bool(spec.geometry), spec.name


def test_demo_size(city):
    counts = city.counts()
    assert counts["district"] == 1 and counts["street"] == 2
    per_street = collections.Counter(_cols(city, "community")["street_code"])
    assert all(4 <= n <= 6 for n in per_street.values())
    assert counts["grid"] >= 40 and counts["building"] >= 3000 and counts["camera"] >= 300
    assert counts["event"] >= 10000


# --------------------------------------------------------------------------- hierarchy


def _tiles(parts: np.ndarray, whole, rel: float = 1e-9) -> None:
    """``parts`` cover ``whole`` with no gap and no overlap (areas within ``rel``)."""
    total = float(shapely.area(parts).sum())
    union = shapely.union_all(parts)
    assert math.isclose(total, whole.area, rel_tol=rel), "overlap or gap"
    assert shapely.symmetric_difference(union, whole).area <= rel * whole.area + 1e-6


def test_hierarchy_tiles_without_gaps_or_overlaps(city):
    district = _geoms(city, "district")[0]
    _tiles(_geoms(city, "street"), district)
    _tiles(_geoms(city, "community"), district)
    comm = _cols(city, "community")
    streets = _cols(city, "street")
    for code, geom in zip(streets["code"], _geoms(city, "street")):
        _tiles(_geoms(city, "community")[comm["street_code"] == code], geom)
    grid = _cols(city, "grid")
    for code, geom in zip(comm["code"], _geoms(city, "community")):
        sel = grid["community_code"] == code
        assert sel.sum() >= 1
        _tiles(_geoms(city, "grid")[sel], geom)
    assert shapely.is_valid(_geoms(city, "grid")).all()


def test_codes_are_valid_and_nested(city):
    d = _cols(city, "district")
    s = _cols(city, "street")
    c = _cols(city, "community")
    g = _cols(city, "grid")
    assert all(re.fullmatch(r"\d{6}", x) and coderule.county_problem(x) is None for x in d["code"])
    assert all(re.fullmatch(r"\d{9}", x) for x in s["code"])
    assert all(x.startswith(p) for x, p in zip(s["code"], s["district_code"]))
    assert all(re.fullmatch(r"\d{12}", x) for x in c["code"])
    assert all(x.startswith(p) for x, p in zip(c["code"], c["street_code"]))
    for code, comm, street, district in zip(g["grid_code"], g["community_code"], g["street_code"], g["district_code"]):
        assert coderule.code_problem(code, comm) is None
        assert comm.startswith(street) and street.startswith(district)
    assert len(set(g["grid_code"])) == len(g["grid_code"])
    assert set(g["plan_id"]) == {1}
    plan = _cols(city, "grid_plan")
    assert list(plan["plan_id"]) == [1] and list(plan["status"]) == ["published"]


def test_grid_serials_run_north_to_south_then_west_to_east(city):
    g = _cols(city, "grid")
    geoms = _geoms(city, "grid")
    bounds = shapely.bounds(geoms)
    for comm in set(g["community_code"]):
        idx = np.flatnonzero(g["community_code"] == comm)
        idx = idx[np.argsort(g["grid_code"][idx])]
        assert [int(x[-3:]) for x in g["grid_code"][idx]] == list(range(1, len(idx) + 1))
        for a, b in zip(idx[:-1], idx[1:]):
            # the next grid starts further south, or on the same row further east
            assert bounds[b, 3] < bounds[a, 3] - 30 or bounds[b, 0] > bounds[a, 0] - 30, (
                g["grid_code"][a],
                g["grid_code"][b],
            )


def test_grid_workers(city):
    g = _cols(city, "grid")
    w = _cols(city, "grid_worker")
    assigned = [x for x in g["worker_id"] if x]
    assert len(assigned) == len(set(assigned))  # one grid per worker
    assert 0 < sum(1 for x in g["worker_id"] if not x) < 0.15 * len(g["worker_id"])  # a few without
    assert set(assigned) <= set(w["worker_id"])
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in w["phone"])


# --------------------------------------------------------------------------- buildings and roads


def test_buildings_inside_one_community_and_off_the_roads(city):
    b = _geoms(city, "building")
    assert shapely.is_valid(b).all()
    tree = shapely.STRtree(_geoms(city, "community"))
    src, _dst = tree.query(b, predicate="within")
    assert np.array_equal(np.bincount(src, minlength=len(b)), np.ones(len(b)))
    roads = _geoms(city, "road")
    carriageways = shapely.buffer(roads, _cols(city, "road")["width_m"] / 2, cap_style="flat")
    hits = shapely.STRtree(b).query(carriageways, predicate="intersects")
    assert hits.shape[1] == 0
    # no two buildings overlap
    pairs = shapely.STRtree(b).query(b, predicate="overlaps")
    assert pairs.shape[1] == 0


def test_building_attributes_are_consistent(city):
    c = _cols(city, "building")
    floors, height = c["floors"], c["height_m"]
    assert (floors >= 1).all()
    assert ((height >= floors * 2.6) & (height <= floors * 4.6 + 3)).all()
    hh, pop = c["households"], c["population"]
    residential = hh > 0
    assert 0 < (~residential).sum() < len(hh) * 0.5  # some non-residential with no households
    assert (pop[residential] >= hh[residential]).all() and (pop[~residential] == 0).all()
    # households follow the floor area: about one per 35-95 m2 of 72 % of it
    floor_area = shapely.area(_geoms(city, "building")) * floors * 0.72
    per = floor_area[residential] / hh[residential]
    assert (per >= 30).all() and np.median(per) < 110
    # some L-shaped footprints (6 corners) beside rectangles
    n_coords = shapely.get_num_coordinates(_geoms(city, "building"))
    assert set(n_coords) == {5, 7}


def test_roads(city):
    r = _cols(city, "road")
    assert set(r["road_class"]) == {"arterial", "secondary", "local"}
    widths = {k: r["width_m"][r["road_class"] == k] for k in ("arterial", "secondary", "local")}
    assert widths["arterial"].min() > widths["secondary"].max() > widths["local"].max() - 1e-9
    assert all(re.fullmatch(r".+(路|大道|支路)", n) for n in r["name"])


# --------------------------------------------------------------------------- departmental grids


def test_departmental_grids_cover_the_district_but_disagree(city):
    district = _geoms(city, "district")[0]
    dept = _cols(city, "dept_grid")["department"]
    geoms = _geoms(city, "dept_grid")
    assert set(dept) == set(democity.DEPT_GRID_DEPARTMENTS)
    official = shapely.boundary(shapely.union_all(shapely.boundary(_geoms(city, "grid"))))
    sizes = {}
    for name in democity.DEPT_GRID_DEPARTMENTS:
        parts = geoms[dept == name]
        assert shapely.is_valid(parts).all()
        if name != "综治":  # 综治 carries the seeded faults (tests/workflows/test_demo_faults.py)
            _tiles(parts, district, rel=1e-7)
        sizes[name] = len(parts)
        # most of the layer's inner boundaries lie more than 2 m off the official grid lines
        inner = shapely.difference(shapely.union_all(shapely.boundary(parts)), shapely.boundary(district).buffer(0.5))
        off = shapely.difference(inner, shapely.buffer(shapely.union_all(shapely.boundary(_geoms(city, "grid"))), 2.0))
        assert off.length > 0.5 * inner.length, name
    assert official is not None
    assert len(set(sizes.values())) == 3  # three different granularities


# --------------------------------------------------------------------------- cameras


def test_cameras(city):
    c = _cols(city, "camera")
    n = len(c["device_id"])
    assert set(c["system"]) >= {"天网", "雪亮", "社会自建"}
    hfov = c["hfov"]
    assert (((hfov >= 60) & (hfov <= 110)) | (hfov == 360)).all()
    assert 0 < (hfov == 360).sum() < n * 0.3
    assert ((c["azimuth"] >= 0) & (c["azimuth"] < 360)).all()
    assert ((c["range_m"] > 0) & (c["range_m"] <= 250)).all()
    assert ((c["height_m"] >= 2.5) & (c["height_m"] <= 12)).all()
    tilt, vfov = c["tilt"], c["vfov"]
    assert 0 < np.isfinite(tilt).sum() < n and 0 < np.isfinite(vfov).sum() < n
    assert ((tilt[np.isfinite(tilt)] >= 0) & (tilt[np.isfinite(tilt)] <= 45)).all()
    assert 0 < sum(1 for v in c["hres_px"] if v) < n
    status = collections.Counter(c["status"])
    assert set(status) <= set(schema.CAMERA_STATUSES)
    assert status["online"] > 0.75 * n and all(status[s] > 0 for s in ("offline", "faulty", "obstructed"))
    district = _cols(city, "district")["code"][0]
    assert all(re.fullmatch(r"\d{20}", d) and d.startswith(district) for d in c["device_id"])
    assert len(set(c["device_id"])) == n
    # layout: district 6 + basic unit 2 + industry 2 + type 3 + network 1 + serial 6
    assert {d[8:10] for d in c["device_id"]} <= {"00", "01", "03", "04"}
    assert {d[10:13] for d in c["device_id"]} <= {"131", "132"} and {d[13] for d in c["device_id"]} <= set("068")
    # each camera's grid_code is the grid it stands in, and it stands on the street, not in a building
    pts = _geoms(city, "camera")
    grids = _geoms(city, "grid")
    src, dst = shapely.STRtree(grids).query(pts, predicate="within")
    assert np.array_equal(src, np.arange(n))
    assert (_cols(city, "grid")["grid_code"][dst] == c["grid_code"]).all()
    assert shapely.STRtree(_geoms(city, "building")).query(pts, predicate="within").shape[1] == 0
    # they look along their street: the azimuth is parallel to the nearest road (mod 180)
    roads = _geoms(city, "road")
    near = shapely.STRtree(roads).query_nearest(pts, return_distance=False, all_matches=False)[1]
    seg_dir = []
    for p, r in zip(pts, roads[near]):
        d = r.project(p)
        a, b = r.interpolate(max(0, d - 5)), r.interpolate(min(r.length, d + 5))
        seg_dir.append(math.degrees(math.atan2(b.x - a.x, b.y - a.y)))
    diff = np.abs((c["azimuth"] - np.array(seg_dir) + 90) % 180 - 90)
    assert (diff < 30).mean() > 0.9


# --------------------------------------------------------------------------- events


def test_event_categories_follow_the_responsibility_list(city):
    e = _cols(city, "event")
    cats = {row[0]: row for row in categories.CATEGORIES}
    assert set(e["category_code"]) <= set(cats)
    assert len(set(e["category_code"])) > 30
    for code, dept, level in zip(e["category_code"], e["department"], e["level"]):
        assert (dept, level) == (cats[code][4], cats[code][5])
    freq = collections.Counter(e["category_code"])
    assert freq["SJ0102"] > 10 * max(freq["SJ0403"], 1)  # litter far more often than burst gas mains
    assert set(e["source"]) == set(democity.EVENT_SOURCES)
    assert len(set(zip(e["source"], e["external_id"]))) == len(e["source"])
    assert len(set(e["id"])) == len(e["id"])
    assert all(
        re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", x) for x in e["id"][:500]
    )


def test_events_lie_in_their_grid_and_cluster(city):
    e = _cols(city, "event")
    pts = _geoms(city, "event")
    grids = _geoms(city, "grid")
    g = _cols(city, "grid")
    src, dst = shapely.STRtree(grids).query(pts, predicate="intersects")
    first = np.full(len(pts), -1)
    first[src[::-1]] = dst[::-1]
    assert (first >= 0).all()
    assert (g["grid_code"][first] == e["grid_code"]).all()
    assert (g["community_code"][first] == e["community_code"]).all()
    # hotspots: the busiest tenth of 100 m cells holds far more events than under a uniform spread
    district = _geoms(city, "district")[0]
    x0, y0, x1, y1 = district.bounds
    ex, ey = np.arange(x0, x1 + 100, 100), np.arange(y0, y1 + 100, 100)
    cx, cy = np.meshgrid((ex[:-1] + ex[1:]) / 2, (ey[:-1] + ey[1:]) / 2, indexing="ij")
    inside = shapely.contains_xy(district, cx, cy)

    def top_share(xy: np.ndarray) -> float:
        h = np.histogram2d(xy[:, 0], xy[:, 1], bins=[ex, ey])[0][inside]
        h = np.sort(h)[::-1]
        return h[: len(h) // 10].sum() / h.sum()

    rng = np.random.default_rng(0)
    uniform = rng.uniform([x0, y0], [x1, y1], (len(pts) * 2, 2))
    uniform = uniform[shapely.contains_xy(district, uniform[:, 0], uniform[:, 1])][: len(pts)]
    assert top_share(city["event"].xy) > 1.5 * top_share(uniform)


def test_event_life_cycle_and_history(city):
    e = _cols(city, "event")
    h = _cols(city, "event_history")
    as_of = np.datetime64(city.as_of.astimezone(democity.timezone.utc).replace(tzinfo=None), "s")
    n = len(e["id"])
    status = collections.Counter(e["status"])
    assert set(status) <= set(schema.CASE_STATES)
    assert status["closed"] > 0.8 * n and status["void"] > 0
    assert all(status[s] > 0 for s in ("reported", "registered", "dispatched", "handled"))
    assert (e["reported_at"] <= e["received_at"]).all() and (e["received_at"] <= as_of).all()
    span = (as_of - e["reported_at"].min()).astype(int) / 86400
    assert 725 <= span <= 732
    # history: per event a chain of allowed transitions from the report to the current status;
    # the generator walks a subset of the flow the database enforces (migration 002)
    allowed = {(None, "reported")} | {(f, t) for f, t, _k in cases.TRANSITIONS}
    assert democity.TRANSITIONS <= allowed
    order = np.lexsort((h["at"], h["event_id"]))
    by_event: dict[str, list] = collections.defaultdict(list)
    for k in order:
        by_event[h["event_id"][k]].append((h["from_status"][k], h["to_status"][k], h["at"][k]))
    assert set(by_event) == set(e["id"])
    for eid, st, received, updated in zip(e["id"], e["status"], e["received_at"], e["updated_at"]):
        chain = by_event[eid]
        assert chain[0][0] is None and chain[0][1] == "reported" and chain[0][2] == received
        for (_f1, t1, a1), (f2, _t2, a2) in zip(chain[:-1], chain[1:]):
            assert t1 == f2 and a1 <= a2
        assert all((f, t) in allowed for f, t, _ in chain)
        assert chain[-1][1] == st and chain[-1][2] == updated
        assert chain[-1][2] <= as_of
    # closed_at only on finished cases, deadline only on open ones
    finished = np.isin(e["status"], ["closed", "void"])
    assert not np.isnat(e["closed_at"][finished]).any() and np.isnat(e["closed_at"][~finished]).all()
    assert np.isnat(e["deadline_at"][finished]).all() and not np.isnat(e["deadline_at"][~finished]).any()
    # deadlines come from the category's hours for the current step
    cats = {row[0]: row for row in categories.CATEGORIES}
    step_hours = {"reported": 6, "registered": 7, "dispatched": 8, "handled": 9, "verified": 6}
    for k in np.flatnonzero(~finished):
        want = e["updated_at"][k] + np.timedelta64(
            int(round(cats[e["category_code"][k]][step_hours[e["status"][k]]] * 3600)), "s"
        )
        assert abs((e["deadline_at"][k] - want).astype(int)) <= 1
    overdue = (~finished) & (e["deadline_at"] < as_of)
    assert overdue.sum() >= 10
    # duplicates point to an earlier report of the same category in the same grid
    ids = {x: k for k, x in enumerate(e["id"])}
    dups = [k for k, d in enumerate(e["duplicate_of"]) if d]
    assert dups
    for k in dups:
        j = ids[e["duplicate_of"][k]]
        assert e["status"][k] == "void" and e["category_code"][j] == e["category_code"][k]
        assert e["grid_code"][j] == e["grid_code"][k] and e["reported_at"][j] <= e["reported_at"][k]


def test_storage_crs_transform(city):
    d = city.storage_geoms("district")[0]
    lon, lat = d.centroid.x, d.centroid.y
    assert 121.3 < lon < 121.7 and 31.1 < lat < 31.4
    xy = city.storage_xy("camera")
    assert ((xy[:, 0] > 121) & (xy[:, 0] < 122) & (xy[:, 1] > 31) & (xy[:, 1] < 32)).all()
    back = democity.to_metric(city.storage_geoms("grid"))
    assert np.allclose(shapely.area(back), shapely.area(_geoms(city, "grid")), rtol=1e-6)


def test_a_small_fraction_of_city_scale():
    t0 = time.time()
    small = democity.generate(seed=1, scale=0.02)
    assert time.time() - t0 < 60
    counts = small.counts()
    assert counts["camera"] == 1000 and counts["event"] == 40000
    assert 0.85 * 110 <= counts["grid"] <= 1.15 * 110
    assert 0.8 * 10000 <= counts["building"] <= 10000
    _tiles(_geoms(small, "grid"), shapely.union_all(_geoms(small, "district")))
