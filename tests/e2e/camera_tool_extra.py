"""Runs inside the real QGIS desktop (scripts/qgis_probe.py execs it with ``iface`` and ``report``).

Builds a small scene in EPSG:4490 (a building 10-20 m east of the camera spot, another 10-20 m
west), switches the Camera coverage dock's map tool on, places a camera with press-move-release
(drag to the east), widens it with the wheel, and records what the live rubber band shows.
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
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QWheelEvent
from qgis.PyQt.QtWidgets import QApplication, QDockWidget

METRIC, STORE = "EPSG:4547", "EPSG:4490"
X0, Y0 = 500_000.0, 2_500_000.0
FIELDS = (
    "field=device_id:string&field=name:string&field=system:string&field=status:string&field=azimuth:double"
    "&field=hfov:double&field=range_m:double&field=height_m:double&field=tilt:double&field=vfov:double"
    "&field=hres_px:integer&field=grid_code:string"
)

project = QgsProject.instance()
to_store = QgsCoordinateTransform(QgsCoordinateReferenceSystem(METRIC), QgsCoordinateReferenceSystem(STORE), project)
to_metric = QgsCoordinateTransform(QgsCoordinateReferenceSystem(STORE), QgsCoordinateReferenceSystem(METRIC), project)


def pump(seconds=0.3):
    end = time.time() + seconds
    while time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def rect(x0, y0, x1, y1):
    g = QgsGeometry.fromRect(QgsRectangle(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1))
    g.transform(to_store)
    return g


cams = QgsVectorLayer(f"Point?crs={STORE}&{FIELDS}", "cameras", "memory")
blds = QgsVectorLayer(f"Polygon?crs={STORE}", "buildings", "memory")
for g in (rect(10, -5, 20, 5), rect(-20, -5, -10, 5)):
    f = QgsFeature(blds.fields())
    f.setGeometry(g)
    blds.dataProvider().addFeatures([f])
project.addMapLayers([blds, cams])
canvas = iface.mapCanvas()  # noqa: F821 - given by the probe
dock = iface.mainWindow().findChild(QDockWidget, "GridGovCoverageDock")  # noqa: F821
report["camera_dock"] = dock is not None  # noqa: F821
dock.show()  # before zooming: the dock narrows the canvas
pump(0.5)
# the desktop keeps its canvas in the project's CRS: set both (the canvas alone may be reset)
project.setCrs(QgsCoordinateReferenceSystem(STORE))
canvas.setDestinationCrs(QgsCoordinateReferenceSystem(STORE))
canvas.setExtent(rect(-60, -60, 60, 60).boundingBox())
canvas.refresh()
pump(1.0)
canvas.waitWhileRendering()
dock.cameras.setLayer(cams)
dock.obstacles.setLayer(blds)
dock.tool_action.setChecked(True)
pump(0.5)
tool = dock.tool
report["engine_problem"] = tool.problem if tool is not None else dock.status.text()  # noqa: F821
report["tool_active"] = canvas.mapTool() is tool and tool is not None  # noqa: F821
report["obstacles"] = len(tool.live.obstacles)  # noqa: F821
report["toolbar_actions_offered"] = [a.objectName() for a in dock.actions()]  # noqa: F821


def pixel(dx, dy):
    return to_store.transform(QgsPointXY(X0 + dx, Y0 + dy))  # the canvas is in the store's CRS


def mouse(kind, point, modifiers=Qt.NoModifier):
    """Digitised in map units: the event carries ``point`` itself, not the centre of its pixel,
    so what the tool gets does not depend on the canvas's size and extent at that moment."""
    button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
    buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
    px = canvas.getCoordinateTransform().transform(point)
    event = QgsMapMouseEvent(canvas, kind, QPoint(round(px.x()), round(px.y())), button, buttons, modifiers)
    event.setMapPoint(point)
    return event


def band_metric():
    g = QgsGeometry(tool.band.asGeometry())
    g.transform(
        QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), QgsCoordinateReferenceSystem(METRIC), project)
    )
    return g


def sees(g, dx, dy):
    return g.contains(QgsGeometry.fromPointXY(QgsPointXY(X0 + dx, Y0 + dy)))


timings = []
tool.canvasPressEvent(mouse(QEvent.MouseButtonPress, pixel(0, 0)))
for dx, dy in ((5, 8), (20, 10), (40, 6), (60, 2), (80, 0)):
    tool.canvasMoveEvent(mouse(QEvent.MouseMove, pixel(dx, dy)))
    timings.append(tool.live.last_ms)
    pump(0.05)  # let the canvas paint the band: the live redraw
mid = band_metric()
report["mid_drag_area_m2"] = mid.area()  # noqa: F821
tool.canvasReleaseEvent(mouse(QEvent.MouseButtonRelease, pixel(80, 0)))
pump(0.3)
feat = next(cams.getFeatures(), None)
report["cameras_after_drag"] = cams.featureCount()  # noqa: F821
report["azimuth"] = feat["azimuth"] if feat else None  # noqa: F821
at = to_metric.transform(feat.geometry().asPoint()) if feat else QgsPointXY(X0, Y0)
report["camera_offset_m"] = [at.x() - X0, at.y() - Y0]  # noqa: F821 - digitised in map units: ~0
view = band_metric()
report["band"] = {  # noqa: F821
    "area_m2": view.area(),
    "vertices": sum(1 for _ in view.vertices()),
    "sees_in_front_of_building": sees(view, 8, 0),
    "sees_beside_shadow": sees(view, 30, 20),
    "shadow_excluded": not sees(view, 15, 0) and not sees(view, 30, 0) and not sees(view, 45, 3),
    "building_behind_excluded": not sees(view, -15, 0),
}
centre = canvas.getCoordinateTransform().transform(pixel(0, 0))
pos = QPointF(centre.x(), centre.y())
wheel = QWheelEvent(pos, pos, QPoint(), QPoint(0, 120), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
tool.wheelEvent(wheel)
pump(0.3)
feat = next(cams.getFeatures(), None)
report["hfov_after_wheel"] = feat["hfov"] if feat else None  # noqa: F821
report["wheel_accepted"] = wheel.isAccepted()  # noqa: F821
report["band_area_after_wheel_m2"] = band_metric().area()  # noqa: F821
report["redraw_ms"] = timings  # noqa: F821 - recorded, not asserted
report["undo_steps"] = cams.undoStack().count()  # noqa: F821
canvas.refresh()
pump(0.5)

# the dock's coverage run in the desktop: a QgsTask in QGIS's task manager
street = QgsVectorLayer(f"Polygon?crs={STORE}", "street_space", "memory")
f = QgsFeature(street.fields())
f.setGeometry(rect(-60, -40, -25, 40).combine(rect(25, -40, 60, 40)))  # two squares: west one unseen
street.dataProvider().addFeatures([f])
project.addMapLayer(street)
dock.target.setLayer(street)
dock.grids.setLayer(None)
dock.scope.setCurrentIndex(dock.scope.findData("all"))
cams.commitChanges()
dock.run_button.click()
deadline = time.time() + 90
while time.time() < deadline and not ("BLIND_SPOTS" in dock.result_layers and dock.run_button.isEnabled()):
    pump(0.1)
table = dock.blind_spots
areas = [float(table.item(r, 0).text()) for r in range(table.rowCount())]
report["coverage_run"] = {  # noqa: F821
    "status": dock.status.text(),
    "blind_rows": len(areas),
    "largest_first": areas == sorted(areas, reverse=True),
    "layers": sorted(dock.result_layers),
}
tool.show_camera(next(cams.getFeatures()).id())  # the live view on screen for the screenshot
dock.show()
dock.raise_()
canvas.refresh()
pump(0.3)
canvas.waitWhileRendering()
shot = os.environ.get("GRIDGOV_CAMERA_SHOT")
if shot:
    iface.mainWindow().grab().save(shot)  # noqa: F821
tool.release_camera()
dock.tool_action.setChecked(False)
