"""gridgov PostGIS layers count what the login sees: no estimated metadata (docs/roles.md).

QGIS's "use estimated table metadata" takes a layer's feature count from the planner's row
estimate of the whole table. Under row-level security a street supervisor would read the
city's count. Layers of schema gridgov added to the project are switched to exact counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from qgis.core import QgsDataProvider, QgsDataSourceUri, QgsMapLayer, QgsVectorLayer

from ..core.i18n import tr
from ..core.log import get_logger

log = get_logger("store")


def without_estimates(layers: Iterable[QgsMapLayer]) -> list[QgsVectorLayer]:
    """Re-open gridgov PostGIS layers that use estimated metadata without it; those changed."""
    changed = []
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "postgres":
            continue
        uri = QgsDataSourceUri(layer.source())
        if uri.schema() != "gridgov" or not uri.useEstimatedMetadata():
            continue
        uri.setUseEstimatedMetadata(False)
        layer.setDataSource(uri.uri(False), layer.name(), "postgres", QgsDataProvider.ProviderOptions())
        log.info(tr("Layer {0}: exact feature counts (row-level security limits what this login sees).", layer.name()))
        changed.append(layer)
    return changed
