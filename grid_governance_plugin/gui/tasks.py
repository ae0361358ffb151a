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
)

from ..core.i18n import tr
from ..core.log import get_logger

log = get_logger("tasks")
_running: set = set()  # keep Python wrappers alive until the task ends


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
    feedback = QgsProcessingFeedback()
    task = QgsProcessingAlgRunnerTask(alg, parameters, context, feedback)
    if description:
        task.setDescription(description)

    def finished(ok: bool, results: dict) -> None:
        _running.discard(holder)
        if not ok:
            log.warning(tr("{0} did not finish.", alg.displayName()))
        if on_done is not None:
            on_done(ok, results, context)

    task.executed.connect(finished)
    holder = (task, alg, context, feedback)
    _running.add(holder)
    QgsApplication.taskManager().addTask(task)
    return task


def take_layer(context: QgsProcessingContext, layer_ref: str, name: str):
    """Move an output layer from the task's context into the project (main thread)."""
    layer = context.takeResultLayer(layer_ref) if layer_ref in context.temporaryLayerStore().mapLayers() else None
    if layer is None:
        from qgis.core import QgsVectorLayer

        layer = QgsVectorLayer(layer_ref, name, "ogr")
    if layer is not None and layer.isValid():
        layer.setName(name)
        QgsProject.instance().addMapLayer(layer)
        return layer
    return None
