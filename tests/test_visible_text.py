"""The e2e helpers that find English on a screen: what counts as English and what is collected."""

from qgis.PyQt.QtWidgets import QComboBox, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from tests.e2e.visible_text import english, english_words, visible_texts


def test_english_finds_words_but_not_codes_numbers_units_or_names():
    assert english(["网格 310101001002", "覆盖率 85%", "200 m", "GeoPackage 文件", "PostGIS 数据库"]) == []
    assert english(["EPSG:4326", "dist/demo/demo.qgz", "DORI 分区", "Open311 导入", "Getis-Ord Gi*"]) == []
    assert english(["NOPE99 不在清单", "WGS 84", "GB/T 28181", "2024-03-01 08:00", "a.pdf", "x"]) == []
    assert english(["Task complete", "状态：online", "部门 GA", "Step 86400.0 seconds"]) == [
        "Task complete",
        "状态：online",
        "部门 GA",
        "Step 86400.0 seconds",
    ]
    assert english_words("<b>已结案</b> &lt;3") == []
    assert english(["Overlap", "Overlap"]) == ["Overlap"]


def test_visible_texts_reads_labels_buttons_combos_tables_and_skips_hidden_widgets(qgis_app):
    root = QWidget()
    root.setWindowTitle("窗口")
    lay = QVBoxLayout(root)
    lay.addWidget(QLabel("<b>标签</b>"))
    button = QPushButton("按钮")
    button.setToolTip("提示")
    lay.addWidget(button)
    combo = QComboBox()
    combo.addItems(["甲", "乙"])
    lay.addWidget(combo)
    table = QTableWidget(1, 1)
    table.setHorizontalHeaderLabels(["列"])
    table.setItem(0, 0, QTableWidgetItem("faulty"))
    lay.addWidget(table)
    hidden = QLabel("hidden text")
    lay.addWidget(hidden)
    hidden.hide()
    root.show()
    texts = visible_texts(root)
    for t in ("窗口", "<b>标签</b>", "按钮", "提示", "甲", "乙", "列", "faulty"):
        assert t in texts, (t, texts)
    assert "hidden text" not in texts
    assert english(texts) == ["faulty"]
    root.close()
