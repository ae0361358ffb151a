"""Runs inside the real QGIS desktop (scripts/qgis_probe.py execs it with ``iface`` and ``report``).

Two squares of street space (west and east of a gate), one grid over each, a building in the
east square and one camera at the gate looking east, stored in EPSG:4490. The Camera coverage
dock's map tool is switched on (the live coverage is computed in a QgsTask), then the camera is
pressed and dragged round to the west with real mouse events; after every move the dock's live
figures are recorded, as the user reads them.
"""

import os
import time

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt
from qgis.PyQt.QtWidgets import QApplication, QDockWidget

METRIC, STORE = "EPSG:4547", "EPSG:4490"
X0, Y0 = 500_000.0, 2_500_000.0
FIELDS = (
    "field=device_id:string&field=name:string&field=system:string&field=status:string&field=azimuth:double"
    "&field=hfov:double&field=range_m:double&field=height_m:double"
)

project = QgsProject.instance()
to_store = QgsCoordinateTransform(QgsCoordinateReferenceSystem(METRIC), QgsCoordinateReferenceSystem(STORE), project)


def pump(seconds=0.3):
    end = time.time() + seconds
    while time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_for(condition, seconds=120.0):
    end = time.time() + seconds
    while time.time() < end and not condition():
        pump(0.05)
    return condition()


def rect(x0, y0, x1, y1):
    g = QgsGeometry.fromRect(QgsRectangle(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1))
    g.transform(to_store)
    return g


def layer(kind, name, fields=""):
    return QgsVectorLayer(f"{kind}?crs={STORE}" + (f"&{fields}" if fields else ""), name, "memory")


street = layer("Polygon", "street_space")
f = QgsFeature(street.fields())
f.setGeometry(rect(-60, -40, -25, 40).combine(rect(25, -40, 60, 40)))
street.dataProvider().addFeatures([f])
grids = layer("Polygon", "grids", "field=grid_code:string")
for code, g in (("W01", rect(-100, -100, 0, 100)), ("E01", rect(0, -100, 100, 100))):
    f = QgsFeature(grids.fields())
    f.setGeometry(g)
    f.setAttributes([code])
    grids.dataProvider().addFeatures([f])
blds = layer("Polygon", "buildings")
f = QgsFeature(blds.fields())
f.setGeometry(rect(30, -5, 40, 5))
blds.dataProvider().addFeatures([f])
cams = layer("Point", "cameras", FIELDS)
f = QgsFeature(cams.fields())
p = to_store.transform(QgsPointXY(X0 + 2, Y0))
f.setGeometry(QgsGeometry.fromPointXY(p))
f.setAttributes(["44030000001320000001", "gate", "天网", "online", 90.0, 90.0, 50.0, 5.0])
cams.dataProvider().addFeatures([f])
grids.setOpacity(0.35)  # the street space and the view stay readable in the screenshot
project.addMapLayers([grids, street, blds, cams])

canvas = iface.mapCanvas()  # noqa: F821 - given by the probe
dock = iface.mainWindow().findChild(QDockWidget, "GridGovCoverageDock")  # noqa: F821
report["live_camera_dock"] = dock is not None  # noqa: F821
dock.show()  # before zooming: the dock narrows the canvas
pump(0.5)
canvas.setDestinationCrs(QgsCoordinateReferenceSystem(STORE))
canvas.setExtent(rect(-90, -70, 90, 70).boundingBox())
canvas.refresh()
pump(1.0)
canvas.waitWhileRendering()
dock.cameras.setLayer(cams)
dock.obstacles.setLayer(blds)
dock.target.setLayer(street)
dock.grids.setLayer(grids)
dock.tool_action.setChecked(True)
report["live_ready"] = wait_for(lambda: dock.live.ready)  # noqa: F821
report["live_status"] = dock.live.status  # noqa: F821
tool = dock.tool
report["live_engine_problem"] = tool.problem if tool is not None else dock.status.text()  # noqa: F821


def pixel(dx, dy):
    return to_store.transform(QgsPointXY(X0 + dx, Y0 + dy))  # the canvas is in the store's CRS


def mouse(kind, point):
    """Digitised in map units (as camera_tool_extra.py): the tool gets ``point`` itself, whatever
    the canvas's size and extent at that moment."""
    button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
    buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
    px = canvas.getCoordinateTransform().transform(point)
    event = QgsMapMouseEvent(canvas, kind, QPoint(round(px.x()), round(px.y())), button, buttons, Qt.NoModifier)
    event.setMapPoint(point)
    return event


def figures():
    fig = dock.live.figures()
    return {"text": dock.live_label.text(), "visible": dock.live_label.isVisible(), "figures": fig}


steps = [figures()]
tool.canvasPressEvent(mouse(QEvent.MouseButtonPress, pixel(2, 0)))
pump(0.2)
for dx, dy in ((2, 20), (-10, 25), (-25, 15), (-40, 2), (-40, 0)):
    tool.canvasMoveEvent(mouse(QEvent.MouseMove, pixel(dx, dy)))
    wait_for(lambda: dock.live._pending is None, 30)
    pump(0.1)  # the label repaints
    steps.append(figures())
tool.canvasReleaseEvent(mouse(QEvent.MouseButtonRelease, pixel(-40, 0)))
wait_for(lambda: dock.live._pending is None, 30)
pump(0.3)
steps.append(figures())
report["live_steps"] = steps  # noqa: F821
feat = next(cams.getFeatures(), None)
report["azimuth_after_drag"] = feat["azimuth"] if feat else None  # noqa: F821
report["last_update_ms"] = dock.live.last_update.ms if dock.live.last_update else None  # noqa: F821
shot = os.environ.get("GRIDGOV_LIVE_COVERAGE_SHOT")
if shot:
    iface.mainWindow().grab().save(shot)  # noqa: F821
dock.tool_action.setChecked(False)  # the next check in this QGIS starts without the camera tool
