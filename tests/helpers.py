"""Small helpers shared by the test modules."""

import uuid
from dataclasses import dataclass

import psycopg2
from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject


class RecordingFeedback(QgsProcessingFeedback):
    """Processing feedback that keeps what an algorithm reported, for assertions."""

    def __init__(self):
        super().__init__()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.infos: list[str] = []

    def reportError(self, error, fatalError=False):  # noqa: N802 - Qt API
        self.errors.append(error)

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)


def wait_until(predicate, timeout: float = 60.0) -> bool:
    """Process Qt events until ``predicate()`` holds or ``timeout`` seconds have passed; its last value.

    The deadline is generous on purpose: eight test sessions may share two cores, and a test
    waits on a condition, never on time. How fast something happens is measured in bench/.
    """
    import time

    from qgis.core import QgsApplication

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QgsApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.002)
    QgsApplication.processEvents()
    return bool(predicate())


def run_alg(alg_class, params, expect_ok=True):
    """Run an algorithm class directly (no provider needed); results, output layers by key, feedback."""
    alg = alg_class().create()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = RecordingFeedback()
    results, ok = alg.run(params, context, feedback)
    assert ok == expect_ok, feedback.errors
    layers = {}
    for key, value in (results or {}).items():
        if isinstance(value, str):
            layer = context.takeResultLayer(value)
            if layer is not None:
                layers[key] = layer
    return results, layers, feedback


def memory_layer(kind, geoms, crs, fields="", attrs=None, name=None, source_crs=None, offset=(0.0, 0.0)):
    """A memory layer of shapely ``geoms`` (translated by ``offset``, drawn in ``source_crs`` and
    transformed to ``crs`` when they differ); ``fields`` like "a:string&field=b:integer"."""
    import shapely.affinity
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsVectorLayer

    from grid_governance_plugin.core.store.qgsio import to_qgs

    fields = fields.removeprefix("field=")
    layer = QgsVectorLayer(f"{kind}?crs={crs}" + (f"&field={fields}" if fields else ""), name or kind, "memory")
    transform = None
    if source_crs and source_crs != crs:
        transform = QgsCoordinateTransform(
            QgsCoordinateReferenceSystem(source_crs), QgsCoordinateReferenceSystem(crs), QgsProject.instance()
        )
    feats = []
    for i, g in enumerate(geoms):
        f = QgsFeature(layer.fields())
        qg = to_qgs(shapely.affinity.translate(g, *offset) if any(offset) else g)
        if transform is not None:
            qg.transform(transform)
        f.setGeometry(qg)
        if attrs is not None:
            f.setAttributes(list(attrs[i]))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


CHANNEL_LOGIN = "gridgov_test_channel"  # the channel login tests report through (cluster-wide, LOGIN)


def _as_channel(cur) -> str | None:
    """Prepare ``cur``'s database so that CHANNEL_LOGIN may report; the SET for the statement.

    Only a superuser's connection can become the channel (SET SESSION AUTHORIZATION): then the
    report goes through the same checks as a real channel's (source registered for the login,
    history with its login). Any other connection (a channel or supervisor login of a test,
    a database before migration 007) calls report_event as itself.
    """
    cur.execute(
        "SELECT r.rolsuper, to_regprocedure('gridgov.register_channel(name, text)') IS NOT NULL"
        " FROM pg_roles r WHERE r.rolname = session_user"
    )
    superuser, has_channels = cur.fetchone()
    if not (superuser and has_channels):
        return None
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (CHANNEL_LOGIN,))
    if cur.fetchone() is None:
        cur.execute(f"CREATE ROLE {CHANNEL_LOGIN} LOGIN IN ROLE gridgov_channel")
    return f"SET LOCAL SESSION AUTHORIZATION {CHANNEL_LOGIN}"


def report_event(
    target,
    external_id=None,
    category="SJ0102",
    lon=116.3975,
    lat=39.9087,
    *,
    reported_at=None,
    source="test",
    coord_sys="wgs84",
    description=None,
    reporter=None,
    media_url=None,
):
    """One call of gridgov.report_event, the field-channel entry point; the event id as text.

    ``target`` is a cursor, a connection or a DSN. By default the report is three minutes old,
    at Tiananmen (inside the test grids), with a fresh idempotency key. From a superuser's
    connection the report is made by the channel login CHANNEL_LOGIN, with ``source``
    registered for it (gridgov.register_channel), as a field channel makes it.
    """
    import uuid
    from datetime import datetime, timedelta, timezone

    import psycopg2

    reported_at = reported_at or datetime.now(timezone.utc) - timedelta(minutes=3)
    args = (source, external_id or uuid.uuid4().hex, category, reported_at, lon, lat, coord_sys)
    args += (description, reporter, media_url)
    sql = "SELECT gridgov.report_event(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)::text"

    def call(cur, autocommit: bool):
        become = _as_channel(cur)
        if become is None:
            cur.execute(sql, args)
            return cur.fetchone()[0]
        cur.execute("SELECT gridgov.register_channel(%s, %s)", (CHANNEL_LOGIN, source))
        if autocommit:  # one query string: SET LOCAL holds for the statements after it in it
            cur.execute(f"{become}; {sql}", args)
            return cur.fetchone()[0]
        cur.execute(become)
        cur.execute(sql, args)
        eid = cur.fetchone()[0]
        cur.execute("SET LOCAL SESSION AUTHORIZATION DEFAULT")
        return eid

    if isinstance(target, str):
        conn = psycopg2.connect(target)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                return call(cur, True)
        finally:
            conn.close()
    if hasattr(target, "cursor"):
        with target.cursor() as cur:
            return call(cur, target.autocommit)
    return call(target, target.connection.autocommit)


# --------------------------------------------------------------------------- real logins
# One LOGIN role per person or channel, as a city has them (docs/roles.md); roles are
# cluster-wide, so each test drops the ones it made (the ``logins`` fixture of conftest.py).
@dataclass
class Login:
    """A LOGIN role of a test, in one database."""

    name: str
    dsn: str

    def connect(self, autocommit: bool = True):
        conn = psycopg2.connect(self.dsn)
        conn.autocommit = autocommit
        return conn


def login_dsn(dsn: str, name: str) -> str:
    """``dsn`` (the superuser's, as conftest builds it) for login ``name``."""
    assert "user=postgres" in dsn, dsn
    return dsn.replace("user=postgres", f"user={name}")


class Logins:
    """Creates LOGIN roles in gridgov group roles; drops them at the end (roles are cluster-wide)."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.names: list[str] = []
        self.admin = psycopg2.connect(dsn)
        self.admin.autocommit = True

    def __call__(
        self,
        *roles: str,
        areas: tuple[str, ...] | list[str] = ("*",),
        sources: tuple[str, ...] | list[str] = (),
        name: str | None = None,
        limits: bool = False,
    ) -> Login:
        """A login in ``gridgov_<role>`` for each role, with ``areas`` (people) and ``sources`` (channels)."""
        name = name or f"t_{'_'.join(roles)}_{uuid.uuid4().hex[:8]}"
        groups = ", ".join(f"gridgov_{r}" for r in roles)
        with self.admin.cursor() as cur:
            cur.execute(f"CREATE ROLE {name} LOGIN IN ROLE {groups}")
            self.names.append(name)
            if roles != ("channel",):
                for area in areas:
                    cur.execute("SELECT gridgov.grant_area(%s, %s)", (name, area))
            for source in sources:
                cur.execute("SELECT gridgov.register_channel(%s, %s)", (name, source))
            if limits:
                cur.execute("SELECT gridgov._apply_login_limits(%s)", (name,))
        return Login(name, login_dsn(self.dsn, name))

    def close(self) -> None:
        with self.admin.cursor() as cur:
            for name in self.names:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
                cur.execute(f"DROP OWNED BY {name}")
                cur.execute(f"DROP ROLE {name}")
        self.admin.close()


def map_event(canvas, kind, point, button=None, buttons=None, modifiers=None):
    """A mouse event on ``canvas`` at ``point`` (map CRS), digitised in map units.

    The event's map point is ``point`` itself, not the centre of the pixel it falls in, so what a
    tool reads from ``mapPoint()`` does not depend on the canvas's size and extent at that moment.
    ``button`` defaults to none for a move and to the left button otherwise; ``buttons`` (held
    during the event) to ``button`` for a press and to none otherwise.
    """
    from qgis.core import QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    point = QgsPointXY(point)
    if button is None:
        button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
    if buttons is None:
        buttons = button if kind == QEvent.MouseButtonPress else Qt.NoButton
    px = canvas.getCoordinateTransform().transform(point)
    event = QgsMapMouseEvent(
        canvas, kind, QPoint(round(px.x()), round(px.y())), button, buttons, modifiers or Qt.NoModifier
    )
    event.setMapPoint(point)
    return event


def gated_listener():
    """(an EventListener subclass, its gate): once disconnected, the listener reconnects only
    after the test opens the gate (``gate.set()``). What a test writes "while the listener is
    away" is then written while it is away, however long a busy machine takes to write it."""
    import threading

    from grid_governance_plugin.core.events.live import EventListener

    gate = threading.Event()

    class GatedListener(EventListener):
        def _wait(self, seconds: float) -> None:
            super()._wait(seconds)
            while not gate.is_set() and not self._stop.is_set():
                gate.wait(0.05)

    return GatedListener, gate


def set_deadline(target, event_id: str, deadline) -> None:
    """Put a case's deadline where a test needs it (as the owner: people move deadlines only
    through transitions, escalation and extensions, docs/roles.md).

    ``target`` is a cursor or a connection of the superuser.
    """
    cur = target.cursor() if hasattr(target, "cursor") else target
    sql = "UPDATE gridgov.event SET deadline_at = %s WHERE id = %s"
    if cur.connection.autocommit:  # one query string: SET LOCAL holds for the statements after it in it
        cur.execute(f"SET LOCAL ROLE gridgov_owner; {sql}", (deadline, str(event_id)))
    else:
        cur.execute("SET LOCAL ROLE gridgov_owner")
        cur.execute(sql, (deadline, str(event_id)))
        cur.execute("RESET ROLE")
