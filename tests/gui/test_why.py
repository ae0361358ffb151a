"""A greyed-out control says why on hover, and gets its own tooltip back when enabled."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QAction, QPushButton

from grid_governance_plugin.gui.why import set_available


def test_disabled_control_explains_itself_and_recovers(qgis_app):
    for target in (QPushButton("Go"), QAction("Go", None)):
        target.setToolTip("Run the analysis")
        set_available(target, False, "No database connection is set.")
        assert not target.isEnabled()
        assert "No database connection is set." in target.toolTip()
        assert "Run the analysis" in target.toolTip()
        set_available(target, True)
        assert target.isEnabled() and target.toolTip() == "Run the analysis"
