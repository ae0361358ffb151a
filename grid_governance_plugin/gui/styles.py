"""Styles for the plugin's layers, built in code so they follow the translation.

Cameras by system and status, fields of view, DORI bands, blind spots, coverage
ratios, grids and their problems, events by case status, hotspots and heatmaps.
"""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsGraduatedSymbolRenderer,
    QgsHeatmapRenderer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ..core import labels
from ..core.i18n import N_, tr
from ..core.log import get_logger

log = get_logger("styles")

# the table each role is read from in the store (GeoPackage layer or PostGIS table)
ROLE_TABLES = {
    "grids": "grid",
    "communities": "community",
    "buildings": "building",
    "roads": "road",
    "cameras": "camera",
    "events": "event",
    "target": "street_space",
}

SYSTEM_COLOURS = {
    "天网": "#d7191c",
    "雪亮": "#2c7bb6",
    "数字城管": "#1a9641",
    "交警": "#fdae61",
    "社会自建": "#7b3294",
}
STATUS_COLOURS = {
    "reported": "#e31a1c",
    "registered": "#ff7f00",
    "dispatched": "#fdbf6f",
    "handled": "#1f78b4",
    "verified": "#a6cee3",
    "suspended": "#b15928",
    "closed": "#33a02c",
    "void": "#999999",
}
STATUS_LABELS = labels.CASE_STATUS
PROBLEM_LABELS = labels.GRID_PROBLEM

# classes of a grid's households against the average grid (gridstats' hh_dev_pct, per cent)
WORKLOAD_CLASSES = (
    (-1.0e9, -20.0, "#2c7bb6", N_("Far below average (under −20%)")),
    (-20.0, -10.0, "#abd9e9", N_("Below average (−20% to −10%)")),
    (-10.0, 10.0, "#ffffbf", N_("Near average (±10%)")),
    (10.0, 20.0, "#fdae61", N_("Above average (+10% to +20%)")),
    (20.0, 1.0e9, "#d7191c", N_("Far above average (over +20%)")),
)


def table_name(layer) -> str:
    """The store table a layer reads (GeoPackage 'layername=' or PostGIS 'table=')."""
    src = layer.source()
    for marker in ("layername=", 'table="gridgov"."'):
        if marker in src:
            return src.split(marker, 1)[1].split("|")[0].split('"')[0].strip()
    return ""


def find_layer_for_role(role: str):
    """The project's layer of the store table for ``role``; the whole table before a filtered view of it."""
    wanted = ROLE_TABLES.get(role)
    found = [
        layer
        for layer in QgsProject.instance().mapLayers().values()
        if isinstance(layer, QgsVectorLayer) and table_name(layer) == wanted
    ]

    def rank(layer) -> tuple:
        # a heatmap or a playback is a picture of the events, not the events to work with
        derived = layer.renderer() is not None and layer.renderer().type() == "heatmapRenderer"
        derived = derived or bool(layer.customProperty("gridgov/result"))
        return (derived, bool(layer.subsetString()))

    return min(found, key=rank) if found else None


def _label(layer: QgsVectorLayer, field: str, size: float = 8, colour: str = "#222222", zoomed_out: float = 0) -> None:
    """Label with ``field``; with ``zoomed_out`` set, only at scales larger than 1:zoomed_out."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    if zoomed_out:
        settings.scaleVisibility = True
        settings.minimumScale = zoomed_out  # the most zoomed-out scale that still shows labels
    fmt = QgsTextFormat()
    fmt.setFont(QFont("WenQuanYi Micro Hei"))
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    buffer = fmt.buffer()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _fill(colour: str, outline: str, width: float = 0.26, style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple(
        {"color": colour, "outline_color": outline, "outline_width": str(width), "style": style}
    )


def _categorized(layer, field, mapping, make_symbol, labels=None) -> None:
    cats = [
        QgsRendererCategory(value, make_symbol(colour), tr(labels[value]) if labels else str(value))
        for value, colour in mapping.items()
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, cats))


def camera_renderer() -> QgsRuleBasedRenderer:
    root = QgsRuleBasedRenderer.Rule(None)
    for system, colour in SYSTEM_COLOURS.items():
        sym = QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "size": "2.4", "outline_color": "white"})
        root.appendChild(
            QgsRuleBasedRenderer.Rule(sym, 0, 0, f"\"status\" = 'online' AND \"system\" = '{system}'", system)
        )
    other = QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#444444", "size": "2.2", "outline_color": "white"}
    )
    root.appendChild(
        QgsRuleBasedRenderer.Rule(
            other,
            0,
            0,
            '"status" = \'online\' AND "system" NOT IN (\'' + "','".join(SYSTEM_COLOURS) + "')",
            tr("Other system"),
        )
    )
    for status, label, shape in (
        ("offline", N_("Offline"), "cross2"),
        ("faulty", N_("Faulty"), "cross2"),
        ("obstructed", N_("Obstructed"), "triangle"),
        ("planned", N_("Planned"), "square"),
    ):
        sym = QgsMarkerSymbol.createSimple(
            {"name": shape, "color": "#7f7f7f", "size": "3", "outline_color": "#d7191c", "outline_width": "0.6"}
        )
        root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, f"\"status\" = '{status}'", tr(label)))
    return QgsRuleBasedRenderer(root)


# The live layer's rings. The instants come from the database (gui/live_layer.py sets them as
# layer variables every minute): "overdue" is the deadline having passed, "soon" the deadline
# before now + the horizon in *working* hours (gridgov.add_working_hours), "to you" a case
# escalated (吹哨报到) to the level the login works at (gridgov.my_level).
RUNNING = "('reported', 'registered', 'dispatched', 'handled', 'verified')"
LIVE_RULES = (
    (
        "overdue",
        N_("Overdue"),
        f'"status" IN {RUNNING} AND "deadline_at" < to_datetime(@gridgov_now)',
        {"name": "circle", "color": "0,0,0,0", "size": "3.6", "outline_color": "#c00000", "outline_width": "0.5"},
    ),
    (
        "soon",
        N_("Soon overdue (working hours)"),
        f'"status" IN {RUNNING} AND "deadline_at" >= to_datetime(@gridgov_now)'
        ' AND "deadline_at" < to_datetime(@gridgov_soon_until)',
        {"name": "circle", "color": "0,0,0,0", "size": "3.6", "outline_color": "#ff9900", "outline_width": "0.4"},
    ),
    (
        "escalated_to_me",
        N_("Escalated to you"),
        f'"status" IN {RUNNING[:-1]}, \'suspended\') AND "escalated_at" IS NOT NULL AND "level" = @gridgov_my_level',
        {"name": "star", "color": "#ffd700", "size": "3.2", "outline_color": "#7f3b08", "outline_width": "0.3"},
    ),
)


def live_events_renderer() -> QgsRuleBasedRenderer:
    """Events by case status, with rings for overdue and soon overdue cases and a star for "escalated to you"."""
    root = QgsRuleBasedRenderer.Rule(None)
    for status, colour in STATUS_COLOURS.items():
        sym = QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": colour, "size": "1.8", "outline_color": "white", "outline_width": "0.2"}
        )
        root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, f"\"status\" = '{status}'", tr(STATUS_LABELS[status])))
    for key, label, expression, props in LIVE_RULES:
        rule = QgsRuleBasedRenderer.Rule(QgsMarkerSymbol.createSimple(props), 0, 0, expression, tr(label))
        rule.setRuleKey(key)
        root.appendChild(rule)
    return QgsRuleBasedRenderer(root)


def heat_ramp() -> QgsGradientColorRamp:
    """Spectral from blue to red, fading out at the low end so the map under it stays readable."""
    ramp = QgsGradientColorRamp(QColor(43, 131, 186, 0), QColor("#d7191c"))
    ramp.setStops(
        [
            QgsGradientStop(0.1, QColor(43, 131, 186, 140)),
            QgsGradientStop(0.35, QColor("#abdda4")),
            QgsGradientStop(0.6, QColor("#ffffbf")),
            QgsGradientStop(0.8, QColor("#fdae61")),
        ]
    )
    return ramp


def _first_field(layer: QgsVectorLayer, names: tuple[str, ...]) -> str:
    """The first of ``names`` the layer has (else the first): styles classify real fields.

    A virtual (expression) field would do the same, but in QGIS 3.22 a layer with one
    makes the render thread copy the project's expression scope while the main thread
    adds layers, which crashes QGIS now and then.
    """
    have = set(layer.fields().names())
    return next((n for n in names if n in have), names[0])


def _present_field(layer: QgsVectorLayer, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` the layer has, or None."""
    have = set(layer.fields().names())
    return next((n for n in names if n in have), None)


def suggested_camera_renderer() -> QgsSingleSymbolRenderer:
    """A proposed camera: an arrow pointing where it should look (gridgov:suggestcameras' azimuth)."""
    from qgis.core import QgsProperty

    sym = QgsMarkerSymbol.createSimple(
        {"name": "arrow", "color": "#6a3d9a", "size": "4.5", "outline_color": "white", "outline_width": "0.4"}
    )
    sym.setDataDefinedAngle(QgsProperty.fromField("azimuth"))
    return QgsSingleSymbolRenderer(sym)


def apply(layer: QgsVectorLayer, kind: str) -> None:
    """Style ``layer`` as ``kind`` (one of the names below); unknown kinds are left alone."""
    if kind == "grid":
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("0,0,0,0", "#e66101", 0.5)))
        code = _present_field(layer, ("grid_code", "code"))  # a unified proposal has no codes yet
        if code:
            _label(layer, code, 7, "#a63603", zoomed_out=12000)  # 15-digit codes clutter a district view
        else:
            layer.setLabelsEnabled(False)
    elif kind == "community":
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("0,0,0,0", "#5e3c99", 1.2)))
        _label(layer, "name", 10, "#5e3c99")
    elif kind in ("street", "district", "city"):
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("0,0,0,0", "#000000", 1.8)))
    elif kind == "dept_grid":
        colours = {"综治": "#1b9e77", "城管": "#d95f02", "党建": "#e7298a", "应急": "#7570b3", "民政": "#66a61e"}
        _categorized(layer, "department", colours, lambda c: _fill("0,0,0,0", c, 0.6, "solid"))
    elif kind == "building":
        ramp = QgsGradientColorRamp(QColor("#d9d9d9"), QColor("#636363"))
        renderer = QgsGraduatedSymbolRenderer("height_m")
        renderer.setSourceSymbol(_fill("#bdbdbd", "#737373", 0.1))
        for i, (lo, hi) in enumerate(((0, 12), (12, 30), (30, 60), (60, 1000))):
            sym = _fill(ramp.color(i / 3.0).name(), "#737373", 0.1)
            renderer.addClassRange(QgsRendererRange(lo, hi, sym, f"{lo}–{hi} m"))
        layer.setRenderer(renderer)
    elif kind == "road":
        layer.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple({"color": "#ffffff", "width": "0.8"})))
    elif kind == "street_space":
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("#f0f0f0", "0,0,0,0", 0)))
    elif kind == "camera":
        layer.setRenderer(camera_renderer())
    elif kind == "suggested_cameras":
        layer.setRenderer(suggested_camera_renderer())
        _label(layer, "rank", 9, "#6a3d9a")
    elif kind == "fov":
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("255,221,0,70", "255,170,0,160", 0.2)))
    elif kind == "dori":
        # the bands camerafov writes (core.coverage.visibility.DORI_BANDS), nearest first
        bands = {
            "identify": "#d73027",
            "recognise": "#f46d43",
            "observe": "#fdae61",
            "detect": "#fee08b",
            "monitor": "#ffffbf",
        }
        labels = {
            "identify": N_("Identify"),
            "recognise": N_("Recognise"),
            "observe": N_("Observe"),
            "detect": N_("Detect"),
            "monitor": N_("Monitor (beyond detect)"),
        }
        band_field = _first_field(layer, ("dori", "band"))  # camerafov writes 'dori'
        _categorized(layer, band_field, bands, lambda c: _fill(c, "#b35806", 0.1), labels)
        layer.setOpacity(0.7)
    elif kind == "coverage":
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("26,150,65,90", "0,0,0,0", 0)))
    elif kind == "blind_spots":
        layer.setRenderer(QgsSingleSymbolRenderer(_fill("215,25,28,150", "#a50f15", 0.3)))
    elif kind == "coverage_ratio":
        renderer = QgsGraduatedSymbolRenderer(_first_field(layer, ("coverage_ratio", "ratio")))
        for lo, hi, colour in (
            (0, 0.3, "#d7191c"),
            (0.3, 0.5, "#fdae61"),
            (0.5, 0.7, "#ffffbf"),
            (0.7, 0.9, "#a6d96a"),
            (0.9, 1.01, "#1a9641"),
        ):
            renderer.addClassRange(
                QgsRendererRange(lo, hi, _fill(colour, "#555555", 0.2), f"{lo:.0%}–{min(hi, 1):.0%}")
            )
        layer.setRenderer(renderer)
        layer.setOpacity(0.7)
    elif kind == "grid_problems":
        colours = {
            "invalid": "#000000",
            "overlap": "#d7191c",
            "gap": "#2c7bb6",
            "outside_parent": "#fdae61",
            "multipart": "#7b3294",
            "duplicate_code": "#e7298a",
            "bad_code": "#a6611a",
        }
        _categorized(layer, "error_type", colours, lambda c: _fill(c, c, 0.8), PROBLEM_LABELS)
    elif kind == "grid_stats":
        # gridstats' hh_dev_pct: a grid's households against the average grid, in per cent
        renderer = QgsGraduatedSymbolRenderer(_first_field(layer, ("hh_dev_pct", "deviation_pct")))
        for lo, hi, colour, text in WORKLOAD_CLASSES:
            renderer.addClassRange(QgsRendererRange(lo, hi, _fill(colour, "#555555", 0.3), tr(text)))
        layer.setRenderer(renderer)
        layer.setOpacity(0.8)
        _label(layer, "grid_code", 7, "#333333", zoomed_out=12000)
    elif kind == "event":
        _categorized(
            layer,
            "status",
            STATUS_COLOURS,
            lambda c: QgsMarkerSymbol.createSimple(
                {"name": "circle", "color": c, "size": "1.8", "outline_color": "white", "outline_width": "0.2"}
            ),
            STATUS_LABELS,
        )
    elif kind == "live_events":
        layer.setRenderer(live_events_renderer())
    elif kind == "heatmap":
        renderer = QgsHeatmapRenderer()
        renderer.setRadius(12)
        renderer.setColorRamp(heat_ramp())
        layer.setRenderer(renderer)
    elif kind == "hotspots":
        colours = {
            "hot_99": "#b2182b",
            "hot_95": "#ef8a62",
            "hot_90": "#fddbc7",
            "not_significant": "#f7f7f7",
            "cold_90": "#d1e5f0",
            "cold_95": "#67a9cf",
            "cold_99": "#2166ac",
        }
        labels = {
            "hot_99": N_("Hot spot 99%"),
            "hot_95": N_("Hot spot 95%"),
            "hot_90": N_("Hot spot 90%"),
            "not_significant": N_("Not significant"),
            "cold_90": N_("Cold spot 90%"),
            "cold_95": N_("Cold spot 95%"),
            "cold_99": N_("Cold spot 99%"),
        }
        _categorized(layer, "class", colours, lambda c: _fill(c, "#999999", 0.1), labels)
        layer.setOpacity(0.75)
    else:
        return
    for problem in field_problems(layer):
        # a style that classifies a field the layer lacks draws nothing: say so where it happens
        log.warning(tr("The style '{0}' does not fit the layer '{1}': {2}", kind, layer.name(), problem))
    layer.triggerRepaint()


def _renderer_fields(layer: QgsVectorLayer) -> list[tuple[str, str]]:
    """(what, expression) pairs the layer's renderer and labels read."""
    r = layer.renderer()
    out: list[tuple[str, str]] = []
    if isinstance(r, (QgsCategorizedSymbolRenderer, QgsGraduatedSymbolRenderer)):
        out.append((tr("classification"), r.classAttribute()))
    elif isinstance(r, QgsRuleBasedRenderer):
        for rule in r.rootRule().descendants():
            if rule.filterExpression():
                out.append((tr("rule"), rule.filterExpression()))
    elif isinstance(r, QgsHeatmapRenderer) and r.weightExpression():
        out.append((tr("weight"), r.weightExpression()))
    labeling = layer.labeling()
    if layer.labelsEnabled() and isinstance(labeling, QgsVectorLayerSimpleLabeling):
        out.append((tr("label"), labeling.settings().fieldName))
    return out


def field_problems(layer: QgsVectorLayer) -> list[str]:
    """What the layer's style reads that the layer does not have (cheap: fields only)."""
    from qgis.core import QgsExpression

    names = set(layer.fields().names())
    problems = []
    for what, text in _renderer_fields(layer):
        if not text:
            continue
        if text in names:
            continue
        expr = QgsExpression(text)
        if expr.hasParserError():
            problems.append(tr("its {0} '{1}' is not a valid expression", what, text))
            continue
        missing = sorted(
            c for c in expr.referencedColumns() if c not in names and c != QgsFeatureRequest.ALL_ATTRIBUTES
        )
        if missing or (not expr.referencedColumns() and what in (tr("classification"), tr("label"))):
            problems.append(tr("its {0} reads the missing field(s) {1}", what, ", ".join(missing) or text))
    return problems


def value_problems(layer: QgsVectorLayer) -> list[str]:
    """Whether the style draws the layer's features: fields exist and classes match values present.

    Reads every feature; for tests and diagnostics, not for every apply().
    """
    problems = field_problems(layer)
    if problems:
        return problems
    r = layer.renderer()
    feats = list(layer.getFeatures())
    if not feats:
        return [tr("the layer has no features")]
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    if isinstance(r, (QgsCategorizedSymbolRenderer, QgsGraduatedSymbolRenderer)):
        expr = QgsExpression(r.classAttribute())
        values = []
        for f in feats:
            ctx.setFeature(f)
            values.append(expr.evaluate(ctx))
        present = [v for v in values if v is not None and str(v) != "NULL"]
        if isinstance(r, QgsCategorizedSymbolRenderer):
            cats = {str(c.value()) for c in r.categories() if c.renderState() and str(c.value()) != ""}
            unmatched = sorted({str(v) for v in present} - cats)
            if unmatched:
                problems.append(tr("no class for the value(s) {0}", ", ".join(unmatched[:10])))
        else:
            ranges = [(rg.lowerValue(), rg.upperValue()) for rg in r.ranges() if rg.renderState()]
            outside = [v for v in present if not any(lo <= float(v) <= hi for lo, hi in ranges)]
            if outside:
                problems.append(tr("{0} value(s) fall outside every class, e.g. {1}", len(outside), outside[0]))
        if not present:
            problems.append(tr("every feature's value is empty"))
    elif isinstance(r, QgsRuleBasedRenderer):
        rules = [rule for rule in r.rootRule().descendants() if rule.symbol() is not None and rule.active()]
        drawn = 0
        for f in feats:
            ctx.setFeature(f)
            drawn += any(
                not rule.filterExpression() or QgsExpression(rule.filterExpression()).evaluate(ctx) for rule in rules
            )
        if drawn < len(feats):
            problems.append(tr("{0} of {1} feature(s) match no rule", len(feats) - drawn, len(feats)))
    return problems
