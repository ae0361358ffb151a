"""The one place the GUI calls the grid engine (core.grids) and its gridstats algorithm.

The engine is developed beside the GUI; keeping every call here means an API change
touches one file. ``LiveBalance`` wraps ``BalanceIndex`` for a QGIS grid layer (read
through its edit buffer, so uncommitted edits count) keyed by feature id.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProject,
    QgsVectorLayer,
)

from ..core.crs import metric_crs_for
from ..core.grids import BalanceIndex
from ..core.store.qgsio import read_source

HOUSEHOLDS = "households"
POPULATION = "population"
COMMUNITY = "community_code"
CODE = "grid_code"
FIGURES = ("households", "population", "buildings", "events", "deviation", "area", "compactness", "contiguous")


def _field(layer: QgsVectorLayer | None, name: str) -> str | None:
    return name if layer is not None and layer.fields().lookupField(name) >= 0 else None


class LiveBalance:
    """Incremental workload figures of a grid layer while it is edited.

    Build once (bulk cost, like gridstats); ``update(fids)`` re-reads the geometries of
    the given grids (added ones too, deleted ones drop out) and returns fresh figures of
    the grids affected and of the other grids of their communities.
    """

    def __init__(
        self,
        grids: QgsVectorLayer,
        buildings: QgsVectorLayer,
        events: QgsVectorLayer | None = None,
        community_field: str = COMMUNITY,
        households_field: str = HOUSEHOLDS,
        population_field: str = POPULATION,
    ) -> None:
        self.layer = grids
        self._buildings, self._events = buildings, events
        self._field_names = (community_field, households_field, population_field)
        self.metric = metric_crs_for(grids.crs(), grids.extent())
        self.to_metric = None
        if grids.crs() != self.metric:
            self.to_metric = QgsCoordinateTransform(grids.crs(), self.metric, QgsProject.instance())
        self.community_field = _field(grids, community_field)
        g = read_source(grids, self.metric, [f for f in (self.community_field, CODE) if _field(grids, f)])
        self.fids: list[int] = [int(f) for f in g.fids]
        self.index_of = {fid: i for i, fid in enumerate(self.fids)}
        self.codes = [a.get(CODE) for a in g.attributes]
        community = [a.get(self.community_field) for a in g.attributes] if self.community_field else None
        hf, pf = _field(buildings, households_field), _field(buildings, population_field)
        b = read_source(buildings, self.metric, [f for f in (hf, pf) if f])
        hh = [a.get(hf) for a in b.attributes] if hf else None
        pop = [a.get(pf) for a in b.attributes] if pf else None
        ev = read_source(events, self.metric, []).geoms if events is not None else None
        self.index = BalanceIndex(g.geoms, b.geoms, _num(hh), _num(pop), community, ev)
        self.building_points = self.index.points  # metric point-on-surface of every building

    # -- reading the edit buffer
    def _geometry(self, fid: int):
        req = QgsFeatureRequest().setFilterFid(fid)
        for feat in self.layer.getFeatures(req):
            geom = feat.geometry()
            if geom.isNull():
                return None, feat
            if self.to_metric is not None:
                geom.transform(self.to_metric)
            return shapely.from_wkb(bytes(geom.asWkb())), feat
        return None, None

    def _add_slot(self, fid: int, community) -> int:
        """Room for a grid added while editing (a split): grow the index's per-grid arrays."""
        ix = self.index
        i = len(ix.grids)
        ix.grids = np.append(ix.grids, np.array([None], dtype=object))
        for name in ("households", "population", "buildings", "events"):
            arr = getattr(ix, name)
            setattr(ix, name, np.append(arr, np.zeros(1, dtype=arr.dtype)))
        ix.community.append(community)
        ix.members[community].append(i)
        self.fids.append(fid)
        self.index_of[fid] = i
        self.codes.append(None)
        return i

    def update(self, fids: Iterable[int]) -> dict[int, dict]:
        """Figures by feature id for grids affected by changes of ``fids``."""
        changes = {}
        for fid in set(fids):
            geom, feat = self._geometry(fid)
            if fid not in self.index_of:
                if feat is None:
                    continue  # added and deleted again before we looked
                community = feat[self.community_field] if self.community_field else None
                try:
                    self._add_slot(fid, None if community is None else community)
                except (AttributeError, TypeError):  # the engine's internals moved: rebuild (slow, correct)
                    self.__init__(self.layer, self._buildings, self._events, *self._field_names)
                    return {f: fig for f in self.fids if (fig := self.figures(f)) is not None}
            i = self.index_of[fid]
            if feat is not None and feat.fields().lookupField(CODE) >= 0:
                self.codes[i] = feat[CODE]
            changes[i] = geom
        if not changes:
            return {}
        result = self.index.update(changes)
        return {self.fids[i]: fig for i, fig in result.items()}

    def figures(self, fid: int) -> dict | None:
        i = self.index_of.get(fid)
        if i is None or self.index.grids[i] is None:
            return None
        return self.index.figures(i)

    def code(self, fid: int) -> str | None:
        i = self.index_of.get(fid)
        return None if i is None else self.codes[i]


def _num(values):
    if values is None:
        return None
    out = np.zeros(len(values))
    for i, v in enumerate(values):
        try:
            out[i] = float(v) if v is not None else 0.0
        except (TypeError, ValueError):
            out[i] = 0.0
    return out


def run_gridstats(
    grids: QgsVectorLayer, buildings: QgsVectorLayer, events: QgsVectorLayer | None = None, key: str = CODE
) -> dict:
    """Run gridgov:gridstats synchronously; rows keyed by ``key`` field with the panel's names."""
    import processing

    params = {"GRIDS": grids, "BUILDINGS": buildings, "OUTPUT": "memory:"}
    if events is not None:
        params["EVENTS"] = events
    out = processing.run("gridgov:gridstats", params)["OUTPUT"]
    rows = {}
    for f in out.getFeatures():
        rows[f[key]] = {
            "households": f["households"],
            "population": f["population"],
            "buildings": f["buildings"],
            "events": f["events"],
            "deviation": f["hh_dev_pct"],
            "area": f["area_m2"],
            "compactness": f["compactness"],
        }
    return rows


def validate_params(grids, parents=None) -> dict:
    """Parameters of gridgov:validategrids for the dock."""
    params = {"GRIDS": grids, "OUTPUT": "TEMPORARY_OUTPUT"}
    if parents is not None:
        params["PARENTS"] = parents
    return params


VALIDATE_ALG = "gridgov:validategrids"
STATS_ALG = "gridgov:gridstats"
PARTITION_ALG = "gridgov:partitiongrids"
UNIFY_ALG = "gridgov:unifygrids"
CODES_ALG = "gridgov:gridcodes"
