"""End-to-end: the real qgis binary under Xvfb, a fresh profile in zh_CN, the built zip installed,
the demo project open (the shared QGIS start of tests/e2e/conftest.py ``desktop``)."""

import pytest

pytestmark = pytest.mark.e2e


def _own_errors(r: dict) -> list[str]:
    """The probe's errors, without those of the other checks' extras (their tests report them)."""
    extras = tuple(f"{name}: " for name in r.get("extra_errors", {}))
    return [e for e in r["errors"] if not e.startswith(extras)]


def test_install_from_zip_in_fresh_profile_loads_demo(demo_project, desktop, tmp_path_factory, artifacts_dir):
    r = desktop["report"]  # with the demo project open (demo_project: built before QGIS starts)
    assert _own_errors(r) == []
    assert r["plugin_loaded"] and r["plugin_active"]
    # it runs from the profile it was installed into, not from the source tree
    assert "/profiles/" in r["plugin_path"] and str(tmp_path_factory.getbasetemp()) in r["plugin_path"]
    assert r["toolbar"] and r["toolbar_actions"] >= 3
    assert all(r["docks"].values()), r["docks"]
    assert r["provider"]
    assert {"gridgov:installschema", "gridgov:generatedemo"} <= set(r["algorithms"])
    assert r["layers"] >= 8
    assert r["canvas"]["distinct_colours"] > 20 and r["canvas"]["non_background"] > 0.2, r["canvas"]
    assert (artifacts_dir / "e2e_desktop.png").exists()


def test_zh_cn_locale_shows_chinese_ui(desktop):
    r = desktop["report"]
    assert r["menu_title"] == "网格治理"
    assert "摄像头覆盖" in r["dock_titles"]
