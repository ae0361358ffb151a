"""Issue 9: the demo shows a planner what grid problems look like (seeded in the 综治 grids)."""

from __future__ import annotations

import collections

import processing
from qgis.core import QgsVectorLayer

from grid_governance_plugin.core import democity
from grid_governance_plugin.core.store import gpkg


def test_the_check_finds_the_seeded_faults_of_the_departmental_grids(qgis_app, provider, tmp_path):
    city = democity.generate(seed=42, scale="demo")
    seeded = city.extra["dept_faults"]
    assert [f["kind"] for f in seeded] == [k for k, _what in democity.DEPT_FAULTS]
    path = tmp_path / "city.gpkg"
    gpkg.write_city(city, path)
    zz = QgsVectorLayer(f"{path}|layername=dept_grid", "综治", "ogr")
    zz.setSubsetString("\"department\" = '综治'")
    district = QgsVectorLayer(f"{path}|layername=district", "district", "ogr")
    # what make_demo runs and adds to the project as "Problems of the departmental grids (综治)"
    out = processing.run(
        "gridgov:validategrids",
        {"GRIDS": zz, "PARENTS": district, "CODE_FIELD": "", "OUTPUT": str(tmp_path / "problems.gpkg")},
    )["OUTPUT"]
    problems = QgsVectorLayer(out, "problems", "ogr")
    code_of = {f.id(): f["code"] for f in zz.getFeatures()}

    def codes(fids: str) -> set:
        return {code_of.get(int(x)) for x in fids.split(",") if x}

    rows = [(f["error_type"], codes(f["grid_fids"]), f["area_m2"], f["message"]) for f in problems.getFeatures()]
    kinds = collections.Counter(r[0] for r in rows)
    assert kinds == collections.Counter(k for k, _what in democity.DEPT_FAULTS)
    for fault in seeded:
        # a gap belongs to no grid: it lies next to the seeded pair
        match = [r for r in rows if r[0] == fault["kind"] and (r[1] & set(fault["codes"]) or r[0] == "gap")]
        assert match, fault
        assert all(r[2] > 1.0 and r[3] for r in match)  # real areas, a message naming the grids
    # each problem has a place on the map to zoom to
    assert all(f.hasGeometry() and not f.geometry().isEmpty() for f in problems.getFeatures())
    # the official grid stays clean
    grid = QgsVectorLayer(f"{path}|layername=grid", "grid", "ogr")
    comm = QgsVectorLayer(f"{path}|layername=community", "community", "ogr")
    clean = processing.run("gridgov:validategrids", {"GRIDS": grid, "PARENTS": comm, "OUTPUT": "TEMPORARY_OUTPUT"})
    assert clean["PROBLEMS"] == 0
