"""Running Processing algorithms from the GUI as QgsTasks.

The algorithm runs in a worker thread; results (layer ids in the task's context) are
taken over by the project on the main thread when the task finishes.
"""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from ..core.i18n import tr
from ..core.log import get_logger
from . import results as result_layers
from . import styles

log = get_logger("tasks")
_running: set = set()  # keep Python wrappers alive until the task ends


class _Feedback(QgsProcessingFeedback):
    """Keeps the errors of a run, so that the dock can say why it failed."""

    def __init__(self):
        super().__init__()
        self.errors: list[str] = []

    def reportError(self, error, fatalError=False):  # noqa: N802 - Qt API
        self.errors.append(str(error))
        super().reportError(error, fatalError)


def run_algorithm(
    alg_id: str,
    parameters: dict,
    on_done: Callable[[bool, dict, QgsProcessingContext], None] | None = None,
    description: str | None = None,
) -> QgsProcessingAlgRunnerTask:
    """Run ``alg_id`` in the background with progress and cancel in QGIS's task manager."""
    alg = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    if alg is None:
        raise KeyError(tr("The algorithm {0} is not available.", alg_id))
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = _Feedback()
    context.setFeedback(feedback)
    context.gridgov_feedback = feedback  # read by failure_text()
    task = QgsProcessingAlgRunnerTask(alg, parameters, context, feedback)
    if description:
        task.setDescription(description)

    def finished(ok: bool, results: dict) -> None:
        _running.discard(holder)
        if not ok:
            log.warning(tr("{0} did not finish: {1}", alg.displayName(), failure_text(context)))
        if on_done is not None:
            on_done(ok, results, context)

    task.executed.connect(finished)
    holder = (task, alg, context, feedback)
    _running.add(holder)
    QgsApplication.taskManager().addTask(task)
    return task


def errors(context: QgsProcessingContext) -> list[str]:
    """The errors the run of ``context`` reported (empty for a context not made by run_algorithm)."""
    feedback = getattr(context, "gridgov_feedback", None)
    return list(feedback.errors) if feedback is not None else []


def failure_text(context: QgsProcessingContext) -> str:
    """Why the run failed, in the algorithm's words: its last error, or a pointer to the log."""
    errs = [e.strip() for e in errors(context) if e.strip()]
    if not errs:
        feedback = getattr(context, "gridgov_feedback", None)
        if feedback is not None and feedback.isCanceled():
            return tr("cancelled")
        return tr("see the log")
    return errs[-1].splitlines()[0]


def result_layer(context: QgsProcessingContext, layer_ref: str, name: str):
    """An output layer of a finished run (taken from the task's context, or opened), not added."""
    layer = context.takeResultLayer(layer_ref) if layer_ref in context.temporaryLayerStore().mapLayers() else None
    if layer is None:
        layer = QgsVectorLayer(layer_ref, name, "ogr")
    if layer is None or not layer.isValid():
        return None
    layer.setName(name)
    return layer


def take_layer(
    context: QgsProcessingContext, layer_ref: str, name: str, kind: str | None = None, group: str | None = None
):
    """Move an output layer from the task's context into the project (main thread).

    With ``kind`` it replaces the previous result of that kind (gui/results.py). An output
    without features is returned but not added to the project: callers say so instead.
    """
    layer = result_layer(context, layer_ref, name)
    if layer is None:
        return None
    if kind:
        result_layers.add_result(layer, kind, group)
    elif layer.featureCount() != 0:
        QgsProject.instance().addMapLayer(layer)
    return layer


def take_result(
    context: QgsProcessingContext, layer_ref: str, kind: str, name: str | None = None, visible: bool | None = True
):
    """:func:`take_layer` for a result kind of gui/results.py: its name, group and style.

    ``visible``: see results.add_result (None for a by-product: it stays as the view had it).
    """
    layer = result_layer(context, layer_ref, name or result_layers.title(kind))
    if layer is None:
        return None
    styles.apply(layer, result_layers.style(kind))  # styled before it is drawn
    result_layers.add_result(layer, kind, result_layers.group(kind), visible=visible)
    return layer
