"""Translation for code outside QObject subclasses.

All user-visible strings of the plugin share one translation context so that the
zh_CN catalogue in i18n/ is a single flat list (tests check that every tr() string
has a translation).
"""

from qgis.PyQt.QtCore import QCoreApplication

CONTEXT = "GridGov"


def tr(text: str, *args: object) -> str:
    """Translate ``text``; positional args fill ``{0}``, ``{1}``... after translation."""
    translated = QCoreApplication.translate(CONTEXT, text)
    return translated.format(*args) if args else translated


def N_(text: str) -> str:  # noqa: N802 - gettext convention
    """Mark a literal for the catalogue where it is translated later through tr(variable)."""
    return text
