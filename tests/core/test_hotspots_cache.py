"""The Gi* permutation kernels: esda's p-values exactly, compiled once and loaded by later sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("numba")


def _lattice_graph(n: int = 12):
    import libpysal
    from libpysal.graph import Graph

    return Graph.from_W(libpysal.weights.lat2W(n, n))


@pytest.mark.parametrize("seed", [1, 12345])
def test_cached_kernels_give_esdas_p_values(seed):
    from esda.getisord import G_Local

    from grid_governance_plugin.core.events import hotspots as hs

    w = _lattice_graph()
    y = np.random.default_rng(seed).poisson(4, 144).astype(float)
    y[:10] += 20  # a hot corner
    z, p, classes, _cut = hs.getis_ord_star(y, w, permutations=199, seed=seed)
    ref = G_Local(y, w, transform="B", permutations=199, star=True, keep_simulations=False, n_jobs=1, seed=seed)
    # esda >= 2.8 keeps p_sim as float32
    assert np.allclose(p, np.minimum(1.0, 2.0 * ref.p_sim), rtol=0, atol=1e-6)
    assert np.allclose(z, ref.Zs)
    assert "hot_99" in classes or "hot_95" in classes


@pytest.mark.parametrize(
    ("max_card", "n", "perms", "seed"), [(8, 5500, 999, 12345), (4, 144, 199, 3), (20, 22, 99, 42)]
)
def test_permutation_ids_are_esdas_without_numba(max_card, n, perms, seed):
    # numpy's legacy generator gives exactly esda's (numba's) ids, with nothing to compile per session
    from esda.crand import vec_permutations

    from grid_governance_plugin.core.events import _gistar_kernels as k

    assert np.array_equal(k.permuted_ids(max_card, n, perms, seed), vec_permutations(max_card, n, perms, seed))


CHILD = """
import numpy as np, libpysal
from libpysal.graph import Graph
from grid_governance_plugin.core.events import hotspots as hs
w = Graph.from_W(libpysal.weights.lat2W(6, 6))
y = np.arange(36, dtype=float)
print(hs.getis_ord_star(y, w, permutations=99, seed=3)[1][:3])
"""


def _child(cache: Path) -> str:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache), NUMBA_DEBUG_CACHE="1", PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout + res.stderr


def test_a_new_session_loads_the_compiled_kernels_instead_of_compiling(tmp_path):
    first = _child(tmp_path)
    assert "data saved" in first  # compiled and written once
    second = _child(tmp_path)
    loaded = [line for line in second.splitlines() if "data loaded" in line]
    assert any("gstar_larger" in line for line in loaded)
    # the kernel is not compiled again
    assert not [line for line in second.splitlines() if "data saved" in line and "gstar_larger" in line]
