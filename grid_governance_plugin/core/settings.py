"""Plugin settings in QgsSettings under the plugin's own keys.

Only names are stored: the QGIS PostgreSQL connection to use (whose credentials live
in QGIS's auth database or a pg_service file) and which layer plays which role.
"""

from __future__ import annotations

from qgis.core import QgsProject, QgsSettings

PREFIX = "grid_governance_plugin"
ROLES = ("grids", "communities", "buildings", "roads", "cameras", "events", "target")


def _key(name: str) -> str:
    return f"{PREFIX}/{name}"


def project_connection_name() -> str | None:
    """The connection the open project names (a project built for one database, like the PostGIS
    demo, carries it); None when the project names none."""
    value, found = QgsProject.instance().readEntry(PREFIX, "connection", "")
    return value if found else None


def connection_name() -> str:
    """The connection reference to use: the open project's own, else the user's setting."""
    in_project = project_connection_name()
    if in_project is not None:
        return in_project
    return QgsSettings().value(_key("connection"), "", type=str)


def set_connection_name(name: str, in_project: bool | None = None) -> None:
    """Store the connection for this user; ``in_project`` also (True) or no longer (False) in the
    open project; None keeps a project entry in step when there is one."""
    QgsSettings().setValue(_key("connection"), name)
    project = QgsProject.instance()
    if in_project is None:
        in_project = project_connection_name() is not None
    if in_project:
        project.writeEntry(PREFIX, "connection", name)
    elif project_connection_name() is not None:
        project.removeEntry(PREFIX, "connection")


def layer_for_role(role: str) -> str:
    """Layer id (in the current project) chosen for ``role``, or ''."""
    return QgsSettings().value(_key(f"roles/{role}"), "", type=str)


def set_layer_for_role(role: str, layer_id: str) -> None:
    if role not in ROLES:
        raise ValueError(role)
    QgsSettings().setValue(_key(f"roles/{role}"), layer_id)


def value(name: str, default=None, type_=str):
    return QgsSettings().value(_key(name), default, type=type_)


def set_value(name: str, val) -> None:
    QgsSettings().setValue(_key(name), val)
