"""The gridgov provider registers every algorithm: the real one, or a placeholder that says what is missing."""

from __future__ import annotations

import importlib

import pytest
import shapely

from grid_governance_plugin.core import deps
from grid_governance_plugin.core.coverage.scene import random_scene
from grid_governance_plugin.processing import provider as prov
from grid_governance_plugin.processing.alg_coverage import CoverageAlgorithm
from tests.helpers import memory_layer, run_alg

METRIC = "EPSG:4547"
N_ALGORITHMS = sum(len(entries) for entries in prov.ALGORITHM_INDEX.values())


def test_index_lists_every_algorithm_of_every_module():
    for module_name, entries in prov.ALGORITHM_INDEX.items():
        module = importlib.import_module(f"grid_governance_plugin.processing.{module_name}")
        real = [(c.ALG_ID, c.ALG_NAME, (c.GROUP_ID, c.GROUP)) for c in module.ALGORITHMS]
        assert sorted(real) == sorted(entries), module_name
    ids = [a for entries in prov.ALGORITHM_INDEX.values() for a, _n, _g in entries]
    assert len(ids) == len(set(ids)) == N_ALGORITHMS
    # every algorithm belongs to a capability, so the dependency check can say what it needs
    assert set(ids) == {a for c in deps.CAPABILITIES for a in c.algorithms}


def _report_without(*modules: str) -> deps.Report:
    report = deps.check()
    for m in modules:
        report.found[m] = deps.Found(deps.BY_MODULE[m], deps.MISSING)
    return report


@pytest.fixture
def gridgov_provider(qgis_app):
    """A provider of its own (the registry's may belong to the plugin under test elsewhere)."""
    p = prov.GridGovProvider()
    p.refreshAlgorithms()
    return p


def test_all_fourteen_are_real_when_everything_is_installed(gridgov_provider):
    gridgov_provider.refreshAlgorithms()
    algs = gridgov_provider.algorithms()
    assert len(algs) == N_ALGORITHMS
    assert not [a.id() for a in algs if isinstance(a, prov.UnavailableAlgorithm)]
    assert gridgov_provider.unavailable == {}


def test_missing_packages_give_placeholders_that_say_why(gridgov_provider, monkeypatch):
    report = _report_without("esda", "libpysal")
    monkeypatch.setattr(deps, "check", lambda *a, **k: report)
    gridgov_provider.refreshAlgorithms()
    algs = {a.id(): a for a in gridgov_provider.algorithms()}
    assert len(algs) == N_ALGORITHMS  # nothing vanishes
    hot = algs["gridgov:hotspots"]
    assert isinstance(hot, prov.UnavailableAlgorithm)
    assert hot.displayName() == "Event hot spots (Getis-Ord Gi*) (unavailable)"
    ok, why = hot.canExecute()
    assert not ok and "esda ≥ 2.5" in why and "libpysal ≥ 4.9" in why
    assert "esda" in hot.shortHelpString()
    assert set(gridgov_provider.unavailable) == {"hotspots"}
    # the others of the same module are the real ones
    assert not isinstance(algs["gridgov:overduecases"], prov.UnavailableAlgorithm)
    assert not isinstance(algs["gridgov:coverage"], prov.UnavailableAlgorithm)


def test_without_shapely_only_what_needs_it_is_unavailable(gridgov_provider, monkeypatch):
    report = _report_without("shapely")
    monkeypatch.setattr(deps, "check", lambda *a, **k: report)
    gridgov_provider.refreshAlgorithms()
    unavailable = {a.id().split(":")[1] for a in gridgov_provider.algorithms() if not a.canExecute()[0]}
    assert unavailable == {
        "camerafov", "coverage", "suggestcameras", "validategrids", "gridstats", "unifygrids",
        "partitiongrids", "gridcodes", "hotspots", "generatedemo", "patrolcoverage", "importpatroltracks",
        "assessment",
    }  # fmt: skip
    # running a placeholder fails with the reason instead of a traceback
    from grid_governance_plugin.processing.provider import UnavailableAlgorithm

    alg = next(a for a in gridgov_provider.algorithms() if a.id() == "gridgov:coverage")
    assert isinstance(alg, UnavailableAlgorithm)
    _results, _layers, fb = run_alg(lambda: alg, {}, expect_ok=False)
    assert any("shapely ≥ 2.0" in e for e in fb.errors)


def test_a_module_that_fails_to_import_is_reported_not_hidden(gridgov_provider, monkeypatch):
    real_import = importlib.import_module

    def broken(name, *a, **k):
        if name.endswith(".alg_grids"):
            raise ImportError("numpy.core.multiarray failed to import")
        return real_import(name, *a, **k)

    monkeypatch.setattr(prov.importlib, "import_module", broken)
    gridgov_provider.refreshAlgorithms()
    algs = {a.id(): a for a in gridgov_provider.algorithms()}
    assert len(algs) == N_ALGORITHMS
    ok, why = algs["gridgov:gridstats"].canExecute()
    assert not ok and "numpy.core.multiarray" in why


def test_coverage_without_grids_needs_no_grid_stats_destination(qgis_app, qgis_processing):
    scene = random_scene(seed=5, size=300.0, n_buildings=15, n_cameras=4, x0=500_000.0, y0=2_500_000.0)
    cams = memory_layer(
        "Point",
        [shapely.Point(c.x, c.y) for c in scene.cameras],
        METRIC,
        "azimuth:double&field=hfov:double&field=range_m:double",
        [[c.azimuth, c.hfov, c.range_m] for c in scene.cameras],
    )
    results, layers, _fb = run_alg(
        CoverageAlgorithm,
        {
            "CAMERAS": cams,
            "OBSTACLES": memory_layer("Polygon", scene.buildings, METRIC),
            "TARGET": memory_layer("Polygon", [scene.target], METRIC),
            "COVERAGE": "TEMPORARY_OUTPUT",
            "BLIND_SPOTS": "TEMPORARY_OUTPUT",
        },
    )
    assert results["GRID_STATS"] is None and "GRID_STATS" not in layers
    assert layers["COVERAGE"].featureCount() >= 1
    assert 0.0 < results["RATIO"] <= 1.0
    alg = CoverageAlgorithm().create()
    param = alg.parameterDefinition("GRID_STATS")
    assert param.flags() & param.FlagOptional and param.createByDefault()
