"""Grid governance (网格化社会治理) QGIS plugin."""


def classFactory(iface):  # noqa: N802 - QGIS entry point name
    from .plugin import GridGovernancePlugin

    return GridGovernancePlugin(iface)
