"""core/pipinstall.py: QGIS's Python on each platform, constraints, and a real pip install from a wheel folder."""

from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path

import numpy
import pytest

from grid_governance_plugin.core import deps, pipinstall

V = f"{sys.version_info[0]}.{sys.version_info[1]}"


def test_debian_qgis_finds_the_system_python():
    c = pipinstall.python_candidates("/usr/bin/qgis", "/usr", "/usr", (3, 11), "linux")
    assert c[0] == Path("/usr/bin/python3.11")
    assert Path("/usr/bin/qgis") not in c


def test_osgeo4w_qgis_finds_apps_python():
    c = pipinstall.python_candidates(
        r"C:\OSGeo4W\bin\qgis-ltr-bin.exe", r"C:\OSGeo4W\apps\Python39", r"C:\OSGeo4W\apps\Python39", (3, 9), "win32"
    )
    assert str(c[0]).replace("/", "\\") == r"C:\OSGeo4W\apps\Python39\python.exe"
    assert any(str(p).replace("/", "\\").endswith(r"C:\OSGeo4W\apps\Python39\python.exe") for p in c)


def test_macos_bundle_finds_the_bundled_python():
    exe = "/Applications/QGIS-LTR.app/Contents/MacOS/QGIS"
    c = pipinstall.python_candidates(exe, "/Applications/QGIS-LTR.app/Contents/MacOS", "", (3, 9), "darwin")
    assert c[0] == Path("/Applications/QGIS-LTR.app/Contents/MacOS/bin/python3.9")
    assert Path("/Applications/QGIS-LTR.app/Contents/Frameworks/Python.framework/Versions/3.9/bin/python3.9") in c


def test_find_python_skips_the_qgis_program_and_other_versions(tmp_path):
    qgis = Path("/usr/bin/qgis")
    other = tmp_path / "python2.7"
    other.write_text("#!/bin/sh\necho 2.7\n")
    other.chmod(0o755)
    # another installation of the same version (pyenv, conda on PATH) builds against other libraries
    pyenv = tmp_path / f"python{V}"
    pyenv.write_text(f"#!/bin/sh\necho {V}\necho /root/.pyenv/versions/{V}.7\n")
    pyenv.chmod(0o755)
    found = pipinstall.find_python([qgis, other, pyenv, Path(f"/usr/bin/python{V}")])
    assert found == Path(f"/usr/bin/python{V}")
    assert pipinstall.find_python([qgis, other]) is None


def test_constraints_pin_what_is_importable_except_what_is_installed(tmp_path):
    pins = pipinstall.constraints(exclude=["shapely", "esda"])
    assert f"numpy=={numpy.__version__}" in pins
    assert not any(p.startswith(("shapely==", "esda==")) for p in pins)
    # the plugin's own folder may change: nothing in it is pinned
    site = tmp_path / "site"
    (site / "gridgov_x-1.0.dist-info").mkdir(parents=True)
    (site / "gridgov_x-1.0.dist-info" / "METADATA").write_text("Name: gridgov-x\nVersion: 1.0\n")
    assert "gridgov-x==1.0" in pipinstall.constraints(path=[str(site)])
    assert pipinstall.constraints(skip_paths=[site], path=[str(site)]) == []


def test_sources():
    assert pipinstall.Source().pip_args() == []
    assert pipinstall.Source(pipinstall.INDEX, "http://mirror.city.gov.cn/simple").pip_args() == [
        "--index-url", "http://mirror.city.gov.cn/simple", "--trusted-host", "mirror.city.gov.cn"
    ]  # fmt: skip
    assert (
        pipinstall.Source(pipinstall.INDEX, "https://pypi.tuna.tsinghua.edu.cn/simple")
        .pip_args()[-1]
        .startswith("https://")
    )
    assert "does not exist" in pipinstall.Source(pipinstall.WHEELS, "/nonexistent").problem()
    assert "not a pip index" in pipinstall.Source(pipinstall.INDEX, "mirror:8080").problem()


def _wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    """A minimal pure-Python wheel: module ``name`` with ``VERSION``."""
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n",
        f"{name}-{version}.dist-info/METADATA": "Metadata-Version: 2.1\nName: "
        + name
        + f"\nVersion: {version}\n"
        + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{name}-{version}.dist-info/RECORD,,")
    files[f"{name}-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    out = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(out, "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
    return out


@pytest.fixture
def wheels(tmp_path):
    folder = tmp_path / "wheels"
    folder.mkdir()
    _wheel(folder, "gridgov_probe_a", "1.0", ("gridgov_probe_b>=2", f"numpy=={numpy.__version__}"))
    _wheel(folder, "gridgov_probe_b", "2.1")
    _wheel(folder, "gridgov_probe_c", "1.0", ("numpy>=99",))  # cannot be satisfied without replacing numpy
    return folder


def test_install_from_a_wheel_folder_into_the_plugins_own_folder(tmp_path, wheels, monkeypatch):
    prefix = tmp_path / "profile" / deps.DATA_FOLDER / f"python{V}"
    req = deps.Requirement("gridgov_probe_a", "gridgov_probe_a", "1.0")
    lines, steps = [], []
    job = pipinstall.PipInstall([req], pipinstall.Source(pipinstall.WHEELS, str(wheels)), prefix)
    out = job.run(progress=steps.append, line=lines.append)
    assert out.ok, out.message
    assert sorted(out.installed) == ["gridgov_probe_a-1.0", "gridgov_probe_b-2.1"]
    assert steps[-1] == 100.0 and steps == sorted(steps)
    assert any("--no-index" in s and "--prefix" in s for s in lines)
    # numpy was already there: not installed again, so QGIS's stays the one in use
    site = deps.site_dirs(prefix)
    assert site and not any((s / "numpy").exists() for s in site)
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert deps.activate(tmp_path / "profile")
    found = deps.probe(req)
    assert found.ok and found.version == "1.0" and Path(found.location) in site


def test_a_package_that_would_replace_numpy_is_refused(tmp_path, wheels):
    req = deps.Requirement("gridgov_probe_c", "gridgov_probe_c")
    out = pipinstall.PipInstall([req], pipinstall.Source(pipinstall.WHEELS, str(wheels)), tmp_path / "p").run()
    assert not out.ok and "pip failed" in out.message
    assert not any("gridgov_probe_c" in str(p) for p in (tmp_path / "p").rglob("*"))


def test_cancel_stops_pip(tmp_path, wheels):
    req = deps.Requirement("gridgov_probe_a", "gridgov_probe_a")
    out = pipinstall.PipInstall([req], pipinstall.Source(pipinstall.WHEELS, str(wheels)), tmp_path / "p").run(
        is_canceled=lambda: True
    )
    assert out.cancelled and not out.ok


def test_an_empty_or_missing_wheel_folder_is_named(tmp_path):
    req = deps.Requirement("x", "x")
    out = pipinstall.PipInstall([req], pipinstall.Source(pipinstall.WHEELS, str(tmp_path)), tmp_path / "p").run()
    assert not out.ok and "holds no wheels" in out.message
