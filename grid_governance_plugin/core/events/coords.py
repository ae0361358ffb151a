"""GCJ-02 (AMap/Tencent) and BD-09 (Baidu) coordinate conversions, the same as migration 004.

The forward WGS84 -> GCJ-02 and GCJ-02 -> BD-09 formulas are the public ones; their inverses
have no closed form, so they iterate until the forward formula reproduces the input to
1e-9 degrees (~0.1 mm). CGCS2000 is treated as WGS84 (they differ by centimetres).
All functions take and return (lon, lat) in degrees.
"""

from __future__ import annotations

import math

COORD_SYSTEMS = ("wgs84", "cgcs2000", "gcj02", "bd09")

_A = 6378245.0  # Krasovsky 1940 semi-major axis
_EE = 0.00669342162296594323  # its eccentricity squared
_XPI = math.pi * 3000.0 / 180.0
_TOL = 1e-9
_MAX_ITER = 30


def out_of_china(lon: float, lat: float) -> bool:
    """True where GCJ-02 applies no offset (the box every public implementation uses)."""
    return lon < 72.004 or lon > 137.8347 or lat < 0.8293 or lat > 55.8271


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if out_of_china(lon, lat):
        return lon, lat
    p = math.pi
    x = lon - 105.0
    y = lat - 35.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * math.sqrt(abs(x))
        + (20.0 * math.sin(6.0 * x * p) + 20.0 * math.sin(2.0 * x * p)) * 2.0 / 3.0
        + (20.0 * math.sin(y * p) + 40.0 * math.sin(y / 3.0 * p)) * 2.0 / 3.0
        + (160.0 * math.sin(y / 12.0 * p) + 320.0 * math.sin(y * p / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * math.sqrt(abs(x))
        + (20.0 * math.sin(6.0 * x * p) + 20.0 * math.sin(2.0 * x * p)) * 2.0 / 3.0
        + (20.0 * math.sin(x * p) + 40.0 * math.sin(x / 3.0 * p)) * 2.0 / 3.0
        + (150.0 * math.sin(x / 12.0 * p) + 300.0 * math.sin(x / 30.0 * p)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * p
    magic = 1.0 - _EE * math.sin(radlat) * math.sin(radlat)
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * p)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * p)
    return lon + dlon, lat + dlat


def _invert(forward, lon: float, lat: float, start: tuple[float, float]) -> tuple[float, float]:
    """Fixed-point inversion of an almost-identity map: subtract the forward residual."""
    wx, wy = start
    for _ in range(_MAX_ITER):
        fx, fy = forward(wx, wy)
        dx, dy = fx - lon, fy - lat
        if abs(dx) < _TOL and abs(dy) < _TOL:
            break
        wx, wy = wx - dx, wy - dy
    return wx, wy


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    return _invert(wgs84_to_gcj02, lon, lat, (lon, lat))


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _XPI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _XPI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    # the usual closed-form approximation (off by up to ~1e-6 degrees), then refined
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _XPI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _XPI)
    return _invert(gcj02_to_bd09, lon, lat, (z * math.cos(theta), z * math.sin(theta)))


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, coord_sys: str = "wgs84") -> tuple[float, float]:
    """Any supported system to WGS84/CGCS2000, as ``gridgov.to_wgs84`` does."""
    sys_ = (coord_sys or "").lower()
    if sys_ in ("wgs84", "cgcs2000"):
        return lon, lat
    if sys_ == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if sys_ == "bd09":
        return bd09_to_wgs84(lon, lat)
    raise ValueError(f"unknown coord_sys {coord_sys!r} (use {', '.join(COORD_SYSTEMS)})")


def from_wgs84(lon: float, lat: float, coord_sys: str) -> tuple[float, float]:
    """WGS84 to ``coord_sys`` (the forward direction, e.g. to simulate a phone in tests)."""
    sys_ = (coord_sys or "").lower()
    if sys_ in ("wgs84", "cgcs2000"):
        return lon, lat
    if sys_ == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if sys_ == "bd09":
        return wgs84_to_bd09(lon, lat)
    raise ValueError(f"unknown coord_sys {coord_sys!r} (use {', '.join(COORD_SYSTEMS)})")
