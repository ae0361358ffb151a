"""The case card's "cameras that see this place" on a real PostGIS: buildings block the view, statuses apart.

The scene is laid out in metres around a case near Tiananmen and stored in EPSG:4490 with a
plain local conversion written here (not the code under test's projection). A building stands
10-20 m east of the case: the camera behind it must not be offered, whatever its range and
bearing say. The same store as a GeoPackage gives the same list (the dock's read-only backend).
"""

from __future__ import annotations

import math

import psycopg2
import pytest
import shapely

from grid_governance_plugin.core.events import board
from tests.helpers import report_event

pytestmark = pytest.mark.postgis

LON, LAT = 116.3975, 39.9087
WALL = shapely.box(10, -10, 20, 10)  # metres east/north of the case
SHED = shapely.box(-12, 25, -6, 31)  # north-west, out of every sight line

# name, x, y (m from the case), azimuth, hfov, range, status
CAMERAS = [
    ("south_clear", 0, -30, 0.0, 60.0, 50.0, "online"),
    ("east_behind_wall", 30, 0, 270.0, 60.0, 50.0, "online"),  # faces the case, through the building
    ("east_behind_wall_far", 45, 5, 265.0, 30.0, 80.0, "online"),
    ("on_the_wall", 9.5, 2, 260.0, 60.0, 50.0, "online"),  # on the building's west facade
    ("west_faulty", -25, 0, 90.0, 60.0, 50.0, "faulty"),
    ("north_offline", 0, 40, 180.0, 60.0, 50.0, "offline"),
    ("east_offline_behind_wall", 35, 3, 270.0, 60.0, 50.0, "offline"),
    ("south_planned", 0, -10, 0.0, 60.0, 50.0, "planned"),
    ("looks_away", 0, -20, 180.0, 60.0, 50.0, "online"),
    ("dome_northwest", -20, 20, None, 360.0, 50.0, "online"),
]
EXPECTED = [  # working ones nearest first, then the rest nearest first
    ("on_the_wall", "online"),
    ("dome_northwest", "online"),
    ("south_clear", "online"),
    ("west_faulty", "faulty"),
    ("north_offline", "offline"),
]


def lonlat(x: float, y: float) -> tuple[float, float]:
    """Metres east/north of the case -> CGCS2000 degrees (the ellipsoid's local radii of curvature: ~1 cm at 50 m)."""
    a, f = 6378137.0, 1 / 298.257222101
    e2 = f * (2 - f)
    phi = math.radians(LAT)
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)  # prime vertical radius
    m = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5  # meridian radius
    return LON + math.degrees(x / (n * math.cos(phi))), LAT + math.degrees(y / m)


def _geo(geom) -> str:
    return shapely.transform(geom, lambda xy: [lonlat(x, y) for x, y in xy]).wkt


@pytest.fixture
def case(gridgov_db):
    """The case id; the cameras and buildings around it."""
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    eid = report_event(conn, "cams-1", lon=LON, lat=LAT)
    with conn.cursor() as cur:
        for b in (WALL, SHED):
            cur.execute(
                "INSERT INTO gridgov.building (kind, geom) VALUES ('building', ST_Multi(ST_GeomFromText(%s, 4490)))",
                (_geo(b),),
            )
        for name, x, y, az, hfov, rng, status in CAMERAS:
            lon, lat = lonlat(x, y)
            cur.execute(
                "INSERT INTO gridgov.camera (name, system, status, azimuth, hfov, range_m, height_m, geom)"
                " VALUES (%s, '雪亮', %s, %s, %s, %s, 6, ST_SetSRID(ST_MakePoint(%s, %s), 4490))",
                (name, status, az, hfov, rng, lon, lat),
            )
    conn.close()
    return eid


def test_the_card_offers_no_camera_behind_a_building(gridgov_db, logins, case):
    sup = logins("supervisor").connect()  # a real supervisor login: what a supervisor's card reads
    try:
        seen = board.cameras_seeing(sup, case)
        # the independent check, on the stored geometry: no listed camera's sight line
        # crosses the inside of a building
        with sup.cursor() as cur:
            cur.execute(
                """SELECT c.name FROM gridgov.camera c, gridgov.event e, gridgov.building b
                   WHERE e.id = %s AND ST_Relate(ST_MakeLine(c.geom, e.geom), b.geom, 'T********')""",
                (case,),
            )
            blocked = {r[0] for r in cur.fetchall()}
    finally:
        sup.close()
    assert blocked == {"east_behind_wall", "east_behind_wall_far", "east_offline_behind_wall"}
    assert not blocked & {c["name"] for c in seen}
    assert [(c["name"], c["status"]) for c in seen] == EXPECTED
    # the statuses are apart: what can give footage first, flagged, with the label a user reads
    assert [c["available"] for c in seen] == [True, True, True, False, False]
    assert [c["status_label"] for c in seen] == ["Online", "Online", "Online", "Faulty", "Offline"]
    south = next(c for c in seen if c["name"] == "south_clear")
    assert south["distance_m"] == pytest.approx(30.0, abs=0.05) and south["bearing"] == pytest.approx(0.0, abs=0.1)
    assert south["system"] == "雪亮"


def test_without_the_building_the_camera_behind_it_is_offered(gridgov_db, case):
    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("DELETE FROM gridgov.building")
        names = [c["name"] for c in board.cameras_seeing(conn, case)]
    finally:
        conn.close()
    assert "east_behind_wall" in names and "east_behind_wall_far" in names


def test_the_geopackage_store_gives_the_same_list(qgis_app, gridgov_db, case, tmp_path):
    """The dock's read-only GeoPackage backend (LayerCases) reads the same store the same way."""
    from qgis.core import QgsVectorLayer

    from grid_governance_plugin.core.store import gpkg
    from grid_governance_plugin.gui.events_dock import LayerCases

    path = tmp_path / "store.gpkg"
    gpkg.create_store(path)
    conn = psycopg2.connect(gridgov_db)
    with conn.cursor() as cur:
        cur.execute("SELECT id::text, source, external_id, category_code, status, ST_AsBinary(geom) FROM gridgov.event")
        ev = cur.fetchall()
        cur.execute(
            "SELECT id, name, system, status, azimuth, hfov, range_m, height_m, ST_AsBinary(geom) FROM gridgov.camera"
        )
        cams = cur.fetchall()
        cur.execute("SELECT id, kind, ST_AsBinary(geom) FROM gridgov.building")
        blds = cur.fetchall()
    conn.close()
    gpkg.write_layer(
        path,
        "event",
        [shapely.from_wkb(bytes(r[-1])) for r in ev],
        {k: [r[i] for r in ev] for i, k in enumerate(("id", "source", "external_id", "category_code", "status"))},
    )
    fields = ("id", "name", "system", "status", "azimuth", "hfov", "range_m", "height_m")
    gpkg.write_layer(
        path,
        "camera",
        [shapely.from_wkb(bytes(r[-1])) for r in cams],
        {k: [r[i] for r in cams] for i, k in enumerate(fields)},
    )
    gpkg.write_layer(
        path,
        "building",
        [shapely.from_wkb(bytes(r[-1])) for r in blds],
        {"id": [r[0] for r in blds], "kind": [r[1] for r in blds]},
    )
    layer = QgsVectorLayer(f"{path}|layername=event", "event", "ogr")
    assert layer.isValid()
    seen = LayerCases(layer).cameras(case)
    assert [(c["name"], c["status"], c["available"]) for c in seen] == [
        (name, status, status == "online") for name, status in EXPECTED
    ]


def test_the_case_card_lists_them_apart(qgis_app, gridgov_db, logins, case):
    """The card a supervisor sees: working cameras, then a heading and the faulty and offline ones, greyed."""
    from qgis.PyQt.QtCore import Qt

    from grid_governance_plugin.gui.case_card import CaseCard
    from grid_governance_plugin.gui.events_dock import DbCases

    backend = DbCases(logins("supervisor").dsn)
    card = CaseCard()
    try:
        card.set_backend(backend)
        card.show_case(case)
        items = [card.cameras.item(i) for i in range(card.cameras.count())]
        texts = [i.text() for i in items]
        assert texts == [
            "on_the_wall (雪亮, Online) – 10 m",
            "dome_northwest (雪亮, Online) – 28 m",
            "south_clear (雪亮, Online) – 30 m",
            "Not working now, no footage:",
            "west_faulty (雪亮, Faulty) – 25 m",
            "north_offline (雪亮, Offline) – 40 m",
        ]
        assert items[3].flags() == Qt.NoItemFlags  # a heading, not a camera to pick
        grey = [i.foreground().color().name() == "#999999" for i in items]
        assert grey == [False, False, False, False, True, True]
        assert not any("behind_wall" in t for t in texts)
    finally:
        backend.close()
        card.deleteLater()
