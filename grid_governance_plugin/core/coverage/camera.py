"""Camera model: parsing and validating camera rows, near/far limits and DORI distances.

A ground point p is seen by camera c when (1) near <= |p - c| <= far, (2) the bearing
c -> p lies within hfov/2 of the azimuth and (3) nothing blocks the line of sight
(see :mod:`.visibility`). This module covers (1) and (2) and the camera's attributes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import tr

# IEC 62676-4 pixel densities (px/m) of the DORI levels, strictest last.
DORI_LEVELS: dict[str, float] = {"detect": 25.0, "observe": 62.5, "recognise": 125.0, "identify": 250.0}
DORI_ORDER = ("identify", "recognise", "observe", "detect")  # from the camera outwards

STATUSES = ("online", "offline", "faulty", "obstructed", "planned")
# Planned coverage: every camera that works or will work once built or repaired. 'obstructed'
# stays out because its view is blocked by something the obstacle layer does not know.
PLANNED_STATUSES = frozenset({"online", "offline", "faulty", "planned"})

_GB28181 = re.compile(r"^\d{20}$")


@dataclass
class CameraDefaults:
    """Values used where a camera row has a null field. None: the field has no default."""

    azimuth: float | None = None  # None: cameras without azimuth are treated as all-round (hfov 360)
    hfov: float | None = 90.0
    range_m: float | None = 50.0
    height_m: float | None = 4.0
    tilt: float | None = None
    vfov: float | None = None
    hres_px: int | None = None
    status: str = "online"


@dataclass
class Camera:
    """One camera in a metric CRS; angles in degrees, azimuth clockwise from north."""

    x: float
    y: float
    azimuth: float = 0.0
    hfov: float = 360.0
    range_m: float = 50.0
    height_m: float = 4.0
    tilt: float | None = None
    vfov: float | None = None
    hres_px: int | None = None
    status: str = "online"
    id: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def is_dome(self) -> bool:
        return self.hfov >= 360.0 - 1e-9

    def near_far(self) -> tuple[float, float]:
        """Ground distances (near, far) the camera images, from its tilt and vertical FOV.

        Without tilt/vfov: (0, range_m). A camera looking entirely above the horizon sees
        no ground: (0, 0).
        """
        if self.tilt is None or self.vfov is None:
            return 0.0, float(self.range_m)
        lower = self.tilt + self.vfov / 2.0  # steepest ray below the horizon
        upper = self.tilt - self.vfov / 2.0  # flattest ray
        if lower <= 0.0:
            return 0.0, 0.0
        near = 0.0 if lower >= 90.0 else self.height_m / math.tan(math.radians(lower))
        far = float(self.range_m) if upper <= 0.0 else min(self.range_m, self.height_m / math.tan(math.radians(upper)))
        if far < near:
            return near, near
        return near, far

    def counts(self, planned: bool = False) -> bool:
        """Whether the camera counts toward coverage (online; with ``planned`` see PLANNED_STATUSES)."""
        status = (self.status or "").strip().lower()
        return status in PLANNED_STATUSES if planned else status == "online"

    def dori_distance(self, level: str) -> float:
        """Farthest distance at which the camera reaches the pixel density of a DORI level."""
        return dori_distance(self.hres_px, self.hfov, DORI_LEVELS[level])


def dori_distance(hres_px: float | None, hfov: float, ppm: float) -> float:
    """d_max = hres / (2 ppm tan(hfov/2)) (IEC 62676-4); inf without a resolution.

    A pinhole lens cannot reach 180 degrees, so from 180 on (fisheyes, domes) the
    equidistant lens model hres / (ppm * hfov_rad) is used instead.
    """
    if hres_px is None or hres_px <= 0:
        return math.inf
    if hfov < 180.0:
        return hres_px / (2.0 * ppm * math.tan(math.radians(hfov) / 2.0))
    return hres_px / (ppm * math.radians(hfov))


@dataclass
class CameraMessage:
    """A problem with one camera row; ``level`` is 'error' (camera skipped), 'warning' or 'info'."""

    camera_id: Any
    field: str
    level: str
    text: str


def valid_gb28181(device_id: str) -> bool:
    """A GB/T 28181 device id: 20 digits, digits 11-13 a device type (111-199 devices and front ends)."""
    if not _GB28181.match(device_id):
        return False
    return 111 <= int(device_id[10:13]) <= 199


def _number(value: Any) -> float | None:
    """A float from a field value; None for null/blank; raises ValueError for junk."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    number = float(value)
    if math.isnan(number):
        return None
    return number


FIELD_KEYS = ("id", "azimuth", "hfov", "range_m", "height_m", "tilt", "vfov", "hres_px", "status")


def parse_camera(
    x: float,
    y: float,
    row: dict[str, Any],
    defaults: CameraDefaults | None = None,
    fields: dict[str, str | None] | None = None,
    label: Any = None,
) -> tuple[Camera | None, list[CameraMessage]]:
    """Build a Camera from an attribute row, with messages for every bad or defaulted value.

    ``fields`` maps the model keys (FIELD_KEYS) to the row's field names (default: the
    store schema, id -> device_id). ``label`` names the camera in messages (e.g. the
    feature id) when it has no device id. Returns (None, messages) when a value is
    unusable; the caller goes on with the next camera.
    """
    defaults = defaults or CameraDefaults()
    names = {"id": "device_id", **{k: k for k in FIELD_KEYS if k != "id"}}
    if fields:
        names.update({k: v for k, v in fields.items() if k in names})
    msgs: list[CameraMessage] = []

    def raw(key: str) -> Any:
        name = names.get(key)
        return row.get(name) if name else None

    device_id = raw("id")
    device_id = None if device_id is None or str(device_id).strip() == "" else str(device_id).strip()
    who = device_id if device_id is not None else label
    fatal = False

    def err(key: str, text: str, level: str = "error") -> None:
        nonlocal fatal
        msgs.append(CameraMessage(who, names.get(key) or key, level, text))
        if level == "error":
            fatal = True

    def num(key: str) -> float | None:
        try:
            return _number(raw(key))
        except (TypeError, ValueError):
            err(key, tr("Camera {0}: field {1} is not a number ({2}).", who, names.get(key), raw(key)))
            return None

    if device_id is not None and not valid_gb28181(device_id):
        err("id", tr("Camera {0}: {1} is not a 20-digit GB/T 28181 device id.", who, device_id), "warning")

    values: dict[str, float | None] = {}
    junk: set[str] = set()
    for key in ("azimuth", "hfov", "range_m", "height_m", "tilt", "vfov", "hres_px"):
        before = len(msgs)
        value = num(key)
        if len(msgs) > before:
            junk.add(key)
        elif value is None:
            default = getattr(defaults, key)
            if default is not None and key not in ("tilt", "vfov") and names.get(key):
                msgs.append(
                    CameraMessage(
                        who, names[key], "info", tr("Camera {0}: {1} is empty, using {2}.", who, names[key], default)
                    )
                )
            value = default
        values[key] = value

    hfov = values["hfov"]
    if "hfov" in junk:
        pass
    elif hfov is None:
        err("hfov", tr("Camera {0}: no horizontal field of view and no default.", who))
    elif not 0.0 < hfov <= 360.0:
        err("hfov", tr("Camera {0}: horizontal field of view {1} is outside (0, 360].", who, hfov))
    azimuth = values["azimuth"]
    if "azimuth" in junk:
        azimuth = 0.0
    elif azimuth is None:
        if hfov is not None and hfov < 360.0 and not fatal:
            msgs.append(
                CameraMessage(
                    who,
                    names.get("azimuth") or "azimuth",
                    "info",
                    tr("Camera {0}: no azimuth, treated as an all-round camera (360 degrees).", who),
                )
            )
            hfov = 360.0
        azimuth = 0.0
    elif not 0.0 <= azimuth <= 360.0:
        err("azimuth", tr("Camera {0}: azimuth {1} is outside [0, 360].", who, azimuth))
    rng = values["range_m"]
    if "range_m" in junk:
        pass
    elif rng is None:
        err("range_m", tr("Camera {0}: no range and no default.", who))
    elif rng <= 0.0:
        err("range_m", tr("Camera {0}: range {1} m must be positive.", who, rng))
    height = values["height_m"]
    if "height_m" in junk:
        pass
    elif height is None:
        err("height_m", tr("Camera {0}: no mount height and no default.", who))
    elif height < 0.0:
        err("height_m", tr("Camera {0}: mount height {1} m is negative.", who, height))
    tilt, vfov = values["tilt"], values["vfov"]
    if tilt is not None and not -90.0 <= tilt <= 90.0:
        err("tilt", tr("Camera {0}: tilt {1} is outside [-90, 90].", who, tilt))
    if vfov is not None and not 0.0 < vfov < 180.0:
        err("vfov", tr("Camera {0}: vertical field of view {1} is outside (0, 180).", who, vfov))
    if (tilt is None) != (vfov is None) and not fatal:
        msgs.append(
            CameraMessage(
                who,
                names.get("tilt" if tilt is None else "vfov") or "tilt",
                "info",
                tr("Camera {0}: tilt and vertical field of view must both be set; using the range only.", who),
            )
        )
        tilt = vfov = None
    hres = values["hres_px"]
    if hres is not None and hres <= 0:
        err("hres_px", tr("Camera {0}: horizontal resolution {1} must be positive.", who, hres))
    status = raw("status")
    status = defaults.status if status is None or str(status).strip() == "" else str(status).strip().lower()
    if status not in STATUSES:
        msgs.append(
            CameraMessage(
                who,
                names.get("status") or "status",
                "warning",
                tr("Camera {0}: unknown status '{1}', the camera does not count.", who, status),
            )
        )
    if fatal:
        return None, msgs
    cam = Camera(
        x=float(x),
        y=float(y),
        azimuth=float(azimuth) % 360.0,
        hfov=float(hfov),
        range_m=float(rng),
        height_m=float(height),
        tilt=tilt,
        vfov=vfov,
        hres_px=int(hres) if hres is not None else None,
        status=status,
        id=who,
        attributes=dict(row),
    )
    near, far = cam.near_far()
    if far <= near:
        msgs.append(
            CameraMessage(
                who,
                names.get("tilt") or "tilt",
                "warning",
                tr("Camera {0}: with its tilt and vertical field of view it sees no ground.", who),
            )
        )
    return cam, msgs
