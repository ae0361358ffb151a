-- 004: the field-channel contract (docs/field-channels.md): report_event, coordinate
-- conversion, change notifications and the roles. A public interface: change it only by
-- adding migrations, never by editing this one.

-- ---------------------------------------------------------------------------------------
-- Coordinate systems. GCJ-02 (AMap/Tencent) and BD-09 (Baidu) are the public, widely
-- re-implemented formulas; the inverses are iterative (no closed form exists) and stop
-- when the forward formula reproduces the input to 1e-9 degrees (~0.1 mm).
-- Python mirror: grid_governance_plugin/core/events/coords.py (a test compares both).
-- Functions return ARRAY[lon, lat].
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov.wgs84_to_gcj02(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    a constant double precision := 6378245.0;               -- Krasovsky 1940 semi-major axis
    ee constant double precision := 0.00669342162296594323;  -- its eccentricity squared
    p constant double precision := pi();
    x double precision := lon - 105.0;
    y double precision := lat - 35.0;
    dlat double precision;
    dlon double precision;
    radlat double precision;
    magic double precision;
    sqrtmagic double precision;
BEGIN
    -- outside China the offset is not applied (same box as every public implementation)
    IF lon < 72.004 OR lon > 137.8347 OR lat < 0.8293 OR lat > 55.8271 THEN
        RETURN ARRAY[lon, lat];
    END IF;
    dlat := -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
          + (20.0 * sin(6.0 * x * p) + 20.0 * sin(2.0 * x * p)) * 2.0 / 3.0
          + (20.0 * sin(y * p) + 40.0 * sin(y / 3.0 * p)) * 2.0 / 3.0
          + (160.0 * sin(y / 12.0 * p) + 320.0 * sin(y * p / 30.0)) * 2.0 / 3.0;
    dlon := 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
          + (20.0 * sin(6.0 * x * p) + 20.0 * sin(2.0 * x * p)) * 2.0 / 3.0
          + (20.0 * sin(x * p) + 40.0 * sin(x / 3.0 * p)) * 2.0 / 3.0
          + (150.0 * sin(x / 12.0 * p) + 300.0 * sin(x / 30.0 * p)) * 2.0 / 3.0;
    radlat := lat / 180.0 * p;
    magic := 1.0 - ee * sin(radlat) * sin(radlat);
    sqrtmagic := sqrt(magic);
    dlat := (dlat * 180.0) / ((a * (1.0 - ee)) / (magic * sqrtmagic) * p);
    dlon := (dlon * 180.0) / (a / sqrtmagic * cos(radlat) * p);
    RETURN ARRAY[lon + dlon, lat + dlat];
END
$$;

CREATE FUNCTION gridgov.gcj02_to_wgs84(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    w double precision[] := ARRAY[lon, lat];
    g double precision[];
    dx double precision;
    dy double precision;
BEGIN
    -- fixed point: the offset varies slowly, so each step gains ~2 digits (3-5 steps)
    FOR i IN 1..30 LOOP
        g := gridgov.wgs84_to_gcj02(w[1], w[2]);
        dx := g[1] - lon;
        dy := g[2] - lat;
        EXIT WHEN abs(dx) < 1e-9 AND abs(dy) < 1e-9;
        w := ARRAY[w[1] - dx, w[2] - dy];
    END LOOP;
    RETURN w;
END
$$;

CREATE FUNCTION gridgov.gcj02_to_bd09(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    xpi constant double precision := pi() * 3000.0 / 180.0;
    z double precision := sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * xpi);
    theta double precision := atan2(lat, lon) + 0.000003 * cos(lon * xpi);
BEGIN
    RETURN ARRAY[z * cos(theta) + 0.0065, z * sin(theta) + 0.006];
END
$$;

CREATE FUNCTION gridgov.bd09_to_gcj02(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    xpi constant double precision := pi() * 3000.0 / 180.0;
    x double precision := lon - 0.0065;
    y double precision := lat - 0.006;
    z double precision := sqrt(x * x + y * y) - 0.00002 * sin(y * xpi);
    theta double precision := atan2(y, x) - 0.000003 * cos(x * xpi);
    w double precision[] := ARRAY[z * cos(theta), z * sin(theta)];  -- the usual closed-form approximation
    b double precision[];
    dx double precision;
    dy double precision;
BEGIN
    -- refine: the closed form is off by up to ~1e-6 degrees; iterate on the exact forward formula
    FOR i IN 1..30 LOOP
        b := gridgov.gcj02_to_bd09(w[1], w[2]);
        dx := b[1] - lon;
        dy := b[2] - lat;
        EXIT WHEN abs(dx) < 1e-9 AND abs(dy) < 1e-9;
        w := ARRAY[w[1] - dx, w[2] - dy];
    END LOOP;
    RETURN w;
END
$$;

CREATE FUNCTION gridgov.bd09_to_wgs84(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT gridgov.gcj02_to_wgs84(g[1], g[2]) FROM (SELECT gridgov.bd09_to_gcj02(lon, lat) AS g) s
$$;

-- Any supported system to WGS84/CGCS2000. CGCS2000 and WGS84 differ by centimetres (both
-- ITRF-based), far below a phone's GPS error: both are stored as given.
CREATE FUNCTION gridgov.to_wgs84(lon double precision, lat double precision, coord_sys text)
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    CASE lower(coord_sys)
        WHEN 'wgs84', 'cgcs2000' THEN RETURN ARRAY[lon, lat];
        WHEN 'gcj02' THEN RETURN gridgov.gcj02_to_wgs84(lon, lat);
        WHEN 'bd09' THEN RETURN gridgov.bd09_to_wgs84(lon, lat);
        ELSE
            RAISE EXCEPTION 'report_event: unknown coord_sys % (use wgs84, cgcs2000, gcj02 or bd09)',
                quote_literal(coalesce(coord_sys, 'NULL')) USING ERRCODE = 'invalid_parameter_value', COLUMN = 'coord_sys';
    END CASE;
END
$$;

-- ---------------------------------------------------------------------------------------
-- The served area: within ~5 km (0.05 degrees) of the bounding box of a city polygon; if no
-- city has a geometry, of a district polygon; if none, China's bounding box (73.4-135.1 E,
-- 3.8-53.6 N). Bounding boxes, not exact polygons: a report across the river from the
-- boundary is kept (it gets no grid), and the check reads only index-sized box headers.
-- ---------------------------------------------------------------------------------------
-- Internal to report_event (runs with its search_path; no SET clause: it is on the hot path).
CREATE FUNCTION gridgov.in_served_area(pt geometry) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
    box geometry := ST_Expand(pt, 0.05);
    hit boolean;
BEGIN
    SELECT bool_or(c.geom && box) INTO hit FROM gridgov.city c WHERE c.geom IS NOT NULL;
    IF hit IS NOT NULL THEN
        RETURN hit;
    END IF;
    SELECT bool_or(d.geom && box) INTO hit FROM gridgov.district d WHERE d.geom IS NOT NULL;
    IF hit IS NOT NULL THEN
        RETURN hit;
    END IF;
    RETURN ST_X(pt) BETWEEN 73.4 AND 135.1 AND ST_Y(pt) BETWEEN 3.8 AND 53.6;
END
$$;

-- ---------------------------------------------------------------------------------------
-- report_event: the one thing a field channel may do.
-- SECURITY DEFINER with a fixed search_path (set below to the PostGIS schema): the channel
-- needs no table privilege and cannot redirect names. Parameters are data, never SQL.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov.report_event(
    source text, external_id text, category text, reported_at timestamptz,
    lon double precision, lat double precision, coord_sys text DEFAULT 'wgs84',
    description text DEFAULT NULL, reporter text DEFAULT NULL, media_url text DEFAULT NULL)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_id uuid;
    cat record;
    w double precision[];
    pt geometry;
    g record;
BEGIN
    -- 1. required arguments and lengths (cheap, before any lookup)
    IF report_event.source IS NULL OR report_event.source = '' THEN
        RAISE EXCEPTION 'report_event: source is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'source';
    ELSIF report_event.external_id IS NULL OR report_event.external_id = '' THEN
        RAISE EXCEPTION 'report_event: external_id is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'external_id';
    ELSIF report_event.category IS NULL THEN
        RAISE EXCEPTION 'report_event: category is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'category';
    ELSIF report_event.reported_at IS NULL THEN
        RAISE EXCEPTION 'report_event: reported_at is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'reported_at';
    ELSIF report_event.lon IS NULL THEN
        RAISE EXCEPTION 'report_event: lon is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'lon';
    ELSIF report_event.lat IS NULL THEN
        RAISE EXCEPTION 'report_event: lat is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'lat';
    ELSIF report_event.coord_sys IS NULL THEN
        RAISE EXCEPTION 'report_event: coord_sys is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'coord_sys';
    END IF;
    IF length(report_event.source) > 100 THEN
        RAISE EXCEPTION 'report_event: source is longer than 100 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'source';
    ELSIF length(report_event.external_id) > 100 THEN
        RAISE EXCEPTION 'report_event: external_id is longer than 100 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'external_id';
    ELSIF length(report_event.description) > 2000 THEN
        RAISE EXCEPTION 'report_event: description is longer than 2000 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'description';
    ELSIF length(report_event.reporter) > 200 THEN
        RAISE EXCEPTION 'report_event: reporter is longer than 200 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'reporter';
    ELSIF length(report_event.media_url) > 1000 THEN
        RAISE EXCEPTION 'report_event: media_url is longer than 1000 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'media_url';
    END IF;

    -- 2. a retry: the first accepted report wins, the same id comes back, nothing changes
    SELECT e.id INTO v_id FROM gridgov.event e
    WHERE e.source = report_event.source AND e.external_id = report_event.external_id;
    IF FOUND THEN
        RETURN v_id;
    END IF;

    -- 3. validation against the store
    SELECT c.department, c.level, c.register_hours INTO cat FROM gridgov.event_category c WHERE c.code = report_event.category;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'report_event: unknown category %', quote_literal(report_event.category)
            USING ERRCODE = 'foreign_key_violation', COLUMN = 'category',
                  HINT = 'categories are the codes of gridgov.event_category (the responsibility list)';
    END IF;
    IF report_event.reported_at > now() + interval '5 minutes' THEN  -- 5 min: phone clock skew
        RAISE EXCEPTION 'report_event: reported_at % is in the future (server time %)', report_event.reported_at, now()
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'reported_at';
    END IF;
    -- NaN and infinities fail BETWEEN too
    IF NOT (report_event.lon BETWEEN -180 AND 180) OR NOT (report_event.lat BETWEEN -90 AND 90) THEN
        RAISE EXCEPTION 'report_event: lon/lat (%, %) are not valid degrees', report_event.lon, report_event.lat
            USING ERRCODE = 'numeric_value_out_of_range', COLUMN = 'lon';
    END IF;
    w := gridgov.to_wgs84(report_event.lon, report_event.lat, report_event.coord_sys);
    pt := ST_SetSRID(ST_MakePoint(w[1], w[2]), 4490);
    IF NOT gridgov.in_served_area(pt) THEN
        RAISE EXCEPTION 'report_event: lon/lat (%, %) [%] are outside the served area', report_event.lon,
            report_event.lat, report_event.coord_sys USING ERRCODE = 'numeric_value_out_of_range', COLUMN = 'lon',
            HINT = 'the served area is the extent of gridgov.city (else gridgov.district) geometries, else China';
    END IF;

    -- 4. the published plan's grid covering the point (draft and archived plans never count)
    SELECT gr.grid_code, gr.community_code, gr.street_code, gr.worker_id INTO g
    FROM gridgov.grid gr
    WHERE gr.plan_id = (SELECT p.plan_id FROM gridgov.grid_plan p WHERE p.status = 'published')
      AND ST_Intersects(gr.geom, pt)
    ORDER BY gr.id LIMIT 1;  -- on a shared edge: the lowest id, as publish_plan (005) does
    IF NOT FOUND THEN  -- no grid yet: the community polygon still names community and street
        SELECT NULL::text AS grid_code, cm.code AS community_code, cm.street_code, NULL::text AS worker_id INTO g
        FROM gridgov.community cm WHERE ST_Intersects(cm.geom, pt) ORDER BY cm.code LIMIT 1;
    END IF;

    -- 5. insert; a concurrent retry of the same key waits on the unique index and then does nothing
    INSERT INTO gridgov.event (source, external_id, category_code, description, reporter, media_url,
                               reported_at, status, level, department, worker_id, grid_code, community_code,
                               street_code, deadline_at, geom)
    VALUES (report_event.source, report_event.external_id, report_event.category, report_event.description,
            report_event.reporter, report_event.media_url, report_event.reported_at, 'reported', cat.level,
            cat.department, g.worker_id, g.grid_code, g.community_code, g.street_code,
            now() + make_interval(secs => 3600 * cat.register_hours),  -- from receipt: late uploads are not born overdue
            pt)
    ON CONFLICT ON CONSTRAINT event_source_external_id_key DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        SELECT e.id INTO v_id FROM gridgov.event e
        WHERE e.source = report_event.source AND e.external_id = report_event.external_id;
        IF NOT FOUND THEN  -- only under REPEATABLE READ/SERIALIZABLE: the winner is invisible to our snapshot
            RAISE EXCEPTION 'report_event: concurrent report of %/% - retry', report_event.source, report_event.external_id
                USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN v_id;
    END IF;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (v_id, now(), gridgov.current_actor(), NULL, 'reported', 'reported via ' || report_event.source);
    RETURN v_id;
END
$$;

-- Pin report_event's and the geodesic functions' search_path to wherever PostGIS lives.
DO $$
DECLARE
    postgis_schema text := (SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
                            WHERE x.extname = 'postgis');
BEGIN
    IF postgis_schema IS DISTINCT FROM 'public' THEN
        EXECUTE format('ALTER FUNCTION gridgov.report_event(text, text, text, timestamptz, double precision, '
                       'double precision, text, text, text, text) SET search_path = pg_catalog, %I, pg_temp', postgis_schema);
        EXECUTE format('ALTER FUNCTION gridgov.suggest_duplicates(double precision, interval) '
                       'SET search_path = pg_catalog, %I, pg_temp', postgis_schema);
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------
-- Change notifications on channel gridgov_events. The payload is an event id (never row
-- data): clients fetch what they may see by id. One notification per changed row, sent at
-- commit; PostgreSQL folds identical payloads of one transaction into one. A statement that
-- changes more than 50 rows (imports, escalation sweeps) sends one 'since:<timestamp>'
-- marker instead: re-read updated_at >= that timestamp. Deleted rows notify their id too.
-- ---------------------------------------------------------------------------------------
-- One SPI query per statement (this runs on report_event's hot path): each row notifies its
-- id, or, past 50 rows, every row sends the same marker, which PostgreSQL folds into one.
CREATE FUNCTION gridgov.event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gridgov_events',
                      CASE WHEN count(*) OVER () <= 50 THEN id::text
                           ELSE 'since:' || to_char(min(updated_at) OVER () AT TIME ZONE 'UTC',
                                                    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END)
    FROM changed;
    RETURN NULL;
END
$$;
CREATE FUNCTION gridgov.event_notify_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gridgov_events',
                      CASE WHEN count(*) OVER () <= 50 THEN id::text
                           ELSE 'since:' || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END)
    FROM gone;
    RETURN NULL;
END
$$;
-- Transition tables allow one event per trigger, hence three triggers.
CREATE TRIGGER event_notify_insert AFTER INSERT ON gridgov.event
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gridgov.event_notify();
CREATE TRIGGER event_notify_update AFTER UPDATE ON gridgov.event
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gridgov.event_notify();
CREATE TRIGGER event_notify_delete AFTER DELETE ON gridgov.event
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION gridgov.event_notify_delete();

-- ---------------------------------------------------------------------------------------
-- Roles. Roles are cluster-wide (many databases share them), privileges per database:
-- create only if missing, tolerate a concurrent creator, then grant here.
--   gridgov_channel    NOLOGIN group of the channels' login roles: report_event only
--   gridgov_reader     read every gridgov table and the read-only functions
--   gridgov_supervisor reader + transition, assign, merge, escalate, report_event
-- ---------------------------------------------------------------------------------------
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['gridgov_channel', 'gridgov_reader', 'gridgov_supervisor'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database's migration created it meanwhile
            END;
        END IF;
    END LOOP;
    IF NOT pg_has_role('gridgov_supervisor', 'gridgov_reader', 'MEMBER') THEN
        BEGIN
            GRANT gridgov_reader TO gridgov_supervisor;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

REVOKE ALL ON SCHEMA gridgov FROM PUBLIC;
GRANT USAGE ON SCHEMA gridgov TO gridgov_channel, gridgov_reader, gridgov_supervisor;
REVOKE ALL ON ALL TABLES IN SCHEMA gridgov FROM PUBLIC, gridgov_channel;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA gridgov FROM PUBLIC, gridgov_channel;
-- Functions are executable by PUBLIC by default: take that back from every gridgov function.
-- Later migrations adding functions must do the same (a test checks the channel can call
-- report_event and nothing else).
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA gridgov FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA gridgov TO gridgov_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA gridgov GRANT SELECT ON TABLES TO gridgov_reader;

GRANT EXECUTE ON FUNCTION gridgov.report_event(text, text, text, timestamptz, double precision, double precision,
                                               text, text, text, text) TO gridgov_channel, gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.transition(uuid, text, text, text),
                          gridgov.assign(uuid, text, text, text, text),
                          gridgov.merge_events(uuid, uuid[], text, text),
                          gridgov.escalate_overdue(timestamptz) TO gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.suggest_duplicates(double precision, interval),
                          gridgov.case_board_at(timestamptz, interval),
                          gridgov.step_deadline(text, text, timestamptz),
                          gridgov.current_actor(),
                          gridgov.wgs84_to_gcj02(double precision, double precision),
                          gridgov.gcj02_to_wgs84(double precision, double precision),
                          gridgov.gcj02_to_bd09(double precision, double precision),
                          gridgov.bd09_to_gcj02(double precision, double precision),
                          gridgov.bd09_to_wgs84(double precision, double precision),
                          gridgov.to_wgs84(double precision, double precision, text) TO gridgov_reader;
