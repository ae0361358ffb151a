#!/usr/bin/env python3
"""Build dist/grid_governance_plugin.zip and check it against the plugin repository's rules.

The zip unpacks to one folder grid_governance_plugin/ with __init__.py (classFactory),
metadata.txt, LICENSE, the code, resources (icons) and the compiled translations; no
tests, no __pycache__ or .pyc.
"""

from __future__ import annotations

import configparser
import fnmatch
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "grid_governance_plugin"
# plugins.qgis.org validator: PLUGIN_REQUIRED_METADATA and friends
REQUIRED_METADATA = (
    "name",
    "description",
    "version",
    "qgisMinimumVersion",
    "author",
    "email",
    "about",
    "tracker",
    "repository",
)
FORBIDDEN_DIRS = ("__MACOSX", ".git", "__pycache__")
PLACEHOLDER_URLS = ("http://bugs", "http://repo", "http://homepage", "example.com")
MAX_SIZE = 25_000_000
EXCLUDE = ("__pycache__", "*.pyc", "*.pyo", "tests", ".pytest_cache", "*.orig", "*.rej")


def stage(build: Path) -> Path:
    target = build / NAME
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / NAME, target, ignore=shutil.ignore_patterns(*EXCLUDE))
    shutil.copy(ROOT / "metadata.txt", target / "metadata.txt")
    shutil.copy(ROOT / "LICENSE", target / "LICENSE")
    shutil.copytree(ROOT / "resources", target / "resources", ignore=shutil.ignore_patterns(*EXCLUDE))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile", str(target / "i18n")], check=True)
    return target


def make_zip(staged: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(staged.rglob("*")):
            if path.is_file() and not any(fnmatch.fnmatch(part, pat) for part in path.parts for pat in EXCLUDE):
                zf.write(path, f"{NAME}/{path.relative_to(staged).as_posix()}")
    return out


def check_zip(path: Path) -> list[str]:
    """Problems the plugin repository would reject the upload for (empty: fine)."""
    problems = []
    if path.stat().st_size > MAX_SIZE:
        problems.append(f"zip is larger than {MAX_SIZE} bytes")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1:
            problems.append(f"zip must hold exactly one folder, found {sorted(tops)}")
        top = sorted(tops)[0]
        if not re.match(r"^[a-z_][a-z0-9_]*$", top):
            problems.append(f"folder name {top!r} does not match ^[a-z_][a-z0-9_]*$")
        for n in names:
            parts = n.split("/")
            if any(p in FORBIDDEN_DIRS for p in parts) or n.endswith((".pyc", ".pyo")):
                problems.append(f"forbidden entry {n}")
            if len(parts) > 1 and parts[1] == "tests":
                problems.append(f"tests must not ship: {n}")
        for required in ("__init__.py", "metadata.txt", "LICENSE"):
            if f"{top}/{required}" not in names:
                problems.append(f"{required} missing in {top}/")
        if f"{top}/__init__.py" in names and "def classFactory" not in zf.read(f"{top}/__init__.py").decode():
            problems.append("__init__.py has no classFactory")
        if f"{top}/metadata.txt" in names:
            cp = configparser.ConfigParser()
            cp.read_string(zf.read(f"{top}/metadata.txt").decode("utf-8"))
            meta = dict(cp.items("general")) if cp.has_section("general") else {}
            for key in REQUIRED_METADATA:
                if not meta.get(key.lower(), "").strip():
                    problems.append(f"metadata.txt lacks {key}")
            for key in ("tracker", "repository", "homepage"):
                url = meta.get(key, "")
                if url and (
                    not re.match(r"^https?://[^/\s]+\.[^/\s]+", url) or any(p in url for p in PLACEHOLDER_URLS)
                ):
                    problems.append(f"{key} is not a real URL: {url}")
            if meta.get("hasprocessingprovider", "").lower() not in ("yes", "true"):
                problems.append("hasProcessingProvider must be yes")
            if meta.get("qgisminimumversion") != "3.22":
                problems.append("qgisMinimumVersion must be 3.22")
            if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", meta.get("email", "")):
                problems.append("email is not an address")
            icon = meta.get("icon")
            if icon and f"{top}/{icon}" not in names:
                problems.append(f"icon {icon} is not in the zip")
        if not any(n.endswith(".qm") for n in names):
            problems.append("no compiled translation (.qm) in the zip")
    return problems


def main() -> int:
    staged = stage(ROOT / "build")
    out = make_zip(staged, ROOT / "dist" / f"{NAME}.zip")
    problems = check_zip(out)
    for p in problems:
        print(f"build_zip: {p}", file=sys.stderr)
    print(f"built {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KiB)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
