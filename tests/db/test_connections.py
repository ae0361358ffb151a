"""Connections go through QGIS's PostgreSQL connections: an auth configuration or a pg_service name."""

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri, QgsSettings

from grid_governance_plugin.core.store import db

pytestmark = pytest.mark.postgis


def _auth_config(user: str, password: str) -> str:
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("gridgov-test-master", True)
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName("gridgov test")
    cfg.setConfig("username", user)
    cfg.setConfig("password", password)
    assert manager.storeAuthenticationConfig(cfg)
    return cfg.id()


def test_connection_with_auth_configuration_keeps_the_password_out_of_settings(qgis_app, pg_server, fresh_db):
    authcfg = _auth_config(pg_server.user, "s3cret-not-in-settings")
    dbname = fresh_db.rsplit("dbname=", 1)[1]
    uri = QgsDataSourceUri()
    uri.setConnection(pg_server.host, str(pg_server.port), dbname, "", "", QgsDataSourceUri.SslDisable, authcfg)
    db.save_connection("gridgov auth test", uri)
    assert "gridgov auth test" in db.connection_names()
    # the password is expanded from the auth database only at connect time
    assert "s3cret-not-in-settings" in db.dsn_for("gridgov auth test")
    conn = db.connect("gridgov auth test")
    with conn.cursor() as cur:
        cur.execute("SELECT current_database(), current_user")
        assert cur.fetchone() == (dbname, pg_server.user)
    conn.close()
    settings = QgsSettings()
    stored = {k: settings.value(k) for k in settings.allKeys() if "gridgov auth test" in k}
    assert stored and not any("s3cret" in str(v) for v in stored.values())


def test_pg_service_name_connects(qgis_app, pg_service, fresh_db):
    conn = db.connect(f"service={pg_service}")
    with conn.cursor() as cur:
        cur.execute("SELECT current_database()")
        assert cur.fetchone()[0] == fresh_db.rsplit("dbname=", 1)[1]
    conn.close()


def test_unknown_connection_names_the_connection(qgis_app):
    with pytest.raises(db.ConnectionError_, match="no such connection here"):
        db.connect("no such connection here")
