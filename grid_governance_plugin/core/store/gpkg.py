"""The GeoPackage store: every layer of :data:`schema.LAYERS`, in EPSG:4490.

``create_store`` makes the layers with OGR, with exactly the spec's fields, geometry
column ``geom``, the spec's FID column (``fid`` when the spec has none) and an R-tree
spatial index, so the GeoPackage and PostGIS look the same to QGIS.

``write_layer`` appends rows in one transaction, by one of two paths that write the same
thing (a test compares them feature by feature):

* "ogr": feature by feature through OGR, spatial index dropped during the load and
  rebuilt by GDAL after it. Simple, but Python-bound (roughly 10,000-50,000 rows/s).
* "sqlite": one ``executemany`` of the rows with ready-made GeoPackage geometry blobs,
  the R-tree filled from envelopes computed in numpy, ``gpkg_contents`` extent and
  ``gpkg_ogr_contents`` count updated; several times faster, which is what makes the
  2,000,000 events and ~12,000,000 history rows of city scale practical.

"auto" (the default) takes "sqlite" from ``BULK_ROWS`` rows on.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Union

import numpy as np
from osgeo import gdal, ogr, osr

from . import schema

gdal.UseExceptions()
ogr.UseExceptions()

PathLike = Union[str, Path]
GEOMETRY_COLUMN = "geom"

_OGR_GEOM = {
    "Point": ogr.wkbPoint,
    "MultiPoint": ogr.wkbMultiPoint,
    "LineString": ogr.wkbLineString,
    "MultiLineString": ogr.wkbMultiLineString,
    "Polygon": ogr.wkbPolygon,
    "MultiPolygon": ogr.wkbMultiPolygon,
}
# WKB code of each multi type and the shapely type id of its single part (promoted in bulk)
_MULTI_OF = {"MultiPolygon": (6, 3), "MultiLineString": (5, 1), "MultiPoint": (4, 0)}


def _field_defn(name: str, kind: str) -> ogr.FieldDefn:
    if kind in ("text", "uuid"):
        return ogr.FieldDefn(name, ogr.OFTString)
    if kind == "int":
        return ogr.FieldDefn(name, ogr.OFTInteger64)
    if kind == "double":
        return ogr.FieldDefn(name, ogr.OFTReal)
    if kind == "bool":
        defn = ogr.FieldDefn(name, ogr.OFTInteger)
        defn.SetSubType(ogr.OFSTBoolean)
        return defn
    if kind == "datetime":
        return ogr.FieldDefn(name, ogr.OFTDateTime)
    if kind == "date":
        return ogr.FieldDefn(name, ogr.OFTDate)
    raise ValueError(f"unknown field kind {kind!r}")


def storage_srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(schema.STORAGE_EPSG)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)  # x = lon, y = lat
    return srs


def create_store(path: PathLike, layers: Sequence[schema.LayerSpec] = schema.LAYERS, overwrite: bool = True) -> None:
    """Create a GeoPackage with one empty layer per spec (spatial layers indexed)."""
    path = Path(path)
    if path.exists():
        if not overwrite:
            raise FileExistsError(path)
        ogr.GetDriverByName("GPKG").DeleteDataSource(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    try:
        srs = storage_srs()
        for spec in layers:
            _create_layer(ds, spec, srs)
    finally:
        ds = None


def _create_layer(ds: ogr.DataSource, spec: schema.LayerSpec, srs: osr.SpatialReference) -> ogr.Layer:
    options = [f"FID={spec.fid or 'fid'}", f"DESCRIPTION={spec.title or spec.name}"]
    if spec.geometry:
        options += [f"GEOMETRY_NAME={GEOMETRY_COLUMN}", "SPATIAL_INDEX=YES"]
        layer = ds.CreateLayer(spec.name, srs, _OGR_GEOM[spec.geometry], options)
    else:
        layer = ds.CreateLayer(spec.name, None, ogr.wkbNone, options)
    for name, kind in spec.fields:
        layer.CreateField(_field_defn(name, kind))
    return layer


# --------------------------------------------------------------------------- value conversion


def _iso_utc(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def column_values(values: Any, kind: str) -> list:
    """A column as a Python list for the writers: None for NULL (NaN and NaT included).

    datetime64 columns are UTC; they become ISO 8601 strings with 'Z'.
    """
    arr = np.asarray(values)
    if kind == "datetime":
        if np.issubdtype(arr.dtype, np.datetime64):
            # GDAL's own GeoPackage form: milliseconds and Z
            s = np.datetime_as_string(arr.astype("datetime64[ms]"), unit="ms", timezone="UTC")
            out = s.astype(object)
            out[np.isnat(arr)] = None
            return out.tolist()
        return [_iso_utc(v) for v in arr.tolist()]
    if kind == "date":
        if np.issubdtype(arr.dtype, np.datetime64):
            s = np.datetime_as_string(arr.astype("datetime64[D]"), unit="D").astype(object)
            s[np.isnat(arr)] = None
            return s.tolist()
        return [None if v is None else (v.isoformat() if isinstance(v, (date, datetime)) else str(v)) for v in arr]
    if kind == "double":
        if arr.dtype.kind in "fiu":
            out = arr.astype(float).astype(object)
            out[np.isnan(arr.astype(float))] = None
            return out.tolist()
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in arr.tolist()]
    if kind == "int":
        if arr.dtype.kind in "iu":
            return arr.tolist()
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v) for v in arr.tolist()]
    if kind == "bool":
        return [None if v is None else bool(v) for v in arr.tolist()]
    # text / uuid
    if arr.dtype.kind in "US":
        return arr.astype(str).tolist()
    return [None if v is None else str(v) for v in arr.tolist()]


def _columns(spec: schema.LayerSpec, rows: Any, n: int | None) -> list[list]:
    """Rows (columns by name, or a sequence of tuples/dicts in spec order) -> one list per field."""
    names = spec.field_names()
    if rows is None:
        rows = {}
    if isinstance(rows, Mapping):
        if n is None:
            given = [rows[k] for k in names if k in rows]
            n = len(given[0]) if given else 0
        cols = []
        for name, kind in spec.fields:
            if name in rows:
                cols.append(column_values(rows[name], kind))
            else:
                cols.append([None] * n)
        return cols
    rows = list(rows)
    if rows and isinstance(rows[0], Mapping):
        return [column_values(np.array([r.get(nm) for r in rows], dtype=object), k) for nm, k in spec.fields]
    by_col = list(zip(*rows)) if rows else [[] for _ in names]
    return [column_values(np.array(c, dtype=object), k) for c, (_nm, k) in zip(by_col, spec.fields)]


def geometry_wkb(geoms: Any, geometry: str | None) -> list[bytes | None] | np.ndarray | None:
    """Shapely geometries -> ISO WKB, single parts promoted to the spec's multi type.

    An (n, 2) float array stands for points and is returned as is.
    """
    if geoms is None:
        return None
    arr = np.asarray(geoms)
    if arr.dtype.kind == "f" and arr.ndim == 2 and arr.shape[1] == 2:
        return arr
    import shapely

    wkb = shapely.to_wkb(np.asarray(geoms, dtype=object), byte_order=1, flavor="iso")
    if geometry in _MULTI_OF:
        multi, single = _MULTI_OF[geometry]
        types = shapely.get_type_id(np.asarray(geoms, dtype=object))
        head = struct.pack("<BII", 1, multi, 1)
        promote = types == single
        wkb = wkb.astype(object)
        wkb[promote] = [head + w for w in wkb[promote]]
    return list(wkb)


# --------------------------------------------------------------------------- writing


def write_layer(
    path: PathLike,
    name: str,
    geoms: Any,
    rows: Any,
    spec: schema.LayerSpec | None = None,
    method: str = "auto",
) -> int:
    """Append features to layer ``name`` of the store; return how many were written.

    ``geoms``: shapely geometries in EPSG:4490 (or an (n, 2) lon/lat array for points, or
    None for tables); ``rows``: columns by field name (arrays; NaN/NaT/None are NULL) or a
    sequence of rows in the spec's field order. All in one transaction.

    ``method``: "ogr" writes feature by feature through OGR; "sqlite" inserts the same
    rows and GeoPackage geometry blobs with one executemany (about ten times faster, for
    the millions of events of city scale) and lets OGR rebuild the R-tree; "auto" takes
    "sqlite" from ``BULK_ROWS`` rows on.
    """
    spec = spec or schema.LAYERS_BY_NAME[name]
    geo = geometry_wkb(geoms, spec.geometry) if spec.geometry else None
    n = len(geo) if geo is not None else None
    cols = _columns(spec, rows, n)
    if n is None:
        n = len(cols[0]) if cols else 0
    if any(len(c) != n for c in cols):
        raise ValueError(f"{spec.name}: columns and geometries differ in length")
    if n == 0:
        return 0
    if method == "auto":
        method = "sqlite" if n >= BULK_ROWS else "ogr"
    if method not in ("ogr", "sqlite"):
        raise ValueError(f"unknown method {method!r}")
    ds = ogr.Open(str(path), 1)
    try:
        layer = ds.GetLayerByName(spec.name)
        if layer is None:
            layer = _create_layer(ds, spec, storage_srs())
        geom_col = layer.GetGeometryColumn()
        fid_col = layer.GetFIDColumn()
        defn = layer.GetLayerDefn()
        if any(defn.GetFieldIndex(f) < 0 for f in spec.field_names()):
            raise ValueError(f"{spec.name}: the store lacks fields of the spec")
        if method == "ogr":
            indexed = False
            if spec.geometry:
                with _sql(ds, f"SELECT HasSpatialIndex('{spec.name}', '{geom_col}')") as res:
                    indexed = bool(res.GetNextFeature().GetField(0))
                if indexed:  # rebuilding the R-tree once beats updating it per row
                    ds.ExecuteSQL(f"SELECT DisableSpatialIndex('{spec.name}', '{geom_col}')")
            _write_ogr(ds, layer, spec, geo, cols, n)
            layer = None
            if indexed:
                ds.ExecuteSQL(f"SELECT CreateSpatialIndex('{spec.name}', '{geom_col}')")
        else:
            layer = None
            ds = None  # sqlite3 takes over the file
            _write_sqlite(Path(path), spec, geom_col, fid_col, geoms, geo, cols, n)
    finally:
        ds = None
    return n


BULK_ROWS = 20000


def _write_ogr(
    ds: ogr.DataSource, layer: ogr.Layer, spec: schema.LayerSpec, geo: Any, cols: list[list], n: int
) -> None:
    defn = layer.GetLayerDefn()
    idx = [defn.GetFieldIndex(name) for name in spec.field_names()]
    setters = []
    for j, (_name, kind) in zip(idx, spec.fields):
        if kind in ("text", "uuid", "datetime", "date"):
            setters.append((j, ogr.Feature.SetFieldString))
        elif kind == "int":
            setters.append((j, ogr.Feature.SetFieldInteger64))
        elif kind == "bool":
            setters.append((j, _set_bool))
        else:
            setters.append((j, ogr.Feature.SetField))
    points = isinstance(geo, np.ndarray)
    ds.ExecuteSQL("PRAGMA synchronous = OFF")
    layer.StartTransaction()
    try:
        for i in range(n):
            feat = ogr.Feature(defn)
            for (j, setter), col in zip(setters, cols):
                v = col[i]
                if v is not None:
                    setter(feat, j, v)
            if geo is not None:
                if points:
                    g = ogr.Geometry(ogr.wkbPoint)
                    g.AddPoint_2D(float(geo[i, 0]), float(geo[i, 1]))
                    feat.SetGeometryDirectly(g)
                elif geo[i] is not None:
                    feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(geo[i]))
            layer.CreateFeature(feat)
        layer.CommitTransaction()
    except Exception:
        layer.RollbackTransaction()
        raise


def gpkg_blobs(geoms: Any, wkb: Any, srs_id: int = schema.STORAGE_EPSG) -> tuple[list, tuple]:
    """GeoPackage geometry blobs (header + ISO WKB) and their envelopes (x0, y0, x1, y1 arrays).

    Points carry no envelope in the header, other types the [minx, maxx, miny, maxy] one,
    as GDAL writes them. Missing or empty geometries give None and NaN envelopes.
    """
    if isinstance(wkb, np.ndarray):
        n = len(wkb)
        rec = np.zeros(
            n,
            dtype=[("m", "S2"), ("v", "u1"), ("f", "u1"), ("s", "<i4"), ("o", "u1"), ("t", "<u4"), ("x", "<f8"),
                   ("y", "<f8")],
        )  # fmt: skip
        rec["m"], rec["f"], rec["s"], rec["o"], rec["t"] = b"GP", 1, srs_id, 1, 1
        rec["x"], rec["y"] = wkb[:, 0], wkb[:, 1]
        raw = rec.tobytes()
        size = rec.dtype.itemsize
        x, y = wkb[:, 0].astype(float), wkb[:, 1].astype(float)
        return [raw[i * size : (i + 1) * size] for i in range(n)], (x, y, x, y)
    import shapely

    bounds = shapely.bounds(np.asarray(geoms, dtype=object))
    blobs: list = []
    for w, (x0, y0, x1, y1) in zip(wkb, bounds.tolist()):
        if w is None or math.isnan(x0):
            blobs.append(None)
        else:
            blobs.append(struct.pack("<2sBBi4d", b"GP", 0, 3, srs_id, x0, x1, y0, y1) + w)
    return blobs, (bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3])


def _write_sqlite(
    path: Path,
    spec: schema.LayerSpec,
    geom_col: str,
    fid_col: str,
    geoms: Any,
    geo: Any,
    cols: list[list],
    n: int,
) -> None:
    """Insert with sqlite3 directly, keeping the GeoPackage's R-tree and counts right.

    The R-tree and feature-count triggers call functions only GDAL registers (ST_MinX...)
    and cost a statement per row, so they are dropped for the load and put back after it;
    the R-tree is filled from the envelopes computed here.
    """
    names = [fid_col] + spec.field_names()
    values: list = list(cols)
    bounds = None
    if spec.geometry and geo is not None:
        blobs, bounds = gpkg_blobs(geoms, geo)
        values.append(blobs)
        names = names + [geom_col]
    quoted = ", ".join(f'"{c}"' for c in names)
    marks = ", ".join("?" * len(names))
    rtree = f"rtree_{spec.name}_{geom_col}"
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA synchronous = OFF")
        con.execute("BEGIN")
        try:
            triggers = con.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND "
                "(name = ? OR name = ?)",
                (spec.name, f"{rtree}_insert", f"trigger_insert_feature_count_{spec.name}"),
            ).fetchall()
            for name, _sql_text in triggers:
                con.execute(f'DROP TRIGGER "{name}"')
            start = con.execute(f'SELECT coalesce(max("{fid_col}"), 0) + 1 FROM "{spec.name}"').fetchone()[0]
            fids = range(start, start + n)
            con.executemany(f'INSERT INTO "{spec.name}" ({quoted}) VALUES ({marks})', zip(fids, *values))
            has_rtree = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (rtree,)
            ).fetchone()
            if bounds is not None:
                x0, y0, x1, y1 = bounds
                ok = ~np.isnan(x0)
                if has_rtree:
                    rows = zip(np.arange(start, start + n)[ok].tolist(), x0[ok].tolist(), x1[ok].tolist(),
                               y0[ok].tolist(), y1[ok].tolist())  # fmt: skip
                    con.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)', rows)
                if ok.any():
                    extent = [x0[ok].min(), y0[ok].min(), x1[ok].max(), y1[ok].max()]
                    cur = con.execute(
                        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = lower(?)",
                        (spec.name,),
                    ).fetchone()
                    if cur and cur[0] is not None:
                        extent = [min(cur[0], extent[0]), min(cur[1], extent[1]), max(cur[2], extent[2]),
                                  max(cur[3], extent[3])]  # fmt: skip
                    con.execute(
                        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(?)",
                        (*(float(v) for v in extent), spec.name),
                    )
            con.execute(
                f'UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM "{spec.name}") '
                "WHERE lower(table_name) = lower(?)",
                (spec.name,),
            )
            for _name, sql_text in triggers:
                con.execute(sql_text)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()


def _set_bool(feat: ogr.Feature, j: int, v: bool) -> None:
    feat.SetField(j, 1 if v else 0)


class _sql:
    """ExecuteSQL as a context manager that releases the result set."""

    def __init__(self, ds: ogr.DataSource, sql: str) -> None:
        self.ds, self.sql, self.res = ds, sql, None

    def __enter__(self) -> ogr.Layer:
        self.res = self.ds.ExecuteSQL(self.sql)
        return self.res

    def __exit__(self, *exc: object) -> None:
        if self.res is not None:
            self.ds.ReleaseResultSet(self.res)


def write_city(city: Any, path: PathLike, progress: Any = None, method: str = "auto") -> dict[str, int]:
    """Write a :class:`democity.City` to a new GeoPackage at ``path``; counts per layer.

    ``progress``: optional callable(layer_name, count) called after each layer.
    """
    create_store(path)
    counts: dict[str, int] = {}
    for spec in schema.LAYERS:
        table = city.tables.get(spec.name)
        if table is None:
            counts[spec.name] = 0
            continue
        if table.xy is not None:
            geoms = city.storage_xy(spec.name)
        else:
            geoms = city.storage_geoms(spec.name) if spec.geometry else None
        counts[spec.name] = write_layer(path, spec.name, geoms, table.columns, spec=spec, method=method)
        if progress is not None:
            progress(spec.name, counts[spec.name])
    return counts
