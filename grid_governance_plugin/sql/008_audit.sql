-- 008: the audit trail (issue #10): who changed what and when on grids, plans, cameras,
-- buildings, grid workers, the responsibility list, areas, channels and events; history and
-- audit append-only for every role; closed cases frozen; restoring an earlier version.
-- Runs as gridgov_owner (core/store/migrations.py), like every migration after 007.
--
-- What the 2ndQuadrant audit trigger and pgMemento taught: no copy of the query text on
-- every row (it holds other rows' values and costs more than the change), no row when
-- nothing changed, only the changed columns, the login from the server and not from the
-- client, and no extra column on the audited tables.

CREATE TABLE gridgov.audit_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),            -- the transaction's time, as updated_at
    login text NOT NULL DEFAULT session_user,         -- set by the database (trigger below)
    actor text,                                       -- display name the client gave (gridgov.actor)
    table_name text NOT NULL,
    row_key text,                                     -- primary key as text ('/' between parts)
    op text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
    old jsonb,                                        -- UPDATE: changed columns before; DELETE: the row
    new jsonb,                                        -- UPDATE: changed columns after; INSERT: the row
    area_codes text[],                                -- the row's area codes, for the reader's area
    txid bigint NOT NULL DEFAULT txid_current(),      -- one transaction's entries belong together
    note text                                         -- why (gridgov.note), e.g. a restore
);
CREATE INDEX audit_log_row_idx ON gridgov.audit_log (table_name, row_key, id);
CREATE INDEX audit_log_at_idx ON gridgov.audit_log (at);
COMMENT ON TABLE gridgov.audit_log IS 'append-only audit trail; geometries as hex EWKB; docs/roles.md';

-- Row values as jsonb, geometries as hex EWKB (exact, and what the geometry input takes
-- back when a version is restored); jsonb of a geometry would be rounded GeoJSON.
CREATE FUNCTION gridgov._row_json(r anyelement) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    j jsonb := to_jsonb(r);
BEGIN
    IF j ? 'geom' AND j -> 'geom' <> 'null'::jsonb THEN
        j := j || jsonb_build_object('geom', encode(@postgis@.st_asewkb((r).geom), 'hex'));
    END IF;
    RETURN j;
END
$$;

CREATE FUNCTION gridgov.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o jsonb;
    n jsonb;
    d_old jsonb;
    d_new jsonb;
    src jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        o := gridgov._row_json(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        n := gridgov._row_json(NEW);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(x.key, o -> x.key), jsonb_object_agg(x.key, x.value) INTO d_old, d_new
        FROM jsonb_each(n) x
        WHERE x.key <> 'updated_at' AND (o -> x.key) IS DISTINCT FROM x.value;
        IF d_new IS NULL THEN
            RETURN NULL;  -- nothing but the touch timestamp changed: no entry
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        d_new := jsonb_strip_nulls(n);
    ELSE
        d_old := o;
    END IF;
    src := coalesce(n, o);
    INSERT INTO gridgov.audit_log (login, actor, table_name, row_key, op, old, new, area_codes, note)
    VALUES (session_user, nullif(current_setting('gridgov.actor', true), ''), TG_TABLE_NAME,
            (SELECT string_agg(src ->> k, '/' ORDER BY i) FROM unnest(TG_ARGV) WITH ORDINALITY a(k, i)),
            TG_OP, d_old, d_new,
            ARRAY(SELECT src ->> c FROM unnest(ARRAY['district_code', 'street_code', 'community_code', 'grid_code',
                                                     'area_code']) c
                  WHERE src ->> c IS NOT NULL),
            nullif(current_setting('gridgov.note', true), ''));
    RETURN NULL;
END
$$;

CREATE FUNCTION gridgov.audit_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO gridgov.audit_log (login, actor, table_name, op, note)
    VALUES (session_user, nullif(current_setting('gridgov.actor', true), ''), TG_TABLE_NAME, 'TRUNCATE',
            nullif(current_setting('gridgov.note', true), ''));
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('grid', 'id'), ('camera', 'id'), ('building', 'id'), ('dept_grid', 'id'), ('grid_worker', 'worker_id'),
        ('grid_plan', 'plan_id'), ('event_category', 'code'), ('department', 'code'),
        ('case_transition', 'from_status, to_status'), ('login_area', 'login, area_code'), ('channel_source', 'source'),
        ('city', 'code'), ('district', 'code'), ('street', 'code'), ('community', 'code'),
        -- issue #12's city settings, when its migration ran before this one
        ('work_calendar', 'day'), ('office_hours', 'id'), ('work_calendar_notice', 'year'),
        ('assessment_item', 'code')) v(tbl, keys)
    WHERE to_regclass('gridgov.' || v.tbl) IS NOT NULL
    LOOP
        EXECUTE format('CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON gridgov.%I FOR EACH ROW '
                       'EXECUTE FUNCTION gridgov.audit_row(%s)', t.tbl,
                       (SELECT string_agg(quote_literal(btrim(k)), ', ') FROM unnest(string_to_array(t.keys, ',')) k));
        EXECUTE format('CREATE TRIGGER audit_truncate AFTER TRUNCATE ON gridgov.%I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION gridgov.audit_truncate()', t.tbl);
    END LOOP;
END
$$;
-- Events: every change after the report (geometry, category, times, deadline, department,
-- status...). The report itself is the row (received_at) and its 'reported' history entry:
-- auditing each insert would double report_event's writes for nothing new.
CREATE TRIGGER audit AFTER UPDATE OR DELETE ON gridgov.event FOR EACH ROW EXECUTE FUNCTION gridgov.audit_row('id');
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON gridgov.event FOR EACH STATEMENT EXECUTE FUNCTION gridgov.audit_truncate();

-- ---------------------------------------------------------------------------------------
-- Append-only: no role may change or delete history or audit rows, gridgov_admin included.
-- Only the owner could disable these triggers (nobody logs in as it); a superuser can do
-- anything, including that (docs/deployment.md says so plainly).
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov.append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'gridgov.% is append-only: % refused (login %)', TG_TABLE_NAME, TG_OP, session_user
        USING ERRCODE = 'insufficient_privilege', SCHEMA = 'gridgov', TABLE = TG_TABLE_NAME,
              HINT = 'history and audit entries are never changed; a correction is a new entry';
END
$$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON gridgov.event_history
    FOR EACH ROW EXECUTE FUNCTION gridgov.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON gridgov.event_history
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON gridgov.audit_log
    FOR EACH ROW EXECUTE FUNCTION gridgov.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON gridgov.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov.append_only();

CREATE FUNCTION gridgov.audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.login := session_user;  -- whatever the caller passed
    NEW.at := now();
    NEW.txid := txid_current();
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_stamp BEFORE INSERT ON gridgov.audit_log FOR EACH ROW EXECUTE FUNCTION gridgov.audit_stamp();

-- ---------------------------------------------------------------------------------------
-- A closed or voided case is frozen: its place, category, times, source and key never
-- change. A deadline changes only with a transition (the transition trigger sets it) or an
-- escalation (escalate_overdue, running as gridgov_owner). Both are in event_history; a
-- refusal is in the server log with the login (docs/deployment.md: log settings).
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov.event_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.status IN ('closed', 'void')
       AND (@postgis@.st_asewkb(NEW.geom) IS DISTINCT FROM @postgis@.st_asewkb(OLD.geom) OR NEW.category_code IS DISTINCT FROM OLD.category_code
            OR NEW.reported_at IS DISTINCT FROM OLD.reported_at OR NEW.received_at IS DISTINCT FROM OLD.received_at
            OR NEW.closed_at IS DISTINCT FROM OLD.closed_at OR NEW.deadline_at IS DISTINCT FROM OLD.deadline_at
            OR NEW.source IS DISTINCT FROM OLD.source OR NEW.external_id IS DISTINCT FROM OLD.external_id) THEN
        RAISE EXCEPTION 'event % is %: its location, category, times, source and key are frozen (login %)',
            OLD.id, OLD.status, session_user
            USING ERRCODE = 'object_not_in_prerequisite_state', SCHEMA = 'gridgov', TABLE = 'event';
    END IF;
    IF NEW.deadline_at IS DISTINCT FROM OLD.deadline_at AND NEW.status IS NOT DISTINCT FROM OLD.status
       AND current_user <> 'gridgov_owner' THEN
        RAISE EXCEPTION 'event %: the deadline changes only with a transition or an escalation (login %)',
            OLD.id, session_user
            USING ERRCODE = 'object_not_in_prerequisite_state', SCHEMA = 'gridgov', TABLE = 'event',
                  COLUMN = 'deadline_at', HINT = 'use gridgov.transition or gridgov.escalate_overdue';
    END IF;
    RETURN NEW;
END
$$;
-- named to fire after event_check_transition (alphabetical), which sets the new deadline
CREATE TRIGGER event_guard BEFORE UPDATE ON gridgov.event FOR EACH ROW EXECUTE FUNCTION gridgov.event_guard();

-- ---------------------------------------------------------------------------------------
-- Versions and restore. A version is the row as it was right after an audit entry: the row
-- now, with the old values of every later entry put back (newest first); rows older than
-- the audit need no insert entry for that.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov._audit_key_column(table_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE table_name WHEN 'grid' THEN 'id' WHEN 'camera' THEN 'id' WHEN 'building' THEN 'id'
                           WHEN 'dept_grid' THEN 'id' WHEN 'grid_worker' THEN 'worker_id' END
$$;

-- The row of ``table_name`` (grid, camera, building, dept_grid, grid_worker) with key
-- ``row_key`` as it was right after audit entry ``audit_id`` (NULL: it did not exist then).
-- As the caller: row-level security and privileges apply.
CREATE FUNCTION gridgov.row_version(table_name text, row_key text, audit_id bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keycol text := gridgov._audit_key_column(row_version.table_name);
    state jsonb;
    a record;
BEGIN
    IF keycol IS NULL THEN
        RAISE EXCEPTION 'row_version: % has no versions (grid, camera, building, dept_grid, grid_worker)',
            quote_literal(coalesce(row_version.table_name, 'NULL')) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM gridgov.audit_log l WHERE l.id = row_version.audit_id
                   AND l.table_name = row_version.table_name AND l.row_key = row_version.row_key) THEN
        RAISE EXCEPTION 'row_version: audit entry % is not about %/%', row_version.audit_id, row_version.table_name,
            row_version.row_key USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format('SELECT gridgov._row_json(t) FROM gridgov.%I t WHERE t.%I::text = $1', row_version.table_name, keycol)
        INTO state USING row_version.row_key;
    FOR a IN SELECT l.op, l.old FROM gridgov.audit_log l
             WHERE l.table_name = row_version.table_name AND l.row_key = row_version.row_key
               AND l.id > row_version.audit_id
             ORDER BY l.id DESC LOOP
        IF a.op = 'INSERT' THEN
            state := NULL;          -- created after that version
        ELSIF a.op = 'DELETE' THEN
            state := a.old;         -- deleted later: start from what was deleted
        ELSE
            state := state || a.old;
        END IF;
    END LOOP;
    RETURN state;
END
$$;

-- Put the version right after audit entry ``audit_id`` back, as a new edit by the caller
-- (audited like any other, with the note 'restored ...'); the columns it changed.
CREATE FUNCTION gridgov.restore_version(table_name text, row_key text, audit_id bigint) RETURNS text[]
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
    WHERE w.key NOT IN (keycol, 'updated_at') AND cur ? w.key AND (cur -> w.key) IS DISTINCT FROM w.value;
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
-- Who reads the audit: admins all of it; supervisors and planners the entries of rows in
-- their area (not the logins' areas and channels).
-- ---------------------------------------------------------------------------------------
ALTER TABLE gridgov.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_area ON gridgov.audit_log FOR SELECT USING (
    (SELECT gridgov._has_role('gridgov_admin'))
    OR (table_name NOT IN ('login_area', 'channel_source')
        AND ((SELECT gridgov._area_all())
             OR EXISTS (SELECT 1 FROM unnest(area_codes) c WHERE c LIKE ANY ((SELECT gridgov._area_patterns())::text[])))));

GRANT SELECT ON gridgov.audit_log TO gridgov_supervisor, gridgov_planner, gridgov_admin;
GRANT EXECUTE ON FUNCTION gridgov.row_version(text, text, bigint), gridgov._row_json(anyelement),
                          gridgov._audit_key_column(text) TO gridgov_supervisor, gridgov_planner, gridgov_admin;
GRANT EXECUTE ON FUNCTION gridgov.restore_version(text, text, bigint) TO gridgov_planner;
