"""Small helpers shared by the test modules."""

from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject


class RecordingFeedback(QgsProcessingFeedback):
    """Processing feedback that keeps what an algorithm reported, for assertions."""

    def __init__(self):
        super().__init__()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.infos: list[str] = []

    def reportError(self, error, fatalError=False):  # noqa: N802 - Qt API
        self.errors.append(error)

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)


def run_alg(alg_class, params, expect_ok=True):
    """Run an algorithm class directly (no provider needed); results, output layers by key, feedback."""
    alg = alg_class().create()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = RecordingFeedback()
    results, ok = alg.run(params, context, feedback)
    assert ok == expect_ok, feedback.errors
    layers = {}
    for key, value in (results or {}).items():
        if isinstance(value, str):
            layer = context.takeResultLayer(value)
            if layer is not None:
                layers[key] = layer
    return results, layers, feedback
