"""A city on real street fabric for benchmarks and tests: tiled, rotated windows of real
OpenStreetMap footprints and roads (Manhattan midtown, Shanghai's Bund).

``block_city`` (:mod:`.scene`) puts rectangles on a regular grid; real fabric has irregular
footprints (~9 vertices each, some invalid), overlapping building parts, diagonal streets and
a street space whose outline has millions of vertices. :func:`fabric_city` builds a city of any
size from the two real extracts in ``shared/realdata``: square windows cut from either city at a
random place and angle, laid out on a grid of cells separated by boulevards. Only buildings that
lie wholly inside their window are kept (footprints are never cut), the street space is each
road buffered by half its width (by OSM class) and clipped to the window, and cameras stand on
facades (looking out) and on street edges (looking into the street). Everything follows from
``seed``: the same arguments give the same city.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from .camera import Camera
from .scene import Scene

# half widths (m) of the street space around a road centre line, by OSM highway class
HALF_WIDTH = {
    "motorway": 11.0,
    "trunk": 10.0,
    "primary": 9.0,
    "secondary": 7.5,
    "tertiary": 6.5,
    "unclassified": 5.0,
    "residential": 5.0,
    "living_street": 4.0,
    "pedestrian": 4.0,
    "service": 3.0,
    "cycleway": 1.5,
    "footway": 1.5,
    "path": 1.5,
    "steps": 1.5,
    "pier": 2.0,
}
SKIP = {"construction", "proposed", "elevator", "corridor", "rail", "ferry", "subway", "funicular"}

SOURCES = {
    # name: (file under realdata, metric EPSG (UTM zone), road class fields, first one present wins)
    "manhattan": ("nyc_midtown/nyc_midtown_osm.gpkg", 32618, ("highway",)),
    "shanghai": ("shanghai_bund/shanghai_bund_osm.gpkg", 32651, ("kind_detail", "kind")),
}


@dataclass
class _Source:
    """One real extract in metres, centred on its extent's middle."""

    name: str
    buildings: np.ndarray  # polygons (or None where the OSM geometry cannot be read)
    centroids: np.ndarray  # (n, 2) representative points
    tree: shapely.STRtree
    streets: np.ndarray  # the dissolved street space's parts (disjoint)
    street_tree: shapely.STRtree
    curbs: np.ndarray  # (m, 4) street-edge segments x0, y0, x1, y1 (street on the left)
    half_extent: tuple[float, float]


def _read_layer(path: Path, layer_name: str, epsg: int, fields: tuple[str, ...]):
    from osgeo import ogr, osr

    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName(layer_name)
    src = layer.GetSpatialRef()
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(epsg)
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    names = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
    wanted = [f for f in fields if f in names]
    wkbs, rows = [], []
    for feat in layer:
        g = feat.GetGeometryRef()
        if g is None:
            continue
        g = g.Clone()
        g.Transform(ct)
        wkbs.append(bytes(g.ExportToWkb()))
        rows.append(next((feat.GetField(f) for f in wanted if feat.GetField(f)), None))
    # OSM extracts hold rings GEOS cannot read (2 points): they come back as None, as a reader would have them
    return shapely.from_wkb(wkbs, on_invalid="fix"), rows


@lru_cache(maxsize=4)
def _load(realdata: str, name: str) -> _Source:
    rel, epsg, fields = SOURCES[name]
    path = Path(realdata) / rel
    buildings, _ = _read_layer(path, "buildings", epsg, ())
    roads, kinds = _read_layer(path, "roads", epsg, fields)
    present = ~shapely.is_missing(buildings)
    x0, y0, x1, y1 = shapely.total_bounds(buildings[present])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    buildings[present] = shapely.transform(buildings[present], lambda c: c - (cx, cy))
    roads = shapely.transform(roads, lambda c: c - (cx, cy))
    centroids = np.full((len(buildings), 2), np.inf)
    centroids[present] = shapely.get_coordinates(shapely.point_on_surface(buildings[present]))
    # street space: every road buffered by half its class width, as one dissolved surface
    width = np.array([HALF_WIDTH.get(k, 0.0) if k not in SKIP else 0.0 for k in kinds])
    keep = width > 0
    buffers = shapely.buffer(roads[keep], width[keep], quad_segs=3)
    space = shapely.union_all(buffers)
    streets = np.asarray(shapely.get_parts(space), dtype=object)  # the dissolved street space, part by part
    rings = shapely.get_rings(shapely.orient_polygons(shapely.get_parts(space)))
    coords, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[:-1] == idx[1:]
    curbs = np.column_stack([coords[:-1][same], coords[1:][same]])
    return _Source(
        name,
        buildings,
        centroids,
        shapely.STRtree(np.where(present, buildings, None)),
        streets,
        shapely.STRtree(streets),
        curbs,
        ((x1 - x0) / 2, (y1 - y0) / 2),
    )


def _rotation(angle_deg: float) -> np.ndarray:
    a = math.radians(angle_deg)
    return np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])


@dataclass
class _Cell:
    source: _Source
    centre: tuple[float, float]  # window centre in source coordinates
    angle: float  # degrees, counter-clockwise, source -> city
    buildings: np.ndarray  # indices into source.buildings wholly inside the window


def fabric_city(
    realdata: Path | str,
    n_buildings: int = 500_000,
    n_cameras: int = 50_000,
    seed: int = 0,
    window: float = 1600.0,
    boulevard: float = 40.0,
    grid_size: float = 460.0,
    sources: tuple[str, ...] = ("manhattan", "shanghai"),
) -> Scene:
    """A city of ``n_buildings`` real footprints and ``n_cameras`` cameras (see the module doc).

    Cells are ``window`` metres square, ``boulevard`` metres apart (the boulevards are street
    space too); grids are squares of ``grid_size`` metres (about 5,200 for the full city, close to
    a real city's 5,500). Half the cameras stand on facades looking out, half on street edges
    looking in (never inside a footprint); lenses and ranges vary like ``block_city``'s.
    """
    rng = np.random.default_rng(seed)
    srcs = [_load(str(realdata), s) for s in sources]
    half = window / 2.0
    radius = half * math.sqrt(2.0)
    cells: list[_Cell] = []
    total = 0
    while total < n_buildings:
        src = srcs[len(cells) % len(srcs)] if len(srcs) > 1 else srcs[0]
        hx, hy = src.half_extent
        cx = rng.uniform(-max(hx - radius, 0.0), max(hx - radius, 0.0))
        cy = rng.uniform(-max(hy - radius, 0.0), max(hy - radius, 0.0))
        angle = float(rng.uniform(0.0, 360.0))
        win = _window(cx, cy, half, -angle)
        near = src.tree.query(win, predicate="contains")
        near.sort()
        if len(near) == 0:
            continue
        take = near[: n_buildings - total]
        cells.append(_Cell(src, (cx, cy), angle, take))
        total += len(take)
    side = math.ceil(math.sqrt(len(cells)))
    pitch = window + boulevard
    extent = (0.0, 0.0, side * pitch + boulevard, side * pitch + boulevard)

    blds, streets, curbs, owner = [], [], [], []
    for k, cell in enumerate(cells):
        ox = boulevard + (k % side) * pitch + half  # the cell's centre in the city
        oy = boulevard + (k // side) * pitch + half
        rot = _rotation(cell.angle)
        src = cell.source
        move = _mover(cell.centre, rot, (ox, oy))
        blds.append(shapely.transform(src.buildings[cell.buildings], move))
        owner.append(np.full(len(cell.buildings), k))
        win = _window(*cell.centre, half, -cell.angle)
        pieces = src.streets[src.street_tree.query(win, predicate="intersects")]
        pieces = shapely.clip_by_rect(shapely.transform(pieces, move), ox - half, oy - half, ox + half, oy + half)
        streets.append(pieces[~shapely.is_empty(pieces) & (shapely.area(pieces) > 0)])
        c = src.curbs
        mid = (c[:, :2] + c[:, 2:]) / 2 - cell.centre
        inside = (np.abs(mid @ rot.T) < half - 1.0).all(axis=1)  # in window-aligned coordinates
        seg = c[inside]
        curbs.append(np.column_stack([move(seg[:, :2]), move(seg[:, 2:])]))
    buildings = np.concatenate(blds)
    target = np.concatenate(streets + [_boulevards(side, pitch, boulevard, extent)])
    curb = np.concatenate(curbs)
    cams = _cameras(rng, buildings, curb, n_cameras)
    g = max(1, math.ceil(extent[2] / grid_size))
    gs = extent[2] / g
    gx, gy = np.meshgrid(np.arange(g) * gs, np.arange(g) * gs)
    grids = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + gs, gy.ravel() + gs)
    return Scene(buildings, cams, target, grids, extent)


def _window(cx: float, cy: float, half: float, angle: float):
    """The square window of half side ``half`` around (cx, cy), turned by ``angle`` degrees."""
    rot = _rotation(angle)
    corners = np.array([(-half, -half), (half, -half), (half, half), (-half, half)]) @ rot.T + (cx, cy)
    return shapely.Polygon(corners)


def _mover(centre, rot: np.ndarray, to):
    c = np.asarray(centre, dtype=float)
    t = np.asarray(to, dtype=float)

    def move(xy: np.ndarray) -> np.ndarray:
        return (xy - c) @ rot.T + t

    return move


def _boulevards(side: int, pitch: float, width: float, extent) -> np.ndarray:
    """Street space between the cells: ``side + 1`` avenues each way, not overlapping each other."""
    out = [shapely.box(i * pitch, 0.0, i * pitch + width, extent[3]) for i in range(side + 1)]
    out += [
        shapely.box(i * pitch + width, j * pitch, (i + 1) * pitch, j * pitch + width)
        for i in range(side)
        for j in range(side + 1)
    ]
    arr = np.empty(len(out), dtype=object)
    arr[:] = out
    return arr


def _cameras(rng: np.random.Generator, buildings: np.ndarray, curbs: np.ndarray, n: int) -> list[Camera]:
    """Half on facades (outward), half on street edges (into the street)."""
    n_facade = n // 2
    n_street = n - n_facade
    # facades: a random edge of a random building's outer ring, weighted by length
    present = np.flatnonzero(~shapely.is_missing(buildings))
    pick = rng.choice(present, n_facade)
    first = shapely.get_geometry(buildings[pick], 0)  # OSM footprints come as (mostly one-part) multipolygons
    first = np.where(shapely.get_type_id(buildings[pick]) == 3, buildings[pick], first)
    rings = shapely.get_exterior_ring(shapely.orient_polygons(first))
    xs, ys, az_list = [], [], []
    u = rng.random((n_facade, 2))
    for k, ring in enumerate(rings):
        c = shapely.get_coordinates(ring)
        d = np.diff(c, axis=0)
        length = np.hypot(d[:, 0], d[:, 1])
        e = min(int(np.searchsorted(np.cumsum(length), u[k, 0] * length.sum())), len(d) - 1)
        p = c[e] + u[k, 1] * d[e]
        xs.append(p[0])
        ys.append(p[1])
        az_list.append(math.degrees(math.atan2(d[e, 1], -d[e, 0])))  # outward normal of a CCW ring: (dy, -dx)
    # street edges: curb segments weighted by length; the street is on the segment's left (CCW shells)
    d = curbs[:, 2:] - curbs[:, :2]
    cum = np.cumsum(np.hypot(d[:, 0], d[:, 1]))
    tree = shapely.STRtree(buildings)
    seg = np.minimum(np.searchsorted(cum, rng.random(n_street) * cum[-1]), len(curbs) - 1)
    t = rng.random(n_street)[:, None]
    for _ in range(20):  # a road buffer may reach into a building: draw those again, off the footprints
        p = curbs[seg, :2] + t * d[seg]
        inside = np.unique(tree.query(shapely.points(p), predicate="within")[0])
        if not len(inside):
            break
        seg[inside] = np.minimum(np.searchsorted(cum, rng.random(len(inside)) * cum[-1]), len(curbs) - 1)
        t[inside, 0] = rng.random(len(inside))
    xs.extend(p[:, 0])
    ys.extend(p[:, 1])
    az_list.extend(np.degrees(np.arctan2(-d[seg, 1], d[seg, 0])))  # left normal (-dy, dx)
    az = (np.asarray(az_list) + rng.uniform(-30.0, 30.0, n)) % 360.0
    hfov = rng.choice([60.0, 90.0, 120.0, 360.0], n)
    rng_m = rng.uniform(30, 80, n)
    return [
        Camera(float(a), float(b), azimuth=float(c), hfov=float(h), range_m=float(r), height_m=6.0, id=i)
        for i, (a, b, c, h, r) in enumerate(zip(xs, ys, az, hfov, rng_m))
    ]
