"""The Events and cases dock: filters, case list, case card, actions."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsMapLayerProxyModel
from qgis.PyQt.QtWidgets import QFormLayout, QLabel, QPushButton

from ..core.i18n import tr
from .widgets import BaseDock, ResultTable, layer_box


class EventsDock(BaseDock):
    OBJECT_NAME = "GridGovEventsDock"
    TITLE = "Events and cases"

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        form = QFormLayout()
        self.events = layer_box("events", QgsMapLayerProxyModel.PointLayer)
        form.addRow(tr("Events"), self.events)
        self.layout_.addLayout(form)
        self.cases = ResultTable(iface, [tr("Category"), tr("Status"), tr("Deadline"), tr("Grid")])
        self.layout_.addWidget(QLabel(tr("Open cases past their deadline")))
        self.layout_.addWidget(self.cases)
        self.refresh_button = QPushButton(tr("Show overdue cases"))
        self.refresh_button.clicked.connect(self.show_overdue)
        self.layout_.addWidget(self.refresh_button)
        self._finish()

    def show_overdue(self) -> None:
        layer = self.events.currentLayer()
        if layer is None:
            self.status.setText(tr("Choose the events layer first."))
            return
        request = QgsFeatureRequest().setFilterExpression(
            "status NOT IN ('closed', 'void') AND deadline_at < now()"
        )
        self.cases.fill(layer, ["category_code", "status", "deadline_at", "grid_code"], request=request)
        self.status.setText(tr("{0} overdue case(s) shown.", self.cases.rowCount()))
