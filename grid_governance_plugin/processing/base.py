"""Common base of the gridgov Processing algorithms."""

from __future__ import annotations

import functools

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException

from ..core.i18n import tr
from ..core.store.qgsio import CheckedSink, SinkWriteError


class GridGovAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ALG_ID, ALG_NAME (English, translated via tr), GROUP_ID and GROUP.

    Every sink a subclass opens with ``parameterAsSink`` counts the features its destination
    refuses; when ``processAlgorithm`` returns, a refused feature fails the run with the count,
    the output's name and the reason, instead of a "successful" empty or partial layer.
    """

    ALG_ID = ""
    ALG_NAME = ""
    GROUP_ID = ""
    GROUP = ""
    HELP = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("processAlgorithm")
        if own is not None and not getattr(own, "_gridgov_checks_sinks", False):
            cls.processAlgorithm = _checking_sinks(own)

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

    def parameterAsSink(self, parameters, name, context, *args, **kwargs):  # noqa: N802 - QGIS API
        sink, dest = super().parameterAsSink(parameters, name, context, *args, **kwargs)
        if sink is None:
            return sink, dest
        definition = self.parameterDefinition(name)
        checked = CheckedSink(sink, definition.description() if definition is not None else name)
        sinks = self.__dict__.setdefault("_gridgov_sinks", [])
        sinks.append(checked)
        return checked, dest


def _checking_sinks(process):
    """``process`` (a processAlgorithm), failing when a sink it opened refused features."""

    @functools.wraps(process)
    def run(self, parameters, context, feedback):
        self.__dict__["_gridgov_sinks"] = []
        try:
            result = process(self, parameters, context, feedback)
            if not (feedback is not None and feedback.isCanceled()):
                _check_sinks(self)
            return result
        finally:
            # the sinks close (and file outputs are finished) only once no reference is left:
            # drop ours even if the algorithm's frame lives on in a kept traceback
            for sink in self.__dict__.get("_gridgov_sinks", []):
                sink.close()
            self.__dict__["_gridgov_sinks"] = []

    run._gridgov_checks_sinks = True
    return run


def _check_sinks(alg) -> None:
    for sink in alg.__dict__.get("_gridgov_sinks", []):
        try:
            sink.check()
        except SinkWriteError as exc:
            raise QgsProcessingException(str(exc)) from None
