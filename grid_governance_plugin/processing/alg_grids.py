"""Processing algorithms of the grid planning group (validate, statistics, unify, partition, codes).

They read layers into shapely arrays in a metric CRS (``metric_crs_for``), call
``core.grids`` and write results back in the CRS of the main input. Inputs are never
modified: every result goes to a new sink. Invalid geometries are read as they are
(the context's invalid-geometry filter is bypassed) so the algorithms can name them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.crs import CrsError, metric_crs_for
from ..core.grids import assign_codes, grid_stats, partition_area, unify_grids, validate_grids
from ..core.grids._geom import make_valid_array
from ..core.grids.unify import DeptLayer
from ..core.grids.validate import assign_parents
from ..core.i18n import tr
from ..core.store.qgsio import FeatureArrays, read_source, write_features
from .base import GridGovAlgorithm


# ----------------------------------------------------------------------------- helpers
def _fields(spec: list[tuple[str, Any]]) -> QgsFields:
    fields = QgsFields()
    for name, kind in spec:
        fields.append(QgsField(name, kind))
    return fields


def _source(alg, parameters, name: str, context: QgsProcessingContext, required: bool = True):
    """parameterAsSource without the context's invalid-geometry filter (we report them ourselves)."""
    old = context.invalidGeometryCheck()
    context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
    try:
        source = alg.parameterAsSource(parameters, name, context)
    finally:
        context.setInvalidGeometryCheck(old)
    if source is None and required:
        raise QgsProcessingException(alg.invalidSourceError(parameters, name))
    return source


def _metric(source, feedback: QgsProcessingFeedback) -> QgsCoordinateReferenceSystem:
    try:
        return metric_crs_for(source.sourceCrs(), source.sourceExtent())
    except CrsError as exc:
        raise QgsProcessingException(str(exc)) from exc


def _same_crs_note(main, other, label: str, metric, feedback) -> None:
    if other is not None and other.sourceCrs() != main.sourceCrs():
        feedback.pushInfo(
            tr(
                "{0} are in {1}, the grids in {2}: both are reprojected to {3} for the analysis.",
                label,
                other.sourceCrs().authid(),
                main.sourceCrs().authid(),
                metric.authid(),
            )
        )


def _read(source, crs, fields, feedback) -> FeatureArrays:
    names = [f for f in fields if f and source.fields().lookupField(f) >= 0]
    arrays = read_source(source, crs, names, feedback)
    for fid, reason in arrays.skipped:
        feedback.pushWarning(tr("Feature {0} skipped: {1}", fid, reason))
    return arrays


def _repair_report(arrays: FeatureArrays, label: str, feedback) -> None:
    """Warn (naming features) about missing or invalid geometries the engine will repair in memory."""
    geoms = arrays.geoms
    for i in np.flatnonzero(shapely.is_missing(geoms)):
        feedback.pushWarning(tr("{0}: feature {1} has no geometry and is ignored.", label, int(arrays.fids[i])))
    present = ~shapely.is_missing(geoms)
    bad = np.flatnonzero(present & ~shapely.is_valid(geoms))
    for i in bad[:50]:
        feedback.pushWarning(
            tr(
                "{0}: feature {1} has an invalid geometry ({2}); it is repaired in memory only.",
                label,
                int(arrays.fids[i]),
                shapely.is_valid_reason(geoms[i]),
            )
        )
    if len(bad) > 50:
        feedback.pushWarning(tr("{0}: {1} more invalid geometries.", label, len(bad) - 50))


def _values(arrays: FeatureArrays, field: str | None, default: Any = None) -> list[Any]:
    if not field:
        return [default] * len(arrays)
    return [a.get(field, default) for a in arrays.attributes]


def _numbers(arrays: FeatureArrays, field: str | None, label: str, feedback) -> np.ndarray:
    out = np.zeros(len(arrays))
    bad: list[int] = []
    for i, v in enumerate(_values(arrays, field)):
        try:
            out[i] = float(v) if v is not None else 0.0
        except (TypeError, ValueError):
            bad.append(int(arrays.fids[i]))
    if bad:
        feedback.pushWarning(
            tr(
                "{0}: the field '{1}' is not a number in features {2}; counted as 0.",
                label,
                field,
                ", ".join(map(str, bad[:20])),
            )
        )
    return out


def _to_input(metric, target, feedback=None) -> QgsCoordinateTransform | None:
    return None if metric == target else QgsCoordinateTransform(metric, target, QgsProject.instance())


def _field_or_warn(source, name: str, label: str, feedback) -> str | None:
    if not name:
        return None
    if source.fields().lookupField(name) < 0:
        feedback.pushWarning(tr("{0} has no field '{1}'.", label, name))
        return None
    return name


class _Base(GridGovAlgorithm):
    GROUP_ID = "grids"
    GROUP = "Grid planning"


# ------------------------------------------------------------------------------ validate
class ValidateGridsAlgorithm(_Base):
    ALG_ID = "validategrids"
    ALG_NAME = "Validate grids"
    HELP = (
        "Checks a grid layer and lists one feature per problem, placed where the problem is: invalid geometry, "
        "overlap between grids, gap (part of a community not covered, or without communities a hole enclosed by "
        "grids), grid outside its community, multipart grid, duplicate code, code not following the rule "
        "county 6 + street 3 + community 3 + grid 3 digits. Areas under 0.01 m² are ignored. The input is not changed."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource("GRIDS", tr("Grids"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "PARENTS", tr("Communities (parents)"), [QgsProcessing.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField("CODE_FIELD", tr("Grid code field"), "grid_code", "GRIDS", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                "PARENT_CODE_FIELD", tr("Community code field"), "code", "PARENTS", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("Grid problems"), QgsProcessing.TypeVectorPolygon)
        )

    def processAlgorithm(self, parameters, context, feedback):
        grids = _source(self, parameters, "GRIDS", context)
        parents = _source(self, parameters, "PARENTS", context, required=False)
        metric = _metric(grids, feedback)
        _same_crs_note(grids, parents, tr("The communities"), metric, feedback)
        code_field = _field_or_warn(
            grids, self.parameterAsString(parameters, "CODE_FIELD", context), tr("The grid layer"), feedback
        )
        g = _read(grids, metric, [code_field] if code_field else [], feedback)
        codes = _values(g, code_field, None)
        p = pc = None
        if parents is not None:
            pfield = _field_or_warn(
                parents,
                self.parameterAsString(parameters, "PARENT_CODE_FIELD", context),
                tr("The community layer"),
                feedback,
            )
            pa = _read(parents, metric, [pfield] if pfield else [], feedback)
            p, pc = pa.geoms, _values(pa, pfield, None)
        if feedback.isCanceled():
            return {}
        if code_field is None:
            feedback.pushWarning(tr("No grid code field: the code checks are skipped."))
        problems = validate_grids(g.geoms, codes, g.fids, p, pc, check_codes=code_field is not None, feedback=feedback)
        if feedback.isCanceled():
            return {}
        fields = _fields(
            [
                ("error_type", QVariant.String),
                ("grid_codes", QVariant.String),
                ("grid_fids", QVariant.String),
                ("message", QVariant.String),
                ("area_m2", QVariant.Double),
            ]
        )
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, grids.sourceCrs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        rows = []
        for n_pr, pr in enumerate(problems):
            geom = pr.geometry
            if geom is not None and shapely.get_type_id(geom) == 3:
                geom = shapely.multipolygons([geom])
            rows.append(
                (
                    geom,
                    [
                        pr.error_type,
                        ",".join(c for c in pr.codes if c),
                        ",".join(map(str, pr.fids)),
                        pr.message,
                        round(pr.area, 3),
                    ],
                )
            )
            if n_pr < 200:  # the layer has them all; the log stays readable
                feedback.pushInfo(pr.message)
        write_features(sink, fields, rows, _to_input(metric, grids.sourceCrs()), feedback)
        feedback.pushInfo(tr("{0} problems found in {1} grids.", len(problems), len(g)))
        return {"OUTPUT": dest, "PROBLEMS": len(problems)}


# ---------------------------------------------------------------------------- gridstats
STAT_FIELDS = [
    ("households", QVariant.Int),
    ("population", QVariant.Int),
    ("buildings", QVariant.Int),
    ("events", QVariant.Int),
    ("area_m2", QVariant.Double),
    ("compactness", QVariant.Double),
    ("hh_dev_pct", QVariant.Double),
    ("worker_ok", QVariant.Bool),
]


def _copy_with(source, fields: QgsFields, extra: dict[int, list[Any]], extra_names: list[str], sink, feedback):
    """Write the source features (original geometry, attributes) with extra values by fid."""
    names = [f.name() for f in fields]
    pos = [names.index(n) for n in extra_names]
    req = QgsFeatureRequest()
    req.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
    n_src = source.fields().count()
    for feat in source.getFeatures(req):
        if feedback.isCanceled():
            break
        out = QgsFeature(fields)
        out.setGeometry(feat.geometry())
        attrs = list(feat.attributes()) + [None] * (len(names) - n_src)
        for p, v in zip(pos, extra.get(feat.id(), [None] * len(pos))):
            attrs[p] = v
        out.setAttributes(attrs)
        sink.addFeature(out, QgsFeatureSink.FastInsert)


def _extend_fields(base: QgsFields, spec: list[tuple[str, Any]]) -> QgsFields:
    fields = QgsFields(base)
    for name, kind in spec:
        if fields.lookupField(name) < 0:
            fields.append(QgsField(name, kind))
    return fields


class GridStatsAlgorithm(_Base):
    ALG_ID = "gridstats"
    ALG_NAME = "Grid statistics"
    HELP = (
        "Per grid: households, population and buildings (a building counts for the grid holding its point on "
        "surface), events, area, Polsby-Popper compactness 4πA/P², deviation of households from the mean of the "
        "grid's community in %, and whether a worker is assigned."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource("GRIDS", tr("Grids"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "BUILDINGS", tr("Buildings"), [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "HOUSEHOLDS_FIELD",
                tr("Households field"),
                "households",
                "BUILDINGS",
                QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "POPULATION_FIELD",
                tr("Population field"),
                "population",
                "BUILDINGS",
                QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource("EVENTS", tr("Events"), [QgsProcessing.TypeVectorPoint], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "WORKERS", tr("Grid workers"), [QgsProcessing.TypeVector], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "WORKER_FIELD", tr("Worker id field of the grids"), "worker_id", "GRIDS", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "COMMUNITY_FIELD", tr("Community code field of the grids"), "community_code", "GRIDS", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("Grid statistics"), QgsProcessing.TypeVectorPolygon)
        )

    def processAlgorithm(self, parameters, context, feedback):
        grids = _source(self, parameters, "GRIDS", context)
        blds = _source(self, parameters, "BUILDINGS", context)
        events = _source(self, parameters, "EVENTS", context, required=False)
        workers = _source(self, parameters, "WORKERS", context, required=False)
        metric = _metric(grids, feedback)
        _same_crs_note(grids, blds, tr("The buildings"), metric, feedback)
        hh_field = _field_or_warn(
            blds, self.parameterAsString(parameters, "HOUSEHOLDS_FIELD", context), tr("The building layer"), feedback
        )
        pop_field = _field_or_warn(
            blds, self.parameterAsString(parameters, "POPULATION_FIELD", context), tr("The building layer"), feedback
        )
        if hh_field is None:
            feedback.pushWarning(tr("The building layer has no households field: households are 0 everywhere."))
        wfield = _field_or_warn(
            grids, self.parameterAsString(parameters, "WORKER_FIELD", context), tr("The grid layer"), feedback
        )
        cfield = _field_or_warn(
            grids, self.parameterAsString(parameters, "COMMUNITY_FIELD", context), tr("The grid layer"), feedback
        )
        g = _read(grids, metric, [f for f in (wfield, cfield) if f], feedback)
        _repair_report(g, tr("Grids"), feedback)
        feedback.setProgress(10)
        b = _read(blds, metric, [f for f in (hh_field, pop_field) if f], None)
        hh = _numbers(b, hh_field, tr("Buildings"), feedback) if hh_field else None
        pop = _numbers(b, pop_field, tr("Buildings"), feedback) if pop_field else None
        ev = _read(events, metric, [], None).geoms if events is not None else None
        known = None
        if workers is not None:
            if workers.fields().lookupField("worker_id") < 0:
                raise QgsProcessingException(tr("The worker table has no field 'worker_id'."))
            known = {str(f["worker_id"]).strip() for f in workers.getFeatures() if f["worker_id"] is not None}
        if feedback.isCanceled():
            return {}
        feedback.setProgress(60)
        s = grid_stats(
            g.geoms,
            b.geoms,
            hh,
            pop,
            ev,
            _values(g, cfield) if cfield else None,
            _values(g, wfield) if wfield else None,
            known,
        )
        fields = _extend_fields(grids.fields(), STAT_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, grids.wkbType(), grids.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        extra = {}
        for i, fid in enumerate(g.fids):
            dev = s.deviation[i]
            extra[int(fid)] = [
                int(s.households[i]),
                int(s.population[i]),
                int(s.buildings[i]),
                int(s.events[i]),
                round(float(s.area[i]), 2),
                round(float(s.compactness[i]), 4),
                None if np.isnan(dev) else round(float(dev), 2),
                bool(s.worker_assigned[i]),
            ]
        _copy_with(grids, fields, extra, [n for n, _ in STAT_FIELDS], sink, feedback)
        outside = int((~shapely.is_missing(b.geoms)).sum() - s.buildings.sum())
        if outside > 0:
            feedback.pushInfo(tr("{0} buildings lie outside every grid.", outside))
        return {"OUTPUT": dest}


# ------------------------------------------------------------------------------- unify
class UnifyGridsAlgorithm(_Base):
    ALG_ID = "unifygrids"
    ALG_NAME = "Unify departmental grids"
    HELP = (
        "Overlays several departmental grid layers and proposes one unified grid: pieces narrower than TOLERANCE "
        "(slivers where departments disagree), and pieces covering less than MIN_SHARE of their grid in every "
        "department, are merged into a neighbour (the one held by the same grids in most departments, then the "
        "longest border), boundaries snap to the reference lines (roads, rivers, walls). With communities, each "
        "community is covered exactly "
        "once. Also writes a table of which departmental grids each unified grid takes over (share of area) and "
        "the slivers for review."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                "INPUTS", tr("Departmental grid layers"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "REFERENCE", tr("Reference lines (roads, rivers, walls)"), [QgsProcessing.TypeVectorLine], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "PARENTS", tr("Communities"), [QgsProcessing.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "PARENT_CODE_FIELD", tr("Community code field"), "code", "PARENTS", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "DEPT_CODE_FIELD", tr("Code field of the departmental layers"), "code", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "TOLERANCE", tr("Tolerance (m)"), QgsProcessingParameterNumber.Double, 5.0, minValue=0.0
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "MIN_SHARE",
                tr("Merge pieces covering less than this share of their grid in every department (%)"),
                QgsProcessingParameterNumber.Double,
                50.0,
                minValue=0.0,
                maxValue=100.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("Unified grids"), QgsProcessing.TypeVectorPolygon)
        )
        self.addParameter(QgsProcessingParameterFeatureSink("TAKEOVER", tr("Takeover table"), QgsProcessing.TypeVector))
        self.addParameter(QgsProcessingParameterFeatureSink("SLIVERS", tr("Slivers"), QgsProcessing.TypeVectorPolygon))

    def processAlgorithm(self, parameters, context, feedback):
        layers = self.parameterAsLayerList(parameters, "INPUTS", context)
        layers = [lyr for lyr in layers if isinstance(lyr, QgsVectorLayer)]
        if len(layers) < 1:
            raise QgsProcessingException(tr("Give at least one departmental grid layer."))
        ref = _source(self, parameters, "REFERENCE", context, required=False)
        parents = _source(self, parameters, "PARENTS", context, required=False)
        tol = self.parameterAsDouble(parameters, "TOLERANCE", context)
        code_field = self.parameterAsString(parameters, "DEPT_CODE_FIELD", context)
        first = layers[0]
        ext = QgsRectangle(first.extent())
        try:
            metric = metric_crs_for(first.crs(), ext)
        except CrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        depts = []
        for lyr in layers:
            if lyr.crs() != first.crs():
                feedback.pushInfo(
                    tr("{0} is in {1}: reprojected to {2}.", lyr.name(), lyr.crs().authid(), metric.authid())
                )
            fld = code_field if code_field and lyr.fields().lookupField(code_field) >= 0 else None
            if code_field and fld is None:
                feedback.pushWarning(
                    tr("{0} has no field '{1}': its grids are named by feature id.", lyr.name(), code_field)
                )
            arr = read_source(lyr, metric, [fld] if fld else [], None)
            _repair_report(arr, lyr.name(), feedback)
            codes = [a.get(fld) if fld else f"#{fid}" for a, fid in zip(arr.attributes, arr.fids)]
            depts.append(DeptLayer(lyr.name(), arr.geoms, codes))
        refs = _read(ref, metric, [], None).geoms if ref is not None else None
        comm = ccodes = None
        if parents is not None:
            pfield = _field_or_warn(
                parents,
                self.parameterAsString(parameters, "PARENT_CODE_FIELD", context),
                tr("The community layer"),
                feedback,
            )
            pa = _read(parents, metric, [pfield] if pfield else [], None)
            comm, ccodes = pa.geoms, _values(pa, pfield, "")
        if feedback.isCanceled():
            return {}
        try:
            res = unify_grids(
                depts,
                tol,
                refs,
                comm,
                ccodes,
                feedback,
                min_share=self.parameterAsDouble(parameters, "MIN_SHARE", context) / 100.0,
            )
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        back = _to_input(metric, first.crs())
        fields = _fields(
            [
                ("unified_id", QVariant.Int),
                ("community_code", QVariant.String),
                ("area_m2", QVariant.Double),
                ("sources", QVariant.String),
            ]
        )
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, first.crs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        rows = []
        for i, g in enumerate(res.geoms):
            src = "; ".join(
                f"{t.department}:{t.dept_code} {t.share_of_unified:.0f}%"
                for t in res.sources(i)
                if t.share_of_unified >= 1.0
            )
            rows.append(
                (shapely.multipolygons(shapely.get_parts(g)), [i + 1, res.community[i], round(float(g.area), 2), src])
            )
        write_features(sink, fields, rows, back, feedback)
        tfields = _fields(
            [
                ("unified_id", QVariant.Int),
                ("department", QVariant.String),
                ("dept_code", QVariant.String),
                ("area_m2", QVariant.Double),
                ("share_of_dept", QVariant.Double),
                ("share_of_unified", QVariant.Double),
            ]
        )
        tsink, tdest = self.parameterAsSink(parameters, "TAKEOVER", context, tfields, QgsWkbTypes.NoGeometry)
        if tsink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "TAKEOVER"))
        write_features(
            tsink,
            tfields,
            (
                (
                    None,
                    [
                        t.unified + 1,
                        t.department,
                        t.dept_code,
                        round(float(t.area), 2),
                        round(float(t.share_of_dept), 2),
                        round(float(t.share_of_unified), 2),
                    ],
                )
                for t in res.takeovers
            ),
            None,
            feedback,
        )
        sfields = _fields([("area_m2", QVariant.Double), ("merged_into", QVariant.Int), ("detail", QVariant.String)])
        ssink, sdest = self.parameterAsSink(
            parameters, "SLIVERS", context, sfields, QgsWkbTypes.MultiPolygon, first.crs()
        )
        if ssink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "SLIVERS"))
        write_features(
            ssink,
            sfields,
            (
                (
                    shapely.multipolygons(shapely.get_parts(s.geom)),
                    [round(float(s.area), 2), int(s.merged_into) + 1, s.detail],
                )
                for s in res.slivers
            ),
            back,
            feedback,
        )
        for m in res.messages:
            feedback.pushWarning(m)
        feedback.pushInfo(tr("{0} unified grids, {1} slivers merged.", len(res.geoms), len(res.slivers)))
        return {"OUTPUT": dest, "TAKEOVER": tdest, "SLIVERS": sdest}


# ---------------------------------------------------------------------------- partition
class PartitionGridsAlgorithm(_Base):
    ALG_ID = "partitiongrids"
    ALG_NAME = "Partition communities into grids"
    HELP = (
        "Draws grids for each community: they cover it exactly, each is one piece, no building is cut, boundaries "
        "follow roads where possible and households stay within TOLERANCE % of the community mean where the "
        "buildings allow (the others are reported). Give TARGET_HOUSEHOLDS per grid (300-500 is common), or COUNT "
        "grids per community (COUNT wins when above 0). Method: road blocks, Voronoi cells of buildings in heavy "
        "blocks, recursive bisection by spanning-tree cuts."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource("AREAS", tr("Communities"), [QgsProcessing.TypeVectorPolygon])
        )
        self.addParameter(
            QgsProcessingParameterField("AREA_CODE_FIELD", tr("Community code field"), "code", "AREAS", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource("BUILDINGS", tr("Buildings"), [QgsProcessing.TypeVectorPolygon])
        )
        self.addParameter(
            QgsProcessingParameterField(
                "HOUSEHOLDS_FIELD",
                tr("Households field"),
                "households",
                "BUILDINGS",
                QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource("ROADS", tr("Roads"), [QgsProcessing.TypeVectorLine], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "TARGET_HOUSEHOLDS",
                tr("Target households per grid"),
                QgsProcessingParameterNumber.Double,
                400.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "COUNT",
                tr("Number of grids per community (0: use target)"),
                QgsProcessingParameterNumber.Integer,
                0,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "TOLERANCE", tr("Tolerance (%)"), QgsProcessingParameterNumber.Double, 10.0, minValue=0.0
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Grids"), QgsProcessing.TypeVectorPolygon))

    def processAlgorithm(self, parameters, context, feedback):
        areas = _source(self, parameters, "AREAS", context)
        blds = _source(self, parameters, "BUILDINGS", context)
        roads = _source(self, parameters, "ROADS", context, required=False)
        target = self.parameterAsDouble(parameters, "TARGET_HOUSEHOLDS", context)
        count = self.parameterAsInt(parameters, "COUNT", context)
        tol = self.parameterAsDouble(parameters, "TOLERANCE", context)
        if count <= 0 and target <= 0:
            raise QgsProcessingException(tr("Give TARGET_HOUSEHOLDS above 0 or COUNT above 0."))
        metric = _metric(areas, feedback)
        _same_crs_note(areas, blds, tr("The buildings"), metric, feedback)
        cfield = _field_or_warn(
            areas, self.parameterAsString(parameters, "AREA_CODE_FIELD", context), tr("The community layer"), feedback
        )
        hfield = _field_or_warn(
            blds, self.parameterAsString(parameters, "HOUSEHOLDS_FIELD", context), tr("The building layer"), feedback
        )
        if hfield is None and count <= 0:
            raise QgsProcessingException(tr("The building layer has no households field: give COUNT instead."))
        a = _read(areas, metric, [cfield] if cfield else [], None)
        _repair_report(a, tr("Communities"), feedback)
        b = _read(blds, metric, [hfield] if hfield else [], None)
        _repair_report(b, tr("Buildings"), feedback)
        hh = _numbers(b, hfield, tr("Buildings"), feedback) if hfield else np.zeros(len(b))
        r = _read(roads, metric, [], None).geoms if roads is not None else None
        fields = _fields(
            [
                ("grid_no", QVariant.Int),
                ("community_code", QVariant.String),
                ("households", QVariant.Int),
                ("buildings", QVariant.Int),
                ("deviation_pct", QVariant.Double),
                ("within_tolerance", QVariant.Bool),
            ]
        )
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, areas.sourceCrs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        back = _to_input(metric, areas.sourceCrs())
        bgeoms = b.geoms[~shapely.is_missing(b.geoms)]
        bhh = hh[~shapely.is_missing(b.geoms)]
        btree = shapely.STRtree(bgeoms)
        rtree = shapely.STRtree(r) if r is not None and len(r) else None
        total_grids = 0
        area_geoms, _ = make_valid_array(a.geoms)  # in memory only; reported above
        area_codes = _values(a, cfield, "")
        for k in range(len(a)):
            if feedback.isCanceled():
                break
            feedback.setProgress(100.0 * k / max(len(a), 1))
            area = area_geoms[k]
            fid = int(a.fids[k])
            code = area_codes[k] or ""
            if area is None or area.is_empty:
                feedback.pushWarning(tr("Community {0} has no geometry: skipped.", fid))
                continue
            near = btree.query(area, predicate="intersects")
            rnear = rtree.query(area, predicate="intersects") if rtree is not None else []
            try:
                res = partition_area(
                    area,
                    bgeoms[near],
                    bhh[near],
                    r[rnear] if rtree is not None else None,
                    target=target if count <= 0 else None,
                    count=count or None,
                    tolerance=tol,
                )
            except ValueError as exc:
                raise QgsProcessingException(tr("Community {0}: {1}", fid, str(exc))) from exc
            dev = res.deviation()
            rows = []
            for i, g in enumerate(res.geoms):
                rows.append(
                    (
                        shapely.multipolygons(shapely.get_parts(g)),
                        [
                            i + 1,
                            str(code),
                            int(res.households[i]),
                            int(res.buildings[i]),
                            round(float(dev[i]), 2),
                            i not in res.out_of_tolerance,
                        ],
                    )
                )
            write_features(sink, fields, rows, back, feedback)
            total_grids += len(rows)
            for m in res.messages:
                feedback.pushWarning(tr("Community {0} ({1}): {2}", fid, code, m))
        feedback.pushInfo(tr("{0} grids drawn for {1} communities.", total_grids, len(a)))
        return {"OUTPUT": dest}


# ------------------------------------------------------------------------------- codes
class GridCodesAlgorithm(_Base):
    ALG_ID = "gridcodes"
    ALG_NAME = "Assign grid codes"
    HELP = (
        "Writes grid codes county (6, GB/T 2260) + street (3) + community (3) + serial (3). Serials run west→east in "
        "rows north→south within each community (a row = grids whose centres lie within half the median grid height "
        "below the row's first grid). Grids that did not change (IoU ≥ 0.95 with a previous grid) keep their code; "
        "the report lists kept, renumbered, new and retired codes. The input is not changed."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource("GRIDS", tr("Grids"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(
            QgsProcessingParameterString("COUNTY_CODE", tr("County code (6 digits, GB/T 2260)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                "COMMUNITY_FIELD", tr("Community code field of the grids"), "community_code", "GRIDS", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField("CODE_FIELD", tr("Existing code field"), "grid_code", "GRIDS", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "PARENTS",
                tr("Communities (when grids lack a community code)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "PARENT_CODE_FIELD", tr("Community code field"), "code", "PARENTS", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "PREVIOUS",
                tr("Previous grids (same code field; default: the grids themselves)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("Coded grids"), QgsProcessing.TypeVectorPolygon)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("REPORT", tr("Renumbering report"), QgsProcessing.TypeVector)
        )

    def processAlgorithm(self, parameters, context, feedback):
        grids = _source(self, parameters, "GRIDS", context)
        parents = _source(self, parameters, "PARENTS", context, required=False)
        previous = _source(self, parameters, "PREVIOUS", context, required=False)
        county = self.parameterAsString(parameters, "COUNTY_CODE", context).strip() or None
        metric = _metric(grids, feedback)
        _same_crs_note(grids, parents, tr("The communities"), metric, feedback)
        cfield = _field_or_warn(
            grids, self.parameterAsString(parameters, "COMMUNITY_FIELD", context), tr("The grid layer"), feedback
        )
        code_field = self.parameterAsString(parameters, "CODE_FIELD", context) or "grid_code"
        has_code = grids.fields().lookupField(code_field) >= 0
        g = _read(grids, metric, [f for f in (cfield, code_field if has_code else None) if f], feedback)
        _repair_report(g, tr("Grids"), feedback)
        comm = [(v or "") for v in _values(g, cfield, "")]
        if parents is not None:
            pfield = _field_or_warn(
                parents,
                self.parameterAsString(parameters, "PARENT_CODE_FIELD", context),
                tr("The community layer"),
                feedback,
            )
            pa = _read(parents, metric, [pfield] if pfield else [], None)
            pcodes = _values(pa, pfield, "")
            gfix, _ = make_valid_array(g.geoms)
            pfix, _ = make_valid_array(pa.geoms)
            present = np.flatnonzero(~shapely.is_missing(gfix))
            par = np.full(len(g), -1)
            par[present] = assign_parents(gfix[present], pfix)
            comm = [c if str(c).strip() else (str(pcodes[p] or "") if p >= 0 else "") for c, p in zip(comm, par)]
        if not cfield and parents is None:
            raise QgsProcessingException(tr("Give the grids' community code field or a community layer."))
        old_codes = _values(g, code_field if has_code else None, "")
        old_geoms = None
        if previous is not None:
            pf = code_field if previous.fields().lookupField(code_field) >= 0 else None
            if pf is None:
                raise QgsProcessingException(tr("The previous grids have no field '{0}'.", code_field))
            prev = _read(previous, metric, [pf], None)
            old_geoms, old_codes = prev.geoms, _values(prev, pf, "")
        try:
            res = assign_codes(g.geoms, comm, county, old_geoms, old_codes)
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for i, msg in res.problems:
            feedback.pushWarning(tr("Grid {0}: {1}", int(g.fids[i]), msg))
        fields = _extend_fields(grids.fields(), [(code_field, QVariant.String)])
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, grids.wkbType(), grids.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        extra = {int(fid): [res.codes[i] or None] for i, fid in enumerate(g.fids)}
        _copy_with(grids, fields, extra, [code_field], sink, feedback)
        rfields = _fields(
            [
                ("fid", QVariant.LongLong),
                ("old_code", QVariant.String),
                ("new_code", QVariant.String),
                ("status", QVariant.String),
            ]
        )
        rsink, rdest = self.parameterAsSink(parameters, "REPORT", context, rfields, QgsWkbTypes.NoGeometry)
        if rsink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "REPORT"))
        rows = [(None, [int(fid), res.old_codes[i], res.codes[i], res.status[i]]) for i, fid in enumerate(g.fids)]
        rows += [(None, [None, c, "", "retired"]) for c in res.retired]
        write_features(rsink, rfields, rows, None, feedback)
        n_changed = sum(s == "renumbered" for s in res.status)
        feedback.pushInfo(
            tr(
                "{0} codes kept, {1} renumbered, {2} new, {3} retired.",
                res.status.count("kept"),
                n_changed,
                res.status.count("new"),
                len(res.retired),
            )
        )
        return {"OUTPUT": dest, "REPORT": rdest}


ALGORITHMS = [
    ValidateGridsAlgorithm,
    GridStatsAlgorithm,
    UnifyGridsAlgorithm,
    PartitionGridsAlgorithm,
    GridCodesAlgorithm,
]
