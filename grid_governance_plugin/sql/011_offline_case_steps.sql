-- Suspension (挂账), extension (延期), resumption and a supervisor's decision taken in an
-- offline copy (issue #11, docs/sync.md) state the version of the case they were taken on,
-- as transition() and assign() can since 010_versions.sql. gridgov:syncoffline sends them
-- through these overloads as the login that syncs: a case moved on the server meanwhile is
-- refused with GG409 (a conflict kept in the copy), never a second step on a case the user
-- did not see. Thin wrappers, as 010's: check the version under the row lock, then call the
-- existing functions, whatever their body is today. The old signatures do not change.

CREATE FUNCTION gridgov.request_suspension(event_id uuid, reason text, seen_version integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._check_seen(request_suspension.event_id, request_suspension.seen_version, 'request_suspension');
    RETURN gridgov.request_suspension(request_suspension.event_id, request_suspension.reason);
END
$$;

CREATE FUNCTION gridgov.request_extension(event_id uuid, reason text, amount double precision, seen_version integer)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._check_seen(request_extension.event_id, request_extension.seen_version, 'request_extension');
    RETURN gridgov.request_extension(request_extension.event_id, request_extension.reason, request_extension.amount);
END
$$;

CREATE FUNCTION gridgov.resume_case(event_id uuid, note text, seen_version integer) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM gridgov._check_seen(resume_case.event_id, resume_case.seen_version, 'resume_case');
    RETURN gridgov.resume_case(resume_case.event_id, resume_case.note);
END
$$;

-- A request decided by someone else meanwhile is stale too (a refusal leaves the case's
-- version as it was): GG409, naming who decided it and how.
CREATE FUNCTION gridgov.decide_request(request_id bigint, approve boolean, note text, seen_version integer)
RETURNS timestamptz LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    q record;
    v integer;
BEGIN
    SELECT r.event_id INTO q FROM gridgov.case_request r WHERE r.id = decide_request.request_id;
    IF NOT FOUND THEN  -- the function's own refusal
        RETURN gridgov.decide_request(decide_request.request_id, decide_request.approve, decide_request.note);
    END IF;
    PERFORM gridgov._check_seen(q.event_id, decide_request.seen_version, 'decide_request');  -- locks the case
    SELECT r.event_id, r.decision, r.decided_by, r.decided_at INTO q
    FROM gridgov.case_request r WHERE r.id = decide_request.request_id;
    IF q.decision IS NOT NULL THEN
        SELECT e.version INTO v FROM gridgov.event e WHERE e.id = q.event_id;
        RAISE EXCEPTION 'decide_request: request % was % by % meanwhile', decide_request.request_id, q.decision,
            q.decided_by
            USING ERRCODE = 'GG409', SCHEMA = 'gridgov', TABLE = 'event',
                  DETAIL = jsonb_build_object('table', 'event', 'key', q.event_id, 'seen', decide_request.seen_version,
                                              'version', v, 'changes', jsonb_build_array(jsonb_build_object(
                                                  'login', q.decided_by, 'actor', q.decided_by, 'at', q.decided_at,
                                                  'op', 'UPDATE', 'columns', jsonb_build_object(
                                                      'decision', jsonb_build_array(NULL::text, q.decision)))))::text,
                  HINT = 'the request was decided meanwhile: look at the case again';
    END IF;
    RETURN gridgov.decide_request(decide_request.request_id, decide_request.approve, decide_request.note);
END
$$;

GRANT EXECUTE ON FUNCTION gridgov.request_suspension(uuid, text, integer),
                          gridgov.request_extension(uuid, text, double precision, integer),
                          gridgov.resume_case(uuid, text, integer) TO gridgov_worker, gridgov_supervisor;
GRANT EXECUTE ON FUNCTION gridgov.decide_request(bigint, boolean, text, integer) TO gridgov_supervisor;
