"""What a reader finds in a PDF: its text page by page (poppler's pdftotext and pdfinfo)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: scripts/bootstrap.sh installs poppler-utils")
    return path


def page_count(pdf: Path) -> int:
    out = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def pages(pdf: Path) -> list[str]:
    """The text of every page, in reading order (-layout keeps a table row on one line)."""
    out = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    found = out.split("\f")
    if found and not found[-1].strip():
        found = found[:-1]
    assert len(found) == page_count(pdf)
    return found


def squeeze(text: str) -> str:
    """Text without spaces and line breaks (CJK text comes out with spaces between glyph runs)."""
    return re.sub(r"\s+", "", text)
