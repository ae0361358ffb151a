"""A deterministic demo city: streets, buildings, grids, cameras and two years of events.

Nothing here is real data. ``generate(seed, scale)`` builds, in the metric CRS
EPSG:4549 (CGCS2000 3-degree Gauss-Kruger, CM 120E, which holds Shanghai), a city of
one district ("demo") up to several districts ("city": ~5,500 grids, 50,000 cameras,
500,000 buildings, 2,000,000 events). Geometries are transformed to the storage CRS
(EPSG:4490) only when written (:mod:`.gpkg`, :mod:`.pgload`).

How it is built, and why it tiles exactly:

* A lattice of nodes (ragged column widths and row heights, jittered and gently warped)
  carries the road centrelines. Every administrative unit is a rectangle of lattice
  cells whose ring runs through the lattice nodes, so neighbours share identical
  vertices: district -> streets -> communities -> grids tile with no gap or overlap.
* Lines every 4th column/row are arterials, every 2nd secondary, the rest local roads.
  Buildings stand inside each cell inset by the half-width of its widest road plus a
  setback, so none touches a road and each lies in exactly one community.
* The three departmental grid layers (综治, 城管, 党建) are partitions of the same
  districts on their own jittered lattices, with wobbled edges and other granularity:
  each covers its district but their inner boundaries disagree. The 综治 layer carries a
  few real-world mistakes (:data:`DEPT_FAULTS`: overlaps, one across a community's
  boundary, a gap, a stray piece) for the grid check to find.
* Events follow the 数字城管 category list of :mod:`.categories`, cluster around markets
  and arterials, and walk the case life cycle (see ``TRANSITIONS``) up to ``as_of``.

GB/T 28181 device ids (20 digits) used for cameras::

    district code (6) + basic unit (2, street index) + industry (2) + type (3) + network (1) + serial (6)

industry: 00 天网 (social security, road), 01 雪亮 (social security, community),
03 社会自建 (other access), 04 交警 (traffic road); type: 131 camera, 132 IP camera;
network: 0 video private network, 6 e-government network, 8 social resources network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Union

import numpy as np
import shapely
from pyproj import Transformer

from . import categories
from .store import schema

METRIC_EPSG = 4549
STORAGE_EPSG = schema.STORAGE_EPSG
# Lattice origin: Shanghai, 121.47E 31.23N in EPSG:4549.
ORIGIN = (640060.0, 3457406.0)
# Fixed reference time so a seed gives identical output on any day; pass as_of to move it.
DEFAULT_AS_OF = datetime(2026, 11, 23, 9, 0, 0, tzinfo=timezone(timedelta(hours=8)))
CITY_CODE = "310100"
CITY_NAME = "上海市"
DISTRICT_CODES = (
    "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113", "310114",
    "310115", "310116", "310117", "310118", "310120", "310151",
)  # fmt: skip
DISTRICT_NAMES = (
    "滨江区", "东湖区", "西岭区", "南园区", "北塘区", "中洲区", "金桥区", "银湾区", "翠湖区", "望海区",
    "清河区", "松林区", "梅溪区", "云台区", "青石区", "白鹭区",
)  # fmt: skip
_STREET_WORDS = (
    "外滩", "江畔", "湖滨", "新华", "人民", "和平", "长安", "东风", "光明", "建设", "友谊", "胜利", "团结", "朝阳",
    "景明", "花园", "金桥", "半淞园", "老西门", "豫园", "瑞金", "五里桥", "打浦桥", "淮海", "南京", "天平", "湖南",
    "枫林", "虹梅", "漕河泾", "田林", "康健", "长桥", "凌云", "龙华", "斜土", "徐家汇", "静安寺", "曹家渡", "石门",
)  # fmt: skip
_COMMUNITY_WORDS = (
    "梅园", "桃源", "兰亭", "竹林", "松涛", "荷花", "桂香", "柳岸", "枫林", "杏坛", "明珠", "锦绣", "福寿", "康乐",
    "春晖", "秋实", "紫藤", "海棠", "玉兰", "丁香", "银杏", "樱花", "翠竹", "青松", "怡和", "安居", "祥和", "永和",
    "同心", "和谐", "幸福", "吉祥", "长乐", "新村", "光华", "振兴", "文昌", "瑞金", "复兴", "建国",
)  # fmt: skip
_COMMUNITY_SUFFIX = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九")
_ROAD_WORDS_NS = (
    "西藏", "福建", "浙江", "江西", "四川", "河南", "山东", "山西", "湖南", "湖北", "广东", "广西", "云南", "贵州",
    "重庆", "陕西", "甘肃", "青海", "宁夏", "新疆", "内蒙", "黑龙江", "吉林", "辽宁", "河北", "安徽", "海南", "台湾",
    "中山", "建设", "人民", "解放", "和平", "胜利", "新华", "文化", "光明", "团结",
)  # fmt: skip
_ROAD_WORDS_EW = (
    "南京", "北京", "天津", "宁波", "汉口", "九江", "苏州", "杭州", "常熟", "昆山", "延安", "淮海", "长江", "黄河",
    "金陵", "广州", "福州", "厦门", "温州", "无锡", "扬州", "徐州", "绍兴", "嘉兴", "湖州", "泰州", "镇江", "南通",
    "武进", "溧阳", "江阴", "海门", "启东", "崇明", "吴淞", "松江", "青浦", "奉贤", "金山", "嘉定",
)  # fmt: skip
_NUMERALS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞婷雪梅琳晨宇浩然欣怡涵建国志海燕丹凤春生文博嘉"

ROAD_CLASSES = ("arterial", "secondary", "local")
# Road width (m) by class: min, max.
_ROAD_WIDTH = {0: (36.0, 50.0), 1: (20.0, 28.0), 2: (9.0, 14.0)}

# Case flow: (from, to) pairs the generator walks; from None is the first report.
TRANSITIONS = frozenset(
    {
        (None, "reported"),
        ("reported", "registered"),
        ("reported", "void"),
        ("registered", "dispatched"),
        ("dispatched", "handled"),
        ("handled", "dispatched"),  # 核查不通过, 退回重办
        ("handled", "verified"),
        ("verified", "closed"),
    }
)
OPEN_STATES = ("reported", "registered", "dispatched", "handled", "verified")
EVENT_SOURCES = ("grid_app", "citizen_photo", "hotline_12345", "sensor")
CAMERA_SYSTEMS = ("天网", "雪亮", "社会自建", "交警")
DEPT_GRID_DEPARTMENTS = ("综治", "城管", "党建")

Scale = Union[str, float]


# --------------------------------------------------------------------------- containers


@dataclass
class Table:
    """One layer or table: columns by field name, geometries in the metric CRS.

    ``columns`` values are numpy arrays (object arrays for text, datetime64[s] in UTC for
    timestamps, datetime64[D] for dates) all of the same length. Point layers keep their
    coordinates in ``xy`` (n x 2) instead of shapely objects to stay small at 2,000,000 rows.
    """

    name: str
    columns: dict[str, np.ndarray]
    geoms: np.ndarray | None = None
    xy: np.ndarray | None = None

    def __len__(self) -> int:
        if self.xy is not None:
            return len(self.xy)
        if self.geoms is not None:
            return len(self.geoms)
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def metric_geoms(self) -> np.ndarray | None:
        """Shapely geometries in the metric CRS (points built on demand)."""
        if self.xy is not None:
            return shapely.points(self.xy)
        return self.geoms


@dataclass
class City:
    seed: int
    scale: Scale
    as_of: datetime
    tables: dict[str, Table]
    metric_epsg: int = METRIC_EPSG
    storage_epsg: int = STORAGE_EPSG
    # Handy extras for analyses and tests (metric CRS).
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def counts(self) -> dict[str, int]:
        return {spec.name: len(self.tables[spec.name]) if spec.name in self.tables else 0 for spec in schema.LAYERS}

    def storage_xy(self, name: str) -> np.ndarray:
        """Point coordinates (lon, lat) in the storage CRS."""
        xy = self.tables[name].xy
        assert xy is not None
        lon, lat = _to_storage().transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    def storage_geoms(self, name: str) -> np.ndarray | None:
        """The table's geometries transformed to the storage CRS (EPSG:4490, lon/lat)."""
        table = self.tables[name]
        if table.xy is not None:
            return shapely.points(self.storage_xy(name))
        if table.geoms is None:
            return None
        return to_storage(table.geoms)


def _to_storage() -> Transformer:
    return Transformer.from_crs(METRIC_EPSG, STORAGE_EPSG, always_xy=True)


def to_storage(geoms: np.ndarray) -> np.ndarray:
    """Metric (EPSG:4549) shapely geometries -> EPSG:4490 (x = lon, y = lat)."""
    tr = _to_storage()

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geoms, dtype=object), fn)


def to_metric(geoms: np.ndarray) -> np.ndarray:
    """EPSG:4490 shapely geometries -> metric EPSG:4549."""
    tr = Transformer.from_crs(STORAGE_EPSG, METRIC_EPSG, always_xy=True)

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geoms, dtype=object), fn)


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class _Config:
    nx: int  # lattice cells west-east
    ny: int  # lattice cells south-north
    districts: int
    streets_per_district: tuple[int, ...]  # one entry per district
    communities_per_street: tuple[int, int]  # random range, inclusive
    cells_per_grid: float
    cameras: int
    buildings: int | None  # None: as many as the blocks hold
    events: int


# City-scale targets; a float scale multiplies them.
CITY_TARGETS = {"grids": 5500, "cameras": 50000, "buildings": 500000, "events": 2000000}
_CELLS_PER_GRID = 3.2
_GRIDS_PER_COMMUNITY = 10
_COMMUNITIES_PER_STREET = 8
_GRIDS_PER_DISTRICT = 800


def _config(scale: Scale) -> _Config:
    if scale == "demo":
        return _Config(16, 12, 1, (2,), (4, 6), 3.0, 560, None, 22000)
    f = 1.0 if scale == "city" else float(scale)
    if not f > 0:
        raise ValueError(f"scale must be 'demo', 'city' or a positive number, not {scale!r}")
    grids = max(8, round(CITY_TARGETS["grids"] * f))
    cells = grids * _CELLS_PER_GRID
    ny = max(4, round(math.sqrt(cells / 1.25)))
    nx = max(4, round(cells / ny))
    districts = max(1, round(grids / _GRIDS_PER_DISTRICT))
    per_district = grids / districts
    streets = max(2, round(per_district / (_GRIDS_PER_COMMUNITY * _COMMUNITIES_PER_STREET)))
    lo = max(2, _COMMUNITIES_PER_STREET - 2)
    return _Config(
        nx,
        ny,
        districts,
        tuple([streets] * districts),
        (lo, _COMMUNITIES_PER_STREET + 2),
        _CELLS_PER_GRID,
        max(1, round(CITY_TARGETS["cameras"] * f)),
        max(1, round(CITY_TARGETS["buildings"] * f)),
        max(1, round(CITY_TARGETS["events"] * f)),
    )


# --------------------------------------------------------------------------- lattice


Rect = tuple[int, int, int, int]  # i0, j0, i1, j1 in cell indices (i west->east, j south->north)


@dataclass
class _Lattice:
    px: np.ndarray  # (nx+1, ny+1) node x
    py: np.ndarray
    mid_h: np.ndarray | None = None  # (nx, ny+1, 2) wobble points on west-east edges
    mid_v: np.ndarray | None = None  # (nx+1, ny, 2) on south-north edges

    def ring(self, rect: Rect) -> np.ndarray:
        """Counter-clockwise ring through every node (and wobble point) on the rectangle's edge."""
        i0, j0, i1, j1 = rect
        pts: list[np.ndarray] = []
        px, py, mh, mv = self.px, self.py, self.mid_h, self.mid_v
        for i in range(i0, i1):  # south edge, west -> east
            pts.append((px[i, j0], py[i, j0]))
            if mh is not None:
                pts.append(mh[i, j0])
        for j in range(j0, j1):  # east edge, south -> north
            pts.append((px[i1, j], py[i1, j]))
            if mv is not None:
                pts.append(mv[i1, j])
        for i in range(i1, i0, -1):  # north edge, east -> west
            pts.append((px[i, j1], py[i, j1]))
            if mh is not None:
                pts.append(mh[i - 1, j1])
        for j in range(j1, j0, -1):  # west edge, north -> south
            pts.append((px[i0, j], py[i0, j]))
            if mv is not None:
                pts.append(mv[i0, j - 1])
        pts.append(pts[0])
        return np.asarray(pts, dtype=float)

    def polygons(self, rects: list[Rect]) -> np.ndarray:
        return np.array([shapely.Polygon(self.ring(r)) for r in rects], dtype=object)


def _base_lattice(rng: np.random.Generator, nx: int, ny: int) -> _Lattice:
    # Ragged column widths / row heights like a real city fabric.
    widths = rng.uniform(150.0, 220.0, nx)
    heights = rng.uniform(120.0, 180.0, ny)
    xs = np.concatenate([[0.0], np.cumsum(widths)])
    ys = np.concatenate([[0.0], np.cumsum(heights)])
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    gx = gx + rng.uniform(-8.0, 8.0, gx.shape)
    gy = gy + rng.uniform(-8.0, 8.0, gy.shape)
    # A gentle warp bends long roads without breaking the topology.
    amp, wave = 35.0, 2600.0
    ph1, ph2 = rng.uniform(0, 2 * math.pi, 2)
    wx = gx + amp * np.sin(gy / wave * 2 * math.pi + ph1)
    wy = gy + amp * np.sin(gx / wave * 2 * math.pi + ph2)
    # Centre the city on the origin.
    wx += ORIGIN[0] - xs[-1] / 2
    wy += ORIGIN[1] - ys[-1] / 2
    return _Lattice(wx, wy)


def _line_classes(n_lines: int) -> np.ndarray:
    """Road class per lattice line: 0 arterial every 4th, 1 secondary every 2nd, 2 local."""
    idx = np.arange(n_lines)
    cls = np.full(n_lines, 2, dtype=np.int8)
    cls[idx % 2 == 0] = 1
    cls[idx % 4 == 0] = 0
    return cls


def _split(rng: np.random.Generator, rect: Rect, k: int, align: int = 1, min_cells: float = 1.0) -> list[Rect]:
    """Guillotine split of a cell rectangle into about ``k`` rectangles.

    Cuts prefer lattice lines that are multiples of ``align`` (arterials for align 4) and
    keep every part big enough for its share of pieces.
    """
    i0, j0, i1, j1 = rect
    w, h = i1 - i0, j1 - j0
    if k <= 1 or w * h < 2 * min_cells:
        return [rect]
    k1 = k // 2
    k2 = k - k1
    best: tuple[float, Rect, Rect] | None = None
    for vertical in (True, False):
        start, length = (i0, w) if vertical else (j0, h)
        other = h if vertical else w
        if length < 2:
            continue
        want = start + length * k1 / k
        for c in range(start + 1, start + length):
            a1, a2 = (c - start) * other, (start + length - c) * other
            if a1 < k1 * min_cells or a2 < k2 * min_cells:
                continue
            # distance from the proportional cut; aligned cuts and cutting the long side win
            cost = abs(c - want) / length + (0.0 if c % align == 0 else 0.35)
            cost += 0.0 if (w * 1.2 >= h) == vertical else 0.25
            cost += rng.uniform(0.0, 0.12)
            r1 = (i0, j0, c, j1) if vertical else (i0, j0, i1, c)
            r2 = (c, j0, i1, j1) if vertical else (i0, c, i1, j1)
            if best is None or cost < best[0]:
                best = (cost, r1, r2)
    if best is None:
        return [rect]
    return _split(rng, best[1], k1, align, min_cells) + _split(rng, best[2], k2, align, min_cells)


def _order_nw(rects: list[Rect]) -> list[Rect]:
    """North -> south, then west -> east (by the rectangle's north-west corner)."""
    return sorted(rects, key=lambda r: (-r[3], r[0]))


def _area(r: Rect) -> int:
    return (r[2] - r[0]) * (r[3] - r[1])


# --------------------------------------------------------------------------- helpers


def _person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    s = rng.integers(0, len(_SURNAMES), n)
    g1 = rng.integers(0, len(_GIVEN), n)
    g2 = rng.integers(0, len(_GIVEN), n)
    two = rng.random(n) < 0.6
    return np.array(
        [_SURNAMES[a] + _GIVEN[b] + (_GIVEN[c] if t else "") for a, b, c, t in zip(s, g1, g2, two)], dtype=object
    )


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    second = np.array(list("35789"))[rng.integers(0, 5, n)]
    rest = rng.integers(0, 10**9, n)
    return np.array([f"1{a}{b:09d}" for a, b in zip(second, rest)], dtype=object)


def _uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Version-4 UUID strings from the seeded generator (uuid4() would not be deterministic)."""
    raw = rng.integers(0, 256, (n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexes = raw.tobytes().hex()
    out = np.empty(n, dtype=object)
    for k in range(n):
        s = hexes[32 * k : 32 * k + 32]
        out[k] = f"{s[:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:]}"
    return out


def _obj(values: Any) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _nulls(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _utc64(dt: datetime) -> np.datetime64:
    return np.datetime64(dt.astimezone(timezone.utc).replace(tzinfo=None), "s")


# --------------------------------------------------------------------------- generator


def generate(seed: int = 42, scale: Scale = "demo", as_of: datetime | None = None) -> City:
    """Generate the demo city for ``seed`` and ``scale`` ("demo", "city" or a fraction of "city").

    ``as_of`` is the generator's "now" (events run two years up to it); it defaults to a
    fixed time so that the same seed gives the same city on any day.
    """
    as_of = as_of or DEFAULT_AS_OF
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=timezone.utc)
    rng = np.random.default_rng(seed)
    cfg = _config(scale)
    tables: dict[str, Table] = {}
    extra: dict[str, Any] = {}

    lat = _base_lattice(rng, cfg.nx, cfg.ny)
    col_cls = _line_classes(cfg.nx + 1)
    row_cls = _line_classes(cfg.ny + 1)

    # ---- administrative hierarchy (cell rectangles)
    city_rect: Rect = (0, 0, cfg.nx, cfg.ny)
    d_rects = _order_nw(_split(rng, city_rect, cfg.districts, align=4, min_cells=16))
    district_codes = [
        DISTRICT_CODES[k] if k < len(DISTRICT_CODES) else f"3101{60 + k:02d}" for k in range(len(d_rects))
    ]
    district_names = [DISTRICT_NAMES[k] if k < len(DISTRICT_NAMES) else f"第{k + 1}区" for k in range(len(d_rects))]
    streets: list[tuple[Rect, str, str, int]] = []  # rect, code, name, district index
    street_no: list[int] = []  # number inside its district
    communities: list[tuple[Rect, str, str, int]] = []  # rect, code, name, street index
    grids: list[tuple[Rect, str, str, int]] = []  # rect, code, name, community index
    street_word = 0
    comm_word = 0
    for d, drect in enumerate(d_rects):
        n_streets = cfg.streets_per_district[min(d, len(cfg.streets_per_district) - 1)]
        s_rects = _order_nw(_split(rng, drect, n_streets, align=4, min_cells=8))
        for s_no, srect in enumerate(s_rects, start=1):
            s_code = f"{district_codes[d]}{s_no:03d}"
            base = _STREET_WORDS[street_word % len(_STREET_WORDS)]
            s_name = base + (
                "" if street_word < len(_STREET_WORDS) else _NUMERALS[street_word // len(_STREET_WORDS) % 10]
            )
            streets.append((srect, s_code, s_name + "街道", d))
            street_no.append(s_no)
            street_word += 1
            lo, hi = cfg.communities_per_street
            if cfg.districts == 1 and scale == "demo":
                k = int(rng.integers(lo, hi + 1))
            else:
                k = max(lo, min(hi * 2, round(_area(srect) / (cfg.cells_per_grid * _GRIDS_PER_COMMUNITY))))
            c_rects = _order_nw(_split(rng, srect, k, align=2, min_cells=2))
            for c_no, crect in enumerate(c_rects, start=1):
                c_code = f"{s_code}{c_no:03d}"
                word = _COMMUNITY_WORDS[comm_word % len(_COMMUNITY_WORDS)]
                suffix = _COMMUNITY_SUFFIX[(comm_word // len(_COMMUNITY_WORDS)) % len(_COMMUNITY_SUFFIX)]
                c_name = f"{word}{suffix}社区"
                communities.append((crect, c_code, c_name, len(streets) - 1))
                comm_word += 1
                n_grids = max(1, min(999, round(_area(crect) / cfg.cells_per_grid)))
                g_rects = _order_nw(_split(rng, crect, n_grids, align=1, min_cells=1))
                for g_no, grect in enumerate(g_rects, start=1):
                    grids.append((grect, f"{c_code}{g_no:03d}", f"{c_name}第{g_no}网格", len(communities) - 1))

    city_poly = lat.polygons([city_rect])
    d_polys = lat.polygons(d_rects)
    s_polys = lat.polygons([s[0] for s in streets])
    c_polys = lat.polygons([c[0] for c in communities])
    g_polys = lat.polygons([g[0] for g in grids])
    n_g = len(grids)

    def multi(polys: np.ndarray) -> np.ndarray:
        return _obj([shapely.MultiPolygon([p]) for p in polys])

    tables["city"] = Table("city", {"code": _obj([CITY_CODE]), "name": _obj([CITY_NAME])}, multi(city_poly))
    tables["district"] = Table(
        "district",
        {"code": _obj(district_codes), "name": _obj(district_names), "city_code": _obj([CITY_CODE] * len(d_rects))},
        multi(d_polys),
    )
    tables["street"] = Table(
        "street",
        {
            "code": _obj([s[1] for s in streets]),
            "name": _obj([s[2] for s in streets]),
            "district_code": _obj([district_codes[s[3]] for s in streets]),
        },
        multi(s_polys),
    )
    tables["community"] = Table(
        "community",
        {
            "code": _obj([c[1] for c in communities]),
            "name": _obj([c[2] for c in communities]),
            "street_code": _obj([streets[c[3]][1] for c in communities]),
        },
        multi(c_polys),
    )
    tables["department"] = Table(
        "department",
        {
            "code": _obj([d[0] for d in categories.DEPARTMENTS]),
            "name": _obj([d[1] for d in categories.DEPARTMENTS]),
            "level": _obj([d[2] for d in categories.DEPARTMENTS]),
        },
    )

    # cell -> grid / community lookup (grids are unions of cells)
    cell_grid = np.full((cfg.nx, cfg.ny), -1, dtype=np.int32)
    for g, (r, *_rest) in enumerate(grids):
        cell_grid[r[0] : r[2], r[1] : r[3]] = g
    assert (cell_grid >= 0).all()
    grid_comm = np.array([g[3] for g in grids], dtype=np.int32)
    comm_street = np.array([c[3] for c in communities], dtype=np.int32)
    street_district = np.array([s[3] for s in streets], dtype=np.int32)
    grid_codes = _obj([g[1] for g in grids])
    comm_codes = _obj([c[1] for c in communities])
    street_codes = _obj([s[1] for s in streets])
    comm_names = _obj([c[2] for c in communities])

    # ---- grid workers and the published plan
    as_of_utc = _utc64(as_of)
    has_worker = rng.random(n_g) >= 0.04
    n_workers = int(has_worker.sum())
    n_inactive = max(1, n_workers // 30)
    worker_ids = _obj(
        [
            f"GW{district_codes[street_district[comm_street[grid_comm[g]]]]}{k:05d}"
            for k, g in enumerate(np.flatnonzero(has_worker), start=1)
        ]
    )
    inactive_ids = _obj([f"GW{district_codes[0]}9{k:04d}" for k in range(1, n_inactive + 1)])
    all_workers = np.concatenate([worker_ids, inactive_ids])
    tables["grid_worker"] = Table(
        "grid_worker",
        {
            "worker_id": all_workers,
            "name": _person_names(rng, len(all_workers)),
            "phone": _phones(rng, len(all_workers)),
            "department": _obj(["综治"] * len(all_workers)),
            "active": np.concatenate([np.ones(n_workers, bool), np.zeros(n_inactive, bool)]),
            # where each works (migration 007): their grid's community; the inactive ones, the district
            "area_code": np.concatenate(
                [comm_codes[grid_comm[np.flatnonzero(has_worker)]], _obj([district_codes[0]] * n_inactive)]
            ),
        },
    )
    grid_worker = _nulls(n_g)
    grid_worker[has_worker] = worker_ids
    created = as_of_utc - np.timedelta64(420, "D")
    tables["grid_plan"] = Table(
        "grid_plan",
        {
            "plan_id": np.array([1], dtype=np.int64),
            "name": _obj(["全科网格划分方案（现行）"]),
            "status": _obj(["published"]),
            "based_on": _obj([None]),
            "created_at": np.array([created], dtype="datetime64[s]"),
            "published_at": np.array([created + np.timedelta64(20, "D")], dtype="datetime64[s]"),
            "note": _obj(["演示数据：由 democity 生成"]),
        },
    )
    tables["grid"] = Table(
        "grid",
        {
            "plan_id": np.ones(n_g, dtype=np.int64),
            "grid_code": grid_codes,
            "name": _obj([g[2] for g in grids]),
            "community_code": comm_codes[grid_comm],
            "street_code": street_codes[comm_street[grid_comm]],
            "district_code": _obj([district_codes[d] for d in street_district[comm_street[grid_comm]]]),
            "worker_id": grid_worker,
            "note": _nulls(n_g),
        },
        multi(g_polys),
    )

    # ---- departmental grids
    tables["dept_grid"], extra["dept_faults"] = _dept_grids(
        rng, cfg, lat, d_rects, streets, communities, street_district
    )

    # ---- roads
    road_tab, edges = _roads(rng, lat, col_cls, row_cls)
    tables["road"] = road_tab

    # ---- buildings
    cells = _cells(lat, cfg.nx, cfg.ny)
    cell_comm = grid_comm[cell_grid]
    b_tab, b_extra = _buildings(rng, cfg, lat, cells, col_cls, row_cls, edges, cell_comm, comm_names)
    tables["building"] = b_tab
    extra.update(b_extra)

    grid_tree = shapely.STRtree(g_polys)

    def locate(xy: np.ndarray) -> np.ndarray:
        """Index of the grid holding each point, -1 outside the city."""
        out = np.full(len(xy), -1, dtype=np.int64)
        step = 500_000
        for a in range(0, len(xy), step):
            pts = shapely.points(xy[a : a + step])
            src, dst = grid_tree.query(pts, predicate="intersects")
            uniq, first = np.unique(src, return_index=True)
            out[a + uniq] = dst[first]
        return out

    # ---- cameras
    tables["camera"] = _cameras(
        rng,
        cfg,
        edges,
        locate,
        grid_codes,
        grid_comm,
        comm_street,
        street_district,
        district_codes,
        as_of_utc,
        np.array(street_no),
    )

    # ---- responsibility list and events
    cats = categories.CATEGORIES
    tables["event_category"] = Table(
        "event_category",
        {
            "code": _obj([c[0] for c in cats]),
            "kind": _obj([c[1] for c in cats]),
            "major": _obj([c[2] for c in cats]),
            "minor": _obj([c[3] for c in cats]),
            "department": _obj([c[4] for c in cats]),
            "level": _obj([c[5] for c in cats]),
            "register_hours": np.array([c[6] for c in cats], float),
            "dispatch_hours": np.array([c[7] for c in cats], float),
            "handle_hours": np.array([c[8] for c in cats], float),
            "verify_hours": np.array([c[9] for c in cats], float),
            "time_unit": _obj([categories.time_unit(c[0]) for c in cats]),
        },
    )
    ev, hist, ev_extra = _events(
        rng, cfg, as_of_utc, edges, b_extra, locate, grid_codes, grid_comm, comm_street, comm_codes, street_codes,
        comm_names, grid_worker,
    )  # fmt: skip
    tables["event"] = ev
    tables["event_history"] = hist
    extra.update(ev_extra)
    extra["grid_rects"] = [g[0] for g in grids]
    _add_versions(tables, seed)
    return City(seed=seed, scale=scale, as_of=as_of, tables=tables, extra=extra)


def _add_versions(tables: dict[str, Table], seed: int) -> None:
    """Row versions and UUIDs of the editable tables (schema.VERSIONED, issue #11): version 1, no
    base version, a random UUID drawn from the seed (the same seed gives the same city)."""
    import uuid

    rng = np.random.default_rng([seed, 11])  # its own stream: the rest of the city does not move
    for name in schema.VERSIONED:
        table = tables.get(name)
        if table is None or "version" in table.columns:
            continue
        n = len(table)
        table.columns["version"] = np.ones(n, dtype=np.int64)
        table.columns["base_version"] = np.full(n, None, dtype=object)
        if name != "event":
            raw = rng.bytes(16 * n)
            table.columns["uid"] = np.array(
                [str(uuid.UUID(bytes=raw[16 * i : 16 * i + 16], version=4)) for i in range(n)], dtype=object
            )


# --------------------------------------------------------------------------- departmental grids


def _dept_lattice(
    rng: np.random.Generator,
    lat: _Lattice,
    fixed: np.ndarray,
    keep_h: np.ndarray,
    keep_v: np.ndarray,
    shift: float,
    wobble: float,
) -> _Lattice:
    """A copy of the lattice with free nodes shifted and every edge wobbled (hand-drawn boundaries).

    Nodes and edges on district boundaries stay put so each layer still covers its district.
    """
    px = lat.px + np.where(fixed, 0.0, rng.uniform(-shift, shift, lat.px.shape))
    py = lat.py + np.where(fixed, 0.0, rng.uniform(-shift, shift, lat.py.shape))

    def mids(ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray, keep: np.ndarray) -> np.ndarray:
        mx, my = (ax + bx) / 2, (ay + by) / 2
        dx, dy = bx - ax, by - ay
        ln = np.hypot(dx, dy)
        off = np.where(keep, 0.0, rng.uniform(-wobble, wobble, mx.shape))
        return np.stack([mx - dy / ln * off, my + dx / ln * off], axis=-1)

    mid_h = mids(px[:-1, :], py[:-1, :], px[1:, :], py[1:, :], keep_h)
    mid_v = mids(px[:, :-1], py[:, :-1], px[:, 1:], py[:, 1:], keep_v)
    return _Lattice(px, py, mid_h, mid_v)


def _dept_grids(
    rng: np.random.Generator,
    cfg: _Config,
    lat: _Lattice,
    d_rects: list[Rect],
    streets: list,
    communities: list,
    street_district: np.ndarray,
) -> tuple[Table, list[dict[str, Any]]]:
    # Nodes on district boundaries are shared by every layer.
    fixed = np.zeros((cfg.nx + 1, cfg.ny + 1), dtype=bool)
    for i0, j0, i1, j1 in d_rects:
        fixed[i0 : i1 + 1, [j0, j1]] = True
        fixed[[i0, i1], j0 : j1 + 1] = True
    # Edges on district boundaries stay straight; all others wobble.
    on_h = np.zeros((cfg.nx, cfg.ny + 1), dtype=bool)
    on_v = np.zeros((cfg.nx + 1, cfg.ny), dtype=bool)
    for i0, j0, i1, j1 in d_rects:
        on_h[i0:i1, [j0, j1]] = True
        on_v[[i0, i1], j0:j1] = True
    depts, codes, names, geoms = [], [], [], []
    # (department, shift m, wobble m, pieces): 综治 fine grids per community, 城管 coarse cells
    # straight across streets, 党建 one or two pieces per community.
    plans = (("综治", 18.0, 10.0), ("城管", 25.0, 6.0), ("党建", 30.0, 14.0))
    for dept, shift, wobble in plans:
        dl = _dept_lattice(rng, lat, fixed, on_h, on_v, shift, wobble)
        rects: list[tuple[Rect, str]] = []
        if dept == "综治":
            for crect, ccode, _n, _s in communities:
                k = max(1, round(_area(crect) / 2.2))
                for n, r in enumerate(_order_nw(_split(rng, crect, k, 1, 1)), start=1):
                    rects.append((r, f"ZZ{ccode}{n:02d}"))
        elif dept == "城管":
            for srect, scode, _n, _d in streets:
                k = max(1, round(_area(srect) / 6.0))
                for n, r in enumerate(_order_nw(_split(rng, srect, k, 3, 2)), start=1):
                    rects.append((r, f"CG{scode}{n:03d}"))
        else:
            for crect, ccode, _n, _s in communities:
                k = 1 + int(rng.random() < 0.6 and _area(crect) >= 4)
                for n, r in enumerate(_order_nw(_split(rng, crect, k, 1, 2)), start=1):
                    rects.append((r, f"DJ{ccode}{n:02d}"))
        for r, code in rects:
            depts.append(dept)
            codes.append(code)
            names.append(f"{dept}网格{code[-6:]}")
            geoms.append(shapely.MultiPolygon([shapely.Polygon(dl.ring(r))]))
    faults = seed_dept_faults(depts, codes, geoms)
    return Table(
        "dept_grid", {"department": _obj(depts), "code": _obj(codes), "name": _obj(names)}, _obj(geoms)
    ), faults


# the mistakes hand-drawn departmental grids really have, seeded into the 综治 layer so that the
# grid check shows a planner what each problem looks like (kind, what was done)
DEPT_FAULTS = (
    ("overlap", "a boundary drawn 3 m into the neighbouring grid"),
    ("gap", "a boundary drawn 2 m short of the neighbouring grid"),
    ("overlap", "a grid drawn 8 m across its community's boundary, over the grid there"),
    ("multipart", "a 12 m square of one grid left inside another grid"),
)


def seed_dept_faults(depts: list[str], codes: list[str], geoms: list) -> list[dict[str, Any]]:
    """Seed :data:`DEPT_FAULTS` into the 综治 grids (in place, deterministic); what was seeded.

    Each fault uses its own grids, away from the others, so each shows as one problem.
    """
    zz = [i for i, d in enumerate(depts) if d == "综治"]
    if len(zz) < 12:
        return []
    comm = {i: codes[i][2:14] for i in zz}
    arr = np.empty(len(zz), dtype=object)
    arr[:] = [geoms[i] for i in zz]
    tree = shapely.STRtree(arr)
    a, b = tree.query(arr, predicate="touches")
    pairs = []
    for x, y in zip(a.tolist(), b.tolist()):
        i, j = zz[x], zz[y]
        if i < j:
            shared = shapely.intersection(shapely.boundary(geoms[i]), shapely.boundary(geoms[j])).length
            if shared > 60.0:
                pairs.append((i, j, shared))
    used: set[int] = set()

    def take(same_community: bool) -> tuple[int, int] | None:
        for i, j, _shared in pairs:
            if (comm[i] == comm[j]) != same_community:
                continue
            near = set(tree.query(shapely.buffer(geoms[i], 50.0)).tolist()) | set(
                tree.query(shapely.buffer(geoms[j], 50.0)).tolist()
            )
            if any(zz[k] in used for k in near):
                continue
            used.update((i, j))
            return i, j
        return None

    def mitre(g, d):
        return shapely.buffer(g, d, join_style="mitre")

    def single(g):
        parts = sorted(shapely.get_parts(g), key=lambda p: -p.area)
        return shapely.MultiPolygon([parts[0]])

    seeded: list[dict[str, Any]] = []
    for n, (kind, what) in enumerate(DEPT_FAULTS):
        across = n == 2  # the second overlap crosses into another community
        pair = take(not across)
        if pair is None:
            continue
        i, j = pair
        if kind == "overlap":
            width = 8.0 if across else 3.0
            geoms[i] = single(shapely.union(geoms[i], shapely.intersection(geoms[j], mitre(geoms[i], width))))
        elif kind == "gap":
            geoms[i] = single(shapely.difference(geoms[i], mitre(geoms[j], 2.0)))
        elif kind == "multipart":
            pt = shapely.point_on_surface(geoms[j])
            square = shapely.box(pt.x - 6, pt.y - 6, pt.x + 6, pt.y + 6)
            geoms[j] = shapely.MultiPolygon(list(shapely.get_parts(shapely.difference(geoms[j], square))))
            geoms[i] = shapely.MultiPolygon([*shapely.get_parts(geoms[i]), square])
        seeded.append({"kind": kind, "codes": [codes[i], codes[j]], "what": what})
    return seeded


# --------------------------------------------------------------------------- roads


@dataclass
class _Edges:
    """Road segments between neighbouring lattice nodes."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    cls: np.ndarray
    half_width: np.ndarray
    name: np.ndarray  # object


def _road_names(rng: np.random.Generator, n: int, words: tuple[str, ...], cls: np.ndarray) -> list[str]:
    order = rng.permutation(len(words))
    out = []
    for k in range(n):
        word = words[order[k % len(words)]]
        num = _NUMERALS[(k // len(words)) % 10]
        suffix = {0: "路", 1: "路", 2: "支路"}[int(cls[k])]
        if cls[k] == 0 and k % 3 == 0:
            suffix = "大道"
        out.append(f"{word}{num}{suffix}")
    return out


def _roads(rng: np.random.Generator, lat: _Lattice, col_cls: np.ndarray, row_cls: np.ndarray) -> tuple[Table, _Edges]:
    nxn, nyn = lat.px.shape  # nodes
    col_w = np.array([rng.uniform(*_ROAD_WIDTH[int(c)]) for c in col_cls])
    row_w = np.array([rng.uniform(*_ROAD_WIDTH[int(c)]) for c in row_cls])
    col_names = _road_names(rng, nxn, _ROAD_WORDS_NS, col_cls)
    row_names = _road_names(rng, nyn, _ROAD_WORDS_EW, row_cls)
    feats, names, classes, widths = [], [], [], []
    # One feature per line between crossings with arterials (like OSM ways split at junctions).
    for i in range(nxn):
        cuts = [j for j in range(nyn) if row_cls[j] == 0 or j in (0, nyn - 1)]
        for a, b in zip(cuts[:-1], cuts[1:]):
            coords = np.column_stack([lat.px[i, a : b + 1], lat.py[i, a : b + 1]])
            feats.append(shapely.MultiLineString([coords]))
            names.append(col_names[i])
            classes.append(ROAD_CLASSES[col_cls[i]])
            widths.append(round(float(col_w[i]), 1))
    for j in range(nyn):
        cuts = [i for i in range(nxn) if col_cls[i] == 0 or i in (0, nxn - 1)]
        for a, b in zip(cuts[:-1], cuts[1:]):
            coords = np.column_stack([lat.px[a : b + 1, j], lat.py[a : b + 1, j]])
            feats.append(shapely.MultiLineString([coords]))
            names.append(row_names[j])
            classes.append(ROAD_CLASSES[row_cls[j]])
            widths.append(round(float(row_w[j]), 1))
    table = Table(
        "road",
        {"name": _obj(names), "road_class": _obj(classes), "width_m": np.array(widths, float)},
        _obj(feats),
    )
    # segments: vertical (along columns) then horizontal (along rows)
    vx0, vy0 = lat.px[:, :-1].ravel(), lat.py[:, :-1].ravel()
    vx1, vy1 = lat.px[:, 1:].ravel(), lat.py[:, 1:].ravel()
    vi = np.repeat(np.arange(nxn), nyn - 1)
    hx0, hy0 = lat.px[:-1, :].ravel(), lat.py[:-1, :].ravel()
    hx1, hy1 = lat.px[1:, :].ravel(), lat.py[1:, :].ravel()
    hj = np.tile(np.arange(nyn), nxn - 1)
    edges = _Edges(
        np.concatenate([vx0, hx0]),
        np.concatenate([vy0, hy0]),
        np.concatenate([vx1, hx1]),
        np.concatenate([vy1, hy1]),
        np.concatenate([col_cls[vi], row_cls[hj]]),
        np.concatenate([col_w[vi], row_w[hj]]) / 2,
        np.concatenate([_obj(col_names)[vi], _obj(row_names)[hj]]),
    )
    return table, edges


# --------------------------------------------------------------------------- buildings


def _cells(lat: _Lattice, nx: int, ny: int) -> np.ndarray:
    """Cell quads, index i * ny + j."""
    px, py = lat.px, lat.py
    corners = [(px[:-1, :-1], py[:-1, :-1]), (px[1:, :-1], py[1:, :-1]), (px[1:, 1:], py[1:, 1:]),
               (px[:-1, 1:], py[:-1, 1:]), (px[:-1, :-1], py[:-1, :-1])]  # fmt: skip
    coords = np.stack([np.stack([cx.ravel(), cy.ravel()], -1) for cx, cy in corners], axis=1)
    return shapely.polygons(coords)


# block type: slot w, slot h (m), fill fraction range, floors range, floor height, residential, L share
_BLOCK_TYPES = {
    "lane": (13.5, 11.5, (0.72, 0.9), (2, 4), 3.0, True, 0.0),  # 里弄 / 老公房
    "walkup": (52.0, 20.0, (0.72, 0.9), (5, 7), 2.9, True, 0.1),  # 多层住宅
    "highrise": (48.0, 42.0, (0.55, 0.75), (16, 33), 3.0, True, 0.35),  # 高层住宅
    "commercial": (52.0, 46.0, (0.6, 0.85), (4, 30), 4.0, False, 0.3),  # 商务楼
    "public": (70.0, 55.0, (0.5, 0.8), (2, 5), 4.2, False, 0.3),  # 学校 / 医院 / 菜场
    "park": (0.0, 0.0, (0, 0), (0, 0), 0.0, False, 0.0),
}
_BLOCK_P_INNER = {"lane": 0.42, "walkup": 0.34, "highrise": 0.12, "commercial": 0.03, "public": 0.05, "park": 0.04}
_BLOCK_P_ARTERIAL = {"lane": 0.28, "walkup": 0.3, "highrise": 0.14, "commercial": 0.16, "public": 0.07, "park": 0.05}
_PUBLIC_NAMES = ("菜市场", "小学", "中学", "社区卫生服务中心", "文化活动中心", "幼儿园", "养老院")


def _buildings(
    rng: np.random.Generator,
    cfg: _Config,
    lat: _Lattice,
    cells: np.ndarray,
    col_cls: np.ndarray,
    row_cls: np.ndarray,
    edges: _Edges,
    cell_comm: np.ndarray,
    comm_names: np.ndarray,
) -> tuple[Table, dict[str, Any]]:
    nx, ny = cfg.nx, cfg.ny
    ci = np.repeat(np.arange(nx), ny)
    cj = np.tile(np.arange(ny), nx)
    half = edges.half_width
    # widest bounding road per cell, from the per-line widths of the edge table
    nyn = ny + 1
    col_half = half[: (nx + 1) * (nyn - 1)].reshape(nx + 1, nyn - 1)[:, 0]
    row_half = half[(nx + 1) * (nyn - 1) :].reshape(nx, nyn)[0, :]
    inset = np.maximum.reduce([col_half[ci], col_half[ci + 1], row_half[cj], row_half[cj + 1]])
    setback = rng.uniform(2.5, 5.0, len(cells))
    blocks = shapely.buffer(cells, -(inset + setback), join_style="mitre")
    on_arterial = (col_cls[ci] == 0) | (col_cls[ci + 1] == 0) | (row_cls[cj] == 0) | (row_cls[cj + 1] == 0)
    type_names = list(_BLOCK_TYPES)
    p_in = np.array([_BLOCK_P_INNER[t] for t in type_names])
    p_ar = np.array([_BLOCK_P_ARTERIAL[t] for t in type_names])
    u = rng.random(len(cells))
    btype = np.where(
        on_arterial,
        np.searchsorted(np.cumsum(p_ar / p_ar.sum()), u),
        np.searchsorted(np.cumsum(p_in / p_in.sum()), u),
    )
    btype = np.minimum(btype, len(type_names) - 1)
    # every community gets a market so events have hotspots; markets are public blocks
    market = np.zeros(len(cells), dtype=bool)
    for c in np.unique(cell_comm.ravel()):
        cand = np.flatnonzero(cell_comm.ravel() == c)
        pick = cand[rng.integers(0, len(cand))]
        market[pick] = True
    btype[market] = type_names.index("public")

    # block orientation from its south edge
    angle = np.arctan2(lat.py[1:, :-1] - lat.py[:-1, :-1], lat.px[1:, :-1] - lat.px[:-1, :-1]).ravel()
    slot_w = np.array([_BLOCK_TYPES[t][0] for t in type_names])[btype]
    slot_h = np.array([_BLOCK_TYPES[t][1] for t in type_names])[btype]
    # slots are laid out in each block's own frame (rotated by its street angle)
    nb = len(blocks)
    cent = shapely.centroid(blocks)
    bcx, bcy = shapely.get_x(cent), shapely.get_y(cent)
    ca, sa = np.cos(angle), np.sin(angle)
    coords, owner = shapely.get_coordinates(blocks, return_index=True)
    rx, ry = coords[:, 0] - bcx[owner], coords[:, 1] - bcy[owner]
    lx = rx * ca[owner] + ry * sa[owner]
    ly = -rx * sa[owner] + ry * ca[owner]
    minx, miny = np.full(nb, np.inf), np.full(nb, np.inf)
    maxx, maxy = np.full(nb, -np.inf), np.full(nb, -np.inf)
    np.minimum.at(minx, owner, lx)
    np.minimum.at(miny, owner, ly)
    np.maximum.at(maxx, owner, lx)
    np.maximum.at(maxy, owner, ly)
    valid = ~shapely.is_empty(blocks) & (slot_w > 0) & np.isfinite(minx)
    span_x = np.where(valid, maxx - minx, 0.0)
    span_y = np.where(valid, maxy - miny, 0.0)
    nsx = np.floor(span_x / np.where(slot_w > 0, slot_w, 1)).astype(np.int64)
    nsy = np.floor(span_y / np.where(slot_h > 0, slot_h, 1)).astype(np.int64)
    counts = nsx * nsy
    b = np.repeat(np.arange(nb), counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    sx, sy = k % nsx[b], k // nsx[b]
    sw, sh = slot_w[b], slot_h[b]
    ox = minx[b] + (span_x[b] - nsx[b] * sw) / 2
    oy = miny[b] + (span_y[b] - nsy[b] * sh) / 2
    n = len(b)
    t = btype[b]
    fill_lo = np.array([_BLOCK_TYPES[x][2][0] for x in type_names])[t]
    fill_hi = np.array([_BLOCK_TYPES[x][2][1] for x in type_names])[t]
    w = sw * rng.uniform(fill_lo, fill_hi)
    h = sh * rng.uniform(fill_lo, fill_hi)
    delta = np.radians(rng.uniform(-4.0, 4.0, n))
    theta = angle[b] + delta
    c, s = np.abs(np.cos(delta)), np.abs(np.sin(delta))
    # shrink so the footprint, turned a little within its slot, stays inside it (no overlaps)
    fit = np.minimum(1.0, np.minimum(0.92 * sw / (w * c + h * s), 0.92 * sh / (w * s + h * c)))
    w, h = w * fit, h * fit
    ext_x, ext_y = w * c + h * s, w * s + h * c
    lcx = ox + (sx + 0.5) * sw + rng.uniform(-0.5, 0.5, n) * np.maximum(0.0, 0.92 * sw - ext_x)
    lcy = oy + (sy + 0.5) * sh + rng.uniform(-0.5, 0.5, n) * np.maximum(0.0, 0.92 * sh - ext_y)
    cx = bcx[b] + lcx * ca[b] - lcy * sa[b]
    cy = bcy[b] + lcx * sa[b] + lcy * ca[b]
    l_share = np.array([_BLOCK_TYPES[x][6] for x in type_names])[t]
    is_l = rng.random(n) < l_share
    hw, hh = w / 2, h / 2
    a = w * rng.uniform(0.35, 0.6, n)
    bb = h * rng.uniform(0.35, 0.6, n)
    # local coords: rectangles (5 points) and L-shapes (7 points, top-right corner cut)
    rect_local = np.stack(
        [np.stack([-hw, -hh], -1), np.stack([hw, -hh], -1), np.stack([hw, hh], -1), np.stack([-hw, hh], -1),
         np.stack([-hw, -hh], -1)], axis=1)  # fmt: skip
    l_local = np.stack(
        [np.stack([-hw, -hh], -1), np.stack([hw, -hh], -1), np.stack([hw, hh - bb], -1),
         np.stack([hw - a, hh - bb], -1), np.stack([hw - a, hh], -1), np.stack([-hw, hh], -1),
         np.stack([-hw, -hh], -1)], axis=1)  # fmt: skip
    flip = np.where(rng.random((n, 2)) < 0.5, -1.0, 1.0)  # which corner is cut

    def place(local: np.ndarray, sel: np.ndarray) -> np.ndarray:
        lx = local[sel, :, 0] * flip[sel, 0:1]
        ly = local[sel, :, 1] * flip[sel, 1:2]
        cs, sn = np.cos(theta[sel])[:, None], np.sin(theta[sel])[:, None]
        gx = cx[sel, None] + lx * cs - ly * sn
        gy = cy[sel, None] + lx * sn + ly * cs
        return shapely.polygons(np.stack([gx, gy], -1))

    fp = np.empty(n, dtype=object)
    if (~is_l).any():
        fp[~is_l] = place(rect_local, ~is_l)
    if is_l.any():
        fp[is_l] = place(l_local, is_l)
    keep = shapely.contains(blocks[b], fp) & (rng.random(n) >= 0.03)  # some empty lots
    idx = np.flatnonzero(keep)
    if cfg.buildings is not None and len(idx) > cfg.buildings:
        idx = np.sort(rng.choice(idx, cfg.buildings, replace=False))
    fp, t, bcell = fp[idx], t[idx], b[idx]
    n = len(idx)
    area = shapely.area(fp)
    fl_lo = np.array([_BLOCK_TYPES[x][3][0] for x in type_names])[t]
    fl_hi = np.array([_BLOCK_TYPES[x][3][1] for x in type_names])[t]
    floors = rng.integers(fl_lo, fl_hi + 1)
    fh = np.array([_BLOCK_TYPES[x][4] for x in type_names])[t]
    height = np.round(floors * fh * rng.uniform(0.95, 1.05, n) + rng.uniform(0.3, 2.5, n), 1)
    residential = np.array([_BLOCK_TYPES[x][5] for x in type_names])[t]
    unit = np.where(t == type_names.index("lane"), rng.uniform(35, 55, n), rng.uniform(65, 95, n))
    households = np.where(residential, np.maximum(1, np.floor(area * floors * 0.72 / unit)), 0).astype(np.int64)
    population = np.round(households * rng.uniform(2.2, 2.9, n)).astype(np.int64)
    comm = cell_comm.ravel()[bcell]
    is_market = market[bcell]
    names = np.empty(n, dtype=object)
    seq = np.zeros(len(comm_names), dtype=np.int64)
    pub = rng.integers(1, len(_PUBLIC_NAMES), n)
    tname = np.array(type_names, dtype=object)[t]
    for k2 in range(n):
        cn = comm_names[comm[k2]].removesuffix("社区")
        seq[comm[k2]] += 1
        kind = tname[k2]
        if kind == "public":
            names[k2] = cn + (_PUBLIC_NAMES[0] if is_market[k2] else _PUBLIC_NAMES[pub[k2]])
        elif kind == "commercial":
            names[k2] = f"{cn}商务楼{seq[comm[k2]]}号"
        else:
            names[k2] = f"{cn}{seq[comm[k2]]}号楼"
    table = Table(
        "building",
        {
            "name": names,
            "kind": _obj(["building"] * n),
            "height_m": height,
            "floors": floors.astype(np.int64),
            "households": households,
            "population": population,
        },
        fp,
    )
    centroids = shapely.get_coordinates(shapely.centroid(fp))
    market_xy = shapely.get_coordinates(shapely.centroid(cells[market]))
    commercial_art = np.flatnonzero((btype == type_names.index("commercial")) & on_arterial)
    extra = {
        "building_xy": centroids,
        "building_population": population,
        "building_use": tname,
        "market_xy": market_xy,
        "commercial_xy": shapely.get_coordinates(shapely.centroid(cells[commercial_art])),
        "blocks": blocks,
    }
    return table, extra


# --------------------------------------------------------------------------- cameras

# system: weight by road class (arterial, secondary, local), hfov range, dome share, range_m,
# mount height, tilt share, vfov share, hres share + choices, install years, industry, network
_CAM = {
    "天网": ((0.42, 0.3, 0.12), (60, 100), 0.15, (60, 150), (6.0, 10.0), 0.7, 0.5, 0.7, (2012, 2020), "00", "0"),
    "雪亮": ((0.14, 0.3, 0.5), (70, 110), 0.08, (30, 80), (3.5, 6.0), 0.5, 0.4, 0.5, (2017, 2024), "01", "6"),
    "社会自建": ((0.2, 0.28, 0.36), (80, 110), 0.1, (15, 40), (2.8, 4.5), 0.3, 0.3, 0.4, (2014, 2025), "03", "8"),
    "交警": ((0.24, 0.12, 0.02), (60, 90), 0.0, (80, 200), (6.0, 8.0), 0.9, 0.8, 0.8, (2013, 2024), "04", "0"),
}
_CAM_STATUS = (("online", 0.86), ("offline", 0.06), ("faulty", 0.04), ("obstructed", 0.03), ("planned", 0.01))


def _cameras(
    rng: np.random.Generator,
    cfg: _Config,
    edges: _Edges,
    locate,
    grid_codes: np.ndarray,
    grid_comm: np.ndarray,
    comm_street: np.ndarray,
    street_district: np.ndarray,
    district_codes: list[str],
    as_of_utc: np.datetime64,
    street_no: np.ndarray,
) -> Table:
    n = cfg.cameras
    systems = list(_CAM)
    sys_w = np.array([sum(_CAM[s][0]) for s in systems])
    sysidx = rng.choice(len(systems), n, p=sys_w / sys_w.sum())
    length = np.hypot(edges.x1 - edges.x0, edges.y1 - edges.y0)
    e = np.empty(n, dtype=np.int64)
    for k, s in enumerate(systems):
        sel = np.flatnonzero(sysidx == k)
        w = np.array(_CAM[s][0])[edges.cls] * length
        e[sel] = rng.choice(len(length), len(sel), p=w / w.sum())
    is_traffic = sysidx == systems.index("交警")
    # traffic cameras sit near junctions, the others anywhere along the block
    t = np.where(is_traffic, np.where(rng.random(n) < 0.5, rng.uniform(0.05, 0.15, n), rng.uniform(0.85, 0.95, n)),
                 rng.uniform(0.1, 0.9, n))  # fmt: skip
    dx, dy = edges.x1[e] - edges.x0[e], edges.y1[e] - edges.y0[e]
    ln = np.hypot(dx, dy)
    ux, uy = dx / ln, dy / ln
    side = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    off = edges.half_width[e] + rng.uniform(0.5, 2.3, n)  # kerb pole, short of the setback line
    x = edges.x0[e] + t * dx - uy * off * side
    y = edges.y0[e] + t * dy + ux * off * side
    g = locate(np.column_stack([x, y]))
    out = g < 0  # beyond the city edge: mount on the other side of the road
    x[out] = edges.x0[e[out]] + t[out] * dx[out] + uy[out] * off[out] * side[out]
    y[out] = edges.y0[e[out]] + t[out] * dy[out] - ux[out] * off[out] * side[out]
    if out.any():
        g[out] = locate(np.column_stack([x[out], y[out]]))
    assert (g >= 0).all()
    # look along the street, towards the junction for traffic cameras
    forward = np.where(is_traffic, t > 0.5, rng.random(n) < 0.5)
    az = np.degrees(np.arctan2(np.where(forward, ux, -ux), np.where(forward, uy, -uy)))
    az = np.round((az + rng.normal(0, 8, n)) % 360.0, 1) % 360.0
    hfov = np.empty(n)
    rng_m = np.empty(n)
    hgt = np.empty(n)
    tilt = np.full(n, np.nan)
    vfov = np.full(n, np.nan)
    hres = np.zeros(n, dtype=np.int64)
    installed = np.empty(n, dtype="datetime64[D]")
    industry = np.empty(n, dtype=object)
    network = np.empty(n, dtype=object)
    for k, s in enumerate(systems):
        _w, fov, dome, rr, hh, p_tilt, p_vfov, p_hres, years, ind, net = _CAM[s]
        sel = np.flatnonzero(sysidx == k)
        m = len(sel)
        f = np.round(rng.uniform(*fov, m), 0)
        f[rng.random(m) < dome] = 360.0
        hfov[sel] = f
        rng_m[sel] = np.round(rng.uniform(*rr, m), 0)
        hgt[sel] = np.round(rng.uniform(*hh, m), 1)
        ts = rng.random(m) < p_tilt
        tilt[sel[ts]] = np.round(rng.uniform(5, 30, ts.sum()), 0)
        vs = rng.random(m) < p_vfov
        vfov[sel[vs]] = np.round(np.clip(f[vs] * rng.uniform(0.45, 0.6, vs.sum()), 25, 90), 0)
        hs = rng.random(m) < p_hres
        hres[sel[hs]] = rng.choice([1280, 1920, 2560, 3840], hs.sum(), p=[0.15, 0.45, 0.3, 0.1])
        start = np.datetime64(f"{years[0]}-01-01")
        end = min(np.datetime64(f"{years[1]}-12-31"), as_of_utc.astype("datetime64[D]"))
        span = int((end - start).astype(int))
        installed[sel] = start + rng.integers(0, span + 1, m).astype("timedelta64[D]")
        industry[sel] = ind
        network[sel] = net
    st_names = [s for s, _ in _CAM_STATUS]
    st_p = np.array([p for _, p in _CAM_STATUS])
    status = np.array(st_names, dtype=object)[rng.choice(len(st_names), n, p=st_p / st_p.sum())]
    street = comm_street[grid_comm[g]]
    district = street_district[street]
    # street index inside its district -> the 2-digit basic unit of the device id
    d_codes = np.array(district_codes, dtype=object)[district]
    serial = np.zeros(n, dtype=np.int64)
    for d in np.unique(district):
        sel = np.flatnonzero(district == d)
        serial[sel] = np.arange(1, len(sel) + 1)
    ctype = np.where(rng.random(n) < 0.7, "132", "131")
    names = np.empty(n, dtype=object)
    dev = np.empty(n, dtype=object)
    sysname = np.array(systems, dtype=object)[sysidx]
    road = edges.name[e]
    for k in range(n):
        unit = int(street_no[street[k]]) % 100
        dev[k] = f"{d_codes[k]}{unit:02d}{industry[k]}{ctype[k]}{network[k]}{serial[k]:06d}"
        names[k] = f"{road[k]}{sysname[k]}{serial[k]:04d}"
    return Table(
        "camera",
        {
            "device_id": dev,
            "name": names,
            "system": sysname,
            "status": status,
            "azimuth": az,
            "hfov": hfov,
            "range_m": rng_m,
            "height_m": hgt,
            "tilt": tilt,
            "vfov": vfov,
            "hres_px": _obj([int(v) if v else None for v in hres]),
            "grid_code": grid_codes[g],
            "installed_at": installed,
        },
        xy=np.column_stack([x, y]),
    )


# --------------------------------------------------------------------------- events

_SENSOR_CATS = frozenset({"BJ0101", "BJ0102", "BJ0103", "BJ0106", "BJ0110", "BJ0117", "SJ0302", "SJ0405", "SJ0601"})
# relative frequencies in a 数字城管 centre: litter, ads, parking and street trading dominate
_CAT_WEIGHT = {
    "SJ0102": 14, "SJ0104": 8, "SJ0201": 10, "SJ0503": 9, "SJ0504": 8, "SJ0502": 7, "SJ0501": 6, "SJ0103": 5,
    "SJ0101": 4, "SJ0304": 3, "SJ0303": 3, "SJ0601": 3, "SJ0602": 2, "SJ0507": 2, "SJ0505": 2, "SJ0202": 2,
    "SJ0604": 2, "SJ0603": 1.5, "SJ0301": 1.5, "SJ0302": 1.5, "SJ0106": 1.5, "SJ0105": 0.8, "SJ0109": 0.6,
    "SJ0405": 0.8, "SJ0401": 0.15, "SJ0402": 0.2, "SJ0403": 0.05, "BJ0117": 3, "BJ0304": 2.5, "BJ0306": 2,
    "BJ0101": 1, "BJ0102": 1, "BJ0103": 1.2, "BJ0106": 0.6, "BJ0110": 0.4, "BJ0114": 0.5, "BJ0201": 0.8,
    "BJ0204": 0.8, "BJ0208": 1.2, "BJ0213": 0.6, "BJ0301": 0.8, "BJ0401": 0.2, "BJ0403": 1.5, "BJ0405": 1.2,
    "BJ0501": 0.5, "BJ0601": 0.6,
}  # fmt: skip
# multipliers per location type: hotspot (markets, busy corners), road, home (residential)
_TYPE_BOOST = (
    {"SJ0501": 4, "SJ0502": 4, "SJ0507": 3, "SJ0505": 3, "SJ0102": 2, "SJ0104": 2, "SJ0602": 3, "SJ0503": 2},
    {"SJ0303": 3, "SJ0304": 3, "SJ0503": 2, "SJ0405": 2, "SJ0401": 2, "BJ0201": 3, "BJ0204": 3, "BJ0208": 3,
     "BJ0213": 3, "BJ0117": 2, "BJ0101": 2, "BJ0102": 2, "BJ0103": 2, "BJ0403": 2},
    {"SJ0504": 2, "SJ0603": 3, "SJ0604": 3, "SJ0101": 2, "SJ0601": 2, "BJ0501": 3, "BJ0601": 3, "SJ0103": 2},
)  # fmt: skip
_HOUR_W = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3, 5, 7, 7.5, 6.5, 5, 5.5, 6.5, 6.5, 6, 5, 4, 3.5, 3, 2.5, 2, 1.5])
# (step mean factor of the deadline, lognormal sigma): most steps finish within their deadline
_STEP = {"register": (0.35, 0.9), "dispatch": (0.35, 0.9), "handle": (0.45, 0.8), "verify": (0.4, 0.8)}
_HOUR = np.timedelta64(3600, "s")


def _hours(x: np.ndarray) -> np.ndarray:
    return (x * 3600).astype("timedelta64[s]")


def _events(
    rng: np.random.Generator,
    cfg: _Config,
    as_of: np.datetime64,
    edges: _Edges,
    bx: dict[str, Any],
    locate,
    grid_codes: np.ndarray,
    grid_comm: np.ndarray,
    comm_street: np.ndarray,
    comm_codes: np.ndarray,
    street_codes: np.ndarray,
    comm_names: np.ndarray,
    grid_worker: np.ndarray,
) -> tuple[Table, Table, dict[str, Any]]:
    n = cfg.events
    cats = categories.CATEGORIES
    codes = [c[0] for c in cats]
    base = np.array([_CAT_WEIGHT.get(c, 1.0) for c in codes])

    # ---- where: 35% hotspots, 30% along main roads, 35% at homes
    loc = rng.choice(3, n, p=[0.35, 0.3, 0.35])
    xy = np.empty((n, 2))
    hot = np.concatenate([bx["market_xy"], bx["commercial_xy"]])
    hot_w = np.concatenate([np.full(len(bx["market_xy"]), 3.0), np.ones(len(bx["commercial_xy"]))])
    hot_w *= rng.gamma(0.6, 1.0, len(hot_w))  # some hotspots are much hotter than others
    hot_sigma = rng.uniform(40.0, 130.0, len(hot))
    sel = np.flatnonzero(loc == 0)
    h = rng.choice(len(hot), len(sel), p=hot_w / hot_w.sum())
    xy[sel] = hot[h] + rng.normal(0, 1, (len(sel), 2)) * hot_sigma[h, None]
    sel = np.flatnonzero(loc == 1)
    length = np.hypot(edges.x1 - edges.x0, edges.y1 - edges.y0)
    ew = length * np.array([4.0, 2.0, 0.5])[edges.cls]
    e = rng.choice(len(length), len(sel), p=ew / ew.sum())
    t = rng.random(len(sel))
    dx, dy = edges.x1[e] - edges.x0[e], edges.y1[e] - edges.y0[e]
    ln = np.hypot(dx, dy)
    off = rng.normal(0, 1, len(sel)) * (edges.half_width[e] + 4)
    xy[sel, 0] = edges.x0[e] + t * dx - dy / ln * off
    xy[sel, 1] = edges.y0[e] + t * dy + dx / ln * off
    bw = bx["building_population"].astype(float) + 15.0

    def homes(m: int, jitter: float = 15.0) -> np.ndarray:
        k = rng.choice(len(bw), m, p=bw / bw.sum())
        return bx["building_xy"][k] + rng.normal(0, jitter, (m, 2))

    sel = np.flatnonzero(loc == 2)
    xy[sel] = homes(len(sel))
    g = locate(xy)
    for attempt in range(4):  # points that fell outside the city move to a home
        bad = np.flatnonzero(g < 0)
        if not len(bad):
            break
        xy[bad] = homes(len(bad), 15.0 if attempt < 3 else 0.0)
        g[bad] = locate(xy[bad])
    assert (g >= 0).all()

    # ---- what: category by location type, then source
    cat = np.empty(n, dtype=np.int64)
    for k in range(3):
        w = base * np.array([_TYPE_BOOST[k].get(c, 1.0) for c in codes])
        sel = np.flatnonzero(loc == k)
        cat[sel] = rng.choice(len(codes), len(sel), p=w / w.sum())
    sensorable = np.array([c in _SENSOR_CATS for c in codes])[cat]
    u = rng.random(n)
    src = np.where(
        sensorable,
        np.searchsorted(np.cumsum([0.35, 0.15, 0.2, 0.3]), u),
        np.searchsorted(np.cumsum([0.5, 0.25, 0.25]), u),
    )
    src = np.minimum(src, 3)

    # ---- when: two years up to as_of, more with time (adoption), fewer at weekends and at night
    days = 730
    dw = 0.8 + 0.4 * np.arange(days) / days
    day0 = (as_of - np.timedelta64(days, "D")).astype("datetime64[D]")
    dow = ((day0 + np.arange(days)).astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
    dw = dw * np.where(dow >= 5, 0.8, 1.0)
    d = rng.choice(days, n, p=dw / dw.sum())
    hour = rng.choice(24, n, p=_HOUR_W / _HOUR_W.sum())
    # 09:00 local is 01:00 UTC: local hours shifted by -8 h
    reported = (
        day0.astype("datetime64[s]") + d.astype("timedelta64[D]") + (hour - 8).astype("timedelta64[h]")
        + rng.integers(0, 3600, n).astype("timedelta64[s]")
    )  # fmt: skip
    # the newest reports must not lie after as_of
    late = reported > as_of - np.timedelta64(60, "s")
    reported[late] = as_of - rng.integers(60, 86400 * 3, late.sum()).astype("timedelta64[s]")
    order = np.argsort(reported, kind="stable")
    reported, xy, g, cat, src, loc = reported[order], xy[order], g[order], cat[order], src[order], loc[order]

    delay = np.select(
        [src == 0, src == 1, src == 2],
        [rng.integers(0, 120, n), rng.integers(30, 900, n), rng.integers(300, 3600, n)],
        rng.integers(0, 30, n),
    ).astype("timedelta64[s]")
    received = reported + delay

    # ---- life cycle
    hrs = {
        "register": np.array([c[6] for c in cats])[cat],
        "dispatch": np.array([c[7] for c in cats])[cat],
        "handle": np.array([c[8] for c in cats])[cat],
        "verify": np.array([c[9] for c in cats])[cat],
    }

    def step(kind: str) -> np.ndarray:
        mean, sigma = _STEP[kind]
        return _hours(hrs[kind] * mean * rng.lognormal(0, sigma, n) + 0.02)

    t_reg = received + step("register")
    t_disp = t_reg + step("dispatch")
    t_hand = t_disp + step("handle")
    t_ver = t_hand + step("verify")
    rework = rng.random(n) < 0.05
    t_disp2 = t_ver  # verification failed: sent back to the handler at that time
    t_hand2 = t_disp2 + step("handle")
    t_ver2 = t_hand2 + step("verify")
    t_final_ver = np.where(rework, t_ver2, t_ver)
    t_close = t_final_ver + rng.integers(300, 7200, n).astype("timedelta64[s]")
    void = rng.random(n) < 0.04
    # stuck cases never move on from one step (the overdue backlog), mostly recent ones
    age_days = (as_of - reported).astype(np.int64) / 86400
    stuck = rng.random(n) < np.where(age_days < 60, 0.06, 0.003)
    stuck_at = rng.integers(0, 4, n)  # 0 reported, 1 registered, 2 dispatched, 3 handled
    stuck = stuck & ~void

    # times per state (NaT when never reached), flat layout of the possible transitions
    nat = np.datetime64("NaT", "s")
    # rows: (from, to, time array, include mask)
    seqs: list[tuple[str | None, str, np.ndarray, np.ndarray]] = []
    ok = ~void
    reach = [
        np.ones(n, bool),
        ok & ~(stuck & (stuck_at < 1)),
        ok & ~(stuck & (stuck_at < 2)),
        ok & ~(stuck & (stuck_at < 3)),
        ok & ~stuck,
    ]
    seqs.append((None, "reported", received, reach[0]))
    seqs.append(("reported", "void", t_reg, void))
    seqs.append(("reported", "registered", t_reg, reach[1]))
    seqs.append(("registered", "dispatched", t_disp, reach[2]))
    seqs.append(("dispatched", "handled", t_hand, reach[3]))
    seqs.append(("handled", "dispatched", t_disp2, reach[4] & rework))
    seqs.append(("dispatched", "handled", t_hand2, reach[4] & rework))
    seqs.append(("handled", "verified", t_final_ver, reach[4]))
    seqs.append(("verified", "closed", t_close, reach[4]))
    status = np.full(n, "reported", dtype=object)
    updated = received.copy()
    state_since = received.copy()
    deadline_step = np.full(n, "register", dtype=object)
    hist_ev, hist_at, hist_from = [], [], []
    for k, (_frm, to, when, mask) in enumerate(seqs):
        happened = mask & (when <= as_of)
        if k == 0:
            happened = mask.copy()
        idx = np.flatnonzero(happened)
        hist_ev.append(idx)
        hist_at.append(when[idx])
        hist_from.append(np.full(len(idx), k, dtype=np.int16))
        status[idx] = to
        updated[idx] = when[idx]
        state_since[idx] = when[idx]
        deadline_step[idx] = {"reported": "register", "registered": "dispatch", "dispatched": "handle",
                              "handled": "verify", "verified": "register"}.get(to, "")  # fmt: skip
    # deadline of the current step; closed and void cases have none
    deadline = np.full(n, nat, dtype="datetime64[s]")
    for kind in ("register", "dispatch", "handle", "verify"):
        sel = deadline_step == kind
        deadline[sel] = state_since[sel] + _hours(hrs[kind][sel])
    closed_at = np.full(n, nat, dtype="datetime64[s]")
    fin = (status == "closed") | (status == "void")
    closed_at[fin] = updated[fin]

    ids = _uuids(rng, n)
    # duplicates: a void report of the same category in the same grid within 3 days of an earlier one
    dup = np.full(n, None, dtype=object)
    void_note = np.full(n, "不属于受理范围", dtype=object)
    key = np.lexsort((reported, cat, g))
    ks = key[1:]
    prev = key[:-1]
    is_dup = (
        (g[ks] == g[prev]) & (cat[ks] == cat[prev]) & (reported[ks] - reported[prev] < np.timedelta64(3, "D"))
        & (status[ks] == "void") & (status[prev] != "void")
    )  # fmt: skip
    dup[ks[is_dup]] = ids[prev[is_dup]]
    void_note[ks[is_dup]] = "重复上报"

    # ---- attributes
    src_names = np.array(EVENT_SOURCES, dtype=object)
    prefix = ("WG", "SP", "RX", "IOT")
    # numbered in report order per channel, as the channels do
    seq = np.zeros(n, dtype=np.int64)
    for k in range(4):
        sel = src == k
        seq[sel] = np.arange(1, sel.sum() + 1)
    ext = (np.array(prefix)[src].astype(object) + np.char.zfill(seq.astype(str), 9).astype(object)).astype(object)
    minor_names = np.array([c[3] for c in cats], dtype=object)
    comm = grid_comm[g]
    worker = grid_worker[g]
    # texts shared between rows are looked up, not rebuilt, to keep 2,000,000 events small
    desc_table = comm_names[:, None] + minor_names[None, :]
    desc = desc_table[comm, cat]
    tail = rng.integers(0, 10000, n)
    citizen = np.array([f"市民 138****{t:04d}" for t in range(10000)], dtype=object)
    caller = np.array([f"12345 来电 139****{t:04d}" for t in range(10000)], dtype=object)
    sensors = np.array([f"传感器 IOT-{k:05d}" for k in range(len(grid_codes))], dtype=object)
    reporter = np.select(
        [src == 0, src == 1, src == 2],
        [np.where(worker == None, "网格巡查员", worker), citizen[tail], caller[tail]],  # noqa: E711
        sensors[g],
    ).astype(object)
    media = np.full(n, None, dtype=object)
    photo = np.flatnonzero(src <= 1)
    media[photo] = "media/" + ext[photo] + ".jpg"
    # the hotline's callbacks (回访) on its closed cases, a day after closing: 7 in 10 满意, 2 基本满意,
    # 1 不满意 (by position, so the rest of the city stays what the seed made it)
    callback = np.full(n, None, dtype=object)
    callback_at = np.full(n, nat, dtype="datetime64[s]")
    hot = np.flatnonzero((status == "closed") & (src_names[src] == "hotline_12345"))
    callback[hot] = np.array(["satisfied"] * 7 + ["basically_satisfied"] * 2 + ["dissatisfied"], dtype=object)[
        np.arange(len(hot)) % 10
    ]
    callback_at[hot] = closed_at[hot] + np.timedelta64(1, "D")
    ev = Table(
        "event",
        {
            "id": ids,
            "source": src_names[src],
            "external_id": ext,
            "category_code": np.array(codes, dtype=object)[cat],
            "description": desc,
            "reporter": reporter,
            "media_url": media,
            "reported_at": reported,
            "received_at": received,
            "status": status,
            "level": np.array([c[5] for c in cats], dtype=object)[cat],
            "department": np.array([c[4] for c in cats], dtype=object)[cat],
            "worker_id": worker,
            "grid_code": grid_codes[g],
            "community_code": comm_codes[comm],
            "street_code": street_codes[comm_street[comm]],
            "deadline_at": deadline,
            "closed_at": closed_at,
            "duplicate_of": dup,
            "updated_at": updated,
            "grade": np.full(n, "ordinary", dtype=object),
            "escalated_at": np.full(n, nat, dtype="datetime64[s]"),
            "satisfaction": callback,
            "satisfaction_at": callback_at,
        },
        xy=xy,
    )
    # ---- history rows, sorted by event then time
    hev = np.concatenate(hist_ev)
    hat = np.concatenate(hist_at)
    hk = np.concatenate(hist_from)
    o = np.lexsort((hat, hev))
    hev, hat, hk = hev[o], hat[o], hk[o]
    frm_names = np.array([s[0] for s in seqs], dtype=object)
    to_names = np.array([s[1] for s in seqs], dtype=object)
    dept = np.array([c[4] for c in cats], dtype=object)[cat]
    step_actor = np.array([None, "受理员", "受理员", "派遣员", None, "核查员", None, "核查员", "受理员"], dtype=object)
    step_note = np.array(
        [
            "上报", None, "立案", "派遣", "处置完成", "核查未通过，退回重新处置", "重新处置完成", "核查通过", "结案",
        ],
        dtype=object,
    )  # fmt: skip
    src_actor = np.array(EVENT_SOURCES, dtype=object)
    # the report is by the grid worker (app) or the channel; handling by the department
    first_actor = np.where((src == 0) & (worker != None), worker, src_actor[src])  # noqa: E711
    actors = step_actor[hk]
    m = hk == 0
    actors[m] = first_actor[hev[m]]
    m = (hk == 4) | (hk == 6)
    actors[m] = dept[hev[m]]
    notes = step_note[hk]
    m = hk == 1
    notes[m] = void_note[hev[m]]
    # the login that made each step (migration 007): the channel's for the report, a desk's after
    channel_login = np.array([f"demo_ch_{s}" for s in EVENT_SOURCES], dtype=object)
    logins = np.full(len(hk), "demo_supervisor", dtype=object)
    m = hk == 0
    logins[m] = channel_login[src[hev[m]]]
    hist = Table(
        "event_history",
        {
            "event_id": ids[hev],
            "at": hat,
            "actor": actors,
            "from_status": frm_names[hk],
            "to_status": to_names[hk],
            "note": notes,
            "login": logins,
            "media_url": np.full(len(hk), None, dtype=object),
            "source_at": np.full(len(hk), np.datetime64("NaT"), dtype="datetime64[s]"),
        },
    )
    return ev, hist, {"event_location_type": loc, "hotspot_xy": hot}
