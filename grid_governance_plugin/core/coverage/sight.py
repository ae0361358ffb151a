"""Which cameras really see a place: the coverage engine's fields of view, buildings in the way.

The case card asks for the cameras around one case. Each camera near it gets the occluded
field of view that ``gridgov:coverage`` computes (:class:`~.visibility.FovEngine`: the same
camera model, defaults and facade mount rule), in a local metric frame centred on the place
(an azimuthal equidistant projection, :func:`local_proj`), so a camera behind a building is not
offered. Online cameras that see the place come first; offline, faulty and obstructed ones
that would see it are listed apart with their status, so the supervisor knows footage is
missing there and why. Planned cameras are not there yet and are left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely

from ..labels import label
from .brute import seen_by
from .camera import CameraDefaults, parse_camera
from .obstacles import Obstacles
from .visibility import FovEngine, SweepOptions

# A place this close to the edge of a field of view counts as seen (metres; rounding of the
# projection and of the swept polygon, far below what a camera resolves).
EDGE_TOLERANCE = 0.01
SHOWN = ("id", "device_id", "name", "system", "status")


def local_proj(lon: float, lat: float) -> str:
    """PROJ definition of the metric frame centred on (lon, lat): azimuthal equidistant on
    CGCS2000's ellipsoid, so distances and bearings from the place are true, and within a few
    hundred metres every other distance too (to a few millimetres)."""
    return f"+proj=aeqd +lat_0={float(lat):.9f} +lon_0={float(lon):.9f} +ellps=GRS80 +units=m +no_defs"


def cameras_seeing_place(
    cameras: Iterable[dict[str, Any]],
    obstacles: Iterable[Any] = (),
    options: SweepOptions | None = None,
    defaults: CameraDefaults | None = None,
) -> list[dict[str, Any]]:
    """The cameras that see the place at (0, 0) of a local metric frame, nearest first.

    ``cameras``: store rows (device_id, status, azimuth, hfov, range_m, ...) with ``x``, ``y``,
    the camera's position in the frame (:func:`local_proj`). ``obstacles``: building footprints
    in the same frame. Returns one dict per camera whose field of view holds the place: the
    row's id, device_id, name, system and status, plus ``status_label``, ``available`` (an
    online camera: footage can be asked for), ``distance_m`` and ``bearing`` (camera to place,
    degrees from north). Available cameras come first.
    """
    rows = [r for r in cameras if r.get("x") is not None and r.get("y") is not None]
    parsed = []
    for r in rows:
        cam, _msgs = parse_camera(float(r["x"]), float(r["y"]), r, defaults, label=r.get("id"))
        if cam is None or cam.status == "planned":  # unusable rows are reported by gridgov:coverage
            continue
        parsed.append((r, cam))
    # range, near limit and bearing first (cheap): only those cameras are swept against buildings
    parsed = [(r, c) for r, c in parsed if bool(seen_by(c, [0.0], [0.0])[0])]
    if not parsed:
        return []
    engine = FovEngine(Obstacles.build(np.asarray(list(obstacles), dtype=object)), options or SweepOptions())
    fovs, _msgs = engine.fovs([c for _r, c in parsed])
    place = shapely.Point(0.0, 0.0)
    out = []
    for (r, cam), fov in zip(parsed, fovs):
        if fov is None or fov.is_empty or not shapely.dwithin(fov, place, EDGE_TOLERANCE):
            continue  # a building (or the camera's own wall) is in the way
        row = {k: r.get(k) for k in SHOWN}
        row["status"] = cam.status
        row["status_label"] = label("camera_status", cam.status)
        row["available"] = cam.status == "online"
        row["distance_m"] = math.hypot(cam.x, cam.y)
        bearing = math.degrees(math.atan2(-cam.x, -cam.y)) % 360.0
        row["bearing"] = 0.0 if bearing >= 360.0 else bearing  # -1e-15 % 360 is 360.0
        out.append(row)
    out.sort(key=lambda c: (not c["available"], c["distance_m"]))
    return out
