"""Runs inside the real QGIS (scripts/qgis_probe.py GRIDGOV_EXTRA): everything a Chinese user reads.

Globals from the probe: ``iface``, ``report``. Environment:
  GRIDGOV_VISIBLE_TEXT  path of tests/e2e/visible_text.py (loaded by path: the repository is not
                        on QGIS's sys.path, and must not be, so the installed plugin is what runs)
  GRIDGOV_SHOTS         directory for one screenshot per screen

For each screen (the plugin's menu and toolbar, each dock, the settings dialog, a file dialog,
the layer tree with its legend, the message bar) the report gets ``texts[screen]``, every text
shown, and ``english[screen]``, those with English in them.
"""

import importlib.util
import os
import traceback
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QDir
from qgis.PyQt.QtWidgets import QDialogButtonBox, QDockWidget, QFileDialog, QMenu, QToolBar

_spec = importlib.util.spec_from_file_location("gridgov_visible_text", os.environ["GRIDGOV_VISIBLE_TEXT"])
vt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vt)

SHOTS = Path(os.environ["GRIDGOV_SHOTS"])
SHOTS.mkdir(parents=True, exist_ok=True)
mw = iface.mainWindow()  # noqa: F821 - given by the probe
texts: dict[str, list[str]] = {}
messages: list[str] = []


def settle(n: int = 20) -> None:
    for _ in range(n):
        QgsApplication.processEvents()


def wait(pred, timeout: float) -> bool:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QgsApplication.processEvents()
        if pred():
            return True
        time.sleep(0.05)
    return bool(pred())


def record(screen: str, found: list[str], widget=None) -> None:
    texts[screen] = found
    if widget is not None:
        widget.grab().save(str(SHOTS / f"{screen}.png"))


def on_message(message, tag, _level):
    # the plugin's log tab only (QGIS's own messages are QGIS's, English where QGIS is)
    if tag in ("Grid governance", QCoreApplication.translate("GridGov", "Grid governance")):
        messages.append(message)


def run() -> None:
    QgsApplication.messageLog().messageReceived.connect(on_message)
    # the plugin's menu and toolbar
    menu = mw.findChild(QMenu, "GridGovMenu")
    record("menu", vt.menu_texts(menu) if menu else ["<no plugin menu>"])
    toolbar = mw.findChild(QToolBar, "GridGovToolbar")
    record("toolbar", [t for a in toolbar.actions() for t in (a.text(), a.toolTip())] if toolbar else [])
    # each dock, shown as the user opens it
    for name in ("GridGovGridPlanningDock", "GridGovCoverageDock", "GridGovEventsDock"):
        dock = mw.findChild(QDockWidget, name)
        if dock is None:
            record(name, [f"<no {name}>"])
            continue
        dock.show()
        dock.raise_()
        settle()
        record(name, vt.visible_texts(dock), dock)
    # work that fills tables and says so: the grid check (a task) and the list of cameras down
    grid_dock = mw.findChild(QDockWidget, "GridGovGridPlanningDock")
    grid_dock.show()
    grid_dock.raise_()
    grid_dock.validate()
    wait(lambda: QgsApplication.taskManager().countActiveTasks() == 0, 300)
    settle()
    record("grid_check", vt.visible_texts(grid_dock), grid_dock)
    report["grid_check_status"] = grid_dock.status.text()  # noqa: F821
    coverage = mw.findChild(QDockWidget, "GridGovCoverageDock")
    coverage.show()
    coverage.raise_()
    coverage.fill_down_cameras()
    settle()
    record("cameras_down", vt.visible_texts(coverage.down_cameras))
    report["cameras_down_rows"] = coverage.down_cameras.rowCount()  # noqa: F821
    # the settings dialog, opened from the plugin's menu
    from grid_governance_plugin.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(mw)
    dialog.show()
    settle()
    record("settings", vt.visible_texts(dialog), dialog)
    buttons = dialog.findChildren(QDialogButtonBox)
    report["settings_buttons"] = [b.text() for box in buttons for b in box.buttons()]  # noqa: F821
    dialog.reject()
    # a file dialog as the plugin opens them (QFileDialog.getSaveFileName), on an empty folder
    empty = SHOTS / "empty_folder"
    empty.mkdir(exist_ok=True)
    fd = QFileDialog(mw, "", str(empty), "PDF (*.pdf)")
    fd.setAcceptMode(QFileDialog.AcceptSave)
    fd.setOption(QFileDialog.DontUseNativeDialog, True)  # what QGIS shows without a desktop theme
    fd.setFilter(QDir.AllDirs | QDir.NoDotAndDotDot)
    fd.show()
    settle(40)
    # the dialog's own words: labels, buttons, file types, the list's column headers (the
    # files and folders listed, and their dates in the system's locale, are the user's)
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QAbstractButton, QComboBox, QLabel, QTreeView

    own = [w.text() for w in fd.findChildren((QLabel, QAbstractButton)) if w.isVisibleTo(fd)]
    own += [w.toolTip() for w in fd.findChildren(QAbstractButton) if w.isVisibleTo(fd)]
    own += [
        c.itemText(i) for c in fd.findChildren(QComboBox) if c.objectName() == "fileTypeCombo" for i in range(c.count())
    ]
    for view in fd.findChildren(QTreeView):
        model = view.model()
        own += [str(model.headerData(i, Qt.Horizontal, Qt.DisplayRole) or "") for i in range(model.columnCount())]
    record("file_dialog", [t.strip() for t in own if t and t.strip()], fd)
    fd.reject()
    # the layer tree: group and layer names and every legend entry
    tree = iface.layerTreeView()  # noqa: F821
    tree.expandAll()
    settle()
    record("legend", vt.visible_texts(tree, tooltips=False), tree)
    # messages the plugin pushed to the message bar and the log during all this
    # the plugin's message bar items carry one of its titles (a dock's or the menu's)
    titles = {d.windowTitle() for d in mw.findChildren(QDockWidget) if d.objectName().startswith("GridGov")}
    titles |= {menu.title()} if menu else set()
    bar_texts = []
    for item in iface.messageBar().items():  # noqa: F821
        if item.title() in titles:
            bar_texts += [item.title(), item.text()]
    report["message_bar_other"] = [f"{i.title()}: {i.text()}" for i in iface.messageBar().items()]  # noqa: F821
    record("messages", [t for t in bar_texts + messages if t])
    # QGIS's own main menu, to show whether QGIS itself is Chinese
    report["qgis_menus"] = [a.text() for a in mw.menuBar().actions()]  # noqa: F821


try:
    run()
except Exception:
    report["errors"].append(traceback.format_exc())  # noqa: F821
report["texts"] = texts  # noqa: F821
report["english"] = {k: vt.english(v) for k, v in texts.items()}  # noqa: F821
report["locale_translation"] = QgsApplication.instance().translation()  # noqa: F821
