"""Which language the plugin speaks, and Qt's own translations where QGIS did not load them.

QGIS names its UI language in several ways for one language: picking 简体中文 in Settings >
Options gives ``zh-Hans`` (the only Simplified Chinese catalogue QGIS 3.22 ships), a system
locale gives ``zh_CN`` or ``zh_SG``, and a user may type ``zh``. The plugin ships one Chinese
catalogue (``zh_CN``) and must follow every one of them. Traditional Chinese (``zh-Hant``,
``zh_TW``, ``zh_HK``) falls back to it too: a Chinese screen a reader of Traditional characters
reads is closer to what they asked for than an English one.

QGIS loads Qt's own catalogue (``qtbase_<locale>.qm``: file dialogs, OK/Cancel/Close) by its
translation code, so for ``zh-Hans`` it looks for ``qtbase_zh-Hans.qm``, which Qt does not ship
(Qt's files are named ``zh_CN``/``zh_TW``): Qt's buttons stay English in an otherwise Chinese
QGIS. :func:`install` loads them where QGIS did not.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

PLUGIN_CATALOGUE = "grid_governance_plugin"
# Qt's catalogues for widgets and dialogs; qt_ is the umbrella file older Qt installs have
QT_CATALOGUES = ("qtbase", "qt")


def qgis_locale() -> str:
    """QGIS's UI language code as QGIS itself resolved it (``zh-Hans``, ``zh_CN``, ``en_US``…)."""
    from qgis.core import QgsApplication, QgsSettings

    app = QgsApplication.instance()
    code = ""
    if app is not None and hasattr(app, "translation"):
        try:
            code = app.translation() or ""
        except TypeError:  # a static method in some versions
            code = QgsApplication.translation() or ""
    if not code or code == "C":
        s = QgsSettings()
        if s.value("locale/overrideFlag", False, type=bool):
            code = s.value("locale/userLocale", "", type=str)
    return code or QLocale().name()


def _parts(code: str) -> tuple[str, str, str]:
    """(language, script, territory) of a code written ``zh-Hans``, ``zh_CN``, ``zh-Hant-TW``…"""
    bits = code.replace("-", "_").split(".")[0].split("@")[0].split("_")
    lang = bits[0].lower()
    script = next((b.title() for b in bits[1:] if len(b) == 4 and b.isalpha()), "")
    territory = next((b.upper() for b in bits[1:] if len(b) in (2, 3) and b.isalnum()), "")
    return lang, script, territory


def qt_name(code: str) -> str:
    """The ``ll_TT`` name Qt's own catalogues use for ``code`` (``zh-Hans`` → ``zh_CN``)."""
    lang, script, territory = _parts(code)
    if lang == "zh":
        traditional = script == "Hant" or (not script and territory in ("TW", "HK", "MO"))
        return "zh_TW" if traditional else "zh_CN"
    name = QLocale(code.replace("-", "_")).name()
    if name in ("C", "en_US") and lang not in ("en", "c"):
        return f"{lang}_{territory}" if territory else lang
    return name


def catalogue_names(code: str) -> list[str]:
    """Plugin catalogue names to try for QGIS's language ``code``, best first."""
    lang, _script, territory = _parts(code)
    names = [code, code.replace("-", "_"), qt_name(code)]
    if territory:
        names.append(f"{lang}_{territory}")
    names.append(lang)
    if lang == "zh":
        # one Chinese catalogue (Simplified) serves every Chinese variant
        names.append("zh_CN")
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def plugin_catalogue(code: str, directory: Path) -> Path | None:
    """The plugin's ``.qm`` for ``code`` in ``directory``, or None (then the plugin is English)."""
    for name in catalogue_names(code):
        path = directory / f"{PLUGIN_CATALOGUE}_{name}.qm"
        if path.exists():
            return path
    return None


def qt_translated() -> bool:
    """Whether Qt's own strings are translated already (a Cancel button that is not 'Cancel')."""
    return QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"


def qt_catalogues(code: str, directory: str | None = None) -> list[Path]:
    """Qt's catalogues for ``code`` that exist (``qtbase_zh_CN.qm``…)."""
    directory = directory or QLibraryInfo.location(QLibraryInfo.TranslationsPath)
    lang = _parts(code)[0]
    found = []
    for base in QT_CATALOGUES:
        for name in dict.fromkeys((qt_name(code), lang)):
            path = Path(directory) / f"{base}_{name}.qm"
            if path.exists():
                found.append(path)
                break
    return found


def install(code: str, plugin_dir: Path) -> list[QTranslator]:
    """Install the plugin's catalogue for ``code`` and, if QGIS did not, Qt's; returns them.

    Keep the returned translators alive, and pass them to :func:`remove` on unload.
    """
    installed: list[QTranslator] = []
    path = plugin_catalogue(code, plugin_dir)
    if path is None:
        return installed  # English: nothing of Qt's to add either
    translator = QTranslator()
    if translator.load(str(path)):
        QCoreApplication.installTranslator(translator)
        installed.append(translator)
    if not qt_translated():
        for qm in qt_catalogues(code):
            qt = QTranslator()
            if qt.load(str(qm)):
                QCoreApplication.installTranslator(qt)
                installed.append(qt)
    return installed


def remove(translators: list[QTranslator]) -> None:
    for t in translators:
        QCoreApplication.removeTranslator(t)
