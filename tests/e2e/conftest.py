"""Fixtures of the end-to-end tests: the plugin zip, built once per session."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_zip(tmp_path_factory) -> Path:
    """The plugin zip, built into a private directory (dist/ may be shared with another run)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_zip
    finally:
        sys.path.pop(0)
    out = tmp_path_factory.mktemp("zip")
    path = build_zip.make_zip(build_zip.stage(out / "build"), out / "grid_governance_plugin.zip")
    assert build_zip.check_zip(path) == []
    return path
