"""What a user reads on a screen, and which of it is English.

  visible_texts(root_widget) -> list[str]   every text shown by ``root_widget`` and its visible
                                            descendants: labels, buttons, titles, tabs, combo
                                            items, table/tree/list cells and headers (the layer
                                            tree's legend entries too), menus, tooltips
  english(texts) -> list[str]               the texts that contain English words

Runs inside QGIS (the e2e probe's extra scripts import it) and in pytest-qgis. The rule for
English: a word of two or more Latin letters, without digits, that is not a proper name, unit,
format or standard a Chinese screen shows as it is (PostGIS, QGIS, GeoPackage, DORI, Open311,
CSV, WGS 84, m, km…). Codes with digits (grid 310101001002, NOPE99, EPSG:4326), numbers, file
names, paths and addresses are not language. An all-capitals word that is not a known acronym
(GA, CGZF) is reported: a department's code where its name belongs.
"""

from __future__ import annotations

import re

# shown as they are on a Chinese screen (lower case)
PROPER_NAMES = {
    # software, formats, services
    "qgis", "postgis", "postgresql", "geopackage", "gpkg", "shapefile", "spatialite", "sqlite", "gdal",
    "ogr", "open311", "georeport", "csv", "pdf", "png", "svg", "json", "geojson", "xlsx", "html", "xml",
    "osm", "openstreetmap", "wms", "wmts", "wfs", "xyz", "sql", "utf", "http", "https", "url", "gps", "api",
    "numba", "esda", "shapely", "python", "pip", "qt", "app", "pg_service",
    "postgres",  # the superuser login, named as it is (a login name is data, not language)
    # keys, as Chinese software writes them (Shift+单击)
    "shift", "ctrl", "alt", "esc", "enter", "tab", "del", "backspace", "space",
    # standards, reference systems, statistics
    "dori", "iec", "epsg", "wgs", "cgcs", "gcj", "bd", "utm", "crs", "gb", "t", "iso", "getis", "ord", "gi", "fdr",
    "milp", "id", "uuid",
    # units
    "m", "km", "h", "s", "min", "px", "mm", "cm", "ha", "dpi", "kb", "mb", "fps", "deg",
}  # fmt: skip
# a token that is a code, number, file name, path, address or coordinate, not a word
_NOT_LANGUAGE = re.compile(
    r"""^(
        .*\d.*                          # anything with a digit: codes, numbers, versions
      | .*[/\\@].*                      # paths, addresses, e-mail
      | \w+=.*                          # a setting as it is typed (service=名称)
      | [\w-]+\.[A-Za-z0-9]{2,5}        # file names
      | [A-Za-z]                        # a single letter (units, axis names)
    )$""",
    re.X,
)
_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-:/\\@+=]*")
_TAGS = re.compile(r"<[^<>]*>|&\w+;|&#\d+;")


def english_words(text: str) -> list[str]:
    """The English words in ``text`` (empty when it is all Chinese, codes, numbers and names)."""
    words = []
    for token in _TOKEN.findall(_TAGS.sub(" ", text or "")):
        token = token.strip(".:-_")
        if not token or _NOT_LANGUAGE.match(token) or token.lower() in PROPER_NAMES:
            continue
        for word in re.findall(r"[A-Za-z]+", token):
            if len(word) > 1 and word.lower() not in PROPER_NAMES:
                words.append(word)
    return words


def english(texts) -> list[str]:
    """The texts among ``texts`` that contain English (each once, in order)."""
    out: list[str] = []
    for t in texts:
        if english_words(t) and t not in out:
            out.append(t)
    return out


def _model_texts(model, parent=None, limit: int = 500, tooltips: bool = True) -> list[str]:
    """Display texts of every cell and header of a Qt item model, tree included (first ``limit`` rows)."""
    from qgis.PyQt.QtCore import QModelIndex, Qt

    parent = QModelIndex() if parent is None else parent
    texts: list[str] = []
    try:
        columns = model.columnCount(parent)
    except TypeError:  # PyQt hides columnCount() of list models: they have one
        columns = 1
    if not parent.isValid():
        for section in range(columns):
            texts.append(str(model.headerData(section, Qt.Horizontal, Qt.DisplayRole) or ""))
    rows = min(model.rowCount(parent), limit)
    for row in range(rows):
        for col in range(columns):
            index = model.index(row, col, parent)
            for role in (Qt.DisplayRole, Qt.ToolTipRole) if tooltips else (Qt.DisplayRole,):
                value = model.data(index, role)
                if isinstance(value, str):
                    texts.append(value)
            if col == 0 and model.rowCount(index) > 0:
                texts += _model_texts(model, index, limit, tooltips)
    return texts


def visible_texts(root_widget, tooltips: bool = True) -> list[str]:
    """Every text ``root_widget`` and its visible descendants show (see the module's docstring)."""
    from qgis.PyQt.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QDockWidget,
        QGroupBox,
        QLabel,
        QLineEdit,
        QMenu,
        QPlainTextEdit,
        QTabBar,
        QTabWidget,
        QTextEdit,
        QToolButton,
        QWidget,
    )

    texts: list[str] = []
    widgets = [root_widget, *root_widget.findChildren(QWidget)]
    for w in widgets:
        if w is not root_widget and not w.isVisibleTo(root_widget):
            continue
        if w.isWindow() or isinstance(w, QDockWidget):
            texts.append(w.windowTitle())
        if tooltips:
            texts.append(w.toolTip())
        if isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
            if isinstance(w, QToolButton) and w.defaultAction() is not None:
                texts += [w.defaultAction().text(), w.defaultAction().toolTip() if tooltips else ""]
            menu = w.menu() if hasattr(w, "menu") else None
            if menu is not None:
                texts += menu_texts(menu)
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
            if w.isEditable() and w.lineEdit() is not None:
                texts.append(w.lineEdit().placeholderText())
        elif isinstance(w, QLineEdit):
            texts += [w.text(), w.placeholderText()]
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            texts.append(w.toPlainText())
        elif isinstance(w, QAbstractSpinBox):
            texts += [w.text(), w.specialValueText()]
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QMenu):
            texts += menu_texts(w)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            texts += _model_texts(w.model(), tooltips=tooltips)
    return [t.strip() for t in texts if t and t.strip()]


def menu_texts(menu) -> list[str]:
    """Texts of a menu's entries and of its submenus."""
    texts = [menu.title()]
    for action in menu.actions():
        if action.isSeparator():
            continue
        texts += [action.text(), action.toolTip() if action.toolTip() != action.text().replace("&", "") else ""]
        if action.menu() is not None and action.menu() is not menu:
            texts += menu_texts(action.menu())
    return [t for t in texts if t]
