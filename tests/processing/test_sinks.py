"""Every feature an algorithm computes reaches its output, or the run fails saying how many and why.

The demo's cameras carry a date field (installed_at); gridgov:camerafov used to pass its values
on as Python dates, which the output refused one by one ("Could not convert value ''"), and the
run still "succeeded" with an empty layer.
"""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QVariant

from grid_governance_plugin.core.store.qgsio import CheckedSink, SinkWriteError, qt_value, write_features
from grid_governance_plugin.processing.alg_coverage import CameraFovAlgorithm
from grid_governance_plugin.processing.base import GridGovAlgorithm
from tests.helpers import memory_layer, run_alg

METRIC = "EPSG:4547"
FIELDS = "device_id:string&field=azimuth:double&field=hfov:double&field=range_m:double&field=installed_at:date"


def _cameras(n: int = 5) -> QgsVectorLayer:
    pts = [shapely.Point(500_000 + 60 * i, 2_500_000) for i in range(n)]
    rows = [[f"44030000001320{i:06d}", 90.0, 60.0, 40.0, QDate(2015, 6, 8 + i)] for i in range(n)]
    return memory_layer("Point", pts, METRIC, FIELDS, rows)


@pytest.mark.parametrize("dori_bands", [False, True])
def test_camerafov_writes_every_camera_of_a_layer_with_a_date_field(tmp_path, dori_bands):
    cams = _cameras()
    out = str(tmp_path / "fov.gpkg")
    results, _layers, fb = run_alg(CameraFovAlgorithm, {"INPUT": cams, "DORI_BANDS": dori_bands, "OUTPUT": out})
    assert fb.errors == []
    layer = QgsVectorLayer(out, "fov", "ogr")
    assert layer.featureCount() >= cams.featureCount()
    dates = {f["installed_at"] for f in layer.getFeatures()}
    assert QDate(2015, 6, 8) in dates  # the value itself, not an empty string


def test_camerafov_memory_output_keeps_dates():
    cams = _cameras(3)
    _results, layers, fb = run_alg(CameraFovAlgorithm, {"INPUT": cams, "OUTPUT": "TEMPORARY_OUTPUT"})
    assert fb.errors == []
    assert layers["OUTPUT"].featureCount() == 3
    assert sorted(f["installed_at"] for f in layers["OUTPUT"].getFeatures())[0] == QDate(2015, 6, 8)


def test_python_values_become_qt_values():
    assert qt_value(dt.date(2020, 1, 2)) == QDate(2020, 1, 2)
    assert qt_value(dt.datetime(2020, 1, 2, 3, 4, 5)).date() == QDate(2020, 1, 2)
    aware = qt_value(dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    assert aware.toUTC().time().hour() == 3
    import numpy as np

    assert isinstance(qt_value(np.int64(3)), int) and qt_value("x") == "x" and qt_value(None) is None


class _WritesBadValues(GridGovAlgorithm):
    """Computes three features, one of which its output cannot hold (text in an integer field)."""

    ALG_ID = "test_badvalues"
    ALG_NAME = "Test: bad values"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", "Counted things", QgsProcessing.TypeVectorPoint))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        fields = QgsFields()
        fields.append(QgsField("n", QVariant.Int))
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.Point)
        rows = [(shapely.Point(0, i), [v]) for i, v in enumerate((1, "not a number", 3))]
        for geom, values in rows:
            write_features(sink, fields, [(geom, values)])
        return {"OUTPUT": dest}


def test_an_algorithm_whose_output_refuses_features_fails_with_count_and_reason():
    _results, _layers, fb = run_alg(_WritesBadValues, {"OUTPUT": "TEMPORARY_OUTPUT"}, expect_ok=False)
    text = " ".join(fb.errors)
    assert "1 of 3 feature(s) could not be written" in text, fb.errors
    assert "Counted things" in text  # names the output the user sees


def test_checked_sink_counts_refused_features():
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=n:integer", "t", "memory")
    sink = CheckedSink(layer.dataProvider(), "t")
    good = QgsFeature(layer.fields())
    good.setAttributes([1])
    bad = QgsFeature(layer.fields())
    bad.setAttributes(["x"])
    assert sink.addFeature(good, QgsFeatureSink.FastInsert)
    assert not sink.addFeatures([bad], QgsFeatureSink.FastInsert)
    assert (sink.attempted, sink.failed) == (2, 1)
    with pytest.raises(SinkWriteError, match="1 of 2"):
        sink.check()
