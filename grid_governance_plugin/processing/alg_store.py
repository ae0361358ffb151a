"""Store algorithms: install/upgrade the PostGIS schema, generate the demo city."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)

from ..core import dberrors
from ..core.i18n import N_, tr
from ..core.store import db, migrations
from .base import GridGovAlgorithm


def database_parameter(
    name: str = "DATABASE", description: str = N_("Database connection")
) -> QgsProcessingParameterProviderConnection:
    """A QGIS PostgreSQL connection name (``service=NAME`` is accepted too)."""
    return QgsProcessingParameterProviderConnection(name, tr(description), "postgres")


class InstallSchemaAlgorithm(GridGovAlgorithm):
    ALG_ID = "installschema"
    ALG_NAME = "Install or upgrade the database schema"
    GROUP_ID = "store"
    GROUP = "Store"
    HELP = (
        "Creates the gridgov schema in a PostGIS database, or upgrades it, by applying the plugin's numbered "
        "migrations that are not yet applied. Running it again on an up-to-date database changes nothing. "
        "The connection is a QGIS PostgreSQL connection (its credentials stay in QGIS's authentication "
        "database or a pg_service file) or 'service=NAME'."
    )
    DATABASE = "DATABASE"
    VERSION = "VERSION"
    APPLIED = "APPLIED"

    def initAlgorithm(self, config=None):
        self.addParameter(database_parameter(self.DATABASE))
        self.addOutput(QgsProcessingOutputNumber(self.VERSION, self.tr("Schema version")))
        self.addOutput(QgsProcessingOutputString(self.APPLIED, self.tr("Migrations applied")))

    def processAlgorithm(self, parameters, context, feedback):
        name = self.parameterAsConnectionName(parameters, self.DATABASE, context)
        if not name:
            raise QgsProcessingException(self.tr("Choose a database connection."))
        try:
            conn = db.connect(name, application_name="gridgov-installschema")
        except db.ConnectionError_ as exc:
            raise QgsProcessingException(str(exc)) from exc
        try:
            done = migrations.migrate(conn, feedback=feedback)
            version = max(migrations.applied(conn), default=0)
        except Exception as exc:
            raise QgsProcessingException(
                self.tr("The schema could not be installed: {0}", dberrors.explain(exc))
            ) from exc
        finally:
            conn.close()
        if done:
            feedback.pushInfo(self.tr("Applied {0} migration(s); schema version is now {1}.", len(done), version))
        else:
            feedback.pushInfo(self.tr("The schema is up to date (version {0}).", version))
        return {self.VERSION: version, self.APPLIED: ",".join(f"{m.version:03d}_{m.name}" for m in done)}


class GenerateDemoAlgorithm(GridGovAlgorithm):
    ALG_ID = "generatedemo"
    ALG_NAME = "Generate demo city"
    GROUP_ID = "store"
    GROUP = "Store"
    HELP = (
        "Writes a generated district (streets, buildings, communities, grids, departmental grids, cameras and two "
        "years of events) into a GeoPackage store. The same seed always gives the same city. Scale 'city' "
        "generates a whole city for benchmarks."
    )
    SEED = "SEED"
    SCALE = "SCALE"
    SCALE_FACTOR = "SCALE_FACTOR"
    OUTPUT = "OUTPUT"
    SCALES = ("demo", "city")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterNumber(self.SEED, self.tr("Random seed"), defaultValue=42))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.SCALE, self.tr("Scale"), options=[self.tr("Demo district"), self.tr("City")], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.SCALE_FACTOR, self.tr("Scale factor (overrides scale)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("GeoPackage"), self.tr("GeoPackage (*.gpkg)"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        from ..core import democity
        from ..core.store import gpkg

        seed = self.parameterAsInt(parameters, self.SEED, context)
        factor = (self.parameterAsString(parameters, self.SCALE_FACTOR, context) or "").strip()
        scale = self.SCALES[self.parameterAsEnum(parameters, self.SCALE, context)]
        if factor:
            try:
                scale = float(factor)
            except ValueError as exc:
                raise QgsProcessingException(self.tr("The scale factor '{0}' is not a number.", factor)) from exc
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        feedback.pushInfo(self.tr("Generating the city (seed {0}, scale {1})...", seed, scale))
        city = democity.generate(seed=seed, scale=scale)
        feedback.setProgress(50)
        if feedback.isCanceled():
            return {}
        gpkg.write_city(city, path)
        feedback.setProgress(100)
        return {self.OUTPUT: path}


ALGORITHMS = [InstallSchemaAlgorithm, GenerateDemoAlgorithm]
