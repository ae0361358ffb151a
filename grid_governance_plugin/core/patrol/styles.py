"""Map styles of the patrol outputs: tracks blue, streets nobody walked red and dashed, stays orange."""

from __future__ import annotations

from qgis.core import (
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsRendererRange,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

from ..i18n import tr


def apply_style(layer: QgsVectorLayer, kind: str) -> None:
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return
    if kind == "tracks":
        sym = QgsLineSymbol.createSimple({"line_color": "#1f78b4", "line_width": "0.6"})
        layer.setRenderer(QgsSingleSymbolRenderer(sym))
    elif kind == "unvisited":
        sym = QgsLineSymbol.createSimple({"line_color": "#e31a1c", "line_width": "1.2", "line_style": "dash"})
        layer.setRenderer(QgsSingleSymbolRenderer(sym))
    elif kind in ("stays", "fixes"):
        props = {
            "name": "circle",
            "color": "#ff7f00" if kind == "stays" else "#1f78b4",
            "size": "3" if kind == "stays" else "1.2",
            "outline_color": "#ffffff",
        }
        layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(props)))
    elif kind == "coverage":
        ranges = []
        for lo, hi, color, label in (
            (0.0, 0.5, "#d7191c", tr("under 50 %")),
            (0.5, 0.8, "#fdae61", tr("50-80 %")),
            (0.8, 1.0001, "#1a9641", tr("80 % or more")),
        ):
            sym = QgsFillSymbol.createSimple({"color": color, "outline_color": "#404040", "outline_width": "0.2"})
            sym.setOpacity(0.55)
            ranges.append(QgsRendererRange(lo, hi, sym, label))
        layer.setRenderer(QgsGraduatedSymbolRenderer("share", ranges))
    layer.triggerRepaint()
