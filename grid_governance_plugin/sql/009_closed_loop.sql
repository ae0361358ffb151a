-- gridgov: run as installer
-- The closed loop that runs by itself (issue #12, part two): deadlines in working time from
-- the responsibility list (per-category unit, case grades), one working-time definition of
-- "overdue" and "hours late", escalation recorded level by level and run on a schedule,
-- 吹哨 by hand, suspension (挂账) and extension (延期) as transitions of the one state machine,
-- the hotline's satisfaction callback, and upstream status (Open311) as transitions too.
--
-- Runs as the installing login only for its last section (pg_cron: CREATE EXTENSION needs a
-- superuser); everything else runs as gridgov_owner, as every migration after the roles one.
-- docs/working-time.md, docs/events.md ("Suspension, extension, grades, escalation"),
-- docs/field-channels.md (report_status, report_satisfaction), docs/deployment.md (schedule)
-- and docs/roles.md (who may call what) describe what is here.

SET LOCAL ROLE gridgov_owner;

-- ---------------------------------------------------------------------------------------
-- 1. The responsibility list: each category's deadlines count in its own unit. The four
--    step columns keep their names (a public interface) and hold numbers in that unit:
--    working_hours 工作时 (default), working_days 工作日 (whole days), calendar_hours 自然时
--    (emergencies, round the clock).
-- ---------------------------------------------------------------------------------------
ALTER TABLE gridgov.event_category
    ADD COLUMN time_unit text NOT NULL DEFAULT 'working_hours'
        CHECK (time_unit IN ('working_hours', 'working_days', 'calendar_hours'));
ALTER TABLE gridgov.event_category ADD CONSTRAINT event_category_whole_days CHECK (
    time_unit <> 'working_days'
    OR (register_hours = trunc(register_hours) AND dispatch_hours = trunc(dispatch_hours)
        AND handle_hours = trunc(handle_hours) AND verify_hours = trunc(verify_hours)));
COMMENT ON COLUMN gridgov.event_category.time_unit IS
    'unit of the four step deadlines: working_hours (工作时), working_days (工作日), calendar_hours (自然时)';
-- 突发事件 (road collapse, burst water and gas mains, flooding) run round the clock
UPDATE gridgov.event_category SET time_unit = 'calendar_hours' WHERE code IN ('SJ0401', 'SJ0402', 'SJ0403', 'SJ0405');

-- Case grades 简易 / 一般 / 突出 / 重大: a factor on every step's length after 受理 and the
-- lowest level that handles the case (重大 goes straight to the street).
CREATE TABLE gridgov.case_grade (
    code text PRIMARY KEY CHECK (code IN ('simple', 'ordinary', 'prominent', 'major')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    factor double precision NOT NULL DEFAULT 1 CHECK (factor > 0 AND factor <= 10),
    min_level text NOT NULL DEFAULT 'community' CHECK (min_level IN ('community', 'street', 'district')),
    rank integer NOT NULL UNIQUE
);
INSERT INTO gridgov.case_grade (code, name, factor, min_level, rank) VALUES
    ('simple', '简易', 0.5, 'community', 1),
    ('ordinary', '一般', 1, 'community', 2),
    ('prominent', '突出', 1.5, 'community', 3),
    ('major', '重大', 2, 'street', 4);
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON gridgov.case_grade
    FOR EACH ROW EXECUTE FUNCTION gridgov.audit_row('code');
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON gridgov.case_grade
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov.audit_truncate();

-- ---------------------------------------------------------------------------------------
-- 2. The case: its grade, when it was last escalated, the callback result; a suspended state.
-- ---------------------------------------------------------------------------------------
ALTER TABLE gridgov.event
    ADD COLUMN grade text NOT NULL DEFAULT 'ordinary' REFERENCES gridgov.case_grade (code),
    ADD COLUMN escalated_at timestamptz,
    ADD COLUMN satisfaction text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    ADD COLUMN satisfaction_at timestamptz;
COMMENT ON COLUMN gridgov.event.grade IS 'case grade (gridgov.case_grade): simple 简易, ordinary 一般, prominent 突出, major 重大';
COMMENT ON COLUMN gridgov.event.escalated_at IS 'last escalation to the current level (吹哨报到), by schedule, by hand or by grade';
COMMENT ON COLUMN gridgov.event.satisfaction IS 'callback result (回访): satisfied 满意, basically_satisfied 基本满意, dissatisfied 不满意';
ALTER TABLE gridgov.event DROP CONSTRAINT event_status_check;
ALTER TABLE gridgov.event ADD CONSTRAINT event_status_check CHECK (status IN
    ('reported', 'registered', 'dispatched', 'handled', 'verified', 'suspended', 'closed', 'void')) NOT VALID;
ALTER TABLE gridgov.event VALIDATE CONSTRAINT event_status_check;
CREATE INDEX event_suspended_idx ON gridgov.event (status) WHERE status = 'suspended';
-- the upstream system's own time of a change (Open311 updated_datetime, the callback's time)
ALTER TABLE gridgov.event_history ADD COLUMN source_at timestamptz;
COMMENT ON COLUMN gridgov.event_history.source_at IS 'when the change happened at its source (an upstream system), if it came from one';

-- The one state machine, as data. New kinds: suspend 挂账 and resume, extend 延期 (a step
-- that keeps the status and moves the deadline), external (an upstream system closed the
-- request: only gridgov.report_status), reopen (a closed case back into the flow: 重办).
ALTER TABLE gridgov.case_transition DROP CONSTRAINT case_transition_kind_check;
ALTER TABLE gridgov.case_transition ADD CONSTRAINT case_transition_kind_check
    CHECK (kind IN ('forward', 'return', 'void', 'suspend', 'resume', 'extend', 'external', 'reopen'));
INSERT INTO gridgov.case_transition (from_status, to_status, kind) VALUES
    ('dispatched', 'suspended', 'suspend'),    -- 挂账: approved by a supervisor; the clock stops
    ('suspended', 'dispatched', 'resume'),     -- the clock runs again with the time that was left
    ('dispatched', 'dispatched', 'extend'),    -- 延期: approved by a supervisor
    ('reported', 'closed', 'external'),        -- closed upstream (Open311 and the like)
    ('registered', 'closed', 'external'),
    ('dispatched', 'closed', 'external'),
    ('handled', 'closed', 'external'),
    ('suspended', 'closed', 'external'),
    ('closed', 'registered', 'reopen')         -- 重办: reopened (by a supervisor or upstream)
ON CONFLICT DO NOTHING;

-- Requests of a handler (a grid worker or a supervisor) to suspend a case or extend its
-- deadline, and the supervisor's decision. One open request per case.
CREATE TABLE gridgov.case_request (
    id bigserial PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES gridgov.event (id),
    kind text NOT NULL CHECK (kind IN ('suspend', 'extend')),
    reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
    amount double precision CHECK (amount > 0 AND amount <= 8760),  -- extend: in the category's unit
    requested_by text NOT NULL DEFAULT session_user,
    requested_at timestamptz NOT NULL DEFAULT now(),
    decision text CHECK (decision IN ('approved', 'refused')),
    decided_by text,
    decided_at timestamptz,
    decision_note text CHECK (length(decision_note) <= 1000),
    remaining_hours double precision,  -- suspend: working (or calendar) hours left when the clock stopped
    resumed_at timestamptz,
    resumed_by text,
    CHECK ((kind = 'extend') = (amount IS NOT NULL))
);
CREATE UNIQUE INDEX case_request_one_open ON gridgov.case_request (event_id) WHERE decision IS NULL;
CREATE INDEX case_request_event_idx ON gridgov.case_request (event_id, id);

-- Every escalation, with the level it left and the level it reached. kind: overdue (the
-- schedule or a sweep), manual (吹哨 by a supervisor, with a reason), grade (重大 to street).
-- One escalation per missed deadline, whatever runs the sweep and how often.
CREATE TABLE gridgov.case_escalation (
    id bigserial PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES gridgov.event (id),
    at timestamptz NOT NULL DEFAULT now(),
    from_level text NOT NULL CHECK (from_level IN ('community', 'street', 'district')),
    to_level text NOT NULL CHECK (to_level IN ('community', 'street', 'district')),
    kind text NOT NULL CHECK (kind IN ('overdue', 'manual', 'grade')),
    missed_deadline timestamptz,
    reason text CHECK (length(reason) <= 1000),
    login text NOT NULL DEFAULT session_user,
    CHECK (kind <> 'overdue' OR missed_deadline IS NOT NULL)
);
CREATE UNIQUE INDEX case_escalation_once ON gridgov.case_escalation (event_id, missed_deadline) WHERE kind = 'overdue';
CREATE INDEX case_escalation_event_idx ON gridgov.case_escalation (event_id, at);

-- Every sweep of escalate_overdue (the schedule, qgis_process, a supervisor): the board says
-- when escalation last ran, so a dead schedule is noticed.
CREATE TABLE gridgov.escalation_run (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    as_of timestamptz NOT NULL,
    login text NOT NULL DEFAULT session_user,
    via text,                    -- the client's application_name (pg_cron, gridgov:escalateoverdue, ...)
    escalated integer NOT NULL
);
CREATE INDEX escalation_run_at_idx ON gridgov.escalation_run (at);

-- ---------------------------------------------------------------------------------------
-- 3. Deadlines. One function maps a unit to its arithmetic; step_deadline reads the list.
-- ---------------------------------------------------------------------------------------
-- ``start`` plus ``amount`` of ``unit``: working hours (the default), whole working days (the
-- close of office on the n-th working day after start's day) or calendar hours.
CREATE FUNCTION gridgov.add_case_time(start timestamptz, amount double precision, unit text)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE unit
        WHEN 'calendar_hours' THEN start + make_interval(secs => 3600 * amount)
        WHEN 'working_days' THEN gridgov.add_working_days(start, ceil(amount)::integer)
        ELSE gridgov.add_working_hours(start, amount) END
$$;

-- The deadline of the step a case waits in, from ``start``: the category's time for the step,
-- in its unit, times the grade's factor (受理, the 'reported' step, comes before grading).
CREATE FUNCTION gridgov.step_deadline(category text, status text, start timestamptz, grade text)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT gridgov.add_case_time(start,
        CASE status WHEN 'reported' THEN c.register_hours
                    WHEN 'registered' THEN c.dispatch_hours
                    WHEN 'dispatched' THEN c.handle_hours
                    WHEN 'handled' THEN c.verify_hours
                    WHEN 'verified' THEN c.register_hours END
        * CASE WHEN status = 'reported' THEN 1 ELSE coalesce(g.factor, 1) END,
        c.time_unit)
    FROM gridgov.event_category c
    LEFT JOIN gridgov.case_grade g ON g.code = coalesce(step_deadline.grade, 'ordinary')
    WHERE c.code = category
$$;

-- 002's signature, kept: the grade 一般.
CREATE OR REPLACE FUNCTION gridgov.step_deadline(category text, status text, start timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT gridgov.step_deadline(category, status, start, 'ordinary')
$$;

-- ---------------------------------------------------------------------------------------
-- 4. One definition of "how late" in working time. W(t), the working clock of
--    docs/working-time.md, as a set-returning SQL function without SET clauses: the planner
--    inlines it into the board's query (a join on work_day per row, not a function call per
--    row). gridgov.working_seconds_at computes the same W one call at a time (a test compares).
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov.working_clock(t timestamptz) RETURNS TABLE (w double precision)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT wd.cum_before
           + coalesce(greatest(0, least(s.s, wd.ends[1]) - wd.starts[1]), 0)
           + coalesce(greatest(0, least(s.s, wd.ends[2]) - wd.starts[2]), 0)
           + coalesce(greatest(0, least(s.s, wd.ends[3]) - wd.starts[3]), 0)
           + coalesce(greatest(0, least(s.s, wd.ends[4]) - wd.starts[4]), 0)
    FROM (SELECT t AT TIME ZONE 'Asia/Shanghai' AS lt) l
    JOIN gridgov.work_day wd ON wd.day = l.lt::date
    CROSS JOIN LATERAL (SELECT date_part('epoch', l.lt::time) AS s) s
$$;

-- Hours from ``from_ts`` to ``to_ts`` in a category's unit (calendar hours for calendar_hours,
-- working hours otherwise: a case days late counts its working hours), 2 decimals, given the
-- working clock at both ends. The arithmetic of every "hours late / left" (inlined).
CREATE FUNCTION gridgov.case_hours(from_ts timestamptz, to_ts timestamptz, from_w double precision,
                                   to_w double precision, unit text)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round((CASE WHEN unit = 'calendar_hours' THEN extract(epoch FROM to_ts - from_ts)
                       ELSE to_w - from_w END / 3600)::numeric, 2)::double precision
$$;

-- Hours from ``from_ts`` to ``to_ts`` (negative when earlier) in ``unit``, 2 decimals.
CREATE FUNCTION gridgov.hours_between(from_ts timestamptz, to_ts timestamptz, unit text) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT gridgov.case_hours(from_ts, to_ts, a.w, b.w, unit)
    FROM gridgov.working_clock(from_ts) a, gridgov.working_clock(to_ts) b
$$;

-- 007's signature: working hours now (it was calendar hours).
CREATE OR REPLACE FUNCTION gridgov.hours_between(from_ts timestamptz, to_ts timestamptz) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT gridgov.hours_between(from_ts, to_ts, 'working_hours')
$$;

-- The level a login works at: the highest of its areas (a city-wide login: district, the top
-- of the ladder). "Escalated to you": a case escalated to the level you work at.
CREATE FUNCTION gridgov.my_level() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN gridgov._area_all() THEN 'district'
                ELSE (SELECT CASE min(length(a.area_code)) WHEN 6 THEN 'district' WHEN 9 THEN 'street'
                                                           WHEN 12 THEN 'community' WHEN 15 THEN 'grid' END
                      FROM gridgov.login_area a
                      WHERE a.login = session_user AND a.area_code ~ '^[0-9]{6}([0-9]{3}){0,3}$') END
$$;

-- The board (督办) at ``at``: open cases due within ``horizon`` *working* hours of ``at``
-- (NULL: every open case). Overdue is gridgov.is_overdue (the deadline, an instant computed
-- in working time, has passed); hours late/left are in the category's unit. Plain SQL, as
-- the caller: inlined, so ORDER BY deadline_at LIMIT walks the partial index of open cases
-- and W of each deadline is one index probe in work_day; row-level security applies.
DROP VIEW gridgov.case_board;
DROP FUNCTION gridgov.case_board_at(timestamptz, interval);
CREATE FUNCTION gridgov.case_board_at(at timestamptz DEFAULT now(), horizon interval DEFAULT interval '24 hours')
RETURNS TABLE (id uuid, category_code text, major text, minor text, status text, level text, department text,
               department_name text, worker_id text, grid_code text, community_code text, community_name text,
               street_code text, street_name text, reported_at timestamptz, deadline_at timestamptz,
               hours_overdue double precision, hours_left double precision, overdue boolean,
               geom @postgis@.geometry, grade text, time_unit text, escalated_at timestamptz,
               escalated_to_me boolean)
LANGUAGE sql STABLE AS $$
    SELECT e.id, e.category_code, c.major, c.minor, e.status, e.level, e.department, d.name,
           e.worker_id, e.grid_code, e.community_code, cm.name, e.street_code, s.name,
           e.reported_at, e.deadline_at, h.late, -h.late,
           gridgov.is_overdue(e.status, e.deadline_at, at), e.geom,
           e.grade, c.time_unit, e.escalated_at,
           e.escalated_at IS NOT NULL AND e.level = (SELECT gridgov.my_level())
    FROM gridgov.event e
    -- W(at) once (OFFSET 0: computed, not re-expanded into every row), W(deadline) per row
    CROSS JOIN (SELECT wa.w FROM gridgov.working_clock(at) wa OFFSET 0) wa
    LEFT JOIN LATERAL gridgov.working_clock(e.deadline_at) wd ON true
    LEFT JOIN gridgov.event_category c ON c.code = e.category_code
    CROSS JOIN LATERAL (SELECT gridgov.case_hours(e.deadline_at, at, wd.w, wa.w, c.time_unit) AS late OFFSET 0) h
    LEFT JOIN gridgov.department d ON d.code = e.department
    LEFT JOIN gridgov.community cm ON cm.code = e.community_code
    LEFT JOIN gridgov.street s ON s.code = e.street_code
    WHERE e.status IN ('reported', 'registered', 'dispatched', 'handled', 'verified')
      AND (horizon IS NULL
           OR e.deadline_at < gridgov.add_working_hours(at, extract(epoch FROM horizon)::double precision / 3600))
    ORDER BY e.deadline_at
$$;

CREATE VIEW gridgov.case_board WITH (security_invoker = true) AS
SELECT b.id, b.category_code, b.major, b.minor, b.status, b.level, b.department, b.department_name, b.worker_id,
       b.grid_code, b.community_code, b.community_name, b.street_code, b.street_name, b.reported_at, b.deadline_at,
       b.hours_overdue, b.hours_left, b.overdue, b.grade, b.time_unit, b.escalated_at, b.escalated_to_me
FROM gridgov.case_board_at(now(), NULL) b;

-- The deadline of a case's handling (派遣 → 处置) for the on-time rates and the assessment:
-- the first dispatch's step deadline, moved by every extension approved after it and by the
-- time the case spent suspended (the clock stood still). NULL while the case is suspended.
CREATE FUNCTION gridgov.handling_due(event_id uuid, dispatched_at timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e record;
    due timestamptz;
    r record;
BEGIN
    IF dispatched_at IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT ev.category_code, ev.grade, c.time_unit INTO e
    FROM gridgov.event ev JOIN gridgov.event_category c ON c.code = ev.category_code
    WHERE ev.id = handling_due.event_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    due := gridgov.step_deadline(e.category_code, 'dispatched', dispatched_at, e.grade);
    FOR r IN SELECT q.kind, q.amount, q.decided_at, q.resumed_at FROM gridgov.case_request q
             WHERE q.event_id = handling_due.event_id AND q.decision = 'approved'
               AND q.decided_at >= handling_due.dispatched_at
             ORDER BY q.decided_at, q.id LOOP
        IF r.kind = 'extend' THEN
            due := gridgov.add_case_time(due, r.amount, e.time_unit);
        ELSIF r.resumed_at IS NULL THEN
            RETURN NULL;  -- suspended now: not due until it runs again
        ELSIF e.time_unit = 'calendar_hours' THEN
            due := due + (r.resumed_at - r.decided_at);
        ELSE
            due := gridgov.add_working_hours(due, gridgov.working_hours_between(r.decided_at, r.resumed_at));
        END IF;
    END LOOP;
    RETURN due;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 5. The transition trigger: everything 007 did, and
--    * deadlines from step_deadline with the case's grade, in the category's unit;
--    * no deadline while suspended (the clock stops), closed or void;
--    * a deadline or closed_at the updating function set itself is kept (only gridgov's own
--      SECURITY DEFINER functions update gridgov.event: resume, an upstream close);
--    * the history row records the source's time for upstream changes and reopening.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridgov.event_check_transition() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    allowed text;
    v_kind text;
BEGIN
    SELECT t.kind INTO v_kind FROM gridgov.case_transition t
    WHERE t.from_status = OLD.status AND t.to_status = NEW.status;
    IF NOT FOUND THEN
        SELECT string_agg(t.to_status, ', ' ORDER BY t.to_status) INTO allowed
        FROM gridgov.case_transition t WHERE t.from_status = OLD.status AND t.to_status <> t.from_status;
        RAISE EXCEPTION 'illegal case transition % -> % (event %)', OLD.status, NEW.status, OLD.id
            USING ERRCODE = 'check_violation', SCHEMA = 'gridgov', TABLE = 'event', COLUMN = 'status',
                  HINT = format('allowed from %s: %s', OLD.status, coalesce(allowed, 'nothing (terminal state)'));
    END IF;
    IF NEW.status IN ('closed', 'void', 'suspended') THEN
        NEW.deadline_at := NULL;
    ELSIF NEW.deadline_at IS NOT DISTINCT FROM OLD.deadline_at THEN
        NEW.deadline_at := gridgov.step_deadline(NEW.category_code, NEW.status, now(), NEW.grade);
    END IF;  -- else: set by the calling function (a resumed case's remaining time)
    IF NEW.status = 'closed' THEN
        IF NEW.closed_at IS NOT DISTINCT FROM OLD.closed_at OR NEW.closed_at > now() THEN
            NEW.closed_at := now();
        END IF;  -- else: the upstream system's time of closing (gridgov.report_status)
    ELSIF OLD.status = 'closed' THEN
        NEW.closed_at := NULL;
    END IF;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note, media_url, source_at)
    VALUES (NEW.id, now(), gridgov.current_actor(), OLD.status, NEW.status,
            nullif(current_setting('gridgov.note', true), ''),
            nullif(current_setting('gridgov.media_url', true), ''),
            CASE WHEN v_kind IN ('external', 'reopen')
                 THEN nullif(current_setting('gridgov.source_at', true), '')::timestamptz END);
    RETURN NEW;
END
$$;

-- 008's guard: a closed or voided case stays frozen except through a transition out of it
-- (reopening), and a deadline still changes only with a transition or one of gridgov's own
-- functions (escalation, extension, a grade).
CREATE OR REPLACE FUNCTION gridgov.event_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.status IN ('closed', 'void') AND NEW.status IS NOT DISTINCT FROM OLD.status
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
                  COLUMN = 'deadline_at', HINT = 'use gridgov.transition, gridgov.escalate_overdue or gridgov.request_extension';
    END IF;
    RETURN NEW;
END
$$;

-- People move cases with transition() along forward, return, void and reopen (重办) steps;
-- suspension, resumption and extension go through their own functions (a request and a
-- decision), upstream closing through report_status. Everything 007 did otherwise.
CREATE OR REPLACE FUNCTION gridgov.transition(event_id uuid, to_status text, actor text DEFAULT NULL, note text DEFAULT NULL)
RETURNS timestamptz LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    prev text[];
    deadline timestamptz;
    v_kind text;
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
    SELECT t.kind INTO v_kind FROM gridgov.case_transition t WHERE t.from_status = cur AND t.to_status = transition.to_status;
    IF v_kind IN ('suspend', 'resume', 'extend', 'external') THEN
        -- worded as the trigger's refusal: for a person this step is illegal (core/dberrors.py explains it)
        RAISE EXCEPTION 'illegal case transition % -> % (event %): a % step, not one of transition()', cur,
            transition.to_status, transition.event_id, v_kind
            USING ERRCODE = 'check_violation', COLUMN = 'status',
                  HINT = CASE v_kind WHEN 'suspend' THEN 'a handler asks with gridgov.request_suspension, a supervisor decides with gridgov.decide_request'
                                     WHEN 'resume' THEN 'gridgov.resume_case restarts the clock'
                                     WHEN 'extend' THEN 'gridgov.request_extension, then gridgov.decide_request'
                                     ELSE 'an upstream system closes its requests with gridgov.report_status' END;
    END IF;
    PERFORM set_config('gridgov.source_at', '', true);  -- a person's step has no upstream time
    prev := gridgov._set_actor_note(transition.actor, transition.note);
    UPDATE gridgov.event e SET status = transition.to_status WHERE e.id = transition.event_id
        RETURNING e.deadline_at INTO deadline;
    PERFORM gridgov._restore_actor_note(prev);
    RETURN deadline;  -- the new step's deadline (NULL once closed/void)
END
$$;

-- ---------------------------------------------------------------------------------------
-- 6. report_event: everything 007 did; the first deadline (受理) in working time, from
--    receipt, through step_deadline like every later one.
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
    SELECT c.department, c.level INTO cat FROM gridgov.event_category c WHERE c.code = report_event.category;
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
            -- from receipt, in the category's unit: late uploads are not born overdue
            gridgov.step_deadline(report_event.category, 'reported', now(), 'ordinary'),
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

-- ---------------------------------------------------------------------------------------
-- 7. Escalation (吹哨报到). Everything 007 did (area, no future ``at``, two sweeps never take
--    the same case), and: the fresh deadline with the case's grade and unit, escalated_at for
--    "escalated to you", one gridgov.case_escalation row per escalation (the level it left and
--    reached, the deadline it missed: never twice for one missed deadline), and one
--    gridgov.escalation_run row per sweep.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridgov.escalate_overdue(at timestamptz DEFAULT now())
RETURNS TABLE (event_id uuid, status text, from_level text, to_level text, deadline_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    t timestamptz := escalate_overdue.at;
    everywhere boolean := gridgov._area_all();
    pats text[] := gridgov._area_patterns();
    n integer;
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
        SELECT e.id, e.level AS old_level, e.deadline_at AS missed FROM gridgov.event e
        WHERE e.status IN ('reported', 'registered', 'dispatched')  -- not yet handled
          AND gridgov.is_overdue(e.status, e.deadline_at, t) AND e.level IN ('community', 'street')
          AND (everywhere OR e.street_code LIKE ANY (pats) OR e.community_code LIKE ANY (pats)
               OR e.grid_code LIKE ANY (pats))
          AND NOT EXISTS (SELECT 1 FROM gridgov.case_escalation x
                          WHERE x.event_id = e.id AND x.kind = 'overdue' AND x.missed_deadline = e.deadline_at)
        ORDER BY e.deadline_at
        FOR UPDATE SKIP LOCKED  -- two schedulers never escalate the same case twice
    ), moved AS (
        UPDATE gridgov.event e
        SET level = CASE e.level WHEN 'community' THEN 'street' ELSE 'district' END,
            deadline_at = gridgov.step_deadline(e.category_code, e.status, t, e.grade),
            escalated_at = now()
        FROM due WHERE e.id = due.id
        RETURNING e.id, e.status, due.old_level, e.level, e.deadline_at, due.missed
    ), logged AS (
        INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
        SELECT m.id, now(), gridgov.current_actor(), m.status, m.status,
               format('escalated %s -> %s (吹哨报到): deadline passed', m.old_level, m.level)
        FROM moved m
    ), recorded AS (
        INSERT INTO gridgov.case_escalation (event_id, from_level, to_level, kind, missed_deadline)
        SELECT m.id, m.old_level, m.level, 'overdue', m.missed FROM moved m
    )
    SELECT m.id, m.status, m.old_level, m.level, m.deadline_at FROM moved m;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO gridgov.escalation_run (as_of, via, escalated)
    VALUES (t, coalesce(nullif(current_setting('application_name', true), ''),  -- pg_cron's workers have none:
                        (SELECT a.backend_type FROM pg_stat_activity a WHERE a.pid = pg_backend_pid())), n);
END
$$;

-- 吹哨 by hand: a supervisor escalates one open case now, with a reason. The deadline stays
-- (escalating is not a way to gain time) unless it has passed: then the higher level gets a
-- fresh one, as the schedule would give it.
CREATE FUNCTION gridgov.escalate_case(event_id uuid, reason text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    e record;
    v_to text;
BEGIN
    PERFORM gridgov._require_role('gridgov_supervisor', 'escalate_case');
    IF escalate_case.event_id IS NULL OR escalate_case.reason IS NULL OR btrim(escalate_case.reason) = '' THEN
        RAISE EXCEPTION 'escalate_case: event_id and a reason are required' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'say why the case needs the level above (吹哨报到)';
    END IF;
    IF length(escalate_case.reason) > 1000 THEN
        RAISE EXCEPTION 'escalate_case: reason is longer than 1000 characters' USING ERRCODE = 'string_data_right_truncation';
    END IF;
    cur := gridgov._check_case_area(escalate_case.event_id, 'escalate_case');  -- locks the row
    IF cur NOT IN ('reported', 'registered', 'dispatched', 'handled', 'verified') THEN
        RAISE EXCEPTION 'escalate_case: event % is %: only an open case can be escalated', escalate_case.event_id, cur
            USING ERRCODE = 'check_violation', HINT = CASE WHEN cur = 'suspended' THEN 'resume it first (gridgov.resume_case)' END;
    END IF;
    SELECT ev.level, ev.deadline_at, ev.category_code, ev.grade INTO e FROM gridgov.event ev WHERE ev.id = escalate_case.event_id;
    IF e.level = 'district' THEN
        RAISE EXCEPTION 'escalate_case: event % is at district level already', escalate_case.event_id
            USING ERRCODE = 'check_violation', HINT = 'district is the top of the ladder (community -> street -> district)';
    END IF;
    v_to := CASE e.level WHEN 'community' THEN 'street' ELSE 'district' END;
    UPDATE gridgov.event ev SET level = v_to, escalated_at = now(),
        deadline_at = CASE WHEN gridgov.is_overdue(cur, ev.deadline_at, now())
                           THEN gridgov.step_deadline(ev.category_code, cur, now(), ev.grade) ELSE ev.deadline_at END
    WHERE ev.id = escalate_case.event_id;
    INSERT INTO gridgov.case_escalation (event_id, from_level, to_level, kind, missed_deadline, reason)
    VALUES (escalate_case.event_id, e.level, v_to, 'manual',
            CASE WHEN gridgov.is_overdue(cur, e.deadline_at, now()) THEN e.deadline_at END, escalate_case.reason);
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (escalate_case.event_id, now(), gridgov.current_actor(), cur, cur,
            format('escalated %s -> %s (吹哨报到) by hand: %s', e.level, v_to, escalate_case.reason));
    RETURN v_to;
END
$$;

-- The grade of a case (简易/一般/突出/重大), by a supervisor. The current step's deadline moves
-- by the difference the grade makes to the step's length (so an extension or a suspension
-- already counted stays counted); a grade with a higher minimum level (重大) takes the case
-- straight there.
CREATE FUNCTION gridgov.set_grade(event_id uuid, grade text, note text DEFAULT NULL) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    e record;
    g_old record;
    g_new record;
    base double precision;
    delta double precision;
    v_deadline timestamptz;
    v_level text;
    levels constant text[] := ARRAY['community', 'street', 'district'];
BEGIN
    PERFORM gridgov._require_role('gridgov_supervisor', 'set_grade');
    IF set_grade.event_id IS NULL OR set_grade.grade IS NULL THEN
        RAISE EXCEPTION 'set_grade: event_id and grade are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO g_new FROM gridgov.case_grade cg WHERE cg.code = set_grade.grade;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'set_grade: % is not a grade', quote_literal(set_grade.grade)
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'grade', HINT = 'simple, ordinary, prominent or major';
    END IF;
    IF length(set_grade.note) > 1000 THEN
        RAISE EXCEPTION 'set_grade: note is longer than 1000 characters' USING ERRCODE = 'string_data_right_truncation';
    END IF;
    cur := gridgov._check_case_area(set_grade.event_id, 'set_grade');  -- locks the row
    IF cur IN ('closed', 'void') THEN
        RAISE EXCEPTION 'set_grade: event % is % (terminal)', set_grade.event_id, cur USING ERRCODE = 'check_violation';
    END IF;
    SELECT ev.grade, ev.level, ev.deadline_at, c.time_unit,
           CASE cur WHEN 'registered' THEN c.dispatch_hours WHEN 'dispatched' THEN c.handle_hours
                    WHEN 'handled' THEN c.verify_hours WHEN 'verified' THEN c.register_hours END AS step
    INTO e FROM gridgov.event ev JOIN gridgov.event_category c ON c.code = ev.category_code
    WHERE ev.id = set_grade.event_id;
    IF e.grade = set_grade.grade THEN
        RETURN e.deadline_at;
    END IF;
    SELECT * INTO g_old FROM gridgov.case_grade cg WHERE cg.code = e.grade;
    v_deadline := e.deadline_at;
    IF e.step IS NOT NULL AND e.deadline_at IS NOT NULL THEN
        base := e.step;
        IF e.time_unit = 'working_days' THEN
            delta := ceil(base * g_new.factor) - ceil(base * coalesce(g_old.factor, 1));
        ELSE
            delta := base * g_new.factor - base * coalesce(g_old.factor, 1);
        END IF;
        IF delta <> 0 THEN
            v_deadline := gridgov.add_case_time(e.deadline_at, delta, e.time_unit);
        END IF;
    END IF;
    v_level := levels[greatest(array_position(levels, e.level), array_position(levels, g_new.min_level))];
    UPDATE gridgov.event ev SET grade = set_grade.grade, deadline_at = v_deadline, level = v_level,
        escalated_at = CASE WHEN v_level <> e.level THEN now() ELSE ev.escalated_at END
    WHERE ev.id = set_grade.event_id;
    IF v_level <> e.level THEN
        INSERT INTO gridgov.case_escalation (event_id, from_level, to_level, kind, reason)
        VALUES (set_grade.event_id, e.level, v_level, 'grade', format('grade %s', set_grade.grade));
    END IF;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (set_grade.event_id, now(), gridgov.current_actor(), cur, cur,
            concat_ws(': ', format('grade %s -> %s', e.grade, set_grade.grade)
                            || CASE WHEN v_level <> e.level THEN format(', level %s -> %s', e.level, v_level) ELSE '' END,
                      nullif(btrim(set_grade.note), '')));
    RETURN v_deadline;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 8. Suspension (挂账) and extension (延期): a handler asks with a reason, a supervisor
--    approves or refuses; approving is the transition (suspend) or the step (extend) of
--    gridgov.case_transition. While suspended the clock stands still: the working time left
--    is kept and given back when the case resumes.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov._open_request(event_id uuid, kind text, reason text, amount double precision, what text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    pending bigint;
    v_id bigint;
    v_unit text;
BEGIN
    IF NOT (gridgov._has_role('gridgov_worker') OR gridgov._has_role('gridgov_supervisor')) THEN
        PERFORM gridgov._require_role('gridgov_worker', what);
    END IF;
    IF _open_request.event_id IS NULL OR _open_request.reason IS NULL OR btrim(_open_request.reason) = '' THEN
        RAISE EXCEPTION '%: event_id and a reason are required', what USING ERRCODE = 'null_value_not_allowed',
            HINT = 'say why: awaiting a permit, the weather, a court ruling...';
    END IF;
    IF length(_open_request.reason) > 1000 THEN
        RAISE EXCEPTION '%: reason is longer than 1000 characters', what USING ERRCODE = 'string_data_right_truncation';
    END IF;
    cur := gridgov._check_case_area(_open_request.event_id, what);  -- locks the row
    IF NOT EXISTS (SELECT 1 FROM gridgov.case_transition t WHERE t.from_status = cur AND t.kind = _open_request.kind) THEN
        RAISE EXCEPTION '%: event % is %; only a case being handled (dispatched) can be %', what, _open_request.event_id,
            cur, CASE _open_request.kind WHEN 'suspend' THEN 'suspended' ELSE 'given more time' END
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT q.id INTO pending FROM gridgov.case_request q
    WHERE q.event_id = _open_request.event_id AND q.decision IS NULL;
    IF FOUND THEN
        RAISE EXCEPTION '%: event % has request % waiting for a decision', what, _open_request.event_id, pending
            USING ERRCODE = 'unique_violation', HINT = 'a supervisor decides it first (gridgov.decide_request)';
    END IF;
    INSERT INTO gridgov.case_request (event_id, kind, reason, amount)
    VALUES (_open_request.event_id, _open_request.kind, btrim(_open_request.reason), _open_request.amount)
    RETURNING id INTO v_id;
    SELECT c.time_unit INTO v_unit FROM gridgov.event ev JOIN gridgov.event_category c ON c.code = ev.category_code
    WHERE ev.id = _open_request.event_id;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
    VALUES (_open_request.event_id, now(), gridgov.current_actor(), cur, cur,
            CASE _open_request.kind WHEN 'suspend' THEN format('asked to suspend (request %s): %s', v_id, btrim(_open_request.reason))
                 ELSE format('asked to extend by %s %s (request %s): %s', _open_request.amount, v_unit, v_id,
                             btrim(_open_request.reason)) END);
    RETURN v_id;
END
$$;

CREATE FUNCTION gridgov.request_suspension(event_id uuid, reason text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT gridgov._open_request(event_id, 'suspend', reason, NULL, 'request_suspension')
$$;

-- ``amount``: more time in the category's unit (hours, or whole working days).
CREATE FUNCTION gridgov.request_extension(event_id uuid, reason text, amount double precision) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF amount IS NULL OR NOT (amount > 0 AND amount <= 8760) THEN
        RAISE EXCEPTION 'request_extension: amount must be more than 0 and at most 8760 (hours or working days), not %',
            coalesce(amount::text, 'NULL') USING ERRCODE = 'invalid_parameter_value', COLUMN = 'amount';
    END IF;
    RETURN gridgov._open_request(event_id, 'extend', reason, amount, 'request_extension');
END
$$;

-- A supervisor's answer; returns the case's deadline afterwards (NULL when suspended).
CREATE FUNCTION gridgov.decide_request(request_id bigint, approve boolean, note text DEFAULT NULL) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    q record;
    cur text;
    e record;
    v_left double precision;
    v_deadline timestamptz;
    prev text[];
BEGIN
    PERFORM gridgov._require_role('gridgov_supervisor', 'decide_request');
    IF decide_request.request_id IS NULL OR decide_request.approve IS NULL THEN
        RAISE EXCEPTION 'decide_request: request_id and approve are required' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF length(decide_request.note) > 1000 THEN
        RAISE EXCEPTION 'decide_request: note is longer than 1000 characters' USING ERRCODE = 'string_data_right_truncation';
    END IF;
    SELECT * INTO q FROM gridgov.case_request r WHERE r.id = decide_request.request_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'decide_request: there is no request %', decide_request.request_id USING ERRCODE = 'no_data_found';
    END IF;
    cur := gridgov._check_case_area(q.event_id, 'decide_request');  -- locks the case (and so its requests)
    SELECT * INTO q FROM gridgov.case_request r WHERE r.id = decide_request.request_id FOR UPDATE;
    IF q.decision IS NOT NULL THEN
        RAISE EXCEPTION 'decide_request: request % was % by % already', q.id, q.decision, q.decided_by
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT ev.deadline_at, c.time_unit INTO e
    FROM gridgov.event ev JOIN gridgov.event_category c ON c.code = ev.category_code WHERE ev.id = q.event_id;
    v_deadline := e.deadline_at;
    IF decide_request.approve AND NOT EXISTS (SELECT 1 FROM gridgov.case_transition t
                                              WHERE t.from_status = cur AND t.kind = q.kind) THEN
        RAISE EXCEPTION 'decide_request: event % is % now; the % request % can only be refused', q.event_id, cur,
            q.kind, q.id USING ERRCODE = 'check_violation';
    END IF;
    IF NOT decide_request.approve THEN
        UPDATE gridgov.case_request r SET decision = 'refused', decided_by = session_user, decided_at = now(),
            decision_note = nullif(btrim(decide_request.note), '') WHERE r.id = q.id;
        INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
        VALUES (q.event_id, now(), gridgov.current_actor(), cur, cur,
                concat_ws(': ', format('%s refused (request %s)', CASE q.kind WHEN 'suspend' THEN 'suspension' ELSE 'extension' END, q.id),
                          nullif(btrim(decide_request.note), '')));
        RETURN v_deadline;
    END IF;
    IF q.kind = 'extend' THEN
        v_deadline := gridgov.add_case_time(e.deadline_at, q.amount, e.time_unit);
        UPDATE gridgov.case_request r SET decision = 'approved', decided_by = session_user, decided_at = now(),
            decision_note = nullif(btrim(decide_request.note), '') WHERE r.id = q.id;
        UPDATE gridgov.event ev SET deadline_at = v_deadline WHERE ev.id = q.event_id;
        INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note)
        VALUES (q.event_id, now(), gridgov.current_actor(), cur, cur,
                concat_ws(': ', format('deadline extended (延期) by %s %s (request %s)', q.amount, e.time_unit, q.id),
                          q.reason, nullif(btrim(decide_request.note), '')));
        RETURN v_deadline;
    END IF;
    -- suspend: keep what was left, in working hours (calendar hours for round-the-clock categories)
    v_left := CASE WHEN e.time_unit = 'calendar_hours' THEN extract(epoch FROM e.deadline_at - now()) / 3600
                   ELSE gridgov.working_hours_between(now(), e.deadline_at) END;
    UPDATE gridgov.case_request r SET decision = 'approved', decided_by = session_user, decided_at = now(),
        decision_note = nullif(btrim(decide_request.note), ''), remaining_hours = v_left WHERE r.id = q.id;
    PERFORM set_config('gridgov.source_at', '', true);
    prev := gridgov._set_actor_note(NULL, concat_ws(': ', format('suspended (挂账, request %s)', q.id), q.reason,
                                                   nullif(btrim(decide_request.note), '')));
    UPDATE gridgov.event ev SET status = (SELECT t.to_status FROM gridgov.case_transition t
                                          WHERE t.from_status = cur AND t.kind = 'suspend' LIMIT 1)
    WHERE ev.id = q.event_id;
    PERFORM gridgov._restore_actor_note(prev);
    RETURN NULL;
END
$$;

-- The clock runs again: the case goes back to handling with the working time it had left.
CREATE FUNCTION gridgov.resume_case(event_id uuid, note text DEFAULT NULL) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cur text;
    q record;
    v_unit text;
    v_to text;
    v_deadline timestamptz;
    prev text[];
BEGIN
    IF NOT (gridgov._has_role('gridgov_worker') OR gridgov._has_role('gridgov_supervisor')) THEN
        PERFORM gridgov._require_role('gridgov_supervisor', 'resume_case');
    END IF;
    IF length(resume_case.note) > 1000 THEN
        RAISE EXCEPTION 'resume_case: note is longer than 1000 characters' USING ERRCODE = 'string_data_right_truncation';
    END IF;
    cur := gridgov._check_case_area(resume_case.event_id, 'resume_case');  -- locks the row
    SELECT t.to_status INTO v_to FROM gridgov.case_transition t WHERE t.from_status = cur AND t.kind = 'resume';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'resume_case: event % is %, not suspended', resume_case.event_id, cur USING ERRCODE = 'check_violation';
    END IF;
    SELECT r.id, r.remaining_hours INTO q FROM gridgov.case_request r
    WHERE r.event_id = resume_case.event_id AND r.kind = 'suspend' AND r.decision = 'approved' AND r.resumed_at IS NULL
    ORDER BY r.id DESC LIMIT 1 FOR UPDATE;
    SELECT c.time_unit INTO v_unit FROM gridgov.event ev JOIN gridgov.event_category c ON c.code = ev.category_code
    WHERE ev.id = resume_case.event_id;
    v_deadline := CASE WHEN v_unit = 'calendar_hours' THEN now() + make_interval(secs => 3600 * coalesce(q.remaining_hours, 0))
                       ELSE gridgov.add_working_hours(now(), coalesce(q.remaining_hours, 0)) END;
    IF q.id IS NOT NULL THEN
        UPDATE gridgov.case_request r SET resumed_at = now(), resumed_by = session_user WHERE r.id = q.id;
    END IF;
    PERFORM set_config('gridgov.source_at', '', true);
    prev := gridgov._set_actor_note(NULL, concat_ws(': ', 'resumed', nullif(btrim(resume_case.note), '')));
    UPDATE gridgov.event ev SET status = v_to, deadline_at = v_deadline WHERE ev.id = resume_case.event_id
        RETURNING ev.deadline_at INTO v_deadline;
    PERFORM gridgov._restore_actor_note(prev);
    RETURN v_deadline;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 9. Field channels, continued (docs/field-channels.md): upstream status and the callback.
--    Like report_event: bound to the login's registered sources, identity from the login.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov._channel_case(source text, external_id text, what text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id uuid;
BEGIN
    IF _channel_case.source IS NULL OR _channel_case.source = '' OR _channel_case.external_id IS NULL
       OR _channel_case.external_id = '' THEN
        RAISE EXCEPTION '%: source and external_id are required', what USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM gridgov.channel_source s
                   WHERE s.source = _channel_case.source AND s.login = session_user)
       AND NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper) THEN
        RAISE EXCEPTION '%: source % is not registered for login %', what, quote_literal(_channel_case.source), session_user
            USING ERRCODE = 'insufficient_privilege', COLUMN = 'source',
                  HINT = 'an admin registers a channel''s sources with gridgov.register_channel(login, source)';
    END IF;
    SELECT e.id INTO v_id FROM gridgov.event e
    WHERE e.source = _channel_case.source AND e.external_id = _channel_case.external_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION '%: there is no case %/%', what, _channel_case.source, _channel_case.external_id
            USING ERRCODE = 'no_data_found', HINT = 'report it first with gridgov.report_event';
    END IF;
    RETURN v_id;
END
$$;

-- An upstream system's status of a request it reported: 'closed' closes the case at the
-- source's time (from any open state, through an 'external' step), 'open' reopens a closed
-- one (重办). Anything else is the caller's to map (docs/events.md: the status map). The
-- history records the change with the source's time. Returns the case's status afterwards.
CREATE FUNCTION gridgov.report_status(source text, external_id text, status text, changed_at timestamptz,
                                      note text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
SET lock_timeout = '3s' AS $$
DECLARE
    v_id uuid;
    cur text;
    v_reported timestamptz;
    v_to text;
    v_at timestamptz;
    prev text[];
BEGIN
    IF report_status.status IS NULL OR report_status.status NOT IN ('open', 'closed') THEN
        RAISE EXCEPTION 'report_status: status must be open or closed, not %', quote_literal(coalesce(report_status.status, 'NULL'))
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'status',
                  HINT = 'map other upstream statuses to open or closed (docs/events.md)';
    END IF;
    IF report_status.changed_at IS NULL THEN
        RAISE EXCEPTION 'report_status: changed_at is required' USING ERRCODE = 'null_value_not_allowed', COLUMN = 'changed_at';
    ELSIF report_status.changed_at > now() + interval '5 minutes' THEN
        RAISE EXCEPTION 'report_status: changed_at % is in the future (server time %)', report_status.changed_at, now()
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'changed_at';
    ELSIF report_status.changed_at < '2000-01-01 00:00:00+00'::timestamptz THEN
        RAISE EXCEPTION 'report_status: changed_at % is before 2000-01-01', report_status.changed_at
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'changed_at';
    END IF;
    IF length(report_status.note) > 2000 THEN
        RAISE EXCEPTION 'report_status: note is longer than 2000 characters' USING ERRCODE = 'string_data_right_truncation', COLUMN = 'note';
    END IF;
    v_id := gridgov._channel_case(report_status.source, report_status.external_id, 'report_status');  -- locks the row
    SELECT e.status, e.reported_at INTO cur, v_reported FROM gridgov.event e WHERE e.id = v_id;
    IF report_status.status = 'closed' THEN
        IF cur IN ('closed', 'void') THEN
            RETURN cur;
        END IF;
        SELECT t.to_status INTO v_to FROM gridgov.case_transition t
        WHERE t.from_status = cur AND t.to_status = 'closed' AND t.kind IN ('external', 'forward');
    ELSE
        IF cur <> 'closed' THEN
            RETURN cur;
        END IF;
        SELECT t.to_status INTO v_to FROM gridgov.case_transition t WHERE t.from_status = cur AND t.kind = 'reopen';
    END IF;
    IF v_to IS NULL THEN
        RAISE EXCEPTION 'report_status: case %/% is %; the case flow has no step to %', report_status.source,
            report_status.external_id, cur, report_status.status USING ERRCODE = 'check_violation';
    END IF;
    v_at := least(greatest(report_status.changed_at, v_reported), now());
    PERFORM set_config('gridgov.source_at', v_at::text, true);
    prev := gridgov._set_actor_note(NULL, concat_ws(': ', format('%s upstream (%s)',
                                                                CASE v_to WHEN 'closed' THEN 'closed' ELSE 'reopened' END,
                                                                report_status.source),
                                                   nullif(btrim(report_status.note), '')));
    IF v_to = 'closed' THEN
        UPDATE gridgov.event e SET status = v_to, closed_at = v_at WHERE e.id = v_id;
    ELSE
        UPDATE gridgov.event e SET status = v_to WHERE e.id = v_id;
    END IF;
    PERFORM gridgov._restore_actor_note(prev);
    PERFORM set_config('gridgov.source_at', '', true);
    RETURN v_to;
END
$$;

-- The hotline's callback (回访) on a closed case it reported: 满意 / 基本满意 / 不满意 (or
-- satisfied / basically_satisfied / dissatisfied). The latest callback counts; each is in
-- the history with its time. Returns the case id.
CREATE FUNCTION gridgov.report_satisfaction(source text, external_id text, result text,
                                            called_at timestamptz DEFAULT now())
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
SET lock_timeout = '3s' AS $$
DECLARE
    v_id uuid;
    cur text;
    v_result text;
    v_at timestamptz := coalesce(report_satisfaction.called_at, now());
    ev record;
BEGIN
    v_result := CASE btrim(coalesce(report_satisfaction.result, ''))
        WHEN 'satisfied' THEN 'satisfied' WHEN '满意' THEN 'satisfied' WHEN '非常满意' THEN 'satisfied'
        WHEN 'basically_satisfied' THEN 'basically_satisfied' WHEN '基本满意' THEN 'basically_satisfied'
        WHEN 'dissatisfied' THEN 'dissatisfied' WHEN '不满意' THEN 'dissatisfied' END;
    IF v_result IS NULL THEN
        RAISE EXCEPTION 'report_satisfaction: result must be satisfied, basically_satisfied or dissatisfied (满意, 基本满意, 不满意), not %',
            quote_literal(coalesce(report_satisfaction.result, 'NULL'))
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'satisfaction';
    END IF;
    IF v_at > now() + interval '5 minutes' THEN
        RAISE EXCEPTION 'report_satisfaction: called_at % is in the future (server time %)', v_at, now()
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'called_at';
    END IF;
    v_at := least(v_at, now());
    v_id := gridgov._channel_case(report_satisfaction.source, report_satisfaction.external_id, 'report_satisfaction');
    SELECT e.status, e.satisfaction, e.satisfaction_at, e.closed_at INTO ev FROM gridgov.event e WHERE e.id = v_id;
    IF ev.status <> 'closed' THEN
        RAISE EXCEPTION 'report_satisfaction: case %/% is %: a callback judges a closed case', report_satisfaction.source,
            report_satisfaction.external_id, ev.status USING ERRCODE = 'check_violation',
            HINT = 'call back once the case is closed (结案)';
    END IF;
    IF v_at < ev.closed_at THEN
        RAISE EXCEPTION 'report_satisfaction: called_at % is before the case was closed (%)', v_at, ev.closed_at
            USING ERRCODE = 'datetime_field_overflow', COLUMN = 'called_at';
    END IF;
    IF ev.satisfaction IS NOT DISTINCT FROM v_result AND ev.satisfaction_at IS NOT DISTINCT FROM v_at THEN
        RETURN v_id;  -- a retry of the same callback
    END IF;
    IF ev.satisfaction_at IS NULL OR v_at >= ev.satisfaction_at THEN  -- an older callback arriving late changes nothing
        UPDATE gridgov.event e SET satisfaction = v_result, satisfaction_at = v_at WHERE e.id = v_id;
    END IF;
    INSERT INTO gridgov.event_history (event_id, at, actor, from_status, to_status, note, source_at)
    VALUES (v_id, now(), gridgov.current_actor(), 'closed', 'closed', format('callback: %s', v_result), v_at);
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------
-- 10. Row-level security and privileges (docs/roles.md has the matrix).
-- ---------------------------------------------------------------------------------------
ALTER TABLE gridgov.case_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_request_area ON gridgov.case_request FOR SELECT USING (
    EXISTS (SELECT 1 FROM gridgov.event e WHERE e.id = case_request.event_id));  -- event's own policy applies
ALTER TABLE gridgov.case_escalation ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_escalation_area ON gridgov.case_escalation FOR SELECT USING (
    EXISTS (SELECT 1 FROM gridgov.event e WHERE e.id = case_escalation.event_id));

GRANT SELECT ON gridgov.case_grade, gridgov.case_request, gridgov.case_escalation
    TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner, gridgov_admin;
GRANT UPDATE (name, factor, min_level) ON gridgov.case_grade TO gridgov_admin;
GRANT SELECT ON gridgov.escalation_run TO gridgov_supervisor, gridgov_admin;
GRANT SELECT (grade, escalated_at, satisfaction, satisfaction_at) ON gridgov.event TO gridgov_analyst;
GRANT SELECT ON gridgov.case_board TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner,
    gridgov_admin;

GRANT EXECUTE ON FUNCTION gridgov.case_board_at(timestamptz, interval),
                          gridgov.add_case_time(timestamptz, double precision, text),
                          gridgov.step_deadline(text, text, timestamptz, text),
                          gridgov.working_clock(timestamptz),
                          gridgov.case_hours(timestamptz, timestamptz, double precision, double precision, text),
                          gridgov.hours_between(timestamptz, timestamptz, text),
                          gridgov.my_level(),
                          gridgov.handling_due(uuid, timestamptz)
    TO gridgov_worker, gridgov_supervisor, gridgov_analyst, gridgov_planner, gridgov_admin;
GRANT EXECUTE ON FUNCTION gridgov.escalate_case(uuid, text), gridgov.set_grade(uuid, text, text),
                          gridgov.decide_request(bigint, boolean, text) TO gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.request_suspension(uuid, text), gridgov.request_extension(uuid, text, double precision),
                          gridgov.resume_case(uuid, text) TO gridgov_worker, gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.report_status(text, text, text, timestamptz, text),
                          gridgov.report_satisfaction(text, text, text, timestamptz) TO gridgov_channel;

RESET ROLE;

-- ---------------------------------------------------------------------------------------
-- 11. Escalation runs by itself where the server has pg_cron (Debian: postgresql-15-cron,
--     shared_preload_libraries = 'pg_cron', cron.database_name = this database): every
--     minute, as the installing superuser. Elsewhere the notice says what to do instead
--     (docs/deployment.md: gridgov:escalateoverdue from cron or a Windows scheduled task).
-- ---------------------------------------------------------------------------------------
DO $$
DECLARE
    super boolean := (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user);
    preloaded boolean := coalesce(current_setting('shared_preload_libraries', true), '') ~ '(^|[ ,])pg_cron([ ,]|$)';
    cron_db text := coalesce(nullif(current_setting('cron.database_name', true), ''), 'postgres');
BEGIN
    IF NOT preloaded OR NOT EXISTS (SELECT 1 FROM pg_available_extensions x WHERE x.name = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not loaded on this server: run gridgov:escalateoverdue on a schedule instead (docs/deployment.md)';
    ELSIF cron_db <> current_database() THEN
        RAISE WARNING 'pg_cron runs in database %, not %: schedule the escalation there (docs/deployment.md)', cron_db, current_database()
            USING HINT = format('in database %s: SELECT cron.schedule_in_database(%L, %L, %L, %L);', cron_db,
                                'gridgov-escalate-overdue-' || current_database(), '* * * * *',
                                'SELECT count(*) FROM gridgov.escalate_overdue()', current_database());
    ELSIF NOT super THEN
        RAISE WARNING 'pg_cron is loaded, but only a superuser can schedule the escalation (docs/deployment.md)';
    ELSE
        CREATE EXTENSION IF NOT EXISTS pg_cron;
        PERFORM cron.schedule('gridgov-escalate-overdue', '* * * * *', 'SELECT count(*) FROM gridgov.escalate_overdue()');
    END IF;
END
$$;
