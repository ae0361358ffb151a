"""Test rig: headless QGIS (pytest-qgis) and a real PostgreSQL/PostGIS server."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Processing's Python package lives with QGIS's core plugins.
for _p in ("/usr/share/qgis/python/plugins", "/usr/share/qgis/python"):
    if _p not in sys.path and os.path.isdir(_p):
        sys.path.append(_p)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "tests" / "artifacts"
REALDATA = ROOT.parent / "shared" / "realdata"
if not REALDATA.exists():  # CI clones next to shared/ as well; fall back to the workplace path
    REALDATA = Path("/work/shared/realdata")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.exists():
        pytest.skip("shared/realdata is not next to the repository")
    return REALDATA


@pytest.fixture(scope="session")
def pg_server():
    """The session's PostgreSQL server, started here and stopped at the end."""
    from tests.pgserver import PgServer

    server = PgServer.start()
    import psycopg2

    conn = psycopg2.connect(server.dsn())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE template_gridgov")
    conn.close()
    tconn = psycopg2.connect(server.dsn("template_gridgov"))
    tconn.autocommit = True
    with tconn.cursor() as cur:
        cur.execute("CREATE EXTENSION postgis")
        cur.execute("CREATE EXTENSION pgcrypto")
    tconn.close()
    yield server
    server.stop()


@pytest.fixture
def fresh_db(pg_server):
    """A new empty database (PostGIS enabled, no gridgov schema); its DSN."""
    import psycopg2

    name = "t_" + uuid.uuid4().hex[:12]
    conn = psycopg2.connect(pg_server.dsn())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} TEMPLATE template_gridgov")
    conn.close()
    yield pg_server.dsn(name)
    # a new connection, so tests that restart the server can use this fixture too
    conn = psycopg2.connect(pg_server.dsn())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        cur.execute(f"DROP DATABASE IF EXISTS {name}")
    conn.close()


@pytest.fixture
def gridgov_db(fresh_db):
    """A database with every gridgov migration applied; its DSN."""
    import psycopg2

    from grid_governance_plugin.core.store import migrations

    conn = psycopg2.connect(fresh_db)
    migrations.migrate(conn)
    conn.close()
    return fresh_db


@pytest.fixture
def db(gridgov_db):
    """An autocommit psycopg2 connection, as the superuser, to a migrated database."""
    import psycopg2

    conn = psycopg2.connect(gridgov_db)
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture
def logins(gridgov_db):
    """Factory of real LOGIN roles in the migrated test database, dropped after the test.

    ``logins("supervisor", areas=["110101001"])``, ``logins("channel", sources=["app"])``.
    """
    from tests.helpers import Logins

    made = Logins(gridgov_db)
    yield made
    made.close()


@pytest.fixture
def pg_service(pg_server, fresh_db, tmp_path, monkeypatch):
    """A pg_service file naming ``fresh_db`` as service 'gridgov_test'; the service name."""
    dbname = fresh_db.rsplit("dbname=", 1)[1]
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(
        f"[gridgov_test]\nhost={pg_server.host}\nport={pg_server.port}\nuser={pg_server.user}\ndbname={dbname}\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    return "gridgov_test"


@pytest.fixture
def map_canvas(qgis_canvas, qgis_new_project):
    """pytest-qgis's hidden canvas in a settled state for map tools: its viewport has had its
    resize event (a hidden canvas otherwise keeps a 98x28 px output size), and no snapping index
    is left over from layers of earlier tests. QgsSnappingUtils keys its indexes by layer
    address, and a new layer can be allocated where a deleted one was: it then snaps to the
    deleted layer's vertices. Set CRS, layers and extent in the test; restored afterwards."""
    from qgis.PyQt.QtCore import QSize

    canvas = qgis_canvas
    old = canvas.viewport().size()
    _resize_viewport(canvas, canvas.size() - QSize(2, 2))
    canvas.snappingUtils().clearAllLocators()
    assert canvas.mapSettings().outputSize() == canvas.viewport().size()
    yield canvas
    if canvas.mapTool() is not None:
        canvas.unsetMapTool(canvas.mapTool())
    canvas.setLayers([])
    canvas.snappingUtils().clearAllLocators()
    _resize_viewport(canvas, old)


def _resize_viewport(canvas, size) -> None:
    from qgis.PyQt.QtGui import QResizeEvent
    from qgis.PyQt.QtWidgets import QApplication

    viewport = canvas.viewport()
    before = viewport.size()
    viewport.resize(size)
    QApplication.sendEvent(viewport, QResizeEvent(size, before))


# The demo project takes a minute or more to build (every analysis of make_demo.py, numba's first
# compile of esda among them). When a selected test needs it, the build starts as soon as the
# tests are collected, in a process of its own, and runs on the other core while the tests
# before the end-to-end ones run; ``demo_project`` waits for it.
_DEMO: dict = {}


def pytest_collection_finish(session):
    if any("demo_project" in getattr(item, "fixturenames", ()) for item in session.items):
        import subprocess
        import tempfile

        out = Path(tempfile.mkdtemp(prefix="gridgov_demo_"))
        log = open(out / "make_demo.log", "w")  # noqa: SIM115 - closed in pytest_sessionfinish
        cmd = [sys.executable, str(ROOT / "scripts" / "make_demo.py"), "--out", str(out), "--no-qgis"]
        _DEMO.update(out=out, log=log, proc=subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))


def pytest_sessionfinish(session):
    proc = _DEMO.get("proc")
    if proc is not None:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _DEMO["log"].close()
        import shutil

        shutil.rmtree(_DEMO["out"], ignore_errors=True)


@pytest.fixture(scope="session")
def demo_project() -> Path:
    """The demo district's project built headless by scripts/make_demo.py (no QGIS window)."""
    proc = _DEMO.get("proc")
    assert proc is not None, "pytest_collection_finish starts the build"
    try:
        code = proc.wait(timeout=1800)
    except Exception:
        proc.kill()
        raise
    log = (_DEMO["out"] / "make_demo.log").read_text(errors="replace")
    assert code == 0, f"make_demo.py failed ({code}):\n{log[-4000:]}"
    return _DEMO["out"] / "demo.qgz"


@pytest.fixture
def chinese(qgis_app):
    """The plugin's zh_CN catalogue (compiled by `make translations`) and Qt's, installed for one test."""
    from grid_governance_plugin.core import translators
    from grid_governance_plugin.core.paths import i18n_dir

    qm = i18n_dir() / "grid_governance_plugin_zh_CN.qm"
    newest = max(p.stat().st_mtime for p in (ROOT / "i18n" / "zh_CN").glob("*.tsv"))
    if not qm.exists() or qm.stat().st_mtime < newest:  # compile a catalogue older than its sources
        import subprocess

        subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile", str(i18n_dir())], check=True)
    installed = translators.install("zh-Hans", i18n_dir())
    yield installed
    translators.remove(installed)
