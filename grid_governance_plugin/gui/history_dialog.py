"""History of a grid, camera or case: who changed what and when; "Restore this version".

Opened from the feature's actions (identify results, attribute table, feature form) of a
gridgov PostGIS layer through ``HistoryAction``, and from the case dock. Everything shown is
plain text: values come from field channels and other people.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsDataSourceUri, QgsMapLayer, QgsVectorLayer
from qgis.gui import QgsMapLayerAction
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.i18n import N_, tr
from ..core.log import get_logger
from ..core.store import audit
from ..core.store.access import Access
from ..core.store.pgtypes import tolerant_timestamps
from .case_card import _pg_message, fmt_time
from .why import set_available

log = get_logger("history")
TABLES = {"grid": N_("grid"), "camera": N_("camera"), "event": N_("case"), "building": N_("building")}
OP_LABELS = {**audit.OPS, "STEP": N_("Step")}


def store_table(layer: QgsMapLayer | None) -> str | None:
    """The gridgov table a PostGIS layer shows, when it has a history here; None otherwise."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(layer.source())
    if uri.schema() != "gridgov" or uri.table() not in TABLES:
        return None
    return uri.table()


def layer_connection(layer: QgsVectorLayer):
    """A psycopg2 connection with the layer's own credentials (its auth configuration expanded)."""
    import psycopg2

    info = QgsDataSourceUri(layer.source()).connectionInfo(True)
    return tolerant_timestamps(psycopg2.connect(info, application_name="gridgov-history", connect_timeout=10))


class HistoryDialog(QDialog):
    """The change history of one row; ``restored(columns)`` after a version was put back."""

    restored = pyqtSignal(list)

    def __init__(
        self,
        connect: Callable[[], Any],
        table: str,
        key: Any,
        title: str | None = None,
        parent=None,
        layer: QgsVectorLayer | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("GridGovHistoryDialog")
        self.table_name, self.key, self.layer = table, key, layer
        self.conn = connect()
        self.access = Access.load(self.conn)
        self.entries: list[audit.Entry] = []
        self.confirm: Callable[[str], bool] = self._ask
        self.setWindowTitle(title or tr("History of {0} {1}", tr(TABLES.get(table, table)), key))
        lay = QVBoxLayout(self)
        self.info = QLabel("")
        self.info.setTextFormat(Qt.PlainText)
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        split = QSplitter(Qt.Vertical)
        self.list = QTableWidget(0, 5)
        self.list.setObjectName("history_table")
        self.list.setHorizontalHeaderLabels([tr("Time"), tr("Login"), tr("Display name"), tr("What"), tr("Changes")])
        self.list.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.verticalHeader().setVisible(False)
        self.list.itemSelectionChanged.connect(self._selected)
        split.addWidget(self.list)
        self.details = QPlainTextEdit()  # plain text: values are data, never markup
        self.details.setObjectName("history_details")
        self.details.setReadOnly(True)
        split.addWidget(self.details)
        lay.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.restore_button = buttons.addButton(tr("Restore this version"), QDialogButtonBox.ActionRole)
        self.restore_button.setObjectName("restore_version")
        self.restore_button.setToolTip(tr("Put the selected version back as a new edit, recorded in the history."))
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(820, 520)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        try:
            self.entries = audit.history(self.conn, self.table_name, self.key)
        except Exception as exc:  # psycopg2.Error: e.g. a login that may not read the audit
            self.entries = []
            self.info.setText(tr("The history could not be read: {0}", _pg_message(exc)))
            self.conn.rollback()
        else:
            self.info.setText(
                tr("{0} change(s), newest last. Your login: {1}", len(self.entries), self.access.describe())
            )
        self.list.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            values = (
                fmt_time(e.at),
                e.login or tr("(unknown)"),
                e.actor or "",
                tr(OP_LABELS.get(e.op, e.op)),
                _step(e),
            )
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)  # a table item shows plain text
                item.setToolTip(text)
                self.list.setItem(r, c, item)
        if self.entries:
            self.list.selectRow(len(self.entries) - 1)
        self._selected()

    def selected(self) -> audit.Entry | None:
        rows = self.list.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def select_entry(self, audit_id: int) -> bool:
        for r, e in enumerate(self.entries):
            if e.id == audit_id:
                self.list.selectRow(r)
                return True
        return False

    def _selected(self) -> None:
        e = self.selected()
        if e is None:
            self.details.setPlainText("")
        else:
            lines = [f"{fmt_time(e.at)}  {e.login or ''}  {tr(OP_LABELS.get(e.op, e.op))}"]
            if e.note:
                lines.append(tr("Note: {0}", e.note))
            for col, before, after in e.changes():
                if col == "geom":
                    lines.append(tr("geometry changed") if e.op == "UPDATE" else tr("geometry"))
                elif e.op == "INSERT" or e.op == "STEP" and col == "status":
                    lines.append(f"{col}: {audit.show(after)}")
                else:
                    lines.append(f"{col}: {audit.show(before)} → {audit.show(after)}")
            self.details.setPlainText("\n".join(lines))
        ok, why = self._can_restore(e)
        set_available(self.restore_button, ok, why)

    def _can_restore(self, e: audit.Entry | None) -> tuple[bool, str]:
        if self.table_name not in audit.RESTORABLE:
            return False, tr("A case changes only through its steps; it has no versions to restore.")
        if not self.access.can("restore"):
            return False, self.access.why_not("restore")
        if e is None or e.id is None:
            return False, tr("Choose the version to restore in the list.")
        if e.op == "DELETE":
            return False, tr("This entry deleted the row: choose an earlier version.")
        if e is self.entries[-1]:
            return False, tr("This is the current version.")
        if self.layer is not None and self.layer.isEditable() and self.layer.isModified():
            return False, tr("Save or discard your edits of the layer first.")
        return True, ""

    # ------------------------------------------------------------------ restore
    def _ask(self, text: str) -> bool:
        return QMessageBox.question(self, tr("Restore this version"), text) == QMessageBox.Yes

    def restore_selected(self) -> list[str] | None:
        e = self.selected()
        ok, why = self._can_restore(e)
        if not ok:
            self.info.setText(why)
            return None
        if not self.confirm(tr("Put back the version of {0} as a new edit by {1}?", fmt_time(e.at), self.access.login)):
            return None
        try:
            cols = audit.restore(self.conn, self.table_name, self.key, e.id)
        except Exception as exc:
            self.info.setText(tr("The version could not be restored: {0}", _pg_message(exc)))
            return None
        log.info(tr("Restored {0} {1} to its version of {2}: {3}", self.table_name, self.key, fmt_time(e.at), cols))
        if self.layer is not None:
            self.layer.dataProvider().reloadData()
            self.layer.triggerRepaint()
        self.reload()
        self.info.setText(
            tr("Restored: {0}.", ", ".join(cols)) if cols else tr("Nothing to restore: it is that version already.")
        )
        self.restored.emit(cols)
        return cols

    def done(self, result: int) -> None:  # noqa: D401 - Qt API: close the connection with the dialog
        try:
            self.conn.close()
        except Exception:
            pass
        super().done(result)


def _step(e: audit.Entry) -> str:
    if e.op == "STEP":
        from ..core.events import cases

        before, after = e.old.get("status"), e.new.get("status")
        step = (
            cases.state_label(after)
            if not before or before == after
            else (f"{cases.state_label(before)} → {cases.state_label(after)}")
        )
        return f"{step}: {e.note}" if e.note else step
    return e.summary()


class HistoryAction(QgsMapLayerAction):
    """ "History…" in the actions of every feature of a gridgov grid, camera or event layer."""

    def __init__(self, parent, iface=None):
        super().__init__(tr("History…"), parent, QgsMapLayer.VectorLayer, QgsMapLayerAction.SingleFeature)
        self.setObjectName("GridGovHistoryAction")
        self.iface = iface
        self.dialogs: list[HistoryDialog] = []
        self.triggeredForFeature.connect(self.open_for)

    def canRunUsingLayer(self, layer) -> bool:  # noqa: N802 - QGIS API
        return store_table(layer) is not None

    def open_for(self, layer, feature) -> HistoryDialog | None:
        table = store_table(layer)
        if table is None:
            return None
        key = feature[audit.KEY[table]]
        if key is None:
            return None
        name = feature["grid_code"] if table == "grid" else (feature["name"] if table == "camera" else None)
        title = tr("History of {0} {1}", tr(TABLES[table]), name or key)
        parent = self.iface.mainWindow() if self.iface is not None else None
        try:
            dlg = HistoryDialog(lambda: layer_connection(layer), table, key, title, parent, layer)
        except Exception as exc:
            msg = tr("The history could not be opened: {0}", _pg_message(exc))
            log.warning(msg)
            if self.iface is not None:
                self.iface.messageBar().pushWarning(tr("History"), msg)
            return None
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dlg]
        dlg.show()
        return dlg
