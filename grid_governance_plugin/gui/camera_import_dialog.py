"""Importing cameras from the dock: file dialog, options, the importer, a layer and the report dialog."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerUtils,
)
from qgis.PyQt.QtCore import QDate, Qt
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
# what happened to a value, said as it is: only a value read another way is "corrected"
LEVEL_LABELS = {
    "error": N_("Row skipped"),
    "corrected": N_("Corrected"),
    "warning": N_("Not used / to check"),
    "info": N_("Defaulted or converted"),
}


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

    def __init__(self, result: ImportResult, parent=None, where: str = ""):
        super().__init__(parent)
        self.setObjectName("GridGovImportReport")
        self.setWindowTitle(tr("Camera import report"))
        self.result = result
        layout = QVBoxLayout(self)
        counts = report_summary(result)
        self.summary = QLabel(
            tr(
                "{0} cameras imported; {1} rows skipped, {2} values corrected, {3} values not used or to check, "
                "{4} defaulted or converted.",
                counts["cameras"],
                counts["error"],
                counts["corrected"],
                counts["warning"],
                counts["info"],
            )
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.where = QLabel(where)
        self.where.setObjectName("GridGovImportWhere")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
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
        order = {"error": 0, "corrected": 1, "warning": 2, "info": 3}
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


def store_camera_layer(candidate: QgsVectorLayer | None = None) -> QgsVectorLayer | None:
    """The camera store's layer: ``candidate`` when it is one (GeoPackage 'camera' or PostGIS
    gridgov.camera), else the first such layer of the project."""
    layers = [candidate] if candidate is not None else []
    layers += list(QgsProject.instance().mapLayers().values())
    for layer in layers:
        if isinstance(layer, QgsVectorLayer) and layer.isValid() and styles.table_name(layer) == "camera":
            return layer
    return None


def write_to_store(layer: QgsVectorLayer, cameras: list[dict]) -> tuple[int, int]:
    """Write imported cameras into the store's camera layer in one commit: a device id already in
    the store updates that camera (a corrected list re-imported), others are added.
    Returns (added, updated); raises RuntimeError with the store's message when it refuses."""
    names = layer.fields().names()
    id_idx = layer.fields().lookupField("device_id")
    existing: dict[str, int] = {}
    if id_idx >= 0:
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([id_idx])
        for f in layer.getFeatures(request):
            if f[id_idx]:
                existing[str(f[id_idx])] = f.id()
    xform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(f"EPSG:{STORAGE_EPSG}"), layer.crs(), QgsProject.instance()
    )
    pk = set(layer.primaryKeyAttributes())
    was_editing = layer.isEditable()
    if not was_editing and not layer.startEditing():
        raise RuntimeError(tr("The camera layer {0} cannot be edited.", layer.name()))
    added = updated = 0
    layer.beginEditCommand(tr("Import {0} cameras", len(cameras)))
    for cam in cameras:
        geom = QgsGeometry.fromPointXY(QgsPointXY(cam["lon"], cam["lat"]))
        geom.transform(xform)
        values = {}
        for i, name in enumerate(names):
            if i in pk or name not in cam or name == "id":
                continue
            v = cam[name]
            if name == "installed_at" and v is not None:
                v = QDate(v.year, v.month, v.day)
            values[i] = v
        fid = existing.get(str(cam.get("device_id"))) if cam.get("device_id") else None
        if fid is not None:
            layer.changeGeometry(fid, geom)
            for i, v in values.items():
                if v is not None:
                    layer.changeAttributeValue(fid, i, v)
            updated += 1
        else:
            feat = QgsVectorLayerUtils.createFeature(layer, geom, values)
            for i in pk:
                feat.setAttribute(i, None)  # the store numbers it
            layer.addFeature(feat)
            added += 1
    layer.endEditCommand()
    if not was_editing:
        if not layer.commitChanges():
            errors = "; ".join(layer.commitErrors())
            layer.rollBack()
            raise RuntimeError(tr("The camera store refused the import: {0}", errors))
    layer.triggerRepaint()
    return added, updated


def import_cameras_interactive(iface, parent=None, path: str | None = None, show_report: bool = True, target=None):
    """File dialog -> options -> importer -> the camera store (or a new layer) -> the report dialog.

    The cameras go into the store's camera layer (``target``, else the project's) so the whole
    team has them; only without a store do they land in a new temporary layer, which says so.
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
    store = store_camera_layer(target)
    if store is not None:
        result = run_import(path, "auto", import_defaults(coord_sys))
        added, updated = write_to_store(store, result.cameras)
        layer = store
        where = tr("{0} cameras added to and {1} updated in the camera store ({2}).", added, updated, store.name())
    else:
        layer, result = import_to_layer(path, "auto", import_defaults(coord_sys))
        layer.setName(tr("Imported cameras ({0})", Path(path).stem))
        styles.apply(layer, "camera")
        QgsProject.instance().addMapLayer(layer)
        where = tr(
            "No camera store layer in the project: the cameras are in the temporary layer {0}. "
            "Save it, or add the store's camera layer and import again.",
            layer.name(),
        )
    dialog = ImportReportDialog(result, parent, where)
    if show_report:
        dialog.show()
    return layer, result, dialog
