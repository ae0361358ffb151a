"""Issue 9 item 10: the grid atlas as a planner prints it, exported without freezing QGIS."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pytest
import shapely
from qgis.core import QgsApplication, QgsLayoutExporter, QgsProject, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import QSize, QTimer

from grid_governance_plugin.core.store import gpkg
from grid_governance_plugin.gui.atlas import (
    WaitingTask,
    build_atlas_layout,
    items_outside_page,
    start_atlas_export,
)
from tests.workflows.pdftext import pages, squeeze

LON, LAT = 121.47, 31.23
STEP = 0.003  # about 300 m
N = 6


def _wait(condition, seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QgsApplication.processEvents()
        time.sleep(0.005)


def _watch(task):
    """How the task manager sees the task end, and its progress (the task is deleted once it ended)."""
    ended, progress = [], []
    task.taskCompleted.connect(lambda: ended.append("complete"))
    task.taskTerminated.connect(lambda: ended.append("terminated"))
    task.progressChanged.connect(progress.append)
    return ended, progress


@pytest.fixture
def store(tmp_path):
    """A GeoPackage store: six grids of plan 2 (named), their workers, buildings and cameras."""
    path = tmp_path / "city.gpkg"
    gpkg.create_store(path)
    boxes = [shapely.box(LON + i * STEP, LAT, LON + (i + 1) * STEP, LAT + STEP) for i in range(N)]
    gpkg.write_layer(
        path,
        "grid_plan",
        None,
        [
            (1, "2023 年方案", "archived", None, None, None, None),
            (2, "2024 年网格调整方案", "published", 1, None, None, None),
        ],
    )
    gpkg.write_layer(
        path,
        "grid_worker",
        None,
        [(f"W{i}", name, None, None, True) for i, name in enumerate(("张三", "李四", "王五", "赵六", "钱七", "孙八"))],
    )
    gpkg.write_layer(
        path,
        "grid",
        [shapely.MultiPolygon([b]) for b in boxes],
        [
            (2, f"310101001001{i + 1:03d}", f"第{i + 1}网格", "310101001001", "310101001", None, f"W{i}", None)
            for i in range(N)
        ],
    )
    blds = [
        shapely.MultiPolygon([shapely.box(LON + i * STEP + 0.0005, LAT + 0.0005, LON + i * STEP + 0.001, LAT + 0.001)])
        for i in range(N)
    ]
    gpkg.write_layer(path, "building", blds, [(None, "residential", 12.0, 4, 20 + i, 60) for i in range(N)])
    cams = np.array([[LON + i * STEP + 0.0015, LAT + 0.0015] for i in range(N)])
    gpkg.write_layer(path, "camera", cams, [(None, f"cam{i}", None, "online") + (None,) * 9 for i in range(N)])
    layers = {n: QgsVectorLayer(f"{path}|layername={n}", n, "ogr") for n in ("grid", "building", "camera")}
    assert all(lyr.isValid() for lyr in layers.values())
    QgsProject.instance().addMapLayers(list(layers.values()))
    yield layers
    QgsProject.instance().removeAllMapLayers()


def test_each_sheet_has_what_a_planner_needs_inside_the_page(qgis_new_project, store):
    layout = build_atlas_layout(store["grid"], store["building"], store["camera"])
    ids = {it.id() for it in layout.items() if hasattr(it, "id")}
    assert {"map", "legend", "scale_bar", "north_arrow"} <= ids
    legend = layout.itemById("legend")
    assert len(legend.model().rootGroup().findLayers()) == 3
    # every sheet fits its page (the map used to run off the bottom) and highlights its grid
    atlas = layout.atlas()
    assert atlas.beginRender()
    size = layout.itemById("map").rect()
    for i in range(N):
        assert atlas.seekTo(i)
        image = QgsLayoutExporter(layout).renderPageToImage(0, QSize(420, 594))
        assert items_outside_page(layout) == [], i
        assert layout.itemById("map").rect() == size
        red = sum(
            1
            for y in range(0, image.height(), 2)
            for x in range(0, image.width(), 2)
            if (c := image.pixelColor(x, y)).red() > 190 and c.green() < 80 and c.blue() < 80
        )
        assert red > 50, i
    atlas.endRender()
    page = layout.pageCollection().page(0).rect()
    legend_box = legend.sceneBoundingRect()
    assert legend_box.height() > 0 and legend_box.bottom() < page.height() - 10


def test_atlas_exports_in_the_background_in_chinese(qgis_new_project, store, tmp_path, zh, artifacts_dir):
    layout = build_atlas_layout(store["grid"], store["building"], store["camera"])
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(0)
    at_page = []
    result = {}
    out = tmp_path / "atlas.pdf"
    exporter = start_atlas_export(
        layout,
        str(out),
        on_done=lambda ok, msg: result.update(ok=ok, msg=msg),
        on_progress=lambda done, total: at_page.append((done, total, len(ticks))),
    )
    task = exporter.task
    assert task.description() and task in QgsApplication.taskManager().tasks()
    ended, progress = _watch(task)
    _wait(lambda: "ok" in result)
    timer.stop()
    assert result["ok"], result["msg"]
    # QGIS kept turning its event loop between sheets, and the task reported its progress
    assert [p[:2] for p in at_page] == [(k, N) for k in range(1, N + 1)]
    assert all(b[2] > a[2] for a, b in zip(at_page, at_page[1:]))
    _wait(lambda: ended)  # the task manager saw it end (and deletes it)
    assert ended == ["complete"] and progress[-1] == 100
    (artifacts_dir / "workflows_atlas.pdf").write_bytes(out.read_bytes())
    text = pages(out)
    assert len(text) == N
    today = dt.date.today().isoformat()
    names = ("张三", "李四", "王五", "赵六", "钱七", "孙八")
    for i, page in enumerate(text):
        flat = squeeze(page)
        assert f"310101001001{i + 1:03d}" in flat and f"第{i + 1}网格" in flat
        assert f"网格员：{names[i]}" in flat and f"W{i}" not in flat  # the name, not the id
        assert "2024年网格调整方案" in flat and today in flat
        assert "图例" in flat and "本网格" in flat
        assert "户数：" in flat and f"{20 + i}" in flat
        assert "米" in flat or "m" in page  # the scale bar's unit


def test_cancel_stops_and_keeps_nothing(qgis_new_project, store, tmp_path):
    layout = build_atlas_layout(store["grid"], store["building"], store["camera"])
    result = {}
    out = tmp_path / "atlas.pdf"
    exporter = None

    def progress(done, _total):
        if done == 2:
            exporter.cancel()

    exporter = start_atlas_export(
        layout, str(out), on_done=lambda ok, msg: result.update(ok=ok, msg=msg), on_progress=progress
    )
    ended, _progress = _watch(exporter.task)
    _wait(lambda: "ok" in result)
    assert not result["ok"] and "cancel" in result["msg"].lower()
    assert exporter.index < N and not out.exists()
    _wait(lambda: ended)
    assert ended == ["terminated"]


def test_per_grid_files_in_the_background(qgis_new_project, store, tmp_path):
    layout = build_atlas_layout(store["grid"], store["building"], store["camera"])
    result = {}
    start_atlas_export(layout, str(tmp_path / "pages"), per_grid=True, on_done=lambda ok, msg: result.update(ok=ok))
    _wait(lambda: "ok" in result)
    assert result["ok"]
    files = sorted(p.name for p in (tmp_path / "pages").glob("*.pdf"))
    assert files == [f"grid_310101001001{i:03d}.pdf" for i in range(1, N + 1)]


@pytest.fixture
def demo_store(tmp_path):
    """The demo district's store (62 grids, their buildings, cameras and workers) as the grid dock reads it."""
    from grid_governance_plugin.core import democity

    path = tmp_path / "demo.gpkg"
    gpkg.write_city(democity.generate(seed=42, scale="demo"), path)
    layers = {n: QgsVectorLayer(f"{path}|layername={n}", n, "ogr") for n in ("grid", "building", "camera")}
    assert all(lyr.isValid() for lyr in layers.values())
    QgsProject.instance().addMapLayers(list(layers.values()))
    yield layers
    QgsProject.instance().removeAllMapLayers()


def _atlas_dock(qgis_iface, layers):
    from grid_governance_plugin.gui.grid_dock import GridPlanningDock

    dock = GridPlanningDock(qgis_iface)
    dock.grids.setLayer(layers["grid"])
    dock.buildings.setLayer(layers["building"])
    dock.cameras.setLayer(layers["camera"])
    return dock


def test_the_task_manager_cancels_the_demo_atlas(qgis_iface, qgis_new_project, demo_store, tmp_path, zh):
    """QGIS 3.22's task manager: its cancel button (QgsTask.cancel) stops the export, in the dock too."""
    dock = _atlas_dock(qgis_iface, demo_store)
    out = tmp_path / "demo_atlas.pdf"
    sheets = []

    def cancel_in_the_task_manager(done, _total):
        sheets.append(done)
        if done == 2:
            task.cancel()  # what the task manager's cancel button calls

    exporter = dock.atlas(str(out))
    task = exporter.task
    assert task in QgsApplication.taskManager().tasks() and task.flags() & QgsTask.CanCancel
    ended, _progress = _watch(task)
    exporter.pageDone.connect(cancel_in_the_task_manager)
    _wait(lambda: dock.atlas_exporter is None)
    assert exporter.count == 62 and exporter.index < exporter.count and max(sheets) < 62
    assert not out.exists()  # nothing written is kept
    assert "取消" in dock.status.text() and "未保留" in dock.status.text(), dock.status.text()
    assert dock.atlas_button.isEnabled() and dock.atlas_cancel.isHidden()
    _wait(lambda: ended)
    assert ended == ["terminated"]
    _wait(lambda: task not in QgsApplication.taskManager().tasks())  # gone from the task manager

    # a completed export ends its task: one community's five sheets
    demo_store["grid"].setSubsetString("\"grid_code\" LIKE '310101001001%'")
    exporter = dock.atlas(str(out))
    ended, progress = _watch(exporter.task)
    _wait(lambda: dock.atlas_exporter is None)
    assert out.exists() and len(pages(out)) == 5, dock.status.text()
    _wait(lambda: ended)
    assert ended == ["complete"] and progress[-1] == 100


def test_closing_qgis_ends_the_export_and_its_task(qgis_new_project, store, tmp_path):
    """At QGIS's shutdown (aboutToQuit) no event loop draws the next sheet: the export stops there,
    keeps nothing, and its task's thread has left run() before QGIS goes on closing."""
    layout = build_atlas_layout(store["grid"], store["building"], store["camera"])
    out = tmp_path / "atlas.pdf"
    result = {}
    exporter = start_atlas_export(layout, str(out), on_done=lambda ok, msg: result.update(ok=ok, msg=msg))
    task = exporter.task
    assert isinstance(task, WaitingTask)  # QGIS 3.22
    ended, _progress = _watch(task)
    # its thread waits for the export; no event turns meanwhile, so no sheet is drawn yet
    assert task.started.wait(60) and not task.returned.is_set()
    assert exporter.index == 0
    exporter.abandon()  # what aboutToQuit calls, with no event loop left
    assert task.returned.is_set()  # the thread has left run(): nothing runs on
    assert result == {"ok": False, "msg": exporter.message} and "cancel" in result["msg"].lower()
    assert not out.exists()
    _wait(lambda: ended)
    assert ended == ["terminated"]
