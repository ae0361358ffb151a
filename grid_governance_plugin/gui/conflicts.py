"""Conflicts of shared edits, side by side (issue #11, docs/sync.md).

``watch_layers`` attaches :class:`core.sync.layers.VersionedEditing` to every gridgov PostGIS
layer of a versioned table added to the project: saves state the version read, changes of
other columns made meanwhile are kept, and a same-column conflict stops the save. The
:class:`ConflictDialog` then shows the features, the user's values and the other version
side by side in a table and on the map (a scratch layer with both geometries), and lets the
user take theirs, take the other version, or merge by hand. Values are plain text.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsDataSourceUri,
    QgsEditorWidgetSetup,
    QgsFeature,
    QgsGeometry,
    QgsMapLayer,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core import dberrors, labels
from ..core.i18n import tr
from ..core.log import get_logger
from ..core.store.schema import VERSIONED
from ..core.sync.layers import FeatureConflict, VersionedEditing

log = get_logger("sync")
WATCHED: dict[str, VersionedEditing] = {}
DIALOGS: dict[str, ConflictDialog] = {}  # the open conflict dialog per layer id


def _plain(value: Any, table: str = "", column: str = "") -> str:
    """A value as plain text, a stored code (a case status…) by its label."""
    if isinstance(value, (bytes, bytearray)):
        g = QgsGeometry()
        g.fromWkb(bytes(value))
        return tr("geometry") + " " + g.asWkt(6)[:80]
    return dberrors.value_label(table, column, value)


RAW = Qt.UserRole + 1  # the Keep cell's stored value, behind its label


def _keep_value(item: QTableWidgetItem) -> Any:
    """What the Keep cell says to store: the stored value while the user left its label as shown
    (a status label or "(empty)" is never written back as text), else what they typed."""
    raw, shown = item.data(RAW) or (None, "")
    text = item.text()
    if text == shown:
        return raw
    return text if text.strip() else None


def _column(column: str) -> str:
    return labels.label("field", column) if column else ""


def watch_layers(layers: Any) -> list[VersionedEditing]:
    """Version every gridgov PostGIS layer of a versioned table among ``layers``."""
    out = []
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "postgres" or layer.id() in WATCHED:
            continue
        uri = QgsDataSourceUri(layer.source())
        if uri.schema() != "gridgov" or uri.table() not in VERSIONED or uri.table() == "event":
            continue
        if layer.fields().indexOf("base_version") < 0:
            continue  # a database before the versions migration
        watcher = VersionedEditing(layer)
        layer.setEditorWidgetSetup(layer.fields().indexOf("base_version"), QgsEditorWidgetSetup("Hidden", {}))
        layer.beforeCommitChanges.connect(lambda *a, w=watcher: QTimer.singleShot(0, lambda: _after_save(w)))
        layer.afterCommitChanges.connect(lambda w=watcher, t=uri.table(): record_choices(w, t))
        layer.willBeDeleted.connect(lambda lid=layer.id(): WATCHED.pop(lid, None))
        WATCHED[layer.id()] = watcher
        out.append(watcher)
    return out


def record_choices(watcher: VersionedEditing, table: str) -> int:
    """Once the save that carried them committed, write the choices made into the audit, as the
    layer's own login (its connection, auth configuration expanded). A failure keeps them for the
    next save and says so."""
    if not watcher.resolutions:
        return 0
    import psycopg2

    try:
        conn = psycopg2.connect(
            QgsDataSourceUri(watcher.layer.source()).connectionInfo(True), application_name="gridgov-qgis"
        )
    except psycopg2.Error as exc:
        log.warning(tr("The choices made in the conflicts of {0} could not be recorded yet: {1}", table, str(exc)))
        return 0
    try:
        with conn:
            return watcher.record_resolutions(conn, table)
    except psycopg2.Error as exc:
        from ..core.dberrors import explain

        log.warning(tr("The choices made in the conflicts of {0} could not be recorded yet: {1}", table, explain(exc)))
        return 0
    finally:
        conn.close()


def _after_save(watcher: VersionedEditing) -> None:
    """After a save stopped by conflicts: the dialog, not modal, so the user can look at the map."""
    try:
        if not watcher.conflicts:
            return
        lid = watcher.layer.id()
    except RuntimeError:  # the layer went away
        return
    old = DIALOGS.pop(lid, None)
    if old is not None:
        old.reject()  # a second failed save: show what is in conflict now
    dialog = ConflictDialog(watcher)
    dialog.finished.connect(lambda *_: DIALOGS.pop(lid, None) if DIALOGS.get(lid) is dialog else None)
    DIALOGS[lid] = dialog
    dialog.show()


class ConflictDialog(QDialog):
    """Features in conflict: base, the other version and yours per column; take one or merge."""

    COLS = ("feature", "column", "base", "theirs", "ours", "keep")

    def __init__(self, watcher: VersionedEditing, parent: Any = None) -> None:
        super().__init__(parent)
        self.watcher = watcher
        layer = watcher.layer
        self._table = QgsDataSourceUri(layer.source()).table()  # to show its codes by their labels
        self.setWindowTitle(tr("Conflicts in {0}", layer.name()))
        box = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Someone else saved these features after you started editing them. Your changes are kept in the "
                "edit buffer; nothing was saved. Choose what to keep, then save again."
            )
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(
            [tr("Feature"), tr("Field"), tr("When you started"), tr("Other version"), tr("Yours"), tr("Keep")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        box.addWidget(self.table)
        buttons = QDialogButtonBox()
        self.mine = QPushButton(tr("Keep mine"))
        self.theirs = QPushButton(tr("Take the other version"))
        self.merge = QPushButton(tr("Merge by hand (the Keep column)"))
        for b in (self.mine, self.theirs, self.merge):
            buttons.addButton(b, QDialogButtonBox.ActionRole)
        buttons.addButton(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        self.mine.clicked.connect(lambda: self._resolve("ours"))
        self.theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.merge.clicked.connect(lambda: self._resolve("merge"))
        box.addWidget(buttons)
        self.map_layer = self._map_layer()
        self._fill()
        self.resize(900, 420)

    def _fill(self) -> None:
        self.table.setRowCount(0)
        for fid, conflict in sorted(self.watcher.conflicts.items()):
            for c in conflict.conflicts:
                r = self.table.rowCount()
                self.table.insertRow(r)
                feature = tr("{0} (deleted by someone else)", conflict.key) if conflict.deleted else conflict.key
                t, col = self._table, c.column
                ours = _plain(c.ours, t, col)
                cells = (feature, _column(col), _plain(c.base, t, col), _plain(c.theirs, t, col), ours, ours)
                for j, text in enumerate(cells):
                    item = QTableWidgetItem(text)  # plain text, never rich text
                    item.setData(Qt.UserRole, (fid, c.column))
                    if j == 5:
                        item.setData(RAW, (c.ours, ours))
                    if j != 5 or c.column == "geom":
                        item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                    self.table.setItem(r, j, item)

    def _map_layer(self) -> QgsVectorLayer | None:
        """Yours and the other version's geometries of the conflicting features, on the map."""
        geoms = []
        for conflict in self.watcher.conflicts.values():
            for c in conflict.conflicts:
                if c.column == "geom":
                    for which, wkb in (("ours", c.ours), ("theirs", c.theirs)):
                        if wkb:
                            g = QgsGeometry()
                            g.fromWkb(bytes(wkb))
                            geoms.append((conflict.key, which, g))
        if not geoms:
            return None
        kind = {0: "Point", 1: "LineString", 2: "Polygon"}.get(int(geoms[0][2].type()), "Polygon")
        crs = self.watcher.layer.crs().authid()
        layer = QgsVectorLayer(
            f"Multi{kind}?crs={crs}&field=feature:string&field=version:string",
            tr("Conflicts in {0}", self.watcher.layer.name()),
            "memory",
        )
        feats = []
        for key, which, g in geoms:
            f = QgsFeature(layer.fields())
            f.setAttributes([key, tr("Yours") if which == "ours" else tr("Other version")])
            g.convertToMultiType()
            f.setGeometry(g)
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        QgsProject.instance().addMapLayer(layer)
        return layer

    def done(self, result: int) -> None:
        # closed without resolving everything: the conflicts stay in the watcher (the save stays
        # refused until they are resolved); the scratch map layer goes
        if self.map_layer is not None:
            try:
                QgsProject.instance().removeMapLayer(self.map_layer.id())
            except RuntimeError:
                pass
            self.map_layer = None
        super().done(result)

    def _resolve(self, choice: str) -> None:
        rows = {i.row() for i in self.table.selectedItems()} or set(range(self.table.rowCount()))
        by_fid: dict[int, dict[str, Any]] = {}
        for r in sorted(rows):
            fid, column = self.table.item(r, 0).data(Qt.UserRole)
            if choice == "merge" and column != "geom":
                by_fid.setdefault(fid, {})[column] = _keep_value(self.table.item(r, 5))
            else:
                by_fid.setdefault(fid, {})
        for fid, values in by_fid.items():
            conflict: FeatureConflict | None = self.watcher.conflicts.get(fid)
            if conflict is None:
                continue
            if conflict.deleted:
                log.warning(
                    tr("Feature {0} was deleted by someone else: restore it from its history first.", conflict.key)
                )
                continue
            self.watcher.resolve(fid, choice, values)
        self._fill()
        if not self.watcher.conflicts:
            self.accept()


class OfflineConflictDialog(QDialog):
    """Conflicts an offline copy's sync kept (``core.sync.offline``): the value when the copy was
    checked out, the server's and yours per field; keep yours, take the server's or merge by hand.
    The next sync sends the result; nothing is lost either way."""

    COLS = ConflictDialog.COLS

    def __init__(self, path: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(tr("Conflicts in the offline copy {0}", path))
        box = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "These changes were made both in the offline copy and on the server. Your changes are kept in the "
                "copy. Choose what to keep, then sync again."
            )
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(
            [tr("Feature"), tr("Field"), tr("When you checked out"), tr("Server"), tr("Yours"), tr("Keep")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        box.addWidget(self.table)
        buttons = QDialogButtonBox()
        self.mine = QPushButton(tr("Keep mine"))
        self.theirs = QPushButton(tr("Take the server's"))
        self.merge = QPushButton(tr("Merge by hand (the Keep column)"))
        for b in (self.mine, self.theirs, self.merge):
            buttons.addButton(b, QDialogButtonBox.ActionRole)
        buttons.addButton(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        self.mine.clicked.connect(lambda: self._resolve("ours"))
        self.theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.merge.clicked.connect(lambda: self._resolve("merge"))
        box.addWidget(buttons)
        self._fill()
        self.resize(900, 420)

    def _fill(self) -> None:
        from ..core.sync import offline

        self.table.setRowCount(0)
        for c in offline.conflicts(self.path):
            dicts = [d for d in (c.base, c.theirs, c.ours) if isinstance(d, dict)]
            columns = sorted({k for d in dicts for k in d}) or [""]
            for column in columns:

                def cell(d: Any, col: str = column, table: str = c.table) -> str:
                    if d is None:
                        return tr("(deleted)")
                    return _plain(d.get(col), table, col) if isinstance(d, dict) else _plain(d, table, col)

                r = self.table.rowCount()
                self.table.insertRow(r)
                editable = c.kind == "columns" and column != "geom"
                ours = cell(c.ours)
                cells = (
                    f"{dberrors.row_kind(c.table)} {c.uid}",
                    _column(column),
                    cell(c.base),
                    cell(c.theirs),
                    ours,
                    ours,
                )
                for j, text in enumerate(cells):
                    item = QTableWidgetItem(text)  # plain text, never rich text
                    item.setData(Qt.UserRole, (c.id, column, c.kind))
                    if j == 5:
                        item.setData(RAW, (c.ours.get(column) if isinstance(c.ours, dict) else c.ours, ours))
                    if j != 5 or not editable:
                        item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                    self.table.setItem(r, j, item)

    def _resolve(self, choice: str) -> None:
        from ..core.sync import offline

        rows = {i.row() for i in self.table.selectedItems()} or set(range(self.table.rowCount()))
        by_id: dict[str, tuple[str, dict[str, Any]]] = {}
        for r in sorted(rows):
            cid, column, kind = self.table.item(r, 0).data(Qt.UserRole)
            values = by_id.setdefault(cid, (kind, {}))[1]
            if choice == "merge" and kind == "columns" and column != "geom":
                values[column] = _keep_value(self.table.item(r, 5))
        for cid, (kind, values) in by_id.items():
            how = choice
            if choice == "merge" and kind != "columns":
                log.warning(tr("A deletion or a case step cannot be merged by hand: keep yours or take the server's."))
                continue
            offline.resolve(self.path, cid, how, values if how == "merge" else None)
        self._fill()
        if self.table.rowCount() == 0:
            self.accept()


def unwatch_all() -> None:
    for dialog in list(DIALOGS.values()):
        dialog.reject()
    DIALOGS.clear()
    for watcher in list(WATCHED.values()):
        try:
            watcher.detach()
        except RuntimeError:
            pass
    WATCHED.clear()


__all__ = [
    "ConflictDialog",
    "watch_layers",
    "unwatch_all",
    "record_choices",
    "DIALOGS",
    "OfflineConflictDialog",
    "QgsMapLayer",
]
