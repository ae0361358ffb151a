"""Directions as people say them: azimuths to compass words, and compass words to azimuths.

Chinese device lists write directions as 东北, 西南偏西, 正北, 朝东, 北偏东30°; English ones as N,
NE, north-east. :func:`parse_compass` reads both (None when the text is no compass word);
:func:`compass_word` gives the eight-point word a user reads beside a bearing.
"""

from __future__ import annotations

import re

from .i18n import N_, tr

EIGHT = (
    N_("north"),
    N_("north-east"),
    N_("east"),
    N_("south-east"),
    N_("south"),
    N_("south-west"),
    N_("west"),
    N_("north-west"),
)
_CN_POINTS = {"北": 0.0, "东": 90.0, "南": 180.0, "西": 270.0}
# 16 wind names: 北东北 / 东北偏北 style are both in use; the second character pair decides
_CN_WORDS = {
    "北": 0.0,
    "东北": 45.0,
    "东": 90.0,
    "东南": 135.0,
    "南": 180.0,
    "西南": 225.0,
    "西": 270.0,
    "西北": 315.0,
    "北东北": 22.5,
    "东东北": 67.5,
    "东东南": 112.5,
    "南东南": 157.5,
    "南西南": 202.5,
    "西西南": 247.5,
    "西西北": 292.5,
    "北西北": 337.5,
    "东北偏北": 22.5,
    "东北偏东": 67.5,
    "东南偏东": 112.5,
    "东南偏南": 157.5,
    "西南偏南": 202.5,
    "西南偏西": 247.5,
    "西北偏西": 292.5,
    "西北偏北": 337.5,
}
_PREFIX = re.compile(r"^(正|朝|向|面向|方向)")
_SUFFIX = re.compile(r"(方向|方|向|侧|面)$")
# 北偏东30°: from the first point, turn towards the second by the angle
_OFFSET = re.compile(r"^([东南西北])偏([东南西北])\s*(\d+(?:\.\d+)?)\s*(?:°|度)?$")


def parse_compass(text: str) -> float | None:
    """The azimuth (degrees clockwise from north) of a Chinese compass word, else None."""
    t = re.sub(r"\s+", "", str(text or ""))
    t = _SUFFIX.sub("", _PREFIX.sub("", t))
    if not t:
        return None
    if t in _CN_WORDS:
        return _CN_WORDS[t]
    m = _OFFSET.match(t)
    if m:
        a, b, deg = _CN_POINTS[m.group(1)], _CN_POINTS[m.group(2)], float(m.group(3))
        turn = ((b - a + 180.0) % 360.0) - 180.0  # -90 or +90
        if abs(abs(turn) - 90.0) < 1e-9 and 0 <= deg <= 90:
            return (a + deg * (1 if turn > 0 else -1)) % 360.0
    return None


def compass_word(azimuth: float | None) -> str:
    """The eight-point compass word of an azimuth (translated); '' for None."""
    if azimuth is None:
        return ""
    return tr(EIGHT[int(((float(azimuth) % 360.0) + 22.5) // 45.0) % 8])


def describe(azimuth: float | None) -> str:
    """ "north-east (45°)": a word first, then the exact bearing."""
    if azimuth is None:
        return tr("all round")
    return f"{compass_word(azimuth)} ({float(azimuth) % 360.0:.0f}°)"
