"""A map each role can read: which layers a planner, an analyst and a supervisor see, in which order.

One project serves three jobs, and a map that shows everything serves none (red blind spots
under a red heatmap, choropleths over choropleths). A role view switches the layers of the
other jobs off and puts the role's own on top; it is also kept as a QGIS map theme named after
the role, so that print layouts and the Layers panel's theme menu can use it.

Layers are recognised by what they are, never by their (translated) names: the store table
they read (gui/styles.table_name), the result kind the docks gave them (gui/results.py), or
the custom property ``gridgov/kind`` (the demo's views of the event table, the live layer).
"""

from __future__ import annotations

from qgis.core import (
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsLayerTreeModel,
    QgsMapLayer,
    QgsMapThemeCollection,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import QAction, QActionGroup, QComboBox, QMenu

from ..core.i18n import N_, tr
from . import results, styles

KIND_PROPERTY = "gridgov/kind"
SETTINGS_KEY = "gridgov/role"

ROLES = {
    "planner": N_("Planner"),
    "analyst": N_("Camera analyst"),
    "supervisor": N_("Supervisor"),
}
THEMES = {
    "planner": N_("Planner view"),
    "analyst": N_("Camera analyst view"),
    "supervisor": N_("Supervisor view"),
}
# the dock each role works in (plugin.py's keys)
ROLE_DOCKS = {"planner": "grids", "analyst": "coverage", "supervisor": "events"}
# each role's drawing order, top to bottom; kinds it does not name follow in GLOBAL_ORDER's order
ROLE_ORDER: dict[str, tuple[str, ...]] = {
    "planner": (
        "grid_problems",
        "dept_grid_problems",
        "grid",
        "unified_grid",
        "grid_stats",
        "dept_grid",
        "community",
        "street",
        "district",
        "building",
        "road",
        "street_space",
    ),
    "analyst": (
        "suggested_cameras",
        "camera",
        "blind_spots",
        "dori",
        "fov",
        "coverage",
        "grid_coverage",
        "grid",
        "community",
        "street",
        "building",
        "road",
        "street_space",
    ),
    "supervisor": (
        "playback",
        "live_events",
        "open_cases",
        "events",
        "heatmap",
        "heatmap_extra",
        "hotspots",
        "grid",
        "community",
        "street",
        "building",
        "road",
        "street_space",
    ),
}
# what each role sees; every other layer is switched off (a result the user computes is shown anyway)
ROLE_VIEWS: dict[str, tuple[str, ...]] = {
    role: tuple(k for k in order if k not in hidden)
    for role, order, hidden in (
        ("planner", ROLE_ORDER["planner"], {"unified_grid", "dept_grid"}),
        ("analyst", ROLE_ORDER["analyst"], {"dori", "fov", "grid_coverage"}),
        ("supervisor", ROLE_ORDER["supervisor"], {"events", "hotspots"}),
    )
}
# points over lines over polygons over the base map
GLOBAL_ORDER = (
    "playback",
    "live_events",
    "open_cases",
    "events",
    "suggested_cameras",
    "camera",
    "grid_problems",
    "dept_grid_problems",
    "blind_spots",
    "dori",
    "fov",
    "coverage",
    "grid_coverage",
    "hotspots",
    "heatmap",
    "heatmap_extra",
    "grid",
    "unified_grid",
    "grid_stats",
    "dept_grid",
    "community",
    "street",
    "district",
    "building",
    "road",
    "street_space",
)
LAST = 10_000


def ranks(role: str) -> dict[str, int]:
    """Drawing rank of every kind in ``role``'s view (smaller is higher)."""
    order = ROLE_ORDER[role]
    out = {kind: i for i, kind in enumerate(order)}
    for i, kind in enumerate(GLOBAL_ORDER):
        out.setdefault(kind, len(order) + i)
    return out


def current_role(project: QgsProject | None = None) -> str | None:
    role = (project or QgsProject.instance()).customVariables().get("gridgov_role")
    return role if role in ROLE_ORDER else None


def reorder(project: QgsProject | None = None) -> None:
    """Put the layers back in the current role's drawing order (after a result was added)."""
    project = project or QgsProject.instance()
    role = current_role(project)
    if role:
        _sort(project.layerTreeRoot(), ranks(role))


def layer_kind(layer: QgsMapLayer) -> str:
    """What a layer is to the plugin: a result kind, a demo view kind, or its store table."""
    kind = results.result_kind(layer)
    if kind:
        return kind
    kind = layer.customProperty(KIND_PROPERTY)
    if kind:
        return str(kind)
    if layer.customProperty("gridgov/heatmap_window"):
        return "heatmap"
    if not isinstance(layer, QgsVectorLayer):
        return ""
    table = styles.table_name(layer)
    if table == "event":
        if layer.renderer() is not None and layer.renderer().type() == "heatmapRenderer":
            return "heatmap"
        return "open_cases" if "status" in layer.subsetString() else "events"
    return table


def _rank(node, rank_of: dict[str, int]) -> int:
    if isinstance(node, QgsLayerTreeLayer):
        layer = node.layer()
        return rank_of.get(layer_kind(layer), LAST) if layer is not None else LAST
    if isinstance(node, QgsLayerTreeGroup):
        return min((_rank(child, rank_of) for child in node.children()), default=LAST)
    return LAST


def _sort(group: QgsLayerTreeGroup, rank_of: dict[str, int]) -> None:
    """Order ``group``'s children by rank (stable), deepest groups first."""
    for child in list(group.children()):
        if isinstance(child, QgsLayerTreeGroup):
            _sort(child, rank_of)
    children = list(group.children())
    wanted = sorted(children, key=lambda n: _rank(n, rank_of))  # stable: ties keep their order
    for index, node in enumerate(wanted):
        current = group.children()
        if current[index] is node:
            continue
        clone = node.clone()
        group.insertChildNode(index, clone)
        group.removeChildNode(node)
        wanted[index] = clone


def _show(group: QgsLayerTreeGroup, visible_kinds: set[str]) -> bool:
    """Check the layers of ``visible_kinds`` (with features), uncheck the rest; True if any is on."""
    any_on = False
    for child in group.children():
        if isinstance(child, QgsLayerTreeGroup):
            on = _show(child, visible_kinds)
            child.setItemVisibilityChecked(on)
        elif isinstance(child, QgsLayerTreeLayer):
            layer = child.layer()
            on = layer is not None and layer_kind(layer) in visible_kinds and not results.is_empty(layer)
            child.setItemVisibilityChecked(on)
        else:
            continue
        any_on = any_on or on
    return any_on


def apply_view(role: str, project: QgsProject | None = None) -> list[str]:
    """Show ``role``'s layers in its order, hide the others, and keep it as the role's map theme.

    Returns the ids of the layers now visible, top first.
    """
    if role not in ROLE_VIEWS:
        raise KeyError(role)
    project = project or QgsProject.instance()
    root = project.layerTreeRoot()
    root.setHasCustomLayerOrder(False)  # the tree's order is the drawing order
    _sort(root, ranks(role))
    _show(root, set(ROLE_VIEWS[role]))
    model = QgsLayerTreeModel(root)
    record = QgsMapThemeCollection.createThemeFromCurrentState(root, model)
    themes = project.mapThemeCollection()
    name = tr(THEMES[role])
    if themes.hasMapTheme(name):
        themes.update(name, record)
    else:
        themes.insert(name, record)
    project.setCustomVariables({**project.customVariables(), "gridgov_role": role})
    return [n.layerId() for n in root.findLayers() if n.isVisible()]


class RoleSwitcher(QObject):
    """The toolbar's role box and the menu's role entries: choosing a role applies its view."""

    roleApplied = pyqtSignal(str)

    def __init__(self, iface, docks: dict | None = None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.docks = docks or {}
        self.combo = QComboBox()
        self.combo.setObjectName("GridGovRoleBox")
        self.combo.setToolTip(
            tr("The map for a job: which layers are shown and which lie on top (also kept as a map theme).")
        )
        self.combo.addItem(tr("Choose a view…"), None)
        for role, label in ROLES.items():
            self.combo.addItem(tr(label), role)
        self.menu = QMenu(tr("View for"))
        self.menu.setObjectName("GridGovRoleMenu")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.role_actions: dict[str, QAction] = {}
        for role, label in ROLES.items():
            act = QAction(tr(label), self.menu)
            act.setObjectName(f"GridGovRole_{role}")
            act.setCheckable(True)
            act.triggered.connect(lambda _=False, r=role: self.set_role(r))
            group.addAction(act)
            self.menu.addAction(act)
            self.role_actions[role] = act
        saved = QgsSettings().value(SETTINGS_KEY, "", type=str)
        self._sync(saved if saved in ROLES else None)
        self.combo.currentIndexChanged.connect(self._combo_changed)
        QgsProject.instance().readProject.connect(self._project_read)

    def role(self) -> str | None:
        return self.combo.currentData()

    def _sync(self, role: str | None) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(self.combo.findData(role), 0))
        self.combo.blockSignals(False)
        for r, act in self.role_actions.items():
            act.setChecked(r == role)

    def _combo_changed(self, _index: int) -> None:
        role = self.combo.currentData()
        if role:
            self.set_role(role)

    def set_role(self, role: str) -> list[str]:
        """Apply ``role``'s view, open its dock and remember the choice."""
        self._sync(role)
        QgsSettings().setValue(SETTINGS_KEY, role)
        visible = apply_view(role)
        dock = self.docks.get(ROLE_DOCKS.get(role, ""))
        if dock is not None:
            dock.show()
            dock.raise_()
        try:
            self.iface.mapCanvas().refresh()
        except AttributeError:
            pass
        self.roleApplied.emit(role)
        return visible

    def _project_read(self, *_args) -> None:
        # a project opened by a user who chose a role opens in that role's view
        role = self.role()
        project = QgsProject.instance()
        if role and any(layer_kind(lyr) for lyr in project.mapLayers().values()):
            apply_view(role, project)

    def unload(self) -> None:
        try:
            QgsProject.instance().readProject.disconnect(self._project_read)
        except TypeError:
            pass
        self.combo.deleteLater()
        self.menu.deleteLater()
