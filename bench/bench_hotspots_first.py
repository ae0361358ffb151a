#!/usr/bin/env python3
"""The first gridgov:hotspots of a QGIS session (issue 8: at most 5 s), with esda's own path as baseline.

  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_hotspots_first.py [--runs 2]

Each measurement is a new Python process (a new session): QGIS is initialised and the plugin's
algorithm created, then the clock runs around the first gridgov:hotspots (its imports of
libpysal, esda and numba included) and around a second one in the same process. Data: the
62,245 real Zürich reports (shared/realdata/zurich/zwn_reports.gpkg) on 250 m cells, 999
permutations, as in the issue.

  (a) ours, cold: numba's cache folder empty (only the very first run on a machine is like this)
  (b) ours, new session: the compiled Gi* kernels load from the plugin's numba cache
  (c) baseline: esda's own permutation path (not cacheable), a new session

Prints a Markdown table with the load average; the ratio is (c)/(b) for the first run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "realdata" / "zurich" / "zwn_reports.gpkg"
if not DATA.exists():
    DATA = Path("/work/shared/realdata/zurich/zwn_reports.gpkg")

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from qgis.core import QgsApplication
app = QgsApplication([], False); app.initQgis()
import grid_governance_plugin
from grid_governance_plugin.core.events import hotspots as hs
if os.environ.get("BENCH_BASELINE") == "1":
    hs.numba_kernels = lambda: None  # esda's own G_Local permutations
from grid_governance_plugin.processing.alg_events import HotspotsAlgorithm
from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject
times = []
for i in range(2):
    alg = HotspotsAlgorithm().create()
    ctx = QgsProcessingContext(); ctx.setProject(QgsProject.instance())
    t = time.perf_counter()
    res, ok = alg.run({"EVENTS": sys.argv[2], "CELL_SIZE": 250, "PERMUTATIONS": 999, "SEED": 1,
                       "OUTPUT": "TEMPORARY_OUTPUT"}, ctx, QgsProcessingFeedback())
    times.append(time.perf_counter() - t)
    assert ok
print(json.dumps(times))
"""


def measure(cache: Path, baseline: bool = False) -> tuple[float, float]:
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", NUMBA_CACHE_DIR=str(cache), BENCH_BASELINE="1" if baseline else "0"
    )
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(DATA)], env=env, capture_output=True, text=True, check=True
    )
    first, second = json.loads(out.stdout.strip().splitlines()[-1])
    return first, second


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2, help="new sessions per case")
    args = ap.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="gridgov-numba-bench-"))
    rows = []
    try:
        load0 = os.getloadavg()
        cold = measure(cache)
        warm = [measure(cache) for _ in range(args.runs)]
        base = [measure(cache, baseline=True) for _ in range(args.runs)]
        load1 = os.getloadavg()
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    med = lambda xs: statistics.median(xs)  # noqa: E731
    rows.append(("(a) ours, first run on the machine (cache empty)", cold[0], cold[1]))
    rows.append(
        ("(b) ours, first run of a new session (cache filled)", med([w[0] for w in warm]), med([w[1] for w in warm]))
    )
    rows.append(
        ("(c) baseline: esda's own permutations, new session", med([b[0] for b in base]), med([b[1] for b in base]))
    )
    print(
        f"load average before {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, after {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}"
    )
    print("| case | first run | second run, same session |")
    print("|---|---|---|")
    for name, first, second in rows:
        print(f"| {name} | {first:.1f} s | {second:.1f} s |")
    print(f"first run of a new session: baseline / ours = ×{rows[2][1] / rows[1][1]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
