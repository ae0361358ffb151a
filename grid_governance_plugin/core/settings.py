"""Plugin settings in QgsSettings under the plugin's own keys.

Only names are stored: the QGIS PostgreSQL connection to use (whose credentials live
in QGIS's auth database or a pg_service file) and which layer plays which role.
"""

from __future__ import annotations

from qgis.core import QgsSettings

PREFIX = "grid_governance_plugin"
ROLES = ("grids", "communities", "buildings", "roads", "cameras", "events", "target")


def _key(name: str) -> str:
    return f"{PREFIX}/{name}"


def connection_name() -> str:
    return QgsSettings().value(_key("connection"), "", type=str)


def set_connection_name(name: str) -> None:
    QgsSettings().setValue(_key("connection"), name)


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
