"""The built zip: repository rules, qgis_process with QGIS_PLUGINPATH, pb_tool deploy."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_zip  # noqa: E402

VENV_SITE = sorted((ROOT / ".venv" / "lib").glob("python3*/site-packages"))


@pytest.fixture(scope="module")
def plugin_zip() -> Path:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_zip.py")], check=True, cwd=ROOT)
    return ROOT / "dist" / "grid_governance_plugin.zip"


def _qgis_process(args, plugin_path, config_dir, extra_env=None, timeout=180):
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "QGIS_PLUGINPATH": str(plugin_path),
            "QGIS_CUSTOM_CONFIG_PATH": str(config_dir),
            "PYTHONPATH": os.pathsep.join(str(p) for p in VENV_SITE),
        }
    )
    env.update(extra_env or {})
    # qgis_process.bin: Debian's qgis_process wrapper adds --noversioncheck, which 3.22 rejects
    return subprocess.run(["qgis_process.bin", *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_zip_passes_the_plugin_repository_rules(plugin_zip):
    assert build_zip.check_zip(plugin_zip) == []
    with zipfile.ZipFile(plugin_zip) as zf:
        names = zf.namelist()
    assert all(n.startswith("grid_governance_plugin/") for n in names)
    assert "grid_governance_plugin/i18n/grid_governance_plugin_zh_CN.qm" in names
    assert "grid_governance_plugin/resources/icons/icon.png" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/tests/" in n]


def test_check_zip_catches_what_the_repository_rejects(plugin_zip, tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(plugin_zip) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("LICENSE"):
                continue
            if item.filename.endswith("metadata.txt"):
                data = data.replace(b"tracker=", b"x_tracker=")
            dst.writestr(item.filename.replace("grid_governance_plugin/", "Grid-Plugin/", 1), data)
        dst.writestr("Grid-Plugin/__pycache__/x.pyc", b"")
    problems = "\n".join(build_zip.check_zip(bad))
    for expected in ("LICENSE missing", "lacks tracker", "does not match", "forbidden entry"):
        assert expected in problems


def test_qgis_process_enables_the_unzipped_plugin_and_runs_installschema(plugin_zip, tmp_path, pg_service, fresh_db):
    plugins = tmp_path / "plugins"
    with zipfile.ZipFile(plugin_zip) as zf:
        zf.extractall(plugins)
    config = tmp_path / "config"
    enabled = _qgis_process(["plugins", "enable", "grid_governance_plugin"], plugins, config)
    assert enabled.returncode == 0, enabled.stderr
    listing = _qgis_process(["list"], plugins, config)
    assert "gridgov:installschema" in listing.stdout
    env = {"PGSERVICEFILE": os.environ["PGSERVICEFILE"]}
    run = _qgis_process(["run", "gridgov:installschema", "--", f"DATABASE=service={pg_service}"], plugins, config, env)
    assert run.returncode == 0, run.stdout + run.stderr
    with psycopg2.connect(fresh_db) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM gridgov.schema_migrations")
        assert cur.fetchone()[0] >= 1
        cur.execute("SELECT to_regclass('gridgov.event') IS NOT NULL")
        assert cur.fetchone()[0]
    again = _qgis_process(
        ["run", "gridgov:installschema", "--", f"DATABASE=service={pg_service}"], plugins, config, env
    )
    assert again.returncode == 0 and "up to date" in again.stdout + again.stderr


def test_pb_tool_deploy_puts_a_loadable_plugin_into_a_profile(tmp_path):
    plugins = tmp_path / "profiles" / "default" / "python" / "plugins"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile", str(ROOT / "i18n")], check=True)
    pb_tool = ROOT / ".venv" / "bin" / "pb_tool"
    out = subprocess.run(
        [str(pb_tool), "deploy", "-y", "--plugin_path", str(plugins)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    deployed = plugins / "grid_governance_plugin"
    for rel in (
        "__init__.py",
        "metadata.txt",
        "LICENSE",
        "plugin.py",
        "processing/provider.py",
        "resources/icons/icon.png",
        "i18n/grid_governance_plugin_zh_CN.qm",
    ):
        assert (deployed / rel).exists(), rel
    listing = _qgis_process(["plugins", "enable", "grid_governance_plugin"], plugins, tmp_path / "config")
    assert listing.returncode == 0, listing.stderr
    algs = _qgis_process(["list"], plugins, tmp_path / "config")
    assert "gridgov:generatedemo" in algs.stdout
