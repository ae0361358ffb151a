"""The angular sweep of :func:`.visibility.sweep` compiled with numba, for batch runs.

The numpy sweep spends most of its time in the overhead of many small array operations; the
same arithmetic in one compiled loop is about 14 times faster (50,000 cameras: ~20 s of CPU
less). numba is already a dependency (esda compiles with it). The first call compiles the
kernel (tens of seconds, cached on disk afterwards), so only batch runs use it: the map tool's
single views stay on the numpy sweep. Results agree with the numpy sweep to the last bits
(areas to 1e-15 relative): the same formulas, evaluated by the same IEEE arithmetic.
"""

from __future__ import annotations

import numpy as np

_KERNEL = None
_TRIED = False


def ready() -> bool:
    """Whether :func:`kernel` has already been loaded in this process."""
    return _TRIED


def kernel():
    """The compiled sweep, or None when numba is not available."""
    global _KERNEL, _TRIED
    if not _TRIED:
        _TRIED = True
        try:
            _KERNEL = _compile()
        except Exception:  # no numba (or no LLVM for this CPU): the numpy sweep does the work
            _KERNEL = None
    return _KERNEL


def _compile():
    from ._sweep_kernel import sweep

    e = np.empty(0)
    sweep(0.0, 90.0, 10.0, e, e, e, e, 1.0)  # compile (or load the cached machine code) now, before any fork
    return sweep
