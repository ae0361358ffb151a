-- Versions, conflicts, tombstones and sync (issue #11): nothing anyone did is lost, and no
-- save silently overwrites a change the saver never saw. Runs as gridgov_owner, like every
-- migration after the roles one. docs/sync.md explains the design.
--
-- * Every editable table carries ``version`` (1 on insert, +1 on every update, set by the
--   database whatever the client sends) and ``uid`` (a UUID: offline copies never collide;
--   events already have a UUID id).
-- * A client states the version it read by writing it into ``base_version`` in the same
--   UPDATE (QGIS's postgres provider writes only the changed columns, so the plugin adds it
--   to the edit buffer). If the row moved on since, the database refuses with SQLSTATE
--   GG409, naming what changed and who changed it (from the audit trail). ``base_version`` is
--   never stored. An UPDATE that states no version (psql, maintenance scripts, our own
--   SECURITY DEFINER functions) is applied and audited as it always was.
-- * Deletes leave a tombstone, so the live layer and offline sync catch up on them.
-- * ``transition``, ``assign`` and ``merge_events`` get overloads taking the version the user
--   saw: thin wrappers that check it and call the existing functions.
-- * ``sync_applied`` records each offline delta's id with the change it made, in the same
--   transaction: a sync run twice, or again after a crash, applies nothing twice.

-- ---------------------------------------------------------------------------------------
-- 1. Version columns
-- ---------------------------------------------------------------------------------------
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['grid', 'grid_plan', 'camera', 'building', 'grid_worker', 'dept_grid',
                             'event_category', 'department', 'event'] LOOP
        EXECUTE format('ALTER TABLE gridgov.%I ADD COLUMN version integer NOT NULL DEFAULT 1, '
                       'ADD COLUMN base_version integer', t);
        EXECUTE format('COMMENT ON COLUMN gridgov.%I.base_version IS %L', t,
                       'write the version you read here in an UPDATE: refused (GG409) if the row changed since; never stored');
        IF t <> 'event' THEN
            EXECUTE format('ALTER TABLE gridgov.%I ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid()', t);
            EXECUTE format('CREATE UNIQUE INDEX %I ON gridgov.%I (uid)', t || '_uid_idx', t);
        END IF;
    END LOOP;
END
$$;

-- What changed on a row since ``since_version`` and who changed it, from the audit trail:
-- jsonb {"changes": [{"login", "actor", "at", "columns": {col: [old, new]}}]} (geometries
-- named without their value); NULL when the audit holds nothing newer.
CREATE FUNCTION gridgov._changes_since(table_name text, row_key text, since_version integer) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT jsonb_agg(jsonb_build_object(
               'login', l.login, 'actor', l.actor, 'at', l.at, 'op', l.op,
               'columns', (SELECT coalesce(jsonb_object_agg(k.key, CASE WHEN k.key = 'geom' THEN NULL
                                                                   ELSE jsonb_build_array(l.old -> k.key, k.value) END),
                                           '{}'::jsonb)
                           FROM jsonb_each(coalesce(l.new, '{}'::jsonb)) k
                           WHERE k.key NOT IN ('version', 'updated_at', 'base_version'))) ORDER BY l.id)
    FROM gridgov.audit_log l
    WHERE l.table_name = _changes_since.table_name AND l.row_key = _changes_since.row_key
      AND (l.op = 'DELETE' OR coalesce((l.new ->> 'version')::integer, 0) > _changes_since.since_version)
$$;

-- "grid 12 changed since you read version 3 (now 5): geom, name 旧 → 新 by li_si; status online → faulty by ch_app"
CREATE FUNCTION gridgov._changes_text(what text, seen integer, now_version integer, changes jsonb) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('%s changed since you read version %s (now %s)%s', what, seen, now_version,
                  coalesce(': ' || (SELECT string_agg(format('%s by %s', c.cols, c.login), '; ' ORDER BY c.first)
                                    FROM (SELECT x.value ->> 'login' AS login, min(x.ordinality) AS first,
                                                 string_agg(DISTINCT k.key || CASE
                                              WHEN jsonb_typeof(k.value) = 'array' AND length(k.value::text) <= 100
                                              THEN format(' %s → %s', coalesce(k.value ->> 0, 'NULL'),
                                                          coalesce(k.value ->> 1, 'NULL'))
                                              ELSE '' END, ', ') AS cols
                                          FROM jsonb_array_elements(changes) WITH ORDINALITY x,
                                               jsonb_each(x.value -> 'columns') k
                                          GROUP BY x.value ->> 'login') c), ''))
$$;

-- BEFORE INSERT OR UPDATE on every versioned table; TG_ARGV[0] is the key column.
CREATE FUNCTION gridgov.versioned() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    key text;
    changes jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF TG_TABLE_NAME <> 'event' AND to_jsonb(NEW) -> 'uid' = 'null'::jsonb THEN
            -- a loader that copies every column may send a NULL uid: give one
            NEW := jsonb_populate_record(NEW, jsonb_build_object('uid', gen_random_uuid()));
        END IF;
        NEW.version := 1;
        NEW.base_version := NULL;
        RETURN NEW;
    END IF;
    IF NEW.base_version IS NOT NULL AND NEW.base_version <> OLD.version THEN
        key := to_jsonb(OLD) ->> TG_ARGV[0];
        changes := gridgov._changes_since(TG_TABLE_NAME, key, NEW.base_version);
        RAISE EXCEPTION '%', gridgov._changes_text(format('%s %s', TG_TABLE_NAME, key), NEW.base_version, OLD.version, changes)
            USING ERRCODE = 'GG409', SCHEMA = 'gridgov', TABLE = TG_TABLE_NAME,
                  DETAIL = jsonb_build_object('table', TG_TABLE_NAME, 'key', key, 'seen', NEW.base_version,
                                              'version', OLD.version, 'changes', coalesce(changes, '[]'::jsonb))::text,
                  HINT = 'read the row again: the plugin keeps your change and shows both versions side by side';
    END IF;
    NEW.base_version := NULL;
    NEW.version := OLD.version;
    IF NEW IS DISTINCT FROM jsonb_populate_record(OLD, jsonb_build_object('updated_at', to_jsonb(NEW) -> 'updated_at')) THEN
        NEW.version := OLD.version + 1;  -- an update that changes nothing keeps its version (and writes no audit)
    END IF;
    RETURN NEW;
END
$$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('grid', 'id'), ('grid_plan', 'plan_id'), ('camera', 'id'), ('building', 'id'),
                                   ('grid_worker', 'worker_id'), ('dept_grid', 'id'), ('event_category', 'code'),
                                   ('department', 'code'), ('event', 'id')) v(tbl, keycol) LOOP
        -- "zz_": after every other BEFORE trigger (they fire in name order), so it counts what they did
        EXECUTE format('CREATE TRIGGER zz_versioned BEFORE INSERT OR UPDATE ON gridgov.%I FOR EACH ROW '
                       'EXECUTE FUNCTION gridgov.versioned(%L)', t.tbl, t.keycol);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 2. Tombstones: a deleted row leaves its key, uid, last version, who and when, and its
--    area codes (for row-level security). Append-only like the audit.
-- ---------------------------------------------------------------------------------------
CREATE TABLE gridgov.tombstone (
    seq bigserial PRIMARY KEY,
    table_name text NOT NULL,
    row_key text NOT NULL,
    uid uuid,
    version integer,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    login text NOT NULL DEFAULT session_user,
    area_codes text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX tombstone_table_at_idx ON gridgov.tombstone (table_name, deleted_at);
CREATE INDEX tombstone_uid_idx ON gridgov.tombstone (uid);

CREATE FUNCTION gridgov.tombstone_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o jsonb := to_jsonb(OLD) - 'geom';
BEGIN
    INSERT INTO gridgov.tombstone (table_name, row_key, uid, version, login, area_codes)
    VALUES (TG_TABLE_NAME, o ->> TG_ARGV[0], coalesce(o ->> 'uid', o ->> 'id')::uuid, (o ->> 'version')::integer,
            session_user,
            ARRAY(SELECT o ->> c FROM unnest(ARRAY['district_code', 'street_code', 'community_code', 'grid_code',
                                                  'area_code']) c WHERE o ->> c IS NOT NULL));
    RETURN NULL;
END
$$;
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('grid', 'id'), ('grid_plan', 'plan_id'), ('camera', 'id'), ('building', 'id'),
                                   ('grid_worker', 'worker_id'), ('dept_grid', 'id'), ('event_category', 'code'),
                                   ('department', 'code'), ('event', 'id')) v(tbl, keycol) LOOP
        EXECUTE format('CREATE TRIGGER tombstone AFTER DELETE ON gridgov.%I FOR EACH ROW '
                       'EXECUTE FUNCTION gridgov.tombstone_row(%L)', t.tbl, t.keycol);
    END LOOP;
END
$$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON gridgov.tombstone
    FOR EACH ROW EXECUTE FUNCTION gridgov.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON gridgov.tombstone
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov.append_only();

-- Seen where the row was seen: by its area codes; tables without areas (buildings, plans,
-- departmental grids, the responsibility list) by every login with an area.
ALTER TABLE gridgov.tombstone ENABLE ROW LEVEL SECURITY;
CREATE POLICY tombstone_area ON gridgov.tombstone FOR SELECT USING (
    (SELECT gridgov._area_all())
    OR (table_name IN ('building', 'grid_plan', 'dept_grid', 'event_category', 'department')
        AND cardinality((SELECT gridgov._area_patterns())) > 0)
    OR EXISTS (SELECT 1 FROM unnest(area_codes) c WHERE c LIKE ANY ((SELECT gridgov._area_patterns())::text[])));

-- ---------------------------------------------------------------------------------------
-- 3. Offline deltas applied: one row per delta id, written in the transaction that applied
--    it (QFieldCloud keeps its deltas the same way). A login sees its own.
-- ---------------------------------------------------------------------------------------
CREATE TABLE gridgov.sync_applied (
    delta_id uuid PRIMARY KEY,
    login text NOT NULL DEFAULT session_user,
    applied_at timestamptz NOT NULL DEFAULT now(),
    table_name text NOT NULL,
    row_key text,
    outcome text NOT NULL CHECK (outcome IN ('applied', 'merged', 'resolved', 'dropped'))
);
CREATE FUNCTION gridgov.sync_applied_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.login := session_user;
    NEW.applied_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER sync_applied_stamp BEFORE INSERT ON gridgov.sync_applied
    FOR EACH ROW EXECUTE FUNCTION gridgov.sync_applied_stamp();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON gridgov.sync_applied
    FOR EACH ROW EXECUTE FUNCTION gridgov.append_only();
ALTER TABLE gridgov.sync_applied ENABLE ROW LEVEL SECURITY;
CREATE POLICY sync_applied_own ON gridgov.sync_applied FOR ALL USING (login = session_user)
    WITH CHECK (login = session_user);

-- ---------------------------------------------------------------------------------------
-- 4. Case actions on what the user saw. Thin wrappers: check the version (and area) under
--    the row lock, then call the existing function, whatever its body is today.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov._check_seen(event_id uuid, seen_version integer, what text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur integer;
    changes jsonb;
BEGIN
    IF _check_seen.seen_version IS NULL THEN
        RAISE EXCEPTION '%: the version you saw is required (or call it without one)', what
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM gridgov._check_case_area(_check_seen.event_id, what);  -- area first, and locks the row
    SELECT e.version INTO cur FROM gridgov.event e WHERE e.id = _check_seen.event_id;
    IF cur <> _check_seen.seen_version THEN
        changes := gridgov._changes_since('event', _check_seen.event_id::text, _check_seen.seen_version);
        RAISE EXCEPTION '%: %', what,
            gridgov._changes_text(format('event %s', _check_seen.event_id), _check_seen.seen_version, cur, changes)
            USING ERRCODE = 'GG409', SCHEMA = 'gridgov', TABLE = 'event',
                  DETAIL = jsonb_build_object('table', 'event', 'key', _check_seen.event_id, 'seen', _check_seen.seen_version,
                                              'version', cur, 'changes', coalesce(changes, '[]'::jsonb))::text,
                  HINT = 'the case changed since you saw it: look at it again, then act';
    END IF;
END
$$;

CREATE FUNCTION gridgov.transition(event_id uuid, to_status text, seen_version integer, actor text DEFAULT NULL,
                                   note text DEFAULT NULL)
RETURNS timestamptz LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._check_seen(transition.event_id, transition.seen_version, 'transition');
    RETURN gridgov.transition(transition.event_id, transition.to_status, transition.actor, transition.note);
END
$$;

CREATE FUNCTION gridgov.assign(event_id uuid, department text, worker_id text, seen_version integer,
                               actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._check_seen(assign.event_id, assign.seen_version, 'assign');
    PERFORM gridgov.assign(assign.event_id, assign.department, assign.worker_id, assign.actor, assign.note);
END
$$;

-- seen_versions: the versions of keep and then of each of dups, in that order
CREATE FUNCTION gridgov.merge_events(keep uuid, dups uuid[], seen_versions integer[], actor text DEFAULT NULL,
                                     note text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ids uuid[] := ARRAY[merge_events.keep] || merge_events.dups;
    i integer;
BEGIN
    IF merge_events.seen_versions IS NULL OR cardinality(merge_events.seen_versions) <> cardinality(ids) THEN
        RAISE EXCEPTION 'merge_events: give the version you saw of keep and of each duplicate (% numbers)', cardinality(ids)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- lock in id order, as merge_events does: no lock-order deadlocks
    FOR i IN SELECT o.i FROM unnest(ids) WITH ORDINALITY o(id, i) ORDER BY o.id LOOP
        PERFORM gridgov._check_seen(ids[i], merge_events.seen_versions[i], 'merge_events');
    END LOOP;
    RETURN gridgov.merge_events(merge_events.keep, merge_events.dups, merge_events.actor, merge_events.note);
END
$$;

-- A field channel reports a camera's state (online / offline / faulty / obstructed) by its
-- GB/T 28181 device id; the camera's place and the rest stay as the planners left them.
CREATE FUNCTION gridgov.set_camera_status(device_id text, status text, note text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v integer;
    prev text := current_setting('gridgov.note', true);
BEGIN
    IF set_camera_status.status IS NULL OR set_camera_status.status NOT IN ('online', 'offline', 'faulty', 'obstructed') THEN
        RAISE EXCEPTION 'set_camera_status: status must be online, offline, faulty or obstructed, not %',
            coalesce(quote_literal(set_camera_status.status), 'NULL') USING ERRCODE = 'invalid_parameter_value',
            COLUMN = 'status';
    END IF;
    PERFORM set_config('gridgov.note', coalesce(left(set_camera_status.note, 500), ''), true);
    UPDATE gridgov.camera c SET status = set_camera_status.status
    WHERE c.device_id = set_camera_status.device_id RETURNING c.version INTO v;
    PERFORM set_config('gridgov.note', coalesce(prev, ''), true);
    IF v IS NULL THEN
        RAISE EXCEPTION 'set_camera_status: no camera with device id %', coalesce(set_camera_status.device_id, 'NULL')
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN v;
END
$$;


-- The plugin records a conflict's resolution (take ours, take theirs, merged by hand) after
-- the save that carried it: an audit entry of the row, changing nothing, with the choice as
-- its note. Only for a row the caller can see and edit (as the caller: privileges and
-- row-level security apply).
CREATE FUNCTION gridgov.record_resolution(table_name text, row_key text, resolution jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keycol text;
    codes text[];
    visible boolean;
    id bigint;
BEGIN
    keycol := CASE record_resolution.table_name WHEN 'grid' THEN 'id' WHEN 'camera' THEN 'id' WHEN 'building' THEN 'id'
                   WHEN 'dept_grid' THEN 'id' WHEN 'grid_worker' THEN 'worker_id' WHEN 'grid_plan' THEN 'plan_id'
                   WHEN 'event_category' THEN 'code' WHEN 'department' THEN 'code' WHEN 'event' THEN 'id' END;
    IF keycol IS NULL THEN
        RAISE EXCEPTION 'record_resolution: % is not a versioned table', quote_literal(coalesce(record_resolution.table_name, 'NULL'))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT has_table_privilege(session_user, format('gridgov.%I', record_resolution.table_name), 'UPDATE')
       AND NOT (record_resolution.table_name = 'event' AND gridgov._has_role('gridgov_supervisor')) THEN
        RAISE EXCEPTION 'record_resolution: login % may not edit %', session_user, record_resolution.table_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('SELECT ARRAY(SELECT x FROM unnest(ARRAY[%s]) x WHERE x IS NOT NULL) FROM gridgov.%I t WHERE t.%I::text = $1',
                   (SELECT string_agg(format('(to_jsonb(t) ->> %L)', c), ', ')
                    FROM unnest(ARRAY['district_code', 'street_code', 'community_code', 'grid_code', 'area_code']) c),
                   record_resolution.table_name, keycol)
        INTO codes USING record_resolution.row_key;
    IF codes IS NULL THEN
        RAISE EXCEPTION 'record_resolution: no %/%', record_resolution.table_name, record_resolution.row_key
            USING ERRCODE = 'no_data_found';
    END IF;
    visible := cardinality(codes) = 0 OR gridgov._in_my_area(VARIADIC codes);
    IF NOT visible THEN
        RAISE EXCEPTION 'record_resolution: %/% lies outside the area of login %', record_resolution.table_name,
            record_resolution.row_key, session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO gridgov.audit_log (actor, table_name, row_key, op, old, new, area_codes, note)
    VALUES (nullif(current_setting('gridgov.actor', true), ''), record_resolution.table_name, record_resolution.row_key,
            'UPDATE', '{}'::jsonb, '{}'::jsonb, codes,
            left(format('conflict resolved: %s', record_resolution.resolution::text), 2000))
    RETURNING audit_log.id INTO id;
    RETURN id;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 5. Restoring a version keeps the row's own version counting up (never puts back an old
--    version number or uid): everything 008's restore_version did, minus those columns.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridgov.restore_version(table_name text, row_key text, audit_id bigint) RETURNS text[]
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keycol text := gridgov._audit_key_column(restore_version.table_name);
    want jsonb := gridgov.row_version(restore_version.table_name, restore_version.row_key, restore_version.audit_id);
    cur jsonb;
    cols text[];
    prev text;
    n integer;
BEGIN
    IF want IS NULL THEN
        RAISE EXCEPTION 'restore_version: %/% did not exist after audit entry %', restore_version.table_name,
            restore_version.row_key, restore_version.audit_id USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format('SELECT gridgov._row_json(t) FROM gridgov.%I t WHERE t.%I::text = $1', restore_version.table_name, keycol)
        INTO cur USING restore_version.row_key;
    IF cur IS NULL THEN
        RAISE EXCEPTION 'restore_version: %/% no longer exists (or lies outside your area)', restore_version.table_name,
            restore_version.row_key USING ERRCODE = 'no_data_found';
    END IF;
    SELECT array_agg(w.key ORDER BY w.key) INTO cols FROM jsonb_each(want) w
    WHERE w.key NOT IN (keycol, 'updated_at', 'version', 'base_version', 'uid') AND cur ? w.key AND (cur -> w.key) IS DISTINCT FROM w.value;
    IF cols IS NULL THEN
        RETURN '{}';
    END IF;
    prev := current_setting('gridgov.note', true);
    PERFORM set_config('gridgov.note', format('restored the version of audit entry %s', restore_version.audit_id), true);
    EXECUTE format('UPDATE gridgov.%1$I t SET (%2$s) = (SELECT %3$s FROM jsonb_populate_record(NULL::gridgov.%1$I, $1) r)'
                   ' WHERE t.%4$I::text = $2',
                   restore_version.table_name,
                   (SELECT string_agg(format('%I', c), ', ') FROM unnest(cols) c),
                   (SELECT string_agg(format('r.%I', c), ', ') FROM unnest(cols) c),
                   keycol)
        USING want, restore_version.row_key;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('gridgov.note', coalesce(prev, ''), true);
    IF n = 0 THEN
        RAISE EXCEPTION 'restore_version: login % may not change %/%', session_user, restore_version.table_name,
            restore_version.row_key USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN cols;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 6. Privileges (docs/roles.md, the matrix)
-- ---------------------------------------------------------------------------------------
GRANT SELECT ON gridgov.tombstone TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner,
    gridgov_admin;
GRANT SELECT, INSERT ON gridgov.sync_applied TO gridgov_worker, gridgov_supervisor, gridgov_planner, gridgov_admin;
-- analysts read events and workers column by column (no personal data): the new columns too
GRANT SELECT (version, base_version) ON gridgov.event TO gridgov_analyst;
GRANT SELECT (version, base_version, uid) ON gridgov.grid_worker TO gridgov_analyst;
-- planners may state the version they read of a plan they rename
GRANT UPDATE (base_version) ON gridgov.grid_plan TO gridgov_planner;
GRANT EXECUTE ON FUNCTION gridgov.transition(uuid, text, integer, text, text) TO gridgov_worker, gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.assign(uuid, text, text, integer, text, text),
                          gridgov.merge_events(uuid, uuid[], integer[], text, text) TO gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.set_camera_status(text, text, text) TO gridgov_channel, gridgov_planner;
GRANT EXECUTE ON FUNCTION gridgov.record_resolution(text, text, jsonb) TO gridgov_supervisor, gridgov_planner, gridgov_admin;
