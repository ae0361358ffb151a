"""Camera importers (pure Python, no QGIS): CSV/Excel device lists and OpenStreetMap surveillance nodes.

Every import returns ``ImportResult(cameras, report)``: ``cameras`` are dicts with the store's
camera fields (:data:`CAMERA_FIELDS`) plus ``lon``/``lat`` in WGS84/CGCS2000 degrees and
``source_ref`` (row number or OSM id); ``report`` lists :class:`ImportMessage` rows saying which
row/feature and field was wrong or defaulted, and why. Rows without a usable position are
skipped (level 'error'); a bad value of any other field is dropped, reported ('warning') and
replaced by the default; defaults for empty fields are reported as 'info'.

OpenStreetMap conventions chosen here (https://wiki.openstreetmap.org/wiki/Tag:man_made=surveillance):

* ``camera:direction`` (also ``direction``, ``surveillance:direction``): degrees clockwise from
  north (negative values are taken modulo 360), compass letters (N, NNE ... NNW) or words
  (north, south-east), a range "a-b" read clockwise from a to b (centre = azimuth, width =
  hfov; "300-60" is 120 degrees wide around north) and several values "90;180" or "90, 180"
  (one camera per value). "360" on a dome or on a node without ``camera:type`` means all-round
  (the common OSM use); on a fixed camera it is north.
* ``camera:type``: dome and panning cameras can look everywhere: hfov 360.
* ``camera:tilt`` and, when it is absent, ``camera:angle`` are the tilt, in degrees *below* the
  horizontal (positive = looking down, 90 = straight down), the same sign as the store's ``tilt``
  field and how OSM mappers use camera:angle (5-65 in practice). A value beyond +-90 cannot be a
  tilt; mappers then meant the field of view, so it is taken as hfov when no fov tag is given.
* ``height`` (or ``camera:height``) with optional units: "5", "5 m", "5m", "16 ft", "16'".
* ``surveillance:type``: camera, ALPR and webcam nodes are cameras; guard and any other value
  are not cameras and are skipped with a report; so is ``surveillance=fake``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..compass import parse_compass
from ..i18n import N_, tr
from ..store.schema import CAMERA_STATUSES, LAYERS_BY_NAME, VERSION_FIELDS
from .camera import valid_gb28181

# the store's camera layer (core/store/schema.py): imports produce exactly its fields and statuses
CAMERA_FIELDS = tuple(f for f in LAYERS_BY_NAME["camera"].field_names() if f not in VERSION_FIELDS)
STATUSES = CAMERA_STATUSES
COORD_SYSTEMS = ("wgs84", "cgcs2000", "gcj02", "bd09")
FORMATS = ("auto", "csv", "xlsx", "osm")

# header aliases (compared after _norm_header); Chinese and English, first match wins
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "device_id": (
        "device_id",
        "deviceid",
        "设备编码",
        "国标编码",
        "设备国标编码",
        "国标id",
        "国标编号",
        "设备编号",
        "gb28181",
        "gbid",
        "gb_id",
        "编码",
        "设备id",
        "id",
    ),
    "lon": ("lon", "lng", "long", "longitude", "经度", "x"),
    "lat": ("lat", "latitude", "纬度", "y"),
    "name": ("name", "名称", "设备名称", "点位名称", "摄像机名称", "安装位置", "点位"),
    "system": ("system", "所属系统", "系统", "系统名称", "建设单位"),
    "status": ("status", "状态", "设备状态", "在线状态", "运行状态"),
    "azimuth": ("azimuth", "bearing", "direction", "heading", "方位角", "朝向", "方向", "方位"),
    "hfov": ("hfov", "fov", "水平视场角", "视场角", "水平视角", "视角"),
    "range_m": ("range_m", "range", "distance", "可视距离", "监控距离", "视距", "距离"),
    "height_m": ("height_m", "height", "安装高度", "高度", "杆高", "挂高"),
    "tilt": ("tilt", "俯仰角", "俯角", "倾角", "倾斜角"),
    "vfov": ("vfov", "垂直视场角", "垂直视角"),
    "hres_px": ("hres_px", "hres", "resolution", "水平分辨率", "分辨率"),
    "grid_code": ("grid_code", "grid", "网格编码", "所属网格", "网格"),
    "installed_at": ("installed_at", "installed", "install_date", "安装日期", "安装时间", "建设日期"),
}

STATUS_ALIASES = {
    "online": "online",
    "在线": "online",
    "正常": "online",
    "up": "online",
    "active": "online",
    "offline": "offline",
    "离线": "offline",
    "掉线": "offline",
    "down": "offline",
    "faulty": "faulty",
    "fault": "faulty",
    "故障": "faulty",
    "损坏": "faulty",
    "broken": "faulty",
    "obstructed": "obstructed",
    "遮挡": "obstructed",
    "被遮挡": "obstructed",
    "blocked": "obstructed",
    "planned": "planned",
    "规划": "planned",
    "计划": "planned",
    "拟建": "planned",
    "在建": "planned",
}

COMPASS = {
    name: i * 22.5
    for i, name in enumerate(
        ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
    )
}
_WORDS = {"north": "N", "south": "S", "east": "E", "west": "W"}

LIMITS = {  # field: (low, high, inclusive high)
    "azimuth": (0.0, 360.0),
    "hfov": (0.0, 360.0),
    "range_m": (0.0, 5000.0),
    "height_m": (0.0, 300.0),
    "tilt": (-90.0, 90.0),
    "vfov": (0.0, 180.0),
}
NON_CAMERA_TYPES = ("guard",)
CAMERA_TYPES = ("camera", "alpr", "anpr", "webcam")


@dataclass
class ImportDefaults:
    """Values for empty fields. None: leave the field empty (azimuth: the analyses treat it as all-round)."""

    hfov: float | None = 90.0
    range_m: float | None = 50.0
    height_m: float | None = 4.0
    tilt: float | None = None
    vfov: float | None = None
    system: str | None = None
    status: str = "online"
    coord_sys: str = "wgs84"  # of device-list coordinates: wgs84, cgcs2000, gcj02 or bd09


@dataclass
class ImportMessage:
    """One report row: where (row number or OSM id), which field, 'error' (skipped), 'warning' or 'info'."""

    ref: Any
    field: str
    level: str
    text: str

    def as_row(self) -> list[Any]:
        return [str(self.ref), self.field, self.level, self.text]


class ImportResult(NamedTuple):
    cameras: list[dict[str, Any]]
    report: list[ImportMessage]

    def unusable(self) -> list[ImportMessage]:
        return [m for m in self.report if m.level == "error"]


# ---------------------------------------------------------------------------------------------
# small parsers


_NUM = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(.*?)\s*$")
_FEET = ("ft", "feet", "foot", "'", "英尺")
_METRES = ("", "m", "metre", "metres", "meter", "meters", "米", "公尺")
_DEGREES = ("", "°", "deg", "degree", "degrees", "度")


def parse_number(value: Any, units: tuple[str, ...] = _METRES + _DEGREES) -> float | None:
    """A float from a cell or tag ('5', '5 m', '90°', 5); None for empty; ValueError for junk."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(value)
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    m = _NUM.match(text)
    if not m or m.group(2).lower() not in units:
        raise ValueError(text)
    return float(m.group(1).replace(",", "."))


def parse_height(value: Any) -> float | None:
    """Metres from '5', '5 m', '5m', '16 ft', "16'"; None for empty; ValueError for junk."""
    if value is None or isinstance(value, (int, float)):
        return parse_number(value)
    text = str(value).strip()
    m = _NUM.match(text)
    if m and m.group(2).lower() in _FEET:
        return float(m.group(1).replace(",", ".")) * 0.3048
    return parse_number(text, _METRES)


def _compass(text: str) -> float | None:
    """Azimuth of a compass word: N/NNE.., north-east.., or Chinese 东北, 正西, 北偏东30°."""
    chinese = parse_compass(text)
    if chinese is not None:
        return chinese
    t = text.strip().upper().replace("-", "").replace(" ", "").replace("_", "")
    if t in COMPASS:
        return COMPASS[t]
    low = text.strip().lower().replace("-", "").replace(" ", "").replace("_", "")
    letters = ""
    while low:
        for word, letter in _WORDS.items():
            if low.startswith(word):
                letters += letter
                low = low[len(word) :]
                break
        else:
            return None
    return COMPASS.get(letters)


def _bearing(text: str) -> float:
    text = text.strip()
    value = _compass(text)
    if value is not None:
        return value
    number = parse_number(text, _DEGREES)
    if number is None:
        raise ValueError(text)
    return number


def parse_azimuth(value: Any) -> float | None:
    """An azimuth cell of a device list: degrees ('90', '90°', 90) or a compass word in Chinese
    or English ('东北', '正南', 'NE', 'north-east'); None for empty; ValueError for anything else."""
    if value is None or isinstance(value, (int, float)):
        return parse_number(value)
    text = str(value).strip()
    if not text:
        return None
    word = _compass(text)
    return word if word is not None else parse_number(text, _DEGREES)


@dataclass
class Direction:
    azimuth: float | None  # None: all-round
    width: float | None = None  # from a range "a-b"
    note: str = ""  # why it was read this way (for the report)


_RANGE = re.compile(r"^\s*([^\s-][^-]*?)\s*-\s*([^\s-].*?)\s*$")


def parse_direction(value: Any, camera_type: str | None = None) -> list[Direction]:
    """OSM camera:direction -> one Direction per camera (see the module doc); [] if empty; ValueError for junk."""
    if value is None:
        return []
    if isinstance(value, (int, float)):
        value = str(value)
    text = str(value).strip()
    if not text:
        return []
    parts = [p for p in re.split(r"[;,]", text) if p.strip()]
    if len(parts) > 1:
        out: list[Direction] = []
        for p in parts:
            out.extend(parse_direction(p, camera_type))
        for d in out:
            d.note = d.note or N_("one of several directions; one camera per direction")
        return out
    m = _RANGE.match(text) if _compass(text) is None else None
    if m:
        a, b = _bearing(m.group(1)), _bearing(m.group(2))
        width = (b - a) % 360.0
        if width == 0.0:
            return [Direction(a % 360.0)]
        return [Direction((a + width / 2.0) % 360.0, width, N_("range read clockwise: centre and width"))]
    number = _bearing(text)
    if number == 360.0 and (camera_type or "").lower() not in ("fixed",):
        return [Direction(None, 360.0, N_("360 on a dome or untyped camera means all-round"))]
    if number < 0 or number > 360:
        return [Direction(number % 360.0, None, N_("taken modulo 360"))]
    return [Direction(number % 360.0)]


def _norm_header(text: Any) -> str:
    t = str(text or "").strip().lower()
    t = re.sub(r"[(（\[].*?[)）\]]", "", t)  # drop units: "方位角(°)", "range (m)"
    return re.sub(r"[\s_\-:：./]", "", t)


def match_columns(header: list[Any]) -> dict[str, int]:
    """Model field -> column index, from Chinese or English header names."""
    normed = [_norm_header(h) for h in header]
    out: dict[str, int] = {}
    for key, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            a = _norm_header(alias)
            if a in normed and normed.index(a) not in out.values():
                out[key] = normed.index(a)
                break
    return out


def _status(value: Any) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    return STATUS_ALIASES.get(text.lower(), STATUS_ALIASES.get(text))


def _date(value: Any) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日"):
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _device_id(value: Any) -> str | None:
    """The id as text; a float cannot hold 20 digits, so an id a spreadsheet stored as a number is refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        raise OverflowError(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text or None


class _Row:
    """Collects one camera row and its messages."""

    def __init__(self, ref: Any, report: list[ImportMessage]):
        self.ref = ref
        self.report = report
        self.values: dict[str, Any] = {k: None for k in CAMERA_FIELDS}

    def msg(self, fld: str, level: str, text: str) -> None:
        self.report.append(ImportMessage(self.ref, fld, level, text))

    def number(self, key: str, raw: Any, source: str, parser=parse_number) -> float | None:
        try:
            value = parser(raw)
        except (TypeError, ValueError):
            if key == "azimuth":
                self.msg(
                    source, "warning", tr("{0}: '{1}' is neither degrees nor a compass word; ignored.", source, raw)
                )
            else:
                self.msg(source, "warning", tr("{0}: '{1}' is not a number; ignored.", source, raw))
            return None
        if value is None:
            return None
        lo, hi = LIMITS[key]
        if key == "azimuth" and (value < lo or value > hi):
            self.msg(source, "warning", tr("{0}: azimuth {1} is outside 0-360; ignored.", source, value))
            return None
        if key in ("hfov", "vfov", "range_m") and not lo < value <= hi:
            self.msg(source, "warning", tr("{0}: {1} is outside ({2}, {3}]; ignored.", source, value, lo, hi))
            return None
        if key in ("height_m", "tilt") and not lo <= value <= hi:
            self.msg(source, "warning", tr("{0}: {1} is outside [{2}, {3}]; ignored.", source, value, lo, hi))
            return None
        return value

    def default(self, key: str, value: Any, why: str = "") -> None:
        if self.values.get(key) is None and value is not None:
            self.values[key] = value
            self.msg(key, "info", tr("{0} is empty; default {1} used.", key, value) + (" " + why if why else ""))

    def finish(self, defaults: ImportDefaults) -> None:
        v = self.values
        for key in ("hfov", "range_m", "height_m", "tilt", "vfov"):
            self.default(key, getattr(defaults, key))
        if v["tilt"] is not None and v["vfov"] is None and defaults.vfov is None:
            self.msg("vfov", "info", tr("Tilt without a vertical field of view: the analyses use the range only."))
        if v["status"] is None:
            v["status"] = defaults.status
        if v["system"] is None and defaults.system:
            v["system"] = defaults.system
        if v["azimuth"] is None and v["hfov"] is not None and v["hfov"] < 360:
            self.msg("azimuth", "info", tr("No azimuth: the analyses treat the camera as all-round (360 degrees)."))
        if v["azimuth"] is not None:
            v["azimuth"] = float(v["azimuth"]) % 360.0


# ---------------------------------------------------------------------------------------------
# device lists


def read_table(path: str | Path, fmt: str = "auto", sheet: str | None = None) -> list[list[Any]]:
    """All rows of a CSV (UTF-8 with or without BOM, else GB18030) or an .xlsx sheet (first by default)."""
    path = Path(path)
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet else wb.worksheets[0]
            return [list(r) for r in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(tr("{0} is neither UTF-8 nor GB18030 text.", path.name))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(text.splitlines(), dialect)]


def detect_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".geojson", ".json", ".osm", ".gpkg", ".osm.pbf", ".pbf"):
        return "osm"
    return "csv"


def import_device_list(path: str | Path, defaults: ImportDefaults | None = None, fmt: str = "auto") -> ImportResult:
    """Cameras from a CSV/XLSX device list (see :func:`import_rows`)."""
    return import_rows(read_table(path, fmt), defaults)


def import_rows(rows: list[list[Any]], defaults: ImportDefaults | None = None) -> ImportResult:
    """Cameras from table rows; the header is the first of the first 10 rows naming longitude and latitude.

    Row numbers in the report are 1-based spreadsheet rows.
    """
    defaults = defaults or ImportDefaults()
    report: list[ImportMessage] = []
    cams: list[dict[str, Any]] = []
    header_at, cols = None, {}
    for i, row in enumerate(rows[:10]):
        found = match_columns(list(row))
        if "lon" in found and "lat" in found:
            header_at, cols = i, found
            break
    if header_at is None:
        report.append(
            ImportMessage(
                1,
                "",
                "error",
                tr(
                    "No header row with longitude and latitude columns (经度/纬度, "
                    "lon/lat) in the first 10 rows; nothing imported."
                ),
            )
        )
        return ImportResult(cams, report)
    header = [str(h) if h is not None else "" for h in rows[header_at]]
    seen_ids: dict[str, Any] = {}
    coord_sys = (defaults.coord_sys or "wgs84").lower()
    to_wgs84 = _coord_converter(coord_sys, report)
    for n, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(c is not None and str(c).strip() != "" for c in row):
            continue

        def cell(key: str, row=row) -> Any:
            i = cols.get(key)
            return row[i] if i is not None and i < len(row) else None

        def src(key: str) -> str:
            return header[cols[key]] if key in cols else key

        r = _Row(n, report)
        try:
            lon, lat = parse_number(cell("lon"), _DEGREES), parse_number(cell("lat"), _DEGREES)
        except (TypeError, ValueError):
            r.msg(
                src("lon"),
                "error",
                tr("Longitude/latitude '{0}', '{1}' are not numbers; row skipped.", cell("lon"), cell("lat")),
            )
            continue
        if lon is None or lat is None:
            r.msg(src("lon" if lon is None else "lat"), "error", tr("No longitude or latitude; row skipped."))
            continue
        if abs(lat) > abs(lon) and 73 <= abs(lat) <= 136 and abs(lon) <= 54:
            lon, lat = lat, lon
            r.msg(src("lon"), "corrected", tr("Longitude and latitude look swapped (China); swapped back."))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            r.msg(
                src("lon"),
                "error",
                tr("Longitude {0} / latitude {1} are not degrees (projected coordinates?); row skipped.", lon, lat),
            )
            continue
        lon, lat = to_wgs84(lon, lat)
        try:
            device_id = _device_id(cell("device_id"))
        except OverflowError:
            r.msg(
                src("device_id"),
                "warning",
                tr("The device id was stored as a number and lost digits; format the column as text. Id left empty."),
            )
            device_id = None
        except ValueError:
            device_id = None
        if device_id is not None:
            if device_id in seen_ids:
                r.msg(
                    src("device_id"),
                    "error",
                    tr("Device id {0} already used in row {1}; row skipped.", device_id, seen_ids[device_id]),
                )
                continue
            seen_ids[device_id] = n
            if not valid_gb28181(device_id):
                r.msg(
                    src("device_id"),
                    "warning",
                    tr("{0} is not a GB/T 28181 device id (20 digits, type code 111-199); kept as is.", device_id),
                )
        v = r.values
        v["device_id"] = device_id
        for key in ("name", "system", "grid_code"):
            raw = cell(key)
            v[key] = None if raw is None or str(raw).strip() == "" else str(raw).strip()
        raw_status = cell("status")
        status = _status(raw_status)
        if raw_status not in (None, "") and status is None:
            r.msg(src("status"), "warning", tr("Unknown status '{0}'; {1} used.", raw_status, defaults.status))
        v["status"] = status
        parsers = {"azimuth": parse_azimuth, "height_m": parse_height, "range_m": parse_height}
        for key in ("azimuth", "hfov", "range_m", "height_m", "tilt", "vfov"):
            if key in cols:
                v[key] = r.number(key, cell(key), src(key), parsers.get(key, parse_number))
        raw_az = cell("azimuth") if "azimuth" in cols else None
        if v["azimuth"] is not None and isinstance(raw_az, str) and _compass(raw_az) is not None:
            r.msg(src("azimuth"), "info", tr("{0}: '{1}' read as {2}°.", src("azimuth"), raw_az, f"{v['azimuth']:g}"))
        if "hres_px" in cols and cell("hres_px") not in (None, ""):
            raw = str(cell("hres_px"))
            m = re.match(r"^\s*(\d+)\s*(?:[x×*]\s*\d+)?\s*$", raw)
            if m and int(m.group(1)) > 0:
                v["hres_px"] = int(m.group(1))
            else:
                r.msg(src("hres_px"), "warning", tr("Resolution '{0}' is not a pixel count; ignored.", raw))
        if "installed_at" in cols:
            try:
                v["installed_at"] = _date(cell("installed_at"))
            except ValueError:
                r.msg(src("installed_at"), "warning", tr("'{0}' is not a date; ignored.", cell("installed_at")))
        r.finish(defaults)
        cams.append({**v, "lon": lon, "lat": lat, "source_ref": n})
    return ImportResult(cams, report)


def _coord_converter(coord_sys: str, report: list[ImportMessage]):
    if coord_sys in ("wgs84", "cgcs2000", "", None):
        return lambda x, y: (x, y)
    try:
        from ..events.coords import to_wgs84
    except ImportError:  # the events module is optional in a build
        report.append(
            ImportMessage("", "lon", "warning", tr("No converter for {0}; coordinates used as WGS84.", coord_sys))
        )
        return lambda x, y: (x, y)
    return lambda x, y: to_wgs84(x, y, coord_sys)


# ---------------------------------------------------------------------------------------------
# OpenStreetMap


def osm_tags(props: dict[str, Any]) -> dict[str, str]:
    """OSM tags from a feature's attributes: 'camera:direction' or GDAL's 'camera_direction', plus
    the JSON or hstore text of ``other_tags``."""
    tags: dict[str, str] = {}
    other = props.get("other_tags")
    if other:
        text = str(other)
        try:
            parsed = json.loads(text)
            if isinstance(parsed, dict):
                tags.update({str(k): str(v) for k, v in parsed.items() if v is not None})
        except ValueError:
            tags.update(dict(re.findall(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"', text)))
    for key, value in props.items():
        if key == "other_tags" or value is None or str(value).strip() == "":
            continue
        name = str(key)
        if ":" not in name:
            for prefix in ("camera_", "surveillance_", "addr_"):
                if name.startswith(prefix):
                    name = prefix[:-1] + ":" + name[len(prefix) :]
                    break
        tags.setdefault(name, str(value).strip())
    return tags


def import_osm(
    features: Iterable[tuple[Any, float, float, dict[str, Any]]], defaults: ImportDefaults | None = None
) -> ImportResult:
    """Cameras from OSM nodes given as (osm id, lon, lat, attributes or tags); see the module doc."""
    defaults = defaults or ImportDefaults()
    report: list[ImportMessage] = []
    cams: list[dict[str, Any]] = []
    for ref, lon, lat, props in features:
        tags = osm_tags(props)
        r = _Row(ref, report)
        if lon is None or lat is None:
            r.msg("geometry", "error", tr("Node without a position; skipped."))
            continue
        man_made = tags.get("man_made")
        if man_made and man_made != "surveillance":
            r.msg("man_made", "error", tr("man_made={0} is not a surveillance node; skipped.", man_made))
            continue
        stype = (tags.get("surveillance:type") or "camera").strip().lower()
        if stype not in CAMERA_TYPES:
            r.msg("surveillance:type", "error", tr("surveillance:type={0} is not a camera; skipped.", stype))
            continue
        if (tags.get("surveillance") or "").lower() == "fake":
            r.msg("surveillance", "error", tr("surveillance=fake: a dummy camera; skipped."))
            continue
        v = r.values
        ctype = (tags.get("camera:type") or "").strip().lower()
        v["name"] = tags.get("name") or tags.get("ref") or tags.get("operator") or f"OSM {ref}"
        v["system"] = defaults.system
        v["status"] = defaults.status
        if stype in ("alpr", "anpr"):
            r.msg("surveillance:type", "info", tr("Licence plate (ALPR) camera imported as a camera."))
        # field of view: explicit tag, else the camera type
        fov = None
        for key in ("camera:fov", "camera:hfov", "fov"):
            if key in tags:
                fov = r.number("hfov", tags[key], key)
                break
        # tilt: camera:tilt, else camera:angle (degrees below the horizontal)
        for key in ("camera:tilt", "camera:angle"):
            if key not in tags:
                continue
            try:
                angle = parse_number(tags[key], _DEGREES)
            except ValueError:
                r.msg(key, "warning", tr("{0}: '{1}' is not a number; ignored.", key, tags[key]))
                break
            if angle is not None and abs(angle) <= 90:
                v["tilt"] = angle
            elif angle is not None:
                if fov is None and 0 < angle <= 360:
                    fov = angle
                    r.msg(
                        key,
                        "corrected",
                        tr(
                            "{0}={1} cannot be a tilt (beyond 90 degrees); taken as the horizontal field of view.",
                            key,
                            tags[key],
                        ),
                    )
                else:
                    r.msg(key, "warning", tr("{0}={1} cannot be a tilt (beyond 90 degrees); ignored.", key, tags[key]))
            break
        for key in ("height", "camera:height"):
            if key in tags:
                v["height_m"] = r.number("height_m", tags[key], key, parse_height)
                if v["height_m"] is not None and v["height_m"] > 60:
                    r.msg(key, "warning", tr("{0}={1}: an unusually high mount; check it.", key, tags[key]))
                if v["height_m"] is not None:
                    break
        directions: list[Direction] = []
        dkey = next((k for k in ("camera:direction", "direction", "surveillance:direction") if k in tags), None)
        if dkey:
            try:
                directions = parse_direction(tags[dkey], ctype)
            except (TypeError, ValueError):
                r.msg(dkey, "warning", tr("{0}: '{1}' is not a direction; ignored.", dkey, tags[dkey]))
        all_round = ctype in ("dome", "panning", "360") or any(d.azimuth is None for d in directions)
        if ctype in ("dome", "panning", "360"):
            r.msg("camera:type", "info", tr("camera:type={0} can look all round: hfov 360.", ctype))
        if all_round:
            fov = 360.0
        if not directions:
            directions = [Direction(None)]
        if len(directions) > 1:
            r.msg(dkey or "", "info", tr("{0}={1}: {2} cameras, one per direction.", dkey, tags[dkey], len(directions)))
        for k, d in enumerate(directions):
            cam = dict(v)
            hfov = fov
            if d.note and len(directions) == 1:
                r.msg(dkey or "", "info", tr("{0}={1}: {2}.", dkey, tags.get(dkey or "", ""), tr(d.note)))
            if d.width is not None and not all_round and fov is None:
                hfov = d.width
            cam["azimuth"] = None if all_round and d.azimuth is None else d.azimuth
            if all_round and cam["azimuth"] is None:
                cam["azimuth"] = 0.0
            cam["hfov"] = hfov
            row = _Row(ref, report)
            row.values = cam
            if k == 0:
                row.finish(defaults)
            else:  # the defaults were already reported for the node
                row.report = []
                row.finish(defaults)
            cams.append(
                {
                    **cam,
                    "lon": float(lon),
                    "lat": float(lat),
                    "source_ref": ref if len(directions) == 1 else f"{ref}#{k + 1}",
                }
            )
    return ImportResult(cams, report)


def osm_features_from_geojson(path: str | Path) -> list[tuple[Any, float | None, float | None, dict[str, Any]]]:
    """(osm id, lon, lat, properties) of the point features of a GeoJSON file (e.g. an Overpass export)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    if "elements" in data:  # raw Overpass JSON
        for el in data["elements"]:
            if el.get("type") == "node":
                out.append((el.get("id"), el.get("lon"), el.get("lat"), dict(el.get("tags") or {})))
        return out
    for i, feat in enumerate(data.get("features", [])):
        props = dict(feat.get("properties") or {})
        geom = feat.get("geometry") or {}
        lon = lat = None
        if geom.get("type") == "Point":
            lon, lat = geom["coordinates"][:2]
        ref = props.get("osm_id") or props.get("id") or feat.get("id") or i
        out.append((ref, lon, lat, props))
    return out


LEVELS = ("error", "corrected", "warning", "info")  # skipped, corrected, not used or to check, defaulted


def report_summary(result: ImportResult) -> dict[str, int]:
    """Counts of cameras and report levels (for a dialog's header)."""
    counts = {"cameras": len(result.cameras), "error": 0, "corrected": 0, "warning": 0, "info": 0}
    for m in result.report:
        counts[m.level] = counts.get(m.level, 0) + 1
    return counts


__all__ = [
    "CAMERA_FIELDS",
    "COORD_SYSTEMS",
    "FORMATS",
    "ImportDefaults",
    "ImportMessage",
    "ImportResult",
    "Direction",
    "detect_format",
    "import_device_list",
    "import_osm",
    "import_rows",
    "match_columns",
    "osm_features_from_geojson",
    "osm_tags",
    "parse_azimuth",
    "parse_direction",
    "parse_height",
    "parse_number",
    "read_table",
    "report_summary",
]
