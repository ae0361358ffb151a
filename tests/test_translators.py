"""The plugin follows every Chinese variant QGIS can be set to, and Qt's own buttons are Chinese."""

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QDialogButtonBox, QMenu

from grid_governance_plugin.core import translators
from grid_governance_plugin.core.paths import i18n_dir


@pytest.mark.parametrize(
    ("code", "qt"),
    [
        ("zh-Hans", "zh_CN"),  # 简体中文 in QGIS 3.22's options
        ("zh_CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hant", "zh_TW"),
        ("zh_TW", "zh_TW"),
        ("zh_HK", "zh_TW"),
    ],
)
def test_every_chinese_variant_finds_the_chinese_catalogue(code, qt, tmp_path):
    (tmp_path / "grid_governance_plugin_zh_CN.qm").write_bytes(b"")
    assert translators.qt_name(code) == qt
    assert translators.plugin_catalogue(code, tmp_path) == tmp_path / "grid_governance_plugin_zh_CN.qm"


@pytest.mark.parametrize("code", ["en_US", "en", "C", "de_DE", "fr"])
def test_other_languages_get_no_chinese(code, tmp_path):
    (tmp_path / "grid_governance_plugin_zh_CN.qm").write_bytes(b"")
    assert translators.plugin_catalogue(code, tmp_path) is None
    assert translators.install(code, tmp_path) == []


def test_qt_buttons_become_chinese_where_qgis_left_them_english(qgis_app):
    assert not translators.qt_translated(), "this test needs a QGIS that has not loaded Qt's catalogue"
    if not translators.qt_catalogues("zh-Hans"):
        pytest.fail("qtbase_zh_CN.qm is missing: install qttranslations5-l10n (scripts/bootstrap.sh)")
    installed = translators.install("zh-Hans", i18n_dir())
    try:
        assert len(installed) >= 2  # the plugin's catalogue and Qt's
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Close)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert "Cancel" not in texts and "取消" in "".join(texts), texts
        assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
    finally:
        translators.remove(installed)
    assert not translators.qt_translated()


@pytest.mark.parametrize("code", ["zh-Hans", "zh_CN", "zh", "zh-Hant", "zh_TW"])
def test_the_plugin_menu_follows_qgis_overridden_locale(qgis_iface, code):
    import grid_governance_plugin

    s = QgsSettings()
    s.setValue("locale/overrideFlag", True)
    s.setValue("locale/userLocale", code)
    try:
        plugin = grid_governance_plugin.classFactory(qgis_iface)
        plugin.initGui()
        try:
            menu = qgis_iface.mainWindow().findChild(QMenu, "GridGovMenu")
            assert menu.title() == "网格治理"
            assert plugin.docks["coverage"].windowTitle() == "摄像头覆盖"
        finally:
            plugin.unload()
    finally:
        s.setValue("locale/overrideFlag", False)
        s.remove("locale/userLocale")
    assert QCoreApplication.translate("GridGov", "Grid governance") == "Grid governance"


def test_the_system_locale_is_followed_without_an_override(qgis_iface):
    from qgis.PyQt.QtCore import QLocale

    import grid_governance_plugin

    before = QLocale()
    QLocale.setDefault(QLocale("zh_TW"))
    try:
        assert translators.qgis_locale() == "zh_TW"
        plugin = grid_governance_plugin.classFactory(qgis_iface)
        plugin.initGui()
        try:
            assert qgis_iface.mainWindow().findChild(QMenu, "GridGovMenu").title() == "网格治理"
        finally:
            plugin.unload()
    finally:
        QLocale.setDefault(before)
