"""gridgov:importcameras — cameras from a CSV/Excel device list or OpenStreetMap surveillance nodes.

The parsing is in :mod:`..core.coverage.importers`; this algorithm reads the input, writes the
cameras as points in the store's CRS (EPSG:4490, CGCS2000; WGS84 coordinates are written as
they are, the two differ by centimetres) with the store's camera fields, and the report of
unusable, corrected and defaulted values as a table. Nothing is written when parsing fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QVariant

from ..core.coverage.importers import (
    COORD_SYSTEMS,
    FORMATS,
    STATUSES,
    ImportDefaults,
    ImportResult,
    detect_format,
    import_device_list,
    import_osm,
)
from ..core.i18n import N_, tr
from ..core.store.schema import LAYERS_BY_NAME, STORAGE_EPSG
from .base import GridGovAlgorithm

_KINDS = {"text": QVariant.String, "double": QVariant.Double, "int": QVariant.Int, "date": QVariant.Date}
FORMAT_LABELS = (
    N_("Automatic (from the file name)"),
    N_("CSV device list"),
    N_("Excel device list (.xlsx)"),
    N_("OpenStreetMap surveillance nodes"),
)
COORD_LABELS = (N_("WGS 84"), N_("CGCS2000"), N_("GCJ-02 (AMap, Tencent)"), N_("BD-09 (Baidu)"))


def camera_fields() -> QgsFields:
    """The store's camera fields plus ``source_ref`` (input row or OSM id)."""
    fields = QgsFields()
    for name, kind in LAYERS_BY_NAME["camera"].fields:
        fields.append(QgsField(name, _KINDS.get(kind, QVariant.String)))
    fields.append(QgsField("source_ref", QVariant.String))
    return fields


def report_fields() -> QgsFields:
    fields = QgsFields()
    for name in ("ref", "field", "level", "message"):
        fields.append(QgsField(name, QVariant.String))
    return fields


def _py(value: Any) -> Any:
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if hasattr(value, "isNull") and callable(value.isNull) and value.isNull():
        return None
    return value


def osm_features_from_layer(layer) -> list[tuple[Any, float | None, float | None, dict[str, Any]]]:
    """(osm id, lon, lat, attributes) of a point layer, in WGS84."""
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    xform = None
    if layer.crs().isValid() and layer.crs() != wgs84:
        xform = QgsCoordinateTransform(layer.crs(), wgs84, QgsProject.instance())
    names = layer.fields().names()
    out = []
    for feat in layer.getFeatures():
        props = {n: _py(v) for n, v in zip(names, feat.attributes())}
        props.pop("fid", None)
        geom = feat.geometry()
        lon = lat = None
        if not geom.isNull():
            if xform is not None:
                geom.transform(xform)
            pt = geom.asPoint() if not geom.isMultipart() else geom.asMultiPoint()[0]
            lon, lat = pt.x(), pt.y()
        ref = props.get("osm_id") or props.get("id") or feat.id()
        out.append((ref, lon, lat, props))
    return out


def _open_vector(value: str, context):
    layer = QgsProcessingUtils.mapLayerFromString(value, context)
    if isinstance(layer, QgsVectorLayer) and layer.isValid():
        return layer
    if Path(value).suffix.lower() in (".osm", ".pbf"):
        layer = QgsVectorLayer(f"{value}|layername=points", "osm", "ogr")
        if layer.isValid():
            return layer
    return None


def run_import(value: str, fmt: str, defaults: ImportDefaults, context=None) -> ImportResult:
    """Parse a file path or a layer (id, name or source) with the importers."""
    is_file = Path(value.split("|")[0]).is_file()
    if fmt == "auto":
        fmt = detect_format(value.split("|")[0]) if is_file else "osm"
    if fmt in ("csv", "xlsx"):
        if not is_file:
            raise QgsProcessingException(tr("{0} is not a file.", value))
        return import_device_list(value, defaults, fmt)
    layer = _open_vector(value, context)
    if layer is None:
        raise QgsProcessingException(tr("{0} cannot be opened as a layer of OpenStreetMap nodes.", value))
    if layer.geometryType() != QgsWkbTypes.PointGeometry:
        raise QgsProcessingException(tr("{0} is not a point layer.", layer.name()))
    return import_osm(osm_features_from_layer(layer), defaults)


def write_cameras(sink, fields: QgsFields, cameras: list[dict[str, Any]], feedback=None) -> int:
    names = fields.names()
    batch = []
    for cam in cameras:
        f = QgsFeature(fields)
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(cam["lon"], cam["lat"])))
        values = []
        for n in names:
            v = cam.get(n)
            if n == "installed_at" and v is not None:
                v = QDate(v.year, v.month, v.day)
            elif n == "source_ref" and v is not None:
                v = str(v)
            values.append(v)
        f.setAttributes(values)
        batch.append(f)
    sink.addFeatures(batch, QgsFeatureSink.FastInsert)
    return len(batch)


class ImportCamerasAlgorithm(GridGovAlgorithm):
    ALG_ID = "importcameras"
    ALG_NAME = "Import cameras"
    GROUP_ID = "coverage"
    GROUP = "Camera coverage"
    HELP = (
        "Reads cameras from a CSV or Excel (.xlsx) device list, with Chinese or English column names "
        "(设备编码/国标编码, 经度, 纬度, 名称, 所属系统, 状态, 方位角, 水平视场角, 可视距离, 安装高度, 俯仰角...), or from "
        "OpenStreetMap surveillance nodes (a GeoJSON, GeoPackage or .osm file, or a point layer): camera:direction "
        "in degrees, compass letters or ranges, camera:type (dome and panning look all round), height with units, "
        "camera:tilt and camera:angle as tilt in degrees below the horizontal. Non-camera nodes (guards) are "
        "skipped. Device ids are checked as 20-digit GB/T 28181 ids. Empty values take the defaults. OUTPUT holds "
        "the cameras in EPSG:4490 with the store's camera fields; REPORT lists every row that was skipped, corrected "
        "or defaulted and why."
    )
    INPUT = "INPUT"
    FORMAT = "FORMAT"
    COORD_SYS = "COORD_SYS"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(
                self.INPUT,
                self.tr("Device list or OpenStreetMap file (or layer source)"),
                QgsProcessingParameterFile.File,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.FORMAT, self.tr("Format"), [self.tr(label) for label in FORMAT_LABELS], False, 0
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.COORD_SYS,
                self.tr("Coordinates of the device list"),
                [self.tr(label) for label in COORD_LABELS],
                False,
                0,
            )
        )
        for name, label, default, lo, hi in (
            ("DEFAULT_HFOV", N_("Horizontal field of view where missing (degrees)"), 90.0, 0.1, 360.0),
            ("DEFAULT_RANGE", N_("Range where missing (m)"), 50.0, 0.1, 5000.0),
            ("DEFAULT_HEIGHT", N_("Mount height where missing (m)"), 4.0, 0.0, 300.0),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(
                    name, self.tr(label), QgsProcessingParameterNumber.Double, default, False, lo, hi
                )
            )
        self.addParameter(
            QgsProcessingParameterString(
                "DEFAULT_SYSTEM", self.tr("System where missing (e.g. 天网, 雪亮)"), "", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum("DEFAULT_STATUS", self.tr("Status where missing"), list(STATUSES), False, 0)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Imported cameras"), QgsProcessing.TypeVectorPoint)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.REPORT, self.tr("Import report"), QgsProcessing.TypeVector)
        )
        for name, label in (
            ("CAMERA_COUNT", N_("Cameras imported")),
            ("SKIPPED_COUNT", N_("Rows or nodes skipped")),
            ("WARNING_COUNT", N_("Values corrected or ignored")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

    def processAlgorithm(self, parameters, context, feedback):
        value = self.parameterAsFile(parameters, self.INPUT, context) or self.parameterAsString(
            parameters, self.INPUT, context
        )
        if not value:
            raise QgsProcessingException(self.tr("No input given."))
        fmt = FORMATS[self.parameterAsEnum(parameters, self.FORMAT, context)]
        defaults = ImportDefaults(
            hfov=self.parameterAsDouble(parameters, "DEFAULT_HFOV", context),
            range_m=self.parameterAsDouble(parameters, "DEFAULT_RANGE", context),
            height_m=self.parameterAsDouble(parameters, "DEFAULT_HEIGHT", context),
            system=self.parameterAsString(parameters, "DEFAULT_SYSTEM", context) or None,
            status=STATUSES[self.parameterAsEnum(parameters, "DEFAULT_STATUS", context)],
            coord_sys=COORD_SYSTEMS[self.parameterAsEnum(parameters, self.COORD_SYS, context)],
        )
        try:
            result = run_import(value, fmt, defaults, context)
        except (OSError, ValueError) as exc:
            raise QgsProcessingException(self.tr("Cannot read {0}: {1}", value, str(exc))) from exc
        shown = 0
        for m in result.report:
            if m.level == "info" or shown >= 200:
                continue
            shown += 1
            text = self.tr("{0} {1}: {2}", m.ref, m.field, m.text)
            if m.level == "error":
                feedback.reportError(text, False)
            else:
                feedback.pushWarning(text)
        fields = camera_fields()
        sink, dest = self.parameterAsSink(
            parameters,
            self.OUTPUT,
            context,
            fields,
            QgsWkbTypes.Point,
            QgsCoordinateReferenceSystem(f"EPSG:{STORAGE_EPSG}"),
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        n = write_cameras(sink, fields, result.cameras, feedback)
        rfields = report_fields()
        rsink, rdest = self.parameterAsSink(
            parameters, self.REPORT, context, rfields, QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem()
        )
        if rsink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.REPORT))
        rows = []
        for m in result.report:
            f = QgsFeature(rfields)
            f.setAttributes(m.as_row())
            rows.append(f)
        rsink.addFeatures(rows, QgsFeatureSink.FastInsert)
        skipped = sum(1 for m in result.report if m.level == "error")
        warnings = sum(1 for m in result.report if m.level in ("warning", "corrected"))
        feedback.pushInfo(
            self.tr(
                "{0} cameras imported, {1} rows or nodes skipped, {2} values corrected or ignored.",
                n,
                skipped,
                warnings,
            )
        )
        return {
            self.OUTPUT: dest,
            self.REPORT: rdest,
            "CAMERA_COUNT": n,
            "SKIPPED_COUNT": skipped,
            "WARNING_COUNT": warnings,
        }


ALGORITHMS = [ImportCamerasAlgorithm]
