"""Choosing the projected metric CRS analyses run in."""

from __future__ import annotations

import math

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
)

from .i18n import tr


class CrsError(ValueError):
    """A layer's CRS cannot be used for metric analysis."""


def metric_epsg_for_lonlat(lon: float, lat: float) -> int:
    """EPSG code of a metric CRS suited to a place.

    In China (73°E-135°E) the CGCS2000 3-degree Gauss-Kruger zone (EPSG:4534-4554) that
    Chinese surveying uses; elsewhere the WGS 84 UTM zone.
    """
    if 73.5 <= lon <= 136.5 and 3 <= lat <= 54:
        cm = int(round(lon / 3.0) * 3)
        cm = min(max(cm, 75), 135)
        return 4534 + (cm - 75) // 3
    zone = int(math.floor((lon + 180) / 6)) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def is_metric(crs: QgsCoordinateReferenceSystem) -> bool:
    return crs.isValid() and not crs.isGeographic() and crs.mapUnits() == QgsUnitTypes.DistanceMeters


def metric_crs_for(crs: QgsCoordinateReferenceSystem, extent: QgsRectangle) -> QgsCoordinateReferenceSystem:
    """The CRS to compute in for data in ``crs`` covering ``extent``.

    A projected CRS in metres is kept; a geographic one gets the local metric zone.
    Raises CrsError for an invalid CRS or one whose units are not known.
    """
    if not crs.isValid():
        raise CrsError(tr("The layer has no valid coordinate reference system."))
    if is_metric(crs):
        return crs
    if not crs.isGeographic():
        raise CrsError(
            tr(
                "The CRS {0} is projected but not in metres; reproject the layer first.",
                crs.authid() or crs.description(),
            )
        )
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    centre = extent.center()
    if crs != wgs84:
        centre = QgsCoordinateTransform(crs, wgs84, QgsProject.instance()).transform(centre)
    return QgsCoordinateReferenceSystem(f"EPSG:{metric_epsg_for_lonlat(centre.x(), centre.y())}")
