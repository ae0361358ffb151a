#!/usr/bin/env python3
"""Build a folder of wheels for installing the plugin's Python packages on machines without Internet.

  wheelhouse.py --out DIR [--python /usr/bin/python3] [--all]

The wheels are chosen for the Python that QGIS uses on the target machine (``--python``; by
default this machine's /usr/bin/python3, what Debian's QGIS runs): the same versions the
plugin's Install button would fetch there, constrained to what that Python already has
(numpy, scipy, pyproj… stay as they are, so only missing packages are in the folder), plus a
pip wheel for a QGIS whose Python has no pip. ``--all`` also downloads wheels of the packages
that Python already has (for a folder that serves machines set up differently).

Copy the folder to the offline machine and choose it in Grid governance > Python
dependencies… > "A folder of wheels".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"

_PINS = r"""
import importlib.metadata as md, json, re, sys
out = {}
for d in md.distributions():
    n = (d.metadata["Name"] or "") if d.metadata else ""
    v = d.version or ""
    if n and re.match(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$", v):
        out.setdefault(re.sub(r"[-_.]+", "-", n).lower(), v)
print(json.dumps({"pins": out, "version": "%d.%d" % sys.version_info[:2]}))
"""


def requirement_lines(path: Path = REQUIREMENTS) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def _name(req: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~ \[;]", req, maxsplit=1)[0]).lower()


def target_info(python: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    res = subprocess.run([python, "-c", _PINS], capture_output=True, text=True, check=True, env=env)
    return json.loads(res.stdout)


def cache_key(python: str, requirements: list[str] | None = None) -> str:
    """Changes when the requirements or the target Python's packages change."""
    info = target_info(python)
    text = json.dumps([requirements or requirement_lines(), info], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _pip(python: str, *args: str) -> list[str]:
    return [python, "-m", "pip", "--disable-pip-version-check", *args]


def build(out: Path, python: str = "/usr/bin/python3", everything: bool = False, quiet: bool = False) -> Path:
    """Fill ``out`` with the wheels; returns ``out``. Built in a temporary folder, moved at the end."""
    reqs = requirement_lines()
    info = target_info(python)
    wanted = {_name(r) for r in reqs}
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    q = ["-q"] if quiet else []
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="gridgov-wheelhouse-") as tmp:
        tmpd = Path(tmp)
        cons = tmpd / "constraints.txt"
        pins = [f"{n}=={v}" for n, v in sorted(info["pins"].items()) if n not in wanted]
        cons.write_text("\n".join(pins) + "\n", encoding="utf-8")
        stage = tmpd / "wheels"
        stage.mkdir()
        if everything:
            subprocess.run(
                _pip(python, "download", *q, "--only-binary", ":all:", "-d", str(stage), "-c", str(cons), *reqs),
                check=True,
                env=env,
            )
        else:
            # what Install would fetch on that Python: pip's own resolution, given what it has
            report = tmpd / "report.json"
            subprocess.run(
                _pip(python, "install", *q, "--dry-run", "--prefix", str(tmpd / "prefix"), "--report", str(report),
                     "-c", str(cons), *reqs),
                check=True,
                env=env,
            )  # fmt: skip
            items = json.loads(report.read_text(encoding="utf-8"))["install"]
            exact = [f"{i['metadata']['name']}=={i['metadata']['version']}" for i in items]
            if exact:
                subprocess.run(
                    _pip(python, "download", *q, "--no-deps", "--only-binary", ":all:", "-d", str(stage), *exact),
                    check=True,
                    env=env,
                )
        # pip itself, for a QGIS whose Python has none (the plugin runs pip from this wheel)
        subprocess.run(_pip(python, "download", *q, "--no-deps", "-d", str(stage), "pip"), check=True, env=env)
        (stage / "requirements.txt").write_text("\n".join(reqs) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(stage), str(out))
    return out


def cached(cache_root: Path, python: str = "/usr/bin/python3") -> Path:
    """The wheel folder for ``python`` under ``cache_root``, built once per requirements/packages state."""
    folder = Path(cache_root) / cache_key(python)
    if not (folder / "requirements.txt").exists():
        build(folder, python, quiet=True)
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "dist" / "wheelhouse")
    ap.add_argument("--python", default="/usr/bin/python3", help="the Python QGIS uses on the target machine")
    ap.add_argument("--all", action="store_true", help="also packages that Python already has")
    args = ap.parse_args()
    out = build(args.out, args.python, args.all)
    wheels = sorted(p.name for p in out.glob("*.whl"))
    size = sum(p.stat().st_size for p in out.glob("*.whl")) / 1e6
    print(f"{len(wheels)} wheels, {size:.0f} MB in {out}")
    for w in wheels:
        print("  " + w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
