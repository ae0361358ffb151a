"""Where the plugin's resources and translations are, deployed or in the source tree."""

from __future__ import annotations

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent


def _first_existing(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


def resources_dir() -> Path:
    """``resources/`` inside the deployed plugin, or at the top of the source tree."""
    return _first_existing(PLUGIN_DIR / "resources", PLUGIN_DIR.parent / "resources")


def i18n_dir() -> Path:
    return _first_existing(PLUGIN_DIR / "i18n", PLUGIN_DIR.parent / "i18n")


def icon_path(name: str) -> str:
    return str(resources_dir() / "icons" / name)


def style_path(name: str) -> str:
    return str(resources_dir() / "styles" / name)
