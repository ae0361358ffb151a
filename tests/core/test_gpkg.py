"""The GeoPackage store: every layer of schema.LAYERS with exactly its fields, in EPSG:4490."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import numpy as np
import pytest
import shapely
from qgis.core import QgsFeatureRequest, QgsFeatureSource, QgsVectorLayer, QgsWkbTypes

from grid_governance_plugin.core import democity
from grid_governance_plugin.core.store import gpkg, schema


@pytest.fixture(scope="module")
def city() -> democity.City:
    return democity.generate(seed=42, scale="demo")


@pytest.fixture(scope="module")
def store(city, tmp_path_factory):
    path = tmp_path_factory.mktemp("gpkg") / "demo.gpkg"
    counts = gpkg.write_city(city, path)
    return path, counts


def _layer(path, name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid(), name
    return layer


def test_empty_store_has_every_layer_with_exactly_its_fields(tmp_path):
    path = tmp_path / "empty.gpkg"
    gpkg.create_store(path)
    for spec in schema.LAYERS:
        layer = _layer(path, spec.name)
        assert layer.fields().names() == [spec.fid or "fid"] + spec.field_names(), spec.name
        if spec.geometry:
            assert layer.crs().authid() == f"EPSG:{schema.STORAGE_EPSG}"
            assert QgsWkbTypes.displayString(layer.wkbType()) == spec.geometry
        else:
            assert not layer.isSpatial()
        assert layer.featureCount() == 0


def test_written_city_has_every_layer_fields_and_counts(store, city):
    path, counts = store
    assert counts == city.counts()
    for spec in schema.LAYERS:
        layer = _layer(path, spec.name)
        assert layer.fields().names() == [spec.fid or "fid"] + spec.field_names(), spec.name
        assert layer.featureCount() == counts[spec.name] > 0, spec.name
        if spec.geometry:
            assert layer.crs().authid() == "EPSG:4490"
            assert layer.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent, spec.name
            assert QgsWkbTypes.displayString(layer.wkbType()) == spec.geometry
            ext = layer.extent()
            assert 121.3 < ext.xMinimum() < ext.xMaximum() < 121.7 and 31.1 < ext.yMinimum() < ext.yMaximum() < 31.4


def test_values_round_trip(store, city):
    path, _ = store
    ev = _layer(path, "event")
    cols = city["event"].columns
    feats = list(ev.getFeatures(QgsFeatureRequest().setLimit(50)))
    for k, f in enumerate(feats):
        assert f["id"] == cols["id"][k] and f["category_code"] == cols["category_code"][k]
        got = f["reported_at"].toPyDateTime()
        want = cols["reported_at"][k].astype(datetime).replace(tzinfo=timezone.utc)
        assert abs((got.replace(tzinfo=got.tzinfo or timezone.utc) - want).total_seconds()) < 1
        assert (f["closed_at"] is None or f["closed_at"].isNull()) == bool(np.isnat(cols["closed_at"][k]))
    cam = _layer(path, "camera")
    c = city["camera"].columns
    f = next(cam.getFeatures())
    assert f["device_id"] == c["device_id"][0] and f["hfov"] == c["hfov"][0]
    assert f["installed_at"].toPyDate().isoformat() == str(c["installed_at"][0])
    # NaN floats are NULL, not NaN
    nulls = [g for g in cam.getFeatures() if g["tilt"] is None or (hasattr(g["tilt"], "isNull") and g["tilt"].isNull())]
    assert len(nulls) == int(np.isnan(c["tilt"]).sum())
    workers = _layer(path, "grid_worker")
    assert {w["active"] for w in workers.getFeatures()} == {True, False}
    # geometries: the district in storage CRS equals the generator's one transformed
    district = _layer(path, "district")
    geom = shapely.from_wkb(bytes(next(district.getFeatures()).geometry().asWkb()))
    want = city.storage_geoms("district")[0]
    assert shapely.equals_exact(geom, want, tolerance=1e-9)


def test_write_layer_with_row_tuples_and_points(tmp_path):
    path = tmp_path / "rows.gpkg"
    gpkg.create_store(path)
    spec = schema.LAYERS_BY_NAME["camera"]
    rows = [
        ("34020000001320000001", "a", "天网", "online", 90.0, 70.0, 60.0, 6.0, None, None, 1920, "x", "2020-01-02"),
        ("34020000001320000002", "b", "雪亮", "faulty", 10.0, 360.0, 30.0, 4.0, 15.0, 40.0, None, None, None),
    ]
    n = gpkg.write_layer(path, "camera", np.array([[121.5, 31.2], [121.51, 31.21]]), rows)
    assert n == 2
    layer = _layer(path, "camera")
    feats = list(layer.getFeatures())
    assert [f["device_id"] for f in feats] == [r[0] for r in rows]
    assert feats[1]["tilt"] == 15.0 and feats[0]["installed_at"].toPyDate().isoformat() == "2020-01-02"
    assert feats[0].geometry().asPoint().x() == pytest.approx(121.5)
    assert layer.fields().names() == ["id"] + spec.field_names()
    # appending again keeps the index usable
    gpkg.write_layer(path, "camera", [shapely.Point(121.52, 31.22)], {"device_id": ["34020000001320000003"]})
    layer = _layer(path, "camera")
    assert layer.featureCount() == 3 and layer.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent
    # rows without geometry, by both paths
    for method in ("ogr", "sqlite"):
        gpkg.write_layer(path, "camera", None, {"device_id": ["34020000001320000009"]}, method=method)
    layer = _layer(path, "camera")
    assert layer.featureCount() == 5
    assert sum(1 for f in layer.getFeatures() if not f.hasGeometry()) == 2


@pytest.mark.parametrize("name", ["event", "building", "event_history"])
def test_bulk_sqlite_path_writes_what_ogr_writes(city, tmp_path, name):
    """The fast path (one executemany) and the OGR path give the same layer, as QGIS reads it."""
    spec = schema.LAYERS_BY_NAME[name]
    table = city[name]
    take = np.arange(min(len(table), 3000))
    cols = {k: v[take] for k, v in table.columns.items()}
    if table.xy is not None:
        geoms = city.storage_xy(name)[take]
    else:
        geoms = city.storage_geoms(name)[take] if spec.geometry else None
    layers = []
    for method in ("ogr", "sqlite"):
        path = tmp_path / f"{method}.gpkg"
        gpkg.create_store(path, [spec])
        assert gpkg.write_layer(path, name, geoms, cols, method=method) == len(take)
        layers.append(_layer(path, name))
    a, b = layers
    assert a.featureCount() == b.featureCount() == len(take)
    if spec.geometry:
        assert b.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent
        ea, eb = a.extent(), b.extent()
        assert [ea.xMinimum(), ea.yMinimum(), ea.xMaximum(), ea.yMaximum()] == pytest.approx(
            [eb.xMinimum(), eb.yMinimum(), eb.xMaximum(), eb.yMaximum()], abs=1e-9
        )
        # the R-tree filled by the fast path answers spatial queries like OGR's own
        rect = a.extent().buffered(0)
        rect.scale(0.3)
        req = QgsFeatureRequest().setFilterRect(rect)
        ids_a = sorted(f.id() for f in a.getFeatures(req))
        assert ids_a and ids_a == sorted(f.id() for f in b.getFeatures(req))
        with sqlite3.connect(tmp_path / "sqlite.gpkg") as con:
            n_rtree = con.execute(f"SELECT count(*) FROM rtree_{name}_geom").fetchone()[0]
            triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert n_rtree == len(take)
        assert {f"rtree_{name}_geom_insert", f"trigger_insert_feature_count_{name}"} <= triggers
    for fa, fb in zip(a.getFeatures(), b.getFeatures()):
        assert fa.attributes() == fb.attributes()
        if spec.geometry:
            assert fa.geometry().asWkb() == fb.geometry().asWkb()


def test_gencity_cli(tmp_path, capsys):
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("gencity", ROOT / "scripts" / "gencity.py")
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    out = tmp_path / "small.gpkg"
    assert cli.main(["--seed", "5", "--scale", "0.005", "--out", str(out), "--as-of", "2025-06-01T08:00:00+08:00"]) == 0
    text = capsys.readouterr().out
    assert "as_of=2025-06-01T08:00:00+08:00" in text
    for spec_ in schema.LAYERS:
        assert spec_.name in text
    assert _layer(out, "event").featureCount() == 10000
    assert _layer(out, "camera").featureCount() == 250
