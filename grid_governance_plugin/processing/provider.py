"""The ``gridgov`` Processing provider."""

from __future__ import annotations

import importlib

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.i18n import tr
from ..core.log import get_logger
from ..core.paths import icon_path

# Modules each exporting ALGORITHMS; one failing to import (a missing optional
# dependency) must not take the whole provider down, so each is loaded on its own.
ALGORITHM_MODULES = (
    "alg_store",
    "alg_coverage",
    "alg_camera_import",
    "alg_grids",
    "alg_events",
    "alg_patrol",
    "alg_assessment",
    "alg_sync",
)

log = get_logger("provider")


class GridGovProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "gridgov"

    def name(self) -> str:
        return tr("Grid governance")

    def longName(self) -> str:
        return tr("Grid governance (urban grid management)")

    def icon(self) -> QIcon:
        return QIcon(icon_path("icon.svg"))

    def loadAlgorithms(self) -> None:
        for module_name in ALGORITHM_MODULES:
            try:
                module = importlib.import_module(f"{__package__}.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name and exc.name.endswith(module_name):
                    continue  # not shipped in this build
                log.warning(tr("Algorithms of {0} are unavailable: {1}", module_name, str(exc)))
                continue
            except Exception as exc:  # keep the rest of the provider usable
                log.error(tr("Algorithms of {0} are unavailable: {1}", module_name, str(exc)))
                continue
            for alg_class in getattr(module, "ALGORITHMS", []):
                self.addAlgorithm(alg_class())
