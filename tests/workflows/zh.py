"""The plugin's zh_CN catalogue compiled and installed for a test: what a Chinese user reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def compile_catalogue(out: Path) -> Path:
    """The .qm of the TSV catalogue as it is in this checkout (new strings included)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile", str(out)], check=True)
    return out / "grid_governance_plugin_zh_CN.qm"
