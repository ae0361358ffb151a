-- The city's working calendar and working-time arithmetic (工作时/工作日), in Beijing time.
-- Python mirror: grid_governance_plugin/core/worktime.py (a test compares both); the model and
-- the definitions are in docs/working-time.md. Only new objects: nothing earlier is redefined.
--
--   gridgov.work_calendar   the exceptions an admin edits: public holidays (放假) and make-up
--                           working days on weekends (调休上班); shipped with the State Council's
--                           notices for 2004-2026
--   gridgov.office_hours    office periods of a working day, per range of months (夏令/冬令作息)
--   gridgov.work_calendar_notice  which years' official notices are loaded
--   gridgov.work_day        derived, one row per day 2000-2099 with its working clock; rebuilt by
--                           trigger whenever the two tables above change. Never edit it.
--
-- Public functions (STABLE, plain, pinned search_path):
--   gridgov.add_working_hours(start timestamptz, hours double precision) RETURNS timestamptz
--   gridgov.add_working_days(start timestamptz, days integer) RETURNS timestamptz
--   gridgov.working_hours_between(a timestamptz, b timestamptz) RETURNS double precision
--   gridgov.working_seconds_at(t timestamptz) RETURNS double precision   (the working clock W(t))
--   gridgov.is_working_day(d date) RETURNS boolean
--
-- Also new here (issue 12, first part): gridgov.patrol_fix (grid workers' GPS fixes) and
-- gridgov.assessment_item (the city's assessment items), at the end of the file.

CREATE TABLE gridgov.work_calendar (
    day date PRIMARY KEY CHECK (day BETWEEN date '2000-01-01' AND date '2099-12-31'),
    kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),  -- 放假 / 调休上班
    name text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    notice_year integer,     -- the year of the State Council notice it comes from; NULL: set locally
    note text CHECK (length(note) <= 1000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);

CREATE TABLE gridgov.office_hours (
    id serial PRIMARY KEY,
    month_from smallint NOT NULL DEFAULT 1 CHECK (month_from BETWEEN 1 AND 12),
    month_to smallint NOT NULL DEFAULT 12 CHECK (month_to BETWEEN 1 AND 12),  -- wraps when < month_from
    starts time NOT NULL,
    ends time NOT NULL,
    CHECK (starts < ends)
);

CREATE TABLE gridgov.work_calendar_notice (
    year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2099),
    title text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gridgov.work_day (
    day date PRIMARY KEY,
    working boolean NOT NULL,
    starts double precision[] NOT NULL,   -- office periods, seconds after local midnight
    ends double precision[] NOT NULL,
    seconds double precision NOT NULL,    -- working seconds of the day
    cum_before double precision NOT NULL, -- W at the day's local midnight: working seconds since 2000-01-01
    work_no integer NOT NULL,             -- working days from 2000-01-01 up to and including this day
    name text
);
CREATE INDEX work_day_cum_idx ON gridgov.work_day (cum_before) INCLUDE (day) WHERE working;
CREATE UNIQUE INDEX work_day_no_idx ON gridgov.work_day (work_no) INCLUDE (day) WHERE working;

-- Recompute gridgov.work_day from the calendar and the office hours (~36,500 rows, well under a second).
CREATE FUNCTION gridgov.rebuild_work_days() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad record;
    n integer;
BEGIN
    -- every month needs office hours, and a month's periods must not overlap
    SELECT m INTO bad FROM generate_series(1, 12) m
    WHERE NOT EXISTS (SELECT 1 FROM gridgov.office_hours o
                      WHERE CASE WHEN o.month_from <= o.month_to THEN m BETWEEN o.month_from AND o.month_to
                                 ELSE m >= o.month_from OR m <= o.month_to END)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'working calendar: month % has no office hours', bad.m
            USING ERRCODE = 'check_violation', TABLE = 'office_hours';
    END IF;
    SELECT m INTO bad FROM generate_series(1, 12) m
    JOIN gridgov.office_hours o ON CASE WHEN o.month_from <= o.month_to THEN m BETWEEN o.month_from AND o.month_to
                                        ELSE m >= o.month_from OR m <= o.month_to END
    GROUP BY m HAVING count(*) > 4 LIMIT 1;
    IF FOUND THEN  -- the board's set-based working clock reads four periods (core/events/worktime_board.py)
        RAISE EXCEPTION 'working calendar: month % has more than 4 office periods', bad.m
            USING ERRCODE = 'check_violation', TABLE = 'office_hours';
    END IF;
    SELECT m, a.starts AS a_starts, a.ends AS a_ends, b.starts AS b_starts, b.ends AS b_ends INTO bad
    FROM generate_series(1, 12) m
    JOIN gridgov.office_hours a ON CASE WHEN a.month_from <= a.month_to THEN m BETWEEN a.month_from AND a.month_to
                                        ELSE m >= a.month_from OR m <= a.month_to END
    JOIN gridgov.office_hours b ON b.id > a.id
                               AND CASE WHEN b.month_from <= b.month_to THEN m BETWEEN b.month_from AND b.month_to
                                        ELSE m >= b.month_from OR m <= b.month_to END
                               AND a.starts < b.ends AND b.starts < a.ends
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'working calendar: office hours %-% and %-% overlap in month %',
            bad.a_starts, bad.a_ends, bad.b_starts, bad.b_ends, bad.m
            USING ERRCODE = 'check_violation', TABLE = 'office_hours';
    END IF;

    DELETE FROM gridgov.work_day;
    WITH month_hours AS (
        SELECT m, array_agg(extract(epoch FROM o.starts)::double precision ORDER BY o.starts) AS starts,
                  array_agg(extract(epoch FROM o.ends)::double precision ORDER BY o.starts) AS ends,
                  sum(extract(epoch FROM o.ends - o.starts))::double precision AS seconds
        FROM generate_series(1, 12) m
        JOIN gridgov.office_hours o ON CASE WHEN o.month_from <= o.month_to THEN m BETWEEN o.month_from AND o.month_to
                                            ELSE m >= o.month_from OR m <= o.month_to END
        GROUP BY m
    ), days AS (
        SELECT d::date AS day, c.name,
               CASE c.kind WHEN 'holiday' THEN false WHEN 'workday' THEN true
                           ELSE extract(isodow FROM d) < 6 END AS working
        FROM generate_series(date '2000-01-01', date '2099-12-31', interval '1 day') d
        LEFT JOIN gridgov.work_calendar c ON c.day = d::date
    ), timed AS (
        SELECT d.day, d.name, d.working,
               CASE WHEN d.working THEN h.starts ELSE '{}'::double precision[] END AS starts,
               CASE WHEN d.working THEN h.ends ELSE '{}'::double precision[] END AS ends,
               CASE WHEN d.working THEN h.seconds ELSE 0 END AS seconds
        FROM days d JOIN month_hours h ON h.m = extract(month FROM d.day)
    )
    INSERT INTO gridgov.work_day (day, working, starts, ends, seconds, cum_before, work_no, name)
    SELECT t.day, t.working, t.starts, t.ends, t.seconds,
           coalesce(sum(t.seconds) OVER (ORDER BY t.day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
           count(*) FILTER (WHERE t.working) OVER (ORDER BY t.day),
           t.name
    FROM timed t ORDER BY t.day;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- Rebuilt once, at commit, for a whole transaction of edits: a dialog replacing the office hours
-- passes through states that are invalid on their own (no hours between its DELETE and INSERT).
-- Each statement counts a change (transaction-local setting); the deferred row triggers rebuild
-- when the count moved since the last rebuild, so SET CONSTRAINTS ... IMMEDIATE stays correct too.
-- SECURITY DEFINER so that whoever may edit the calendar need not write work_day itself.
CREATE FUNCTION gridgov.work_calendar_touched() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('gridgov.work_calendar_changes',
                       (coalesce(nullif(current_setting('gridgov.work_calendar_changes', true), '')::bigint, 0) + 1)::text,
                       true);
    IF TG_OP = 'TRUNCATE' THEN  -- no row triggers fire on TRUNCATE: rebuild now
        PERFORM gridgov.work_calendar_rebuild_if_changed();
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION gridgov.work_calendar_rebuild_if_changed() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    changes text := nullif(current_setting('gridgov.work_calendar_changes', true), '');
BEGIN
    IF changes IS DISTINCT FROM nullif(current_setting('gridgov.work_calendar_rebuilt', true), '') THEN
        PERFORM gridgov.rebuild_work_days();
        PERFORM set_config('gridgov.work_calendar_rebuilt', coalesce(changes, ''), true);
    END IF;
END
$$;

CREATE FUNCTION gridgov.work_calendar_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov.work_calendar_rebuild_if_changed();
    RETURN NULL;
END
$$;
CREATE TRIGGER work_calendar_touched AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gridgov.work_calendar
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov.work_calendar_touched();
CREATE TRIGGER office_hours_touched AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gridgov.office_hours
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov.work_calendar_touched();
CREATE CONSTRAINT TRIGGER work_calendar_changed AFTER INSERT OR UPDATE OR DELETE ON gridgov.work_calendar
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gridgov.work_calendar_changed();
CREATE CONSTRAINT TRIGGER office_hours_changed AFTER INSERT OR UPDATE OR DELETE ON gridgov.office_hours
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gridgov.work_calendar_changed();

CREATE FUNCTION gridgov.work_calendar_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.updated_at := now();
    NEW.updated_by := session_user;
    RETURN NEW;
END
$$;
CREATE TRIGGER work_calendar_stamp BEFORE INSERT OR UPDATE ON gridgov.work_calendar
    FOR EACH ROW EXECUTE FUNCTION gridgov.work_calendar_stamp();

-- ---------------------------------------------------------------------------------------
-- The arithmetic. Plain (not SECURITY DEFINER) STABLE functions: they read work_day only.
-- Out of the calendar's range (2000-2099) they raise rather than guess.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION gridgov.working_seconds_at(t timestamptz) RETURNS double precision
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lt timestamp := t AT TIME ZONE 'Asia/Shanghai';
    s double precision := extract(epoch FROM lt - date_trunc('day', lt));
    d record;
    w double precision;
BEGIN
    SELECT wd.cum_before, wd.starts, wd.ends INTO d FROM gridgov.work_day wd WHERE wd.day = lt::date;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'working time: % is outside the working calendar (2000-2099)', t
            USING ERRCODE = 'datetime_field_overflow';
    END IF;
    w := d.cum_before;
    FOR i IN 1 .. coalesce(array_length(d.starts, 1), 0) LOOP
        w := w + greatest(0, least(s, d.ends[i]) - d.starts[i]);
    END LOOP;
    RETURN w;
END
$$;

CREATE FUNCTION gridgov.working_hours_between(a timestamptz, b timestamptz) RETURNS double precision
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (gridgov.working_seconds_at(b) - gridgov.working_seconds_at(a)) / 3600.0
$$;

CREATE FUNCTION gridgov.is_working_day(d date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT wd.working FROM gridgov.work_day wd WHERE wd.day = d
$$;

-- The earliest instant T >= start at which `hours` working hours have passed since `start`
-- (for negative hours: the latest instant T <= start with that many working hours up to start).
CREATE FUNCTION gridgov.add_working_hours(start timestamptz, hours double precision) RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target double precision;
    d record;
    off double precision;
    len double precision;
BEGIN
    IF hours = 0 THEN
        RETURN start;
    ELSIF hours = 'NaN'::double precision OR hours IN ('Infinity', '-Infinity') THEN
        RAISE EXCEPTION 'add_working_hours: hours must be a finite number, not %', hours
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    target := gridgov.working_seconds_at(start) + hours * 3600.0;
    IF hours > 0 THEN
        -- the last working day starting strictly before the target: target is in (cum_before, cum_before + seconds]
        SELECT wd.day, wd.cum_before, wd.seconds, wd.starts, wd.ends INTO d
        FROM gridgov.work_day wd WHERE wd.working AND wd.cum_before < target
        ORDER BY wd.cum_before DESC LIMIT 1;
        IF NOT FOUND OR d.cum_before + d.seconds < target THEN
            RAISE EXCEPTION 'add_working_hours: % working hours after % leave the working calendar (2000-2099)',
                hours, start USING ERRCODE = 'datetime_field_overflow';
        END IF;
        off := target - d.cum_before;
        FOR i IN 1 .. array_length(d.starts, 1) LOOP
            len := d.ends[i] - d.starts[i];
            IF off <= len THEN  -- on a boundary: the close of this period, not the next opening
                RETURN (d.day + make_interval(secs => d.starts[i] + off)) AT TIME ZONE 'Asia/Shanghai';
            END IF;
            off := off - len;
        END LOOP;
        RETURN (d.day + make_interval(secs => d.ends[array_length(d.ends, 1)])) AT TIME ZONE 'Asia/Shanghai';
    END IF;
    SELECT wd.day, wd.cum_before, wd.seconds, wd.starts, wd.ends INTO d
    FROM gridgov.work_day wd WHERE wd.working AND wd.cum_before <= target
    ORDER BY wd.cum_before DESC LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'add_working_hours: % working hours before % leave the working calendar (2000-2099)',
            hours, start USING ERRCODE = 'datetime_field_overflow';
    END IF;
    off := target - d.cum_before;
    FOR i IN 1 .. array_length(d.starts, 1) LOOP
        len := d.ends[i] - d.starts[i];
        IF off < len THEN  -- on a boundary: the next opening, the latest instant with that clock value
            RETURN (d.day + make_interval(secs => d.starts[i] + off)) AT TIME ZONE 'Asia/Shanghai';
        END IF;
        off := off - len;
    END LOOP;
    RETURN (d.day + make_interval(secs => d.ends[array_length(d.ends, 1)])) AT TIME ZONE 'Asia/Shanghai';
END
$$;

-- The close of office hours on the `days`-th working day after the (Beijing) day of `start`:
-- the start's own day does not count, and a period ends when the office closes on its last day
-- (民法典 第二百零一条、第二百零三条). Negative: the `-days`-th working day before.
CREATE FUNCTION gridgov.add_working_days(start timestamptz, days integer) RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    d0 record;
    want integer;
    d record;
BEGIN
    IF days = 0 THEN
        RETURN start;
    END IF;
    SELECT wd.work_no, wd.working INTO d0 FROM gridgov.work_day wd WHERE wd.day = (start AT TIME ZONE 'Asia/Shanghai')::date;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'add_working_days: % is outside the working calendar (2000-2099)', start
            USING ERRCODE = 'datetime_field_overflow';
    END IF;
    want := d0.work_no + days + CASE WHEN days < 0 AND NOT d0.working THEN 1 ELSE 0 END;
    SELECT wd.day, wd.ends INTO d FROM gridgov.work_day wd WHERE wd.working AND wd.work_no = want;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'add_working_days: % working days from % leave the working calendar (2000-2099)', days, start
            USING ERRCODE = 'datetime_field_overflow';
    END IF;
    RETURN (d.day + make_interval(secs => d.ends[array_length(d.ends, 1)])) AT TIME ZONE 'Asia/Shanghai';
END
$$;

-- ---------------------------------------------------------------------------------------
-- Seed: office hours (8 hours, 国务院关于职工工作时间的规定) and the official schedule.
-- ON CONFLICT DO NOTHING keeps days an admin edited. The rows come from
-- grid_governance_plugin/core/worktime_cn.py (scripts/holiday_schedule.py sql).
-- ---------------------------------------------------------------------------------------
INSERT INTO gridgov.office_hours (month_from, month_to, starts, ends) VALUES
    (1, 12, '09:00', '12:00'),
    (1, 12, '13:00', '18:00');

INSERT INTO gridgov.work_calendar (day, kind, name, notice_year) VALUES
    ('2004-01-01', 'holiday', '元旦', 2004),
    ('2004-01-17', 'workday', '春节调休上班', 2004),
    ('2004-01-18', 'workday', '春节调休上班', 2004),
    ('2004-01-22', 'holiday', '春节', 2004),
    ('2004-01-23', 'holiday', '春节', 2004),
    ('2004-01-24', 'holiday', '春节', 2004),
    ('2004-01-25', 'holiday', '春节', 2004),
    ('2004-01-26', 'holiday', '春节', 2004),
    ('2004-01-27', 'holiday', '春节', 2004),
    ('2004-01-28', 'holiday', '春节', 2004),
    ('2004-05-01', 'holiday', '劳动节', 2004),
    ('2004-05-02', 'holiday', '劳动节', 2004),
    ('2004-05-03', 'holiday', '劳动节', 2004),
    ('2004-05-04', 'holiday', '劳动节', 2004),
    ('2004-05-05', 'holiday', '劳动节', 2004),
    ('2004-05-06', 'holiday', '劳动节', 2004),
    ('2004-05-07', 'holiday', '劳动节', 2004),
    ('2004-05-08', 'workday', '劳动节调休上班', 2004),
    ('2004-05-09', 'workday', '劳动节调休上班', 2004),
    ('2004-10-01', 'holiday', '国庆节', 2004),
    ('2004-10-02', 'holiday', '国庆节', 2004),
    ('2004-10-03', 'holiday', '国庆节', 2004),
    ('2004-10-04', 'holiday', '国庆节', 2004),
    ('2004-10-05', 'holiday', '国庆节', 2004),
    ('2004-10-06', 'holiday', '国庆节', 2004),
    ('2004-10-07', 'holiday', '国庆节', 2004),
    ('2004-10-09', 'workday', '国庆节调休上班', 2004),
    ('2004-10-10', 'workday', '国庆节调休上班', 2004),
    ('2005-01-01', 'holiday', '元旦', 2005),
    ('2005-01-02', 'holiday', '元旦', 2005),
    ('2005-01-03', 'holiday', '元旦', 2005),
    ('2005-02-05', 'workday', '春节调休上班', 2005),
    ('2005-02-06', 'workday', '春节调休上班', 2005),
    ('2005-02-09', 'holiday', '春节', 2005),
    ('2005-02-10', 'holiday', '春节', 2005),
    ('2005-02-11', 'holiday', '春节', 2005),
    ('2005-02-12', 'holiday', '春节', 2005),
    ('2005-02-13', 'holiday', '春节', 2005),
    ('2005-02-14', 'holiday', '春节', 2005),
    ('2005-02-15', 'holiday', '春节', 2005),
    ('2005-04-30', 'workday', '劳动节调休上班', 2005),
    ('2005-05-01', 'holiday', '劳动节', 2005),
    ('2005-05-02', 'holiday', '劳动节', 2005),
    ('2005-05-03', 'holiday', '劳动节', 2005),
    ('2005-05-04', 'holiday', '劳动节', 2005),
    ('2005-05-05', 'holiday', '劳动节', 2005),
    ('2005-05-06', 'holiday', '劳动节', 2005),
    ('2005-05-07', 'holiday', '劳动节', 2005),
    ('2005-05-08', 'workday', '劳动节调休上班', 2005),
    ('2005-10-01', 'holiday', '国庆节', 2005),
    ('2005-10-02', 'holiday', '国庆节', 2005),
    ('2005-10-03', 'holiday', '国庆节', 2005),
    ('2005-10-04', 'holiday', '国庆节', 2005),
    ('2005-10-05', 'holiday', '国庆节', 2005),
    ('2005-10-06', 'holiday', '国庆节', 2005),
    ('2005-10-07', 'holiday', '国庆节', 2005),
    ('2005-10-08', 'workday', '国庆节调休上班', 2005),
    ('2005-10-09', 'workday', '国庆节调休上班', 2005),
    ('2006-01-01', 'holiday', '元旦', 2006),
    ('2006-01-02', 'holiday', '元旦', 2006),
    ('2006-01-03', 'holiday', '元旦', 2006),
    ('2006-01-28', 'workday', '春节调休上班', 2006),
    ('2006-01-29', 'holiday', '春节', 2006),
    ('2006-01-30', 'holiday', '春节', 2006),
    ('2006-01-31', 'holiday', '春节', 2006),
    ('2006-02-01', 'holiday', '春节', 2006),
    ('2006-02-02', 'holiday', '春节', 2006),
    ('2006-02-03', 'holiday', '春节', 2006),
    ('2006-02-04', 'holiday', '春节', 2006),
    ('2006-02-05', 'workday', '春节调休上班', 2006),
    ('2006-04-29', 'workday', '劳动节调休上班', 2006),
    ('2006-04-30', 'workday', '劳动节调休上班', 2006),
    ('2006-05-01', 'holiday', '劳动节', 2006),
    ('2006-05-02', 'holiday', '劳动节', 2006),
    ('2006-05-03', 'holiday', '劳动节', 2006),
    ('2006-05-04', 'holiday', '劳动节', 2006),
    ('2006-05-05', 'holiday', '劳动节', 2006),
    ('2006-05-06', 'holiday', '劳动节', 2006),
    ('2006-05-07', 'holiday', '劳动节', 2006),
    ('2006-09-30', 'workday', '国庆节调休上班', 2006),
    ('2006-10-01', 'holiday', '国庆节', 2006),
    ('2006-10-02', 'holiday', '国庆节', 2006),
    ('2006-10-03', 'holiday', '国庆节', 2006),
    ('2006-10-04', 'holiday', '国庆节', 2006),
    ('2006-10-05', 'holiday', '国庆节', 2006),
    ('2006-10-06', 'holiday', '国庆节', 2006),
    ('2006-10-07', 'holiday', '国庆节', 2006),
    ('2006-10-08', 'workday', '国庆节调休上班', 2006),
    ('2006-12-30', 'workday', '元旦调休上班', 2007),
    ('2006-12-31', 'workday', '元旦调休上班', 2007),
    ('2007-01-01', 'holiday', '元旦', 2007),
    ('2007-01-02', 'holiday', '元旦', 2007),
    ('2007-01-03', 'holiday', '元旦', 2007),
    ('2007-02-17', 'workday', '春节调休上班', 2007),
    ('2007-02-18', 'holiday', '春节', 2007),
    ('2007-02-19', 'holiday', '春节', 2007),
    ('2007-02-20', 'holiday', '春节', 2007),
    ('2007-02-21', 'holiday', '春节', 2007),
    ('2007-02-22', 'holiday', '春节', 2007),
    ('2007-02-23', 'holiday', '春节', 2007),
    ('2007-02-24', 'holiday', '春节', 2007),
    ('2007-02-25', 'workday', '春节调休上班', 2007),
    ('2007-04-28', 'workday', '劳动节调休上班', 2007),
    ('2007-04-29', 'workday', '劳动节调休上班', 2007),
    ('2007-05-01', 'holiday', '劳动节', 2007),
    ('2007-05-02', 'holiday', '劳动节', 2007),
    ('2007-05-03', 'holiday', '劳动节', 2007),
    ('2007-05-04', 'holiday', '劳动节', 2007),
    ('2007-05-05', 'holiday', '劳动节', 2007),
    ('2007-05-06', 'holiday', '劳动节', 2007),
    ('2007-05-07', 'holiday', '劳动节', 2007),
    ('2007-09-29', 'workday', '国庆节调休上班', 2007),
    ('2007-09-30', 'workday', '国庆节调休上班', 2007),
    ('2007-10-01', 'holiday', '国庆节', 2007),
    ('2007-10-02', 'holiday', '国庆节', 2007),
    ('2007-10-03', 'holiday', '国庆节', 2007),
    ('2007-10-04', 'holiday', '国庆节', 2007),
    ('2007-10-05', 'holiday', '国庆节', 2007),
    ('2007-10-06', 'holiday', '国庆节', 2007),
    ('2007-10-07', 'holiday', '国庆节', 2007),
    ('2007-12-29', 'workday', '元旦调休上班', 2008),
    ('2007-12-30', 'holiday', '元旦', 2008),
    ('2007-12-31', 'holiday', '元旦', 2008),
    ('2008-01-01', 'holiday', '元旦', 2008),
    ('2008-02-02', 'workday', '春节调休上班', 2008),
    ('2008-02-03', 'workday', '春节调休上班', 2008),
    ('2008-02-06', 'holiday', '春节', 2008),
    ('2008-02-07', 'holiday', '春节', 2008),
    ('2008-02-08', 'holiday', '春节', 2008),
    ('2008-02-09', 'holiday', '春节', 2008),
    ('2008-02-10', 'holiday', '春节', 2008),
    ('2008-02-11', 'holiday', '春节', 2008),
    ('2008-02-12', 'holiday', '春节', 2008),
    ('2008-04-04', 'holiday', '清明节', 2008),
    ('2008-04-05', 'holiday', '清明节', 2008),
    ('2008-04-06', 'holiday', '清明节', 2008),
    ('2008-05-01', 'holiday', '劳动节', 2008),
    ('2008-05-02', 'holiday', '劳动节', 2008),
    ('2008-05-03', 'holiday', '劳动节', 2008),
    ('2008-05-04', 'workday', '劳动节调休上班', 2008),
    ('2008-06-07', 'holiday', '端午节', 2008),
    ('2008-06-08', 'holiday', '端午节', 2008),
    ('2008-06-09', 'holiday', '端午节', 2008),
    ('2008-09-13', 'holiday', '中秋节', 2008),
    ('2008-09-14', 'holiday', '中秋节', 2008),
    ('2008-09-15', 'holiday', '中秋节', 2008),
    ('2008-09-27', 'workday', '国庆节调休上班', 2008),
    ('2008-09-28', 'workday', '国庆节调休上班', 2008),
    ('2008-09-29', 'holiday', '国庆节', 2008),
    ('2008-09-30', 'holiday', '国庆节', 2008),
    ('2008-10-01', 'holiday', '国庆节', 2008),
    ('2008-10-02', 'holiday', '国庆节', 2008),
    ('2008-10-03', 'holiday', '国庆节', 2008),
    ('2008-10-04', 'holiday', '国庆节', 2008),
    ('2008-10-05', 'holiday', '国庆节', 2008),
    ('2009-01-01', 'holiday', '元旦', 2009),
    ('2009-01-02', 'holiday', '元旦', 2009),
    ('2009-01-03', 'holiday', '元旦', 2009),
    ('2009-01-04', 'workday', '元旦调休上班', 2009),
    ('2009-01-24', 'workday', '春节调休上班', 2009),
    ('2009-01-25', 'holiday', '春节', 2009),
    ('2009-01-26', 'holiday', '春节', 2009),
    ('2009-01-27', 'holiday', '春节', 2009),
    ('2009-01-28', 'holiday', '春节', 2009),
    ('2009-01-29', 'holiday', '春节', 2009),
    ('2009-01-30', 'holiday', '春节', 2009),
    ('2009-01-31', 'holiday', '春节', 2009),
    ('2009-02-01', 'workday', '春节调休上班', 2009),
    ('2009-04-04', 'holiday', '清明节', 2009),
    ('2009-04-05', 'holiday', '清明节', 2009),
    ('2009-04-06', 'holiday', '清明节', 2009),
    ('2009-05-01', 'holiday', '劳动节', 2009),
    ('2009-05-02', 'holiday', '劳动节', 2009),
    ('2009-05-03', 'holiday', '劳动节', 2009),
    ('2009-05-28', 'holiday', '端午节', 2009),
    ('2009-05-29', 'holiday', '端午节', 2009),
    ('2009-05-30', 'holiday', '端午节', 2009),
    ('2009-05-31', 'workday', '端午节调休上班', 2009),
    ('2009-09-27', 'workday', '国庆节调休上班', 2009),
    ('2009-10-01', 'holiday', '国庆节', 2009),
    ('2009-10-02', 'holiday', '国庆节', 2009),
    ('2009-10-03', 'holiday', '中秋节', 2009),
    ('2009-10-04', 'holiday', '国庆节', 2009),
    ('2009-10-05', 'holiday', '国庆节', 2009),
    ('2009-10-06', 'holiday', '国庆节', 2009),
    ('2009-10-07', 'holiday', '国庆节', 2009),
    ('2009-10-08', 'holiday', '国庆节', 2009),
    ('2009-10-10', 'workday', '国庆节调休上班', 2009),
    ('2010-01-01', 'holiday', '元旦', 2010),
    ('2010-01-02', 'holiday', '元旦', 2010),
    ('2010-01-03', 'holiday', '元旦', 2010),
    ('2010-02-13', 'holiday', '春节', 2010),
    ('2010-02-14', 'holiday', '春节', 2010),
    ('2010-02-15', 'holiday', '春节', 2010),
    ('2010-02-16', 'holiday', '春节', 2010),
    ('2010-02-17', 'holiday', '春节', 2010),
    ('2010-02-18', 'holiday', '春节', 2010),
    ('2010-02-19', 'holiday', '春节', 2010),
    ('2010-02-20', 'workday', '春节调休上班', 2010),
    ('2010-02-21', 'workday', '春节调休上班', 2010),
    ('2010-04-03', 'holiday', '清明节', 2010),
    ('2010-04-04', 'holiday', '清明节', 2010),
    ('2010-04-05', 'holiday', '清明节', 2010),
    ('2010-05-01', 'holiday', '劳动节', 2010),
    ('2010-05-02', 'holiday', '劳动节', 2010),
    ('2010-05-03', 'holiday', '劳动节', 2010),
    ('2010-06-12', 'workday', '端午节调休上班', 2010),
    ('2010-06-13', 'workday', '端午节调休上班', 2010),
    ('2010-06-14', 'holiday', '端午节', 2010),
    ('2010-06-15', 'holiday', '端午节', 2010),
    ('2010-06-16', 'holiday', '端午节', 2010),
    ('2010-09-19', 'workday', '中秋节调休上班', 2010),
    ('2010-09-22', 'holiday', '中秋节', 2010),
    ('2010-09-23', 'holiday', '中秋节', 2010),
    ('2010-09-24', 'holiday', '中秋节', 2010),
    ('2010-09-25', 'workday', '中秋节调休上班', 2010),
    ('2010-09-26', 'workday', '国庆节调休上班', 2010),
    ('2010-10-01', 'holiday', '国庆节', 2010),
    ('2010-10-02', 'holiday', '国庆节', 2010),
    ('2010-10-03', 'holiday', '国庆节', 2010),
    ('2010-10-04', 'holiday', '国庆节', 2010),
    ('2010-10-05', 'holiday', '国庆节', 2010),
    ('2010-10-06', 'holiday', '国庆节', 2010),
    ('2010-10-07', 'holiday', '国庆节', 2010),
    ('2010-10-09', 'workday', '国庆节调休上班', 2010),
    ('2011-01-01', 'holiday', '元旦', 2011),
    ('2011-01-02', 'holiday', '元旦', 2011),
    ('2011-01-03', 'holiday', '元旦', 2011),
    ('2011-01-30', 'workday', '春节调休上班', 2011),
    ('2011-02-02', 'holiday', '春节', 2011),
    ('2011-02-03', 'holiday', '春节', 2011),
    ('2011-02-04', 'holiday', '春节', 2011),
    ('2011-02-05', 'holiday', '春节', 2011),
    ('2011-02-06', 'holiday', '春节', 2011),
    ('2011-02-07', 'holiday', '春节', 2011),
    ('2011-02-08', 'holiday', '春节', 2011),
    ('2011-02-12', 'workday', '春节调休上班', 2011),
    ('2011-04-02', 'workday', '清明节调休上班', 2011),
    ('2011-04-03', 'holiday', '清明节', 2011),
    ('2011-04-04', 'holiday', '清明节', 2011),
    ('2011-04-05', 'holiday', '清明节', 2011),
    ('2011-04-30', 'holiday', '劳动节', 2011),
    ('2011-05-01', 'holiday', '劳动节', 2011),
    ('2011-05-02', 'holiday', '劳动节', 2011),
    ('2011-06-04', 'holiday', '端午节', 2011),
    ('2011-06-06', 'holiday', '端午节', 2011),
    ('2011-09-10', 'holiday', '中秋节', 2011),
    ('2011-09-11', 'holiday', '中秋节', 2011),
    ('2011-09-12', 'holiday', '中秋节', 2011),
    ('2011-10-01', 'holiday', '国庆节', 2011),
    ('2011-10-02', 'holiday', '国庆节', 2011),
    ('2011-10-03', 'holiday', '国庆节', 2011),
    ('2011-10-04', 'holiday', '国庆节', 2011),
    ('2011-10-05', 'holiday', '国庆节', 2011),
    ('2011-10-06', 'holiday', '国庆节', 2011),
    ('2011-10-07', 'holiday', '国庆节', 2011),
    ('2011-10-08', 'workday', '国庆节调休上班', 2011),
    ('2011-10-09', 'workday', '国庆节调休上班', 2011),
    ('2011-12-31', 'workday', '元旦调休上班', 2012),
    ('2012-01-01', 'holiday', '元旦', 2012),
    ('2012-01-02', 'holiday', '元旦', 2012),
    ('2012-01-03', 'holiday', '元旦', 2012),
    ('2012-01-21', 'workday', '春节调休上班', 2012),
    ('2012-01-22', 'holiday', '春节', 2012),
    ('2012-01-23', 'holiday', '春节', 2012),
    ('2012-01-24', 'holiday', '春节', 2012),
    ('2012-01-25', 'holiday', '春节', 2012),
    ('2012-01-26', 'holiday', '春节', 2012),
    ('2012-01-27', 'holiday', '春节', 2012),
    ('2012-01-28', 'holiday', '春节', 2012),
    ('2012-01-29', 'workday', '春节调休上班', 2012),
    ('2012-03-31', 'workday', '清明节调休上班', 2012),
    ('2012-04-01', 'workday', '清明节调休上班', 2012),
    ('2012-04-02', 'holiday', '清明节', 2012),
    ('2012-04-03', 'holiday', '清明节', 2012),
    ('2012-04-04', 'holiday', '清明节', 2012),
    ('2012-04-28', 'workday', '劳动节调休上班', 2012),
    ('2012-04-29', 'holiday', '劳动节', 2012),
    ('2012-04-30', 'holiday', '劳动节', 2012),
    ('2012-05-01', 'holiday', '劳动节', 2012),
    ('2012-06-22', 'holiday', '端午节', 2012),
    ('2012-06-24', 'holiday', '端午节', 2012),
    ('2012-09-29', 'workday', '国庆节调休上班', 2012),
    ('2012-09-30', 'holiday', '中秋节', 2012),
    ('2012-10-01', 'holiday', '国庆节', 2012),
    ('2012-10-02', 'holiday', '国庆节', 2012),
    ('2012-10-03', 'holiday', '国庆节', 2012),
    ('2012-10-04', 'holiday', '国庆节', 2012),
    ('2012-10-05', 'holiday', '国庆节', 2012),
    ('2012-10-06', 'holiday', '国庆节', 2012),
    ('2012-10-07', 'holiday', '国庆节', 2012),
    ('2013-01-01', 'holiday', '元旦', 2013),
    ('2013-01-02', 'holiday', '元旦', 2013),
    ('2013-01-03', 'holiday', '元旦', 2013),
    ('2013-01-05', 'workday', '元旦调休上班', 2013),
    ('2013-01-06', 'workday', '元旦调休上班', 2013),
    ('2013-02-09', 'holiday', '春节', 2013),
    ('2013-02-10', 'holiday', '春节', 2013),
    ('2013-02-11', 'holiday', '春节', 2013),
    ('2013-02-12', 'holiday', '春节', 2013),
    ('2013-02-13', 'holiday', '春节', 2013),
    ('2013-02-14', 'holiday', '春节', 2013),
    ('2013-02-15', 'holiday', '春节', 2013),
    ('2013-02-16', 'workday', '春节调休上班', 2013),
    ('2013-02-17', 'workday', '春节调休上班', 2013),
    ('2013-04-04', 'holiday', '清明节', 2013),
    ('2013-04-05', 'holiday', '清明节', 2013),
    ('2013-04-06', 'holiday', '清明节', 2013),
    ('2013-04-07', 'workday', '清明节调休上班', 2013),
    ('2013-04-27', 'workday', '劳动节调休上班', 2013),
    ('2013-04-28', 'workday', '劳动节调休上班', 2013),
    ('2013-04-29', 'holiday', '劳动节', 2013),
    ('2013-04-30', 'holiday', '劳动节', 2013),
    ('2013-05-01', 'holiday', '劳动节', 2013),
    ('2013-06-08', 'workday', '端午节调休上班', 2013),
    ('2013-06-09', 'workday', '端午节调休上班', 2013),
    ('2013-06-10', 'holiday', '端午节', 2013),
    ('2013-06-11', 'holiday', '端午节', 2013),
    ('2013-06-12', 'holiday', '端午节', 2013),
    ('2013-09-19', 'holiday', '中秋节', 2013),
    ('2013-09-20', 'holiday', '中秋节', 2013),
    ('2013-09-21', 'holiday', '中秋节', 2013),
    ('2013-09-22', 'workday', '中秋节调休上班', 2013),
    ('2013-09-29', 'workday', '国庆节调休上班', 2013),
    ('2013-10-01', 'holiday', '国庆节', 2013),
    ('2013-10-02', 'holiday', '国庆节', 2013),
    ('2013-10-03', 'holiday', '国庆节', 2013),
    ('2013-10-04', 'holiday', '国庆节', 2013),
    ('2013-10-05', 'holiday', '国庆节', 2013),
    ('2013-10-06', 'holiday', '国庆节', 2013),
    ('2013-10-07', 'holiday', '国庆节', 2013),
    ('2013-10-12', 'workday', '国庆节调休上班', 2013),
    ('2014-01-01', 'holiday', '元旦', 2014),
    ('2014-01-26', 'workday', '春节调休上班', 2014),
    ('2014-01-31', 'holiday', '春节', 2014),
    ('2014-02-01', 'holiday', '春节', 2014),
    ('2014-02-02', 'holiday', '春节', 2014),
    ('2014-02-03', 'holiday', '春节', 2014),
    ('2014-02-04', 'holiday', '春节', 2014),
    ('2014-02-05', 'holiday', '春节', 2014),
    ('2014-02-06', 'holiday', '春节', 2014),
    ('2014-02-08', 'workday', '春节调休上班', 2014),
    ('2014-04-05', 'holiday', '清明节', 2014),
    ('2014-04-06', 'holiday', '清明节', 2014),
    ('2014-04-07', 'holiday', '清明节', 2014),
    ('2014-05-01', 'holiday', '劳动节', 2014),
    ('2014-05-02', 'holiday', '劳动节', 2014),
    ('2014-05-03', 'holiday', '劳动节', 2014),
    ('2014-05-04', 'workday', '劳动节调休上班', 2014),
    ('2014-06-02', 'holiday', '端午节', 2014),
    ('2014-09-08', 'holiday', '中秋节', 2014),
    ('2014-09-28', 'workday', '国庆节调休上班', 2014),
    ('2014-10-01', 'holiday', '国庆节', 2014),
    ('2014-10-02', 'holiday', '国庆节', 2014),
    ('2014-10-03', 'holiday', '国庆节', 2014),
    ('2014-10-04', 'holiday', '国庆节', 2014),
    ('2014-10-05', 'holiday', '国庆节', 2014),
    ('2014-10-06', 'holiday', '国庆节', 2014),
    ('2014-10-07', 'holiday', '国庆节', 2014),
    ('2014-10-11', 'workday', '国庆节调休上班', 2014),
    ('2015-01-01', 'holiday', '元旦', 2015),
    ('2015-01-02', 'holiday', '元旦', 2015),
    ('2015-01-03', 'holiday', '元旦', 2015),
    ('2015-01-04', 'workday', '元旦调休上班', 2015),
    ('2015-02-15', 'workday', '春节调休上班', 2015),
    ('2015-02-18', 'holiday', '春节', 2015),
    ('2015-02-19', 'holiday', '春节', 2015),
    ('2015-02-20', 'holiday', '春节', 2015),
    ('2015-02-21', 'holiday', '春节', 2015),
    ('2015-02-22', 'holiday', '春节', 2015),
    ('2015-02-23', 'holiday', '春节', 2015),
    ('2015-02-24', 'holiday', '春节', 2015),
    ('2015-02-28', 'workday', '春节调休上班', 2015),
    ('2015-04-05', 'holiday', '清明节', 2015),
    ('2015-04-06', 'holiday', '清明节', 2015),
    ('2015-05-01', 'holiday', '劳动节', 2015),
    ('2015-06-20', 'holiday', '端午节', 2015),
    ('2015-06-22', 'holiday', '端午节', 2015),
    ('2015-09-03', 'holiday', '抗战胜利70周年纪念日', 2015),
    ('2015-09-04', 'holiday', '抗战胜利70周年纪念日', 2015),
    ('2015-09-06', 'workday', '抗战胜利70周年纪念日调休上班', 2015),
    ('2015-09-27', 'holiday', '中秋节', 2015),
    ('2015-10-01', 'holiday', '国庆节', 2015),
    ('2015-10-02', 'holiday', '国庆节', 2015),
    ('2015-10-03', 'holiday', '国庆节', 2015),
    ('2015-10-04', 'holiday', '国庆节', 2015),
    ('2015-10-05', 'holiday', '国庆节', 2015),
    ('2015-10-06', 'holiday', '国庆节', 2015),
    ('2015-10-07', 'holiday', '国庆节', 2015),
    ('2015-10-10', 'workday', '国庆节调休上班', 2015),
    ('2016-01-01', 'holiday', '元旦', 2016),
    ('2016-02-06', 'workday', '春节调休上班', 2016),
    ('2016-02-07', 'holiday', '春节', 2016),
    ('2016-02-08', 'holiday', '春节', 2016),
    ('2016-02-09', 'holiday', '春节', 2016),
    ('2016-02-10', 'holiday', '春节', 2016),
    ('2016-02-11', 'holiday', '春节', 2016),
    ('2016-02-12', 'holiday', '春节', 2016),
    ('2016-02-13', 'holiday', '春节', 2016),
    ('2016-02-14', 'workday', '春节调休上班', 2016),
    ('2016-04-04', 'holiday', '清明节', 2016),
    ('2016-05-01', 'holiday', '劳动节', 2016),
    ('2016-05-02', 'holiday', '劳动节', 2016),
    ('2016-06-09', 'holiday', '端午节', 2016),
    ('2016-06-10', 'holiday', '端午节', 2016),
    ('2016-06-11', 'holiday', '端午节', 2016),
    ('2016-06-12', 'workday', '端午节调休上班', 2016),
    ('2016-09-15', 'holiday', '中秋节', 2016),
    ('2016-09-16', 'holiday', '中秋节', 2016),
    ('2016-09-17', 'holiday', '中秋节', 2016),
    ('2016-09-18', 'workday', '中秋节调休上班', 2016),
    ('2016-10-01', 'holiday', '国庆节', 2016),
    ('2016-10-02', 'holiday', '国庆节', 2016),
    ('2016-10-03', 'holiday', '国庆节', 2016),
    ('2016-10-04', 'holiday', '国庆节', 2016),
    ('2016-10-05', 'holiday', '国庆节', 2016),
    ('2016-10-06', 'holiday', '国庆节', 2016),
    ('2016-10-07', 'holiday', '国庆节', 2016),
    ('2016-10-08', 'workday', '国庆节调休上班', 2016),
    ('2016-10-09', 'workday', '国庆节调休上班', 2016),
    ('2017-01-01', 'holiday', '元旦', 2017),
    ('2017-01-02', 'holiday', '元旦', 2017),
    ('2017-01-22', 'workday', '春节调休上班', 2017),
    ('2017-01-27', 'holiday', '春节', 2017),
    ('2017-01-28', 'holiday', '春节', 2017),
    ('2017-01-29', 'holiday', '春节', 2017),
    ('2017-01-30', 'holiday', '春节', 2017),
    ('2017-01-31', 'holiday', '春节', 2017),
    ('2017-02-01', 'holiday', '春节', 2017),
    ('2017-02-02', 'holiday', '春节', 2017),
    ('2017-02-04', 'workday', '春节调休上班', 2017),
    ('2017-04-01', 'workday', '清明节调休上班', 2017),
    ('2017-04-02', 'holiday', '清明节', 2017),
    ('2017-04-03', 'holiday', '清明节', 2017),
    ('2017-04-04', 'holiday', '清明节', 2017),
    ('2017-05-01', 'holiday', '劳动节', 2017),
    ('2017-05-27', 'workday', '端午节调休上班', 2017),
    ('2017-05-28', 'holiday', '端午节', 2017),
    ('2017-05-29', 'holiday', '端午节', 2017),
    ('2017-05-30', 'holiday', '端午节', 2017),
    ('2017-09-30', 'workday', '国庆节调休上班', 2017),
    ('2017-10-01', 'holiday', '国庆节', 2017),
    ('2017-10-02', 'holiday', '国庆节', 2017),
    ('2017-10-03', 'holiday', '国庆节', 2017),
    ('2017-10-04', 'holiday', '中秋节', 2017),
    ('2017-10-05', 'holiday', '国庆节', 2017),
    ('2017-10-06', 'holiday', '国庆节', 2017),
    ('2017-10-07', 'holiday', '国庆节', 2017),
    ('2017-10-08', 'holiday', '国庆节', 2017),
    ('2018-01-01', 'holiday', '元旦', 2018),
    ('2018-02-11', 'workday', '春节调休上班', 2018),
    ('2018-02-15', 'holiday', '春节', 2018),
    ('2018-02-16', 'holiday', '春节', 2018),
    ('2018-02-17', 'holiday', '春节', 2018),
    ('2018-02-18', 'holiday', '春节', 2018),
    ('2018-02-19', 'holiday', '春节', 2018),
    ('2018-02-20', 'holiday', '春节', 2018),
    ('2018-02-21', 'holiday', '春节', 2018),
    ('2018-02-24', 'workday', '春节调休上班', 2018),
    ('2018-04-05', 'holiday', '清明节', 2018),
    ('2018-04-06', 'holiday', '清明节', 2018),
    ('2018-04-07', 'holiday', '清明节', 2018),
    ('2018-04-08', 'workday', '清明节调休上班', 2018),
    ('2018-04-28', 'workday', '劳动节调休上班', 2018),
    ('2018-04-29', 'holiday', '劳动节', 2018),
    ('2018-04-30', 'holiday', '劳动节', 2018),
    ('2018-05-01', 'holiday', '劳动节', 2018),
    ('2018-06-18', 'holiday', '端午节', 2018),
    ('2018-09-24', 'holiday', '中秋节', 2018),
    ('2018-09-29', 'workday', '国庆节调休上班', 2018),
    ('2018-09-30', 'workday', '国庆节调休上班', 2018),
    ('2018-10-01', 'holiday', '国庆节', 2018),
    ('2018-10-02', 'holiday', '国庆节', 2018),
    ('2018-10-03', 'holiday', '国庆节', 2018),
    ('2018-10-04', 'holiday', '国庆节', 2018),
    ('2018-10-05', 'holiday', '国庆节', 2018),
    ('2018-10-06', 'holiday', '国庆节', 2018),
    ('2018-10-07', 'holiday', '国庆节', 2018),
    ('2018-12-29', 'workday', '元旦调休上班', 2019),
    ('2018-12-30', 'holiday', '元旦', 2019),
    ('2018-12-31', 'holiday', '元旦', 2019),
    ('2019-01-01', 'holiday', '元旦', 2019),
    ('2019-02-02', 'workday', '春节调休上班', 2019),
    ('2019-02-03', 'workday', '春节调休上班', 2019),
    ('2019-02-04', 'holiday', '春节', 2019),
    ('2019-02-05', 'holiday', '春节', 2019),
    ('2019-02-06', 'holiday', '春节', 2019),
    ('2019-02-07', 'holiday', '春节', 2019),
    ('2019-02-08', 'holiday', '春节', 2019),
    ('2019-02-09', 'holiday', '春节', 2019),
    ('2019-02-10', 'holiday', '春节', 2019),
    ('2019-04-05', 'holiday', '清明节', 2019),
    ('2019-04-06', 'holiday', '清明节', 2019),
    ('2019-04-07', 'holiday', '清明节', 2019),
    ('2019-04-28', 'workday', '劳动节调休上班', 2019),
    ('2019-05-01', 'holiday', '劳动节', 2019),
    ('2019-05-02', 'holiday', '劳动节', 2019),
    ('2019-05-03', 'holiday', '劳动节', 2019),
    ('2019-05-04', 'holiday', '劳动节', 2019),
    ('2019-05-05', 'workday', '劳动节调休上班', 2019),
    ('2019-06-07', 'holiday', '端午节', 2019),
    ('2019-06-08', 'holiday', '端午节', 2019),
    ('2019-06-09', 'holiday', '端午节', 2019),
    ('2019-09-13', 'holiday', '中秋节', 2019),
    ('2019-09-14', 'holiday', '中秋节', 2019),
    ('2019-09-15', 'holiday', '中秋节', 2019),
    ('2019-09-29', 'workday', '国庆节调休上班', 2019),
    ('2019-10-01', 'holiday', '国庆节', 2019),
    ('2019-10-02', 'holiday', '国庆节', 2019),
    ('2019-10-03', 'holiday', '国庆节', 2019),
    ('2019-10-04', 'holiday', '国庆节', 2019),
    ('2019-10-05', 'holiday', '国庆节', 2019),
    ('2019-10-06', 'holiday', '国庆节', 2019),
    ('2019-10-07', 'holiday', '国庆节', 2019),
    ('2019-10-12', 'workday', '国庆节调休上班', 2019),
    ('2020-01-01', 'holiday', '元旦', 2020),
    ('2020-01-19', 'workday', '春节调休上班', 2020),
    ('2020-01-24', 'holiday', '春节', 2020),
    ('2020-01-25', 'holiday', '春节', 2020),
    ('2020-01-26', 'holiday', '春节', 2020),
    ('2020-01-27', 'holiday', '春节', 2020),
    ('2020-01-28', 'holiday', '春节', 2020),
    ('2020-01-29', 'holiday', '春节', 2020),
    ('2020-01-30', 'holiday', '春节', 2020),
    ('2020-01-31', 'holiday', '春节', 2020),
    ('2020-02-01', 'holiday', '春节', 2020),
    ('2020-02-02', 'holiday', '春节', 2020),
    ('2020-04-04', 'holiday', '清明节', 2020),
    ('2020-04-05', 'holiday', '清明节', 2020),
    ('2020-04-06', 'holiday', '清明节', 2020),
    ('2020-04-26', 'workday', '劳动节调休上班', 2020),
    ('2020-05-01', 'holiday', '劳动节', 2020),
    ('2020-05-02', 'holiday', '劳动节', 2020),
    ('2020-05-03', 'holiday', '劳动节', 2020),
    ('2020-05-04', 'holiday', '劳动节', 2020),
    ('2020-05-05', 'holiday', '劳动节', 2020),
    ('2020-05-09', 'workday', '劳动节调休上班', 2020),
    ('2020-06-25', 'holiday', '端午节', 2020),
    ('2020-06-26', 'holiday', '端午节', 2020),
    ('2020-06-27', 'holiday', '端午节', 2020),
    ('2020-06-28', 'workday', '端午节调休上班', 2020),
    ('2020-09-27', 'workday', '国庆节调休上班', 2020),
    ('2020-10-01', 'holiday', '国庆节', 2020),
    ('2020-10-02', 'holiday', '国庆节', 2020),
    ('2020-10-03', 'holiday', '国庆节', 2020),
    ('2020-10-04', 'holiday', '国庆节', 2020),
    ('2020-10-05', 'holiday', '国庆节', 2020),
    ('2020-10-06', 'holiday', '国庆节', 2020),
    ('2020-10-07', 'holiday', '国庆节', 2020),
    ('2020-10-08', 'holiday', '国庆节', 2020),
    ('2020-10-10', 'workday', '国庆节调休上班', 2020),
    ('2021-01-01', 'holiday', '元旦', 2021),
    ('2021-01-02', 'holiday', '元旦', 2021),
    ('2021-01-03', 'holiday', '元旦', 2021),
    ('2021-02-07', 'workday', '春节调休上班', 2021),
    ('2021-02-11', 'holiday', '春节', 2021),
    ('2021-02-12', 'holiday', '春节', 2021),
    ('2021-02-13', 'holiday', '春节', 2021),
    ('2021-02-14', 'holiday', '春节', 2021),
    ('2021-02-15', 'holiday', '春节', 2021),
    ('2021-02-16', 'holiday', '春节', 2021),
    ('2021-02-17', 'holiday', '春节', 2021),
    ('2021-02-20', 'workday', '春节调休上班', 2021),
    ('2021-04-03', 'holiday', '清明节', 2021),
    ('2021-04-04', 'holiday', '清明节', 2021),
    ('2021-04-05', 'holiday', '清明节', 2021),
    ('2021-04-25', 'workday', '劳动节调休上班', 2021),
    ('2021-05-01', 'holiday', '劳动节', 2021),
    ('2021-05-02', 'holiday', '劳动节', 2021),
    ('2021-05-03', 'holiday', '劳动节', 2021),
    ('2021-05-04', 'holiday', '劳动节', 2021),
    ('2021-05-05', 'holiday', '劳动节', 2021),
    ('2021-05-08', 'workday', '劳动节调休上班', 2021),
    ('2021-06-12', 'holiday', '端午节', 2021),
    ('2021-06-13', 'holiday', '端午节', 2021),
    ('2021-06-14', 'holiday', '端午节', 2021),
    ('2021-09-18', 'workday', '中秋节调休上班', 2021),
    ('2021-09-19', 'holiday', '中秋节', 2021),
    ('2021-09-20', 'holiday', '中秋节', 2021),
    ('2021-09-21', 'holiday', '中秋节', 2021),
    ('2021-09-26', 'workday', '国庆节调休上班', 2021),
    ('2021-10-01', 'holiday', '国庆节', 2021),
    ('2021-10-02', 'holiday', '国庆节', 2021),
    ('2021-10-03', 'holiday', '国庆节', 2021),
    ('2021-10-04', 'holiday', '国庆节', 2021),
    ('2021-10-05', 'holiday', '国庆节', 2021),
    ('2021-10-06', 'holiday', '国庆节', 2021),
    ('2021-10-07', 'holiday', '国庆节', 2021),
    ('2021-10-09', 'workday', '国庆节调休上班', 2021),
    ('2022-01-01', 'holiday', '元旦', 2022),
    ('2022-01-02', 'holiday', '元旦', 2022),
    ('2022-01-03', 'holiday', '元旦', 2022),
    ('2022-01-29', 'workday', '春节调休上班', 2022),
    ('2022-01-30', 'workday', '春节调休上班', 2022),
    ('2022-01-31', 'holiday', '春节', 2022),
    ('2022-02-01', 'holiday', '春节', 2022),
    ('2022-02-02', 'holiday', '春节', 2022),
    ('2022-02-03', 'holiday', '春节', 2022),
    ('2022-02-04', 'holiday', '春节', 2022),
    ('2022-02-05', 'holiday', '春节', 2022),
    ('2022-02-06', 'holiday', '春节', 2022),
    ('2022-04-02', 'workday', '清明节调休上班', 2022),
    ('2022-04-03', 'holiday', '清明节', 2022),
    ('2022-04-04', 'holiday', '清明节', 2022),
    ('2022-04-05', 'holiday', '清明节', 2022),
    ('2022-04-24', 'workday', '劳动节调休上班', 2022),
    ('2022-04-30', 'holiday', '劳动节', 2022),
    ('2022-05-01', 'holiday', '劳动节', 2022),
    ('2022-05-02', 'holiday', '劳动节', 2022),
    ('2022-05-03', 'holiday', '劳动节', 2022),
    ('2022-05-04', 'holiday', '劳动节', 2022),
    ('2022-05-07', 'workday', '劳动节调休上班', 2022),
    ('2022-06-03', 'holiday', '端午节', 2022),
    ('2022-06-04', 'holiday', '端午节', 2022),
    ('2022-06-05', 'holiday', '端午节', 2022),
    ('2022-09-10', 'holiday', '中秋节', 2022),
    ('2022-09-11', 'holiday', '中秋节', 2022),
    ('2022-09-12', 'holiday', '中秋节', 2022),
    ('2022-10-01', 'holiday', '国庆节', 2022),
    ('2022-10-02', 'holiday', '国庆节', 2022),
    ('2022-10-03', 'holiday', '国庆节', 2022),
    ('2022-10-04', 'holiday', '国庆节', 2022),
    ('2022-10-05', 'holiday', '国庆节', 2022),
    ('2022-10-06', 'holiday', '国庆节', 2022),
    ('2022-10-07', 'holiday', '国庆节', 2022),
    ('2022-10-08', 'workday', '国庆节调休上班', 2022),
    ('2022-10-09', 'workday', '国庆节调休上班', 2022),
    ('2022-12-31', 'holiday', '元旦', 2023),
    ('2023-01-01', 'holiday', '元旦', 2023),
    ('2023-01-02', 'holiday', '元旦', 2023),
    ('2023-01-21', 'holiday', '春节', 2023),
    ('2023-01-22', 'holiday', '春节', 2023),
    ('2023-01-23', 'holiday', '春节', 2023),
    ('2023-01-24', 'holiday', '春节', 2023),
    ('2023-01-25', 'holiday', '春节', 2023),
    ('2023-01-26', 'holiday', '春节', 2023),
    ('2023-01-27', 'holiday', '春节', 2023),
    ('2023-01-28', 'workday', '春节调休上班', 2023),
    ('2023-01-29', 'workday', '春节调休上班', 2023),
    ('2023-04-05', 'holiday', '清明节', 2023),
    ('2023-04-23', 'workday', '劳动节调休上班', 2023),
    ('2023-04-29', 'holiday', '劳动节', 2023),
    ('2023-04-30', 'holiday', '劳动节', 2023),
    ('2023-05-01', 'holiday', '劳动节', 2023),
    ('2023-05-02', 'holiday', '劳动节', 2023),
    ('2023-05-03', 'holiday', '劳动节', 2023),
    ('2023-05-06', 'workday', '劳动节调休上班', 2023),
    ('2023-06-22', 'holiday', '端午节', 2023),
    ('2023-06-23', 'holiday', '端午节', 2023),
    ('2023-06-24', 'holiday', '端午节', 2023),
    ('2023-06-25', 'workday', '端午节调休上班', 2023),
    ('2023-09-29', 'holiday', '中秋节', 2023),
    ('2023-09-30', 'holiday', '国庆节', 2023),
    ('2023-10-01', 'holiday', '国庆节', 2023),
    ('2023-10-02', 'holiday', '国庆节', 2023),
    ('2023-10-03', 'holiday', '国庆节', 2023),
    ('2023-10-04', 'holiday', '国庆节', 2023),
    ('2023-10-05', 'holiday', '国庆节', 2023),
    ('2023-10-06', 'holiday', '国庆节', 2023),
    ('2023-10-07', 'workday', '国庆节调休上班', 2023),
    ('2023-10-08', 'workday', '国庆节调休上班', 2023),
    ('2023-12-30', 'holiday', '元旦', 2024),
    ('2023-12-31', 'holiday', '元旦', 2024),
    ('2024-01-01', 'holiday', '元旦', 2024),
    ('2024-02-04', 'workday', '春节调休上班', 2024),
    ('2024-02-10', 'holiday', '春节', 2024),
    ('2024-02-11', 'holiday', '春节', 2024),
    ('2024-02-12', 'holiday', '春节', 2024),
    ('2024-02-13', 'holiday', '春节', 2024),
    ('2024-02-14', 'holiday', '春节', 2024),
    ('2024-02-15', 'holiday', '春节', 2024),
    ('2024-02-16', 'holiday', '春节', 2024),
    ('2024-02-17', 'holiday', '春节', 2024),
    ('2024-02-18', 'workday', '春节调休上班', 2024),
    ('2024-04-04', 'holiday', '清明节', 2024),
    ('2024-04-05', 'holiday', '清明节', 2024),
    ('2024-04-06', 'holiday', '清明节', 2024),
    ('2024-04-07', 'workday', '清明节调休上班', 2024),
    ('2024-04-28', 'workday', '劳动节调休上班', 2024),
    ('2024-05-01', 'holiday', '劳动节', 2024),
    ('2024-05-02', 'holiday', '劳动节', 2024),
    ('2024-05-03', 'holiday', '劳动节', 2024),
    ('2024-05-04', 'holiday', '劳动节', 2024),
    ('2024-05-05', 'holiday', '劳动节', 2024),
    ('2024-05-11', 'workday', '劳动节调休上班', 2024),
    ('2024-06-10', 'holiday', '端午节', 2024),
    ('2024-09-14', 'workday', '中秋节调休上班', 2024),
    ('2024-09-15', 'holiday', '中秋节', 2024),
    ('2024-09-16', 'holiday', '中秋节', 2024),
    ('2024-09-17', 'holiday', '中秋节', 2024),
    ('2024-09-29', 'workday', '国庆节调休上班', 2024),
    ('2024-10-01', 'holiday', '国庆节', 2024),
    ('2024-10-02', 'holiday', '国庆节', 2024),
    ('2024-10-03', 'holiday', '国庆节', 2024),
    ('2024-10-04', 'holiday', '国庆节', 2024),
    ('2024-10-05', 'holiday', '国庆节', 2024),
    ('2024-10-06', 'holiday', '国庆节', 2024),
    ('2024-10-07', 'holiday', '国庆节', 2024),
    ('2024-10-12', 'workday', '国庆节调休上班', 2024),
    ('2025-01-01', 'holiday', '元旦', 2025),
    ('2025-01-26', 'workday', '春节调休上班', 2025),
    ('2025-01-28', 'holiday', '春节', 2025),
    ('2025-01-29', 'holiday', '春节', 2025),
    ('2025-01-30', 'holiday', '春节', 2025),
    ('2025-01-31', 'holiday', '春节', 2025),
    ('2025-02-01', 'holiday', '春节', 2025),
    ('2025-02-02', 'holiday', '春节', 2025),
    ('2025-02-03', 'holiday', '春节', 2025),
    ('2025-02-04', 'holiday', '春节', 2025),
    ('2025-02-08', 'workday', '春节调休上班', 2025),
    ('2025-04-04', 'holiday', '清明节', 2025),
    ('2025-04-05', 'holiday', '清明节', 2025),
    ('2025-04-06', 'holiday', '清明节', 2025),
    ('2025-04-27', 'workday', '劳动节调休上班', 2025),
    ('2025-05-01', 'holiday', '劳动节', 2025),
    ('2025-05-02', 'holiday', '劳动节', 2025),
    ('2025-05-03', 'holiday', '劳动节', 2025),
    ('2025-05-04', 'holiday', '劳动节', 2025),
    ('2025-05-05', 'holiday', '劳动节', 2025),
    ('2025-05-31', 'holiday', '端午节', 2025),
    ('2025-06-01', 'holiday', '端午节', 2025),
    ('2025-06-02', 'holiday', '端午节', 2025),
    ('2025-09-28', 'workday', '国庆节调休上班', 2025),
    ('2025-10-01', 'holiday', '国庆节', 2025),
    ('2025-10-02', 'holiday', '国庆节', 2025),
    ('2025-10-03', 'holiday', '国庆节', 2025),
    ('2025-10-04', 'holiday', '国庆节', 2025),
    ('2025-10-05', 'holiday', '国庆节', 2025),
    ('2025-10-06', 'holiday', '中秋节', 2025),
    ('2025-10-07', 'holiday', '国庆节', 2025),
    ('2025-10-08', 'holiday', '国庆节', 2025),
    ('2025-10-11', 'workday', '国庆节调休上班', 2025),
    ('2026-01-01', 'holiday', '元旦', 2026),
    ('2026-01-02', 'holiday', '元旦', 2026),
    ('2026-01-03', 'holiday', '元旦', 2026),
    ('2026-01-04', 'workday', '元旦调休上班', 2026),
    ('2026-02-14', 'workday', '春节调休上班', 2026),
    ('2026-02-15', 'holiday', '春节', 2026),
    ('2026-02-16', 'holiday', '春节', 2026),
    ('2026-02-17', 'holiday', '春节', 2026),
    ('2026-02-18', 'holiday', '春节', 2026),
    ('2026-02-19', 'holiday', '春节', 2026),
    ('2026-02-20', 'holiday', '春节', 2026),
    ('2026-02-21', 'holiday', '春节', 2026),
    ('2026-02-22', 'holiday', '春节', 2026),
    ('2026-02-23', 'holiday', '春节', 2026),
    ('2026-02-28', 'workday', '春节调休上班', 2026),
    ('2026-04-04', 'holiday', '清明节', 2026),
    ('2026-04-05', 'holiday', '清明节', 2026),
    ('2026-04-06', 'holiday', '清明节', 2026),
    ('2026-05-01', 'holiday', '劳动节', 2026),
    ('2026-05-02', 'holiday', '劳动节', 2026),
    ('2026-05-03', 'holiday', '劳动节', 2026),
    ('2026-05-04', 'holiday', '劳动节', 2026),
    ('2026-05-05', 'holiday', '劳动节', 2026),
    ('2026-05-09', 'workday', '劳动节调休上班', 2026),
    ('2026-06-19', 'holiday', '端午节', 2026),
    ('2026-06-20', 'holiday', '端午节', 2026),
    ('2026-06-21', 'holiday', '端午节', 2026),
    ('2026-09-20', 'workday', '国庆节调休上班', 2026),
    ('2026-09-25', 'holiday', '中秋节', 2026),
    ('2026-09-26', 'holiday', '中秋节', 2026),
    ('2026-09-27', 'holiday', '中秋节', 2026),
    ('2026-10-01', 'holiday', '国庆节', 2026),
    ('2026-10-02', 'holiday', '国庆节', 2026),
    ('2026-10-03', 'holiday', '国庆节', 2026),
    ('2026-10-04', 'holiday', '国庆节', 2026),
    ('2026-10-05', 'holiday', '国庆节', 2026),
    ('2026-10-06', 'holiday', '国庆节', 2026),
    ('2026-10-07', 'holiday', '国庆节', 2026),
    ('2026-10-10', 'workday', '国庆节调休上班', 2026)
ON CONFLICT (day) DO NOTHING;

INSERT INTO gridgov.work_calendar_notice (year, title) VALUES
    (2004, '国务院办公厅关于2004年部分节假日安排的通知'),
    (2005, '国务院办公厅关于2005年部分节假日安排的通知'),
    (2006, '国务院办公厅关于2006年部分节假日安排的通知'),
    (2007, '国务院办公厅关于2007年部分节假日安排的通知'),
    (2008, '国务院办公厅关于2008年部分节假日安排的通知'),
    (2009, '国务院办公厅关于2009年部分节假日安排的通知'),
    (2010, '国务院办公厅关于2010年部分节假日安排的通知'),
    (2011, '国务院办公厅关于2011年部分节假日安排的通知'),
    (2012, '国务院办公厅关于2012年部分节假日安排的通知'),
    (2013, '国务院办公厅关于2013年部分节假日安排的通知'),
    (2014, '国务院办公厅关于2014年部分节假日安排的通知'),
    (2015, '国务院办公厅关于2015年部分节假日安排的通知'),
    (2016, '国务院办公厅关于2016年部分节假日安排的通知'),
    (2017, '国务院办公厅关于2017年部分节假日安排的通知'),
    (2018, '国务院办公厅关于2018年部分节假日安排的通知'),
    (2019, '国务院办公厅关于2019年部分节假日安排的通知'),
    (2020, '国务院办公厅关于2020年部分节假日安排的通知'),
    (2021, '国务院办公厅关于2021年部分节假日安排的通知'),
    (2022, '国务院办公厅关于2022年部分节假日安排的通知'),
    (2023, '国务院办公厅关于2023年部分节假日安排的通知'),
    (2024, '国务院办公厅关于2024年部分节假日安排的通知'),
    (2025, '国务院办公厅关于2025年部分节假日安排的通知'),
    (2026, '国务院办公厅关于2026年部分节假日安排的通知')
ON CONFLICT (year) DO NOTHING;

-- ---------------------------------------------------------------------------------------
-- Patrols (巡查): the grid workers' GPS fixes, as imported and cleaned by the plugin
-- (core/patrol/tracks.py). One fix per worker and instant: re-importing a file changes nothing.
-- No foreign key to grid_worker: tracks may arrive before the worker list; the import names
-- unknown workers.
-- ---------------------------------------------------------------------------------------
CREATE TABLE gridgov.patrol_fix (
    id bigserial PRIMARY KEY,
    worker_id text NOT NULL CHECK (length(worker_id) BETWEEN 1 AND 100),
    at timestamptz NOT NULL,
    source text NOT NULL DEFAULT 'import' CHECK (length(source) <= 200),
    imported_at timestamptz NOT NULL DEFAULT now(),
    geom geometry(Point, 4490) NOT NULL,
    UNIQUE (worker_id, at)
);
CREATE INDEX patrol_fix_geom_idx ON gridgov.patrol_fix USING gist (geom);
CREATE INDEX patrol_fix_at_idx ON gridgov.patrol_fix (at);

-- ---------------------------------------------------------------------------------------
-- Assessment items (考核项): each can be switched on or off and given a weight and a full score
-- ("可自定义设置对应考核项考核与否及考核得分配置"). Definitions: docs/assessment.md;
-- engine: grid_governance_plugin/core/assessment/. `target` is item-specific:
--   found     cases found per 30 days that earn the full score
--   returned  share of dispatched cases returned (退回) at which the score reaches zero
--   patrol    street coverage share that earns the full score
-- ---------------------------------------------------------------------------------------
CREATE TABLE gridgov.assessment_item (
    code text PRIMARY KEY
        CHECK (code IN ('response', 'resolution', 'satisfaction', 'on_time', 'found', 'returned', 'patrol')),
    enabled boolean NOT NULL DEFAULT true,
    weight double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 100),
    full_score double precision NOT NULL CHECK (full_score > 0 AND full_score <= 1000),
    target double precision CHECK (target IS NULL OR target > 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
INSERT INTO gridgov.assessment_item (code, enabled, weight, full_score, target) VALUES
    ('response', true, 1, 15, NULL),
    ('resolution', true, 1, 20, NULL),
    ('satisfaction', true, 1, 20, NULL),
    ('on_time', true, 1, 15, NULL),
    ('found', true, 1, 10, 20),
    ('returned', true, 1, 5, 0.2),
    ('patrol', true, 1, 15, 0.8)
ON CONFLICT (code) DO NOTHING;
CREATE TRIGGER assessment_item_stamp BEFORE INSERT OR UPDATE ON gridgov.assessment_item
    FOR EACH ROW EXECUTE FUNCTION gridgov.work_calendar_stamp();

-- ---------------------------------------------------------------------------------------
-- Privileges (the roles engineer's migration settles the final grants): nothing here is
-- executable by PUBLIC (004's rule: a channel calls report_event and nothing else). Readers may
-- compute working time; supervisors edit the calendar and the assessment items and import patrols.
-- ---------------------------------------------------------------------------------------
REVOKE ALL ON FUNCTION gridgov.rebuild_work_days(), gridgov.work_calendar_changed(), gridgov.work_calendar_stamp(),
                       gridgov.work_calendar_touched(), gridgov.work_calendar_rebuild_if_changed(),
                       gridgov.working_seconds_at(timestamptz), gridgov.working_hours_between(timestamptz, timestamptz),
                       gridgov.is_working_day(date), gridgov.add_working_hours(timestamptz, double precision),
                       gridgov.add_working_days(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridgov.working_seconds_at(timestamptz), gridgov.working_hours_between(timestamptz, timestamptz),
                          gridgov.is_working_day(date), gridgov.add_working_hours(timestamptz, double precision),
                          gridgov.add_working_days(timestamptz, integer) TO gridgov_reader;
GRANT SELECT ON gridgov.work_calendar, gridgov.office_hours, gridgov.work_calendar_notice, gridgov.work_day,
                gridgov.patrol_fix, gridgov.assessment_item TO gridgov_reader;
GRANT INSERT, UPDATE, DELETE ON gridgov.work_calendar, gridgov.office_hours, gridgov.work_calendar_notice,
                                gridgov.assessment_item TO gridgov_supervisor;
GRANT INSERT ON gridgov.patrol_fix TO gridgov_supervisor;
GRANT USAGE ON SEQUENCE gridgov.office_hours_id_seq, gridgov.patrol_fix_id_seq TO gridgov_supervisor;
