#!/usr/bin/env python3
"""Run the real QGIS desktop with a fresh profile, under Xvfb when there is no display.

Used by `make demo` and by the end-to-end tests:

  qgis_run.py --profiles DIR [--zip PLUGIN.zip] [--locale zh_CN] [--code SCRIPT] [--project FILE]
              [--timeout S] [--env K=V ...] [--stock]

--stock leaves the project's venv off PYTHONPATH and PATH: QGIS sees only what it brings itself.

--zip installs the plugin into the fresh profile the way a user does (Plugins >
Install from ZIP), from the --code script via pyplugin_installer, when GRIDGOV_INSTALL_ZIP
is set; here we only prepare the profile (no tips dialog, no version check, locale).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare_profile(profiles: Path, locale: str | None) -> Path:
    """A fresh 'default' profile whose settings skip first-run dialogs."""
    if profiles.exists():
        shutil.rmtree(profiles)
    ini_dir = profiles / "profiles" / "default" / "QGIS"
    ini_dir.mkdir(parents=True)
    (profiles / "profiles" / "default" / "python" / "plugins").mkdir(parents=True)
    lines = [
        "[qgis]",
        "showTips322=false",
        "showTips324=false",
        "showTips328=false",
        "checkVersion=false",
        "allowVersionCheck=false",
        "[core]",
        "NewsFeed\\httpsfeedqgisorg\\disabled=true",
        "[app]",
        "qgis\\showTips=false",
    ]
    if locale:
        lines += ["[locale]", "overrideFlag=true", f"userLocale={locale}", "globalLocale=" + locale]
    (ini_dir / "QGIS3.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (profiles / "profiles" / "profiles.ini").write_text("[core]\ndefaultProfile=default\n")
    return profiles / "profiles" / "default"


def qgis_env(extra: dict[str, str] | None = None, stock: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    venv = ROOT / ".venv"
    if stock:
        # QGIS as a user has it: nothing of the project's venv on PYTHONPATH or PATH
        env.pop("PYTHONPATH", None)
        env.pop("VIRTUAL_ENV", None)
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(venv)))
    else:
        # the plugin's Python dependencies (shapely 2, esda...) live in the project's venv
        site = sorted((venv / "lib").glob("python3*/site-packages"))
        if site:
            env["PYTHONPATH"] = os.pathsep.join([str(site[0]), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # the real desktop needs X (Xvfb or a display), even when the caller runs offscreen
    env["QT_QPA_PLATFORM"] = "xcb"
    env.pop("QGIS_PLUGINPATH", None)
    env.update(extra or {})
    return env


def run(
    profiles: Path,
    code: Path | None,
    project: Path | None,
    timeout: float,
    env_extra: dict[str, str],
    locale: str | None,
    stock: bool = False,
) -> int:
    prepare_profile(profiles, locale)
    cmd = ["qgis", "--profiles-path", str(profiles), "--profile", "default", "--nologo", "--noversioncheck"]
    if code:
        cmd += ["--code", str(code)]
    if project:
        cmd += ["--project", str(project)]
    env = qgis_env(env_extra, stock)
    if not os.environ.get("DISPLAY"):
        if not shutil.which("xvfb-run"):
            print("xvfb-run not found: run scripts/bootstrap.sh", file=sys.stderr)
            return 2
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *cmd]
    try:
        return subprocess.run(cmd, env=env, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        print(f"QGIS did not finish within {timeout:.0f} s", file=sys.stderr)
        return 124


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", required=True, type=Path)
    ap.add_argument("--code", type=Path)
    ap.add_argument("--project", type=Path)
    ap.add_argument("--locale")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--stock", action="store_true", help="without the project's venv: QGIS as a user has it")
    args = ap.parse_args()
    extra = dict(kv.split("=", 1) for kv in args.env)
    return run(args.profiles, args.code, args.project, args.timeout, extra, args.locale, args.stock)


if __name__ == "__main__":
    sys.exit(main())
