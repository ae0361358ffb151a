"""The store's layers and fields, shared by PostGIS and the GeoPackage.

PostGIS gets them from the numbered migrations in ``sql/``; the GeoPackage is created
from this spec. A test compares the two so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STORAGE_EPSG = 4490  # CGCS2000 geographic
SCHEMA = "gridgov"

# field kinds: text, int, double, bool, datetime, date, uuid


@dataclass(frozen=True)
class LayerSpec:
    name: str
    geometry: str | None  # OGC type name, None for tables without geometry
    fields: tuple[tuple[str, str], ...]
    # integer serial primary key; in the GeoPackage it becomes the FID column
    fid: str | None = None
    title: str = field(default="", compare=False)

    def field_names(self) -> list[str]:
        return [name for name, _ in self.fields]


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec("city", "MultiPolygon", (("code", "text"), ("name", "text")), title="City"),
    LayerSpec(
        "district",
        "MultiPolygon",
        (("code", "text"), ("name", "text"), ("city_code", "text")),
        title="Districts",
    ),
    LayerSpec(
        "street",
        "MultiPolygon",
        (("code", "text"), ("name", "text"), ("district_code", "text")),
        title="Streets",
    ),
    LayerSpec(
        "community",
        "MultiPolygon",
        (("code", "text"), ("name", "text"), ("street_code", "text")),
        title="Communities",
    ),
    LayerSpec("department", None, (("code", "text"), ("name", "text"), ("level", "text")), title="Departments"),
    LayerSpec(
        "grid_worker",
        None,
        (
            ("worker_id", "text"),
            ("name", "text"),
            ("phone", "text"),
            ("department", "text"),
            ("active", "bool"),
            ("area_code", "text"),  # where the worker works (migration 007): district/street/community code
        ),
        title="Grid workers",
    ),
    LayerSpec(
        "grid_plan",
        None,
        (
            ("plan_id", "int"),
            ("name", "text"),
            ("status", "text"),
            ("based_on", "int"),
            ("created_at", "datetime"),
            ("published_at", "datetime"),
            ("note", "text"),
        ),
        title="Grid plans",
    ),
    LayerSpec(
        "grid",
        "MultiPolygon",
        (
            ("plan_id", "int"),
            ("grid_code", "text"),
            ("name", "text"),
            ("community_code", "text"),
            ("street_code", "text"),
            ("district_code", "text"),
            ("worker_id", "text"),
            ("note", "text"),
        ),
        fid="id",
        title="Grids",
    ),
    LayerSpec(
        "dept_grid",
        "MultiPolygon",
        (("department", "text"), ("code", "text"), ("name", "text")),
        fid="id",
        title="Departmental grids",
    ),
    LayerSpec(
        "building",
        "MultiPolygon",
        (
            ("name", "text"),
            ("kind", "text"),
            ("height_m", "double"),
            ("floors", "int"),
            ("households", "int"),
            ("population", "int"),
        ),
        fid="id",
        title="Buildings",
    ),
    LayerSpec(
        "road",
        "MultiLineString",
        (("name", "text"), ("road_class", "text"), ("width_m", "double")),
        fid="id",
        title="Roads",
    ),
    LayerSpec(
        "camera",
        "Point",
        (
            ("device_id", "text"),
            ("name", "text"),
            ("system", "text"),
            ("status", "text"),
            ("azimuth", "double"),
            ("hfov", "double"),
            ("range_m", "double"),
            ("height_m", "double"),
            ("tilt", "double"),
            ("vfov", "double"),
            ("hres_px", "int"),
            ("grid_code", "text"),
            ("installed_at", "date"),
        ),
        fid="id",
        title="Cameras",
    ),
    LayerSpec(
        "event_category",
        None,
        (
            ("code", "text"),
            ("kind", "text"),
            ("major", "text"),
            ("minor", "text"),
            ("department", "text"),
            ("level", "text"),
            ("register_hours", "double"),
            ("dispatch_hours", "double"),
            ("handle_hours", "double"),
            ("verify_hours", "double"),
            ("time_unit", "text"),  # working_hours, working_days or calendar_hours (issue #12)
        ),
        title="Responsibility list",
    ),
    LayerSpec(
        "event",
        "Point",
        (
            ("id", "uuid"),
            ("source", "text"),
            ("external_id", "text"),
            ("category_code", "text"),
            ("description", "text"),
            ("reporter", "text"),
            ("media_url", "text"),
            ("reported_at", "datetime"),
            ("received_at", "datetime"),
            ("status", "text"),
            ("level", "text"),
            ("department", "text"),
            ("worker_id", "text"),
            ("grid_code", "text"),
            ("community_code", "text"),
            ("street_code", "text"),
            ("deadline_at", "datetime"),
            ("closed_at", "datetime"),
            ("duplicate_of", "uuid"),
            ("updated_at", "datetime"),
            ("grade", "text"),  # simple, ordinary, prominent, major (简易/一般/突出/重大)
            ("escalated_at", "datetime"),  # last escalation to the current level (吹哨报到)
            ("satisfaction", "text"),  # the callback's result: satisfied, basically_satisfied, dissatisfied
            ("satisfaction_at", "datetime"),
        ),
        title="Events",
    ),
    LayerSpec(
        "event_history",
        None,
        (
            ("event_id", "uuid"),
            ("at", "datetime"),
            ("actor", "text"),
            ("from_status", "text"),
            ("to_status", "text"),
            ("note", "text"),
            ("login", "text"),  # the login that made the change, set by the database (migration 007)
            ("media_url", "text"),  # photo of the step (处置/核查)
            ("source_at", "datetime"),  # an upstream change's own time (Open311, a callback)
        ),
        fid="id",
        title="Event history",
    ),
)

# Row versions and UUIDs (migration NNN_versions, issue #11, docs/sync.md): every editable table
# counts its versions; ``base_version`` is what a save states it read (never stored); ``uid``
# keys offline copies (events already have a UUID id).
VERSIONED: tuple[str, ...] = (
    "grid",
    "grid_plan",
    "camera",
    "building",
    "grid_worker",
    "dept_grid",
    "event_category",
    "department",
    "event",
)
VERSION_FIELDS: tuple[str, ...] = ("version", "base_version", "uid")


def _versioned(spec: LayerSpec) -> LayerSpec:
    if spec.name not in VERSIONED:
        return spec
    extra = (("version", "int"), ("base_version", "int")) + ((("uid", "uuid"),) if spec.name != "event" else ())
    return LayerSpec(spec.name, spec.geometry, spec.fields + extra, spec.fid, spec.title)


LAYERS = tuple(_versioned(spec) for spec in LAYERS)
LAYERS_BY_NAME = {spec.name: spec for spec in LAYERS}

# Case states in flow order; 'suspended' (挂账) stops the clock; 'void' (作废) is terminal beside
# 'closed' (结案).
CASE_STATES = ("reported", "registered", "dispatched", "handled", "verified", "suspended", "closed", "void")
CAMERA_STATUSES = ("online", "offline", "faulty", "obstructed", "planned")
