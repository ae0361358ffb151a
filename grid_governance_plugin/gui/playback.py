"""Playing the events of the last month on the map: a layer of its own, the date on the map.

The Temporal Controller filters temporal layers only, so "play the last month" adds one layer
of the month's events (result kind ``playback``), drawn on top with bold points, one day per
frame. Other event point layers would show every event at once and hide the animation; they
are switched off while the playback layer exists and come back when it is removed. The date
of the frame is drawn in the map's corner (:class:`DateOverlay`), and QGIS's Temporal
Controller panel is opened so that the user can pause, step or scrub.
"""

from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsDateTimeRange,
    QgsInterval,
    QgsMarkerSymbol,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsTemporalNavigationObject,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)
from qgis.gui import QgsMapCanvas, QgsMapCanvasItem, QgsTemporalControllerWidget
from qgis.PyQt.QtCore import QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QFontMetricsF, QPen
from qgis.PyQt.QtWidgets import QDockWidget

from ..core.i18n import tr
from . import results, styles

KIND = "playback"
HIDDEN_PROPERTY = "gridgov/playback_hidden"
# object names QGIS has given its Temporal Controller panel (3.22: "Temporal Controller")
TEMPORAL_DOCK_NAMES = ("Temporal Controller", "TemporalControllerDock", "mTemporalControllerDock")


def playback_renderer() -> QgsSingleSymbolRenderer:
    """Bold points that stand out on the heatmap and the base map (dark outline, warm fill)."""
    sym = QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#ff7f00", "size": "3.2", "outline_color": "#3f007d", "outline_width": "0.5"}
    )
    return QgsSingleSymbolRenderer(sym)


def set_temporal(layer: QgsVectorLayer, field: str = "reported_at", days: float = 1.0) -> None:
    """Each event is shown for ``days`` of map time from its reported time (one frame)."""
    props = layer.temporalProperties()
    props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    props.setStartField(field)
    props.setFixedDuration(days)
    props.setDurationUnits(QgsUnitTypes.TemporalDays)
    props.setAccumulateFeatures(False)
    props.setIsActive(True)


def add_playback_layer(source: QgsVectorLayer, start: dt.datetime, end: dt.datetime) -> QgsVectorLayer | None:
    """The month's events of ``source`` as the top layer, temporal; None when the window is empty."""
    from . import live_layer as ll

    title = tr("Events played back {0} – {1}", start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d"))
    view = ll.heatmap_view(source, start, end, title, add_to_project=False, with_cells=False)
    view.setRenderer(playback_renderer())
    set_temporal(view)
    project = QgsProject.instance()
    if results.is_empty(view):
        return None
    hidden = _hide_other_event_layers(project)
    view.setCustomProperty(HIDDEN_PROPERTY, ",".join(hidden))
    for old in results.results_of(KIND, project):
        # the previous playback had hidden them too: keep that list
        prev = old.customProperty(HIDDEN_PROPERTY) or ""
        view.setCustomProperty(HIDDEN_PROPERTY, ",".join(sorted(set(hidden) | set(filter(None, prev.split(","))))))
    results.add_result(view, KIND, None, project)
    node = project.layerTreeRoot().findLayer(view.id())
    if node is not None and node.parent() is not project.layerTreeRoot():
        clone = node.clone()
        project.layerTreeRoot().insertChildNode(0, clone)  # on top of everything
        node.parent().removeChildNode(node)
    view.willBeDeleted.connect(lambda ids=view.customProperty(HIDDEN_PROPERTY), lid=view.id(): _restore(ids, lid))
    return view


def _hide_other_event_layers(project: QgsProject) -> list[str]:
    hidden = []
    root = project.layerTreeRoot()
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or styles.table_name(layer) != "event":
            continue
        if results.result_kind(layer) == KIND or layer.customProperty("gridgov/heatmap_window"):
            continue  # heatmaps stay: they are the month's picture under the moving points
        node = root.findLayer(layer.id())
        if node is not None and node.isVisible() and not layer.renderer().type() == "heatmapRenderer":
            node.setItemVisibilityChecked(False)
            hidden.append(layer.id())
    return hidden


def _restore(ids: str | None, dying: str) -> None:
    """Show the layers a playback hid again, unless another playback (its successor) is on."""
    try:
        project = QgsProject.instance()
        if any(lyr.id() != dying for lyr in results.results_of(KIND, project)):
            return
        root = project.layerTreeRoot()
        for lid in filter(None, (ids or "").split(",")):
            node = root.findLayer(lid)
            if node is not None:
                node.setItemVisibilityChecked(True)
    except RuntimeError:  # the project is closing
        pass


def play(
    controller,
    start: dt.datetime,
    end: dt.datetime,
    step_days: float = 1.0,
    frames_per_second: float = 2.0,
    start_playing: bool = True,
) -> None:
    """Set the Temporal Controller to [start, end] in ``step_days`` frames, from the first frame."""
    from . import live_layer as ll

    if not isinstance(controller, QgsTemporalNavigationObject):
        return
    controller.setNavigationMode(QgsTemporalNavigationObject.Animated)
    controller.setTemporalExtents(QgsDateTimeRange(ll.to_qdatetime(start), ll.to_qdatetime(end)))
    # in days (or whole hours), so that the panel reads "1 day" or "6 hours", not "86400.0 seconds"
    if float(step_days).is_integer():
        controller.setFrameDuration(QgsInterval(step_days, QgsUnitTypes.TemporalDays))
    else:
        controller.setFrameDuration(QgsInterval(step_days * 24.0, QgsUnitTypes.TemporalHours))
    controller.setFramesPerSecond(frames_per_second)
    controller.setCurrentFrameNumber(0)
    if start_playing:
        controller.playForward()


def temporal_dock(main_window) -> QDockWidget | None:
    """QGIS's Temporal Controller panel (found by its widget, whatever the panel is named)."""
    if main_window is None:
        return None
    for dock in main_window.findChildren(QDockWidget):
        if dock.objectName() in TEMPORAL_DOCK_NAMES or dock.findChild(QgsTemporalControllerWidget) is not None:
            return dock
    return None


def show_temporal_dock(main_window) -> bool:
    dock = temporal_dock(main_window)
    if dock is None:
        return False
    dock.show()
    dock.raise_()
    return True


class DateOverlay(QgsMapCanvasItem):
    """The date of the Temporal Controller's current frame, in the map's top-left corner."""

    MARGIN = 10.0

    def __init__(self, canvas: QgsMapCanvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.text = ""
        self.font = QFont(canvas.font())
        self.font.setPointSizeF(max(self.font.pointSizeF(), 9.0) * 1.6)
        self.font.setBold(True)
        self.setZValue(1000)
        controller = canvas.temporalController()
        if controller is not None:
            # turning navigation off sends an empty range, which hides the date
            controller.updateTemporalRange.connect(self.set_range)
        self.updatePosition()

    def set_range(self, rng: QgsDateTimeRange) -> None:
        controller = self.canvas.temporalController()
        begin = rng.begin()
        text = begin.toLocalTime().toString("yyyy-MM-dd") if begin.isValid() else ""
        off = (
            isinstance(controller, QgsTemporalNavigationObject)
            and controller.navigationMode() == QgsTemporalNavigationObject.NavigationOff
        )
        if off:
            text = ""
        elif text and isinstance(controller, QgsTemporalNavigationObject) and controller.totalFrameCount() > 0:
            text = tr("{0}  (day {1} of {2})", text, controller.currentFrameNumber() + 1, controller.totalFrameCount())
        self.prepareGeometryChange()
        self.text = text
        self.setVisible(bool(text))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        metrics = QFontMetricsF(self.font)
        return QRectF(0, 0, metrics.horizontalAdvance(self.text or " ") + 24, metrics.height() + 14)

    def updatePosition(self) -> None:  # noqa: N802 - QGIS API: stays in the corner whatever the extent
        self.setPos(self.MARGIN, self.MARGIN)

    def paint(self, painter, option=None, widget=None) -> None:
        if not self.text:
            return
        rect = self.boundingRect()
        painter.setRenderHint(painter.Antialiasing, True)
        painter.setPen(QPen(QColor("#3f007d"), 1.5))
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        painter.setFont(self.font)
        painter.setPen(QColor("#3f007d"))
        painter.drawText(rect, Qt.AlignCenter, self.text)
