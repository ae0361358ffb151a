"""Widgets shared by the docks: layer pickers by role, result tables, the dock base."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.gui import QgsDockWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, QVariant
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import labels, settings
from ..core.i18n import tr
from . import styles


class RoleLayerBox(QgsMapLayerComboBox):
    """A dock's layer picker for a role (the cameras, the grids…): it starts on the project's layer
    for the role and picks again whenever a project is opened, whose layers are new ones (a dock
    made before File > Open would otherwise stay empty)."""

    def __init__(self, role: str, filt, parent=None):
        super().__init__(parent)
        self.role = role
        self.setFilters(filt)
        self.setAllowEmptyLayer(True)
        self.pick()
        QgsProject.instance().readProject.connect(self._project_read)  # let go with the box

    def pick(self) -> None:
        layer = QgsProject.instance().mapLayer(settings.layer_for_role(self.role))
        if layer is None:
            # fall back to a layer named after the role (the demo project's names)
            layer = styles.find_layer_for_role(self.role)
        self.setLayer(layer)

    def _project_read(self, *_args) -> None:
        self.pick()


def layer_box(role: str, filt) -> QgsMapLayerComboBox:
    return RoleLayerBox(role, filt)


class ResultTable(QTableWidget):
    """A table of features of a result layer; clicking a row zooms the map to it."""

    def __init__(self, iface, headers: list[str], parent=None):
        super().__init__(0, len(headers), parent)
        self.iface = iface
        self.layer: QgsVectorLayer | None = None
        self.setHorizontalHeaderLabels(headers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.cellClicked.connect(self._zoom)

    def fill(
        self,
        layer: QgsVectorLayer,
        fields: list[str],
        order_by: str | None = None,
        limit: int = 500,
        request: QgsFeatureRequest | None = None,
        kinds: dict[str, str] | None = None,
    ) -> None:
        """Rows of ``fields``; a field named in ``kinds`` shows ``labels.label(kind, code)``, not its code."""
        self.layer = layer
        kinds = kinds or {}
        request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
        if order_by:
            request.addOrderBy(order_by, False)
        request.setLimit(limit)
        rows = list(layer.getFeatures(request))
        self.setRowCount(len(rows))
        for r, feat in enumerate(rows):
            for c, name in enumerate(fields):
                value = feat[name] if name in feat.fields().names() else ""
                if value is None or (isinstance(value, QVariant) and value.isNull()):
                    value = "–"  # a NULL (a blind spot outside every grid): a dash, not the word NULL
                elif name in kinds:
                    value = labels.label(kinds[name], value)
                item = QTableWidgetItem(
                    "" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))
                )
                item.setData(Qt.UserRole, feat.id())
                self.setItem(r, c, item)

    def _zoom(self, row: int, _col: int) -> None:
        if self.layer is None:
            return
        fid = self.item(row, 0).data(Qt.UserRole)
        self.layer.selectByIds([fid])
        canvas = self.iface.mapCanvas()
        canvas.zoomToSelected(self.layer)
        canvas.refresh()


class BaseDock(QgsDockWidget):
    OBJECT_NAME = ""
    TITLE = ""
    CAPABILITIES: tuple[str, ...] = ()  # core/deps.py keys: a banner says when their packages are missing

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(tr(self.TITLE))
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.setWidget(self.body)
        self.status = QLabel("")
        self.status.setWordWrap(True)

    def _finish(self, stretch: bool = True) -> None:
        """The banner for missing packages on top, the status line at the bottom; ``stretch=False``
        when the dock's own widgets should take the room left."""
        if self.CAPABILITIES:
            from .deps_ui import DependencyBanner

            self.layout_.insertWidget(0, DependencyBanner(self.CAPABILITIES))
        self.layout_.addWidget(self.status)
        if stretch:
            self.layout_.addStretch(1)
