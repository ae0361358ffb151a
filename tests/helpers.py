"""Small helpers shared by the test modules."""

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
    at Tiananmen (inside the test grids), with a fresh idempotency key.
    """
    import uuid
    from datetime import datetime, timedelta, timezone

    import psycopg2

    reported_at = reported_at or datetime.now(timezone.utc) - timedelta(minutes=3)
    args = (source, external_id or uuid.uuid4().hex, category, reported_at, lon, lat, coord_sys)
    args += (description, reporter, media_url)
    sql = "SELECT gridgov.report_event(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)::text"
    if isinstance(target, str):
        conn = psycopg2.connect(target)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql, args)
                return cur.fetchone()[0]
        finally:
            conn.close()
    if hasattr(target, "cursor"):
        with target.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()[0]
    target.execute(sql, args)
    return target.fetchone()[0]
