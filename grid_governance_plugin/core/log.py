"""One logger for the plugin, forwarded to QGIS's message log under the plugin's tag."""

import logging

TAG = "Grid governance"  # the log panel's tab shows it translated: tr("Grid governance") below
_configured = False


class _QgsMessageLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            from qgis.core import Qgis, QgsMessageLog

            from .i18n import tr
        except ImportError:  # pragma: no cover - core used outside QGIS
            return
        if record.levelno >= logging.ERROR:
            level = Qgis.Critical
        elif record.levelno >= logging.WARNING:
            level = Qgis.Warning
        else:
            level = Qgis.Info
        # the tab of QGIS's log panel is named in the user's language, as QGIS's own tabs are
        QgsMessageLog.logMessage(self.format(record), tr("Grid governance"), level, notifyUser=False)


def get_logger(name: str = "") -> logging.Logger:
    """Return the plugin's logger (or a child of it) wired to QGIS's message log."""
    global _configured
    root = logging.getLogger("gridgov")
    if not _configured:
        handler = _QgsMessageLogHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        _configured = True
    return root.getChild(name) if name else root
