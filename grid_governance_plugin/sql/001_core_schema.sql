-- 001: the core store. Storage CRS is CGCS2000 geographic (EPSG:4490); analyses
-- reproject to a projected metric CRS (CGCS2000 3-degree Gauss-Kruger zone).
-- Field channels depend on this schema: change it only by adding migrations.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgcrypto;  -- gen_random_uuid() on PostgreSQL < 13 too
CREATE SCHEMA IF NOT EXISTS gridgov;

-- Administrative hierarchy: city -> district -> street (街道) -> community (社区).
-- Codes: district 6 digits (GB/T 2260), street +3, community +3, grid +3.
CREATE TABLE gridgov.city (
    code text PRIMARY KEY,
    name text NOT NULL,
    geom geometry(MultiPolygon, 4490)
);
CREATE TABLE gridgov.district (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name text NOT NULL,
    city_code text REFERENCES gridgov.city(code),
    geom geometry(MultiPolygon, 4490)
);
CREATE TABLE gridgov.street (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
    name text NOT NULL,
    district_code text NOT NULL REFERENCES gridgov.district(code),
    geom geometry(MultiPolygon, 4490)
);
CREATE TABLE gridgov.community (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
    name text NOT NULL,
    street_code text NOT NULL REFERENCES gridgov.street(code),
    geom geometry(MultiPolygon, 4490)
);

CREATE TABLE gridgov.department (
    code text PRIMARY KEY,
    name text NOT NULL,
    level text NOT NULL DEFAULT 'district' CHECK (level IN ('community', 'street', 'district'))
);

CREATE TABLE gridgov.grid_worker (
    worker_id text PRIMARY KEY,
    name text NOT NULL,
    phone text,
    department text,
    active boolean NOT NULL DEFAULT true
);

-- Grid plans: drafts beside the published one; old plans stay readable.
CREATE TABLE gridgov.grid_plan (
    plan_id integer PRIMARY KEY,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    based_on integer REFERENCES gridgov.grid_plan(plan_id),
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    note text
);
-- At most one published plan at a time.
CREATE UNIQUE INDEX grid_plan_one_published ON gridgov.grid_plan ((status)) WHERE status = 'published';

CREATE TABLE gridgov.grid (
    id serial PRIMARY KEY,
    plan_id integer NOT NULL REFERENCES gridgov.grid_plan(plan_id),
    grid_code text NOT NULL,
    name text,
    community_code text,
    street_code text,
    district_code text,
    worker_id text REFERENCES gridgov.grid_worker(worker_id) ON UPDATE CASCADE ON DELETE SET NULL,
    note text,
    geom geometry(MultiPolygon, 4490),
    UNIQUE (plan_id, grid_code)
);

-- Departmental grids (综治, 城管, 党建, 应急, 民政, 环保...) kept for unification.
CREATE TABLE gridgov.dept_grid (
    id serial PRIMARY KEY,
    department text NOT NULL,
    code text NOT NULL,
    name text,
    geom geometry(MultiPolygon, 4490)
);

CREATE TABLE gridgov.building (
    id serial PRIMARY KEY,
    name text,
    kind text NOT NULL DEFAULT 'building',  -- building, wall, other obstacle
    height_m double precision,
    floors integer,
    households integer,
    population integer,
    geom geometry(MultiPolygon, 4490)
);

CREATE TABLE gridgov.road (
    id serial PRIMARY KEY,
    name text,
    road_class text,
    width_m double precision,
    geom geometry(MultiLineString, 4490)
);

CREATE TABLE gridgov.camera (
    id serial PRIMARY KEY,
    device_id text CHECK (device_id IS NULL OR device_id ~ '^[0-9]{20}$'),  -- GB/T 28181
    name text,
    system text,        -- 天网, 雪亮, 数字城管, 交警, 社会自建...
    status text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'faulty', 'obstructed', 'planned')),
    azimuth double precision,   -- degrees clockwise from north
    hfov double precision,      -- horizontal field of view, degrees (360 = dome)
    range_m double precision,
    height_m double precision,  -- mount height above ground
    tilt double precision,      -- degrees below horizontal
    vfov double precision,
    hres_px integer,
    grid_code text,
    installed_at date,
    geom geometry(Point, 4490)
);

-- Responsibility list (权责清单): category -> department, level and deadline per step.
CREATE TABLE gridgov.event_category (
    code text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('component', 'event')),  -- 部件 / 事件
    major text NOT NULL,        -- 大类
    minor text NOT NULL,        -- 小类
    department text NOT NULL,
    level text NOT NULL DEFAULT 'community' CHECK (level IN ('community', 'street', 'district')),
    register_hours double precision NOT NULL DEFAULT 2,   -- 受理/立案
    dispatch_hours double precision NOT NULL DEFAULT 2,   -- 派遣
    handle_hours double precision NOT NULL DEFAULT 24,    -- 处置
    verify_hours double precision NOT NULL DEFAULT 4      -- 核查
);

-- Case states: reported 上报, registered 立案, dispatched 派遣, handled 处置, verified 核查,
-- closed 结案, void 作废. Transitions are enforced by a later migration.
CREATE TABLE gridgov.event (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source text NOT NULL,
    external_id text NOT NULL,
    category_code text NOT NULL REFERENCES gridgov.event_category(code),
    description text,
    reporter text,
    media_url text,
    reported_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'reported'
        CHECK (status IN ('reported', 'registered', 'dispatched', 'handled', 'verified', 'closed', 'void')),
    level text NOT NULL DEFAULT 'community' CHECK (level IN ('community', 'street', 'district')),
    department text,
    worker_id text,
    grid_code text,
    community_code text,
    street_code text,
    deadline_at timestamptz,    -- deadline of the current step
    closed_at timestamptz,
    duplicate_of uuid REFERENCES gridgov.event(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    geom geometry(Point, 4490) NOT NULL,
    UNIQUE (source, external_id)
);

CREATE TABLE gridgov.event_history (
    id bigserial PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES gridgov.event(id),
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL DEFAULT current_user,
    from_status text,
    to_status text NOT NULL,
    note text
);

-- Spatial indexes on every geometry, plus the columns the boards filter on.
CREATE INDEX city_geom_idx ON gridgov.city USING gist (geom);
CREATE INDEX district_geom_idx ON gridgov.district USING gist (geom);
CREATE INDEX street_geom_idx ON gridgov.street USING gist (geom);
CREATE INDEX community_geom_idx ON gridgov.community USING gist (geom);
CREATE INDEX grid_geom_idx ON gridgov.grid USING gist (geom);
CREATE INDEX dept_grid_geom_idx ON gridgov.dept_grid USING gist (geom);
CREATE INDEX building_geom_idx ON gridgov.building USING gist (geom);
CREATE INDEX road_geom_idx ON gridgov.road USING gist (geom);
CREATE INDEX camera_geom_idx ON gridgov.camera USING gist (geom);
CREATE INDEX event_geom_idx ON gridgov.event USING gist (geom);
CREATE INDEX event_reported_at_idx ON gridgov.event (reported_at);
CREATE INDEX event_status_idx ON gridgov.event (status);
CREATE INDEX event_updated_at_idx ON gridgov.event (updated_at);
CREATE INDEX event_history_event_idx ON gridgov.event_history (event_id);
CREATE INDEX grid_plan_idx ON gridgov.grid (plan_id);
