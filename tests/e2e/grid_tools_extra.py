"""Runs inside the real QGIS desktop (GRIDGOV_EXTRA of scripts/qgis_probe.py).

Globals from the probe: ``iface``, ``report``. Env GRIDGOV_GRID_GPKG: a GeoPackage with
layers ``grid`` and ``building`` (EPSG:4547). Drives the plugin's split and paint tools
with mouse events on the map canvas, then compares the balance panel's figures with
gridgov:gridstats on the edited layer. Everything found goes to report["grid_tools"].
"""

import os
import time

import processing
from qgis.core import QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QEvent, QObject, QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDockWidget

out = report.setdefault("grid_tools", {"steps": []})  # noqa: F821 - given by the probe
TRACE = os.environ.get("GRIDGOV_REPORT", "/tmp/gridgov_report.json") + ".steps"


def step(text: str) -> None:
    """Progress, also on disk: if QGIS hangs (a modal dialog) the test shows how far it got."""
    out["steps"].append(text)
    with open(TRACE, "a", encoding="utf-8") as fh:
        fh.write(text + "\n")


def watchdog():
    """A modal dialog or popup would block the script: name it in the trace and close it."""
    from qgis.PyQt.QtWidgets import QApplication

    for w in (QApplication.activeModalWidget(), QApplication.activePopupWidget()):
        if w is not None:
            text = " | ".join(
                [c.text() for c in w.findChildren(QLabel) if c.text()]
                + [c.toPlainText() for c in w.findChildren(QTextEdit)]
            )[:3000]
            step(f"BLOCKING {type(w).__name__} {w.objectName()} {w.windowTitle()} {text}")
            out.setdefault("blocking", []).append(f"{type(w).__name__} {w.windowTitle()} {text}")
            w.close()


from qgis.PyQt.QtCore import QTimer  # noqa: E402
from qgis.PyQt.QtWidgets import QLabel, QTextEdit  # noqa: E402

_dog = QTimer()
_dog.timeout.connect(watchdog)
_dog.start(3000)
path = os.environ["GRIDGOV_GRID_GPKG"]
grids = QgsVectorLayer(f"{path}|layername=grid", "grid", "ogr")
blds = QgsVectorLayer(f"{path}|layername=building", "building", "ogr")
# same CRS for project and layers: no datum-transformation dialog can pop up and block
QgsProject.instance().setCrs(grids.crs())
QgsProject.instance().addMapLayers([blds, grids])
step(f"layers valid {grids.isValid()} {blds.isValid()}")

mw = iface.mainWindow()  # noqa: F821
dock = mw.findChild(QDockWidget, "GridGovGridPlanningDock")
dock.show()
dock.raise_()
dock.grids.setLayer(grids)
dock.buildings.setLayer(blds)
dock.events.setLayer(None)
assert dock.balance.start(), dock.balance.summary.text()
step("dock ready")
out["actions"] = [a.objectName() for a in dock.actions()]

canvas = iface.mapCanvas()  # noqa: F821
viewport = canvas.viewport()


def settle(timeout: float = 120.0) -> bool:
    """Wait until the canvas has settled: the dock shown above has been laid out (the canvas
    narrowed), the map settings have the viewport's size, and nothing is rendering. A click's
    pixel stands for a map point only once this holds; under load it takes a while."""
    deadline = time.monotonic() + timeout
    last, stable = None, 0
    while time.monotonic() < deadline:
        QTest.qWait(50)
        size = viewport.size()
        settled = size == last and canvas.mapSettings().outputSize() == size and not canvas.isDrawing()
        stable = stable + 1 if settled else 0
        if stable >= 5:
            return True
        last = size
    return False


out["settled"] = settle()
canvas.setDestinationCrs(grids.crs())
ext = grids.extent()
canvas.setExtent(QgsRectangle(ext.xMinimum() - 20, ext.yMinimum() - 20, ext.xMaximum() + 20, ext.yMaximum() + 20))
canvas.refresh()
out["settled"] = settle() and out["settled"]
out["click_error_px"] = 0.0  # the farthest any click's map point landed from where it was aimed


def pixel(x, y) -> QPoint:
    p = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(int(round(p.x())), int(round(p.y())))


class _Where(QObject):
    """Records the map point of each press the canvas hands to its tools."""

    def __init__(self):
        super().__init__()
        self.pressed = None

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.MouseButtonPress:
            self.pressed = canvas.getCoordinateTransform().toMapCoordinates(event.pos())
        return False


_where = _Where()
viewport.installEventFilter(_where)


def click(x, y, button=Qt.LeftButton, modifiers=Qt.NoModifier):
    QTest.mouseMove(viewport, pixel(x, y))
    pos = pixel(x, y)  # again: moving the mouse runs the event loop
    step(f"click {button} at {pos.x()},{pos.y()}")
    QTest.mousePress(viewport, button, modifiers, pos)
    step("pressed")
    QTest.mouseRelease(viewport, button, modifiers, pos)
    step("released")
    if _where.pressed is not None:
        off = _where.pressed.distance(QgsPointXY(x, y)) / canvas.mapUnitsPerPixel()
        out["click_error_px"] = max(out["click_error_px"], off)
    QTest.qWait(30)


def feature_by_code(code):
    return next(f for f in grids.getFeatures() if f["grid_code"] == code)


first = feature_by_code(os.environ["GRIDGOV_SPLIT_CODE"])
gl, gb, gr, gt = (
    first.geometry().boundingBox().xMinimum(),
    first.geometry().boundingBox().yMinimum(),
    first.geometry().boundingBox().xMaximum(),
    first.geometry().boundingBox().yMaximum(),
)
step(f"canvas {canvas.width()}x{canvas.height()} mupp {canvas.mapUnitsPerPixel():.3f}")

step("canvas ready")
# --- split: choose the tool from the dock's action, click a line across the grid, right click to finish
split_action = next(a for a in dock.actions() if a.objectName() == "GridGovSplitTool")
split_action.trigger()
step("split tool chosen")
out["split_tool_active"] = canvas.mapTool() is dock.split_tool
x_cut = gl + 110  # off the building points (a point on a boundary goes to the lowest index)
click(x_cut, gt + 10)
click(x_cut, gb - 10)
# Return finishes the line like a right click (a scripted right press under Xvfb opens the main window's
# toolbar menu, which would block)
QTest.keyClick(canvas, Qt.Key_Return)
step("return sent")
QTest.qWait(300)
out["features_after_split"] = grids.featureCount()
out["undo_after_split"] = grids.undoStack().count()

step("split done")
# --- paint: Shift+click the east part of the split grid (the target), then click a building of the east neighbour
# the new grid: the one with a code the layer did not have (the community's next standard code)
east_part = next(f for f in grids.getFeatures() if f["note"] == "renumber")
out["new_code"] = east_part["grid_code"]
ec = east_part.geometry().centroid().asPoint()
paint_action = next(a for a in dock.actions() if a.objectName() == "GridGovPaintTool")
paint_action.trigger()
out["paint_tool_active"] = canvas.mapTool() is dock.paint_tool
click(ec.x(), ec.y(), modifiers=Qt.ShiftModifier)
out["target_selected"] = grids.selectedFeatureIds() == [east_part.id()]
neighbour = feature_by_code(os.environ["GRIDGOV_NEIGHBOUR_CODE"])
ng = neighbour.geometry()
west_blds = sorted(
    (b for b in blds.getFeatures() if ng.contains(b.geometry().pointOnSurface())),
    key=lambda b: (b.geometry().boundingBox().xMinimum(), b.geometry().boundingBox().yMinimum()),
)
painted = west_blds[0]
hh_before = dock.balance.figures.get(east_part.id(), {}).get("households")
pc = painted.geometry().pointOnSurface().asPoint()
t0 = time.perf_counter()
click(pc.x(), pc.y())
QTest.qWait(300)
out["painted_households"] = painted["households"]
out["target_households_before"] = hh_before
out["target_households_after"] = dock.balance.figures.get(east_part.id(), {}).get("households")
out["undo_after_paint"] = grids.undoStack().count()
out["panel_last_ms"] = dock.balance.last_ms
out["panel_rows"] = dock.balance.table.rowCount()

step("paint done")
# --- compare with gridstats on the edited layer (edit buffer included)
stats = processing.run("gridgov:gridstats", {"GRIDS": grids, "BUILDINGS": blds, "OUTPUT": "memory:"})["OUTPUT"]
ref = {f["grid_code"]: f for f in stats.getFeatures()}
compared, mismatches = [], []
for fid, fig in dock.balance.figures.items():
    code = grids.getFeature(fid)["grid_code"]
    r = ref[code]
    compared.append(code)
    for k, rk in (("households", "households"), ("population", "population"), ("buildings", "buildings")):
        if fig[k] != r[rk]:
            mismatches.append([code, k, fig[k], r[rk]])
    dev = r["hh_dev_pct"]
    if dev is not None and abs(round(fig["deviation"], 2) - dev) > 0.011:
        mismatches.append([code, "deviation", fig["deviation"], dev])
out["compared"] = sorted(compared)
out["mismatches"] = mismatches
out["codes_changed"] = sorted({grids.getFeature(f)["grid_code"] for f in dock.balance.touched})
# screenshot of the dock with the panel for the record
shot = os.environ.get("GRIDGOV_TOOLS_SHOT")
dock.tabs.setCurrentIndex(1)  # the Edit tab with the balance panel
QTest.qWait(50)
if shot:
    dock.grab().save(shot)
step("compared")
_dog.stop()
grids.rollBack()
