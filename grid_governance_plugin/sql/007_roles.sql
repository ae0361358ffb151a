-- gridgov: run as installer
-- 007: a role for each job, access limited to one's area, channels bound to their logins,
-- identities from the login (issue #10). docs/roles.md holds the role x table x operation
-- matrix (a test reads it) and docs/deployment.md the server settings that go with it.
--
-- This migration runs as the installing login (a superuser): it creates cluster-wide roles
-- and hands every object of the schema to gridgov_owner. From section 3 on it runs as
-- gridgov_owner, as every later migration does (core/store/migrations.py). "@postgis@" is
-- replaced by the quoted schema PostGIS lives in.

-- ---------------------------------------------------------------------------------------
-- 1. Group roles. Roles are cluster-wide (many databases share them): create if missing,
--    tolerate a concurrent creator. NOLOGIN all: people and channels log in as their own
--    login roles, members of these.
-- ---------------------------------------------------------------------------------------
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['gridgov_owner', 'gridgov_channel', 'gridgov_worker', 'gridgov_supervisor',
                             'gridgov_analyst', 'gridgov_planner', 'gridgov_admin', 'gridgov_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database's migration created it meanwhile
            END;
        END IF;
    END LOOP;
    -- 004's reader keeps working as what it was meant to be: an analyst (no personal data).
    -- Supervisors stay members of gridgov_reader: databases of the same cluster still at
    -- 005 give their privileges to gridgov_reader only.
    IF NOT pg_has_role('gridgov_reader', 'gridgov_analyst', 'MEMBER') THEN
        BEGIN
            GRANT gridgov_analyst TO gridgov_reader;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;
-- The owner logs in never; it creates logins for admins through gridgov.create_login, which
-- checks what it creates (CREATEROLE on a login would let its holder alter any login).
ALTER ROLE gridgov_owner NOLOGIN NOSUPERUSER CREATEROLE NOBYPASSRLS;

-- ---------------------------------------------------------------------------------------
-- 2. gridgov_owner owns the schema and everything in it (migrations.migrate re-checks this
--    after every migration, so objects of later migrations end up there too).
-- ---------------------------------------------------------------------------------------
ALTER SCHEMA gridgov OWNER TO gridgov_owner;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS obj FROM pg_class c
             WHERE c.relnamespace = 'gridgov'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND c.relowner <> 'gridgov_owner'::regrole LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO gridgov_owner', r.obj);  -- owned sequences follow
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS obj FROM pg_proc p
             WHERE p.pronamespace = 'gridgov'::regnamespace AND p.proowner <> 'gridgov_owner'::regrole LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO gridgov_owner', r.obj);
    END LOOP;
END
$$;
-- 004 gave new tables to gridgov_reader by default, for the role that ran it: a new table
-- may hold personal data, so new tables now get the privileges their migration grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA gridgov REVOKE SELECT ON TABLES FROM gridgov_reader;
-- Functions are executable by PUBLIC by default: never for gridgov_owner's new functions, so
-- that a new function is never callable by a channel by accident. (Only the global form can
-- revoke a built-in default; a per-schema one can only add.)
ALTER DEFAULT PRIVILEGES FOR ROLE gridgov_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE gridgov_owner REVOKE USAGE ON TYPES FROM PUBLIC;

-- The analysts' own schema: analysis outputs (coverage, hot spots) written from QGIS.
CREATE SCHEMA IF NOT EXISTS gridgov_analysis AUTHORIZATION gridgov_owner;
REVOKE ALL ON SCHEMA gridgov_analysis FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA gridgov_analysis TO gridgov_analyst;

SET LOCAL ROLE gridgov_owner;

-- ---------------------------------------------------------------------------------------
-- 3. Identity: who did it is the login (session_user), in a column no caller can set.
--    ``actor`` stays as an optional display name beside it. Rows older than this migration
--    have no login (NULL): nobody knows it any more.
-- ---------------------------------------------------------------------------------------
ALTER TABLE gridgov.event_history ADD COLUMN login text, ADD COLUMN media_url text;
ALTER TABLE gridgov.event_history ADD CONSTRAINT event_history_login_set CHECK (login IS NOT NULL) NOT VALID;
COMMENT ON COLUMN gridgov.event_history.login IS 'the login (session_user) that made the change; set by the database';
COMMENT ON COLUMN gridgov.event_history.actor IS 'display name given by the client (gridgov.actor or an actor argument)';
COMMENT ON COLUMN gridgov.event_history.media_url IS 'photo of the step (处置/核查), http(s) only';

CREATE FUNCTION gridgov.history_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.login := session_user;  -- whatever the caller passed
    IF NEW.media_url IS NOT NULL AND NEW.media_url !~* '^https?://' THEN
        NEW.media_url := NULL;  -- web links only: no file: or javascript: from the field
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER event_history_stamp BEFORE INSERT ON gridgov.event_history
    FOR EACH ROW EXECUTE FUNCTION gridgov.history_stamp();

-- ---------------------------------------------------------------------------------------
-- 4. Areas: a login sees and acts within the union of its areas. An area is a district (6
--    digits), street (9), community (12) or grid (15) code; a code of gridgov.city (or '*')
--    is the whole database. A login with no area sees nothing under row-level security.
-- ---------------------------------------------------------------------------------------
CREATE TABLE gridgov.login_area (
    login text NOT NULL,
    area_code text NOT NULL CHECK (area_code = '*' OR area_code ~ '^[0-9A-Za-z_.-]{1,40}$'),
    granted_by text NOT NULL DEFAULT session_user,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (login, area_code)
);

-- Channels: a source (app, 12345, sensor:xyz) belongs to exactly one login, so no login can
-- use, claim or probe the idempotency keys of another's source.
CREATE TABLE gridgov.channel_source (
    source text PRIMARY KEY CHECK (length(source) BETWEEN 1 AND 100),
    login text NOT NULL,
    registered_by text NOT NULL DEFAULT session_user,
    registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_source_login_idx ON gridgov.channel_source (login);

-- Whether the login is a member of a group role (superusers are members of every role).
CREATE FUNCTION gridgov._has_role(role_name text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = role_name)
       AND pg_has_role(session_user, role_name, 'MEMBER')
$$;

-- The login sees the whole database: a superuser, or an area '*' or of gridgov.city.
-- Row-level security policies call these two once per query, as (SELECT gridgov._area_all()).
CREATE FUNCTION gridgov._area_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper)
        OR EXISTS (SELECT 1 FROM gridgov.login_area a
                   WHERE a.login = session_user
                     AND (a.area_code = '*' OR EXISTS (SELECT 1 FROM gridgov.city c WHERE c.code = a.area_code)))
$$;

-- LIKE patterns of the login's code areas: codes nest by prefix (district 6 digits, street
-- +3, community +3, grid +3), so a row is in the area when one of its codes starts with it.
CREATE FUNCTION gridgov._area_patterns() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(a.area_code || '%' ORDER BY a.area_code), '{}')
    FROM gridgov.login_area a
    WHERE a.login = session_user AND a.area_code ~ '^[0-9]{6}([0-9]{3}){0,3}$'
$$;

-- Whether the row codes (any may be NULL) lie in the login's area: what the functions check.
CREATE FUNCTION gridgov._in_my_area(VARIADIC codes text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT gridgov._area_all()
        OR EXISTS (SELECT 1 FROM unnest(codes) c WHERE c LIKE ANY (gridgov._area_patterns()))
$$;

-- The login's areas, for the plugin (what it shows and greys out) and for people.
CREATE FUNCTION gridgov.my_areas() RETURNS TABLE (area_code text, level text, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.area_code,
           CASE WHEN a.area_code = '*' OR c.code IS NOT NULL THEN 'city'
                WHEN length(a.area_code) = 6 THEN 'district' WHEN length(a.area_code) = 9 THEN 'street'
                WHEN length(a.area_code) = 12 THEN 'community' ELSE 'grid' END,
           coalesce(c.name, d.name, s.name, cm.name, g.name)
    FROM gridgov.login_area a
    LEFT JOIN gridgov.city c ON c.code = a.area_code
    LEFT JOIN gridgov.district d ON d.code = a.area_code
    LEFT JOIN gridgov.street s ON s.code = a.area_code
    LEFT JOIN gridgov.community cm ON cm.code = a.area_code
    LEFT JOIN LATERAL (SELECT gr.name FROM gridgov.grid gr JOIN gridgov.grid_plan p ON p.plan_id = gr.plan_id
                       WHERE gr.grid_code = a.area_code AND p.status = 'published' LIMIT 1) g ON true
    WHERE a.login = session_user
    ORDER BY a.area_code
$$;

CREATE FUNCTION gridgov._require_role(role_name text, what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT gridgov._has_role(role_name) THEN
        RAISE EXCEPTION '%: login % is not a member of %', what, session_user, role_name
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('an admin gives the role with GRANT %I TO <login> or gridgov.create_login', role_name);
    END IF;
END
$$;

CREATE FUNCTION gridgov._require_login(login text, what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF login IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = login AND r.rolcanlogin) THEN
        RAISE EXCEPTION '%: there is no login role %', what, quote_literal(coalesce(login, 'NULL'))
            USING ERRCODE = 'undefined_object', HINT = 'create it with gridgov.create_login';
    END IF;
END
$$;

-- Limits of one login: connections for every login, timeouts for the unattended ones
-- (a channel or a worker's app holding a key or a lock must not block everybody's retries).
CREATE FUNCTION gridgov._apply_login_limits(login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    super boolean;
BEGIN
    SELECT r.rolsuper INTO super FROM pg_roles r WHERE r.rolname = login AND r.rolcanlogin;
    IF super IS NULL OR super THEN
        RETURN;  -- not a login, or a superuser: not ours to limit
    END IF;
    IF pg_has_role(login, 'gridgov_channel', 'MEMBER') THEN
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 20', login);
        EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, '10s');
        EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', login, '3s');
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '30s');
    ELSIF pg_has_role(login, 'gridgov_worker', 'MEMBER') AND NOT pg_has_role(login, 'gridgov_supervisor', 'MEMBER')
          AND NOT pg_has_role(login, 'gridgov_planner', 'MEMBER') AND NOT pg_has_role(login, 'gridgov_admin', 'MEMBER') THEN
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 5', login);
        EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, '30s');
        EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', login, '5s');
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '60s');
    ELSE  -- people at a desk: QGIS opens a few connections (layers, the case list, the live layer)
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 15', login);
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '15min');
    END IF;
END
$$;

-- Public (issue #10): limit a login to an area, or take an area away.
CREATE FUNCTION gridgov.grant_area(login name, area_code text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_code text := btrim(grant_area.area_code);
BEGIN
    PERFORM gridgov._require_role('gridgov_admin', 'grant_area');
    PERFORM gridgov._require_login(grant_area.login, 'grant_area');
    IF v_code IS NULL OR NOT (v_code = '*' OR v_code ~ '^[0-9]{6}([0-9]{3}){0,3}$'
                              OR EXISTS (SELECT 1 FROM gridgov.city c WHERE c.code = v_code)) THEN
        RAISE EXCEPTION 'grant_area: % is not an area code', quote_literal(coalesce(grant_area.area_code, 'NULL'))
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'area_code',
                  HINT = 'a district (6 digits), street (9), community (12) or grid (15) code, or a code of gridgov.city for the whole city';
    END IF;
    -- an admin hands out only what lies within their own area
    IF NOT gridgov._area_all() AND (v_code = '*' OR EXISTS (SELECT 1 FROM gridgov.city c WHERE c.code = v_code)
                                     OR NOT v_code LIKE ANY (gridgov._area_patterns())) THEN
        RAISE EXCEPTION 'grant_area: % lies outside the area of login %', v_code, session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO gridgov.login_area (login, area_code) VALUES (grant_area.login, v_code)
    ON CONFLICT DO NOTHING;
END
$$;

CREATE FUNCTION gridgov.revoke_area(login name, area_code text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._require_role('gridgov_admin', 'revoke_area');
    IF NOT gridgov._area_all() AND NOT btrim(revoke_area.area_code) LIKE ANY (gridgov._area_patterns()) THEN
        RAISE EXCEPTION 'revoke_area: % lies outside the area of login %', revoke_area.area_code, session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM gridgov.login_area a WHERE a.login = revoke_area.login AND a.area_code = btrim(revoke_area.area_code);
END
$$;

-- Public (issue #10): bind a source to a channel login; report_event refuses other sources.
CREATE FUNCTION gridgov.register_channel(login name, source text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    holder text;
BEGIN
    PERFORM gridgov._require_role('gridgov_admin', 'register_channel');
    PERFORM gridgov._require_login(register_channel.login, 'register_channel');
    IF NOT pg_has_role(register_channel.login, 'gridgov_channel', 'MEMBER') THEN
        RAISE EXCEPTION 'register_channel: login % is not a member of gridgov_channel', register_channel.login
            USING ERRCODE = 'invalid_parameter_value', HINT = 'create channel logins with gridgov.create_login(login, ''channel'')';
    END IF;
    IF register_channel.source IS NULL OR register_channel.source !~ '^[^[:cntrl:][:space:]]{1,100}$' THEN
        RAISE EXCEPTION 'register_channel: source % must be 1 to 100 characters without spaces',
            quote_literal(coalesce(register_channel.source, 'NULL'))
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'source';
    END IF;
    -- two admins registering at once: the second waits for the first, then sees its row
    INSERT INTO gridgov.channel_source (source, login) VALUES (register_channel.source, register_channel.login)
    ON CONFLICT ON CONSTRAINT channel_source_pkey DO NOTHING;
    SELECT s.login INTO holder FROM gridgov.channel_source s WHERE s.source = register_channel.source;
    IF holder IS DISTINCT FROM register_channel.login THEN
        RAISE EXCEPTION 'register_channel: source % is registered to login %', register_channel.source, holder
            USING ERRCODE = 'unique_violation', HINT = 'unregister it first with gridgov.unregister_channel';
    END IF;
END
$$;

CREATE FUNCTION gridgov.unregister_channel(login name, source text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._require_role('gridgov_admin', 'unregister_channel');
    DELETE FROM gridgov.channel_source s WHERE s.source = unregister_channel.source AND s.login = unregister_channel.login;
END
$$;

-- A login for a person (or a channel) with one role and, for people, a first area. The
-- password arrives as a SCRAM-SHA-256 verifier computed by the client (psycopg2's
-- encrypt_password), never as cleartext: statements can end up in the server log.
CREATE FUNCTION gridgov.create_login(login name, role text, area_code text DEFAULT NULL, password text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    grp text := 'gridgov_' || lower(btrim(create_login.role));
BEGIN
    PERFORM gridgov._require_role('gridgov_admin', 'create_login');
    IF grp NOT IN ('gridgov_channel', 'gridgov_worker', 'gridgov_supervisor', 'gridgov_analyst', 'gridgov_planner',
                   'gridgov_admin') THEN
        RAISE EXCEPTION 'create_login: % is not a role', quote_literal(coalesce(create_login.role, 'NULL'))
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'role',
                  HINT = 'channel, worker, supervisor, analyst, planner or admin';
    END IF;
    IF create_login.login IS NULL OR create_login.login !~ '^[a-z_][a-z0-9_]{2,62}$'
       OR create_login.login ~ '^(pg_|gridgov_)' THEN
        RAISE EXCEPTION 'create_login: % is not a valid login name', quote_literal(coalesce(create_login.login::text, 'NULL'))
            USING ERRCODE = 'invalid_name', COLUMN = 'login',
                  HINT = '3 to 63 lowercase letters, digits and _, not starting with pg_ or gridgov_';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = create_login.login) THEN
        RAISE EXCEPTION 'create_login: a role named % exists already', create_login.login
            USING ERRCODE = 'duplicate_object';
    END IF;
    IF create_login.password IS NOT NULL AND create_login.password !~ '^SCRAM-SHA-256\$[0-9]+:' THEN
        RAISE EXCEPTION 'create_login: the password must be a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_password',
                  HINT = 'compute it on the client (psycopg2.extensions.encrypt_password); cleartext could reach the server log';
    END IF;
    IF grp <> 'gridgov_channel' AND create_login.area_code IS NULL THEN
        RAISE EXCEPTION 'create_login: a person''s login needs an area' USING ERRCODE = 'null_value_not_allowed',
            COLUMN = 'area_code';
    END IF;
    IF create_login.password IS NULL THEN
        EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', create_login.login, grp);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', create_login.login, create_login.password, grp);
    END IF;
    PERFORM gridgov._apply_login_limits(create_login.login);
    IF create_login.area_code IS NOT NULL THEN
        PERFORM gridgov.grant_area(create_login.login, create_login.area_code);
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 5. Coordinates and the served area, without any schema in the search path but
--    pg_catalog: PostGIS is called by its schema and with its exact argument types, so no
--    function planted in a schema others can write to can stand in for it (finding 1).
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridgov.in_served_area(pt @postgis@.geometry) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    box @postgis@.geometry := @postgis@.st_expand(pt, 0.05::double precision);
    hit boolean;
BEGIN
    SELECT bool_or(c.geom OPERATOR(@postgis@.&&) box) INTO hit FROM gridgov.city c WHERE c.geom IS NOT NULL;
    IF hit IS NOT NULL THEN
        RETURN hit;
    END IF;
    SELECT bool_or(d.geom OPERATOR(@postgis@.&&) box) INTO hit FROM gridgov.district d WHERE d.geom IS NOT NULL;
    IF hit IS NOT NULL THEN
        RETURN hit;
    END IF;
    RETURN @postgis@.st_x(pt) BETWEEN 73.4 AND 135.1 AND @postgis@.st_y(pt) BETWEEN 3.8 AND 53.6;
END
$$;
ALTER FUNCTION gridgov.in_served_area(@postgis@.geometry) SET search_path = pg_catalog, pg_temp;

-- ---------------------------------------------------------------------------------------
-- 6. report_event: the one thing a field channel may do. Everything 004 did, and:
--    * the source must be registered for the login (gridgov.register_channel); superusers,
--      who may write anything anyway, may use any source;
--    * every argument is checked before the idempotency lookup: a known key answers only a
--      valid report (finding 2);
--    * reported_at lies between 2000-01-01 and now (+5 min for phone clocks) (finding 4);
--    * a key held by a frozen channel makes a retry fail after lock_timeout, not wait forever.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridgov.report_event(
    source text, external_id text, category text, reported_at timestamptz,
    lon double precision, lat double precision, coord_sys text DEFAULT 'wgs84',
    description text DEFAULT NULL, reporter text DEFAULT NULL, media_url text DEFAULT NULL)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
SET lock_timeout = '3s' AS $$
DECLARE
    v_id uuid;
    cat record;
    w double precision[];
    pt @postgis@.geometry;
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

    -- 2. the source belongs to this login
    IF NOT EXISTS (SELECT 1 FROM gridgov.channel_source s
                   WHERE s.source = report_event.source AND s.login = session_user)
       AND NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper) THEN
        RAISE EXCEPTION 'report_event: source % is not registered for login %', quote_literal(report_event.source), session_user
            USING ERRCODE = 'insufficient_privilege', COLUMN = 'source',
                  HINT = 'an admin registers a channel''s sources with gridgov.register_channel(login, source)';
    END IF;

    -- 3. validation against the store, before any key is looked up
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
    IF report_event.reported_at < '2000-01-01 00:00:00+00'::timestamptz THEN
        RAISE EXCEPTION 'report_event: reported_at % is before 2000-01-01', report_event.reported_at
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'reported_at',
                  HINT = 'send the time the report was made, with its time zone';
    END IF;
    -- NaN and infinities fail BETWEEN too
    IF NOT (report_event.lon BETWEEN -180 AND 180) OR NOT (report_event.lat BETWEEN -90 AND 90) THEN
        RAISE EXCEPTION 'report_event: lon/lat (%, %) are not valid degrees', report_event.lon, report_event.lat
            USING ERRCODE = 'numeric_value_out_of_range', COLUMN = 'lon';
    END IF;
    w := gridgov.to_wgs84(report_event.lon, report_event.lat, report_event.coord_sys);
    pt := @postgis@.st_setsrid(@postgis@.st_makepoint(w[1], w[2]), 4490);
    IF NOT gridgov.in_served_area(pt) THEN
        RAISE EXCEPTION 'report_event: lon/lat (%, %) [%] are outside the served area', report_event.lon,
            report_event.lat, report_event.coord_sys USING ERRCODE = 'numeric_value_out_of_range', COLUMN = 'lon',
            HINT = 'the served area is the extent of gridgov.city (else gridgov.district) geometries, else China';
    END IF;

    -- 4. a retry: the first accepted report wins, the same id comes back, nothing changes
    SELECT e.id INTO v_id FROM gridgov.event e
    WHERE e.source = report_event.source AND e.external_id = report_event.external_id;
    IF FOUND THEN
        RETURN v_id;
    END IF;

    -- 5. the published plan's grid covering the point (draft and archived plans never count)
    SELECT gr.grid_code, gr.community_code, gr.street_code, gr.worker_id INTO g
    FROM gridgov.grid gr
    WHERE gr.plan_id = (SELECT p.plan_id FROM gridgov.grid_plan p WHERE p.status = 'published')
      AND @postgis@.st_intersects(gr.geom, pt)
    ORDER BY gr.id LIMIT 1;  -- on a shared edge: the lowest id, as publish_plan (005) does
    IF NOT FOUND THEN  -- no grid yet: the community polygon still names community and street
        SELECT NULL::text AS grid_code, cm.code AS community_code, cm.street_code, NULL::text AS worker_id INTO g
        FROM gridgov.community cm WHERE @postgis@.st_intersects(cm.geom, pt) ORDER BY cm.code LIMIT 1;
    END IF;

    -- 6. insert; a concurrent retry of the same key waits on the unique index and then does nothing
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

-- Reported times before 2000 are refused from now on; rows already stored are kept (NOT VALID).
ALTER TABLE gridgov.event ADD CONSTRAINT event_reported_at_from_2000
    CHECK (reported_at >= '2000-01-01 00:00:00+00'::timestamptz) NOT VALID;

-- Candidate duplicates, now as the caller: row-level security limits them to the caller's area.
CREATE OR REPLACE FUNCTION gridgov.suggest_duplicates(distance_m double precision DEFAULT 50,
                                                      time_window interval DEFAULT interval '24 hours')
RETURNS TABLE (event_id uuid, duplicate_id uuid, category_code text, distance double precision, time_apart interval)
LANGUAGE sql STABLE SECURITY INVOKER AS $$
    SELECT a.id, b.id, b.category_code,
           @postgis@.st_distance(a.geom::@postgis@.geography, b.geom::@postgis@.geography, true),
           b.reported_at - a.reported_at
    FROM gridgov.event b
    JOIN gridgov.event a
      -- index prefilter in degrees (longitude degrees shrink with cos(lat)), then exact metres
      ON a.geom OPERATOR(@postgis@.&&) @postgis@.st_expand(b.geom,
            distance_m / (111320.0 * greatest(cos(radians(@postgis@.st_y(b.geom))), 0.1)))
     AND a.category_code = b.category_code
     AND a.id <> b.id
     AND (a.reported_at, a.id) < (b.reported_at, b.id)
     AND a.reported_at >= b.reported_at - time_window
     AND a.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')
     AND a.duplicate_of IS NULL
     AND @postgis@.st_dwithin(a.geom::@postgis@.geography, b.geom::@postgis@.geography, distance_m, true)
    WHERE b.status IN ('reported', 'registered') AND b.duplicate_of IS NULL
    ORDER BY b.reported_at, 4
$$;
ALTER FUNCTION gridgov.suggest_duplicates(double precision, interval) SET search_path = pg_catalog, pg_temp;

-- ---------------------------------------------------------------------------------------
-- 7. The case flow within one's area. Everything 002 did, and the case must lie in the
--    login's area; grid workers may report 处置 (dispatched -> handled) and 核查 (handled ->
--    verified) on their own grids' cases, supervisors every step.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov._check_case_area(event_id uuid, what text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e record;
BEGIN
    SELECT ev.status, ev.street_code, ev.community_code, ev.grid_code INTO e
    FROM gridgov.event ev WHERE ev.id = _check_case_area.event_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION '%: no event %', what, _check_case_area.event_id USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT gridgov._in_my_area(e.street_code, e.community_code, e.grid_code) THEN
        RAISE EXCEPTION '%: event % lies outside the area of login %', what, _check_case_area.event_id, session_user
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'an admin gives areas with gridgov.grant_area(login, area_code)';
    END IF;
    RETURN e.status;
END
$$;

CREATE OR REPLACE FUNCTION gridgov.transition(event_id uuid, to_status text, actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS timestamptz LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    prev text[];
    deadline timestamptz;
BEGIN
    IF transition.event_id IS NULL OR transition.to_status IS NULL THEN
        RAISE EXCEPTION 'transition: event_id and to_status are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    cur := gridgov._check_case_area(transition.event_id, 'transition');  -- locks the row
    IF NOT gridgov._has_role('gridgov_supervisor')
       AND NOT (gridgov._has_role('gridgov_worker')
                AND (cur, transition.to_status) IN (('dispatched', 'handled'), ('handled', 'verified'))) THEN
        RAISE EXCEPTION 'transition: login % may not move a case from % to %', session_user, cur, transition.to_status
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'grid workers report 处置 (dispatched -> handled) and 核查 (handled -> verified); other steps need gridgov_supervisor';
    END IF;
    IF cur = transition.to_status THEN
        RAISE EXCEPTION 'illegal case transition % -> % (event %): already in that status', cur, cur,
            transition.event_id USING ERRCODE = 'check_violation', COLUMN = 'status';
    END IF;
    prev := gridgov._set_actor_note(transition.actor, transition.note);
    UPDATE gridgov.event e SET status = transition.to_status WHERE e.id = transition.event_id
        RETURNING e.deadline_at INTO deadline;
    PERFORM gridgov._restore_actor_note(prev);
    RETURN deadline;  -- the new step's deadline (NULL once closed/void)
END
$$;

-- The transition trigger keeps 002's rule and deadlines, and records the step's photo
-- (gridgov.report_back sets gridgov.media_url for its transaction).
CREATE OR REPLACE FUNCTION gridgov.event_check_transition() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    allowed text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM gridgov.case_transition t
                   WHERE t.from_status = OLD.status AND t.to_status = NEW.status) THEN
        SELECT string_agg(t.to_status, ', ' ORDER BY t.to_status) INTO allowed
        FROM gridgov.case_transition t WHERE t.from_status = OLD.status;
        RAISE EXCEPTION 'illegal case transition % -> % (event %)', OLD.status, NEW.status, OLD.id
            USING ERRCODE = 'check_violation', SCHEMA = 'gridgov', TABLE = 'event', COLUMN = 'status',
                  HINT = format('allowed from %s: %s', OLD.status, coalesce(allowed, 'nothing (terminal state)'));
    END IF;
    NEW.deadline_at := CASE WHEN NEW.status IN ('closed', 'void') THEN NULL
                            ELSE gridgov.step_deadline(NEW.category_code, NEW.status, now()) END;
    IF NEW.status = 'closed' THEN
        NEW.closed_at := now();
    ELSIF OLD.status = 'closed' THEN
        NEW.closed_at := NULL;
    END IF;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note, media_url)
    VALUES (NEW.id, now(), gridgov.current_actor(), OLD.status, NEW.status,
            nullif(current_setting('gridgov.note', true), ''),
            nullif(current_setting('gridgov.media_url', true), ''));
    RETURN NEW;
END
$$;

-- A grid worker's (or supervisor's) word on a case: accepted (接单), a report back (反馈),
-- or with to_status the step itself, 处置 or 核查, each with a note and a photo link.
CREATE FUNCTION gridgov.report_back(event_id uuid, note text, media_url text DEFAULT NULL, to_status text DEFAULT NULL)
RETURNS timestamptz LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    deadline timestamptz;
    prev text;
BEGIN
    IF report_back.event_id IS NULL OR report_back.note IS NULL OR btrim(report_back.note) = '' THEN
        RAISE EXCEPTION 'report_back: event_id and a note are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF length(report_back.note) > 2000 THEN
        RAISE EXCEPTION 'report_back: note is longer than 2000 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'note';
    END IF;
    IF report_back.media_url IS NOT NULL AND (length(report_back.media_url) > 1000 OR report_back.media_url !~* '^https?://[^[:space:]]+$') THEN
        RAISE EXCEPTION 'report_back: media_url must be an http(s) link of at most 1000 characters'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'media_url';
    END IF;
    IF NOT (gridgov._has_role('gridgov_worker') OR gridgov._has_role('gridgov_supervisor')) THEN
        PERFORM gridgov._require_role('gridgov_worker', 'report_back');
    END IF;
    cur := gridgov._check_case_area(report_back.event_id, 'report_back');
    IF cur IN ('closed', 'void') THEN
        RAISE EXCEPTION 'report_back: event % is % (terminal)', report_back.event_id, cur USING ERRCODE = 'check_violation';
    END IF;
    IF report_back.to_status IS NULL THEN
        INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note, media_url)
        VALUES (report_back.event_id, now(), gridgov.current_actor(), cur, cur, report_back.note, report_back.media_url);
        SELECT e.deadline_at INTO deadline FROM gridgov.event e WHERE e.id = report_back.event_id;
        RETURN deadline;
    END IF;
    prev := current_setting('gridgov.media_url', true);
    PERFORM set_config('gridgov.media_url', coalesce(report_back.media_url, ''), true);
    deadline := gridgov.transition(report_back.event_id, report_back.to_status, NULL, report_back.note);
    PERFORM set_config('gridgov.media_url', coalesce(prev, ''), true);
    RETURN deadline;
END
$$;

CREATE OR REPLACE FUNCTION gridgov.assign(event_id uuid, department text, worker_id text DEFAULT NULL,
                                          actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
BEGIN
    cur := gridgov._check_case_area(assign.event_id, 'assign');  -- locks the row
    IF cur IN ('closed', 'void') THEN
        RAISE EXCEPTION 'assign: event % is % (terminal)', assign.event_id, cur USING ERRCODE = 'check_violation';
    END IF;
    IF assign.department IS NOT NULL AND NOT EXISTS (SELECT 1 FROM gridgov.department d WHERE d.code = assign.department) THEN
        RAISE EXCEPTION 'assign: unknown department %', assign.department
            USING ERRCODE = 'foreign_key_violation', COLUMN = 'department';
    END IF;
    UPDATE gridgov.event e SET department = coalesce(assign.department, e.department),
                               worker_id = coalesce(assign.worker_id, e.worker_id)
        WHERE e.id = assign.event_id;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (assign.event_id, now(), coalesce(assign.actor, gridgov.current_actor()), cur, cur,
            concat_ws(': ', format('assigned to %s%s', coalesce(assign.department, '-'),
                                   coalesce(' / ' || assign.worker_id, '')), assign.note));
END
$$;

CREATE OR REPLACE FUNCTION gridgov.merge_events(keep uuid, dups uuid[], actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keep_status text;
    keep_dup uuid;
    d uuid;
    d_status text;
    n integer := 0;
    prev text[];
BEGIN
    IF keep IS NULL OR dups IS NULL OR cardinality(dups) = 0 THEN
        RAISE EXCEPTION 'merge_events: keep and dups are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF keep = ANY (dups) THEN
        RAISE EXCEPTION 'merge_events: event % cannot be merged into itself', keep USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM gridgov._check_case_area(keep, 'merge_events');
    SELECT e.status, e.duplicate_of INTO keep_status, keep_dup FROM gridgov.event e WHERE e.id = keep FOR UPDATE;
    IF keep_status = 'void' OR keep_dup IS NOT NULL THEN
        RAISE EXCEPTION 'merge_events: event % is void or itself a duplicate; merge into %', keep,
            coalesce(keep_dup::text, 'a live case') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR d IN SELECT DISTINCT u FROM unnest(dups) u ORDER BY u LOOP  -- sorted: no lock-order deadlocks
        d_status := gridgov._check_case_area(d, 'merge_events');
        IF d_status NOT IN ('reported', 'registered') THEN
            RAISE EXCEPTION 'merge_events: event % is % and can no longer be merged (only reported/registered)',
                d, d_status USING ERRCODE = 'check_violation';
        END IF;
        prev := gridgov._set_actor_note(merge_events.actor,
                                        concat_ws(': ', format('duplicate of %s', keep), merge_events.note));
        UPDATE gridgov.event e SET status = 'void', duplicate_of = keep WHERE e.id = d;
        PERFORM gridgov._restore_actor_note(prev);
        n := n + 1;
    END LOOP;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (keep, now(), coalesce(merge_events.actor, gridgov.current_actor()), keep_status, keep_status,
            concat_ws(': ', format('merged %s duplicate(s): %s', n, array_to_string(dups, ', ')), merge_events.note));
    RETURN n;
END
$$;

-- 吹哨报到 within the caller's area; ``at`` may not lie in the future (finding 5): a sweep
-- "as of 2100" would push every open case up a level with a deadline in 2100. A few minutes
-- of client clock skew are clamped to the server's now().
CREATE OR REPLACE FUNCTION gridgov.escalate_overdue(at timestamptz DEFAULT now())
RETURNS TABLE (event_id uuid, status text, from_level text, to_level text, deadline_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    t timestamptz := escalate_overdue.at;
    everywhere boolean := gridgov._area_all();
    pats text[] := gridgov._area_patterns();
BEGIN
    IF t IS NULL THEN
        RAISE EXCEPTION 'escalate_overdue: at is required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF t > now() + interval '5 minutes' THEN
        RAISE EXCEPTION 'escalate_overdue: at % is in the future (server time %)', t, now()
            USING ERRCODE = 'datetime_field_overflow', HINT = 'cases are escalated as of now or an earlier time';
    END IF;
    t := least(t, now());
    RETURN QUERY
    WITH due AS (
        SELECT e.id FROM gridgov.event e
        WHERE e.status IN ('reported', 'registered', 'dispatched')  -- not yet handled
          AND gridgov.is_overdue(e.status, e.deadline_at, t) AND e.level IN ('community', 'street')
          AND (everywhere OR e.street_code LIKE ANY (pats) OR e.community_code LIKE ANY (pats)
               OR e.grid_code LIKE ANY (pats))
        ORDER BY e.deadline_at
        FOR UPDATE SKIP LOCKED  -- two schedulers never escalate the same case twice
    ), moved AS (
        UPDATE gridgov.event e
        SET level = CASE e.level WHEN 'community' THEN 'street' ELSE 'district' END,
            deadline_at = gridgov.step_deadline(e.category_code, e.status, t)
        FROM due WHERE e.id = due.id
        RETURNING e.id, e.status, e.level, e.deadline_at
    ), logged AS (
        INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
        SELECT m.id, now(), gridgov.current_actor(), m.status, m.status,
               format('escalated %s -> %s (吹哨报到): deadline passed',
                      CASE m.level WHEN 'street' THEN 'community' ELSE 'street' END, m.level)
        FROM moved m
    )
    SELECT m.id, m.status, CASE m.level WHEN 'street' THEN 'community' ELSE 'street' END, m.level, m.deadline_at
    FROM moved m;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 8. Plans for planners (005 granted them to supervisors, who could not write grid_plan).
--    Both run as the owner: a draft copies every grid of its base, whatever the planner's
--    area; publishing re-links the whole city. A planner may publish a draft whose changes
--    (grids added, removed or changed against the published plan) all lie in their area.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridgov.new_draft_plan(p_name text, p_based_on integer DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_base integer := p_based_on;
    v_id integer;
BEGIN
    PERFORM gridgov._require_role('gridgov_planner', 'new_draft_plan');
    IF p_name IS NULL OR btrim(p_name) = '' OR length(p_name) > 200 THEN
        RAISE EXCEPTION 'new_draft_plan: a name of 1 to 200 characters is required'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'name';
    END IF;
    IF v_base IS NULL THEN
        SELECT plan_id INTO v_base FROM gridgov.grid_plan WHERE status = 'published';
    ELSIF NOT EXISTS (SELECT 1 FROM gridgov.grid_plan WHERE plan_id = v_base) THEN
        RAISE EXCEPTION 'new_draft_plan: there is no plan %', v_base USING ERRCODE = 'no_data_found';
    END IF;
    -- serialise plan numbering between two planners creating drafts at once
    PERFORM pg_advisory_xact_lock(hashtext('gridgov.grid_plan'));
    SELECT coalesce(max(plan_id), 0) + 1 INTO v_id FROM gridgov.grid_plan;
    INSERT INTO gridgov.grid_plan (plan_id, name, status, based_on, note)
    VALUES (v_id, p_name, 'draft', v_base, p_note);
    IF v_base IS NOT NULL THEN
        INSERT INTO gridgov.grid (plan_id, grid_code, name, community_code, street_code, district_code, worker_id,
                                  note, geom)
        SELECT v_id, grid_code, name, community_code, street_code, district_code, worker_id, note, geom
        FROM gridgov.grid WHERE plan_id = v_base ORDER BY id;
    END IF;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION gridgov.publish_plan(p_plan_id integer)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_status text;
    v_old integer;
    v_workers integer := 0;
    v_cameras integer := 0;
    v_events integer := 0;
    v_outside text;
BEGIN
    PERFORM gridgov._require_role('gridgov_planner', 'publish_plan');
    PERFORM pg_advisory_xact_lock(hashtext('gridgov.grid_plan'));
    SELECT status INTO v_status FROM gridgov.grid_plan WHERE plan_id = p_plan_id FOR UPDATE;
    IF v_status IS NULL THEN
        RAISE EXCEPTION 'publish_plan: there is no plan %', p_plan_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_status <> 'draft' THEN
        RAISE EXCEPTION 'publish_plan: plan % is %, only a draft can be published', p_plan_id, v_status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM gridgov.grid WHERE plan_id = p_plan_id) THEN
        RAISE EXCEPTION 'publish_plan: plan % has no grids', p_plan_id USING ERRCODE = 'check_violation';
    END IF;
    SELECT plan_id INTO v_old FROM gridgov.grid_plan WHERE status = 'published' FOR UPDATE;
    IF NOT gridgov._area_all() THEN
        WITH n AS (SELECT grid_code, name, community_code, street_code, district_code, worker_id, note,
                          @postgis@.st_asewkb(geom) AS g FROM gridgov.grid WHERE plan_id = p_plan_id),
             o AS (SELECT grid_code, name, community_code, street_code, district_code, worker_id, note,
                          @postgis@.st_asewkb(geom) AS g FROM gridgov.grid WHERE plan_id = v_old),
             changed AS ((SELECT * FROM n EXCEPT SELECT * FROM o) UNION ALL (SELECT * FROM o EXCEPT SELECT * FROM n))
        SELECT string_agg(DISTINCT c.grid_code, ', ') INTO v_outside FROM changed c
        WHERE NOT gridgov._in_my_area(c.district_code, c.street_code, c.community_code, c.grid_code);
        IF v_outside IS NOT NULL THEN
            RAISE EXCEPTION 'publish_plan: plan % changes grids outside the area of login %: %', p_plan_id,
                session_user, left(v_outside, 500) USING ERRCODE = 'insufficient_privilege',
                HINT = 'a planner of the whole city publishes it, or the draft keeps the published grids outside your area';
        END IF;
    END IF;
    IF v_old IS NOT NULL THEN
        UPDATE gridgov.grid_plan SET status = 'archived' WHERE plan_id = v_old;
    END IF;
    UPDATE gridgov.grid_plan SET status = 'published', published_at = now() WHERE plan_id = p_plan_id;

    IF v_old IS NOT NULL THEN
        WITH best AS (
            SELECT DISTINCT ON (n.id) n.id, o.worker_id,
                   @postgis@.st_area(@postgis@.st_intersection(o.geom, n.geom)) AS shared
            FROM gridgov.grid n
            JOIN gridgov.grid o ON o.plan_id = v_old AND o.worker_id IS NOT NULL
                               AND @postgis@.st_intersects(o.geom, n.geom)
            WHERE n.plan_id = p_plan_id AND n.worker_id IS NULL
            ORDER BY n.id, shared DESC, o.id
        )
        UPDATE gridgov.grid g SET worker_id = best.worker_id FROM best
        WHERE g.id = best.id AND best.shared > 0;
        GET DIAGNOSTICS v_workers = ROW_COUNT;
    END IF;

    WITH hit AS (
        SELECT c.id, (SELECT g.grid_code FROM gridgov.grid g
                      WHERE g.plan_id = p_plan_id AND @postgis@.st_intersects(g.geom, c.geom)
                      ORDER BY g.id LIMIT 1) AS grid_code
        FROM gridgov.camera c WHERE c.geom IS NOT NULL
    )
    UPDATE gridgov.camera c SET grid_code = hit.grid_code FROM hit
    WHERE c.id = hit.id AND c.grid_code IS DISTINCT FROM hit.grid_code;
    GET DIAGNOSTICS v_cameras = ROW_COUNT;

    WITH hit AS (
        SELECT e.id, g.grid_code, g.community_code, g.street_code
        FROM gridgov.event e
        LEFT JOIN LATERAL (
            SELECT grid_code, community_code, street_code FROM gridgov.grid g
            WHERE g.plan_id = p_plan_id AND @postgis@.st_intersects(g.geom, e.geom) ORDER BY g.id LIMIT 1) g ON true
        WHERE e.status NOT IN ('closed', 'void')
    )
    UPDATE gridgov.event e SET grid_code = hit.grid_code,
        community_code = coalesce(hit.community_code, e.community_code),
        street_code = coalesce(hit.street_code, e.street_code)
    FROM hit
    WHERE e.id = hit.id AND e.grid_code IS DISTINCT FROM hit.grid_code;
    GET DIAGNOSTICS v_events = ROW_COUNT;

    RETURN jsonb_build_object('archived', v_old, 'workers', v_workers, 'cameras', v_cameras, 'events', v_events);
END
$$;

-- A camera's area is where it stands: the published grid holding it names its grid_code
-- (before the area check of row-level security, which runs after BEFORE triggers). Outside
-- every grid the given code stays.
CREATE FUNCTION gridgov.camera_locate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    code text;
BEGIN
    IF NEW.geom IS NULL OR (TG_OP = 'UPDATE' AND @postgis@.st_asewkb(NEW.geom) IS NOT DISTINCT FROM @postgis@.st_asewkb(OLD.geom)
                            AND NEW.grid_code IS NOT DISTINCT FROM OLD.grid_code) THEN
        RETURN NEW;
    END IF;
    SELECT g.grid_code INTO code FROM gridgov.grid g
    WHERE g.plan_id = (SELECT p.plan_id FROM gridgov.grid_plan p WHERE p.status = 'published')
      AND @postgis@.st_intersects(g.geom, NEW.geom)
    ORDER BY g.id LIMIT 1;
    IF FOUND THEN
        NEW.grid_code := code;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER camera_locate BEFORE INSERT OR UPDATE OF geom, grid_code ON gridgov.camera
    FOR EACH ROW EXECUTE FUNCTION gridgov.camera_locate();

-- Where a grid worker works; NULL for workers recorded before 007 (they are seen through
-- the grids and cases they are assigned to).
ALTER TABLE gridgov.grid_worker ADD COLUMN area_code text;
CREATE INDEX grid_worker_area_idx ON gridgov.grid_worker (area_code);
CREATE INDEX grid_worker_idx ON gridgov.grid (worker_id);

-- ---------------------------------------------------------------------------------------
-- 8b. One definition of "overdue" (issue #8): the view case_board, the supervision board
--     (core/events/board.py) and gridgov:overduecases all read gridgov.case_board_at, which
--     uses these two. Deadlines counted in working time change them, and step_deadline.
-- ---------------------------------------------------------------------------------------
-- Hours from ``from_ts`` to ``to_ts`` (negative when to_ts is earlier), 2 decimals.
CREATE FUNCTION gridgov.hours_between(from_ts timestamptz, to_ts timestamptz) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT round((extract(epoch FROM to_ts - from_ts) / 3600)::numeric, 2)::double precision
$$;

-- An open case whose current step's deadline has passed at ``at``.
CREATE FUNCTION gridgov.is_overdue(status text, deadline_at timestamptz, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT status IN ('reported', 'registered', 'dispatched', 'handled', 'verified') AND deadline_at < at
$$;

-- Open cases at ``at`` due within ``horizon`` (NULL: every open case, those without a
-- deadline last). Plain SQL, as the caller: the planner inlines it (ORDER BY ... LIMIT walks
-- the partial index event_open_deadline_idx) and row-level security applies.
CREATE OR REPLACE FUNCTION gridgov.case_board_at(at timestamptz DEFAULT now(), horizon interval DEFAULT interval '24 hours')
RETURNS TABLE (id uuid, category_code text, major text, minor text, status text, level text, department text,
               department_name text, worker_id text, grid_code text, community_code text, community_name text,
               street_code text, street_name text, reported_at timestamptz, deadline_at timestamptz,
               hours_overdue double precision, hours_left double precision, overdue boolean,
               geom @postgis@.geometry)
LANGUAGE sql STABLE AS $$
    SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department, d.name,
           e.worker_id, e.grid_code, e.community_code, cm.name, e.street_code, s.name,
           e.reported_at, e.deadline_at,
           gridgov.hours_between(e.deadline_at, at), gridgov.hours_between(at, e.deadline_at),
           gridgov.is_overdue(e.status, e.deadline_at, at), e.geom
    FROM gridgov.event e
    LEFT JOIN gridgov.event_category c ON c.code = e.category_code
    LEFT JOIN gridgov.department d ON d.code = e.department
    LEFT JOIN gridgov.community cm ON cm.code = e.community_code
    LEFT JOIN gridgov.street s ON s.code = e.street_code
    WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')
      AND (horizon IS NULL OR e.deadline_at < at + horizon)
    ORDER BY e.deadline_at
$$;

-- The board as a view (every open case, as of now) is the same function.
CREATE OR REPLACE VIEW gridgov.case_board WITH (security_invoker = true) AS
SELECT b.id, b.category_code, b.major, b.minor, b.status, b.level, b.department, b.department_name, b.worker_id,
       b.grid_code, b.community_code, b.community_name, b.street_code, b.street_name, b.reported_at, b.deadline_at,
       b.hours_overdue, b.hours_left, b.overdue
FROM gridgov.case_board_at(now(), NULL) b;

-- ---------------------------------------------------------------------------------------
-- 8c. One inversion loop for GCJ-02 and BD-09 (004 wrote it twice; issue #8). Python
--     mirror: core/events/coords.py:_invert. Results are unchanged (a test compares).
-- ---------------------------------------------------------------------------------------
-- Fixed point of ``forward`` ('gcj02': wgs84_to_gcj02, 'bd09': gcj02_to_bd09) from
-- ``start``: stops when the forward formula reproduces (lon, lat) to 1e-9 degrees (~0.1 mm).
CREATE FUNCTION gridgov._invert(forward text, lon double precision, lat double precision, start double precision[])
RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    w double precision[] := start;
    f double precision[];
    dx double precision;
    dy double precision;
BEGIN
    -- the offset varies slowly, so each step gains ~2 digits (3-5 steps)
    FOR i IN 1..30 LOOP
        f := CASE forward WHEN 'gcj02' THEN gridgov.wgs84_to_gcj02(w[1], w[2])
                          ELSE gridgov.gcj02_to_bd09(w[1], w[2]) END;
        dx := f[1] - lon;
        dy := f[2] - lat;
        EXIT WHEN abs(dx) < 1e-9 AND abs(dy) < 1e-9;
        w := ARRAY[w[1] - dx, w[2] - dy];
    END LOOP;
    RETURN w;
END
$$;

CREATE OR REPLACE FUNCTION gridgov.gcj02_to_wgs84(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT gridgov._invert('gcj02', lon, lat, ARRAY[lon, lat])
$$;

CREATE OR REPLACE FUNCTION gridgov.bd09_to_gcj02(lon double precision, lat double precision)
RETURNS double precision[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    -- start from the usual closed-form approximation (off by up to ~1e-6 degrees)
    SELECT gridgov._invert('bd09', lon, lat,
                           ARRAY[z * cos(theta), z * sin(theta)])
    FROM (SELECT sqrt(x * x + y * y) - 0.00002 * sin(y * (pi() * 3000.0 / 180.0)) AS z,
                 atan2(y, x) - 0.000003 * cos(x * (pi() * 3000.0 / 180.0)) AS theta
          FROM (SELECT lon - 0.0065 AS x, lat - 0.006 AS y) xy) zt
$$;

-- ---------------------------------------------------------------------------------------
-- 9. Row-level security by area. Policies read the login's areas once per query
--    ((SELECT ...) becomes an InitPlan). The owner (our SECURITY DEFINER functions) and
--    superusers are not subject to them; docs/deployment.md says so.
-- ---------------------------------------------------------------------------------------
ALTER TABLE gridgov.event ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_area ON gridgov.event FOR SELECT USING (
    (SELECT gridgov._area_all())
    OR street_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR community_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR grid_code LIKE ANY ((SELECT gridgov._area_patterns())::text[]));

ALTER TABLE gridgov.event_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_history_area ON gridgov.event_history FOR SELECT USING (
    EXISTS (SELECT 1 FROM gridgov.event e WHERE e.id = event_history.event_id));  -- event's own policy applies

ALTER TABLE gridgov.grid ENABLE ROW LEVEL SECURITY;
CREATE POLICY grid_area ON gridgov.grid FOR ALL USING (
    (SELECT gridgov._area_all())
    OR district_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR street_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR community_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR grid_code LIKE ANY ((SELECT gridgov._area_patterns())::text[]));

ALTER TABLE gridgov.camera ENABLE ROW LEVEL SECURITY;
CREATE POLICY camera_area ON gridgov.camera FOR ALL USING (
    (SELECT gridgov._area_all()) OR grid_code LIKE ANY ((SELECT gridgov._area_patterns())::text[]));

ALTER TABLE gridgov.grid_worker ENABLE ROW LEVEL SECURITY;
CREATE POLICY grid_worker_area ON gridgov.grid_worker FOR SELECT USING (
    (SELECT gridgov._area_all())
    OR area_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR EXISTS (SELECT 1 FROM gridgov.grid g WHERE g.worker_id = grid_worker.worker_id));  -- grid's policy applies
CREATE POLICY grid_worker_insert ON gridgov.grid_worker FOR INSERT WITH CHECK (
    (SELECT gridgov._area_all()) OR area_code LIKE ANY ((SELECT gridgov._area_patterns())::text[]));
CREATE POLICY grid_worker_update ON gridgov.grid_worker FOR UPDATE USING (
    (SELECT gridgov._area_all()) OR area_code LIKE ANY ((SELECT gridgov._area_patterns())::text[])
    OR EXISTS (SELECT 1 FROM gridgov.grid g WHERE g.worker_id = grid_worker.worker_id))
    WITH CHECK ((SELECT gridgov._area_all()) OR area_code LIKE ANY ((SELECT gridgov._area_patterns())::text[]));
CREATE POLICY grid_worker_delete ON gridgov.grid_worker FOR DELETE USING (
    (SELECT gridgov._area_all()) OR area_code LIKE ANY ((SELECT gridgov._area_patterns())::text[]));

-- Plans are city-wide (their grids are limited by area): any login with an area sees them.
ALTER TABLE gridgov.grid_plan ENABLE ROW LEVEL SECURITY;
CREATE POLICY grid_plan_area ON gridgov.grid_plan FOR ALL USING (
    (SELECT gridgov._area_all()) OR cardinality((SELECT gridgov._area_patterns())) > 0);

-- A login reads its own areas; admins read every login's.
ALTER TABLE gridgov.login_area ENABLE ROW LEVEL SECURITY;
CREATE POLICY login_area_own ON gridgov.login_area FOR SELECT USING (
    login = session_user OR (SELECT gridgov._has_role('gridgov_admin')));

-- ---------------------------------------------------------------------------------------
-- 10. Privileges: docs/roles.md is the matrix (tests/db/test_roles_matrix.py checks every
--     cell as a real login). Start from nothing, then grant per role.
-- ---------------------------------------------------------------------------------------
REVOKE ALL ON SCHEMA gridgov FROM PUBLIC;
GRANT USAGE ON SCHEMA gridgov TO gridgov_channel, gridgov_worker, gridgov_supervisor, gridgov_analyst,
    gridgov_planner, gridgov_admin, gridgov_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA gridgov FROM PUBLIC, gridgov_channel, gridgov_reader, gridgov_supervisor;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA gridgov FROM PUBLIC, gridgov_channel, gridgov_reader, gridgov_supervisor;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA gridgov FROM PUBLIC, gridgov_channel, gridgov_reader, gridgov_supervisor;

-- reference data: everyone at a desk or in the field reads it
GRANT SELECT ON gridgov.city, gridgov.district, gridgov.street, gridgov.community, gridgov.department,
    gridgov.event_category, gridgov.case_transition, gridgov.dept_grid, gridgov.building, gridgov.road,
    gridgov.schema_migrations, gridgov.grid_plan, gridgov.grid, gridgov.camera, gridgov.event_history,
    gridgov.login_area
    TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner, gridgov_admin;
-- personal data: the reporter's name and contact, the worker's phone; analysts go without
GRANT SELECT ON gridgov.event, gridgov.grid_worker TO gridgov_worker, gridgov_supervisor, gridgov_planner, gridgov_admin;
GRANT SELECT (id, source, external_id, category_code, description, media_url, reported_at, received_at, status,
              level, department, worker_id, grid_code, community_code, street_code, deadline_at, closed_at,
              duplicate_of, updated_at, geom) ON gridgov.event TO gridgov_analyst;
GRANT SELECT (worker_id, name, department, active, area_code) ON gridgov.grid_worker TO gridgov_analyst;
GRANT SELECT ON gridgov.case_board TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner,
    gridgov_admin;

-- planners: grids, plans' names, cameras, buildings, departmental grids, grid workers
GRANT INSERT, UPDATE, DELETE ON gridgov.grid, gridgov.camera, gridgov.building, gridgov.dept_grid,
    gridgov.grid_worker TO gridgov_planner;
GRANT UPDATE (name, note) ON gridgov.grid_plan TO gridgov_planner;
GRANT USAGE ON SEQUENCE gridgov.grid_id_seq, gridgov.camera_id_seq, gridgov.building_id_seq,
    gridgov.dept_grid_id_seq TO gridgov_planner;
-- admins: the responsibility list; logins, areas and channels through the functions
GRANT INSERT, UPDATE, DELETE ON gridgov.department, gridgov.event_category TO gridgov_admin;
GRANT SELECT ON gridgov.channel_source TO gridgov_admin;

-- functions
GRANT EXECUTE ON FUNCTION gridgov.report_event(text, text, text, timestamptz, double precision, double precision,
                                               text, text, text, text) TO gridgov_channel;
GRANT EXECUTE ON FUNCTION gridgov.transition(uuid, text, text, text),
                          gridgov.report_back(uuid, text, text, text) TO gridgov_worker, gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.assign(uuid, text, text, text, text),
                          gridgov.merge_events(uuid, uuid[], text, text),
                          gridgov.escalate_overdue(timestamptz),
                          gridgov.suggest_duplicates(double precision, interval) TO gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.new_draft_plan(text, integer, text), gridgov.publish_plan(integer)
    TO gridgov_planner;
GRANT EXECUTE ON FUNCTION gridgov.grant_area(name, text), gridgov.revoke_area(name, text),
                          gridgov.register_channel(name, text), gridgov.unregister_channel(name, text),
                          gridgov.create_login(name, text, text, text) TO gridgov_admin;
GRANT EXECUTE ON FUNCTION gridgov.case_board_at(timestamptz, interval),
                          gridgov.hours_between(timestamptz, timestamptz),
                          gridgov.is_overdue(text, timestamptz, timestamptz),
                          gridgov._invert(text, double precision, double precision, double precision[]),
                          gridgov.step_deadline(text, text, timestamptz),
                          gridgov.current_actor(),
                          gridgov.my_areas(),
                          gridgov._area_all(),
                          gridgov._area_patterns(),
                          gridgov.wgs84_to_gcj02(double precision, double precision),
                          gridgov.gcj02_to_wgs84(double precision, double precision),
                          gridgov.gcj02_to_bd09(double precision, double precision),
                          gridgov.bd09_to_gcj02(double precision, double precision),
                          gridgov.bd09_to_wgs84(double precision, double precision),
                          gridgov.to_wgs84(double precision, double precision, text)
    TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner, gridgov_admin;
-- row-level security on grid_worker and login_area calls these as the reader
GRANT EXECUTE ON FUNCTION gridgov._has_role(text) TO gridgov_worker, gridgov_supervisor, gridgov_analyst,
    gridgov_planner, gridgov_admin;
-- the board view reads the tables as its caller: row-level security applies through it
ALTER VIEW gridgov.case_board SET (security_invoker = true);

-- The working calendar, patrols and assessment items of issue #12 (006_working_calendar.sql,
-- when it ran before this migration; marked ‡ in docs/roles.md): everyone at a desk reads the
-- calendar and computes working time; supervisors and admins edit the calendar and the
-- assessment items; grid workers' GPS fixes are seen where the worker is, imported by
-- supervisors, and are nobody else's business (analysts go without: a person's whereabouts).
DO $$
BEGIN
    IF to_regclass('gridgov.work_calendar') IS NULL THEN
        RETURN;
    END IF;
    GRANT SELECT ON gridgov.work_calendar, gridgov.office_hours, gridgov.work_calendar_notice, gridgov.work_day,
                    gridgov.assessment_item
        TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner, gridgov_admin;
    GRANT INSERT, UPDATE, DELETE ON gridgov.work_calendar, gridgov.office_hours, gridgov.work_calendar_notice,
                                    gridgov.assessment_item TO gridgov_supervisor, gridgov_admin;
    GRANT USAGE ON SEQUENCE gridgov.office_hours_id_seq TO gridgov_supervisor, gridgov_admin;
    GRANT EXECUTE ON FUNCTION gridgov.working_seconds_at(timestamptz),
                              gridgov.working_hours_between(timestamptz, timestamptz),
                              gridgov.is_working_day(date), gridgov.add_working_hours(timestamptz, double precision),
                              gridgov.add_working_days(timestamptz, integer)
        TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner, gridgov_admin;
    -- the calendar's statement trigger calls it as the editor
    GRANT EXECUTE ON FUNCTION gridgov.work_calendar_rebuild_if_changed() TO gridgov_supervisor, gridgov_admin;
    GRANT SELECT ON gridgov.patrol_fix TO gridgov_worker, gridgov_supervisor, gridgov_admin;
    GRANT INSERT ON gridgov.patrol_fix TO gridgov_supervisor;
    GRANT USAGE ON SEQUENCE gridgov.patrol_fix_id_seq TO gridgov_supervisor;
    ALTER TABLE gridgov.patrol_fix ENABLE ROW LEVEL SECURITY;
    -- a fix is seen, and imported, where its worker is seen (grid_worker's own policy applies)
    CREATE POLICY patrol_fix_area ON gridgov.patrol_fix FOR ALL USING (
        (SELECT gridgov._area_all())
        OR EXISTS (SELECT 1 FROM gridgov.grid_worker w WHERE w.worker_id = patrol_fix.worker_id));
END
$$;

-- ---------------------------------------------------------------------------------------
-- 11. What migrations.migrate checks after every migration, as the installer, inside the
--     migration's transaction (a failure undoes the migration):
--     * every object of the schema belongs to gridgov_owner;
--     * no gridgov function is executable by PUBLIC;
--     * every SECURITY DEFINER function pins search_path to pg_catalog (and gridgov), pg_temp,
--       and nobody but the owner may create in gridgov;
--     * a warning when PUBLIC may create in the PostGIS schema (docs/deployment.md).
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov._after_migration() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
    bad text;
    ext text;
BEGIN
    IF (SELECT n.nspowner FROM pg_namespace n WHERE n.nspname = 'gridgov') <> 'gridgov_owner'::regrole THEN
        ALTER SCHEMA gridgov OWNER TO gridgov_owner;
    END IF;
    FOR r IN SELECT c.oid::regclass AS obj FROM pg_class c
             WHERE c.relnamespace = 'gridgov'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND c.relowner <> 'gridgov_owner'::regrole LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO gridgov_owner', r.obj);
    END LOOP;
    FOR r IN SELECT c.oid::regclass AS obj FROM pg_class c
             WHERE c.relnamespace = 'gridgov'::regnamespace AND c.relkind = 'S'
               AND c.relowner <> 'gridgov_owner'::regrole LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO gridgov_owner', r.obj);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS obj FROM pg_proc p
             WHERE p.pronamespace = 'gridgov'::regnamespace AND p.proowner <> 'gridgov_owner'::regrole LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO gridgov_owner', r.obj);
    END LOOP;
    FOR r IN SELECT t.oid::regtype AS obj FROM pg_type t
             WHERE t.typnamespace = 'gridgov'::regnamespace AND t.typowner <> 'gridgov_owner'::regrole
               AND t.typtype IN ('c', 'd', 'e', 'r') AND t.typrelid = 0 LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO gridgov_owner', r.obj);
    END LOOP;
    REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA gridgov FROM PUBLIC;

    SELECT string_agg(a.grantee::regrole::text, ', ') INTO bad
    FROM pg_namespace n, aclexplode(n.nspacl) a
    WHERE n.nspname = 'gridgov' AND a.privilege_type = 'CREATE' AND a.grantee <> n.nspowner;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'only gridgov_owner may create in schema gridgov; also: %', bad
            USING ERRCODE = 'insufficient_privilege', HINT = 'REVOKE CREATE ON SCHEMA gridgov FROM ...';
    END IF;
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO bad
    FROM pg_proc p
    WHERE p.pronamespace = 'gridgov'::regnamespace AND p.prosecdef
      AND NOT EXISTS (
          SELECT 1 FROM unnest(p.proconfig) c
          WHERE c LIKE 'search_path=%'
            AND (SELECT bool_and(btrim(s, ' "') IN ('pg_catalog', 'pg_temp', 'gridgov'))
                 FROM unnest(string_to_array(substr(c, 13), ',')) s));
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'SECURITY DEFINER functions must pin their search path: %', bad
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'SET search_path = pg_catalog, pg_temp, and call PostGIS as @postgis@.st_...(exact types) (docs/roles.md)';
    END IF;
    SELECT n.nspname INTO ext FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
    WHERE x.extname = 'postgis';
    IF ext IS NOT NULL AND has_schema_privilege('public', ext, 'CREATE') THEN
        RAISE WARNING 'every role may create objects in schema % where PostGIS lives', ext
            USING HINT = format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC (docs/deployment.md): a function planted there '
                                'runs with the rights of whoever calls PostGIS unqualified', ext);
    END IF;
END
$$;

RESET ROLE;

-- ---------------------------------------------------------------------------------------
-- 11. Upgrade in place: logins of 004's groups keep working, with the whole city as area
--     (docs/roles.md: narrow it with gridgov.revoke_area/grant_area), and every login of
--     a gridgov group gets the limits of its job.
-- ---------------------------------------------------------------------------------------
DO $$
DECLARE
    r record;
    cities text[] := coalesce((SELECT array_agg(c.code ORDER BY c.code) FROM gridgov.city c), ARRAY['*']);
BEGIN
    FOR r IN SELECT DISTINCT m.rolname FROM pg_roles m
             WHERE m.rolcanlogin AND NOT m.rolsuper
               AND (pg_has_role(m.oid, 'gridgov_reader', 'MEMBER') OR pg_has_role(m.oid, 'gridgov_supervisor', 'MEMBER'))
    LOOP
        INSERT INTO gridgov.login_area (login, area_code, granted_by)
        SELECT r.rolname, c, 'migration 007' FROM unnest(cities) c
        ON CONFLICT DO NOTHING;
    END LOOP;
    FOR r IN SELECT DISTINCT m.rolname FROM pg_roles m, pg_roles g
             WHERE m.rolcanlogin AND NOT m.rolsuper AND g.rolname LIKE 'gridgov\_%' AND NOT g.rolcanlogin
               AND pg_has_role(m.oid, g.oid, 'MEMBER')
    LOOP
        PERFORM gridgov._apply_login_limits(r.rolname);
    END LOOP;
END
$$;
