"""Result layers in the project: one layer per kind of result, never an empty one.

A dock that computes a result again replaces its previous layer at the same place in the
layer tree, instead of stacking a second layer of the same name; a result without features is
not added at all (it has no extent, and "Zoom Full" would zoom to the whole world). Every
result layer carries its kind in the custom property ``gridgov/result``, so that role views
(gui/roles.py) and the next run can find it whatever its (translated) name.
"""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsLayerTreeGroup, QgsMapLayer, QgsProject, QgsVectorLayer

from ..core.i18n import N_, tr

RESULT_PROPERTY = "gridgov/result"

# the layer-tree groups results go into (the demo project's groups)
GROUP_EVENTS = N_("Events and cases")
GROUP_COVERAGE = N_("Camera coverage")
GROUP_GRIDS = N_("Grid planning")  # not "Grids": that is the grid layer's name

# groups are found by this custom property first (their names follow the language they were made in)
GROUP_PROPERTY = "gridgov/group"
GROUP_KEYS = {GROUP_EVENTS: "events", GROUP_COVERAGE: "coverage", GROUP_GRIDS: "grids"}

# kind -> (layer name, group, style kind in gui/styles.py); one table for the docks and the demo
RESULT_KINDS: dict[str, tuple[str, str, str]] = {
    "fov": (N_("Fields of view"), GROUP_COVERAGE, "fov"),
    "dori": (N_("DORI bands"), GROUP_COVERAGE, "dori"),
    "coverage": (N_("Coverage"), GROUP_COVERAGE, "coverage"),
    "blind_spots": (N_("Blind spots"), GROUP_COVERAGE, "blind_spots"),
    "grid_coverage": (N_("Coverage by grid"), GROUP_COVERAGE, "coverage_ratio"),
    "suggested_cameras": (N_("Suggested cameras"), GROUP_COVERAGE, "suggested_cameras"),
    "grid_problems": (N_("Grid problems"), GROUP_GRIDS, "grid_problems"),
    "dept_grid_problems": (N_("Problems of the departmental grids"), GROUP_GRIDS, "grid_problems"),
    "grid_stats": (N_("Grid workload"), GROUP_GRIDS, "grid_stats"),
    "unified_grid": (N_("Unified grid (proposal)"), GROUP_GRIDS, "grid"),
    "hotspots": (N_("Hotspots"), GROUP_EVENTS, "hotspots"),
}


def title(kind: str) -> str:
    """The translated layer name of a ``kind`` result."""
    return tr(RESULT_KINDS[kind][0]) if kind in RESULT_KINDS else kind


def group(kind: str) -> str | None:
    return tr(RESULT_KINDS[kind][1]) if kind in RESULT_KINDS else None


def find_group(root: QgsLayerTreeGroup, name: str) -> QgsLayerTreeGroup | None:
    """The group for results named ``name`` (translated): by its gridgov/group key, else by name."""
    key = next((k for source, k in GROUP_KEYS.items() if tr(source) == name), None)
    if key:
        for g in root.findGroups(True):
            if g.customProperty(GROUP_PROPERTY) == key:
                return g
    return root.findGroup(name)


def style(kind: str) -> str:
    return RESULT_KINDS[kind][2] if kind in RESULT_KINDS else kind


def result_kind(layer: QgsMapLayer) -> str:
    """The result kind a layer was added as ('' for a layer that is no gridgov result)."""
    value = layer.customProperty(RESULT_PROPERTY)
    return str(value) if value else ""


def results_of(kind: str, project: QgsProject | None = None) -> list[QgsMapLayer]:
    """The project's ``kind`` results, and layers that show the same (the demo's ``gridgov/kind`` views)."""
    project = project or QgsProject.instance()
    return [
        lyr
        for lyr in project.mapLayers().values()
        if result_kind(lyr) == kind or (not result_kind(lyr) and lyr.customProperty("gridgov/kind") == kind)
    ]


def is_empty(layer: QgsMapLayer) -> bool:
    """Whether the layer would draw nothing and have no extent: no feature with a geometry.

    Does not trust featureCount() alone: OGR reports -1 (unknown) for a GeoPackage table whose
    count it has not stored, and features without geometry count but draw nothing.
    """
    if not layer.isValid():
        return True
    if isinstance(layer, QgsVectorLayer):
        if layer.featureCount() == 0:
            return True
        if not layer.isSpatial():
            return False  # a table: nothing to draw, but not empty
        request = QgsFeatureRequest().setNoAttributes()
        return not any(f.hasGeometry() and not f.geometry().isEmpty() for f in layer.getFeatures(request))
    extent = layer.extent()
    return extent.isNull() or not extent.isFinite()


def in_project(layer: QgsMapLayer | None, project: QgsProject | None = None) -> bool:
    project = project or QgsProject.instance()
    return layer is not None and project.mapLayer(layer.id()) is not None


def add_result(
    layer: QgsMapLayer,
    kind: str,
    group_name: str | None = None,
    project: QgsProject | None = None,
    extra_layers: list[QgsMapLayer] | None = None,
    visible: bool | None = True,
) -> bool:
    """Put ``layer`` into the project as the ``kind`` result; False (not added) when it is empty.

    The previous ``kind`` result is removed and the new one takes its place in the tree; a first
    result goes on top of the group named ``group_name`` when there is one, else on top.
    ``visible``: shown (what the user asked for), hidden, or None: as the layer it replaces was
    (a by-product keeps the role view's choice), shown when it replaces none.
    """
    project = project or QgsProject.instance()
    if is_empty(layer):
        return False
    layer.setCustomProperty(RESULT_PROPERTY, kind)
    root = project.layerTreeRoot()
    parent: QgsLayerTreeGroup | None = None
    index = 0
    old = [lyr for lyr in results_of(kind, project) if lyr.id() != layer.id()]
    was_visible = None
    for lyr in old:
        node = root.findLayer(lyr.id())
        if node is not None and parent is None:
            parent = node.parent()
            index = parent.children().index(node)
            was_visible = node.itemVisibilityChecked()
    if parent is None and group_name:
        parent = find_group(root, group_name)
    if parent is None:
        parent = root
    project.addMapLayer(layer, False)
    node = parent.insertLayer(index, layer)
    show = visible if visible is not None else (was_visible if was_visible is not None else True)
    node.setItemVisibilityChecked(show)
    if show:
        parent.setItemVisibilityChecked(True)  # a shown result in a switched-off group would stay hidden
    for extra in extra_layers or []:
        extra.setCustomProperty(RESULT_PROPERTY, kind + "_extra")
        project.addMapLayer(extra, False)
        parent.insertLayer(index + 1, extra)
    for lyr in old + results_of(kind + "_extra", project):
        if extra_layers and lyr in extra_layers:
            continue
        project.removeMapLayer(lyr.id())
    from . import roles  # (imports this module)

    roles.reorder(project)  # in the role's drawing order: points stay above new polygons
    return True
