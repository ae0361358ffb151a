"""Settings: which database connection, and which layers play which role."""

from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel, QgsProject
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

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


def connection_choices() -> list[tuple[str, str]]:
    """(what the user reads, connection reference) for every connection this QGIS can use:
    none, the QGIS PostgreSQL connections (which may use auth configurations) and pg_services."""
    out = [(tr("(GeoPackage only, no database)"), "")]
    for name in db.connection_names():
        out.append((tr("{0} – QGIS connection", name), name))
    for service in db.service_names():
        out.append((tr("{0} – pg_service", service), f"service={service}"))
    return out


def reference_from_text(text: str) -> str:
    """A connection reference from what the user typed: a QGIS connection name, ``service=NAME``,
    or a bare name of a pg_service."""
    text = text.strip()
    if not text or text.startswith("service=") or text in db.connection_names():
        return text
    if text in db.service_names():
        return f"service={text}"
    return text


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("GridGovSettingsDialog")
        self.setWindowTitle(tr("Grid governance settings"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.connection = QComboBox()
        self.connection.setObjectName("GridGovConnection")
        self.connection.setEditable(True)  # a service name can also be typed
        self.connection.setToolTip(
            tr(
                "A QGIS PostgreSQL connection (Data Source Manager › PostgreSQL; it may use an authentication "
                "configuration), a pg_service name, or type service=NAME."
            )
        )
        for label, ref in connection_choices():
            self.connection.addItem(label, ref)
        self.set_reference(settings.connection_name())
        row = QHBoxLayout()
        row.addWidget(self.connection, 1)
        self.test_button = QPushButton(tr("Test"))
        self.test_button.setObjectName("GridGovTestConnection")
        self.test_button.clicked.connect(self.test_connection)
        row.addWidget(self.test_button)
        form.addRow(tr("PostgreSQL connection"), row)
        self.test_result = QLabel("")
        self.test_result.setObjectName("GridGovConnectionResult")
        self.test_result.setWordWrap(True)
        form.addRow(self.test_result)
        self.in_project = QCheckBox(tr("Remember this connection in the project"))
        self.in_project.setObjectName("GridGovConnectionInProject")
        self.in_project.setToolTip(
            tr("Whoever opens the project uses this connection (only its name is saved, never a password).")
        )
        self.in_project.setChecked(settings.project_connection_name() is not None)
        form.addRow(self.in_project)
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

    def set_reference(self, ref: str) -> None:
        idx = self.connection.findData(ref)
        if idx < 0 and ref:
            # a reference this machine does not list (a service in another file): keep it as typed
            self.connection.addItem(ref, ref)
            idx = self.connection.count() - 1
        self.connection.setCurrentIndex(max(idx, 0))

    def reference(self) -> str:
        """The chosen connection reference (a listed entry, or what was typed)."""
        text = self.connection.currentText()
        idx = self.connection.findText(text)
        if idx >= 0:
            return self.connection.itemData(idx) or ""
        return reference_from_text(text)

    def test_connection(self) -> bool:
        ref = self.reference()
        if not ref:
            self.test_result.setText(tr("No database: the plugin works on GeoPackage layers, read-only for cases."))
            return False
        try:
            conn = db.connect(ref, "gridgov-settings")
        except Exception as exc:  # ConnectionError_, or a bad reference
            self.test_result.setText(tr("Cannot connect: {0}", str(exc).strip()))
            return False
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT current_database(), current_user, to_regclass('gridgov.event') IS NOT NULL")
                dbname, user, has_schema = cur.fetchone()
        finally:
            conn.close()
        text = tr("Connected to {0} as {1}.", dbname, user)
        if not has_schema:
            text += " " + tr(
                "The gridgov schema is not installed there yet (menu: Install or upgrade the database schema…)."
            )
        self.test_result.setText(text)
        return True

    def accept(self) -> None:
        settings.set_connection_name(self.reference(), self.in_project.isChecked())
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
