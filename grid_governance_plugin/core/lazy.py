"""A module imported at its first use, so that importing our module does not need it."""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """``shapely = LazyModule("shapely")``: ``shapely.Point`` imports shapely then.

    For modules whose algorithms work without an optional package (gridgov:overduecases
    lives beside gridgov:hotspots): the import happens only where the package is used.
    """

    def __init__(self, name: str) -> None:
        self.__dict__["_name"] = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__dict__["_name"]), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self.__dict__['_name']!r}>"
