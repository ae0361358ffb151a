"""Starting the real qgis binary from a test (scripts/qgis_run.py + scripts/qgis_probe.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def qgis_command(
    profiles: Path, env: dict[str, str], timeout: float = 240, locale: str | None = None, project: Path | None = None
) -> list[str]:
    """The command that runs QGIS with a fresh profile in ``profiles`` and the probe script."""
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "qgis_run.py"),
        "--profiles",
        str(profiles),
        "--code",
        str(ROOT / "scripts" / "qgis_probe.py"),
        "--timeout",
        str(timeout),
    ]
    if locale:
        cmd += ["--locale", locale]
    if project:
        cmd += ["--project", str(project)]
    # the test session runs offscreen; the desktop needs X (Xvfb)
    for k, v in {**env, "QT_QPA_PLATFORM": "xcb"}.items():
        cmd += ["--env", f"{k}={v}"]
    return cmd


def run_qgis(
    tmp_path: Path, env: dict[str, str], timeout: float = 240, locale: str | None = None, project: Path | None = None
) -> dict:
    """Run QGIS until the probe quits; return its report (tmp_path/report.json)."""
    report = tmp_path / "report.json"
    env = {**env, "GRIDGOV_REPORT": str(report), "GRIDGOV_QUIT": "1"}
    subprocess.run(
        qgis_command(tmp_path / "profiles", env, timeout, locale, project), check=False, timeout=timeout + 60
    )
    assert report.exists(), "QGIS did not write its report"
    return json.loads(report.read_text(encoding="utf-8"))
