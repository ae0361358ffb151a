"""Runs inside the real QGIS desktop (qgis --code): install, inspect, screenshot, quit.

Environment:
  GRIDGOV_ZIP         install this plugin zip the way Plugins > Install from ZIP does
  GRIDGOV_PROJECT     open this project (if QGIS was not started with one)
  GRIDGOV_REPORT      write a JSON report of what is there (menu, toolbar, docks, provider, canvas)
  GRIDGOV_SCREENSHOT  save a screenshot of the main window here
  GRIDGOV_SHOW_DOCK   object name of a dock to show before the screenshot
  GRIDGOV_QUIT        '1': leave QGIS when done (tests, headless demo)
  GRIDGOV_EXTRA       Python files (separated by os.pathsep) exec'd one after the other once the
                      report above is taken, each with ``iface`` and ``report``, in the project
                      QGIS opened (the walkthroughs use the demo's)
  GRIDGOV_EXTRA_FRESH '1': each extra gets an empty project instead (File > New before and after
                      it), so several end-to-end checks share one QGIS start. An extra's exception goes to
                      report["extra_errors"][its file name] (and report["errors"]); the next one
                      still runs. The report is written after each extra, so a QGIS that must be
                      killed later still leaves what was found.
"""

import json
import os
import traceback

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar
from qgis.utils import iface

PLUGIN = "grid_governance_plugin"
report = {"errors": []}


def canvas_stats(path):
    img = QImage(path)
    if img.isNull():
        return {"distinct_colours": 0, "non_background": 0.0}
    img = img.scaled(200, 150)
    bg = img.pixel(0, 0)
    colours, non_bg = set(), 0
    for y in range(img.height()):
        for x in range(img.width()):
            p = img.pixel(x, y)
            colours.add(p)
            non_bg += p != bg
    return {"distinct_colours": len(colours), "non_background": non_bg / (img.width() * img.height())}


def step_install():
    zip_path = os.environ.get("GRIDGOV_ZIP")
    if zip_path:
        import pyplugin_installer

        pyplugin_installer.instance().installFromZipFile(zip_path)
    project = os.environ.get("GRIDGOV_PROJECT")
    if project:
        QgsProject.instance().read(project)
    dock_name = os.environ.get("GRIDGOV_SHOW_DOCK")
    if dock_name:
        dock = iface.mainWindow().findChild(QDockWidget, dock_name)
        if dock:
            dock.show()
            dock.raise_()
    canvas = iface.mapCanvas()
    if QgsProject.instance().mapLayers():
        canvas.waitWhileRendering()
        canvas.refresh()
    QTimer.singleShot(4000, step_report)


def step_report():
    try:
        canvas = iface.mapCanvas()
        canvas.waitWhileRendering()
        import qgis.utils

        mw = iface.mainWindow()
        menu = mw.findChild(QMenu, "GridGovMenu")
        toolbar = mw.findChild(QToolBar, "GridGovToolbar")
        provider = QgsApplication.processingRegistry().providerById("gridgov")
        report.update(
            {
                "plugin_loaded": PLUGIN in qgis.utils.plugins,
                "plugin_active": PLUGIN in qgis.utils.active_plugins,
                "plugin_path": getattr(__import__(PLUGIN), "__file__", ""),
                "menu_title": menu.title() if menu else None,
                "menu_actions": [a.text() for a in menu.actions()] if menu else [],
                "toolbar": bool(toolbar),
                "toolbar_actions": len(toolbar.actions()) if toolbar else 0,
                "docks": {
                    name: bool(mw.findChild(QDockWidget, name))
                    for name in ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock")
                },
                "dock_titles": [
                    d.windowTitle() for d in mw.findChildren(QDockWidget) if d.objectName().startswith("GridGov")
                ],
                "provider": bool(provider),
                "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else [],
                "layers": len(QgsProject.instance().mapLayers()),
            }
        )
        canvas_png = os.environ.get("GRIDGOV_SCREENSHOT", "/tmp/gridgov_screen.png") + ".canvas.png"
        canvas.saveAsImage(canvas_png)
        report["canvas"] = canvas_stats(canvas_png)
        shot = os.environ.get("GRIDGOV_SCREENSHOT")
        if shot:
            mw.grab().save(shot)
            report["screenshot"] = shot
    except Exception:
        report["errors"].append(traceback.format_exc())
    write_report()
    extras = [e for e in os.environ.get("GRIDGOV_EXTRA", "").split(os.pathsep) if e]
    shared = os.environ.get("GRIDGOV_EXTRA_FRESH") == "1"  # several checks, each builds its own scene
    if extras:
        if shared:
            new_project()
        _watchdog.start(2000)
    for extra in extras:
        name = os.path.basename(extra)
        _current[0] = name
        report.setdefault("extra_errors", {})[name] = []
        try:
            exec(compile(open(extra, encoding="utf-8").read(), extra, "exec"), {"iface": iface, "report": report})
        except Exception:
            report["extra_errors"][name].append(traceback.format_exc())
            report["errors"].append(f"{name}: {traceback.format_exc()}")
        if shared:
            new_project()
        write_report()
    _watchdog.stop()
    if os.environ.get("GRIDGOV_QUIT") == "1":
        QgsProject.instance().setDirty(False)
        os._exit(0)  # QgisApp's own exit can stop on dialogs; everything needed is written


_current = ["probe"]


def new_project():
    """File > New as a user does it (QgsProject.clear() alone leaves the canvas's CRS and
    temporal range of the previous project behind)."""
    iface.newProject(False)


def close_blocking_dialogs():
    """A modal dialog (QGIS's Python error dialog, a message box) would stop the extras and hang
    the test until its timeout: name it as the running extra's error and close it."""
    from qgis.PyQt.QtWidgets import QApplication, QLabel, QTextEdit

    open_now = [w for w in (QApplication.activeModalWidget(), QApplication.activePopupWidget()) if w is not None]
    # an extra may answer a dialog itself (a note to a case step): only a dialog still open at
    # the next tick is blocking, not one this tick happened to find in its first milliseconds
    waiting = [w for w in open_now if id(w) in _seen_open]
    _seen_open.clear()
    _seen_open.update(id(w) for w in open_now if w not in waiting)
    for w in waiting:
        text = " | ".join(
            [c.text() for c in w.findChildren(QLabel) if c.text()]
            + [c.toPlainText() for c in w.findChildren(QTextEdit)]
        )[:3000]
        message = f"blocking {type(w).__name__} '{w.windowTitle()}': {text}"
        report.setdefault("extra_errors", {}).setdefault(_current[0], []).append(message)
        report["errors"].append(f"{_current[0]}: {message}")
        w.close()


_seen_open: set = set()  # modal or popup widgets open at the watchdog's previous tick
_watchdog = QTimer()
_watchdog.timeout.connect(close_blocking_dialogs)


def write_report():
    path = os.environ.get("GRIDGOV_REPORT")
    if path:
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=1)
        os.replace(path + ".tmp", path)  # a reader never sees half a report


QTimer.singleShot(1500, step_install)
