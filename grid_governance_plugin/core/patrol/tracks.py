"""Patrol tracks (巡查轨迹) from the grid workers' app: reading and cleaning.

Readers take GPX (``gpxpy``), CSV or GeoJSON with worker id, time, lon, lat and coord_sys, and
return fixes in WGS84/CGCS2000 (GCJ-02 and BD-09 converted as ``gridgov.report_event`` does,
core/events/coords.py). Bad rows are reported by number and the rest is read.

Cleaning (per worker), each step counted in the report (docs/patrols.md):

- *invalid*: no time, coordinates that are not degrees or lie outside China;
- *unsorted*: fixes that came after a later one in the file (they are sorted, not dropped);
- *duplicates*: a second fix of the same worker at the same instant (the first is kept);
- *jumps*: a fix that would need more than ``max_speed`` m/s from the last kept fix while the next
  fix is back within reach (a GPS spike, e.g. 2 km away for one second); dropped. When the
  following fixes stay at the new place, the worker really moved there (a bus, the app off):
  the track is split there, never drawn across;
- *gaps*: more than ``max_gap`` seconds without a fix while the worker moved more than
  ``stay_radius`` metres: the track is split (no walk is assumed across it). Phones report rarely
  while standing still, so a long silence at the same place does not split the track.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..events.coords import COORD_SYSTEMS, out_of_china, to_wgs84
from ..i18n import tr

BEIJING = dt.timezone(dt.timedelta(hours=8))
EARTH_R = 6371008.8

WORKER_KEYS = ("worker_id", "worker", "user_id", "userid", "网格员", "网格员编号")
TIME_KEYS = ("time", "at", "timestamp", "datetime", "gps_time", "时间")
LON_KEYS = ("lon", "lng", "longitude", "x", "经度")
LAT_KEYS = ("lat", "latitude", "y", "纬度")
SYS_KEYS = ("coord_sys", "coordsys", "crs", "坐标系")


@dataclass(frozen=True)
class Fix:
    worker_id: str
    at: dt.datetime  # aware
    lon: float  # WGS84/CGCS2000 degrees
    lat: float


@dataclass
class ReadResult:
    fixes: list[Fix] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one per refused row, naming it


@dataclass
class CleanReport:
    worker_id: str
    read: int = 0
    invalid: int = 0
    unsorted: int = 0
    duplicates: int = 0
    jumps: int = 0
    relocations: int = 0
    gaps: int = 0
    kept: int = 0

    @property
    def dropped(self) -> int:
        return self.invalid + self.duplicates + self.jumps

    def summary(self) -> str:
        return tr(
            "{0}: {1} fixes read, {2} kept; dropped {3} invalid, {4} duplicate(s), {5} jump(s); "
            "{6} out of order (sorted); track split at {7} gap(s) and {8} relocation(s).",
            self.worker_id,
            self.read,
            self.kept,
            self.invalid,
            self.duplicates,
            self.jumps,
            self.unsorted,
            self.gaps,
            self.relocations,
        )


# ------------------------------------------------------------------------------------- parsing
def parse_time(value: Any) -> dt.datetime | None:
    """ISO 8601 text (a missing zone is Beijing time, the app's clock), epoch seconds or ms, or a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=BEIJING)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            return None
        secs = value / 1000.0 if value > 1e11 else float(value)  # milliseconds from phones
        try:
            return dt.datetime.fromtimestamp(secs, tz=dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    if text.replace(".", "", 1).isdigit():  # epoch seconds or milliseconds as text
        return parse_time(float(text))
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    if len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        for fmt in ("%Y/%m/%dT%H:%M:%S", "%Y/%m/%dT%H:%M"):
            try:
                t = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return t if t.tzinfo else t.replace(tzinfo=BEIJING)


def _pick(row: dict[str, Any], keys: Iterable[str]) -> Any:
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for k in keys:
        if k in lower:
            return lower[k]
    return None


def _float(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def fix_from_values(
    worker: Any, at: Any, lon: Any, lat: Any, coord_sys: Any, label: str, default_sys: str = "wgs84"
) -> tuple[Fix | None, str | None]:
    """One fix from raw values, converted to WGS84; (None, message naming ``label``) when refused."""
    worker = str(worker).strip() if worker is not None else ""
    if not worker:
        return None, tr("{0}: no worker id.", label)
    t = parse_time(at)
    if t is None:
        return None, tr("{0}: the time '{1}' is not a date and time.", label, at)
    x, y = _float(lon), _float(lat)
    if x is None or y is None or not (-180 <= x <= 180 and -90 <= y <= 90):
        return None, tr("{0}: lon/lat ({1}, {2}) are not degrees.", label, lon, lat)
    sys_ = str(coord_sys or default_sys).strip().lower().replace("-", "")
    if sys_ not in COORD_SYSTEMS:
        return None, tr("{0}: unknown coord_sys '{1}' (use {2}).", label, coord_sys, ", ".join(COORD_SYSTEMS))
    x, y = to_wgs84(x, y, sys_)
    return Fix(worker, t, x, y), None


def read_csv(path: str | Path, worker_id: str | None = None, coord_sys: str = "wgs84") -> ReadResult:
    """CSV with a header: worker_id, time, lon, lat and optionally coord_sys (UTF-8, with or without BOM)."""
    out = ReadResult()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        for n, row in enumerate(csv.DictReader(fh, dialect=dialect), start=2):
            fix, problem = fix_from_values(
                worker_id or _pick(row, WORKER_KEYS),
                _pick(row, TIME_KEYS),
                _pick(row, LON_KEYS),
                _pick(row, LAT_KEYS),
                _pick(row, SYS_KEYS),
                tr("{0} line {1}", Path(path).name, n),
                coord_sys,
            )
            if fix is not None:
                out.fixes.append(fix)
            else:
                out.problems.append(problem)
    return out


def read_geojson(path: str | Path, worker_id: str | None = None, coord_sys: str = "wgs84") -> ReadResult:
    """GeoJSON Points (or LineStrings with a ``times`` list) with worker_id, time and coord_sys properties."""
    out = ReadResult()
    data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    feats = data.get("features", []) if isinstance(data, dict) else []
    for n, feat in enumerate(feats, start=1):
        label = tr("{0} feature {1}", Path(path).name, n)
        props = (feat or {}).get("properties") or {}
        geom = (feat or {}).get("geometry") or {}
        worker = worker_id or _pick(props, WORKER_KEYS)
        sys_ = _pick(props, SYS_KEYS) or coord_sys
        if geom.get("type") == "Point":
            coords = geom.get("coordinates") or [None, None]
            fix, problem = fix_from_values(
                worker, _pick(props, TIME_KEYS), coords[0], coords[1], sys_, label, coord_sys
            )
            if fix is not None:
                out.fixes.append(fix)
            else:
                out.problems.append(problem)
        elif geom.get("type") == "LineString" and isinstance(props.get("times"), list):
            coords = geom.get("coordinates") or []
            if len(coords) != len(props["times"]):
                out.problems.append(tr("{0}: {1} points but {2} times.", label, len(coords), len(props["times"])))
                continue
            for k, (c, t) in enumerate(zip(coords, props["times"]), start=1):
                fix, problem = fix_from_values(worker, t, c[0], c[1], sys_, f"{label}.{k}", coord_sys)
                if fix is not None:
                    out.fixes.append(fix)
                else:
                    out.problems.append(problem)
        else:
            out.problems.append(tr("{0}: not a point with a time.", label))
    return out


def read_gpx(path: str | Path, worker_id: str | None = None, coord_sys: str = "wgs84") -> ReadResult:
    """Track and route points of a GPX file. The worker is ``worker_id``, else the file's author, else its name."""
    try:
        import gpxpy
    except ImportError as exc:  # a stock QGIS without the plugin's requirements
        raise RuntimeError(tr("Reading GPX needs the Python package gpxpy (pip install gpxpy).")) from exc
    out = ReadResult()
    with open(path, encoding="utf-8-sig") as fh:
        try:
            gpx = gpxpy.parse(fh)
        except Exception as exc:  # gpxpy.gpx.GPXXMLSyntaxException and friends
            raise ValueError(tr("{0} is not a readable GPX file: {1}", Path(path).name, str(exc))) from exc
    worker = worker_id or gpx.author_name or (gpx.tracks[0].name if gpx.tracks and gpx.tracks[0].name else None)
    worker = worker or Path(path).stem
    n = 0
    points = [p for t in gpx.tracks for s in t.segments for p in s.points] + [p for r in gpx.routes for p in r.points]
    for p in points:
        n += 1
        fix, problem = fix_from_values(
            worker, p.time, p.longitude, p.latitude, coord_sys, tr("{0} point {1}", Path(path).name, n), coord_sys
        )
        if fix is not None:
            out.fixes.append(fix)
        else:
            out.problems.append(problem)
    return out


def read_tracks(path: str | Path, worker_id: str | None = None, coord_sys: str = "wgs84") -> ReadResult:
    """Any supported file by its extension (.gpx, .csv/.txt, .geojson/.json)."""
    ext = Path(path).suffix.lower()
    if ext == ".gpx":
        return read_gpx(path, worker_id, coord_sys)
    if ext in (".csv", ".txt"):
        return read_csv(path, worker_id, coord_sys)
    if ext in (".geojson", ".json"):
        return read_geojson(path, worker_id, coord_sys)
    raise ValueError(tr("{0}: patrol tracks are read from GPX, CSV or GeoJSON files.", Path(path).name))


# ------------------------------------------------------------------------------------- cleaning
def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(min(1.0, math.sqrt(a)))


def _speed(a: Fix, b: Fix) -> float:
    secs = abs((b.at - a.at).total_seconds())
    d = distance_m(a.lon, a.lat, b.lon, b.lat)
    return math.inf if secs == 0 and d > 0 else (d / secs if secs else 0.0)


def clean_worker(
    worker_id: str,
    fixes: list[Fix],
    max_speed: float = 15.0,
    max_gap: float = 600.0,
    stay_radius: float = 50.0,
) -> tuple[list[list[Fix]], CleanReport]:
    """One worker's fixes (any order) as cleaned segments, with what was dropped and why."""
    rep = CleanReport(worker_id, read=len(fixes))
    valid = []
    for f in fixes:
        if f.at is None or out_of_china(f.lon, f.lat):
            rep.invalid += 1
        else:
            valid.append(f)
    latest = None
    for f in valid:  # arrival order: a fix earlier than one already seen is out of order
        if latest is not None and f.at < latest:
            rep.unsorted += 1
        latest = f.at if latest is None or f.at > latest else latest
    ordered = sorted(enumerate(valid), key=lambda p: (p[1].at, p[0]))  # stable: the first of equal times wins
    unique: list[Fix] = []
    for _, f in ordered:
        if unique and f.at == unique[-1].at:
            rep.duplicates += 1
            continue
        unique.append(f)
    segments: list[list[Fix]] = []
    current: list[Fix] = []
    i = 0
    while i < len(unique):
        f = unique[i]
        if not current:
            current = [f]
            i += 1
            continue
        last = current[-1]
        if _speed(last, f) > max_speed:
            nxt = unique[i + 1] if i + 1 < len(unique) else None
            if nxt is None or _speed(last, nxt) <= max_speed or _speed(f, nxt) > max_speed:
                rep.jumps += 1  # a spike: the next fix is back near the track (or there is none)
                i += 1
                continue
            rep.relocations += 1  # the next fix agrees with the new place: the worker moved there
            segments.append(current)
            current = [f]
            i += 1
            continue
        gap = (f.at - last.at).total_seconds()
        if gap > max_gap and distance_m(last.lon, last.lat, f.lon, f.lat) > stay_radius:
            rep.gaps += 1
            segments.append(current)
            current = [f]
        else:
            current.append(f)
        i += 1
    if current:
        segments.append(current)
    rep.kept = sum(len(s) for s in segments)
    return segments, rep


def clean(
    fixes: Iterable[Fix], max_speed: float = 15.0, max_gap: float = 600.0, stay_radius: float = 50.0
) -> tuple[dict[str, list[list[Fix]]], list[CleanReport]]:
    """Clean every worker's fixes; segments by worker and one report per worker (sorted by worker id)."""
    by_worker: dict[str, list[Fix]] = {}
    for f in fixes:
        by_worker.setdefault(f.worker_id, []).append(f)
    segments, reports = {}, []
    for w in sorted(by_worker):
        segs, rep = clean_worker(w, by_worker[w], max_speed, max_gap, stay_radius)
        segments[w] = segs
        reports.append(rep)
    return segments, reports
