"""The case card as a supervisor reads it: names not codes, plain text, room, and what a step did.

Against the real PostGIS store of tests/gui/test_events_dock.py (its fixtures).
"""

from __future__ import annotations

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QPoint, QRect, Qt
from qgis.PyQt.QtWidgets import QApplication, QLabel, QMainWindow

from tests.gui.test_events_dock import LAT, LON, _set, dock, store  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgis

HOSTILE = '<h2 style="color:red">紧急：已核实，请直接结案</h2>'
LINK = '<a href="https://evil.example">点我</a>'


def _red_pixels(widget) -> int:
    img = widget.grab().toImage()
    n = 0
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            n += c.red() > 180 and c.green() < 80 and c.blue() < 80
    return n


def test_channel_text_is_shown_literally(dock, store):  # noqa: F811
    _, conn, ids = store
    with conn.cursor() as cur:
        cur.execute("UPDATE gridgov.event SET description = %s, reporter = %s WHERE id = %s", (HOSTILE, LINK, ids["a"]))
        cur.execute(
            "INSERT INTO gridgov.event_history (event_id, actor, from_status, to_status, note)"
            " VALUES (%s, 'desk', 'reported', 'reported', %s)",
            (ids["a"], HOSTILE),
        )
    dock.refresh()
    assert dock.select_case(ids["a"])
    card = dock.card
    desc, reporter = card.facts["description"], card.facts["reporter"]
    assert desc.textFormat() == Qt.PlainText and desc.text() == HOSTILE
    assert reporter.textFormat() == Qt.PlainText and reporter.text() == LINK
    assert not reporter.openExternalLinks()
    # drawn as characters: no red headline, no link
    desc.resize(600, 80)
    assert _red_pixels(desc) == 0
    # tooltips of the card, the history and the list show the markup as text too
    assert Qt.mightBeRichText(desc.toolTip()) and "&lt;h2" in desc.toolTip()
    note = card.history.item(card.history.rowCount() - 1, 3)
    assert note.text() == HOSTILE and "&lt;h2" in note.toolTip()
    row = next(r for r in range(dock.proxy.rowCount()) if dock.proxy.index(r, 0).data(dock.model.ID_ROLE) == ids["a"])
    tip = dock.proxy.index(row, 0).data(Qt.ToolTipRole)
    assert "&lt;h2" in tip and "<h2" not in tip
    # every QLabel of the card that shows stored text is plain text
    for key in card.CHANNEL_TEXT:
        assert card.facts[key].textFormat() == Qt.PlainText


def test_names_not_codes(dock, store):  # noqa: F811
    _, conn, ids = store
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name) VALUES ('310100', '示范市');"
            "INSERT INTO gridgov.district (code, name, city_code) VALUES ('310101', '示范区', '310100');"
            "INSERT INTO gridgov.street (code, name, district_code) VALUES ('310101001', '南京东路街道', '310101');"
            "INSERT INTO gridgov.community (code, name, street_code) VALUES ('310101001001', '贵州路社区', '310101001');"
        )
        cur.execute(
            "UPDATE gridgov.event SET community_code = '310101001001', street_code = '310101001', level = 'street',"
            " worker_id = 'W1', source = 'sensor' WHERE id = %s",
            (ids["c"],),
        )
    dock.refresh()
    assert dock.select_case(ids["c"])
    f = dock.card.facts
    assert f["department"].text() == "水务局" and "SW" not in f["department"].toolTip()  # a name, no bare code
    assert f["category"].text() == "突发事件 / 自来水管破裂"
    assert f["level"].text() != "street" and f["source"].text() != "sensor"
    assert "贵州路社区" in f["place"].text() and "南京东路街道" in f["place"].text()
    assert f["worker"].text() == "张三"
    assert "Overdue" in f["deadline_at"].text() or "逾期" in f["deadline_at"].text()
    # the list too: department by name, lateness beside the deadline
    row = next(r for r in range(dock.proxy.rowCount()) if dock.proxy.index(r, 0).data(dock.model.ID_ROLE) == ids["c"])
    cols = [c for c, _ in dock.model.COLUMNS]
    assert dock.proxy.index(row, cols.index("department")).data() == "水务局"
    assert dock.proxy.index(row, cols.index("category_code")).data() == "自来水管破裂"
    # filters offer names
    assert dock.department.findText("水务局") >= 0


def test_step_keeps_the_case_selected_and_confirms(dock, store):  # noqa: F811
    _, conn, ids = store
    _set(dock.status_box, "reported")  # a step takes the case out of this list
    dock.refresh()
    assert dock.select_case(ids["a"])
    messages = []
    dock.card.confirmed.connect(messages.append)
    dock.card.transition_buttons["registered"].click()
    assert dock.card.case is not None and dock.card.case["id"] == ids["a"]
    assert dock.card.case["status"] == "registered"
    assert messages and dock.card.confirmation.isVisibleTo(dock.card)
    assert messages[0] in dock.card.confirmation.text() and messages[0] in dock.status.text()
    # back in a list that holds it: it is the selected row
    _set(dock.status_box, None)
    dock.refresh()
    assert dock.selected_ids() == [ids["a"]] and dock.card.case["id"] == ids["a"]
    dock.card.transition_buttons["dispatched"].click()
    assert dock.selected_ids() == [ids["a"]] and dock.card.case["status"] == "dispatched"
    assert len(messages) == 2


def test_selecting_a_case_zooms_the_map_to_it(qgis_iface, dock, store):  # noqa: F811
    _, _conn, ids = store
    canvas = qgis_iface.mapCanvas()
    old_size, was_visible = canvas.size(), canvas.isVisible()
    canvas.show()
    canvas.resize(max(old_size.width(), 800), max(old_size.height(), 600))
    QApplication.processEvents()
    try:
        _zoom_checks(canvas, dock, ids)
    finally:  # the shared canvas goes back as the next tests expect it
        canvas.resize(old_size)
        canvas.setVisible(was_visible)
        QApplication.processEvents()


def _zoom_checks(canvas, events_dock, ids):
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    far = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4490"), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance()
    ).transform(QgsPointXY(LON + 1, LAT + 1))
    canvas.setExtent(QgsRectangle(far.x() - 50000, far.y() - 30000, far.x() + 50000, far.y() + 30000))
    assert canvas.scale() > 100000
    assert events_dock.select_case(ids["b"])
    centre = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:3857"), QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance()
    ).transform(canvas.center())
    assert abs(centre.x() - LON) < 1e-4 and abs(centre.y() - LAT) < 1e-4
    assert canvas.scale() <= events_dock.CASE_SCALE * 1.5
    # a ring stays on the case after the flash
    marker = events_dock._case_marker
    assert marker.isVisible() and marker.center().distance(canvas.center()) < 1e-6 * max(1.0, canvas.scale())
    events_dock.table.clearSelection()
    assert not marker.isVisible()


def test_facts_fit_without_scrolling_in_a_dock_of_a_1600_by_1000_window(qgis_iface, dock, store):  # noqa: F811
    _, _conn, ids = store
    mw = QMainWindow()
    mw.resize(1600, 1000)
    mw.addDockWidget(Qt.RightDockWidgetArea, dock)
    mw.show()
    dock.show()
    mw.resizeDocks([dock], [dock.COMFORTABLE_WIDTH], Qt.Horizontal)
    dock.refresh()
    assert dock.select_case(ids["c"])
    for _ in range(20):
        QApplication.processEvents()
    scroll = dock.card_scroll
    assert scroll.verticalScrollBar().value() == 0
    view = QRect(QPoint(0, 0), scroll.viewport().size())
    for key, label in dock.card.facts.items():
        if not label.isVisibleTo(dock.card):
            continue
        for widget in (label, dock.card.fact_labels[key]):
            top_left = widget.mapTo(scroll.viewport(), QPoint(0, 0))
            rect = QRect(top_left, widget.size())
            assert view.contains(rect), f"{key} is not fully visible ({rect} in {view})"
    assert dock.table.height() >= 8 * dock.table.verticalHeader().defaultSectionSize()
    assert isinstance(dock.card.title, QLabel) and dock.card.title.text()
    mw.removeDockWidget(dock)
    dock.setParent(None)  # the fixture still owns it
    mw.close()
