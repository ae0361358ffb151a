"""Common base of the gridgov Processing algorithms."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm

from ..core.i18n import tr


class GridGovAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ALG_ID, ALG_NAME (English, translated via tr), GROUP_ID and GROUP."""

    ALG_ID = ""
    ALG_NAME = ""
    GROUP_ID = ""
    GROUP = ""
    HELP = ""

    def tr(self, text: str, *args: object) -> str:  # noqa: D401 - Qt naming
        return tr(text, *args)

    def createInstance(self):
        return type(self)()

    def name(self) -> str:
        return self.ALG_ID

    def displayName(self) -> str:
        return tr(self.ALG_NAME)

    def group(self) -> str:
        return tr(self.GROUP) if self.GROUP else ""

    def groupId(self) -> str:
        return self.GROUP_ID

    def shortHelpString(self) -> str:
        return tr(self.HELP) if self.HELP else ""
