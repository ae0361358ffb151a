"""Runs inside the real QGIS desktop without the project's venv (qgis --code), as a new user would:

install the plugin ZIP, see the missing-dependency message, press Install with a wheel folder
as the source, wait for the install, check that all algorithms and docks are there, run one
algorithm of each kind, and quit QGIS the normal way (the test checks the exit status).

Environment: GRIDGOV_ZIP, GRIDGOV_WHEELS (wheel folder), GRIDGOV_DATA (a GeoPackage with
cameras, buildings, target, grids, events), GRIDGOV_OUT (a folder for outputs),
GRIDGOV_REPORT (JSON written at each step), GRIDGOV_SHOTS (screenshot prefix).
"""

import json
import os
import time
import traceback

from qgis.core import QgsApplication, QgsProject, QgsSettings
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QPushButton, QWidget
from qgis.utils import iface

PLUGIN = "grid_governance_plugin"
report = {"errors": [], "steps": []}


def save():
    with open(os.environ["GRIDGOV_REPORT"], "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)


def shot(name):
    path = f"{os.environ['GRIDGOV_SHOTS']}_{name}.png"
    iface.mainWindow().grab().save(path)
    report.setdefault("screenshots", []).append(path)


def docks():
    mw = iface.mainWindow()
    out = {}
    for name in ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock"):
        d = mw.findChild(QDockWidget, name)
        out[name] = None if d is None else ("placeholder" if getattr(d, "placeholder", False) else type(d).__name__)
    return out


def algorithms():
    p = QgsApplication.processingRegistry().providerById("gridgov")
    if p is None:
        return {}
    return {a.id(): a.canExecute()[0] for a in p.algorithms()}


def data(layer):
    return f"{os.environ['GRIDGOV_DATA']}|layername={layer}"


def run_algorithms():
    import processing

    out = os.environ["GRIDGOV_OUT"]
    runs = {
        # one of each kind: coverage, grids, events, store
        "gridgov:coverage": {
            "CAMERAS": data("cameras"),
            "OBSTACLES": data("buildings"),
            "TARGET": data("target"),
            "COVERAGE": os.path.join(out, "coverage.gpkg"),
            "BLIND_SPOTS": os.path.join(out, "blind.gpkg"),
        },
        "gridgov:validategrids": {"GRIDS": data("grids"), "OUTPUT": os.path.join(out, "problems.gpkg")},
        "gridgov:hotspots": {
            "EVENTS": data("events"),
            "CELL_SIZE": 100,
            "PERMUTATIONS": 99,
            "SEED": 1,
            "OUTPUT": os.path.join(out, "hotspots.gpkg"),
        },
        "gridgov:generatedemo": {"SEED": 3, "SCALE_FACTOR": "0.05", "OUTPUT": os.path.join(out, "demo.gpkg")},
    }
    results = {}
    for alg, params in runs.items():
        t0 = time.monotonic()
        try:
            res = processing.run(alg, params)
            results[alg] = {"ok": True, "seconds": round(time.monotonic() - t0, 1),
                            "outputs": {k: v for k, v in res.items() if isinstance(v, (int, float, str))}}  # fmt: skip
        except Exception as exc:
            results[alg] = {"ok": False, "error": str(exc)}
    return results


def scenario():
    import pyplugin_installer

    pyplugin_installer.instance().installFromZipFile(os.environ["GRIDGOV_ZIP"])
    yield lambda: PLUGIN in __import__("qgis.utils").utils.active_plugins
    import qgis.utils

    mw = iface.mainWindow()
    yield 1.0
    msg = mw.findChild(QWidget, "GridGovDependencyMessage")
    # the plugin installer's own "installed" notice came after ours: show ours for the picture
    bar = iface.messageBar()
    while bar.currentItem() is not None and bar.currentItem() is not msg:
        bar.popWidget(bar.currentItem())
    cov = mw.findChild(QDockWidget, "GridGovCoverageDock")
    if cov is not None:
        cov.show()
        cov.raise_()
    yield 1.0
    shot("missing_dependencies")
    report["before"] = {
        "plugin_loaded": PLUGIN in qgis.utils.plugins,
        "message": msg.text() if msg is not None else None,
        "docks": docks(),
        "algorithms": algorithms(),
    }
    report["steps"].append("before")
    save()
    s = QgsSettings()
    s.setValue("grid_governance_plugin/deps/source_kind", "wheels")
    s.setValue("grid_governance_plugin/deps/source_location", os.environ["GRIDGOV_WHEELS"])
    button = msg.findChild(QPushButton, "GridGovMessageInstall")
    button.click()
    from grid_governance_plugin.gui import deps_ui

    st = deps_ui.state()
    report["install_started"] = st.installing
    yield lambda: not st.installing and st.last_outcome is not None
    yield 1.0
    shot("installed")
    out = st.last_outcome
    report["install"] = {
        "ok": out.ok,
        "message": out.message,
        "restart": st.restart_reasons,
        "installed": out.installed,
        "log_tail": out.log[-20:],
        "command": next((s for s in out.log if s.startswith("$ ")), ""),
        "prefix": str(deps_ui.deps.prefix_dir()),
        "numba_cache": sorted(p.name for p in (deps_ui.deps.data_dir() / "numba-cache").rglob("*.nbi")),
    }
    report["after"] = {"docks": docks(), "algorithms": algorithms()}
    report["steps"].append("installed")
    save()
    report["runs"] = run_algorithms()
    report["steps"].append("ran")
    import shapely

    report["shapely_file"] = shapely.__file__
    save()
    QgsProject.instance().setDirty(False)
    mw.close()  # QGIS's normal exit: the test checks the exit status


def drive(gen):
    try:
        step = next(gen)
    except StopIteration:
        return
    except Exception:
        report["errors"].append(traceback.format_exc())
        save()
        QgsProject.instance().setDirty(False)
        iface.mainWindow().close()
        return
    if callable(step):
        limit = time.monotonic() + 1200

        def poll():
            try:
                done = step()
            except Exception:
                done = False
            if done:
                drive(gen)
            elif time.monotonic() > limit:
                report["errors"].append("timed out waiting")
                save()
                iface.mainWindow().close()
            else:
                QTimer.singleShot(200, poll)

        poll()
    else:
        QTimer.singleShot(int(step * 1000), lambda: drive(gen))


QTimer.singleShot(1500, lambda: drive(scenario()))
