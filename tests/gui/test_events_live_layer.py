"""The live events layer (gui/live_layer.py) headless: in-place updates, the listener, catch-up."""

from __future__ import annotations

import datetime as dt
import struct
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest
from qgis.core import QgsApplication, QgsProject, QgsTemporalNavigationObject, QgsVectorLayerTemporalProperties

from grid_governance_plugin.gui import live_layer as ll
from tests.helpers import gated_listener, report_event, wait_until

UTC = dt.timezone.utc
LON, LAT = 116.3975, 39.9087


def _row(uid: str, status: str = "reported", lon: float = LON, lat: float = LAT, **kw) -> dict:
    row = {
        "id": uid,
        "source": "app",
        "external_id": uid[:8],
        "category_code": "SJ0102",
        "status": status,
        "reported_at": dt.datetime(2026, 6, 1, 8, tzinfo=UTC),
        "updated_at": dt.datetime.now(UTC),
        "lon": lon,
        "lat": lat,
    }
    row.update(kw)
    return row


class FakeListener:
    def __init__(self, ref, on_rows, on_status, on_deleted, since):
        self.on_rows, self.on_status, self.on_deleted, self.since = on_rows, on_status, on_deleted, since
        self.started = self.stopped = False

    def start(self):
        self.started = True

    def stop(self):
        self.stopped = True


def test_batches_are_applied_in_place(qgis_app):
    live = ll.LiveEventsLayer("dbname=unused", load_days=None)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    live._apply([_row(a), _row(b, lon=116.40)])
    layer = live.layer
    assert layer.featureCount() == 2
    fid_a = live.feature_id(a)
    # a change arrives: same feature, new values and position; the second copy of one id in a batch wins
    live._apply([_row(a, status="registered"), _row(a, status="dispatched", lon=116.41, lat=39.91)])
    assert layer.featureCount() == 2 and live.feature_id(a) == fid_a
    feat = layer.getFeature(fid_a)
    assert feat["status"] == "dispatched"
    assert feat.geometry().asPoint().x() == pytest.approx(116.41)
    assert feat["reported_at"].toUTC().toString("yyyy-MM-ddTHH:mm") == "2026-06-01T08:00"
    # geometries as PostGIS sends them: hex EWKB and EWKT
    c, d = str(uuid.uuid4()), str(uuid.uuid4())
    ewkb = (struct.pack("<BII", 1, 0x20000001, 4490) + struct.pack("<dd", 116.5, 39.5)).hex()
    live._apply(
        [
            {**_row(c), "lon": None, "lat": None, "geom": ewkb},
            {**_row(d), "lon": None, "lat": None, "geom": "SRID=4490;POINT(116.6 39.6)"},
        ]
    )
    assert layer.getFeature(live.feature_id(c)).geometry().asPoint().y() == pytest.approx(39.5)
    assert layer.getFeature(live.feature_id(d)).geometry().asPoint().x() == pytest.approx(116.6)
    # deletion through the listener's on_deleted
    live._apply([{"id": b, "deleted": True}])
    assert layer.featureCount() == 3 and live.feature_id(b) is None
    # the layer is the store's mirror: not editable by hand
    assert layer.readOnly()


def test_listener_callbacks_from_a_thread_reach_the_main_thread(qgis_app):
    import threading

    made = []

    def factory(*args):
        made.append(FakeListener(*args))
        return made[-1]

    live = ll.LiveEventsLayer("dbname=unused", load_days=None, listener_factory=factory)
    live.load = lambda: 0  # no database here
    states = []
    live.statusChanged.connect(lambda s, m: states.append(s))
    live.start()
    fake = made[0]
    assert fake.started and fake.since is not None
    uid = str(uuid.uuid4())
    t = threading.Thread(target=lambda: (fake.on_status("listening", ""), fake.on_rows([_row(uid)])))
    t.start()
    t.join()
    assert live.layer.featureCount() == 0  # nothing touched the layer from the other thread
    assert wait_until(lambda: live.feature_id(uid) is not None)
    assert states[-1] == ll.STATE_LIVE
    threading.Thread(target=lambda: fake.on_deleted([uid])).start()
    assert wait_until(lambda: live.layer.featureCount() == 0)
    fake.on_status("disconnected", "lost")
    assert wait_until(lambda: live.state == ll.STATE_RECONNECTING)
    live.stop()
    assert fake.stopped and live.state == ll.STATE_STOPPED


def test_temporal_and_heatmap(qgis_app):
    live = ll.LiveEventsLayer("dbname=unused", load_days=None)
    props = live.layer.temporalProperties()
    assert props.isActive()
    assert props.mode() == QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField
    assert props.startField() == "reported_at"
    now = dt.datetime.now(UTC)
    live._apply([_row(str(uuid.uuid4()), reported_at=now - dt.timedelta(days=d)) for d in (1, 2, 3, 40, 50)])
    view = ll.heatmap_view(live.layer, now - dt.timedelta(days=30), now, add_to_project=False)
    assert view.featureCount() == 3
    assert view.renderer().type() == "heatmapRenderer"
    nav = QgsTemporalNavigationObject()
    ll.play_last_month(nav, start_playing=False, now=now)
    rng = nav.temporalExtents()
    assert rng.begin().daysTo(rng.end()) == 30
    assert nav.totalFrameCount() == 30
    assert nav.navigationMode() == QgsTemporalNavigationObject.Animated


def test_heatmap_window_on_postgis_layer_uses_a_provider_filter(qgis_app, gridgov_db):
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    now = dt.datetime.now(UTC)
    with conn.cursor() as cur:
        for i, days in enumerate((1, 5, 45)):
            cur.execute(
                "SELECT gridgov.report_event('app', %s, 'SJ0102', %s, %s, %s)",
                (f"h{i}", now - dt.timedelta(days=days), LON, LAT),
            )
    conn.close()
    src = ll.postgis_events_layer(gridgov_db)
    assert src.isValid(), src.error().message()
    assert src.featureCount() == 3
    view = ll.heatmap_view(src, now - dt.timedelta(days=30), now, add_to_project=False)
    assert "reported_at" in view.subsetString()
    assert view.featureCount() == 2


def _render(layer, extent, size=(800, 500)):
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    ms = QgsMapSettings()
    ms.setOutputSize(QSize(*size))
    ms.setOutputDpi(96)
    ms.setBackgroundColor(QColor("white"))
    ms.setDestinationCrs(layer.crs())
    ms.setExtent(extent)
    ms.setLayers([layer])
    job = QgsMapRendererParallelJob(ms)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), ms.scale()


def test_zoomed_out_heatmap_is_binned_on_the_server_and_looks_the_same(qgis_app, gridgov_db, artifacts_dir):
    """A month of a city is ~100,000 points: zoomed out the server sends ~50 m cells with counts instead."""
    import numpy as np
    from qgis.core import QgsRectangle

    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    with conn.cursor() as cur:  # a dense cluster, a looser one, scattered noise; one event outside the window
        cur.execute(
            """INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, level, geom)
               SELECT 'heat', 'c' || i, 'SJ0102', now() - (i %% 20 + 1) * interval '20 hours', 'closed', 'community',
                      ST_SetSRID(ST_MakePoint(%s + CASE WHEN i %% 3 = 0 THEN (i %% 97) * 0.002 ELSE 0 END
                                                 + sin(i) * 0.003 * (1 + i %% 2),
                                              %s + CASE WHEN i %% 3 = 0 THEN (i %% 89) * 0.0015 ELSE 0 END
                                                 + cos(i * 1.7) * 0.003 * (1 + i %% 2)), 4490)
               FROM generate_series(1, 3000) i""",
            (LON - 0.1, LAT - 0.06),
        )
        cur.execute(
            "INSERT INTO gridgov.event (source, external_id, category_code, reported_at, status, level, geom)"
            " VALUES ('heat', 'old', 'SJ0102', now() - interval '45 days', 'closed', 'community',"
            " ST_SetSRID(ST_MakePoint(%s, %s), 4490))",
            (LON, LAT),
        )
    conn.close()
    now = dt.datetime.now(UTC)
    src = ll.postgis_events_layer(gridgov_db)
    view = ll.heatmap_view(src, now - dt.timedelta(days=30), now, add_to_project=False)
    cells = QgsProject.instance().mapLayer(view.customProperty("gridgov/heatmap_cells")) or ll.heat_cells_layer(
        src, now - dt.timedelta(days=30), now, "cells"
    )
    assert view.featureCount() == 3000 and cells.isValid()
    counts = [f["n"] for f in cells.getFeatures()]
    assert sum(counts) == 3000 and len(counts) < 3000  # every event of the window, in fewer cells
    assert cells.renderer().type() == "heatmapRenderer" and cells.renderer().weightExpression() == '"n"'
    # each layer shows on its side of 1:20,000
    assert cells.isInScaleRange(80000) and not cells.isInScaleRange(5000)
    assert view.isInScaleRange(5000) and not view.isInScaleRange(80000)
    # zoomed out as far as 1:25,000 (the closest the cells are drawn) the binned picture is the raw one
    extent = QgsRectangle(LON - 0.14, LAT - 0.085, LON - 0.058, LAT - 0.034)
    view.setScaleBasedVisibility(False)
    cells.setScaleBasedVisibility(False)
    raw_img, scale = _render(view, extent)
    raw_img.save(str(artifacts_dir / "heatmap_raw_points.png"))
    cell_img, _ = _render(cells, extent)
    assert ll.HEAT_DETAIL_SCALE < scale < 30000

    def pixels(img):
        ptr = img.constBits()
        ptr.setsize(img.sizeInBytes())
        return np.frombuffer(ptr, np.uint8).reshape(img.height(), img.width(), 4)[..., :3].astype(int)

    raw, binned = pixels(raw_img), pixels(cell_img)
    painted = (raw != 255).any(axis=2) | (binned != 255).any(axis=2)
    assert 0.05 < painted.mean() < 0.9  # the heatmap is there, and fades out where nothing happens
    diff = np.abs(raw - binned).max(axis=2)
    # (50 m cells give 9 / 0.26 here; 100 m cells already 19 / 0.5: the limits can tell)
    assert np.percentile(diff[painted], 99) <= 14 and diff.mean() < 0.5


def _report(dsn: str, ext: str, lon: float = LON, lat: float = LAT) -> str:
    return report_event(
        dsn, ext, "SJ0102", lon, lat, reported_at=datetime.now(timezone.utc) - timedelta(minutes=1), source="app"
    )


@pytest.mark.postgis
def test_other_connection_commit_shows_without_a_reload(qgis_app, gridgov_db):
    """A commit by another connection reaches the layer by itself (how fast: bench/bench_live.py)."""
    before = _report(gridgov_db, "before-start")
    live = ll.LiveEventsLayer(gridgov_db)
    live.start()
    try:
        assert live.feature_id(before) is not None  # the initial load
        assert wait_until(lambda: live.state == ll.STATE_LIVE), live.message
        uid = _report(gridgov_db, "new-1")
        assert wait_until(lambda: live.feature_id(uid) is not None), "never reached the layer"
        fid = live.feature_id(uid)
        assert live.layer.getFeature(fid)["status"] == "reported"
        # a transition from elsewhere changes the same feature in place
        conn = psycopg2.connect(gridgov_db)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT gridgov.transition(%s::uuid, 'registered', 'desk', NULL)", (uid,))
        conn.close()
        assert wait_until(lambda: live.layer.getFeature(fid)["status"] == "registered")
        assert live.layer.featureCount() == 2
    finally:
        live.stop()


@pytest.mark.postgis
def test_catches_up_after_server_restart(qgis_app, gridgov_db, pg_server):
    gated, gate = gated_listener()

    def factory(ref, on_rows, on_status, on_deleted, since):
        # no reconnection before the gate opens, so that the reports land while the layer is away
        return gated(ref, on_rows, on_status, on_deleted=on_deleted, since=since, reconnect_min=0.2)

    live = ll.LiveEventsLayer(gridgov_db, listener_factory=factory)
    states = []
    live.statusChanged.connect(lambda s, m: states.append(s))
    live.start()
    try:
        assert wait_until(lambda: live.state == ll.STATE_LIVE)
        first = _report(gridgov_db, "r-0")
        assert wait_until(lambda: live.feature_id(first) is not None)
        pg_server.restart()
        assert wait_until(lambda: live.state == ll.STATE_RECONNECTING), states
        missed = [_report(gridgov_db, f"r-{i}", lon=LON + i * 1e-4) for i in range(1, 21)]
        assert live.state == ll.STATE_RECONNECTING  # they were committed while the layer was away
        gate.set()
        assert wait_until(lambda: all(live.feature_id(u) is not None for u in missed))
        assert live.layer.featureCount() == 21
        after = _report(gridgov_db, "r-after")
        assert wait_until(lambda: live.feature_id(after) is not None)
        assert len({live.feature_id(u) for u in [first, *missed, after]}) == 22
    finally:
        live.stop()
    QgsProject.instance().removeAllMapLayers()


def test_kernel_density_raster_peaks_at_a_cluster(qgis_app, qgis_processing, tmp_path):
    import random

    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsRasterLayer

    rnd = random.Random(5)
    live = ll.LiveEventsLayer("dbname=unused", load_days=None)
    now = dt.datetime.now(UTC)
    rows = [
        _row(
            str(uuid.uuid4()),
            lon=LON + rnd.gauss(0, 2e-4),
            lat=LAT + rnd.gauss(0, 2e-4),
            reported_at=now - dt.timedelta(days=1),
        )
        for _ in range(60)
    ]
    rows += [
        _row(
            str(uuid.uuid4()),
            lon=LON + rnd.uniform(-0.02, 0.02),
            lat=LAT + rnd.uniform(-0.02, 0.02),
            reported_at=now - dt.timedelta(days=2),
        )
        for _ in range(30)
    ]
    live._apply(rows)
    view = ll.heatmap_view(live.layer, now - dt.timedelta(days=30), now, add_to_project=False)
    out = ll.kernel_density(view, radius_m=300, pixel_m=25, run_async=False, output=str(tmp_path / "kde.tif"))
    raster = QgsRasterLayer(out, "kde")
    assert raster.isValid()
    assert raster.crs().mapUnits() == 0  # metres: the points were reprojected first
    to_r = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4490"), raster.crs(), QgsProject.instance())

    def value(lon, lat):
        v, ok = raster.dataProvider().sample(to_r.transform(QgsPointXY(lon, lat)), 1)
        return v if ok else 0.0

    peak = raster.dataProvider().bandStatistics(1).maximumValue
    assert value(LON, LAT) > 0.5 * peak
    assert value(LON + 0.015, LAT - 0.015) < 0.2 * peak


def test_repaints_are_throttled_and_wait_for_the_canvas(qgis_app):
    class Canvas:
        drawing = True

        def isDrawing(self):  # noqa: N802 - QgsMapCanvas API
            return self.drawing

    def pump(seconds: float) -> None:  # let time pass with the event loop running
        wait_until(lambda: False, seconds)

    canvas = Canvas()
    live = ll.LiveEventsLayer("dbname=unused", load_days=None, canvas=canvas, repaint_interval_ms=200, overlay=False)
    requested = []
    live.layer.repaintRequested.connect(lambda *_: requested.append(time.monotonic()))
    t0 = time.monotonic()
    for _ in range(30):  # a burst of batches: every one is applied at once ...
        live._apply([_row(str(uuid.uuid4()))])
        QgsApplication.processEvents()
    assert live.layer.featureCount() == 30
    pump(0.3)
    assert requested == []  # ... but no repaint while the canvas is still drawing
    canvas.drawing = False
    assert wait_until(lambda: len(requested) == 1)
    for _ in range(30):
        live._apply([_row(str(uuid.uuid4()))])
        last_batch = time.monotonic()
        pump(0.01)
    # the last batch is drawn: a repaint comes after it
    assert wait_until(lambda: requested[-1] >= last_batch)
    span = time.monotonic() - t0
    # one repaint per 200 ms at most (a busy machine only stretches the span)
    assert 2 <= len(requested) <= 2 + span / 0.2


def test_overlay_shows_changes_at_once_and_hands_over_to_the_layer(qgis_app, qgis_canvas):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    live = ll.LiveEventsLayer("dbname=unused", load_days=None, canvas=qgis_canvas, consolidate_ms=300)
    QgsProject.instance().addMapLayer(live.layer)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    qgis_canvas.setLayers([live.layer])
    qgis_canvas.setExtent(QgsRectangle(LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01))
    qgis_canvas.refresh()
    qgis_canvas.waitWhileRendering()
    requested = []
    live.layer.repaintRequested.connect(lambda *_: requested.append(time.monotonic()))
    uid = str(uuid.uuid4())
    live._apply([_row(uid, status="registered")])
    # on the map at once, as a canvas item with the status colour; no render job yet
    assert live.marker_count() == 1 and requested == []
    marker = live._markers[uid][0]
    assert marker.isVisible() and marker.fillColor().name() == "#ff7f00"
    assert marker.pos().x() == pytest.approx(qgis_canvas.getCoordinateTransform().transform(LON, LAT).x(), abs=1)
    # a change of the same event moves the same marker
    live._apply([_row(uid, status="dispatched", lon=LON + 0.001)])
    assert live.marker_count() == 1 and live._markers[uid][0] is marker
    # then the layer is redrawn when the canvas is free, and the marker goes once that render is done
    assert wait_until(lambda: requested)
    assert wait_until(lambda: live.marker_count() == 0)
    assert live.layer.featureCount() == 1
    # a layer that is not on the canvas gets plain repaints, no markers
    qgis_canvas.setLayers([])
    live._apply([_row(str(uuid.uuid4()))])
    assert live.marker_count() == 0
    live.stop()
    QgsProject.instance().removeMapLayer(live.layer.id())


def test_snapshot_and_bursts_are_rendered_not_marked(qgis_app, qgis_canvas):
    """100,000 canvas items take seconds to place and remove: only the live trickle is marked."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    live = ll.LiveEventsLayer("dbname=unused", load_days=None, canvas=qgis_canvas, consolidate_ms=300)
    QgsProject.instance().addMapLayer(live.layer)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    qgis_canvas.setLayers([live.layer])
    qgis_canvas.setExtent(QgsRectangle(LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01))
    requested = []
    live.layer.repaintRequested.connect(lambda *_: requested.append(time.monotonic()))
    live._apply([_row(str(uuid.uuid4())) for _ in range(50)], mark=False)  # what load() does
    assert live.marker_count() == 0 and live.layer.featureCount() == 50
    assert wait_until(lambda: requested)
    # a catch-up burst larger than the marker budget is drawn by one render too
    requested.clear()
    live._apply([_row(str(uuid.uuid4())) for _ in range(ll.MAX_MARKERS + 1)])
    assert live.marker_count() == 0 and live.layer.featureCount() == 51 + ll.MAX_MARKERS
    assert wait_until(lambda: requested)
    # and the trickle after it is marked again
    live._apply([_row(str(uuid.uuid4()))])
    assert live.marker_count() == 1
    live.stop()
    QgsProject.instance().removeMapLayer(live.layer.id())
