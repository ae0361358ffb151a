"""Runs inside the real QGIS (scripts/qgis_probe.py GRIDGOV_EXTRA): the roles' walkthroughs on the demo.

Globals from the probe: ``iface``, ``report``. Environment:
  GRIDGOV_ROLES         planner,analyst,supervisor (or some of them): each in turn, in one QGIS start,
                        the first in the demo project QGIS opened, each next one in the demo project
                        opened again (File > Open), as a new person would find it
  GRIDGOV_ROLE          one role (when GRIDGOV_ROLES is not set)
  GRIDGOV_LOCALE_TAG    the locale, in the screenshots' and reports' names (e2e_<role>_<tag>_<what>.png)
  GRIDGOV_SHOTS         directory for the screenshots (tests/artifacts)
  GRIDGOV_WALK_REPORTS  directory for one report per role (<role>.json), written when the role is done,
                        so what was found survives a QGIS killed later
  GRIDGOV_VISIBLE_TEXT  path of tests/e2e/visible_text.py when the branch has it (loaded by path:
                        the repository is not on QGIS's Python path)
  GRIDGOV_CASES_SERVICE (supervisor) pg_service name of the PostGIS store with the demo's cases

Each walkthrough does what that person does, with the plugin's own controls (the role box,
the dock buttons, the case card's buttons and its note dialog), then records what the screen
shows into ``report["walks"][role]``: every layer (features, extent, visible, who added it), the
pixels each visible result layer draws where it has features, the visible texts, screenshots,
and the errors met meanwhile (the probe's too, a blocking dialog it closed among them).
"""

import importlib.util
import json
import os
import time
import traceback

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsMapRendererParallelJob,
    QgsProject,
    QgsTemporalNavigationObject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QPoint, QRect, Qt, QTimer
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAction,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QInputDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QWidget,
)

ROLES = [r for r in os.environ.get("GRIDGOV_ROLES", os.environ.get("GRIDGOV_ROLE", "")).split(",") if r]
TAG = os.environ.get("GRIDGOV_LOCALE_TAG", "")
SHOTS = os.environ.get("GRIDGOV_SHOTS", "/tmp")
WALK_REPORTS = os.environ.get("GRIDGOV_WALK_REPORTS", "")
MW = iface.mainWindow()  # noqa: F821 - given by the probe
CANVAS = iface.mapCanvas()  # noqa: F821
# the role walking now, its report and the layers its project opened with (set by run() per role)
ROLE = ""
R: dict = {}
INITIAL_LAYERS: set = set()


# -- helpers -------------------------------------------------------------------------------
def wait(pred, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QgsApplication.processEvents()
        try:
            if pred():
                return True
        except RuntimeError:  # a widget went away meanwhile
            pass
        time.sleep(0.01)
    QgsApplication.processEvents()
    return bool(pred())


def settle() -> None:
    """Let pending refreshes run and the map finish drawing."""
    for _ in range(5):
        QgsApplication.processEvents()
    CANVAS.refresh()
    wait(lambda: not CANVAS.isDrawing(), 60)
    CANVAS.waitWhileRendering()
    for _ in range(5):
        QgsApplication.processEvents()


def shot_path(name: str) -> str:
    """e2e_<role>_<locale>_<what>.png: the screenshots of both locales side by side."""
    return os.path.join(SHOTS, f"e2e_{ROLE}_{TAG}_{name}.png" if TAG else f"e2e_{ROLE}_{name}.png")


def shot(name: str) -> str:
    settle()
    path = shot_path(name)
    MW.grab().save(path)
    R.setdefault("screenshots", []).append(path)
    return path


def layer_kind(layer) -> str:
    from grid_governance_plugin.gui import roles

    return roles.layer_kind(layer)


def features_with_geometry(layer) -> int:
    if not isinstance(layer, QgsVectorLayer):
        return 0
    req = QgsFeatureRequest().setNoAttributes()
    return sum(1 for f in layer.getFeatures(req) if f.hasGeometry() and not f.geometry().isEmpty())


def features_in_view(layer) -> int:
    if not isinstance(layer, QgsVectorLayer):
        return 0
    rect = CANVAS.extent()
    xform = QgsCoordinateTransform(CANVAS.mapSettings().destinationCrs(), layer.crs(), QgsProject.instance())
    req = QgsFeatureRequest().setFilterRect(xform.transformBoundingBox(rect)).setNoAttributes()
    if layer.temporalProperties().isActive() and CANVAS.mapSettings().isTemporal():
        return -1  # the Temporal Controller filters it: counted by the frame checks
    return sum(1 for _ in layer.getFeatures(req))


def drawn_pixels(layer) -> int:
    """Pixels (every other one, times four) the layer draws alone over the map as the user sees it.

    At the canvas's own size: a smaller image would be a smaller scale, where a layer with
    scale-dependent visibility (the heatmap's detail) is not drawn at all.
    """
    settings = CANVAS.mapSettings()
    settings.setLayers([layer])
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    white = QColor(255, 255, 255).rgb()
    return 4 * sum(img.pixel(x, y) != white for y in range(0, img.height(), 2) for x in range(0, img.width(), 2))


def layers_report() -> list:
    root = QgsProject.instance().layerTreeRoot()
    out = []
    for layer in QgsProject.instance().mapLayers().values():
        node = root.findLayer(layer.id())
        extent = layer.extent()
        entry = {
            "id": layer.id(),
            "name": layer.name(),
            "kind": layer_kind(layer),
            "result": layer.customProperty("gridgov/result") or "",
            "added_by_plugin": layer.id() not in INITIAL_LAYERS,
            "features": features_with_geometry(layer),
            "extent_ok": not extent.isNull() and extent.isFinite() and extent.width() + extent.height() > 0,
            "visible": bool(node is not None and node.isVisible()),
            "in_scale": layer.isInScaleRange(CANVAS.scale()),
            "in_view": 0,
            "pixels": None,
        }
        if entry["visible"] and entry["in_scale"]:  # drawn at this scale (a detail layer may wait for a zoom)
            entry["in_view"] = features_in_view(layer)
            if entry["in_view"]:
                entry["pixels"] = drawn_pixels(layer)
        out.append(entry)
    return out


def tree_order() -> list:
    return [
        (n.layer().name(), layer_kind(n.layer()), n.isVisible())
        for n in QgsProject.instance().layerTreeRoot().findLayers()
    ]


def group_names() -> list:
    return [g.name() for g in QgsProject.instance().layerTreeRoot().findGroups(True)]


def _fallback_texts(root: QWidget) -> list:
    """Texts of the visible widgets under ``root`` (used when visible_text.py is not in the branch)."""
    texts = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel) and w.text():
            texts.append(w.text())
        elif isinstance(w, QAbstractButton) and w.text():
            texts.append(w.text())
        elif isinstance(w, QGroupBox) and w.title():
            texts.append(w.title())
        elif isinstance(w, QComboBox) and w.currentText():
            texts.append(w.currentText())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QDockWidget) and w.windowTitle():
            texts.append(w.windowTitle())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            for c in range(m.columnCount()):
                h = m.headerData(c, Qt.Horizontal, Qt.DisplayRole)
                if h:
                    texts.append(str(h))
            for r in range(min(m.rowCount(), 50)):
                for c in range(m.columnCount()):
                    v = m.index(r, c).data(Qt.DisplayRole)
                    if v not in (None, ""):
                        texts.append(str(v))
    return texts


def visible_texts(root: QWidget) -> list:
    path = os.environ.get("GRIDGOV_VISIBLE_TEXT")
    if path and os.path.exists(path):
        spec = importlib.util.spec_from_file_location("gridgov_visible_text", path)
        vt = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(vt)
        return list(vt.visible_texts(root))
    return _fallback_texts(root)


def record_texts(name: str, root: QWidget) -> None:
    R.setdefault("visible_texts", {})[name] = visible_texts(root)


def dock(object_name: str) -> QDockWidget:
    d = MW.findChild(QDockWidget, object_name)
    assert d is not None, object_name
    return d


def choose_role(role: str) -> None:
    """What the user does: pick the role in the toolbar's role box."""
    box = MW.findChild(QComboBox, "GridGovRoleBox")
    R["role_box"] = box is not None
    box.setCurrentIndex(box.findData(role))
    settle()
    R["role_applied"] = box.currentData()


def zoom_to_district() -> None:
    CANVAS.setExtent(QgsProject.instance().viewSettings().defaultViewExtent())
    settle()


def run_dock_task(button: QPushButton, status: QLabel, done, timeout: float = 300) -> str:
    """Click a dock button that starts a QgsTask; wait for its result to be handled."""
    button.click()
    ok = wait(lambda: done() and QgsApplication.taskManager().countActiveTasks() == 0, timeout)
    settle()
    return status.text() if ok else f"TIMEOUT: {status.text()}"


# -- the walkthroughs ----------------------------------------------------------------------
def planner() -> None:
    from grid_governance_plugin.gui import results

    choose_role("planner")
    zoom_to_district()
    shot("view")
    grid_dock = dock("GridGovGridPlanningDock")
    R["role_dock_visible"] = grid_dock.isVisible()
    status = grid_dock.status
    before = {lyr.id() for lyr in results.results_of("grid_stats")}
    R["check_status"] = run_dock_task(
        grid_dock.findChild(QPushButton, "GridGovValidateButton"), status, lambda: "..." not in status.text()
    )
    R["stats_status"] = run_dock_task(
        grid_dock.findChild(QPushButton, "GridGovStatsButton"),
        status,
        lambda: any(lyr.id() not in before for lyr in results.results_of("grid_stats")),
    )
    R["grid_stats_layers"] = len(results.results_of("grid_stats"))
    stats = results.results_of("grid_stats")[0]
    R["grid_stats_field"] = stats.renderer().classAttribute() if hasattr(stats.renderer(), "classAttribute") else ""
    record_texts("grid_dock", grid_dock)
    shot("workload")


def analyst() -> None:
    from grid_governance_plugin.gui import results

    choose_role("analyst")
    zoom_to_district()
    shot("view")
    cov = dock("GridGovCoverageDock")
    R["role_dock_visible"] = cov.isVisible()
    status = cov.status
    R["fov_status"] = run_dock_task(cov.fov_button, status, lambda: "FOV" in cov.result_layers, 600)
    fov = results.results_of("fov")
    R["fov_layers"] = len(fov)
    R["fov_features"] = features_with_geometry(fov[0]) if fov else 0
    shot("fields_of_view")
    R["dori_status"] = run_dock_task(cov.dori_button, status, lambda: "DORI" in cov.result_layers, 600)
    dori = results.results_of("dori")
    R["dori_features"] = features_with_geometry(dori[0]) if dori else 0
    R["dori_bands"] = sorted({f["dori"] for f in dori[0].getFeatures()}) if dori else []
    # the coverage of the district again: replaces the demo's layers in place
    before = {lyr.id() for lyr in results.results_of("coverage")}
    R["coverage_status"] = run_dock_task(
        cov.run_button,
        status,
        lambda: cov.run_button.isEnabled() and any(lyr.id() not in before for lyr in results.results_of("coverage")),
        600,
    )
    for kind in ("coverage", "blind_spots", "grid_coverage"):
        R[f"{kind}_layers"] = len(results.results_of(kind))
    record_texts("coverage_dock", cov)
    shot("coverage")


def _answer_note_dialog(text: str) -> None:
    """The user types a note into the step's dialog and presses OK."""

    def poll():
        w = QApplication.activeModalWidget()
        if isinstance(w, QInputDialog):
            R.setdefault("note_dialogs", []).append(w.windowTitle())
            w.setTextValue(text)
            w.accept()
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)


def _fact_visibility(events) -> dict:
    card, scroll = events.card, events.card_scroll
    view = QRect(QPoint(0, 0), scroll.viewport().size())
    hidden = []
    for key, label in card.facts.items():
        if not label.isVisibleTo(card):
            continue
        for w in (label, card.fact_labels[key]):
            rect = QRect(w.mapTo(scroll.viewport(), QPoint(0, 0)), w.size())
            if not view.contains(rect) or w.height() < 5:
                hidden.append(key)
                break
    return {
        "hidden_facts": sorted(set(hidden)),
        "facts_shown": sum(1 for lbl in card.facts.values() if lbl.isVisibleTo(card) and lbl.text()),
        "scrolled": scroll.verticalScrollBar().value(),
        "dock_size": [events.width(), events.height()],
        "window_size": [MW.width(), MW.height()],
        "table_rows_visible": events.table.viewport().height() // max(events.table.rowHeight(0), 1),
        "table_hscroll_needed_for": [
            events.model.COLUMNS[c][0]
            for c in range(events.model.columnCount())
            if not events.table.isColumnHidden(c)
            and events.table.columnViewportPosition(c) + events.table.columnWidth(c) > events.table.viewport().width()
        ],
        "table_hidden_columns": [
            events.model.COLUMNS[c][0] for c in range(events.model.columnCount()) if events.table.isColumnHidden(c)
        ],
        "table_columns": {
            events.model.COLUMNS[c][0]: events.table.columnWidth(c) for c in range(events.model.columnCount())
        },
    }


def supervisor() -> None:
    from grid_governance_plugin.core import settings
    from grid_governance_plugin.gui import playback, results

    service = os.environ.get("GRIDGOV_CASES_SERVICE")
    if service:
        settings.set_connection_name(f"service={service}")
    choose_role("supervisor")
    zoom_to_district()
    shot("view")
    events = dock("GridGovEventsDock")
    R["role_dock_visible"] = events.isVisible()
    wait(lambda: events.backend is not None and events.model.rowCount() > 0, 60)
    R["cases_from"] = events.source_label.text()
    R["read_only"] = bool(events.backend is None or events.backend.read_only)
    # the overdue ones, as a supervisor pushes them
    events.period.setCurrentIndex(events.period.findData("all"))
    events.overdue.setChecked(True)
    events.refresh()
    settle()
    R["overdue_rows"] = events.model.rowCount()
    first = events.proxy.index(0, 0).data(events.model.ID_ROLE)
    events.table.selectRow(0)  # a click on the first row
    settle()
    card = events.card
    R["card_case"] = (card.case or {}).get("id") == first
    R["card"] = {k: v.text() for k, v in card.facts.items()}
    R["card_title"] = card.title.text()
    R["card_layout"] = _fact_visibility(events)
    c = card.case or {}
    centre = QgsCoordinateTransform(
        CANVAS.mapSettings().destinationCrs(), QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance()
    ).transform(CANVAS.center())
    R["zoomed_to_case"] = {
        "distance_deg": abs(centre.x() - (c.get("lon") or 0)) + abs(centre.y() - (c.get("lat") or 0)),
        "scale": CANVAS.scale(),
    }
    record_texts("events_dock_card", events)
    shot("case_card")
    # one step with the card's button and its note dialog
    buttons = [b for k, b in card.transition_buttons.items() if k and isinstance(b, QPushButton)]
    R["card_buttons"] = [b.text() for b in buttons]
    R["buttons_enabled"] = [b.isEnabled() for b in buttons]
    if buttons and buttons[0].isEnabled():
        status_before = c.get("status")
        _answer_note_dialog("现场已核实")
        buttons[0].click()
        settle()
        R["step"] = {
            "from": status_before,
            "to": (card.case or {}).get("status"),
            "same_case_on_card": (card.case or {}).get("id") == first,
            "still_selected": events.selected_ids() == [first] or first not in events.visible_ids(),
            "confirmation": card.confirmation.text() if card.confirmation.isVisible() else "",
            "status": events.status.text(),
            "history_rows": card.history.rowCount(),
            "last_note": card.history.item(card.history.rowCount() - 1, 3).text() if card.history.rowCount() else "",
        }
        shot("after_step")
    # the heatmap of the last 30 days, replacing the demo's
    events.period.setCurrentIndex(events.period.findData("30"))
    events.overdue.setChecked(False)
    events.refresh()
    events.heatmap_button.click()
    settle()
    R["heatmap_layers"] = [lyr.name() for lyr in results.results_of("heatmap")]
    zoom_to_district()
    shot("heatmap")
    # play the last month: the menu's action
    act = next(a for a in MW.findChildren(QAction) if a.objectName() == "GridGovPlayLastMonth")
    act.trigger()
    settle()
    controller = CANVAS.temporalController()
    pb = results.results_of(playback.KIND)
    R["playback_layers"] = len(pb)
    R["temporal_dock_visible"] = bool(playback.temporal_dock(MW) and playback.temporal_dock(MW).isVisible())
    R["playing"] = isinstance(controller, QgsTemporalNavigationObject) and (
        controller.animationState() == QgsTemporalNavigationObject.Forward
    )
    R["frames"] = controller.totalFrameCount() if isinstance(controller, QgsTemporalNavigationObject) else 0
    start_frame = controller.currentFrameNumber()
    R["frames_advanced"] = wait(lambda: controller.currentFrameNumber() > start_frame, 30)
    controller.pause()
    frames = []
    overlay = events._date_overlay
    for frame in (4, 18):
        controller.setCurrentFrameNumber(frame)
        settle()
        img = CANVAS.grab().toImage()
        rng = controller.dateTimeRangeForFrameNumber(frame)
        n_frame = sum(1 for f in pb[0].getFeatures() if rng.begin() <= f["reported_at"] < rng.end()) if pb else 0
        frames.append(
            {
                "frame": frame,
                "date_text": overlay.text if overlay is not None else "",
                "expected_date": rng.begin().toLocalTime().toString("yyyy-MM-dd"),
                "overlay_visible": bool(overlay is not None and overlay.isVisible()),
                "events_in_frame": n_frame,
                "playback_pixels": _playback_pixels(pb[0]) if pb else 0,
                "date_pixels": _overlay_pixels(img, overlay),
            }
        )
        path = shot_path(f"playback_{frame:02d}")
        MW.grab().save(path)
        R.setdefault("screenshots", []).append(path)
    R["playback_frames"] = frames
    record_texts("events_dock_playback", events)


def _overlay_pixels(img, overlay) -> int:
    """Dark-violet pixels of the date box in the canvas's own picture (map and canvas items)."""
    if overlay is None:
        return 0
    rect = overlay.boundingRect().toRect().translated(int(overlay.pos().x()), int(overlay.pos().y()))
    n = 0
    for y in range(rect.top(), rect.bottom()):
        for x in range(rect.left(), rect.right()):
            c = img.pixelColor(x, y)
            n += c.red() < 110 and c.green() < 40 and c.blue() > 80
    return n


def _playback_pixels(layer) -> int:
    """The pixels the playback layer draws in the current frame (the canvas's temporal settings)."""
    return drawn_pixels(layer)


def fresh_demo(path: str) -> None:
    """The demo project opened again, as File > Open does: nothing of the previous walk is left."""
    QgsProject.instance().setDirty(False)  # the previous person's changes are let go, unasked
    assert iface.addProject(path), f"could not open {path}"  # noqa: F821
    settle()


def walk(role: str) -> dict:
    """One person's walkthrough in the project now open; its report."""
    global ROLE, R, INITIAL_LAYERS
    ROLE, R = role, {"role": role, "locale": TAG, "errors": []}
    INITIAL_LAYERS = set(QgsProject.instance().mapLayers())
    probe_errors = len(report["errors"])  # noqa: F821
    try:
        {"planner": planner, "analyst": analyst, "supervisor": supervisor}[role]()
    except Exception:
        R["errors"].append(traceback.format_exc())
    try:
        settle()
        R["layers_report"] = layers_report()
        R["tree"] = tree_order()
        R["groups"] = group_names()
        record_texts("main_window", MW)
        R["message_bar"] = [w.text() for w in iface.messageBar().findChildren(QLabel) if w.text()]  # noqa: F821
    except Exception:
        R["errors"].append(traceback.format_exc())
    R["errors"] += report["errors"][probe_errors:]  # noqa: F821 - what the probe met meanwhile (a dialog it closed)
    name = f"e2e_{role}_{TAG}_report.json" if TAG else f"e2e_{role}_report.json"
    for path in [os.path.join(SHOTS, name)] + ([os.path.join(WALK_REPORTS, f"{role}.json")] if WALK_REPORTS else []):
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            json.dump(R, fh, ensure_ascii=False, indent=1, default=str)
        os.replace(path + ".tmp", path)  # a reader never sees half a report
    return R


def run() -> None:
    MW.showMaximized()
    MW.resize(1600, 1000)
    wait(lambda: MW.width() >= 1500, 10)
    demo = QgsProject.instance().fileName()
    walks = report.setdefault("walks", {})  # noqa: F821
    for i, role in enumerate(ROLES):
        if i:
            try:
                fresh_demo(demo)
            except Exception:
                walks[role] = {"role": role, "locale": TAG, "errors": [traceback.format_exc()]}
                continue
        walks[role] = walk(role)


run()
