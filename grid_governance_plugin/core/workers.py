"""Grid workers: assign, reassign, list grids without a worker.

Pure functions over plain mappings (grid key -> worker id) that the dock applies to the
grid layer through its edit buffer (``apply_to_layer``, one undoable command), and the
same for PostGIS (``pg_*``). One responsible worker per grid (全科网格员); a worker may
look after several grids. A grid whose worker is unknown or inactive counts as without
a worker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .i18n import tr


class WorkerError(ValueError):
    """An assignment refused (unknown or inactive worker, unknown grid)."""


@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str = ""
    active: bool = True


def _clean(worker_id) -> str | None:
    if worker_id is None:
        return None
    text = str(worker_id).strip()
    return text or None


def _check(worker_id: str | None, workers: Mapping[str, Worker] | None) -> None:
    if worker_id is None or workers is None:
        return
    w = workers.get(worker_id)
    if w is None:
        raise WorkerError(tr("There is no grid worker '{0}'.", worker_id))
    if not w.active:
        raise WorkerError(tr("Grid worker '{0}' is not active.", worker_id))


def by_id(workers: Iterable[Worker]) -> dict[str, Worker]:
    return {w.worker_id: w for w in workers}


def unassigned(assignments: Mapping[Hashable, object], workers: Mapping[str, Worker] | None = None) -> list:
    """Grids without a worker, or (when ``workers`` is given) with an unknown or inactive one."""
    out = []
    for key, wid in assignments.items():
        wid = _clean(wid)
        if wid is None or (workers is not None and (wid not in workers or not workers[wid].active)):
            out.append(key)
    return out


def assign(
    assignments: Mapping[Hashable, object],
    keys: Iterable[Hashable],
    worker_id: str | None,
    workers: Mapping[str, Worker] | None = None,
) -> dict:
    """Changes {grid: worker} giving ``keys`` to ``worker_id`` (None: take the worker off)."""
    worker_id = _clean(worker_id)
    _check(worker_id, workers)
    changes = {}
    for key in keys:
        if key not in assignments:
            raise WorkerError(tr("There is no grid '{0}'.", key))
        if _clean(assignments[key]) != worker_id:
            changes[key] = worker_id
    return changes


def reassign(
    assignments: Mapping[Hashable, object],
    from_worker: str,
    to_worker: str | None,
    workers: Mapping[str, Worker] | None = None,
) -> dict:
    """Changes moving every grid of ``from_worker`` to ``to_worker`` (a worker leaves)."""
    from_worker = _clean(from_worker)
    keys = [k for k, w in assignments.items() if _clean(w) == from_worker]
    return assign(assignments, keys, to_worker, workers)


def workload(assignments: Mapping[Hashable, object]) -> dict[str, int]:
    """Grids per worker."""
    return dict(Counter(w for w in map(_clean, assignments.values()) if w is not None))


# -------------------------------------------------------------------------- stores
def layer_assignments(layer, field: str = "worker_id", key_field: str | None = None) -> dict:
    """{feature id (or key_field value): worker id} of a QGIS grid layer (edit buffer included)."""
    return {(f[key_field] if key_field else f.id()): f[field] for f in layer.getFeatures()}


def apply_to_layer(layer, changes: Mapping[int, str | None], field: str = "worker_id") -> int:
    """Write {feature id: worker} into the layer's edit buffer as one undoable command."""
    if not changes:
        return 0
    idx = layer.fields().lookupField(field)
    if idx < 0:
        raise WorkerError(tr("The grid layer has no field '{0}'.", field))
    if not layer.isEditable():
        layer.startEditing()
    layer.beginEditCommand(tr("Assign grid workers"))
    try:
        for fid, wid in changes.items():
            if not layer.changeAttributeValue(fid, idx, wid):
                raise WorkerError(tr("Grid {0} could not be changed.", fid))
    except Exception:
        layer.destroyEditCommand()
        raise
    layer.endEditCommand()
    return len(changes)


def layer_workers(layer) -> dict[str, Worker]:
    """Workers from a grid_worker table layer."""
    names = layer.fields().names()
    out = {}
    for f in layer.getFeatures():
        wid = _clean(f["worker_id"])
        if wid:
            active = f["active"] if "active" in names else True
            out[wid] = Worker(wid, str(f["name"] or "") if "name" in names else "", active in (True, 1, "true", None))
    return out


def pg_workers(conn) -> dict[str, Worker]:
    with conn.cursor() as cur:
        cur.execute("SELECT worker_id, name, active FROM gridgov.grid_worker")
        return {w: Worker(w, n or "", bool(a)) for w, n, a in cur.fetchall()}


def pg_assignments(conn, plan_id: int) -> dict[int, str | None]:
    with conn.cursor() as cur:
        cur.execute("SELECT id, worker_id FROM gridgov.grid WHERE plan_id = %s ORDER BY id", (plan_id,))
        return dict(cur.fetchall())


def pg_apply(conn, changes: Mapping[int, str | None]) -> int:
    with conn, conn.cursor() as cur:
        for gid, wid in changes.items():
            cur.execute("UPDATE gridgov.grid SET worker_id = %s WHERE id = %s", (wid, gid))
    return len(changes)
