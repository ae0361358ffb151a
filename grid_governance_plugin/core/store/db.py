"""Database connections through QGIS's own PostgreSQL connections.

Credentials never live in our settings or in project files: a connection is named by a
QGIS PostgreSQL connection (which may use an auth configuration or a pg_service name),
and the password is expanded from the auth database only at connect time.
"""

from __future__ import annotations

import psycopg2
from qgis.core import QgsDataSourceUri, QgsProviderRegistry

from ..i18n import tr
from .pgtypes import tolerant_timestamps


class ConnectionError_(RuntimeError):
    """A named connection is unknown or cannot be opened."""


def connection_names() -> list[str]:
    """Names of the PostgreSQL connections defined in QGIS."""
    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    return sorted(md.connections().keys()) if md else []


def uri_for(name: str) -> QgsDataSourceUri:
    """The data source URI of a QGIS PostgreSQL connection, or of ``service=NAME``."""
    if name.startswith("service="):
        uri = QgsDataSourceUri()
        uri.setConnection(name.split("=", 1)[1], "", "", "")
        return uri
    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    try:
        conn = md.findConnection(name) if md else None
    except Exception:  # QgsProviderConnectionException
        conn = None
    if conn is None:
        raise ConnectionError_(tr("There is no PostgreSQL connection named '{0}' in QGIS.", name))
    return QgsDataSourceUri(conn.uri())


def layer_uri(
    ref: str, table: str, geometry: str | None = "geom", key: str | None = None, where: str = ""
) -> QgsDataSourceUri:
    """The URI of gridgov ``table`` for a QGIS layer, from a connection name, ``service=NAME`` or a DSN.

    Without estimated metadata, whatever the connection says: the estimate is the table's
    row count from the planner's statistics, which under row-level security is not what the
    login sees (a street supervisor's layer would claim the whole city's events).
    """
    uri = QgsDataSourceUri(ref) if "=" in ref and not ref.startswith("service=") else uri_for(ref)
    uri.setDataSource("gridgov", table, geometry, where, key or "")
    uri.setUseEstimatedMetadata(False)
    return uri


def dsn_for(name: str) -> str:
    """A libpq connection string for ``name`` with any auth configuration expanded."""
    uri = uri_for(name)
    info = uri.connectionInfo(True)
    if uri.authConfigId() and "password" not in info and "service" not in info:
        raise ConnectionError_(
            tr(
                "The authentication configuration '{0}' of connection '{1}' could not be read.",
                uri.authConfigId(),
                name,
            )
        )
    return info


def connect(name: str, application_name: str = "gridgov-qgis"):
    """Open a psycopg2 connection for the QGIS connection (or ``service=NAME``) ``name``."""
    try:
        conn = psycopg2.connect(dsn_for(name), application_name=application_name, connect_timeout=10)
        return tolerant_timestamps(conn)  # any date the database holds reads (issue #10, finding 4)
    except psycopg2.Error as exc:
        raise ConnectionError_(tr("Cannot connect to '{0}': {1}", name, str(exc).strip())) from exc


def save_connection(name: str, uri: QgsDataSourceUri) -> None:
    """Store a QGIS PostgreSQL connection (used by the settings dialog and tests)."""
    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    conn = md.createConnection(uri.uri(False), {})
    md.saveConnection(conn, name)
