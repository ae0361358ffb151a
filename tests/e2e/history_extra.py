"""Runs inside the real QGIS desktop (GRIDGOV_EXTRA of scripts/qgis_probe.py).

Globals from the probe: ``iface``, ``report``. Env GRIDGOV_SERVICE names a pg_service entry
(PGSERVICEFILE) that logs in as a planner. Loads the store's grid and camera layers, opens
"History…" through the map layer action the plugin registered (as the identify results and
the attribute table do), restores the first version of each and takes screenshots. Everything
found goes to report["history"].
"""

import os
import traceback

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsGui
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication

from grid_governance_plugin.core.store import db

out = report.setdefault("history", {"steps": []})  # noqa: F821 - given by the probe
service = "service=" + os.environ["GRIDGOV_SERVICE"]
shots = os.environ["GRIDGOV_HISTORY_SHOTS"]


def step(text):
    out["steps"].append(text)


def one(table, title_field):
    layer = QgsVectorLayer(db.layer_uri(service, table, key="id").uri(False), table, "postgres")
    step(f"{table} valid {layer.isValid()} features {layer.featureCount()}")
    QgsProject.instance().addMapLayer(layer)
    actions = [
        a for a in QgsGui.mapLayerActionRegistry().mapLayerActions(layer) if a.objectName() == "GridGovHistoryAction"
    ]
    res = {"action": len(actions) == 1, "count": layer.featureCount()}
    feature = next(layer.getFeatures())
    res["before"] = {"name": feature["name"], "wkt": feature.geometry().asWkt(6)}
    if not actions:
        return res
    actions[0].triggerForFeature(layer, feature)  # what the feature's action menu does
    QTest.qWait(500)
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "GridGovHistoryDialog" and w.isVisible()]
    res["dialog"] = len(dialogs) == 1
    if not dialogs:
        return res
    dlg = dialogs[0]
    res["entries"] = [(e.op, e.login) for e in dlg.entries]
    res["rows"] = [
        [dlg.list.item(r, c).text() for c in range(dlg.list.columnCount())] for r in range(dlg.list.rowCount())
    ]
    res["restore_enabled_on_current"] = dlg.restore_button.isEnabled()
    dlg.select_entry(dlg.entries[0].id)
    res["restore_enabled_on_first"] = dlg.restore_button.isEnabled()
    QTest.qWait(300)
    dlg.grab().save(os.path.join(shots, f"e2e_history_{table}.png"))
    dlg.confirm = lambda text: True  # the question box would wait for a click
    QTest.mouseClick(dlg.restore_button, 1)  # Qt.LeftButton
    QTest.qWait(500)
    res["restored_entries"] = [(e.op, e.login, e.note) for e in dlg.entries]
    res["info"] = dlg.info.text()
    dlg.grab().save(os.path.join(shots, f"e2e_history_{table}_restored.png"))
    after = next(layer.getFeatures())
    value = after[title_field]
    value = None if value is None or (hasattr(value, "isNull") and value.isNull()) else value  # QVariant NULL
    res["after"] = {"name": after["name"], "wkt": after.geometry().asWkt(6), title_field: value}
    dlg.close()
    return res


try:
    out["grid"] = one("grid", "grid_code")
    out["camera"] = one("camera", "azimuth")
    canvas = iface.mapCanvas()  # noqa: F821
    canvas.setExtent(QgsProject.instance().mapLayersByName("grid")[0].extent())
    canvas.refresh()
except Exception:
    out["error"] = traceback.format_exc()
