"""The ``gridgov`` Processing provider.

Every algorithm is registered. One whose Python packages are missing (core/deps.py) is
registered as a placeholder with the same id: the toolbox, ``qgis_process list`` and
``qgis_process help`` show it as unavailable with the packages it needs, and running it
says the same. After the packages are installed, ``refreshAlgorithms()`` brings the real
ones (gui/deps_dialog.py does it).
"""

from __future__ import annotations

import importlib
import sys

from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core import deps
from ..core.i18n import N_, tr
from ..core.log import get_logger
from ..core.paths import icon_path
from .base import GridGovAlgorithm

STORE, COVERAGE, GRIDS, EVENTS, PATROL = (
    ("store", N_("Store")),
    ("coverage", N_("Camera coverage")),
    ("grids", N_("Grid planning")),
    ("events", N_("Events and cases")),
    ("patrol", N_("Patrols")),
)
# Module -> (id, name, group) of each algorithm it defines, so that an algorithm whose module
# cannot be imported here is still listed (tests/processing/test_provider.py keeps this in step).
ALGORITHM_INDEX: dict[str, tuple[tuple[str, str, tuple[str, str]], ...]] = {
    "alg_store": (
        ("installschema", N_("Install or upgrade the database schema"), STORE),
        ("generatedemo", N_("Generate demo city"), STORE),
    ),
    "alg_coverage": (
        ("camerafov", N_("Camera fields of view"), COVERAGE),
        ("coverage", N_("Camera coverage and blind spots"), COVERAGE),
        ("suggestcameras", N_("Suggest camera positions"), COVERAGE),
    ),
    "alg_camera_import": (("importcameras", N_("Import cameras"), COVERAGE),),
    "alg_grids": (
        ("validategrids", N_("Validate grids"), GRIDS),
        ("gridstats", N_("Grid statistics"), GRIDS),
        ("unifygrids", N_("Unify departmental grids"), GRIDS),
        ("partitiongrids", N_("Partition communities into grids"), GRIDS),
        ("gridcodes", N_("Assign grid codes"), GRIDS),
    ),
    "alg_events": (
        ("hotspots", N_("Event hot spots (Getis-Ord Gi*)"), EVENTS),
        ("overduecases", N_("Overdue cases"), EVENTS),
        ("importopen311", N_("Import Open311 service requests"), EVENTS),
        ("escalateoverdue", N_("Escalate overdue cases"), EVENTS),
    ),
    "alg_patrol": (
        ("patrolcoverage", N_("Patrol coverage"), PATROL),
        ("importpatroltracks", N_("Import patrol tracks"), PATROL),
    ),
    "alg_assessment": (("assessment", N_("Assessment and rankings"), EVENTS),),
    "alg_sync": (
        ("checkout", N_("Check out an area for offline work"), STORE),
        ("syncoffline", N_("Sync an offline copy"), STORE),
    ),
}
ALGORITHM_MODULES = tuple(ALGORITHM_INDEX)

log = get_logger("provider")


def install_hint() -> str:
    if QgsApplication.instance() is not None and QgsApplication.platform() == "desktop":
        return tr("Install them from Plugins > Grid governance > Python dependencies…")
    return tr("Install them in QGIS (Grid governance > Python dependencies…) or see the README.")


class UnavailableAlgorithm(GridGovAlgorithm):
    """Stands in for an algorithm whose packages are missing: listed, explained, never run."""

    def __init__(self, alg_id: str, name: str, group: tuple[str, str], reason: str) -> None:
        super().__init__()
        self.ALG_ID, self.ALG_NAME = alg_id, name
        self.GROUP_ID, self.GROUP = group
        self.reason = reason

    def createInstance(self):
        return UnavailableAlgorithm(self.ALG_ID, self.ALG_NAME, (self.GROUP_ID, self.GROUP), self.reason)

    def displayName(self) -> str:
        return tr("{0} (unavailable)", tr(self.ALG_NAME))

    def shortDescription(self) -> str:
        return self.reason

    def shortHelpString(self) -> str:
        return f"{self.reason}\n\n{install_hint()}"

    def initAlgorithm(self, config=None):
        pass

    def canExecute(self):
        return False, f"{self.reason} {install_hint()}"

    def processAlgorithm(self, parameters, context, feedback):
        raise QgsProcessingException(f"{self.reason} {install_hint()}")


def unavailable_reason(missing: list[deps.Requirement]) -> str:
    return tr("Needs Python packages that are not installed: {0}.", ", ".join(r.label() for r in missing))


class GridGovProvider(QgsProcessingProvider):
    def __init__(self) -> None:
        super().__init__()
        self.unavailable: dict[str, str] = {}  # algorithm id -> why

    def id(self) -> str:
        return "gridgov"

    def name(self) -> str:
        return tr("Grid governance")

    def longName(self) -> str:
        return tr("Grid governance (urban grid management)")

    def icon(self) -> QIcon:
        return QIcon(icon_path("icon.svg"))

    def loadAlgorithms(self) -> None:
        report = deps.check()
        self.unavailable = {}
        for module_name, entries in ALGORITHM_INDEX.items():
            wanted = {alg_id for alg_id, _n, _g in entries if not report.algorithm_missing(alg_id)}
            classes = {}
            if wanted:
                try:
                    module = importlib.import_module(f"{__package__}.{module_name}")
                    classes = {cls.ALG_ID: cls for cls in getattr(module, "ALGORITHMS", [])}
                except Exception as exc:  # a broken install: keep the rest of the provider usable
                    log.error(tr("Algorithms of {0} are unavailable: {1}", module_name, str(exc)))
                    for alg_id in wanted:
                        self.unavailable[alg_id] = tr("Cannot be loaded: {0}", str(exc))
            for alg_id, name, group in entries:
                if alg_id in wanted and alg_id in classes and alg_id not in self.unavailable:
                    self.addAlgorithm(classes[alg_id]())
                    continue
                if alg_id not in self.unavailable:
                    self.unavailable[alg_id] = unavailable_reason(report.algorithm_missing(alg_id))
                self.addAlgorithm(UnavailableAlgorithm(alg_id, name, group, self.unavailable[alg_id]))
        if self.unavailable:
            lines = [f"gridgov:{alg_id}: {why}" for alg_id, why in sorted(self.unavailable.items())]
            text = tr("{0} of the gridgov algorithms are unavailable:", len(self.unavailable))
            log.warning("\n".join([text, *lines, install_hint()]))
            if QgsApplication.instance() is not None and QgsApplication.platform() == "qgis_process":
                # qgis_process shows no message log: say it where a script's author looks
                print("\n".join([text, *lines, install_hint()]), file=sys.stderr)
