"""Unified-grid planning engine: validate, statistics, codes, automatic partition, unification.

Pure shapely 2 / numpy / scipy, all geometry in a metric CRS (metres). Only
``core.i18n.tr`` is taken from QGIS so messages can be translated. The Processing
algorithms in ``processing/alg_grids.py`` are thin wrappers around these modules.
"""

from .gridcodes import CodeAssignment, assign_codes, code_problem
from .gridstats import BalanceIndex, GridStats, grid_stats
from .partition import PartitionResult, partition_area
from .unify import UnifyResult, unify_grids
from .validate import ERROR_TYPES, Problem, validate_grids

__all__ = [
    "ERROR_TYPES",
    "BalanceIndex",
    "CodeAssignment",
    "GridStats",
    "PartitionResult",
    "Problem",
    "UnifyResult",
    "assign_codes",
    "code_problem",
    "grid_stats",
    "partition_area",
    "unify_grids",
    "validate_grids",
]
