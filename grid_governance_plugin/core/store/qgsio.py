"""Moving features between QGIS and numpy/shapely, in a chosen metric CRS.

Analyses work on shapely 2 geometry arrays (vectorised GEOS); these helpers read a
QgsFeatureSource into such arrays and write results back into a QgsFeatureSink.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFeatureSource,
    QgsGeometry,
    QgsProject,
    QgsWkbTypes,
)

from ..lazy import LazyModule

shapely = LazyModule("shapely")  # gridgov:overduecases and the docks load this module without it


@dataclass
class FeatureArrays:
    """Features of one source: ids, shapely geometries (metric CRS) and attributes."""

    fids: np.ndarray
    geoms: np.ndarray  # object array of shapely geometries (None where missing)
    attributes: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (fid, reason)

    def __len__(self) -> int:
        return len(self.fids)


def read_source(
    source: QgsFeatureSource,
    target_crs: QgsCoordinateReferenceSystem,
    fields: Sequence[str] | None = None,
    feedback=None,
    request: QgsFeatureRequest | None = None,
) -> FeatureArrays:
    """Read every feature of ``source`` transformed to ``target_crs``.

    ``fields`` limits the attributes read (None: all). Features without geometry are
    kept with geometry None so callers can report them by id.
    """
    request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
    transform = None
    if source.sourceCrs() != target_crs:
        transform = QgsCoordinateTransform(source.sourceCrs(), target_crs, QgsProject.instance())
    names = list(fields) if fields is not None else [f.name() for f in source.fields()]
    indices = [source.fields().lookupField(n) for n in names]
    fids: list[int] = []
    wkbs: list[bytes | None] = []
    attrs: list[dict[str, Any]] = []
    skipped: list[tuple[int, str]] = []
    total = max(source.featureCount(), 1)
    for i, feat in enumerate(source.getFeatures(request)):
        if feedback is not None:
            if feedback.isCanceled():
                break
            if i % 1000 == 0:
                feedback.setProgress(100.0 * i / total)
        geom = feat.geometry()
        wkb = None
        if not geom.isNull():
            if QgsWkbTypes.isCurvedType(geom.wkbType()):
                # shapely has no curves (real cadastre layers carry CurvePolygons): segmentize
                geom = QgsGeometry(geom.constGet().segmentize())
            if transform is not None:
                try:
                    geom.transform(transform)
                except Exception as exc:  # QgsCsException
                    skipped.append((feat.id(), str(exc)))
                    continue
            wkb = bytes(geom.asWkb())
        fids.append(feat.id())
        wkbs.append(wkb)
        values = feat.attributes()
        attrs.append({n: _py(values[idx]) if idx >= 0 else None for n, idx in zip(names, indices)})
    geoms = np.empty(len(wkbs), dtype=object)
    present = [i for i, w in enumerate(wkbs) if w is not None]
    if present:
        # "fix": real OSM footprints carry rings of fewer than 4 points; GEOS repairs them
        geoms[present] = shapely.from_wkb([wkbs[i] for i in present], on_invalid="fix")
    return FeatureArrays(np.asarray(fids, dtype=np.int64), geoms, attrs, skipped)


def _py(value: Any) -> Any:
    """QVariant NULLs and Qt date types to plain Python."""
    try:
        from qgis.PyQt.QtCore import QDate, QDateTime, QVariant
    except ImportError:  # pragma: no cover
        return value
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toPyDateTime() if value.isValid() else None
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    return value


def to_qgs(geom) -> QgsGeometry:
    """A shapely geometry as QgsGeometry."""
    g = QgsGeometry()
    if geom is not None and not geom.is_empty:
        # explicit dimension: GEOS 3.11's WKB writer rejects shapely's default
        g.fromWkb(shapely.to_wkb(geom, output_dimension=3 if shapely.has_z(geom) else 2))
    return g


def write_features(
    sink: QgsFeatureSink,
    fields,
    rows: Iterable[tuple[Any, Sequence[Any]]],
    transform: QgsCoordinateTransform | None = None,
    feedback=None,
) -> int:
    """Write (shapely geometry, attribute list) rows into ``sink``; returns the count."""
    n = 0
    batch: list[QgsFeature] = []
    for geom, values in rows:
        if feedback is not None and feedback.isCanceled():
            break
        f = QgsFeature(fields)
        qg = to_qgs(geom)
        if transform is not None and not qg.isNull():
            qg.transform(transform)
        f.setGeometry(qg)
        f.setAttributes(list(values))
        batch.append(f)
        if len(batch) >= 2000:
            sink.addFeatures(batch, QgsFeatureSink.FastInsert)
            n += len(batch)
            batch = []
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)
        n += len(batch)
    return n
