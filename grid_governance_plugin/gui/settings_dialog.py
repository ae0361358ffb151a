"""Settings: which database connection, and which layers play which role."""

from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel, QgsProject
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from ..core import settings
from ..core.i18n import N_, tr
from ..core.store import db

ROLE_LABELS = {
    "grids": (N_("Grids"), QgsMapLayerProxyModel.PolygonLayer),
    "communities": (N_("Communities"), QgsMapLayerProxyModel.PolygonLayer),
    "buildings": (N_("Buildings / obstacles"), QgsMapLayerProxyModel.PolygonLayer),
    "roads": (N_("Roads"), QgsMapLayerProxyModel.LineLayer),
    "cameras": (N_("Cameras"), QgsMapLayerProxyModel.PointLayer),
    "events": (N_("Events"), QgsMapLayerProxyModel.PointLayer),
    "target": (N_("Area to watch (street space)"), QgsMapLayerProxyModel.PolygonLayer),
}


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("GridGovSettingsDialog")
        self.setWindowTitle(tr("Grid governance settings"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.connection = QComboBox()
        self.connection.addItem(tr("(GeoPackage only, no database)"), "")
        for name in db.connection_names():
            self.connection.addItem(name, name)
        current = settings.connection_name()
        idx = self.connection.findData(current)
        if idx >= 0:
            self.connection.setCurrentIndex(idx)
        form.addRow(tr("PostgreSQL connection"), self.connection)
        note = QLabel(
            tr(
                "Passwords are never stored by this plugin: use a QGIS authentication configuration or a pg_service name in the connection."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.role_boxes: dict[str, QgsMapLayerComboBox] = {}
        for role, (label, filt) in ROLE_LABELS.items():
            box = QgsMapLayerComboBox()
            box.setFilters(filt)
            box.setAllowEmptyLayer(True)
            layer = QgsProject.instance().mapLayer(settings.layer_for_role(role))
            box.setLayer(layer)
            self.role_boxes[role] = box
            form.addRow(tr(label), box)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        settings.set_connection_name(self.connection.currentData() or "")
        for role, box in self.role_boxes.items():
            layer = box.currentLayer()
            settings.set_layer_for_role(role, layer.id() if layer else "")
        super().accept()
