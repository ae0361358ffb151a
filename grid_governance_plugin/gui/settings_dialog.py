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
        self._add_logins(layout)
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

    # -- logins (docs/roles.md): who you are in the database; an admin creates logins for others
    def _add_logins(self, layout) -> None:
        from qgis.PyQt.QtCore import Qt, QTimer
        from qgis.PyQt.QtWidgets import QGroupBox, QHBoxLayout, QPushButton

        box = QGroupBox(tr("Logins"))
        row = QHBoxLayout(box)
        self.login_info = QLabel("")
        self.login_info.setObjectName("login_info")
        self.login_info.setTextFormat(Qt.PlainText)
        self.login_info.setWordWrap(True)
        self.create_login_button = QPushButton(tr("Create a login…"))
        self.create_login_button.setObjectName("create_login")
        self.create_login_button.setToolTip(tr("A login for a person (role and area) or a field channel (sources)."))
        self.create_login_button.clicked.connect(self.create_login)
        row.addWidget(self.login_info, 1)
        row.addWidget(self.create_login_button)
        layout.addWidget(box)
        self.connection.currentIndexChanged.connect(lambda _i: self.refresh_login_info())
        QTimer.singleShot(0, self.refresh_login_info)  # the dialog shows first; the database may be far

    def refresh_login_info(self):
        """Ask the chosen database who we are; the Access, or None without one."""
        from ..core.store.access import Access
        from .why import set_available

        name = self.connection.currentData()
        if not name:
            self.login_info.setText(tr("No database: logins live in PostGIS."))
            set_available(self.create_login_button, False, tr("Choose a PostgreSQL connection first."))
            return None
        try:
            conn = db.connect(name, "gridgov-settings")
            try:
                acc = Access.load(conn)
            finally:
                conn.close()
        except Exception as exc:
            self.login_info.setText(tr("Cannot ask the database who you are: {0}", str(exc).strip()))
            set_available(self.create_login_button, False, tr("The database cannot be reached."))
            return None
        self.login_info.setText(acc.describe())
        set_available(self.create_login_button, acc.can("manage_logins"), acc.why_not("manage_logins"))
        return acc

    def create_login(self):
        """The login dialog on the chosen database; the name of the login created, or None."""
        from .login_dialog import LoginDialog

        conn = db.connect(self.connection.currentData(), "gridgov-logins")
        try:
            dlg = LoginDialog(conn, self)
            dlg.exec_()
            if dlg.created:
                self.login_info.setText(tr("Login {0} created.", dlg.created))
            return dlg.created
        finally:
            conn.close()
