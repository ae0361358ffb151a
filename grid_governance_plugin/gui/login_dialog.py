"""An admin creates a login for a person (role and area) or a channel (sources): settings dialog › Logins."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QRegularExpression, Qt
from qgis.PyQt.QtGui import QRegularExpressionValidator
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from ..core.i18n import tr
from ..core.labels import label
from ..core.store import logins
from .case_card import _pg_message
from .why import set_available


class LoginDialog(QDialog):
    """Create one login; ``created`` holds its name once the database accepted it."""

    def __init__(self, conn: Any, parent=None):
        super().__init__(parent)
        self.setObjectName("GridGovLoginDialog")
        self.setWindowTitle(tr("Create a login"))
        self.conn = conn
        self.created: str | None = None
        lay = QVBoxLayout(self)
        note = QLabel(
            tr(
                "One login per person: the history records the login. The password is encrypted on this "
                "computer (SCRAM-SHA-256) and never sent in clear text."
            )
        )
        note.setWordWrap(True)
        lay.addWidget(note)
        form = QFormLayout()
        self.login = QLineEdit()
        self.login.setObjectName("login_name")
        self.login.setPlaceholderText(tr("e.g. {0}", "li_si"))
        self.login.setValidator(QRegularExpressionValidator(QRegularExpression("[a-z_][a-z0-9_]{0,62}"), self.login))
        form.addRow(tr("Login name"), self.login)
        self.role = QComboBox()
        self.role.setObjectName("login_role")
        for r in logins.ROLES:
            self.role.addItem(label("role", f"gridgov_{r}"), r)
            self.role.setItemData(self.role.count() - 1, tr(logins.ROLE_HELP[r]), Qt.ToolTipRole)
        self.role.currentIndexChanged.connect(self._role_changed)
        form.addRow(tr("Role"), self.role)
        self.area = QComboBox()
        self.area.setObjectName("login_area")
        self.area.setEditable(True)  # a grid code may be typed
        try:
            for code, text in logins.area_choices(conn):
                self.area.addItem(text, code)
        except Exception as exc:  # the list is a help; the database checks the code anyway
            self.area.setToolTip(tr("The areas could not be listed: {0}", _pg_message(exc)))
            conn.rollback()
        form.addRow(tr("Area"), self.area)
        self.sources = QLineEdit()
        self.sources.setObjectName("login_sources")
        self.sources.setPlaceholderText(tr("e.g. {0}", "app, 12345"))
        form.addRow(tr("Sources (channels)"), self.sources)
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.Password)
        form.addRow(tr("Password"), self.password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("login_repeat")
        self.repeat.setEchoMode(QLineEdit.Password)
        form.addRow(tr("Repeat the password"), self.repeat)
        lay.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("login_message")
        self.message.setTextFormat(Qt.PlainText)  # database messages echo what was typed
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("Create"))
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._role_changed()

    def _role_changed(self) -> None:
        channel = self.role.currentData() == "channel"
        set_available(self.area, not channel, tr("A channel has sources, not an area."))
        set_available(self.sources, channel, tr("Only a channel reports under sources."))

    def values(self) -> dict[str, Any]:
        text = self.area.currentText().strip()
        idx = self.area.findText(text)
        area = self.area.itemData(idx) if idx >= 0 else text.split(" ")[0]
        return {
            "login": self.login.text().strip(),
            "role": self.role.currentData(),
            "area": area or None,
            "password": self.password.text(),
            "repeat": self.repeat.text(),
            "sources": [s.strip() for s in self.sources.text().replace("，", ",").split(",") if s.strip()],
        }

    def create(self) -> bool:
        v = self.values()
        errors = logins.check(v["login"], v["role"], v["area"], v["password"], v["repeat"], v["sources"])
        if errors:
            self.message.setText("\n".join(errors))
            return False
        try:
            logins.create(self.conn, v["login"], v["role"], v["area"], v["password"], v["sources"])
        except Exception as exc:
            self.message.setText(tr("The database refused: {0}", _pg_message(exc)))
            return False
        self.created = v["login"]
        self.password.clear()
        self.repeat.clear()
        self.accept()
        return True
