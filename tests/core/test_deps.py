"""core/deps.py: what is installed, what is missing, what that disables."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from grid_governance_plugin.core import deps

ROOT = Path(__file__).resolve().parents[2]


def test_every_runtime_requirement_is_checked():
    names = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=!~ \[]", line, maxsplit=1)[0].lower())
    checked = {r.pip for r in deps.REQUIREMENTS} | {d for r in deps.REQUIREMENTS for d in r.dists}
    assert names <= checked, names - checked
    assert deps.BY_MODULE["numba"].optional and deps.BY_MODULE["numba"].why == "faster hotspots"
    assert deps.BY_MODULE["shapely"].spec() == "shapely>=2.0"


def test_versions_compare_numerically():
    assert deps.version_at_least("2.0.1", "2.0")
    assert deps.version_at_least("2.10", "2.9")
    assert not deps.version_at_least("1.8.5", "2.0")
    assert deps.version_at_least("4.14.1.post1", "4.9")
    assert deps.version_at_least("", "2.0")  # unknown: assume it works rather than refuse


def test_probe_finds_installed_missing_and_too_old():
    import numpy  # noqa: F401 - loaded: probe reads the running version

    np_found = deps.probe(deps.Requirement("numpy", "numpy", "1.0"))
    assert np_found.ok and np_found.version and np_found.loaded
    esda = deps.probe(deps.Requirement("esda", "esda", "2.5"))  # not imported by probing
    assert esda.ok and esda.version and Path(esda.location).is_dir()
    missing = deps.probe(deps.Requirement("no-such-pkg", "no_such_pkg_gridgov"))
    assert missing.status == deps.MISSING
    old = deps.probe(deps.Requirement("shapely", "shapely", "99.0"))
    assert old.status == deps.TOO_OLD


def _report(missing: dict[str, str]) -> deps.Report:
    """Everything installed except ``missing`` (module -> status)."""
    found = {}
    for r in deps.REQUIREMENTS:
        status = missing.get(r.module, deps.OK)
        found[r.module] = deps.Found(r, status, "1.8.5" if status == deps.TOO_OLD else "9.9")
    return deps.Report(found)


def test_stock_qgis_report_says_what_is_missing_what_needs_it_and_what_works():
    report = _report({"shapely": deps.MISSING, "esda": deps.MISSING, "libpysal": deps.MISSING,
                      "geopandas": deps.MISSING, "numba": deps.MISSING})  # fmt: skip
    assert not report.complete
    assert [f.req.module for f in report.missing(include_optional=False)] == [
        "shapely", "geopandas", "libpysal", "esda"
    ]  # fmt: skip
    assert {c.key for c in report.unavailable_capabilities(include_optional=False)} == {
        "coverage", "grids", "hotspots", "demo", "patrols", "assessment"
    }  # fmt: skip
    assert [r.module for r in report.algorithm_missing("gridgov:hotspots")] == [
        "shapely", "geopandas", "libpysal", "esda"
    ]  # fmt: skip
    assert report.algorithm_missing("overduecases") == []
    text = deps.summary(report)
    assert "shapely ≥ 2.0" in text and "numba (optional): faster hotspots" in text
    assert "Event hotspots (Getis-Ord Gi*) (needs shapely ≥ 2.0, geopandas ≥ 0.14, libpysal ≥ 4.9, esda ≥ 2.5)" in text
    works = text.split("Still works:")[1]
    assert "Camera import from CSV and OpenStreetMap" in works and "The shared database" in works
    assert "Event hotspots" not in works
    assert "shapely ≥ 2.0" in deps.short_message(report)
    assert {r.module for r in report.to_install()} == {"shapely", "geopandas", "libpysal", "esda", "numba"}


def test_only_numba_missing_is_an_optional_note():
    report = _report({"numba": deps.MISSING})
    assert report.complete and report.available("hotspots") and not report.available("fast_hotspots")
    assert "faster hotspots" in deps.short_message(report)


def test_too_old_shapely_is_named_with_its_version():
    report = _report({"shapely": deps.TOO_OLD})
    assert "shapely ≥ 2.0 (found 1.8.5)" in deps.summary(report)


def test_site_dirs_of_each_platforms_prefix_layout(tmp_path):
    for rel in ("local/lib/python3.11/dist-packages", "lib/python3.9/site-packages", "Lib/site-packages"):
        (tmp_path / rel).mkdir(parents=True)
    found = [p.relative_to(tmp_path).as_posix() for p in deps.site_dirs(tmp_path)]
    assert set(found) == {"local/lib/python3.11/dist-packages", "lib/python3.9/site-packages", "Lib/site-packages"}
    assert deps.site_dirs(tmp_path / "nothing") == []


def test_activate_puts_the_plugins_folder_first(tmp_path, monkeypatch):
    v = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    site = tmp_path / deps.DATA_FOLDER / v / "lib" / v / "site-packages"
    (site / "gridgov_probe_pkg").mkdir(parents=True)
    (site / "gridgov_probe_pkg" / "__init__.py").write_text("X = 1\n")
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert deps.activate(tmp_path) == [str(site)]
    assert sys.path[0] == str(site)
    assert deps.activate(tmp_path) == []  # once
    found = deps.probe(deps.Requirement("gridgov-probe-pkg", "gridgov_probe_pkg"))
    assert found.ok and found.location == str(site)
