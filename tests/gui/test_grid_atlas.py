"""The per-grid PDF atlas: one page per grid with code, worker and figures."""

from __future__ import annotations

import re

import shapely
from qgis.core import QgsProject

from grid_governance_plugin.gui.atlas import build_atlas_layout, export_atlas
from tests.gui.test_grid_balance import memory
from tests.gui.test_grid_tools import building_layer, grid_layer


def pdf_pages(path) -> int:
    """Distinct page objects (QGIS appends georeferencing as an incremental update that repeats them)."""
    data = open(path, "rb").read()
    objs = re.findall(rb"(\d+)\s+0\s+obj(.*?)endobj", data, re.S)
    return len({num for num, body in objs if re.search(rb"/Type\s*/Page(?![s\w])", body)})


def layers():
    grids = grid_layer([(0, 0, 100, 100), (100, 0, 200, 100), (0, 100, 100, 200)])
    blds = building_layer([((10, 10, 20, 20), 7), ((30, 30, 40, 40), 5), ((110, 10, 120, 20), 11)])
    cams = memory(
        "Point",
        "field=name:string",
        [
            (shapely.Point(500050, 3450050), ("c1",)),
            (shapely.Point(500150, 3450050), ("c2",)),
            (shapely.Point(500160, 3450060), ("c3",)),
        ],
        "cameras",
    )
    workers = memory("None", "field=worker_id:string&field=name:string", [], "workers")
    return grids, blds, cams, workers


def test_atlas_one_pdf_with_a_page_per_grid(qgis_new_project, tmp_path):
    grids, blds, cams, workers = layers()
    QgsProject.instance().addMapLayers([grids, blds, cams, workers])
    layout = build_atlas_layout(grids, blds, cams, workers)
    atlas = layout.atlas()
    assert atlas.updateFeatures() == 3
    # the label texts evaluate per grid
    atlas.beginRender()
    atlas.seekTo(1)
    labels = [i for i in layout.items() if i.__class__.__name__ == "QgsLayoutItemLabel"]
    text = "\n".join(lbl.currentText() for lbl in labels)
    assert "310101001001002" in text and "Households: 11" in text and "Buildings: 1" in text
    assert "Cameras: 2" in text and "W2" in text
    atlas.endRender()
    out = tmp_path / "atlas.pdf"
    ok, msg = export_atlas(layout, str(out))
    assert ok, msg
    assert out.stat().st_size > 1000 and pdf_pages(out) == 3


def test_atlas_per_grid_files(qgis_new_project, tmp_path):
    grids, blds, cams, workers = layers()
    QgsProject.instance().addMapLayers([grids, blds, cams, workers])
    ok, msg = export_atlas(build_atlas_layout(grids, blds, cams), str(tmp_path / "pages"), per_grid=True)
    assert ok, msg
    files = sorted(p.name for p in (tmp_path / "pages").glob("*.pdf"))
    assert files == [f"grid_310101001001{n:03d}.pdf" for n in (1, 2, 3)]
    assert all(pdf_pages(tmp_path / "pages" / f) == 1 for f in files)
