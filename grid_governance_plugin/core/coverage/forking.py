"""Fork worker processes over chunks of work that share big read-only inputs (batch runs only).

Forked children see the parent's memory (obstacles, targets, trees) without copying or
pickling it; only the chunks' results travel back. Not for use inside the QGIS GUI, where
forking the application is unsafe: callers pass ``workers`` = 1 there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

_STATE: Any = None


def state() -> Any:
    """What :func:`fork_map` shares with the worker processes."""
    return _STATE


def fork_map(func: Callable[[Any], Any], chunks: Sequence[Any], workers: int, shared: Any) -> list:
    """``[func(c) for c in chunks]`` over ``workers`` forked processes; ``func`` reads ``state()``.

    ``func`` must be a module-level function (it is sent by reference).
    """
    global _STATE
    _STATE = shared
    try:
        if workers <= 1 or len(chunks) < 2:
            return [func(c) for c in chunks]
        import multiprocessing as mp

        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(_call, [(func, c) for c in chunks])
    finally:
        _STATE = None


def _call(job):
    func, chunk = job
    return func(chunk)
