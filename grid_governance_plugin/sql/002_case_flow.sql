-- 002: the closed-loop case flow (上报 → 受理/立案 → 派遣 → 处置 → 核查 → 结案), enforced here
-- so that every client (plugin, channel, psql, a script) obeys the same rules.
-- Python mirror: grid_governance_plugin/core/events/cases.py (a test compares both).

-- The allowed transitions, as data: the trigger, the plugin's buttons and the docs read it.
CREATE TABLE gridgov.case_transition (
    from_status text NOT NULL,
    to_status text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('forward', 'return', 'void')),
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO gridgov.case_transition (from_status, to_status, kind) VALUES
    ('reported', 'registered', 'forward'),     -- 受理/立案
    ('registered', 'dispatched', 'forward'),   -- 派遣
    ('dispatched', 'handled', 'forward'),      -- 处置
    ('handled', 'verified', 'forward'),        -- 核查
    ('verified', 'closed', 'forward'),         -- 结案
    ('registered', 'reported', 'return'),      -- 退回: one step back
    ('dispatched', 'registered', 'return'),
    ('handled', 'dispatched', 'return'),
    ('verified', 'handled', 'return'),
    ('reported', 'void', 'void'),              -- 作废: invalid reports, before dispatch only
    ('registered', 'void', 'void');
-- closed and void have no outgoing rows: they are terminal.

-- Deadline of the step a case is waiting in, from the responsibility list. A verified case
-- waits for the desk's 结案, timed like 立案 (register_hours).
CREATE FUNCTION gridgov.step_deadline(category text, status text, start timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT start + make_interval(secs => 3600 * CASE status
        WHEN 'reported' THEN c.register_hours
        WHEN 'registered' THEN c.dispatch_hours
        WHEN 'dispatched' THEN c.handle_hours
        WHEN 'handled' THEN c.verify_hours
        WHEN 'verified' THEN c.register_hours
    END)
    FROM gridgov.event_category c WHERE c.code = category
$$;

-- Who did it: the application may name the person (gridgov.actor), else the login role.
-- session_user, not current_user: inside SECURITY DEFINER functions current_user is the owner.
CREATE FUNCTION gridgov.current_actor() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('gridgov.actor', true), ''), session_user::text)
$$;

-- SECURITY DEFINER: whoever may UPDATE the table gets the rule applied, even without
-- privileges on the rule table or the helpers.
CREATE FUNCTION gridgov.event_check_transition() RETURNS trigger
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
        NEW.closed_at := NULL;  -- unreachable today (closed is terminal); keeps closed_at honest if rules change
    END IF;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (NEW.id, now(), gridgov.current_actor(), OLD.status, NEW.status,
            nullif(current_setting('gridgov.note', true), ''));
    RETURN NEW;
END
$$;
-- WHEN keeps ordinary updates (assignment, notes) free of the lookup.
CREATE TRIGGER event_check_transition BEFORE UPDATE OF status ON gridgov.event
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION gridgov.event_check_transition();

-- updated_at drives the live layer's catch-up: every change moves it.
CREATE FUNCTION gridgov.event_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER event_touch BEFORE UPDATE ON gridgov.event
    FOR EACH ROW EXECUTE FUNCTION gridgov.event_touch();

-- Set actor/note for the current transaction only, returning the previous values to restore.
CREATE FUNCTION gridgov._set_actor_note(actor text, note text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    prev text[] := ARRAY[current_setting('gridgov.actor', true), current_setting('gridgov.note', true)];
BEGIN
    PERFORM set_config('gridgov.actor', coalesce(actor, prev[1], ''), true);
    PERFORM set_config('gridgov.note', coalesce(note, ''), true);
    RETURN prev;
END
$$;

CREATE FUNCTION gridgov._restore_actor_note(prev text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('gridgov.actor', coalesce(prev[1], ''), true);
    PERFORM set_config('gridgov.note', coalesce(prev[2], ''), true);
END
$$;

-- The clients' entry point: one case, one step, with who and why. SECURITY DEFINER so that
-- supervisors need no UPDATE privilege on the table; the trigger still checks the rule.
CREATE FUNCTION gridgov.transition(event_id uuid, to_status text, actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS timestamptz LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    prev text[];
    deadline timestamptz;
BEGIN
    IF transition.event_id IS NULL OR transition.to_status IS NULL THEN
        RAISE EXCEPTION 'transition: event_id and to_status are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT e.status INTO cur FROM gridgov.event e WHERE e.id = transition.event_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'transition: no event %', transition.event_id USING ERRCODE = 'no_data_found';
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

-- Assignment to a department or worker (派遣 target), recorded like a transition.
CREATE FUNCTION gridgov.assign(event_id uuid, department text, worker_id text DEFAULT NULL,
                               actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
BEGIN
    SELECT e.status INTO cur FROM gridgov.event e WHERE e.id = assign.event_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'assign: no event %', assign.event_id USING ERRCODE = 'no_data_found';
    END IF;
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

-- Open = every status that still has a step to go.
-- The board reads open cases by deadline: a partial index keeps that independent of the
-- millions of closed cases, and INCLUDE makes it covering (index-only scans), because open
-- cases lie scattered over the whole table and fetching each one's heap page costs more
-- than the rest of the query.
CREATE INDEX event_open_deadline_idx ON gridgov.event (deadline_at)
    INCLUDE (id, status, category_code, level, department, worker_id, grid_code, community_code, street_code,
             reported_at, geom)
    WHERE status IN ('reported', 'registered', 'dispatched', 'handled', 'verified');

-- 吹哨报到: a case not yet handled when its step's deadline passed moves up one level
-- (community → street → district); one level per call, with a fresh deadline from `at`.
-- Department stays: the higher level coordinates, the department still does the work.
CREATE FUNCTION gridgov.escalate_overdue(at timestamptz DEFAULT now())
RETURNS TABLE (event_id uuid, status text, from_level text, to_level text, deadline_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    t timestamptz := escalate_overdue.at;
BEGIN
    RETURN QUERY
    WITH due AS (
        SELECT e.id FROM gridgov.event e
        WHERE e.status IN ('reported', 'registered', 'dispatched')
          AND e.deadline_at < t AND e.level IN ('community', 'street')
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

-- Candidate duplicates: same category, within distance_m metres (geodesic) and time_window,
-- the later one still unregistered or just registered (it can still be voided), neither merged.
CREATE FUNCTION gridgov.suggest_duplicates(distance_m double precision DEFAULT 50,
                                           time_window interval DEFAULT interval '24 hours')
RETURNS TABLE (event_id uuid, duplicate_id uuid, category_code text, distance double precision, time_apart interval)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT a.id, b.id, b.category_code,
           ST_Distance(a.geom::geography, b.geom::geography), b.reported_at - a.reported_at
    FROM gridgov.event b
    JOIN gridgov.event a
      -- index prefilter in degrees (longitude degrees shrink with cos(lat)), then exact metres
      ON a.geom && ST_Expand(b.geom, distance_m / (111320.0 * greatest(cos(radians(ST_Y(b.geom))), 0.1)))
     AND a.category_code = b.category_code
     AND a.id <> b.id
     AND (a.reported_at, a.id) < (b.reported_at, b.id)
     AND a.reported_at >= b.reported_at - time_window
     AND a.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')
     AND a.duplicate_of IS NULL
     AND ST_DWithin(a.geom::geography, b.geom::geography, distance_m)
    WHERE b.status IN ('reported', 'registered') AND b.duplicate_of IS NULL
    ORDER BY b.reported_at, 4
$$;

-- Merge: duplicates point at the kept case and are voided (作废) through the state machine,
-- so only reported/registered reports can be merged; the kept case's history lists them.
CREATE FUNCTION gridgov.merge_events(keep uuid, dups uuid[], actor text DEFAULT NULL, note text DEFAULT NULL)
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
    SELECT e.status, e.duplicate_of INTO keep_status, keep_dup FROM gridgov.event e WHERE e.id = keep FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'merge_events: no event %', keep USING ERRCODE = 'no_data_found';
    END IF;
    IF keep_status = 'void' OR keep_dup IS NOT NULL THEN
        RAISE EXCEPTION 'merge_events: event % is void or itself a duplicate; merge into %', keep,
            coalesce(keep_dup::text, 'a live case') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR d IN SELECT DISTINCT u FROM unnest(dups) u ORDER BY u LOOP  -- sorted: no lock-order deadlocks
        SELECT e.status INTO d_status FROM gridgov.event e WHERE e.id = d FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'merge_events: no event %', d USING ERRCODE = 'no_data_found';
        END IF;
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

-- The overdue board (督办): open cases with what is left or how late they are, where, and who.
-- Filter on deadline_at (e.g. deadline_at < now() + interval '4 hours') to use the partial index.
-- No geometry column: a view's geometry would be a layer without a spatial index; map it by
-- joining gridgov.event on id, or use case_board_at(), which returns geom.
CREATE VIEW gridgov.case_board AS
SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department, d.name AS department_name,
       e.worker_id, e.grid_code, e.community_code, cm.name AS community_name, e.street_code, s.name AS street_name,
       e.reported_at, e.deadline_at,
       round((extract(epoch FROM now() - e.deadline_at) / 3600)::numeric, 2)::double precision AS hours_overdue,
       round((extract(epoch FROM e.deadline_at - now()) / 3600)::numeric, 2)::double precision AS hours_left,
       e.deadline_at < now() AS overdue
FROM gridgov.event e
LEFT JOIN gridgov.event_category c ON c.code = e.category_code
LEFT JOIN gridgov.department d ON d.code = e.department
LEFT JOIN gridgov.community cm ON cm.code = e.community_code
LEFT JOIN gridgov.street s ON s.code = e.street_code
WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified');

-- The same at any moment `at`, limited to cases overdue or due within `horizon` (NULL = all open).
-- Plain SQL, not SECURITY DEFINER: the planner inlines it and sees the real horizon (readers
-- have SELECT on the tables anyway).
CREATE FUNCTION gridgov.case_board_at(at timestamptz DEFAULT now(), horizon interval DEFAULT interval '24 hours')
RETURNS TABLE (id uuid, category_code text, major text, minor text, status text, level text, department text,
               department_name text, worker_id text, grid_code text, community_code text, community_name text,
               street_code text, street_name text, reported_at timestamptz, deadline_at timestamptz,
               hours_overdue double precision, hours_left double precision, overdue boolean, geom geometry)
LANGUAGE sql STABLE AS $$
    SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department, d.name,
           e.worker_id, e.grid_code, e.community_code, cm.name, e.street_code, s.name,
           e.reported_at, e.deadline_at,
           round((extract(epoch FROM at - e.deadline_at) / 3600)::numeric, 2)::double precision,
           round((extract(epoch FROM e.deadline_at - at) / 3600)::numeric, 2)::double precision,
           e.deadline_at < at, e.geom
    FROM gridgov.event e
    LEFT JOIN gridgov.event_category c ON c.code = e.category_code
    LEFT JOIN gridgov.department d ON d.code = e.department
    LEFT JOIN gridgov.community cm ON cm.code = e.community_code
    LEFT JOIN gridgov.street s ON s.code = e.street_code
    WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')
      AND e.deadline_at < at + coalesce(horizon, interval '1000 years')
    ORDER BY e.deadline_at
$$;
