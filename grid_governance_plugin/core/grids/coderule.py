"""The grid code rule (DB11/T 2157 style, nested in GB/T 2260 administrative codes).

    county (6, GB/T 2260) + street (3) + community (3) + grid serial (3) = 15 digits

A community's code is the first 12 digits, so a grid code must start with the code of
the community that holds it. The serial runs 001-999.
"""

from __future__ import annotations

import re

from ..i18n import tr

CODE_LENGTH = 15
COMMUNITY_CODE_LENGTH = 12
COUNTY_CODE_LENGTH = 6
_DIGITS = re.compile(r"^\d+$")
# GB/T 2260 province-level prefixes (the first two digits of any county code).
PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
    }
)


def normalise(code: object) -> str:
    """A code value as text ('' for NULL); integers and floats from sloppy layers too."""
    if code is None:
        return ""
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    return str(code).strip()


def county_problem(county: str) -> str | None:
    """Why ``county`` is not a usable GB/T 2260 county code, or None."""
    if len(county) != COUNTY_CODE_LENGTH or not _DIGITS.match(county):
        return tr("The county code '{0}' must have 6 digits (GB/T 2260).", county)
    if int(county[:2]) not in PROVINCES:
        return tr("The county code '{0}' does not start with a GB/T 2260 province code.", county)
    return None


def code_problem(code: object, parent_code: object = None) -> str | None:
    """Why ``code`` breaks the grid code rule, or None when it follows it.

    ``parent_code`` is the 12-digit code of the community holding the grid, when known.
    """
    text = normalise(code)
    if not text:
        return tr("The grid has no code.")
    if len(text) != CODE_LENGTH or not _DIGITS.match(text):
        return tr("The code '{0}' must have 15 digits (county 6 + street 3 + community 3 + grid 3).", text)
    problem = county_problem(text[:COUNTY_CODE_LENGTH])
    if problem:
        return problem
    if text[COMMUNITY_CODE_LENGTH:] == "000":
        return tr("The code '{0}' has grid serial 000; serials start at 001.", text)
    parent = normalise(parent_code)
    if parent and not text.startswith(parent):
        return tr("The code '{0}' does not start with the code '{1}' of its community.", text, parent)
    return None
