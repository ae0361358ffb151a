"""Offline working copies (issue #11, docs/sync.md): check out an area, sync it back."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterGeometry,
    QgsProcessingParameterString,
)

from ..core import dberrors
from ..core.i18n import N_
from ..core.store import db
from .alg_store import database_parameter
from .base import GridGovAlgorithm


def _connect(alg: GridGovAlgorithm, parameters, context):
    name = alg.parameterAsConnectionName(parameters, "DATABASE", context)
    if not name:
        raise QgsProcessingException(alg.tr("Choose a database connection."))
    try:
        return db.connect(name, application_name="gridgov-offline")
    except db.ConnectionError_ as exc:
        raise QgsProcessingException(str(exc)) from exc


class CheckoutAlgorithm(GridGovAlgorithm):
    ALG_ID = "checkout"
    ALG_NAME = "Check out an area for offline work"
    GROUP_ID = "store"
    GROUP = "Store"
    HELP = (
        "Copies a street, community or grid (by its code), or the area inside a drawn polygon, into a GeoPackage: "
        "its grids, cameras, buildings, grid workers, open cases and the responsibility list, as your login sees "
        "them. Edit it and move cases without a connection, then run 'Sync an offline copy'."
    )
    AREA = "AREA"
    POLYGON = "POLYGON"
    OUTPUT = "OUTPUT"
    FEATURES = "FEATURES"

    def initAlgorithm(self, config=None):
        self.addParameter(database_parameter())
        self.addParameter(
            QgsProcessingParameterString(self.AREA, self.tr("Street, community or grid code"), optional=True)
        )
        self.addParameter(QgsProcessingParameterGeometry(self.POLYGON, self.tr("Or a polygon"), optional=True))
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("GeoPackage"), self.tr("GeoPackage (*.gpkg)"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.FEATURES, self.tr("Features checked out")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.sync import offline

        area = (self.parameterAsString(parameters, self.AREA, context) or "").strip() or None
        wkt = None
        geom = self.parameterAsGeometry(parameters, self.POLYGON, context)
        if geom is not None and not geom.isEmpty():
            crs = self.parameterAsGeometryCrs(parameters, self.POLYGON, context)
            target = QgsCoordinateReferenceSystem("EPSG:4490")
            if crs.isValid() and crs != target:
                geom.transform(QgsCoordinateTransform(crs, target, context.transformContext()))
            wkt = geom.asWkt()
        if not area and not wkt:
            raise QgsProcessingException(self.tr("Give the code of a street, community or grid, or draw a polygon."))
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        conn = _connect(self, parameters, context)
        try:
            counts = offline.checkout(conn, path, area=area, polygon_wkt=wkt)
        except Exception as exc:
            raise QgsProcessingException(
                self.tr("The area could not be checked out: {0}", dberrors.explain(exc))
            ) from exc
        finally:
            conn.close()
        for table, n in sorted(counts.items()):
            feedback.pushInfo(self.tr("{0}: {1} row(s)", table, n))
        return {self.OUTPUT: path, self.FEATURES: sum(counts.values())}


class SyncOfflineAlgorithm(GridGovAlgorithm):
    ALG_ID = "syncoffline"
    ALG_NAME = "Sync an offline copy"
    GROUP_ID = "store"
    GROUP = "Store"
    HELP = (
        "Sends the changes made in an offline copy (old and new values) and brings down what others changed, new "
        "cases and deletions. A change of the same field on both sides, an edit of something deleted meanwhile, "
        "or a case moved both offline and online becomes a conflict kept in the copy, never applied silently; a "
        "change the server refuses is kept with its reason. Running it again changes nothing more."
    )
    PACKAGE = "PACKAGE"
    APPLIED = "APPLIED"
    CONFLICTS = "CONFLICTS"
    REFUSED = "REFUSED"
    RECEIVED = "RECEIVED"

    def initAlgorithm(self, config=None):
        self.addParameter(database_parameter())
        self.addParameter(
            QgsProcessingParameterFile(self.PACKAGE, self.tr("Offline copy (GeoPackage)"), extension="gpkg")
        )
        for key, text in (
            (self.APPLIED, N_("Changes applied")),
            (self.CONFLICTS, N_("Conflicts to resolve")),
            (self.REFUSED, N_("Changes refused (kept)")),
            (self.RECEIVED, N_("Changes received")),
        ):
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(text)))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.sync import offline

        path = self.parameterAsFile(parameters, self.PACKAGE, context)
        conn = _connect(self, parameters, context)
        try:
            rep = offline.sync(conn, path)
        except Exception as exc:
            # the batch rolled back: nothing half-written, the copy keeps every change
            raise QgsProcessingException(
                self.tr("The sync stopped; your offline changes are kept. Try again: {0}", dberrors.explain(exc))
            ) from exc
        finally:
            conn.close()
        feedback.pushInfo(
            self.tr(
                "{0} change(s) applied, {1} received, {2} conflict(s), {3} refused.",
                rep.applied + rep.merged,
                rep.received,
                rep.conflicts,
                rep.refused,
            )
        )
        for c in offline.conflicts(path):
            feedback.reportError(
                self.tr("Conflict in {0} {1}: resolve it in the offline copy.", dberrors.row_kind(c.table), c.uid)
            )
        for message in rep.messages:
            feedback.pushWarning(message)
        return {
            self.APPLIED: rep.applied + rep.merged,
            self.CONFLICTS: rep.conflicts,
            self.REFUSED: rep.refused,
            self.RECEIVED: rep.received,
        }


ALGORITHMS = [CheckoutAlgorithm, SyncOfflineAlgorithm]
