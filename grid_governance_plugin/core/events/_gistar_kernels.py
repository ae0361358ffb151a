"""esda's conditional-permutation kernels for local Gi*, compiled by numba once per machine.

Imported only when numba and esda are there, after :func:`hotspots.numba_kernels` has pointed
numba's cache at the plugin's folder. esda's own njit functions are not cached, and its
``compute_chunk`` takes the statistic as a function argument, whose type differs in every
process, so even a cache would miss; these kernels call esda's functions directly (the loop of
compute_chunk, same random numbers, same p-values; esda 2.5 to 2.9) and are cacheable: a new QGIS session loads the machine
code instead of compiling it for 20-70 s.
"""

import numpy as np
from esda.getisord import _g_local_star_crand
from numba import njit


def permuted_ids(max_card: int, n: int, permutations: int, seed: int) -> np.ndarray:
    """esda.crand.vec_permutations without numba: numba's seeded ``np.random.choice(n - 1, size,
    replace=False)`` is defined to equal numpy's legacy RandomState (a permutation, then its head),
    so these are the same ids (tests/core/test_hotspots_cache.py checks it). As an njit function it
    was compiled anew in every session (3-4 s of a first run), and loading it from numba's cache
    left QGIS reading GeoPackages without their CRS later in the same process."""
    rs = np.random.RandomState(seed)
    out = np.empty((permutations, max_card), dtype=np.int64)
    for k in range(permutations):
        out[k] = rs.permutation(n - 1)[:max_card]
    return out


@njit(cache=True, fastmath=True)
def gstar_larger(z, observed, cardinalities, self_weights, other_weights, ids, scaling, island_weight):
    """esda.crand.compute_chunk for the whole series with Gi* as the statistic (called, not passed):
    per cell, how many permuted statistics are at least the observed one."""
    n = z.shape[0]
    larger = np.zeros((n,), dtype=np.int64)
    wloc = 0
    for i in range(n):
        cardinality = cardinalities[i]
        if cardinality == 0:  # an island
            weights_i = np.zeros(2, dtype=other_weights.dtype)
            weights_i[1] = island_weight
        else:  # the self-weight first, then the neighbours'
            weights_i = np.zeros(cardinality + 1, dtype=other_weights.dtype)
            weights_i[0] = self_weights[i]
            weights_i[1:] = other_weights[wloc : (wloc + cardinality)]
        wloc += cardinality
        rstats = _g_local_star_crand(i, z, ids, weights_i, scaling)
        larger[i] = np.sum(rstats >= observed[i])
    return larger


def warm_up() -> None:
    """Compile (or load) both kernels on a tiny problem."""
    z = np.arange(4, dtype=np.float64)
    ids = permuted_ids(1, 4, 9, 1)
    gstar_larger(z, np.ones(4), np.ones(4, dtype=np.int64), np.ones(4), np.ones(4), ids, float(z.sum()), 0.0)
