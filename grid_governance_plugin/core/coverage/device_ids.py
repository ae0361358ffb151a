"""New camera device codes in the GB/T 28181 style Chinese video platforms expect (20 digits).

    centre (8: county code 6 + basic unit 2) + industry (2) + type (3) + network (1) + serial (6)

* centre: the county (GB/T 2260) of the grid holding the camera, and its street as the basic
  unit (the last two digits of the street's three), as the demo city and most platforms do;
* industry: by system (天网 00, 雪亮 01, 社会自建 03, 交警 04; 00 when unknown);
* type 132 (network camera), network 0 (video private network);
* serial: the next one after the highest already used under the same first 14 digits, so a
  code is never given twice and never reused.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..grids.coderule import county_problem
from ..i18n import tr
from .camera import valid_gb28181

INDUSTRY_BY_SYSTEM = {"天网": "00", "雪亮": "01", "社会自建": "03", "交警": "04"}
CAMERA_TYPE = "132"  # IP camera
NETWORK = "0"  # video private network


class DeviceIdError(ValueError):
    """No code can be made (no usable county, or the serials are exhausted)."""


def centre_from_grid_code(grid_code: object) -> str | None:
    """County (6) + basic unit (2) from a standard 15-digit grid code, else None."""
    text = str(grid_code or "").strip()
    if len(text) != 15 or not text.isdigit() or county_problem(text[:6]):
        return None
    return text[:6] + text[7:9]


def centre_from_device_id(device_id: object) -> str | None:
    text = str(device_id or "").strip()
    return text[:8] if valid_gb28181(text) else None


def prefix(centre: str, system: str | None = None) -> str:
    """The first 14 digits of a new camera's code."""
    if len(centre) != 8 or not centre.isdigit():
        raise DeviceIdError(tr("'{0}' is not an 8-digit centre code (county 6 + unit 2).", centre))
    return centre + INDUSTRY_BY_SYSTEM.get((system or "").strip(), "00") + CAMERA_TYPE + NETWORK


def next_device_id(existing: Iterable[object], centre: str, system: str | None = None) -> str:
    """A new 20-digit code under ``centre`` after the highest serial in use there."""
    head = prefix(centre, system)
    used = [
        int(t[14:])
        for t in (str(e or "").strip() for e in existing)
        if len(t) == 20 and t.startswith(head) and t.isdigit()
    ]
    serial = max(used, default=0) + 1
    if serial > 999_999:
        raise DeviceIdError(tr("No free device serial left under {0}.", head))
    code = f"{head}{serial:06d}"
    assert valid_gb28181(code)
    return code
