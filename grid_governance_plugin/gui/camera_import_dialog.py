"""Importing cameras from the dock: file dialog, options, the importer, a layer and the report dialog."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.coverage.importers import COORD_SYSTEMS, ImportDefaults, ImportResult, report_summary
from ..core.i18n import N_, tr
from ..core.store.schema import STORAGE_EPSG
from ..processing.alg_camera_import import COORD_LABELS, camera_fields, run_import, write_cameras
from . import styles
from .camera_tool import camera_default

FILE_FILTER = N_("Camera lists (*.csv *.txt *.xlsx *.geojson *.json *.gpkg *.osm);;All files (*)")
LEVEL_LABELS = {"error": N_("Skipped"), "warning": N_("Corrected"), "info": N_("Defaulted")}


def import_defaults(coord_sys: str = "wgs84") -> ImportDefaults:
    """Import defaults from the same plugin settings the camera tool uses."""
    return ImportDefaults(
        hfov=float(camera_default("default_hfov")),
        range_m=float(camera_default("range_m")),
        height_m=float(camera_default("height_m")),
        system=camera_default("system") or None,
        status=camera_default("status") or "online",
        coord_sys=coord_sys,
    )


def import_to_layer(
    path: str, fmt: str = "auto", defaults: ImportDefaults | None = None, name: str | None = None
) -> tuple[QgsVectorLayer, ImportResult]:
    """Run the importer and put the cameras into a new memory layer (EPSG:4490, store fields)."""
    result = run_import(path, fmt, defaults or import_defaults())
    fields = camera_fields()
    layer = QgsVectorLayer(f"Point?crs=EPSG:{STORAGE_EPSG}", name or Path(path.split("|")[0]).stem, "memory")
    layer.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{STORAGE_EPSG}"))
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    write_cameras(layer.dataProvider(), layer.fields(), result.cameras)
    layer.updateExtents()
    return layer, result


class ImportOptionsDialog(QDialog):
    """Coordinate system of a device list (GCJ-02/BD-09 lists from Chinese map services)."""

    def __init__(self, path: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Import cameras"))
        form = QFormLayout(self)
        form.addRow(tr("File"), QLabel(Path(path).name))
        self.coords = QComboBox()
        for code, label in zip(COORD_SYSTEMS, COORD_LABELS):
            self.coords.addItem(tr(label), code)
        form.addRow(tr("Coordinates of the device list"), self.coords)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def coord_sys(self) -> str:
        return self.coords.currentData()


class ImportReportDialog(QDialog):
    """What was imported, and every row that was skipped (first), corrected or defaulted, and why."""

    def __init__(self, result: ImportResult, parent=None):
        super().__init__(parent)
        self.setObjectName("GridGovImportReport")
        self.setWindowTitle(tr("Camera import report"))
        self.result = result
        layout = QVBoxLayout(self)
        counts = report_summary(result)
        self.summary = QLabel(
            tr(
                "{0} cameras imported; {1} rows skipped, {2} values corrected, {3} defaulted.",
                counts["cameras"],
                counts["error"],
                counts["warning"],
                counts["info"],
            )
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.show_info = QCheckBox(tr("Also list defaulted values"))
        self.show_info.toggled.connect(self.fill)
        layout.addWidget(self.show_info)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("Row / node"), tr("Field"), tr("What happened"), tr("Why")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.fill()

    def rows(self) -> list:
        order = {"error": 0, "warning": 1, "info": 2}
        keep = [m for m in self.result.report if m.level != "info" or self.show_info.isChecked()]
        return sorted(keep, key=lambda m: order.get(m.level, 3))

    def fill(self, *_args) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            for c, text in enumerate((str(m.ref), m.field, tr(LEVEL_LABELS.get(m.level, m.level)), m.text)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()


def import_cameras_interactive(iface, parent=None, path: str | None = None, show_report: bool = True):
    """File dialog -> options -> importer -> a new styled layer in the project -> the report dialog.

    Returns (layer, result, report dialog) or None when cancelled.
    """
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, tr("Import cameras"), "", tr(FILE_FILTER))
        if not path:
            return None
    coord_sys = "wgs84"
    if Path(path).suffix.lower() in (".csv", ".txt", ".xlsx", ".xlsm") and show_report:
        options = ImportOptionsDialog(path, parent)
        if not options.exec_():
            return None
        coord_sys = options.coord_sys()
    layer, result = import_to_layer(path, "auto", import_defaults(coord_sys))
    layer.setName(tr("Imported cameras ({0})", Path(path).stem))
    styles.apply(layer, "camera")
    QgsProject.instance().addMapLayer(layer)
    dialog = ImportReportDialog(result, parent)
    if show_report:
        dialog.show()
    return layer, result, dialog
