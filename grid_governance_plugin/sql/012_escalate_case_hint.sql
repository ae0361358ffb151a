-- 吹哨 on a case that is no longer open (closed or void) was refused with PostgreSQL's own
-- "RAISE statement option cannot be null" instead of escalate_case's refusal: the HINT of
-- 009's refusal was NULL for every status but 'suspended'. The same function with a hint for
-- every status; nothing else changes (owner and grants stay with CREATE OR REPLACE).

CREATE OR REPLACE FUNCTION gridgov.escalate_case(event_id uuid, reason text) RETURNS text
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
            USING ERRCODE = 'check_violation', HINT = CASE WHEN cur = 'suspended' THEN 'resume it first (gridgov.resume_case)'
                                                          ELSE 'a closed case is reopened (重办) first; a void one is reported anew' END;
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
