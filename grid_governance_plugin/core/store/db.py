"""Database connections through QGIS's own PostgreSQL connections.

Credentials never live in our settings or in project files: a connection is named by a
QGIS PostgreSQL connection (which may use an auth configuration or a pg_service name),
and the password is expanded from the auth database only at connect time.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

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


def service_files() -> list[Path]:
    """The pg_service files libpq reads, in its order: PGSERVICEFILE (else ~/.pg_service.conf, or
    %APPDATA%/postgresql/.pg_service.conf on Windows), then PGSYSCONFDIR/pg_service.conf."""
    files = []
    if os.environ.get("PGSERVICEFILE"):
        files.append(Path(os.environ["PGSERVICEFILE"]))
    elif os.name == "nt" and os.environ.get("APPDATA"):
        files.append(Path(os.environ["APPDATA"]) / "postgresql" / ".pg_service.conf")
    else:
        files.append(Path.home() / ".pg_service.conf")
    sysconf = os.environ.get("PGSYSCONFDIR")
    for folder in ([sysconf] if sysconf else []) + ["/etc/postgresql-common", "/etc"]:
        files.append(Path(folder) / "pg_service.conf")
    return files


def service_names() -> list[str]:
    """Names of the services of the pg_service files (no settings are read but the names)."""
    names: list[str] = []
    for path in service_files():
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error, UnicodeDecodeError):
            continue  # an unreadable file is libpq's business to report at connect time
        names.extend(s for s in parser.sections() if s not in names)
    return sorted(names)


def describe_connection(name: str) -> str:
    """What a connection reference is, for a user: the service, or the QGIS connection's database."""
    if not name:
        return tr("No database: GeoPackage only")
    if name.startswith("service="):
        return tr("pg_service '{0}'", name.split("=", 1)[1])
    try:
        uri = uri_for(name)
    except ConnectionError_ as exc:
        return str(exc)
    if uri.service():
        return tr("QGIS connection '{0}' (pg_service '{1}')", name, uri.service())
    where = f"{uri.host() or 'localhost'}:{uri.port() or '5432'}/{uri.database()}"
    if uri.authConfigId():
        return tr("QGIS connection '{0}' ({1}, authentication configuration {2})", name, where, uri.authConfigId())
    return tr("QGIS connection '{0}' ({1})", name, where)


def reference_for_layer(layer) -> str:
    """The connection reference of a PostGIS layer: ``service=NAME`` when it reads a service, the
    name of a QGIS connection to the same database, else ''. Never a password."""
    if layer is None or layer.providerType() != "postgres":
        return ""
    uri = QgsDataSourceUri(layer.source())
    if uri.service():
        return f"service={uri.service()}"
    for name in connection_names():
        try:
            other = uri_for(name)
        except ConnectionError_:
            continue
        if (other.host(), other.port() or "5432", other.database()) == (
            uri.host(),
            uri.port() or "5432",
            uri.database(),
        ):
            return name
    return ""


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
