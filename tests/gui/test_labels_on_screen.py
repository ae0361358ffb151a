"""Tables and legends show what a user reads for a stored code, in Chinese."""

from qgis.core import QgsFeature, QgsVectorLayer

from grid_governance_plugin.gui import styles
from grid_governance_plugin.gui.widgets import ResultTable
from tests.e2e.visible_text import english


def _problems_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:4490&field=error_type:string&field=message:string", "p", "memory")
    feats = []
    for code in ("overlap", "gap", "outside_parent", "bad_code"):
        f = QgsFeature(layer.fields())
        f.setAttributes([code, "x"])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_grid_problem_legend_and_table_are_chinese(qgis_iface, chinese):
    layer = _problems_layer()
    styles.apply(layer, "grid_problems")
    legend = [c.label() for c in layer.renderer().categories()]
    assert "重叠" in legend and "缝隙" in legend and english(legend) == [], legend
    table = ResultTable(qgis_iface, ["a", "b"])
    table.fill(layer, ["error_type", "message"], kinds={"error_type": "grid_problem"})
    cells = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert len(cells) == 4 and english(cells) == [], cells


def test_the_temporal_controller_steps_in_days_not_seconds(qgis_app):
    from qgis.core import QgsTemporalNavigationObject, QgsUnitTypes

    from grid_governance_plugin.gui import live_layer as ll

    nav = QgsTemporalNavigationObject()
    ll.play_last_month(nav, start_playing=False)
    step = nav.frameDuration()
    assert (step.originalUnit(), step.originalDuration()) == (QgsUnitTypes.TemporalDays, 1.0)
    ll.play_last_month(nav, step_hours=6, start_playing=False)
    assert (nav.frameDuration().originalUnit(), nav.frameDuration().originalDuration()) == (
        QgsUnitTypes.TemporalHours,
        6.0,
    )
