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


def qt_value(value: Any) -> Any:
    """A Python attribute value as the Qt type a feature field takes.

    Python ``date``/``datetime``/``time`` (what :func:`_py` makes of Qt's) are not converted
    by sip: a date field then receives an empty string and the provider refuses the feature.
    """
    import datetime as dt
    import decimal

    from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return QDateTime(
                QDate(value.year, value.month, value.day),
                QTime(value.hour, value.minute, value.second, value.microsecond // 1000),
                Qt.OffsetFromUTC,
                int(value.utcoffset().total_seconds()),
            )
        return QDateTime(
            QDate(value.year, value.month, value.day),
            QTime(value.hour, value.minute, value.second, value.microsecond // 1000),
        )
    if isinstance(value, dt.date):
        return QDate(value.year, value.month, value.day)
    if isinstance(value, dt.time):
        return QTime(value.hour, value.minute, value.second, value.microsecond // 1000)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _ok(result) -> bool:
    """addFeatures' success: a bool from sinks, (bool, features) from data providers."""
    return bool(result[0] if isinstance(result, tuple) else result)


class SinkWriteError(Exception):
    """Features computed for an output could not all be written to it."""


class CheckedSink:
    """A feature sink that counts the features its destination refused.

    QGIS's sinks report a refused batch to the feedback and go on: the run "succeeds" with an
    empty or partial output. Wrapped in this, the algorithm can refuse to claim success
    (:meth:`check`) and say how many features were lost and why.
    """

    def __init__(self, sink: QgsFeatureSink, name: str):
        self.sink = sink
        self.name = name
        self.attempted = 0
        self.failed = 0
        self.error = ""

    def _note(self, ok, n: int) -> bool:
        ok = _ok(ok)
        self.attempted += n
        if not ok:
            # a refused batch may be partly written (file writers go feature by feature):
            # all of it is counted as not written, an upper bound that is exact in practice
            self.failed += n
            self.error = self.error or (self.sink.lastError() if hasattr(self.sink, "lastError") else "")
        return ok

    def addFeature(self, feature: QgsFeature, flags=QgsFeatureSink.Flags()) -> bool:  # noqa: N802, B008
        return self._note(self.sink.addFeature(feature, flags), 1)

    def addFeatures(self, features, flags=QgsFeatureSink.Flags()) -> bool:  # noqa: N802, B008
        features = list(features)
        return self._note(self.sink.addFeatures(features, flags), len(features))

    def flushBuffer(self) -> bool:  # noqa: N802 - QgsFeatureSink API
        ok = self.sink.flushBuffer()
        if not ok:
            self.error = self.error or self.sink.lastError()
        return ok

    def lastError(self) -> str:  # noqa: N802
        return self.sink.lastError() if self.sink is not None else self.error

    def close(self) -> None:
        """Let go of the destination: QGIS finishes a file output (a GeoPackage's table and
        index) only when its sink is deleted, and a frame kept alive elsewhere (a log record's
        traceback, say) must not keep the file unfinished after the algorithm returned."""
        self.sink = None

    def check(self) -> None:
        """Raise :class:`SinkWriteError` naming the output, the count and the reason when any was refused."""
        from ..i18n import tr

        flushed = self.flushBuffer()
        if self.failed or not flushed:
            raise SinkWriteError(
                tr(
                    "{0} of {1} feature(s) could not be written to the output '{2}': {3}",
                    self.failed,
                    self.attempted,
                    self.name,
                    self.error or tr("the destination refused them without saying why"),
                )
            )


def write_features(
    sink: QgsFeatureSink,
    fields,
    rows: Iterable[tuple[Any, Sequence[Any]]],
    transform: QgsCoordinateTransform | None = None,
    feedback=None,
) -> int:
    """Write (shapely geometry, attribute list) rows into ``sink``; returns the count written.

    Python values (dates, numpy numbers) become the Qt types the fields take. A batch the
    destination refuses is not counted; wrap the sink in :class:`CheckedSink` to learn why.
    """
    n = 0
    batch: list[QgsFeature] = []

    def flush() -> int:
        return len(batch) if _ok(sink.addFeatures(batch, QgsFeatureSink.FastInsert)) else 0

    for geom, values in rows:
        if feedback is not None and feedback.isCanceled():
            break
        f = QgsFeature(fields)
        qg = to_qgs(geom)
        if transform is not None and not qg.isNull():
            qg.transform(transform)
        f.setGeometry(qg)
        f.setAttributes([qt_value(v) for v in values])
        batch.append(f)
        if len(batch) >= 2000:
            n += flush()
            batch = []
    if batch:
        n += flush()
    return n
