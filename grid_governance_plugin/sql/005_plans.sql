-- 005: grid plans - drafts beside the published plan, publishing with re-linking.
-- Python mirror for the GeoPackage: grid_governance_plugin/core/plans.py (tests run both).
-- A public interface: change it only by adding migrations.

-- A new draft plan, a copy of ``based_on`` (default: the published plan; none: empty).
CREATE FUNCTION gridgov.new_draft_plan(p_name text, p_based_on integer DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_base integer := p_based_on;
    v_id integer;
BEGIN
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

-- Publish a draft: the old published plan is archived (its grids stay, readable), the
-- draft becomes the published plan, then by location:
--   * grids of the new plan without a worker take the worker of the old grid they overlap
--     most (an explicit assignment in the draft wins);
--   * every camera takes the code of the new grid holding it (NULL outside all grids);
--   * open events (not closed or void) take the grid, community and street codes of the
--     new grid holding them; closed cases keep the codes they were handled under.
-- Ties (a point on a shared boundary) go to the grid with the lowest id, as in gridstats.
-- Returns jsonb {"archived": old plan id, "workers": n, "cameras": n, "events": n}: the rows changed.
CREATE FUNCTION gridgov.publish_plan(p_plan_id integer)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
    v_old integer;
    v_workers integer := 0;
    v_cameras integer := 0;
    v_events integer := 0;
BEGIN
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
    IF v_old IS NOT NULL THEN
        UPDATE gridgov.grid_plan SET status = 'archived' WHERE plan_id = v_old;
    END IF;
    UPDATE gridgov.grid_plan SET status = 'published', published_at = now() WHERE plan_id = p_plan_id;

    IF v_old IS NOT NULL THEN
        WITH best AS (
            SELECT DISTINCT ON (n.id) n.id, o.worker_id, ST_Area(ST_Intersection(o.geom, n.geom)) AS shared
            FROM gridgov.grid n
            JOIN gridgov.grid o ON o.plan_id = v_old AND o.worker_id IS NOT NULL AND ST_Intersects(o.geom, n.geom)
            WHERE n.plan_id = p_plan_id AND n.worker_id IS NULL
            ORDER BY n.id, shared DESC, o.id
        )
        UPDATE gridgov.grid g SET worker_id = best.worker_id FROM best
        WHERE g.id = best.id AND best.shared > 0;
        GET DIAGNOSTICS v_workers = ROW_COUNT;
    END IF;

    WITH hit AS (
        SELECT c.id, (SELECT g.grid_code FROM gridgov.grid g
                      WHERE g.plan_id = p_plan_id AND ST_Intersects(g.geom, c.geom) ORDER BY g.id LIMIT 1) AS grid_code
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
            WHERE g.plan_id = p_plan_id AND ST_Intersects(g.geom, e.geom) ORDER BY g.id LIMIT 1) g ON true
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

-- Pin the search path to wherever PostGIS lives (as 004 does for its functions).
DO $$
DECLARE
    postgis_schema text := (SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
                            WHERE x.extname = 'postgis');
BEGIN
    EXECUTE format('ALTER FUNCTION gridgov.publish_plan(integer) SET search_path = pg_catalog, %I, pg_temp',
                   postgis_schema);
    EXECUTE format('ALTER FUNCTION gridgov.new_draft_plan(text, integer, text) SET search_path = pg_catalog, %I, pg_temp',
                   postgis_schema);
END
$$;

-- Functions are executable by PUBLIC by default (see 004): only supervisors plan.
REVOKE ALL ON FUNCTION gridgov.new_draft_plan(text, integer, text), gridgov.publish_plan(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridgov.new_draft_plan(text, integer, text), gridgov.publish_plan(integer)
    TO gridgov_supervisor;
