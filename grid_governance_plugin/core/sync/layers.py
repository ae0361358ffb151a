"""Versioned saves through real QGIS layers (the postgres provider, the edit buffer, commitChanges).

:class:`VersionedEditing` watches one ``gridgov`` layer of a versioned table:

* when a saved feature is first changed or deleted in the edit buffer, it keeps the feature
  as the provider has it then (the *base*: its version and values);
* just before the layer commits, it reads each changed feature from the server again and
  merges column-wise (:mod:`.merge`): the provider writes only the columns the user changed,
  so a change the others made to other columns stays; it adds ``base_version`` to each
  UPDATE, so that the database refuses the save (SQLSTATE GG409) if the row moved on after
  this check. Same-column conflicts keep ``base_version`` at the version read: the database
  refuses the whole save, the edits stay in the edit buffer, and :attr:`conflicts` holds
  base, theirs and ours for the plugin to show side by side;
* :meth:`resolve` takes ours, theirs or a value merged by hand into the edit buffer and states
  the server's current version, so the next save goes through; the choice is recorded in the
  audit (``gridgov.record_resolution``) once that save committed.

A feature deleted on the server while the user edited it is a conflict too (geodiff #248):
the user's values are kept in :attr:`conflicts`, never dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsFeatureRequest, QgsGeometry, QgsVectorLayer

from ..i18n import tr
from ..log import get_logger
from .merge import ColumnConflict, RowMerge, merge_row

LOG = get_logger("sync")
GEOM = "geom"


def _wkb(geom: QgsGeometry | None) -> bytes | None:
    if geom is None or geom.isNull():
        return None
    return bytes(geom.asWkb())


def _geom_equal(a: Any, b: Any) -> bool:
    if isinstance(a, (bytes, bytearray)) and isinstance(b, (bytes, bytearray)):
        if a == b:
            return True
        ga, gb = QgsGeometry(), QgsGeometry()
        ga.fromWkb(bytes(a))
        gb.fromWkb(bytes(b))
        return ga.equals(gb)
    return a is None and b is None


def _py(value: Any) -> Any:
    """QVariant-ish values as plain Python (NULL -> None) for comparing and for JSON."""
    try:
        from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

        if isinstance(value, QVariant) and value.isNull():
            return None
        if isinstance(value, QDateTime):
            return value.toString("yyyy-MM-ddTHH:mm:ss.zzz") if value.isValid() else None
        if isinstance(value, QDate):
            return value.toString("yyyy-MM-dd") if value.isValid() else None
    except ImportError:  # pragma: no cover
        pass
    if value is not None and type(value).__name__ == "QVariant":
        return None
    return value


def _equal(a: Any, b: Any) -> bool:
    from .merge import same

    if isinstance(a, (bytes, bytearray)) or isinstance(b, (bytes, bytearray)):
        return _geom_equal(a, b)
    return same(a, b)


@dataclass
class FeatureConflict:
    """One feature the user changed that someone else changed too (or deleted)."""

    fid: int
    key: str
    base_version: int
    theirs_version: int | None
    conflicts: list[ColumnConflict]
    deleted: bool = False
    changed_by: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Base, theirs and ours of every conflicting column (geometries as WKT)."""

        def show(v: Any) -> Any:
            if isinstance(v, (bytes, bytearray)):
                g = QgsGeometry()
                g.fromWkb(bytes(v))
                return g.asWkt(7)
            return v

        return {
            "fid": self.fid,
            "key": self.key,
            "base_version": self.base_version,
            "theirs_version": self.theirs_version,
            "deleted": self.deleted,
            "columns": {
                c.column: {"base": show(c.base), "ours": show(c.ours), "theirs": show(c.theirs)} for c in self.conflicts
            },
        }


class VersionedEditing:
    """Version checks and column-wise rebase for one editable gridgov postgres layer."""

    def __init__(self, layer: QgsVectorLayer) -> None:
        self.layer = layer
        self.fields = layer.fields()
        self.version_idx = self.fields.indexOf("version")
        self.base_idx = self.fields.indexOf("base_version")
        pk = layer.primaryKeyAttributes()
        self.key_idx = pk[0] if pk else self.fields.indexOf("id")
        self.bases: dict[int, dict[str, Any]] = {}
        self.conflicts: dict[int, FeatureConflict] = {}
        self.resolutions: list[tuple[str, dict[str, Any]]] = []
        self.merged: list[RowMerge] = []  # last pre-commit check's clean merges (for the plugin to report)
        self._stamping = False
        if self.version_idx < 0 or self.base_idx < 0:
            raise ValueError(f"layer {layer.name()} has no version columns (not a versioned gridgov table)")
        layer.attributeValueChanged.connect(self._changed)
        layer.geometryChanged.connect(self._changed)
        layer.featureDeleted.connect(self._changed)
        layer.beforeCommitChanges.connect(self._before_commit)
        layer.afterCommitChanges.connect(self._after_commit)
        layer.afterRollBack.connect(self._reset)

    # -- base snapshots ----------------------------------------------------------------
    def _server_row(self, fid: int) -> dict[str, Any] | None:
        """The feature as the server has it now (a fresh read through the provider)."""
        req = QgsFeatureRequest(fid)
        for f in self.layer.dataProvider().getFeatures(req):
            row = {name: _py(f[name]) for name in self.fields.names()}
            row[GEOM] = _wkb(f.geometry()) if f.hasGeometry() else None
            return row
        return None

    def _changed(self, fid: int, *args: Any) -> None:
        if self._stamping or fid < 0 or fid in self.bases:
            return
        if args and isinstance(args[0], int) and args[0] == self.base_idx:
            return
        row = self._server_row(fid)
        if row is not None:
            self.bases[fid] = row

    def _reset(self) -> None:
        self.bases.clear()
        self.conflicts.clear()

    # -- the save ----------------------------------------------------------------------
    def _ours(self, fid: int) -> dict[str, Any]:
        buf = self.layer.editBuffer()
        out: dict[str, Any] = {}
        for idx, value in buf.changedAttributeValues().get(fid, {}).items():
            name = self.fields.at(idx).name()
            if name not in ("version", "base_version"):
                out[name] = _py(value)
        geoms = buf.changedGeometries()
        if fid in geoms:
            out[GEOM] = _wkb(geoms[fid])
        return out

    def _stamp(self, fid: int, version: int) -> None:
        self._stamping = True
        try:
            self.layer.editBuffer().changeAttributeValue(fid, self.base_idx, version, None)
        finally:
            self._stamping = False

    def _before_commit(self, *args: Any) -> None:
        buf = self.layer.editBuffer()
        if buf is None:
            return
        changed = set(buf.changedAttributeValues()) | set(buf.changedGeometries())
        self.conflicts = {}
        self.merged = []
        for fid in sorted(f for f in changed if f >= 0):
            ours = self._ours(fid)
            if not ours:
                continue
            base = self.bases.get(fid)
            theirs = self._server_row(fid)
            if base is None:  # changed before we watched: the version read is the server's
                base = theirs
            if base is None:
                continue
            merge = merge_row(base, ours, theirs, equal=_equal)
            key = str(base.get(self.fields.at(self.key_idx).name()))
            if theirs is None or merge.conflicts:
                self.conflicts[fid] = FeatureConflict(
                    fid,
                    key,
                    int(base["version"]),
                    None if theirs is None else int(theirs["version"]),
                    merge.conflicts,
                    deleted=theirs is None,
                )
                self._stamp(fid, int(base["version"]))  # the database refuses: nothing silently applied
                continue
            self.merged.append(merge)
            # rebased: the provider writes only our columns; theirs stay as they are
            self._stamp(fid, int(theirs["version"]))
        if self.conflicts:
            LOG.info(tr("{0}: {1} conflict(s) before saving", self.layer.name(), len(self.conflicts)))

    def _after_commit(self) -> None:
        # an edit of a feature deleted meanwhile stays here (the provider's UPDATE found no row):
        # kept to show, restore or drop, never dropped silently
        self.bases.clear()
        self.conflicts = {fid: c for fid, c in self.conflicts.items() if c.deleted}

    # -- resolving ---------------------------------------------------------------------
    def resolve(self, fid: int, choice: str, values: dict[str, Any] | None = None) -> None:
        """``choice``: "ours", "theirs" or "merge" (``values``: column -> the value to keep)."""
        conflict = self.conflicts.get(fid)
        if conflict is None:
            raise KeyError(fid)
        theirs = self._server_row(fid)
        if theirs is None:
            raise ValueError("deleted on the server: restore it from its history, or drop your change")
        chosen: dict[str, Any] = {}
        for c in conflict.conflicts:
            value = (
                c.ours if choice == "ours" else c.theirs if choice == "theirs" else (values or {}).get(c.column, c.ours)
            )
            chosen[c.column] = value
            if c.column == GEOM:
                g = QgsGeometry()
                g.fromWkb(bytes(value)) if value is not None else None
                self.layer.editBuffer().changeGeometry(fid, g)
            else:
                idx = self.fields.indexOf(c.column)
                self.layer.editBuffer().changeAttributeValue(fid, idx, value, None)
        # the choice is made on what the server has now: state its version
        self.bases[fid] = theirs
        self._stamp(fid, int(theirs["version"]))
        note = {
            "choice": choice,
            "base_version": conflict.base_version,
            "theirs_version": int(theirs["version"]),
            "columns": sorted(chosen),
        }
        self.resolutions.append((conflict.key, note))
        del self.conflicts[fid]

    def record_resolutions(self, conn: Any, table: str) -> int:
        """Write the choices made into the audit (after the save committed); how many."""
        n = 0
        with conn.cursor() as cur:
            for key, note in self.resolutions:
                cur.execute("SELECT gridgov.record_resolution(%s, %s, %s::jsonb)", (table, key, json.dumps(note)))
                n += 1
        if not getattr(conn, "autocommit", True):
            conn.commit()
        self.resolutions.clear()
        return n

    def detach(self) -> None:
        for sig, slot in (
            (self.layer.attributeValueChanged, self._changed),
            (self.layer.geometryChanged, self._changed),
            (self.layer.featureDeleted, self._changed),
            (self.layer.beforeCommitChanges, self._before_commit),
            (self.layer.afterCommitChanges, self._after_commit),
            (self.layer.afterRollBack, self._reset),
        ):
            try:
                sig.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
