"""gridgov:assessment: the three rates, item scores and rankings from the store, as a table, CSV and PDF."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.assessment import loader, report
from ..core.assessment.engine import UNIT_KINDS
from ..core.store import db
from .base import GridGovAlgorithm

UNIT_OPTIONS = ("all",) + UNIT_KINDS


def _layer(name: str, table: str, key: str, sql: str = "") -> QgsVectorLayer | None:
    try:
        uri = QgsDataSourceUri(db.uri_for(name))
    except db.ConnectionError_:
        return None
    uri.setDataSource("gridgov", table, "geom", sql, key)
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    return layer if layer.isValid() else None


class AssessmentAlgorithm(GridGovAlgorithm):
    ALG_ID = "assessment"
    ALG_NAME = "Assessment and rankings"
    GROUP_ID = "events"
    GROUP = "Events and cases"
    HELP = (
        "Scores and ranks streets, communities, departments and grid workers for a period from the cases in the "
        "database: response, resolution and satisfaction rates, cases handled on time, cases found by grid workers, "
        "cases returned and patrol coverage, each item switched on or off and weighted as set in "
        "gridgov.assessment_item, with the rank and score of the period before (same length) for the change. "
        "Writes a table, and optionally a CSV (UTF-8, opens in Excel) and a PDF report in Chinese with a map per "
        "street. Definitions: docs/assessment.md."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterProviderConnection("DATABASE", self.tr("Database connection"), "postgres")
        )
        self.addParameter(QgsProcessingParameterDateTime("START", self.tr("From")))
        self.addParameter(QgsProcessingParameterDateTime("END", self.tr("Until (exclusive)")))
        self.addParameter(
            QgsProcessingParameterEnum(
                "UNIT",
                self.tr("Units to rank"),
                options=[
                    self.tr("All"),
                    self.tr("Streets"),
                    self.tr("Communities"),
                    self.tr("Departments"),
                    self.tr("Grid workers"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "REOPEN_DAYS",
                self.tr("A case reopened within (days) is not resolved"),
                QgsProcessingParameterNumber.Double,
                defaultValue=7.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean("PATROL", self.tr("Include patrol coverage"), defaultValue=True)
        )
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Rankings"), QgsProcessing.TypeVector))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "CSV", self.tr("Rankings as CSV"), self.tr("CSV files (*.csv)"), optional=True, createByDefault=False
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "PDF", self.tr("Report as PDF"), self.tr("PDF files (*.pdf)"), optional=True, createByDefault=False
            )
        )

    def processAlgorithm(self, parameters, context, feedback):
        from .alg_events import _pydatetime

        name = self.parameterAsConnectionName(parameters, "DATABASE", context)
        if not name:
            raise QgsProcessingException(self.tr("Choose a database connection."))
        start = _pydatetime(self.parameterAsDateTime(parameters, "START", context))
        end = _pydatetime(self.parameterAsDateTime(parameters, "END", context))
        if start is None or end is None or not start < end:
            raise QgsProcessingException(self.tr("The period needs a start before its end."))
        choice = UNIT_OPTIONS[self.parameterAsEnum(parameters, "UNIT", context)]
        kinds = UNIT_KINDS if choice == "all" else (choice,)
        reopen = self.parameterAsDouble(parameters, "REOPEN_DAYS", context)
        with_patrol = self.parameterAsBool(parameters, "PATROL", context)
        try:
            conn = db.connect(name, application_name="gridgov-assessment")
        except db.ConnectionError_ as exc:
            raise QgsProcessingException(str(exc)) from exc
        rankings = {}
        patrol_rows = []
        try:
            data = loader.load(conn, start, end)
            items = loader.load_items(conn)
            if data.satisfaction_column is None:
                feedback.pushWarning(
                    self.tr(
                        "The database has no callback results yet: the satisfaction rate is left out of the scores."
                    )
                )
            patrol = previous = {}
            if with_patrol:
                feedback.pushInfo(self.tr("Computing patrol coverage from the stored tracks..."))
                patrol_rows = loader.patrol_coverage_from_store(conn, start, end)
                patrol = loader.patrol_by_unit(patrol_rows, data.grids)
                previous = loader.patrol_by_unit(
                    loader.patrol_coverage_from_store(conn, start - (end - start), start), data.grids
                )
            from ..core.assessment import engine as ae

            for i, kind in enumerate(kinds):
                if feedback.isCanceled():
                    return {}
                rankings[kind] = ae.assess(
                    data.cases,
                    kind,
                    start,
                    end,
                    items=items,
                    reopen_days=reopen,
                    patrol=patrol.get(kind),
                    previous_patrol=previous.get(kind),
                    workers=data.workers.get(kind),
                    names=data.names.get(kind),
                )
                feedback.setProgress(60.0 * (i + 1) / len(kinds))
        except QgsProcessingException:
            raise
        except Exception as exc:
            raise QgsProcessingException(
                self.tr("The assessment could not be computed: {0}", str(exc).strip())
            ) from exc
        finally:
            conn.close()

        fields = QgsFields()
        qtypes = {int: QVariant.Int, float: QVariant.Double, str: QVariant.String}
        for name, _label, kind in report.COLUMNS:
            fields.append(QgsField(name, qtypes[kind]))
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        for kind, scores in rankings.items():
            for r in report.values(kind, scores):
                f = QgsFeature(fields)
                f.setAttributes(r)
                sink.addFeature(f)
        del sink
        results = {"OUTPUT": dest}
        csv_path = self.parameterAsFileOutput(parameters, "CSV", context)
        if csv_path:
            report.write_csv(csv_path, rankings)
            results["CSV"] = csv_path
        pdf_path = self.parameterAsFileOutput(parameters, "PDF", context)
        if pdf_path:
            feedback.pushInfo(self.tr("Writing the PDF report..."))
            streets = _layer(name, "street", "code")
            grids = _layer(
                name, "grid", "id", "plan_id = (SELECT plan_id FROM gridgov.grid_plan WHERE status = 'published')"
            )
            report.write_pdf(pdf_path, rankings, start, end, streets, grids, report.grid_shares(patrol_rows))
            results["PDF"] = pdf_path
        feedback.setProgress(100)
        return results


ALGORITHMS = [AssessmentAlgorithm]
