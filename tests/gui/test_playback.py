"""'Play the last month' shows the month's events moving on the map, with the date on it (issue #9, item 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from qgis.core import (
    QgsDateTimeRange,
    QgsFeature,
    QgsGeometry,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsTemporalNavigationObject,
    QgsUnitTypes,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, QSize
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QApplication, QDockWidget, QMainWindow

from grid_governance_plugin.gui import live_layer as ll
from grid_governance_plugin.gui import playback, results, styles
from grid_governance_plugin.gui.events_dock import EventsDock

UTC = dt.timezone.utc
_KEEP: list = []
LON, LAT = 116.3975, 39.9087


@pytest.fixture
def events_gpkg(qgis_new_project, tmp_path):
    """A store's event table: one event a day for 40 days, walking east; the 'Open cases' view of it."""
    src = ll.make_memory_layer("event")
    now = dt.datetime.now(UTC)
    feats = []
    for d in range(40):
        f = QgsFeature(src.fields())
        f["id"] = f"00000000-0000-0000-0000-{d:012d}"
        f["category_code"] = "SJ0102"
        f["status"] = "reported" if d % 2 else "closed"
        f["reported_at"] = ll.to_qdatetime(now - dt.timedelta(days=d, hours=1))
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(LON + d * 0.0004, LAT)))
        feats.append(f)
    src.dataProvider().addFeatures(feats)
    path = str(tmp_path / "store.gpkg")
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.layerName = "event"
    QgsVectorFileWriter.writeAsVectorFormatV3(src, path, QgsProject.instance().transformContext(), opts)
    layer = QgsVectorLayer(f"{path}|layername=event", "Open cases", "ogr")
    layer.setSubsetString("\"status\" NOT IN ('closed', 'void')")
    styles.apply(layer, "event")
    QgsProject.instance().addMapLayer(layer)
    return layer


def _render(layer, rng=None) -> int:
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(400, 100))
    settings.setBackgroundColor(QColor("white"))
    extent = layer.extent()
    extent.grow(0.001)
    settings.setExtent(extent)
    if rng is not None:
        settings.setIsTemporal(True)
        settings.setTemporalRange(rng)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    white = QColor("white").rgb()
    return sum(img.pixel(x, y) != white for y in range(img.height()) for x in range(img.width()))


def test_play_last_month_animates_a_layer_of_its_own(qgis_iface, events_gpkg):
    canvas = qgis_iface.mapCanvas()
    original = canvas.temporalController()
    nav = QgsTemporalNavigationObject()
    _KEEP.append(nav)  # the canvas does not own its controller: never let Python free it
    canvas.setTemporalController(nav)
    dock = EventsDock(qgis_iface, None, connection="")
    dock.events.setLayer(events_gpkg)
    dock.reload_source()
    try:
        layer = dock.play_last_month()
        assert layer is not None
        # the month's events of every status (30 of the 40 days), temporal, on top, visible
        assert layer.featureCount() == 30
        assert layer.temporalProperties().isActive()
        root = QgsProject.instance().layerTreeRoot()
        assert root.children()[0].layerId() == layer.id() and root.findLayer(layer.id()).isVisible()
        # the layer that shows every case at once is off while the month plays
        assert not root.findLayer(events_gpkg.id()).isVisible()
        # one day per frame, thirty frames, playing; the panel reads days
        assert nav.totalFrameCount() == 30 and nav.animationState() == QgsTemporalNavigationObject.Forward
        assert nav.frameDuration().originalUnit() == QgsUnitTypes.TemporalDays
        nav.pause()
        # each frame draws that day's event and only it: the picture moves
        drawn = []
        for frame in (3, 10, 20):
            nav.setCurrentFrameNumber(frame)
            drawn.append(_render(layer, nav.dateTimeRangeForFrameNumber(frame)))
        assert all(n > 20 for n in drawn), drawn
        assert _render(layer) > 10 * min(drawn)  # all 30 at once draw much more than one day
        # the date is on the map
        overlay = dock._date_overlay
        nav.setCurrentFrameNumber(5)
        expected = nav.dateTimeRangeForFrameNumber(5).begin().toLocalTime().toString("yyyy-MM-dd")
        assert overlay.isVisible() and expected in overlay.text and "6" in overlay.text
        # playing again replaces the layer; removing it brings the cases back
        again = dock.play_last_month()
        assert results.results_of(playback.KIND) == [again]
        assert not root.findLayer(events_gpkg.id()).isVisible()
        QgsProject.instance().removeMapLayer(again.id())
        assert root.findLayer(events_gpkg.id()).isVisible()
    finally:
        nav.pause()  # its timer would go on moving frames
        nav.setNavigationMode(QgsTemporalNavigationObject.NavigationOff)
        dock.cleanup()
        dock.deleteLater()
        if original is not None:
            canvas.setTemporalController(original)
        canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))  # the next tests draw without time
        canvas.mapSettings().setIsTemporal(False)


def test_nothing_to_play_is_said_and_adds_nothing(qgis_iface, qgis_new_project, tmp_path):
    src = ll.make_memory_layer("event")
    f = QgsFeature(src.fields())
    f["reported_at"] = ll.to_qdatetime(dt.datetime.now(UTC) - dt.timedelta(days=90))
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(LON, LAT)))
    src.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(src)
    dock = EventsDock(qgis_iface, None, connection="")
    dock.events.setLayer(src)
    dock.reload_source()
    try:
        n = len(QgsProject.instance().mapLayers())
        assert dock.play_last_month() is None
        assert len(QgsProject.instance().mapLayers()) == n
        assert "nothing to play" in dock.status.text()
    finally:
        dock.cleanup()
        dock.deleteLater()


def test_the_temporal_controller_panel_is_found_by_its_widget(qgis_iface):
    from qgis.gui import QgsTemporalControllerWidget

    mw = QMainWindow()
    dock = QDockWidget("Temporal Controller", mw)
    dock.setObjectName("SomethingElse")
    dock.setWidget(QgsTemporalControllerWidget())
    mw.addDockWidget(1, dock)
    dock.hide()
    assert playback.temporal_dock(mw) is dock
    assert playback.show_temporal_dock(mw) and not dock.isHidden()
    QApplication.processEvents()
    mw.close()
